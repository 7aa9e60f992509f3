//! Which roots reach a node: the per-product attribution of findings when
//! one delivery holds several products.
//!
//! One pass over the condensation in topological order ORs each SCC's
//! predecessors' root sets into its own: O((V+E) · R/64) for R roots.
//! Past [`MAX_ROOTS`] roots the per-root view is not computed (a document
//! without a described product can have thousands of "roots", and a
//! per-root summary of those says nothing).

use super::Tracer;
use crate::graph::NodeId;

/// The most roots for which [`Tracer::roots_reaching`] answers.
pub const MAX_ROOTS: usize = 256;

impl Tracer<'_> {
    /// For each of `nodes`, the positions in `graph.roots` of the roots
    /// that reach it (ascending). `None` with more than [`MAX_ROOTS`] roots.
    pub fn roots_reaching(&self, nodes: &[NodeId]) -> Option<Vec<Vec<usize>>> {
        let roots = &self.graph.roots;
        if roots.len() > MAX_ROOTS {
            return None;
        }
        let words = roots.len().div_ceil(64).max(1);
        let k = self.traced.sccs.len();
        let mut bits = vec![0u64; k * words];
        // SCC ids are a reverse topological order: walking them downwards
        // visits every SCC after all of its predecessors.
        for s in (0..k).rev() {
            for p in self.traced.dag.preds(s) {
                let (from, _) = self.traced.dag.pred(p);
                for w in 0..words {
                    let v = bits[from * words + w];
                    bits[s * words + w] |= v;
                }
            }
            for root in self.traced.dag.roots_in(s) {
                if let Ok(pos) = roots.binary_search(&NodeId::new(root as usize)) {
                    bits[s * words + pos / 64] |= 1 << (pos % 64);
                }
            }
        }
        Some(
            nodes
                .iter()
                .map(|&n| match self.traced.sccs.of(n) {
                    Some(s) => (0..roots.len())
                        .filter(|&pos| bits[s * words + pos / 64] & (1 << (pos % 64)) != 0)
                        .collect(),
                    None => Vec::new(),
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::graph::testutil::*;
    use crate::graph::{build, NodeId};
    use crate::trace::Tracer;

    #[test]
    fn each_node_knows_the_roots_above_it() {
        // Two products share a library; one also has its own part; a cycle
        // under the shared library.
        let doc = DocBuilder::new("d")
            .component("p1")
            .component("p2")
            .component("shared")
            .component("own")
            .component("c1")
            .component("c2")
            .edge("p1", "shared")
            .edge("p2", "shared")
            .edge("p1", "own")
            .edge("shared", "c1")
            .edge("c1", "c2")
            .edge("c2", "c1")
            .build();
        let graph = build(&[doc]);
        assert_eq!(graph.roots.len(), 2);
        let tracer = Tracer::new(&graph);
        let node = |i: usize| NodeId::new(i);
        let reach = tracer
            .roots_reaching(&[node(2), node(3), node(5), node(0)])
            .expect("few roots");
        assert_eq!(reach, vec![vec![0, 1], vec![0], vec![0, 1], vec![0]]);
    }
}
