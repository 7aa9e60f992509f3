//! `<dependencies>`: `<dependency ref>` entries listing the references a
//! component depends on as nested `<dependency ref/>` elements (and, in
//! 1.6, `<provides ref/>`).
//!
//! The 1.1 dependency-graph extension has the same shape in its own
//! namespace, nested to any depth, and may also sit inside a component,
//! where its top-level entries are what that component depends on. Both
//! are read by the same code: an entry nested in another is a dependency
//! of it, whichever namespace and depth.
//!
//! Both ends are read as references ([`NodeRef::Ref`], with the span of
//! the `ref` attribute's value); once the whole BOM is read, those that
//! name a component of it become indexes
//! ([`crate::sbom::local_refs`]), as in the JSON reader;
//! resolving the rest, and diagnosing the dangling ones, is the graph's
//! job. A relationship's span is the element that states it.
//! Nothing here is fatal but nesting past [`MAX_DEPTH`]: a broken entry
//! loses an edge, not a component.

use super::tree::NodeId;
use super::{Reader, MAX_DEPTH};
use crate::model::{Diagnostic, EdgeKind, NodeRef, Relationship};
use crate::sbom::error::ReadError;

/// A `<dependency>` element to read, with the reference it is a dependency
/// of (none for a top-level entry of the BOM's list).
struct Entry {
    node: NodeId,
    parent: Option<NodeRef>,
    depth: usize,
}

impl<'s, 't> Reader<'s, 't> {
    /// Reads one `<dependencies>` list without recursion. `owner` is the
    /// component it sits in (dependency-graph extension), if any.
    pub(super) fn dependencies(
        &mut self,
        list: NodeId,
        owner: Option<NodeRef>,
    ) -> Result<(), ReadError> {
        self.container(list, "dependencies");
        let mut stack = self.entries(list, owner, 1);
        stack.reverse();
        let tree = self.tree;
        while let Some(entry) = stack.pop() {
            let Some(node) = tree.node(entry.node) else {
                continue;
            };
            if entry.depth > MAX_DEPTH {
                return Err(ReadError::too_deep(self.at(node.span), MAX_DEPTH));
            }
            let Some(from) = self.reference(entry.node, "dependency") else {
                continue;
            };
            if let Some(parent) = entry.parent {
                self.relationships.push(Relationship {
                    from: parent,
                    to: from,
                    kind: EdgeKind::DependsOn,
                    span: node.span,
                });
            }
            self.container(entry.node, "dependency");
            for (child, element) in tree.children(entry.node) {
                if element.is("provides") {
                    if let Some(to) = self.reference(child, "provides") {
                        self.relationships.push(Relationship {
                            from,
                            to,
                            kind: EdgeKind::Provides,
                            span: element.span,
                        });
                    }
                }
            }
            let nested = self.entries(entry.node, Some(from), entry.depth + 1);
            stack.extend(nested.into_iter().rev());
        }
        Ok(())
    }

    /// The `<dependency>` children of `id` (of either namespace).
    fn entries(&self, id: NodeId, parent: Option<NodeRef>, depth: usize) -> Vec<Entry> {
        self.tree
            .children(id)
            .filter(|(_, n)| n.local == "dependency")
            .map(|(node, _)| Entry {
                node,
                parent,
                depth,
            })
            .collect()
    }

    /// The `ref` attribute of a dependency or provides element; a
    /// diagnostic when there is none.
    fn reference(&mut self, id: NodeId, element: &str) -> Option<NodeRef> {
        let tree = self.tree;
        match tree.attr(id, "ref") {
            Some(attr) if !attr.value.is_empty() => Some(NodeRef::reference(
                &mut self.references,
                attr.value.as_ref(),
                attr.span,
            )),
            _ => {
                let span = tree.node(id).map(|n| n.span);
                self.diagnostics.push(Diagnostic::warning(
                    "missing-field",
                    format!("<{element}> without a `ref`; it and what it lists are skipped"),
                    span,
                ));
                None
            }
        }
    }
}
