use petgraph::visit::EdgeRef;

use super::testutil::{component_span, DocBuilder};
use super::*;
use crate::model::{Format, Level};

/// Every edge as `(from, to, kind)` with component names, in edge order.
fn edges(g: &Graph, docs: &[Document]) -> Vec<(String, String, EdgeKind)> {
    let name = |n: NodeId| match g.node(n) {
        Some(Node::Component { doc, index }) => docs[doc as usize].components[index as usize]
            .name
            .to_string(),
        Some(Node::Vendor { key }) => format!("vendor:{key}"),
        None => "?".to_owned(),
    };
    g.graph
        .edge_references()
        .map(|e| (name(e.source()), name(e.target()), *e.weight()))
        .collect()
}

fn e(from: &str, to: &str, kind: EdgeKind) -> (String, String, EdgeKind) {
    (from.to_owned(), to.to_owned(), kind)
}

fn node(g: &Graph, doc: usize, index: usize) -> NodeId {
    g.component_node(doc, index).expect("component has a node")
}

fn codes(g: &Graph) -> Vec<(usize, &'static str)> {
    g.diagnostics.iter().map(|(d, x)| (*d, x.code)).collect()
}

#[test]
fn one_node_per_component_in_document_then_component_order() {
    let docs = [
        DocBuilder::new("a").components("a", 3).build(),
        DocBuilder::new("b").components("b", 2).build(),
    ];
    let g = build(&docs);
    assert_eq!(g.node_count(), 5);
    for (id, want) in [(0, (0, 0)), (2, (0, 2)), (3, (1, 0)), (4, (1, 1))] {
        let n = NodeId::new(id);
        assert_eq!(
            g.node(n),
            Some(Node::Component {
                doc: want.0,
                index: want.1
            })
        );
        assert_eq!(node(&g, want.0 as usize, want.1 as usize), n);
    }
    assert_eq!(g.component_node(2, 0), None);
    assert_eq!(g.component_node(0, 3), None);
}

#[test]
fn relationships_resolve_by_ref_and_by_index() {
    let docs = [DocBuilder::new("a")
        .components("c", 3)
        .root(0)
        .edge_kind("c0", "c1", EdgeKind::Embeds)
        .edge_ix(1, 2)
        .build()];
    let g = build(&docs);
    assert_eq!(
        edges(&g, &docs),
        [
            e("c0", "c1", EdgeKind::Embeds),
            e("c1", "c2", EdgeKind::DependsOn)
        ]
    );
    assert!(g.diagnostics.is_empty());
}

/// Targets are asked for ahead of linking (`Builder::prefetch_target`),
/// [`super::LINK_AHEAD`] relationships on: across many times that, with
/// dangling ends, self-loops, repeats and indexes past the end mixed in,
/// every edge is still made once, in relationship order, and every
/// diagnostic comes in that order too.
#[test]
fn many_relationships_link_in_order_with_targets_asked_ahead() {
    let count = 8 * super::LINK_AHEAD + 3;
    let n = 2 * count;
    let mut doc = DocBuilder::new("a").components("c", n).root(0);
    let mut want = Vec::new();
    let mut unresolved = 0;
    let ends = |k: usize| (k, (k * 7 + 3) % n);
    for k in 0..count {
        let (from, to) = ends(k);
        doc = match k % 5 {
            0 => doc.edge(&format!("c{from}"), &format!("ghost-{k}")),
            1 => doc.edge_ix(from, from),
            2 => doc.edge_ix(from, n + k),
            3 => doc.edge_ix(from, to),
            // A repeat of the one before.
            _ => {
                let (from, to) = ends(k - 1);
                doc.edge_ix(from, to)
            }
        };
        match k % 5 {
            0 | 2 => unresolved += 1,
            3 if from != to => want.push(e(
                &format!("c{from}"),
                &format!("c{to}"),
                EdgeKind::DependsOn,
            )),
            _ => {}
        }
    }
    let docs = [doc.build()];
    let g = build(&docs);
    assert!(want.len() > super::LINK_AHEAD);
    // After them, the root's implicit `contains` edges to the rest.
    let made = edges(&g, &docs);
    assert_eq!(made[..want.len()], want);
    assert!(made[want.len()..].iter().all(|e| e.2 == EdgeKind::Contains));
    let at: Vec<usize> = g
        .diagnostics
        .iter()
        .map(|(_, x)| x.span.map_or(0, |s| s.offset()))
        .collect();
    assert_eq!(at.len(), unresolved, "{:?}", g.diagnostics);
    assert!(at.is_sorted(), "{at:?}");
    // Taken out of the document and freed as they go, the same graph.
    let taken = vec![docs[0].relationships.clone()];
    let released = super::build_releasing(&docs, taken, vec![Default::default()]);
    assert_eq!(edges(&released, &docs), made);
    assert_eq!(released.diagnostics, g.diagnostics);
}

#[test]
fn a_dangling_ref_is_a_warning_at_the_ref_and_skips_the_relationship() {
    let docs = [DocBuilder::new("a")
        .components("c", 2)
        .root(0)
        .edge("c0", "c1")
        .edge("c1", "ghost-ref")
        .build()];
    let g = build(&docs);
    assert_eq!(edges(&g, &docs), [e("c0", "c1", EdgeKind::DependsOn)]);
    assert_eq!(
        g.diagnostics,
        [(
            0,
            Diagnostic {
                level: Level::Warning,
                code: "dangling-ref",
                message: "dependency names bom-ref 'ghost-ref', which no component has".to_owned(),
                // The `to` of the second relationship.
                span: Some(Span::new(10_150, 5)),
            }
        )]
    );
}

#[test]
fn spdx_dangling_ref_speaks_spdx() {
    let docs = [DocBuilder::new("a.spdx")
        .format(Format::SpdxTagValue)
        .components("SPDXRef-", 1)
        .edge("SPDXRef-nope", "SPDXRef-0")
        .build()];
    let g = build(&docs);
    assert_eq!(g.edge_count(), 0);
    assert_eq!(
        g.diagnostics[0].1.message,
        "relationship names SPDXID 'SPDXRef-nope', which no element has"
    );
    assert_eq!(g.diagnostics[0].1.span, Some(Span::new(10_000, 5)));
}

#[test]
fn both_dangling_ends_are_reported_from_first() {
    let docs = [DocBuilder::new("a").component("x").edge("p", "q").build()];
    let g = build(&docs);
    let spans: Vec<_> = g.diagnostics.iter().map(|(_, d)| d.span).collect();
    assert_eq!(
        spans,
        [Some(Span::new(10_000, 5)), Some(Span::new(10_050, 5))]
    );
}

#[test]
fn an_index_past_the_components_is_a_dangling_ref_at_the_relationship() {
    let docs = [DocBuilder::new("a")
        .components("c", 2)
        .edge_ix(0, 7)
        .build()];
    let g = build(&docs);
    assert_eq!(g.edge_count(), 0);
    assert_eq!(codes(&g), [(0, "dangling-ref")]);
    assert_eq!(g.diagnostics[0].1.span, Some(Span::new(10_000, 100)));
    assert!(g.diagnostics[0].1.message.contains("#7"));
}

#[test]
fn a_duplicate_ref_is_reported_at_the_second_component_and_resolves_to_the_first() {
    let docs = [DocBuilder::new("a")
        .component("top")
        .component("dup")
        .component("dup")
        .root(0)
        .edge("top", "dup")
        .build()];
    let g = build(&docs);
    assert_eq!(
        g.diagnostics,
        [(
            0,
            Diagnostic::warning(
                "duplicate-ref",
                "bom-ref 'dup' is used by more than one component; references to it resolve to the first",
                Some(component_span(2)),
            )
        )]
    );
    // top -> first dup by the relationship; the second dup is unreached and
    // hangs off the single root.
    let first = node(&g, 0, 1);
    let second = node(&g, 0, 2);
    let top = node(&g, 0, 0);
    assert!(g.graph.find_edge(top, first).is_some());
    assert_eq!(
        g.graph.find_edge(top, second).map(|x| g.graph[x]),
        Some(EdgeKind::Contains)
    );
}

#[test]
fn external_refs_into_documents_not_given_are_reported_naming_them() {
    let docs = [DocBuilder::new("a")
        .component("top")
        .root(0)
        .edge_kind(
            "top",
            "urn:cdx:3E671687-395b-41f5-a30f-a58921a69b79/1#engine",
            EdgeKind::BomLink,
        )
        .edge("top", "DocumentRef-sdk:SPDXRef-core")
        .build()];
    let g = build(&docs);
    assert_eq!(g.edge_count(), 0);
    assert_eq!(
        codes(&g),
        [
            (0, "unresolved-external-ref"),
            (0, "unresolved-external-ref")
        ]
    );
    let [(_, bom_link), (_, doc_ref)] = &g.diagnostics[..] else {
        panic!("two diagnostics");
    };
    assert_eq!(
        bom_link.message,
        "BOM-Link points to document urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79 version 1, \
         which is not among the inputs; audit it too to follow this path"
    );
    assert_eq!(bom_link.span, Some(Span::new(10_050, 5)));
    assert!(doc_ref.message.contains(
        "names external document 'DocumentRef-sdk', which this document does not declare"
    ));
}

#[test]
fn a_local_ref_that_looks_external_resolves_locally() {
    let docs = [DocBuilder::new("a")
        .component("top")
        .component("urn:cdx:x/1#y")
        .root(0)
        .edge("top", "urn:cdx:x/1#y")
        .build()];
    let g = build(&docs);
    assert!(g.diagnostics.is_empty());
    assert_eq!(g.edge_count(), 1);
}

#[test]
fn parallel_edges_collapse_keeping_the_first_kind() {
    let docs = [DocBuilder::new("a")
        .components("c", 2)
        .root(0)
        .edge_kind("c0", "c1", EdgeKind::StaticLink)
        .edge_kind("c0", "c1", EdgeKind::DependsOn)
        .edge_ix(0, 1)
        .edge_kind("c1", "c0", EdgeKind::Contains)
        .build()];
    let g = build(&docs);
    assert_eq!(
        edges(&g, &docs),
        [
            e("c0", "c1", EdgeKind::StaticLink),
            e("c1", "c0", EdgeKind::Contains)
        ]
    );
}

#[test]
fn parallel_edges_collapse_on_hubs_too() {
    // Below SCAN_LIMIT out-edges a repeat is found by walking the node's
    // edges, from there on in a set: repeat every pair before, at and
    // after the switch, each time with another kind.
    let n = 3 * super::SCAN_LIMIT as usize;
    let mut doc = DocBuilder::new("a").components("c", n + 1).root(0);
    for i in 1..=n {
        doc = doc.edge_kind("c0", &format!("c{i}"), EdgeKind::DependsOn);
        // Repeat the first pair and the one just made.
        doc = doc.edge_kind("c0", "c1", EdgeKind::Contains);
        doc = doc.edge_kind("c0", &format!("c{i}"), EdgeKind::StaticLink);
    }
    for i in (1..=n).rev() {
        doc = doc.edge_kind("c0", &format!("c{i}"), EdgeKind::Other);
    }
    let docs = [doc.build()];
    let g = build(&docs);
    let want: Vec<_> = (1..=n)
        .map(|i| e("c0", &format!("c{i}"), EdgeKind::DependsOn))
        .collect();
    assert_eq!(edges(&g, &docs), want);
}

#[test]
fn self_loops_are_dropped_and_do_not_make_a_component_reached() {
    // No declared root: roots are the unreached components. `a` only loops
    // on itself, so it is still a root; `b` is reached from `a`.
    let docs = [DocBuilder::new("a")
        .component("a")
        .component("b")
        .edge("a", "a")
        .edge("a", "b")
        .edge("b", "b")
        .build()];
    let g = build(&docs);
    assert_eq!(edges(&g, &docs), [e("a", "b", EdgeKind::DependsOn)]);
    assert_eq!(g.roots, [node(&g, 0, 0)]);
}

#[test]
fn a_single_root_contains_every_unreached_part_but_not_pedigree() {
    let docs = [DocBuilder::new("a")
        .component("app")
        .component("lib")
        .component("engine")
        .pedigree("ancestor")
        .component("loose")
        .component("looped")
        .root(0)
        .edge("lib", "engine")
        .edge_kind("engine", "ancestor", EdgeKind::WhiteLabelOf)
        .edge("looped", "looped")
        .build()];
    let g = build(&docs);
    assert_eq!(
        edges(&g, &docs),
        [
            e("lib", "engine", EdgeKind::DependsOn),
            e("engine", "ancestor", EdgeKind::WhiteLabelOf),
            e("app", "lib", EdgeKind::Contains),
            e("app", "loose", EdgeKind::Contains),
            e("app", "looped", EdgeKind::Contains),
        ]
    );
    assert_eq!(g.roots, [node(&g, 0, 0)]);
}

#[test]
fn an_unreached_pedigree_ancestor_is_neither_root_nor_part() {
    let docs = [DocBuilder::new("a")
        .component("app")
        .pedigree("ancestor")
        .root(0)
        .build()];
    let g = build(&docs);
    assert_eq!(g.edge_count(), 0);
    assert_eq!(g.roots, [node(&g, 0, 0)]);

    let docs = [DocBuilder::new("a")
        .component("app")
        .pedigree("ancestor")
        .build()];
    let g = build(&docs);
    assert_eq!(g.roots, [node(&g, 0, 0)]);
}

#[test]
fn several_declared_roots_get_no_implicit_parts() {
    let docs = [DocBuilder::new("a")
        .components("c", 4)
        .root(2)
        .root(0)
        .root(2)
        .edge("c0", "c1")
        .build()];
    let g = build(&docs);
    assert_eq!(g.roots, [node(&g, 0, 0), node(&g, 0, 2)]);
    assert_eq!(edges(&g, &docs), [e("c0", "c1", EdgeKind::DependsOn)]);
}

#[test]
fn without_declared_roots_the_unreached_components_are_roots() {
    // c0 -> c1; c2 <-> c3 is a cycle nothing reaches: not a root.
    let docs = [DocBuilder::new("a")
        .components("c", 5)
        .edge("c0", "c1")
        .edge("c2", "c3")
        .edge("c3", "c2")
        .build()];
    let g = build(&docs);
    assert_eq!(g.roots, [node(&g, 0, 0), node(&g, 0, 4)]);
    // Two roots: no implicit edges.
    assert_eq!(g.edge_count(), 3);
}

#[test]
fn a_declared_root_past_the_components_is_reported_and_ignored() {
    let docs = [DocBuilder::new("a")
        .components("c", 2)
        .root(9)
        .edge("c0", "c1")
        .build()];
    let g = build(&docs);
    assert_eq!(codes(&g), [(0, "dangling-ref")]);
    assert!(g.diagnostics[0].1.message.contains("#9"));
    // Falls back to the unreached components.
    assert_eq!(g.roots, [node(&g, 0, 0)]);
}

#[test]
fn roots_of_several_documents_are_joined_and_sorted() {
    let docs = [
        DocBuilder::new("a").components("a", 2).root(1).build(),
        DocBuilder::new("b").components("b", 2).root(0).build(),
    ];
    let g = build(&docs);
    assert_eq!(g.roots, [node(&g, 0, 1), node(&g, 1, 0)]);
    // Each single root contains its document's other component.
    assert_eq!(
        edges(&g, &docs),
        [
            e("a1", "a0", EdgeKind::Contains),
            e("b0", "b1", EdgeKind::Contains)
        ]
    );
}

const MODULE_SERIAL: &str = "urn:uuid:0b6a1e9e-7d0e-4a55-9a4e-5c3f3f0b0a01";
const MODULE_LINK: &str = "urn:cdx:0b6a1e9e-7d0e-4a55-9a4e-5c3f3f0b0a01/1";

#[test]
fn a_root_another_document_links_to_is_an_inner_node() {
    let module = DocBuilder::new("module")
        .serial(MODULE_SERIAL)
        .component("m0")
        .purl("pkg:generic/acme/module@3.2")
        .component("m1")
        .root(0)
        .build();
    let by_link = DocBuilder::new("appliance")
        .components("a", 2)
        .root(0)
        .edge_kind("a1", MODULE_LINK, EdgeKind::BomLink)
        .build();
    let by_identity = DocBuilder::new("appliance")
        .components("a", 2)
        .purl("pkg:generic/acme/module@3.2")
        .root(0)
        .build();
    for (appliance, kind) in [
        (by_link, EdgeKind::BomLink),
        (by_identity, EdgeKind::SameAs),
    ] {
        let docs = [appliance, module.clone()];
        let g = build(&docs);
        assert_eq!(g.roots, [node(&g, 0, 0)], "{kind}");
        assert_eq!(
            g.graph
                .find_edge(node(&g, 0, 1), node(&g, 1, 0))
                .map(|e| g.graph[e]),
            Some(kind)
        );
        // The inner root still contains its own parts.
        assert!(g.graph.find_edge(node(&g, 1, 0), node(&g, 1, 1)).is_some());
        assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
    }
}

#[test]
fn a_bom_link_within_one_document_does_not_demote_its_root() {
    let docs = [DocBuilder::new("module")
        .serial(MODULE_SERIAL)
        .components("m", 2)
        .root(0)
        .edge_kind("m1", &format!("{MODULE_LINK}#m0"), EdgeKind::BomLink)
        .build()];
    let g = build(&docs);
    assert!(g.graph.find_edge(node(&g, 0, 1), node(&g, 0, 0)).is_some());
    assert_eq!(g.roots, [node(&g, 0, 0)]);
}

#[test]
fn a_linked_document_without_declared_roots_has_its_top_reached() {
    let docs = [
        DocBuilder::new("appliance")
            .components("a", 1)
            .root(0)
            .edge_kind("a0", MODULE_LINK, EdgeKind::BomLink)
            .build(),
        DocBuilder::new("module")
            .serial(MODULE_SERIAL)
            .components("m", 2)
            .edge("m0", "m1")
            .build(),
    ];
    let g = build(&docs);
    // The module's root is its unreached top, m0; the link makes it inner.
    assert_eq!(
        edges(&g, &docs),
        [
            e("m0", "m1", EdgeKind::DependsOn),
            e("a0", "m0", EdgeKind::BomLink)
        ]
    );
    assert_eq!(g.roots, [node(&g, 0, 0)]);
}

#[test]
fn building_is_deterministic() {
    let docs = [
        DocBuilder::new("a")
            .components("c", 6)
            .component("c2")
            .edge("c0", "c1")
            .edge("c1", "ghost")
            .edge("c3", "c4")
            .edge("c4", "c3")
            .edge("c5", "c5")
            .build(),
        DocBuilder::new("b")
            .components("c", 3)
            .root(1)
            .edge("c2", "zzz")
            .build(),
    ];
    let a = build(&docs);
    let b = build(&docs);
    assert_eq!(edges(&a, &docs), edges(&b, &docs));
    assert_eq!(a.roots, b.roots);
    assert_eq!(a.diagnostics, b.diagnostics);
    assert_eq!(
        codes(&a),
        [
            (0, "duplicate-ref"),
            (0, "dangling-ref"),
            (1, "dangling-ref")
        ]
    );
}

#[test]
fn vendor_nodes_are_shared_deduplicated_and_never_roots() {
    let docs = [DocBuilder::new("a").components("c", 3).root(0).build()];
    let mut g = build(&docs);
    let before = g.edge_count();
    let c1 = node(&g, 0, 1);
    let c2 = node(&g, 0, 2);
    let v = g.add_vendor_edge(c1, 7, EdgeKind::Embeds);
    assert_eq!(g.node(v), Some(Node::Vendor { key: 7 }));
    assert_eq!(g.add_vendor_edge(c2, 7, EdgeKind::Resells), v);
    assert_eq!(g.add_vendor_edge(c1, 7, EdgeKind::Bundles), v);
    let w = g.add_vendor_edge(v, 8, EdgeKind::WhiteLabelOf);
    assert_ne!(v, w);
    assert_eq!(g.add_vendor_edge(v, 7, EdgeKind::Embeds), v);
    assert_eq!(g.node_count(), 5);
    assert_eq!(g.edge_count(), before + 3);
    assert_eq!(
        g.graph.find_edge(c1, v).map(|x| g.graph[x]),
        Some(EdgeKind::Embeds)
    );
    assert_eq!(g.roots, [node(&g, 0, 0)]);
}

#[test]
fn a_vendor_edge_from_a_missing_node_adds_only_the_vendor_node() {
    let mut g = build(&[]);
    let v = g.add_vendor_edge(NodeId::new(99), 1, EdgeKind::Embeds);
    assert_eq!(g.node(v), Some(Node::Vendor { key: 1 }));
    assert_eq!(g.edge_count(), 0);
    assert!(g.roots.is_empty());
}

mod properties {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::super::testutil::random_doc;
    use super::*;

    proptest! {
        #[test]
        fn roots_follow_the_contract(doc in random_doc()) {
            let g = build(std::slice::from_ref(&doc));
            let n = doc.components.len();
            // Targets of relationships other than self-loops.
            let reached: BTreeSet<usize> = doc
                .relationships
                .iter()
                .filter_map(|r| match (r.from, r.to) {
                    (NodeRef::Index(a), NodeRef::Index(b)) if a != b => Some(b as usize),
                    _ => None,
                })
                .collect();
            let want: BTreeSet<usize> = if doc.roots.is_empty() {
                (0..n).filter(|i| !reached.contains(i)).collect()
            } else {
                doc.roots.iter().copied().collect()
            };
            let got: Vec<usize> = g.roots.iter().map(|r| r.index()).collect();
            prop_assert_eq!(got, want.iter().copied().collect::<Vec<_>>());

            // With one root, every other component is reached, and the only
            // edges beyond the relationships are `contains` from the root
            // to what no relationship reached.
            let implicit = g.edge_count() - g.graph.raw_edges().iter().filter(|e| {
                reached.contains(&e.target().index())
            }).count();
            if let [root] = g.roots[..] {
                for i in (0..n).filter(|&i| i != root.index()) {
                    let node = NodeId::new(i);
                    prop_assert!(g.graph.edges_directed(node, petgraph::Direction::Incoming).next().is_some());
                    if !reached.contains(&i) {
                        let e = g.graph.find_edge(root, node);
                        prop_assert_eq!(e.map(|e| g.graph[e]), Some(EdgeKind::Contains));
                    }
                }
                prop_assert_eq!(implicit, n - 1 - reached.iter().filter(|&&i| i != root.index()).count());
            } else {
                prop_assert_eq!(implicit, 0);
            }
        }
    }
}

#[test]
fn the_readers_bom_ref_table_is_used_only_for_its_own_components() {
    // Read by the CycloneDX reader: a repeated ref, a dangling one, and
    // a BOM-Link into the document itself.
    let text = r#"{"bomFormat":"CycloneDX","specVersion":"1.5",
        "serialNumber":"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79","version":1,
        "metadata":{"component":{"bom-ref":"top","name":"top"}},
        "components":[{"bom-ref":"a","name":"a"},{"bom-ref":"b","name":"b"},
                      {"bom-ref":"a","name":"a-again"},{"name":"no-ref"}],
        "dependencies":[{"ref":"top","dependsOn":["a","b","gone"]},
            {"ref":"b","dependsOn":["urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#a"]}]}"#;
    let doc = crate::sbom::read("d.json", text.as_bytes().to_vec()).expect("reads");
    assert!(
        doc.bom_refs.for_components(&doc.components).is_some(),
        "the reader keeps its table"
    );
    let summary = |docs: &[Document]| {
        let g = build(docs);
        (edges(&g, docs), g.diagnostics.clone(), g.roots.clone())
    };
    let without_table = |doc: &Document| Document {
        bom_refs: BomRefs::default(),
        ..doc.clone()
    };
    let kept = summary(std::slice::from_ref(&doc));
    assert_eq!(kept, summary(&[without_table(&doc)]));
    assert!(kept.1.iter().any(|(_, d)| d.code == "duplicate-ref"));
    assert!(kept.1.iter().any(|(_, d)| d.code == "dangling-ref"));
    assert!(
        kept.0.contains(&e("b", "a", EdgeKind::DependsOn)),
        "{:?}",
        kept.0
    );

    // Components changed after reading: the stale table must not be
    // used, so the graph is the one a fresh table gives.
    let mut changed = doc.clone();
    for c in &mut changed.components {
        if c.bom_ref.as_deref() == Some("b") {
            c.bom_ref = Some("a".into());
        } else if c.name == "no-ref" {
            c.bom_ref = Some("b".into());
        }
    }
    assert!(changed
        .bom_refs
        .for_components(&changed.components)
        .is_none());
    let stale = summary(std::slice::from_ref(&changed));
    assert_eq!(stale, summary(&[without_table(&changed)]));
    assert_ne!(stale, kept, "the change is visible in the graph");
}
