//! Component → matches: which db records a component's own fields identify,
//! with what evidence and how sure.
//!
//! [`Matcher::new`] builds the look-up tables once ([`super::index`]);
//! [`Matcher::match_component`] then only looks keys up, so a component
//! costs the same whether the db holds ten records or ten thousand.
//!
//! Confidence follows the report contract ("confidence"):
//!
//! - `confirmed`: an engine's purl, a purl in the owner's namespace, the
//!   owner's CPE vendor, a known hash, the owner's legal-entity name as
//!   supplier, manufacturer, author, publisher, originator or licensor;
//! - `likely`: an engine or product name or alias (also a file, package or
//!   Java package name) as the component's name, a grade-B namespace, a
//!   licence text naming the owner;
//! - `possible`: the owner's name as tokens inside a longer name, a
//!   description or copyright text, a URL on one of the owner's domains.
//!
//! Every tier is capped by the grade of the sources behind the identifier
//! (grade B: at most `likely`) and, for third-party product records, by the
//! record's own grade and `max_confidence`.
//!
//! A third-party product record is a public fact about a product *and its
//! versions*, so its matches also pass the record's version range
//! ([`gate`]): in range (or no range), a name, purl, CPE, file or package
//! match reaches the record's confidence (grade A: `confirmed`); out of
//! range there is no match; a missing or unreadable version keeps the
//! match at `likely` at most, and the evidence says why.

use crate::model::{Component, Confidence, FieldKind, FieldPath, Span, Texts};

use super::ident::{hash_digest, parse_cpe, parse_purl, url_host};
use super::index::{Hit, Index};
use super::key_map::KeyMap;
use super::names::{normalize_into, LastNormalized};
use super::record::{Grade, IdKind};
use super::version::VersionCheck;
use super::{TargetId, VendorDb};
use crate::model::Trimmed;

mod gate;
mod maximal;

/// Matches components against one db.
#[derive(Debug)]
pub struct Matcher<'db> {
    db: &'db VendorDb,
    ix: Index,
}

/// One db record a component matched, with everything that points to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub target: TargetId,
    /// The strongest evidence's confidence.
    pub confidence: Confidence,
    /// Sorted by position in the SBOM.
    pub evidence: Vec<Evidence>,
}

/// One field of the component that matched a db identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// Which field kind matched.
    pub kind: FieldKind,
    /// The field's path (`Field::path`).
    pub field: &'static str,
    /// The field's value as written.
    pub value: String,
    /// What in the db it matched: the entity id for an entity name, else
    /// the identifier as the db writes it (alias, CPE vendor, namespace...).
    pub matched: String,
    /// The field's span.
    pub span: Span,
    pub confidence: Confidence,
    /// Why the confidence is what it is, when that is not obvious.
    pub note: Option<String>,
}

/// A field as the matcher sees it (a component's `name` and `purl` stand
/// in when no field of that kind carries them).
#[derive(Clone, Copy)]
struct FieldView<'c> {
    kind: FieldKind,
    path: FieldPath,
    value: &'c str,
    span: Span,
}

/// The buffers [`Matcher::match_with`] reuses from one component to the
/// next (one per thread), and what it remembers between them.
#[derive(Default)]
pub struct Scratch<'c> {
    fields: Vec<FieldView<'c>>,
    found: Vec<Found>,
    buf: String,
    key: String,
    memo: Memo<'c>,
    /// Component and purl names, normalised once when they are the same.
    names: LastNormalized,
}

/// What the fields of the kinds whose values repeat from one component to
/// the next ([`Memo::kept`]) found, by kind and value, so that each
/// distinct supplier, licence or copyright line is normalised and looked
/// up once per thread rather than once per component. In the synthetic
/// 10,000-component SBOM, about 9,600 such fields hold about 20 distinct
/// values (counted over the file's JSON).
///
/// A field's evidence depends on nothing but its kind and its value (the
/// rules in [`Cx`] read neither the component nor other fields), so
/// copying what an earlier field with both found, with this field's
/// index, is what looking it up again would find.
#[derive(Default)]
struct Memo<'c> {
    /// (kind, value) → the range of `found` holding its evidence.
    seen: foldhash::HashMap<(FieldKind, &'c str), (u32, u32)>,
    /// The evidence, its `field` left as it was when found.
    found: Vec<Found>,
}

impl<'c> Memo<'c> {
    /// Distinct values remembered before the memo starts afresh: it
    /// stays small however many distinct values a document has.
    const MAX_SEEN: usize = 4096;

    /// Whether fields of `kind` are remembered: kinds whose values are
    /// shared by many components. Names, purls, hashes, CPEs, URLs and
    /// descriptions are nearly always one component's own, and
    /// remembering them would cost a hash and an insert for no hit.
    fn kept(kind: FieldKind) -> bool {
        matches!(
            kind,
            FieldKind::Supplier
                | FieldKind::Manufacturer
                | FieldKind::Author
                | FieldKind::Publisher
                | FieldKind::Originator
                | FieldKind::Licensor
                | FieldKind::License
                | FieldKind::Copyright
                | FieldKind::Group
        )
    }

    /// Appends to `out` what a field of `kind` and `value` found before,
    /// as found by field `field`; false if nothing is remembered.
    fn replay(&self, kind: FieldKind, value: &str, field: usize, out: &mut Vec<Found>) -> bool {
        let Some(&(start, end)) = self.seen.get(&(kind, value)) else {
            return false;
        };
        let found = self
            .found
            .get(start as usize..end as usize)
            .unwrap_or_default();
        out.extend(found.iter().map(|f| Found { field, ..*f }));
        true
    }

    /// Remembers `found` as what a field of `kind` and `value` finds.
    fn remember(&mut self, kind: FieldKind, value: &'c str, found: &[Found]) {
        if self.seen.len() >= Self::MAX_SEEN {
            self.seen.clear();
            self.found.clear();
        }
        let start = self.found.len();
        self.found.extend_from_slice(found);
        let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(self.found.len())) else {
            return;
        };
        self.seen.insert((kind, value), (start, end));
    }
}

/// Evidence before it is turned into owned [`Evidence`].
#[derive(Clone, Copy, Debug)]
struct Found {
    target: TargetId,
    field: usize,
    /// The identifier that matched (its kind, grade and record cap).
    hit: Hit,
    /// The field rule's confidence before any cap.
    tier: Confidence,
    confidence: Confidence,
    note: Option<&'static str>,
    /// Product records only: how the component's version met the range.
    version: Option<VersionCheck>,
}

const NOTE_GRADE_B: &str = "grade-B source";
const NOTE_RECORD_CAP: &str = "capped by the product record (its grade or max_confidence)";
const NOTE_IN_TEXT: &str = "name inside a longer text";
const NOTE_JAVA: &str = "Java package prefix";
const NOTE_BRAND: &str = "brand name, not a legal-entity name";
const NOTE_DOMAIN: &str = "URL on the owner's domain";

impl<'db> Matcher<'db> {
    pub fn new(db: &'db VendorDb) -> Self {
        Matcher {
            db,
            ix: Index::build(db),
        }
    }

    /// The db this matcher reads.
    pub fn db(&self) -> &'db VendorDb {
        self.db
    }

    /// All matches for one component of a document whose texts are
    /// `texts` ([`Document::texts`](crate::model::Document::texts)),
    /// sorted by (confidence desc, target). Deterministic.
    pub fn match_component(&self, component: &Component, texts: Texts<'_>) -> Vec<Match> {
        self.match_with(component, texts, &mut Scratch::default())
    }

    /// [`Matcher::match_component`] with buffers kept from one component
    /// to the next: a thread matching many components allocates nothing
    /// for one that matches nothing, which is nearly all of them.
    pub fn match_with<'c>(
        &self,
        component: &'c Component,
        texts: Texts<'c>,
        scratch: &mut Scratch<'c>,
    ) -> Vec<Match> {
        let Scratch {
            fields,
            found,
            buf,
            key,
            memo,
            names,
        } = scratch;
        views(component, texts, fields);
        found.clear();
        for (i, f) in fields.iter().enumerate() {
            let kept = Memo::kept(f.kind);
            if kept && memo.replay(f.kind, f.value, i, found) {
                continue;
            }
            let first = found.len();
            let mut cx = Cx {
                ix: &self.ix,
                field: i,
                first,
                found,
            };
            match f.kind {
                FieldKind::Name => cx.name(f.value, buf, names),
                FieldKind::Group => cx.group(f.value, buf, key),
                FieldKind::Purl => cx.purl(f.value, buf, key, names),
                FieldKind::Cpe => cx.cpe(f.value, buf, key),
                FieldKind::Supplier
                | FieldKind::Manufacturer
                | FieldKind::Author
                | FieldKind::Publisher
                | FieldKind::Originator
                | FieldKind::Licensor => cx.party(f.value, buf),
                FieldKind::License => cx.license(f.value, buf),
                FieldKind::Hash => cx.hash(f.value),
                FieldKind::Url => cx.url(f.value),
                FieldKind::Copyright | FieldKind::Description => {
                    if cx.normalized(f.value, buf) {
                        cx.in_text(buf, Confidence::Possible, false);
                    }
                }
                FieldKind::Licensee | FieldKind::LicenseType => {}
            }
            if kept {
                memo.remember(f.kind, f.value, found.get(first..).unwrap_or_default());
            }
        }
        if found.is_empty() {
            return Vec::new();
        }
        let version = component.version.as_deref();
        gate::apply(found, self.db, version);
        self.assemble(found, fields, version)
    }

    /// Groups evidence by target, folds an owner's evidence into the
    /// matches of its engines and products, and orders everything.
    fn assemble(
        &self,
        found: &mut [Found],
        fields: &[FieldView<'_>],
        version: Option<&str>,
    ) -> Vec<Match> {
        found.sort_by_key(|f| (f.target, f.field));
        // Engines and products found, with their owner and the strength
        // of their own evidence.
        let mut engines: Vec<(TargetId, Option<TargetId>, Confidence)> = Vec::new();
        for f in found
            .iter()
            .filter(|f| !matches!(f.target, TargetId::Entity(_)))
        {
            match engines.last_mut() {
                Some((t, _, c)) if *t == f.target => *c = (*c).max(f.confidence),
                _ => engines.push((f.target, self.ix.owner(f.target), f.confidence)),
            }
        }
        let mut matches: Vec<Match> = Vec::new();
        for group in found.chunk_by(|a, b| a.target == b.target) {
            let Some(first) = group.first() else { continue };
            let target = first.target;
            let evidence = group.iter().map(|f| self.evidence(f, fields, version));
            if matches!(target, TargetId::Entity(_)) {
                // The owner's evidence goes to its best-identified engines
                // (not to every engine a stray mention brought up).
                let mine = || engines.iter().filter(|(_, o, _)| *o == Some(target));
                let best = mine().map(|(_, _, c)| *c).max();
                let owned: Vec<TargetId> = mine()
                    .filter(|(_, _, c)| Some(*c) == best)
                    .map(|(t, _, _)| *t)
                    .collect();
                if !owned.is_empty() {
                    let ev: Vec<Evidence> = evidence.collect();
                    for t in owned {
                        match matches.iter_mut().find(|m| m.target == t) {
                            Some(m) => m.evidence.extend(ev.iter().cloned()),
                            None => matches.push(Match {
                                target: t,
                                confidence: Confidence::Possible,
                                evidence: ev.clone(),
                            }),
                        }
                    }
                    continue;
                }
            }
            let ev: Vec<Evidence> = evidence.collect();
            match matches.iter_mut().find(|m| m.target == target) {
                Some(m) => m.evidence.extend(ev),
                None => matches.push(Match {
                    target,
                    confidence: Confidence::Possible,
                    evidence: ev,
                }),
            }
        }
        for m in &mut matches {
            m.evidence.sort_by(|a, b| {
                (a.span.offset(), a.field, &a.matched).cmp(&(b.span.offset(), b.field, &b.matched))
            });
            m.evidence.dedup();
            m.confidence = m
                .evidence
                .iter()
                .map(|e| e.confidence)
                .max()
                .unwrap_or(Confidence::Possible);
        }
        matches.sort_by(|a, b| {
            b.confidence
                .cmp(&a.confidence)
                .then(a.target.cmp(&b.target))
        });
        matches
    }

    fn evidence(&self, f: &Found, fields: &[FieldView<'_>], version: Option<&str>) -> Evidence {
        let view = fields.get(f.field);
        let range = || {
            self.db
                .record(f.target)
                .and_then(|r| r.versions.as_deref())
                .unwrap_or("")
        };
        let version_note = f.version.map(|c| gate::note(c, version, range()));
        let note = match (f.note, version_note) {
            (None, None) => None,
            (Some(a), None) => Some(a.to_owned()),
            (None, Some(b)) => Some(b),
            (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        };
        Evidence {
            kind: view.map_or(FieldKind::Name, |v| v.kind),
            field: view.map_or("", |v| v.path.as_str()),
            value: view.map_or_else(String::new, |v| v.value.to_owned()),
            matched: self.ix.string(f.hit.matched).to_owned(),
            span: view.map_or_else(Span::default, |v| v.span),
            confidence: f.confidence,
            note,
        }
    }
}

/// The fields to look at: every field, plus the component's own name and
/// purl when no field carries them.
fn views<'c>(c: &'c Component, texts: Texts<'c>, out: &mut Vec<FieldView<'c>>) {
    out.clear();
    out.extend(c.fields.iter().map(|f| FieldView {
        kind: f.kind,
        path: f.path,
        value: clip(f.value(texts)),
        span: f.span,
    }));
    let has = |k: FieldKind| c.fields.iter().any(|f| f.kind == k);
    if !c.name.is_empty() && !has(FieldKind::Name) {
        out.push(FieldView {
            kind: FieldKind::Name,
            path: FieldPath::NAME,
            value: clip(&c.name),
            span: c.span,
        });
    }
    if let Some(p) = c
        .unfielded_purl
        .as_deref()
        .filter(|_| !has(FieldKind::Purl))
    {
        out.push(FieldView {
            kind: FieldKind::Purl,
            path: FieldPath::PURL,
            value: clip(p),
            span: c.span,
        });
    }
}

/// How much of one field value the matcher reads, in bytes.
///
/// No identifier comes near this; a longer value is a long description at
/// best and a hostile one at worst (a 50 MB name). Reading all of it would
/// make every match, and every piece of evidence that quotes the value,
/// cost time and memory in proportion; the audit reports each longer
/// field as a `long-value` diagnostic instead.
pub const MAX_MATCHED_LEN: usize = 64 * 1024;

/// The first [`MAX_MATCHED_LEN`] bytes of `value`, cut on a character
/// boundary.
pub fn clip(value: &str) -> &str {
    let mut end = value.len().min(MAX_MATCHED_LEN);
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    value.get(..end).unwrap_or_default()
}

/// The confidence of `hit` for a field whose rule gives `tier`: capped by
/// the grade of its sources and by its record.
fn graded(hit: &Hit, tier: Confidence) -> (Confidence, Option<&'static str>) {
    let by_grade = tier.min(hit.grade.cap());
    let c = by_grade.min(hit.record_cap);
    let note = if c == tier {
        None
    } else if by_grade < tier && hit.grade == Grade::B {
        Some(NOTE_GRADE_B)
    } else {
        Some(NOTE_RECORD_CAP)
    };
    (c, note)
}

fn is_entity_name(h: &Hit) -> bool {
    matches!(h.kind, IdKind::LegalName | IdKind::BrandName)
}

/// The lookup context for one field.
struct Cx<'a> {
    ix: &'a Index,
    field: usize,
    /// Where this field's evidence starts in `found`: evidence of earlier
    /// fields is never looked at again, so that a component with many
    /// fields costs time in proportion, not squared.
    first: usize,
    found: &'a mut Vec<Found>,
}

impl Cx<'_> {
    /// Records evidence, keeping one per (target, field): the strongest.
    fn add(&mut self, hit: &Hit, tier: Confidence, note: Option<&'static str>) {
        let (confidence, cap_note) = graded(hit, tier);
        let f = Found {
            target: hit.target,
            field: self.field,
            hit: *hit,
            tier,
            confidence,
            note: cap_note.or(note),
            version: None,
        };
        let this_field = self.found.get_mut(self.first..).unwrap_or_default();
        match this_field
            .iter_mut()
            .find(|o| o.target == f.target && o.field == f.field)
        {
            Some(o) if o.confidence < f.confidence => *o = f,
            Some(_) => {}
            None => self.found.push(f),
        }
    }

    fn hits<'m>(map: &'m KeyMap, key: &str) -> impl Iterator<Item = Hit> + 'm {
        map.get(key).into_iter().flatten().copied()
    }

    /// The owner's name in a party field (supplier, author, ...) or in a
    /// slot that names the vendor (CPE vendor, generic purl namespace).
    fn party_name(&mut self, norm: &str) {
        for h in Self::hits(&self.ix.names, norm).filter(is_entity_name) {
            if h.kind == IdKind::LegalName {
                self.add(&h, Confidence::Confirmed, None);
            } else {
                self.add(&h, Confidence::Likely, Some(NOTE_BRAND));
            }
        }
    }

    /// Whether a text may name something: whether its normal form may
    /// have a token of a name (see
    /// [`TokenSet::may_hold_a_token_of`](super::token_set::TokenSet::may_hold_a_token_of)).
    /// Where it has none, neither the names table (each of whose keys
    /// is made of such tokens) nor [`Cx::in_text`] (which looks only at
    /// runs of them) can find anything, so the text is not normalised.
    fn may_name(&self, text: &str) -> bool {
        self.ix.name_tokens.may_hold_a_token_of(text)
    }

    /// Writes the normal form of `text` into `buf` if it may name
    /// something ([`Cx::may_name`]), and says whether it did: the one way
    /// into the names table and [`Cx::in_text`] for a text normalised
    /// once (names and purl names keep theirs in [`LastNormalized`]).
    fn normalized(&self, text: &str, buf: &mut String) -> bool {
        let named = self.may_name(text);
        if named {
            normalize_into(text, buf);
        }
        named
    }

    fn party(&mut self, value: &str, buf: &mut String) {
        if !self.normalized(strip_party_decoration(value), buf) {
            return;
        }
        self.party_name(buf);
        self.in_text(buf, Confidence::Possible, false);
    }

    /// Names (as runs of tokens) inside a normalised text. Only maximal
    /// runs count: in `kaspersky anti virus sdk` the SDK's name hides the
    /// shorter `kaspersky anti virus` (another product) inside it.
    ///
    /// Runs are looked up in the order [`super::names::ngrams`] gives them, skipping
    /// every run with a token that no name has (most runs of most texts).
    fn in_text(&mut self, norm: &str, tier: Confidence, entity_only: bool) {
        let ix = self.ix;
        let base = norm.as_ptr() as usize;
        let mut found: Vec<(usize, usize, &[Hit])> = Vec::new();
        known_ngrams(norm, ix, |gram| {
            if let Some(hits) = ix.names.get(gram) {
                if entity_only && !hits.iter().any(is_entity_name) {
                    return;
                }
                let start = (gram.as_ptr() as usize).saturating_sub(base);
                found.push((start, start + gram.len(), hits));
            }
        });
        let ranges: Vec<(usize, usize)> = found.iter().map(|&(s, e, _)| (s, e)).collect();
        let inside = maximal::inside_longer(&ranges);
        for (&(_, _, hits), inside_longer) in found.iter().zip(inside) {
            if inside_longer {
                continue;
            }
            for h in hits {
                if h.in_text && (!entity_only || is_entity_name(h)) {
                    self.add(h, tier, Some(NOTE_IN_TEXT));
                }
            }
        }
    }

    fn name(&mut self, value: &str, buf: &mut String, names: &mut LastNormalized) {
        let named = names.normalized(value, |v| self.may_name(v), buf);
        if named {
            for h in Self::hits(&self.ix.names, buf) {
                let tier = if is_entity_name(&h) {
                    Confidence::Possible
                } else {
                    Confidence::Likely
                };
                self.add(&h, tier, None);
            }
        }
        self.literal(value);
        // The file name of a path, found with a byte search: `rsplit` with
        // a char pattern was 4% of the matcher's samples (100k CycloneDX).
        let separator = value.bytes().rposition(|b| b == b'/' || b == b'\\');
        if let Some(last) = separator.and_then(|i| value.get(i + 1..)) {
            self.literal(last);
        }
        self.java(value);
        if named {
            self.in_text(buf, Confidence::Possible, false);
        }
    }

    /// File and package names, compared case-insensitively.
    fn literal(&mut self, value: &str) {
        let hits = self.ix.literals.get_lowercased(value.trimmed());
        for h in hits.into_iter().flatten() {
            self.add(h, Confidence::Likely, None);
        }
    }

    /// Java / Android package prefixes: `com.kavsdk.antivirus.Antivirus`
    /// tries `com`, `com.kavsdk`, `com.kavsdk.antivirus`, ...
    fn java(&mut self, value: &str) {
        // Byte tests where the text allows: `str::contains` with a char
        // or a predicate sets up a searcher or decodes every char, which
        // on short names cost more than the test.
        let value = value.trimmed();
        if !value.bytes().any(|b| b == b'.') {
            return;
        }
        let spaced = if value.is_ascii() {
            value.bytes().any(is_ascii_space)
        } else {
            value.contains(char::is_whitespace)
        };
        if spaced {
            return;
        }
        let lower: std::borrow::Cow<'_, str> = if value.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(value.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(value)
        };
        let ix = self.ix;
        // ASCII lowercasing keeps every byte in its place.
        let ends = (lower.bytes().enumerate())
            .filter_map(|(i, b)| (b == b'.').then_some(i))
            .chain(std::iter::once(lower.len()));
        for end in ends {
            if let Some(prefix) = lower.get(..end) {
                for h in Self::hits(&ix.java, prefix) {
                    self.add(&h, Confidence::Likely, Some(NOTE_JAVA));
                }
            }
        }
    }

    fn group(&mut self, value: &str, buf: &mut String, key: &mut String) {
        let value = value.trimmed();
        key.clear();
        if value.starts_with('@') {
            key.push_str("npm/");
            key.extend(value.chars().flat_map(char::to_lowercase));
        } else {
            key.push_str("maven/");
            key.push_str(value);
        }
        for h in Self::hits(&self.ix.purl_namespaces, key) {
            self.add(&h, Confidence::Confirmed, None);
        }
        self.java(value);
        if self.normalized(value, buf) {
            self.in_text(buf, Confidence::Possible, false);
        }
    }

    fn purl(
        &mut self,
        value: &str,
        buf: &mut String,
        key: &mut String,
        names: &mut LastNormalized,
    ) {
        let Some(p) = parse_purl(value) else { return };
        key.clear();
        key.push_str(&p.ty);
        key.push('/');
        if let Some(ns) = &p.namespace {
            key.push_str(ns);
            for h in Self::hits(&self.ix.purl_namespaces, key) {
                self.add(&h, Confidence::Confirmed, None);
            }
            key.push('/');
        }
        key.push_str(&p.name);
        for h in Self::hits(&self.ix.purls, key) {
            self.add(&h, Confidence::Confirmed, None);
        }
        if let Some(ns) = &p.namespace {
            if p.ty == "generic" && self.normalized(ns, buf) {
                // A generic purl has no registry: its namespace names the
                // vendor the way a supplier field does.
                self.party_name(buf);
            }
            self.java(ns);
        }
        self.literal(&p.name);
        if !names.normalized(&p.name, |n| self.may_name(n), buf) {
            return;
        }
        for h in Self::hits(&self.ix.names, buf).filter(|h| !is_entity_name(h)) {
            self.add(&h, Confidence::Likely, None);
        }
    }

    fn cpe(&mut self, value: &str, buf: &mut String, key: &mut String) {
        let Some(c) = parse_cpe(value) else { return };
        for h in Self::hits(&self.ix.cpe_vendors, &c.vendor) {
            self.add(&h, Confidence::Confirmed, None);
        }
        // The vendor slot names the vendor: the owner's own name there is
        // as strong as in a supplier field.
        if self.normalized(&c.vendor, buf) {
            self.party_name(buf);
        }
        if let Some(product) = &c.product {
            key.clear();
            key.push_str(&c.vendor);
            key.push(':');
            key.push_str(product);
            for h in Self::hits(&self.ix.cpes, key) {
                self.add(&h, Confidence::Confirmed, None);
            }
        }
    }

    fn license(&mut self, value: &str, buf: &mut String) {
        if self.normalized(value, buf) {
            self.in_text(buf, Confidence::Likely, true);
        }
    }

    /// A digest the db lists. Nearly every component of a real SBOM
    /// carries one or more hashes, and a db usually lists none (the
    /// embedded one does not): with nothing to find, the digest is not
    /// checked for hex digits and lowered, which was 4.5 M of the 59.6 M
    /// instructions of matching in the 10k CycloneDX audit (callgrind,
    /// docs/performance.md).
    fn hash(&mut self, value: &str) {
        if self.ix.hashes.is_empty() {
            return;
        }
        if let Some(d) = hash_digest(value) {
            for h in Self::hits(&self.ix.hashes, &d) {
                self.add(&h, Confidence::Confirmed, None);
            }
        }
    }

    /// A URL whose host is one of the owner's domains or a subdomain of
    /// one: `support.kaspersky.com` matches `kaspersky.com`,
    /// `notkaspersky.com` does not.
    fn url(&mut self, value: &str) {
        let Some(host) = url_host(value) else { return };
        let ix = self.ix;
        let mut rest: &str = &host;
        loop {
            for h in Self::hits(&ix.domains, rest) {
                self.add(&h, Confidence::Possible, Some(NOTE_DOMAIN));
            }
            match rest.split_once('.') {
                Some((_, parent)) if parent.contains('.') => rest = parent,
                _ => break,
            }
        }
    }
}

/// Whether the ASCII byte `b` is a char that `char::is_whitespace` calls
/// whitespace (`u8::is_ascii_whitespace` leaves out the vertical tab).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// Calls `f` with each run of 1..=`max_tokens` tokens of `norm` (a slice
/// of it) whose every token is a token of some name, in the order of
/// [`super::names::ngrams`]: by start, then by length.
fn known_ngrams<'n>(norm: &'n str, ix: &Index, mut f: impl FnMut(&'n str)) {
    if ix.max_tokens == 0 {
        return;
    }
    let bytes = norm.as_bytes();
    // Where the token that starts at `from` ends. Tokens are a few bytes
    // long: a plain loop finds the space sooner than a `split(' ')` that
    // sets a search up per token (callgrind, docs/performance.md).
    let token_end = |from: usize| {
        let rest = bytes.get(from..).unwrap_or_default();
        from + rest.iter().position(|&b| b == b' ').unwrap_or(rest.len())
    };
    let known = |from: usize, to: usize| {
        to > from
            && norm
                .get(from..to)
                .is_some_and(|t| ix.name_tokens.contains(t))
    };
    let mut start = 0;
    while start < bytes.len() {
        let first_end = token_end(start);
        if known(start, first_end) {
            // Grow the run while its next token is known too.
            let mut end = first_end;
            f(norm.get(start..end).unwrap_or(""));
            for _ in 1..ix.max_tokens {
                if end >= bytes.len() {
                    break;
                }
                let next_end = token_end(end + 1);
                if !known(end + 1, next_end) {
                    break;
                }
                end = next_end;
                f(norm.get(start..end).unwrap_or(""));
            }
        }
        start = first_end + 1;
    }
}

/// Strips what SBOM tools wrap around a party name: SPDX's
/// `Organization:` / `Person:` / `Tool:` prefix, a trailing `(email)` or
/// `<email>`.
fn strip_party_decoration(v: &str) -> &str {
    let mut v = v.trimmed();
    for prefix in ["organization:", "person:", "tool:"] {
        if v.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            v = v.get(prefix.len()..).unwrap_or("").trim_start();
            break;
        }
    }
    for (open, close) in [('(', ')'), ('<', '>')] {
        if v.ends_with(close) {
            if let Some(i) = v.rfind(open) {
                v = v.get(..i).unwrap_or(v).trim_end();
            }
        }
    }
    v
}

#[cfg(test)]
#[path = "matcher_tests.rs"]
mod tests;
