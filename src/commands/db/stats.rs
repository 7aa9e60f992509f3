//! `oemtrace db stats`: counts of the whole db.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use oemtrace::vendordb::cache::CacheInfo;
use oemtrace::vendordb::DbStats;
use serde::Serialize;

use super::{load, output, Head, Loaded, View};
use crate::cli::DbStatsArgs;

const SCHEMA: &str = "oemtrace.db-stats/v1";

pub fn run(args: &DbStatsArgs) -> i32 {
    let view = View::of(&args.view);
    let loaded = match load(&args.view, view) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let stats = loaded.db.stats();
    output::print(&if view.json {
        oemtrace::report::json::to_json(&StatsJson {
            head: Head::new(SCHEMA),
            stats: &stats,
            cache: loaded.cache.as_ref(),
        })
    } else {
        render(&loaded, &stats)
    });
    oemtrace::policy::ExitCode::Clean.code()
}

#[derive(Serialize)]
struct StatsJson<'a> {
    #[serde(flatten)]
    head: Head,
    #[serde(flatten)]
    stats: &'a DbStats<'a>,
    /// The cached update the db includes, if any.
    cache: Option<&'a CacheInfo>,
}

fn render(loaded: &Loaded, s: &DbStats<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "vendor db {}", super::version(&loaded.db));
    let records = s.entities + s.engines + s.products + s.programs;
    let _ = writeln!(
        out,
        "  records      {records}: {}",
        super::counts(&loaded.db)
    );
    let _ = writeln!(out, "  identifiers  {}", s.identifiers);
    for (name, map) in [
        ("by grade", &s.by_grade),
        ("by relation", &s.by_relation),
        ("by category", &s.by_category),
        ("by origin", &s.by_origin),
    ] {
        let _ = writeln!(out, "  {name:<12} {}", tally(map));
    }
    let _ = writeln!(out, "  programs     {}", s.program_ids.join(", "));
    if let Some(c) = &loaded.cache {
        let _ = writeln!(out, "  cache        {} ({})", c.dir.display(), c.version);
        if let Some(m) = &c.meta {
            let _ = writeln!(out, "               from {} at {}", m.url, m.fetched_at);
            let _ = writeln!(out, "               sha256 {}", m.sha256);
        }
    }
    out
}

/// `A 40, B 11`, or `-` when empty.
fn tally(map: &BTreeMap<&'static str, usize>) -> String {
    if map.is_empty() {
        return "-".to_owned();
    }
    map.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}
