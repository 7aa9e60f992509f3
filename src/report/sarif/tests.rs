use super::*;
use crate::model::{Confidence::*, FieldKind, Span};
use crate::policy::FailOn;
use crate::report::testutil::{finding, report};
use crate::report::{Location, WaiverRef};

fn sarif(r: &Report) -> Value {
    serde_json::from_str(&render(r)).expect("SARIF is JSON")
}

fn results(v: &Value) -> &Vec<Value> {
    v["runs"][0]["results"].as_array().expect("results")
}

#[test]
fn fnv1a_128_matches_the_published_test_vectors() {
    let hash = |s: &str| {
        let mut h = Fnv1a128::new();
        h.write(s.as_bytes());
        h.finish()
    };
    assert_eq!(hash(""), 0x6c62272e07bb014262b821756295c58d);
    assert_eq!(hash("a"), 0xd228cb696f1a8caf78912b704e4a8964);
}

#[test]
fn fingerprints_ignore_lines_but_not_identity() {
    let a = finding("fw.cdx.json", "scanner", Confirmed);
    let mut moved = a.clone();
    moved.evidence[0].location.line = 300;
    moved.evidence[0].span = Span::new(9_000, 18);
    let mut other_target = a.clone();
    other_target.target.id = "kaspersky/anti-virus".to_owned();
    let mut other_doc = a.clone();
    other_doc.component.document = "other.cdx.json".to_owned();

    let fp = |f: Finding| {
        let v = sarif(&report(vec![f], FailOn::Likely));
        results(&v)[0]["partialFingerprints"][FINGERPRINT_KEY]
            .as_str()
            .expect("fingerprint")
            .to_owned()
    };
    let base = fp(a.clone());
    assert_eq!(base.len(), 32);
    assert_eq!(base, fp(moved), "lines moved, identity kept");
    assert_ne!(base, fp(other_target));
    assert_ne!(base, fp(other_doc));
    assert_eq!(
        base,
        format!(
            "{:032x}",
            finding_hash(
                "fw.cdx.json",
                Some("scanner"),
                "scanner",
                Some("1.0"),
                "kaspersky"
            )
        )
    );
}

#[test]
fn fields_cannot_run_into_each_other() {
    let a = finding_hash("ab", None, "c", None, "t");
    let b = finding_hash("a", None, "bc", None, "t");
    let c = finding_hash("ab", Some(""), "c", None, "t");
    assert_ne!(a, b);
    assert_ne!(a, c);
}

#[test]
fn identical_findings_get_distinct_fingerprints() {
    let f = finding("fw.cdx.json", "scanner", Confirmed);
    let v = sarif(&report(vec![f.clone(), f], FailOn::Likely));
    let fps: Vec<&str> = results(&v)
        .iter()
        .map(|r| r["partialFingerprints"][FINGERPRINT_KEY].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), 2);
    assert_ne!(fps[0], fps[1]);
    assert!(fps[1].starts_with(fps[0]) && fps[1].ends_with(":2"));
}

#[test]
fn levels_follow_confidence() {
    let r = report(
        vec![
            finding("a.json", "x", Confirmed),
            finding("a.json", "y", Likely),
            finding("a.json", "z", Possible),
        ],
        FailOn::Likely,
    );
    let v = sarif(&r);
    let levels: Vec<&str> = results(&v)
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "warning", "note"]);
}

#[test]
fn one_rule_per_code_and_results_point_at_it() {
    let mut engine = finding("a.json", "y", Likely);
    engine.target.kind = "engine";
    engine.target.id = "kaspersky/anti-virus-sdk".to_owned();
    let r = report(
        vec![
            finding("a.json", "x", Confirmed),
            engine,
            finding("a.json", "z", Possible),
        ],
        FailOn::Likely,
    );
    let v = sarif(&r);
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["oemtrace/engine/kaspersky", "oemtrace/entity/kaspersky"]
    );
    for rule in rules {
        assert!(rule["help"]["text"]
            .as_str()
            .unwrap()
            .contains("What to do"));
        assert!(rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("**What to do.**"));
        assert_eq!(rule["defaultConfiguration"]["level"], "error");
    }
    for result in results(&v) {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn the_strongest_evidence_is_the_location_and_the_rest_related() {
    let mut f = finding("a.json", "x", Confirmed);
    let weak = |line: usize| EvidenceItem {
        kind: FieldKind::Copyright,
        field: "copyright",
        value: "(c) Kaspersky".to_owned(),
        matched: "kaspersky".to_owned(),
        location: Location {
            document: "a.json".to_owned(),
            line,
            column: 3,
        },
        confidence: Possible,
        note: None,
        source: 0,
        span: Span::new(line, 1),
    };
    let strong = f.evidence.remove(0);
    f.evidence = vec![weak(1), strong, weak(1), weak(2)];
    let v = sarif(&report(vec![f], FailOn::Likely));
    let result = &results(&v)[0];
    let primary = &result["locations"][0]["physicalLocation"];
    assert_eq!(primary["artifactLocation"]["uri"], "a.json");
    assert_eq!(primary["region"]["startLine"], 3);
    assert_eq!(primary["region"]["startColumn"], 15);
    assert_eq!(primary["region"]["endLine"], 3);
    assert_eq!(
        primary["region"]["endColumn"],
        15 + "\"AO Kaspersky Lab\"".chars().count()
    );
    let related = result["relatedLocations"].as_array().unwrap();
    let lines: Vec<u64> = related
        .iter()
        .map(|l| {
            l["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(lines, [1, 2], "the repeated weak evidence is listed once");
    assert_eq!(related[0]["id"], 0);
    assert_eq!(related[1]["id"], 1);
}

#[test]
fn message_and_properties_carry_the_finding() {
    let mut f = finding("a.json", "scanner", Confirmed);
    f.path_count = (1u128 << 53) + 1;
    let v = sarif(&report(vec![f], FailOn::Likely));
    let result = &results(&v)[0];
    let text = result["message"]["text"].as_str().unwrap();
    for part in [
        "scanner 1.0",
        "entity 'Kaspersky'",
        "confirmed",
        "Product -depends_on-> scanner",
        "9007199254740993 paths",
        "bis-entity-list",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    let p = &result["properties"];
    assert_eq!(p["confidence"], "confirmed");
    assert_eq!(
        p["path_count"], "9007199254740993",
        "beyond 2^53 as a string"
    );
    assert_eq!(p["path"][1]["edge"], "depends_on");
    assert_eq!(p["programs"][0], "bis-entity-list");
    assert_eq!(p["waived"], false);
    assert!(result.get("suppressions").is_none());

    assert_eq!(path_count(1 << 53), Value::from(1u64 << 53));
    assert_eq!(path_count(u128::MAX), Value::from(u128::MAX.to_string()));
}

#[test]
fn waived_findings_are_kept_as_suppressed() {
    let mut f = finding("a.json", "scanner", Confirmed);
    f.waived = true;
    f.waiver = Some(WaiverRef {
        reason: "test-only dependency".to_owned(),
        approved_by: "J. Doe".to_owned(),
        expires: Some("2027-01-31".to_owned()),
    });
    let v = sarif(&report(vec![f], FailOn::Likely));
    let result = &results(&v)[0];
    assert_eq!(result["level"], "error", "the level still says what it is");
    let s = &result["suppressions"][0];
    assert_eq!(s["kind"], "external");
    assert_eq!(s["justification"], "test-only dependency");
    assert_eq!(s["properties"]["approved_by"], "J. Doe");
    assert_eq!(result["properties"]["waived"], true);
    assert_eq!(v["runs"][0]["invocations"][0]["exitCode"], 0);
}

#[test]
fn artifact_uris_are_relative_with_forward_slashes_and_encoded() {
    assert_eq!(artifact_uri("fixtures/a.cdx.json"), "fixtures/a.cdx.json");
    assert_eq!(artifact_uri(r"vendor\x y.json"), "vendor/x%20y.json");
    assert_eq!(artifact_uri("100%.json"), "100%25.json");
    assert_eq!(
        artifact_uri("a:b.json"),
        "a%3Ab.json",
        "no scheme look-alike"
    );
    assert_eq!(
        artifact_uri("/srv/sboms/a.json"),
        "file:///srv/sboms/a.json"
    );
    assert_eq!(artifact_uri(r"C:\sboms\a.json"), "file:///C:/sboms/a.json");
    assert_eq!(artifact_uri("ключ.json"), "%D0%BA%D0%BB%D1%8E%D1%87.json");
    assert_eq!(artifact_uri("a#b?.json"), "a%23b%3F.json");
}

#[test]
fn diagnostics_become_notifications() {
    let mut r = report(vec![], FailOn::Likely);
    r.diagnostics.push(crate::report::ReportDiagnostic {
        level: Level::Warning,
        code: "dangling-ref",
        message: "dependency names bom-ref 'ghost'".to_owned(),
        document: "a.json".to_owned(),
        line: Some(4),
        column: Some(7),
        source: 0,
        span: None,
    });
    let v = sarif(&r);
    let n = &v["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "warning");
    assert_eq!(n["descriptor"]["id"], "dangling-ref");
    assert_eq!(
        n["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    assert!(results(&v).is_empty());
    assert_eq!(v["runs"][0]["tool"]["driver"]["rules"], json!([]));
}

#[test]
fn unreadable_inputs_are_a_failed_invocation_without_results() {
    let errors = [crate::report::json::ErrorItem {
        document: "fixtures/malformed/truncated.cdx.json".to_owned(),
        code: "oemtrace::read::syntax".to_owned(),
        message: "EOF while parsing a string".to_owned(),
        line: Some(76),
        column: Some(48),
    }];
    let v: Value = serde_json::from_str(&render_errors(&errors)).expect("JSON");
    let invocation = &v["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["exitCode"], 2);
    let n = &invocation["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    assert_eq!(n["descriptor"]["id"], "oemtrace::read::syntax");
    assert_eq!(
        n["locations"][0]["physicalLocation"]["region"]["startLine"],
        76
    );
    assert_eq!(v["runs"][0]["results"], json!([]));
}
