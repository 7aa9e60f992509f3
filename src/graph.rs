//! The audit graph: every component of every document of one audit as a
//! node, every relationship as an edge walking from product towards part,
//! and the roots the report contract names.
//!
//! [`build`] runs in phases, each O(V+E) (plus hashing):
//!
//! 1. one node per component, documents in a canonical order (by name,
//!    then serial number, then text), components in document order;
//! 2. one edge per relationship within a document (references resolved
//!    through a per-document bom-ref map built once, see [`refs`]);
//!    relationships that reach into another document wait for phase 4;
//! 3. each document's roots and implicit parts (see [`roots`]), from that
//!    document alone;
//! 4. stitching: BOM-Links, SPDX external document refs and identity join
//!    the documents with edges (see [`stitch`]);
//! 5. the roots of the delivery: the document roots nothing in another
//!    document links to (see [`roots`]).
//!
//! **Order-independence.** Every phase walks the documents in the
//! canonical order, so the same set of documents gives the same graph
//! (node and edge ids included, only `Node::Component::doc` follows the
//! caller's order), and so the same shortest paths and counts, however the
//! caller ordered them. Diagnostics stay in the caller's document order.
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
use petgraph::Direction::Outgoing;

use crate::model::{BomRefs, Diagnostic, Document, EdgeKind, NodeRef, Relationship, Span};
use crate::prefetch::prefetch;

mod doc_nodes;
mod refs;
mod releasing;
mod roots;
mod stitch;
#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod testutil;

pub use doc_nodes::DocNodes;
use refs::{RefIndex, Target};
use releasing::{Cloning, LookAhead, Releasing};
pub use stitch::{Checksum, ExternalDoc, ExternalRefs};

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
    /// Per document: the nodes of its components.
    pub component_nodes: Vec<DocNodes>,
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
        self.component_nodes.get(doc)?.get(index)
    }
}

/// Build the graph of all documents of one audit.
///
/// SPDX external document refs cannot be followed this way (the model has
/// no place for a document's `externalDocumentRefs` yet): use
/// [`build_with`].
pub fn build(docs: &[Document]) -> Graph {
    build_with(docs, &declared_externals(docs))
}

/// The external document refs each document declares, by document.
fn declared_externals(docs: &[Document]) -> Vec<ExternalRefs> {
    docs.iter().map(external_refs).collect()
}

/// The external document refs a document declares (SPDX
/// `externalDocumentRefs`), keyed by their `DocumentRef-x` id.
fn external_refs(doc: &Document) -> ExternalRefs {
    doc.external_docs
        .iter()
        .map(|e| {
            (
                e.id.clone(),
                ExternalDoc {
                    namespace: e.namespace.clone(),
                    checksum: e.checksum.as_ref().map(|(algorithm, value)| Checksum {
                        algorithm: algorithm.clone(),
                        value: value.clone(),
                    }),
                    span: Some(e.span),
                },
            )
        })
        .collect()
}

/// Build the graph of all documents of one audit, with `externals[d]` the
/// external document refs that document `d` declares (SPDX
/// `externalDocumentRefs`; a missing entry declares none).
///
/// The result depends on the *set* of documents, not on their order: see
/// the module docs.
pub fn build_with(docs: &[Document], externals: &[ExternalRefs]) -> Graph {
    let edges = docs.iter().map(|d| d.relationships.len()).sum();
    let kept: Vec<BomRefs> = docs.iter().map(|d| d.bom_refs.clone()).collect();
    build_from(docs, externals, &kept, edges, |d| {
        Cloning::new(
            docs.get(d)
                .map(|doc| doc.relationships.as_slice())
                .unwrap_or_default(),
        )
    })
}

/// [`build`], from relationships taken out of the documents:
/// `relationships[d]` are those of `docs[d]` (whose own list is not read).
/// Each list's memory is given back as its edges are made, so that the
/// relationships and the edges are not both held whole: at 100,000
/// components that was the audit's peak (docs/performance.md).
/// `bom_refs[d]` is the table taken out of `docs[d]` likewise (see
/// [`BomRefs`]), dropped once the graph is built.
pub fn build_releasing(
    docs: &[Document],
    mut relationships: Vec<Vec<Relationship>>,
    bom_refs: Vec<BomRefs>,
) -> Graph {
    let edges = relationships.iter().map(Vec::len).sum();
    build_from(docs, &declared_externals(docs), &bom_refs, edges, |d| {
        Releasing::new(
            relationships
                .get_mut(d)
                .map(std::mem::take)
                .unwrap_or_default(),
        )
    })
}

/// The phases of [`build_with`], with `relationships(d)` giving the
/// relationships of document `d` (`edges` of them in all) once, when
/// phase 2 reaches it, and `kept[d]` its reader's bom-ref table.
fn build_from<I>(
    docs: &[Document],
    externals: &[ExternalRefs],
    kept: &[BomRefs],
    edges: usize,
    mut relationships: impl FnMut(usize) -> I,
) -> Graph
where
    I: LookAhead<Item = Relationship>,
{
    let order = canonical_order(docs);
    let mut b = Builder::with_components(docs, &order, edges);
    let none = BomRefs::default();
    let refs: Vec<RefIndex<'_>> = docs
        .iter()
        .enumerate()
        .map(|(d, doc)| {
            let mut diags = Vec::new();
            let refs = RefIndex::new(doc, kept.get(d).unwrap_or(&none), &mut diags);
            b.diagnostics.extend(diags.into_iter().map(|x| (d, x)));
            refs
        })
        .collect();
    let mut pending = Vec::new();
    for &d in &order {
        if let Some(refs) = refs.get(d) {
            b.add_relationships(d, relationships(d), refs, &mut pending);
        }
    }
    let per_doc = roots::per_document(&mut b, docs, &order);
    stitch::run(
        &mut b,
        &stitch::Inputs {
            docs,
            order: &order,
            refs: &refs,
            externals,
            roots: &per_doc,
        },
        pending,
    );
    let roots = roots::of_delivery(&b, &per_doc);
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

/// The documents' indexes sorted by name, then serial number, then source
/// text: the order nodes and edges are made in, so that the same set of
/// documents gives the same graph whatever order they were given in.
/// Documents equal in all three are the same document given twice, and
/// either order gives the same graph.
fn canonical_order(docs: &[Document]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| match (docs.get(a), docs.get(b)) {
        (Some(a), Some(b)) => a
            .name
            .cmp(&b.name)
            .then_with(|| a.serial_number.cmp(&b.serial_number))
            .then_with(|| a.source.cmp(&b.source)),
        _ => a.cmp(&b),
    });
    order
}

/// The state [`build`] threads through its phases.
struct Builder {
    graph: DiGraph<Node, EdgeKind, u32>,
    component_nodes: Vec<DocNodes>,
    diagnostics: Vec<(usize, Diagnostic)>,
    /// Per node: the edges it starts (saturating). Below [`SCAN_LIMIT`] a
    /// repeated `(from, to)` pair is found by walking `from`'s out-edges.
    out_degree: Vec<u32>,
    /// `(from, to)` pairs already linked, packed into one `u64`, for the
    /// nodes with [`SCAN_LIMIT`] or more out-edges only.
    hub_links: HashSet<u64, foldhash::fast::RandomState>,
    /// Per node: some edge (not a self-loop) ends here.
    reached: Vec<bool>,
    /// Per node: a stitching edge from a component of another document
    /// ends here (the root rule's "linked to").
    linked_in: Vec<bool>,
}

impl Builder {
    /// Phase 1: one node per component, documents in `order`, components
    /// in document order.
    fn with_components(docs: &[Document], order: &[usize], edges: usize) -> Self {
        let nodes: usize = docs.iter().map(|d| d.components.len()).sum();
        let mut graph = DiGraph::with_capacity(nodes, edges);
        let mut component_nodes = vec![DocNodes::default(); docs.len()];
        for &d in order {
            let (Some(doc), Some(slot)) = (docs.get(d), component_nodes.get_mut(d)) else {
                continue;
            };
            let first = to_u32(graph.node_count());
            for i in 0..doc.components.len() {
                graph.add_node(Node::Component {
                    doc: to_u32(d),
                    index: to_u32(i),
                });
            }
            *slot = DocNodes::new(first, to_u32(doc.components.len()));
        }
        Builder {
            graph,
            component_nodes,
            diagnostics: Vec::new(),
            out_degree: vec![0; nodes],
            hub_links: HashSet::default(),
            reached: vec![false; nodes],
            linked_in: vec![false; nodes],
        }
    }

    /// Phase 2 for one document: an edge for every relationship whose ends
    /// both resolve within the document; a diagnostic for every end that
    /// does not. A relationship with an end in another document is left
    /// in `pending` for the stitching phase.
    fn add_relationships<'d>(
        &mut self,
        d: usize,
        mut relationships: impl LookAhead<Item = Relationship>,
        refs: &RefIndex<'d>,
        pending: &mut Vec<stitch::Pending<'d>>,
    ) {
        let mut diags = Vec::new();
        while let Some(rel) = relationships.next() {
            if let Some(coming) = relationships.ahead(LINK_AHEAD - 1) {
                self.prefetch_target(d, coming);
            }
            let from = self.endpoint(d, refs, rel.from, rel.span, &mut diags);
            let to = self.endpoint(d, refs, rel.to, rel.span, &mut diags);
            match (from, to) {
                (End::Node(from), End::Node(to)) => {
                    self.link(from, to, rel.kind);
                }
                // The external end is still resolved (or diagnosed) even
                // when the other end is missing, like two dangling ends.
                (End::External { .. }, _) | (_, End::External { .. }) => {
                    pending.push(stitch::Pending {
                        doc: d,
                        kind: rel.kind,
                        from,
                        to,
                    });
                }
                _ => {}
            }
        }
        self.diagnostics.extend(diags.into_iter().map(|x| (d, x)));
    }

    /// Starts loading the node that `rel` of document `d` points to, when
    /// the reader resolved that end: [`Builder::link`] writes into it.
    ///
    /// The targets of a big document's edges are all over its nodes (20
    /// bytes each, 20 MB at a million components), so each link waited
    /// for one from memory: 71% of `link`'s samples at a million
    /// components sat on that load (`perf annotate`). Asked for
    /// [`LINK_AHEAD`] relationships ahead, those waits overlap.
    fn prefetch_target(&self, d: usize, rel: &Relationship) {
        let NodeRef::Index(i) = rel.to else {
            return;
        };
        let node = self.component_nodes.get(d).and_then(|n| n.get(i as usize));
        if let Some(node) = node.and_then(|n| self.graph.raw_nodes().get(n.index())) {
            prefetch(node);
        }
    }

    /// The node one end of a relationship of document `d` names, or the
    /// reference into another document, or (with a diagnostic) nothing.
    fn endpoint<'d>(
        &self,
        d: usize,
        refs: &RefIndex<'d>,
        r: NodeRef,
        rel_span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> End<'d> {
        let Some(nodes) = self.component_nodes.get(d) else {
            return End::Missing;
        };
        match refs.resolve(r, nodes.len()) {
            Ok(Target::Local(i)) => nodes.get(i).map_or(End::Missing, End::Node),
            Ok(Target::External { value, span }) => End::External { value, span },
            Err(unresolved) => {
                diags.push(unresolved.diagnostic(refs.format(), rel_span));
                End::Missing
            }
        }
    }

    /// Add an edge unless it is a self-loop or repeats an existing
    /// `(from, to)` pair. Returns whether an edge was added.
    fn link(&mut self, from: NodeId, to: NodeId, kind: EdgeKind) -> bool {
        if from == to || self.is_linked(from, to) {
            return false;
        }
        self.graph.add_edge(from, to, kind);
        if let Some(r) = self.reached.get_mut(to.index()) {
            *r = true;
        }
        let Some(degree) = self.out_degree.get_mut(from.index()) else {
            return true;
        };
        *degree = degree.saturating_add(1);
        match (*degree).cmp(&SCAN_LIMIT) {
            std::cmp::Ordering::Less => {}
            // `from` becomes a hub: its pairs move to the set.
            std::cmp::Ordering::Equal => {
                let targets = self.graph.neighbors_directed(from, Outgoing);
                self.hub_links.extend(targets.map(|t| pair(from, t)));
            }
            std::cmp::Ordering::Greater => {
                self.hub_links.insert(pair(from, to));
            }
        }
        true
    }

    /// Whether an edge `from -> to` exists already.
    ///
    /// Most nodes start a handful of edges, which sit side by side in
    /// petgraph's edge list (a dependency entry's edges are added
    /// together), so walking them is cheaper than a set of every pair: at a
    /// million components that set was 64 MB, missed the cache on every
    /// insert, and made building the graph grow 30 times for 10 times the
    /// input (docs/performance.md). A hub (a root with its implicit parts,
    /// a big `DESCRIBES`) is looked up in a set, so no walk is longer than
    /// [`SCAN_LIMIT`].
    fn is_linked(&self, from: NodeId, to: NodeId) -> bool {
        let degree = self.out_degree.get(from.index()).copied().unwrap_or(0);
        if degree < SCAN_LIMIT {
            self.graph.find_edge(from, to).is_some()
        } else {
            self.hub_links.contains(&pair(from, to))
        }
    }

    /// [`Builder::link`] for a stitching edge: when it joins two documents,
    /// `to` is also "linked to" for the root rule (even when an earlier
    /// edge between the same two nodes is kept instead).
    fn stitch(&mut self, from: NodeId, to: NodeId, kind: EdgeKind) {
        if from == to {
            return;
        }
        self.link(from, to, kind);
        let doc = |n: NodeId| match self.graph.node_weight(n) {
            Some(Node::Component { doc, .. }) => Some(*doc),
            _ => None,
        };
        if doc(from) != doc(to) {
            if let Some(l) = self.linked_in.get_mut(to.index()) {
                *l = true;
            }
        }
    }

    /// Whether some edge (other than a self-loop) ends at `node`.
    fn is_reached(&self, node: NodeId) -> bool {
        self.reached.get(node.index()).copied().unwrap_or(false)
    }

    /// Whether a stitching edge from another document ends at `node`.
    fn is_linked_in(&self, node: NodeId) -> bool {
        self.linked_in.get(node.index()).copied().unwrap_or(false)
    }
}

/// How many relationships ahead of the one being linked their target
/// nodes are asked for ([`Builder::prefetch_target`]). The first
/// distance tried, not tuned. At a million components `perf annotate`
/// puts most of `build_releasing`'s samples on the prefetch instruction
/// itself, which waits when no more misses can be outstanding, so a
/// longer distance is unlikely to put more waits in flight.
const LINK_AHEAD: usize = 16;

/// Out-edges a node starts before its pairs are kept in a set rather than
/// found by walking them.
const SCAN_LIMIT: u32 = 16;

/// An edge's ends packed into one `u64`.
fn pair(from: NodeId, to: NodeId) -> u64 {
    (u64::from(from.index() as u32) << 32) | u64::from(to.index() as u32)
}

/// One end of a relationship after phase 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End<'r> {
    /// A component of the relationship's own document.
    Node(NodeId),
    /// A reference into another document, for [`stitch`].
    External { value: &'r str, span: Span },
    /// Nothing (already diagnosed).
    Missing,
}

/// Indexes fit `u32` (see the module doc); saturate rather than wrap.
fn to_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}
