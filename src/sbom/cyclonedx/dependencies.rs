//! The `dependencies` graph: `ref` → `dependsOn[]` (and 1.6 `provides[]`).
//!
//! Both ends stay references ([`NodeRef::Ref`], with the span of the
//! reference's string literal): resolving them, and diagnosing the
//! dangling ones, is the graph's job. A relationship's span is the
//! `dependsOn` / `provides` element that states it.
//!
//! None of this is fatal: a broken dependency entry loses an edge, not a
//! component, and the graph still reaches an unreferenced component from
//! the root. So every wrong type here is a diagnostic.

use serde_json::value::RawValue;

use super::{Reader, MAX_DEPTH};
use crate::model::{Diagnostic, EdgeKind, NodeRef, Relationship};
use crate::sbom::error::ReadError;
use crate::sbom::json::{JsonType, Listed};

const DEPENDENCY_KEYS: [&str; 3] = ["ref", "dependsOn", "provides"];

/// A dependency object to read, with the reference that depends on it when
/// it sits inside another one's `dependsOn` (an old, pre-1.2 habit that
/// some tools kept).
struct Entry<'a> {
    raw: &'a RawValue,
    parent: Option<NodeRef>,
    depth: usize,
}

impl<'s> Reader<'s> {
    /// Reads `dependencies[]`, following nested dependency objects without
    /// recursion.
    pub(super) fn dependencies(&mut self, raw: Listed<'s>) -> Result<(), ReadError> {
        let list = self.array(raw, "dependencies");
        self.in_parallel(&list, Reader::dependency_entries)
    }

    /// Reads dependency entries and the entries nested in them, depth
    /// first in document order.
    pub(super) fn dependency_entries(&mut self, list: &[&'s RawValue]) -> Result<(), ReadError> {
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
            let Some([reference, depends_on, provides]) =
                self.object(Some(entry.raw), "dependencies", &DEPENDENCY_KEYS)
            else {
                continue;
            };
            let Some(from) = self.reference(reference, entry.raw) else {
                continue;
            };
            if let Some(parent) = entry.parent {
                self.relationships.push(Relationship {
                    from: parent,
                    to: from.clone(),
                    kind: EdgeKind::DependsOn,
                    span: self.span(entry.raw),
                });
            }
            let mut nested = Vec::new();
            for item in self.array(depends_on, "dependencies.dependsOn") {
                match JsonType::of(item) {
                    JsonType::Object => nested.push(Entry {
                        raw: item,
                        parent: Some(from.clone()),
                        depth: entry.depth + 1,
                    }),
                    _ => self.edge(&from, item, EdgeKind::DependsOn, "dependencies.dependsOn"),
                }
            }
            for item in self.array(provides, "dependencies.provides") {
                self.edge(&from, item, EdgeKind::Provides, "dependencies.provides");
            }
            stack.extend(nested.into_iter().rev());
        }
        Ok(())
    }

    /// The `ref` of a dependency entry; a diagnostic when there is none.
    fn reference(&mut self, raw: Option<&RawValue>, entry: &RawValue) -> Option<NodeRef> {
        match self.text(raw, "dependencies.ref") {
            Some((value, span)) if !value.is_empty() => Some(NodeRef::Ref {
                value: value.into_owned(),
                span,
            }),
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
    fn edge(&mut self, from: &NodeRef, item: &RawValue, kind: EdgeKind, path: &str) {
        if let Some((value, span)) = self.text(Some(item), path) {
            self.relationships.push(Relationship {
                from: from.clone(),
                to: NodeRef::Ref {
                    value: value.into_owned(),
                    span,
                },
                kind,
                span,
            });
        }
    }
}
