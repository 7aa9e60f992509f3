//! Relationship ends that name a component of their own document.
//!
//! Every reader turns each relationship end that names a bom-ref (SPDXID)
//! of its own document into [`NodeRef::Index`]. A big SBOM has four or
//! more references per component: owned as strings, they were a third of
//! the CycloneDX JSON reader's allocations and cost the graph a hash
//! look-up with a string compare per end (docs/performance.md). The
//! CycloneDX JSON reader resolves while it reads, and the SPDX readers as
//! they make each edge, without copying the string ([`LocalRefs::end`]);
//! the CycloneDX XML reader once the document is read
//! ([`LocalRefs::resolve`]). What stays a [`NodeRef::Ref`] is a reference
//! into another document (BOM-Link, `DocumentRef-`) or a dangling one,
//! for the graph to stitch or diagnose; the graph resolves it exactly as
//! here, so this changes no edge.

use std::borrow::Cow;

use crate::model::ref_table::RefTable;
use crate::model::{BomRefs, Component, NodeRef, Reference, Relationship, Span};

/// The bom-refs (SPDXIDs) of a document's components, each naming the
/// first component that carries it (as the graph resolves a repeated ref).
pub(crate) struct LocalRefs {
    by_ref: RefTable,
}

impl LocalRefs {
    pub(crate) fn new(components: &[Component]) -> Self {
        // A repeated ref is the graph's to report (`duplicate-ref`).
        LocalRefs {
            by_ref: RefTable::new(components),
        }
    }

    /// The table, for the document (see [`BomRefs`]).
    pub(crate) fn into_bom_refs(self) -> BomRefs {
        BomRefs::kept(self.by_ref)
    }

    /// The component that carries `value`, if one does.
    pub(crate) fn index(&self, value: &str) -> Option<usize> {
        self.by_ref.get(value)
    }

    /// [`LocalRefs::index`] of each of `keys`, into `found`, the misses
    /// of the look-ups overlapped (see [`RefTable::get_many`]).
    pub(crate) fn indexes(&self, keys: &[&str], found: &mut [Option<usize>]) {
        self.by_ref.get_many(keys, found);
    }

    /// The end `value` names: a component index when a component carries
    /// it, else the reference itself (copied into `references` only then).
    pub(crate) fn end(
        &self,
        value: Cow<'_, str>,
        span: Span,
        references: &mut Vec<Reference>,
    ) -> NodeRef {
        Self::made(self.index(&value), value, span, references)
    }

    /// The end `value` names, given what [`LocalRefs::index`] found for
    /// it: for readers that look many ends up first and make them after.
    pub(crate) fn made(
        found: Option<usize>,
        value: Cow<'_, str>,
        span: Span,
        references: &mut Vec<Reference>,
    ) -> NodeRef {
        match found {
            Some(i) => NodeRef::index(i),
            None => NodeRef::reference(references, value, span),
        }
    }

    /// Resolves the ends of `relationships` that are still references
    /// into `references`. A resolved reference keeps its slot, unused.
    pub(crate) fn resolve(&self, relationships: &mut [Relationship], references: &[Reference]) {
        for r in relationships {
            for end in [&mut r.from, &mut r.to] {
                if let NodeRef::Ref(slot) = *end {
                    let found = references
                        .get(slot as usize)
                        .and_then(|r| self.index(&r.value));
                    if let Some(i) = found {
                        *end = NodeRef::index(i);
                    }
                }
            }
        }
    }
}
