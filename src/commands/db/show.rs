//! `oemtrace db show ID`: everything about one record, and the TOML it is
//! written in.

use std::fmt::Write as _;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, Severity};
use oemtrace::report::human;
use oemtrace::sbom::span::LineIndex;
use oemtrace::vendordb::{
    Category, Grade, IdentifierGroup, Program, RecordKind, RecordLocation, RecordOrigin, Relation,
    SourceRef, Target, VendorDb,
};
use serde::Serialize;

use super::{load, output, Head, Loaded, View};
use crate::cli::DbShowArgs;
use crate::commands::output::Failure;

const SCHEMA: &str = "oemtrace.db-show/v1";
/// How many close ids an unknown id suggests at most.
const SUGGESTIONS: usize = 5;

pub fn run(args: &DbShowArgs) -> i32 {
    let view = View::of(&args.view);
    let loaded = match load(&args.view, view) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let Some(record) = Shown::find(&loaded, &args.id) else {
        let failure = Failure {
            document: args.id.clone(),
            error: Box::new(unknown_id(&loaded.db, &args.id)),
        };
        return output::fail(&[failure], view.json, view.style);
    };
    output::print(&if view.json {
        oemtrace::report::json::to_json(&record)
    } else {
        render(&record, view.style)
    });
    oemtrace::policy::ExitCode::Clean.code()
}

/// One record, as `db show --format json` prints it.
#[derive(Serialize)]
struct Shown<'db> {
    #[serde(flatten)]
    head: Head,
    kind: RecordKind,
    id: &'db str,
    name: &'db str,
    grade: Grade,
    /// Entities, engines, products: the owner entity id.
    owner: Option<&'db str>,
    /// Engines only.
    category: Option<Category>,
    /// Products only.
    vendor: Option<&'db str>,
    relation: Option<Relation>,
    engine: Option<EngineRef<'db>>,
    /// The version range as written; `null` for a product: every version.
    versions: Option<&'db str>,
    identifiers: Vec<IdentifierGroup<'db>>,
    programs: Vec<ProgramRef<'db>>,
    /// Programs only.
    program: Option<ProgramFields<'db>>,
    sources: Vec<SourceJson<'db>>,
    notes: &'db [String],
    origin: RecordOrigin<'db>,
    /// `origin` as human output names it (`cache` for the cached update).
    origin_text: String,
    location: Location<'db>,
    /// The record's TOML, as written.
    record: &'db str,
    #[serde(skip)]
    source: (&'db str, &'db Arc<String>, oemtrace::model::Span),
}

#[derive(Serialize)]
struct EngineRef<'db> {
    id: &'db str,
    name: &'db str,
}

#[derive(Serialize)]
struct ProgramRef<'db> {
    id: &'db str,
    name: &'db str,
    citation: &'db str,
    effective: Option<&'db str>,
}

#[derive(Serialize)]
struct ProgramFields<'db> {
    authority: &'db str,
    citation: &'db str,
    effective: Option<&'db str>,
    reaches_embedded: bool,
    scope: &'db str,
    covers: Vec<&'db str>,
    dates: Vec<DateJson<'db>>,
}

#[derive(Serialize)]
struct DateJson<'db> {
    date: &'db str,
    event: &'db str,
}

#[derive(Serialize)]
struct SourceJson<'db> {
    cite: &'db str,
    url: Option<&'db str>,
    repo: Option<&'db str>,
    path: Option<&'db str>,
    commit: Option<&'db str>,
    quote: &'db str,
    grade: Grade,
    note: Option<&'db str>,
}

impl<'db> From<&SourceRef<'db>> for SourceJson<'db> {
    fn from(s: &SourceRef<'db>) -> Self {
        SourceJson {
            cite: s.cite,
            url: s.url,
            repo: s.repo,
            path: s.path,
            commit: s.commit,
            quote: s.quote,
            grade: s.grade,
            note: s.note,
        }
    }
}

#[derive(Serialize)]
struct Location<'db> {
    file: &'db str,
    line: usize,
    column: usize,
}

impl<'db> Shown<'db> {
    /// The record with this id: an entity, engine or product (as
    /// [`VendorDb::show`] finds it), else a program.
    fn find(loaded: &'db Loaded, id: &str) -> Option<Shown<'db>> {
        let db = &loaded.db;
        if let Some(tid) = db.find(id) {
            let target = db.get(tid)?;
            let origin = db.origin(tid).unwrap_or(RecordOrigin::Embedded);
            return Some(Shown::target(loaded, target, db.identifiers(tid), origin));
        }
        let program = db.program(id)?;
        let origin = db
            .list()
            .into_iter()
            .find(|r| r.kind == RecordKind::Program && r.id == program.id)
            .map_or(RecordOrigin::Embedded, |r| r.origin);
        Some(Shown::program(loaded, program, origin))
    }

    fn target(
        loaded: &'db Loaded,
        t: Target<'db>,
        identifiers: Vec<IdentifierGroup<'db>>,
        origin: RecordOrigin<'db>,
    ) -> Shown<'db> {
        let db = &loaded.db;
        let kind = match t.kind {
            oemtrace::vendordb::TargetKind::Entity => RecordKind::Entity,
            oemtrace::vendordb::TargetKind::Engine => RecordKind::Engine,
            oemtrace::vendordb::TargetKind::Product => RecordKind::Product,
        };
        Shown {
            head: Head::new(SCHEMA),
            kind,
            id: t.id,
            name: t.name,
            grade: t.grade,
            owner: Some(t.owner),
            category: t.category,
            vendor: t.vendor,
            relation: t.relation,
            engine: t.engine.and_then(|e| db.get(e)).map(|e| EngineRef {
                id: e.id,
                name: e.name,
            }),
            versions: t.versions,
            identifiers,
            programs: t
                .programs
                .iter()
                .filter_map(|p| db.program(p))
                .map(|p| ProgramRef {
                    id: p.id,
                    name: p.name,
                    citation: p.citation,
                    effective: p.effective,
                })
                .collect(),
            program: None,
            sources: t.sources.iter().map(SourceJson::from).collect(),
            notes: t.notes,
            origin_text: loaded.origin_text(&origin),
            origin,
            location: location(&t.location),
            record: record_text(&t.location),
            source: (t.location.file, t.location.text, t.location.span),
        }
    }

    fn program(loaded: &'db Loaded, p: Program<'db>, origin: RecordOrigin<'db>) -> Shown<'db> {
        Shown {
            head: Head::new(SCHEMA),
            kind: RecordKind::Program,
            id: p.id,
            name: p.name,
            grade: p.sources.iter().map(|s| s.grade).max().unwrap_or(Grade::B),
            owner: None,
            category: None,
            vendor: None,
            relation: None,
            engine: None,
            versions: None,
            identifiers: Vec::new(),
            programs: Vec::new(),
            program: Some(ProgramFields {
                authority: p.authority,
                citation: p.citation,
                effective: p.effective,
                reaches_embedded: p.reaches_embedded,
                scope: p.scope,
                covers: p.covers.clone(),
                dates: p
                    .dates
                    .iter()
                    .map(|d| DateJson {
                        date: d.date,
                        event: d.event,
                    })
                    .collect(),
            }),
            sources: p.sources.iter().map(SourceJson::from).collect(),
            notes: p.notes,
            origin_text: loaded.origin_text(&origin),
            origin,
            location: location(&p.location),
            record: record_text(&p.location),
            source: (p.location.file, p.location.text, p.location.span),
        }
    }
}

fn location<'db>(l: &RecordLocation<'db>) -> Location<'db> {
    let (line, column) = LineIndex::new(l.text).line_col(l.text, l.span.offset());
    Location {
        file: l.file,
        line,
        column,
    }
}

fn record_text<'db>(l: &RecordLocation<'db>) -> &'db str {
    l.text
        .get(l.span.offset()..l.span.offset().saturating_add(l.span.len()))
        .unwrap_or("")
}

/// Fields first, one per line, then the TOML record as a snippet.
fn render(r: &Shown<'_>, style: human::Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}: {}", r.kind.as_str(), r.id, r.name);
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(out, "  {name:<11} {value}");
    };
    if let Some(owner) = r.owner.filter(|o| *o != r.id) {
        field("owner", owner);
    }
    if let Some(c) = r.category {
        field("category", c.as_str());
    }
    if let Some(v) = r.vendor {
        field("vendor", v);
    }
    if let Some(rel) = r.relation {
        let engine = r
            .engine
            .as_ref()
            .map_or_else(|| "?".to_owned(), |e| format!("{} ({})", e.id, e.name));
        field("relation", &format!("{} → {engine}", rel.as_str()));
        field("versions", r.versions.unwrap_or("every version"));
    }
    if let Some(p) = &r.program {
        field("authority", p.authority);
        field("citation", p.citation);
        field("effective", p.effective.unwrap_or("-"));
        field(
            "embedded",
            if p.reaches_embedded {
                "reaches the owner's code inside other vendors' products"
            } else {
                "branded products only"
            },
        );
        field("scope", p.scope);
        for c in &p.covers {
            field("covers", c);
        }
        for d in &p.dates {
            field("date", &format!("{}  {}", d.date, d.event));
        }
    }
    field("grade", r.grade.as_str());
    field("origin", &r.origin_text);
    field(
        "location",
        &format!("{}:{}", r.location.file, r.location.line),
    );
    for p in &r.programs {
        let effective = p
            .effective
            .map(|e| format!(", effective {e}"))
            .unwrap_or_default();
        field("program", &format!("{} ({}{effective})", p.id, p.citation));
    }
    for g in &r.identifiers {
        field(
            "identifier",
            &format!("{} [{}]: {}", g.kind, g.grade.as_str(), g.values.join(", ")),
        );
    }
    for s in &r.sources {
        field("source", &format!("[{}] {}", s.grade.as_str(), s.cite));
        field("", &format!("\"{}\"", s.quote));
        if let Some(note) = s.note {
            field("", &format!("({note})"));
        }
    }
    for n in r.notes {
        field("note", n);
    }
    out.push('\n');
    let (file, text, span) = r.source;
    out.push_str(&human::render_diagnostic(
        &Snippet {
            title: format!("{} {} in {file}", r.kind.as_str(), r.id),
            src: NamedSource::new(file, Arc::clone(text)).with_language("toml"),
            span,
        },
        style,
    ));
    out
}

/// The record's TOML, underlined, for a person to read in context.
#[derive(Debug)]
struct Snippet {
    title: String,
    src: NamedSource<Arc<String>>,
    span: oemtrace::model::Span,
}

impl std::fmt::Display for Snippet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Snippet {}

impl Diagnostic for Snippet {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, self.span),
        )))
    }
}

/// An id no record has.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("no vendor-db record has the id `{id}`")]
#[diagnostic(code(oemtrace::db::unknown_id), help("{help}"))]
struct UnknownId {
    id: String,
    help: String,
}

fn unknown_id(db: &VendorDb, id: &str) -> UnknownId {
    let close = close_ids(db, id);
    let help = if close.is_empty() {
        "`oemtrace db list` shows every id".to_owned()
    } else {
        format!(
            "did you mean {}? (`oemtrace db list` shows every id)",
            close
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    UnknownId {
        id: id.to_owned(),
        help,
    }
}

/// Ids close to `query`, best first: the same id in another case, ids
/// that contain it, records whose name contains it, then ids (or their
/// last `/` segment) within two edits.
fn close_ids<'db>(db: &'db VendorDb, query: &str) -> Vec<&'db str> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(u8, &str)> = db
        .list()
        .into_iter()
        .filter_map(|r| {
            let id = r.id.to_lowercase();
            let last = id.rsplit('/').next().unwrap_or(&id);
            let score = if id == q {
                0
            } else if id.contains(&q) {
                1
            } else if r.name.to_lowercase().contains(&q) {
                2
            } else if within_two_edits(&id, &q) || within_two_edits(last, &q) {
                3
            } else {
                return None;
            };
            Some((score, r.id))
        })
        .collect();
    scored.sort_unstable();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, id)| id)
        .collect()
}

/// Levenshtein distance ≤ 2, on characters; long strings are never close
/// (the check is quadratic).
fn within_two_edits(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 || b.len() > 64 {
        return false;
    }
    // One row of the edit-distance table at a time.
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = Vec::with_capacity(prev.len());
        let mut left = i + 1;
        cur.push(left);
        for (cb, w) in b.iter().zip(prev.windows(2)) {
            if let [diagonal, up] = *w {
                left = (diagonal + usize::from(ca != cb)).min(up + 1).min(left + 1);
            }
            cur.push(left);
        }
        prev = cur;
    }
    prev.last().is_some_and(|&d| d <= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_edits_are_close_three_are_not() {
        assert!(within_two_edits("junos-os", "junos-os"));
        assert!(within_two_edits("junos-os", "junoss-o"));
        assert!(within_two_edits("kaspersky", "kasperski"));
        assert!(!within_two_edits("kaspersky", "kasp"));
        assert!(!within_two_edits("abc", "xyz"));
        assert!(within_two_edits("", "ab"));
    }

    #[test]
    fn close_ids_rank_containing_ids_before_typos() {
        let db = VendorDb::embedded().unwrap();
        let close = close_ids(&db, "junos");
        assert_eq!(close.first(), Some(&"juniper/junos-os"), "{close:?}");
        let close = close_ids(&db, "kaspersky/anti-virus-sdx");
        assert!(close.contains(&"kaspersky/anti-virus-sdk"), "{close:?}");
        assert!(close.len() <= SUGGESTIONS);
        assert!(close_ids(&db, "   ").is_empty());
        assert!(close_ids(&db, "zzzzzzzzzzzzzzzz").is_empty());
    }
}
