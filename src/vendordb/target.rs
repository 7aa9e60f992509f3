//! Borrowed views of db records for reports: what a finding names
//! ([`Target`]), why it is believed ([`SourceRef`]), where it is written
//! in the db ([`RecordLocation`]) and what law applies ([`Program`]).

use std::sync::{Arc, LazyLock};

use super::record::{Category, Grade, Record, Relation, Source};
use super::{TargetId, TargetKind, VendorDb};
use crate::model::Span;

/// A public source behind a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceRef<'db> {
    /// The URL, or `repo, path` for a file in a public repository: what a
    /// report cites.
    pub cite: &'db str,
    pub url: Option<&'db str>,
    pub repo: Option<&'db str>,
    pub path: Option<&'db str>,
    pub commit: Option<&'db str>,
    /// The short quote that supports the record.
    pub quote: &'db str,
    pub grade: Grade,
    pub note: Option<&'db str>,
}

impl<'db> SourceRef<'db> {
    fn new(s: &'db Source) -> Self {
        SourceRef {
            cite: &s.cite,
            url: s.url.as_deref(),
            repo: s.repo.as_deref(),
            path: s.path.as_deref(),
            commit: s.commit.as_deref(),
            quote: &s.quote,
            grade: s.grade,
            note: s.note.as_deref(),
        }
    }
}

/// Where a record is written: for a vendor-db hop that points into the
/// TOML.
#[derive(Clone, Copy, Debug)]
pub struct RecordLocation<'db> {
    /// The db file name (`"vendor-db/engines.toml"`, or the path given to
    /// `--db`).
    pub file: &'db str,
    pub text: &'db Arc<String>,
    /// The whole record (its `[[table]]` block).
    pub span: Span,
}

/// A db record a match points at.
#[derive(Clone, Debug)]
pub struct Target<'db> {
    pub kind: TargetKind,
    /// `"kaspersky/anti-virus-sdk"`, or `"kaspersky"` for the entity.
    pub id: &'db str,
    /// `"Kaspersky Anti-Virus SDK"`.
    pub name: &'db str,
    /// The owner entity id (an entity is its own owner).
    pub owner: &'db str,
    /// Engines only.
    pub category: Option<Category>,
    /// Products only: the integrating vendor, the engine carried (an
    /// engine target: the node a `relation` edge from the matched
    /// component leads to), how it is carried, and the version range the
    /// record covers as written (`None`: every version).
    pub vendor: Option<&'db str>,
    pub engine: Option<TargetId>,
    pub relation: Option<Relation>,
    pub versions: Option<&'db str>,
    /// The best grade among the record's own sources.
    pub grade: Grade,
    /// Program ids that apply, sorted. For a product (third-party code),
    /// programs that do not reach embedded code are left out.
    pub programs: Vec<&'db str>,
    /// The record's sources, then those of its identifiers (deduplicated).
    pub sources: Vec<SourceRef<'db>>,
    pub notes: &'db [String],
    pub location: RecordLocation<'db>,
}

impl Target<'_> {
    /// The graph edge a product match adds from the matched component to
    /// its [`Target::engine`] (`embeds`, `uses_signatures`, `resells`,
    /// `white_label_of`, `bundles`); `None` for entities and engines.
    pub fn relation_edge(&self) -> Option<crate::model::EdgeKind> {
        self.relation.map(Relation::edge_kind)
    }
}

/// A dated step of a [`Program`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgramDate<'db> {
    pub date: &'db str,
    pub event: &'db str,
}

/// A restriction program, for reports.
#[derive(Clone, Debug)]
pub struct Program<'db> {
    pub id: &'db str,
    pub name: &'db str,
    pub authority: &'db str,
    pub citation: &'db str,
    pub effective: Option<&'db str>,
    /// Whether the program reaches the owner's code embedded in another
    /// vendor's product (DHS BOD 17-01 does not).
    pub reaches_embedded: bool,
    pub scope: &'db str,
    pub covers: Vec<&'db str>,
    pub dates: Vec<ProgramDate<'db>>,
    pub sources: Vec<SourceRef<'db>>,
    pub notes: &'db [String],
    pub location: RecordLocation<'db>,
}

static NO_TEXT: LazyLock<Arc<String>> = LazyLock::new(|| Arc::new(String::from("")));

impl VendorDb {
    /// The record behind a target id. An id from another db gives a
    /// placeholder named `"?"` rather than a panic; use [`VendorDb::get`]
    /// to tell.
    pub fn target(&self, id: TargetId) -> Target<'_> {
        self.get(id).unwrap_or_else(|| Target {
            kind: kind_of(id),
            id: "?",
            name: "?",
            owner: "?",
            category: None,
            vendor: None,
            engine: None,
            relation: None,
            versions: None,
            grade: Grade::B,
            programs: Vec::new(),
            sources: Vec::new(),
            notes: &[],
            location: RecordLocation {
                file: "?",
                text: &NO_TEXT,
                span: Span::default(),
            },
        })
    }

    /// The record behind a target id, if it is one of this db's.
    pub fn get(&self, id: TargetId) -> Option<Target<'_>> {
        let r = self.record(id)?;
        let kind = kind_of(id);
        let engine = r.engine.as_ref().and_then(|e| {
            self.find_in(super::Table::Engine, &e.id)
                .map(|i| super::Table::Engine.id(i))
        });
        let owner = self.owner_of(id).unwrap_or("?");
        let programs = self.programs_of(id);
        Some(Target {
            kind,
            id: &r.id,
            name: &r.name,
            owner,
            category: r.category,
            vendor: r.vendor.as_deref(),
            engine,
            relation: r.relation,
            versions: r.versions.as_deref(),
            grade: r.grade,
            programs,
            sources: sources_of(r),
            notes: &r.notes,
            location: self.locate(r.file, &r.span),
        })
    }

    /// A program by id, for reports.
    pub fn program(&self, id: &str) -> Option<Program<'_>> {
        let p = self.program_rec(id)?;
        Some(Program {
            id: &p.id,
            name: &p.name,
            authority: &p.authority,
            citation: &p.citation,
            effective: p.effective.as_deref(),
            reaches_embedded: p.reaches_embedded,
            scope: &p.scope,
            covers: p.covers.iter().map(String::as_str).collect(),
            dates: p
                .dates
                .iter()
                .map(|d| ProgramDate {
                    date: &d.date,
                    event: &d.event,
                })
                .collect(),
            sources: p.sources.iter().map(SourceRef::new).collect(),
            notes: &p.notes,
            location: self.locate(p.file, &p.span),
        })
    }

    /// The owner entity id of a target: itself for an entity, the owner
    /// for an engine, the engine's owner for a product.
    pub(crate) fn owner_of(&self, id: TargetId) -> Option<&str> {
        let r = self.record(id)?;
        match id {
            TargetId::Entity(_) => Some(&r.id),
            TargetId::Engine(_) => r.owner.as_ref().map(|o| o.id.as_str()),
            TargetId::Product(_) => {
                let engine = self.find_in(super::Table::Engine, &r.engine.as_ref()?.id)?;
                self.engines
                    .get(engine)?
                    .owner
                    .as_ref()
                    .map(|o| o.id.as_str())
            }
        }
    }

    fn programs_of(&self, id: TargetId) -> Vec<&str> {
        let Some(entity) = self
            .owner_of(id)
            .and_then(|o| self.find_in(super::Table::Entity, o))
            .and_then(|i| self.entities.get(i))
        else {
            return Vec::new();
        };
        let third_party = matches!(id, TargetId::Product(_));
        let mut out: Vec<&str> = entity
            .programs
            .iter()
            .filter(|p| {
                !third_party
                    || self
                        .program_rec(&p.id)
                        .is_none_or(|rec| rec.reaches_embedded)
            })
            .map(|p| p.id.as_str())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn locate(&self, file: usize, span: &std::ops::Range<usize>) -> RecordLocation<'_> {
        let (name, text) = match self.file(file) {
            Some(f) => (f.name.as_str(), &f.text),
            None => ("?", &*NO_TEXT),
        };
        RecordLocation {
            file: name,
            text,
            span: Span::new(span.start, span.end.saturating_sub(span.start)),
        }
    }
}

fn kind_of(id: TargetId) -> TargetKind {
    match id {
        TargetId::Entity(_) => TargetKind::Entity,
        TargetId::Engine(_) => TargetKind::Engine,
        TargetId::Product(_) => TargetKind::Product,
    }
}

/// The record's sources, then its identifier groups', without repeats.
fn sources_of(r: &Record) -> Vec<SourceRef<'_>> {
    let mut out: Vec<SourceRef<'_>> = Vec::with_capacity(r.sources.len() + r.ids.len());
    let all = r
        .sources
        .iter()
        .chain(r.ids.iter().flat_map(|g| &g.sources));
    for s in all {
        if !out.iter().any(|o| o.cite == s.cite && o.quote == s.quote) {
            out.push(SourceRef::new(s));
        }
    }
    out
}
