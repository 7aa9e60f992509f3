//! A deterministic synthetic SBOM, big enough to measure the audit on.
//!
//!     cargo run --release --example gen-sbom -- \
//!         --components 100000 --edges-per-component 4 \
//!         --format cyclonedx --seed 1 --out /tmp/100k.cdx.json
//!
//! The generator itself (and what it plants) is described in
//! `benches/support/synthetic.rs`, which the benchmarks use too.

use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

#[path = "../benches/support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

#[derive(Parser, Debug)]
#[command(about = "Write a deterministic synthetic SBOM (CycloneDX or SPDX JSON)")]
struct Args {
    /// Number of components (packages), the product root not counted.
    #[arg(long, default_value_t = 10_000)]
    components: usize,
    /// Dependency edges per component (on average, nesting edges aside).
    #[arg(long, default_value_t = 4)]
    edges_per_component: usize,
    #[arg(long, value_enum, default_value_t = Format::Cyclonedx)]
    format: Format,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write; standard output when absent.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Cyclonedx,
    Spdx,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let flavour = match args.format {
        Format::Cyclonedx => synthetic::Flavour::Cyclonedx,
        Format::Spdx => synthetic::Flavour::Spdx,
    };
    let write = |out: &mut dyn io::Write| {
        synthetic::write(
            args.components,
            args.edges_per_component,
            flavour,
            args.seed,
            out,
        )
    };
    let result = match &args.out {
        Some(path) => File::create(path).and_then(|mut f| write(&mut f)),
        None => write(&mut io::stdout().lock()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-sbom: {e}");
            ExitCode::FAILURE
        }
    }
}
