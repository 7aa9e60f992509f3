//! The db as a catalogue: what `oemtrace db list`, `db show`, `db stats`
//! print, and where each record came from.
//!
//! Everything here returns plain data (serialisable for a JSON output);
//! the CLI formats it. [`VendorDb::origin`] lets an audit warn about
//! overlay records that matched nothing: stale `--db` entries should be
//! noticed, not accumulated.

use std::collections::BTreeMap;

use serde::Serialize;

use super::record::{Grade, Record, Relation, Source};
use super::{FileOrigin, Table, Target, TargetId, VendorDb};

/// The table a record is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Entity,
    Engine,
    Product,
    Program,
}

impl RecordKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            RecordKind::Entity => "entity",
            RecordKind::Engine => "engine",
            RecordKind::Product => "product",
            RecordKind::Program => "program",
        }
    }
}

/// Where a record was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordOrigin<'db> {
    /// The db compiled into the binary.
    Embedded,
    /// A `--db` overlay file (the path as given).
    Overlay { file: &'db str },
    /// A licensing disclosure (the path as given).
    Licensing { file: &'db str },
}

impl RecordOrigin<'_> {
    /// Whether the record was added for this run (overlay or licensing).
    pub const fn is_added(&self) -> bool {
        !matches!(self, RecordOrigin::Embedded)
    }
}

/// One line of `db list`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordSummary<'db> {
    pub kind: RecordKind,
    pub id: &'db str,
    pub name: &'db str,
    /// The best grade among the record's own sources.
    pub grade: Grade,
    /// The record's sources plus those of its identifier groups, without
    /// repeats (as [`Target::sources`] lists them).
    pub sources: usize,
    /// Products only.
    pub relation: Option<Relation>,
    /// Products only: the engine id.
    pub engine: Option<&'db str>,
    /// Products only: the version range as written.
    pub versions: Option<&'db str>,
    pub origin: RecordOrigin<'db>,
}

/// `db stats`: counts of the whole db. Maps are keyed by the names the
/// db files use (`"A"`, `"embeds"`, `"signature-db"`, `"overlay"`), so
/// their order and JSON form are stable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DbStats<'db> {
    /// `[db] version`, empty when none was declared.
    pub version: &'db str,
    pub entities: usize,
    pub engines: usize,
    pub products: usize,
    pub programs: usize,
    /// Identifier values of all records (names, files, purls, ...).
    pub identifiers: usize,
    /// Records of every table by their grade.
    pub by_grade: BTreeMap<&'static str, usize>,
    /// Products by relation.
    pub by_relation: BTreeMap<&'static str, usize>,
    /// Engines by category.
    pub by_category: BTreeMap<&'static str, usize>,
    /// Records of every table by origin (`embedded`, `overlay`,
    /// `licensing`).
    pub by_origin: BTreeMap<&'static str, usize>,
    /// Program ids, in db order.
    pub program_ids: Vec<&'db str>,
}

impl VendorDb {
    /// Every record, one summary each: entities, engines, products, then
    /// programs, each table in db order.
    pub fn list(&self) -> Vec<RecordSummary<'_>> {
        let mut out = Vec::with_capacity(
            self.entities.len() + self.engines.len() + self.products.len() + self.programs.len(),
        );
        for id in self.targets() {
            let t = self.target(id);
            out.push(RecordSummary {
                kind: record_kind(id),
                id: t.id,
                name: t.name,
                grade: t.grade,
                sources: t.sources.len(),
                relation: t.relation,
                engine: self
                    .record(id)
                    .and_then(|r| r.engine.as_ref())
                    .map(|e| e.id.as_str()),
                versions: t.versions,
                origin: self.origin(id).unwrap_or(RecordOrigin::Embedded),
            });
        }
        for p in &self.programs {
            out.push(RecordSummary {
                kind: RecordKind::Program,
                id: &p.id,
                name: &p.name,
                grade: best_grade(&p.sources),
                sources: p.sources.len(),
                relation: None,
                engine: None,
                versions: None,
                origin: self.file_origin(p.file),
            });
        }
        out
    }

    /// The record with this id (engines, then products, then entities),
    /// for `db show`. Programs are shown by [`VendorDb::program`].
    pub fn show(&self, id: &str) -> Option<Target<'_>> {
        self.find(id).and_then(|t| self.get(t))
    }

    /// Counts for `db stats`.
    pub fn stats(&self) -> DbStats<'_> {
        let mut by_grade = BTreeMap::new();
        let mut by_relation = BTreeMap::new();
        let mut by_category = BTreeMap::new();
        let mut by_origin = BTreeMap::new();
        let mut identifiers = 0;
        for table in [Table::Entity, Table::Engine, Table::Product] {
            for r in self.records(table) {
                *by_grade.entry(r.grade.as_str()).or_insert(0) += 1;
                *by_origin.entry(self.origin_name(r.file)).or_insert(0) += 1;
                identifiers += id_values(r);
                if let Some(rel) = r.relation {
                    *by_relation.entry(rel.as_str()).or_insert(0) += 1;
                }
                if let Some(c) = r.category {
                    *by_category.entry(c.as_str()).or_insert(0) += 1;
                }
            }
        }
        for p in &self.programs {
            *by_grade.entry(best_grade(&p.sources).as_str()).or_insert(0) += 1;
            *by_origin.entry(self.origin_name(p.file)).or_insert(0) += 1;
        }
        DbStats {
            version: &self.version,
            entities: self.entities.len(),
            engines: self.engines.len(),
            products: self.products.len(),
            programs: self.programs.len(),
            identifiers,
            by_grade,
            by_relation,
            by_category,
            by_origin,
            program_ids: self.program_ids().collect(),
        }
    }

    /// Where a record was read from; `None` for an id from another db.
    pub fn origin(&self, id: TargetId) -> Option<RecordOrigin<'_>> {
        self.record(id).map(|r| self.file_origin(r.file))
    }

    /// The targets added by overlays and licensing disclosures, in db
    /// order: with the audit's matched targets, the records that matched
    /// nothing.
    pub fn added_targets(&self) -> impl Iterator<Item = TargetId> + '_ {
        self.targets()
            .filter(|&t| self.origin(t).is_some_and(|o| o.is_added()))
    }

    fn file_origin(&self, file: usize) -> RecordOrigin<'_> {
        match self.file(file) {
            Some(f) => match f.origin {
                FileOrigin::Embedded => RecordOrigin::Embedded,
                FileOrigin::Overlay => RecordOrigin::Overlay { file: &f.name },
                FileOrigin::Licensing => RecordOrigin::Licensing { file: &f.name },
            },
            None => RecordOrigin::Embedded,
        }
    }

    fn origin_name(&self, file: usize) -> &'static str {
        match self.file_origin(file) {
            RecordOrigin::Embedded => "embedded",
            RecordOrigin::Overlay { .. } => "overlay",
            RecordOrigin::Licensing { .. } => "licensing",
        }
    }
}

fn record_kind(id: TargetId) -> RecordKind {
    match id {
        TargetId::Entity(_) => RecordKind::Entity,
        TargetId::Engine(_) => RecordKind::Engine,
        TargetId::Product(_) => RecordKind::Product,
    }
}

fn best_grade(sources: &[Source]) -> Grade {
    sources.iter().map(|s| s.grade).max().unwrap_or(Grade::B)
}

fn id_values(r: &Record) -> usize {
    r.ids.iter().map(|g| g.values.len()).sum()
}
