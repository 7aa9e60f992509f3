//! Reading: each JSON reader against `serde_json`'s parse of the same bytes
//! into `IgnoredAny`, the yardstick of docs/performance.md.
//!
//!     cargo bench --bench read
//!
//! 10,000 synthetic components with 4 dependency edges each (see
//! `support/synthetic.rs`); the 100k and 1M runs are `benches/compare.sh`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use serde::de::IgnoredAny;
use std::hint::black_box;

#[path = "support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use synthetic::Flavour;

const COMPONENTS: usize = 10_000;

fn reading(c: &mut Criterion) {
    for (label, flavour) in [("cyclonedx", Flavour::Cyclonedx), ("spdx", Flavour::Spdx)] {
        let bytes = synthetic::generate(COMPONENTS, 4, flavour, 1);
        let mut group = c.benchmark_group(format!("read/{label}-10k"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.sample_size(20);
        group.bench_function("ignored_any", |b| {
            b.iter(|| serde_json::from_slice::<IgnoredAny>(black_box(&bytes)))
        });
        // The reader takes the bytes by value (as the CLI hands them over);
        // the copy is made, and the document dropped, outside the timing.
        group.bench_function("sbom_read", |b| {
            b.iter_batched(
                || bytes.clone(),
                |bytes| oemtrace::sbom::read("bench.json", bytes),
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

criterion_group!(benches, reading);
criterion_main!(benches);
