//! One `<component>` element: its identity and every field that can say
//! who made, owns, supplies or licenses it.
//!
//! Field paths are the JSON reader's (the SBOM's own words with list levels
//! left out): `<licenses><license><licensing><licensor><organization><name>`
//! is `licenses.license.licensing.licensor.organization.name`, so that a
//! finding names a field the same way whichever encoding the BOM came in.

use super::tree::{Node, NodeId, Ns};
use super::{Child, Reader, Seen};
use crate::model::{Component, Diagnostic, EdgeKind, Field, FieldKind, NodeRef, Span, Text};
use crate::sbom::cyclonedx_common::{
    OrgPaths, PartyPaths, LICENSEE, LICENSOR, MANUFACTURER, SUPPLIER,
};
use crate::sbom::error::ReadError;

/// The single-valued children of a component, each with its bit in a
/// [`Seen`] set.
const SINGLES: [&str; 11] = [
    "name",
    "group",
    "version",
    "purl",
    "cpe",
    "supplier",
    "manufacturer",
    "author",
    "publisher",
    "copyright",
    "description",
];

impl<'s, 't> Reader<'s, 't> {
    /// Reads one component element and returns it with the component
    /// elements found inside it, in document order, for the caller's walk.
    pub(super) fn component(
        &mut self,
        id: NodeId,
        node: &Node<'_>,
    ) -> Result<(Component, Vec<Child>), ReadError> {
        let tree = self.tree;
        let bom_ref = tree.attr(id, "bom-ref");
        let mut component = Component {
            span: node.span,
            bom_ref: bom_ref.map(|a| Text::from(a.value.as_ref())),
            ..Component::default()
        };
        let mut fields = Vec::new();
        let mut children = Vec::new();
        let mut seen = Seen::default();
        let mut named = false;
        for (child, element) in tree.children(id) {
            if element.ns == Ns::DependencyGraph && element.local == "dependencies" {
                let owner = self.owner(bom_ref.map(|a| (a.value.as_ref(), a.span)), element);
                self.dependencies(child, owner)?;
                continue;
            }
            if element.ns != Ns::Bom {
                continue;
            }
            if let Some(bit) = SINGLES.iter().position(|s| *s == element.local) {
                let bit = u32::try_from(bit).unwrap_or(u32::MAX);
                if !self.first(&mut seen, bit, element, element.local) {
                    continue;
                }
            }
            match element.local {
                "name" => {
                    named = true;
                    match self.identity(&mut fields, FieldKind::Name, "name", child) {
                        Some(value) if !value.trim().is_empty() => component.name = value,
                        other => {
                            component.name = other.unwrap_or_default();
                            self.missing_name(&component, Some(child));
                        }
                    }
                }
                "group" => {
                    component.group = self.identity(&mut fields, FieldKind::Group, "group", child);
                }
                "version" => {
                    component.version = self.text(child, "version").map(|(v, _)| Text::from(v));
                }
                "purl" => {
                    // Kept apart only when blank (no field then; see
                    // `Component::purl`).
                    component.unfielded_purl = self
                        .identity(&mut fields, FieldKind::Purl, "purl", child)
                        .filter(|p| p.trim().is_empty())
                        .map(|p| p.as_str().into());
                }
                "cpe" => self.field(&mut fields, FieldKind::Cpe, "cpe", child),
                "supplier" => self.organization(child, &SUPPLIER, &mut fields),
                "manufacturer" => self.organization(child, &MANUFACTURER, &mut fields),
                "author" => self.field(&mut fields, FieldKind::Author, "author", child),
                "authors" => self.authors(child, &mut fields),
                "publisher" => self.field(&mut fields, FieldKind::Publisher, "publisher", child),
                "licenses" => self.licenses(child, &mut fields),
                "hashes" => self.hashes(child, &mut fields),
                "externalReferences" => self.references(child, &mut fields),
                "copyright" => self.field(&mut fields, FieldKind::Copyright, "copyright", child),
                "description" => {
                    self.field(&mut fields, FieldKind::Description, "description", child);
                }
                "components" => {
                    let list = self.component_list(child, "components");
                    children.extend(list.into_iter().map(|node| Child {
                        node,
                        kind: EdgeKind::Contains,
                    }));
                }
                "pedigree" => self.pedigree(child, &mut children),
                _ => {}
            }
        }
        if !named {
            self.missing_name(&component, None);
        }
        // Its unused tail is reused by the next components' fields (grown
        // by doubling, the JSON readers' vectors were a quarter empty).
        fields.shrink_to_fit();
        component.fields = fields;
        Ok((component, children))
    }

    /// A text that is both a component attribute and a field.
    fn identity(
        &mut self,
        out: &mut Vec<Field>,
        kind: FieldKind,
        path: &'static str,
        id: NodeId,
    ) -> Option<Text> {
        let (value, span) = self.text(id, path)?;
        if !value.is_empty() {
            let field = Field::new(kind, path, value, span, self.source, &mut self.own);
            out.push(field);
        }
        Some(Text::from(value))
    }

    /// A component keeps its place without a (non-blank) name, but says so.
    fn missing_name(&mut self, component: &Component, name: Option<NodeId>) {
        let wrong_type = name
            .and_then(|id| self.tree.node(id))
            .is_some_and(Node::has_children);
        if wrong_type {
            return; // already reported
        }
        let message = match &component.bom_ref {
            Some(bom_ref) => format!("component {bom_ref:?} has no `name`"),
            None => "component has no `name` (and no `bom-ref`)".to_owned(),
        };
        self.diagnostics.push(Diagnostic::warning(
            "missing-field",
            message,
            Some(component.span),
        ));
    }

    /// The reference that dependency-graph entries inside a component
    /// depend from: the component's `bom-ref`.
    fn owner(&mut self, bom_ref: Option<(&str, Span)>, list: &Node<'_>) -> Option<NodeRef> {
        match bom_ref {
            Some((value, span)) if !value.is_empty() => {
                Some(NodeRef::reference(&mut self.references, value, span))
            }
            _ => {
                self.diagnostics.push(Diagnostic::warning(
                    "missing-field",
                    "dependencies inside a component without a `bom-ref`: \
                     what the component depends on is skipped",
                    Some(list.span),
                ));
                None
            }
        }
    }

    /// Pedigree ancestors and variants, in document order. `descendants`
    /// are left out on purpose: they are later versions derived *from*
    /// this component, not parts or origins of the product, so they cannot
    /// carry an engine into it.
    fn pedigree(&mut self, id: NodeId, out: &mut Vec<Child>) {
        self.container(id, "pedigree");
        let tree = self.tree;
        for (child, node) in tree.children(id).filter(|(_, n)| n.ns == Ns::Bom) {
            let (kind, path) = match node.local {
                "ancestors" => (EdgeKind::WhiteLabelOf, "pedigree.ancestors"),
                "variants" => (EdgeKind::VariantOf, "pedigree.variants"),
                _ => continue,
            };
            let list = self.component_list(child, path);
            out.extend(list.into_iter().map(|node| Child { node, kind }));
        }
    }

    /// An organizational entity: `name`, `url`s, `contact`s (name, email).
    pub(super) fn organization(&mut self, id: NodeId, paths: &OrgPaths, out: &mut Vec<Field>) {
        self.container(id, paths.prefix);
        let tree = self.tree;
        let mut seen = Seen::default();
        for (child, node) in tree.children(id).filter(|(_, n)| n.ns == Ns::Bom) {
            match node.local {
                "name" if self.first(&mut seen, 0, node, paths.name) => {
                    self.field(out, paths.kind, paths.name, child);
                }
                "url" => self.field(out, FieldKind::Url, paths.url, child),
                "contact" => {
                    self.container(child, paths.contact);
                    let mut seen = Seen::default();
                    for (part, node) in tree.children(child).filter(|(_, n)| n.ns == Ns::Bom) {
                        match node.local {
                            "name" if self.first(&mut seen, 0, node, paths.contact_name) => {
                                self.field(out, paths.kind, paths.contact_name, part);
                            }
                            "email" if self.first(&mut seen, 1, node, paths.contact_email) => {
                                self.field(out, paths.kind, paths.contact_email, part);
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// 1.6 `<authors>`: `<author>` contacts (name, email).
    fn authors(&mut self, id: NodeId, out: &mut Vec<Field>) {
        self.container(id, "authors");
        let tree = self.tree;
        for (author, node) in tree.children(id).filter(|(_, n)| n.ns == Ns::Bom) {
            if node.local != "author" {
                continue;
            }
            self.container(author, "authors");
            let mut seen = Seen::default();
            for (part, node) in tree.children(author).filter(|(_, n)| n.ns == Ns::Bom) {
                match node.local {
                    "name" if self.first(&mut seen, 0, node, "authors.name") => {
                        self.field(out, FieldKind::Author, "authors.name", part);
                    }
                    "email" if self.first(&mut seen, 1, node, "authors.email") => {
                        self.field(out, FieldKind::Author, "authors.email", part);
                    }
                    _ => {}
                }
            }
        }
    }

    /// `<licenses>`: each a `<license>` (id, name, url, 1.5+ `licensing`)
    /// or an `<expression>`.
    fn licenses(&mut self, id: NodeId, out: &mut Vec<Field>) {
        self.container(id, "licenses");
        let tree = self.tree;
        for (choice, node) in tree.children(id).filter(|(_, n)| n.ns == Ns::Bom) {
            match node.local {
                "expression" => self.field(out, FieldKind::License, "licenses.expression", choice),
                "license" => self.license(choice, out),
                _ => {}
            }
        }
    }

    fn license(&mut self, id: NodeId, out: &mut Vec<Field>) {
        self.container(id, "licenses.license");
        let tree = self.tree;
        let mut seen = Seen::default();
        for (part, node) in tree.children(id).filter(|(_, n)| n.ns == Ns::Bom) {
            let (bit, path) = match node.local {
                "id" => (0, "licenses.license.id"),
                "name" => (1, "licenses.license.name"),
                "url" => (2, "licenses.license.url"),
                "licensing" => (3, "licenses.license.licensing"),
                _ => continue,
            };
            if !self.first(&mut seen, bit, node, path) {
                continue;
            }
            match node.local {
                "url" => self.field(out, FieldKind::Url, path, part),
                "licensing" => self.licensing(part, out),
                _ => self.field(out, FieldKind::License, path, part),
            }
        }
    }

    /// `<licensing>` (1.5+): licensor, licensee and license types.
    fn licensing(&mut self, id: NodeId, out: &mut Vec<Field>) {
        self.container(id, "licenses.license.licensing");
        let tree = self.tree;
        let mut seen = Seen::default();
        let path = "licenses.license.licensing.licenseTypes";
        for (part, node) in tree.children(id).filter(|(_, n)| n.ns == Ns::Bom) {
            match node.local {
                "licensor" if self.first(&mut seen, 0, node, LICENSOR.prefix) => {
                    self.party(part, &LICENSOR, out);
                }
                "licensee" if self.first(&mut seen, 1, node, LICENSEE.prefix) => {
                    self.party(part, &LICENSEE, out);
                }
                "licenseTypes" => {
                    self.container(part, path);
                    for (license_type, node) in tree.children(part) {
                        if node.is("licenseType") {
                            self.field(out, FieldKind::LicenseType, path, license_type);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A licensing party: an `<organization>` or an `<individual>`, by name.
    fn party(&mut self, id: NodeId, paths: &PartyPaths, out: &mut Vec<Field>) {
        self.container(id, paths.prefix);
        let tree = self.tree;
        let mut seen = Seen::default();
        for (who, node) in tree.children(id).filter(|(_, n)| n.ns == Ns::Bom) {
            let (bit, prefix, path) = match node.local {
                "organization" => (0, paths.organization, paths.organization_name),
                "individual" => (1, paths.individual, paths.individual_name),
                _ => continue,
            };
            if !self.first(&mut seen, bit, node, prefix) {
                continue;
            }
            self.container(who, prefix);
            let mut seen_name = Seen::default();
            for (part, node) in tree.children(who) {
                if node.is("name") && self.first(&mut seen_name, 0, node, path) {
                    self.field(out, paths.kind, path, part);
                }
            }
        }
    }

    /// `<hashes>` as `ALG:hex` (algorithm as written, hex lower-cased),
    /// located at the hash's text.
    fn hashes(&mut self, id: NodeId, out: &mut Vec<Field>) {
        self.container(id, "hashes");
        let tree = self.tree;
        for (hash, node) in tree.children(id) {
            if !node.is("hash") {
                continue;
            }
            let alg = tree.attr(hash, "alg").map(|a| a.value.trim());
            let content = self.text(hash, "hashes");
            match (alg, content) {
                (Some(alg), Some((content, span))) if !alg.is_empty() && !content.is_empty() => {
                    out.push(Field::hash("hashes", alg, content, span, &mut self.own));
                }
                (_, None) => {} // wrong type, reported
                _ => self.diagnostics.push(Diagnostic::warning(
                    "missing-field",
                    "hash without both an `alg` and its content; skipped",
                    Some(node.span),
                )),
            }
        }
    }

    /// `<externalReferences>`: each `<reference>`'s `<url>`.
    fn references(&mut self, id: NodeId, out: &mut Vec<Field>) {
        self.container(id, "externalReferences");
        let tree = self.tree;
        for (reference, node) in tree.children(id) {
            if !node.is("reference") {
                continue;
            }
            self.container(reference, "externalReferences");
            let mut seen = Seen::default();
            for (url, node) in tree.children(reference) {
                if node.is("url") && self.first(&mut seen, 0, node, "externalReferences.url") {
                    self.field(out, FieldKind::Url, "externalReferences.url", url);
                }
            }
        }
    }
}
