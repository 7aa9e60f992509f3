//! The look-up tables the matcher uses, built once per db.
//!
//! Every identifier of every record goes into a hash map under its
//! canonical key (normalised name, lowercase file name, `type/namespace`,
//! ...), so that matching a component costs a handful of look-ups per
//! field, independent of the size of the db.

use super::ident::{hash_digest, parse_purl, parse_purl_namespace};
use super::key_map::KeyMap;
use super::names::{self, normalize, token_count};
use super::record::{Grade, IdKind, Record};
use super::token_set::TokenSet;
use super::{Table, TargetId, VendorDb};
use crate::model::Confidence;

/// One db identifier a key leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub target: TargetId,
    pub kind: IdKind,
    /// The grade of the sources behind the identifier.
    pub grade: Grade,
    /// The highest confidence the record allows (products: record grade and
    /// `max_confidence`; others: confirmed).
    pub record_cap: Confidence,
    /// Whether the name may also match as a run of tokens inside a longer
    /// text (entity names, and engine names of two tokens or more; never
    /// short aliases, file or package names).
    pub in_text: bool,
    /// Index into [`Index::strings`]: the identifier as the db writes it.
    pub matched: u32,
}

/// All look-up tables of one db.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Normalised names (legal, brand, product names and aliases).
    pub names: KeyMap,
    /// Lowercase file and package names.
    pub literals: KeyMap,
    /// Lowercase Java / Android package prefixes.
    pub java: KeyMap,
    /// Lowercase CPE vendors.
    pub cpe_vendors: KeyMap,
    /// Lowercase `vendor:product`.
    pub cpes: KeyMap,
    /// Canonical `type/namespace`.
    pub purl_namespaces: KeyMap,
    /// Canonical `type/namespace/name` or `type/name`.
    pub purls: KeyMap,
    /// Lowercase hex digests.
    pub hashes: KeyMap,
    /// Lowercase domains.
    pub domains: KeyMap,
    /// The longest name (in tokens) that may match inside a text.
    pub max_tokens: usize,
    /// Every token of every key of `names`: a run of tokens with one token
    /// not in here cannot be a name, so it is never looked up.
    pub name_tokens: TokenSet,
    /// The owner entity of each engine and product, for folding.
    pub engine_owner: Vec<Option<TargetId>>,
    pub product_owner: Vec<Option<TargetId>>,
    /// What evidence shows as `matched`.
    pub strings: Vec<Box<str>>,
}

impl Index {
    pub fn build(db: &VendorDb) -> Index {
        let mut ix = Index::default();
        for table in [Table::Entity, Table::Engine, Table::Product] {
            for (i, r) in db.records(table).iter().enumerate() {
                let target = table.id(i);
                ix.add_record(target, r);
            }
        }
        let owner = |id: TargetId| {
            db.owner_of(id)
                .and_then(|o| db.find_in(Table::Entity, o))
                .map(|i| Table::Entity.id(i))
        };
        ix.engine_owner = (0..db.engine_count())
            .map(|i| owner(Table::Engine.id(i)))
            .collect();
        ix.product_owner = (0..db.product_count())
            .map(|i| owner(Table::Product.id(i)))
            .collect();
        for hits in [
            &mut ix.names,
            &mut ix.literals,
            &mut ix.java,
            &mut ix.cpe_vendors,
            &mut ix.cpes,
            &mut ix.purl_namespaces,
            &mut ix.purls,
            &mut ix.hashes,
            &mut ix.domains,
        ] {
            hits.sort_hits_by_key(|h| (h.target, std::cmp::Reverse(h.grade)));
        }
        ix
    }

    /// The owner entity of a target (an entity is its own).
    pub fn owner(&self, t: TargetId) -> Option<TargetId> {
        match t {
            TargetId::Entity(_) => Some(t),
            TargetId::Engine(i) => self.engine_owner.get(i as usize).copied().flatten(),
            TargetId::Product(i) => self.product_owner.get(i as usize).copied().flatten(),
        }
    }

    pub fn string(&self, i: u32) -> &str {
        self.strings.get(i as usize).map_or("", |s| s)
    }

    fn intern(&mut self, s: &str) -> u32 {
        let i = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.strings.push(s.into());
        i
    }

    fn add_record(&mut self, target: TargetId, r: &Record) {
        let record_cap = match target {
            TargetId::Product(_) => {
                let cap = r.grade.cap();
                r.max_confidence.map_or(cap, |m| m.min(cap))
            }
            _ => Confidence::Confirmed,
        };
        // The record's own name is a name identifier backed by its sources.
        if !matches!(target, TargetId::Entity(_)) {
            let matched = self.intern(&r.name);
            self.add_name(&r.name, target, IdKind::Name, r.grade, record_cap, matched);
        }
        for g in &r.ids {
            for v in &g.values {
                // Entity identifiers show the entity id as `matched` (the
                // owner was identified); others show the alias itself.
                let shown = match (target, g.kind) {
                    (_, IdKind::LegalName | IdKind::BrandName) => r.id.as_str(),
                    _ => v.text.as_str(),
                };
                let matched = self.intern(shown);
                let hit = Hit {
                    target,
                    kind: g.kind,
                    grade: g.grade,
                    record_cap,
                    in_text: false,
                    matched,
                };
                self.add_value(hit, &v.text);
            }
        }
    }

    fn add_name(
        &mut self,
        text: &str,
        target: TargetId,
        kind: IdKind,
        grade: Grade,
        record_cap: Confidence,
        matched: u32,
    ) {
        let key = normalize(text);
        if key.is_empty() {
            return;
        }
        let tokens = token_count(&key);
        let in_text = matches!(kind, IdKind::LegalName | IdKind::BrandName) || tokens >= 2;
        if in_text {
            self.max_tokens = self.max_tokens.max(tokens);
        }
        let hit = Hit {
            target,
            kind,
            grade,
            record_cap,
            in_text,
            matched,
        };
        for token in names::tokens(&key) {
            self.name_tokens.insert(token);
        }
        self.names.push(key.into_boxed_str(), hit);
    }

    fn add_value(&mut self, hit: Hit, v: &str) {
        match hit.kind {
            IdKind::LegalName | IdKind::BrandName | IdKind::Name => {
                self.add_name(
                    v,
                    hit.target,
                    hit.kind,
                    hit.grade,
                    hit.record_cap,
                    hit.matched,
                );
            }
            IdKind::File | IdKind::Package => {
                self.literals.push(v.to_lowercase().into(), hit);
            }
            IdKind::JavaPackage => self.java.push(v.to_lowercase().into(), hit),
            IdKind::CpeVendor => self.cpe_vendors.push(v.to_lowercase().into(), hit),
            IdKind::Cpe => self.cpes.push(v.to_lowercase().into(), hit),
            IdKind::Domain => self.domains.push(v.to_lowercase().into(), hit),
            IdKind::Hash => {
                if let Some(d) = hash_digest(v) {
                    self.hashes.push(d.into(), hit);
                }
            }
            IdKind::PurlNamespace => {
                if let Some((ty, ns)) = parse_purl_namespace(v) {
                    self.purl_namespaces.push(format!("{ty}/{ns}").into(), hit);
                }
            }
            IdKind::Purl => {
                if let Some(p) = parse_purl(v) {
                    let key = match &p.namespace {
                        Some(ns) => format!("{}/{}/{}", p.ty, ns, p.name),
                        None => format!("{}/{}", p.ty, p.name),
                    };
                    self.purls.push(key.into(), hit);
                }
            }
        }
    }
}
