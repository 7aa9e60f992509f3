//! Where output goes, how it looks, and how failures print.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use miette::Diagnostic;
use oemtrace::policy;
use oemtrace::report::human::{self, Style};
use oemtrace::report::json::{ErrorItem, ErrorReport};

use crate::cli::ColorChoice;

pub type BoxedDiagnostic = Box<dyn Diagnostic + Send + Sync>;

/// An input or db that could not be used, and why.
pub struct Failure {
    /// The file as the user named it.
    pub document: String,
    pub error: BoxedDiagnostic,
}

/// How a run that failed (exit 2) reports it on its output, besides the
/// miette diagnostics on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorsAs {
    /// Nothing on stdout: a person reads stderr.
    Text,
    /// The JSON error document (no `findings` key).
    Json,
    /// A SARIF log of a failed run, with no results.
    Sarif,
}

/// Print failures on stderr (and, for JSON output, the error document on
/// stdout) and return exit code 2.
pub fn fail(failures: &[Failure], json: bool, style: Style) -> i32 {
    fail_to(failures, errors_as(json), None, style)
}

/// How [`fail`] reports: the JSON error document for `--format json`,
/// else text alone.
pub fn errors_as(json: bool) -> ErrorsAs {
    if json {
        ErrorsAs::Json
    } else {
        ErrorsAs::Text
    }
}

/// Like [`fail`], writing the machine-readable error document to `output`
/// (stdout when `None`).
pub fn fail_to(
    failures: &[Failure],
    errors_as: ErrorsAs,
    output: Option<&Path>,
    style: Style,
) -> i32 {
    let Prepared { stderr, document } = prepare(failures, errors_as, style);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(stderr.as_bytes());
    if let Some(document) = document {
        if let Err(f) = write(&document, output) {
            let _ = err.write_all(human::render_diagnostic(f.error.as_ref(), style).as_bytes());
        }
    }
    policy::ExitCode::Error.code()
}

/// What reporting failures prints: the diagnostics for stderr, and the
/// error document, if the output format has one.
pub struct Prepared {
    pub stderr: String,
    pub document: Option<String>,
}

fn prepare(failures: &[Failure], errors_as: ErrorsAs, style: Style) -> Prepared {
    let stderr = failures
        .iter()
        .map(|f| human::render_diagnostic(f.error.as_ref(), style))
        .collect();
    let items: Vec<ErrorItem> = failures.iter().map(error_item).collect();
    let document = match errors_as {
        ErrorsAs::Text => None,
        ErrorsAs::Json => Some(ErrorReport::new(items).render()),
        ErrorsAs::Sarif => Some(oemtrace::report::sarif::render_errors(&items)),
    };
    Prepared { stderr, document }
}

/// How this run reports failures, set once by the command, for a failure
/// that cannot be returned to it: a mapped input that shrinks, met in a
/// signal handler (`mapped::sigbus`), which can only write what was
/// prepared for it.
struct Reporting {
    errors_as: ErrorsAs,
    output: Option<PathBuf>,
    style: Style,
}

static REPORTING: OnceLock<Reporting> = OnceLock::new();

/// Sets how this run reports failures (see [`prepared_for`]).
pub fn report_failures_as(errors_as: ErrorsAs, output: Option<&Path>, style: Style) {
    let _ = REPORTING.set(Reporting {
        errors_as,
        output: output.map(Path::to_path_buf),
        style,
    });
}

/// What [`fail_to`] would print for `failures` in this run, and the file
/// its error document goes to (stdout when `None`). Before the command
/// said how it reports ([`report_failures_as`]): diagnostics alone.
pub fn prepared_for(failures: &[Failure]) -> (Prepared, Option<PathBuf>) {
    match REPORTING.get() {
        Some(r) => (prepare(failures, r.errors_as, r.style), r.output.clone()),
        None => (
            prepare(failures, ErrorsAs::Text, style(ColorChoice::Never)),
            None,
        ),
    }
}

/// Write `text` to `path`, or to stdout when `None`.
pub fn write(text: &str, path: Option<&Path>) -> Result<(), Failure> {
    let Some(path) = path else {
        print(text);
        return Ok(());
    };
    std::fs::write(path, text).map_err(|source| Failure {
        document: path.display().to_string(),
        error: Box::new(WriteError {
            path: path.display().to_string(),
            source,
        }),
    })
}

/// `--output` could not be written.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{path}: cannot write the report: {source}")]
#[diagnostic(
    code(oemtrace::output::write),
    help("check that the directory exists and is writable")
)]
pub struct WriteError {
    path: String,
    #[source]
    source: std::io::Error,
}

/// A failure as JSON data: its code, message and, where it points
/// somewhere, the line and column of its first label.
pub fn error_item(failure: &Failure) -> ErrorItem {
    let e = failure.error.as_ref();
    let position = e
        .labels()
        .and_then(|mut labels| labels.next())
        .zip(e.source_code())
        .and_then(|(label, src)| src.read_span(label.inner(), 0, 0).ok())
        .map(|span| (span.line() + 1, span.column() + 1));
    ErrorItem {
        document: failure.document.clone(),
        code: e.code().map(|c| c.to_string()).unwrap_or_default(),
        message: e.to_string(),
        line: position.map(|p| p.0),
        column: position.map(|p| p.1),
    }
}

/// Write to stdout; a closed pipe (`oemtrace … | head`) is not worth a panic.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// The human style for this terminal and `--color` choice.
pub fn style(choice: ColorChoice) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    Style {
        color,
        unicode: true,
        width,
    }
}
