//! The whole audit on hostile documents: read (up to three documents,
//! separated by two NUL bytes, so that cross-document stitching is
//! reached), match against the embedded db, build the graph, trace, and
//! render the report in every format; then explain the first components.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use oemtrace::report::{self, human};
use oemtrace::select::ComponentId;
use oemtrace::vendordb::VendorDb;

fn db() -> &'static VendorDb {
    static DB: OnceLock<VendorDb> = OnceLock::new();
    DB.get_or_init(|| VendorDb::embedded().unwrap_or_else(|_| VendorDb::empty()))
}

fuzz_target!(|data: &[u8]| {
    let docs: Vec<_> = split(data)
        .into_iter()
        .enumerate()
        .filter_map(|(i, part)| oemtrace::sbom::read(&format!("doc{i}"), part.to_vec()).ok())
        .collect();
    if docs.is_empty() {
        return;
    }
    let report = oemtrace::audit(&docs, db(), &oemtrace::Options::default());
    let _ = report::json::render(&report);
    let _ = human::render(&report, human::Style::plain());
    let _ = report::sarif::render(&report);
    let _ = report::markdown::render(&report);
    let _ = report::github::render(&report);
    let _ = report::dot::render_dot(&report);
    let _ = report::dot::render_mermaid(&report);

    let some: Vec<ComponentId> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| (0..doc.components.len().min(3)).map(move |i| (d, i)))
        .map(|(doc, index)| ComponentId { doc, index })
        .collect();
    let _ = oemtrace::explain::explain(&docs, db(), &some, &[], 4);
});

/// Up to three parts of `data`, split at `\0\0`.
fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() < 2 {
        match rest.windows(2).position(|w| w == [0, 0]) {
            Some(at) => {
                parts.push(&rest[..at]);
                rest = &rest[at + 2..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}
