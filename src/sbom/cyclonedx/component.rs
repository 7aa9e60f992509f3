//! One CycloneDX component object: its identity and every field that can
//! say who made, owns, supplies or licenses it.
//!
//! Field paths are the SBOM's own words with array levels left out
//! (`licenses.license.licensing.licensor.organization.name`), so that a
//! finding names the field a person will search for in the file.

use std::borrow::Cow;

use super::{Child, Reader};
use crate::model::Trimmed;
use crate::model::{
    Component, Diagnostic, EdgeKind, Field, FieldKind, NodeRef, Relationship, Text,
};
use crate::sbom::cyclonedx_common::{
    OrgPaths, PartyPaths, LICENSEE, LICENSOR, MANUFACTURER, SUPPLIER,
};
use crate::sbom::error::ReadError;
use crate::sbom::json::{JsonType, Keys, Listed, Object, Raw};

/// The keys read, in the order [`Reader::component`] destructures them;
/// the arrays come last (see [`COMPONENT_LISTS_FROM`]).
const COMPONENT_KEYS: Keys<18> = Keys::new([
    "bom-ref",
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
    "pedigree",
    "authors",
    "licenses",
    "hashes",
    "externalReferences",
    "components",
]);
/// The arrays are split while the component is scanned (see
/// [`Raw::object_with_lists`]).
const COMPONENT_LISTS_FROM: usize = 13;

impl<'s> Reader<'s> {
    /// Reads one component object (which the caller has checked is an
    /// object) and returns it with the component objects found inside it,
    /// in document order, for the caller's walk.
    pub(super) fn component(
        &mut self,
        raw: Raw<'s>,
    ) -> Result<(Component, Vec<Child<'s>>), ReadError> {
        // An array key of another type stays raw, for a diagnostic. Read
        // in place: the object is too big to be returned by value.
        let mut object = Object::empty();
        raw.object_into(
            &COMPONENT_KEYS,
            COMPONENT_LISTS_FROM,
            &mut object,
            &mut self.known,
        )
        .map_err(|e| self.syntax(raw, &e))?;
        if let Some((key, dup)) = object.duplicate {
            self.duplicate(key, dup);
        }
        let [bom_ref, name, group, version, purl, cpe, supplier, manufacturer, author, publisher, copyright, description, pedigree, authors, licenses, hashes, external_references, components] =
            object.slots;
        let [.., authors_list, licenses_list, hashes_list, references_list, components_list] =
            object.lists;
        let authors = Listed::new(authors, authors_list);
        let licenses = Listed::new(licenses, licenses_list);
        let hashes = Listed::new(hashes, hashes_list);
        let external_references = Listed::new(external_references, references_list);
        let components = Listed::new(components, components_list);

        // The reader's one vector of fields, kept from one component to
        // the next, so that growing it is paid once per reader rather than
        // once per component.
        let mut fields = std::mem::take(&mut self.fields);
        fields.clear();
        let mut component = Component {
            span: self.span(raw),
            bom_ref: self.text(bom_ref, "bom-ref").map(|(v, _)| Text::from(v)),
            ..Component::default()
        };
        match self.identity(&mut fields, FieldKind::Name, "name", name) {
            Some(value) if !value.trimmed().is_empty() => component.name = Text::from(value),
            Some(value) => {
                component.name = Text::from(value);
                self.missing_name(&component, name);
            }
            None => self.missing_name(&component, name),
        }
        component.group = self
            .identity(&mut fields, FieldKind::Group, "group", group)
            .map(Text::from);
        component.version = self.text(version, "version").map(|(v, _)| Text::from(v));
        // A purl field is pushed unless the purl is blank; only then is it
        // kept apart (`Component::purl`). A purl is longer than a `Text`
        // holds inline, so it is copied only then.
        component.unfielded_purl = self
            .identity(&mut fields, FieldKind::Purl, "purl", purl)
            .filter(|p| p.trimmed().is_empty())
            .map(Box::from);
        self.field(&mut fields, FieldKind::Cpe, "cpe", cpe);
        self.organization(supplier, &SUPPLIER, &mut fields);
        self.organization(manufacturer, &MANUFACTURER, &mut fields);
        self.field(&mut fields, FieldKind::Author, "author", author);
        self.authors(authors, &mut fields);
        self.field(&mut fields, FieldKind::Publisher, "publisher", publisher);
        self.licenses(licenses, &mut fields);
        self.hashes(hashes, &mut fields);
        for reference in self.array(external_references, "externalReferences") {
            self.external_reference(reference, &mut fields);
        }
        self.field(&mut fields, FieldKind::Copyright, "copyright", copyright);
        self.field(
            &mut fields,
            FieldKind::Description,
            "description",
            description,
        );
        // Document order, whatever order the keys came in.
        fields.sort_by_key(|f| f.span.offset());
        // One allocation of the exact size: a vector grown by doubling was
        // a quarter empty (7 MB at 100,000 components).
        component.fields = fields.as_slice().to_vec();
        self.fields = fields;

        let children = self.children(components, pedigree)?;
        Ok((component, children))
    }

    /// One `externalReferences[]` entry: its `url` is a field; when the
    /// entry is of type `bom` and the URL is a BOM-Link (`urn:cdx:…`), it
    /// is also a `bom_link` relationship from this component into the
    /// linked BOM, for the graph to resolve against the other inputs. A
    /// `bom` reference by plain URL names no input, so it stays a field.
    ///
    /// The component being read is pushed right after this call returns
    /// (see [`Reader::walk`]), so its index is the current length of
    /// `components`.
    fn external_reference(&mut self, raw: Raw<'_>, fields: &mut Vec<Field>) {
        let keys = &const { Keys::new(["type", "url"]) };
        let Some([kind, url]) = self.object(Some(raw), "externalReferences", keys) else {
            return;
        };
        let Some((url, span)) = self.text(url, "externalReferences.url") else {
            return;
        };
        if url.trimmed().is_empty() {
            return;
        }
        let linked = is_bom_link(&url)
            && self
                .text(kind, "externalReferences.type")
                .is_some_and(|(kind, _)| kind.trimmed() == "bom");
        if linked {
            self.relationships.push(Relationship {
                from: NodeRef::index(self.components.len()),
                to: NodeRef::reference(&mut self.references, url.trimmed(), span),
                kind: EdgeKind::BomLink,
                span: self.span(raw),
            });
        }
        let (kind, path) = (FieldKind::Url, "externalReferences.url");
        let field = Field::new(kind, path, &url, span, self.source, &mut self.own);
        fields.push(field);
    }

    /// A string that is both a component attribute and a field: the
    /// field is pushed, and the string returned for the attribute.
    fn identity<'a>(
        &mut self,
        out: &mut Vec<Field>,
        kind: FieldKind,
        path: &'static str,
        raw: Option<Raw<'a>>,
    ) -> Option<Cow<'a, str>> {
        let (value, span) = self.text(raw, path)?;
        if !value.trimmed().is_empty() {
            let field = Field::new(kind, path, &value, span, self.source, &mut self.own);
            out.push(field);
        }
        Some(value)
    }

    /// A component keeps its place without a (non-blank) name, but says so.
    fn missing_name(&mut self, component: &Component, raw: Option<Raw<'_>>) {
        let wrong_type =
            raw.is_some_and(|r| !matches!(JsonType::of(r), JsonType::Null | JsonType::String));
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

    /// Nested components (`contains`) and pedigree ancestors and variants,
    /// in document order. Pedigree `descendants` are left out on purpose:
    /// they are later versions derived *from* this component, not parts or
    /// origins of the product, so they cannot carry an engine into it.
    fn children(
        &mut self,
        components: Listed<'s>,
        pedigree: Option<Raw<'s>>,
    ) -> Result<Vec<Child<'s>>, ReadError> {
        let mut children = Vec::new();
        if let Some(list) = self.required_array(components, "components")? {
            children.extend(list.into_iter().map(|raw| Child {
                raw,
                kind: EdgeKind::Contains,
            }));
        }
        let keys = &const { Keys::new(["ancestors", "variants"]) };
        if let Some([ancestors, variants]) = self.required_object(pedigree, "pedigree", keys)? {
            if let Some(list) = self.required_array(ancestors, "pedigree.ancestors")? {
                children.extend(list.into_iter().map(|raw| Child {
                    raw,
                    kind: EdgeKind::WhiteLabelOf,
                }));
            }
            if let Some(list) = self.required_array(variants, "pedigree.variants")? {
                children.extend(list.into_iter().map(|raw| Child {
                    raw,
                    kind: EdgeKind::VariantOf,
                }));
            }
            children.sort_by_key(|c| c.raw.get().as_ptr() as usize);
        }
        Ok(children)
    }

    /// An organizational entity: `name`, `url[]`, `contact[]` (name, email).
    pub(super) fn organization(
        &mut self,
        raw: Option<Raw<'_>>,
        paths: &OrgPaths,
        out: &mut Vec<Field>,
    ) {
        let keys = &const { Keys::new(["name", "url", "contact"]) };
        let Some([name, urls, contacts]) = self.object(raw, paths.prefix, keys) else {
            return;
        };
        self.field(out, paths.kind, paths.name, name);
        for url in self.array(urls, paths.url) {
            self.field(out, FieldKind::Url, paths.url, Some(url));
        }
        for contact in self.array(contacts, paths.contact) {
            let keys = &const { Keys::new(["name", "email"]) };
            if let Some([name, email]) = self.object(Some(contact), paths.contact, keys) {
                self.field(out, paths.kind, paths.contact_name, name);
                self.field(out, paths.kind, paths.contact_email, email);
            }
        }
    }

    /// 1.6 `authors[]`: organizational contacts (name, email).
    fn authors(&mut self, raw: Listed<'_>, out: &mut Vec<Field>) {
        for author in self.array(raw, "authors") {
            let keys = &const { Keys::new(["name", "email"]) };
            if let Some([name, email]) = self.object(Some(author), "authors", keys) {
                self.field(out, FieldKind::Author, "authors.name", name);
                self.field(out, FieldKind::Author, "authors.email", email);
            }
        }
    }

    /// `licenses[]`: each a `license` (id, name, url, 1.5+ `licensing`) or
    /// an `expression`.
    fn licenses(&mut self, raw: Listed<'_>, out: &mut Vec<Field>) {
        for choice in self.array(raw, "licenses") {
            let keys = &const { Keys::new(["license", "expression"]) };
            let Some([license, expression]) = self.object(Some(choice), "licenses", keys) else {
                continue;
            };
            self.field(out, FieldKind::License, "licenses.expression", expression);
            let keys = &const { Keys::new(["id", "name", "url", "licensing"]) };
            let Some([id, name, url, licensing]) = self.object(license, "licenses.license", keys)
            else {
                continue;
            };
            self.field(out, FieldKind::License, "licenses.license.id", id);
            self.field(out, FieldKind::License, "licenses.license.name", name);
            self.field(out, FieldKind::Url, "licenses.license.url", url);
            let keys = &const { Keys::new(["licensor", "licensee", "licenseTypes"]) };
            let path = "licenses.license.licensing";
            let Some([licensor, licensee, types]) = self.object(licensing, path, keys) else {
                continue;
            };
            self.party(licensor, &LICENSOR, out);
            self.party(licensee, &LICENSEE, out);
            let path = "licenses.license.licensing.licenseTypes";
            for license_type in self.array(types, path) {
                self.field(out, FieldKind::LicenseType, path, Some(license_type));
            }
        }
    }

    /// A licensing party: an `organization` or an `individual`, by name.
    fn party(&mut self, raw: Option<Raw<'_>>, paths: &PartyPaths, out: &mut Vec<Field>) {
        let keys = &const { Keys::new(["organization", "individual"]) };
        let Some([organization, individual]) = self.object(raw, paths.prefix, keys) else {
            return;
        };
        let keys = &const { Keys::new(["name"]) };
        if let Some([name]) = self.object(organization, paths.organization, keys) {
            self.field(out, paths.kind, paths.organization_name, name);
        }
        if let Some([name]) = self.object(individual, paths.individual, keys) {
            self.field(out, paths.kind, paths.individual_name, name);
        }
    }

    /// `hashes[]` as `ALG:hex` (algorithm as written, hex lower-cased),
    /// located at the `content` literal.
    fn hashes(&mut self, raw: Listed<'_>, out: &mut Vec<Field>) {
        for hash in self.array(raw, "hashes") {
            let keys = &const { Keys::new(["alg", "content"]) };
            let Some([alg, content]) = self.object(Some(hash), "hashes", keys) else {
                continue;
            };
            let alg = self.text(alg, "hashes.alg");
            let content = self.text(content, "hashes.content");
            match (alg, content) {
                (Some((alg, _)), Some((content, span)))
                    if !alg.trimmed().is_empty() && !content.trimmed().is_empty() =>
                {
                    let (alg, hex) = (alg.trimmed(), content.trimmed());
                    out.push(Field::hash("hashes", alg, hex, span, &mut self.own));
                }
                _ => self.diagnostics.push(Diagnostic::warning(
                    "missing-field",
                    "hash without both `alg` and `content`; skipped",
                    Some(self.span(hash)),
                )),
            }
        }
    }
}

/// Whether a URL is a CycloneDX BOM-Link (`urn:cdx:serial/version[#ref]`).
fn is_bom_link(url: &str) -> bool {
    const PREFIX: &str = "urn:cdx:";
    url.trimmed()
        .get(..PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(PREFIX))
}
