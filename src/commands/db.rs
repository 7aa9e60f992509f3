//! `oemtrace db`: the vendor db as a catalogue (`list`, `show`, `stats`),
//! its checker (`validate`) and its updater (`update`).
//!
//! Every subcommand but `update` sees the db exactly as `audit` does
//! (embedded, cached update, `--db`, `--licensing`), through
//! [`super::audit::load_db_cached`].

mod list;
mod show;
mod stats;
pub mod update;
mod validate;

use oemtrace::report::human::Style;
use oemtrace::vendordb::cache::{CacheInfo, CacheUse, BUNDLE_FILE};
use oemtrace::vendordb::{RecordOrigin, VendorDb};
use serde::Serialize;

use super::output;
use crate::cli::{DbCommand, DbViewArgs, OutputFormat};

pub fn run(command: &DbCommand) -> i32 {
    match command {
        DbCommand::List(args) => list::run(args),
        DbCommand::Show(args) => show::run(args),
        DbCommand::Validate(args) => validate::run(args),
        DbCommand::Stats(args) => stats::run(args),
        DbCommand::Update(args) => update::run(args),
    }
}

/// The db a `db` subcommand looks at, and what the cache added.
struct Loaded {
    db: VendorDb,
    cache: Option<CacheInfo>,
}

impl Loaded {
    /// How a record's origin reads in human output: `embedded`, `cache`,
    /// `overlay FILE` or `licensing FILE`.
    fn origin_text(&self, origin: &RecordOrigin<'_>) -> String {
        match origin {
            RecordOrigin::Embedded => "embedded".to_owned(),
            RecordOrigin::Overlay { file } if self.is_cache_file(file) => "cache".to_owned(),
            RecordOrigin::Overlay { file } => format!("overlay {file}"),
            RecordOrigin::Licensing { file } => format!("licensing {file}"),
        }
    }

    fn is_cache_file(&self, file: &str) -> bool {
        self.cache
            .as_ref()
            .is_some_and(|c| c.dir.join(BUNDLE_FILE).display().to_string() == file)
    }
}

/// How a `db` subcommand prints.
#[derive(Clone, Copy)]
struct View {
    json: bool,
    style: Style,
}

impl View {
    fn of(args: &DbViewArgs) -> View {
        View {
            json: args.format == OutputFormat::Json,
            style: output::style(args.display.color),
        }
    }
}

/// Loads the db the options name, or prints why not and gives exit 2.
fn load(args: &DbViewArgs, view: View) -> Result<Loaded, i32> {
    match super::audit::load_db_cached(&args.db) {
        Ok((db, used)) => Ok(Loaded {
            db,
            cache: match used {
                CacheUse::Loaded(info) => Some(info),
                CacheUse::Absent | CacheUse::Stale { .. } => None,
            },
        }),
        Err(failure) => Err(output::fail(&[failure], view.json, view.style)),
    }
}

/// The head every `db` JSON document starts with.
#[derive(Serialize)]
struct Head {
    schema: &'static str,
    tool: oemtrace::report::Tool,
}

impl Head {
    fn new(schema: &'static str) -> Head {
        Head {
            schema,
            tool: oemtrace::report::Tool::this(),
        }
    }
}

/// `"1 engine"`, `"2 engines"`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The record counts of a db, for summary lines.
fn counts(db: &VendorDb) -> String {
    format!(
        "{}, {}, {}, {}",
        count(db.entity_count(), "entity", "entities"),
        count(db.engine_count(), "engine", "engines"),
        count(db.product_count(), "product", "products"),
        count(db.program_count(), "program", "programs"),
    )
}

/// The db version as summaries print it.
fn version(db: &VendorDb) -> &str {
    if db.version().is_empty() {
        "(no version)"
    } else {
        db.version()
    }
}
