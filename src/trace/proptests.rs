//! Property tests: on small random graphs (cycles, self-loops, parallel
//! edges, declared or derived roots), the tracer agrees with slow
//! reference algorithms written from the definitions.

use std::collections::{BTreeSet, HashSet, VecDeque};

use proptest::prelude::*;

use super::*;
use crate::graph::build;
use crate::graph::testutil::random_doc as doc;

/// The graph's edges as an adjacency matrix.
fn matrix(g: &Graph) -> Vec<Vec<bool>> {
    let n = g.node_count();
    let mut m = vec![vec![false; n]; n];
    for e in g.graph.raw_edges() {
        m[e.source().index()][e.target().index()] = true;
    }
    m
}

/// Reflexive-transitive closure (Floyd–Warshall).
fn closure(m: &[Vec<bool>]) -> Vec<Vec<bool>> {
    let n = m.len();
    let mut r = m.to_vec();
    for (i, row) in r.iter_mut().enumerate() {
        row[i] = true;
    }
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                if r[i][k] && r[k][j] {
                    r[i][j] = true;
                }
            }
        }
    }
    r
}

/// Each node's SCC, named by its smallest member.
fn scc_names(reach: &[Vec<bool>]) -> Vec<usize> {
    (0..reach.len())
        .map(|i| {
            (0..reach.len())
                .find(|&j| reach[i][j] && reach[j][i])
                .unwrap_or(i)
        })
        .collect()
}

/// Count paths from `from` to `to` in a DAG by listing them.
fn brute_paths(dag: &BTreeSet<(usize, usize)>, from: usize, to: usize) -> u128 {
    if from == to {
        return 1;
    }
    dag.iter()
        .filter(|&&(a, _)| a == from)
        .map(|&(_, b)| brute_paths(dag, b, to))
        .sum()
}

/// Plain BFS distances from all roots.
fn distances(m: &[Vec<bool>], roots: &[NodeId]) -> Vec<Option<usize>> {
    let mut dist = vec![None; m.len()];
    let mut queue = VecDeque::new();
    for r in roots {
        dist[r.index()] = Some(0);
        queue.push_back(r.index());
    }
    while let Some(v) = queue.pop_front() {
        for w in 0..m.len() {
            if m[v][w] && dist[w].is_none() {
                dist[w] = dist[v].map(|d| d + 1);
                queue.push_back(w);
            }
        }
    }
    dist
}

/// A path is a real root-to-`target` walk in the graph with the right
/// edge kinds, visiting no node twice.
fn assert_valid_path(g: &Graph, path: &[Hop], target: NodeId) {
    assert!(!path.is_empty());
    assert!(g.roots.contains(&path[0].node), "starts at a root");
    assert_eq!(path[0].edge, None);
    assert_eq!(path[path.len() - 1].node, target);
    for w in path.windows(2) {
        let e = g
            .graph
            .find_edge(w[0].node, w[1].node)
            .expect("edge exists");
        assert_eq!(Some(g.graph[e]), w[1].edge);
    }
    let distinct: HashSet<_> = path.iter().map(|h| h.node).collect();
    assert_eq!(distinct.len(), path.len(), "simple path");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn path_counts_match_brute_force_over_the_condensation(doc in doc()) {
        let g = build(std::slice::from_ref(&doc));
        let t = Tracer::new(&g);
        let m = matrix(&g);
        let reach = closure(&m);
        let scc = scc_names(&reach);
        let dag: BTreeSet<(usize, usize)> = g
            .graph
            .raw_edges()
            .iter()
            .map(|e| (scc[e.source().index()], scc[e.target().index()]))
            .filter(|(a, b)| a != b)
            .collect();
        for v in 0..g.node_count() {
            let want: u128 = g.roots.iter().map(|r| brute_paths(&dag, scc[r.index()], scc[v])).sum();
            prop_assert_eq!(t.path_count(NodeId::new(v)), PathCount { value: want, saturated: false });
        }
    }

    #[test]
    fn shortest_paths_are_real_and_shortest(doc in doc()) {
        let g = build(std::slice::from_ref(&doc));
        let t = Tracer::new(&g);
        let dist = distances(&matrix(&g), &g.roots);
        for (v, d) in dist.iter().enumerate() {
            let node = NodeId::new(v);
            let path = t.shortest_path(node);
            prop_assert_eq!(path.as_ref().map(|p| p.len() - 1), *d);
            prop_assert_eq!(t.distance(node).map(|x| x as usize), *d);
            if let Some(p) = path {
                assert_valid_path(&g, &p, node);
            }
            if d.is_none() {
                prop_assert_eq!(t.path_count(node), PathCount::ZERO);
            }
        }
    }

    #[test]
    fn paths_list_every_condensation_path_once(doc in doc()) {
        let g = build(std::slice::from_ref(&doc));
        let t = Tracer::new(&g);
        let scc = scc_names(&closure(&matrix(&g)));
        for v in 0..g.node_count() {
            let node = NodeId::new(v);
            let all = t.paths(node, usize::MAX);
            prop_assert_eq!(all.len() as u128, t.path_count(node).value);
            let mut seen = HashSet::new();
            for p in &all {
                assert_valid_path(&g, p, node);
                // (root, SCCs passed): distinct for distinct condensation paths.
                let mut key = vec![p[0].node.index()];
                for h in p {
                    let s = scc[h.node.index()];
                    if key.len() == 1 || key.last() != Some(&s) {
                        key.push(s);
                    }
                }
                prop_assert!(seen.insert(key), "path listed twice");
            }
            let few = t.paths(node, 2);
            prop_assert_eq!(&few[..], &all[..all.len().min(2)]);
        }
    }

    #[test]
    fn building_and_tracing_are_deterministic(doc in doc()) {
        let docs = [doc];
        let (a, b) = (build(&docs), build(&docs));
        let edges = |g: &Graph| -> Vec<_> {
            g.graph.raw_edges().iter().map(|e| (e.source(), e.target(), e.weight)).collect()
        };
        prop_assert_eq!(edges(&a), edges(&b));
        prop_assert_eq!(&a.roots, &b.roots);
        let (ta, tb) = (Tracer::new(&a), Tracer::new(&b));
        for v in 0..a.node_count() {
            let n = NodeId::new(v);
            prop_assert_eq!(ta.shortest_path(n), tb.shortest_path(n));
            prop_assert_eq!(ta.paths(n, 4), tb.paths(n, 4));
        }
    }
}

/// A random DAG: edges only from a lower to a higher component index, so
/// no cycle and no self-loop; parallel edges allowed.
fn dag() -> impl Strategy<Value = crate::model::Document> {
    (1usize..=8)
        .prop_flat_map(|n| {
            (
                Just(n),
                prop::collection::vec((0..n, 0..n), 0..=20),
                prop::collection::vec(0..n, 0..=2),
            )
        })
        .prop_map(|(n, edges, roots)| {
            let mut b = crate::graph::testutil::DocBuilder::new("dag").components("c", n);
            for r in roots {
                b = b.root(r);
            }
            for (a, z) in edges.into_iter().filter(|(a, z)| a != z) {
                b = b.edge_ix(a.min(z), a.max(z));
            }
            b.build()
        })
}

/// The number of distinct node sequences `from` → … → `to` along the
/// graph's own edges (two parallel edges make one sequence). Only for a
/// DAG: it walks every path.
fn count_walks(m: &[Vec<bool>], from: usize, to: usize) -> u128 {
    if from == to {
        return 1;
    }
    (0..m.len())
        .filter(|&next| m[from][next])
        .map(|next| count_walks(m, next, to))
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Without cycles the condensation is the graph itself, so the count
    /// must be the plain number of root-to-node paths, counted here by
    /// walking them (nothing shared with the tracer's algorithm).
    #[test]
    fn path_counts_on_dags_are_the_number_of_paths(doc in dag()) {
        let g = build(std::slice::from_ref(&doc));
        let t = Tracer::new(&g);
        let m = matrix(&g);
        // The graph adds `contains` edges from a lone root to what nothing
        // reaches, which can close a cycle through the root: skip those.
        let reach = closure(&m);
        let n = m.len();
        let cyclic = (0..n).any(|i| m[i][i] || (0..n).any(|j| i != j && reach[i][j] && reach[j][i]));
        prop_assume!(!cyclic);
        for v in 0..g.node_count() {
            let want: u128 = g.roots.iter().map(|r| count_walks(&m, r.index(), v)).sum();
            prop_assert_eq!(t.path_count(NodeId::new(v)).value, want);
        }
    }

    /// What the audit reports, not only what the tracer answers: every
    /// finding's path starts at a root, follows real edges of the graph
    /// with their kinds, is as short as any path, and its count is the
    /// tracer's; a finding no root reaches is the component alone with a
    /// count of 0.
    #[test]
    fn reported_paths_are_real_shortest_and_counted(doc in doc(), flagged in prop::collection::vec(0usize..7, 1..=3)) {
        use crate::graph::Node;
        let mut doc = doc;
        let n = doc.components.len();
        for i in flagged.into_iter().map(|i| i % n) {
            doc.components[i].unfielded_purl = Some("pkg:generic/kaspersky/anti-virus-sdk@8.0".into());
        }
        let docs = [doc];
        let g = build(&docs);
        let t = Tracer::new(&g);
        let dist = distances(&matrix(&g), &g.roots);
        let db = crate::vendordb::VendorDb::embedded().expect("embedded db");
        let report = crate::audit(&docs, &db, &crate::Options::default());
        prop_assert!(!report.findings.is_empty());
        // Component `cN` is node `component_nodes[0][N]`.
        let node_of = |bom_ref: &Option<String>| -> NodeId {
            let i: usize = bom_ref.as_deref().and_then(|r| r.strip_prefix('c')).and_then(|i| i.parse().ok()).expect("cN");
            g.component_node(0, i).expect("a component of the document")
        };
        for f in &report.findings {
            let target = node_of(&f.component.bom_ref);
            prop_assert_eq!(f.path_count, t.path_count(target).value);
            let nodes: Vec<NodeId> = f.path.iter().map(|h| node_of(&h.bom_ref)).collect();
            prop_assert_eq!(nodes.last(), Some(&target));
            match dist[target.index()] {
                None => {
                    prop_assert_eq!(nodes.len(), 1);
                    prop_assert_eq!(f.path_count, 0);
                }
                Some(d) => {
                    prop_assert_eq!(nodes.len(), d + 1, "shortest");
                    prop_assert!(g.roots.contains(&nodes[0]), "starts at a root");
                    prop_assert_eq!(f.path[0].edge, None);
                    for (w, hop) in nodes.windows(2).zip(&f.path[1..]) {
                        let e = g.graph.edges_connecting(w[0], w[1]).map(|e| *e.weight()).collect::<Vec<_>>();
                        prop_assert!(hop.edge.is_some_and(|k| e.contains(&k)), "a real edge of that kind");
                    }
                    let first_is_component = matches!(g.graph[nodes[0]], Node::Component { .. });
                    prop_assert!(first_is_component, "the root is a component");
                }
            }
        }
    }
}
