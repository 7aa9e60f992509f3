//! `oemtrace audit`: read every input, load the db, audit, render.

use std::time::Duration;

use miette::Diagnostic;
use oemtrace::report::human;
use oemtrace::vendordb::VendorDb;

use super::inputs;
use super::output::{self, Failure};
use crate::cli::{AuditArgs, OutputFormat};

pub fn run(args: &AuditArgs) -> i32 {
    let style = output::style(args.color);
    let json = args.format == OutputFormat::Json;
    // Read every input even after one fails, so the user sees all problems at once.
    let limits = inputs::Limits {
        max_input_size: args.max_input_size,
        url_timeout: Duration::from_secs(args.timeout),
    };
    let inputs::Inputs {
        docs,
        mut failures,
        skipped,
    } = inputs::read_all(&args.inputs, limits);
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
            document: args.inputs.join(" "),
            error: Box::new(NoSbom),
        });
    }
    let db = load_db(&args.db, args.no_default_db)
        .map_err(|f| failures.push(f))
        .ok();

    let (Some(db), true) = (db, failures.is_empty()) else {
        return output::fail(&failures, json, style);
    };

    let options = oemtrace::Options {
        fail_on: args.fail_on,
    };
    let report = oemtrace::audit(&docs, &db, &options);
    output::print(&match args.format {
        OutputFormat::Json => oemtrace::report::json::render(&report),
        OutputFormat::Human => human::render(&report, style),
    });
    report.summary.exit_code
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

/// Every argument was a directory with no SBOM in it.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("no SBOM found in the inputs given")]
#[diagnostic(
    code(oemtrace::input::none),
    help("name SBOM files, or directories that hold CycloneDX or SPDX documents")
)]
struct NoSbom;
