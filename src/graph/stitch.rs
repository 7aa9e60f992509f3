//! Stitching: the edges that join the documents of one audit into one
//! graph (DESIGN.md, "Stitching documents").
//!
//! - **CycloneDX BOM-Link** `urn:cdx:<serial>/<version>[#<bom-ref>]`, in a
//!   dependency's `ref` / `dependsOn` or in a `bom` external reference
//!   (which the reader turns into a `bom_link` relationship), names the
//!   given document whose `serialNumber` is `urn:uuid:<serial>`: its
//!   component with that bom-ref, or without a fragment its roots. The
//!   reader keeps no BOM `version`, so only the serial is matched: several
//!   given documents with one serial (versions of one BOM) are all linked.
//! - **SPDX** `DocumentRef-x:SPDXRef-y` names, through the referring
//!   document's `externalDocumentRefs` (given as [`ExternalRefs`]), the
//!   given document whose `documentNamespace` is the declared one: its
//!   element `SPDXRef-y`, or its roots for `SPDXRef-DOCUMENT`. A declared
//!   SHA1 checksum is checked against the given document's text (the
//!   bytes of the file: `Document::source` is the file as read); a
//!   mismatch is an `external-checksum-mismatch` warning and the link is
//!   still made (it is most likely another revision of that document).
//! - **Identity**: see [`identity`].
//!
//! A resolved reference keeps its relationship's kind (a dependency on a
//! component of another BOM is still `depends_on`); every edge made here
//! that joins two documents counts as a link for the root rule (report
//! contract: DocumentRef links count as `bom_link` there).
//!
//! A reference into a document that is not among the inputs is an
//! `unresolved-external-ref` warning naming the document, once per
//! referring document and missing document (at the first reference, with
//! the number of references); a fragment or element the linked document
//! does not have is a `dangling-ref`.
//!
//! Cost: one hash map over the documents' serials, lookups per reference,
//! SHA-1 of a document at most once; identity is one pass over the
//! components (see [`identity`]).

use std::collections::HashMap;

use super::refs::{ref_word, RefIndex};
use super::{Builder, End, NodeId};
use crate::model::{Diagnostic, Document, EdgeKind, Span};

mod bomlink;
mod identity;
#[cfg(test)]
mod tests;

/// The external documents one document declares, by id (SPDX
/// `DocumentRef-x`).
pub type ExternalRefs = HashMap<String, ExternalDoc>;

/// One SPDX `externalDocumentRefs` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalDoc {
    /// `spdxDocument`: the `documentNamespace` of the referenced document.
    pub namespace: String,
    /// The checksum of the referenced document's file, if declared.
    pub checksum: Option<Checksum>,
    /// The entry's text in the declaring document, for diagnostics.
    pub span: Option<Span>,
}

/// A checksum as an SBOM declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checksum {
    /// As written (`SHA1`); only SHA-1 is checked.
    pub algorithm: String,
    /// Hex digits, either case.
    pub value: String,
}

/// A relationship of document `doc` with at least one end in another
/// document, waiting for phase 4.
#[derive(Debug)]
pub(super) struct Pending<'r> {
    pub(super) doc: usize,
    pub(super) kind: EdgeKind,
    pub(super) from: End<'r>,
    pub(super) to: End<'r>,
}

/// What stitching reads, indexed like the documents given to the build.
pub(super) struct Inputs<'a, 'd> {
    pub(super) docs: &'d [Document],
    /// The canonical document order.
    pub(super) order: &'a [usize],
    pub(super) refs: &'a [RefIndex<'d>],
    pub(super) externals: &'a [ExternalRefs],
    /// Each document's roots (phase 3), sorted.
    pub(super) roots: &'a [Vec<NodeId>],
}

/// Phase 4: resolve the pending references, check declared checksums, and
/// link by identity.
pub(super) fn run(b: &mut Builder, inputs: &Inputs<'_, '_>, pending: Vec<Pending<'_>>) {
    let catalog = Catalog::new(inputs);
    check_checksums(b, inputs, &catalog);
    let mut resolver = Resolver {
        inputs,
        catalog: &catalog,
        missing: HashMap::new(),
    };
    let mut from = Vec::new();
    let mut to = Vec::new();
    for p in pending {
        resolver.end(b, p.doc, p.from, &mut from);
        resolver.end(b, p.doc, p.to, &mut to);
        for &f in &from {
            for &t in &to {
                b.stitch(f, t, p.kind);
            }
        }
    }
    resolver.count_missing(b);
    identity::link(b, inputs);
}

/// The given documents by what references name them with. Each list is in
/// canonical order.
struct Catalog<'d> {
    /// CycloneDX serial UUID, lower-cased.
    by_uuid: HashMap<String, Vec<usize>>,
    /// SPDX `documentNamespace` (any document's serial number), trimmed.
    by_namespace: HashMap<&'d str, Vec<usize>>,
}

impl<'d> Catalog<'d> {
    fn new(inputs: &Inputs<'_, 'd>) -> Self {
        let mut by_uuid: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_namespace: HashMap<&'d str, Vec<usize>> = HashMap::new();
        for &d in inputs.order {
            let Some(serial) = inputs
                .docs
                .get(d)
                .and_then(|doc| doc.serial_number.as_deref())
            else {
                continue;
            };
            if let Some(uuid) = bomlink::serial_key(serial) {
                by_uuid.entry(uuid).or_default().push(d);
            }
            let serial = serial.trim();
            if !serial.is_empty() {
                by_namespace.entry(serial).or_default().push(d);
            }
        }
        Catalog {
            by_uuid,
            by_namespace,
        }
    }

    fn by_uuid(&self, serial: &str) -> &[usize] {
        self.by_uuid
            .get(&serial.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    fn by_namespace(&self, namespace: &str) -> &[usize] {
        self.by_namespace
            .get(namespace.trim())
            .map_or(&[], Vec::as_slice)
    }
}

/// Resolves the external ends of pending relationships.
struct Resolver<'i, 'a, 'd> {
    inputs: &'i Inputs<'a, 'd>,
    catalog: &'i Catalog<'d>,
    /// (referring document, missing document) -> (its diagnostic's index in
    /// `Builder::diagnostics`, how many references).
    missing: HashMap<(usize, String), (usize, usize)>,
}

impl Resolver<'_, '_, '_> {
    /// The nodes one end names (none, one, or a linked document's roots),
    /// into `out` (cleared first).
    fn end(&mut self, b: &mut Builder, d: usize, end: End<'_>, out: &mut Vec<NodeId>) {
        out.clear();
        match end {
            End::Node(n) => out.push(n),
            End::Missing => {}
            End::External { value, span } => match bomlink::parse(value) {
                Some(link) => self.bom_link(b, d, &link, value, span, out),
                None => self.document_ref(b, d, value, span, out),
            },
        }
    }

    fn bom_link(
        &mut self,
        b: &mut Builder,
        d: usize,
        link: &bomlink::BomLink<'_>,
        value: &str,
        span: Span,
        out: &mut Vec<NodeId>,
    ) {
        let targets = self.catalog.by_uuid(link.serial);
        if targets.is_empty() {
            let document = format!("urn:uuid:{}", link.serial.to_ascii_lowercase());
            let version = link
                .version
                .map_or(String::new(), |v| format!(" version {v}"));
            let message = format!(
                "BOM-Link points to document {document}{version}, which is not among the inputs; \
                 audit it too to follow this path"
            );
            self.missing(b, d, document, message, span);
            return;
        }
        for &t in targets {
            match link.fragment {
                None => out.extend(self.roots(t)),
                Some(fragment) => {
                    let decoded = bomlink::percent_decode(fragment);
                    let found = self
                        .component(b, t, fragment)
                        .or_else(|| self.component(b, t, &decoded));
                    match found {
                        Some(n) => out.push(n),
                        None => b.diagnostics.push((
                            d,
                            Diagnostic::warning(
                                "dangling-ref",
                                format!(
                                    "BOM-Link '{value}' names bom-ref '{decoded}' in {}, which no component there has",
                                    self.name(t)
                                ),
                                Some(span),
                            ),
                        )),
                    }
                }
            }
        }
    }

    fn document_ref(
        &mut self,
        b: &mut Builder,
        d: usize,
        value: &str,
        span: Span,
        out: &mut Vec<NodeId>,
    ) {
        let Some((id, element)) = value.split_once(':') else {
            return;
        };
        let declared = self.inputs.externals.get(d).and_then(|e| e.get(id));
        let Some(external) = declared else {
            let message = format!(
                "reference '{value}' names external document '{id}', which this document does not \
                 declare in its externalDocumentRefs; it is not followed"
            );
            self.missing(b, d, id.to_owned(), message, span);
            return;
        };
        let targets = self.catalog.by_namespace(&external.namespace);
        if targets.is_empty() {
            let namespace = external.namespace.trim();
            let message = format!(
                "{id} points to document {namespace}, which is not among the inputs; \
                 audit it too to follow this path"
            );
            self.missing(b, d, namespace.to_owned(), message, span);
            return;
        }
        for &t in targets {
            match self.component(b, t, element) {
                Some(n) => out.push(n),
                None if element == "SPDXRef-DOCUMENT" => out.extend(self.roots(t)),
                None => b.diagnostics.push((
                    d,
                    Diagnostic::warning(
                        "dangling-ref",
                        format!(
                            "reference '{value}' names {} '{element}' in {}, which no element there has",
                            self.inputs
                                .refs
                                .get(t)
                                .map_or("SPDXID", |r| ref_word(r.format())),
                            self.name(t)
                        ),
                        Some(span),
                    ),
                )),
            }
        }
    }

    /// The node of the component of document `t` that carries `r`.
    fn component(&self, b: &Builder, t: usize, r: &str) -> Option<NodeId> {
        let i = self.inputs.refs.get(t)?.get(r)?;
        b.component_nodes.get(t)?.get(i)
    }

    fn roots(&self, t: usize) -> impl Iterator<Item = NodeId> + '_ {
        self.inputs.roots.get(t).into_iter().flatten().copied()
    }

    fn name(&self, t: usize) -> &str {
        self.inputs.docs.get(t).map_or("?", |doc| doc.name.as_str())
    }

    /// A reference into a document that is not given (or not declared):
    /// one diagnostic per referring document and missing document.
    fn missing(
        &mut self,
        b: &mut Builder,
        d: usize,
        document: String,
        message: String,
        span: Span,
    ) {
        let index = b.diagnostics.len();
        let entry = self.missing.entry((d, document)).or_insert((index, 0));
        entry.1 += 1;
        if entry.1 == 1 {
            b.diagnostics.push((
                d,
                Diagnostic::warning("unresolved-external-ref", message, Some(span)),
            ));
        }
    }

    /// Say how many references each missing document had, where more than
    /// one.
    fn count_missing(&self, b: &mut Builder) {
        for &(index, count) in self.missing.values() {
            if count > 1 {
                if let Some((_, diag)) = b.diagnostics.get_mut(index) {
                    diag.message
                        .push_str(&format!(" ({count} references; this is the first)"));
                }
            }
        }
    }
}

/// Check every declared SHA-1 checksum whose document is given; a
/// mismatch is a warning on the declaring document. Each document is
/// hashed at most once.
fn check_checksums(b: &mut Builder, inputs: &Inputs<'_, '_>, catalog: &Catalog<'_>) {
    let mut digests: Vec<Option<String>> = vec![None; inputs.docs.len()];
    for &d in inputs.order {
        let Some(externals) = inputs.externals.get(d) else {
            continue;
        };
        let mut declared: Vec<(&String, &ExternalDoc)> = externals.iter().collect();
        declared.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (id, external) in declared {
            let Some(checksum) = external.checksum.as_ref().filter(|c| is_sha1(&c.algorithm))
            else {
                continue;
            };
            for &t in catalog.by_namespace(&external.namespace) {
                let (Some(doc), Some(slot)) = (inputs.docs.get(t), digests.get_mut(t)) else {
                    continue;
                };
                let digest = slot.get_or_insert_with(|| {
                    sha1_smol::Sha1::from(doc.source.as_bytes())
                        .digest()
                        .to_string()
                });
                let declared = checksum.value.trim();
                if !declared.eq_ignore_ascii_case(digest) {
                    b.diagnostics.push((
                        d,
                        Diagnostic::warning(
                            "external-checksum-mismatch",
                            format!(
                                "{id} declares SHA1 {declared} for {}, but the given {} has SHA1 {digest}; \
                                 it may be another revision of that document (linked anyway)",
                                external.namespace.trim(),
                                doc.name
                            ),
                            external.span,
                        ),
                    ));
                }
            }
        }
    }
}

/// `SHA1`, `SHA-1`, `sha1`, …
fn is_sha1(algorithm: &str) -> bool {
    let alg = algorithm.trim();
    alg.eq_ignore_ascii_case("sha1") || alg.eq_ignore_ascii_case("sha-1")
}
