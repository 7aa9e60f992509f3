//! Resolving the ends of a document's relationships within the document:
//! component indexes and bom-refs / SPDXIDs. References into other
//! documents (CycloneDX BOM-Link, SPDX `DocumentRef-x:SPDXRef-y`) are told
//! apart here and resolved by [`super::stitch`].
//!
//! One [`RefIndex`] per document, built once, so that resolving a
//! relationship is a hash lookup, never a scan of the components.

use std::sync::Arc;

use crate::model::ref_table::RefTable;
use crate::model::{BomRefs, Diagnostic, Document, Format, NodeRef, Reference, Span};

/// A document's bom-refs (or SPDXIDs), each mapped to the first component
/// that carries it.
///
/// The same table as the readers' (see [`RefTable`]), and where it can
/// be the very table the reader built (see [`BomRefs`]): a look-up per
/// relationship end that stayed a reference, and per BOM-Link into the
/// document.
pub(super) struct RefIndex<'d> {
    by_ref: Arc<RefTable>,
    /// The document's references, which [`NodeRef::Ref`] ends name.
    references: &'d [Reference],
    format: Format,
}

/// Why one end of a relationship names no component of its document.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Unresolved<'r> {
    /// `NodeRef::Index` past the end of the components (a reader bug; the
    /// graph reports it rather than trusting it).
    NoSuchIndex { index: usize, count: usize },
    /// `NodeRef::Ref` past the end of the document's references (a reader
    /// bug, reported like the above).
    NoSuchReference { slot: usize },
    /// A reference no component of the document carries.
    Dangling { value: &'r str, span: Span },
}

/// What one end of a relationship names.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Target<'r> {
    /// Component `i` of the same document.
    Local(usize),
    /// A reference into another document (BOM-Link, SPDX DocumentRef),
    /// left to [`super::stitch`], which knows the other documents.
    External { value: &'r str, span: Span },
}

impl<'d> RefIndex<'d> {
    /// Index the refs of `doc`: the reader's table `kept` when it was
    /// built over these very components, else a new one. A ref that a
    /// second component repeats is a `duplicate-ref` diagnostic on that
    /// component, and resolves to the first.
    pub(super) fn new(doc: &'d Document, kept: &BomRefs, diags: &mut Vec<Diagnostic>) -> Self {
        let by_ref = kept
            .for_components(&doc.components)
            .unwrap_or_else(|| Arc::new(RefTable::new(&doc.components)));
        for c in by_ref.repeats().filter_map(|i| doc.components.get(i)) {
            let r = c.bom_ref.as_deref().unwrap_or_default();
            diags.push(Diagnostic::warning(
                "duplicate-ref",
                format!(
                    "{} '{r}' is used by more than one component; references to it resolve to the first",
                    ref_word(doc.format)
                ),
                Some(c.span),
            ));
        }
        RefIndex {
            by_ref,
            references: &doc.references,
            format: doc.format,
        }
    }

    pub(super) fn format(&self) -> Format {
        self.format
    }

    /// What `r` names, in a document of `count` components. A reference
    /// that some component carries is local even if it looks external.
    pub(super) fn resolve(&self, r: NodeRef, count: usize) -> Result<Target<'d>, Unresolved<'d>> {
        match r {
            NodeRef::Index(i) if (i as usize) < count => Ok(Target::Local(i as usize)),
            NodeRef::Index(i) => Err(Unresolved::NoSuchIndex {
                index: i as usize,
                count,
            }),
            NodeRef::Ref(slot) => {
                let Some(Reference { value, span }) = self.references.get(slot as usize) else {
                    return Err(Unresolved::NoSuchReference {
                        slot: slot as usize,
                    });
                };
                if let Some(i) = self.get(value) {
                    return Ok(Target::Local(i));
                }
                let span = *span;
                match external_document(value) {
                    Some(_) => Ok(Target::External { value, span }),
                    None => Err(Unresolved::Dangling { value, span }),
                }
            }
        }
    }

    /// The component that carries bom-ref (or SPDXID) `r`, if any.
    pub(super) fn get(&self, r: &str) -> Option<usize> {
        self.by_ref.get(r)
    }
}

impl Unresolved<'_> {
    /// The diagnostic for a relationship end that resolved to nothing;
    /// `rel_span` is the relationship's own text, for ends without a span.
    pub(super) fn diagnostic(&self, format: Format, rel_span: Span) -> Diagnostic {
        match self {
            Unresolved::NoSuchIndex { index, count } => Diagnostic::warning(
                "dangling-ref",
                format!("relationship names component #{index}, but the document has only {count} components"),
                Some(rel_span),
            ),
            Unresolved::NoSuchReference { slot } => Diagnostic::warning(
                "dangling-ref",
                format!("relationship names reference #{slot}, which the document does not have"),
                Some(rel_span),
            ),
            Unresolved::Dangling { value, span } => {
                let (what, owner) = match format {
                    Format::CyclonedxJson | Format::CyclonedxXml => ("dependency", "component"),
                    Format::SpdxJson | Format::SpdxTagValue => ("relationship", "element"),
                };
                Diagnostic::warning(
                    "dangling-ref",
                    format!("{what} names {} '{value}', which no {owner} has", ref_word(format)),
                    Some(*span),
                )
            }
        }
    }
}

/// What the format calls a component's id.
pub(super) fn ref_word(format: Format) -> &'static str {
    match format {
        Format::CyclonedxJson | Format::CyclonedxXml => "bom-ref",
        Format::SpdxJson | Format::SpdxTagValue => "SPDXID",
    }
}

/// The document a reference points into, if it names one: a CycloneDX
/// BOM-Link `urn:cdx:serial/version#bom-ref` (the part before `#`; a link
/// to a whole BOM has no `#`), or an SPDX `DocumentRef-x:SPDXRef-y` (the
/// part before `:`).
pub(super) fn external_document(value: &str) -> Option<&str> {
    const BOM_LINK: &str = "urn:cdx:";
    let is_bom_link = value
        .get(..BOM_LINK.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(BOM_LINK));
    if is_bom_link {
        return Some(value.split_once('#').map_or(value, |(doc, _)| doc));
    }
    if value.starts_with("DocumentRef-") {
        return value.split_once(':').map(|(doc, _)| doc);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_link_names_the_bom_without_the_fragment() {
        assert_eq!(
            external_document("urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg-a"),
            Some("urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1")
        );
        assert_eq!(external_document("URN:CDX:3e67/2"), Some("URN:CDX:3e67/2"));
    }

    #[test]
    fn spdx_document_ref_names_the_document() {
        assert_eq!(
            external_document("DocumentRef-engine:SPDXRef-core"),
            Some("DocumentRef-engine")
        );
        // Without the element part it is not a reference to an element.
        assert_eq!(external_document("DocumentRef-engine"), None);
    }

    #[test]
    fn plain_refs_are_not_external() {
        assert_eq!(external_document("pkg:npm/left-pad@1.0.0"), None);
        assert_eq!(external_document("SPDXRef-Package"), None);
        assert_eq!(external_document("urn:uuid:1234"), None);
        assert_eq!(external_document("ürn"), None);
        assert_eq!(external_document(""), None);
    }
}
