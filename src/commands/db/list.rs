//! `oemtrace db list`: one line per record.

use std::fmt::Write as _;

use oemtrace::vendordb::cache::CacheInfo;
use oemtrace::vendordb::{RecordKind, RecordSummary};
use serde::Serialize;

use super::{load, output, Head, Loaded, View};
use crate::cli::{DbKind, DbListArgs};

const SCHEMA: &str = "oemtrace.db-list/v1";

pub fn run(args: &DbListArgs) -> i32 {
    let view = View::of(&args.view);
    let loaded = match load(&args.view, view) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let all = loaded.db.list();
    let total = all.len();
    let wanted: Vec<RecordKind> = args.kind.iter().map(|&k| kind(k)).collect();
    let records: Vec<RecordSummary<'_>> = all
        .into_iter()
        .filter(|r| wanted.is_empty() || wanted.contains(&r.kind))
        .collect();
    output::print(&if view.json {
        oemtrace::report::json::to_json(&ListJson {
            head: Head::new(SCHEMA),
            db: DbHead {
                version: loaded.db.version(),
            },
            cache: loaded.cache.as_ref(),
            records: &records,
        })
    } else {
        render(&loaded, &records, total)
    });
    oemtrace::policy::ExitCode::Clean.code()
}

fn kind(k: DbKind) -> RecordKind {
    match k {
        DbKind::Entity => RecordKind::Entity,
        DbKind::Engine => RecordKind::Engine,
        DbKind::Product => RecordKind::Product,
        DbKind::Program => RecordKind::Program,
    }
}

#[derive(Serialize)]
struct ListJson<'a> {
    #[serde(flatten)]
    head: Head,
    db: DbHead<'a>,
    /// The cached update the db includes, if any.
    cache: Option<&'a CacheInfo>,
    records: &'a [RecordSummary<'a>],
}

#[derive(Serialize)]
struct DbHead<'a> {
    version: &'a str,
}

/// Aligned columns: kind, id, grade, sources, origin, name; a product
/// adds how it carries which engine, for which versions.
fn render(loaded: &Loaded, records: &[RecordSummary<'_>], total: usize) -> String {
    let origins: Vec<String> = records
        .iter()
        .map(|r| loaded.origin_text(&r.origin))
        .collect();
    let id_w = records
        .iter()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(2);
    let origin_w = origins
        .iter()
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<8} {:<id_w$} {:<5} {:>7}  {:<origin_w$}  NAME",
        "KIND", "ID", "GRADE", "SOURCES", "ORIGIN"
    );
    for (r, origin) in records.iter().zip(&origins) {
        let _ = write!(
            out,
            "{:<8} {:<id_w$} {:<5} {:>7}  {:<origin_w$}  {}",
            r.kind.as_str(),
            r.id,
            r.grade.as_str(),
            r.sources,
            origin,
            r.name
        );
        if let (Some(relation), Some(engine)) = (r.relation, r.engine) {
            let _ = write!(out, "  ({} → {engine}", relation.as_str());
            match r.versions {
                Some(v) => {
                    let _ = write!(out, ", versions {v})");
                }
                None => out.push_str(", every version)"),
            }
        }
        out.push('\n');
    }
    let shown = if records.len() == total {
        format!("{total} records")
    } else {
        format!("{} of {total} records", records.len())
    };
    let _ = writeln!(
        out,
        "{shown}; vendor db {} ({})",
        super::version(&loaded.db),
        super::counts(&loaded.db)
    );
    out
}
