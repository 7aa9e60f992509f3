//! Test helpers every reader's tests share.

use crate::model::{Document, EdgeKind, NodeRef};

/// The relationships whose two ends the reader resolved to component
/// indexes, as `(from, to, kind)`, in document order.
pub(crate) fn index_edges(doc: &Document) -> Vec<(usize, usize, EdgeKind)> {
    doc.relationships
        .iter()
        .filter_map(|r| match (&r.from, &r.to) {
            (NodeRef::Index(a), NodeRef::Index(b)) => Some((*a, *b, r.kind)),
            _ => None,
        })
        .collect()
}
