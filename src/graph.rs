//! The audit graph: every component of every document of one audit as a
//! node, every relationship as an edge walking from product towards part,
//! and the roots the report contract names.
//!
//! [`build`] runs in phases, each O(V+E) (plus hashing):
//!
//! 1. one node per component, in document then component order, so node
//!    ids are the same for the same input;
//! 2. one edge per resolvable relationship (references resolved through a
//!    per-document bom-ref map built once, see [`refs`]);
//! 3. roots and implicit parts, per the contract (see [`roots`]).
//!
//! Two normalisations keep later counting honest:
//!
//! - **Parallel edges collapse.** A second relationship with the same
//!   `from` and `to` adds no edge (the first kind seen is kept), so path
//!   counts are over node paths, not over how often an SBOM repeats itself.
//! - **Self-loops are dropped** from the graph entirely. A self-loop neither
//!   makes a component "reached" (contract, "Field rules") nor adds a path,
//!   so keeping it would only make every consumer skip it.
//!
//! Node and edge indexes are `u32`: petgraph reserves `u32::MAX`, which caps
//! a graph at about four billion nodes, far beyond what fits in memory as
//! components.

use std::collections::{HashMap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::{Diagnostic, Document, EdgeKind, NodeRef, Span};

mod refs;
mod roots;
#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod testutil;

use refs::RefIndex;

/// A node of the audit graph.
pub type NodeId = NodeIndex<u32>;

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// Component `index` of document `doc` (indexes into the slice given to
    /// [`build`] and into that document's `components`).
    Component { doc: u32, index: u32 },
    /// A vendor-db record (engine/product/entity) reached through a
    /// knowledge edge; opaque key the caller chose.
    Vendor { key: u32 },
}

/// The graph of all documents of one audit.
#[derive(Clone, Debug)]
pub struct Graph {
    pub graph: DiGraph<Node, EdgeKind, u32>,
    /// The roots of the delivery, sorted and deduplicated.
    pub roots: Vec<NodeId>,
    /// `[doc][component index] -> node`.
    pub component_nodes: Vec<Vec<NodeId>>,
    /// What building noticed (dangling and duplicate refs, unresolved
    /// external refs), as (document index, diagnostic), ordered by document
    /// and within a document in the order found.
    pub diagnostics: Vec<(usize, Diagnostic)>,
    /// Vendor-db key -> its node, so a record gets one node however many
    /// components reach it.
    vendor_nodes: HashMap<u32, NodeId>,
}

impl Graph {
    /// Add (or reuse) the node for a vendor-db record and an edge from
    /// `from` to it. For vendor-db knowledge edges; never makes a root.
    ///
    /// Like relationships, a second edge between the same two nodes is not
    /// added (the first kind stays) and a record never links to itself.
    /// A `from` the graph does not have gets no edge; the record's node is
    /// still made, so the returned id is always valid.
    pub fn add_vendor_edge(&mut self, from: NodeId, key: u32, kind: EdgeKind) -> NodeId {
        let graph = &mut self.graph;
        let to = *self
            .vendor_nodes
            .entry(key)
            .or_insert_with(|| graph.add_node(Node::Vendor { key }));
        let from_exists = self.graph.node_weight(from).is_some();
        if from_exists && from != to && self.graph.find_edge(from, to).is_none() {
            self.graph.add_edge(from, to, kind);
        }
        to
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// What a node stands for, if the graph has it.
    pub fn node(&self, id: NodeId) -> Option<Node> {
        self.graph.node_weight(id).copied()
    }

    /// The node of component `index` of document `doc`, if there is one.
    pub fn component_node(&self, doc: usize, index: usize) -> Option<NodeId> {
        self.component_nodes.get(doc)?.get(index).copied()
    }
}

/// Build the graph of all documents of one audit.
pub fn build(docs: &[Document]) -> Graph {
    let mut b = Builder::with_components(docs);
    for (d, doc) in docs.iter().enumerate() {
        b.add_relationships(d, doc);
    }
    // Cross-document stitching edges (BOM-Link, SPDX DocumentRef, identity)
    // belong here: before roots, so that the root rules see them.
    let roots = roots::choose(&mut b, docs);
    let mut diagnostics = b.diagnostics;
    // Stable: keeps the order found within each document.
    diagnostics.sort_by_key(|(d, _)| *d);
    Graph {
        graph: b.graph,
        roots,
        component_nodes: b.component_nodes,
        diagnostics,
        vendor_nodes: HashMap::new(),
    }
}

/// The state [`build`] threads through its phases.
struct Builder {
    graph: DiGraph<Node, EdgeKind, u32>,
    component_nodes: Vec<Vec<NodeId>>,
    diagnostics: Vec<(usize, Diagnostic)>,
    /// `(from, to)` pairs already linked, packed into one `u64`.
    linked: HashSet<u64>,
    /// Per node: some edge (not a self-loop) ends here.
    reached: Vec<bool>,
}

impl Builder {
    /// Phase 1: one node per component, in document then component order.
    fn with_components(docs: &[Document]) -> Self {
        let nodes: usize = docs.iter().map(|d| d.components.len()).sum();
        let edges: usize = docs.iter().map(|d| d.relationships.len()).sum();
        let mut graph = DiGraph::with_capacity(nodes, edges);
        let component_nodes = docs
            .iter()
            .enumerate()
            .map(|(d, doc)| {
                (0..doc.components.len())
                    .map(|i| {
                        graph.add_node(Node::Component {
                            doc: to_u32(d),
                            index: to_u32(i),
                        })
                    })
                    .collect()
            })
            .collect();
        Builder {
            graph,
            component_nodes,
            diagnostics: Vec::new(),
            linked: HashSet::with_capacity(edges),
            reached: vec![false; nodes],
        }
    }

    /// Phase 2 for one document: an edge for every relationship whose ends
    /// both resolve; a diagnostic for every end that does not.
    fn add_relationships(&mut self, d: usize, doc: &Document) {
        let mut diags = Vec::new();
        let refs = RefIndex::new(doc, &mut diags);
        for rel in &doc.relationships {
            let from = self.endpoint(d, &refs, &rel.from, rel.span, &mut diags);
            let to = self.endpoint(d, &refs, &rel.to, rel.span, &mut diags);
            if let (Some(from), Some(to)) = (from, to) {
                self.link(from, to, rel.kind);
            }
        }
        self.diagnostics.extend(diags.into_iter().map(|x| (d, x)));
    }

    /// The node one end of a relationship of document `d` names.
    ///
    /// This is the one place where a reference into another document is
    /// seen: a cross-document resolver plugs in at the `Err` arm.
    fn endpoint(
        &self,
        d: usize,
        refs: &RefIndex<'_>,
        r: &NodeRef,
        rel_span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<NodeId> {
        let nodes = self.component_nodes.get(d)?;
        match refs.resolve(r, nodes.len()) {
            Ok(i) => nodes.get(i).copied(),
            // A resolver for `refs::Unresolved::External` (BOM-Link, SPDX
            // DocumentRef) looks the reference up among the other documents
            // here, before giving up with the diagnostic.
            Err(unresolved) => {
                diags.push(unresolved.diagnostic(refs.format(), rel_span));
                None
            }
        }
    }

    /// Add an edge unless it is a self-loop or repeats an existing
    /// `(from, to)` pair. Returns whether an edge was added.
    fn link(&mut self, from: NodeId, to: NodeId, kind: EdgeKind) -> bool {
        if from == to {
            return false;
        }
        let key = (u64::from(from.index() as u32) << 32) | u64::from(to.index() as u32);
        if !self.linked.insert(key) {
            return false;
        }
        self.graph.add_edge(from, to, kind);
        if let Some(r) = self.reached.get_mut(to.index()) {
            *r = true;
        }
        true
    }

    /// Whether some edge (other than a self-loop) ends at `node`.
    fn is_reached(&self, node: NodeId) -> bool {
        self.reached.get(node.index()).copied().unwrap_or(false)
    }
}

/// Indexes fit `u32` (see the module doc); saturate rather than wrap.
fn to_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}
