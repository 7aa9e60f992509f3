//! Shortest paths and exact path counts from the roots to every node.
//!
//! [`Tracer::new`] does all the work of an audit once, in O(V+E):
//!
//! - one multi-source breadth-first search from all roots, so a shortest
//!   path to any node is its chain of BFS parents ([`bfs`]);
//! - the strongly connected components, by an iterative Tarjan (petgraph
//!   0.8's `tarjan_scc` recurses once per node on a path and overflows the
//!   stack on a long chain) ([`scc`]);
//! - the condensation: the DAG of SCCs with parallel edges between two SCCs
//!   collapsed, and the number of root-to-SCC paths through it, summed over
//!   roots, in exact `u128` arithmetic that saturates and says so
//!   ([`condense`]).
//!
//! Per finding, [`Tracer::shortest_path`] and [`Tracer::path_count`] are
//! then a parent walk and a lookup. Out-edges are always taken in edge
//! insertion order (document order), so every answer is deterministic.

use crate::graph::{Graph, NodeId};
use crate::model::EdgeKind;

mod adjacency;
mod bfs;
mod condense;
mod enumerate;
#[cfg(test)]
mod proptests;
mod reach;
mod scc;
#[cfg(test)]
mod tests;

use adjacency::Adjacency;
use bfs::Bfs;
use condense::Condensation;
pub use reach::MAX_ROOTS;
use scc::Sccs;

/// "No node / no edge" in the `u32` index arrays.
const NONE: u32 = u32::MAX;

/// The number of root-to-node paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathCount {
    pub value: u128,
    /// The true count exceeds `u128::MAX`; `value` is `u128::MAX`.
    pub saturated: bool,
}

impl PathCount {
    /// No path: the node is not reached from any root.
    pub const ZERO: PathCount = PathCount {
        value: 0,
        saturated: false,
    };
}

/// One step of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    pub node: NodeId,
    /// The kind of the edge from the previous hop; `None` on the first.
    pub edge: Option<EdgeKind>,
}

/// Paths and counts from the roots of one audit graph.
pub struct Tracer<'g> {
    graph: &'g Graph,
    traced: Traced,
}

/// What tracing a graph found, held apart from the graph: so that it can
/// be computed before the graph gains sinks that change none of it (see
/// [`Tracer::resume`]).
pub struct Traced {
    out: Adjacency,
    bfs: Bfs,
    sccs: Sccs,
    dag: Condensation,
    /// The graph's size and roots when it was traced.
    nodes: usize,
    edges: usize,
    roots: Vec<NodeId>,
}

impl Traced {
    /// O(V+E): one multi-source BFS from all roots (parents), and path
    /// counts over the SCC condensation in topological order.
    pub fn new(graph: &Graph) -> Self {
        let out = Adjacency::outgoing(&graph.graph);
        // The search needs nothing from the SCCs and their condensation,
        // so they go on two cores. The longer chain, SCCs then
        // condensation, runs here; the search waits to be taken by a core
        // that comes free. In an audit the other core is still matching
        // when tracing starts: with the search first, this core ran both
        // halves one after the other while the other core, done matching,
        // sat idle (1M CycloneDX, perf timeline: docs/performance.md).
        let ((sccs, dag), bfs) = rayon::join(
            || {
                let sccs = Sccs::tarjan(&out);
                let dag = Condensation::new(&out, &sccs, &graph.roots);
                (sccs, dag)
            },
            || Bfs::run(&out, &graph.roots),
        );
        Traced {
            out,
            bfs,
            sccs,
            dag,
            nodes: graph.node_count(),
            edges: graph.edge_count(),
            roots: graph.roots.clone(),
        }
    }

    /// Whether every answer traced still holds for `graph`: it has the
    /// same roots, and it is the traced graph plus new nodes and edges
    /// where every new edge goes from a traced node to a new one. New
    /// nodes are then sinks, so no traced node gains a path, a shorter
    /// path or a cycle, and the edges traced keep their indexes. O(roots
    /// + new edges).
    fn holds_for(&self, graph: &Graph) -> bool {
        let edges = graph.graph.raw_edges();
        graph.roots == self.roots
            && graph.node_count() >= self.nodes
            && edges.len() >= self.edges
            && edges[self.edges..]
                .iter()
                .all(|e| e.source().index() < self.nodes && e.target().index() >= self.nodes)
    }
}

impl<'g> Tracer<'g> {
    /// O(V+E): see [`Traced::new`]. Call once per audit.
    pub fn new(graph: &'g Graph) -> Self {
        Tracer {
            graph,
            traced: Traced::new(graph),
        }
    }

    /// The tracer of `graph` from what was traced of it earlier, when the
    /// graph has since gained only sinks: new nodes, and edges from traced
    /// nodes to them (the audit's vendor edges). Answers for the traced
    /// nodes are then those of [`Tracer::new`]; a new node is answered as
    /// unreached. If the graph changed in any other way, it is traced
    /// anew.
    pub fn resume(graph: &'g Graph, traced: Traced) -> Self {
        if traced.holds_for(graph) {
            Tracer { graph, traced }
        } else {
            Tracer::new(graph)
        }
    }

    /// A shortest path root -> node (inclusive), or None if no root reaches
    /// it. Among equally short paths, the one BFS found first: roots in
    /// order, out-edges in insertion order.
    pub fn shortest_path(&self, node: NodeId) -> Option<Vec<Hop>> {
        let depth = self.distance(node)?;
        let mut hops = Vec::with_capacity(depth as usize + 1);
        let mut cur = node;
        // Each parent is one level closer to a root: at most `depth` steps.
        for _ in 0..depth {
            let e = self.traced.bfs.parent_edge(cur)?;
            let (from, _, kind) = self.edge(e)?;
            hops.push(Hop {
                node: cur,
                edge: Some(kind),
            });
            cur = from;
        }
        hops.push(Hop {
            node: cur,
            edge: None,
        });
        hops.reverse();
        Some(hops)
    }

    /// The number of edges on a shortest path from a root to `node`, if
    /// some root reaches it.
    pub fn distance(&self, node: NodeId) -> Option<u32> {
        self.traced.bfs.depth(node)
    }

    /// Exact number of distinct root-to-node paths in the graph with its
    /// cycles condensed, summed over roots.
    ///
    /// Paths are counted in the condensation: every SCC is one node, and
    /// two SCCs are joined by at most one edge. All nodes of an SCC share
    /// its count; a root counts the one-node path to itself (and to the
    /// other nodes of its SCC).
    pub fn path_count(&self, node: NodeId) -> PathCount {
        self.traced
            .sccs
            .of(node)
            .map_or(PathCount::ZERO, |s| self.traced.dag.count(s))
    }

    /// The first `limit` root-to-node paths, one per path of the
    /// condensation (so, without a limit, as many as [`Self::path_count`]).
    ///
    /// Each is a simple path in the graph: through every SCC it passes, it
    /// takes a shortest walk inside that SCC. The order is a depth-first
    /// walk backwards from `node`: paths starting in `node`'s own SCC first,
    /// then through each predecessor SCC in topological order. Bounded
    /// work: only SCCs some root reaches are entered, so every step leads
    /// to a path, and enumeration stops after `limit` paths.
    pub fn paths(&self, node: NodeId, limit: usize) -> Vec<Vec<Hop>> {
        enumerate::paths(self, node, limit)
    }

    /// The source, target and kind of edge `e`.
    fn edge(&self, e: u32) -> Option<(NodeId, NodeId, EdgeKind)> {
        let e = self.graph.graph.raw_edges().get(e as usize)?;
        Some((e.source(), e.target(), e.weight))
    }
}
