//! Random byte mutations of real documents, in every format, never panic
//! a reader or the audit, and every error they cause has a place. (The
//! fuzz targets under fuzz/ do this at scale; this runs in `cargo test`.)

use std::sync::OnceLock;

use oemtrace::model::SourceText;
use oemtrace::report::{self, human};
use oemtrace::sbom::ReadError;
use oemtrace::vendordb::VendorDb;
use proptest::prelude::*;
use proptest::sample::Index;

const FIXTURES: &[(&str, &[u8])] = &[
    (
        "mail.cdx.json",
        include_bytes!("../../fixtures/mail-gateway-nested-engine.cdx.json"),
    ),
    (
        "pedigree.cdx.json",
        include_bytes!("../../fixtures/white-label-pedigree.cdx.json"),
    ),
    (
        "cycles.cdx.json",
        include_bytes!("../../fixtures/cycles-and-dangling.cdx.json"),
    ),
    (
        "four.cdx.xml",
        include_bytes!("../../fixtures/four-formats/larchfield-brackengate-3.cdx.xml"),
    ),
    (
        "four.spdx.json",
        include_bytes!("../../fixtures/four-formats/larchfield-brackengate-3.spdx.json"),
    ),
    (
        "four.spdx",
        include_bytes!("../../fixtures/four-formats/larchfield-brackengate-3.spdx"),
    ),
];

/// Bytes that mean something to one of the formats, to insert.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b",",
    b":",
    b"\\",
    b"\\u",
    b"\\ud800",
    b"null",
    b"1e999",
    b"<",
    b">",
    b"/>",
    b"&",
    b"&amp;",
    b"&#x0;",
    b"&lol;",
    b"<!DOCTYPE bom>",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?x?>",
    b"xmlns=\"urn:x\"",
    b"\n",
    b"\r",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xe2\x80",
    b"\xef\xbb\xbf",
    b"SPDXVersion: SPDX-2.3\n",
    b"PackageName: p\n",
    b"<text>",
    b"</text>",
    b"Relationship: A CONTAINS B\n",
    b"DocumentRef-x:",
    b"urn:cdx:",
    b"\"components\": [",
    b"\"bom-ref\": \"x\"",
    b"\"dependsOn\": [\"x\"]",
];

#[derive(Clone, Debug)]
enum Mutation {
    Set(Index, u8),
    Insert(Index, usize),
    Delete(Index, u16),
    Repeat(Index, u16, u8),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (any::<Index>(), 0..TOKENS.len()).prop_map(|(i, t)| Mutation::Insert(i, t)),
        (any::<Index>(), 1u16..200).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<Index>(), 1u16..400, 1u8..20).prop_map(|(i, n, k)| Mutation::Repeat(i, n, k)),
        any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |i: &Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
    match m {
        Mutation::Set(i, b) => {
            if !bytes.is_empty() {
                let k = i.index(bytes.len());
                bytes[k] = *b;
            }
        }
        Mutation::Insert(i, t) => {
            let k = at(i, bytes.len());
            bytes.splice(k..k, TOKENS[*t].iter().copied());
        }
        Mutation::Delete(i, n) => {
            let k = at(i, bytes.len()).min(bytes.len());
            let end = (k + usize::from(*n)).min(bytes.len());
            bytes.drain(k..end);
        }
        Mutation::Repeat(i, n, times) => {
            let k = at(i, bytes.len()).min(bytes.len());
            let end = (k + usize::from(*n)).min(bytes.len());
            let piece = bytes[k..end].to_vec();
            for _ in 0..*times {
                bytes.splice(end..end, piece.iter().copied());
            }
        }
        Mutation::Truncate(i) => {
            let k = at(i, bytes.len()).min(bytes.len());
            bytes.truncate(k);
        }
    }
}

fn db() -> &'static VendorDb {
    static DB: OnceLock<VendorDb> = OnceLock::new();
    DB.get_or_init(|| VendorDb::embedded().expect("embedded db"))
}

/// An error must name its code and, unless the file is empty, its place.
fn check(err: &ReadError) {
    let code = miette::Diagnostic::code(err)
        .map(|c| c.to_string())
        .unwrap_or_default();
    assert!(code.starts_with("oemtrace::read::"), "{err}");
    if !matches!(err, ReadError::Empty { .. }) {
        assert!(err.line_col().is_some(), "no place: {err}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_documents_never_panic_a_reader(
        fixture in 0..FIXTURES.len(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let (name, original) = FIXTURES[fixture];
        let mut bytes = original.to_vec();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        match oemtrace::sbom::read(name, bytes.clone()) {
            Ok(doc) => {
                let report = oemtrace::audit(&[doc], db(), &oemtrace::Options::default());
                let _ = report::json::render(&report);
                let _ = human::render(&report, human::Style::plain());
            }
            Err(err) => check(&err),
        }
        // The format readers on their own, whatever the bytes are.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let source = SourceText::from(text);
            for result in [
                oemtrace::sbom::cyclonedx::read(name, source.clone()),
                oemtrace::sbom::cyclonedx_xml::read(name, source.clone()),
                oemtrace::sbom::spdx::read_json(name, &source),
                oemtrace::sbom::spdx::read_tag_value(name, &source),
            ] {
                if let Err(err) = result {
                    check(&err);
                }
            }
        }
    }
}
