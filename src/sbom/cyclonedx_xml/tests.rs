//! Unit tests of the CycloneDX XML reader: small inline documents, each
//! checking values *and* the source text under every span.

use crate::model::{
    Component, Diagnostic, Document, EdgeKind, FieldKind, Format, Level, Role, SourceText, Span,
};
use crate::sbom::testutil::{index_edges, ref_value};
use crate::sbom::{read as read_bytes, ReadError};

pub(super) fn read(text: &str) -> Document {
    match read_bytes("t.cdx.xml", text.as_bytes().to_vec()) {
        Ok(doc) => doc,
        Err(err) => panic!("{err}\n{err:?}"),
    }
}

pub(super) fn read_err(text: &str) -> ReadError {
    match read_bytes("t.cdx.xml", text.as_bytes().to_vec()) {
        Ok(doc) => panic!("read although it should not: {doc:?}"),
        Err(err) => err,
    }
}

/// A 1.6 BOM around `body`.
pub(super) fn bom(body: &str) -> String {
    format!("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" version=\"1\">{body}</bom>")
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

pub(super) fn diagnostic<'d>(doc: &'d Document, code: &str) -> &'d Diagnostic {
    match doc.diagnostics.iter().find(|d| d.code == code) {
        Some(d) => d,
        None => panic!("no {code} diagnostic in {:?}", doc.diagnostics),
    }
}

pub(super) fn ref_edges(doc: &Document) -> Vec<(&str, &str, EdgeKind)> {
    doc.relationships
        .iter()
        .map(|r| (ref_value(doc, r.from), ref_value(doc, r.to), r.kind))
        .collect()
}

pub(super) const FULL_1_6: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"
     serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
  <components>
    <component type="library" bom-ref="klav">
      <supplier>
        <name>AO Kaspersky Lab</name>
        <url>https://www.kaspersky.com</url>
        <contact>
          <name>OEM desk</name>
          <email>oem@kaspersky.com</email>
          <phone>1</phone>
        </contact>
      </supplier>
      <manufacturer><name>Kaspersky Labs Limited</name></manufacturer>
      <authors>
        <author><name>Jane Roe</name><email>jane@example.com</email></author>
      </authors>
      <author>Old Style Author</author>
      <publisher>Acme Publishing</publisher>
      <group>com.kaspersky</group>
      <name>kav-sdk</name>
      <version>8.9.1</version>
      <description>Anti-virus engine</description>
      <licenses>
        <license>
          <id>LicenseRef-KL-OEM</id>
          <name>Kaspersky OEM License</name>
          <url>https://example.com/license</url>
          <licensing>
            <licensor><organization><name>AO Kaspersky Lab</name></organization></licensor>
            <licensee><individual><name>John Doe</name></individual></licensee>
            <licenseTypes>
              <licenseType>oem</licenseType>
              <licenseType>appliance</licenseType>
            </licenseTypes>
          </licensing>
        </license>
        <expression>MIT OR Apache-2.0</expression>
      </licenses>
      <copyright>(c) Kaspersky</copyright>
      <cpe>cpe:2.3:a:kaspersky:anti-virus:8.9:*:*:*:*:*:*:*</cpe>
      <purl>pkg:generic/kaspersky/kav-sdk@8.9.1</purl>
      <hashes><hash alg="SHA-256">ABCDEF0123</hash></hashes>
      <externalReferences>
        <reference type="website"><url>https://www.kaspersky.com/oem</url></reference>
      </externalReferences>
    </component>
  </components>
</bom>
"#;

#[test]
fn every_identifying_field_with_its_path_value_and_span() {
    let doc = read(FULL_1_6);
    assert_eq!(doc.format, Format::CyclonedxXml);
    assert_eq!(doc.spec_version.as_deref(), Some("1.6"));
    assert_eq!(
        doc.serial_number.as_deref(),
        Some("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79")
    );
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    assert_eq!(doc.components.len(), 1);
    let c = &doc.components[0];
    assert_eq!(c.bom_ref.as_deref(), Some("klav"));
    assert_eq!(c.name, "kav-sdk");
    assert_eq!(c.group.as_deref(), Some("com.kaspersky"));
    assert_eq!(c.version.as_deref(), Some("8.9.1"));
    assert_eq!(
        c.purl(doc.texts()),
        Some("pkg:generic/kaspersky/kav-sdk@8.9.1")
    );
    assert_eq!(c.role, Role::Part);
    assert!(text(&doc, c.span).starts_with("<component type=\"library\" bom-ref=\"klav\">"));
    assert!(text(&doc, c.span).ends_with("</externalReferences>\n    </component>"));

    use FieldKind::*;
    let same = |kind, path, value| (kind, path, value, value);
    let expected = vec![
        same(Supplier, "supplier.name", "AO Kaspersky Lab"),
        same(Url, "supplier.url", "https://www.kaspersky.com"),
        same(Supplier, "supplier.contact.name", "OEM desk"),
        same(Supplier, "supplier.contact.email", "oem@kaspersky.com"),
        same(Manufacturer, "manufacturer.name", "Kaspersky Labs Limited"),
        same(Author, "authors.name", "Jane Roe"),
        same(Author, "authors.email", "jane@example.com"),
        same(Author, "author", "Old Style Author"),
        same(Publisher, "publisher", "Acme Publishing"),
        same(Group, "group", "com.kaspersky"),
        same(Name, "name", "kav-sdk"),
        same(Description, "description", "Anti-virus engine"),
        same(License, "licenses.license.id", "LicenseRef-KL-OEM"),
        same(License, "licenses.license.name", "Kaspersky OEM License"),
        same(Url, "licenses.license.url", "https://example.com/license"),
        same(
            Licensor,
            "licenses.license.licensing.licensor.organization.name",
            "AO Kaspersky Lab",
        ),
        same(
            Licensee,
            "licenses.license.licensing.licensee.individual.name",
            "John Doe",
        ),
        same(
            LicenseType,
            "licenses.license.licensing.licenseTypes",
            "oem",
        ),
        same(
            LicenseType,
            "licenses.license.licensing.licenseTypes",
            "appliance",
        ),
        same(License, "licenses.expression", "MIT OR Apache-2.0"),
        same(Copyright, "copyright", "(c) Kaspersky"),
        same(
            Cpe,
            "cpe",
            "cpe:2.3:a:kaspersky:anti-virus:8.9:*:*:*:*:*:*:*",
        ),
        same(Purl, "purl", "pkg:generic/kaspersky/kav-sdk@8.9.1"),
        (Hash, "hashes", "SHA-256:abcdef0123", "ABCDEF0123"),
        same(
            Url,
            "externalReferences.url",
            "https://www.kaspersky.com/oem",
        ),
    ];
    assert_eq!(fields(&doc, c), expected);
}

#[test]
fn spans_point_at_the_right_occurrence_of_repeated_text() {
    let doc = read(FULL_1_6);
    let c = &doc.components[0];
    let supplier = c.field(FieldKind::Supplier).unwrap();
    let licensor = c.field(FieldKind::Licensor).unwrap();
    assert_eq!(text(&doc, supplier.span), text(&doc, licensor.span));
    assert!(supplier.span.offset() < licensor.span.offset());
    assert!(doc.source[..supplier.span.offset()].ends_with("<supplier>\n        <name>"));
    assert!(doc.source[..licensor.span.offset()].ends_with("<licensor><organization><name>"));
}

#[test]
fn references_and_cdata_are_decoded_and_keep_their_written_span() {
    let doc = read(&bom("<components><component>\n\
         <name>\n   kl&#x2d;core  \n</name>\n\
         <supplier><name>AO &#xab;Kaspersky&#187; &quot;Lab&quot; &amp; Co</name></supplier>\n\
         <purl><![CDATA[pkg:generic/a&b<c>]]></purl>\n\
         <cpe>a<!-- comment -->b</cpe>\n\
         <hashes><hash alg=\"M&#68;5\"> &#65;b </hash></hashes>\n\
         </component></components>"));
    let c = &doc.components[0];
    assert_eq!(c.name, "kl-core");
    assert_eq!(c.purl(doc.texts()), Some("pkg:generic/a&b<c>"));
    assert_eq!(
        fields(&doc, c),
        vec![
            (FieldKind::Name, "name", "kl-core", "kl&#x2d;core"),
            (
                FieldKind::Supplier,
                "supplier.name",
                "AO «Kaspersky» \"Lab\" & Co",
                "AO &#xab;Kaspersky&#187; &quot;Lab&quot; &amp; Co"
            ),
            (
                FieldKind::Purl,
                "purl",
                "pkg:generic/a&b<c>",
                "pkg:generic/a&b<c>"
            ),
            (FieldKind::Cpe, "cpe", "ab", "a<!-- comment -->b"),
            (FieldKind::Hash, "hashes", "MD5:ab", "&#65;b"),
        ]
    );
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn non_ascii_text_keeps_byte_spans() {
    let doc = read(&bom(
        "<components><component><name>антивирус</name>\
         <supplier><name>АО «Лаборатория Касперского»</name></supplier></component></components>",
    ));
    let c = &doc.components[0];
    let f = c.field(FieldKind::Supplier).unwrap();
    assert_eq!(f.value(doc.texts()), "АО «Лаборатория Касперского»");
    assert_eq!(text(&doc, f.span), "АО «Лаборатория Касперского»");
}

#[test]
fn the_spec_version_comes_from_the_namespace() {
    for version in ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6"] {
        let doc = read(&format!(
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/{version}\" version=\"7\">\
             <components><component type=\"library\"><name>x</name></component></components></bom>"
        ));
        assert_eq!(doc.spec_version.as_deref(), Some(version));
        assert!(
            doc.diagnostics.is_empty(),
            "{version}: {:?}",
            doc.diagnostics
        );
        assert_eq!(doc.components.len(), 1, "{version}");
    }
    for (version, level) in [("1.7", Level::Info), ("2.0", Level::Warning)] {
        let doc = read(&format!(
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/{version}\">\
             <components><component><name>x</name></component></components></bom>"
        ));
        assert_eq!(doc.components.len(), 1);
        assert_eq!(doc.spec_version.as_deref(), Some(version));
        let d = diagnostic(&doc, "unknown-spec-version");
        assert_eq!(d.level, level, "{version}");
        assert_eq!(
            text(&doc, d.span.unwrap()),
            format!("http://cyclonedx.org/schema/bom/{version}")
        );
    }
}

#[test]
fn missing_and_unknown_namespaces_are_read_with_a_warning() {
    let doc = read(
        "<bom version=\"1\"><components><component><name>x</name></component></components></bom>",
    );
    assert_eq!(doc.spec_version, None);
    assert_eq!(doc.components[0].name, "x");
    let d = diagnostic(&doc, "unknown-spec-version");
    assert_eq!(d.level, Level::Warning);
    assert_eq!(text(&doc, d.span.unwrap()), "<bom");

    let doc = read(
        "<bom xmlns=\"urn:example:bom\"><components><component><name>x</name>\
         </component></components></bom>",
    );
    assert_eq!(doc.spec_version, None);
    assert_eq!(doc.components.len(), 1);
    let d = diagnostic(&doc, "unknown-spec-version");
    assert!(d.message.contains("urn:example:bom"), "{}", d.message);
    assert_eq!(text(&doc, d.span.unwrap()), "urn:example:bom");
}

#[test]
fn a_prefixed_cyclonedx_namespace_reads_the_same() {
    let doc = read(
        r#"<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.5">
  <cdx:components><cdx:component bom-ref="k"><cdx:name>kav</cdx:name>
    <name>not cyclonedx: no namespace</name></cdx:component></cdx:components>
</cdx:bom>"#,
    );
    assert_eq!(doc.spec_version.as_deref(), Some("1.5"));
    assert_eq!(doc.components.len(), 1);
    assert_eq!(doc.components[0].name, "kav");
    assert_eq!(doc.components[0].bom_ref.as_deref(), Some("k"));
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn version_1_0_shape_reads_without_diagnostics() {
    let doc = read(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.0" version="1">
  <components>
    <component type="application">
      <publisher>Kaspersky Lab ZAO</publisher>
      <group>org.example</group>
      <name>avp</name>
      <version>6.0</version>
      <hashes><hash alg="SHA-1">25ED8E31B995BB927966616DF2A42B979A2717F0</hash></hashes>
      <licenses><license><name>Proprietary</name></license></licenses>
      <cpe>cpe:/a:kaspersky:anti-virus:6.0</cpe>
      <purl>pkg:generic/kaspersky/avp@6.0</purl>
      <modified>false</modified>
      <components><component type="library"><name>klcore</name><version>1</version>
        <modified>true</modified></component></components>
    </component>
  </components>
</bom>"#,
    );
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    assert_eq!(doc.spec_version.as_deref(), Some("1.0"));
    let avp = &doc.components[0];
    let kinds: Vec<(FieldKind, &str)> = avp
        .fields
        .iter()
        .map(|f| (f.kind, f.path.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (FieldKind::Publisher, "publisher"),
            (FieldKind::Group, "group"),
            (FieldKind::Name, "name"),
            (FieldKind::Hash, "hashes"),
            (FieldKind::License, "licenses.license.name"),
            (FieldKind::Cpe, "cpe"),
            (FieldKind::Purl, "purl"),
        ]
    );
    assert_eq!(
        avp.field(FieldKind::Hash).unwrap().value(doc.texts()),
        "SHA-1:25ed8e31b995bb927966616df2a42b979a2717f0"
    );
    assert_eq!(index_edges(&doc), [(0, 1, EdgeKind::Contains)]);
    assert_eq!(doc.components[1].version.as_deref(), Some("1"));
}

#[test]
fn wrong_shapes_in_optional_fields_are_skipped_with_a_diagnostic() {
    let doc = read(&bom(r#"<components><component>
  <name>ok</name>
  <version><major>3</major></version>
  <supplier>Acme</supplier>
  <purl><x>y</x></purl>
  <hashes>abc<hash>00</hash><hash alg="MD5"/></hashes>
  <manufacturer><name>Real Name</name><url><a>b</a></url></manufacturer>
</component>
<library><name>not a component</name></library>
</components>"#));
    let c = &doc.components[0];
    assert_eq!(doc.components.len(), 1);
    assert_eq!(c.name, "ok");
    assert_eq!(c.version, None);
    assert_eq!(c.purl(doc.texts()), None);
    assert_eq!(
        fields(&doc, c),
        [
            (FieldKind::Name, "name", "ok", "ok"),
            (
                FieldKind::Manufacturer,
                "manufacturer.name",
                "Real Name",
                "Real Name"
            ),
        ]
    );
    let found: Vec<(&str, &str)> = doc
        .diagnostics
        .iter()
        .map(|d| (d.code, text(&doc, d.span.unwrap())))
        .collect();
    assert_eq!(
        found,
        [
            (
                "wrong-type",
                "<library><name>not a component</name></library>"
            ),
            ("wrong-type", "<version><major>3</major></version>"),
            ("wrong-type", "Acme"),
            ("wrong-type", "<purl><x>y</x></purl>"),
            ("wrong-type", "abc"),
            ("missing-field", "<hash>00</hash>"),
            ("missing-field", "<hash alg=\"MD5\"/>"),
            ("wrong-type", "<url><a>b</a></url>"),
        ]
    );
    assert!(doc.diagnostics.iter().all(|d| d.level == Level::Warning));
    assert_eq!(
        doc.diagnostics[2].message,
        "`supplier` should hold elements, found text; the text is skipped"
    );
}

#[test]
fn components_without_a_name_are_kept_and_reported() {
    let doc = read(&bom(
        "<components><component bom-ref=\"nameless\"><purl>pkg:generic/kaspersky/x</purl>\
         </component><component/><component><name>  </name></component></components>",
    ));
    assert_eq!(doc.components.len(), 3);
    assert!(doc.components.iter().all(|c| c.name.trim().is_empty()));
    assert_eq!(
        doc.components[0].purl(doc.texts()),
        Some("pkg:generic/kaspersky/x")
    );
    assert_eq!(
        codes(&doc),
        ["missing-field", "missing-field", "missing-field"]
    );
    assert!(doc.diagnostics[0].message.contains("\"nameless\""));
    assert_eq!(text(&doc, doc.diagnostics[1].span.unwrap()), "<component/>");
    assert!(doc.components[2].field(FieldKind::Name).is_none());
}

#[test]
fn repeated_single_elements_keep_the_first() {
    let doc = read(&bom(
        "<components><component bom-ref=\"x\"><name>first</name><name>second</name>\
         <supplier><name>S1</name><name>S2</name></supplier></component>\
         <component bom-ref=\"x\"><name>twin</name></component></components>",
    ));
    assert_eq!(doc.components.len(), 2);
    assert_eq!(doc.components[0].name, "first");
    let values: Vec<&str> = doc.components[0]
        .fields
        .iter()
        .map(|f| f.value(doc.texts()))
        .collect();
    assert_eq!(values, ["first", "S1"]);
    assert_eq!(codes(&doc), ["duplicate-key", "duplicate-key"]);
    assert_eq!(
        text(&doc, doc.diagnostics[0].span.unwrap()),
        "<name>second</name>"
    );
}

#[test]
fn unknown_and_foreign_elements_are_ignored_silently() {
    let doc = read(
        r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6" xmlns:x="urn:x" x:extra="1">
  <x:components><x:component><x:name>hidden</x:name></x:component></x:components>
  <services><service><name>svc</name></service></services>
  <components>
    <component type="no-such-type" x:attr="1" unknown="2">
      <x:name>not the name</x:name>
      <name>a</name>
      <scope>weird</scope>
      <properties><property name="p">v</property></properties>
      <x:components><component><name>inside foreign</name></component></x:components>
      <evidence><identity><field>purl</field></identity></evidence>
    </component>
  </components>
</bom>"#,
    );
    let names: Vec<&str> = doc.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a"]);
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn the_document_keeps_its_name_and_source() {
    let text = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>";
    let doc = super::read("dir/given name.xml", crate::model::SourceText::from(text)).unwrap();
    assert_eq!(doc.name, "dir/given name.xml");
    assert_eq!(&*doc.source, text);
    assert_eq!(doc.format, Format::CyclonedxXml);
    assert!(doc.components.is_empty() && doc.relationships.is_empty());
    assert!(doc.diagnostics.is_empty());

    let source: SourceText = SourceText::from(text);
    assert_eq!(
        crate::sbom::detect("d.xml", &source).unwrap(),
        Format::CyclonedxXml
    );
    // The JSON reader's entry point hands XML over too.
    let doc = crate::sbom::cyclonedx::read("d.xml", source).unwrap();
    assert_eq!(doc.format, Format::CyclonedxXml);
}

#[test]
fn a_root_other_than_bom_is_not_a_bom() {
    let err = super::read(
        "x.xml",
        crate::model::SourceText::from("<project><bom/></project>"),
    )
    .unwrap_err();
    let ReadError::NotAnSbom { reason, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(reason.contains("<project>"), "{reason}");
    assert_eq!(err.line_col(), Some((1, 1)));
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_keep_spans_exact() {
    let doc = read(&format!(
        "\u{feff}<?xml version=\"1.0\"?>\r\n{}",
        bom("<components><component><name>a\r\nb</name><cpe>x</cpe></component></components>")
    ));
    let c = &doc.components[0];
    // XML reads a line end as `\n`; the span keeps what is written.
    assert_eq!(c.name, "a\nb");
    assert_eq!(
        fields(&doc, c),
        [
            (FieldKind::Name, "name", "a\nb", "a\r\nb"),
            (FieldKind::Cpe, "cpe", "x", "x")
        ]
    );
    assert!(text(&doc, c.span).starts_with("<component>"));
}
