//! `oemtrace validate`, and the `--strict` gate of `audit`.

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use oemtrace::model::{Document, Level};
use oemtrace::report::validation;
use oemtrace::sbom::span::{LineIndex, Snippet};
use oemtrace::sbom::validate::{validate, Validation};
use rayon::prelude::*;

use super::inputs;
use super::output::{self, Failure};
use crate::cli::{OutputFormat, ValidateArgs};

pub fn run(args: &ValidateArgs) -> i32 {
    let style = output::style(args.display.color);
    let json = args.format == OutputFormat::Json;
    output::report_failures_as(output::errors_as(json), None, style);
    let read = inputs::read_all(&args.inputs, super::audit::limits(&args.input), !json);
    if !read.failures.is_empty() {
        return output::fail(&read.failures, json, style);
    }
    let validations = validate_all(&read.docs);
    let report = validation::report(&read.docs, &validations);
    output::print(&if json {
        oemtrace::report::json::to_json(&report)
    } else {
        validation::render_human(&read.docs, &validations, style)
    });
    report.summary.exit_code
}

/// Validate every document, on both cores.
pub fn validate_all(docs: &[Document]) -> Vec<Validation> {
    docs.par_iter().map(validate).collect()
}

/// `audit --strict`: every schema error of every document, as failures
/// (empty when all are valid).
pub fn strict_failures(docs: &[Document]) -> Vec<Failure> {
    let mut failures = Vec::new();
    for (doc, v) in docs.iter().zip(validate_all(docs)) {
        // One index per document, shared by its errors' snippets.
        let index = Arc::new(LineIndex::new(&doc.source));
        for issue in v.issues.iter().filter(|i| i.level == Level::Error) {
            let (line, column) = issue
                .span
                .map(|s| index.line_col(&doc.source, s.offset()))
                .map_or((None, None), |(l, c)| (Some(l), Some(c)));
            let at = match (line, column) {
                (Some(l), Some(c)) => format!(":{l}:{c}"),
                _ => String::new(),
            };
            failures.push(Failure {
                document: doc.name.clone(),
                error: Box::new(SchemaError {
                    message: format!("{}{at}: [{}] {}", doc.name, issue.code, issue.message),
                    checked_by: v.checked_by.to_string(),
                    src: Snippet::with_lines(&doc.name, &doc.source, Arc::clone(&index)),
                    span: issue.span.map(Into::into),
                }),
            });
        }
    }
    failures
}

/// A schema error under `audit --strict`.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(
    code(oemtrace::strict::invalid),
    help("checked by {checked_by}; run `oemtrace validate` for every issue, or audit without --strict to read leniently")
)]
pub struct SchemaError {
    message: String,
    checked_by: String,
    /// A window of the document around the error: miette's own source
    /// copied the whole line for each error, and a minified SBOM is one
    /// line.
    #[source_code]
    src: Snippet,
    #[label("here")]
    span: Option<SourceSpan>,
}
