//! The roots of a delivery and the implicit parts of a single-root
//! document (report-contract.md, "Field rules").
//!
//! Per document, from that document alone ([`per_document`], before
//! stitching):
//!
//! - A document's roots are the products it describes (`Document::roots`);
//!   a document that names none (or only indexes it does not have) uses
//!   its components that none of its own relationships reach, leaving out
//!   pedigree ancestors.
//! - A document with exactly one root lists its unreached components as
//!   parts of that product: each gets a `contains` edge from the root.
//!
//! Deciding this before stitching keeps a document's shape the same
//! whatever else is audited with it: a part that another document links
//! to straight away is still a part of its own document's product.
//!
//! For the delivery ([`of_delivery`], after stitching):
//!
//! - A document root that a component of another document links to (any
//!   stitching edge: BOM-Link, SPDX DocumentRef, `same_as`) is an inner
//!   node of the delivery, not a root.
//! - **Rings.** Documents may link each other's products in a ring (A's
//!   part is B's product, B's part is A's product), which would leave no
//!   root at all. So a linked-to root that no remaining root reaches is
//!   restored: in node order (the canonical document order, see the parent
//!   module), each such root that the roots restored before it do not
//!   reach becomes a root again. A ring with nothing outside it then has
//!   exactly one root, the product of its first document by name, and
//!   every path and count in the ring starts there; a ring that something
//!   outside includes has none.
//!
//! "Reached" means: some edge other than a self-loop ends at the node
//! (self-loops are never added, see the parent module).

use petgraph::Direction;

use super::{Builder, NodeId};
use crate::model::{Diagnostic, Document, EdgeKind, Role};

/// Phase 3: choose every document's roots and add the implicit `contains`
/// edges, documents in `order`. Returns the roots of each document
/// (indexed like `docs`), sorted and deduplicated.
pub(super) fn per_document(
    b: &mut Builder,
    docs: &[Document],
    order: &[usize],
) -> Vec<Vec<NodeId>> {
    let mut per_doc = vec![Vec::new(); docs.len()];
    for &d in order {
        let Some(doc) = docs.get(d) else {
            continue;
        };
        let roots = document_roots(b, d, doc);
        if let [root] = roots[..] {
            hang_implicit_parts(b, d, doc, root);
        }
        if let Some(slot) = per_doc.get_mut(d) {
            *slot = roots;
        }
    }
    per_doc
}

/// Phase 5: the roots of the delivery, sorted and deduplicated: the
/// document roots nothing in another document links to, and the rings'
/// first roots (see the module docs).
pub(super) fn of_delivery(b: &Builder, per_doc: &[Vec<NodeId>]) -> Vec<NodeId> {
    let (mut roots, mut linked): (Vec<NodeId>, Vec<NodeId>) =
        per_doc.iter().flatten().partition(|&&r| !b.is_linked_in(r));
    if !linked.is_empty() {
        linked.sort_unstable();
        let mut seen = Reach::new(b.graph.node_count());
        for &r in &roots {
            seen.walk(b, r);
        }
        for r in linked {
            if !seen.contains(r) {
                roots.push(r);
                seen.walk(b, r);
            }
        }
    }
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
            Some(n) => roots.push(n),
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
            .filter(|&(c, n)| c.role != Role::Pedigree && !b.is_reached(n))
            .map(|(_, n)| n)
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
        .filter(|&(c, n)| n != root && c.role != Role::Pedigree && !b.is_reached(n))
        .map(|(_, n)| n)
        .collect();
    for part in parts {
        b.link(root, part, EdgeKind::Contains);
    }
}

/// The nodes reached so far from some roots; each node is walked at most
/// once over all calls, so restoring roots costs O(V+E) in all.
struct Reach {
    seen: Vec<bool>,
    stack: Vec<NodeId>,
}

impl Reach {
    fn new(nodes: usize) -> Self {
        Reach {
            seen: vec![false; nodes],
            stack: Vec::new(),
        }
    }

    fn contains(&self, n: NodeId) -> bool {
        self.seen.get(n.index()).copied().unwrap_or(false)
    }

    /// Mark everything reachable from `start` (inclusive).
    fn walk(&mut self, b: &Builder, start: NodeId) {
        self.stack.push(start);
        while let Some(n) = self.stack.pop() {
            match self.seen.get_mut(n.index()) {
                Some(seen) if !*seen => *seen = true,
                _ => continue,
            }
            self.stack.extend(
                b.graph
                    .neighbors_directed(n, Direction::Outgoing)
                    .filter(|m| !self.seen.get(m.index()).copied().unwrap_or(true)),
            );
        }
    }
}
