//! Unit tests of the SPDX tag-value reader: the same mappings as JSON,
//! spans as lines and values, and the ordinary variations real files
//! show (CRLF, multi-line text, junk, tags out of order).

use proptest::prelude::*;

use super::tests::{by_name, check_spans, codes, e, edges, fields, text};
use crate::model::{Document, EdgeKind, FieldKind, Format, Level};
use crate::sbom::read as read_bytes;

fn read(text: &str) -> Document {
    match read_bytes("t.spdx", text.as_bytes().to_vec()) {
        Ok(doc) => doc,
        Err(err) => panic!("{err}\n{err:?}"),
    }
}

const FULL: &str = "\
SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: borealis-sg400
DocumentNamespace: https://sbom.example/borealis/sg400-4.2.0
Creator: Organization: Kaspersky (the SBOM's author, not the product)
Created: 2026-01-01T00:00:00Z

## The product
PackageName: Borealis SG-400
SPDXID: SPDXRef-sg400
PackageVersion: 4.2.0
PackageSupplier: NOASSERTION
PackageDownloadLocation: NONE
PackageCopyrightText: NOASSERTION

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-sg400

## The engine
PackageName: kl-scan-core
SPDXID: SPDXRef-klscan
PackageVersion: 8.9.2.595
PackageFileName: kl-scan-core.tgz
PackageSupplier: Organization: AO Kaspersky Lab (oem@kaspersky.com)
PackageOriginator: Person: Jane Roe ()
PackageDownloadLocation: https://download.kaspersky.com/sdk/kl-scan-core-8.9.2.tgz
FilesAnalyzed: false
PackageChecksum: SHA256: ABCDEF0123456789ABCDEF0123456789
PackageHomePage: https://www.kaspersky.com/oem
PackageLicenseConcluded: LicenseRef-KL-OEM
PackageLicenseDeclared: NOASSERTION
PackageLicenseInfoFromFiles: MIT
PackageCopyrightText: <text>(c) AO Kaspersky Lab
All rights reserved.</text>
PackageSummary: <text>Scan engine</text>
PackageDescription: Anti-virus engine
PackageComment: ignored
ExternalRef: PACKAGE-MANAGER purl pkg:generic/kaspersky/kl-scan-core@8.9.2.595
ExternalRef: SECURITY cpe23Type cpe:2.3:a:kaspersky:anti-virus_sdk:8.9:*:*:*:*:*:*:*
ExternalRef: SECURITY cpe22Type cpe:/a:kaspersky:anti-virus_sdk:8.9
ExternalRef: OTHER website https://support.kaspersky.com/sdk
ExternalRefComment: a comment
# a trailing comment is not part of the package

Relationship: SPDXRef-sg400 CONTAINS SPDXRef-klscan

LicenseID: LicenseRef-KL-OEM
LicenseName: Kaspersky OEM License
ExtractedText: <text>KASPERSKY LAB OEM LICENSE AGREEMENT
for integrators</text>
LicenseComment: ignored
";

#[test]
fn every_package_tag_with_its_path_value_and_span() {
    let doc = read(FULL);
    assert_eq!(doc.format, Format::SpdxTagValue);
    assert_eq!(doc.spec_version.as_deref(), Some("SPDX-2.3"));
    assert_eq!(
        doc.serial_number.as_deref(),
        Some("https://sbom.example/borealis/sg400-4.2.0")
    );
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    assert_eq!(doc.roots, [0]);
    let (_, c) = by_name(&doc, "kl-scan-core");
    assert_eq!(c.bom_ref.as_deref(), Some("SPDXRef-klscan"));
    assert_eq!(c.version.as_deref(), Some("8.9.2.595"));
    assert_eq!(
        c.purl(doc.texts()),
        Some("pkg:generic/kaspersky/kl-scan-core@8.9.2.595")
    );
    // The block: from `PackageName:` to its last tag, without the
    // trailing comment and blank line.
    let block = text(&doc, c.span);
    assert!(block.starts_with("PackageName: kl-scan-core\nSPDXID: SPDXRef-klscan\n"));
    assert!(
        block.ends_with("\nExternalRefComment: a comment"),
        "{block}"
    );

    use FieldKind::*;
    let expected = vec![
        (Name, "PackageName", "kl-scan-core", "kl-scan-core"),
        (
            Supplier,
            "PackageSupplier",
            "AO Kaspersky Lab",
            "Organization: AO Kaspersky Lab (oem@kaspersky.com)",
        ),
        (
            Originator,
            "PackageOriginator",
            "Jane Roe",
            "Person: Jane Roe ()",
        ),
        (
            Url,
            "PackageDownloadLocation",
            "https://download.kaspersky.com/sdk/kl-scan-core-8.9.2.tgz",
            "https://download.kaspersky.com/sdk/kl-scan-core-8.9.2.tgz",
        ),
        (
            Hash,
            "PackageChecksum",
            "SHA256:abcdef0123456789abcdef0123456789",
            "ABCDEF0123456789ABCDEF0123456789",
        ),
        (
            Url,
            "PackageHomePage",
            "https://www.kaspersky.com/oem",
            "https://www.kaspersky.com/oem",
        ),
        (
            License,
            "PackageLicenseConcluded",
            "LicenseRef-KL-OEM",
            "LicenseRef-KL-OEM",
        ),
        (License, "PackageLicenseInfoFromFiles", "MIT", "MIT"),
        (
            Copyright,
            "PackageCopyrightText",
            "(c) AO Kaspersky Lab\nAll rights reserved.",
            "<text>(c) AO Kaspersky Lab\nAll rights reserved.</text>",
        ),
        (
            Description,
            "PackageSummary",
            "Scan engine",
            "<text>Scan engine</text>",
        ),
        (
            Description,
            "PackageDescription",
            "Anti-virus engine",
            "Anti-virus engine",
        ),
        (
            Purl,
            "ExternalRef",
            "pkg:generic/kaspersky/kl-scan-core@8.9.2.595",
            "pkg:generic/kaspersky/kl-scan-core@8.9.2.595",
        ),
        (
            Cpe,
            "ExternalRef",
            "cpe:2.3:a:kaspersky:anti-virus_sdk:8.9:*:*:*:*:*:*:*",
            "cpe:2.3:a:kaspersky:anti-virus_sdk:8.9:*:*:*:*:*:*:*",
        ),
        (
            Cpe,
            "ExternalRef",
            "cpe:/a:kaspersky:anti-virus_sdk:8.9",
            "cpe:/a:kaspersky:anti-virus_sdk:8.9",
        ),
        (
            Url,
            "ExternalRef",
            "https://support.kaspersky.com/sdk",
            "https://support.kaspersky.com/sdk",
        ),
        (
            License,
            "LicenseName",
            "Kaspersky OEM License",
            "Kaspersky OEM License",
        ),
        (
            License,
            "ExtractedText",
            "KASPERSKY LAB OEM LICENSE AGREEMENT\nfor integrators",
            "<text>KASPERSKY LAB OEM LICENSE AGREEMENT\nfor integrators</text>",
        ),
    ];
    assert_eq!(fields(&doc, c), expected);

    let (_, product) = by_name(&doc, "Borealis SG-400");
    assert_eq!(product.fields.len(), 1, "{:?}", product.fields);
    assert_eq!(
        edges(&doc),
        [e("SPDXRef-sg400", EdgeKind::Contains, "SPDXRef-klscan")]
    );
    let r = &doc.relationships[0];
    assert_eq!(
        text(&doc, r.span),
        "Relationship: SPDXRef-sg400 CONTAINS SPDXRef-klscan"
    );
}

#[test]
fn json_and_tag_value_read_the_same() {
    // The same engine package in both formats: the same identity, the
    // same values (paths are each format's own words).
    let tv = read(FULL);
    let json = super::tests::read(super::tests::FULL);
    let identity = |d: &Document| {
        let (_, c) = by_name(d, "kl-scan-core");
        let mut values: Vec<(FieldKind, String)> = c
            .fields
            .iter()
            // The two texts differ on purpose (one is multi-line).
            .filter(|f| f.kind != FieldKind::Copyright)
            .filter(|f| {
                !matches!(
                    f.path.as_str(),
                    "ExtractedText" | "hasExtractedLicensingInfos.extractedText"
                )
            })
            .map(|f| (f.kind, f.value(d.texts()).to_string()))
            .collect();
        values.sort();
        (
            c.bom_ref.clone(),
            c.version.clone(),
            c.purl(d.texts()).map(str::to_owned),
            values,
        )
    };
    assert_eq!(identity(&tv), identity(&json));
    assert_eq!(edges(&tv), edges(&json));
}

#[test]
fn crlf_reads_like_lf() {
    let lf = read(FULL);
    let crlf_text = FULL.replace('\n', "\r\n");
    let crlf = read(&crlf_text);
    assert!(crlf.diagnostics.is_empty(), "{:?}", crlf.diagnostics);
    assert_eq!(crlf.roots, lf.roots);
    assert_eq!(crlf.components.len(), lf.components.len());
    for (a, b) in lf.components.iter().zip(&crlf.components) {
        let values =
            |d: &Document, c: &crate::model::Component| -> Vec<(FieldKind, String, String)> {
                c.fields
                    .iter()
                    .map(|f| {
                        (
                            f.kind,
                            f.value(d.texts()).replace("\r\n", "\n"),
                            text(d, f.span).replace("\r\n", "\n"),
                        )
                    })
                    .collect()
            };
        assert_eq!(values(&lf, a), values(&crlf, b));
        assert!(!text(&crlf, b.span).ends_with('\r'));
    }
    assert_eq!(edges(&crlf), edges(&lf));
    check_spans(&crlf);
}

#[test]
fn files_after_a_package_are_its_files() {
    let doc = read(
        "SPDXVersion: SPDX-2.2\n\
         SPDXID: SPDXRef-DOCUMENT\n\
         Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-loose\n\
         FileName: ./loose.c\n\
         SPDXID: SPDXRef-loose\n\
         FileName: ./unnamed-before-any-package.c\n\
         SPDXID: SPDXRef-skipped\n\
         PackageName: pkg\n\
         SPDXID: SPDXRef-pkg\n\
         Relationship: SPDXRef-pkg DEPENDS_ON SPDXRef-other\n\
         FileName: ./a.c\n\
         SPDXID: SPDXRef-a\n\
         FileChecksum: SHA1: 85ED0817AF83A24AD8DA68C2B5094DE69833983C\n\
         LicenseConcluded: MIT\n\
         LicenseInfoInFile: MIT\n\
         FileCopyrightText: (c) Acme\n\
         FileNotice: <text>Notice\nline two</text>\n\
         FileContributor: Jane Roe\n\
         FileName: ./b.c\n\
         PackageName: other\n\
         SPDXID: SPDXRef-other\n",
    );
    let names: Vec<&str> = doc.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["./loose.c", "pkg", "./a.c", "./b.c", "other"]);
    assert_eq!(doc.roots, [0]);
    use EdgeKind::*;
    assert_eq!(
        edges(&doc),
        [
            e("SPDXRef-pkg", DependsOn, "SPDXRef-other"),
            e("SPDXRef-pkg", Contains, "SPDXRef-a"),
            e("SPDXRef-pkg", Contains, "./b.c"),
        ]
    );
    // A file named by its place: the edge points at its `FileName:` line.
    assert_eq!(text(&doc, doc.relationships[1].span), "FileName: ./a.c");
    let (_, a) = by_name(&doc, "./a.c");
    let got: Vec<_> = fields(&doc, a)
        .into_iter()
        .map(|(k, p, v, _)| (k, p, v))
        .collect();
    use FieldKind::*;
    assert_eq!(
        got,
        [
            (Name, "FileName", "./a.c"),
            (
                Hash,
                "FileChecksum",
                "SHA1:85ed0817af83a24ad8da68c2b5094de69833983c"
            ),
            (License, "LicenseConcluded", "MIT"),
            (License, "LicenseInfoInFile", "MIT"),
            (Copyright, "FileCopyrightText", "(c) Acme"),
            (Copyright, "FileNotice", "Notice\nline two"),
            (Author, "FileContributor", "Jane Roe"),
        ]
    );
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn snippets_and_extracted_licenses() {
    let doc = read(
        "SPDXVersion: SPDX-2.3\n\
         PackageName: pkg\n\
         SPDXID: SPDXRef-pkg\n\
         PackageLicenseDeclared: (MIT OR LicenseRef-KL) AND LicenseRef-undefined\n\
         Relationship: SPDXRef-pkg CONTAINS SPDXRef-snip\n\
         SnippetSPDXID: SPDXRef-snip\n\
         SnippetFromFileSPDXID: SPDXRef-host\n\
         SnippetByteRange: 1:10\n\
         SnippetLicenseConcluded: LicenseRef-KL\n\
         LicenseInfoInSnippet: LicenseRef-KL\n\
         SnippetCopyrightText: (c) AO Kaspersky Lab\n\
         SnippetName: scan loop\n\
         SnippetSPDXID: SPDXRef-unnamed-snippet\n\
         LicenseID: LicenseRef-KL\n\
         ExtractedText: <text>Kaspersky</text>\n\
         LicenseName: NOASSERTION\n\
         LicenseID: LicenseRef-KL\n\
         LicenseName: second definition, ignored\n",
    );
    let names: Vec<&str> = doc.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["pkg", "scan loop"]);
    let (_, snippet) = by_name(&doc, "scan loop");
    assert_eq!(snippet.bom_ref.as_deref(), Some("SPDXRef-snip"));
    let got: Vec<_> = fields(&doc, snippet)
        .into_iter()
        .map(|(k, p, v, _)| (k, p, v))
        .collect();
    use FieldKind::*;
    assert_eq!(
        got,
        [
            (License, "SnippetLicenseConcluded", "LicenseRef-KL"),
            (License, "LicenseInfoInSnippet", "LicenseRef-KL"),
            (Copyright, "SnippetCopyrightText", "(c) AO Kaspersky Lab"),
            (Name, "SnippetName", "scan loop"),
            (License, "ExtractedText", "Kaspersky"),
        ]
    );
    let (_, pkg) = by_name(&doc, "pkg");
    assert_eq!(
        pkg.fields.last().map(|f| f.value(doc.texts())),
        Some("Kaspersky")
    );
    use EdgeKind::*;
    assert_eq!(
        edges(&doc),
        [
            e("SPDXRef-pkg", Contains, "SPDXRef-snip"),
            e("SPDXRef-host", Contains, "SPDXRef-snip"),
        ]
    );
    assert_eq!(codes(&doc), ["undefined-license-ref"]);
}

#[test]
fn ordinary_variations_never_stop_the_reading() {
    let doc = read(
        "# generated by hand\n\
         \n\
         SPDXVersion: SPDX-2.2\n\
         Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-late\n\
         Relationship: SPDXRef-late CONTAINS\n\
         Relationship: SPDXRef-late BUNDLES SPDXRef-x\n\
         Relationship: SPDXRef-late CONTAINS SPDXRef-x trailing words\n\
         PackageVersion: 0.1\n\
         this line has no colon\n\
         FancyNewTag: whatever\n\
         FancyNewTag: again\n\
         PackageName: late\n\
         SPDXID: SPDXRef-late\n\
         PackageSupplier:\n\
         PackageChecksum: SHA1\n\
         ExternalRef: purl-only\n\
         Relationship: SPDXRef-late DEPENDS_ON SPDXRef-x\n\
         PackageVersion: 2.0\n\
         SPDXID: SPDXRef-second-id\n\
         PackageName: x\n\
         SPDXID: SPDXRef-x\n",
    );
    // Relationships before the packages still resolve; the root is found.
    let (late_index, late) = by_name(&doc, "late");
    assert_eq!(doc.roots, [late_index]);
    // A package tag after a relationship still belongs to the package,
    // and its span grows to cover it.
    assert_eq!(late.version.as_deref(), Some("2.0"));
    assert!(text(&doc, late.span).ends_with("PackageVersion: 2.0"));
    use EdgeKind::*;
    assert_eq!(
        edges(&doc),
        [
            e("SPDXRef-late", Contains, "SPDXRef-x"),
            e("SPDXRef-late", DependsOn, "SPDXRef-x"),
        ]
    );
    let got: Vec<(Level, &str, &str)> = doc
        .diagnostics
        .iter()
        .map(|d| (d.level, d.code, text(&doc, d.span.unwrap())))
        .collect();
    use Level::*;
    assert_eq!(
        got,
        [
            (
                Warning,
                "malformed-value",
                "Relationship: SPDXRef-late CONTAINS"
            ),
            (Warning, "unknown-relationship-type", "BUNDLES"),
            (
                Warning,
                "malformed-value",
                "Relationship: SPDXRef-late CONTAINS SPDXRef-x trailing words"
            ),
            (Warning, "misplaced-tag", "PackageVersion: 0.1"),
            (Warning, "malformed-line", "this line has no colon"),
            (Info, "unknown-tag", "FancyNewTag"),
            (Warning, "malformed-value", "PackageChecksum: SHA1"),
            (Warning, "malformed-value", "ExternalRef: purl-only"),
            (Warning, "misplaced-tag", "SPDXID: SPDXRef-second-id"),
        ]
    );
}

#[test]
fn a_lost_text_end_is_reported_and_costs_nothing_after_it() {
    let doc = read(
        "SPDXVersion: SPDX-2.3\n\
         PackageName: a\n\
         PackageCopyrightText: <text>(c) somebody\n\
         PackageName: b\n",
    );
    let names: Vec<&str> = doc.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(codes(&doc), ["unterminated-text"]);
    assert_eq!(text(&doc, doc.diagnostics[0].span.unwrap()), "<text>");
}

#[test]
fn versions_oemtrace_does_not_know_are_read_with_a_note() {
    let doc = read("SPDXVersion: SPDX-2.1\nPackageName: a\n");
    assert_eq!(doc.spec_version.as_deref(), Some("SPDX-2.1"));
    let d = &doc.diagnostics[0];
    assert_eq!((d.level, d.code), (Level::Info, "unknown-spec-version"));
    assert_eq!(text(&doc, d.span.unwrap()), "SPDX-2.1");

    let doc = read("SPDXVersion: SPDX-2.2\nPackageName: a\nReleaseDate: 2020-01-01T00:00:00Z\n");
    assert_eq!(codes(&doc), ["spec-version-mismatch"]);
    assert_eq!(
        text(&doc, doc.diagnostics[0].span.unwrap()),
        "2020-01-01T00:00:00Z"
    );

    // Without detection (the reader called directly), a missing version
    // is a warning.
    let source = crate::model::SourceText::from("PackageName: a\n");
    let doc = super::read_tag_value("t.spdx", &source).unwrap();
    assert_eq!(codes(&doc), ["unknown-spec-version"]);
}

#[test]
fn empty_names_are_missing_fields() {
    let doc = read("SPDXVersion: SPDX-2.3\nPackageName:\nSPDXID: SPDXRef-a\nFileName:   \n");
    // Both kept: the file, nameless and without an id, is the package's.
    assert_eq!(doc.components.len(), 2);
    assert_eq!(doc.components[0].bom_ref.as_deref(), Some("SPDXRef-a"));
    assert!(doc.components.iter().all(|c| c.name.is_empty()));
    assert_eq!(doc.relationships.len(), 1);
    assert_eq!(codes(&doc), ["missing-field", "missing-field"]);
    assert_eq!(text(&doc, doc.diagnostics[0].span.unwrap()), "PackageName:");
}

/// Lines a tag-value document is made of, valid and not.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("PackageName: p".to_owned()),
        Just("FileName: f".to_owned()),
        Just("SnippetSPDXID: SPDXRef-s".to_owned()),
        Just("LicenseID: LicenseRef-x".to_owned()),
        Just("SPDXID: SPDXRef-a".to_owned()),
        Just("Relationship: SPDXRef-a CONTAINS SPDXRef-b".to_owned()),
        Just("PackageSupplier: Organization: АО «Лаборатория Касперского» (a@b)".to_owned()),
        Just("ExtractedText: <text>".to_owned()),
        Just("</text>".to_owned()),
        Just("PackageChecksum: SHA1:".to_owned()),
        Just("ExternalRef: A purl".to_owned()),
        Just("# comment".to_owned()),
        Just(String::new()),
        "[A-Za-z:<>/ \\t\r#ф-]{0,20}",
    ]
}

proptest! {
    #[test]
    fn tag_value_never_panics_and_spans_stay_in_the_source(
        lines in prop::collection::vec(line(), 0..40),
        crlf in any::<bool>(),
    ) {
        let sep = if crlf { "\r\n" } else { "\n" };
        let source = format!("SPDXVersion: SPDX-2.3{sep}{}", lines.join(sep));
        let doc = read(&source);
        check_spans(&doc);
    }
}

#[test]
fn external_document_refs_are_kept_for_stitching() {
    let doc = read(
        "SPDXVersion: SPDX-2.3\n\
         DocumentNamespace: https://a.example/doc\n\
         ExternalDocumentRef: DocumentRef-kit https://b.example/kit SHA1: D6A770BA38583ED4BB4525BD96E50461655D2759\n\
         ExternalDocumentRef: DocumentRef-bare https://c.example/bare\n\
         ExternalDocumentRef: DocumentRef-only\n",
    );
    assert_eq!(doc.external_docs.len(), 2);
    let kit = &doc.external_docs[0];
    assert_eq!(kit.id, "DocumentRef-kit");
    assert_eq!(kit.namespace, "https://b.example/kit");
    assert_eq!(
        kit.checksum,
        Some((
            "SHA1".to_owned(),
            "D6A770BA38583ED4BB4525BD96E50461655D2759".to_owned()
        ))
    );
    assert!(text(&doc, kit.span).starts_with("DocumentRef-kit"));
    assert_eq!(doc.external_docs[1].checksum, None);
    assert_eq!(codes(&doc), ["malformed-value"]);
}

#[test]
fn values_made_for_each_package_stay_with_it() {
    // Checksums are made (`ALG:hex`), not read: each lands in the
    // document's own text, and each package still reads its own.
    let doc = read(
        "SPDXVersion: SPDX-2.3\n\
         SPDXID: SPDXRef-DOCUMENT\n\
         PackageName: a\n\
         SPDXID: SPDXRef-a\n\
         PackageChecksum: SHA1: AAAA\n\
         PackageName: b\n\
         SPDXID: SPDXRef-b\n\
         PackageChecksum: MD5: BBBBBB\n\
         PackageChecksum: SHA256: CC\n",
    );
    let hashes = |name: &str| -> Vec<&str> {
        let (_, c) = by_name(&doc, name);
        let hashes = c.fields.iter().filter(|f| f.kind == FieldKind::Hash);
        hashes.map(|f| f.value(doc.texts())).collect()
    };
    assert_eq!(hashes("a"), ["SHA1:aaaa"]);
    assert_eq!(hashes("b"), ["MD5:bbbbbb", "SHA256:cc"]);
}
