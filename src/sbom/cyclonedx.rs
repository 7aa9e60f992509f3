//! CycloneDX JSON, read leniently (spec 1.2–1.6; 1.0, 1.1, 1.7 and unknown
//! versions are read the same way, with an `unknown-spec-version`
//! diagnostic).
//!
//! The reader keeps only what the audit needs: components with their
//! identifying fields, nesting (`contains`), pedigree (`white_label_of`,
//! `variant_of`) and the dependency graph. A wrong type in an optional
//! field is a diagnostic and the field is skipped; a wrong type where
//! components live (`components`, `metadata.component`, pedigree
//! ancestors/variants) is fatal, because reading on would silently lose a
//! part of the product, and a lost part is where an engine hides.
//!
//! Spans: a component's span is its whole JSON object; a field's span is
//! its JSON string literal *including the quotes* (the source text, escapes
//! and all, whereas `Field::value` is the decoded text).
//!
//! Cost: the top level's syntax is checked once, every byte
//! (`json::checked_top`, as strict as `serde_json`), and split once;
//! every value below it is borrowed as a `Raw` slice of that text and
//! only delimited where the reader looks inside it (arrays are split while
//! their object is scanned), each scan far cheaper than a parse. Nested
//! components would be scanned once for each level above them; the
//! reader's `json::Known` remembers the ends of the big values it has
//! walked, so a big nest is walked about once. Levels smaller than 16 KiB
//! (the scanner's `FAR`) are still walked once for each level above them,
//! which [`MAX_DEPTH`] bounds. No `serde_json::Value` trees are built. See
//! docs/performance.md for what this costs against a bare `IgnoredAny`
//! parse of the same bytes.

mod component;
mod dependencies;
mod parallel;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use rayon::prelude::*;

use crate::model::{
    Component, Diagnostic, Document, EdgeKind, Field, FieldKind, Format, Level, NodeRef, Reference,
    Relationship, Role, SourceText, Span, Trimmed,
};
use crate::sbom::detect::{self, CdxTop, Sniffed};
use crate::sbom::error::{At, ReadError};
use crate::sbom::json::{self, Elements, JsonType, Keys, Listed, Raw};
use crate::sbom::local_refs::LocalRefs;

/// Elements of a list whose types one task checks: a nested list in one
/// go, the top-level one on every core.
const LOOK_CHUNK: usize = 16 * 1024;

/// How deep components (and old-style nested dependencies) may nest.
/// Real SBOMs nest a handful of levels; the bound keeps a hostile nest of
/// small components from costing quadratic time (see the module docs).
pub const MAX_DEPTH: usize = 64;

/// Reads a CycloneDX JSON document. `name` is the name the user gave; it
/// goes into [`Document::name`] and every error.
pub fn read(name: &str, source: SourceText) -> Result<Document, ReadError> {
    match detect::sniff(name, &source)? {
        Sniffed::CyclonedxJson(top) => read_top(name, &source, *top),
        // The same BOM in XML reads to the same document.
        Sniffed::CyclonedxXml => crate::sbom::cyclonedx_xml::read(name, source),
    }
}

/// Reads a document whose top level [`detect::sniff`] has already parsed.
pub(crate) fn read_top(
    name: &str,
    source: &SourceText,
    top: CdxTop<'_>,
) -> Result<Document, ReadError> {
    let mut reader = Reader::new(name, source);
    if top.bom_format_missing {
        reader.diagnostics.push(Diagnostic::warning(
            "missing-field",
            "no `bomFormat`; read as CycloneDX because it has `specVersion` and components",
            Some(Span::new(top.span.offset(), 1)),
        ));
    }
    if let Some((key, raw)) = top.duplicate {
        reader.duplicate(key, raw);
    }
    let spec_version = reader.spec_version(top.spec_version, top.span);
    let serial_number = reader
        .text(top.serial_number, "serialNumber")
        .map(|(value, _)| value.into_owned());

    let roots = reader.metadata(top.metadata)?;
    if let Some(list) = reader.required_array(top.components, "components")? {
        reader.in_parallel(&list, |r, chunk| r.walk(chunk, None, Role::Part))?;
    }
    // The components step out of the reader while the dependency entries
    // are read (see `Reader::dependencies`).
    let components = std::mem::take(&mut reader.components);
    let local = LocalRefs::new(&components);
    reader.dependencies(top.dependencies, &local)?;
    local.resolve(&mut reader.relationships, &reader.references);
    reader.components = components;

    Ok(Document {
        name: name.to_owned(),
        source: source.clone(),
        own_text: reader.own,
        format: Format::CyclonedxJson,
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
struct Reader<'s> {
    name: &'s str,
    /// The text, for the errors that show it.
    shared: &'s SourceText,
    /// The same text as a plain `str`: reading it through `SourceText`
    /// is a call through its keeper's vtable, which on every span and
    /// field cost the 10k CycloneDX read 5.9 M instructions (2.5%).
    source: &'s str,
    components: Vec<Component>,
    relationships: Vec<Relationship>,
    /// The ends that stayed references (see `NodeRef::Ref`).
    references: Vec<Reference>,
    /// The field values the source does not spell (see `Value::Own`).
    own: String,
    diagnostics: Vec<Diagnostic>,
    /// Dependency ends waiting to be looked up (see `Reader::edge`).
    deferred: Vec<dependencies::Deferred<'s>>,
    /// The fields of the component being read (see `Reader::component`).
    fields: Vec<Field>,
    /// The ends of the big values walked so far: without them, nested
    /// components were walked again at every level (see `json::Known`).
    known: json::Known,
}

/// A component object waiting to be read, with the edge that reaches it.
struct Pending<'a> {
    raw: Raw<'a>,
    parent: Option<(usize, EdgeKind)>,
    /// 1 for a top-level component or the root.
    depth: usize,
    role: Role,
}

/// A component object found inside another one (nested or pedigree).
struct Child<'a> {
    raw: Raw<'a>,
    kind: EdgeKind,
}

const METADATA_KEYS: Keys<4> = Keys::new(["component", "supplier", "manufacture", "manufacturer"]);

impl<'s> Reader<'s> {
    fn new(name: &'s str, shared: &'s SourceText) -> Self {
        Reader {
            name,
            shared,
            source: shared.as_str(),
            components: Vec::new(),
            relationships: Vec::new(),
            references: Vec::new(),
            own: String::new(),
            diagnostics: Vec::new(),
            deferred: Vec::new(),
            fields: Vec::new(),
            known: json::Known::new(),
        }
    }

    /// `metadata.component` becomes the root; the BOM-level supplier and
    /// manufacturer describe that product, so they become its fields.
    /// (`metadata.authors`, `metadata.licenses` and `metadata.tools` are
    /// about the BOM document itself, not the product: not read.)
    fn metadata(&mut self, raw: Option<Raw<'s>>) -> Result<Vec<usize>, ReadError> {
        let Some(metadata) = self.required_object(raw, "metadata", &METADATA_KEYS)? else {
            return Ok(Vec::new());
        };
        let [component, supplier, manufacture, manufacturer] = metadata;
        let mut fields = Vec::new();
        self.organization(
            supplier,
            &crate::sbom::cyclonedx_common::META_SUPPLIER,
            &mut fields,
        );
        self.organization(
            manufacture,
            &crate::sbom::cyclonedx_common::META_MANUFACTURE,
            &mut fields,
        );
        self.organization(
            manufacturer,
            &crate::sbom::cyclonedx_common::META_MANUFACTURER,
            &mut fields,
        );

        let root = match component.filter(|r| JsonType::of(*r) != JsonType::Null) {
            Some(raw) if JsonType::of(raw) != JsonType::Object => {
                return Err(ReadError::wrong_type(
                    self.at(raw),
                    "metadata.component",
                    JsonType::Object.described(),
                    JsonType::of(raw).described(),
                ));
            }
            Some(raw) => {
                let index = self.components.len();
                self.walk(&[raw], None, Role::Part)?;
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

    /// Reads component objects and everything nested in them, depth first
    /// in document order, without recursion.
    fn walk(
        &mut self,
        list: &[Raw<'s>],
        parent: Option<(usize, EdgeKind)>,
        role: Role,
    ) -> Result<(), ReadError> {
        // At least one component per element: reserved at once, the
        // vector is not copied over and over as it doubles.
        self.components.reserve(list.len());
        let mut stack: Vec<Pending<'s>> = list
            .iter()
            .rev()
            .map(|&raw| Pending {
                raw,
                parent,
                depth: 1,
                role,
            })
            .collect();
        while let Some(pending) = stack.pop() {
            if pending.depth > MAX_DEPTH {
                return Err(ReadError::too_deep(self.at(pending.raw), MAX_DEPTH));
            }
            let index = self.components.len();
            let (mut component, children) = self.component(pending.raw)?;
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
                raw: child.raw,
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

    /// `specVersion` as written, with a diagnostic when oemtrace does not
    /// know the version (the document is read the same way regardless).
    fn spec_version(&mut self, raw: Option<Raw<'_>>, top: Span) -> Option<String> {
        let raw = raw.filter(|r| JsonType::of(*r) != JsonType::Null);
        let Some(raw) = raw else {
            self.diagnostics.push(Diagnostic::warning(
                "unknown-spec-version",
                "no `specVersion`; read as CycloneDX 1.6",
                Some(Span::new(top.offset(), 1)),
            ));
            return None;
        };
        let span = self.span(raw);
        let version = match JsonType::of(raw) {
            JsonType::String => json::string(raw).map(Cow::into_owned),
            // `"specVersion": 1.5` is a common slip: keep the number.
            JsonType::Number => {
                self.wrong_type(raw, "specVersion", JsonType::String);
                Some(raw.get().to_owned())
            }
            _ => {
                self.wrong_type(raw, "specVersion", JsonType::String);
                None
            }
        };
        // Versions that exist but are not 1.2–1.6 are shapes oemtrace reads
        // fine (info); a version nobody knows may mean anything (warning).
        let note = match version.as_deref().map(str::trim) {
            Some("1.2" | "1.3" | "1.4" | "1.5" | "1.6") => None,
            Some(v @ ("1.0" | "1.1")) => Some((
                Level::Info,
                format!("CycloneDX {v} was XML-only; this JSON document is read like 1.2"),
            )),
            Some("1.7") => Some((
                Level::Info,
                "CycloneDX 1.7 is newer than the versions oemtrace knows (1.2–1.6); \
                 read leniently, fields new in 1.7 are not used"
                    .to_owned(),
            )),
            Some(other) => Some((
                Level::Warning,
                format!("unknown CycloneDX specVersion {other:?}; read as 1.6"),
            )),
            None => Some((
                Level::Warning,
                "unreadable `specVersion`; read as 1.6".to_owned(),
            )),
        };
        if let Some((level, message)) = note {
            self.diagnostics.push(Diagnostic {
                level,
                code: "unknown-spec-version",
                message,
                span: Some(span),
            });
        }
        version
    }

    // ---- spans and errors ------------------------------------------------

    fn span(&self, raw: Raw<'_>) -> Span {
        json::span_in(self.source, raw.get())
    }

    fn at(&self, raw: Raw<'_>) -> At {
        At::new(self.name, self.shared, self.span(raw))
    }

    /// A `serde_json` error inside `raw`, located in the whole source.
    fn syntax(&self, raw: Raw<'_>, err: &serde_json::Error) -> ReadError {
        detect::syntax(self.name, self.shared, raw.get(), err)
    }

    fn wrong_type(&mut self, raw: Raw<'_>, path: &str, expected: JsonType) {
        let found = JsonType::of(raw);
        self.diagnostics.push(Diagnostic::warning(
            "wrong-type",
            format!("`{path}` should be {expected}, found {found}; skipped"),
            Some(self.span(raw)),
        ));
    }

    fn duplicate(&mut self, key: &str, raw: Raw<'_>) {
        self.diagnostics.push(Diagnostic::warning(
            "duplicate-key",
            format!("`{key}` appears more than once in this object; the first value is used"),
            Some(self.span(raw)),
        ));
    }

    // ---- typed access with lenience ----------------------------------------

    /// An optional string: `None` when absent or `null`, a `wrong-type`
    /// diagnostic when it is something else.
    fn text<'a>(&mut self, raw: Option<Raw<'a>>, path: &str) -> Option<(Cow<'a, str>, Span)> {
        let raw = raw?;
        match json::string(raw) {
            Some(value) => Some((value, self.span(raw))),
            None => {
                if JsonType::of(raw) != JsonType::Null {
                    self.wrong_type(raw, path, JsonType::String);
                }
                None
            }
        }
    }

    /// Pushes the string at `raw` as a field, unless it is absent or empty
    /// (an empty string identifies nothing).
    fn field(
        &mut self,
        out: &mut Vec<Field>,
        kind: FieldKind,
        path: &'static str,
        raw: Option<Raw<'_>>,
    ) {
        if let Some((value, span)) = self.text(raw, path) {
            if !value.trimmed().is_empty() {
                let field = Field::new(kind, path, &value, span, self.source, &mut self.own);
                out.push(field);
            }
        }
    }

    /// The known keys of an optional object; a diagnostic and `None` when
    /// it is not an object.
    fn object<'a, const N: usize>(
        &mut self,
        raw: Option<Raw<'a>>,
        path: &str,
        keys: &'static json::Keys<N>,
    ) -> Option<[Option<Raw<'a>>; N]> {
        let mut object = json::Object::empty();
        self.object_into(raw?, path, keys, N, &mut object)
            .then_some(object.slots)
    }

    /// [`Reader::object`] with the arrays of the keys from `lists_from`
    /// on split while the object is scanned (see [`Listed`]), into
    /// `object` (passed empty): returned by value, the object was copied
    /// on its way out, which cost more than the split saved.
    fn object_into<'a, const N: usize>(
        &mut self,
        raw: Raw<'a>,
        path: &str,
        keys: &'static json::Keys<N>,
        lists_from: usize,
        object: &mut json::Object<'a, N>,
    ) -> bool {
        match JsonType::of(raw) {
            JsonType::Object => {}
            JsonType::Null => return false,
            _ => {
                self.wrong_type(raw, path, JsonType::Object);
                return false;
            }
        }
        // Cannot fail: `raw` is a validated object.
        if raw
            .object_into(keys, lists_from, object, &mut self.known)
            .is_err()
        {
            return false;
        }
        if let Some((key, dup)) = object.duplicate {
            self.duplicate(key, dup);
        }
        true
    }

    /// The elements of an optional array; a diagnostic and none when it is
    /// not an array.
    fn array<'a>(&mut self, value: impl Into<Listed<'a>>, path: &str) -> Elements<'a> {
        match value.into() {
            Listed::Absent => Elements::new(),
            Listed::Split(list) => list,
            Listed::Raw(raw) => match JsonType::of(raw) {
                JsonType::Array => json::elements_known(raw, &mut self.known).unwrap_or_default(),
                JsonType::Null => Elements::new(),
                _ => {
                    self.wrong_type(raw, path, JsonType::Array);
                    Elements::new()
                }
            },
        }
    }

    /// Like [`Reader::object`] for an object that holds components: any
    /// other type is fatal.
    fn required_object<'a, const N: usize>(
        &mut self,
        raw: Option<Raw<'a>>,
        path: &'static str,
        keys: &'static json::Keys<N>,
    ) -> Result<Option<[Option<Raw<'a>>; N]>, ReadError> {
        let Some(raw) = raw else {
            return Ok(None);
        };
        match JsonType::of(raw) {
            JsonType::Object => {}
            JsonType::Null => return Ok(None),
            found => {
                return Err(ReadError::wrong_type(
                    self.at(raw),
                    path,
                    JsonType::Object.described(),
                    found.described(),
                ))
            }
        }
        let mut object = json::Object::empty();
        raw.object_into(keys, N, &mut object, &mut self.known)
            .map_err(|err| self.syntax(raw, &err))?;
        if let Some((key, dup)) = object.duplicate {
            self.duplicate(key, dup);
        }
        Ok(Some(object.slots))
    }

    /// An array of component objects: any other type, for the array or an
    /// element, is fatal.
    fn required_array<'a>(
        &mut self,
        value: impl Into<Listed<'a>>,
        path: &'static str,
    ) -> Result<Option<Elements<'a>>, ReadError> {
        let mut list = match value.into() {
            Listed::Absent => return Ok(None),
            Listed::Split(list) => list,
            Listed::Raw(raw) => match JsonType::of(raw) {
                JsonType::Array => json::elements_known(raw, &mut self.known)
                    .map_err(|err| self.syntax(raw, &err))?,
                JsonType::Null => return Ok(None),
                found => {
                    return Err(ReadError::wrong_type(
                        self.at(raw),
                        path,
                        JsonType::Array.described(),
                        found.described(),
                    ))
                }
            },
        };
        // Nearly always every element is an object: one look at each, on
        // every core (at a million components, the first byte of each is a
        // cache miss, and two looks on one core were 25 ms of the other
        // core idling).
        let objects = |l: &[Raw<'_>]| l.iter().all(|r| JsonType::of(*r) == JsonType::Object);
        let all_objects = match list.len() {
            0..=LOOK_CHUNK => objects(&list),
            _ => list.par_chunks(LOOK_CHUNK).all(objects),
        };
        if all_objects {
            return Ok(Some(list));
        }
        let mut nulls = list
            .iter()
            .copied()
            .filter(|r| JsonType::of(*r) == JsonType::Null);
        if let Some(null) = nulls.next() {
            // A `null` element holds no component: skip it, but say so.
            self.diagnostics.push(Diagnostic::warning(
                "wrong-type",
                format!("`{path}` has `null` elements; skipped"),
                Some(self.span(null)),
            ));
            list.retain(|r| JsonType::of(*r) != JsonType::Null);
        }
        if let Some(bad) = list
            .iter()
            .copied()
            .find(|r| JsonType::of(*r) != JsonType::Object)
        {
            return Err(ReadError::wrong_type(
                self.at(bad),
                path,
                "an array of objects",
                JsonType::of(bad).described(),
            ));
        }
        Ok(Some(list))
    }
}
