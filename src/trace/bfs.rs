//! One multi-source breadth-first search from all roots: the depth of
//! every node and the edge BFS reached it by, so that a shortest path to
//! any node is its chain of parent edges.

use super::adjacency::Adjacency;
use super::NONE;
use crate::graph::NodeId;

pub(super) struct Bfs {
    /// Edges from the nearest root; `NONE` for an unreached node.
    depth: Vec<u32>,
    /// The edge BFS first reached a node by; `NONE` for roots and
    /// unreached nodes.
    parent_edge: Vec<u32>,
}

impl Bfs {
    /// Search from `roots` in their order, taking out-edges in insertion
    /// order: a node's parent is the first node (in that order) to reach
    /// it at the least depth.
    pub(super) fn run(adj: &Adjacency, roots: &[NodeId]) -> Self {
        let n = adj.node_count();
        let mut depth = vec![NONE; n];
        let mut parent_edge = vec![NONE; n];
        let mut queue: Vec<u32> = Vec::with_capacity(n);
        for r in roots {
            if let Some(d) = depth.get_mut(r.index()) {
                if *d == NONE {
                    *d = 0;
                    queue.push(r.index() as u32);
                }
            }
        }
        let mut head = 0;
        while let Some(&v) = queue.get(head) {
            head += 1;
            let v = v as usize;
            // Below `n <= u32::MAX`, so `+ 1` cannot reach NONE... except
            // on a path of u32::MAX - 1 nodes, which cannot fit in memory.
            let next = depth[v] + 1;
            for (w, e) in adj.out(v) {
                if depth[w] == NONE {
                    depth[w] = next;
                    parent_edge[w] = e;
                    queue.push(w as u32);
                }
            }
        }
        Bfs { depth, parent_edge }
    }

    /// Edges from the nearest root, if a root reaches `node`.
    pub(super) fn depth(&self, node: NodeId) -> Option<u32> {
        self.depth.get(node.index()).copied().filter(|&d| d != NONE)
    }

    /// The edge BFS reached `node` by (None for a root or unreached node).
    pub(super) fn parent_edge(&self, node: NodeId) -> Option<u32> {
        self.parent_edge
            .get(node.index())
            .copied()
            .filter(|&e| e != NONE)
    }
}
