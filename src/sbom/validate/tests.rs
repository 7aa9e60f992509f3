//! Validation tests: small documents for each rule, and the public corpus
//! (valid spec files must pass, invalid ones must be caught).
//!
//! The corpus stays out of the repo: `OEMTRACE_CORPUS` names it, else
//! `../shared/corpus` beside the repo is tried (as in tests/corpus.rs).

use std::path::{Path, PathBuf};

use super::*;
use crate::model::{Document, Format, Level, Span};

fn corpus() -> PathBuf {
    let dir = match std::env::var_os("OEMTRACE_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    assert!(
        dir.join("SOURCES.md").is_file(),
        "the corpus is not at {} (set OEMTRACE_CORPUS)",
        dir.display()
    );
    dir
}

/// The files of a corpus folder ending in `ext`, sorted.
fn files(folder: &str, ext: &str) -> Vec<PathBuf> {
    let dir = corpus().join(folder);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(ext)))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no {ext} files in {}", dir.display());
    out
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned()
}

/// A CycloneDX JSON document read by the lenient reader.
fn cdx(text: &str) -> Document {
    crate::sbom::read("test.json", text.as_bytes().to_vec()).expect("the reader reads it")
}

fn cdx_file(path: &Path) -> Document {
    let bytes = std::fs::read(path).unwrap();
    crate::sbom::read(&file_name(path), bytes).expect("the reader reads it")
}

/// A document for a format whose reader is not on this branch: only the
/// source and format, which is all the official models look at.
fn by_hand(name: &str, format: Format, text: &str) -> Document {
    Document {
        name: name.to_owned(),
        source: crate::model::SourceText::from(text),
        own_text: String::new(),
        format,
        spec_version: None,
        serial_number: None,
        roots: Vec::new(),
        components: Vec::new(),
        relationships: Vec::new(),
        references: Vec::new(),
        diagnostics: Vec::new(),
        external_docs: Vec::new(),
        bom_refs: Default::default(),
    }
}

fn hand_file(path: &Path, format: Format) -> Document {
    let text = std::fs::read_to_string(path).unwrap();
    by_hand(&file_name(path), format, &text)
}

fn codes(v: &Validation) -> Vec<&'static str> {
    v.issues.iter().map(|i| i.code).collect()
}

fn of_code<'v>(v: &'v Validation, code: &str) -> Vec<&'v Diagnostic> {
    v.issues.iter().filter(|i| i.code == code).collect()
}

fn text(doc: &Document, span: Option<Span>) -> &str {
    let span = span.expect("a span");
    &doc.source[span.range()]
}

const COVERED: [&str; 3] = ["1.3", "1.4", "1.5"];

// ---- the corpus ---------------------------------------------------------

#[test]
fn valid_cyclonedx_json_of_covered_versions_passes_the_official_model() {
    let mut checked = 0;
    for version in COVERED {
        for path in files(&format!("cyclonedx-spec/{version}/valid"), ".json") {
            let doc = cdx_file(&path);
            let v = validate(&doc);
            let name = file_name(&path);
            assert_eq!(
                v.checked_by,
                Checker::CycloneDxBomAndSchema {
                    version: CYCLONEDX_BOM_VERSION,
                    spec: version,
                },
                "{name}"
            );
            assert_eq!(v.spec_version.as_deref(), Some(version), "{name}");
            assert!(of_code(&v, "schema").is_empty(), "{name}: {:#?}", v.issues);
            assert!(v.is_valid(), "{name}: {:#?}", v.issues);
            checked += 1;
        }
    }
    // 26 + 29 + 36 files in the corpus.
    assert_eq!(checked, 91);
}

#[test]
fn valid_cyclonedx_xml_of_covered_versions_passes_the_official_model() {
    let mut checked = 0;
    for version in COVERED {
        for path in files(&format!("cyclonedx-spec/{version}/valid"), ".xml") {
            let v = validate(&hand_file(&path, Format::CyclonedxXml));
            let name = file_name(&path);
            assert_eq!(v.spec_version.as_deref(), Some(version), "{name}");
            assert!(
                matches!(v.checked_by, Checker::CycloneDxBom { .. }),
                "{name}"
            );
            assert!(v.issues.is_empty(), "{name}: {:#?}", v.issues);
            checked += 1;
        }
    }
    assert_eq!(checked, 98);
}

/// The invalid spec files the checks miss, and why.
///
/// `invalid-license-choice-*`: a licence entry holding both `license` and
/// `expression`; cyclonedx-bom reads one and drops the other (JSON), and
/// no lenient check looks at licences.
const MISSED_JSON: [&str; 3] = [
    "invalid-license-choice-1.3.json",
    "invalid-license-choice-1.4.json",
    "invalid-license-choice-1.5.json",
];

#[test]
fn invalid_cyclonedx_json_of_covered_versions_is_caught() {
    let (mut caught, mut missed) = (0, Vec::new());
    for version in COVERED {
        for path in files(&format!("cyclonedx-spec/{version}/invalid"), ".json") {
            let name = file_name(&path);
            // The reader refuses some outright (e.g. a wrong bomFormat):
            // that is caught too, before validation.
            let Ok(doc) = crate::sbom::read(&name, std::fs::read(&path).unwrap()) else {
                caught += 1;
                continue;
            };
            let v = validate(&doc);
            if v.is_valid() {
                missed.push(name);
            } else {
                caught += 1;
            }
        }
    }
    eprintln!("invalid CycloneDX JSON 1.3–1.5: {caught} caught, missed {missed:?}");
    assert!(
        missed.iter().all(|m| MISSED_JSON.contains(&m.as_str())),
        "newly missed: {missed:?}"
    );
    assert_eq!(caught + missed.len(), 66);
}

#[test]
fn invalid_cyclonedx_xml_of_covered_versions_is_caught() {
    let (mut caught, mut missed) = (0, Vec::new());
    for version in COVERED {
        for path in files(&format!("cyclonedx-spec/{version}/invalid"), ".xml") {
            let v = validate(&hand_file(&path, Format::CyclonedxXml));
            if v.is_valid() {
                missed.push(file_name(&path));
            } else {
                caught += 1;
            }
        }
    }
    eprintln!("invalid CycloneDX XML 1.3–1.5: {caught} caught, missed {missed:?}");
    assert_eq!(
        missed,
        [
            "invalid-license-choice-1.3.xml",
            "invalid-license-choice-1.4.xml"
        ]
    );
    assert_eq!(caught, 70);
}

#[test]
fn a_namespace_of_no_cyclonedx_version_is_an_error() {
    let path = corpus().join("cyclonedx-spec/1.4/invalid/invalid-namespace-1.4.xml");
    let doc = hand_file(&path, Format::CyclonedxXml);
    let v = validate(&doc);
    assert!(matches!(v.checked_by, Checker::LenientOnly { .. }));
    assert_eq!(codes(&v), ["unknown-spec-version"]);
    assert_eq!(
        v.issues[0].message,
        "\"12\" is not a CycloneDX version (known: 1.0–1.7)"
    );
    assert_eq!(text(&doc, v.issues[0].span), "12");
}

#[test]
fn json_versions_the_official_model_does_not_cover_get_the_json_schema() {
    let mut checked = 0;
    for version in ["1.2", "1.6", "1.7"] {
        for path in files(&format!("cyclonedx-spec/{version}/valid"), ".json") {
            let name = file_name(&path);
            let v = validate(&cdx_file(&path));
            assert_eq!(v.checked_by, Checker::CycloneDxSchema { spec: version });
            assert_eq!(
                v.checked_by.to_string(),
                format!("the CycloneDX {version} JSON schema")
            );
            assert!(v.is_valid(), "{name}: {:#?}", v.issues);
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
}

#[test]
fn both_checkers_are_named() {
    let both = Checker::CycloneDxBomAndSchema {
        version: CYCLONEDX_BOM_VERSION,
        spec: "1.5",
    };
    assert_eq!(
        both.to_string(),
        "cyclonedx-bom 0.8.1 and the CycloneDX 1.5 JSON schema"
    );
}

/// An invalid spec file with the JSON path and the text of the `schema`
/// issue the JSON schema must report for it.
#[test]
fn invalid_json_the_official_model_does_not_cover_fails_the_json_schema() {
    for (file, path, value) in [
        (
            "1.6/invalid/invalid-component-type-1.6.json",
            "components[0].type",
            "\"foo\"",
        ),
        (
            "1.6/invalid/invalid-hash-alg-1.6.json",
            "components[0].hashes[0].alg",
            "\"FOO\"",
        ),
        (
            "1.2/invalid/invalid-scope-1.2.json",
            "components[0].scope",
            "\"foo\"",
        ),
    ] {
        let doc = cdx_file(&corpus().join("cyclonedx-spec").join(file));
        let v = validate(&doc);
        assert!(!v.is_valid(), "{file}");
        let schema = of_code(&v, "schema");
        let hit = schema
            .iter()
            .find(|i| i.message.starts_with(&format!("{path}: ")))
            .unwrap_or_else(|| panic!("{file}: {:#?}", v.issues));
        assert_eq!(hit.level, Level::Error);
        assert_eq!(text(&doc, hit.span), value, "{file}");
    }
}

#[test]
fn xml_versions_the_official_model_does_not_cover_say_so() {
    for (folder, version) in [
        ("cyclonedx-spec/1.2/valid", "1.2"),
        ("cyclonedx-spec/1.6/valid", "1.6"),
        ("cyclonedx-spec/1.7/valid", "1.7"),
    ] {
        let path = files(folder, ".xml").into_iter().next().unwrap();
        let v = validate(&hand_file(&path, Format::CyclonedxXml));
        let Checker::LenientOnly { why } = &v.checked_by else {
            panic!("{version}: {:?}", v.checked_by);
        };
        assert_eq!(
            why,
            &format!(
                "the official model (cyclonedx-bom 0.8.1) covers CycloneDX 1.3–1.5 only, \
                 not CycloneDX {version}; checked required fields, dangling and duplicate \
                 references only"
            )
        );
        assert!(of_code(&v, "schema").is_empty());
    }
}

#[test]
fn valid_1_6_files_pass_the_lenient_checks() {
    for path in files("cyclonedx-spec/1.6/valid", ".json") {
        let v = validate(&cdx_file(&path));
        assert!(v.is_valid(), "{}: {:#?}", file_name(&path), v.issues);
    }
}

/// SPDX 2.2/2.3 JSON in the corpus, with the negative tests apart.
fn spdx_json_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for folder in [
        "spdx/spdx-spec/v2.2",
        "spdx/spdx-spec/v2.3",
        "spdx/tools-java",
        "spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3",
        "spdx/spdx-examples/presentations/SBOMS-SPDX-Now-and-Future",
        "spdx/spdx-examples/software/example9/spdx2.2",
        "spdx/spdx-examples/software/example14/content",
        "spdx/spdx-examples/software/example7/spdx2.2",
        "spdx/spdx-examples/software/example8/spdx2.3",
        "spdx/spdx-examples/software/example10/spdx2.3",
        "spdx/spdx-examples/software/example11/spdx2.3",
        "spdx/spdx-examples/software/example12/spdx2.2",
        "spdx/spdx-examples/software/example14/spdx2.3",
    ] {
        out.extend(
            files(folder, ".json")
                .into_iter()
                .filter(|p| !(file_name(p).contains("v3.0") || file_name(p).contains("spdx3"))),
        );
    }
    out
}

#[test]
fn spdx_2_x_json_examples_pass_spdx_rs() {
    let negative = [
        "BadJSON.spdx.json",
        "SPDXWrongVersion.spdx.json",
        "SPDXJSONExample-wrongversion.spdx.json",
    ];
    let mut checked = 0;
    for path in spdx_json_files() {
        let name = file_name(&path);
        if negative.contains(&name.as_str()) {
            continue;
        }
        let v = validate(&hand_file(&path, Format::SpdxJson));
        assert_eq!(
            v.checked_by,
            Checker::SpdxRs {
                version: SPDX_RS_VERSION
            },
            "{name}"
        );
        assert!(v.issues.is_empty(), "{name}: {:#?}", v.issues);
        checked += 1;
    }
    assert_eq!(checked, 23);
}

#[test]
fn spdx_rs_rejection_points_at_the_value() {
    let path = corpus().join("spdx/tools-java/BadJSON.spdx.json");
    let doc = hand_file(&path, Format::SpdxJson);
    let v = validate(&doc);
    let schema = of_code(&v, "schema");
    assert_eq!(schema.len(), 1, "{:#?}", v.issues);
    assert_eq!(text(&doc, schema[0].span), "\"true\"");
    assert!(
        schema[0].message.starts_with(
            "packages[0].filesAnalyzed: invalid type: string \"true\", expected a boolean"
        ),
        "{}",
        schema[0].message
    );
}

#[test]
fn an_spdx_version_spdx_rs_does_not_know_is_lenient_only() {
    let path = corpus().join("spdx/tools-java/SPDXWrongVersion.spdx.json");
    let v = validate(&hand_file(&path, Format::SpdxJson));
    assert_eq!(v.spec_version.as_deref(), Some("SPDX-2.2.1"));
    assert_eq!(codes(&v), ["unknown-spec-version"]);
    let Checker::LenientOnly { why } = &v.checked_by else {
        panic!("{:?}", v.checked_by);
    };
    assert!(
        why.contains("covers SPDX 2.2 and 2.3 JSON only, not \"SPDX-2.2.1\""),
        "{why}"
    );
}

#[test]
fn spdx_tag_value_is_lenient_only_and_its_examples_have_their_fields() {
    let mut checked = 0;
    for folder in [
        "spdx/spdx-spec/v2.2",
        "spdx/spdx-spec/v2.3",
        "spdx/tools-java",
    ] {
        for path in files(folder, ".spdx") {
            let v = validate(&hand_file(&path, Format::SpdxTagValue));
            let Checker::LenientOnly { why } = &v.checked_by else {
                panic!("{:?}", v.checked_by);
            };
            assert!(
                why.contains("tag-value parser (spdx-rs 0.5.5) panics"),
                "{why}"
            );
            assert!(v.issues.is_empty(), "{}: {:#?}", file_name(&path), v.issues);
            checked += 1;
        }
    }
    assert_eq!(checked, 5);
}

// ---- the official CycloneDX model, in small -------------------------------

#[test]
fn a_schema_failure_names_the_json_path_and_points_at_the_value() {
    let doc = cdx(r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
  "components": [
    {"type": "library", "name": "ok"},
    {"type": "library", "name": "b", "hashes": [{"alg": "SHA-256", "content": "xyz"}]}
  ]
}"#);
    let v = validate(&doc);
    let schema = of_code(&v, "schema");
    assert_eq!(schema.len(), 1, "{:#?}", v.issues);
    assert_eq!(schema[0].level, Level::Error);
    assert!(
        schema[0]
            .message
            .starts_with("components[1].hashes[0].content: "),
        "{}",
        schema[0].message
    );
    assert_eq!(text(&doc, schema[0].span), "\"xyz\"");
    assert!(!v.is_valid());
}

#[test]
fn a_strict_parse_failure_points_into_the_object() {
    let doc = cdx(r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "components": [{"name": "untyped", "version": "1"}]
}"#);
    let v = validate(&doc);
    // The official model stops at the missing `type`; the lenient check
    // says the same in its own words.
    assert_eq!(codes(&v), ["schema", "missing-field"], "{:#?}", v.issues);
    let [schema, lenient] = [&v.issues[0], &v.issues[1]];
    assert!(
        schema
            .message
            .starts_with("components[0]: missing field `type` (the official model stops"),
        "{}",
        schema.message
    );
    assert_eq!(
        text(&doc, schema.span),
        r#"{"name": "untyped", "version": "1"}"#
    );
    assert_eq!(
        lenient.message,
        "component \"untyped\" has no `type` (required in every CycloneDX version)"
    );
}

#[test]
fn version_is_required_up_to_1_3_only() {
    let body = r#""components": [{"type": "library", "name": "nover"}]}"#;
    let old = validate(&cdx(&format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.3", "version": 1, {body}"#
    )));
    let missing = of_code(&old, "missing-field");
    assert_eq!(missing.len(), 1, "{:#?}", old.issues);
    assert!(missing[0]
        .message
        .contains("no `version` (required up to CycloneDX 1.3)"));
    assert!(!of_code(&old, "schema").is_empty());

    let new = validate(&cdx(&format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1, {body}"#
    )));
    assert!(new.issues.is_empty(), "{:#?}", new.issues);
}

#[test]
fn a_bom_link_in_1_4_is_the_official_models_limit_not_an_error() {
    let doc = cdx(r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
  "components": [{"type": "application", "name": "app", "externalReferences": [
    {"type": "bom", "url": "urn:cdx:411dafd2-c29f-491a-97d7-e97de5bc2289/1"}]}]
}"#);
    let v = validate(&doc);
    assert_eq!(codes(&v), ["official-model-limit"], "{:#?}", v.issues);
    assert_eq!(v.issues[0].level, Level::Warning);
    assert!(v.issues[0]
        .message
        .contains("components[0].externalReferences[0].url: BOM-Link not supported"));
    assert_eq!(
        text(&doc, v.issues[0].span),
        "\"urn:cdx:411dafd2-c29f-491a-97d7-e97de5bc2289/1\""
    );
    assert!(v.is_valid());
}

#[test]
fn an_affected_version_without_status_is_the_official_models_limit() {
    let doc = cdx(r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
  "components": [{"type": "application", "name": "app", "bom-ref": "app"}],
  "vulnerabilities": [{"id": "CVE-1", "affects": [{"ref": "app", "versions": [{"version": "5.1"}]}]}]
}"#);
    let v = validate(&doc);
    assert_eq!(codes(&v), ["official-model-limit"], "{:#?}", v.issues);
    assert!(v.issues[0]
        .message
        .contains("vulnerabilities[0].affects[0].versions[0]: missing field `status`"));
}

#[test]
fn unknown_and_missing_spec_versions_are_lenient_only() {
    let v = validate(&cdx(
        r#"{"bomFormat": "CycloneDX", "specVersion": "2.0", "components": []}"#,
    ));
    let Checker::LenientOnly { why } = &v.checked_by else {
        panic!("{:?}", v.checked_by);
    };
    assert!(why.contains("not CycloneDX 2.0"), "{why}");

    let v = validate(&cdx(
        r#"{"bomFormat": "CycloneDX", "components": [{"type": "library", "name": "a"}]}"#,
    ));
    assert!(matches!(v.checked_by, Checker::LenientOnly { .. }));
    // No specVersion breaks the spec: the reader's warning becomes an error.
    let version = of_code(&v, "unknown-spec-version");
    assert_eq!(version.len(), 1, "{:#?}", v.issues);
    assert_eq!(version[0].level, Level::Error);
}

// ---- lenient checks ---------------------------------------------------------

#[test]
fn dangling_and_duplicate_refs_are_errors() {
    let doc = cdx(r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.6",
  "components": [
    {"type": "library", "name": "a", "bom-ref": "a"},
    {"type": "library", "name": "a2", "bom-ref": "a"}
  ],
  "dependencies": [{"ref": "a", "dependsOn": ["ghost"]}]
}"#);
    let v = validate(&doc);
    assert_eq!(v.checked_by, Checker::CycloneDxSchema { spec: "1.6" });
    assert_eq!(
        codes(&v),
        ["duplicate-ref", "dangling-ref"],
        "{:#?}",
        v.issues
    );
    assert!(v.issues.iter().all(|i| i.level == Level::Error));
    assert_eq!(text(&doc, v.issues[1].span), "\"ghost\"");
}

#[test]
fn the_same_faults_in_a_covered_version_come_from_both_checkers() {
    let doc = cdx(r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "components": [
    {"type": "library", "name": "a", "bom-ref": "a"},
    {"type": "library", "name": "a2", "bom-ref": "a"}
  ],
  "dependencies": [{"ref": "a", "dependsOn": ["ghost"]}]
}"#);
    let v = validate(&doc);
    let mut schema: Vec<&str> = of_code(&v, "schema")
        .iter()
        .map(|i| i.message.as_str())
        .collect();
    schema.sort_unstable();
    assert_eq!(
        schema,
        [
            "bom-ref: Bom ref \"a\" is not unique",
            "dependencies: Dependency ref 'ghost' does not exist in the BOM",
        ]
    );
    assert_eq!(of_code(&v, "duplicate-ref").len(), 1);
    assert_eq!(of_code(&v, "dangling-ref").len(), 1);
}

#[test]
fn issues_are_ordered_by_position() {
    let doc = cdx(r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
  "components": [
    {"type": "library", "name": "a", "scope": "never"},
    {"name": "b"},
    {"type": "library", "name": "c", "purl": "not a purl"}
  ]
}"#);
    let v = validate(&doc);
    let offsets: Vec<usize> = v
        .issues
        .iter()
        .filter_map(|i| i.span)
        .map(|s| s.offset())
        .collect();
    assert!(offsets.windows(2).all(|w| w[0] <= w[1]), "{:#?}", v.issues);
    assert!(v.issues.len() >= 2, "{:#?}", v.issues);
}

#[test]
fn an_empty_bom_ref_is_an_error_from_1_6_on() {
    let body = r#""components": [{"type": "library", "name": "a", "bom-ref": ""}]}"#;
    let doc = cdx(&format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", {body}"#
    ));
    let new = validate(&doc);
    // The lenient check names the component; the 1.6 JSON schema points
    // at the empty value (`minLength`).
    assert_eq!(codes(&new), ["empty-ref", "schema"], "{:#?}", new.issues);
    assert!(new.issues.iter().all(|i| i.level == Level::Error));
    assert_eq!(text(&doc, new.issues[1].span), "\"\"");
    // The 1.5 JSON schema already says `minLength: 1` (cyclonedx-bom
    // accepts it): only the schema issue.
    let v1_5 = validate(&cdx(&format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, {body}"#
    )));
    assert_eq!(codes(&v1_5), ["schema"], "{:#?}", v1_5.issues);
    let old = validate(&cdx(&format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1, {body}"#
    )));
    assert!(old.issues.is_empty(), "{:#?}", old.issues);
}

#[test]
fn spdx_json_required_fields() {
    let text = r#"{
  "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "d",
  "documentNamespace": "https://example.com/d",
  "creationInfo": {"creators": ["Tool: x"]},
  "packages": [
    {"SPDXID": "SPDXRef-a", "name": "a", "downloadLocation": "NONE"},
    {"SPDXID": "SPDXRef-b", "name": "b"}
  ]
}"#;
    let doc = by_hand("d.spdx.json", Format::SpdxJson, text);
    let v = validate(&doc);
    let messages: Vec<&str> = of_code(&v, "missing-field")
        .iter()
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "the document has no `dataLicense`",
            "`creationInfo` has no `created`",
            "package \"b\" has no `downloadLocation`",
        ]
    );
    // spdx-rs stops at the first of them.
    assert_eq!(of_code(&v, "schema").len(), 1, "{:#?}", v.issues);
    let b = of_code(&v, "missing-field")[2];
    assert!(text_of(&doc, b.span).starts_with(r#"{"SPDXID": "SPDXRef-b""#));
}

fn text_of(doc: &Document, span: Option<Span>) -> String {
    text(doc, span).to_owned()
}

#[test]
fn cyclonedx_xml_without_a_version_in_the_source_is_lenient_only() {
    let doc = by_hand(
        "x.xml",
        Format::CyclonedxXml,
        r#"<?xml version="1.0"?><bom xmlns="urn:example"><components/></bom>"#,
    );
    let v = validate(&doc);
    assert_eq!(v.spec_version, None);
    let Checker::LenientOnly { why } = &v.checked_by else {
        panic!("{:?}", v.checked_by);
    };
    assert!(why.contains("whose version is unknown"), "{why}");
}

// ---- the guard and the versions --------------------------------------------

#[test]
fn a_panic_in_the_official_model_becomes_an_issue() {
    let (checker, issues) = guarded("some-crate", "9.9.9", || -> (Checker, Vec<Diagnostic>) {
        panic!("index out of bounds")
    });
    let Checker::LenientOnly { why } = checker else {
        panic!("{checker:?}");
    };
    assert!(why.contains("some-crate 9.9.9) crashed"), "{why}");
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].code, "official-model-panic");
    assert!(issues[0].message.contains("(index out of bounds)"));

    let (_, issues) = guarded("c", "1", || -> (Checker, Vec<Diagnostic>) {
        std::panic::panic_any(42_u8)
    });
    assert!(issues[0].message.contains("(no message)"));
}

#[test]
fn the_crate_versions_named_are_the_ones_locked() {
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    for (name, version) in [
        ("cyclonedx-bom", CYCLONEDX_BOM_VERSION),
        ("spdx-rs", SPDX_RS_VERSION),
    ] {
        let entry = format!("name = \"{name}\"\nversion = \"{version}\"\n");
        assert!(lock.contains(&entry), "Cargo.lock has no {name} {version}");
    }
}
