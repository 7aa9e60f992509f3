//! One product in all four formats gives the same findings and the same
//! paths; `validate` and `audit --strict` on each format.

use assert_cmd::Command;
use serde_json::Value;

fn oemtrace() -> Command {
    let mut cmd = Command::cargo_bin("oemtrace").expect("binary builds");
    // Never a real vendor-db update cache of this machine.
    cmd.env(
        "OEMTRACE_CACHE_DIR",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/no-vendor-db-cache"),
    );
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn json(args: &[&str]) -> (i32, Value) {
    let out = oemtrace().args(args).output().expect("runs");
    let code = out.status.code().expect("exit code");
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, v)
}

const BASE: &str = "fixtures/four-formats/larchfield-brackengate-3";
const FORMATS: [(&str, &str); 4] = [
    ("cdx.json", "cyclonedx-json"),
    ("cdx.xml", "cyclonedx-xml"),
    ("spdx.json", "spdx-json"),
    ("spdx", "spdx-tag-value"),
];

/// What must agree across formats: per finding, the component, its
/// version, the confidence, the target, the path (names, versions, edges)
/// and the count; and the evidence kinds.
fn essence(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let path: Vec<String> = f["path"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| format!("{}@{} via {}", h["name"], h["version"], h["edge"]))
                .collect();
            let mut kinds: Vec<String> = f["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| format!("{}={}", e["kind"], e["confidence"]))
                .collect();
            kinds.sort();
            kinds.dedup();
            format!(
                "{} {} {} {} | {} | count {} | {}",
                f["component"]["name"],
                f["component"]["version"],
                f["confidence"],
                f["target"]["id"],
                path.join(" -> "),
                f["path_count"],
                kinds.join(",")
            )
        })
        .collect()
}

#[test]
fn the_same_product_in_four_formats_gives_the_same_findings_and_paths() {
    let mut seen = Vec::new();
    for (ext, format) in FORMATS {
        let file = format!("{BASE}.{ext}");
        let (code, report) = json(&["audit", "--format", "json", &file]);
        assert_eq!(code, 1, "{file}");
        assert_eq!(report["inputs"][0]["format"], format, "{file}");
        let e = essence(&report);
        assert_eq!(e.len(), 1, "{file}: {e:#?}");
        assert!(e[0].contains("\"kav-icap-core\""), "{file}: {e:?}");
        assert!(e[0].contains("count 2"), "{file}: {e:?}");
        // Each evidence points at a real line of its own file.
        let text = std::fs::read_to_string(&file).unwrap();
        for ev in report["findings"][0]["evidence"].as_array().unwrap() {
            let line = ev["location"]["line"].as_u64().unwrap() as usize;
            let value = ev["value"].as_str().unwrap();
            let shown = text.lines().nth(line - 1).unwrap_or("");
            let needle = value.split_whitespace().last().unwrap_or(value);
            assert!(
                shown.contains(needle),
                "{file}:{line} should show {value:?}: {shown:?}"
            );
        }
        seen.push((file, e));
    }
    let (first_file, first) = &seen[0];
    for (file, e) in &seen[1..] {
        assert_eq!(e, first, "{file} differs from {first_file}");
    }
}

#[test]
fn validate_checks_each_format_with_the_right_model() {
    let mut args = vec!["validate", "--format", "json"];
    let files: Vec<String> = FORMATS
        .iter()
        .map(|(ext, _)| format!("{BASE}.{ext}"))
        .collect();
    args.extend(files.iter().map(String::as_str));
    let (code, report) = json(&args);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["schema"], "oemtrace.validate/v1");
    let checked: Vec<&str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["checked_by"].as_str().unwrap())
        .collect();
    assert_eq!(
        checked[0],
        "cyclonedx-bom 0.8.1 and the CycloneDX 1.5 JSON schema"
    );
    assert_eq!(checked[1], "cyclonedx-bom 0.8.1");
    assert_eq!(checked[2], "spdx-rs 0.5.5");
    assert!(
        checked[3].starts_with("lenient checks only"),
        "{}",
        checked[3]
    );
    assert_eq!(report["summary"]["valid"], 4);
}

#[test]
fn validate_reports_schema_errors_with_positions() {
    let (code, report) = json(&[
        "validate",
        "--format",
        "json",
        "fixtures/malformed/wrong-types.cdx.json",
    ]);
    assert_eq!(code, 1);
    let doc = &report["documents"][0];
    assert_eq!(doc["valid"], false);
    let lines: Vec<u64> = doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["level"] == "error")
        .map(|i| i["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [5, 40, 81, 98, 107]);
}

#[test]
fn a_1_6_document_is_checked_against_the_json_schema_and_says_so() {
    let (code, report) = json(&[
        "validate",
        "--format",
        "json",
        "fixtures/android-app-purl-only.cdx.json",
    ]);
    assert_eq!(code, 0);
    let by = report["documents"][0]["checked_by"].as_str().unwrap();
    assert_eq!(by, "the CycloneDX 1.6 JSON schema");
}

#[test]
fn strict_audit_refuses_invalid_documents_and_passes_valid_ones() {
    let (code, report) = json(&[
        "audit",
        "--strict",
        "--format",
        "json",
        "fixtures/malformed/wrong-types.cdx.json",
    ]);
    assert_eq!(code, 2);
    assert!(report.get("findings").is_none());
    assert_eq!(report["errors"].as_array().unwrap().len(), 5);
    assert_eq!(report["errors"][0]["line"], 5);

    let (code, report) = json(&[
        "audit",
        "--strict",
        "--format",
        "json",
        &format!("{BASE}.spdx.json"),
    ]);
    assert_eq!(code, 1, "valid, and it has a finding");
    assert_eq!(report["summary"]["confirmed"], 1);
}
