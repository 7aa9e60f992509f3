//! `--format json`: the report exactly as report-contract.md specifies.

use serde::Serialize;

use super::{Report, Tool, SCHEMA};

/// The report as one pretty-printed JSON document, newline-terminated.
pub fn render(report: &Report) -> String {
    to_json(report)
}

/// What `--format json` prints when an input could not be read (exit 2).
///
/// It has no `findings` key on purpose: a consumer that forgets to check the
/// exit code must not mistake it for a clean verdict.
#[derive(Clone, Debug, Serialize)]
pub struct ErrorReport {
    pub schema: &'static str,
    pub tool: Tool,
    pub errors: Vec<ErrorItem>,
    pub summary: ErrorSummary,
}

#[derive(Clone, Debug, Serialize)]
pub struct ErrorItem {
    /// The input or db file that failed, as given.
    pub document: String,
    /// A stable code such as `oemtrace::read::syntax`.
    pub code: String,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ErrorSummary {
    pub exit_code: i32,
}

impl ErrorReport {
    pub fn new(errors: Vec<ErrorItem>) -> Self {
        ErrorReport {
            schema: SCHEMA,
            tool: Tool::this(),
            errors,
            summary: ErrorSummary {
                exit_code: crate::policy::ExitCode::Error.code(),
            },
        }
    }

    pub fn render(&self) -> String {
        to_json(self)
    }
}

/// Any serialisable value as pretty JSON, newline-terminated.
pub fn to_json<T: Serialize>(value: &T) -> String {
    // Serialising plain structs of strings and integers cannot fail; if it
    // ever did, an empty object keeps stdout valid JSON.
    let mut out = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_owned());
    out.push('\n');
    out
}
