//! The same BOM written in JSON and in XML reads to the same document:
//! the XML reader is held to the JSON reader's output, field by field.

use crate::model::{Document, EdgeKind, FieldKind, NodeRef, Role};
use crate::sbom::read;

const JSON: &str = r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "serialNumber": "urn:uuid:9a1c6a5e-1111-4d5b-9bb0-2a1e5f0c0001",
  "version": 1,
  "metadata": {
    "component": {
      "type": "device", "bom-ref": "gw", "name": "Borealis SG-400", "version": "4.2",
      "purl": "pkg:generic/borealis/sg-400@4.2",
      "components": [{"type": "firmware", "bom-ref": "fw", "name": "sg-firmware", "version": "4.2.1"}]
    },
    "manufacturer": {"name": "Borealis Inc", "url": ["https://borealis.example"]},
    "supplier": {"name": "Borealis Networks", "contact": [{"name": "Sales", "email": "sales@borealis.example"}]}
  },
  "components": [
    {
      "type": "library", "bom-ref": "mailscan",
      "supplier": {"name": "Borealis Networks"},
      "author": "Mail Team", "publisher": "Borealis",
      "group": "com.borealis", "name": "mailscan", "version": "2.0",
      "description": "Mail scanning module",
      "hashes": [{"alg": "SHA-256", "content": "AA11BB22"}],
      "licenses": [
        {"license": {"name": "Borealis EULA", "licensing": {
          "licensor": {"organization": {"name": "AO Kaspersky Lab"}},
          "licensee": {"organization": {"name": "Borealis Inc"}},
          "licenseTypes": ["oem"]}}},
        {"expression": "LicenseRef-KL-OEM"}
      ],
      "copyright": "(c) Borealis",
      "cpe": "cpe:2.3:a:borealis:mailscan:2.0:*:*:*:*:*:*:*",
      "purl": "pkg:generic/borealis/mailscan@2.0",
      "pedigree": {
        "ancestors": [{"type": "library", "bom-ref": "kav", "manufacturer": {"name": "Kaspersky Labs Limited"},
                       "authors": [{"name": "KL SDK team", "email": "sdk@kaspersky.example"}],
                       "name": "kav-sdk", "version": "8.9",
                       "components": [{"type": "library", "name": "kav-core"}]}],
        "variants": [{"type": "library", "name": "mailscan-lite"}]
      },
      "externalReferences": [{"type": "website", "url": "https://borealis.example/mailscan"}],
      "components": [{"type": "library", "bom-ref": "smtp", "name": "smtp-filter"}]
    },
    {"type": "library", "bom-ref": "tls", "name": "tls-lib", "version": "3"}
  ],
  "dependencies": [
    {"ref": "gw", "dependsOn": ["mailscan", "tls"]},
    {"ref": "mailscan", "dependsOn": ["tls", "missing"]},
    {"ref": "tls", "dependsOn": [], "provides": ["tls13"]}
  ]
}"#;

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"
     serialNumber="urn:uuid:9a1c6a5e-1111-4d5b-9bb0-2a1e5f0c0001" version="1">
  <metadata>
    <component type="device" bom-ref="gw">
      <name>Borealis SG-400</name>
      <version>4.2</version>
      <purl>pkg:generic/borealis/sg-400@4.2</purl>
      <components>
        <component type="firmware" bom-ref="fw"><name>sg-firmware</name><version>4.2.1</version></component>
      </components>
    </component>
    <manufacturer><name>Borealis Inc</name><url>https://borealis.example</url></manufacturer>
    <supplier>
      <name>Borealis Networks</name>
      <contact><name>Sales</name><email>sales@borealis.example</email></contact>
    </supplier>
  </metadata>
  <components>
    <component type="library" bom-ref="mailscan">
      <supplier><name>Borealis Networks</name></supplier>
      <author>Mail Team</author>
      <publisher>Borealis</publisher>
      <group>com.borealis</group>
      <name>mailscan</name>
      <version>2.0</version>
      <description>Mail scanning module</description>
      <hashes><hash alg="SHA-256">AA11BB22</hash></hashes>
      <licenses>
        <license>
          <name>Borealis EULA</name>
          <licensing>
            <licensor><organization><name>AO Kaspersky Lab</name></organization></licensor>
            <licensee><organization><name>Borealis Inc</name></organization></licensee>
            <licenseTypes><licenseType>oem</licenseType></licenseTypes>
          </licensing>
        </license>
        <expression>LicenseRef-KL-OEM</expression>
      </licenses>
      <copyright>(c) Borealis</copyright>
      <cpe>cpe:2.3:a:borealis:mailscan:2.0:*:*:*:*:*:*:*</cpe>
      <purl>pkg:generic/borealis/mailscan@2.0</purl>
      <pedigree>
        <ancestors>
          <component type="library" bom-ref="kav">
            <manufacturer><name>Kaspersky Labs Limited</name></manufacturer>
            <authors><author><name>KL SDK team</name><email>sdk@kaspersky.example</email></author></authors>
            <name>kav-sdk</name>
            <version>8.9</version>
            <components><component type="library"><name>kav-core</name></component></components>
          </component>
        </ancestors>
        <variants><component type="library"><name>mailscan-lite</name></component></variants>
      </pedigree>
      <externalReferences>
        <reference type="website"><url>https://borealis.example/mailscan</url></reference>
      </externalReferences>
      <components><component type="library" bom-ref="smtp"><name>smtp-filter</name></component></components>
    </component>
    <component type="library" bom-ref="tls"><name>tls-lib</name><version>3</version></component>
  </components>
  <dependencies>
    <dependency ref="gw"><dependency ref="mailscan"/><dependency ref="tls"/></dependency>
    <dependency ref="mailscan"><dependency ref="tls"/><dependency ref="missing"/></dependency>
    <dependency ref="tls"><provides ref="tls13"/></dependency>
  </dependencies>
</bom>
"#;

type ComponentView<'d> = (
    &'d str,
    Option<&'d str>,
    Option<&'d str>,
    Option<&'d str>,
    Option<&'d str>,
    Role,
    Vec<(FieldKind, &'static str, &'d str)>,
);

fn components(doc: &Document) -> Vec<ComponentView<'_>> {
    doc.components
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.group.as_deref(),
                c.version.as_deref(),
                c.purl(doc.texts()),
                c.bom_ref.as_deref(),
                c.role,
                c.fields
                    .iter()
                    .map(|f| (f.kind, f.path.as_str(), f.value(doc.texts())))
                    .collect(),
            )
        })
        .collect()
}

fn node(doc: &Document, n: NodeRef) -> String {
    match n {
        NodeRef::Index(i) => format!("#{i}"),
        NodeRef::Ref(_) => doc.reference(n).unwrap().value.clone(),
    }
}

fn relationships(doc: &Document) -> Vec<(String, String, EdgeKind)> {
    doc.relationships
        .iter()
        .map(|r| (node(doc, r.from), node(doc, r.to), r.kind))
        .collect()
}

fn both() -> (Document, Document) {
    let json = match read("bom.cdx.json", JSON.as_bytes().to_vec()) {
        Ok(doc) => doc,
        Err(err) => panic!("{err}"),
    };
    let xml = match read("bom.cdx.xml", XML.as_bytes().to_vec()) {
        Ok(doc) => doc,
        Err(err) => panic!("{err}"),
    };
    (json, xml)
}

#[test]
fn json_and_xml_give_the_same_components_relationships_and_roots() {
    let (json, xml) = both();
    assert_eq!(json.spec_version, xml.spec_version);
    assert_eq!(json.serial_number, xml.serial_number);
    assert_eq!(json.roots, xml.roots);
    assert_eq!(xml.roots, [0]);
    assert_eq!(components(&xml), components(&json));
    assert_eq!(relationships(&xml), relationships(&json));
    assert!(json.diagnostics.is_empty(), "{:?}", json.diagnostics);
    assert!(xml.diagnostics.is_empty(), "{:?}", xml.diagnostics);

    // The sample exercises what it claims to.
    let kinds: Vec<EdgeKind> = xml.relationships.iter().map(|r| r.kind).collect();
    for kind in [
        EdgeKind::Contains,
        EdgeKind::WhiteLabelOf,
        EdgeKind::VariantOf,
        EdgeKind::DependsOn,
        EdgeKind::Provides,
    ] {
        assert!(kinds.contains(&kind), "{kind}");
    }
    assert_eq!(xml.components.len(), 8);
    assert!(xml.components.iter().any(|c| c.role == Role::Pedigree));
}

#[test]
fn spans_cover_the_same_text_in_both_encodings() {
    let (json, xml) = both();
    let text = |doc: &Document, span: crate::model::Span| doc.source[span.range()].to_owned();
    for (j, x) in json.components.iter().zip(&xml.components) {
        for (jf, xf) in j.fields.iter().zip(&x.fields) {
            // JSON spans include the quotes; XML spans are the text itself.
            assert_eq!(text(&json, jf.span).trim_matches('"'), text(&xml, xf.span));
        }
        let element = text(&xml, x.span);
        assert!(element.starts_with("<component") && element.ends_with("</component>"));
    }
    for (j, x) in json.relationships.iter().zip(&xml.relationships) {
        for (jn, xn) in [(j.from, x.from), (j.to, x.to)] {
            if let (Some(j), Some(x)) = (json.reference(jn), xml.reference(xn)) {
                let (js, xs) = (&j.span, &x.span);
                assert_eq!(text(&json, *js).trim_matches('"'), text(&xml, *xs));
            }
        }
    }
}
