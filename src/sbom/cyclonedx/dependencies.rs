//! The `dependencies` graph: `ref` → `dependsOn[]` (and 1.6 `provides[]`).
//!
//! An end that names a bom-ref of this document's components becomes
//! [`NodeRef::Index`] here, on every core, without copying the string:
//! a big BOM has four or more references per component, and owning each
//! one cost the reader a third of its allocations and the graph a hash
//! look-up per end (see docs/performance.md). Every other end stays a
//! reference ([`NodeRef::Ref`], with the span of the reference's string
//! literal): a BOM-Link into another document, or a dangling one, which
//! the graph resolves or diagnoses. A relationship's span is the
//! `dependsOn` / `provides` element that states it.
//!
//! None of this is fatal: a broken dependency entry loses an edge, not a
//! component, and the graph still reaches an unreferenced component from
//! the root. So every wrong type here is a diagnostic.

use std::borrow::Cow;

use super::{Reader, MAX_DEPTH};
use crate::model::{Diagnostic, EdgeKind, NodeRef, Relationship, Span};
use crate::sbom::error::ReadError;
use crate::sbom::json::{JsonType, Keys, Listed, Object, Raw};
use crate::sbom::local_refs::LocalRefs;

const DEPENDENCY_KEYS: Keys<3> = Keys::new(["ref", "dependsOn", "provides"]);
/// `dependsOn` and `provides` are split while the entry is scanned: split
/// after, each was scanned twice (splitting them again was 6.3 M
/// instructions of the 10k CycloneDX audit; the audit is 2.3 M fewer
/// with this, callgrind).
const DEPENDENCY_LISTS_FROM: usize = 1;

/// A dependency object to read, with the reference that depends on it when
/// it sits inside another one's `dependsOn` (an old, pre-1.2 habit that
/// some tools kept).
struct Entry<'a> {
    raw: Raw<'a>,
    parent: Option<NodeRef>,
    depth: usize,
}

impl<'s> Reader<'s> {
    /// Reads `dependencies[]`, following nested dependency objects without
    /// recursion. Ends that name a component in `local` become its index.
    ///
    /// The components are out of the reader meanwhile (see
    /// [`super::read_top`]): that keeps appending a chunk's relationships
    /// (see `in_parallel`) from moving the resolved indexes up, which are
    /// absolute. (`local` keeps its own copy of the bom-refs.)
    pub(super) fn dependencies(
        &mut self,
        raw: Listed<'s>,
        local: &LocalRefs,
    ) -> Result<(), ReadError> {
        debug_assert!(self.components.is_empty());
        let list = self.array(raw, "dependencies");
        self.in_parallel(&list, |r, chunk| r.dependency_entries(chunk, local))
    }

    /// Reads dependency entries and the entries nested in them, depth
    /// first in document order; ends that name a component in `local`
    /// become its index.
    pub(super) fn dependency_entries(
        &mut self,
        list: &[Raw<'s>],
        local: &LocalRefs,
    ) -> Result<(), ReadError> {
        let mut stack: Vec<Entry<'s>> = list
            .iter()
            .rev()
            .map(|&raw| Entry {
                raw,
                parent: None,
                depth: 1,
            })
            .collect();
        while let Some(entry) = stack.pop() {
            if entry.depth > MAX_DEPTH {
                return Err(ReadError::too_deep(self.at(entry.raw), MAX_DEPTH));
            }
            let mut object = Object::empty();
            let (keys, lists_from) = (&DEPENDENCY_KEYS, DEPENDENCY_LISTS_FROM);
            if !self.object_into(entry.raw, "dependencies", keys, lists_from, &mut object) {
                continue;
            }
            let [reference, depends_on, provides] = object.slots;
            let [_, depends_on_list, provides_list] = object.lists;
            let depends_on = Listed::new(depends_on, depends_on_list);
            let provides = Listed::new(provides, provides_list);
            let Some(from) = self.reference(reference, entry.raw, local) else {
                continue;
            };
            if let Some(parent) = entry.parent {
                self.relationships.push(Relationship {
                    from: parent,
                    to: from,
                    kind: EdgeKind::DependsOn,
                    span: self.span(entry.raw),
                });
            }
            let mut nested = Vec::new();
            for item in self.array(depends_on, "dependencies.dependsOn") {
                match JsonType::of(item) {
                    JsonType::Object => nested.push(Entry {
                        raw: item,
                        parent: Some(from),
                        depth: entry.depth + 1,
                    }),
                    _ => self.edge(
                        from,
                        item,
                        EdgeKind::DependsOn,
                        "dependencies.dependsOn",
                        local,
                    ),
                }
            }
            for item in self.array(provides, "dependencies.provides") {
                self.edge(
                    from,
                    item,
                    EdgeKind::Provides,
                    "dependencies.provides",
                    local,
                );
            }
            stack.extend(nested.into_iter().rev());
        }
        self.resolve_deferred(local);
        Ok(())
    }

    /// Resolves the ends [`Reader::edge`] left for later, many at a time.
    ///
    /// Each look-up misses the cache two or three times at a million
    /// components, and made among the JSON scanning between two ends, one
    /// miss waited for the next to start. Looked up many at a time, in
    /// batches that go through the look-ups' steps as through a pipeline
    /// ([`LocalRefs::indexes`]), the misses are in flight together
    /// (docs/performance.md).
    fn resolve_deferred(&mut self, local: &LocalRefs) {
        // Enough for the look-ups' pipeline to run long, the SPDX
        // assembly's figure (512 edges, two ends each); not tuned. The
        // two buffers are 16 KiB each.
        const MANY: usize = 1024;
        let mut keys = Vec::with_capacity(MANY.min(self.deferred.len()));
        let mut found = vec![None; keys.capacity()];
        for many in self.deferred.chunks(MANY) {
            keys.clear();
            keys.extend(many.iter().map(|end| end.key));
            local.indexes(&keys, &mut found);
            for (&index, end) in found.iter().zip(many) {
                if let Some(r) = self.relationships.get_mut(end.at) {
                    r.to = LocalRefs::made(
                        index,
                        Cow::Borrowed(end.key),
                        end.span,
                        &mut self.references,
                    );
                }
            }
        }
        self.deferred.clear();
    }

    /// The `ref` of a dependency entry; a diagnostic when there is none.
    fn reference(
        &mut self,
        raw: Option<Raw<'_>>,
        entry: Raw<'_>,
        local: &LocalRefs,
    ) -> Option<NodeRef> {
        match self.text(raw, "dependencies.ref") {
            Some((value, span)) if !value.is_empty() => {
                Some(local.end(value, span, &mut self.references))
            }
            Some(_) | None => {
                // A wrong type was reported by `text` already.
                let absent = match raw {
                    None => true,
                    Some(r) => matches!(JsonType::of(r), JsonType::Null | JsonType::String),
                };
                if absent {
                    self.diagnostics.push(Diagnostic::warning(
                        "missing-field",
                        "dependency without a `ref`; its dependsOn and provides are skipped",
                        Some(self.span(entry)),
                    ));
                }
                None
            }
        }
    }

    /// One `from → item` edge, where `item` is a reference string.
    ///
    /// An end written without escapes is resolved later, with the others
    /// of its chunk ([`Reader::resolve_deferred`]); until then the
    /// relationship's `to` is a placeholder.
    fn edge(
        &mut self,
        from: NodeRef,
        item: Raw<'s>,
        kind: EdgeKind,
        path: &str,
        local: &LocalRefs,
    ) {
        if let Some((value, span)) = self.text(Some(item), path) {
            let to = match value {
                Cow::Borrowed(key) => {
                    self.deferred.push(Deferred {
                        at: self.relationships.len(),
                        key,
                        span,
                    });
                    NodeRef::Index(u32::MAX)
                }
                Cow::Owned(_) => local.end(value, span, &mut self.references),
            };
            self.relationships.push(Relationship {
                from,
                to,
                kind,
                span,
            });
        }
    }
}

/// A relationship end to look up once its chunk is read.
pub(super) struct Deferred<'s> {
    /// The relationship's index in `Reader::relationships`.
    at: usize,
    /// The bom-ref, as written (it had no escapes).
    key: &'s str,
    span: Span,
}
