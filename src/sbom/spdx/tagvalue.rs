//! SPDX 2.x tag-value, read line by line into the same [`Parts`] as JSON.
//!
//! A section starts with its first tag (`PackageName:`, `FileName:`,
//! `SnippetSPDXID:`, `LicenseID:`, `Relationship:`, `Annotator:`,
//! `Reviewer:`); the tags after it belong to it. By the tag-value rules
//! the files right after a package belong to that package: each such file
//! gets a `contains` edge from it (JSON says the same with `hasFiles`).
//!
//! Lenient on order: a tag that can only belong to one kind of element
//! (`PackageVersion`, `FileChecksum`, `SnippetName`, `ExtractedText`)
//! goes to the latest element of that kind even when another section came
//! in between, so a `Relationship:` line among a package's tags loses
//! nothing. A tag with no element to go to is a `misplaced-tag`
//! diagnostic; an unknown tag an `unknown-tag` note (once per tag); a
//! line that is not `Tag: value` a `malformed-line` warning.
//!
//! Spans: a field's span is the value as written (for `<text>` values
//! with the tags; for checksums, external references and relationship
//! ends the token itself); an element's span runs from its first line to
//! the last line of a tag that went to it (blank lines and comments after
//! it are left out); a relationship's span is its line.

use std::collections::{HashMap, HashSet};

use super::assemble::{Element, ElementKind, IdRef, Parts, RawRelationship, RelationshipType};
use super::fields::{self, RefPaths, EXTRACTED_TEXT_LIMIT};
use super::lines::{Line, Lines, TagLine};
use super::relationships;
use crate::model::{Diagnostic, ExternalDocRef, Field, FieldKind, Format, Level, Span, Text};
use crate::sbom::json::span_in;

const REFS: RefPaths = RefPaths {
    purl: "ExternalRef",
    cpe22: "ExternalRef",
    cpe23: "ExternalRef",
    url: "ExternalRef",
};

/// How many malformed lines are reported one by one; the rest are
/// counted in one last diagnostic, so a damaged file does not drown the
/// report.
const MALFORMED_SHOWN: usize = 20;

/// Reads a tag-value document. Never fails (see the module docs).
pub(super) fn read(source: &str) -> Parts<'_> {
    let mut r = Reader {
        source,
        parts: Parts::new(Format::SpdxTagValue),
        section: Section::Document,
        latest: HashMap::new(),
        last_element: None,
        license: None,
        version_span: None,
        unknown: HashSet::new(),
        malformed: Vec::new(),
    };
    let mut lines = Lines::new(source);
    for line in lines.by_ref() {
        match line {
            Line::Tag(tag) => r.tag(tag),
            Line::Junk(span) => r.malformed.push(span),
        }
    }
    r.parts.diagnostics.append(&mut lines.diagnostics);
    r.finish()
}

/// The section the latest section-starting tag opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    /// Before any other section: document creation information.
    Document,
    /// A package, file or snippet (index into the elements).
    Element(usize),
    License,
    Relationship,
    Annotation,
    Review,
}

/// An extracted licensing info being read.
struct License {
    id: String,
    fields: Vec<Field>,
}

struct Reader<'s> {
    source: &'s str,
    parts: Parts<'s>,
    section: Section,
    /// The latest element of each kind (index into the elements).
    latest: HashMap<ElementKind, usize>,
    last_element: Option<usize>,
    license: Option<License>,
    version_span: Option<Span>,
    /// Unknown tags already reported.
    unknown: HashSet<&'s str>,
    malformed: Vec<Span>,
}

impl<'s> Reader<'s> {
    /// `ExternalDocumentRef: DocumentRef-x <namespace> SHA1: <hex>`.
    fn external_doc(&mut self, value: &str, span: Span) {
        let mut words = value.split_whitespace();
        let (Some(id), Some(namespace)) = (words.next(), words.next()) else {
            self.parts.diagnostics.push(Diagnostic::warning(
                "malformed-value",
                "`ExternalDocumentRef:` needs `DocumentRef-<id> <namespace> <algorithm>: <checksum>`",
                Some(span),
            ));
            return;
        };
        let checksum = match (words.next(), words.next()) {
            (Some(alg), Some(hex)) => Some((alg.trim_end_matches(':').to_owned(), hex.to_owned())),
            (Some(joined), None) => joined
                .split_once(':')
                .map(|(alg, hex)| (alg.to_owned(), hex.to_owned())),
            _ => None,
        };
        self.parts.external_docs.push(ExternalDocRef {
            id: id.to_owned(),
            namespace: namespace.to_owned(),
            checksum,
            span,
        });
    }

    fn tag(&mut self, t: TagLine<'s>) {
        use ElementKind::{File, Package, Snippet};
        let (value, span) = (t.value, t.value_span);
        match t.tag {
            // Document creation information.
            "SPDXVersion" => {
                if self.parts.spec_version.is_none() {
                    self.parts.spec_version = Some(value.to_owned());
                    self.version_span = Some(span);
                }
            }
            "DocumentNamespace" => {
                if self.parts.serial_number.is_none() && !value.is_empty() {
                    self.parts.serial_number = Some(value.to_owned());
                }
            }
            "SPDXID" => self.spdxid(&t),
            "ExternalDocumentRef" => self.external_doc(value, span),

            // Section starts.
            "PackageName" => {
                let e = self.open(Package, &t);
                self.name(e, "PackageName", &t);
            }
            "FileName" => {
                let package = self.latest.get(&Package).copied();
                let e = self.open(File, &t);
                self.name(e, "FileName", &t);
                if let Some(e) = self.parts.elements.get_mut(e) {
                    e.member_of = package;
                }
            }
            "SnippetSPDXID" => {
                let e = self.open(Snippet, &t);
                if let Some(e) = self.parts.elements.get_mut(e) {
                    e.component.bom_ref = (!value.is_empty()).then(|| Text::from(value));
                }
            }
            "LicenseID" => self.open_license(&t),
            "Relationship" => {
                self.section = Section::Relationship;
                self.relationship(&t);
            }
            "Annotator" => self.section = Section::Annotation,
            "Reviewer" => self.section = Section::Review,

            "PackageVersion" => self.with(Package, &t, |e, _| {
                e.component.version = (!value.is_empty()).then(|| Text::from(value));
            }),
            "PackageChecksum" => self.checksum(Package, "PackageChecksum", &t),
            "FileChecksum" => self.checksum(File, "FileChecksum", &t),
            "ExternalRef" => self.external_ref(&t),
            "SnippetFromFileSPDXID" => self.with(Snippet, &t, |e, _| {
                e.from_file = (!value.is_empty()).then(|| IdRef {
                    value: value.to_owned().into(),
                    span,
                });
            }),
            "PrimaryPackagePurpose" | "ReleaseDate" | "BuiltDate" | "ValidUntilDate" => {
                let what = t.tag;
                self.parts.newer(|| format!("`{what}`"), span);
                self.with(Package, &t, |_, _| {});
            }
            // Other licensing information detected.
            "LicenseName" => self.license_field("LicenseName", &t),
            "ExtractedText" => self.license_field("ExtractedText", &t),

            _ => self.other(t),
        }
    }

    /// A tag that is one element field, or one oemtrace does not read.
    fn other(&mut self, t: TagLine<'s>) {
        let (value, span) = (t.value, t.value_span);
        if let Some((path, kind, put)) = field_tag(t.tag) {
            self.with(kind, &t, |e, own| match put {
                Put::Name => e.name(path, value, span, own),
                Put::Text(field) => e.text(field, path, value, span, own),
                Put::Party(field) => e.party(field, path, value, span, own),
                Put::License => e.license(path, value, span, own),
            });
            return;
        }
        // Known tags oemtrace does not read, and unknown ones (a newer
        // version's, most likely) still belong to the section they are in.
        self.grow_section(&t);
        if !is_known(t.tag) && self.unknown.insert(t.tag) {
            self.parts.diagnostics.push(Diagnostic::info(
                "unknown-tag",
                format!("unknown tag `{}`; skipped", t.tag),
                Some(span_in(self.source, t.tag)),
            ));
        }
    }

    /// Starts a new element section at `t` and returns its index.
    fn open(&mut self, kind: ElementKind, t: &TagLine<'_>) -> usize {
        // The section before is most likely complete: its fields' vector
        // gives back its unused tail while reading goes on (as the JSON
        // reader's `push` does). A later tag for it only grows it again.
        if let Some(previous) = self.parts.elements.last_mut() {
            previous.component.fields.shrink_to_fit();
        }
        let index = self.parts.elements.len();
        self.parts
            .elements
            .push(Element::new(kind, t.span, self.source));
        self.latest.insert(kind, index);
        self.last_element = Some(index);
        self.section = Section::Element(index);
        index
    }

    /// The name on an element's first line; an empty one is reported.
    fn name(&mut self, index: usize, path: &'static str, t: &TagLine<'_>) {
        if t.value.is_empty() {
            self.parts.diagnostics.push(Diagnostic::warning(
                "missing-field",
                format!("`{path}:` is empty; the element has no name"),
                Some(t.span),
            ));
        } else if let Some(e) = self.parts.elements.get_mut(index) {
            e.name(path, t.value, t.value_span, &mut self.parts.own);
        }
    }

    /// Gives `t` to the latest element of `kind`, growing its span to
    /// cover the tag's line(s).
    /// `f` is given the element and the document's own text.
    fn with(
        &mut self,
        kind: ElementKind,
        t: &TagLine<'_>,
        f: impl FnOnce(&mut Element, &mut String),
    ) {
        let element = self
            .latest
            .get(&kind)
            .and_then(|&i| self.parts.elements.get_mut(i));
        let Some(e) = element else {
            let what = match kind {
                ElementKind::Package => "package (`PackageName:`)",
                ElementKind::File => "file (`FileName:`)",
                ElementKind::Snippet => "snippet (`SnippetSPDXID:`)",
            };
            self.parts.diagnostics.push(Diagnostic::warning(
                "misplaced-tag",
                format!("`{}` comes before any {what}; skipped", t.tag),
                Some(t.span),
            ));
            return;
        };
        grow(&mut e.component.span, t.span);
        f(e, &mut self.parts.own);
    }

    /// Grows the span of the element whose section `t` is in.
    fn grow_section(&mut self, t: &TagLine<'_>) {
        if let Section::Element(i) = self.section {
            if let Some(e) = self.parts.elements.get_mut(i) {
                grow(&mut e.component.span, t.span);
            }
        }
    }

    /// `SPDXID` names the document in its header and the element whose
    /// section it is in; after a relationship or annotation it goes to the
    /// latest element if that has none yet.
    fn spdxid(&mut self, t: &TagLine<'_>) {
        let id = t.value;
        if id.is_empty() {
            return;
        }
        let target = match self.section {
            Section::Document => None,
            Section::Element(i) => Some(i),
            _ => self.last_element,
        };
        match target {
            None if self.parts.document_id.is_none() => {
                self.parts.document_id = Some(id.to_owned())
            }
            Some(i) => match self.parts.elements.get_mut(i) {
                Some(e) if e.component.bom_ref.is_none() => {
                    grow(&mut e.component.span, t.span);
                    e.component.bom_ref = Some(id.into());
                }
                _ => self.misplaced_id(t),
            },
            None => self.misplaced_id(t),
        }
    }

    fn misplaced_id(&mut self, t: &TagLine<'_>) {
        self.parts.diagnostics.push(Diagnostic::warning(
            "misplaced-tag",
            format!(
                "`SPDXID: {}` comes where the element it would name has one already; skipped",
                t.value
            ),
            Some(t.span),
        ));
    }

    /// `Relationship: A TYPE B`.
    fn relationship(&mut self, t: &TagLine<'_>) {
        let mut tokens = t.value.split_whitespace();
        let (Some(from), Some(kind), Some(to)) = (tokens.next(), tokens.next(), tokens.next())
        else {
            self.malformed_value(t, "`Relationship:` needs `A TYPE B`; skipped");
            return;
        };
        if tokens.next().is_some() {
            self.malformed_value(
                t,
                "`Relationship:` has more than `A TYPE B`; the rest is ignored",
            );
        }
        let id = |token: &str| IdRef {
            value: token.to_owned().into(),
            span: span_in(self.source, token),
        };
        let (from, kind, to) = (id(from), id(kind), id(to));
        let (mapping, new) = relationships::classified(&kind.value);
        if new {
            let what = format!("relationship type {}", kind.value);
            self.parts.newer(|| what, kind.span);
        }
        self.parts.relationships.push(RawRelationship {
            from,
            kind: RelationshipType::of(mapping, kind),
            to,
            span: t.span,
        });
    }

    /// `ExternalRef: CATEGORY TYPE LOCATOR`, located at the locator.
    fn external_ref(&mut self, t: &TagLine<'_>) {
        let mut tokens = t.value.splitn(3, char::is_whitespace);
        let (Some(_category), Some(ty), Some(locator)) =
            (tokens.next(), tokens.next(), tokens.next())
        else {
            self.malformed_value(t, "`ExternalRef:` needs `CATEGORY TYPE LOCATOR`; skipped");
            return;
        };
        let locator = locator.trim();
        let span = span_in(self.source, locator);
        self.with(ElementKind::Package, t, |e, own| {
            e.external_ref(ty, locator, span, &REFS, own)
        });
    }

    /// `…Checksum: ALG: hex`, located at the hex value.
    fn checksum(&mut self, kind: ElementKind, path: &'static str, t: &TagLine<'_>) {
        let Some((algorithm, hex)) = t.value.split_once(':') else {
            self.malformed_value(t, "a checksum needs `ALGORITHM: value`; skipped");
            return;
        };
        let (algorithm, hex) = (algorithm.trim(), hex.trim());
        if algorithm.is_empty() || hex.is_empty() {
            self.malformed_value(t, "a checksum needs `ALGORITHM: value`; skipped");
            return;
        }
        if fields::algorithm_new_in_2_3(algorithm) {
            let what = format!("checksum algorithm {algorithm}");
            self.parts.newer(|| what, span_in(self.source, algorithm));
        }
        let span = span_in(self.source, hex);
        self.with(kind, t, |e, own| {
            e.checksum(path, algorithm, hex, span, own)
        });
    }

    /// `LicenseID:` starts an extracted licensing info.
    fn open_license(&mut self, t: &TagLine<'_>) {
        self.flush_license();
        self.section = Section::License;
        if t.value.is_empty() {
            self.parts.diagnostics.push(Diagnostic::warning(
                "missing-field",
                "`LicenseID:` is empty; no license can use what follows",
                Some(t.span),
            ));
            return;
        }
        self.license = Some(License {
            id: t.value.to_owned(),
            fields: Vec::with_capacity(2),
        });
    }

    /// `LicenseName:` / `ExtractedText:` of the current licensing info.
    fn license_field(&mut self, path: &'static str, t: &TagLine<'_>) {
        let Some(license) = self.license.as_mut() else {
            self.parts.diagnostics.push(Diagnostic::warning(
                "misplaced-tag",
                format!("`{}` comes before any `LicenseID:`; skipped", t.tag),
                Some(t.span),
            ));
            return;
        };
        if !fields::is_absent(t.value) {
            license.fields.push(Field::new(
                FieldKind::License,
                path,
                fields::truncated(t.value, EXTRACTED_TEXT_LIMIT),
                t.value_span,
                self.source,
                &mut self.parts.own,
            ));
        }
    }

    fn flush_license(&mut self) {
        if let Some(License { id, fields }) = self.license.take() {
            // The first definition of an id wins, as in JSON.
            self.parts.extracted.entry(id).or_insert(fields);
        }
    }

    fn malformed_value(&mut self, t: &TagLine<'_>, message: &str) {
        self.parts.diagnostics.push(Diagnostic::warning(
            "malformed-value",
            message.to_owned(),
            Some(t.span),
        ));
    }

    fn finish(mut self) -> Parts<'s> {
        self.flush_license();
        let version = self.parts.spec_version.as_deref();
        let start = Some(self.version_span.unwrap_or_default());
        if let Some(note) = fields::version_note(version, "SPDXVersion", start) {
            self.parts.diagnostics.push(note);
        }
        for span in self.malformed.iter().take(MALFORMED_SHOWN) {
            self.parts.diagnostics.push(Diagnostic::warning(
                "malformed-line",
                "not a `Tag: value` line; skipped",
                Some(*span),
            ));
        }
        if let Some(first_unshown) = self.malformed.get(MALFORMED_SHOWN) {
            let more = self.malformed.len() - MALFORMED_SHOWN;
            self.parts.diagnostics.push(Diagnostic {
                level: Level::Warning,
                code: "malformed-line",
                message: format!("{more} more lines are not `Tag: value` lines; skipped"),
                span: Some(*first_unshown),
            });
        }
        self.parts
    }
}

/// How a field tag's value goes into its element.
#[derive(Clone, Copy)]
enum Put {
    Name,
    Text(FieldKind),
    Party(FieldKind),
    License,
}

/// The tags that are one field of one kind of element: the path (the tag
/// itself, as a static string), the element kind and how the value goes in.
fn field_tag(tag: &str) -> Option<(&'static str, ElementKind, Put)> {
    use ElementKind::{File, Package, Snippet};
    use FieldKind as K;
    Some(match tag {
        "PackageSupplier" => ("PackageSupplier", Package, Put::Party(K::Supplier)),
        "PackageOriginator" => ("PackageOriginator", Package, Put::Party(K::Originator)),
        "PackageDownloadLocation" => ("PackageDownloadLocation", Package, Put::Text(K::Url)),
        "PackageHomePage" => ("PackageHomePage", Package, Put::Text(K::Url)),
        "PackageLicenseConcluded" => ("PackageLicenseConcluded", Package, Put::License),
        "PackageLicenseDeclared" => ("PackageLicenseDeclared", Package, Put::License),
        "PackageLicenseInfoFromFiles" => ("PackageLicenseInfoFromFiles", Package, Put::License),
        "PackageCopyrightText" => ("PackageCopyrightText", Package, Put::Text(K::Copyright)),
        "PackageSummary" => ("PackageSummary", Package, Put::Text(K::Description)),
        "PackageDescription" => ("PackageDescription", Package, Put::Text(K::Description)),
        "LicenseConcluded" => ("LicenseConcluded", File, Put::License),
        "LicenseInfoInFile" => ("LicenseInfoInFile", File, Put::License),
        "FileCopyrightText" => ("FileCopyrightText", File, Put::Text(K::Copyright)),
        "FileNotice" => ("FileNotice", File, Put::Text(K::Copyright)),
        "FileContributor" => ("FileContributor", File, Put::Text(K::Author)),
        "SnippetName" => ("SnippetName", Snippet, Put::Name),
        "SnippetLicenseConcluded" => ("SnippetLicenseConcluded", Snippet, Put::License),
        "LicenseInfoInSnippet" => ("LicenseInfoInSnippet", Snippet, Put::License),
        "SnippetCopyrightText" => ("SnippetCopyrightText", Snippet, Put::Text(K::Copyright)),
        _ => return None,
    })
}

/// Grows `span` to end where `line` ends, if that is further.
fn grow(span: &mut Span, line: Span) {
    if line.end() > span.end() {
        *span = Span::new(span.offset(), line.end() - span.offset());
    }
}

/// Every other tag SPDX 2.0–2.3 defines: read past without a note.
fn is_known(tag: &str) -> bool {
    matches!(
        tag,
        "DataLicense"
            | "DocumentName"
            | "LicenseListVersion"
            | "Creator"
            | "Created"
            | "CreatorComment"
            | "DocumentComment"
            | "PackageFileName"
            | "FilesAnalyzed"
            | "PackageVerificationCode"
            | "PackageSourceInfo"
            | "PackageLicenseComments"
            | "PackageComment"
            | "ExternalRefComment"
            | "PackageAttributionText"
            | "FileType"
            | "LicenseComments"
            | "ArtifactOfProjectName"
            | "ArtifactOfProjectHomePage"
            | "ArtifactOfProjectURI"
            | "FileComment"
            | "FileAttributionText"
            | "FileDependency"
            | "SnippetByteRange"
            | "SnippetLineRange"
            | "SnippetLicenseComments"
            | "SnippetComment"
            | "SnippetAttributionText"
            | "LicenseCrossReference"
            | "LicenseComment"
            | "RelationshipComment"
            | "AnnotationDate"
            | "AnnotationType"
            | "SPDXREF"
            | "AnnotationComment"
            | "ReviewDate"
            | "ReviewComment"
    )
}
