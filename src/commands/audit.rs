//! `oemtrace audit`: read every input, load the db, audit, render.

use std::time::Duration;

use miette::Diagnostic;
use oemtrace::model::Document;
use oemtrace::policy::date::Date;
use oemtrace::policy::waivers::Waivers;
use oemtrace::report::{self, human};
use oemtrace::select::{self, ComponentId};
use oemtrace::vendordb::cache::{Cache, CacheUse};
use oemtrace::vendordb::{DbError, VendorDb};

use super::inputs;
use super::output::{self, ErrorsAs, Failure};
use crate::cli::{AuditArgs, DbArgs, InputArgs, ReportFormat};

pub fn run(args: &AuditArgs) -> i32 {
    let style = output::style(args.display.color);
    let errors_as = match args.format {
        ReportFormat::Json => ErrorsAs::Json,
        ReportFormat::Sarif => ErrorsAs::Sarif,
        _ => ErrorsAs::Text,
    };
    output::report_failures_as(errors_as, args.output.as_deref(), style);
    let fail =
        |failures: &[Failure]| output::fail_to(failures, errors_as, args.output.as_deref(), style);
    let machine = errors_as != ErrorsAs::Text;
    let loaded = load(&args.inputs, &args.input, &args.db, machine);
    let waivers = args.waivers.as_deref().map(|path| {
        Waivers::load(path).map_err(|e| Failure {
            document: path.display().to_string(),
            error: Box::new(e),
        })
    });
    let (mut docs, db, waivers) = match (loaded, waivers.transpose()) {
        (Ok((docs, db)), Ok(waivers)) => (docs, db, waivers),
        (Err(mut failures), Err(w)) => {
            failures.push(w);
            return fail(&failures);
        }
        (Err(failures), _) => return fail(&failures),
        (_, Err(w)) => return fail(&[w]),
    };
    if args.strict {
        let invalid = super::validate::strict_failures(&docs);
        if !invalid.is_empty() {
            return fail(&invalid);
        }
    }
    let roots = match resolve(&docs, &args.root) {
        Ok(roots) => roots,
        Err(failures) => return fail(&failures),
    };
    let options = oemtrace::Options {
        fail_on: args.fail_on,
        roots,
    };
    let mut report = oemtrace::audit_releasing(&mut docs, &db, &options);
    // The documents are not needed any more, and the process ends soon:
    // the kernel takes their memory back at once, where freeing it piece
    // by piece (a string per field, near a million for 100k components)
    // costs about 5% of a big audit's instructions.
    std::mem::forget(docs);
    if let Some(waivers) = &waivers {
        waivers.apply(&mut report, Date::today());
    }
    let text = match args.format {
        ReportFormat::Human => human::render(&report, style),
        ReportFormat::Json => report::json::render(&report),
        ReportFormat::Sarif => report::sarif::render(&report),
        ReportFormat::Github => report::github::render(&report),
        ReportFormat::Markdown => report::markdown::render(&report),
        ReportFormat::Dot => report::dot::render_dot(&report),
        ReportFormat::Mermaid => report::dot::render_mermaid(&report),
    };
    match output::write(&text, args.output.as_deref()) {
        Ok(()) => report.summary.exit_code,
        Err(failure) => output::fail(&[failure], false, style),
    }
}

/// Read every input and the vendor db. Every input is read even after one
/// fails, so the user sees all problems at once.
pub fn load(
    args: &[String],
    input: &InputArgs,
    db: &DbArgs,
    json: bool,
) -> Result<(Vec<Document>, VendorDb), Vec<Failure>> {
    let limits = limits(input);
    // The embedded db is parsed on a thread of its own while the inputs
    // are read: 5.5 M instructions of TOML that came after a 100,000-
    // component read on one core, the other idle (docs/performance.md).
    // Nothing of it is printed, so what stderr shows keeps its order.
    let (read, embedded) = std::thread::scope(|scope| {
        let embedded = scope.spawn(|| (!db.no_default_db).then(VendorDb::embedded));
        let read = inputs::read_all(args, limits, !json);
        let embedded = embedded
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read, embedded)
    });
    let inputs::Inputs {
        docs,
        mut failures,
        skipped,
    } = read;
    if !skipped.is_empty() && !json {
        eprintln!(
            "oemtrace: skipped {} file{} that {} not SBOMs",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" },
            if skipped.len() == 1 { "is" } else { "are" },
        );
    }
    if docs.is_empty() && failures.is_empty() {
        failures.push(Failure {
            document: args.join(" "),
            error: Box::new(NoSbom),
        });
    }
    let db = load_db_onto(db, embedded)
        .map(|(db, _)| db)
        .map_err(|f| failures.push(f))
        .ok();
    match db {
        Some(db) if failures.is_empty() => Ok((docs, db)),
        _ => Err(failures),
    }
}

/// The input limits the options set.
pub fn limits(input: &InputArgs) -> inputs::Limits {
    inputs::Limits {
        max_input_size: input.max_input_size,
        url_timeout: Duration::from_secs(input.timeout),
        map_files: !input.no_mmap,
    }
}

/// The embedded db plus the cached update, `--db` overlays and
/// `--licensing` disclosures, and what the cache contributed; a failure
/// names the file that failed.
pub fn load_db_cached(args: &DbArgs) -> Result<(VendorDb, CacheUse), Failure> {
    load_db_onto(args, (!args.no_default_db).then(VendorDb::embedded))
}

/// [`load_db_cached`] given the embedded db (`None` for
/// `--no-default-db`), which the caller may have parsed meanwhile.
fn load_db_onto(
    args: &DbArgs,
    embedded: Option<Result<VendorDb, DbError>>,
) -> Result<(VendorDb, CacheUse), Failure> {
    let (overlays, no_default) = (&args.overlays, args.no_default_db);
    let failure = |document: String| {
        move |e: DbError| Failure {
            document,
            error: Box::new(e),
        }
    };
    let mut db = match embedded {
        None => VendorDb::empty(),
        Some(embedded) => embedded.map_err(failure("vendor-db (embedded)".to_owned()))?,
    };
    let cached = if no_default || args.no_cache_db {
        CacheUse::Absent
    } else {
        load_cache(&mut db, args.cache_dir.as_deref())?
    };
    for path in overlays {
        let name = path.display().to_string();
        let overlay = VendorDb::load(path).map_err(failure(name.clone()))?;
        db.merge(overlay).map_err(failure(name))?;
    }
    for path in &args.licensing {
        let name = path.display().to_string();
        db.load_licensing(path).map_err(failure(name))?;
    }
    Ok((db, cached))
}

/// Merges the update `db update` cached, if any, on top of `db`. A cache
/// older than `db` is left out with a note on stderr.
fn load_cache(db: &mut VendorDb, dir: Option<&std::path::Path>) -> Result<CacheUse, Failure> {
    let Some(cache) = Cache::from_env(dir) else {
        return Ok(CacheUse::Absent);
    };
    let used = cache.load_onto(db).map_err(|e| Failure {
        document: cache.dir().display().to_string(),
        error: Box::new(e),
    })?;
    if let CacheUse::Stale { cache, db_version } = &used {
        eprintln!(
            "oemtrace: left out the cached vendor db {} in {}: the embedded db {db_version} is newer \
             (run `oemtrace db update` with a newer bundle, or delete the directory)",
            cache.version,
            cache.dir.display(),
        );
    }
    Ok(used)
}

/// The components selectors name; every selector must name at least one.
pub fn resolve(docs: &[Document], selectors: &[String]) -> Result<Vec<ComponentId>, Vec<Failure>> {
    let mut found = Vec::new();
    let mut failures = Vec::new();
    for selector in selectors {
        let ids = select::components(docs, selector);
        if ids.is_empty() {
            failures.push(Failure {
                document: selector.clone(),
                error: Box::new(NoSuchComponent {
                    selector: selector.clone(),
                }),
            });
        }
        found.extend(ids);
    }
    if failures.is_empty() {
        Ok(found)
    } else {
        Err(failures)
    }
}

/// A selector that names no component.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("no component is `{selector}`")]
#[diagnostic(
    code(oemtrace::input::no_such_component),
    help("name a component by its bom-ref or SPDXID, its purl, or its name (name@version)")
)]
pub struct NoSuchComponent {
    pub selector: String,
}

/// Every argument was a directory with no SBOM in it.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("no SBOM found in the inputs given")]
#[diagnostic(
    code(oemtrace::input::none),
    help("name SBOM files, or directories that hold CycloneDX or SPDX documents")
)]
struct NoSbom;
