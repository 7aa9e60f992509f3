//! The roots of a delivery and the implicit parts of a single-root
//! document (report-contract.md, "Field rules").
//!
//! - A document's roots are the products it describes (`Document::roots`);
//!   a document that names none (or only indexes it does not have) uses
//!   its components that no edge reaches, leaving out pedigree ancestors.
//! - A document with exactly one root lists its unreached components as
//!   parts of that product: each gets a `contains` edge from the root.
//! - A document root that another document links to with a `bom_link` or
//!   `same_as` edge is an inner node of the delivery, not a root. (Should
//!   documents link each other's roots in a ring, none of them is a root;
//!   their components are then unreached, which the contract covers.)
//!
//! "Reached" means: some edge other than a self-loop ends at the node
//! (self-loops are never added, see the parent module). It is decided once,
//! from the relationship (and, later, stitching) edges, before any implicit
//! edge is added.

use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::{Builder, Node, NodeId};
use crate::model::{Diagnostic, Document, EdgeKind, Role};

/// Choose every document's roots, add the implicit `contains` edges, and
/// return the roots of the delivery, sorted and deduplicated.
pub(super) fn choose(b: &mut Builder, docs: &[Document]) -> Vec<NodeId> {
    let mut per_doc = Vec::with_capacity(docs.len());
    for (d, doc) in docs.iter().enumerate() {
        let roots = document_roots(b, d, doc);
        if let [root] = roots[..] {
            hang_implicit_parts(b, d, doc, root);
        }
        per_doc.push(roots);
    }
    let mut roots: Vec<NodeId> = per_doc
        .iter()
        .enumerate()
        .flat_map(|(d, rs)| rs.iter().map(move |&r| (d, r)))
        .filter(|&(d, r)| !linked_from_other_document(b, d, r))
        .map(|(_, r)| r)
        .collect();
    roots.sort_unstable();
    roots.dedup();
    roots
}

/// The roots of document `d`: its declared roots, or else its unreached
/// non-pedigree components. Sorted, deduplicated.
fn document_roots(b: &mut Builder, d: usize, doc: &Document) -> Vec<NodeId> {
    let Some(nodes) = b.component_nodes.get(d) else {
        return Vec::new();
    };
    let mut roots = Vec::with_capacity(doc.roots.len());
    for &i in &doc.roots {
        match nodes.get(i) {
            Some(&n) => roots.push(n),
            None => b.diagnostics.push((
                d,
                Diagnostic::warning(
                    "dangling-ref",
                    format!(
                        "the document names component #{i} as its product, but has only {} components",
                        nodes.len()
                    ),
                    None,
                ),
            )),
        }
    }
    roots.sort_unstable();
    roots.dedup();
    if roots.is_empty() {
        roots = doc
            .components
            .iter()
            .zip(nodes)
            .filter(|&(c, &n)| c.role != Role::Pedigree && !b.is_reached(n))
            .map(|(_, &n)| n)
            .collect();
    }
    roots
}

/// Give every unreached part of document `d` (not the root, not a pedigree
/// ancestor) a `contains` edge from the document's single root.
fn hang_implicit_parts(b: &mut Builder, d: usize, doc: &Document, root: NodeId) {
    let Some(nodes) = b.component_nodes.get(d) else {
        return;
    };
    let parts: Vec<NodeId> = doc
        .components
        .iter()
        .zip(nodes)
        .filter(|&(c, &n)| n != root && c.role != Role::Pedigree && !b.is_reached(n))
        .map(|(_, &n)| n)
        .collect();
    for part in parts {
        b.link(root, part, EdgeKind::Contains);
    }
}

/// Whether a component of another document links to `root` (of document
/// `d`) with a `bom_link` or `same_as` edge.
fn linked_from_other_document(b: &Builder, d: usize, root: NodeId) -> bool {
    b.graph
        .edges_directed(root, Direction::Incoming)
        .filter(|e| matches!(e.weight(), EdgeKind::BomLink | EdgeKind::SameAs))
        .any(|e| match b.graph.node_weight(e.source()) {
            Some(Node::Component { doc, .. }) => *doc as usize != d,
            _ => false,
        })
}
