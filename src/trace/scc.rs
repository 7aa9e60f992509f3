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
            visit: vec![Visit::NEW; n],
            stack: Vec::new(),
            calls: Vec::new(),
            next_index: 0,
            nodes: Vec::with_capacity(n),
            start: vec![0],
        };
        for root in 0..n {
            if t.visit[root].index != NONE {
                continue;
            }
            t.enter(root, adj);
            while let Some(frame) = t.calls.last_mut() {
                let v = frame.0;
                if frame.1 < adj.range(v).end {
                    let w = adj.target(frame.1);
                    frame.1 += 1;
                    let seen = t.visit[w];
                    if seen.index == NONE {
                        t.enter(w, adj);
                    } else if seen.on_stack() {
                        t.visit[v].low = t.visit[v].low.min(seen.index);
                    }
                    continue;
                }
                t.calls.pop();
                let low = t.visit[v].low;
                if let Some(&(u, _)) = t.calls.last() {
                    t.visit[u].low = t.visit[u].low.min(low);
                }
                if low == t.visit[v].index {
                    t.pop_component(v);
                }
            }
        }
        Sccs {
            of: t.visit.iter().map(|v| v.scc).collect(),
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

/// What Tarjan knows of one node, kept together: looking at an edge's
/// target reads one place instead of one per array. (At a million nodes
/// the measured gain was within the machine's noise, docs/performance.md;
/// the one array is also the simpler state.)
#[derive(Clone, Copy)]
struct Visit {
    /// DFS discovery order; `NONE` for a node not yet visited.
    index: u32,
    /// The least discovery index reachable through the DFS subtree and one
    /// back edge.
    low: u32,
    /// The node's SCC; `NONE` while it is on the stack (or unvisited).
    scc: u32,
}

impl Visit {
    const NEW: Visit = Visit {
        index: NONE,
        low: 0,
        scc: NONE,
    };

    /// Visited and its SCC not complete yet: Tarjan's "on the stack".
    fn on_stack(self) -> bool {
        self.index != NONE && self.scc == NONE
    }
}

/// The working state of one Tarjan run.
struct Tarjan {
    visit: Vec<Visit>,
    /// Visited nodes whose SCC is not complete yet.
    stack: Vec<u32>,
    /// The DFS path: (node, next out-edge position to look at).
    calls: Vec<(usize, usize)>,
    next_index: u32,
    /// The SCCs found so far, as in [`Sccs`].
    nodes: Vec<u32>,
    start: Vec<u32>,
}

impl Tarjan {
    fn enter(&mut self, v: usize, adj: &Adjacency) {
        self.visit[v].index = self.next_index;
        self.visit[v].low = self.next_index;
        self.next_index += 1;
        self.stack.push(v as u32);
        self.calls.push((v, adj.range(v).start));
    }

    /// `v` is the first node of a complete SCC: pop it and everything
    /// above it off the stack as the next SCC.
    fn pop_component(&mut self, v: usize) {
        let id = (self.start.len() - 1) as u32;
        while let Some(w) = self.stack.pop() {
            self.visit[w as usize].scc = id;
            self.nodes.push(w);
            if w as usize == v {
                break;
            }
        }
        self.start.push(self.nodes.len() as u32);
    }
}
