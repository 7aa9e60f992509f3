//! Unit tests of the SPDX JSON reader and of what both formats share
//! (element choice, relationships, roots, LicenseRef resolution): small
//! inline documents, each checking values *and* the source text under
//! every span.

use crate::model::{Component, Document, EdgeKind, FieldKind, Format, Level, NodeRef, Span};
use crate::sbom::testutil::index_edges;
use crate::sbom::{read as read_bytes, ReadError};

pub(super) fn read(text: &str) -> Document {
    match read_bytes("t.spdx.json", text.as_bytes().to_vec()) {
        Ok(doc) => doc,
        Err(err) => panic!("{err}\n{err:?}"),
    }
}

fn read_err(text: &str) -> ReadError {
    match read_bytes("t.spdx.json", text.as_bytes().to_vec()) {
        Ok(doc) => panic!("read although it should not: {doc:?}"),
        Err(err) => err,
    }
}

pub(super) fn text(doc: &Document, span: Span) -> &str {
    &doc.source[span.range()]
}

/// (kind, path, value, source text at the span) of every field.
pub(super) fn fields<'d>(
    doc: &'d Document,
    c: &'d Component,
) -> Vec<(FieldKind, &'static str, &'d str, &'d str)> {
    c.fields
        .iter()
        .map(|f| {
            (
                f.kind,
                f.path.as_str(),
                f.value(doc.texts()),
                text(doc, f.span),
            )
        })
        .collect()
}

pub(super) fn codes(doc: &Document) -> Vec<&'static str> {
    doc.diagnostics.iter().map(|d| d.code).collect()
}

pub(super) fn by_name<'d>(doc: &'d Document, name: &str) -> (usize, &'d Component) {
    match doc
        .components
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == name)
    {
        Some(found) => found,
        None => panic!("no component {name}"),
    }
}

/// Every relationship as (from, kind, to), ends named by their reference
/// or, for indexes, by the component's `bom_ref` (or name).
pub(super) fn edges(doc: &Document) -> Vec<(String, EdgeKind, String)> {
    let end = |n: NodeRef| match n {
        NodeRef::Ref(_) => doc
            .reference(n)
            .map(|r| r.value.clone())
            .unwrap_or_default(),
        NodeRef::Index(i) => {
            let c = &doc.components[i as usize];
            c.bom_ref.as_deref().unwrap_or(&c.name).to_owned()
        }
    };
    doc.relationships
        .iter()
        .map(|r| (end(r.from), r.kind, end(r.to)))
        .collect()
}

pub(super) fn e(from: &str, kind: EdgeKind, to: &str) -> (String, EdgeKind, String) {
    (from.to_owned(), kind, to.to_owned())
}

pub(super) const FULL: &str = r#"{
  "spdxVersion": "SPDX-2.3",
  "SPDXID": "SPDXRef-DOCUMENT",
  "name": "borealis-sg400",
  "documentNamespace": "https://sbom.example/borealis/sg400-4.2.0",
  "creationInfo": {"creators": ["Organization: Kaspersky (not the product)"], "created": "2026-01-01T00:00:00Z"},
  "unknownKey": {"deep": [1, 2, {"x": null}]},
  "documentDescribes": ["SPDXRef-sg400"],
  "packages": [
    {
      "SPDXID": "SPDXRef-klscan",
      "name": "kl-scan-core",
      "versionInfo": "8.9.2.595",
      "supplier": "Organization: AO Kaspersky Lab (oem@kaspersky.com)",
      "originator": "Person: Jane Roe ()",
      "downloadLocation": "https://download.kaspersky.com/sdk/kl-scan-core-8.9.2.tgz",
      "homepage": "https://www.kaspersky.com/oem",
      "checksums": [
        {"algorithm": "SHA256", "checksumValue": "ABCDEF0123456789ABCDEF0123456789"},
        {"algorithm": "MD5"}
      ],
      "externalRefs": [
        {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:generic/kaspersky/kl-scan-core@8.9.2.595"},
        {"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:kaspersky:anti-virus_sdk:8.9:*:*:*:*:*:*:*"},
        {"referenceCategory": "SECURITY", "referenceType": "cpe22Type", "referenceLocator": "cpe:/a:kaspersky:anti-virus_sdk:8.9"},
        {"referenceCategory": "OTHER", "referenceType": "website", "referenceLocator": "https://support.kaspersky.com/sdk"},
        {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "maven-central", "referenceLocator": "com.kaspersky:klscan:8.9"}
      ],
      "licenseConcluded": "LicenseRef-KL-OEM",
      "licenseDeclared": "NOASSERTION",
      "licenseInfoFromFiles": ["MIT", "NONE"],
      "copyrightText": "(c) AO Kaspersky Lab",
      "summary": "Scan engine",
      "description": "Anti-virus \u0065ngine",
      "comment": "ignored: comments identify nothing"
    },
    {
      "SPDXID": "SPDXRef-sg400",
      "name": "Borealis SG-400",
      "versionInfo": "4.2.0",
      "supplier": "NOASSERTION",
      "originator": "NONE",
      "downloadLocation": "NOASSERTION",
      "homepage": "NONE",
      "copyrightText": "NOASSERTION",
      "licenseConcluded": "NONE"
    }
  ],
  "hasExtractedLicensingInfos": [
    {"licenseId": "LicenseRef-KL-OEM", "name": "Kaspersky OEM License", "extractedText": "KASPERSKY LAB OEM LICENSE AGREEMENT", "comment": "x"}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-sg400", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-klscan"}
  ]
}"#;

#[test]
fn every_package_field_with_its_path_value_and_span() {
    let doc = read(FULL);
    assert_eq!(doc.format, Format::SpdxJson);
    assert_eq!(doc.spec_version.as_deref(), Some("SPDX-2.3"));
    assert_eq!(
        doc.serial_number.as_deref(),
        Some("https://sbom.example/borealis/sg400-4.2.0")
    );
    // The one checksum without a value is skipped, and said so.
    assert_eq!(codes(&doc), ["missing-field"]);
    let skipped = doc.diagnostics[0].span.unwrap();
    assert_eq!(text(&doc, skipped), "{\"algorithm\": \"MD5\"}");
    assert_eq!(doc.components.len(), 2);
    let (_, c) = by_name(&doc, "kl-scan-core");
    assert_eq!(c.bom_ref.as_deref(), Some("SPDXRef-klscan"));
    assert_eq!(c.version.as_deref(), Some("8.9.2.595"));
    assert_eq!(
        c.purl(doc.texts()),
        Some("pkg:generic/kaspersky/kl-scan-core@8.9.2.595")
    );
    assert!(text(&doc, c.span).starts_with("{\n      \"SPDXID\": \"SPDXRef-klscan\""));
    assert!(text(&doc, c.span).ends_with("\"ignored: comments identify nothing\"\n    }"));

    use FieldKind::*;
    let expected = vec![
        (Name, "name", "kl-scan-core", "\"kl-scan-core\""),
        (
            Supplier,
            "supplier",
            "AO Kaspersky Lab",
            "\"Organization: AO Kaspersky Lab (oem@kaspersky.com)\"",
        ),
        (
            Originator,
            "originator",
            "Jane Roe",
            "\"Person: Jane Roe ()\"",
        ),
        (
            Url,
            "downloadLocation",
            "https://download.kaspersky.com/sdk/kl-scan-core-8.9.2.tgz",
            "\"https://download.kaspersky.com/sdk/kl-scan-core-8.9.2.tgz\"",
        ),
        (
            Url,
            "homepage",
            "https://www.kaspersky.com/oem",
            "\"https://www.kaspersky.com/oem\"",
        ),
        (
            Hash,
            "checksums",
            "SHA256:abcdef0123456789abcdef0123456789",
            "\"ABCDEF0123456789ABCDEF0123456789\"",
        ),
        (
            Purl,
            "externalRefs.purl",
            "pkg:generic/kaspersky/kl-scan-core@8.9.2.595",
            "\"pkg:generic/kaspersky/kl-scan-core@8.9.2.595\"",
        ),
        (
            Cpe,
            "externalRefs.cpe23Type",
            "cpe:2.3:a:kaspersky:anti-virus_sdk:8.9:*:*:*:*:*:*:*",
            "\"cpe:2.3:a:kaspersky:anti-virus_sdk:8.9:*:*:*:*:*:*:*\"",
        ),
        (
            Cpe,
            "externalRefs.cpe22Type",
            "cpe:/a:kaspersky:anti-virus_sdk:8.9",
            "\"cpe:/a:kaspersky:anti-virus_sdk:8.9\"",
        ),
        (
            Url,
            "externalRefs.referenceLocator",
            "https://support.kaspersky.com/sdk",
            "\"https://support.kaspersky.com/sdk\"",
        ),
        (
            License,
            "licenseConcluded",
            "LicenseRef-KL-OEM",
            "\"LicenseRef-KL-OEM\"",
        ),
        (License, "licenseInfoFromFiles", "MIT", "\"MIT\""),
        (
            Copyright,
            "copyrightText",
            "(c) AO Kaspersky Lab",
            "\"(c) AO Kaspersky Lab\"",
        ),
        (Description, "summary", "Scan engine", "\"Scan engine\""),
        (
            Description,
            "description",
            "Anti-virus engine",
            "\"Anti-virus \\u0065ngine\"",
        ),
        (
            License,
            "hasExtractedLicensingInfos.name",
            "Kaspersky OEM License",
            "\"Kaspersky OEM License\"",
        ),
        (
            License,
            "hasExtractedLicensingInfos.extractedText",
            "KASPERSKY LAB OEM LICENSE AGREEMENT",
            "\"KASPERSKY LAB OEM LICENSE AGREEMENT\"",
        ),
    ];
    assert_eq!(fields(&doc, c), expected);
}

#[test]
fn noassertion_and_none_say_nothing() {
    let doc = read(FULL);
    let (_, product) = by_name(&doc, "Borealis SG-400");
    assert_eq!(
        fields(&doc, product),
        [(
            FieldKind::Name,
            "name",
            "Borealis SG-400",
            "\"Borealis SG-400\""
        )]
    );
}

#[test]
fn the_pipeline_flags_the_engine_through_the_described_product() {
    let doc = read(FULL);
    let db = crate::vendordb::VendorDb::embedded().expect("embedded db");
    let report = crate::audit(std::slice::from_ref(&doc), &db, &Default::default());
    let finding = report
        .findings
        .iter()
        .find(|f| f.component.name == "kl-scan-core")
        .expect("a finding on the engine");
    assert_eq!(finding.confidence, crate::model::Confidence::Confirmed);
    let path: Vec<&str> = finding.path.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(path, ["Borealis SG-400", "kl-scan-core"]);
}

#[test]
fn roots_from_document_describes_and_describes_relationships() {
    let doc = read(
        r#"{
  "spdxVersion": "SPDX-2.2",
  "SPDXID": "SPDXRef-DOCUMENT",
  "documentDescribes": ["SPDXRef-b", "SPDXRef-ghost", "DocumentRef-other:SPDXRef-x"],
  "packages": [
    {"SPDXID": "SPDXRef-a", "name": "a"},
    {"SPDXID": "SPDXRef-b", "name": "b"},
    {"SPDXID": "SPDXRef-c", "name": "c"}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-a"},
    {"spdxElementId": "SPDXRef-c", "relationshipType": "DESCRIBED_BY", "relatedSpdxElement": "SPDXRef-DOCUMENT"},
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-b"}
  ]
}"#,
    );
    // Relationships first (document order), then documentDescribes; each once.
    let roots: Vec<&str> = doc
        .roots
        .iter()
        .map(|&i| doc.components[i].name.as_str())
        .collect();
    assert_eq!(roots, ["a", "c", "b"]);
    assert!(doc.relationships.is_empty(), "{:?}", doc.relationships);
    assert_eq!(codes(&doc), ["dangling-ref", "unresolved-external-ref"]);
    let dangling = doc.diagnostics[0].span.unwrap();
    assert_eq!(text(&doc, dangling), "\"SPDXRef-ghost\"");
    assert!(doc.diagnostics[0].message.contains("SPDXRef-ghost"));
    let external = doc.diagnostics[1].span.unwrap();
    assert_eq!(text(&doc, external), "\"DocumentRef-other:SPDXRef-x\"");
}

#[test]
fn relationships_walk_from_product_to_part() {
    let doc = read(
        r#"{
  "spdxVersion": "SPDX-2.3",
  "SPDXID": "SPDXRef-DOCUMENT",
  "packages": [{"SPDXID": "SPDXRef-app", "name": "app"}, {"SPDXID": "SPDXRef-lib", "name": "lib"}],
  "relationships": [
    {"spdxElementId": "SPDXRef-lib", "relationshipType": "CONTAINED_BY", "relatedSpdxElement": "SPDXRef-app"},
    {"spdxElementId": "SPDXRef-lib", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-app"},
    {"spdxElementId": "SPDXRef-lib", "relationshipType": "BUILD_DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-app"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "STATIC_LINK", "relatedSpdxElement": "SPDXRef-lib"},
    {"spdxElementId": "SPDXRef-old", "relationshipType": "ANCESTOR_OF", "relatedSpdxElement": "SPDXRef-app"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "VARIANT_OF", "relatedSpdxElement": "DocumentRef-kl:SPDXRef-kav"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "NONE"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "CONTAINS", "relatedSpdxElement": "NOASSERTION"},
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "AMENDS", "relatedSpdxElement": "DocumentRef-v1:SPDXRef-DOCUMENT"},
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-lib"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "EMBEDS_SECRETLY", "relatedSpdxElement": "SPDXRef-lib"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "relationshipType_dynamicLink", "relatedSpdxElement": "SPDXRef-lib"}
  ]
}"#,
    );
    use EdgeKind::*;
    assert_eq!(
        edges(&doc),
        [
            e("SPDXRef-app", Contains, "SPDXRef-lib"),
            e("SPDXRef-app", DependsOn, "SPDXRef-lib"),
            e("SPDXRef-app", DependsOn, "SPDXRef-lib"),
            e("SPDXRef-app", StaticLink, "SPDXRef-lib"),
            e("SPDXRef-app", DescendantOf, "SPDXRef-old"),
            e("SPDXRef-app", VariantOf, "DocumentRef-kl:SPDXRef-kav"),
            e("SPDXRef-app", DynamicLink, "SPDXRef-lib"),
        ]
    );
    // The relationship spans its object; each end spans its id's literal.
    let first = &doc.relationships[0];
    assert!(text(&doc, first.span).starts_with("{\"spdxElementId\": \"SPDXRef-lib\""));
    assert!(text(&doc, first.span).ends_with("\"SPDXRef-app\"}"));
    // Flipped: the product was written second. Ends naming an element
    // of the document are its component index.
    let id = |i: u32| doc.components[i as usize].bom_ref.as_deref();
    let (NodeRef::Index(from), NodeRef::Index(to)) = (first.from, first.to) else {
        panic!("{first:?}")
    };
    assert_eq!(
        (id(from), id(to)),
        (Some("SPDXRef-app"), Some("SPDXRef-lib"))
    );
    // A reference into another document stays one, spanning its literal.
    let variant = &doc.relationships[5];
    let Some(to) = doc.reference(variant.to) else {
        panic!("{variant:?}")
    };
    assert_eq!(text(&doc, to.span), "\"DocumentRef-kl:SPDXRef-kav\"");

    assert_eq!(codes(&doc), ["unknown-relationship-type"]);
    let d = &doc.diagnostics[0];
    assert_eq!(d.level, Level::Warning);
    assert_eq!(text(&doc, d.span.unwrap()), "\"EMBEDS_SECRETLY\"");
}

#[test]
fn files_and_snippets_become_components_only_when_named() {
    let doc = read(
        r#"{
  "spdxVersion": "SPDX-2.3",
  "SPDXID": "SPDXRef-DOCUMENT",
  "packages": [{"SPDXID": "SPDXRef-pkg", "name": "pkg", "hasFiles": ["SPDXRef-f1", "SPDXRef-f1"]}],
  "files": [
    {"SPDXID": "SPDXRef-f1", "fileName": "./listed.c", "checksums": [{"algorithm": "SHA1", "checksumValue": "85ED0817AF83A24AD8DA68C2B5094DE69833983C"}],
     "licenseConcluded": "MIT", "licenseInfoInFiles": ["MIT", "Apache-2.0"], "copyrightText": "(c) Acme",
     "noticeText": "Notice: Acme", "fileContributors": ["Jane Roe"]},
    {"SPDXID": "SPDXRef-f2", "fileName": "./related.so"},
    {"SPDXID": "SPDXRef-f3", "fileName": "./orphan.txt"},
    {"SPDXID": "SPDXRef-f4", "fileName": "./snippet-host.c"}
  ],
  "snippets": [
    {"SPDXID": "SPDXRef-s1", "name": "copied code", "snippetFromFile": "SPDXRef-f4", "licenseConcluded": "GPL-2.0-only",
     "licenseInfoInSnippets": ["GPL-2.0-only"], "copyrightText": "(c) Someone"},
    {"SPDXID": "SPDXRef-s2", "snippetFromFile": "SPDXRef-f3"}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-pkg", "relationshipType": "DYNAMIC_LINK", "relatedSpdxElement": "SPDXRef-f2"},
    {"spdxElementId": "SPDXRef-s1", "relationshipType": "GENERATED_FROM", "relatedSpdxElement": "NOASSERTION"},
    {"spdxElementId": "SPDXRef-pkg", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-s1"}
  ]
}"#,
    );
    let names: Vec<&str> = doc.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "pkg",
            "./listed.c",
            "./related.so",
            "./snippet-host.c",
            "copied code"
        ]
    );
    use EdgeKind::*;
    assert_eq!(
        edges(&doc),
        [
            e("SPDXRef-pkg", DynamicLink, "SPDXRef-f2"),
            e("SPDXRef-pkg", Contains, "SPDXRef-s1"),
            e("SPDXRef-pkg", Contains, "SPDXRef-f1"),
            e("SPDXRef-f4", Contains, "SPDXRef-s1"),
        ]
    );
    let has_files = &doc.relationships[2];
    assert_eq!(text(&doc, has_files.span), "\"SPDXRef-f1\"");

    use FieldKind::*;
    let (_, file) = by_name(&doc, "./listed.c");
    assert_eq!(file.bom_ref.as_deref(), Some("SPDXRef-f1"));
    let got: Vec<_> = fields(&doc, file)
        .into_iter()
        .map(|(k, p, v, _)| (k, p, v))
        .collect();
    assert_eq!(
        got,
        [
            (Name, "fileName", "./listed.c"),
            (
                Hash,
                "checksums",
                "SHA1:85ed0817af83a24ad8da68c2b5094de69833983c"
            ),
            (License, "licenseConcluded", "MIT"),
            (License, "licenseInfoInFiles", "MIT"),
            (License, "licenseInfoInFiles", "Apache-2.0"),
            (Copyright, "copyrightText", "(c) Acme"),
            (Copyright, "noticeText", "Notice: Acme"),
            (Author, "fileContributors", "Jane Roe"),
        ]
    );
    let (_, snippet) = by_name(&doc, "copied code");
    let got: Vec<_> = fields(&doc, snippet)
        .into_iter()
        .map(|(k, p, v, _)| (k, p, v))
        .collect();
    assert_eq!(
        got,
        [
            (Name, "name", "copied code"),
            (License, "licenseConcluded", "GPL-2.0-only"),
            (License, "licenseInfoInSnippets", "GPL-2.0-only"),
            (Copyright, "copyrightText", "(c) Someone"),
        ]
    );
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn license_refs_bring_their_extracted_text_once_per_element() {
    let long = "K".repeat(super::EXTRACTED_TEXT_LIMIT + 10);
    let source = format!(
        r#"{{
  "spdxVersion": "SPDX-2.3",
  "packages": [
    {{"SPDXID": "SPDXRef-a", "name": "a", "licenseConcluded": "(MIT OR LicenseRef-KL)",
      "licenseDeclared": "LicenseRef-KL AND LicenseRef-missing",
      "licenseInfoFromFiles": ["DocumentRef-x:LicenseRef-KL", "LicenseRef-long"]}},
    {{"SPDXID": "SPDXRef-b", "name": "b", "licenseConcluded": "LicenseRef-missing"}},
    {{"SPDXID": "SPDXRef-c", "name": "c", "licenseConcluded": "LicenseRef-nameless"}}
  ],
  "hasExtractedLicensingInfos": [
    {{"licenseId": "LicenseRef-KL", "name": "Kaspersky EULA", "extractedText": "AO Kaspersky Lab END USER LICENSE"}},
    {{"licenseId": "LicenseRef-KL", "name": "A second definition is ignored"}},
    {{"licenseId": "LicenseRef-long", "extractedText": "{long}"}},
    {{"licenseId": "LicenseRef-nameless", "name": "NOASSERTION", "extractedText": "Only text"}},
    {{"name": "no id"}}
  ]
}}"#
    );
    let doc = read(&source);
    let (_, a) = by_name(&doc, "a");
    let licenses: Vec<(&str, usize)> = a
        .fields
        .iter()
        .filter(|f| f.path.as_str().starts_with("hasExtracted"))
        .map(|f| (f.path.as_str(), f.value(doc.texts()).len()))
        .collect();
    assert_eq!(
        licenses,
        [
            ("hasExtractedLicensingInfos.name", "Kaspersky EULA".len()),
            (
                "hasExtractedLicensingInfos.extractedText",
                "AO Kaspersky Lab END USER LICENSE".len()
            ),
            (
                "hasExtractedLicensingInfos.extractedText",
                super::EXTRACTED_TEXT_LIMIT
            ),
        ]
    );
    // The span still covers the whole text.
    let long_field = a
        .fields
        .iter()
        .find(|f| f.value(doc.texts()).starts_with("KKK"))
        .unwrap();
    assert_eq!(text(&doc, long_field.span).len(), long.len() + 2);

    let (_, c) = by_name(&doc, "c");
    let got: Vec<&str> = c.fields.iter().map(|f| f.value(doc.texts())).collect();
    assert_eq!(got, ["c", "LicenseRef-nameless", "Only text"]);

    // An undefined LicenseRef is reported once, where it is first used.
    // Diagnostics come in document order.
    assert_eq!(codes(&doc), ["undefined-license-ref", "missing-field"]);
    let d = &doc.diagnostics[0];
    assert!(d.message.contains("LicenseRef-missing"), "{}", d.message);
    assert_eq!(
        text(&doc, d.span.unwrap()),
        "\"LicenseRef-KL AND LicenseRef-missing\""
    );
}

#[test]
fn wrong_types_in_optional_fields_are_diagnostics() {
    let doc = read(
        r#"{
  "spdxVersion": "SPDX-2.3",
  "documentNamespace": 7,
  "packages": [
    null,
    {"SPDXID": "SPDXRef-a", "name": "a", "versionInfo": 2, "supplier": {"name": "x"}, "checksums": {"algorithm": "SHA1"},
     "externalRefs": ["purl"], "licenseInfoFromFiles": "MIT", "hasFiles": [3]},
    {"SPDXID": "SPDXRef-b"},
    {"SPDXID": "SPDXRef-c", "name": null},
    {"name": 5}
  ],
  "relationships": [
    "SPDXRef-a CONTAINS SPDXRef-b",
    {"spdxElementId": "SPDXRef-a", "relationshipType": "CONTAINS"}
  ],
  "documentDescribes": "SPDXRef-a"
}"#,
    );
    assert_eq!(doc.components.len(), 4);
    assert_eq!(doc.components[0].name, "a");
    assert_eq!(doc.components[0].version, None);
    assert_eq!(doc.serial_number, None);
    let got: Vec<(&str, &str)> = doc
        .diagnostics
        .iter()
        .map(|d| (d.code, text(&doc, d.span.unwrap())))
        .collect();
    assert_eq!(
        got,
        [
            ("wrong-type", "7"),
            ("wrong-type", "null"),
            ("wrong-type", "2"),
            ("wrong-type", "{\"name\": \"x\"}"),
            ("wrong-type", "{\"algorithm\": \"SHA1\"}"),
            ("wrong-type", "\"purl\""),
            ("wrong-type", "\"MIT\""),
            ("wrong-type", "3"),
            ("missing-field", "{\"SPDXID\": \"SPDXRef-b\"}"),
            (
                "missing-field",
                "{\"SPDXID\": \"SPDXRef-c\", \"name\": null}"
            ),
            ("wrong-type", "5"),
            ("wrong-type", "\"SPDXRef-a CONTAINS SPDXRef-b\""),
            (
                "missing-field",
                "{\"spdxElementId\": \"SPDXRef-a\", \"relationshipType\": \"CONTAINS\"}"
            ),
            ("wrong-type", "\"SPDXRef-a\""),
        ]
    );
    assert!(doc.diagnostics[8]
        .message
        .contains("\"SPDXRef-b\" has no `name`"));
}

#[test]
fn a_wrong_type_where_elements_live_is_fatal() {
    let err = read_err("{\"spdxVersion\": \"SPDX-2.3\",\n \"packages\": {\"name\": \"a\"}}");
    let ReadError::WrongType {
        path,
        expected,
        found,
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(
        (*path, *expected, *found),
        ("packages", "an array", "an object")
    );
    assert_eq!(err.line_col(), Some((2, 14)));

    let err = read_err("{\"spdxVersion\": \"SPDX-2.3\", \"files\": [{}, \"./a.c\"]}");
    assert!(
        matches!(
            &err,
            ReadError::WrongType {
                path: "files",
                found: "a string",
                ..
            }
        ),
        "{err:?}"
    );
    let err = read_err("{\"spdxVersion\": \"SPDX-2.3\", \"snippets\": 1}");
    assert!(
        matches!(
            &err,
            ReadError::WrongType {
                path: "snippets",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn truncated_json_is_a_syntax_error_with_its_place() {
    let err =
        read_err("{\n  \"spdxVersion\": \"SPDX-2.3\",\n  \"packages\": [\n    {\"name\": \"kl-sc");
    assert!(matches!(err, ReadError::Syntax { .. }), "{err:?}");
    // serde_json points at the last character it read.
    assert_eq!(err.line_col(), Some((4, 19)));
    assert!(err.to_string().starts_with("t.spdx.json:4:19: "), "{err}");
}

#[test]
fn versions_oemtrace_does_not_know_are_read_with_a_note() {
    let doc = read(r#"{"spdxVersion": "SPDX-2.1", "packages": [{"name": "a"}]}"#);
    assert_eq!(doc.components.len(), 1);
    let d = &doc.diagnostics[0];
    assert_eq!((d.level, d.code), (Level::Info, "unknown-spec-version"));
    assert_eq!(text(&doc, d.span.unwrap()), "\"SPDX-2.1\"");

    let doc = read(r#"{"spdxVersion": 2.3}"#);
    assert_eq!(doc.spec_version.as_deref(), Some("2.3"));
    assert_eq!(codes(&doc), ["wrong-type", "unknown-spec-version"]);

    let doc = read(r#"{"spdxVersion": "SPDX-9.9", "packages": []}"#);
    assert_eq!(doc.diagnostics[0].level, Level::Warning);
}

#[test]
fn a_2_2_document_using_2_3_features_is_noted() {
    let doc = read(
        r#"{"spdxVersion": "SPDX-2.2", "packages": [{"SPDXID": "SPDXRef-a", "name": "a",
          "checksums": [{"algorithm": "BLAKE3", "checksumValue": "00aa"}]}],
          "relationships": [{"spdxElementId": "SPDXRef-a", "relationshipType": "SPECIFICATION_FOR", "relatedSpdxElement": "SPDXRef-a"}]}"#,
    );
    assert_eq!(codes(&doc), ["spec-version-mismatch"]);
    let d = &doc.diagnostics[0];
    assert_eq!(d.level, Level::Info);
    assert_eq!(text(&doc, d.span.unwrap()), "\"BLAKE3\"");
    // The same in a 2.3 document is no news.
    let doc = read(&doc.source.replace("SPDX-2.2", "SPDX-2.3"));
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    // The relationship type alone, in any spelling, is news too; a type
    // 2.2 knew is not.
    for (written, noted) in [
        ("SPECIFICATION_FOR", true),
        ("requirementDescriptionFor", true),
        ("DEPENDS_ON", false),
    ] {
        let doc = read(&format!(
            r#"{{"spdxVersion": "SPDX-2.2", "packages": [{{"SPDXID": "SPDXRef-a", "name": "a"}}],
              "relationships": [{{"spdxElementId": "SPDXRef-a", "relationshipType": "{written}", "relatedSpdxElement": "SPDXRef-a"}}]}}"#
        ));
        assert_eq!(codes(&doc) == ["spec-version-mismatch"], noted, "{written}");
        if noted {
            let d = &doc.diagnostics[0];
            assert_eq!(text(&doc, d.span.unwrap()), format!("\"{written}\""));
        }
    }
}

#[test]
fn duplicate_keys_keep_the_first_value() {
    let doc = read(
        r#"{"spdxVersion": "SPDX-2.3", "packages": [{"name": "first", "name": "second", "SPDXID": "SPDXRef-a"}]}"#,
    );
    assert_eq!(doc.components[0].name, "first");
    assert_eq!(codes(&doc), ["duplicate-key"]);
    assert_eq!(text(&doc, doc.diagnostics[0].span.unwrap()), "\"second\"");
}

#[test]
fn every_spdx_2_json_file_of_the_corpus_reads() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let negative = [
        "BadJSON.spdx.json",
        "SPDXWrongVersion.spdx.json",
        "SPDXJSONExample-wrongversion.spdx.json",
    ];
    let mut read_ok = 0;
    for path in spdx_files(&dir) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let bytes = std::fs::read(&path).unwrap();
        let is_2x_json = bytes.windows(13).any(|w| w == b"\"spdxVersion\"");
        let is_tag_value = name.ends_with(".spdx");
        if !(is_2x_json || is_tag_value) {
            continue;
        }
        let doc = match read_bytes(name, bytes) {
            Ok(doc) => doc,
            Err(err) => panic!("{}: {err}", path.display()),
        };
        check_spans(&doc);
        if negative.contains(&name) {
            assert!(!doc.diagnostics.is_empty(), "{name} read without complaint");
        } else {
            let strong: Vec<_> = doc
                .diagnostics
                .iter()
                .filter(|d| d.level >= Level::Warning)
                .collect();
            assert!(strong.is_empty(), "{}: {strong:?}", path.display());
            assert!(!doc.components.is_empty(), "{name}");
            read_ok += 1;
        }
    }
    assert_eq!(read_ok, 40, "valid SPDX 2.x files read");
}

/// Every span of a document lies inside its source, on character
/// boundaries.
pub(super) fn check_spans(doc: &Document) {
    let ok = |s: Span| doc.source.get(s.range()).is_some();
    for c in &doc.components {
        assert!(ok(c.span), "{}: component span {:?}", doc.name, c.span);
        for f in &c.fields {
            assert!(ok(f.span), "{}: field span {:?}", doc.name, f.span);
        }
    }
    for r in &doc.relationships {
        assert!(ok(r.span), "{}: relationship span {:?}", doc.name, r.span);
        for end in [r.from, r.to] {
            if let NodeRef::Ref(_) = end {
                let span = &doc.reference(end).expect("a reference in the table").span;
                assert!(ok(*span));
            }
        }
    }
    for d in &doc.diagnostics {
        assert!(d.span.is_none_or(ok), "{}: {d:?}", doc.name);
    }
}

fn corpus_dir() -> Option<std::path::PathBuf> {
    let dir = match std::env::var_os("OEMTRACE_CORPUS") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    // tests/corpus.rs insists on the corpus; here it is a bonus.
    dir.join("spdx").is_dir().then_some(dir)
}

fn spdx_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join("spdx")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn reading_is_linear_in_the_number_of_packages() {
    // 20 000 packages, each contained by the first, each with a
    // LicenseRef: quadratic work anywhere would show here.
    let n = 20_000;
    // Some generators describe every package.
    let describes: Vec<String> = (0..n).map(|i| format!("\"SPDXRef-{i}\"")).collect();
    let mut s = format!(
        r#"{{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "documentDescribes": [{}, "SPDXRef-0"], "packages": ["#,
        describes.join(", ")
    );
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            r#"{{"SPDXID": "SPDXRef-{i}", "name": "p{i}", "licenseConcluded": "LicenseRef-x", "hasFiles": ["SPDXRef-f{i}"]}}"#
        ));
    }
    s.push_str(r#"], "files": ["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            r#"{{"SPDXID": "SPDXRef-f{i}", "fileName": "f{i}"}}"#
        ));
    }
    s.push_str(r#"], "hasExtractedLicensingInfos": [{"licenseId": "LicenseRef-x", "extractedText": "text"}], "relationships": ["#);
    for i in 1..n {
        if i > 1 {
            s.push(',');
        }
        s.push_str(&format!(
            r#"{{"spdxElementId": "SPDXRef-0", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-{i}"}}"#
        ));
    }
    s.push_str("]}");
    let started = std::time::Instant::now();
    let doc = read(&s);
    let took = started.elapsed();
    assert_eq!(doc.components.len(), 2 * n);
    assert_eq!(doc.relationships.len(), 2 * n - 1);
    assert_eq!(doc.roots.len(), n);
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
}

#[test]
fn the_document_is_known_by_its_spdxid_and_by_the_reserved_one() {
    let doc = read(
        r#"{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-main-doc",
  "packages": [{"SPDXID": "SPDXRef-a", "name": "a"}, {"SPDXID": "SPDXRef-b", "name": "b"}],
  "relationships": [
    {"spdxElementId": "SPDXRef-main-doc", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-a"},
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-b"},
    {"spdxElementId": "SPDXRef-a", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-b"}
  ]}"#,
    );
    assert_eq!(doc.roots, [0, 1]);
    // An element that says it describes another: kept as written.
    assert_eq!(edges(&doc), [e("SPDXRef-a", EdgeKind::Other, "SPDXRef-b")]);
}

#[test]
fn many_license_refs_in_one_element_stay_linear() {
    let n = 20_000;
    let refs: Vec<String> = (0..n).map(|i| format!("LicenseRef-{}", i % 100)).collect();
    let infos: Vec<String> = (0..100)
        .map(|i| format!(r#"{{"licenseId": "LicenseRef-{i}", "name": "L{i}"}}"#))
        .collect();
    let source = format!(
        r#"{{"spdxVersion": "SPDX-2.3", "packages": [{{"name": "a", "licenseConcluded": "{}"}}],
            "hasExtractedLicensingInfos": [{}]}}"#,
        refs.join(" AND "),
        infos.join(", ")
    );
    let started = std::time::Instant::now();
    let doc = read(&source);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // The expression, its 100 distinct names, once each.
    assert_eq!(doc.components[0].fields.len(), 1 + 1 + 100);
}

#[test]
fn external_document_refs_are_read_from_json() {
    let doc = read(
        r#"{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",
  "externalDocumentRefs": [
    {"externalDocumentId": "DocumentRef-kit", "spdxDocument": "https://b.example/kit",
     "checksum": {"algorithm": "SHA1", "checksumValue": "d6a770ba38583ed4bb4525bd96e50461655d2759"}},
    {"externalDocumentId": "DocumentRef-nochecksum", "spdxDocument": "https://c.example/x"},
    {"spdxDocument": "https://d.example/no-id"}
  ],
  "packages": []}"#,
    );
    assert_eq!(doc.external_docs.len(), 2);
    assert_eq!(doc.external_docs[0].id, "DocumentRef-kit");
    assert_eq!(
        doc.external_docs[0].checksum.as_ref().map(|c| c.0.as_str()),
        Some("SHA1")
    );
    assert!(text(&doc, doc.external_docs[0].span).contains("DocumentRef-kit"));
    assert_eq!(doc.external_docs[1].checksum, None);
    assert!(codes(&doc).contains(&"missing-field"));
}

#[test]
fn ids_with_escapes_or_blanks_resolve_like_plain_ones() {
    // Ids are borrowed from the source unless they have escapes: both
    // kinds, trimmed, must name the same elements and keep their spans.
    let doc = read(
        r#"{
  "spdxVersion": "SPDX-2.3",
  "SPDXID": "SPDXRef-DOCUMENT",
  "packages": [
    {"SPDXID": "SPDXRef-\u0061pp", "name": "app"},
    {"SPDXID": " SPDXRef-lib ", "name": "lib"},
    {"SPDXID": "SPDXRef-tool", "name": "tool"}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-app"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-l\u0069b "},
    {"spdxElementId": " SPDXRef-lib", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-\u0074ool"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "DocumentRef-x:SPDXRef-\u0079"}
  ]
}"#,
    );
    assert_eq!(
        doc.components
            .iter()
            .map(|c| c.bom_ref.as_deref())
            .collect::<Vec<_>>(),
        [
            Some("SPDXRef-app"),
            Some("SPDXRef-lib"),
            Some("SPDXRef-tool")
        ]
    );
    assert_eq!(doc.roots, [0]);
    assert_eq!(
        index_edges(&doc),
        [(0, 1, EdgeKind::DependsOn), (2, 1, EdgeKind::DependsOn)]
    );
    let Some(external) = doc.reference(doc.relationships[2].to) else {
        panic!("{:?}", doc.relationships[2]);
    };
    assert_eq!(external.value, "DocumentRef-x:SPDXRef-y");
    assert_eq!(
        text(&doc, external.span),
        r#""DocumentRef-x:SPDXRef-\u0079""#
    );
}

#[test]
fn ends_are_found_across_batches_of_look_ups() {
    // More relationships than one batch of look-ups holds (512), with a
    // dangling end here and there on either side: every end must be the
    // component it names, or the reference it wrote, in order.
    use std::fmt::Write as _;
    let n = 1300;
    let mut text =
        String::from(r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","packages":["#);
    for i in 0..n {
        let comma = if i > 0 { "," } else { "" };
        let _ = write!(text, r#"{comma}{{"SPDXID":"SPDXRef-p{i}","name":"p{i}"}}"#);
    }
    text.push_str(r#"],"relationships":["#);
    let mut want = Vec::new();
    for i in 0..n {
        let comma = if i > 0 { "," } else { "" };
        let from = if i % 97 == 5 {
            format!("SPDXRef-gone{i}")
        } else {
            format!("SPDXRef-p{i}")
        };
        let to = match i % 89 {
            3 => format!("SPDXRef-lost{i}"),
            _ => format!("SPDXRef-p{}", (i * 7 + 1) % n),
        };
        let _ = write!(
            text,
            r#"{comma}{{"spdxElementId":"{from}","relationshipType":"DEPENDS_ON","relatedSpdxElement":"{to}"}}"#
        );
        want.push((from, EdgeKind::DependsOn, to));
    }
    text.push_str("]}");
    let doc = read(&text);
    let got = edges(&doc);
    let dangling = got
        .iter()
        .filter(|(f, _, t)| f.contains("gone") || t.contains("lost"));
    assert!(dangling.count() > 20, "the test has dangling ends");
    assert_eq!(got, want);
    // The references are kept in the order of the relationships, from
    // before to.
    let dangling: Vec<&str> = want
        .iter()
        .flat_map(|(from, _, to)| [from.as_str(), to.as_str()])
        .filter(|end| end.contains("gone") || end.contains("lost"))
        .collect();
    let kept: Vec<&str> = doc.references.iter().map(|r| r.value.as_str()).collect();
    assert_eq!(kept, dangling);
    for r in &doc.relationships {
        for end in [r.from, r.to] {
            // A component's own id always resolves to its index.
            if let Some(reference) = doc.reference(end) {
                assert!(!reference.value.contains("-p"), "{reference:?}");
            }
        }
    }
}
