//! Where output goes, how it looks, and how failures print.

use std::io::{IsTerminal, Write};

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

/// Print failures on stderr (and, for JSON output, the error document on
/// stdout) and return exit code 2.
pub fn fail(failures: &[Failure], json: bool, style: Style) -> i32 {
    let mut stderr = std::io::stderr().lock();
    for f in failures {
        let _ = stderr.write_all(human::render_diagnostic(f.error.as_ref(), style).as_bytes());
    }
    if json {
        let items = failures.iter().map(error_item).collect();
        print(&ErrorReport::new(items).render());
    }
    policy::ExitCode::Error.code()
}

/// A failure as JSON data: its code, message and, where it points
/// somewhere, the line and column of its first label.
fn error_item(failure: &Failure) -> ErrorItem {
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
