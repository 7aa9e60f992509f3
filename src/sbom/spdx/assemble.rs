//! From what a reader found to a [`Document`]: which elements become
//! components, the normalised relationships, the roots, and the extracted
//! license texts each element's `LicenseRef-`s bring along.
//!
//! **Files and snippets nobody names are left out.** SBOM generators list
//! every file they scanned (often tens of thousands); a file becomes a
//! component only when a relationship, a package's `hasFiles`,
//! `documentDescribes`, a snippet's `snippetFromFile` or (tag-value) its
//! place right after a package ties it to something. A file tied to
//! nothing lies on no path from the product: the graph could only hang it
//! off the root as an "implicit part", a claim the document never made.
//! Leaving it out therefore loses no path and no edge; what a path does
//! need — every element that an edge or a root names — is always kept.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::model::{
    Component, Diagnostic, Document, EdgeKind, ExternalDocRef, Field, Format, NodeRef, Reference,
    Relationship, SourceText, Span,
};

use super::relationships::Mapping;
use crate::model::Trimmed;
use crate::sbom::local_refs::LocalRefs;

/// A reference to an element as written (an `SPDXID`, `DocumentRef-x:…`,
/// a type name), with the span of its text.
///
/// Borrowed from the source when it has no escapes (nearly always): a big
/// document has two of these per relationship, and owned they were most
/// of the SPDX reader's allocations and of its peak memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct IdRef<'s> {
    pub value: Cow<'s, str>,
    pub span: Span,
}

/// The kind of SPDX element a component comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum ElementKind {
    Package,
    File,
    Snippet,
}

/// One package, file or snippet as read, before the document decides
/// whether it becomes a component.
pub(super) struct Element<'s> {
    pub kind: ElementKind,
    /// `bom_ref` is the `SPDXID`; `fields` are the element's own.
    pub component: Component,
    /// The `LicenseRef-` ids its license fields use, first use first, with
    /// the span of the field that used it.
    pub license_refs: Vec<IdRef<'s>>,
    /// A package's `hasFiles`.
    pub has_files: Vec<IdRef<'s>>,
    /// A snippet's `snippetFromFile`.
    pub from_file: Option<IdRef<'s>>,
    /// Tag-value: the package (index into the elements) this file follows,
    /// which by the tag-value rules contains it.
    pub member_of: Option<usize>,
    /// Where a containment edge to this element points when the element
    /// is named by its place, not by an id (the `FileName:` line).
    pub header: Span,
    /// The document's source, which the fields' values are ranges of (or
    /// of the reader's own text, [`Parts::own`]).
    pub source: &'s str,
}

/// Everything but the source, which every element shares.
impl std::fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Element")
            .field("kind", &self.kind)
            .field("component", &self.component)
            .field("license_refs", &self.license_refs)
            .field("has_files", &self.has_files)
            .field("from_file", &self.from_file)
            .field("member_of", &self.member_of)
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

impl<'s> Element<'s> {
    /// The component, and what the element says about others, its
    /// containing package now `member_of` (a component index).
    fn split(self, member_of: Option<usize>) -> (Component, Ties<'s>) {
        let tie = Ties {
            license_refs: self.license_refs,
            has_files: self.has_files,
            from_file: self.from_file,
            member_of,
            header: self.header,
        };
        (self.component, tie)
    }

    pub(super) fn new(kind: ElementKind, span: Span, source: &'s str) -> Self {
        Element {
            source,
            kind,
            component: Component {
                span,
                ..Component::default()
            },
            license_refs: Vec::new(),
            has_files: Vec::new(),
            from_file: None,
            member_of: None,
            header: span,
        }
    }
}

/// One relationship as written: `from TYPE to`, each part with its span,
/// and the span of the whole relationship.
#[derive(Debug)]
pub(super) struct RawRelationship<'s> {
    pub from: IdRef<'s>,
    pub kind: RelationshipType<'s>,
    pub to: IdRef<'s>,
    pub span: Span,
}

/// A relationship type as read: what it means, or, for a type oemtrace
/// does not know, its text for the diagnostic. Read into its meaning at
/// once, so that a big document does not keep a string per relationship
/// for its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum RelationshipType<'s> {
    Known(Mapping),
    Unknown(Box<IdRef<'s>>),
}

impl<'s> RelationshipType<'s> {
    /// The type `kind` once its `mapping` is known
    /// ([`super::relationships::classified`]).
    pub(super) fn of(mapping: Option<Mapping>, kind: IdRef<'s>) -> Self {
        match mapping {
            Some(mapping) => RelationshipType::Known(mapping),
            None => RelationshipType::Unknown(Box::new(kind)),
        }
    }
}

/// A relationship normalised to walk from product to part, its ends still
/// as written: which elements become components depends on the names
/// these ends use, so they are resolved only once that is settled.
struct RawEdge<'s> {
    from: IdRef<'s>,
    to: IdRef<'s>,
    kind: EdgeKind,
    span: Span,
}

/// Everything a reader found in one document.
#[derive(Debug)]
pub(super) struct Parts<'s> {
    pub format: Format,
    pub spec_version: Option<String>,
    pub serial_number: Option<String>,
    /// The document's own `SPDXID` (normally `SPDXRef-DOCUMENT`).
    pub document_id: Option<String>,
    pub elements: Vec<Element<'s>>,
    pub relationships: Vec<RawRelationship<'s>>,
    /// JSON `documentDescribes`.
    pub describes: Vec<IdRef<'s>>,
    /// `licenseId` → the fields its extracted info brings (name, text),
    /// already cut to [`super::EXTRACTED_TEXT_LIMIT`].
    pub extracted: HashMap<String, Vec<Field>>,
    /// The field values the source does not spell (see `Value::Own`), of
    /// the elements and the extracted infos: the document's own text.
    pub own: String,
    /// The first thing seen that SPDX 2.3 introduced (what, where), to
    /// tell a 2.2 document that is really 2.3.
    pub newer_feature: Option<(String, Span)>,
    /// `externalDocumentRefs` / `ExternalDocumentRef:`.
    pub external_docs: Vec<ExternalDocRef>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parts<'_> {
    pub(super) fn new(format: Format) -> Self {
        Parts {
            format,
            spec_version: None,
            serial_number: None,
            document_id: None,
            elements: Vec::new(),
            relationships: Vec::new(),
            describes: Vec::new(),
            extracted: HashMap::new(),
            own: String::new(),
            newer_feature: None,
            external_docs: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Remembers the first SPDX 2.3 feature seen.
    pub(super) fn newer(&mut self, what: impl FnOnce() -> String, span: Span) {
        if self.newer_feature.is_none() {
            self.newer_feature = Some((what(), span));
        }
    }
}

/// The document's id when it does not say.
const DOCUMENT: &str = "SPDXRef-DOCUMENT";

/// Builds the document. Never fails: everything that does not fit is a
/// diagnostic.
pub(super) fn assemble(name: &str, source: &SourceText, parts: Parts<'_>) -> Document {
    let Parts {
        format,
        spec_version,
        serial_number,
        document_id,
        elements,
        relationships,
        describes,
        extracted,
        own,
        newer_feature,
        external_docs,
        mut diagnostics,
    } = parts;
    let document_id = document_id.as_deref().unwrap_or(DOCUMENT);

    // Only files and snippets can be left out (see [`chosen`]). Without
    // them every element is kept whatever the relationships say, so the
    // components are taken out, given their licence fields and indexed
    // while the relationships are normalised: one after the other, the
    // normalising was about 100 ms of one core alone at a million
    // packages (`benches/timeline.sh`). The licence notes follow the
    // relationships' either way, as when the two were made in turn.
    let mut notes = Vec::new();
    let all_packages = elements.iter().all(|e| e.kind == ElementKind::Package);
    let (raw_edges, wanted_roots, (components, ties, local)) = if all_packages {
        let ((edges, mut roots), taken) = rayon::join(
            || normalise(relationships, document_id, &mut diagnostics),
            || indexed(take_all(elements), &extracted, &mut notes),
        );
        roots.extend(describes);
        (edges, roots, taken)
    } else {
        let (edges, mut roots) = normalise(relationships, document_id, &mut diagnostics);
        roots.extend(describes);
        let keep = chosen(&elements, &edges, &roots);
        let taken = indexed(take_components(elements, &keep), &extracted, &mut notes);
        (edges, roots, taken)
    };
    diagnostics.append(&mut notes);
    // The look-ups first, on every core: at a million components each
    // one misses the cache, and made one after another they were most of
    // assembling (docs/performance.md). Then the edges are made from what
    // was found ([`made_edges`]).
    let mut references = Vec::new();
    let found: Vec<[u32; 2]> = raw_edges
        .par_chunks(LOOK_UP_BATCH)
        .flat_map_iter(|batch| found_indexes(&local, batch))
        .collect();
    let edges = made_edges(&local, raw_edges, &found, ties, &mut references);
    drop(found);

    let roots = roots(&components, &local, wanted_roots, &mut diagnostics);
    if let Some(note) = version_mismatch(spec_version.as_deref(), newer_feature) {
        diagnostics.push(note);
    }
    // Document order, whichever step noticed what (stable: a place with
    // two notes keeps the order they were found in).
    diagnostics.sort_by_key(|d| d.span.map_or(0, |s| s.offset()));
    Document {
        name: name.to_owned(),
        source: source.clone(),
        own_text: own,
        format,
        spec_version,
        serial_number,
        roots,
        components,
        relationships: edges,
        references,
        diagnostics,
        external_docs,
        bom_refs: local.into_bom_refs(),
    }
}

/// The edges of `raw_edges`, given what [`found_indexes`] found for their
/// ends (`found`), then the `contains` edges of the components' `ties`.
///
/// Made on every core, each edge whose ends were both found at once. An
/// end that names no component of the document is kept as a reference,
/// into `references`: those edges (few, and none in most documents) are
/// finished after, in order, so that the references keep the order of
/// the relationships. Made one after another, the edges of a
/// million-package document were about 200 ms of one core while the
/// other waited (`benches/timeline.sh`).
fn made_edges<'s>(
    local: &LocalRefs,
    mut raw_edges: Vec<RawEdge<'s>>,
    found: &[[u32; 2]],
    ties: Vec<Ties<'_>>,
    references: &mut Vec<Reference>,
) -> Vec<Relationship> {
    let tied = ties.iter().map(Ties::count).sum::<usize>();
    let mut edges = Vec::with_capacity(raw_edges.len() + tied);
    let end = |found: u32| match found {
        NOT_FOUND => NodeRef::Ref(u32::MAX),
        i => NodeRef::Index(i),
    };
    edges.par_extend(
        raw_edges
            .par_iter()
            .zip(found)
            .map(|(e, &[from, to])| Relationship {
                from: end(from),
                to: end(to),
                kind: e.kind,
                span: e.span,
            }),
    );
    let unfound: Vec<usize> = found
        .par_iter()
        .enumerate()
        .filter(|(_, ends)| ends.contains(&NOT_FOUND))
        .map(|(i, _)| i)
        .collect();
    for i in unfound {
        let (Some(edge), Some(raw), Some(&[from, to])) =
            (edges.get_mut(i), raw_edges.get_mut(i), found.get(i))
        else {
            continue;
        };
        let taken = |id: &mut IdRef<'s>| IdRef {
            value: std::mem::take(&mut id.value),
            span: id.span,
        };
        edge.from = made_end(local, taken(&mut raw.from), from, references);
        edge.to = made_end(local, taken(&mut raw.to), to, references);
    }
    drop(raw_edges);
    for (index, tie) in ties.into_iter().enumerate() {
        tie.edges(index, local, &mut edges, references);
    }
    edges
}

/// A component index [`found_indexes`] did not find (or could not hold).
const NOT_FOUND: u32 = u32::MAX;

/// How many edges' ends are looked up together ([`found_indexes`]).
const LOOK_UP_BATCH: usize = 512;

/// The indexes of the components the ends of `edges` name, as `u32`s
/// (the look-ups of a million edges are kept in 8 bytes each);
/// [`NOT_FOUND`] for an end that names none. Looked up a batch at a time
/// ([`LocalRefs::indexes`]), so that at a million components the cache
/// misses of a step are in flight together, as the CycloneDX reader's
/// are.
fn found_indexes(local: &LocalRefs, edges: &[RawEdge<'_>]) -> Vec<[u32; 2]> {
    let keys: Vec<&str> = edges
        .iter()
        .flat_map(|e| [&*e.from.value, &*e.to.value])
        .collect();
    let mut found = vec![None; keys.len()];
    local.indexes(&keys, &mut found);
    let index = |found: Option<&Option<usize>>| {
        found
            .copied()
            .flatten()
            .and_then(|i| u32::try_from(i).ok())
            .filter(|&i| i != NOT_FOUND)
            .unwrap_or(NOT_FOUND)
    };
    found
        .chunks(2)
        .map(|ends| [index(ends.first()), index(ends.get(1))])
        .collect()
}

/// The end `id` names, given what [`found_indexes`] found for it. What it
/// did not find is asked again, which copies the reference into
/// `references` for the graph.
fn made_end(
    local: &LocalRefs,
    id: IdRef<'_>,
    found: u32,
    references: &mut Vec<Reference>,
) -> NodeRef {
    match found {
        NOT_FOUND => local.end(id.value, id.span, references),
        i => NodeRef::Index(i),
    }
}

/// What a kept element says about others once its component is taken
/// out of it.
#[derive(Debug)]
struct Ties<'s> {
    license_refs: Vec<IdRef<'s>>,
    has_files: Vec<IdRef<'s>>,
    from_file: Option<IdRef<'s>>,
    /// The containing package's component index.
    member_of: Option<usize>,
    header: Span,
}

impl Ties<'_> {
    /// How many edges [`Ties::edges`] makes.
    fn count(&self) -> usize {
        self.has_files.len()
            + usize::from(self.member_of.is_some())
            + usize::from(self.from_file.is_some())
    }

    /// The `contains` edges of component `index`: to its `hasFiles`, from
    /// the package it follows (tag-value), from the file a snippet is in.
    /// They come after the relationships, so that where both name the same
    /// pair, the relationship's kind is the one the graph keeps.
    fn edges(
        self,
        index: usize,
        local: &LocalRefs,
        edges: &mut Vec<Relationship>,
        references: &mut Vec<Reference>,
    ) {
        for file in self.has_files {
            edges.push(Relationship {
                from: NodeRef::index(index),
                span: file.span,
                to: local.end(file.value, file.span, references),
                kind: EdgeKind::Contains,
            });
        }
        if let Some(package) = self.member_of {
            edges.push(Relationship {
                from: NodeRef::index(package),
                to: NodeRef::index(index),
                kind: EdgeKind::Contains,
                span: self.header,
            });
        }
        if let Some(file) = self.from_file {
            let span = file.span;
            edges.push(Relationship {
                from: local.end(file.value, span, references),
                to: NodeRef::index(index),
                kind: EdgeKind::Contains,
                span,
            });
        }
    }
}

/// The components of the kept elements, in element order, each with its
/// [`Ties`] (element indexes turned into component indexes).
fn take_components<'s>(
    elements: Vec<Element<'s>>,
    keep: &[bool],
) -> (Vec<Component>, Vec<Ties<'s>>) {
    if keep.iter().all(|&k| k) {
        return take_all(elements);
    }
    take_kept(elements, keep)
}

/// The components taken out, given the extracted licence fields of the
/// `LicenseRef-`s they use (notes into `notes`), with their table of
/// bom-refs: ends are resolved as the edges are made, an end naming a
/// component becoming its index, its string never copied.
fn indexed<'s>(
    (mut components, ties): (Vec<Component>, Vec<Ties<'s>>),
    extracted: &HashMap<String, Vec<Field>>,
    notes: &mut Vec<Diagnostic>,
) -> (Vec<Component>, Vec<Ties<'s>>, LocalRefs) {
    let undefined = &mut HashSet::new();
    for (component, tie) in components.iter_mut().zip(&ties) {
        resolve_license_refs(component, &tie.license_refs, extracted, undefined, notes);
    }
    let local = LocalRefs::new(&components);
    (components, ties, local)
}

/// [`take_components`] one element at a time, the kept ones renumbered.
fn take_kept<'s>(elements: Vec<Element<'s>>, keep: &[bool]) -> (Vec<Component>, Vec<Ties<'s>>) {
    let mut new_index: Vec<Option<usize>> = Vec::with_capacity(elements.len());
    let mut next = 0;
    for &k in keep {
        new_index.push(k.then_some(next));
        next += usize::from(k);
    }
    let mut components = Vec::with_capacity(next);
    let mut ties = Vec::with_capacity(next);
    for (element, &k) in elements.into_iter().zip(keep) {
        if !k {
            continue;
        }
        let member_of = element
            .member_of
            .and_then(|p| new_index.get(p).copied().flatten());
        let (component, tie) = element.split(member_of);
        components.push(component);
        ties.push(tie);
    }
    (components, ties)
}

/// [`take_components`] when every element is kept (nearly always: only
/// files and snippets that nothing names are left out): each index stays
/// what it was, and the components are moved out on every core. At a
/// million packages the move is 150 MB into fresh pages, which took one
/// core about 200 ms while the other waited (docs/performance.md).
fn take_all(elements: Vec<Element<'_>>) -> (Vec<Component>, Vec<Ties<'_>>) {
    let len = elements.len();
    let mut components = Vec::with_capacity(len);
    let mut ties = Vec::with_capacity(len);
    elements
        .into_par_iter()
        .map(|element| {
            let member_of = element.member_of.filter(|&p| p < len);
            element.split(member_of)
        })
        .unzip_into_vecs(&mut components, &mut ties);
    (components, ties)
}

/// Maps every relationship to an edge (flipping inverse types), or to a
/// root for `DESCRIBES` / `DESCRIBED_BY` of this document. Skipped, by
/// design: ends that are `NONE` / `NOASSERTION` (they assert that there is
/// nothing, or nothing known), and relationships of the document itself
/// other than describing (`SPDXRef-DOCUMENT AMENDS …`, `… COPY_OF …`,
/// `CONTAINS`): they are about the document, which is no component, and
/// what the document contains is already its components.
fn normalise<'s>(
    raw: Vec<RawRelationship<'s>>,
    document_id: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<RawEdge<'s>>, Vec<IdRef<'s>>) {
    let mut roots = Vec::new();
    // Collected in place (the edges reuse the relationships' buffer), so
    // the two never take memory at once.
    let edges = raw.into_iter().filter_map(|r| {
        let mapping = match r.kind {
            RelationshipType::Known(mapping) => mapping,
            RelationshipType::Unknown(kind) => {
                diagnostics.push(Diagnostic::warning(
                    "unknown-relationship-type",
                    format!(
                        "unknown SPDX relationship type {:?}; this relationship is skipped",
                        kind.value
                    ),
                    Some(kind.span),
                ));
                return None;
            }
        };
        if super::fields::is_absent(&r.from.value) || super::fields::is_absent(&r.to.value) {
            return None;
        }
        // The reserved id names the document too, whatever its SPDXID says.
        let is_document = |end: &IdRef| end.value == document_id || end.value == DOCUMENT;
        let (from, to, kind) = match mapping {
            Mapping::Describes if is_document(&r.from) => {
                roots.push(r.to);
                return None;
            }
            Mapping::DescribedBy if is_document(&r.to) => {
                roots.push(r.from);
                return None;
            }
            // An element that says it describes another: kept as written.
            Mapping::Describes => (r.from, r.to, EdgeKind::Other),
            Mapping::DescribedBy => (r.to, r.from, EdgeKind::Other),
            Mapping::Edge { kind, flip: false } => (r.from, r.to, kind),
            Mapping::Edge { kind, flip: true } => (r.to, r.from, kind),
        };
        if is_document(&from) || is_document(&to) {
            return None;
        }
        Some(RawEdge {
            from,
            to,
            kind,
            span: r.span,
        })
    });
    (edges.collect(), roots)
}

/// Which elements become components: every package; a file or snippet
/// when something names it (see the module docs).
fn chosen(elements: &[Element<'_>], edges: &[RawEdge<'_>], roots: &[IdRef<'_>]) -> Vec<bool> {
    // Only files and snippets can be left out, so only their ids are
    // looked for: a set as big as the files and snippets (none, in most
    // big SBOMs) rather than one of every relationship end, which at a
    // million relationships was a 256 MB table missing the cache on every
    // insert.
    fn id<'a>(e: &'a Element<'_>) -> Option<&'a str> {
        e.component.bom_ref.as_deref()
    }
    let candidates: HashSet<&str> = elements
        .iter()
        .filter(|e| e.kind != ElementKind::Package)
        .filter_map(id)
        .collect();
    let mut named: HashSet<&str> = HashSet::new();
    if !candidates.is_empty() {
        let ends = edges.iter().flat_map(|e| [&*e.from.value, &*e.to.value]);
        let listed = elements.iter().flat_map(|e| e.has_files.iter());
        let mentioned = ends.chain(roots.iter().chain(listed).map(|r| &*r.value));
        named.extend(mentioned.filter(|v| candidates.contains(v)));
    }
    let is_named =
        |e: &Element<'_>, named: &HashSet<&str>| id(e).is_some_and(|v| named.contains(v));
    // A snippet that is kept keeps the file it comes from.
    let snippet_files: Vec<&str> = elements
        .iter()
        .filter(|e| e.kind == ElementKind::Snippet && is_named(e, &named))
        .filter_map(|e| e.from_file.as_ref().map(|f| &*f.value))
        .collect();
    named.extend(snippet_files);
    elements
        .iter()
        .map(|e| match e.kind {
            ElementKind::Package => true,
            ElementKind::File => e.member_of.is_some() || is_named(e, &named),
            ElementKind::Snippet => is_named(e, &named),
        })
        .collect()
}

/// Gives a component the extracted-license fields of the `LicenseRef-`s
/// it uses, once each. A `LicenseRef-` the document never defines is
/// reported once.
fn resolve_license_refs(
    component: &mut Component,
    used: &[IdRef<'_>],
    extracted: &HashMap<String, Vec<Field>>,
    undefined: &mut HashSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if used.is_empty() {
        return;
    }
    let mut seen = HashSet::with_capacity(used.len());
    for id in used {
        if !seen.insert(&*id.value) {
            continue;
        }
        match extracted.get(&*id.value) {
            Some(fields) => component.fields.extend(fields.iter().cloned()),
            None => {
                if undefined.insert(id.value.to_string()) {
                    diagnostics.push(Diagnostic::warning(
                        "undefined-license-ref",
                        format!(
                            "{} is used but the document has no extracted licensing info for it",
                            id.value
                        ),
                        Some(id.span),
                    ));
                }
            }
        }
    }
    // Document order, wherever the extracted infos stand.
    component.fields.sort_by_key(|f| f.span.offset());
}

/// The component indexes of the described products, in the order named,
/// each once. A name no component has is a diagnostic.
fn roots(
    components: &[Component],
    local: &LocalRefs,
    wanted: Vec<IdRef<'_>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut roots = Vec::with_capacity(wanted.len());
    // Some generators describe every package: no scan of `roots` per name.
    let mut is_root = vec![false; components.len()];
    for id in wanted {
        match local.index(&id.value) {
            Some(i) => {
                if let Some(seen @ false) = is_root.get_mut(i) {
                    *seen = true;
                    roots.push(i);
                }
            }
            None if id.value.starts_with("DocumentRef-") => diagnostics.push(Diagnostic::warning(
                "unresolved-external-ref",
                format!(
                    "the document describes '{}', an element of another document; \
                     it is not used as a root",
                    id.value
                ),
                Some(id.span),
            )),
            None => diagnostics.push(Diagnostic::warning(
                "dangling-ref",
                format!(
                    "the document describes '{}', which no package, file or snippet in it has",
                    id.value
                ),
                Some(id.span),
            )),
        }
    }
    roots
}

/// An info when a document that says SPDX 2.0–2.2 uses something SPDX 2.3
/// introduced: it was probably written against 2.3 and labelled wrongly.
fn version_mismatch(version: Option<&str>, newer: Option<(String, Span)>) -> Option<Diagnostic> {
    let version = version?.trimmed();
    let (what, span) = newer?;
    let older = ["SPDX-2.0", "SPDX-2.1", "SPDX-2.2"]
        .iter()
        .any(|v| v.eq_ignore_ascii_case(version));
    older.then(|| {
        Diagnostic::info(
            "spec-version-mismatch",
            format!("{what} is new in SPDX 2.3, but the document says {version}; read anyway"),
            Some(span),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Elements of every kind, with ties of every sort, and `member_of`
    /// inside and past the list.
    fn elements(source: &str, n: usize) -> Vec<Element<'_>> {
        let kinds = [
            ElementKind::Package,
            ElementKind::File,
            ElementKind::Snippet,
        ];
        let id = |i: usize| IdRef {
            value: Cow::Owned(format!("SPDXRef-{i}")),
            span: Span::new(i, 3),
        };
        (0..n)
            .map(|i| {
                let mut e = Element::new(kinds[i % 3], Span::new(i, 1), source);
                e.component.bom_ref = Some(format!("SPDXRef-{i}").into());
                e.member_of = [None, Some(i / 2), Some(n + i)][i % 3];
                if i % 4 == 0 {
                    e.license_refs.push(id(i + 1));
                    e.has_files.push(id(i + 2));
                }
                e.from_file = (i % 5 == 0).then(|| id(i + 3));
                e.header = Span::new(i, 2);
                e
            })
            .collect()
    }

    #[test]
    fn taking_all_on_every_core_is_taking_each_in_turn() {
        let n = 3000;
        let keep = vec![true; n];
        let (all, all_ties) = take_components(elements("x", n), &keep);
        let (each, each_ties) = take_kept(elements("x", n), &keep);
        assert_eq!(format!("{all:?}"), format!("{each:?}"));
        assert_eq!(format!("{all_ties:?}"), format!("{each_ties:?}"));
        assert_eq!(all_ties[5].member_of, None, "past the list");
        assert_eq!(all_ties[4].member_of, Some(2));
        // One element left out: the general path, indexes renumbered.
        let mut keep = keep;
        keep[1] = false;
        let (some, some_ties) = take_components(elements("x", n), &keep);
        assert_eq!(some.len(), n - 1);
        assert_eq!(
            some_ties[3].member_of,
            Some(1),
            "element 4's package is now at 1"
        );
    }
}
