//! Out-edges of every node in insertion order, as flat arrays.
//!
//! petgraph's `Graph::edges` walks a node's edges newest-first; tracing
//! wants them in the order the documents gave them, and wants them fast.
//! So the edges are laid out once, compressed-sparse-row style: the
//! out-edges of node `v` are positions `start[v] .. start[v + 1]`.

use petgraph::graph::DiGraph;

use crate::graph::Node;
use crate::model::EdgeKind;

pub(super) struct Adjacency {
    /// `node_count + 1` offsets into `target` / `edge`.
    start: Vec<u32>,
    /// The target node of each out-edge.
    target: Vec<u32>,
    /// The petgraph edge index of each out-edge.
    edge: Vec<u32>,
}

impl Adjacency {
    /// Out-edges of every node of `g`, each node's in insertion order.
    pub(super) fn outgoing(g: &DiGraph<Node, EdgeKind, u32>) -> Self {
        let n = g.node_count();
        let mut start = vec![0u32; n + 1];
        for e in g.raw_edges() {
            if let Some(s) = start.get_mut(e.source().index() + 1) {
                *s += 1;
            }
        }
        for v in 0..n {
            start[v + 1] += start[v];
        }
        let m = start[n] as usize;
        let mut fill = start.clone();
        let mut target = vec![0u32; m];
        let mut edge = vec![0u32; m];
        for (i, e) in g.raw_edges().iter().enumerate() {
            let Some(pos) = fill.get_mut(e.source().index()) else {
                continue;
            };
            let p = *pos as usize;
            *pos += 1;
            // Both fit u32: petgraph indexes are u32 here.
            target[p] = e.target().index() as u32;
            edge[p] = i as u32;
        }
        Adjacency {
            start,
            target,
            edge,
        }
    }

    pub(super) fn node_count(&self) -> usize {
        self.start.len() - 1
    }

    /// The positions of `v`'s out-edges (empty for a node the graph does
    /// not have).
    pub(super) fn range(&self, v: usize) -> std::ops::Range<usize> {
        match (self.start.get(v), self.start.get(v + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// The target node of the out-edge at `pos`.
    pub(super) fn target(&self, pos: usize) -> usize {
        self.target[pos] as usize
    }

    /// The petgraph edge index of the out-edge at `pos`.
    pub(super) fn edge(&self, pos: usize) -> u32 {
        self.edge[pos]
    }

    /// `(target, edge index)` of every out-edge of `v`, in insertion order.
    pub(super) fn out(&self, v: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.range(v).map(|p| (self.target(p), self.edge(p)))
    }
}
