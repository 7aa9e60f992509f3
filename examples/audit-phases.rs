//! Where an audit's time goes: each stage of the pipeline timed on its own
//! (median of N runs), in one process, on one SBOM file.
//!
//!     cargo run --release --example audit-phases -- FILE [RUNS] [STAGES]
//!
//! Stages: `parse` (serde_json into `IgnoredAny`, the yardstick), `read`
//! (`sbom::read`), `match` (every component through the matcher),
//! `graph` (`graph::build`), `trace` (`Tracer::new`), `audit` (the whole
//! `oemtrace::audit`, which includes match, graph and trace) and `render`
//! (the JSON report). Each line gives the median in milliseconds and its
//! ratio to `parse`, then the fastest run, which a busy machine disturbs
//! least. `STAGES` (say `graph,trace`) times only those stages besides
//! `parse`, to compare two builds on one stage quickly.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use oemtrace::graph;
use oemtrace::trace::Tracer;
use oemtrace::vendordb::matcher::{Matcher, Scratch};
use oemtrace::vendordb::VendorDb;
use serde::de::IgnoredAny;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: audit-phases FILE [RUNS] [STAGES]");
        return ExitCode::FAILURE;
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let stages: Option<Vec<String>> = args
        .next()
        .map(|s| s.split(',').map(str::to_owned).collect());
    const STAGES: [&str; 7] = [
        "parse", "read", "match", "graph", "trace", "audit", "render",
    ];
    if let Some(unknown) = stages
        .iter()
        .flatten()
        .find(|s| !STAGES.contains(&s.as_str()))
    {
        eprintln!(
            "audit-phases: unknown stage {unknown:?}; stages: {}",
            STAGES.join(",")
        );
        return ExitCode::FAILURE;
    }
    let timed = |stage: &str| stages.as_ref().is_none_or(|s| s.iter().any(|x| x == stage));
    let skipped = Timing::default();
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("audit-phases: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let db = match VendorDb::embedded() {
        Ok(db) => db,
        Err(e) => {
            eprintln!("audit-phases: vendor db: {e}");
            return ExitCode::FAILURE;
        }
    };
    let parse = median(runs, || {
        let _ = serde_json::from_slice::<IgnoredAny>(&bytes);
    });
    // Only the read is timed: not the copy of the bytes it consumes, nor
    // dropping the document (the CLI never frees it).
    let read = if !timed("read") {
        skipped
    } else {
        median_of(runs, || {
            let copy = bytes.clone();
            let start = Instant::now();
            let doc = oemtrace::sbom::read(&path, copy);
            let elapsed = start.elapsed();
            drop(doc);
            elapsed
        })
    };
    let doc = match oemtrace::sbom::read(&path, bytes.clone()) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("audit-phases: {e}");
            return ExitCode::FAILURE;
        }
    };
    let docs = [doc];
    let matcher = Matcher::new(&db);
    let matching = if !timed("match") {
        skipped
    } else {
        median(runs, || {
            let mut scratch = Scratch::default();
            let n: usize = docs[0]
                .components
                .iter()
                .map(|c| matcher.match_with(c, docs[0].texts(), &mut scratch).len())
                .sum();
            std::hint::black_box(n);
        })
    };
    let graphing = if !timed("graph") {
        skipped
    } else {
        median(runs, || {
            std::hint::black_box(graph::build(&docs));
        })
    };
    let g = graph::build(&docs);
    let tracing = if !timed("trace") {
        skipped
    } else {
        median(runs, || {
            std::hint::black_box(Tracer::new(&g));
        })
    };
    let options = oemtrace::Options::default();
    let auditing = if !timed("audit") {
        skipped
    } else {
        median(runs, || {
            std::hint::black_box(oemtrace::audit(&docs, &db, &options));
        })
    };
    let report = oemtrace::audit(&docs, &db, &options);
    let rendering = if !timed("render") {
        skipped
    } else {
        median(runs, || {
            std::hint::black_box(oemtrace::report::json::render(&report));
        })
    };
    let base = parse.median.as_secs_f64();
    println!(
        "{path}: {} bytes, {} components, {} relationships, {} findings",
        bytes.len(),
        docs[0].components.len(),
        docs[0].relationships.len(),
        report.findings.len()
    );
    for (name, d) in [
        ("parse", parse),
        ("read", read),
        ("match", matching),
        ("graph", graphing),
        ("trace", tracing),
        ("audit", auditing),
        ("render", rendering),
    ] {
        if name != "parse" && !timed(name) {
            continue;
        }
        let ms = d.median.as_secs_f64() * 1e3;
        let min = d.min.as_secs_f64() * 1e3;
        println!(
            "{name:>7} {ms:>9.2} ms {:>6.2}x   fastest {min:>9.2} ms",
            d.median.as_secs_f64() / base
        );
    }
    ExitCode::SUCCESS
}

/// The median and the fastest of a stage's runs.
#[derive(Clone, Copy, Default)]
struct Timing {
    median: Duration,
    min: Duration,
}

fn median(runs: usize, mut f: impl FnMut()) -> Timing {
    median_of(runs, || {
        let start = Instant::now();
        f();
        start.elapsed()
    })
}

/// The median and the fastest of what `f` measured itself.
fn median_of(runs: usize, mut f: impl FnMut() -> Duration) -> Timing {
    let mut times: Vec<Duration> = (0..runs).map(|_| f()).collect();
    times.sort_unstable();
    Timing {
        median: times.get(times.len() / 2).copied().unwrap_or_default(),
        min: times.first().copied().unwrap_or_default(),
    }
}
