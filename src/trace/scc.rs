//! Strongly connected components by Tarjan's algorithm, iteratively.
//!
//! petgraph 0.8.3's `tarjan_scc` recurses once per node on the current
//! DFS path, which overflows the stack on a long dependency chain (a
//! million-node chain is a realistic synthetic SBOM). This one keeps its
//! DFS stack on the heap.
//!
//! SCCs get ids in the order Tarjan completes them, which is a reverse
//! topological order of the condensation: if an edge leads from SCC `a`
//! to another SCC `b`, then `b < a`.

use super::adjacency::Adjacency;
use super::NONE;
use crate::graph::NodeId;

pub(super) struct Sccs {
    /// Node -> the id of its SCC.
    of: Vec<u32>,
    /// Nodes grouped by SCC: SCC `s` is `nodes[start[s] .. start[s + 1]]`.
    nodes: Vec<u32>,
    start: Vec<u32>,
}

impl Sccs {
    /// Tarjan over `adj`, starting from nodes in index order and taking
    /// out-edges in insertion order, so ids are deterministic.
    pub(super) fn tarjan(adj: &Adjacency) -> Self {
        let n = adj.node_count();
        let mut t = Tarjan {
            state: vec![UNVISITED; n],
            of: vec![NONE; n],
            stack: Vec::new(),
            calls: Vec::new(),
            next_index: 0,
            nodes: Vec::with_capacity(n),
            start: vec![0],
        };
        for root in 0..n {
            if t.state[root] != UNVISITED {
                continue;
            }
            t.enter(root, adj);
            while let Some(frame) = t.calls.last_mut() {
                if frame.next < frame.end {
                    let w = adj.target(frame.next as usize);
                    frame.next += 1;
                    match t.state[w] {
                        UNVISITED => t.enter(w, adj),
                        DONE => {}
                        // On the stack: `index` is its discovery index.
                        index => frame.low = frame.low.min(index),
                    }
                    continue;
                }
                let Frame { v, low, .. } = *frame;
                t.calls.pop();
                if let Some(parent) = t.calls.last_mut() {
                    parent.low = parent.low.min(low);
                }
                if low == t.state[v as usize] {
                    t.pop_component(v);
                }
            }
        }
        Sccs {
            of: t.of,
            nodes: t.nodes,
            start: t.start,
        }
    }

    /// The number of SCCs.
    pub(super) fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// The SCC of `node`, if the graph has the node.
    pub(super) fn of(&self, node: NodeId) -> Option<usize> {
        self.of.get(node.index()).map(|&s| s as usize)
    }

    /// The SCC of node index `v` (which must be in the graph).
    pub(super) fn of_index(&self, v: usize) -> usize {
        self.of[v] as usize
    }

    /// The nodes of SCC `s`.
    pub(super) fn members(&self, s: usize) -> &[u32] {
        match (self.start.get(s), self.start.get(s + 1)) {
            (Some(&a), Some(&b)) => &self.nodes[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// `Tarjan::state` of a node not visited yet.
const UNVISITED: u32 = NONE;
/// `Tarjan::state` of a node whose SCC is complete.
const DONE: u32 = NONE - 1;

/// One node on the DFS path.
#[derive(Clone, Copy)]
struct Frame {
    v: u32,
    /// The next out-edge position of `v` to look at, and the end of them.
    next: u32,
    end: u32,
    /// The least discovery index reachable through `v`'s DFS subtree and
    /// one back edge. Only a node on the path needs one, so it lives here
    /// rather than in a per-node array.
    low: u32,
}

/// The working state of one Tarjan run.
///
/// Every edge looked at reads the state of its target, a random place at
/// a million nodes. That state is one `u32` per node (4 MB at a million
/// nodes): a node's discovery index while it is on the stack, or one of
/// two markers. The low links live on the DFS path and the SCC ids in an
/// array written once per node. With a per-node struct of index, low link
/// and SCC (12 MB) instead, Tarjan took 249 and 263 ms of a 1M-component
/// audit's samples in two runs; with this state, 184 and 207 ms
/// (docs/performance.md).
struct Tarjan {
    /// Per node: `UNVISITED`, `DONE`, or its discovery index (on the
    /// stack, its SCC not complete yet).
    state: Vec<u32>,
    /// Per node: its SCC, once complete.
    of: Vec<u32>,
    /// Visited nodes whose SCC is not complete yet.
    stack: Vec<u32>,
    /// The DFS path.
    calls: Vec<Frame>,
    next_index: u32,
    /// The SCCs found so far, as in [`Sccs`].
    nodes: Vec<u32>,
    start: Vec<u32>,
}

impl Tarjan {
    fn enter(&mut self, v: usize, adj: &Adjacency) {
        // Below `n < DONE` (petgraph keeps u32::MAX for itself and a graph
        // of u32::MAX - 1 nodes cannot fit in memory), so an index is
        // never a marker.
        let index = self.next_index;
        self.state[v] = index;
        self.next_index += 1;
        self.stack.push(v as u32);
        let range = adj.range(v);
        self.calls.push(Frame {
            v: v as u32,
            next: range.start as u32,
            end: range.end as u32,
            low: index,
        });
    }

    /// `v` is the first node of a complete SCC: pop it and everything
    /// above it off the stack as the next SCC.
    fn pop_component(&mut self, v: u32) {
        let id = (self.start.len() - 1) as u32;
        while let Some(w) = self.stack.pop() {
            self.state[w as usize] = DONE;
            self.of[w as usize] = id;
            self.nodes.push(w);
            if w == v {
                break;
            }
        }
        self.start.push(self.nodes.len() as u32);
    }
}

#[cfg(test)]
mod tests {
    use petgraph::graph::DiGraph;

    use super::*;
    use crate::graph::Node;
    use crate::model::EdgeKind;

    /// A graph of `n` nodes and about `n * degree` edges from a small
    /// deterministic generator: mostly short forward edges, some back
    /// edges, some to anywhere, so that it has SCCs of many sizes.
    fn graph(n: u32, degree: u32, mut seed: u64) -> DiGraph<Node, EdgeKind, u32> {
        let mut next = move |bound: u32| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % u64::from(bound.max(1))) as u32
        };
        let mut g = DiGraph::default();
        for key in 0..n {
            g.add_node(Node::Vendor { key });
        }
        for a in 0..n {
            for _ in 0..next(2 * degree + 1) {
                let b = match next(10) {
                    0 => next(n),
                    1 => a.saturating_sub(next(8)),
                    _ => (a + 1 + next(8)).min(n - 1),
                };
                g.add_edge(a.into(), b.into(), EdgeKind::DependsOn);
            }
        }
        g
    }

    #[test]
    fn agrees_with_petgraph_and_numbers_in_reverse_topological_order() {
        for (n, degree, seed) in [(1, 1, 1), (2, 1, 2), (50, 1, 3), (300, 2, 4), (2000, 3, 5)] {
            let g = graph(n, degree, seed);
            let sccs = Sccs::tarjan(&Adjacency::outgoing(&g));
            let mut ours: Vec<Vec<u32>> = (0..sccs.len())
                .map(|s| {
                    let mut m = sccs.members(s).to_vec();
                    m.sort_unstable();
                    m
                })
                .collect();
            let mut theirs: Vec<Vec<u32>> = petgraph::algo::tarjan_scc(&g)
                .into_iter()
                .map(|c| {
                    let mut m: Vec<u32> = c.iter().map(|v| v.index() as u32).collect();
                    m.sort_unstable();
                    m
                })
                .collect();
            ours.sort();
            theirs.sort();
            assert_eq!(ours, theirs, "n={n} seed={seed}");
            for v in g.node_indices() {
                let s = sccs.of(v).expect("every node has an SCC");
                assert!(sccs.members(s).contains(&(v.index() as u32)));
            }
            for e in g.raw_edges() {
                let (a, b) = (
                    sccs.of_index(e.source().index()),
                    sccs.of_index(e.target().index()),
                );
                assert!(b <= a, "edge between SCCs {a} -> {b} against the order");
            }
        }
    }
}
