//! `oemtrace db validate [PATH]`: build the db layer by layer, as every
//! command does, with PATH on top of the `--db` overlays, and report every
//! error found.
//!
//! The library stops at the first error of a load or a merge, so to show
//! more than one, each file of a directory is first loaded on its own
//! (syntax, schema, sources, duplicates within the file); only a directory
//! whose files are all fine is loaded whole and merged (duplicates across
//! files, references). After a layer fails, later layers are still checked
//! file by file but not merged: their references could only be judged
//! against a db that is not there.
//!
//! Exit codes: 0 valid; 1 the db has errors; 2 a file could not be read
//! (as `oemtrace validate` does for SBOMs).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use oemtrace::policy::ExitCode;
use oemtrace::report::human;
use oemtrace::report::json::ErrorItem;
use oemtrace::vendordb::cache::{Cache, CacheError, CacheUse};
use oemtrace::vendordb::{DbError, DbErrorKind, VendorDb};
use serde::Serialize;

use super::{output, Head, View};
use crate::cli::DbValidateArgs;
use crate::commands::output::Failure;

const SCHEMA: &str = "oemtrace.db-validate/v1";

pub fn run(args: &DbValidateArgs) -> i32 {
    let view = View::of(&args.view);
    let check = check(args);
    let exit_code = check.exit_code();
    output::print(&if view.json {
        let errors: Vec<ErrorItem> = check
            .errors
            .iter()
            .map(|e| output::error_item(&e.failure))
            .collect();
        oemtrace::report::json::to_json(&ValidateJson {
            head: Head::new(SCHEMA),
            valid: check.errors.is_empty(),
            db: DbCounts::of(&check.db),
            layers: &check.layers,
            errors,
            exit_code,
        })
    } else {
        render(&check, exit_code, view.style)
    });
    exit_code
}

/// What the check found.
struct Check {
    db: VendorDb,
    layers: Vec<Layer>,
    errors: Vec<Found>,
}

/// One error, and whether it is about reading rather than content.
struct Found {
    failure: Failure,
    unreadable: bool,
}

/// One layer of the db, in the order they are merged.
#[derive(Serialize)]
struct Layer {
    /// `embedded`, `cache`, `overlay` (`--db`), `path` (the argument) or
    /// `licensing`.
    kind: &'static str,
    path: Option<String>,
    status: Status,
}

#[derive(Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Valid,
    Invalid,
    /// A cached update older than the embedded db: left out, as every run
    /// leaves it out.
    Stale,
    /// Not merged because an earlier layer failed.
    Unchecked,
}

impl Status {
    const fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Invalid => "invalid",
            Status::Stale => "stale: older than the embedded db, left out",
            Status::Unchecked => "not checked: an earlier layer failed",
        }
    }
}

impl Check {
    fn exit_code(&self) -> i32 {
        if self.errors.is_empty() {
            ExitCode::Clean.code()
        } else if self.errors.iter().any(|e| e.unreadable) {
            ExitCode::Error.code()
        } else {
            ExitCode::Findings.code()
        }
    }

    /// Records a layer and its errors; true if it had none.
    fn layer(
        &mut self,
        kind: &'static str,
        path: Option<&Path>,
        errors: Vec<(String, DbError)>,
    ) -> bool {
        let ok = errors.is_empty();
        for (document, e) in errors {
            self.errors.push(Found {
                unreadable: unreadable(&e),
                failure: Failure {
                    document,
                    error: Box::new(e),
                },
            });
        }
        self.layers.push(Layer {
            kind,
            path: path.map(|p| p.display().to_string()),
            status: if ok { Status::Valid } else { Status::Invalid },
        });
        ok
    }

    fn skipped(&mut self, kind: &'static str, path: &Path) {
        self.layers.push(Layer {
            kind,
            path: Some(path.display().to_string()),
            status: Status::Unchecked,
        });
    }
}

fn check(args: &DbValidateArgs) -> Check {
    let opts = &args.view.db;
    let mut c = Check {
        db: VendorDb::empty(),
        layers: Vec::new(),
        errors: Vec::new(),
    };
    // Whether every layer so far merged: later references can be judged.
    let mut whole = true;
    if !opts.no_default_db {
        match VendorDb::embedded() {
            Ok(db) => {
                c.db = db;
                c.layer("embedded", None, Vec::new());
            }
            Err(e) => {
                whole = c.layer(
                    "embedded",
                    None,
                    vec![("vendor-db (embedded)".to_owned(), e)],
                )
            }
        }
        if whole && !opts.no_cache_db {
            whole = check_cache(&mut c, opts.cache_dir.as_deref());
        }
    }
    let overlays = opts
        .overlays
        .iter()
        .map(|p| ("overlay", p))
        .chain(args.path.iter().map(|p| ("path", p)));
    for (kind, path) in overlays {
        let name = path.display().to_string();
        let errors = match (load_overlay(path), whole) {
            (Err(errors), _) => errors,
            (Ok(_), false) => {
                c.skipped(kind, path);
                continue;
            }
            (Ok(overlay), true) => {
                c.db.merge(overlay)
                    .err()
                    .into_iter()
                    .map(|e| (name.clone(), e))
                    .collect()
            }
        };
        whole &= c.layer(kind, Some(path), errors);
    }
    for path in &opts.licensing {
        if !whole {
            c.skipped("licensing", path);
            continue;
        }
        let name = path.display().to_string();
        let errors =
            c.db.load_licensing(path)
                .err()
                .into_iter()
                .map(|e| (name.clone(), e))
                .collect();
        whole &= c.layer("licensing", Some(path), errors);
    }
    c
}

/// The cache layer; true if it is fine (or absent, or stale).
fn check_cache(c: &mut Check, dir: Option<&Path>) -> bool {
    let Some(cache) = Cache::from_env(dir) else {
        return true;
    };
    let path = cache.dir();
    let status = match cache.load_onto(&mut c.db) {
        Ok(CacheUse::Absent) => return true,
        Ok(CacheUse::Loaded(info)) => {
            c.layers.push(Layer {
                kind: "cache",
                path: Some(info.dir.display().to_string()),
                status: Status::Valid,
            });
            return true;
        }
        Ok(CacheUse::Stale { cache, .. }) => {
            c.layers.push(Layer {
                kind: "cache",
                path: Some(cache.dir.display().to_string()),
                status: Status::Stale,
            });
            return true;
        }
        Err(e) => e,
    };
    let unreadable = match &status {
        CacheError::Broken(b) => unreadable(&b.error),
        CacheError::Db(e) => unreadable(e),
        CacheError::Io { .. } | CacheError::NoLocation => true,
        CacheError::NoVersion { .. } | CacheError::Older { .. } => false,
    };
    c.errors.push(Found {
        failure: Failure {
            document: path.display().to_string(),
            error: Box::new(status),
        },
        unreadable,
    });
    c.layers.push(Layer {
        kind: "cache",
        path: Some(path.display().to_string()),
        status: Status::Invalid,
    });
    false
}

/// Loads a `--db` file or directory, with one error per broken file.
fn load_overlay(path: &Path) -> Result<VendorDb, Vec<(String, DbError)>> {
    let whole =
        |path: &Path| VendorDb::load(path).map_err(|e| vec![(path.display().to_string(), e)]);
    let Some(files) = toml_files(path) else {
        return whole(path);
    };
    let errors: Vec<(String, DbError)> = files
        .iter()
        .filter_map(|f| {
            VendorDb::load(f)
                .err()
                .map(|e| (f.display().to_string(), e))
        })
        .collect();
    if errors.is_empty() {
        whole(path)
    } else {
        Err(errors)
    }
}

/// The `*.toml` files of a directory as [`VendorDb::load`] reads them
/// (name order, not recursive); `None` for a file, an unreadable directory
/// or one without such files (the whole load then says why).
fn toml_files(path: &Path) -> Option<Vec<PathBuf>> {
    if !path.is_dir() {
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    files.sort();
    (files.len() > 1).then_some(files)
}

/// A file that could not be read at all, as opposed to one with errors.
fn unreadable(e: &DbError) -> bool {
    matches!(
        e.kind(),
        DbErrorKind::Io { .. } | DbErrorKind::NoFiles { .. } | DbErrorKind::LicensingFormat { .. }
    )
}

#[derive(Serialize)]
struct ValidateJson<'a> {
    #[serde(flatten)]
    head: Head,
    valid: bool,
    /// The db as far as it was built.
    db: DbCounts<'a>,
    layers: &'a [Layer],
    errors: Vec<ErrorItem>,
    exit_code: i32,
}

#[derive(Serialize)]
struct DbCounts<'a> {
    version: &'a str,
    entities: usize,
    engines: usize,
    products: usize,
    programs: usize,
}

impl DbCounts<'_> {
    fn of(db: &VendorDb) -> DbCounts<'_> {
        DbCounts {
            version: db.version(),
            entities: db.entity_count(),
            engines: db.engine_count(),
            products: db.product_count(),
            programs: db.program_count(),
        }
    }
}

fn render(c: &Check, exit_code: i32, style: human::Style) -> String {
    let mut out = String::new();
    for e in &c.errors {
        out.push_str(&human::render_diagnostic(e.failure.error.as_ref(), style));
    }
    for l in &c.layers {
        let _ = writeln!(
            out,
            "  {:<9} {:<40} {}",
            l.kind,
            l.path.as_deref().unwrap_or(""),
            l.status.as_str()
        );
    }
    if c.errors.is_empty() {
        let _ = writeln!(
            out,
            "vendor db valid: {} ({})",
            super::version(&c.db),
            super::counts(&c.db)
        );
    } else {
        let _ = writeln!(
            out,
            "vendor db invalid: {}, exit {exit_code}",
            super::count(c.errors.len(), "error", "errors")
        );
    }
    out
}
