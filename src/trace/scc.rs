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
            index: vec![NONE; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            calls: Vec::new(),
            next_index: 0,
        };
        let mut sccs = Sccs {
            of: vec![NONE; n],
            nodes: Vec::with_capacity(n),
            start: vec![0],
        };
        for root in 0..n {
            if t.index[root] != NONE {
                continue;
            }
            t.enter(root, adj);
            while let Some(frame) = t.calls.last_mut() {
                let v = frame.0;
                if frame.1 < adj.range(v).end {
                    let w = adj.target(frame.1);
                    frame.1 += 1;
                    if t.index[w] == NONE {
                        t.enter(w, adj);
                    } else if t.on_stack[w] {
                        t.low[v] = t.low[v].min(t.index[w]);
                    }
                    continue;
                }
                t.calls.pop();
                if let Some(&(u, _)) = t.calls.last() {
                    t.low[u] = t.low[u].min(t.low[v]);
                }
                if t.low[v] == t.index[v] {
                    t.pop_component(v, &mut sccs);
                }
            }
        }
        sccs
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

/// The working state of one Tarjan run.
struct Tarjan {
    /// DFS discovery order; `NONE` for a node not yet visited.
    index: Vec<u32>,
    /// The least discovery index reachable through the DFS subtree and one
    /// back edge.
    low: Vec<u32>,
    on_stack: Vec<bool>,
    /// Visited nodes whose SCC is not complete yet.
    stack: Vec<u32>,
    /// The DFS path: (node, next out-edge position to look at).
    calls: Vec<(usize, usize)>,
    next_index: u32,
}

impl Tarjan {
    fn enter(&mut self, v: usize, adj: &Adjacency) {
        self.index[v] = self.next_index;
        self.low[v] = self.next_index;
        self.next_index += 1;
        self.on_stack[v] = true;
        self.stack.push(v as u32);
        self.calls.push((v, adj.range(v).start));
    }

    /// `v` is the first node of a complete SCC: pop it and everything
    /// above it off the stack as the next SCC.
    fn pop_component(&mut self, v: usize, sccs: &mut Sccs) {
        let id = (sccs.start.len() - 1) as u32;
        while let Some(w) = self.stack.pop() {
            self.on_stack[w as usize] = false;
            sccs.of[w as usize] = id;
            sccs.nodes.push(w);
            if w as usize == v {
                break;
            }
        }
        sccs.start.push(sccs.nodes.len() as u32);
    }
}
