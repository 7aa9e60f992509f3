//! Unit tests of the CycloneDX JSON reader: small inline documents, each
//! checking values *and* the source text under every span.

use std::time::{Duration, Instant};

use crate::model::{
    Component, Diagnostic, Document, EdgeKind, FieldKind, Level, NodeRef, Relationship, Role, Span,
};
use crate::sbom::testutil::{index_edges, ref_value};
use crate::sbom::{read as read_bytes, ReadError};

fn read(text: &str) -> Document {
    match read_bytes("t.cdx.json", text.as_bytes().to_vec()) {
        Ok(doc) => doc,
        Err(err) => panic!("{err}\n{err:?}"),
    }
}

fn read_err(text: &str) -> ReadError {
    match read_bytes("t.cdx.json", text.as_bytes().to_vec()) {
        Ok(doc) => panic!("read although it should not: {doc:?}"),
        Err(err) => err,
    }
}

fn text(doc: &Document, span: Span) -> &str {
    &doc.source[span.range()]
}

/// (kind, path, value, source text at the span) of every field.
fn fields<'d>(
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

fn codes(doc: &Document) -> Vec<&'static str> {
    doc.diagnostics.iter().map(|d| d.code).collect()
}

fn diagnostic<'d>(doc: &'d Document, code: &str) -> &'d Diagnostic {
    match doc.diagnostics.iter().find(|d| d.code == code) {
        Some(d) => d,
        None => panic!("no {code} diagnostic in {:?}", doc.diagnostics),
    }
}

fn by_name<'d>(doc: &'d Document, name: &str) -> (usize, &'d Component) {
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

const FULL_1_6: &str = r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
  "components": [
    {
      "type": "library",
      "bom-ref": "klav",
      "supplier": {
        "name": "AO Kaspersky Lab",
        "url": ["https://www.kaspersky.com"],
        "contact": [{"name": "OEM desk", "email": "oem@kaspersky.com", "phone": "1"}]
      },
      "manufacturer": {"name": "Kaspersky Labs Limited"},
      "authors": [{"name": "Jane Roe", "email": "jane@example.com"}],
      "author": "Old Style Author",
      "publisher": "Acme Publishing",
      "group": "com.kaspersky",
      "name": "kav-sdk",
      "version": "8.9.1",
      "description": "Anti-virus engine",
      "licenses": [
        {
          "license": {
            "id": "LicenseRef-KL-OEM",
            "name": "Kaspersky OEM License",
            "url": "https://example.com/license",
            "licensing": {
              "licensor": {"organization": {"name": "AO Kaspersky Lab"}},
              "licensee": {"individual": {"name": "John Doe"}},
              "licenseTypes": ["oem", "appliance"]
            }
          }
        },
        {"expression": "MIT OR Apache-2.0"}
      ],
      "copyright": "(c) Kaspersky",
      "cpe": "cpe:2.3:a:kaspersky:anti-virus:8.9:*:*:*:*:*:*:*",
      "purl": "pkg:generic/kaspersky/kav-sdk@8.9.1",
      "hashes": [{"alg": "SHA-256", "content": "ABCDEF0123"}],
      "externalReferences": [{"type": "website", "url": "https://www.kaspersky.com/oem"}]
    }
  ]
}"#;

#[test]
fn every_identifying_field_with_its_path_value_and_span() {
    let doc = read(FULL_1_6);
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
    assert!(text(&doc, c.span).starts_with("{\n      \"type\": \"library\""));
    assert!(text(&doc, c.span).ends_with("\"https://www.kaspersky.com/oem\"}]\n    }"));

    use FieldKind::*;
    let expected = vec![
        (
            Supplier,
            "supplier.name",
            "AO Kaspersky Lab",
            "\"AO Kaspersky Lab\"",
        ),
        (
            Url,
            "supplier.url",
            "https://www.kaspersky.com",
            "\"https://www.kaspersky.com\"",
        ),
        (
            Supplier,
            "supplier.contact.name",
            "OEM desk",
            "\"OEM desk\"",
        ),
        (
            Supplier,
            "supplier.contact.email",
            "oem@kaspersky.com",
            "\"oem@kaspersky.com\"",
        ),
        (
            Manufacturer,
            "manufacturer.name",
            "Kaspersky Labs Limited",
            "\"Kaspersky Labs Limited\"",
        ),
        (Author, "authors.name", "Jane Roe", "\"Jane Roe\""),
        (
            Author,
            "authors.email",
            "jane@example.com",
            "\"jane@example.com\"",
        ),
        (Author, "author", "Old Style Author", "\"Old Style Author\""),
        (
            Publisher,
            "publisher",
            "Acme Publishing",
            "\"Acme Publishing\"",
        ),
        (Group, "group", "com.kaspersky", "\"com.kaspersky\""),
        (Name, "name", "kav-sdk", "\"kav-sdk\""),
        (
            Description,
            "description",
            "Anti-virus engine",
            "\"Anti-virus engine\"",
        ),
        (
            License,
            "licenses.license.id",
            "LicenseRef-KL-OEM",
            "\"LicenseRef-KL-OEM\"",
        ),
        (
            License,
            "licenses.license.name",
            "Kaspersky OEM License",
            "\"Kaspersky OEM License\"",
        ),
        (
            Url,
            "licenses.license.url",
            "https://example.com/license",
            "\"https://example.com/license\"",
        ),
        (
            Licensor,
            "licenses.license.licensing.licensor.organization.name",
            "AO Kaspersky Lab",
            "\"AO Kaspersky Lab\"",
        ),
        (
            Licensee,
            "licenses.license.licensing.licensee.individual.name",
            "John Doe",
            "\"John Doe\"",
        ),
        (
            LicenseType,
            "licenses.license.licensing.licenseTypes",
            "oem",
            "\"oem\"",
        ),
        (
            LicenseType,
            "licenses.license.licensing.licenseTypes",
            "appliance",
            "\"appliance\"",
        ),
        (
            License,
            "licenses.expression",
            "MIT OR Apache-2.0",
            "\"MIT OR Apache-2.0\"",
        ),
        (Copyright, "copyright", "(c) Kaspersky", "\"(c) Kaspersky\""),
        (
            Cpe,
            "cpe",
            "cpe:2.3:a:kaspersky:anti-virus:8.9:*:*:*:*:*:*:*",
            "\"cpe:2.3:a:kaspersky:anti-virus:8.9:*:*:*:*:*:*:*\"",
        ),
        (
            Purl,
            "purl",
            "pkg:generic/kaspersky/kav-sdk@8.9.1",
            "\"pkg:generic/kaspersky/kav-sdk@8.9.1\"",
        ),
        (Hash, "hashes", "SHA-256:abcdef0123", "\"ABCDEF0123\""),
        (
            Url,
            "externalReferences.url",
            "https://www.kaspersky.com/oem",
            "\"https://www.kaspersky.com/oem\"",
        ),
    ];
    assert_eq!(fields(&doc, c), expected);
}

#[test]
fn spans_point_at_the_right_occurrence_of_repeated_text() {
    // The same text in two places: each field's span is its own literal.
    let doc = read(FULL_1_6);
    let c = &doc.components[0];
    let supplier = c.field(FieldKind::Supplier).unwrap();
    let licensor = c.field(FieldKind::Licensor).unwrap();
    assert_eq!(text(&doc, supplier.span), text(&doc, licensor.span));
    assert!(supplier.span.offset() < licensor.span.offset());
    let line_of = |span: Span| {
        doc.source[..span.offset()]
            .lines()
            .last()
            .unwrap_or_default()
    };
    assert_eq!(line_of(supplier.span).trim(), "\"name\":");
    assert!(line_of(licensor.span).ends_with("\"licensor\": {\"organization\": {\"name\": "));
}

#[test]
fn escaped_strings_are_decoded_and_keep_their_literal_span() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
            {"name": "kl\u002dcore", "supplier": {"name": "AO \u00abKaspersky\u00bb \"Lab\""},
             "hashes": [{"alg": "MD5", "content": "\u0041b"}]}]}"#,
    );
    let c = &doc.components[0];
    assert_eq!(c.name, "kl-core");
    assert_eq!(
        fields(&doc, c),
        vec![
            (FieldKind::Name, "name", "kl-core", r#""kl\u002dcore""#),
            (
                FieldKind::Supplier,
                "supplier.name",
                "AO «Kaspersky» \"Lab\"",
                r#""AO \u00abKaspersky\u00bb \"Lab\"""#
            ),
            (FieldKind::Hash, "hashes", "MD5:ab", r#""\u0041b""#),
        ]
    );
}

#[test]
fn non_ascii_text_keeps_byte_spans() {
    let doc = read(
        "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [\
         {\"name\": \"антивирус\", \"supplier\": {\"name\": \"АО «Лаборатория Касперского»\"}}]}",
    );
    let c = &doc.components[0];
    let f = c.field(FieldKind::Supplier).unwrap();
    assert_eq!(f.value(doc.texts()), "АО «Лаборатория Касперского»");
    assert_eq!(text(&doc, f.span), "\"АО «Лаборатория Касперского»\"");
}

#[test]
fn nested_components_become_contains_edges_in_document_order() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [
          {"name": "a", "components": [
            {"name": "a1", "components": [{"name": "a1x"}]},
            {"name": "a2"}]},
          {"name": "b"}]}"#,
    );
    let names: Vec<&str> = doc.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "a1", "a1x", "a2", "b"]);
    assert_eq!(
        index_edges(&doc),
        [
            (0, 1, EdgeKind::Contains),
            (1, 2, EdgeKind::Contains),
            (0, 3, EdgeKind::Contains)
        ]
    );
    for r in &doc.relationships {
        let NodeRef::Index(child) = r.to else {
            panic!()
        };
        assert_eq!(r.span, doc.components[child as usize].span);
    }
    assert_eq!(text(&doc, doc.components[2].span), r#"{"name": "a1x"}"#);
    assert!(doc.roots.is_empty());
    assert!(doc.components.iter().all(|c| c.role == Role::Part));
}

#[test]
fn metadata_component_is_the_root_and_gets_the_bom_level_supplier() {
    let doc = read(
        r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.5",
  "metadata": {
    "authors": [{"name": "BOM Writer"}],
    "supplier": {"name": "Borealis Networks"},
    "component": {
      "bom-ref": "sg400",
      "name": "Borealis SG-400",
      "components": [{"bom-ref": "mail", "name": "mailscan"}]
    },
    "manufacture": {"name": "Borealis Manufacturing"},
    "manufacturer": {"name": "Borealis Inc"}
  },
  "components": [{"name": "other"}]
}"#,
    );
    assert_eq!(doc.roots, [0]);
    let root = &doc.components[0];
    assert_eq!(root.name, "Borealis SG-400");
    assert_eq!(
        fields(&doc, root),
        vec![
            (
                FieldKind::Supplier,
                "metadata.supplier.name",
                "Borealis Networks",
                "\"Borealis Networks\""
            ),
            (
                FieldKind::Name,
                "name",
                "Borealis SG-400",
                "\"Borealis SG-400\""
            ),
            (
                FieldKind::Manufacturer,
                "metadata.manufacture.name",
                "Borealis Manufacturing",
                "\"Borealis Manufacturing\""
            ),
            (
                FieldKind::Manufacturer,
                "metadata.manufacturer.name",
                "Borealis Inc",
                "\"Borealis Inc\""
            ),
        ]
    );
    assert_eq!(doc.components[1].name, "mailscan");
    assert_eq!(doc.components[2].name, "other");
    assert_eq!(index_edges(&doc), [(0, 1, EdgeKind::Contains)]);
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn bom_level_supplier_without_a_root_is_reported() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
            "metadata": {"supplier": {"name": "AO Kaspersky Lab"}}, "components": []}"#,
    );
    assert!(doc.roots.is_empty());
    let d = diagnostic(&doc, "metadata-without-component");
    assert_eq!(d.level, Level::Warning);
    assert!(
        d.message.contains("metadata.supplier.name"),
        "{}",
        d.message
    );
    assert_eq!(text(&doc, d.span.unwrap()), "\"AO Kaspersky Lab\"");
}

#[test]
fn dependencies_and_provides_resolve_local_refs_and_keep_the_rest_with_spans() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
  "components": [{"bom-ref": "app", "name": "app"}, {"bom-ref": "lib", "name": "lib"}],
  "dependencies": [
    {"ref": "app", "dependsOn": ["lib", "ghost"]},
    {"ref": "lib", "dependsOn": [], "provides": ["aes128gcm"]},
    {"ref": "lonely"}
  ]}"#,
    );
    let edges: Vec<(&str, &str, EdgeKind)> = doc
        .relationships
        .iter()
        .map(|r| (ref_value(&doc, r.from), ref_value(&doc, r.to), r.kind))
        .collect();
    assert_eq!(
        edges,
        [
            ("app", "lib", EdgeKind::DependsOn),
            ("app", "ghost", EdgeKind::DependsOn),
            ("lib", "aes128gcm", EdgeKind::Provides),
        ]
    );
    // Ends naming a component are its index; the others keep their text.
    assert_eq!(index_edges(&doc), [(0, 1, EdgeKind::DependsOn)]);
    let Relationship { from, to, span, .. } = &doc.relationships[1];
    let (NodeRef::Index(0), Some(to_ref)) = (from, doc.reference(*to)) else {
        panic!("{from:?} {to:?}")
    };
    let to_span = &to_ref.span;
    assert_eq!(text(&doc, *to_span), "\"ghost\"");
    assert!(doc.source[..to_span.offset()].ends_with("[\"lib\", "));
    assert_eq!(span, to_span);
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

/// A document of components `c0` to `c{n-1}` and the dependency
/// `entries` given, read.
fn read_with_entries(n: usize, entries: &[String]) -> Document {
    let components: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"bom-ref": "c{i}", "name": "c{i}"}}"#))
        .collect();
    read(&format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{}], "dependencies": [{}]}}"#,
        components.join(","),
        entries.join(",")
    ))
}

/// A chunk of dependency entries can defer more ends than one call of
/// the pipelined look-up takes (1,024): each of these 256-entry chunks
/// defers 1,536. Every end must still name its own component, ghosts
/// included.
#[test]
fn more_deferred_ends_in_a_chunk_than_one_look_up_takes_all_resolve() {
    let n = 600;
    // Entry i depends on c{i+1} .. c{i+5} (past the last component, a
    // dangling ref) and on ghost{i}.
    let entries: Vec<String> = (0..n)
        .map(|i| {
            let targets: Vec<String> = (1..=5).map(|k| format!(r#""c{}""#, i + k)).collect();
            format!(
                r#"{{"ref": "c{i}", "dependsOn": [{}, "ghost{i}"]}}"#,
                targets.join(", ")
            )
        })
        .collect();
    let doc = read_with_entries(n, &entries);
    let ends: Vec<(usize, NodeRef)> = doc
        .relationships
        .iter()
        .map(|r| match r.from {
            NodeRef::Index(from) => (from as usize, r.to),
            other => panic!("a local from became {other:?}"),
        })
        .collect();
    assert_eq!(ends.len(), n * 6);
    for (k, &(from, to)) in ends.iter().enumerate() {
        let (i, j) = (k / 6, k % 6);
        assert_eq!(from, i);
        match (j, to) {
            (5, NodeRef::Ref(_)) => assert_eq!(ref_value(&doc, to), format!("ghost{i}")),
            (_, NodeRef::Index(t)) => assert_eq!(t as usize, i + j + 1),
            (_, NodeRef::Ref(_)) => {
                assert!(i + j + 1 >= n, "c{} is a component", i + j + 1);
                assert_eq!(ref_value(&doc, to), format!("c{}", i + j + 1));
            }
        }
    }
}

/// Ends are looked up in batches after their chunk is read; escaped ones
/// at once. Both kinds, in more entries than one batch and one chunk
/// hold, must land on the relationship they belong to.
#[test]
fn every_end_resolves_in_place_escaped_or_not_across_batches_and_chunks() {
    let n = 700;
    // Entry i depends on c{i+1} (its `c` escaped when i is a multiple of
    // 3), on a ghost (escaped when i is a multiple of 5), and on c{i+2}.
    let entries: Vec<String> = (0..n)
        .map(|i| {
            let c = if i % 3 == 0 { r"\u0063" } else { "c" };
            let g = if i % 5 == 0 { r"\u0067" } else { "g" };
            format!(
                r#"{{"ref": "c{i}", "dependsOn": ["{c}{}", "{g}host{i}", "c{}"]}}"#,
                i + 1,
                i + 2
            )
        })
        .collect();
    let doc = read_with_entries(n, &entries);
    let ends: Vec<(&str, &str)> = doc
        .relationships
        .iter()
        .map(|r| (ref_value(&doc, r.from), ref_value(&doc, r.to)))
        .collect();
    let expected: Vec<(String, String)> = (0..n)
        .flat_map(|i| {
            [
                (format!("c{i}"), format!("c{}", i + 1)),
                (format!("c{i}"), format!("ghost{i}")),
                (format!("c{i}"), format!("c{}", i + 2)),
            ]
        })
        .collect();
    let expected: Vec<(&str, &str)> = expected
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(ends, expected);
    // The ghosts, c{n} (named twice) and c{n+1} name no component; every
    // other end is an index, and every end that stays a reference keeps
    // its literal.
    let refs: Vec<&Relationship> = doc
        .relationships
        .iter()
        .filter(|r| matches!(r.to, NodeRef::Ref(_)))
        .collect();
    assert_eq!(refs.len(), n + 3);
    for r in refs {
        let Some(to) = doc.reference(r.to) else {
            unreachable!()
        };
        assert_eq!(to.span, r.span);
        let literal = text(&doc, to.span);
        assert!(
            literal.starts_with('"') && literal.ends_with('"'),
            "{literal}"
        );
    }
}

#[test]
fn old_nested_dependency_objects_are_followed() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.2", "components": [],
  "dependencies": [
    {"ref": "a", "dependsOn": [
      {"ref": "b", "dependsOn": [{"ref": "c"}, "d"]},
      "e"
    ]}
  ]}"#,
    );
    let mut edges: Vec<(&str, &str)> = doc
        .relationships
        .iter()
        .map(|r| (ref_value(&doc, r.from), ref_value(&doc, r.to)))
        .collect();
    edges.sort_unstable();
    assert_eq!(edges, [("a", "b"), ("a", "e"), ("b", "c"), ("b", "d")]);
    let ab = doc
        .relationships
        .iter()
        .find(|r| ref_value(&doc, r.to) == "b")
        .unwrap();
    assert!(text(&doc, ab.span).starts_with("{\"ref\": \"b\""));
    assert!(doc
        .relationships
        .iter()
        .all(|r| r.kind == EdgeKind::DependsOn));
}

#[test]
fn broken_dependencies_are_diagnostics_not_errors() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "x"}],
  "dependencies": [
    {"dependsOn": ["a"]},
    {"ref": 7, "dependsOn": ["b"]},
    "c",
    {"ref": "d", "dependsOn": "e", "provides": [1]},
    {"ref": "f", "dependsOn": [null, 2, "g"]}
  ]}"#,
    );
    assert_eq!(doc.components.len(), 1);
    assert_eq!(doc.relationships.len(), 1);
    assert_eq!(ref_value(&doc, doc.relationships[0].to), "g");
    assert_eq!(
        codes(&doc),
        [
            "missing-field",
            "wrong-type",
            "wrong-type",
            "wrong-type",
            "wrong-type",
            "wrong-type"
        ]
    );
    let spans: Vec<&str> = doc
        .diagnostics
        .iter()
        .map(|d| text(&doc, d.span.unwrap()))
        .collect();
    assert_eq!(
        spans,
        ["{\"dependsOn\": [\"a\"]}", "7", "\"c\"", "\"e\"", "1", "2"]
    );

    let doc = read(r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "dependencies": {}}"#);
    assert_eq!(codes(&doc), ["wrong-type"]);
}

#[test]
fn pedigree_ancestors_and_variants_are_pedigree_components() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
  {"name": "secure-mail", "pedigree": {
     "ancestors": [{"name": "kav-engine", "supplier": {"name": "AO Kaspersky Lab"},
                    "components": [{"name": "kav-core"}],
                    "pedigree": {"ancestors": [{"name": "kav-origin"}]}}],
     "descendants": [{"name": "secure-mail-ng"}],
     "variants": [{"name": "secure-mail-lite"}]
   },
   "components": [{"name": "smtp"}]},
  {"name": "after"}]}"#,
    );
    let names: Vec<(&str, Role)> = doc
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.role))
        .collect();
    assert_eq!(
        names,
        [
            ("secure-mail", Role::Part),
            ("kav-engine", Role::Pedigree),
            ("kav-core", Role::Pedigree),
            ("kav-origin", Role::Pedigree),
            ("secure-mail-lite", Role::Pedigree),
            ("smtp", Role::Part),
            ("after", Role::Part),
        ]
    );
    assert_eq!(
        index_edges(&doc),
        [
            (0, 1, EdgeKind::WhiteLabelOf),
            (1, 2, EdgeKind::Contains),
            (1, 3, EdgeKind::WhiteLabelOf),
            (0, 4, EdgeKind::VariantOf),
            (0, 5, EdgeKind::Contains),
        ]
    );
    assert_eq!(
        doc.components[1]
            .field(FieldKind::Supplier)
            .unwrap()
            .value(doc.texts()),
        "AO Kaspersky Lab"
    );
    assert!(!doc.components.iter().any(|c| c.name == "secure-mail-ng"));
}

#[test]
fn version_1_2_shape_reads_without_diagnostics() {
    let doc = read(
        r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.2",
  "version": 1,
  "metadata": {"component": {"type": "application", "name": "gw", "version": "2"}},
  "components": [
    {
      "type": "library",
      "author": "Kaspersky Lab ZAO",
      "supplier": {"name": "Kaspersky Lab ZAO", "url": ["https://kaspersky.com"]},
      "name": "avp",
      "version": "6.0",
      "licenses": [{"license": {"name": "Proprietary"}}],
      "hashes": [{"alg": "SHA-1", "content": "25ED8E31B995BB927966616DF2A42B979A2717F0"}],
      "modified": false
    }
  ]
}"#,
    );
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    assert_eq!(doc.spec_version.as_deref(), Some("1.2"));
    assert_eq!(doc.roots, [0]);
    assert_eq!(doc.components[0].version.as_deref(), Some("2"));
    let (_, avp) = by_name(&doc, "avp");
    let kinds: Vec<(FieldKind, &str)> = avp
        .fields
        .iter()
        .map(|f| (f.kind, f.path.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (FieldKind::Author, "author"),
            (FieldKind::Supplier, "supplier.name"),
            (FieldKind::Url, "supplier.url"),
            (FieldKind::Name, "name"),
            (FieldKind::License, "licenses.license.name"),
            (FieldKind::Hash, "hashes"),
        ]
    );
    assert_eq!(
        avp.field(FieldKind::Hash).unwrap().value(doc.texts()),
        "SHA-1:25ed8e31b995bb927966616df2a42b979a2717f0"
    );
}

#[test]
fn spec_versions_outside_1_2_to_1_6_are_read_with_a_diagnostic() {
    let with = |version: &str| {
        read(&format!(
            r#"{{"bomFormat": "CycloneDX", {version} "components": [{{"name": "x"}}]}}"#
        ))
    };
    for known in ["1.2", "1.3", "1.4", "1.5", "1.6"] {
        let doc = with(&format!("\"specVersion\": \"{known}\","));
        assert!(doc.diagnostics.is_empty(), "{known}");
    }
    for (version, level) in [
        ("\"1.7\"", Level::Info),
        ("\"1.1\"", Level::Info),
        ("\"1.0\"", Level::Info),
        ("\"2.0\"", Level::Warning),
    ] {
        let doc = with(&format!("\"specVersion\": {version},"));
        assert_eq!(doc.components.len(), 1);
        let d = diagnostic(&doc, "unknown-spec-version");
        assert_eq!(d.level, level, "{version}");
        assert_eq!(text(&doc, d.span.unwrap()), version);
        assert_eq!(doc.spec_version.as_deref(), Some(version.trim_matches('"')));
    }

    let doc = with("");
    assert_eq!(doc.spec_version, None);
    assert_eq!(
        diagnostic(&doc, "unknown-spec-version").level,
        Level::Warning
    );

    let doc = with("\"specVersion\": 1.5,");
    assert_eq!(doc.spec_version.as_deref(), Some("1.5"));
    assert_eq!(codes(&doc), ["wrong-type"]);
}

#[test]
fn wrong_types_in_optional_fields_are_skipped_with_a_diagnostic() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": 5, "components": [
  {"name": "ok", "version": 3, "supplier": "Acme", "hashes": {}, "licenses": "MIT",
   "purl": ["x"], "authors": [{"name": true}], "externalReferences": [1],
   "manufacturer": {"name": "Real Name", "url": "https://not-an-array"},
   "cpe": null, "bom-ref": {}}
]}"#,
    );
    let c = &doc.components[0];
    assert_eq!(c.name, "ok");
    assert_eq!(c.version, None);
    assert_eq!(c.purl(doc.texts()), None);
    assert_eq!(c.bom_ref, None);
    assert_eq!(doc.serial_number, None);
    assert_eq!(
        fields(&doc, c),
        [
            (FieldKind::Name, "name", "ok", "\"ok\""),
            (
                FieldKind::Manufacturer,
                "manufacturer.name",
                "Real Name",
                "\"Real Name\""
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
            ("wrong-type", "5"),
            ("wrong-type", "{}"),
            ("wrong-type", "3"),
            ("wrong-type", "[\"x\"]"),
            ("wrong-type", "\"Acme\""),
            ("wrong-type", "\"https://not-an-array\""),
            ("wrong-type", "true"),
            ("wrong-type", "\"MIT\""),
            ("wrong-type", "{}"),
            ("wrong-type", "1"),
        ]
    );
    assert!(doc.diagnostics.iter().all(|d| d.level == Level::Warning));
    let supplier = &doc.diagnostics[4].message;
    assert_eq!(
        supplier,
        "`supplier` should be an object, found a string; skipped"
    );
}

#[test]
fn components_without_a_name_are_kept_and_reported() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
  {"bom-ref": "nameless", "purl": "pkg:generic/kaspersky/x"}, {}, {"name": ""}]}"#,
    );
    assert_eq!(doc.components.len(), 3);
    assert!(doc.components.iter().all(|c| c.name.is_empty()));
    assert_eq!(
        doc.components[0].purl(doc.texts()),
        Some("pkg:generic/kaspersky/x")
    );
    assert_eq!(
        codes(&doc),
        ["missing-field", "missing-field", "missing-field"]
    );
    assert!(doc.diagnostics[0].message.contains("\"nameless\""));
    assert_eq!(text(&doc, doc.diagnostics[1].span.unwrap()), "{}");
    assert!(doc.components[2].field(FieldKind::Name).is_none());
}

#[test]
fn duplicate_bom_refs_and_keys_are_kept_leniently() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
  {"bom-ref": "x", "name": "first", "name": "second"}, {"bom-ref": "x", "name": "twin"}]}"#,
    );
    assert_eq!(doc.components.len(), 2);
    assert_eq!(doc.components[0].name, "first");
    assert_eq!(codes(&doc), ["duplicate-key"]);
    assert_eq!(text(&doc, doc.diagnostics[0].span.unwrap()), "\"second\"");
}

#[test]
fn nulls_and_unknown_fields_are_ignored_silently() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "metadata": null,
  "x-vendor": {"deep": [[[{"a": 1}]]]}, "dependencies": null, "components": [
  {"name": "a", "type": "no-such-type", "scope": "weird", "supplier": null, "hashes": null,
   "components": null, "pedigree": null, "licenses": [{"license": null}], "properties": [1]},
  null]}"#,
    );
    assert_eq!(doc.components.len(), 1);
    assert_eq!(codes(&doc), ["wrong-type"]); // the `null` element of `components`
}

#[test]
fn missing_bom_format_is_read_with_a_warning() {
    let doc = read(r#"{"specVersion": "1.4", "components": [{"name": "x"}]}"#);
    assert_eq!(doc.components.len(), 1);
    assert_eq!(codes(&doc), ["missing-field"]);
}

#[test]
fn null_components_are_skipped_with_a_warning_anywhere_in_a_long_list() {
    // Past the first chunk of the check that every element is an object.
    let many = super::LOOK_CHUNK * 2 + 5;
    for at in [0, 1, many - 1] {
        let mut elements: Vec<String> = (0..many)
            .map(|i| format!("{{\"name\":\"c{i}\"}}"))
            .collect();
        elements[at] = "null".to_owned();
        let text = format!(
            "{{\"bomFormat\":\"CycloneDX\",\"components\":[{}]}}",
            elements.join(",")
        );
        let doc = read(&text);
        assert_eq!(doc.components.len(), many - 1, "{at}");
        let warning = diagnostic(&doc, "wrong-type");
        assert_eq!(warning.message, "`components` has `null` elements; skipped");
        // Any other type is fatal, and named at its place.
        let text = text.replacen("null", "7", 1);
        assert!(
            matches!(read_err(&text), ReadError::WrongType { .. }),
            "{at}"
        );
    }
}

#[test]
fn wrong_types_where_components_live_are_fatal_with_their_place() {
    let cases = [
        (r#""components": "x""#, "components", "an array", "a string"),
        (
            r#""components": [1]"#,
            "components",
            "an array of objects",
            "a number",
        ),
        (
            r#""components": [{"name": "a", "components": {}}]"#,
            "components",
            "an array",
            "an object",
        ),
        (r#""metadata": []"#, "metadata", "an object", "an array"),
        (
            r#""metadata": {"component": "x"}"#,
            "metadata.component",
            "an object",
            "a string",
        ),
        (
            r#""components": [{"pedigree": []}]"#,
            "pedigree",
            "an object",
            "an array",
        ),
        (
            r#""components": [{"pedigree": {"ancestors": "kav"}}]"#,
            "pedigree.ancestors",
            "an array",
            "a string",
        ),
        (
            r#""components": [{"pedigree": {"variants": [true]}}]"#,
            "pedigree.variants",
            "an array of objects",
            "a boolean",
        ),
    ];
    for (body, want_path, want_expected, want_found) in cases {
        let text = format!("{{\"bomFormat\": \"CycloneDX\",\n  {body}}}");
        let err = read_err(&text);
        let ReadError::WrongType {
            path,
            expected,
            found,
            line,
            column,
            span,
            ..
        } = &err
        else {
            panic!("{body}: {err:?}");
        };
        assert_eq!(
            (*path, *expected, *found),
            (want_path, want_expected, want_found),
            "{body}"
        );
        assert_eq!(*line, 2, "{body}");
        let shown = &text[span.offset()..span.offset() + span.len()];
        assert_eq!(*column, span.offset() - text.find('\n').unwrap(), "{body}");
        assert!(!shown.is_empty());
        assert!(err
            .to_string()
            .starts_with(&format!("t.cdx.json:2:{column}: `{path}` must be")));
    }
}

#[test]
fn truncated_json_is_a_syntax_error_at_the_end() {
    let text = "{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [\n    {\"name\": \"a\"";
    let err = read_err(text);
    let ReadError::Syntax {
        line,
        column,
        message,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!((*line, *column), (4, 16));
    assert!(message.contains("EOF"), "{message}");
    assert!(
        err.to_string()
            .starts_with("t.cdx.json:4:16: EOF while parsing"),
        "{err}"
    );

    let err = read_err("{\"bomFormat\": \"CycloneDX\",\n \"components\": [{\"name\": \"a\"} {}]}");
    let ReadError::Syntax {
        line,
        column,
        message,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*line, *column, message.as_str()),
        (2, 31, "expected `,` or `]`")
    );
}

#[test]
fn inputs_that_are_not_boms() {
    assert!(matches!(
        read_err("not json at all"),
        ReadError::UnknownFormat { .. }
    ));
    assert!(matches!(
        read_err("[{\"bomFormat\": \"CycloneDX\"}]"),
        ReadError::NotAnSbom { .. }
    ));
    assert!(matches!(
        read_err("{\"name\": \"package.json\"}"),
        ReadError::NotAnSbom { .. }
    ));
    assert!(matches!(read_err("   "), ReadError::Empty { .. }));
    let err = read_bytes("bin", vec![0x7b, 0xc3, 0x28]).unwrap_err();
    assert!(
        matches!(err, ReadError::NotUtf8 { offset: 1, .. }),
        "{err:?}"
    );
}

/// A BOM with `open` nested `depth` times between `prefix` and `suffix`.
fn nested(depth: usize, prefix: &str, open: &str, close: &str, suffix: &str) -> String {
    let mut s = String::from(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "#);
    s.push_str(prefix);
    s.push_str(&open.repeat(depth));
    s.push_str(&close.repeat(depth));
    s.push_str(suffix);
    s.push('}');
    s
}

fn nested_components(depth: usize) -> String {
    let open = r#"{"name": "c", "components": ["#;
    nested(depth, r#""components": ["#, open, "]}", "]")
}

#[test]
fn very_deep_component_nesting_is_a_clean_error_and_fast() {
    let start = Instant::now();
    let err = read_err(&nested_components(10_000));
    let ReadError::TooDeep { limit, line, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!((limit, line), (super::MAX_DEPTH, 1));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );

    // At the limit it still reads.
    let doc = read(&nested_components(super::MAX_DEPTH));
    assert_eq!(doc.components.len(), super::MAX_DEPTH);
    assert_eq!(doc.relationships.len(), super::MAX_DEPTH - 1);
    assert!(matches!(
        read_err(&nested_components(super::MAX_DEPTH + 1)),
        ReadError::TooDeep { .. }
    ));
}

#[test]
fn very_deep_nesting_elsewhere_never_overflows_the_stack() {
    // Deep dependency objects: a clean error.
    let open = r#"{"ref": "r", "dependsOn": ["#;
    let text = nested(10_000, r#""dependencies": ["#, open, "]}", "]");
    assert!(matches!(read_err(&text), ReadError::TooDeep { .. }));
    // Deep pedigree: a clean error.
    let open = r#"{"name": "p", "pedigree": {"ancestors": ["#;
    let text = nested(10_000, r#""components": ["#, open, "]}}", "]");
    assert!(matches!(read_err(&text), ReadError::TooDeep { .. }));
    // Deep arrays in ignored and in typed fields: skipped.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let doc = read(&format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", "x": {deep},
            "components": [{{"name": {deep}, "properties": {deep}, "licenses": [{deep}]}}]}}"#
    ));
    assert_eq!(doc.components.len(), 1);
    assert_eq!(codes(&doc), ["wrong-type", "wrong-type"]);
}

/// The bytes the scanner walked on this thread while `text` was read, and
/// the reading's error, if any.
fn walked_reading(text: &str) -> (usize, Option<ReadError>) {
    let before = crate::sbom::json::walked_bytes::so_far();
    let err = read_bytes("t.cdx.json", text.as_bytes().to_vec()).err();
    (crate::sbom::json::walked_bytes::so_far() - before, err)
}

#[test]
fn nested_components_are_walked_about_once_not_once_a_level() {
    // Refused at the 65th level: every level below is big. Unremembered,
    // each of the 64 levels read walked all the text below it again.
    let too_deep = [
        nested_components(100_000),
        nested(
            100_000,
            r#""components": ["#,
            r#"{"name": "p", "pedigree": {"ancestors": ["#,
            "]}}",
            "]",
        ),
        nested(
            100_000,
            r#""dependencies": ["#,
            r#"{"ref": "r", "dependsOn": ["#,
            "]}",
            "]",
        ),
    ];
    for text in &too_deep {
        let (walked, err) = walked_reading(text);
        assert!(matches!(err, Some(ReadError::TooDeep { .. })), "{err:?}");
        // The scanner is the one the reader used: it walked the nest.
        assert!(walked > text.len() / 2, "{walked} of {}", text.len());
        assert!(walked < 4 * text.len(), "{walked} of {}", text.len());
    }
    // Read to the end: 60 levels, each with 16 KiB of its own.
    let pad = "x".repeat(16 * 1024);
    let open = format!(r#"{{"name": "c", "description": "{pad}", "components": ["#);
    let text = nested(60, r#""components": ["#, &open, "]}", "]");
    let (walked, err) = walked_reading(&text);
    assert!(err.is_none(), "{err:?}");
    assert!(walked > text.len() / 2, "{walked} of {}", text.len());
    assert!(walked < 4 * text.len(), "{walked} of {}", text.len());
}

#[test]
fn many_components_read_in_linear_time() {
    let one = r#"{"bom-ref": "r", "name": "n", "version": "1", "purl": "pkg:npm/n@1",
                  "hashes": [{"alg": "SHA-1", "content": "ab"}]},"#;
    let mut text =
        String::from(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": ["#);
    for _ in 0..50_000 {
        text.push_str(one);
    }
    text.push_str(r#"{"name": "last"}]}"#);
    let start = Instant::now();
    let doc = read(&text);
    assert_eq!(doc.components.len(), 50_001);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn the_document_keeps_its_name_and_source() {
    let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6"}"#;
    let doc = super::read("dir/given name.json", crate::model::SourceText::from(text)).unwrap();
    assert_eq!(doc.name, "dir/given name.json");
    assert_eq!(&*doc.source, text);
    assert!(doc.components.is_empty() && doc.relationships.is_empty());
}

#[test]
fn a_bom_link_in_a_bom_external_reference_is_a_relationship_and_a_field() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"name": "appliance", "externalReferences": [
    {"type": "bom", "url": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1"}]}},
  "components": [
    {"name": "module", "externalReferences": [
      {"type": "website", "url": "urn:cdx:0000/1#not-a-bom-reference"},
      {"type": "bom", "url": "https://example.com/module.cdx.json"},
      {"type": "bom", "url": "URN:CDX:3e671687-395b-41f5-a30f-a58921a69b79/2#engine"}]}
  ]}"#,
    );
    let (module, c) = by_name(&doc, "module");
    let urls: Vec<_> = c
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::Url)
        .map(|f| f.value(doc.texts()))
        .collect();
    assert_eq!(urls.len(), 3, "every URL stays a field");
    let links: Vec<_> = doc
        .relationships
        .iter()
        .filter(|r| r.kind == EdgeKind::BomLink)
        .map(|r| match doc.reference(r.to) {
            Some(to) => (r.from, to.value.as_str(), text(&doc, to.span)),
            None => panic!("a BOM-Link stays a reference"),
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                NodeRef::Index(0),
                "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1",
                "\"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1\""
            ),
            (
                NodeRef::index(module),
                "URN:CDX:3e671687-395b-41f5-a30f-a58921a69b79/2#engine",
                "\"URN:CDX:3e671687-395b-41f5-a30f-a58921a69b79/2#engine\""
            ),
        ]
    );
    let link = doc
        .relationships
        .iter()
        .find(|r| r.kind == EdgeKind::BomLink && r.from == NodeRef::index(module));
    assert!(link.is_some_and(|r| text(&doc, r.span).starts_with("{\"type\": \"bom\"")));
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn a_purl_is_kept_once_and_a_blank_one_apart() {
    let doc = read(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
  {"name": "a", "purl": "pkg:generic/acme/a@1"},
  {"name": "b", "purl": "  "},
  {"name": "c"}
]}"#,
    );
    let [a, b, c] = &doc.components[..] else {
        panic!("{:?}", doc.components)
    };
    // The purl lives in its field only.
    assert_eq!(a.purl(doc.texts()), Some("pkg:generic/acme/a@1"));
    assert_eq!(a.unfielded_purl, None);
    let field = a.field(FieldKind::Purl).expect("a purl field");
    assert_eq!(text(&doc, field.span), "\"pkg:generic/acme/a@1\"");
    // A blank purl identifies nothing (no field) but is still the
    // component's purl as written.
    assert_eq!(b.field(FieldKind::Purl), None);
    assert_eq!(b.purl(doc.texts()), Some("  "));
    assert_eq!(c.purl(doc.texts()), None);
}
