//! End-to-end runs of the real binary on the fixtures: exit codes, the
//! JSON report (snapshotted and checked against the contract's rules) and
//! the human output (snapshotted).

use assert_cmd::Command;
use serde_json::Value;

fn oemtrace() -> Command {
    let mut cmd = Command::cargo_bin("oemtrace").expect("binary builds");
    // Never a real vendor-db update cache of this machine.
    cmd.env(
        "OEMTRACE_CACHE_DIR",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/no-vendor-db-cache"),
    );
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS");
    cmd
}

/// Run `audit --format json` and return (exit code, report).
fn audit_json(args: &[&str]) -> (i32, Value) {
    let out = oemtrace()
        .args(["audit", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let code = out.status.code().expect("exit code");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 stdout");
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{stdout}"));
    (code, report)
}

fn audit_human(args: &[&str]) -> (i32, String, String) {
    let out = oemtrace()
        .args(["audit", "--color", "never"])
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// The findings as (component, confidence, target kind, path names, path_count).
fn findings(report: &Value) -> Vec<(String, String, String, Vec<String>, u64)> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["component"]["name"].as_str().unwrap_or("").to_owned(),
                f["confidence"].as_str().unwrap_or("").to_owned(),
                f["target"]["kind"].as_str().unwrap_or("").to_owned(),
                f["path"]
                    .as_array()
                    .expect("path")
                    .iter()
                    .map(|h| h["name"].as_str().unwrap_or("").to_owned())
                    .collect(),
                f["path_count"].as_u64().expect("path_count fits u64 here"),
            )
        })
        .collect()
}

fn strong(report: &Value) -> Vec<(String, String, String, Vec<String>, u64)> {
    findings(report)
        .into_iter()
        .filter(|f| f.1 == "confirmed" || f.1 == "likely")
        .collect()
}

/// Rules of report-contract.md that hold for every report.
fn check_contract(code: i32, report: &Value) {
    assert_eq!(report["schema"], "oemtrace.report/v1");
    assert_eq!(report["tool"]["name"], "oemtrace");
    assert_eq!(
        report["summary"]["exit_code"], code,
        "summary.exit_code is the exit code"
    );
    for key in ["version", "entities", "engines", "products"] {
        assert!(!report["db"][key].is_null(), "db.{key}");
    }
    let mut tiers = [0u64; 3];
    for f in report["findings"].as_array().expect("findings") {
        let confidence = f["confidence"].as_str().expect("confidence");
        let tier = ["confirmed", "likely", "possible"]
            .iter()
            .position(|t| *t == confidence)
            .expect("known tier");
        tiers[tier] += 1;
        let path = f["path"].as_array().expect("path");
        assert!(!path.is_empty());
        assert!(path[0]["edge"].is_null(), "first hop has no edge");
        for hop in &path[1..] {
            assert!(hop["edge"].is_string(), "later hops name their edge");
        }
        // The path ends at the component, or, for a vendor-db product record,
        // at the engine the record names, one hop past the component.
        let mut last = path.last().expect("non-empty");
        if last["document"] == "vendor-db" {
            assert_eq!(
                f["target"]["kind"], "product",
                "only product records add a hop"
            );
            last = &path[path.len() - 2];
        }
        assert_eq!(
            last["name"], f["component"]["name"],
            "path ends at the component"
        );
        assert!(!f["evidence"].as_array().expect("evidence").is_empty());
        for e in f["evidence"].as_array().expect("evidence") {
            assert!(e["location"]["line"].as_u64().expect("line") >= 1);
            assert!(e["location"]["column"].as_u64().expect("column") >= 1);
        }
        assert_eq!(f["waived"], false);
    }
    assert_eq!(report["summary"]["confirmed"], tiers[0]);
    assert_eq!(report["summary"]["likely"], tiers[1]);
    assert_eq!(report["summary"]["possible"], tiers[2]);
}

const FIXTURES: &[&str] = &[
    "mail-gateway-nested-engine",
    "router-dpi-cyrillic-supplier",
    "nas-cpe-only",
    "android-app-purl-only",
    "clean-product-with-decoys",
    "white-label-pedigree",
    "cycles-and-dangling",
    "branch-kit-netdefendos",
];

fn fixture(name: &str) -> String {
    format!("fixtures/{name}.cdx.json")
}

#[test]
fn json_reports_follow_the_contract_and_match_snapshots() {
    for name in FIXTURES {
        let (code, report) = audit_json(&[&fixture(name)]);
        check_contract(code, &report);
        let mut report = report;
        report["tool"]["version"] = Value::from("[version]");
        insta::assert_json_snapshot!(format!("json-{name}"), report);
    }
}

#[test]
fn human_reports_match_snapshots() {
    for name in FIXTURES {
        let (_, stdout, stderr) = audit_human(&[&fixture(name)]);
        assert!(stderr.is_empty(), "{name}: stderr: {stderr}");
        let stdout = stdout.replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(format!("human-{name}"), stdout);
    }
}

#[test]
fn nested_engine_is_confirmed_two_levels_down() {
    let (code, report) = audit_json(&[&fixture("mail-gateway-nested-engine")]);
    assert_eq!(code, 1);
    let strong = strong(&report);
    assert_eq!(strong.len(), 1, "{strong:?}");
    let (component, confidence, _, path, count) = &strong[0];
    assert_eq!(component, "kl-scan-core");
    assert_eq!(confidence, "confirmed");
    assert_eq!(
        path,
        &[
            "Frostmere MX-300 Mail Gateway",
            "mailscan-module",
            "frostmere-contentfilter",
            "kl-scan-core"
        ]
    );
    assert_eq!(*count, 1);
    let f = &report["findings"][0];
    let edges: Vec<_> = f["path"].as_array().unwrap()[1..]
        .iter()
        .map(|h| h["edge"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(edges, ["depends_on", "contains", "contains"]);
    // The supplier field is the evidence, pointing at its line.
    let supplier = f["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "supplier.name")
        .expect("supplier evidence");
    assert_eq!(supplier["value"], "AO Kaspersky Lab");
    assert_eq!(supplier["location"]["line"], 161);
    assert!(f["programs"]
        .as_array()
        .unwrap()
        .contains(&Value::from("icts-2024-kaspersky")));
}

#[test]
fn cyrillic_legal_name_is_confirmed_with_both_paths_counted() {
    let (code, report) = audit_json(&[&fixture("router-dpi-cyrillic-supplier")]);
    assert_eq!(code, 1);
    let strong = strong(&report);
    assert_eq!(strong.len(), 1, "{strong:?}");
    let (component, confidence, _, path, count) = &strong[0];
    assert_eq!(component, "libflowinspect");
    assert_eq!(confidence, "confirmed");
    assert_eq!(path.len(), 3, "shortest path is two hops: {path:?}");
    assert_eq!(*count, 2);
    let e = &report["findings"][0]["evidence"][0];
    assert_eq!(e["value"], "АО «Лаборатория Касперского»");
    assert_eq!(e["location"]["line"], 442);
}

#[test]
fn cpe_alone_is_enough() {
    let (code, report) = audit_json(&[&fixture("nas-cpe-only")]);
    assert_eq!(code, 1);
    let strong = strong(&report);
    assert_eq!(strong.len(), 1, "{strong:?}");
    assert_eq!(strong[0].0, "av-scanner-daemon");
    assert_eq!(strong[0].1, "confirmed");
    assert_eq!(report["findings"][0]["evidence"][0]["kind"], "cpe");
}

#[test]
fn purl_alone_is_enough() {
    let (code, report) = audit_json(&[&fixture("android-app-purl-only")]);
    assert_eq!(code, 1);
    let names: Vec<_> = strong(&report).into_iter().map(|f| f.0).collect();
    assert!(names.contains(&"kavsdk".to_owned()), "{names:?}");
    assert!(names.contains(&"kaspresso".to_owned()), "{names:?}");
}

#[test]
fn decoys_are_not_strong_findings() {
    let (code, report) = audit_json(&[&fixture("clean-product-with-decoys")]);
    assert_eq!(code, 0, "clean product passes the default gate");
    assert!(strong(&report).is_empty(), "{:?}", strong(&report));
}

#[test]
fn cycles_terminate_and_dangling_refs_are_diagnosed() {
    let (code, report) = audit_json(&[&fixture("cycles-and-dangling")]);
    assert_eq!(code, 1);
    let strong = strong(&report);
    assert_eq!(strong.len(), 1, "{strong:?}");
    assert_eq!(strong[0].0, "endpoint-scan-sdk");
    assert_eq!(strong[0].4, 1);
    let dangling: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "dangling-ref")
        .collect();
    assert_eq!(dangling.len(), 1, "{dangling:?}");
    assert_eq!(dangling[0]["line"], 253);
    assert!(dangling[0]["message"]
        .as_str()
        .unwrap()
        .contains("ghost-ref"));
}

#[test]
fn fail_on_sets_the_exit_code() {
    let f = fixture("mail-gateway-nested-engine");
    for (fail_on, expected) in [
        ("confirmed", 1),
        ("likely", 1),
        ("possible", 1),
        ("never", 0),
    ] {
        let (code, report) = audit_json(&["--fail-on", fail_on, &f]);
        assert_eq!(code, expected, "--fail-on {fail_on}");
        assert_eq!(report["summary"]["exit_code"], expected);
        assert_eq!(report["summary"]["fail_on"], fail_on);
    }
    // The clean product has at most possible findings: only `possible` can fail it.
    let clean = fixture("clean-product-with-decoys");
    let (code, report) = audit_json(&["--fail-on", "possible", &clean]);
    let possible = report["summary"]["possible"].as_u64().unwrap();
    assert_eq!(code, i32::from(possible > 0));
}

#[test]
fn several_inputs_form_one_report() {
    let (code, report) = audit_json(&[
        &fixture("clean-product-with-decoys"),
        &fixture("nas-cpe-only"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(report["inputs"].as_array().unwrap().len(), 2);
    assert_eq!(report["inputs"][1]["format"], "cyclonedx-json");
    assert_eq!(report["inputs"][1]["spec_version"], "1.4");
}

#[test]
fn malformed_inputs_exit_2_naming_file_line_and_column() {
    let cases = [
        ("fixtures/malformed/truncated.cdx.json", Some(76)),
        ("fixtures/malformed/not-json.cdx.json", Some(1)),
        ("fixtures/malformed/not-an-sbom.json", None),
        ("tests/does-not-exist.cdx.json", None),
    ];
    for (path, line) in cases {
        let (code, stdout, stderr) = audit_human(&[path]);
        assert_eq!(code, 2, "{path}");
        assert!(stdout.is_empty(), "{path}: no verdict on stdout: {stdout}");
        assert!(
            stderr.contains(path),
            "{path}: stderr names the file: {stderr}"
        );
        if let Some(line) = line {
            assert!(
                stderr.contains(&format!("{path}:{line}:")),
                "{path}: stderr gives line {line}: {stderr}"
            );
        }
        let (code, report) = audit_json(&[path]);
        assert_eq!(code, 2);
        assert!(report.get("findings").is_none(), "no partial verdict");
        assert_eq!(report["summary"]["exit_code"], 2);
        assert_eq!(report["errors"][0]["document"], path);
        if let Some(line) = line {
            assert_eq!(report["errors"][0]["line"], line, "{path}");
        }
    }
}

#[test]
fn one_bad_input_fails_the_run_but_every_error_is_shown() {
    let (code, report) = audit_json(&[
        "fixtures/malformed/truncated.cdx.json",
        &fixture("nas-cpe-only"),
        "fixtures/malformed/not-json.cdx.json",
    ]);
    assert_eq!(code, 2);
    assert_eq!(report["errors"].as_array().unwrap().len(), 2);
}

#[test]
fn wrong_types_are_read_leniently_with_diagnostics() {
    let (code, report) = audit_json(&["fixtures/malformed/wrong-types.cdx.json"]);
    assert_eq!(code, 1);
    // The product (metadata.component) and its five components: nothing dropped.
    assert_eq!(report["inputs"][0]["components"], 6);
    let wrong: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "wrong-type")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    // Each mistyped field the reader uses, at its line. (The BOM's own
    // `version` at line 5 is mistyped too, but oemtrace does not read it.)
    assert_eq!(wrong, [40, 81, 98, 107]);
    let strong = strong(&report);
    assert!(strong.iter().any(|f| f.0 == "kav4fs"), "{strong:?}");
}

#[test]
fn usage_errors_exit_2() {
    let out = oemtrace().args(["audit"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = oemtrace()
        .args(["audit", "--fail-on", "sometimes", "x.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = oemtrace().args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_texts_match_snapshots() {
    for args in [
        &["--help"][..],
        &["audit", "--help"][..],
        &["explain", "--help"][..],
        &["validate", "--help"][..],
    ] {
        let out = oemtrace().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        insta::assert_snapshot!(format!("help-{}", args.join("-")), text);
    }
}

#[test]
fn an_overlay_db_adds_records_on_top_of_the_embedded_one() {
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("in-house.cdx.json");
    std::fs::write(
        &sbom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"bom-ref":"p","name":"Appliance"}},
            "components":[{"bom-ref":"x","name":"mystery-av","version":"1.0"}]}"#,
    )
    .unwrap();
    // A company's own finding: `mystery-av` is a Kaspersky engine under another name.
    let overlay = dir.path().join("ours.toml");
    std::fs::write(
        &overlay,
        r#"
[[engine]]
id = "kaspersky/mystery-av"
name = "Mystery AV core"
category = "engine"
owner = "kaspersky"
sources = [{ url = "https://intranet.example/findings/42", grade = "A", quote = "mystery-av is KAV SDK rebuilt" }]

[[engine.ids]]
kind = "name"
values = ["mystery-av"]
sources = [{ url = "https://intranet.example/findings/42", grade = "A", quote = "mystery-av is KAV SDK rebuilt" }]
"#,
    )
    .unwrap();
    let sbom = sbom.to_str().unwrap();
    let overlay = overlay.to_str().unwrap();

    let (code, report) = audit_json(&[sbom]);
    assert_eq!(code, 0, "the embedded db does not know mystery-av");
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);

    let (code, report) = audit_json(&["--db", overlay, sbom]);
    assert_eq!(code, 1, "{report:#}");
    let f = &report["findings"][0];
    assert_eq!(f["target"]["id"], "kaspersky/mystery-av");
    assert_eq!(f["component"]["name"], "mystery-av");
    assert_eq!(report["db"]["engines"].as_u64().unwrap(), {
        let (_, base) = audit_json(&[sbom]);
        base["db"]["engines"].as_u64().unwrap() + 1
    });

    // Without the embedded db, the overlay's owner does not exist: exit 2, naming the file.
    let (code, report) = audit_json(&["--no-default-db", "--db", overlay, sbom]);
    assert_eq!(code, 2);
    assert_eq!(report["errors"][0]["document"], overlay);
}

#[test]
fn branded_only_programs_apply_to_the_product_not_to_embedded_parts() {
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("boxed.cdx.json");
    std::fs::write(
        &sbom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5",
            "metadata":{"component":{"bom-ref":"kav","name":"Kaspersky Anti-Virus","supplier":{"name":"AO Kaspersky Lab"}}},
            "components":[{"bom-ref":"x","name":"helper-lib","supplier":{"name":"AO Kaspersky Lab"}}]}"#,
    )
    .unwrap();
    let (code, report) = audit_json(&[sbom.to_str().unwrap()]);
    assert_eq!(code, 1);
    let programs = |name: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["component"]["name"] == name)
            .unwrap_or_else(|| panic!("a finding on {name}"))["programs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect()
    };
    // BOD 17-01 reaches Kaspersky-branded products, not code embedded in others.
    assert!(programs("Kaspersky Anti-Virus").contains(&"bod-17-01".to_owned()));
    assert!(!programs("helper-lib").contains(&"bod-17-01".to_owned()));
    assert!(programs("helper-lib").contains(&"icts-2024-kaspersky".to_owned()));
}

#[test]
fn a_structural_wrong_type_is_an_error_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("broken.cdx.json");
    std::fs::write(
        &sbom,
        "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n  \"components\": \"none\"\n}\n",
    )
    .unwrap();
    let path = sbom.to_str().unwrap();
    let (code, report) = audit_json(&[path]);
    assert_eq!(code, 2);
    assert_eq!(report["errors"][0]["line"], 4);
    assert_eq!(report["errors"][0]["code"], "oemtrace::read::wrong_type");
    let (code, _, stderr) = audit_human(&[path]);
    assert_eq!(code, 2);
    assert!(stderr.contains(&format!("{path}:4:")), "{stderr}");
}

#[test]
fn a_known_third_party_product_leads_to_the_engine_through_the_vendor_db() {
    let (code, report) = audit_json(&[&fixture("branch-kit-netdefendos")]);
    assert_eq!(code, 1);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(
        findings.len(),
        1,
        "Junos OS 23.4R1 is out of range: {findings:#?}"
    );
    let f = &findings[0];
    assert_eq!(f["confidence"], "confirmed");
    assert_eq!(f["target"]["kind"], "product");
    assert_eq!(f["target"]["id"], "d-link/netdefendos");
    let last = f["path"].as_array().unwrap().last().unwrap();
    assert_eq!(last["document"], "vendor-db");
    assert_eq!(last["edge"], "uses_signatures");
    assert_eq!(last["name"], "Kaspersky SafeStream");
    assert_eq!(f["evidence"][0]["location"]["line"], 29);

    // The human output shows the record as a related diagnostic in the TOML.
    let (_, stdout, _) = audit_human(&[&fixture("branch-kit-netdefendos")]);
    assert!(
        stdout.contains("vendor-db record `d-link/netdefendos`"),
        "{stdout}"
    );
    assert!(stdout.contains("[vendor-db/products.toml:"), "{stdout}");
}

#[test]
fn licensing_disclosures_add_records_and_unused_ones_warn() {
    let (code, report) = audit_json(&[
        "--licensing",
        "fixtures/licensing/frostmere-disclosure.toml",
        &fixture("mail-gateway-nested-engine"),
    ]);
    assert_eq!(code, 1);
    let products: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["target"]["kind"] == "product")
        .map(|f| {
            let path = f["path"].as_array().unwrap();
            (
                f["component"]["name"].as_str().unwrap().to_owned(),
                path.last().unwrap()["edge"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        products.contains(&("mailscan-module".to_owned(), "embeds".to_owned())),
        "{products:?}"
    );
    let unused: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "db-record-unused")
        .collect();
    assert_eq!(unused.len(), 1, "{unused:#?}");
    assert_eq!(
        unused[0]["document"],
        "fixtures/licensing/frostmere-disclosure.toml"
    );

    let (code, report) = audit_json(&[
        "--licensing",
        "fixtures/licensing/taigamark-disclosure.csv",
        &fixture("router-dpi-cyrillic-supplier"),
    ]);
    assert_eq!(code, 1);
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["component"]["name"] == "tgm-threat-shield"));

    // A broken disclosure is an input error.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "product,licensed_technology,licensor,license_type\nx,no-such-engine,AO Kaspersky Lab,oem\n").unwrap();
    let (code, report) = audit_json(&[
        "--licensing",
        bad.to_str().unwrap(),
        &fixture("nas-cpe-only"),
    ]);
    assert_eq!(code, 2);
    assert_eq!(report["errors"][0]["line"], 2);
}
