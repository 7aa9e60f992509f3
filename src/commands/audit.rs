//! `oemtrace audit`: read every input, load the db, audit, render.

use std::path::Path;

use miette::Diagnostic;
use oemtrace::model::Document;
use oemtrace::report::human;
use oemtrace::vendordb::VendorDb;

use super::output::{self, BoxedDiagnostic, Failure};
use crate::cli::{AuditArgs, OutputFormat};

pub fn run(args: &AuditArgs) -> i32 {
    let style = output::style(args.color);
    let json = args.format == OutputFormat::Json;
    let mut failures = Vec::new();

    // Read every input even after one fails, so the user sees all problems at once.
    let mut docs: Vec<Document> = Vec::with_capacity(args.inputs.len());
    for path in &args.inputs {
        match read_input(path) {
            Ok(doc) => docs.push(doc),
            Err(error) => failures.push(Failure {
                document: path.display().to_string(),
                error,
            }),
        }
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

pub fn read_input(path: &Path) -> Result<Document, BoxedDiagnostic> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| {
        Box::new(InputError::Read {
            name: name.clone(),
            source,
        }) as BoxedDiagnostic
    })?;
    oemtrace::sbom::read(&name, bytes).map_err(|e| Box::new(e) as BoxedDiagnostic)
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

/// Errors of the process edge itself (the library reports its own).
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum InputError {
    #[error("{name}: cannot read: {source}")]
    #[diagnostic(
        code(oemtrace::input::read),
        help("check the path and permissions; a directory, `-` and URLs are not supported yet")
    )]
    Read {
        name: String,
        #[source]
        source: std::io::Error,
    },
}
