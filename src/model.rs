//! The data model every stage shares: documents, components, their
//! identifying fields, and the relationships between them.
//!
//! Readers (`sbom::*`) produce it, the matcher and the graph consume it.
//! Everything here is plain data: no I/O, no formatting. Every component,
//! field and relationship keeps the byte [`Span`] of the text it came from,
//! so that a finding can point into the very line of the SBOM that gave it
//! away.

use std::fmt;

use serde::Serialize;

mod field_path;
pub(crate) mod ref_table;
mod source_text;
#[cfg(test)]
pub(crate) mod testing;
mod trimmed;

pub use field_path::FieldPath;
pub use ref_table::BomRefs;
pub use source_text::SourceText;
pub(crate) use trimmed::Trimmed;

/// A string of the model: a component's name, a field's value.
///
/// Most SBOM strings are short (licence ids, names, versions, hashes'
/// algorithms), and a `CompactString` keeps up to 24 bytes inline, in the
/// space a `String` takes for its pointer. At 100,000 components that is
/// about half a million heap allocations fewer, and cloning the name,
/// group and purl into their fields copies bytes instead of allocating
/// (docs/performance.md). It derefs to `str` like a `String`.
pub type Text = compact_str::CompactString;

/// A byte range in a document's source text.
///
/// Spans are offsets into [`Document::source`]; turn them into line and
/// column with [`crate::sbom::span::LineIndex`].
///
/// Two `u32`s: every component, field and relationship keeps one, and at
/// two `usize`s they were 7 MB of a 100,000-component model and 9 MiB of
/// its audit's peak memory (docs/performance.md). A source is therefore at most [`Span::MAX`]
/// bytes; `sbom::read` refuses a longer one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    offset: u32,
    len: u32,
}

impl Span {
    /// The longest source a span can point into: 4 GiB - 1.
    pub const MAX: usize = u32::MAX as usize;

    /// The span of `len` bytes at `offset`. Both are clamped to
    /// [`Span::MAX`], which no source `sbom::read` accepts reaches.
    pub const fn new(offset: usize, len: usize) -> Self {
        Span {
            offset: clamp_u32(offset),
            len: clamp_u32(len),
        }
    }

    /// The start offset.
    pub const fn offset(&self) -> usize {
        self.offset as usize
    }

    /// The length in bytes.
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether the span covers no byte.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The end offset (exclusive).
    pub const fn end(&self) -> usize {
        self.offset() + self.len()
    }

    /// The byte range, for slicing the source.
    pub const fn range(&self) -> std::ops::Range<usize> {
        self.offset()..self.end()
    }
}

const fn clamp_u32(x: usize) -> u32 {
    if x > Span::MAX {
        u32::MAX
    } else {
        x as u32
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        miette::SourceSpan::new(s.offset().into(), s.len())
    }
}

/// The SBOM formats oemtrace reads. Detected from content, never from the
/// file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    CyclonedxJson,
    CyclonedxXml,
    SpdxJson,
    SpdxTagValue,
}

impl Format {
    /// The name used in reports (`inputs[].format`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::CyclonedxJson => "cyclonedx-json",
            Format::CyclonedxXml => "cyclonedx-xml",
            Format::SpdxJson => "spdx-json",
            Format::SpdxTagValue => "spdx-tag-value",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One SBOM document, read leniently.
#[derive(Clone, Debug)]
pub struct Document {
    /// The name the user gave (a path as typed), used in every report.
    pub name: String,
    /// The whole source text; spans index into it.
    pub source: SourceText,
    /// The field values the source does not spell (escapes decoded, hashes
    /// as `ALG:hex`), one after the other: [`Value::Own`] ranges index
    /// into it. Read a value with [`Document::texts`].
    pub own_text: String,
    pub format: Format,
    /// `specVersion` / `spdxVersion` as written (e.g. `"1.5"`, `"SPDX-2.3"`).
    pub spec_version: Option<String>,
    /// CycloneDX `serialNumber` or SPDX `documentNamespace`.
    pub serial_number: Option<String>,
    /// Indexes into `components` of the products this document describes
    /// (CycloneDX `metadata.component`; SPDX `DESCRIBES`). Empty when the
    /// document names none: the graph then uses the unreached components.
    pub roots: Vec<usize>,
    pub components: Vec<Component>,
    pub relationships: Vec<Relationship>,
    /// The text of every relationship end that stayed a reference
    /// ([`NodeRef::Ref`] is a slot here).
    pub references: Vec<Reference>,
    /// What the reader noticed and skipped (unknown versions, wrong types
    /// in optional fields, ...). A document with diagnostics is still read.
    pub diagnostics: Vec<Diagnostic>,
    /// SPDX `externalDocumentRefs`: the other documents this one names as
    /// `DocumentRef-x`, for stitching a delivery of several documents.
    pub external_docs: Vec<ExternalDocRef>,
    /// The reader's table of the components' bom-refs, for the graph
    /// (see [`BomRefs`]); `BomRefs::default()` for a document made
    /// otherwise.
    pub bom_refs: BomRefs,
}

impl Document {
    /// The texts its field values are ranges of (see [`Value`]).
    pub fn texts(&self) -> Texts<'_> {
        Texts {
            source: &self.source,
            own: &self.own_text,
        }
    }

    /// The reference a [`NodeRef::Ref`] end names (`None` for an index, or
    /// for a slot the table does not have).
    pub fn reference(&self, end: NodeRef) -> Option<&Reference> {
        match end {
            NodeRef::Ref(slot) => self.references.get(slot as usize),
            NodeRef::Index(_) => None,
        }
    }
}

/// One SPDX `externalDocumentRefs` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalDocRef {
    /// `DocumentRef-x`.
    pub id: String,
    /// `spdxDocument`: the referenced document's `documentNamespace`.
    pub namespace: String,
    /// The declared checksum of the referenced file, `(algorithm, hex)`.
    pub checksum: Option<(String, String)>,
    pub span: Span,
}

/// Why a component is in a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Role {
    /// A part of the described product (the normal case).
    #[default]
    Part,
    /// A CycloneDX pedigree ancestor or variant: not a part of the product,
    /// reached only through its `white_label_of` / `variant_of` edge. Such a
    /// component is never hung off the root as an implicit part.
    Pedigree,
}

/// One component (CycloneDX component, SPDX package/file/snippet).
#[derive(Clone, Debug, Default)]
pub struct Component {
    /// CycloneDX `bom-ref`, SPDX `SPDXID`.
    pub bom_ref: Option<Text>,
    pub name: Text,
    pub group: Option<Text>,
    pub version: Option<Text>,
    /// The purl as written, only when no [`FieldKind::Purl`] field carries
    /// it (a blank purl, which identifies nothing, or a component built
    /// without fields). Read a component's purl with [`Component::purl`].
    ///
    /// Kept once: a copy beside the field was 5 MiB of the peak memory of
    /// a 100,000-component CycloneDX audit (docs/performance.md). Boxed,
    /// not a [`Text`]: it is nearly always `None`, and `None` is 16 bytes
    /// instead of 24.
    pub unfielded_purl: Option<Box<str>>,
    /// The whole component object (JSON object, XML element, tag-value block).
    pub span: Span,
    /// Every identifying field, in document order: the evidence candidates
    /// the matcher looks at. `name`, `group` and `purl` appear here too.
    pub fields: Vec<Field>,
    pub role: Role,
}

impl Component {
    /// The component's purl: its first purl field (the readers put the
    /// component's own purl first), else the unfielded one. `texts` are
    /// those of the component's document.
    pub fn purl<'a>(&'a self, texts: Texts<'a>) -> Option<&'a str> {
        match self.field(FieldKind::Purl) {
            Some(f) => Some(f.value(texts)),
            None => self.unfielded_purl.as_deref(),
        }
    }

    /// The first field of a kind, if any.
    pub fn field(&self, kind: FieldKind) -> Option<&Field> {
        self.fields.iter().find(|f| f.kind == kind)
    }
}

/// A field that can identify who made, owns or licenses a component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub kind: FieldKind,
    /// Where in the component it sits, in the SBOM's own words
    /// (`"supplier.name"`, `"licenses.license.licensing.licensor.organization.name"`).
    pub path: FieldPath,
    /// The value; read it with [`Field::value`].
    pub value: Value,
    /// The span of the value's text (for JSON: the string literal).
    pub span: Span,
}

/// Where a [`Field`]'s value is: a range of one of its document's two
/// [`Texts`].
///
/// Most values are written in the SBOM as they are read (no escapes, no
/// entities): those stay a range of the document's source, with no copy
/// and no allocation. At 100,000 components the copies were most of the
/// model's strings, a heap allocation per purl, URL and description. The
/// few values the source does not spell go into the document's
/// [`Document::own_text`], all in one string, so that a value of either
/// kind is twelve bytes and a [`Field`] twenty-four (docs/performance.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// Bytes of [`Document::source`].
    Source(Span),
    /// Bytes of [`Document::own_text`]: a value the source does not spell,
    /// escapes decoded, or made by the reader (a hash as `ALG:hex`).
    Own(Span),
}

/// The two texts a document's field values are ranges of (see [`Value`]):
/// its source, and the text its reader made ([`Document::own_text`]).
/// [`Document::texts`] gives them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Texts<'a> {
    pub source: &'a str,
    pub own: &'a str,
}

impl Field {
    /// A field whose value is `value`: a range of `source` when `value` is
    /// a slice of it, else a copy appended to `own` (the own text of the
    /// document being read).
    pub fn new(
        kind: FieldKind,
        path: &'static str,
        value: &str,
        span: Span,
        source: &str,
        own: &mut String,
    ) -> Field {
        Field {
            kind,
            path: FieldPath::of(path),
            value: Value::of(value, source, own),
            span,
        }
    }

    /// A field whose value is made, not read: it is appended to `own`.
    pub fn own(
        kind: FieldKind,
        path: &'static str,
        value: &str,
        span: Span,
        own: &mut String,
    ) -> Field {
        Field {
            kind,
            path: FieldPath::of(path),
            value: Value::own(value, own),
            span,
        }
    }

    /// A hash field, `ALG:hex`: the algorithm as written, the hex digits
    /// lower-cased. Made, not read: it is written straight into `own`.
    pub fn hash(
        path: &'static str,
        algorithm: &str,
        hex: &str,
        span: Span,
        own: &mut String,
    ) -> Field {
        let start = own.len();
        own.push_str(algorithm);
        own.push(':');
        // Copied whole, then lowered in place: with the digits pushed a
        // char at a time, this function took about 1,960 instructions a
        // call, 340 now (callgrind, 10k CycloneDX, docs/performance.md).
        let digits = own.len();
        own.push_str(hex);
        if let Some(pushed) = own.get_mut(digits..) {
            pushed.make_ascii_lowercase();
        }
        Field {
            kind: FieldKind::Hash,
            path: FieldPath::of(path),
            value: Value::Own(Span::new(start, own.len() - start)),
            span,
        }
    }

    /// The value, given the texts of the field's document.
    pub fn value<'a>(&self, texts: Texts<'a>) -> &'a str {
        self.value.get(texts)
    }
}

impl Value {
    /// `value` as a range of `source` when it is a slice of it, else as a
    /// copy appended to `own`.
    pub fn of(value: &str, source: &str, own: &mut String) -> Value {
        let start = (value.as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
        let inside = start <= source.len() && value.len() <= source.len() - start;
        if inside && !value.is_empty() && start + value.len() <= Span::MAX {
            Value::Source(Span::new(start, value.len()))
        } else {
            Value::own(value, own)
        }
    }

    /// `value`, appended to `own`.
    pub fn own(value: &str, own: &mut String) -> Value {
        let span = Span::new(own.len(), value.len());
        own.push_str(value);
        Value::Own(span)
    }

    /// The text, given the texts of the document the value belongs to. A
    /// range the text does not have reads as empty (it cannot happen for
    /// a value of that document).
    pub fn get<'a>(&self, texts: Texts<'a>) -> &'a str {
        let (text, span) = match *self {
            Value::Source(span) => (texts.source, span),
            Value::Own(span) => (texts.own, span),
        };
        text.get(span.range()).unwrap_or_default()
    }

    /// This value moved into a document whose own text already holds
    /// `own` bytes before the text it was read with (appending a chunk
    /// read on another core).
    pub fn moved(self, own: usize) -> Value {
        match self {
            Value::Source(_) => self,
            Value::Own(span) => Value::Own(Span::new(span.offset() + own, span.len())),
        }
    }
}

/// What a [`Field`] says about a component. Serialised in evidence as
/// snake_case (`"supplier"`, `"cpe"`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Name,
    Group,
    Purl,
    Cpe,
    Supplier,
    Manufacturer,
    Author,
    Publisher,
    /// SPDX `PackageOriginator`.
    Originator,
    /// The licensor of a CycloneDX `licensing` block (or an SPDX LicenseRef
    /// naming one).
    Licensor,
    Licensee,
    /// A license id, name or expression.
    License,
    /// CycloneDX `licensing.licenseTypes` (`oem`, `appliance`, ...).
    LicenseType,
    /// A hash as `ALG:hex` (algorithm as written, hex lower-cased).
    Hash,
    /// An external reference, homepage or download URL.
    Url,
    Copyright,
    Description,
}

impl FieldKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            FieldKind::Name => "name",
            FieldKind::Group => "group",
            FieldKind::Purl => "purl",
            FieldKind::Cpe => "cpe",
            FieldKind::Supplier => "supplier",
            FieldKind::Manufacturer => "manufacturer",
            FieldKind::Author => "author",
            FieldKind::Publisher => "publisher",
            FieldKind::Originator => "originator",
            FieldKind::Licensor => "licensor",
            FieldKind::Licensee => "licensee",
            FieldKind::License => "license",
            FieldKind::LicenseType => "license_type",
            FieldKind::Hash => "hash",
            FieldKind::Url => "url",
            FieldKind::Copyright => "copyright",
            FieldKind::Description => "description",
        }
    }
}

/// One end of a relationship as the document wrote it.
///
/// Eight bytes: a relationship has two, and a big SBOM four or more
/// relationships per component, so the ends are a large part of the
/// model. A reference keeps its text in [`Document::references`] rather
/// than in the end itself: boxed there, it made every end 16 bytes and a
/// [`Relationship`] 56; as a slot in that table, 8 and 40 (28 since
/// spans are two `u32`s; docs/performance.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeRef {
    /// A component of the same document, already resolved by the reader
    /// (CycloneDX nesting, pedigree, and every end that names a bom-ref or
    /// SPDXID of its own document).
    Index(u32),
    /// A reference by id (`bom-ref`, `SPDXID`, BOM-Link URN,
    /// `DocumentRef-x:SPDXRef-y`), resolved by the graph: slot `n` of the
    /// document's [`Document::references`].
    ///
    /// Rare: the readers resolve every end that names a component of its
    /// own document to a [`NodeRef::Index`], so what stays a reference
    /// points into another document or nowhere.
    Ref(u32),
}

/// A relationship end by id, as the document wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub value: String,
    /// The reference's own text, for a dangling-ref diagnostic.
    pub span: Span,
}

impl NodeRef {
    /// Component `i` of the same document. An index past `u32::MAX` (no
    /// input oemtrace accepts has that many components) becomes one the
    /// graph reports as naming no component, never another component.
    pub fn index(i: usize) -> NodeRef {
        NodeRef::Index(u32::try_from(i).unwrap_or(u32::MAX))
    }

    /// An end by id: the reference goes into `references` (the document's
    /// table, see [`Document::references`]) and the end names its slot.
    pub fn reference(
        references: &mut Vec<Reference>,
        value: impl Into<String>,
        span: Span,
    ) -> NodeRef {
        let slot = u32::try_from(references.len()).unwrap_or(u32::MAX);
        references.push(Reference {
            value: value.into(),
            span,
        });
        NodeRef::Ref(slot)
    }

    /// This end moved into a document whose tables already hold
    /// `components` components and `references` references before the
    /// ones it was read with (appending a chunk read on another core).
    pub fn moved(self, components: usize, references: usize) -> NodeRef {
        let up = |i: u32, by: usize| u32::try_from(i as usize + by).unwrap_or(u32::MAX);
        match self {
            NodeRef::Index(i) => NodeRef::Index(up(i, components)),
            NodeRef::Ref(r) => NodeRef::Ref(up(r, references)),
        }
    }
}

/// A directed relationship, already normalised so that it walks from the
/// product towards its parts (`from` contains / depends on / embeds `to`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relationship {
    pub from: NodeRef,
    pub to: NodeRef,
    pub kind: EdgeKind,
    /// The relationship's own text (dependency entry, SPDX relationship).
    pub span: Span,
}

/// Normalised relationship kinds. Directions are normalised by the readers:
/// an edge always walks from product towards dependency / engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    Contains,
    DependsOn,
    /// CycloneDX 1.6 `provides` (a component provides a standard/spec).
    Provides,
    StaticLink,
    DynamicLink,
    BomLink,
    SameAs,
    Embeds,
    UsesSignatures,
    WhiteLabelOf,
    Resells,
    Bundles,
    VariantOf,
    CopyOf,
    DescendantOf,
    /// A relationship type the reader kept but has no closer kind for.
    Other,
}

impl EdgeKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Contains => "contains",
            EdgeKind::DependsOn => "depends_on",
            EdgeKind::Provides => "provides",
            EdgeKind::StaticLink => "static_link",
            EdgeKind::DynamicLink => "dynamic_link",
            EdgeKind::BomLink => "bom_link",
            EdgeKind::SameAs => "same_as",
            EdgeKind::Embeds => "embeds",
            EdgeKind::UsesSignatures => "uses_signatures",
            EdgeKind::WhiteLabelOf => "white_label_of",
            EdgeKind::Resells => "resells",
            EdgeKind::Bundles => "bundles",
            EdgeKind::VariantOf => "variant_of",
            EdgeKind::CopyOf => "copy_of",
            EdgeKind::DescendantOf => "descendant_of",
            EdgeKind::Other => "other",
        }
    }
}

impl fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Severity of a [`Diagnostic`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// Something an audit noticed that is not a finding: a skipped field, a
/// dangling reference, an unknown spec version. Always tied to a document;
/// `span` locates it where there is a place to point at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// A stable kebab-case code (`dangling-ref`, `unknown-spec-version`),
    /// documented in docs/diagnostics.md.
    pub code: &'static str,
    pub message: String,
    pub span: Option<Span>,
}

impl Diagnostic {
    pub fn warning(code: &'static str, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic {
            level: Level::Warning,
            code,
            message: message.into(),
            span,
        }
    }

    pub fn info(code: &'static str, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic {
            level: Level::Info,
            code,
            message: message.into(),
            span,
        }
    }
}

/// How sure a match is, in the contract's three tiers (report-contract.md,
/// "confidence"). Ordered: `Possible < Likely < Confirmed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// A fuzzy name, a mention in a description, copyright text or a URL.
    Possible,
    /// An engine or product name without a supporting identifier, a
    /// pedigree ancestor, a LicenseRef naming the owner, a grade-B record.
    Likely,
    /// A strong identifier: engine purl, the owner's purl namespace or CPE
    /// vendor, a known hash, the owner's legal-entity name as supplier,
    /// manufacturer, author, publisher or licensor, a grade-A record.
    Confirmed,
}

impl Confidence {
    pub const fn as_str(self) -> &'static str {
        match self {
            Confidence::Possible => "possible",
            Confidence::Likely => "likely",
            Confidence::Confirmed => "confirmed",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_stays_compact() {
        // Relationships, fields and components are most of a read
        // document's memory (docs/performance.md): a byte more here is
        // megabytes more per hundred thousand components.
        use std::mem::size_of;
        assert_eq!(size_of::<Span>(), 8);
        assert_eq!(size_of::<NodeRef>(), 8);
        assert_eq!(size_of::<Relationship>(), 28);
        assert_eq!(size_of::<Value>(), 12);
        assert_eq!(size_of::<Field>(), 24);
        assert_eq!(size_of::<Component>(), 152);
    }

    #[test]
    fn a_value_read_from_the_source_is_a_range_of_it() {
        let source = String::from(r#"{"name": "kav", "x": "k\u0061v"}"#);
        let mut own = String::from("earlier");
        fn texts<'a>(source: &'a str, own: &'a str) -> Texts<'a> {
            Texts { source, own }
        }
        let plain = &source[10..13];
        let v = Value::of(plain, &source, &mut own);
        assert_eq!(v, Value::Source(Span::new(10, 3)));
        assert_eq!(v.get(texts(&source, &own)), "kav");
        // The last bytes of the source are a range too.
        let tail = &source[source.len() - 1..];
        assert_eq!(
            Value::of(tail, &source, &mut own),
            Value::Source(Span::new(source.len() - 1, 1))
        );
        assert_eq!(own, "earlier", "nothing copied so far");
        // A decoded escape is not in the source: it is copied to the own
        // text, after what is there.
        let decoded = String::from("kav");
        let copied = Value::of(&decoded, &source, &mut own);
        assert_eq!(copied, Value::Own(Span::new(7, 3)));
        assert_eq!(copied.get(texts(&source, &own)), "kav");
        // Nor is a slice of another string that happens to be equal.
        let other = source.clone();
        let equal = Value::of(&other[10..13], &source, &mut own);
        assert_eq!(equal, Value::Own(Span::new(10, 3)));
        assert_eq!(
            Value::of("", &source, &mut own),
            Value::Own(Span::new(13, 0))
        );
        assert_eq!(own, "earlierkavkav");
        // Appended after 5 bytes of another chunk's own text, an own range
        // moves and a source range stays.
        assert_eq!(copied.moved(5), Value::Own(Span::new(12, 3)));
        assert_eq!(v.moved(5), v);
        // A range read against a shorter text reads as empty, never panics.
        let short = Texts {
            source: "{}",
            own: "",
        };
        assert_eq!(v.get(short), "");
        assert_eq!(copied.get(short), "");
    }

    #[test]
    fn spans_clamp_rather_than_wrap() {
        let s = Span::new(10, 5);
        assert_eq!(
            (s.offset(), s.len(), s.end(), s.range()),
            (10, 5, 15, 10..15)
        );
        assert!(Span::new(3, 0).is_empty());
        // Past `Span::MAX` (which `sbom::read` refuses) a span clamps.
        let far = Span::new(Span::MAX + 7, 1);
        assert_eq!(far.offset(), Span::MAX);
    }

    #[test]
    fn references_go_into_the_table_and_move_with_their_chunk() {
        let mut table = vec![Reference {
            value: "earlier".to_owned(),
            span: Span::new(0, 7),
        }];
        let end = NodeRef::reference(&mut table, "urn:cdx:x/1#a", Span::new(9, 13));
        assert_eq!(end, NodeRef::Ref(1));
        assert_eq!(table[1].value, "urn:cdx:x/1#a");
        // Appended after 5 components and 3 references.
        assert_eq!(end.moved(5, 3), NodeRef::Ref(4));
        assert_eq!(NodeRef::index(2).moved(5, 3), NodeRef::Index(7));
        // Never wraps onto another component.
        assert_eq!(
            NodeRef::Index(u32::MAX).moved(5, 3),
            NodeRef::Index(u32::MAX)
        );
        assert_eq!(NodeRef::index(usize::MAX), NodeRef::Index(u32::MAX));
    }
}
