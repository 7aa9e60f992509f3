//! `oemtrace validate`: strict validation results as JSON data and as
//! text for a person.

use std::fmt::Write as _;

use serde::Serialize;

use super::human::{self, Style};
use super::Tool;
use crate::model::{Document, Format, Level};
use crate::sbom::span::LineIndex;
use crate::sbom::validate::Validation;

/// The `schema` of `validate --format json`.
pub const SCHEMA: &str = "oemtrace.validate/v1";

#[derive(Clone, Debug, Serialize)]
pub struct ValidationReport {
    pub schema: &'static str,
    pub tool: Tool,
    pub documents: Vec<DocumentValidation>,
    pub summary: ValidationSummary,
}

#[derive(Clone, Debug, Serialize)]
pub struct DocumentValidation {
    pub document: String,
    pub format: Format,
    pub spec_version: Option<String>,
    /// Who checked it: `cyclonedx-bom 0.8.1`, `spdx-rs 0.5.5`, or the
    /// lenient checks only, with the reason.
    pub checked_by: String,
    pub valid: bool,
    pub errors: usize,
    pub warnings: usize,
    pub issues: Vec<Issue>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Issue {
    pub level: Level,
    pub code: &'static str,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ValidationSummary {
    pub documents: usize,
    pub valid: usize,
    pub invalid: usize,
    pub exit_code: i32,
}

/// The report for `docs` and their validations (same order).
pub fn report(docs: &[Document], validations: &[Validation]) -> ValidationReport {
    let documents: Vec<DocumentValidation> = docs
        .iter()
        .zip(validations)
        .map(|(doc, v)| {
            let index = LineIndex::new(&doc.source);
            DocumentValidation {
                document: v.document.clone(),
                format: v.format,
                spec_version: v.spec_version.clone(),
                checked_by: v.checked_by.to_string(),
                valid: v.is_valid(),
                errors: v.count(Level::Error),
                warnings: v.count(Level::Warning),
                issues: v
                    .issues
                    .iter()
                    .map(|d| {
                        let pos = d.span.map(|s| index.line_col(&doc.source, s.offset()));
                        Issue {
                            level: d.level,
                            code: d.code,
                            message: d.message.clone(),
                            line: pos.map(|p| p.0),
                            column: pos.map(|p| p.1),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let valid = documents.iter().filter(|d| d.valid).count();
    let invalid = documents.len() - valid;
    ValidationReport {
        schema: SCHEMA,
        tool: Tool::this(),
        summary: ValidationSummary {
            documents: documents.len(),
            valid,
            invalid,
            exit_code: i32::from(invalid > 0),
        },
        documents,
    }
}

/// Every issue as a miette diagnostic, then one line per document.
pub fn render_human(docs: &[Document], validations: &[Validation], style: Style) -> String {
    let mut out = String::new();
    for (doc, v) in docs.iter().zip(validations) {
        for issue in &v.issues {
            out.push_str(&human::render_model_diagnostic(
                &doc.name,
                &doc.source,
                issue,
                style,
            ));
            out.push('\n');
        }
    }
    for v in validations {
        let _ = writeln!(
            out,
            "{}: {} {}: {} ({} error{}, {} warning{}); checked by {}",
            v.document,
            v.format,
            v.spec_version.as_deref().unwrap_or("(no version)"),
            if v.is_valid() { "valid" } else { "INVALID" },
            v.count(Level::Error),
            if v.count(Level::Error) == 1 { "" } else { "s" },
            v.count(Level::Warning),
            if v.count(Level::Warning) == 1 {
                ""
            } else {
                "s"
            },
            v.checked_by,
        );
    }
    out
}
