//! Conformance: every public SBOM in the shared corpus (see its SOURCES.md)
//! is read; valid and real-world files read without error and yield no
//! confirmed or likely finding (none contains a Kaspersky component);
//! invalid files get an error or a diagnostic, and nothing panics.
//!
//! The corpus stays out of the repo. `OEMTRACE_CORPUS` names it (`.ci/run`
//! sets it); unset, `../shared/corpus` beside the repo is tried. If neither
//! exists the test fails: a conformance suite that silently reads nothing
//! proves nothing.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use oemtrace::model::Confidence;
use oemtrace::sbom::validate::validate;
use oemtrace::vendordb::VendorDb;

fn corpus_dir() -> PathBuf {
    let dir = match std::env::var_os("OEMTRACE_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    assert!(
        dir.join("SOURCES.md").is_file(),
        "the conformance corpus is not at {} (set OEMTRACE_CORPUS to the shared/corpus folder)",
        dir.display()
    );
    dir
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// What the corpus says a file is: `Some(false)` for the negative tests.
fn expected_valid(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let negative_spdx = [
        "BadJSON.spdx.json",
        "SPDXWrongVersion.spdx.json",
        "SPDXJSONExample-wrongversion.spdx.json",
    ];
    !(name.starts_with("invalid-")
        || name.starts_with("skip_invalid-")
        || name.starts_with("informal-invalid-")
        || negative_spdx.contains(&name))
}

#[derive(Default, Debug)]
struct Tally {
    files: usize,
    valid_read: usize,
    valid_failed: Vec<String>,
    valid_flagged: Vec<String>,
    invalid_error: usize,
    invalid_diagnostic: usize,
    invalid_validation: usize,
    invalid_silent: Vec<String>,
    unsupported: usize,
    panics: Vec<String>,
}

#[test]
fn every_corpus_file_reads_or_fails_cleanly() {
    let dir = corpus_dir();
    let mut files = Vec::new();
    files_under(&dir, &mut files);
    files.retain(|p| p.file_name().is_some_and(|n| n != "SOURCES.md"));
    files.sort();
    assert!(
        files.len() > 500,
        "corpus looks incomplete: {} files",
        files.len()
    );

    let db = VendorDb::embedded().expect("embedded vendor db loads");
    let mut t = Tally::default();
    for path in &files {
        t.files += 1;
        let shown = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string();
        let bytes = std::fs::read(path).expect("corpus file is readable");
        let valid = expected_valid(path);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let read = oemtrace::sbom::read(&shown, bytes);
            let report = read
                .as_ref()
                .ok()
                .map(|doc| oemtrace::audit(std::slice::from_ref(doc), &db, &Default::default()));
            (read, report)
        }));
        let Ok((read, report)) = outcome else {
            t.panics.push(shown);
            continue;
        };
        match (read, valid) {
            (Ok(_), true) => {
                t.valid_read += 1;
                let report = report.expect("audited");
                let strong: Vec<_> = report
                    .findings
                    .iter()
                    .filter(|f| f.confidence >= Confidence::Likely)
                    .map(|f| format!("{} ({})", f.component.name, f.confidence))
                    .collect();
                if !strong.is_empty() {
                    t.valid_flagged
                        .push(format!("{shown}: {}", strong.join(", ")));
                }
            }
            (Err(e), true) => {
                if is_unsupported(&e) {
                    t.unsupported += 1;
                } else {
                    t.valid_failed.push(format!("{shown}: {e}"));
                }
            }
            (Ok(doc), false) => {
                let report = report.expect("audited");
                if !doc.diagnostics.is_empty() || !report.diagnostics.is_empty() {
                    t.invalid_diagnostic += 1;
                } else {
                    // The lenient reader took it; strict validation is
                    // where a schema violation shows.
                    let strict = catch_unwind(AssertUnwindSafe(|| validate(&doc)));
                    match strict {
                        Err(_) => t.panics.push(format!("{shown} (validate)")),
                        Ok(v) if !v.is_valid() => t.invalid_validation += 1,
                        Ok(_) => t.invalid_silent.push(shown),
                    }
                }
            }
            (Err(e), false) => {
                if is_unsupported(&e) {
                    t.unsupported += 1;
                } else {
                    t.invalid_error += 1;
                }
            }
        }
    }

    println!("conformance corpus: {} files", t.files);
    println!("  valid, read without error:        {}", t.valid_read);
    println!(
        "  valid, failed to read:            {}",
        t.valid_failed.len()
    );
    println!(
        "  valid, confirmed/likely finding:  {}",
        t.valid_flagged.len()
    );
    println!("  invalid, rejected with an error:  {}", t.invalid_error);
    println!(
        "  invalid, read with a diagnostic:  {}",
        t.invalid_diagnostic
    );
    println!(
        "  invalid, caught by `validate`:    {}",
        t.invalid_validation
    );
    println!(
        "  invalid, not caught:              {}",
        t.invalid_silent.len()
    );
    println!("  format not supported yet:         {}", t.unsupported);
    println!("  panics:                           {}", t.panics.len());
    for s in &t.invalid_silent {
        println!("    not caught: {s}");
    }

    assert!(t.panics.is_empty(), "panicked on: {:#?}", t.panics);
    // Every invalid JSON file is caught: by the reader, or by `validate`
    // (the official models and the CycloneDX JSON schemas).
    let silent_json: Vec<&String> = t
        .invalid_silent
        .iter()
        .filter(|s| s.ends_with(".json"))
        .collect();
    assert!(
        silent_json.is_empty(),
        "invalid JSON files no check catches: {silent_json:#?}"
    );
    assert!(
        t.valid_failed.is_empty(),
        "valid files failed: {:#?}",
        t.valid_failed
    );
    assert!(
        t.valid_flagged.is_empty(),
        "false positives in clean SBOMs: {:#?}",
        t.valid_flagged
    );
    assert!(t.valid_read >= 580, "too few files read: {}", t.valid_read);
}

fn is_unsupported(e: &oemtrace::sbom::ReadError) -> bool {
    matches!(e, oemtrace::sbom::ReadError::Unsupported { .. })
}
