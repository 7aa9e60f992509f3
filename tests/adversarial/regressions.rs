//! Regressions: every input that once crashed, hung or blew up oemtrace
//! (the fuzzers' minimised crashes under tests/regressions/, and the
//! cases the adversarial tests found, generated here).

use std::path::Path;
use std::time::Duration;

use oemtrace::policy::waivers::Waivers;
use oemtrace::report::{self, human};
use oemtrace::vendordb::{LicensingFormat, VendorDb};

use crate::shapes::{audit, bom, report_diagnostics};
use crate::support::{code, read, within};

const SECOND: Duration = Duration::from_secs(1);

/// What one regression file produced, for the assertion message.
fn run_file(name: &str, bytes: Vec<u8>) -> String {
    let text = || String::from_utf8_lossy(&bytes).into_owned();
    if name.starts_with("read-") {
        return match oemtrace::sbom::read(name, bytes.clone()) {
            Ok(doc) => {
                let report = audit(vec![doc]);
                let _ = report::json::render(&report);
                let _ = human::render(&report, human::Style::plain());
                let _ = report::sarif::render(&report);
                let _ = report::markdown::render(&report);
                let _ = report::dot::render_dot(&report);
                format!("read: {} findings", report.findings.len())
            }
            Err(err) => {
                let code = code(&err);
                assert!(code.starts_with("oemtrace::read::"), "{name}: {err}");
                let empty = matches!(err, oemtrace::sbom::ReadError::Empty { .. });
                assert!(empty || err.line_col().is_some(), "{name}: no place: {err}");
                format!("error {code}")
            }
        };
    }
    let db_outcome = |result: Result<usize, oemtrace::vendordb::DbError>| match result {
        Ok(n) => format!("{n} records"),
        Err(err) => {
            let code = miette::Diagnostic::code(&err)
                .map(|c| c.to_string())
                .unwrap_or_default();
            assert!(code.starts_with("oemtrace::db::"), "{name}: {err}");
            format!("error {code}")
        }
    };
    if name.starts_with("vendordb-") {
        return db_outcome(VendorDb::from_toml(name, &text()).and_then(|db| {
            let n = db.entity_count() + db.engine_count() + db.product_count();
            let mut merged = VendorDb::embedded()?;
            merged.merge(db)?;
            Ok(n)
        }));
    }
    if let Some(format) = [
        ("licensing-csv-", LicensingFormat::Csv),
        ("licensing-toml-", LicensingFormat::Toml),
    ]
    .iter()
    .find_map(|(prefix, format)| name.starts_with(prefix).then_some(*format))
    {
        let mut db = VendorDb::embedded().expect("embedded db");
        return db_outcome(db.add_licensing(name, &text(), format));
    }
    if name.starts_with("waivers-") {
        return match Waivers::parse(name, text()) {
            Ok(w) => format!("{} waivers", w.len()),
            Err(err) => {
                let code = miette::Diagnostic::code(&err)
                    .map(|c| c.to_string())
                    .unwrap_or_default();
                assert!(code.starts_with("oemtrace::waiver"), "{name}: {err}");
                format!("error {code}")
            }
        };
    }
    panic!("{name}: no entry point for this prefix (see tests/regressions/README.md)");
}

#[test]
fn every_regression_file_has_a_clear_outcome() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/regressions")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 name")
            .to_owned();
        let bytes = std::fs::read(&path).expect("readable");
        let outcome = within(SECOND * 30, "regression", {
            let name = name.clone();
            move || run_file(&name, bytes)
        });
        eprintln!("{name}: {outcome}");
    }
}

/// Found by the 50 MB case: the matcher compared every name found in a
/// text with every other one (to keep only the longest), quadratic in the
/// number of mentions. 200,000 mentions took hours; now about a second.
#[test]
fn a_text_that_mentions_a_name_200000_times_is_matched_in_linear_time() {
    let description = "Kaspersky Anti-Virus ".repeat(200_000);
    let text = bom(&format!(
        "[{{\"name\": \"x\", \"description\": \"{description}\"}}]"
    ));
    let doc = read(SECOND * 20, "mentions.cdx.json", text.into_bytes()).expect("reads");
    let report = within(SECOND * 20, "audit", move || audit(vec![doc]));
    assert!(!report.findings.is_empty());
    assert_eq!(report_diagnostics(&report, "long-value").len(), 1);
}

/// Found by the 50 MB case: human output printed the whole line under
/// every label, so a big minified SBOM (one line) cost many times its
/// size in memory, per finding. Now a window of the line is shown.
#[test]
fn human_output_shows_a_window_of_a_long_line() {
    let filler = "{\"name\": \"filler\"},".repeat(100_000);
    let engine = "{\"name\": \"engine\", \"supplier\": {\"name\": \"AO Kaspersky Lab\"}, \
                  \"purl\": \"pkg:generic/kaspersky/anti-virus-sdk@8.0\"}";
    let text = bom(&format!("[{filler}{engine},{filler}{{\"name\": \"end\"}}]")).replace('\n', "");
    assert_eq!(text.lines().count(), 1);
    let size = text.len();
    let doc = read(SECOND * 20, "minified.cdx.json", text.into_bytes()).expect("reads");
    let report = within(SECOND * 30, "audit", move || audit(vec![doc]));
    assert!(!report.findings.is_empty());
    let out = within(SECOND * 30, "render", move || {
        human::render(&report, human::Style::plain())
    });
    assert!(out.contains("AO Kaspersky Lab"), "{out}");
    assert!(
        out.len() < 20_000,
        "{} bytes of output for a {size}-byte line",
        out.len()
    );
}

/// A component with `n` external references on the owner's domain, on
/// one line (minified) or one per line.
fn many_owner_urls(n: usize, minified: bool) -> String {
    let sep = if minified { " " } else { "\n" };
    let refs: Vec<String> = (0..n)
        .map(|i| format!("{{\"type\": \"website\", \"url\": \"https://www.kaspersky.com/p{i}\"}}"))
        .collect();
    let text = bom(&format!(
        "[{{\"bom-ref\": \"a\", \"name\": \"a\", \"externalReferences\": [{}]}}]",
        refs.join(&format!(",{sep}"))
    ));
    if minified {
        text.replace('\n', " ")
    } else {
        text
    }
}

/// Found by writing the cases above: the matcher kept one piece of
/// evidence per (target, field) by searching all evidence of the
/// component for each new one, quadratic in the number of matching
/// fields; 100,000 URLs on the owner's domain took minutes.
#[test]
fn a_component_with_100000_matching_fields_is_matched_in_linear_time() {
    let doc = read(
        SECOND * 20,
        "urls.cdx.json",
        many_owner_urls(100_000, false).into_bytes(),
    )
    .expect("reads");
    let report = within(SECOND * 30, "audit", move || audit(vec![doc]));
    let evidence: usize = report.findings.iter().map(|f| f.evidence.len()).sum();
    assert!(evidence >= 100_000, "{evidence}");
}

/// Found with the case above, minified: every location (evidence, a
/// diagnostic) counted the characters from the start of its line, so on a
/// one-line SBOM many locations cost time quadratic in its size.
#[test]
fn many_locations_on_one_long_line_are_found_in_linear_time() {
    let text = many_owner_urls(100_000, true);
    assert_eq!(text.lines().count(), 1);
    let doc = read(SECOND * 20, "urls.cdx.json", text.into_bytes()).expect("reads");
    let report = within(SECOND * 30, "audit", move || {
        let report = audit(vec![doc]);
        let _ = report::json::render(&report);
        report
    });
    let last = report
        .findings
        .iter()
        .flat_map(|f| &f.evidence)
        .map(|e| e.location.column)
        .max();
    assert!(last.is_some_and(|c| c > 5_000_000), "{last:?}");
}

/// Found with the cases above: miette draws a gutter column for each
/// label on every line of a snippet, so a finding with 100,000 pieces of
/// evidence printed tens of megabytes. Human output marks the first few.
#[test]
fn human_output_marks_a_few_pieces_of_evidence_and_counts_the_rest() {
    let doc = read(
        SECOND * 20,
        "urls.cdx.json",
        many_owner_urls(100_000, false).into_bytes(),
    )
    .expect("reads");
    let out = within(SECOND * 60, "audit and render", move || {
        human::render(&audit(vec![doc]), human::Style::plain())
    });
    assert!(out.len() < 50_000, "{} bytes", out.len());
    assert!(
        out.contains("more pieces of evidence are not marked above"),
        "{out}"
    );
}
