//! Inputs shaped to hurt: nothing, noise, broken encodings, one enormous
//! value, enormous depth, enormous width, and XML that asks a reader to
//! expand or fetch entities.

use std::time::Duration;

use oemtrace::model::{Document, SourceText};
use oemtrace::report::{self, human, Report};
use oemtrace::sbom::ReadError;
use oemtrace::vendordb::VendorDb;

use crate::support::{
    assert_error_report, assert_read_error, audit_file, audit_with, code, diagnostic_at, line_col,
    peak_rss_of_case, read, within,
};

const SECOND: Duration = Duration::from_secs(1);
/// Peak memory allowed for the big cases (input, read, audit and reports).
const MEMORY_BOUND: u64 = 1 << 30;
/// How deep the deep cases nest.
const DEEP: usize = 100_000;

/// A CycloneDX JSON BOM with a root and `components` (already JSON).
pub fn bom(components: &str) -> String {
    format!(
        "{{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n  \
         \"metadata\": {{\"component\": {{\"bom-ref\": \"root\", \"name\": \"Product\"}}}},\n  \
         \"components\": {components}\n}}\n"
    )
}

/// Audits against the embedded db.
pub fn audit(docs: Vec<Document>) -> Report {
    let db = VendorDb::embedded().expect("embedded db loads");
    oemtrace::audit(&docs, &db, &oemtrace::Options::default())
}

/// Renders the JSON and the human report (both must be non-empty).
fn render_all(report: &Report) {
    assert!(!report::json::render(report).is_empty());
    assert!(!human::render(report, human::Style::plain()).is_empty());
}

/// The report diagnostics with `code`, as (line, column).
pub fn report_diagnostics(report: &Report, code: &str) -> Vec<(usize, usize)> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let place = d.line.zip(d.column);
            place.unwrap_or_else(|| panic!("{code} without a place: {d:?}"))
        })
        .collect()
}

// ---- nothing, noise, encodings -------------------------------------------

#[test]
fn an_empty_file_is_its_own_error() {
    for bytes in [Vec::new(), b" \n\t\r\n".to_vec(), "\u{feff}".into()] {
        let err = read(SECOND * 5, "empty.json", bytes).unwrap_err();
        assert!(matches!(err, ReadError::Empty { .. }), "{err}");
        assert_eq!(code(&err), "oemtrace::read::empty");
        // Nothing to point at, but the file is named.
        assert_eq!(err.to_string(), "empty.json: the file is empty");
    }
    let (exit, json) = audit_file(SECOND * 30, "empty.json", b"");
    assert_error_report(exit, &json, "oemtrace::read::empty", false);
}

/// A fixed pseudo-random byte stream (xorshift), so failures reproduce.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn binary_data_is_refused_at_its_first_bad_byte() {
    let bytes = noise(1 << 20, 7);
    let err = read(SECOND * 10, "noise.bin", bytes.clone()).unwrap_err();
    assert_read_error(&err, "oemtrace::read::not_utf8");
    let ReadError::NotUtf8 { offset, .. } = err else {
        unreachable!("checked by its code")
    };
    let valid = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
    assert_eq!(offset, valid);
    let (exit, json) = audit_file(SECOND * 30, "noise.bin", &bytes);
    assert_error_report(exit, &json, "oemtrace::read::not_utf8", true);
}

#[test]
fn control_characters_that_are_utf8_are_no_sbom() {
    // Valid UTF-8 but no format: every byte below 0x80, NULs included.
    for seed in [11, 12, 13] {
        let bytes: Vec<u8> = noise(1 << 16, seed).into_iter().map(|b| b & 0x7f).collect();
        let err = read(SECOND * 10, "ascii.bin", bytes).unwrap_err();
        let code = code(&err);
        let expected = [
            "oemtrace::read::unknown_format",
            "oemtrace::read::syntax",
            "oemtrace::read::not_an_sbom",
        ];
        assert!(expected.contains(&code.as_str()), "{err}");
        assert_read_error(&err, &code);
    }
}

#[test]
fn invalid_utf8_is_located_on_its_line() {
    let cases: [(&str, &[u8]); 4] = [
        ("truncated sequence", b"\xc3("),
        ("overlong slash", b"\xc0\xaf"),
        ("encoded surrogate", b"\xed\xa0\x80"),
        ("past U+10FFFF", b"\xf4\x90\x80\x80"),
    ];
    for (what, bad) in cases {
        let text = bom("[\n    {\"name\": \"ok\"},\n    {\"name\": \"XX\"}\n  ]");
        let at = text.find("XX").expect("placeholder");
        let mut bytes = text.as_bytes()[..at].to_vec();
        bytes.extend_from_slice(bad);
        bytes.extend_from_slice(&text.as_bytes()[at + 2..]);
        let err = read(SECOND * 5, "bad.cdx.json", bytes).unwrap_err();
        let place = assert_read_error(&err, "oemtrace::read::not_utf8");
        assert_eq!(place, line_col(&text, at), "{what}");
    }
}

// ---- one enormous value -----------------------------------------------------

/// A BOM whose component `name` is a 50 MB string that mentions an
/// engine over and over (with an escape, so that it is decoded, not
/// borrowed).
fn fifty_megabyte_name() -> Vec<u8> {
    let mut name = String::with_capacity(50 << 20);
    while name.len() < 50 << 20 {
        name.push_str("Kaspersky Anti-Virus SDK \\u00e9 ");
    }
    bom(&format!(
        "[\n    {{\"bom-ref\": \"big\", \"name\": \"{name}\"}}\n  ]"
    ))
    .into_bytes()
}

#[test]
fn a_50_megabyte_string_value_is_matched_on_its_start_and_said_so() {
    let bytes = fifty_megabyte_name();
    let head = std::str::from_utf8(&bytes[..1000]).expect("ASCII");
    let at = line_col(head, head.find("\"Kaspersky").expect("the value"));
    let doc = read(SECOND * 20, "big.cdx.json", bytes).expect("reads");
    assert_eq!(doc.components.len(), 2);
    let report = within(SECOND * 20, "audit", move || audit(vec![doc]));
    // The matcher reads the first 64 KiB of the value: enough to see the
    // mention, and the rest is a `long-value` warning at the string.
    assert_eq!(report_diagnostics(&report, "long-value"), [at]);
    assert!(!report.findings.is_empty());
    for evidence in report.findings.iter().flat_map(|f| &f.evidence) {
        assert!(evidence.value.len() <= oemtrace::vendordb::matcher::MAX_MATCHED_LEN);
    }
    // Both reports quote the component's name, 50 MB each time: linear,
    // but slow in a debug build.
    within(SECOND * 120, "render", move || render_all(&report));
}

#[test]
fn a_50_megabyte_string_value_stays_under_the_memory_bound() {
    let peak = peak_rss_of_case("fifty-megabytes", SECOND * 240);
    assert!(peak < MEMORY_BOUND, "peak {} MiB", peak >> 20);
}

#[test]
fn a_50_megabyte_value_nobody_reads_costs_one_scan() {
    let mut bytes = bom("[]").into_bytes();
    bytes.truncate(bytes.len() - 2);
    bytes.extend_from_slice(b",\n  \"x-notes\": \"");
    bytes.resize(bytes.len() + (50 << 20), b'x');
    bytes.extend_from_slice(b"\"\n}\n");
    let doc = read(SECOND * 20, "notes.cdx.json", bytes).expect("reads");
    assert_eq!(doc.components.len(), 1);
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    let report = within(SECOND * 20, "audit", move || {
        let report = audit(vec![doc]);
        render_all(&report);
        report
    });
    assert!(report.findings.is_empty());
}

// ---- an error far into one long line ----------------------------------------

/// A minified CycloneDX BOM (one line, as SBOM tools write them) of
/// `count` components, the last one `last`.
fn one_line(count: usize, last: &str) -> String {
    let mut text = String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":["#);
    for i in 0..count {
        text.push_str(&format!(
            r#"{{"type":"library","name":"n{i}","version":"1"}},"#
        ));
    }
    text.push_str(last);
    text.push_str("]}");
    text
}

#[test]
fn an_error_far_into_a_long_line_is_shown_in_a_window_not_a_panic() {
    // miette laid the whole line out under the error, and its formatting
    // panicked on a column past 65,535 ("Formatting argument out of
    // range"); on a line of 101 MB it took 7 s and 1.3 GB first.
    let mut cut = one_line(20_000, r#"{"name":"last"}"#);
    cut.truncate(cut.len() - 2);
    // A schema error, seen under --strict only: `type` must be a string.
    let invalid = one_line(20_000, r#"{"type":5,"name":"last"}"#);
    for (text, args, want) in [
        (&cut, &["--format", "json"][..], "oemtrace::read::syntax"),
        (&cut, &[][..], "oemtrace::read::syntax"),
        (
            &invalid,
            &["--strict", "--format", "json"][..],
            "oemtrace::strict::invalid",
        ),
    ] {
        assert!(text.len() > 800_000 && !text.contains('\n'));
        let (exit, stdout, stderr) =
            audit_with(SECOND * 20, "line.cdx.json", text.as_bytes(), args);
        let stderr = String::from_utf8_lossy(&stderr);
        assert_eq!(exit, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
        assert!(stderr.len() < 8 * 1024, "{args:?}: {} bytes", stderr.len());
        if args.contains(&"json") {
            let json: serde_json::Value = serde_json::from_slice(&stdout).expect("JSON");
            assert!(
                json["errors"][0]["column"].as_u64() > Some(800_000),
                "{json:#}"
            );
        }
    }
}

// ---- enormous depth -------------------------------------------------------

/// `open` DEEP times, `middle`, `close` DEEP times.
fn nest(open: &str, middle: &str, close: &str) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * DEEP + middle.len());
    for _ in 0..DEEP {
        s.push_str(open);
    }
    s.push_str(middle);
    for _ in 0..DEEP {
        s.push_str(close);
    }
    s
}

#[test]
fn deep_nesting_where_the_reader_does_not_look_is_skipped_in_one_pass() {
    for (what, value) in [
        ("arrays", nest("[", "1", "]")),
        ("objects", nest("{\"a\":", "1", "}")),
    ] {
        let text = bom(&format!("[{{\"name\": \"c\", \"x-deep\": {value}}}]"));
        let doc = read(SECOND * 20, "deep.cdx.json", text.into_bytes()).expect(what);
        assert_eq!(doc.components.len(), 2, "{what}");
        assert!(doc.diagnostics.is_empty(), "{what}: {:?}", doc.diagnostics);
    }
}

#[test]
fn deep_nesting_in_a_field_is_a_located_wrong_type() {
    for (field, value) in [
        ("name", nest("[", "1", "]")),
        ("supplier", nest("{\"name\":", "1", "}")),
        ("hashes", nest("[", "1", "]")),
    ] {
        let text = bom(&format!(
            "[\n    {{\"bom-ref\": \"c\", \"{field}\": {value}}}\n  ]"
        ));
        let doc = read(SECOND * 20, "deep.cdx.json", text.clone().into_bytes()).expect(field);
        let wrong: Vec<_> = doc
            .diagnostics
            .iter()
            .filter(|d| d.code == "wrong-type")
            .collect();
        assert_eq!(wrong.len(), 1, "{field}: {:?}", doc.diagnostics);
        let (line, column) = diagnostic_at(&doc, wrong[0]);
        assert_eq!(line, 6, "{field}");
        assert!(column > 1, "{field}");
    }
}

#[test]
fn deeply_nested_json_documents_are_refused_at_the_limit() {
    let cases = [
        (
            "top-level array",
            nest("[", "", "]"),
            "oemtrace::read::not_an_sbom",
        ),
        (
            "nested components",
            bom(&nest("[{\"name\": \"n\", \"components\": ", "[]", "}]")),
            "oemtrace::read::too_deep",
        ),
        (
            "pedigree ancestors",
            bom(&nest(
                "[{\"name\": \"n\", \"pedigree\": {\"ancestors\": ",
                "[]",
                "}}]",
            )),
            "oemtrace::read::too_deep",
        ),
        (
            "nested dependencies",
            format!(
                "{{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [],\n \
                 \"dependencies\": {}}}",
                nest("[{\"ref\": \"r\", \"dependsOn\": ", "[]", "}]")
            ),
            "oemtrace::read::too_deep",
        ),
        (
            "SPDX JSON package field",
            format!(
                "{{\"spdxVersion\": \"SPDX-2.3\", \"SPDXID\": \"SPDXRef-DOCUMENT\",\n \
                 \"packages\": [{{\"SPDXID\": \"SPDXRef-a\", \"name\": \"a\", \"x\": {}}}]}}",
                nest("[", "", "]")
            ),
            "",
        ),
    ];
    // A bound that catches a hang, not a benchmark. Before the reader
    // remembered the ends of big values (`json::Known`), each of the 64
    // levels read walked the 4.4 MB below it again, pedigree ancestors
    // three times a level: 18 s in a debug build on 2026-11-29's AMD
    // machine, over 20 s among `.ci/run`'s parallel tests. The unit test
    // `nested_components_are_walked_about_once_not_once_a_level` counts
    // the bytes walked.
    for (what, text, want) in cases {
        let result = read(SECOND * 20, "deep.json", text.into_bytes());
        match (result, want) {
            (Err(err), want) if !want.is_empty() => {
                assert_read_error(&err, want);
            }
            // Not refused: it must still have been read, in bounded time.
            (Ok(doc), "") => assert!(!doc.components.is_empty(), "{what}"),
            (other, _) => panic!("{what}: {:?}", other.map(|d| d.components.len())),
        }
    }
}

#[test]
fn a_too_deep_document_exits_2_with_its_place() {
    let text = bom(&nest("[{\"name\": \"n\", \"components\": ", "[]", "}]"));
    let (exit, json) = audit_file(SECOND * 60, "deep.cdx.json", text.as_bytes());
    assert_error_report(exit, &json, "oemtrace::read::too_deep", true);
}

#[test]
fn deeply_nested_xml_is_refused_at_the_limit() {
    let head = "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n";
    let cases = [
        (
            "components",
            nest(
                "<components><component type=\"library\"><name>n</name>",
                "",
                "</component></components>",
            ),
        ),
        ("unknown elements", nest("<x>", "", "</x>")),
        (
            "foreign namespace",
            nest("<e:x xmlns:e=\"urn:example\">", "", "</e:x>"),
        ),
    ];
    for (what, body) in cases {
        let text = format!("{head}{body}\n</bom>\n");
        let err = read(SECOND * 20, "deep.cdx.xml", text.into_bytes()).expect_err(what);
        let (line, _) = assert_read_error(&err, "oemtrace::read::too_deep");
        assert_eq!(line, 3, "{what}");
    }
}

// ---- enormous width -------------------------------------------------------

/// A million small components (about 20 MB).
fn million_components() -> Vec<u8> {
    let mut list = String::with_capacity(21 << 20);
    list.push('[');
    for i in 0..1_000_000 {
        if i > 0 {
            list.push(',');
        }
        list.push_str("\n{\"name\": \"c\"}");
    }
    list.push(']');
    bom(&list).into_bytes()
}

#[test]
fn a_million_components_are_read_and_audited_in_bounded_time() {
    let doc = read(SECOND * 60, "wide.cdx.json", million_components()).expect("reads");
    assert_eq!(doc.components.len(), 1_000_001);
    let report = within(SECOND * 120, "audit", move || audit(vec![doc]));
    assert_eq!(report.summary.components, 1_000_001);
    assert!(report.findings.is_empty());
}

#[test]
fn a_million_components_stay_under_the_memory_bound() {
    let peak = peak_rss_of_case("million-components", SECOND * 300);
    assert!(peak < MEMORY_BOUND, "peak {} MiB", peak >> 20);
}

#[test]
fn a_million_wrong_elements_stop_at_the_first() {
    let list = format!("[\n{}1]", "1,".repeat(999_999));
    let err = read(SECOND * 20, "wide.cdx.json", bom(&list).into_bytes()).unwrap_err();
    let place = assert_read_error(&err, "oemtrace::read::wrong_type");
    assert_eq!(place, (6, 1));
}

#[test]
fn a_million_dangling_references_are_each_located() {
    let mut deps = String::from("[{\"ref\": \"root\", \"dependsOn\": [");
    for i in 0..1_000_000 {
        if i > 0 {
            deps.push(',');
        }
        deps.push_str(&format!("\n\"ghost-{i}\""));
    }
    deps.push_str("]}]");
    let text = format!(
        "{{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\",\n \
         \"metadata\": {{\"component\": {{\"bom-ref\": \"root\", \"name\": \"P\"}}}},\n \
         \"dependencies\": {deps}}}"
    );
    let doc = read(SECOND * 60, "dangling.cdx.json", text.into_bytes()).expect("reads");
    let report = within(SECOND * 120, "audit", move || audit(vec![doc]));
    let dangling = report_diagnostics(&report, "dangling-ref");
    assert_eq!(dangling.len(), 1_000_000);
    assert_eq!(dangling[0], (4, 1));
    assert_eq!(dangling[999_999], (1_000_003, 1));
}

// ---- XML that asks for more -------------------------------------------------

#[test]
fn billion_laughs_and_external_entities_are_refused() {
    let laughs = {
        let mut dtd = String::from("<!ENTITY lol \"lol\">\n");
        for i in 1..10 {
            let prev = if i == 1 {
                "lol".to_owned()
            } else {
                format!("lol{}", i - 1)
            };
            dtd.push_str(&format!(
                "<!ENTITY lol{i} \"{}\">\n",
                format!("&{prev};").repeat(10)
            ));
        }
        dtd
    };
    let cases = [
        ("billion laughs", format!("<!DOCTYPE bom [\n{laughs}]>")),
        (
            "external file entity",
            "<!DOCTYPE bom [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>".to_owned(),
        ),
        (
            "external URL entity",
            "<!DOCTYPE bom [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/x\">]>".to_owned(),
        ),
        (
            "parameter entity",
            "<!DOCTYPE bom [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/p.dtd\"> %p;]>".to_owned(),
        ),
        (
            "external DTD",
            "<!DOCTYPE bom SYSTEM \"http://127.0.0.1:9/bom.dtd\">".to_owned(),
        ),
    ];
    for (what, doctype) in cases {
        let text = format!(
            "<?xml version=\"1.0\"?>\n{doctype}\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n\
             <components><component type=\"library\"><name>&lol9;&xxe;</name></component></components>\n\
             </bom>\n"
        );
        let err = within(SECOND * 10, what, {
            let text = text.clone();
            move || oemtrace::sbom::cyclonedx_xml::read("x.cdx.xml", SourceText::from(text))
        })
        .expect_err(what);
        let (line, _) = assert_read_error(&err, "oemtrace::read::unsafe_xml");
        assert_eq!(line, 2, "{what}");
        let (exit, json) = audit_file(SECOND * 30, "x.cdx.xml", text.as_bytes());
        assert_error_report(exit, &json, "oemtrace::read::unsafe_xml", true);
    }
}

#[test]
fn undeclared_entities_are_kept_as_written_and_said_so() {
    let text = "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n\
                <components><component type=\"library\"><name>a&xxe;b</name></component></components>\n\
                </bom>\n";
    let doc = read(SECOND * 10, "x.cdx.xml", text.into()).expect("reads");
    let names: Vec<&str> = doc.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a&xxe;b"]);
    let d = doc.diagnostics.first().expect("a diagnostic");
    assert_eq!(diagnostic_at(&doc, d).0, 3, "{d:?}");
}

// ---- the memory cases, run in a child process -------------------------------

/// Runs memory case `case` (read, audit, render), for
/// [`crate::support::peak_rss_of_case`].
pub fn run_case(case: &str) {
    let bytes = match case {
        "fifty-megabytes" => fifty_megabyte_name(),
        "million-components" => million_components(),
        other => panic!("no memory case {other:?}"),
    };
    let doc = oemtrace::sbom::read(case, bytes).expect("reads");
    render_all(&audit(vec![doc]));
}

// ---- the other readers: waivers, vendor db, licensing -----------------------

/// The first label of a diagnostic, as a byte offset.
fn label_offset(d: &dyn miette::Diagnostic) -> Option<usize> {
    d.labels()?.next().map(|l| l.offset())
}

#[test]
fn an_error_far_into_a_long_line_of_a_licensing_or_waivers_file_is_not_a_panic() {
    // Their errors gave miette the whole file too, and a disclosure comes
    // from a vendor: past column 65,535 miette's formatting panicked.
    let long = "x".repeat(70_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sbom = dir.path().join("product.cdx.json");
    std::fs::write(&sbom, bom("[]")).expect("write the SBOM");
    for (flag, name, text) in [
        (
            "--licensing",
            "vendor.csv",
            format!("# disclosure\n{long},\"unclosed\n"),
        ),
        ("--waivers", "waivers.toml", format!("x = \"{long}\n")),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write the file");
        let mut cmd = assert_cmd::Command::cargo_bin("oemtrace").expect("the binary");
        cmd.args(["audit", flag]).arg(&path).arg(&sbom);
        let out = within(SECOND * 20, flag, move || cmd.output().expect("runs"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag}: {stderr}");
        assert!(stderr.contains(name), "{flag}: {stderr}");
        assert!(stderr.len() < 8 * 1024, "{flag}: {} bytes", stderr.len());
    }
}

#[test]
fn deeply_nested_toml_is_refused_with_its_place() {
    use oemtrace::policy::waivers::Waivers;
    use oemtrace::vendordb::LicensingFormat;
    for (what, text) in [
        ("arrays", format!("x = {}\n", nest("[", "", "]"))),
        (
            "inline tables",
            format!("x = {}\n", nest("{a = ", "1", "}")),
        ),
    ] {
        let err = within(SECOND * 20, "waivers", {
            let text = text.clone();
            move || Waivers::parse("deep.toml", text).map(|w| w.len())
        })
        .expect_err(what);
        assert_eq!(code_of(&err), "oemtrace::waivers::parse", "{what}");
        assert!(label_offset(&err).is_some(), "{what}: {err}");

        let err = within(SECOND * 20, "vendor db", {
            let text = text.clone();
            move || VendorDb::from_toml("deep.toml", &text).map(|db| db.entity_count())
        })
        .expect_err(what);
        assert_eq!(code_of(&err), "oemtrace::db::parse", "{what}");
        assert!(label_offset(&err).is_some(), "{what}: {err}");

        let err = within(SECOND * 20, "licensing", move || {
            let mut db = VendorDb::embedded().expect("embedded db");
            db.add_licensing("deep.toml", &text, LicensingFormat::Toml)
        })
        .expect_err(what);
        assert_eq!(code_of(&err), "oemtrace::db::parse", "{what}");
        assert!(label_offset(&err).is_some(), "{what}: {err}");
    }
}

#[test]
fn a_licensing_csv_with_an_endless_quote_is_refused_with_its_place() {
    use oemtrace::vendordb::LicensingFormat;
    let text = format!(
        "product,licensed_technology,licensor,license_type\n\
         a,kaspersky/anti-virus-sdk,AO Kaspersky Lab,oem\n\"{}\n",
        "\"\"x".repeat(200_000)
    );
    let err = within(SECOND * 20, "licensing", move || {
        let mut db = VendorDb::embedded().expect("embedded db");
        db.add_licensing("quote.csv", &text, LicensingFormat::Csv)
    })
    .expect_err("an unterminated quote");
    assert!(code_of(&err).starts_with("oemtrace::db::"), "{err}");
    assert!(label_offset(&err).is_some(), "{err}");
}

fn code_of(d: &dyn miette::Diagnostic) -> String {
    d.code().map(|c| c.to_string()).unwrap_or_default()
}

#[test]
fn too_many_namespace_bindings_are_refused_at_their_tag() {
    let bindings: Vec<String> = (0..1_000)
        .map(|i| format!("xmlns:p{i}=\"urn:x:{i}\""))
        .collect();
    let text = format!(
        "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n\
         <components>\n<component type=\"library\" {}><name>n</name></component>\n</components>\n</bom>\n",
        bindings.join(" ")
    );
    let err = read(SECOND * 10, "ns.cdx.xml", text.into_bytes()).expect_err("refused");
    let place = assert_read_error(&err, "oemtrace::read::syntax");
    assert_eq!(place, (4, 1), "{err}");
}
