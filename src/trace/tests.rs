use std::time::Instant;

use super::*;
use crate::graph::testutil::{lattice, DocBuilder};
use crate::graph::{build, Node};
use crate::model::Document;

/// The node of the component named `name` (first match, in document order).
fn id(g: &Graph, docs: &[Document], name: &str) -> NodeId {
    docs.iter()
        .enumerate()
        .find_map(|(d, doc)| {
            let i = doc.components.iter().position(|c| c.name == name)?;
            g.component_node(d, i)
        })
        .unwrap_or_else(|| panic!("no component {name}"))
}

/// A path as `["R", "contains:A", ...]`.
fn show(g: &Graph, docs: &[Document], path: &[Hop]) -> Vec<String> {
    path.iter()
        .map(|h| {
            let name = match g.node(h.node) {
                Some(Node::Component { doc, index }) => docs[doc as usize].components
                    [index as usize]
                    .name
                    .to_string(),
                Some(Node::Vendor { key }) => format!("vendor:{key}"),
                None => "?".to_owned(),
            };
            match h.edge {
                Some(k) => format!("{k}:{name}"),
                None => name,
            }
        })
        .collect()
}

fn count(value: u128) -> PathCount {
    PathCount {
        value,
        saturated: false,
    }
}

#[test]
fn a_64_layer_diamond_lattice_has_exactly_2_pow_64_paths() {
    let docs = [lattice(64)];
    let started = Instant::now();
    let g = build(&docs);
    let t = Tracer::new(&g);
    let sink = id(&g, &docs, "n129");
    let c = t.path_count(sink);
    let elapsed = started.elapsed();
    println!("64-layer lattice: build + trace in {elapsed:?}");
    assert_eq!(c, count(1u128 << 64));
    assert_eq!(c.value, 18_446_744_073_709_551_616);
    // Top, 64 layers, sink.
    assert_eq!(t.shortest_path(sink).map(|p| p.len()), Some(66));
    assert_eq!(t.distance(sink), Some(65));
    // Each node of layer k (1-based) has 2^(k-1) paths.
    assert_eq!(t.path_count(id(&g, &docs, "n1")), count(1));
    assert_eq!(t.path_count(id(&g, &docs, "n4")), count(2));
    assert_eq!(t.path_count(id(&g, &docs, "n128")), count(1 << 63));
    assert!(elapsed.as_secs_f64() < 1.0, "took {elapsed:?}");
}

#[test]
fn path_counts_are_exact_up_to_u128_max_and_saturate_beyond() {
    let docs = [lattice(127)];
    let g = build(&docs);
    let t = Tracer::new(&g);
    assert_eq!(t.path_count(id(&g, &docs, "n255")), count(1 << 127));

    // 2^128 is one more than u128::MAX.
    let docs = [lattice(128)];
    let g = build(&docs);
    let t = Tracer::new(&g);
    let last_layer = t.path_count(id(&g, &docs, "n256"));
    assert_eq!(last_layer, count(1 << 127));
    let sink = t.path_count(id(&g, &docs, "n257"));
    assert_eq!(
        sink,
        PathCount {
            value: u128::MAX,
            saturated: true
        }
    );

    let docs = [lattice(130)];
    let g = build(&docs);
    let t = Tracer::new(&g);
    let sink = t.path_count(id(&g, &docs, "n261"));
    assert!(sink.saturated);
    assert_eq!(sink.value, u128::MAX);
    // Saturation does not leak upstream.
    assert_eq!(t.path_count(id(&g, &docs, "n1")), count(1));
}

#[test]
fn a_cycle_reachable_from_the_root_terminates_and_counts_once() {
    // R -> A <-> B -> C, and R -> B, A -> C too: the condensation is
    // R -> {A,B} -> C with one edge each way.
    let docs = [DocBuilder::new("d")
        .component("R")
        .component("A")
        .component("B")
        .component("C")
        .root(0)
        .edge("R", "A")
        .edge("A", "B")
        .edge("B", "A")
        .edge("B", "C")
        .edge("R", "B")
        .edge("A", "C")
        .build()];
    let g = build(&docs);
    let t = Tracer::new(&g);
    for name in ["A", "B", "C"] {
        assert_eq!(t.path_count(id(&g, &docs, name)), count(1), "{name}");
    }
    let to_c = t.shortest_path(id(&g, &docs, "C")).unwrap();
    assert_eq!(
        show(&g, &docs, &to_c),
        ["R", "depends_on:A", "depends_on:C"]
    );
    let to_b = t.shortest_path(id(&g, &docs, "B")).unwrap();
    assert_eq!(show(&g, &docs, &to_b), ["R", "depends_on:B"]);
}

#[test]
fn a_cycle_nothing_reaches_has_no_path_and_count_zero() {
    // Declared root R; X <-> Y is reached by nothing (each reaches the
    // other, so neither hangs off the root).
    let docs = [DocBuilder::new("d")
        .component("R")
        .component("X")
        .component("Y")
        .root(0)
        .edge("X", "Y")
        .edge("Y", "X")
        .build()];
    let g = build(&docs);
    let t = Tracer::new(&g);
    for name in ["X", "Y"] {
        let n = id(&g, &docs, name);
        assert_eq!(t.shortest_path(n), None);
        assert_eq!(t.distance(n), None);
        assert_eq!(t.path_count(n), PathCount::ZERO);
        assert!(t.paths(n, 10).is_empty());
    }
}

#[test]
fn the_shortest_path_is_the_shortest() {
    let docs = [DocBuilder::new("d")
        .component("R")
        .component("X")
        .component("Y")
        .component("Z")
        .component("T")
        .root(0)
        .edge("R", "X")
        .edge("X", "Y")
        .edge("Y", "T")
        .edge_kind("R", "Z", EdgeKind::Resells)
        .edge_kind("Z", "T", EdgeKind::Embeds)
        .build()];
    let g = build(&docs);
    let t = Tracer::new(&g);
    let p = t.shortest_path(id(&g, &docs, "T")).unwrap();
    assert_eq!(show(&g, &docs, &p), ["R", "resells:Z", "embeds:T"]);
    assert_eq!(t.path_count(id(&g, &docs, "T")), count(2));
    let r = t.shortest_path(id(&g, &docs, "R")).unwrap();
    assert_eq!(show(&g, &docs, &r), ["R"]);
}

#[test]
fn equally_short_paths_are_chosen_by_edge_insertion_order() {
    let diamond = |first: &str, second: &str| {
        [DocBuilder::new("d")
            .component("R")
            .component("A")
            .component("B")
            .component("T")
            .root(0)
            .edge("R", "A")
            .edge("R", "B")
            .edge(first, "T")
            .edge(second, "T")
            .build()]
    };
    let docs = diamond("A", "B");
    let g = build(&docs);
    let p = Tracer::new(&g).shortest_path(id(&g, &docs, "T")).unwrap();
    assert_eq!(show(&g, &docs, &p), ["R", "depends_on:A", "depends_on:T"]);

    // A reaches T first in BFS order whichever edge into T came first.
    let docs = diamond("B", "A");
    let g = build(&docs);
    let p = Tracer::new(&g).shortest_path(id(&g, &docs, "T")).unwrap();
    assert_eq!(show(&g, &docs, &p), ["R", "depends_on:A", "depends_on:T"]);

    // The order of R's out-edges decides.
    let docs = [DocBuilder::new("d")
        .component("R")
        .component("A")
        .component("B")
        .component("T")
        .root(0)
        .edge("R", "B")
        .edge("R", "A")
        .edge("A", "T")
        .edge("B", "T")
        .build()];
    let g = build(&docs);
    let t = Tracer::new(&g);
    let p = t.shortest_path(id(&g, &docs, "T")).unwrap();
    assert_eq!(show(&g, &docs, &p), ["R", "depends_on:B", "depends_on:T"]);
    // And it is the same every time.
    for _ in 0..3 {
        let again = Tracer::new(&g).shortest_path(id(&g, &docs, "T")).unwrap();
        assert_eq!(again, p);
    }
}

#[test]
fn counts_are_summed_over_several_roots() {
    // Two declared roots; R1 also reaches R2.
    let docs = [DocBuilder::new("d")
        .component("R1")
        .component("R2")
        .component("T")
        .root(0)
        .root(1)
        .edge("R1", "R2")
        .edge("R2", "T")
        .edge("R1", "T")
        .build()];
    let g = build(&docs);
    let t = Tracer::new(&g);
    assert_eq!(t.path_count(id(&g, &docs, "R1")), count(1));
    // [R2] and [R1, R2].
    assert_eq!(t.path_count(id(&g, &docs, "R2")), count(2));
    // [R1, T], [R1, R2, T], [R2, T].
    assert_eq!(t.path_count(id(&g, &docs, "T")), count(3));
    let p = t.shortest_path(id(&g, &docs, "R2")).unwrap();
    assert_eq!(show(&g, &docs, &p), ["R2"]);
}

#[test]
fn roots_of_several_documents_each_start_paths() {
    let docs = [
        DocBuilder::new("a")
            .component("A")
            .component("x")
            .root(0)
            .build(),
        DocBuilder::new("b")
            .component("B")
            .component("y")
            .root(0)
            .build(),
    ];
    let g = build(&docs);
    let t = Tracer::new(&g);
    let p = t.shortest_path(id(&g, &docs, "y")).unwrap();
    assert_eq!(show(&g, &docs, &p), ["B", "contains:y"]);
    assert_eq!(t.path_count(id(&g, &docs, "x")), count(1));
}

#[test]
fn vendor_nodes_are_traced_like_components() {
    let docs = [DocBuilder::new("d")
        .component("R")
        .component("mailscan")
        .root(0)
        .build()];
    let mut g = build(&docs);
    let mail = id(&g, &docs, "mailscan");
    let product = g.add_vendor_edge(mail, 1, EdgeKind::WhiteLabelOf);
    let engine = g.add_vendor_edge(product, 2, EdgeKind::Embeds);
    let t = Tracer::new(&g);
    let p = t.shortest_path(engine).unwrap();
    assert_eq!(
        show(&g, &docs, &p),
        [
            "R",
            "contains:mailscan",
            "white_label_of:vendor:1",
            "embeds:vendor:2"
        ]
    );
    assert_eq!(t.path_count(engine), count(1));
}

#[test]
fn unknown_nodes_have_no_path_and_no_count() {
    let docs = [DocBuilder::new("d").component("R").root(0).build()];
    let g = build(&docs);
    let t = Tracer::new(&g);
    let ghost = NodeId::new(5);
    assert_eq!(t.shortest_path(ghost), None);
    assert_eq!(t.path_count(ghost), PathCount::ZERO);
    assert!(t.paths(ghost, 3).is_empty());
}

#[test]
fn an_empty_graph_traces_nothing() {
    let g = build(&[]);
    let t = Tracer::new(&g);
    assert_eq!(t.path_count(NodeId::new(0)), PathCount::ZERO);
}

#[test]
fn paths_lists_one_path_per_condensation_path() {
    let docs = [lattice(3)];
    let g = build(&docs);
    let t = Tracer::new(&g);
    let sink = id(&g, &docs, "n7");
    let all = t.paths(sink, 100);
    assert_eq!(all.len(), 8);
    let mut shown: Vec<_> = all.iter().map(|p| show(&g, &docs, p)).collect();
    for p in &shown {
        assert_eq!(p.len(), 5);
        assert_eq!(p[0], "n0");
        assert_eq!(p[4], "depends_on:n7");
    }
    shown.sort();
    shown.dedup();
    assert_eq!(shown.len(), 8, "paths are distinct");
    assert_eq!(t.paths(sink, 3).len(), 3);
    assert_eq!(t.paths(sink, 3)[..], all[..3]);
    assert!(t.paths(sink, 0).is_empty());
}

#[test]
fn paths_walk_through_a_cycle_from_entry_to_exit() {
    // R -> A, A <-> B, B -> C: entering the cycle at A, leaving from B.
    let docs = [DocBuilder::new("d")
        .component("R")
        .component("A")
        .component("B")
        .component("C")
        .root(0)
        .edge("R", "A")
        .edge("A", "B")
        .edge_kind("B", "A", EdgeKind::Other)
        .edge_kind("B", "C", EdgeKind::Embeds)
        .build()];
    let g = build(&docs);
    let t = Tracer::new(&g);
    let c = id(&g, &docs, "C");
    let all = t.paths(c, 10);
    assert_eq!(all.len(), 1);
    assert_eq!(
        show(&g, &docs, &all[0]),
        ["R", "depends_on:A", "depends_on:B", "embeds:C"]
    );
    // Inside the target's own SCC too.
    let all = t.paths(id(&g, &docs, "B"), 10);
    assert_eq!(
        all.iter().map(|p| show(&g, &docs, p)).collect::<Vec<_>>(),
        [["R", "depends_on:A", "depends_on:B"]]
    );
}

#[test]
fn paths_follow_predecessors_in_topological_order() {
    let docs = [DocBuilder::new("d")
        .component("R1")
        .component("R2")
        .component("T")
        .root(0)
        .root(1)
        .edge("R1", "R2")
        .edge("R2", "T")
        .edge("R1", "T")
        .build()];
    let g = build(&docs);
    let t = Tracer::new(&g);
    let shown: Vec<_> = t
        .paths(id(&g, &docs, "T"), 10)
        .iter()
        .map(|p| show(&g, &docs, p))
        .collect();
    assert_eq!(
        shown,
        [
            vec!["R1", "depends_on:T"],
            vec!["R2", "depends_on:T"],
            vec!["R1", "depends_on:R2", "depends_on:T"],
        ]
    );
    // A root in the target's own SCC comes first.
    let to_r2: Vec<_> = t
        .paths(id(&g, &docs, "R2"), 10)
        .iter()
        .map(|p| show(&g, &docs, p))
        .collect();
    assert_eq!(to_r2, [vec!["R2"], vec!["R1", "depends_on:R2"]]);
}

#[test]
fn listing_a_few_paths_of_a_huge_count_is_cheap() {
    let docs = [lattice(100)];
    let g = build(&docs);
    let t = Tracer::new(&g);
    let sink = id(&g, &docs, "n201");
    let started = Instant::now();
    let some = t.paths(sink, 5);
    println!("5 of 2^100 paths in {:?}", started.elapsed());
    assert_eq!(some.len(), 5);
    assert!(some.iter().all(|p| p.len() == 102));
}

#[test]
fn listing_paths_never_wanders_into_what_no_root_reaches() {
    // R -> T, and a 64-layer lattice into T from a cycle U <-> V that no
    // root reaches: 2^64 dead ends backwards from T, none of them entered.
    let layers = 64;
    let mut b = DocBuilder::new("d")
        .component("R")
        .component("T")
        .component("U")
        .component("V")
        .components("l", 2 * layers)
        .root(0)
        .edge("R", "T")
        .edge("U", "V")
        .edge("V", "U");
    let node = |layer: usize, side: usize| 4 + 2 * layer + side;
    for side in 0..2 {
        b = b
            .edge_ix(2, node(0, side))
            .edge_ix(node(layers - 1, side), 1);
    }
    for layer in 0..layers - 1 {
        for from in 0..2 {
            for to in 0..2 {
                b = b.edge_ix(node(layer, from), node(layer + 1, to));
            }
        }
    }
    let docs = [b.build()];
    let g = build(&docs);
    let t = Tracer::new(&g);
    let target = id(&g, &docs, "T");
    assert_eq!(t.path_count(target), count(1));
    let all: Vec<_> = t
        .paths(target, 10)
        .iter()
        .map(|p| show(&g, &docs, p))
        .collect();
    assert_eq!(all, [["R", "depends_on:T"]]);
}

/// A document of `n` components `c0 -> c1 -> ... -> c(n-1)`, `c0` the
/// root; with `ring`, also `c(n-1) -> c1`.
fn chain(n: usize, ring: bool) -> Document {
    let mut b = DocBuilder::new("chain").components("c", n).root(0);
    for i in 1..n {
        b = b.edge_ix(i - 1, i);
    }
    if ring {
        b = b.edge_ix(n - 1, 1);
    }
    b.build()
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let x = f();
    println!("{what}: {:?}", started.elapsed());
    x
}

const MILLION: usize = 1_000_000;

/// Build and trace a chain (or ring) of `n` nodes; any recursion per node
/// would overflow the stack long before `n = 200_000`.
fn trace_a_long_chain(n: usize, ring: bool) {
    let docs = [timed("make chain", || chain(n, ring))];
    let g = timed("build", || build(&docs));
    let t = timed("tracer", || Tracer::new(&g));
    let last = NodeId::new(n - 1);
    let p = timed("shortest path", || t.shortest_path(last)).unwrap();
    assert_eq!(p.len(), n);
    assert_eq!(t.path_count(last), count(1));
    let all = timed("paths", || t.paths(last, 2));
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].len(), n);
    if ring {
        // c1 .. c(n-1) are one SCC; the path to c1 does not go round it.
        assert_eq!(t.paths(NodeId::new(1), 5).len(), 1);
    }
}

#[test]
fn a_long_chain_and_ring_trace_without_stack_overflow() {
    trace_a_long_chain(200_000, false);
    trace_a_long_chain(200_000, true);
}

#[test]
#[ignore = "slow in debug; run with --release --ignored"]
fn a_million_node_chain_builds_and_traces_without_stack_overflow() {
    trace_a_long_chain(MILLION, false);
}

#[test]
#[ignore = "slow in debug; run with --release --ignored"]
fn a_million_node_ring_is_one_scc_without_stack_overflow() {
    trace_a_long_chain(MILLION, true);
}

#[test]
#[ignore = "slow in debug; run with --release --ignored"]
fn a_million_node_wide_graph_builds_and_traces() {
    // root -> each of n - 2 middles -> sink.
    let docs = [timed("make wide", || {
        let mut b = DocBuilder::new("wide").components("w", MILLION).root(0);
        for i in 1..MILLION - 1 {
            b = b.edge_ix(0, i).edge_ix(i, MILLION - 1);
        }
        b.build()
    })];
    let g = timed("build", || build(&docs));
    let t = timed("tracer", || Tracer::new(&g));
    let sink = NodeId::new(MILLION - 1);
    assert_eq!(t.path_count(sink), count(MILLION as u128 - 2));
    let p = t.shortest_path(sink).unwrap();
    assert_eq!(p.len(), 3);
    assert_eq!(p[1].node, NodeId::new(1));
    assert_eq!(timed("paths", || t.paths(sink, 10)).len(), 10);
}

/// Every answer of two tracers for the nodes `0..nodes`.
fn answers(t: &Tracer<'_>, nodes: usize) -> Vec<(Option<u32>, Option<Vec<Hop>>, PathCount)> {
    (0..nodes)
        .map(NodeId::new)
        .map(|n| (t.distance(n), t.shortest_path(n), t.path_count(n)))
        .collect()
}

/// R -> A -> B -> A (a cycle), R -> C, and D unreached.
fn small_graph() -> (Vec<Document>, Graph) {
    let docs = vec![DocBuilder::new("d")
        .component("R")
        .component("A")
        .component("B")
        .component("C")
        .component("D")
        .edge("R", "A")
        .edge("A", "B")
        .edge("B", "A")
        .edge("R", "C")
        .build()];
    let g = build(&docs);
    (docs, g)
}

#[test]
fn resumed_after_sinks_were_added_a_tracer_answers_as_a_new_one() {
    let (docs, mut g) = small_graph();
    let nodes = g.node_count();
    let traced = Traced::new(&g);
    // Vendor edges: from traced nodes (one unreached) to new nodes only.
    let a = id(&g, &docs, "A");
    let c = id(&g, &docs, "C");
    let d = id(&g, &docs, "D");
    let v1 = g.add_vendor_edge(a, 1, EdgeKind::Embeds);
    g.add_vendor_edge(c, 1, EdgeKind::Embeds);
    g.add_vendor_edge(d, 2, EdgeKind::Embeds);
    let fresh = Tracer::new(&g);
    let resumed = Tracer::resume(&g, traced);
    assert_eq!(answers(&resumed, nodes), answers(&fresh, nodes));
    assert_eq!(resumed.path_count(a), count(1));
    assert_eq!(
        fresh.path_count(v1),
        count(2),
        "the new tracer sees the sink"
    );
    assert_eq!(resumed.distance(v1), None, "the resumed one does not");
}

#[test]
fn resumed_after_any_other_change_a_tracer_traces_anew() {
    // A new edge between traced nodes; a new node with an edge out of it;
    // other roots. Each changes some answer, and each is traced anew.
    let changes: [fn(&mut Graph, &[Document]); 3] = [
        |g, docs| {
            let (r, d) = (id(g, docs, "R"), id(g, docs, "D"));
            g.graph.add_edge(r, d, EdgeKind::DependsOn);
        },
        |g, docs| {
            let v = g.add_vendor_edge(id(g, docs, "C"), 1, EdgeKind::Embeds);
            g.graph.add_edge(v, id(g, docs, "D"), EdgeKind::DependsOn);
        },
        |g, docs| g.roots = vec![id(g, docs, "A")],
    ];
    for (i, change) in changes.iter().enumerate() {
        let (docs, mut g) = small_graph();
        let nodes = g.node_count();
        let traced = Traced::new(&g);
        let before = answers(&Tracer::new(&g), nodes);
        change(&mut g, &docs);
        let fresh = answers(&Tracer::new(&g), nodes);
        assert_ne!(before, fresh, "change {i} changes some answer");
        assert_eq!(
            answers(&Tracer::resume(&g, traced), nodes),
            fresh,
            "change {i}"
        );
    }
}
