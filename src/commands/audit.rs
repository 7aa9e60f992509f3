//! `oemtrace audit`: read every input, load the db, audit, render.

use std::time::Duration;

use miette::Diagnostic;
use oemtrace::model::Document;
use oemtrace::report::human;
use oemtrace::select::{self, ComponentId};
use oemtrace::vendordb::VendorDb;

use super::inputs;
use super::output::{self, Failure};
use crate::cli::{AuditArgs, DbArgs, InputArgs, OutputFormat};

pub fn run(args: &AuditArgs) -> i32 {
    let style = output::style(args.display.color);
    let json = args.format == OutputFormat::Json;
    let (docs, db) = match load(&args.inputs, &args.input, &args.db, json) {
        Ok(loaded) => loaded,
        Err(failures) => return output::fail(&failures, json, style),
    };
    let roots = match resolve(&docs, &args.root) {
        Ok(roots) => roots,
        Err(failures) => return output::fail(&failures, json, style),
    };
    let options = oemtrace::Options {
        fail_on: args.fail_on,
        roots,
    };
    let report = oemtrace::audit(&docs, &db, &options);
    output::print(&match args.format {
        OutputFormat::Json => oemtrace::report::json::render(&report),
        OutputFormat::Human => human::render(&report, style),
    });
    report.summary.exit_code
}

/// Read every input and the vendor db. Every input is read even after one
/// fails, so the user sees all problems at once.
pub fn load(
    args: &[String],
    input: &InputArgs,
    db: &DbArgs,
    json: bool,
) -> Result<(Vec<Document>, VendorDb), Vec<Failure>> {
    let limits = inputs::Limits {
        max_input_size: input.max_input_size,
        url_timeout: Duration::from_secs(input.timeout),
    };
    let inputs::Inputs {
        docs,
        mut failures,
        skipped,
    } = inputs::read_all(args, limits);
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
    let db = load_db(&db.overlays, db.no_default_db)
        .map_err(|f| failures.push(f))
        .ok();
    match db {
        Some(db) if failures.is_empty() => Ok((docs, db)),
        _ => Err(failures),
    }
}

/// The embedded db plus `--db` overlays; a failure names the db that failed.
pub fn load_db(overlays: &[std::path::PathBuf], no_default: bool) -> Result<VendorDb, Failure> {
    let failure = |document: String| {
        move |e: oemtrace::vendordb::DbError| Failure {
            document,
            error: Box::new(e),
        }
    };
    let mut db = if no_default {
        VendorDb::empty()
    } else {
        VendorDb::embedded().map_err(failure("vendor-db (embedded)".to_owned()))?
    };
    for path in overlays {
        let name = path.display().to_string();
        let overlay = VendorDb::load(path).map_err(failure(name.clone()))?;
        db.merge(overlay).map_err(failure(name))?;
    }
    Ok(db)
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
