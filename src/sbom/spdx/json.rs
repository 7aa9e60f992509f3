//! SPDX 2.x JSON: the top level, packages, files, snippets, relationships
//! and extracted licensing infos, read the same way as the CycloneDX
//! reader: values borrowed as checked [`Raw`] text and only delimited, not
//! parsed again, where the reader looks inside (see [`crate::sbom::json`]).
//!
//! Lenience follows the CycloneDX reader: unknown keys are skipped unread;
//! a wrong type in an optional field is a `wrong-type` diagnostic and the
//! field is skipped; a wrong type where elements live (`packages`,
//! `files`, `snippets`, or one of their entries) is fatal, because reading
//! on would silently lose a part of the product. Relationships are
//! lenient throughout: a broken one loses an edge, not a component.
//!
//! Spans: an element's span is its JSON object; a field's span is its
//! string literal including the quotes; a relationship's span is its
//! object, and each end's span its id's literal.

use std::borrow::Cow;
use std::collections::HashSet;

use super::assemble::{Element, ElementKind, Parts, RawRelationship, RelationshipType};
use super::fields::{self, RefPaths, EXTRACTED_TEXT_LIMIT};
use super::relationships;
use crate::model::Trimmed;
use crate::model::{Diagnostic, ExternalDocRef, Field, FieldKind, Format, SourceText, Span, Text};
use crate::sbom::detect;
use crate::sbom::error::ReadError;
use crate::sbom::json::{self, JsonType, Keys, Listed, Raw};

mod lenient;
mod parallel;

/// The top-level keys read; the arrays come last (split while the top
/// level is parsed, see [`json::object_with_lists`]).
const TOP_KEYS: Keys<10> = Keys::new([
    "spdxVersion",
    "SPDXID",
    "documentNamespace",
    "documentDescribes",
    "hasExtractedLicensingInfos",
    "packages",
    "files",
    "snippets",
    "relationships",
    "externalDocumentRefs",
]);
const TOP_LISTS_FROM: usize = 3;

const PACKAGE_KEYS: Keys<20> = Keys::new([
    "SPDXID",
    "name",
    "versionInfo",
    "supplier",
    "originator",
    "downloadLocation",
    "homepage",
    "licenseConcluded",
    "licenseDeclared",
    "copyrightText",
    "summary",
    "description",
    // New in 2.3: only their presence is looked at.
    "primaryPackagePurpose",
    "releaseDate",
    "builtDate",
    "validUntilDate",
    "checksums",
    "externalRefs",
    "licenseInfoFromFiles",
    "hasFiles",
]);
const PACKAGE_LISTS_FROM: usize = 16;

const FILE_KEYS: Keys<8> = Keys::new([
    "SPDXID",
    "fileName",
    "licenseConcluded",
    "copyrightText",
    "noticeText",
    "checksums",
    "licenseInfoInFiles",
    "fileContributors",
]);
const FILE_LISTS_FROM: usize = 5;

const SNIPPET_KEYS: Keys<6> = Keys::new([
    "SPDXID",
    "name",
    "snippetFromFile",
    "licenseConcluded",
    "copyrightText",
    "licenseInfoInSnippets",
]);
const SNIPPET_LISTS_FROM: usize = 5;

const REFS: RefPaths = RefPaths {
    purl: "externalRefs.purl",
    cpe22: "externalRefs.cpe22Type",
    cpe23: "externalRefs.cpe23Type",
    url: "externalRefs.referenceLocator",
};

/// Reads the whole document into [`Parts`].
pub(super) fn read<'s>(name: &'s str, source: &'s SourceText) -> Result<Parts<'s>, ReadError> {
    let body = detect::without_bom(source);
    let top = json::object_with_lists(body, &TOP_KEYS, TOP_LISTS_FROM)
        .or_else(|_| json::object(body, &TOP_KEYS))
        .map_err(|err| detect::syntax(name, source, body, &err))?;
    read_object(name, source, top)
}

/// Reads a document whose top level detection has read already.
pub(super) fn read_top<'s>(
    name: &'s str,
    source: &'s SourceText,
    mut top: detect::Top<'s>,
) -> Result<Parts<'s>, ReadError> {
    read_object(name, source, top.take(&detect::TOP_KEYS, &TOP_KEYS))
}

fn read_object<'s>(
    name: &'s str,
    source: &'s SourceText,
    top: json::Object<'s, 10>,
) -> Result<Parts<'s>, ReadError> {
    let body = detect::without_bom(source);
    let mut r = Reader {
        name,
        shared: source,
        source: source.as_str(),
        parts: Parts::new(Format::SpdxJson),
    };
    if let Some((key, raw)) = top.duplicate {
        r.duplicate(key, raw);
    }
    let [version, document_id, namespace, describes, extracted, packages, files, snippets, relationships, externals] =
        top.slots;
    let [_, _, _, describes_list, extracted_list, packages_list, files_list, snippets_list, relationships_list, externals_list] =
        top.lists;

    let start = Span::new(json::span_in(source, body.trim_start()).offset(), 1);
    r.spec_version(version, start);
    r.parts.document_id = r.id(document_id, "SPDXID").map(|id| id.value.into_owned());
    r.parts.serial_number = r
        .text(namespace, "documentNamespace")
        .map(|(v, _)| v.into_owned());

    let packages = r.required_array(Listed::new(packages, packages_list), "packages")?;
    r.in_parallel(&packages, Reader::package);
    let files = r.required_array(Listed::new(files, files_list), "files")?;
    r.in_parallel(&files, Reader::file);
    let snippets = r.required_array(Listed::new(snippets, snippets_list), "snippets")?;
    r.in_parallel(&snippets, Reader::snippet);
    for raw in r.array(Listed::new(describes, describes_list), "documentDescribes") {
        if let Some(id) = r.id(Some(raw), "documentDescribes") {
            r.parts.describes.push(id);
        }
    }
    let relationships = r.array(
        Listed::new(relationships, relationships_list),
        "relationships",
    );
    r.in_parallel(&relationships, |r, raw| r.relationship(raw));
    let extracted = Listed::new(extracted, extracted_list);
    for raw in r.array(extracted, "hasExtractedLicensingInfos") {
        r.extracted(raw);
    }
    for raw in r.array(
        Listed::new(externals, externals_list),
        "externalDocumentRefs",
    ) {
        r.external_doc(raw);
    }
    Ok(r.parts)
}

struct Reader<'s> {
    name: &'s str,
    /// The text, for the errors that show it.
    shared: &'s SourceText,
    /// The same text as a plain `str`, for every span and element: read
    /// through `SourceText`, each look is a call through its keeper's
    /// vtable.
    source: &'s str,
    parts: Parts<'s>,
}

impl<'s> Reader<'s> {
    /// `spdxVersion` as written, with a note when it is not 2.2 or 2.3.
    fn spec_version(&mut self, raw: Option<Raw<'_>>, top: Span) {
        let raw = raw.filter(|r| JsonType::of(*r) != JsonType::Null);
        let version = raw.and_then(|raw| match JsonType::of(raw) {
            JsonType::String => json::string(raw).map(Cow::into_owned),
            // `"spdxVersion": 2.3` is a slip: keep the number.
            JsonType::Number => {
                self.wrong_type(raw, "spdxVersion", JsonType::String);
                Some(raw.get().to_owned())
            }
            _ => {
                self.wrong_type(raw, "spdxVersion", JsonType::String);
                None
            }
        });
        let span = raw.map_or(top, |r| self.span(r));
        if let Some(note) = fields::version_note(version.as_deref(), "spdxVersion", Some(span)) {
            self.parts.diagnostics.push(note);
        }
        self.parts.spec_version = version;
    }

    fn package(&mut self, raw: Raw<'s>) {
        let mut object = json::Object::empty();
        self.element_object(raw, &PACKAGE_KEYS, PACKAGE_LISTS_FROM, &mut object);
        let [id, name, version, supplier, originator, download, homepage, concluded, declared, copyright, summary, description, purpose, release, built, valid, checksums, refs, license_info, has_files] =
            object.slots;
        let [.., checksums_list, refs_list, license_info_list, has_files_list] = object.lists;

        let mut e = Element::new(ElementKind::Package, self.span(raw), self.source);
        e.component.bom_ref = self.id(id, "SPDXID").map(|id| Text::from(id.value));
        self.name(&mut e, name, "name");
        e.component.version = self
            .text(version, "versionInfo")
            .map(|(v, _)| Text::from(v.trimmed()))
            .filter(|v| !v.is_empty());
        self.party(&mut e, FieldKind::Supplier, "supplier", supplier);
        self.party(&mut e, FieldKind::Originator, "originator", originator);
        self.field(&mut e, FieldKind::Url, "downloadLocation", download);
        self.field(&mut e, FieldKind::Url, "homepage", homepage);
        self.license(&mut e, "licenseConcluded", concluded);
        self.license(&mut e, "licenseDeclared", declared);
        self.field(&mut e, FieldKind::Copyright, "copyrightText", copyright);
        self.field(&mut e, FieldKind::Description, "summary", summary);
        self.field(&mut e, FieldKind::Description, "description", description);
        let newer = [
            ("primaryPackagePurpose", purpose),
            ("releaseDate", release),
            ("builtDate", built),
            ("validUntilDate", valid),
        ];
        if let Some((key, raw)) = newer.iter().find_map(|(k, r)| r.map(|r| (*k, r))) {
            let span = self.span(raw);
            self.parts.newer(|| format!("`{key}`"), span);
        }
        self.checksums(&mut e, Listed::new(checksums, checksums_list));
        for reference in self.array(Listed::new(refs, refs_list), "externalRefs") {
            let keys = &const { Keys::new(["referenceType", "referenceLocator"]) };
            let Some([ty, locator]) = self.object(reference, "externalRefs", keys) else {
                continue;
            };
            let ty = self.text(ty, "externalRefs.referenceType");
            let locator = self.text(locator, "externalRefs.referenceLocator");
            if let (Some((ty, _)), Some((locator, span))) = (ty, locator) {
                e.external_ref(&ty, &locator, span, &REFS, &mut self.parts.own);
            }
        }
        let listed = Listed::new(license_info, license_info_list);
        self.licenses(&mut e, listed, "licenseInfoFromFiles");
        // Generators repeat ids here; one edge per file is enough.
        let mut listed_files = HashSet::new();
        for raw in self.array(Listed::new(has_files, has_files_list), "hasFiles") {
            if let Some(file) = self.id(Some(raw), "hasFiles") {
                if listed_files.insert(file.value.clone()) {
                    e.has_files.push(file);
                }
            }
        }
        self.push(e);
    }

    fn file(&mut self, raw: Raw<'s>) {
        let mut object = json::Object::empty();
        self.element_object(raw, &FILE_KEYS, FILE_LISTS_FROM, &mut object);
        let [id, name, concluded, copyright, notice, checksums, license_info, contributors] =
            object.slots;
        let [.., checksums_list, license_info_list, contributors_list] = object.lists;

        let mut e = Element::new(ElementKind::File, self.span(raw), self.source);
        e.component.bom_ref = self.id(id, "SPDXID").map(|id| Text::from(id.value));
        self.name(&mut e, name, "fileName");
        self.license(&mut e, "licenseConcluded", concluded);
        self.field(&mut e, FieldKind::Copyright, "copyrightText", copyright);
        self.field(&mut e, FieldKind::Copyright, "noticeText", notice);
        self.checksums(&mut e, Listed::new(checksums, checksums_list));
        let listed = Listed::new(license_info, license_info_list);
        self.licenses(&mut e, listed, "licenseInfoInFiles");
        for raw in self.array(
            Listed::new(contributors, contributors_list),
            "fileContributors",
        ) {
            self.field(&mut e, FieldKind::Author, "fileContributors", Some(raw));
        }
        self.push(e);
    }

    fn snippet(&mut self, raw: Raw<'s>) {
        let mut object = json::Object::empty();
        self.element_object(raw, &SNIPPET_KEYS, SNIPPET_LISTS_FROM, &mut object);
        let [id, name, from_file, concluded, copyright, license_info] = object.slots;
        let [.., license_info_list] = object.lists;

        let mut e = Element::new(ElementKind::Snippet, self.span(raw), self.source);
        e.component.bom_ref = self.id(id, "SPDXID").map(|id| Text::from(id.value));
        // A snippet's name is optional in SPDX: no diagnostic without one.
        if let Some((value, span)) = self.text(name, "name") {
            e.name("name", &value, span, &mut self.parts.own);
        }
        e.from_file = self.id(from_file, "snippetFromFile");
        self.license(&mut e, "licenseConcluded", concluded);
        self.field(&mut e, FieldKind::Copyright, "copyrightText", copyright);
        let listed = Listed::new(license_info, license_info_list);
        self.licenses(&mut e, listed, "licenseInfoInSnippets");
        self.push(e);
    }

    /// Sorts an element's fields into document order and keeps it.
    ///
    /// The fields' vector is shrunk to its length here, while reading
    /// goes on: the tail it gives back is reused by the next elements'
    /// fields. Grown by doubling, a quarter of its slots were empty (7 MB
    /// at 100,000 packages, docs/performance.md).
    fn push(&mut self, mut e: Element<'s>) {
        e.component.fields.sort_by_key(|f| f.span.offset());
        e.component.fields.shrink_to_fit();
        self.parts.elements.push(e);
    }

    fn relationship(&mut self, raw: Raw<'s>) {
        let keys =
            &const { Keys::new(["spdxElementId", "relationshipType", "relatedSpdxElement"]) };
        let Some([from, kind, to]) = self.object(raw, "relationships", keys) else {
            return;
        };
        let from = self.id(from, "relationships.spdxElementId");
        let kind = self.id(kind, "relationships.relationshipType");
        let to = self.id(to, "relationships.relatedSpdxElement");
        match (from, kind, to) {
            (Some(from), Some(kind), Some(to)) => {
                let (mapping, new) = relationships::classified(&kind.value);
                if new {
                    let what = || format!("relationship type {}", kind.value.trimmed());
                    self.parts.newer(what, kind.span);
                }
                self.parts.relationships.push(RawRelationship {
                    from,
                    kind: RelationshipType::of(mapping, kind),
                    to,
                    span: self.span(raw),
                });
            }
            _ => self.parts.diagnostics.push(Diagnostic::warning(
                "missing-field",
                "relationship without a usable `spdxElementId`, `relationshipType` or \
                 `relatedSpdxElement`; skipped",
                Some(self.span(raw)),
            )),
        }
    }

    /// One `externalDocumentRefs` entry: `externalDocumentId`,
    /// `spdxDocument` (the other document's namespace) and its `checksum`.
    fn external_doc(&mut self, raw: Raw<'_>) {
        let path = "externalDocumentRefs";
        let keys = &const { Keys::new(["externalDocumentId", "spdxDocument", "checksum"]) };
        let Some([id, namespace, checksum]) = self.object(raw, path, keys) else {
            return;
        };
        let id = self.text(id, "externalDocumentRefs.externalDocumentId");
        let namespace = self.text(namespace, "externalDocumentRefs.spdxDocument");
        let (Some((id, _)), Some((namespace, _))) = (id, namespace) else {
            self.parts.diagnostics.push(Diagnostic::warning(
                "missing-field",
                "external document reference without `externalDocumentId` or `spdxDocument`; links through it cannot be followed",
                Some(self.span(raw)),
            ));
            return;
        };
        let checksum = checksum
            .and_then(|c| {
                self.object(
                    c,
                    "externalDocumentRefs.checksum",
                    &const { Keys::new(["algorithm", "checksumValue"]) },
                )
            })
            .and_then(|[alg, value]| {
                let alg = self.text(alg, "externalDocumentRefs.checksum.algorithm")?;
                let value = self.text(value, "externalDocumentRefs.checksum.checksumValue")?;
                Some((alg.0.into_owned(), value.0.into_owned()))
            });
        self.parts.external_docs.push(ExternalDocRef {
            id: id.into_owned(),
            namespace: namespace.into_owned(),
            checksum,
            span: self.span(raw),
        });
    }

    /// One extracted licensing info: its name and text become the fields
    /// of every element whose license uses its `licenseId`.
    fn extracted(&mut self, raw: Raw<'_>) {
        let keys = &const { Keys::new(["licenseId", "name", "extractedText"]) };
        let path = "hasExtractedLicensingInfos";
        let Some([id, name, text]) = self.object(raw, path, keys) else {
            return;
        };
        let Some(id) = self.id(id, "hasExtractedLicensingInfos.licenseId") else {
            self.parts.diagnostics.push(Diagnostic::warning(
                "missing-field",
                "extracted licensing info without a `licenseId`; no license can use it",
                Some(self.span(raw)),
            ));
            return;
        };
        let mut found = Vec::with_capacity(2);
        let named = [
            (name, "hasExtractedLicensingInfos.name"),
            (text, "hasExtractedLicensingInfos.extractedText"),
        ];
        for (raw, path) in named {
            if let Some((value, span)) = self.text(raw, path) {
                if !fields::is_absent(&value) {
                    let value = fields::truncated(value.trimmed(), EXTRACTED_TEXT_LIMIT);
                    found.push(Field::new(
                        FieldKind::License,
                        path,
                        value,
                        span,
                        self.source,
                        &mut self.parts.own,
                    ));
                }
            }
        }
        // The first definition of an id wins, as for duplicate keys.
        self.parts
            .extracted
            .entry(id.value.into_owned())
            .or_insert(found);
    }

    // ---- element fields --------------------------------------------------

    /// The element's name; a missing one is a `missing-field` warning
    /// (the element is kept: it may still be on a path).
    fn name(&mut self, e: &mut Element, raw: Option<Raw<'_>>, path: &'static str) {
        if let Some((value, span)) = self.text(raw, path) {
            if !value.trimmed().is_empty() {
                e.name(path, &value, span, &mut self.parts.own);
                return;
            }
        }
        let wrong_type =
            raw.is_some_and(|r| !matches!(JsonType::of(r), JsonType::Null | JsonType::String));
        if wrong_type {
            return; // already reported
        }
        let what = match e.kind {
            ElementKind::Package => "package",
            ElementKind::File => "file",
            ElementKind::Snippet => "snippet",
        };
        let message = match &e.component.bom_ref {
            Some(id) => format!("{what} {id:?} has no `{path}`"),
            None => format!("{what} has no `{path}` (and no `SPDXID`)"),
        };
        self.parts.diagnostics.push(Diagnostic::warning(
            "missing-field",
            message,
            Some(e.component.span),
        ));
    }

    fn field(
        &mut self,
        e: &mut Element,
        kind: FieldKind,
        path: &'static str,
        raw: Option<Raw<'_>>,
    ) {
        if let Some((value, span)) = self.text(raw, path) {
            e.text(kind, path, &value, span, &mut self.parts.own);
        }
    }

    fn party(
        &mut self,
        e: &mut Element,
        kind: FieldKind,
        path: &'static str,
        raw: Option<Raw<'_>>,
    ) {
        if let Some((value, span)) = self.text(raw, path) {
            e.party(kind, path, &value, span, &mut self.parts.own);
        }
    }

    fn license(&mut self, e: &mut Element, path: &'static str, raw: Option<Raw<'_>>) {
        if let Some((value, span)) = self.text(raw, path) {
            e.license(path, &value, span, &mut self.parts.own);
        }
    }

    fn licenses(&mut self, e: &mut Element, listed: Listed<'_>, path: &'static str) {
        for raw in self.array(listed, path) {
            self.license(e, path, Some(raw));
        }
    }

    /// `checksums[]` (`algorithm`, `checksumValue`), located at the value.
    fn checksums(&mut self, e: &mut Element, listed: Listed<'_>) {
        for checksum in self.array(listed, "checksums") {
            let keys = &const { Keys::new(["algorithm", "checksumValue"]) };
            let Some([algorithm, value]) = self.object(checksum, "checksums", keys) else {
                continue;
            };
            let algorithm = self.text(algorithm, "checksums.algorithm");
            let value = self.text(value, "checksums.checksumValue");
            match (algorithm, value) {
                (Some((algorithm, alg_span)), Some((value, span)))
                    if !algorithm.trimmed().is_empty() && !value.trimmed().is_empty() =>
                {
                    if fields::algorithm_new_in_2_3(&algorithm) {
                        let what = || format!("checksum algorithm {}", algorithm.trimmed());
                        self.parts.newer(what, alg_span);
                    }
                    e.checksum("checksums", &algorithm, &value, span, &mut self.parts.own);
                }
                _ => self.parts.diagnostics.push(Diagnostic::warning(
                    "missing-field",
                    "checksum without both `algorithm` and `checksumValue`; skipped",
                    Some(self.span(checksum)),
                )),
            }
        }
    }
}

#[cfg(test)]
mod top_keys {
    use crate::sbom::detect;

    /// Detection reads the top level once for every reader, and a key it
    /// was not asked for reads as absent (`json::Object::take`): a key
    /// added here and not there would be lost without a word.
    #[test]
    fn every_top_level_key_is_read_by_detection() {
        for key in *super::TOP_KEYS {
            assert!(
                detect::TOP_KEYS.contains(&key),
                "{key} missing from detect::TOP_KEYS"
            );
        }
    }
}
