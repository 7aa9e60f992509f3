//! The stages of an audit after reading, each on its own, and the whole
//! `oemtrace::audit`:
//!
//!     cargo bench --bench audit
//!
//! - `match`: every component through the matcher, one after the other;
//! - `graph`: `graph::build`;
//! - `trace`: `Tracer::new` (shortest paths and path counts);
//! - `audit`: `oemtrace::audit` (matching on every core beside the graph,
//!   then tracing and the findings);
//! - `render_json`: the JSON report;
//!
//! on 10,000 synthetic components with 4 dependency edges each (see
//! `support/synthetic.rs`), and the whole audit of a 64-layer diamond
//! lattice (2^64 paths from the product to the engine).

use criterion::{criterion_group, criterion_main, Criterion};
use oemtrace::graph;
use oemtrace::model::Document;
use oemtrace::trace::Tracer;
use oemtrace::vendordb::matcher::{Matcher, Scratch};
use oemtrace::vendordb::VendorDb;
use std::hint::black_box;

#[path = "support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

#[path = "support/lattice.rs"]
mod lattice;

use lattice::lattice;

use synthetic::Flavour;

const COMPONENTS: usize = 10_000;

fn read(name: &str, bytes: Vec<u8>) -> Document {
    match oemtrace::sbom::read(name, bytes) {
        Ok(doc) => doc,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn stages(c: &mut Criterion) {
    let db = VendorDb::embedded().expect("the embedded vendor db loads");
    let options = oemtrace::Options::default();
    for (label, flavour) in [("cyclonedx", Flavour::Cyclonedx), ("spdx", Flavour::Spdx)] {
        let docs = [read(
            "bench.json",
            synthetic::generate(COMPONENTS, 4, flavour, 1),
        )];
        let matcher = Matcher::new(&db);
        let built = graph::build(&docs);
        let report = oemtrace::audit(&docs, &db, &options);
        assert!(!report.findings.is_empty(), "the planted engines are found");

        let mut group = c.benchmark_group(format!("audit/{label}-10k"));
        group.sample_size(20);
        group.bench_function("match", |b| {
            b.iter(|| {
                let mut scratch = Scratch::default();
                docs[0]
                    .components
                    .iter()
                    .map(|c| {
                        let texts = docs[0].texts();
                        matcher.match_with(black_box(c), texts, &mut scratch).len()
                    })
                    .sum::<usize>()
            })
        });
        group.bench_function("graph", |b| b.iter(|| graph::build(black_box(&docs))));
        group.bench_function("trace", |b| {
            b.iter(|| Tracer::new(black_box(&built)).path_count(built.roots[0]))
        });
        group.bench_function("audit", |b| {
            b.iter(|| oemtrace::audit(black_box(&docs), &db, &options))
        });
        group.bench_function("render_json", |b| {
            b.iter(|| oemtrace::report::json::render(black_box(&report)))
        });
        group.finish();
    }

    let docs = [read("lattice.cdx.json", lattice(64).into_bytes())];
    let report = oemtrace::audit(&docs, &db, &options);
    assert_eq!(
        report.findings.first().map(|f| f.path_count),
        Some(1u128 << 64),
        "2^64 paths to the engine"
    );
    c.bench_function("audit/lattice-64", |b| {
        b.iter(|| oemtrace::audit(black_box(&docs), &db, &options))
    });
}

criterion_group!(benches, stages);
criterion_main!(benches);
