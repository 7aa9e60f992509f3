//! Test helpers every reader's tests share.

use crate::model::{Document, EdgeKind, NodeRef};

/// The relationships whose two ends the reader resolved to component
/// indexes, as `(from, to, kind)`, in document order.
pub(crate) fn index_edges(doc: &Document) -> Vec<(usize, usize, EdgeKind)> {
    doc.relationships
        .iter()
        .filter_map(|r| match (r.from, r.to) {
            (NodeRef::Index(a), NodeRef::Index(b)) => Some((a as usize, b as usize, r.kind)),
            _ => None,
        })
        .collect()
}

/// What a relationship end names: the reference as written, or for an end
/// the reader resolved, the bom-ref of the component it resolved to.
pub(crate) fn ref_value(doc: &Document, node: NodeRef) -> &str {
    match node {
        NodeRef::Ref(_) => doc
            .reference(node)
            .map_or("<no such reference>", |r| r.value.as_str()),
        NodeRef::Index(i) => doc.components[i as usize]
            .bom_ref
            .as_deref()
            .unwrap_or("<no bom-ref>"),
    }
}
