//! The output formats and waivers on reports built by the real audit of
//! the fixtures: snapshots of every renderer, SARIF checked against the
//! official SARIF 2.1.0 schema (tests/data/sarif-schema-2.1.0.json, see
//! tests/data/README.md), and waivers end to end.

use std::path::Path;

use oemtrace::model::Document;
use oemtrace::policy::date::Date;
use oemtrace::policy::waivers::Waivers;
use oemtrace::policy::FailOn;
use oemtrace::report::{dot, github, markdown, sarif, Report};
use oemtrace::vendordb::VendorDb;
use oemtrace::Options;
use serde_json::Value;

const FIXTURES: &[&str] = &[
    "mail-gateway-nested-engine",
    "router-dpi-cyrillic-supplier",
    "nas-cpe-only",
    "android-app-purl-only",
    "clean-product-with-decoys",
    "white-label-pedigree",
    "cycles-and-dangling",
];

const EXAMPLE_WAIVERS: &str = "fixtures/waivers/example.toml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Read a fixture under the name the CLI would give it (relative to the
/// repository root).
fn read(name: &str) -> Document {
    let rel = format!("fixtures/{name}.cdx.json");
    let bytes = std::fs::read(root().join(&rel)).expect("fixture readable");
    oemtrace::sbom::read(&rel, bytes).expect("fixture parses")
}

fn audit_with(names: &[&str], fail_on: FailOn) -> Report {
    let docs: Vec<Document> = names.iter().map(|n| read(n)).collect();
    let db = VendorDb::embedded().expect("embedded db loads");
    oemtrace::audit(
        &docs,
        &db,
        &Options {
            fail_on,
            ..Options::default()
        },
    )
}

fn audit(name: &str) -> Report {
    audit_with(&[name], FailOn::default())
}

fn example_waivers() -> Waivers {
    let text = std::fs::read_to_string(root().join(EXAMPLE_WAIVERS)).expect("example waivers");
    Waivers::parse(EXAMPLE_WAIVERS, text).expect("example waivers parse")
}

fn day(s: &str) -> Date {
    Date::parse(s).expect("date")
}

/// The tool version out of the way, so snapshots survive a release.
fn unversioned(s: &str) -> String {
    s.replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"[version]\"",
    )
    .replace(
        &format!("oemtrace {}", env!("CARGO_PKG_VERSION")),
        "oemtrace [version]",
    )
}

// ---- snapshots ----

#[test]
fn sarif_snapshots() {
    for name in FIXTURES {
        insta::assert_snapshot!(
            format!("sarif-{name}"),
            unversioned(&sarif::render(&audit(name)))
        );
    }
}

#[test]
fn github_snapshots() {
    for name in FIXTURES {
        insta::assert_snapshot!(format!("github-{name}"), github::render(&audit(name)));
    }
}

#[test]
fn markdown_snapshots() {
    for name in FIXTURES {
        insta::assert_snapshot!(
            format!("markdown-{name}"),
            unversioned(&markdown::render(&audit(name)))
        );
    }
}

#[test]
fn dot_and_mermaid_snapshots() {
    for name in FIXTURES {
        let report = audit(name);
        insta::assert_snapshot!(format!("dot-{name}"), dot::render_dot(&report));
        insta::assert_snapshot!(format!("mermaid-{name}"), dot::render_mermaid(&report));
    }
}

#[test]
fn waived_report_snapshots() {
    let mut report = audit("android-app-purl-only");
    example_waivers().apply(&mut report, day("2026-11-26"));
    insta::assert_snapshot!(
        "markdown-android-waived",
        unversioned(&markdown::render(&report))
    );
    insta::assert_snapshot!("github-android-waived", github::render(&report));
}

// ---- SARIF against the official schema ----

fn schema_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json"))
        .expect("schema in tests/data");
    // The official schema's `run.language` and `artifact.language` pattern
    // has a lone `]`: a literal `]` in ECMA-262 (Annex B), the dialect JSON
    // Schema patterns are written in, but an error for Rust's regex engine,
    // so the meta-schema check refuses the schema. Escaping it keeps the
    // very same pattern; the file itself stays byte-identical to the one
    // shipped by its package (tests/data/README.md).
    const LONE_BRACKET: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    const ESCAPED: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#;
    assert_eq!(
        text.matches(LONE_BRACKET).count(),
        2,
        "the schema file changed"
    );
    let text = text.replace(LONE_BRACKET, ESCAPED);
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert_eq!(
        schema["$id"],
        "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, label: &str, sarif: &str) -> Value {
    let log: Value = serde_json::from_str(sarif).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{label}: {}", errors.join("\n"));
    log
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let validator = schema_validator();
    for name in FIXTURES {
        assert_valid_sarif(&validator, name, &sarif::render(&audit(name)));
    }
    // Several documents at once, every finding tier, diagnostics.
    let all = audit_with(FIXTURES, FailOn::Possible);
    assert_valid_sarif(&validator, "all fixtures", &sarif::render(&all));
    // Waived findings (suppressions) and waiver diagnostics.
    let mut waived = audit("android-app-purl-only");
    Waivers::parse(
        "w.toml",
        "[[waiver]]\ntarget = \"kaspersky/kaspresso\"\nreason = \"test only\"\napproved_by = \"A\"\n\
         [[waiver]]\nname = \"kavsdk\"\nreason = \"r\"\napproved_by = \"B\"\nexpires = 2020-01-01\n\
         [[waiver]]\nname = \"nothing\"\nreason = \"r\"\napproved_by = \"C\"\n",
    )
    .expect("waivers parse")
    .apply(&mut waived, day("2026-11-26"));
    let log = assert_valid_sarif(&validator, "waived", &sarif::render(&waived));
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(
        results
            .iter()
            .filter(|r| r["suppressions"][0]["justification"] == "test only")
            .count(),
        1
    );
    let notes = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    let codes: Vec<&str> = notes
        .as_array()
        .expect("notifications")
        .iter()
        .map(|n| n["descriptor"]["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(codes, ["waiver-expired", "waiver-unused"]);
}

#[test]
fn the_exit_2_sarif_validates_too() {
    let validator = schema_validator();
    let errors = vec![oemtrace::report::json::ErrorItem {
        document: "fixtures/malformed/not-json.cdx.json".to_owned(),
        code: "oemtrace::read::unknown_format".to_owned(),
        message: "not JSON".to_owned(),
        line: Some(1),
        column: Some(1),
    }];
    assert_valid_sarif(&validator, "errors", &sarif::render_errors(&errors));
}

#[test]
fn the_schema_check_catches_a_broken_log() {
    // The validator is not vacuous: a result without a message fails it.
    let validator = schema_validator();
    let mut log: Value =
        serde_json::from_str(&sarif::render(&audit("nas-cpe-only"))).expect("JSON");
    log["runs"][0]["results"][0]
        .as_object_mut()
        .expect("result")
        .remove("message");
    assert!(!validator.is_valid(&log));
    log["version"] = Value::from("2.0.0");
    assert!(!validator.is_valid(&log));
    // Formats are checked too: an artifact URI must be a URI reference.
    let mut log: Value =
        serde_json::from_str(&sarif::render(&audit("nas-cpe-only"))).expect("JSON");
    assert!(validator.is_valid(&log));
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("a b\\c.json");
    assert!(!validator.is_valid(&log));
}

#[test]
fn sarif_results_follow_what_code_scanning_needs() {
    let report = audit_with(FIXTURES, FailOn::Possible);
    let log: Value = serde_json::from_str(&sarif::render(&report)).expect("JSON");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), report.findings.len());
    let mut fingerprints = std::collections::HashSet::new();
    for (r, f) in results.iter().zip(&report.findings) {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert_eq!(uri, f.component.document, "relative path as given");
        let strongest = f.strongest_evidence().expect("evidence");
        assert_eq!(loc["region"]["startLine"], strongest.location.line);
        assert!(
            loc["region"]["endColumn"].as_u64().is_some(),
            "end from the span"
        );
        let fp = r["partialFingerprints"][sarif::FINGERPRINT_KEY]
            .as_str()
            .expect("fingerprint");
        assert!(
            fingerprints.insert(fp.to_owned()),
            "fingerprints are unique"
        );
        let text = r["message"]["text"].as_str().expect("message");
        assert!(text.contains(&f.component.name) && text.contains(f.confidence.as_str()));
    }
}

// ---- waivers end to end ----

#[test]
fn the_example_waiver_waives_kaspresso_only() {
    let mut report = audit("android-app-purl-only");
    assert_eq!(report.summary.exit_code, 1);
    example_waivers().apply(&mut report, day("2026-11-26"));
    let waived: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.waived)
        .map(|f| f.component.name.as_str())
        .collect();
    assert_eq!(waived, ["kaspresso"]);
    let w = report.findings[0].waiver.as_ref().expect("waiver recorded");
    assert!(w.reason.contains("test scope only"));
    assert_eq!(report.summary.waived, 1);
    assert_eq!(report.summary.exit_code, 1, "kavsdk (likely) still fails");
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);

    let json: Value = serde_json::from_str(&oemtrace::report::json::render(&report)).expect("JSON");
    assert_eq!(json["findings"][0]["waived"], true);
    assert_eq!(
        json["findings"][0]["waiver"]["approved_by"],
        "Fernhill Bank mobile security review (SEC-1042)"
    );
    assert!(
        json["findings"][1].get("waiver").is_none(),
        "absent when not waived"
    );
    assert_eq!(json["summary"]["waived"], 1);
}

#[test]
fn a_waived_confirmed_finding_exits_zero() {
    let mut report = audit_with(&["android-app-purl-only"], FailOn::Confirmed);
    assert_eq!(report.summary.exit_code, 1);
    example_waivers().apply(&mut report, day("2026-11-26"));
    assert_eq!(report.summary.exit_code, 0);
    assert_eq!(report.summary.confirmed, 1, "still counted in its tier");

    let mut cycles = audit("cycles-and-dangling");
    Waivers::parse(
        "w.toml",
        "[[waiver]]\nbom_ref = \"endpoint-scan-sdk\"\ndocument = \"fixtures/**\"\n\
         reason = \"replacement scheduled\"\napproved_by = \"CISO\"\nexpires = 2027-03-31\n",
    )
    .expect("parse")
    .apply(&mut cycles, day("2027-03-31"));
    assert_eq!(cycles.summary.exit_code, 0, "valid on its last day");
}

#[test]
fn an_expired_waiver_fails_the_gate_again_and_says_where() {
    let mut report = audit("cycles-and-dangling");
    let text = "# kiosk\n[[waiver]]\nname = \"endpoint-scan-sdk\"\nversion = \"2.1.4\"\n\
                reason = \"replacement scheduled\"\napproved_by = \"CISO\"\nexpires = 2027-03-31\n";
    Waivers::parse("kiosk-waivers.toml", text)
        .expect("parse")
        .apply(&mut report, day("2027-04-01"));
    assert_eq!(report.summary.exit_code, 1);
    assert_eq!(report.summary.waived, 0);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == "waiver-expired")
        .expect("expired warning");
    assert_eq!(d.document, "kiosk-waivers.toml");
    assert_eq!((d.line, d.column), (Some(7), Some(11)));
    // The human report can underline it: the file is a report source.
    let human = oemtrace::report::human::render(&report, oemtrace::report::human::Style::plain());
    assert!(human.contains("kiosk-waivers.toml:7:11"), "{human}");
    assert!(human.contains("oemtrace::waiver-expired"), "{human}");
}

#[test]
fn waivers_for_other_products_are_reported_unused() {
    let mut report = audit("nas-cpe-only");
    example_waivers().apply(&mut report, day("2026-11-26"));
    let unused: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "waiver-unused")
        .collect();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0].document, EXAMPLE_WAIVERS);
    assert_eq!(report.summary.exit_code, 1);
}

#[test]
fn load_reads_the_example_file() {
    let w = Waivers::load(&root().join(EXAMPLE_WAIVERS)).expect("loads");
    assert_eq!(w.len(), 1);
}

// ---- the CLI's audit ----

/// `audit_releasing`, which the CLI calls, frees the relationships once
/// the graph holds them; the report must not notice. Checked on every
/// fixture and on a delivery of three documents in three formats, whose
/// cross-document edges come from relationships too.
#[test]
fn auditing_with_relationships_released_gives_the_same_report() {
    let db = VendorDb::embedded().expect("embedded db loads");
    let delivery = [
        "fixtures/delivery/appliance.cdx.json",
        "fixtures/delivery/module.spdx.json",
        "fixtures/delivery/engine.spdx",
    ];
    let mut sets: Vec<Vec<Document>> = FIXTURES.iter().map(|n| vec![read(n)]).collect();
    sets.push(
        delivery
            .iter()
            .map(|rel| {
                let bytes = std::fs::read(root().join(rel)).expect("delivery readable");
                oemtrace::sbom::read(rel, bytes).expect("delivery parses")
            })
            .collect(),
    );
    for mut docs in sets {
        let options = Options::default();
        let relationships: usize = docs.iter().map(|d| d.relationships.len()).sum();
        assert!(relationships > 0, "{}: a fixture with edges", docs[0].name);
        let kept = oemtrace::audit(&docs, &db, &options);
        let released = oemtrace::audit_releasing(&mut docs, &db, &options);
        assert_eq!(
            oemtrace::report::json::render(&released),
            oemtrace::report::json::render(&kept),
            "{}",
            docs[0].name
        );
        assert!(docs.iter().all(|d| d.relationships.is_empty()));
        let counted: usize = released.inputs.iter().map(|i| i.relationships).sum();
        assert_eq!(counted, relationships, "inputs[] still count them");
    }
}
