//! Stitching tests: deliveries of several documents, read from CycloneDX
//! JSON written here or built with [`DocBuilder`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::visit::EdgeRef;

use super::identity::{nvs_key, purl_key};
use super::{Checksum, ExternalDoc, ExternalRefs};
use crate::graph::testutil::DocBuilder;
use crate::graph::{build, build_with, Graph, Node, NodeId};
use crate::model::testing::Built;
use crate::model::{Component, Document, EdgeKind, FieldKind, Format, Span};
use crate::trace::Tracer;

const MODULE: &str = "5d6e39c1-1b7e-4c1e-9a51-0d1d3c2f7a10";
const ENGINE: &str = "9f3b2a44-6c0d-4b8e-8f7a-2e4d5c6b7a81";

fn read(name: &str, json: &str) -> Document {
    match crate::sbom::read(name, json.as_bytes().to_vec()) {
        Ok(doc) => doc,
        Err(err) => panic!("{err}"),
    }
}

/// An appliance whose mail-scan module is described by its own BOM,
/// linked from the module component's `bom` external reference.
fn appliance() -> Document {
    read(
        "appliance.cdx.json",
        &r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "serialNumber": "urn:uuid:1c0ffee0-0000-4000-8000-000000000001", "version": 1,
  "metadata": {"component": {"bom-ref": "sg400", "name": "Borealis SG-400", "version": "4.2.0"}},
  "components": [
    {"bom-ref": "mailscan", "name": "mailscan-module", "version": "3.2.1",
     "externalReferences": [{"type": "bom", "url": "urn:cdx:MODULE/1"}]},
    {"bom-ref": "web", "name": "web-ui", "version": "1.0"}
  ]}"#
        .replace("MODULE", MODULE),
    )
}

/// The module's own BOM: its scanner depends on the engine vendor's SDK,
/// by a BOM-Link into the engine's BOM.
fn module() -> Document {
    read(
        "module.cdx.json",
        &r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "serialNumber": "urn:uuid:MODULE", "version": 1,
  "metadata": {"component": {"bom-ref": "mailscan", "name": "mailscan-module", "version": "3.2.1"}},
  "components": [{"bom-ref": "scanner", "name": "scanner-lib", "version": "2.0"}],
  "dependencies": [
    {"ref": "mailscan", "dependsOn": ["scanner"]},
    {"ref": "scanner", "dependsOn": ["urn:cdx:ENGINE/1#kl-sdk"]}
  ]}"#
        .replace("MODULE", MODULE)
        .replace("ENGINE", ENGINE),
    )
}

/// The engine vendor's SBOM of its SDK.
fn engine() -> Document {
    read(
        "engine.cdx.json",
        &r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "serialNumber": "urn:uuid:ENGINE", "version": 1,
  "metadata": {"component": {"bom-ref": "kl-sdk", "name": "kl-sdk", "version": "8.9.1",
    "purl": "pkg:generic/kaspersky/kl-sdk@8.9.1"}},
  "components": [{"bom-ref": "kl-core", "name": "kl-scan-core", "version": "8.9.1"}]}"#
            .replace("ENGINE", ENGINE),
    )
}

/// A node as (document name, component name).
fn label(g: &Graph, docs: &[Document], n: NodeId) -> (String, String) {
    match g.node(n) {
        Some(Node::Component { doc, index }) => {
            let doc = &docs[doc as usize];
            (
                doc.name.clone(),
                doc.components[index as usize].name.to_string(),
            )
        }
        other => panic!("not a component: {other:?}"),
    }
}

/// The node of the component named `name` in the document named `doc`.
fn find(g: &Graph, docs: &[Document], doc: &str, name: &str) -> NodeId {
    let d = docs.iter().position(|x| x.name == doc).expect("document");
    let i = docs[d]
        .components
        .iter()
        .position(|c| c.name == name)
        .expect("component");
    g.component_node(d, i).expect("node")
}

type Label = (String, String);
/// (document name, code, message, span as offset and length).
type Diag = (String, &'static str, String, Option<(usize, usize)>);
/// A shortest path (hops with the edge into them) and the path count.
type Trace = (Vec<(Label, Option<EdgeKind>)>, u128);

/// Everything about a graph that must not depend on the order of its
/// documents, by document name and component name.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    edges: BTreeSet<(Label, Label, EdgeKind)>,
    roots: BTreeSet<Label>,
    diagnostics: BTreeSet<Diag>,
    /// Per component: its shortest path (hops with their edge) and count.
    paths: BTreeMap<Label, Trace>,
}

fn shape(g: &Graph, docs: &[Document]) -> Shape {
    let t = Tracer::new(g);
    let mut paths = BTreeMap::new();
    for (d, doc) in docs.iter().enumerate() {
        for i in 0..doc.components.len() {
            let n = g.component_node(d, i).expect("node");
            let path = t
                .shortest_path(n)
                .unwrap_or_default()
                .iter()
                .map(|h| (label(g, docs, h.node), h.edge))
                .collect();
            paths.insert(label(g, docs, n), (path, t.path_count(n).value));
        }
    }
    Shape {
        edges: g
            .graph
            .edge_references()
            .map(|e| {
                (
                    label(g, docs, e.source()),
                    label(g, docs, e.target()),
                    *e.weight(),
                )
            })
            .collect(),
        roots: g.roots.iter().map(|&r| label(g, docs, r)).collect(),
        diagnostics: g
            .diagnostics
            .iter()
            .map(|(d, x)| {
                let span = x.span.map(|s| (s.offset(), s.len()));
                (docs[*d].name.clone(), x.code, x.message.clone(), span)
            })
            .collect(),
        paths,
    }
}

fn path_of(g: &Graph, docs: &[Document], n: NodeId) -> Vec<String> {
    let t = Tracer::new(g);
    t.shortest_path(n)
        .expect("reached")
        .iter()
        .map(|h| {
            let (doc, name) = label(g, docs, h.node);
            match h.edge {
                Some(kind) => format!("{kind}:{doc}/{name}"),
                None => format!("{doc}/{name}"),
            }
        })
        .collect()
}

fn codes(g: &Graph) -> Vec<&'static str> {
    g.diagnostics.iter().map(|(_, x)| x.code).collect()
}

#[test]
fn a_delivery_of_three_documents_is_one_graph() {
    let docs = [appliance(), module(), engine()];
    let g = build(&docs);
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
    // The module and the SDK are inside the appliance: one root.
    assert_eq!(
        g.roots,
        [find(&g, &docs, "appliance.cdx.json", "Borealis SG-400")]
    );
    let core = find(&g, &docs, "engine.cdx.json", "kl-scan-core");
    // Every hop carries its own document.
    assert_eq!(
        path_of(&g, &docs, core),
        [
            "appliance.cdx.json/Borealis SG-400",
            "contains:appliance.cdx.json/mailscan-module",
            "bom_link:module.cdx.json/mailscan-module",
            "depends_on:module.cdx.json/scanner-lib",
            "depends_on:engine.cdx.json/kl-sdk",
            "contains:engine.cdx.json/kl-scan-core",
        ]
    );
    assert_eq!(Tracer::new(&g).path_count(core).value, 1);
}

#[test]
fn the_engine_document_joins_by_purl_identity_too() {
    // The module lists the SDK as a component with the engine BOM's purl
    // (qualifiers differ) instead of linking it.
    let module = read(
        "module.cdx.json",
        &r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "serialNumber": "urn:uuid:MODULE",
  "metadata": {"component": {"bom-ref": "mailscan", "name": "mailscan-module"}},
  "components": [{"bom-ref": "sdk", "name": "KL SDK",
    "purl": "pkg:generic/Kaspersky/kl-sdk@8.9.1?download_url=https%3A%2F%2Fx#lib"}]}"#
            .replace("MODULE", MODULE),
    );
    let docs = [appliance(), module, engine()];
    let g = build(&docs);
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
    assert_eq!(g.roots.len(), 1);
    let core = find(&g, &docs, "engine.cdx.json", "kl-scan-core");
    assert_eq!(
        path_of(&g, &docs, core),
        [
            "appliance.cdx.json/Borealis SG-400",
            "contains:appliance.cdx.json/mailscan-module",
            "bom_link:module.cdx.json/mailscan-module",
            "contains:module.cdx.json/KL SDK",
            "same_as:engine.cdx.json/kl-sdk",
            "contains:engine.cdx.json/kl-scan-core",
        ]
    );
}

#[test]
fn a_missing_middle_document_is_named_and_nothing_breaks() {
    let docs = [appliance(), engine()];
    let g = build(&docs);
    assert_eq!(codes(&g), ["unresolved-external-ref"]);
    let (d, diag) = &g.diagnostics[0];
    assert_eq!(docs[*d].name, "appliance.cdx.json");
    assert_eq!(
        diag.message,
        format!(
            "BOM-Link points to document urn:uuid:{MODULE} version 1, which is not among the \
             inputs; audit it too to follow this path"
        )
    );
    // At the URL's literal in the appliance.
    let span = diag.span.expect("located");
    assert_eq!(
        &docs[0].source[span.range()],
        format!("\"urn:cdx:{MODULE}/1\"")
    );
    // Nothing links the engine in: both products are roots.
    let roots: Vec<_> = g.roots.iter().map(|&r| label(&g, &docs, r).1).collect();
    assert_eq!(roots, ["Borealis SG-400", "kl-sdk"]);
    let mailscan = find(&g, &docs, "appliance.cdx.json", "mailscan-module");
    assert_eq!(path_of(&g, &docs, mailscan).len(), 2);
}

#[test]
fn the_same_set_of_documents_in_any_order_gives_the_same_graph() {
    // Two modules both link the engine: two equally short paths to it, so
    // the shortest path depends on tie-breaking, which must not follow the
    // input order. Plus a missing document and a dangling fragment.
    let second = read(
        "av-module.cdx.json",
        &r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "serialNumber": "urn:uuid:0a0a0a0a-0000-4000-8000-00000000000a",
  "metadata": {"component": {"bom-ref": "av", "name": "av-module"}},
  "components": [{"bom-ref": "av-scanner", "name": "av-scanner"}],
  "dependencies": [
    {"ref": "av", "dependsOn": ["av-scanner", "urn:cdx:0000/1#x"]},
    {"ref": "av-scanner", "dependsOn": ["urn:cdx:ENGINE/1#kl-sdk", "urn:cdx:ENGINE/1#nope"]}]}"#
            .replace("ENGINE", ENGINE),
    );
    let appliance = read(
        "appliance.cdx.json",
        &r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"bom-ref": "box", "name": "box"}},
  "components": [
    {"bom-ref": "m1", "name": "av-module", "externalReferences": [{"type": "bom", "url": "urn:cdx:0a0a0a0a-0000-4000-8000-00000000000a/1"}]},
    {"bom-ref": "m2", "name": "mailscan-module", "externalReferences": [{"type": "bom", "url": "urn:cdx:MODULE/1"}]}
  ]}"#
        .replace("MODULE", MODULE),
    );
    // A second product with the same module: a root of its own, as far
    // from the SDK as the first.
    let other = read(
        "router.cdx.json",
        &r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"bom-ref": "r", "name": "router"}},
  "components": [{"bom-ref": "m", "name": "mailscan-module",
    "externalReferences": [{"type": "bom", "url": "urn:cdx:MODULE/1"}]}]}"#
            .replace("MODULE", MODULE),
    );
    let docs = [appliance, module(), engine(), second, other];
    let mut orders = Vec::new();
    permutations(&mut orders, &mut vec![], &mut [false; 5]);
    assert_eq!(orders.len(), 120);
    let want = shape(&build(&docs), &docs);
    assert_eq!(want.roots.len(), 2, "{:?}", want.roots);
    assert_eq!(want.diagnostics.len(), 2, "{:?}", want.diagnostics);
    // Three paths of four edges each reach the SDK, from two roots.
    let sdk = ("engine.cdx.json".to_owned(), "kl-sdk".to_owned());
    assert_eq!(want.paths[&sdk].0.len(), 5);
    assert_eq!(want.paths[&sdk].1, 3);
    for order in &orders {
        let permuted: Vec<Document> = order.iter().map(|&i| docs[i].clone()).collect();
        let g = build(&permuted);
        assert_eq!(shape(&g, &permuted), want, "order {order:?}");
    }
}

/// Every permutation of `0..used.len()`, appended to `out`.
fn permutations(out: &mut Vec<Vec<usize>>, prefix: &mut Vec<usize>, used: &mut [bool]) {
    if prefix.len() == used.len() {
        out.push(prefix.clone());
        return;
    }
    for i in 0..used.len() {
        if !used[i] {
            used[i] = true;
            prefix.push(i);
            permutations(out, prefix, used);
            prefix.pop();
            used[i] = false;
        }
    }
}

#[test]
fn three_documents_in_all_six_orders() {
    let docs = [appliance(), module(), engine()];
    let want = shape(&build(&docs), &docs);
    let mut orders = Vec::new();
    permutations(&mut orders, &mut vec![], &mut [false; 3]);
    assert_eq!(orders.len(), 6);
    for order in orders {
        let permuted: Vec<Document> = order.iter().map(|&i| docs[i].clone()).collect();
        assert_eq!(shape(&build(&permuted), &permuted), want, "order {order:?}");
    }
}

/// A product `P`, its part `part` (with `part_ident` applied) and, as a
/// root, component 0.
fn product(
    doc: &str,
    name: &str,
    part: &str,
    part_ident: impl FnOnce(DocBuilder) -> DocBuilder,
) -> DocBuilder {
    part_ident(DocBuilder::new(doc).component(name).component(part)).root(0)
}

#[test]
fn identity_by_name_version_and_supplier_folds_case_and_space() {
    let module = DocBuilder::new("module")
        .component("Mail Scan")
        .made_by("3.2", "Organization: Acme  Security GmbH")
        .root(0)
        .build();
    let same = |name: &str, version: &str, supplier: &str| {
        let docs = [
            product("appliance", "box", name, |b| b.made_by(version, supplier)).build(),
            module.clone(),
        ];
        let g = build(&docs);
        g.graph
            .find_edge(
                g.component_node(0, 1).unwrap(),
                g.component_node(1, 0).unwrap(),
            )
            .map(|e| g.graph[e])
    };
    assert_eq!(
        same("  mail   scan ", "3.2", "ACME Security gmbh"),
        Some(EdgeKind::SameAs)
    );
    assert_eq!(
        same("Mail Scan", "3.2", "Acme Security GmbH"),
        Some(EdgeKind::SameAs)
    );
    assert_eq!(same("Mail Scan", "3.2.0", "Acme Security GmbH"), None);
    assert_eq!(same("Mail Scan", "3.2", "Acme Inc"), None);
    assert_eq!(same("Mail Scanner", "3.2", "Acme Security GmbH"), None);
}

#[test]
fn identity_needs_all_three_and_the_supplier_not_a_contact() {
    let mut c = Built::new(Component {
        name: "scan".into(),
        version: Some("1".into()),
        ..Default::default()
    });
    assert_eq!(nvs_key(&c, c.texts()), None);
    let (supplier, nowhere) = (FieldKind::Supplier, Span::default());
    c.field(supplier, "supplier.contact.name", "Jane", nowhere);
    assert_eq!(nvs_key(&c, c.texts()), None);
    c.field(supplier, "supplier.name", " Acme ", nowhere);
    assert_eq!(
        nvs_key(&c, c.texts()).as_deref(),
        Some("scan\u{0}1\u{0}acme")
    );
    c.version = Some("  ".into());
    assert_eq!(nvs_key(&c, c.texts()), None);
}

#[test]
fn purls_compare_without_qualifiers_and_subpath() {
    let key = |p| purl_key(p);
    assert_eq!(
        key("pkg:npm/%40angular/core@1.0.0").as_deref(),
        Some("npm/@angular/core@1.0.0")
    );
    assert_eq!(
        key("pkg:npm/@Angular/Core@1.0.0?x=1#a/b"),
        key("pkg:npm/%40angular/core@1.0.0")
    );
    assert_eq!(
        key("PKG:maven/Org.Acme/Scan@2.0-RC1"),
        key("pkg:maven/org.acme/scan@2.0-RC1")
    );
    assert_ne!(
        key("pkg:maven/org.acme/scan@2.0-RC1"),
        key("pkg:maven/org.acme/scan@2.0-rc1")
    );
    assert_ne!(key("pkg:generic/acme/scan"), key("pkg:generic/acme/scan@1"));
    assert_eq!(
        key("pkg:generic/acme/scan@").as_deref(),
        Some("generic/acme/scan")
    );
    for not in [
        "",
        "pkg:",
        "pkg:generic",
        "pkg:/x",
        "cpe:2.3:a:acme:scan",
        "pkg:generic/@1",
    ] {
        assert_eq!(key(not), None, "{not:?}");
    }
}

#[test]
fn components_never_join_their_own_document_and_roots_never_join_roots() {
    // Each document repeats its own product's purl on a part, and both
    // products carry the same purl (one product described twice).
    let purl = "pkg:generic/acme/gateway@1";
    let docs = [
        product("a.cdx.json", "gateway", "gateway-copy", |b| b.purl(purl))
            .with_first(|c| c.unfielded_purl = Some(purl.into()))
            .build(),
        product("b.spdx.json", "gateway", "other", |b| b)
            .format(Format::SpdxJson)
            .with_first(|c| c.unfielded_purl = Some(purl.into()))
            .build(),
    ];
    let g = build(&docs);
    let same_as: Vec<_> = g
        .graph
        .edge_references()
        .filter(|e| *e.weight() == EdgeKind::SameAs)
        .map(|e| (label(&g, &docs, e.source()), label(&g, &docs, e.target())))
        .collect();
    // Only a's part joins b's product; a's own product is not a target
    // for a's part, and the two products do not join each other.
    assert_eq!(
        same_as,
        [(
            ("a.cdx.json".to_owned(), "gateway-copy".to_owned()),
            ("b.spdx.json".to_owned(), "gateway".to_owned())
        )]
    );
    // b's product is inside a's now; a's stays a root.
    assert_eq!(g.roots, [g.component_node(0, 0).unwrap()]);
}

#[test]
fn documents_that_link_each_other_in_a_ring_keep_one_root() {
    // a's part is b's product and b's part is a's product.
    let docs = [
        product("b", "B", "a-inside-b", |b| b.purl("pkg:generic/x/a@1"))
            .with_first(|c| c.unfielded_purl = Some("pkg:generic/x/b@1".into()))
            .build(),
        product("a", "A", "b-inside-a", |b| b.purl("pkg:generic/x/b@1"))
            .with_first(|c| c.unfielded_purl = Some("pkg:generic/x/a@1".into()))
            .build(),
    ];
    let g = build(&docs);
    // The ring's first document by name gives the root.
    assert_eq!(g.roots, [find(&g, &docs, "a", "A")]);
    let t = Tracer::new(&g);
    for (d, doc) in docs.iter().enumerate() {
        for i in 0..doc.components.len() {
            let n = g.component_node(d, i).unwrap();
            assert!(
                t.shortest_path(n).is_some(),
                "{:?} reached",
                label(&g, &docs, n)
            );
            assert_eq!(t.path_count(n).value, 1, "{:?}", label(&g, &docs, n));
        }
    }
    assert_eq!(
        path_of(&g, &docs, find(&g, &docs, "b", "a-inside-b")),
        [
            "a/A",
            "contains:a/b-inside-a",
            "same_as:b/B",
            "contains:b/a-inside-b"
        ]
    );

    // Something outside the ring includes it: that is the only root.
    let mut with_outside = docs.to_vec();
    with_outside.push(
        product("0-outside", "O", "a-inside-o", |b| {
            b.purl("pkg:generic/x/a@1")
        })
        .build(),
    );
    let g = build(&with_outside);
    assert_eq!(g.roots, [find(&g, &with_outside, "0-outside", "O")]);
}

#[test]
fn a_bom_link_fragment_is_percent_decoded_and_a_missing_one_is_dangling() {
    let target = DocBuilder::new("lib")
        .serial(&format!("urn:uuid:{ENGINE}"))
        .component("lib")
        .component("pkg:npm/a@1")
        .root(0)
        .build();
    let link = |fragment: &str| format!("urn:cdx:{}/1#{fragment}", ENGINE.to_uppercase());
    let docs = [
        DocBuilder::new("app")
            .component("app")
            .root(0)
            .edge_kind("app", &link("pkg%3Anpm%2Fa%401"), EdgeKind::DependsOn)
            .edge_kind("app", &link("ghost"), EdgeKind::DependsOn)
            .build(),
        target,
    ];
    let g = build(&docs);
    let app = find(&g, &docs, "app", "app");
    let a = find(&g, &docs, "lib", "pkg:npm/a@1");
    assert_eq!(
        g.graph.find_edge(app, a).map(|e| g.graph[e]),
        Some(EdgeKind::DependsOn)
    );
    assert_eq!(codes(&g), ["dangling-ref"]);
    assert_eq!(
        g.diagnostics[0].1.message,
        format!(
            "BOM-Link '{}' names bom-ref 'ghost' in lib, which no component there has",
            link("ghost")
        )
    );
    assert_eq!(g.diagnostics[0].0, 0);
    // Linked into, not at its root: the library's product stays a root.
    assert_eq!(g.roots.len(), 2);
}

#[test]
fn several_documents_with_one_serial_are_all_linked() {
    let serial = format!("urn:uuid:{MODULE}");
    let docs = [
        DocBuilder::new("app")
            .component("app")
            .component("m")
            .root(0)
            .edge_kind("m", &format!("urn:cdx:{MODULE}/2"), EdgeKind::BomLink)
            .build(),
        DocBuilder::new("module-v1")
            .serial(&serial)
            .component("v1")
            .root(0)
            .build(),
        DocBuilder::new("module-v2")
            .serial(&serial)
            .component("v2")
            .root(0)
            .build(),
    ];
    let g = build(&docs);
    let m = find(&g, &docs, "app", "m");
    let targets: BTreeSet<_> = g
        .graph
        .neighbors(m)
        .map(|n| label(&g, &docs, n).1)
        .collect();
    assert_eq!(targets, ["v1".to_owned(), "v2".to_owned()].into());
    assert_eq!(g.roots, [find(&g, &docs, "app", "app")]);
}

#[test]
fn many_references_to_one_missing_document_are_one_diagnostic() {
    let mut b = DocBuilder::new("app").components("c", 4).root(0);
    for i in 1..4 {
        b = b.edge_kind(
            &format!("c{i}"),
            &format!("urn:cdx:{MODULE}/1#x{i}"),
            EdgeKind::DependsOn,
        );
    }
    b = b.edge_kind("c1", "urn:cdx:0000/7", EdgeKind::BomLink);
    let g = build(&[b.build()]);
    let messages: Vec<_> = g
        .diagnostics
        .iter()
        .map(|(_, x)| (x.code, x.message.as_str(), x.span))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "unresolved-external-ref",
                &*format!(
                    "BOM-Link points to document urn:uuid:{MODULE} version 1, which is not among the \
                     inputs; audit it too to follow this path (3 references; this is the first)"
                ),
                Some(Span::new(10_050, 5)),
            ),
            (
                "unresolved-external-ref",
                "BOM-Link points to document urn:uuid:0000 version 7, which is not among the \
                 inputs; audit it too to follow this path",
                Some(Span::new(10_350, 5)),
            ),
        ]
    );
}

// ---- SPDX external document refs ----------------------------------------

const SDK_NAMESPACE: &str = "https://example.com/spdx/kl-sdk-8.9.1";
const SDK_TEXT: &str =
    "SPDXVersion: SPDX-2.3\nDocumentNamespace: https://example.com/spdx/kl-sdk-8.9.1\n";

fn spdx_sdk() -> Document {
    DocBuilder::new("sdk.spdx")
        .format(Format::SpdxTagValue)
        .serial(SDK_NAMESPACE)
        .source(SDK_TEXT)
        .component("SPDXRef-sdk")
        .component("SPDXRef-core")
        .root(0)
        .build()
}

fn spdx_app() -> Document {
    DocBuilder::new("app.spdx")
        .format(Format::SpdxTagValue)
        .component("SPDXRef-app")
        .component("SPDXRef-scanner")
        .root(0)
        .edge_kind(
            "SPDXRef-scanner",
            "DocumentRef-sdk:SPDXRef-core",
            EdgeKind::StaticLink,
        )
        .edge_kind(
            "SPDXRef-app",
            "DocumentRef-sdk:SPDXRef-DOCUMENT",
            EdgeKind::Contains,
        )
        .edge_kind(
            "SPDXRef-app",
            "DocumentRef-sdk:SPDXRef-nope",
            EdgeKind::Contains,
        )
        .build()
}

fn declaring(checksum: Option<&str>) -> ExternalRefs {
    HashMap::from([(
        "DocumentRef-sdk".to_owned(),
        ExternalDoc {
            namespace: format!(" {SDK_NAMESPACE} "),
            checksum: checksum.map(|value| Checksum {
                algorithm: "SHA1".to_owned(),
                value: value.to_owned(),
            }),
            span: Some(Span::new(7, 70)),
        },
    )])
}

#[test]
fn spdx_document_refs_resolve_through_the_declared_namespace() {
    // The SHA-1 of other text.
    let sha1 = "D2C3A5F1A6B9B7A0E6E1D2B1E8C3B5A5D8A1C0E9";
    // `sha1sum` of the SDK's file, upper-cased as some tools write it.
    let actual = "1852a7cb3c8862fd657f568878240120e97c89e1";
    let docs = [spdx_app(), spdx_sdk()];
    let externals = [declaring(Some(&actual.to_uppercase())), ExternalRefs::new()];
    let g = build_with(&docs, &externals);
    let app = find(&g, &docs, "app.spdx", "SPDXRef-app");
    let scanner = find(&g, &docs, "app.spdx", "SPDXRef-scanner");
    let sdk = find(&g, &docs, "sdk.spdx", "SPDXRef-sdk");
    let core = find(&g, &docs, "sdk.spdx", "SPDXRef-core");
    let kind = |a, b| g.graph.find_edge(a, b).map(|e| g.graph[e]);
    assert_eq!(kind(scanner, core), Some(EdgeKind::StaticLink));
    // `SPDXRef-DOCUMENT` names the document: its root.
    assert_eq!(kind(app, sdk), Some(EdgeKind::Contains));
    assert_eq!(codes(&g), ["dangling-ref"]);
    assert_eq!(
        g.diagnostics[0].1.message,
        "reference 'DocumentRef-sdk:SPDXRef-nope' names SPDXID 'SPDXRef-nope' in sdk.spdx, which no element there has"
    );
    // The SDK's product is inside the app now.
    assert_eq!(g.roots, [app]);

    // A checksum that does not match is said, and the link still made.
    let externals = [declaring(Some(sha1)), ExternalRefs::new()];
    let g = build_with(&docs, &externals);
    assert_eq!(codes(&g), ["external-checksum-mismatch", "dangling-ref"]);
    let (d, diag) = &g.diagnostics[0];
    assert_eq!(*d, 0);
    assert_eq!(diag.span, Some(Span::new(7, 70)));
    assert_eq!(
        diag.message,
        format!(
            "DocumentRef-sdk declares SHA1 {sha1} for {SDK_NAMESPACE}, but the given sdk.spdx has \
             SHA1 {actual}; it may be another revision of that document (linked anyway)"
        )
    );
    assert_eq!(g.roots, [app]);
}

#[test]
fn spdx_document_refs_to_documents_not_given_or_not_declared_are_named() {
    let docs = [spdx_app()];
    let g = build_with(&docs, &[declaring(None)]);
    assert_eq!(codes(&g), ["unresolved-external-ref"]);
    assert_eq!(
        g.diagnostics[0].1.message,
        format!(
            "DocumentRef-sdk points to document {SDK_NAMESPACE}, which is not among the inputs; \
             audit it too to follow this path (3 references; this is the first)"
        )
    );
    // Nothing declared: the same references are not followed, and said so
    // once.
    let g = build_with(&[spdx_app(), spdx_sdk()], &[]);
    assert_eq!(codes(&g), ["unresolved-external-ref"]);
    assert!(g.diagnostics[0]
        .1
        .message
        .starts_with("reference 'DocumentRef-sdk:SPDXRef-core' names external document 'DocumentRef-sdk', which this document does not declare"));
    assert_eq!(g.roots.len(), 2);
}

#[test]
fn building_a_delivery_is_deterministic() {
    let docs = [appliance(), module(), engine()];
    let a = build(&docs);
    let b = build(&docs);
    let edges = |g: &Graph| -> Vec<_> {
        g.graph
            .edge_references()
            .map(|e| (e.source(), e.target(), *e.weight()))
            .collect()
    };
    assert_eq!(edges(&a), edges(&b));
    assert_eq!(a.roots, b.roots);
    assert_eq!(a.diagnostics, b.diagnostics);
}

#[test]
fn identity_over_big_documents_stays_linear() {
    // Two documents of 100k components; every component of the first has
    // a purl and name+version+supplier, the second's product matches one.
    let n = 100_000;
    let mut big = DocBuilder::new("big").component("product").root(0);
    for i in 0..n {
        big = big
            .component(&format!("c{i}"))
            .purl(&format!("pkg:generic/acme/c{i}@1"))
            .made_by("1", "Acme");
    }
    let mut other = DocBuilder::new("other")
        .component("c77")
        .purl("pkg:generic/acme/c77@1")
        .made_by("1", "Acme")
        .root(0);
    for i in 0..n {
        other = other.component(&format!("o{i}"));
    }
    let docs = [big.build(), other.build()];
    let start = std::time::Instant::now();
    let g = build(&docs);
    let took = start.elapsed();
    let same_as = g
        .graph
        .edge_references()
        .filter(|e| *e.weight() == EdgeKind::SameAs)
        .count();
    assert_eq!(same_as, 1);
    assert_eq!(g.roots.len(), 1);
    assert!(took < std::time::Duration::from_secs(30), "took {took:?}");
}

#[test]
fn one_identity_joins_at_most_a_bounded_number_of_roots_and_says_so() {
    // MAX + 2 documents describe the same product (one purl); a part in
    // another document carries it. Without a bound, every such part would
    // get an edge to every one of those roots.
    let max = super::identity::MAX_ROOTS_PER_KEY;
    let purl = "pkg:generic/acme/gateway@1";
    let mut docs: Vec<Document> = (0..max + 2)
        .map(|i| {
            DocBuilder::new(&format!("p{i:03}.cdx.json"))
                .component("gateway")
                .root(0)
                .with_first(|c| c.unfielded_purl = Some(purl.into()))
                .build()
        })
        .collect();
    docs.push(
        product("user.cdx.json", "appliance", "gateway-part", |b| {
            b.purl(purl)
        })
        .build(),
    );
    let g = build(&docs);
    let targets: BTreeSet<String> = g
        .graph
        .edge_references()
        .filter(|e| *e.weight() == EdgeKind::SameAs)
        .map(|e| label(&g, &docs, e.target()).0)
        .collect();
    // The first MAX in canonical (name) order, and no others.
    let expected: BTreeSet<String> = (0..max).map(|i| format!("p{i:03}.cdx.json")).collect();
    assert_eq!(targets, expected);
    // One warning, at the first root left out.
    let ambiguous: Vec<_> = g
        .diagnostics
        .iter()
        .filter(|(_, d)| d.code == "identity-ambiguous")
        .collect();
    assert_eq!(ambiguous.len(), 1, "{:?}", g.diagnostics);
    let (d, diag) = ambiguous[0];
    assert_eq!(docs[*d].name, format!("p{max:03}.cdx.json"));
    assert_eq!(diag.span, Some(docs[*d].components[0].span));
    assert!(diag.message.contains("'gateway'"), "{}", diag.message);
}
