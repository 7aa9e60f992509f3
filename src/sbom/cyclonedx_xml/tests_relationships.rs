//! Unit tests of the relationships the XML reader finds: nesting, the
//! root, dependencies (both flavours) and pedigree.

use super::tests::{bom, codes, diagnostic, fields, read, ref_edges, text};
use crate::model::{EdgeKind, FieldKind, Level, NodeRef, Role};
use crate::sbom::testutil::{index_edges, ref_value};

#[test]
fn nested_components_become_contains_edges_in_document_order() {
    let doc = read(
        r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.4">
  <components>
    <component type="library"><name>a</name><components>
      <component><name>a1</name><components><component><name>a1x</name></component></components></component>
      <component><name>a2</name></component></components>
    </component>
    <component><name>b</name></component>
  </components>
</bom>"#,
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
    assert_eq!(
        text(&doc, doc.components[2].span),
        "<component><name>a1x</name></component>"
    );
    assert!(doc.roots.is_empty());
    assert!(doc.components.iter().all(|c| c.role == Role::Part));
}

#[test]
fn metadata_component_is_the_root_and_gets_the_bom_level_supplier() {
    let doc = read(&bom(r#"
  <metadata>
    <authors><author><name>BOM Writer</name></author></authors>
    <component type="device" bom-ref="sg400">
      <name>Borealis SG-400</name>
      <components><component bom-ref="mail"><name>mailscan</name></component></components>
    </component>
    <manufacture><name>Borealis Manufacturing</name></manufacture>
    <manufacturer><name>Borealis Inc</name></manufacturer>
    <supplier><name>Borealis Networks</name></supplier>
  </metadata>
  <components><component><name>other</name></component></components>"#));
    assert_eq!(doc.roots, [0]);
    let root = &doc.components[0];
    assert_eq!(root.name, "Borealis SG-400");
    assert_eq!(
        fields(&doc, root),
        vec![
            (
                FieldKind::Name,
                "name",
                "Borealis SG-400",
                "Borealis SG-400"
            ),
            (
                FieldKind::Manufacturer,
                "metadata.manufacture.name",
                "Borealis Manufacturing",
                "Borealis Manufacturing"
            ),
            (
                FieldKind::Manufacturer,
                "metadata.manufacturer.name",
                "Borealis Inc",
                "Borealis Inc"
            ),
            (
                FieldKind::Supplier,
                "metadata.supplier.name",
                "Borealis Networks",
                "Borealis Networks"
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
    let doc = read(&bom(
        "<metadata><supplier><name>AO Kaspersky Lab</name></supplier></metadata>",
    ));
    assert!(doc.roots.is_empty());
    let d = diagnostic(&doc, "metadata-without-component");
    assert_eq!(d.level, Level::Warning);
    assert!(
        d.message.contains("metadata.supplier.name"),
        "{}",
        d.message
    );
    assert_eq!(text(&doc, d.span.unwrap()), "AO Kaspersky Lab");
}

#[test]
fn dependencies_and_provides_resolve_local_refs_and_keep_the_rest_with_spans() {
    let doc = read(&bom(r#"
  <components>
    <component bom-ref="app"><name>app</name></component>
    <component bom-ref="lib"><name>lib</name></component>
  </components>
  <dependencies>
    <dependency ref="app"><dependency ref="lib"/><dependency ref="ghost"/></dependency>
    <dependency ref="lib"><provides ref="aes128gcm"/></dependency>
    <dependency ref="lonely"/>
  </dependencies>"#));
    assert_eq!(
        ref_edges(&doc),
        [
            ("app", "lib", EdgeKind::DependsOn),
            ("app", "ghost", EdgeKind::DependsOn),
            ("lib", "aes128gcm", EdgeKind::Provides),
        ]
    );
    // Ends naming a component are its index; the others keep their text.
    assert_eq!(index_edges(&doc), [(0, 1, EdgeKind::DependsOn)]);
    let r = &doc.relationships[1];
    let (NodeRef::Index(0), Some(to)) = (r.from, doc.reference(r.to)) else {
        panic!("{r:?}")
    };
    let to = to.span;
    assert_eq!(text(&doc, to), "ghost");
    assert!(doc.source[..to.offset()].ends_with("<dependency ref=\""));
    assert_eq!(text(&doc, r.span), "<dependency ref=\"ghost\"/>");
    assert_eq!(
        text(&doc, doc.relationships[2].span),
        "<provides ref=\"aes128gcm\"/>"
    );
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn nested_dependency_entries_are_followed() {
    let doc = read(&bom(r#"<dependencies>
    <dependency ref="a">
      <dependency ref="b"><dependency ref="c"/><dependency ref="d"/></dependency>
      <dependency ref="e"/>
    </dependency>
  </dependencies>"#));
    let mut edges: Vec<(&str, &str)> = ref_edges(&doc).iter().map(|e| (e.0, e.1)).collect();
    edges.sort_unstable();
    assert_eq!(edges, [("a", "b"), ("a", "e"), ("b", "c"), ("b", "d")]);
    let ab = doc
        .relationships
        .iter()
        .find(|r| ref_value(&doc, r.to) == "b")
        .unwrap();
    assert!(text(&doc, ab.span).starts_with("<dependency ref=\"b\"><dependency ref=\"c\"/>"));
}

#[test]
fn the_dependency_graph_extension_is_read_at_both_levels() {
    let doc = read(
        r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.1"
     xmlns:dg="http://cyclonedx.org/schema/ext/dependency-graph/1.0">
  <components>
    <component type="library" bom-ref="1"><name>a</name>
      <dg:dependencies>
        <dg:dependency ref="4"><dg:dependency ref="3"/></dg:dependency>
      </dg:dependencies>
    </component>
    <component type="library"><name>no-ref</name>
      <dg:dependencies><dg:dependency ref="9"/></dg:dependencies>
    </component>
  </components>
  <dg:dependencies>
    <dg:dependency ref="2"><dg:dependency ref="3"/></dg:dependency>
    <dg:dependency><dg:dependency ref="5"/></dg:dependency>
  </dg:dependencies>
</bom>"#,
    );
    assert_eq!(doc.spec_version.as_deref(), Some("1.1"));
    assert_eq!(doc.components.len(), 2);
    assert_eq!(
        ref_edges(&doc),
        [
            ("1", "4", EdgeKind::DependsOn),
            ("4", "3", EdgeKind::DependsOn),
            ("2", "3", EdgeKind::DependsOn),
        ]
    );
    assert_eq!(codes(&doc), ["missing-field", "missing-field"]);
    assert!(text(&doc, doc.diagnostics[0].span.unwrap()).starts_with("<dg:dependencies>"));
    assert!(text(&doc, doc.diagnostics[1].span.unwrap()).starts_with("<dg:dependency>"));
}

#[test]
fn pedigree_ancestors_and_variants_are_pedigree_components() {
    let doc = read(&bom(r#"<components>
  <component><name>secure-mail</name>
    <pedigree>
      <ancestors>
        <component><supplier><name>AO Kaspersky Lab</name></supplier><name>kav-engine</name>
          <components><component><name>kav-core</name></component></components>
          <pedigree><ancestors><component><name>kav-origin</name></component></ancestors></pedigree>
        </component>
      </ancestors>
      <descendants><component><name>secure-mail-ng</name></component></descendants>
      <variants><component><name>secure-mail-lite</name></component></variants>
    </pedigree>
    <components><component><name>smtp</name></component></components>
  </component>
  <component><name>after</name></component>
</components>"#));
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
}
