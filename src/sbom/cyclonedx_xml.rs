//! CycloneDX XML, read leniently (spec 1.0–1.6 by namespace; 1.7, other
//! and missing namespaces are read the same way, with an
//! `unknown-spec-version` diagnostic).
//!
//! The reader gives the same [`Document`] as the JSON reader
//! ([`crate::sbom::cyclonedx`]) for the same BOM: the same components in
//! the same order, the same fields with the same kinds and paths (the JSON
//! names: `supplier.name`, `licenses.license.licensing.licensor.organization.name`,
//! with list levels left out), nesting as `contains`, pedigree ancestors
//! and variants as [`Role::Pedigree`] components behind `white_label_of` /
//! `variant_of`, and `dependencies` as `depends_on` / `provides` between
//! references. The dependency-graph extension of CycloneDX 1.1
//! (`dg:dependencies`, at the BOM level or inside a component) is read as
//! `depends_on` too.
//!
//! XML has no types to get wrong the way JSON does; what corresponds is an
//! element with the wrong content: child elements where text belongs, text
//! where child elements belong, or something other than `<component>`
//! where components live. Each is a `wrong-type` diagnostic, and nothing
//! here is fatal except XML that is not well-formed, a DTD (refused, see
//! [`dtd`]) and nesting past [`MAX_DEPTH`]. Unknown elements and attributes
//! are ignored, and so are elements of other namespaces.
//!
//! Spans: a component's span is its element, from `<component` to
//! `</component>`; a field's span is its text content (or attribute value)
//! as written, trimmed of surrounding whitespace, while `Field::value` is
//! the decoded text.
//!
//! The spec version comes from the namespace (`http://cyclonedx.org/schema/bom/1.4`):
//! the `version` attribute of `<bom>` is the BOM's own revision number, not
//! the spec version.

mod component;
mod dependencies;
pub(crate) mod dtd;
mod entities;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_equivalence;
#[cfg(test)]
mod tests_relationships;
#[cfg(test)]
mod tests_safety;
mod tree;

use crate::model::{
    Component, Diagnostic, Document, EdgeKind, Field, FieldKind, Format, Level, NodeRef, Reference,
    Relationship, Role, SourceText, Span,
};
pub use crate::sbom::cyclonedx::MAX_DEPTH;
use crate::sbom::error::{At, ReadError};
use crate::sbom::local_refs::LocalRefs;
use tree::{Node, NodeId, Ns, Tree};

/// The namespace of every CycloneDX BOM, followed by the spec version.
const NAMESPACE_PREFIX: &str = "http://cyclonedx.org/schema/bom/";

/// Reads a CycloneDX XML document. `name` is the name the user gave; it
/// goes into [`Document::name`] and every error.
pub fn read(name: &str, source: SourceText) -> Result<Document, ReadError> {
    read_source(name, &source)
}

/// Reads a document detection has found to be CycloneDX XML.
pub(crate) fn read_source(name: &str, source: &SourceText) -> Result<Document, ReadError> {
    let mut tree = tree::parse(name, source)?;
    let diagnostics = std::mem::take(&mut tree.diagnostics);
    let Some(root) = tree.node(Tree::ROOT) else {
        return Err(ReadError::not_an_sbom(
            At::new(name, source, Span::default()),
            "no root element".to_owned(),
        ));
    };
    if root.local != "bom" {
        return Err(ReadError::not_an_sbom(
            At::new(
                name,
                source,
                Span::new(root.span.offset(), 1 + root.local.len()),
            ),
            format!(
                "the root element is <{}>, not a CycloneDX <bom>",
                root.local
            ),
        ));
    }
    let mut reader = Reader {
        name,
        source,
        tree: &tree,
        components: Vec::new(),
        relationships: Vec::new(),
        references: Vec::new(),
        own: String::new(),
        diagnostics,
    };
    let spec_version = reader.spec_version(root);
    let serial_number = tree
        .attr(Tree::ROOT, "serialNumber")
        .map(|a| a.value.clone().into_owned());

    let roots = reader.bom()?;
    let local = LocalRefs::new(&reader.components);
    local.resolve(&mut reader.relationships, &reader.references);

    Ok(Document {
        name: name.to_owned(),
        source: source.clone(),
        own_text: reader.own,
        format: Format::CyclonedxXml,
        spec_version,
        serial_number,
        roots,
        components: reader.components,
        relationships: reader.relationships,
        references: reader.references,
        diagnostics: reader.diagnostics,
        external_docs: Vec::new(),
        bom_refs: local.into_bom_refs(),
    })
}

/// The state of reading one document.
struct Reader<'s, 't> {
    name: &'t str,
    source: &'s SourceText,
    tree: &'t Tree<'s>,
    components: Vec<Component>,
    relationships: Vec<Relationship>,
    /// The ends that stayed references (see `NodeRef::Ref`).
    references: Vec<Reference>,
    /// The field values the source does not spell (see `Value::Own`).
    own: String,
    diagnostics: Vec<Diagnostic>,
}

/// A component element waiting to be read, with the edge that reaches it.
struct Pending {
    node: NodeId,
    parent: Option<(usize, EdgeKind)>,
    /// 1 for a top-level component or the root.
    depth: usize,
    role: Role,
}

/// A component element found inside another one (nested or pedigree).
struct Child {
    node: NodeId,
    kind: EdgeKind,
}

/// Which single-valued children of an element have been seen, so that a
/// repeated one is reported and skipped (the first is used, as the JSON
/// reader does with a repeated key).
#[derive(Default)]
struct Seen(u32);

impl<'s, 't> Reader<'s, 't> {
    /// Reads what `<bom>` holds: metadata first (its component is the
    /// root, index 0, as in JSON), then the components, then the
    /// dependencies. Returns the roots.
    fn bom(&mut self) -> Result<Vec<usize>, ReadError> {
        self.container(Tree::ROOT, "bom");
        let tree = self.tree;
        let mut metadata = None;
        let mut lists = Vec::new();
        let mut dependencies = Vec::new();
        for (id, node) in tree.children(Tree::ROOT) {
            match (node.ns, node.local) {
                (Ns::Bom, "metadata") if metadata.is_none() => metadata = Some(id),
                (Ns::Bom, "metadata") => self.duplicate(node, "metadata"),
                // Every list is read when there are several: nothing is lost.
                (Ns::Bom, "components") => lists.push(id),
                // Of either namespace: 1.2+ or the 1.1 extension.
                (_, "dependencies") => dependencies.push(id),
                _ => {}
            }
        }
        let roots = self.metadata(metadata)?;
        for list in lists {
            let components = self.component_list(list, "components");
            self.walk(components, None, Role::Part)?;
        }
        for list in dependencies {
            self.dependencies(list, None)?;
        }
        Ok(roots)
    }

    /// `metadata/component` becomes the root; the BOM-level supplier and
    /// manufacturer describe that product, so they become its fields.
    /// (`metadata/authors`, `licenses` and `tools` are about the BOM
    /// document itself, not the product: not read.)
    fn metadata(&mut self, id: Option<NodeId>) -> Result<Vec<usize>, ReadError> {
        let Some(id) = id else {
            return Ok(Vec::new());
        };
        self.container(id, "metadata");
        let tree = self.tree;
        let mut seen = Seen::default();
        let mut component = None;
        let mut fields = Vec::new();
        for (child, node) in tree.children(id).filter(|(_, n)| n.ns == Ns::Bom) {
            let paths = match node.local {
                "component" => {
                    if self.first(&mut seen, 0, node, "metadata.component") {
                        component = Some(child);
                    }
                    continue;
                }
                "supplier" => (1, &crate::sbom::cyclonedx_common::META_SUPPLIER),
                "manufacture" => (2, &crate::sbom::cyclonedx_common::META_MANUFACTURE),
                "manufacturer" => (3, &crate::sbom::cyclonedx_common::META_MANUFACTURER),
                _ => continue,
            };
            if self.first(&mut seen, paths.0, node, paths.1.prefix) {
                self.organization(child, paths.1, &mut fields);
            }
        }

        let root = match component {
            Some(node) => {
                let index = self.components.len();
                self.walk(vec![node], None, Role::Part)?;
                Some(index)
            }
            None => None,
        };
        crate::sbom::cyclonedx_common::attach_metadata_fields(
            &mut self.components,
            root,
            fields,
            &mut self.diagnostics,
        );
        Ok(root.into_iter().collect())
    }

    /// Reads component elements and everything nested in them, depth first
    /// in document order, without recursion.
    fn walk(
        &mut self,
        list: Vec<NodeId>,
        parent: Option<(usize, EdgeKind)>,
        role: Role,
    ) -> Result<(), ReadError> {
        let mut stack: Vec<Pending> = list
            .into_iter()
            .rev()
            .map(|node| Pending {
                node,
                parent,
                depth: 1,
                role,
            })
            .collect();
        while let Some(pending) = stack.pop() {
            let Some(node) = self.tree.node(pending.node) else {
                continue;
            };
            if pending.depth > MAX_DEPTH {
                return Err(ReadError::too_deep(self.at(node.span), MAX_DEPTH));
            }
            let index = self.components.len();
            let (mut component, children) = self.component(pending.node, node)?;
            component.role = pending.role;
            if let Some((from, kind)) = pending.parent {
                self.relationships.push(Relationship {
                    from: NodeRef::index(from),
                    to: NodeRef::index(index),
                    kind,
                    span: component.span,
                });
            }
            self.components.push(component);
            stack.extend(children.into_iter().rev().map(|child| Pending {
                node: child.node,
                parent: Some((index, child.kind)),
                depth: pending.depth + 1,
                // What a pedigree component contains is not part of the
                // product either.
                role: match child.kind {
                    EdgeKind::Contains => pending.role,
                    _ => Role::Pedigree,
                },
            }));
        }
        Ok(())
    }

    /// The `<component>` children of an element that holds components;
    /// anything else of the CycloneDX namespace there is reported.
    fn component_list(&mut self, id: NodeId, path: &str) -> Vec<NodeId> {
        self.container(id, path);
        let tree = self.tree;
        let mut list = Vec::new();
        for (child, node) in tree.children(id).filter(|(_, n)| n.ns == Ns::Bom) {
            if node.local == "component" {
                list.push(child);
            } else {
                self.diagnostics.push(Diagnostic::warning(
                    "wrong-type",
                    format!(
                        "`{path}` should hold <component> elements, found <{}>; skipped",
                        node.local
                    ),
                    Some(node.span),
                ));
            }
        }
        list
    }

    /// The spec version from the root's namespace, with a diagnostic when
    /// oemtrace does not know it (the document is read the same way
    /// regardless).
    fn spec_version(&mut self, root: &Node<'_>) -> Option<String> {
        let namespace = self.tree.root_namespace.as_deref();
        // Point at the `xmlns` value when it is there, else at `<bom`.
        let span = self
            .tree
            .attr(Tree::ROOT, "xmlns")
            .filter(|a| Some(a.value.as_ref()) == namespace)
            .map_or(Span::new(root.span.offset(), 1 + root.local.len()), |a| {
                a.span
            });
        let version = namespace.and_then(|ns| ns.strip_prefix(NAMESPACE_PREFIX));
        let (level, message) = match (namespace, version) {
            (_, Some("1.0" | "1.1" | "1.2" | "1.3" | "1.4" | "1.5" | "1.6")) => {
                return version.map(str::to_owned)
            }
            (_, Some("1.7")) => (
                Level::Info,
                "CycloneDX 1.7 is newer than the versions oemtrace knows (1.0–1.6); \
                 read leniently, fields new in 1.7 are not used"
                    .to_owned(),
            ),
            (_, Some(other)) => (
                Level::Warning,
                format!("unknown CycloneDX version {other:?} in the namespace; read as 1.6"),
            ),
            (Some(ns), None) => (
                Level::Warning,
                format!(
                    "<bom> is in the namespace {ns:?}, not {NAMESPACE_PREFIX}<version>; \
                     read as CycloneDX 1.6"
                ),
            ),
            (None, None) => (
                Level::Warning,
                format!(
                    "<bom> has no namespace (xmlns=\"{NAMESPACE_PREFIX}<version>\"), \
                     so its CycloneDX version is unknown; read as 1.6"
                ),
            ),
        };
        self.diagnostics.push(Diagnostic {
            level,
            code: "unknown-spec-version",
            message,
            span: Some(span),
        });
        version.map(str::to_owned)
    }

    // ---- spans and diagnostics ---------------------------------------------

    fn at(&self, span: Span) -> At {
        At::new(self.name, self.source, span)
    }

    /// `true` the first time `bit` is seen; a `duplicate-key` diagnostic
    /// after that.
    fn first(&mut self, seen: &mut Seen, bit: u32, node: &Node<'_>, path: &str) -> bool {
        // A bit past 31 never counts as seen (no set has that many).
        let mask = 1u32.checked_shl(bit).unwrap_or(0);
        if seen.0 & mask == 0 {
            seen.0 |= mask;
            return true;
        }
        self.duplicate(node, path);
        false
    }

    fn duplicate(&mut self, node: &Node<'_>, path: &str) {
        self.diagnostics.push(Diagnostic::warning(
            "duplicate-key",
            format!("`{path}` appears more than once here; the first is used"),
            Some(node.span),
        ));
    }

    /// An element that should hold elements: text in it is reported.
    fn container(&mut self, id: NodeId, path: &str) {
        if let Some(text) = self.tree.node(id).and_then(|n| n.text.as_ref()) {
            self.diagnostics.push(Diagnostic::warning(
                "wrong-type",
                format!("`{path}` should hold elements, found text; the text is skipped"),
                Some(text.span),
            ));
        }
    }

    // ---- text content with lenience ------------------------------------------

    /// The text of an element that should hold only text: `None` (and a
    /// `wrong-type` diagnostic) when it holds elements; empty text for an
    /// empty element.
    fn text(&mut self, id: NodeId, path: &str) -> Option<(&'t str, Span)> {
        let node = self.tree.node(id)?;
        if node.has_children() {
            self.diagnostics.push(Diagnostic::warning(
                "wrong-type",
                format!("`{path}` should be text, found child elements; skipped"),
                Some(node.span),
            ));
            return None;
        }
        Some(match &node.text {
            Some(text) => (text.value.as_ref(), text.span),
            None => ("", Span::new(node.span.offset(), 0)),
        })
    }

    /// Pushes the text of `id` as a field, unless it is empty (an empty
    /// value identifies nothing).
    fn field(&mut self, out: &mut Vec<Field>, kind: FieldKind, path: &'static str, id: NodeId) {
        if let Some((value, span)) = self.text(id, path) {
            if !value.is_empty() {
                let field = Field::new(kind, path, value, span, self.source, &mut self.own);
                out.push(field);
            }
        }
    }
}
