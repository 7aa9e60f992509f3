//! A delivery of three documents in three formats, stitched into one
//! graph: an appliance (CycloneDX JSON) includes a module by purl; the
//! module's SBOM (SPDX JSON) links the engine kit's SBOM (SPDX tag-value)
//! through an external document reference with a checksum.

use assert_cmd::Command;
use serde_json::Value;

const APPLIANCE: &str = "fixtures/delivery/appliance.cdx.json";
const MODULE: &str = "fixtures/delivery/module.spdx.json";
const ENGINE: &str = "fixtures/delivery/engine.spdx";

fn audit(args: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("oemtrace")
        .expect("binary builds")
        .env(
            "OEMTRACE_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-vendor-db-cache"),
        )
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["audit", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        serde_json::from_slice(&out.stdout).expect("JSON"),
    )
}

fn finding<'a>(report: &'a Value, name: &str) -> Option<&'a Value> {
    report["findings"]
        .as_array()?
        .iter()
        .find(|f| f["component"]["name"] == name)
}

fn root<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["summary"]["roots"]
        .as_array()
        .expect("per-root summary")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("root {name}"))
}

#[test]
fn the_whole_delivery_links_the_appliance_to_the_engine() {
    let (code, report) = audit(&["fixtures/delivery"]);
    assert_eq!(code, 1);
    assert_eq!(report["inputs"].as_array().unwrap().len(), 3);
    let formats: Vec<_> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["format"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(formats, ["cyclonedx-json", "spdx-tag-value", "spdx-json"]);
    // The appliance reaches the engine through the module's SBOM.
    assert_eq!(root(&report, "Quarrow MailShield 2")["confirmed"], 1);
    assert!(finding(&report, "kav-core").is_some());
    // The checksum matches and every link resolves: nothing to report.
    assert_eq!(
        report["diagnostics"].as_array().unwrap().len(),
        0,
        "{:#}",
        report["diagnostics"]
    );
}

#[test]
fn explain_walks_across_the_three_documents() {
    let out = Command::cargo_bin("oemtrace")
        .unwrap()
        .env(
            "OEMTRACE_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-vendor-db-cache"),
        )
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "explain",
            "--format",
            "json",
            "--root",
            "mailshield",
            APPLIANCE,
            MODULE,
            ENGINE,
            "kav-core",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &v["explanations"][0];
    assert_eq!(e["path_count"], 2, "directly, and through postfix");
    let path = e["paths"][0].as_array().unwrap();
    let hops: Vec<(String, String, String)> = path
        .iter()
        .map(|h| {
            (
                h["name"].as_str().unwrap().to_owned(),
                h["edge"].as_str().unwrap_or("-").to_owned(),
                h["document"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    let expected = [
        ("Quarrow MailShield 2", "-", "appliance.cdx.json"),
        ("quarrow-scan-module", "depends_on", "appliance.cdx.json"),
        ("quarrow-scan-module", "same_as", "module.spdx.json"),
        ("engine-adapter", "contains", "module.spdx.json"),
        ("kav-core", "dynamic_link", "engine.spdx"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(hops, expected);
}

#[test]
fn stitching_does_not_depend_on_the_order_of_inputs() {
    let orders = [
        [APPLIANCE, MODULE, ENGINE],
        [APPLIANCE, ENGINE, MODULE],
        [MODULE, APPLIANCE, ENGINE],
        [MODULE, ENGINE, APPLIANCE],
        [ENGINE, APPLIANCE, MODULE],
        [ENGINE, MODULE, APPLIANCE],
    ];
    let mut seen: Option<Value> = None;
    for order in orders {
        let (code, report) = audit(&order);
        assert_eq!(code, 1);
        let mut findings = report["findings"].clone();
        let mut roots = report["summary"]["roots"].clone();
        // Sort what order may legitimately change: nothing else may differ.
        for list in [&mut findings, &mut roots] {
            if let Some(a) = list.as_array_mut() {
                a.sort_by_key(|x| x.to_string());
            }
        }
        let essence = serde_json::json!({ "findings": findings, "roots": roots });
        match &seen {
            None => seen = Some(essence),
            Some(first) => assert_eq!(&essence, first, "order {order:?}"),
        }
    }
}

#[test]
fn a_missing_middle_document_breaks_the_path_and_the_engine_still_shows() {
    let (code, report) = audit(&[APPLIANCE, ENGINE]);
    assert_eq!(code, 1, "the engine kit itself is flagged");
    assert_eq!(root(&report, "Quarrow MailShield 2")["exit_code"], 0);
    let f = finding(&report, "kav-core").expect("still a finding");
    assert_eq!(f["path"][0]["name"], "kav-core-kit");
}

#[test]
fn a_missing_engine_document_is_named_in_a_diagnostic() {
    let (code, report) = audit(&[APPLIANCE, MODULE]);
    assert_eq!(code, 0, "nothing flagged without the engine's SBOM");
    let unresolved: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unresolved-external-ref")
        .collect();
    assert_eq!(unresolved.len(), 1, "{unresolved:#?}");
    let message = unresolved[0]["message"].as_str().unwrap();
    assert!(message.contains("kav-core-kit-8.2-7d1c0b3e"), "{message}");
    assert!(unresolved[0]["line"].is_u64());
}

#[test]
fn a_checksum_that_does_not_match_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let engine =
        std::fs::read_to_string(ENGINE).unwrap() + "\n## edited after the module SBOM was made\n";
    let engine_path = dir.path().join("engine.spdx");
    std::fs::write(&engine_path, engine).unwrap();
    let (code, report) = audit(&[APPLIANCE, MODULE, engine_path.to_str().unwrap()]);
    assert_eq!(code, 1, "the link is still followed");
    assert!(report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "external-checksum-mismatch"));
    assert_eq!(root(&report, "Quarrow MailShield 2")["confirmed"], 1);
}
