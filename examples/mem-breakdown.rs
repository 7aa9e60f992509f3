//! Where a read document's memory goes: the bytes each part of the model
//! holds (struct sizes times capacities, plus the heap of every string),
//! for one SBOM file.
//!
//!     cargo run --release --example mem-breakdown -- FILE
//!
//! The figures are computed from the model, not measured from the
//! allocator: structs are counted by length (capacity a vector has not
//! touched is not resident), and allocator overhead (about 8-16 bytes per
//! allocation) is counted apart, from the number of allocations.

use std::mem::size_of;
use std::process::ExitCode;

use oemtrace::model::{Component, Field, Reference, Relationship, Text};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: mem-breakdown FILE");
        return ExitCode::FAILURE;
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("mem-breakdown: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let file = bytes.len();
    let doc = match oemtrace::sbom::read(&path, bytes) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("mem-breakdown: {e}");
            return ExitCode::FAILURE;
        }
    };
    // A model string takes heap only when it is too long to sit inline.
    let heap = |t: &Text| {
        if t.is_heap_allocated() {
            t.capacity()
        } else {
            0
        }
    };
    let s = |o: &Option<Text>| o.as_ref().map_or(0, heap);
    let on_heap = |o: &Option<Text>| o.as_ref().is_some_and(Text::is_heap_allocated);
    let (mut comp_strings, mut allocs) = (0usize, 0usize);
    let (mut fields, mut field_slots) = (0usize, 0usize);
    for c in &doc.components {
        comp_strings += heap(&c.name)
            + s(&c.bom_ref)
            + s(&c.group)
            + s(&c.version)
            + c.unfielded_purl.as_ref().map_or(0, |p| p.len());
        allocs += [
            on_heap(&c.bom_ref),
            on_heap(&c.group),
            on_heap(&c.version),
            c.unfielded_purl.is_some(),
            c.name.is_heap_allocated(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        fields += c.fields.len();
        field_slots += c.fields.capacity();
        allocs += usize::from(c.fields.capacity() > 0);
    }
    // A value that is a range of the source takes no heap of its own; the
    // others are all in the document's own text, one allocation (its
    // length: the capacity past it, left by doubling, is never touched).
    let field_heap = doc.own_text.len();
    allocs += usize::from(field_heap > 0);
    // The references table: its slots, and each reference's string.
    let mut rel_heap = doc.references.capacity() * size_of::<Reference>();
    for r in &doc.references {
        rel_heap += r.value.capacity();
        allocs += usize::from(r.value.capacity() > 0);
    }
    allocs += usize::from(doc.references.capacity() > 0);
    let n = doc.components.len().max(1);
    let rows = [
        ("source text", file),
        (
            "components (structs)",
            doc.components.len() * size_of::<Component>(),
        ),
        ("component strings", comp_strings),
        ("fields (structs)", fields * size_of::<Field>()),
        ("field strings (own text)", field_heap),
        (
            "relationships (structs)",
            doc.relationships.len() * size_of::<Relationship>(),
        ),
        ("references (table and strings)", rel_heap),
    ];
    let total: usize = rows.iter().map(|r| r.1).sum();
    println!("{path}: {file} bytes, {} components, {fields} fields ({field_slots} slots), {} relationships", doc.components.len(), doc.relationships.len());
    println!(
        "sizes: Component {} B, Field {} B, Relationship {} B",
        size_of::<Component>(),
        size_of::<Field>(),
        size_of::<Relationship>()
    );
    for (name, b) in rows {
        println!(
            "{name:>26} {:>9.1} MB {:>6.1} B/component {:>5.2}x file",
            b as f64 / 1e6,
            b as f64 / n as f64,
            b as f64 / file as f64
        );
    }
    println!(
        "{:>26} {:>9.1} MB {:>6.1} B/component {:>5.2}x file",
        "total",
        total as f64 / 1e6,
        total as f64 / n as f64,
        total as f64 / file as f64
    );
    println!("{:>26} {allocs}", "heap allocations");
    ExitCode::SUCCESS
}
