//! The process edge: parse arguments, read files, run the library, print,
//! and turn the verdict into an exit code. Nothing else knows about the
//! process.

mod cli;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use miette::Diagnostic;
use oemtrace::model::Document;
use oemtrace::policy;
use oemtrace::report::human::{self, Style};
use oemtrace::report::json::{ErrorItem, ErrorReport};
use oemtrace::vendordb::VendorDb;

use cli::{AuditArgs, Cli, ColorChoice, Command, OutputFormat};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Audit(args) => audit(&args),
    };
    ExitCode::from(code as u8)
}

/// `oemtrace audit`: returns the exit code.
fn audit(args: &AuditArgs) -> i32 {
    let style = style(args.color);
    let mut errors: Vec<Failure> = Vec::new();

    // Read every input even after one fails, so the user sees all problems at once.
    let mut docs: Vec<Document> = Vec::with_capacity(args.inputs.len());
    for path in &args.inputs {
        match read_input(path) {
            Ok(doc) => docs.push(doc),
            Err(error) => errors.push(Failure {
                document: path.display().to_string(),
                error,
            }),
        }
    }
    let db = match load_db(args) {
        Ok(db) => Some(db),
        Err((document, error)) => {
            errors.push(Failure { document, error });
            None
        }
    };

    let (Some(db), true) = (db, errors.is_empty()) else {
        return fail(&errors, args.format, style);
    };

    let options = oemtrace::Options {
        fail_on: args.fail_on,
    };
    let report = oemtrace::audit(&docs, &db, &options);
    let text = match args.format {
        OutputFormat::Json => oemtrace::report::json::render(&report),
        OutputFormat::Human => human::render(&report, style),
    };
    print(&text);
    report.summary.exit_code
}

fn read_input(path: &Path) -> Result<Document, BoxedDiagnostic> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| {
        Box::new(InputError::Read {
            name: name.clone(),
            source,
        }) as BoxedDiagnostic
    })?;
    oemtrace::sbom::read(&name, bytes).map_err(|e| Box::new(e) as BoxedDiagnostic)
}

/// The embedded db plus `--db` overlays; an error names the db that failed.
fn load_db(args: &AuditArgs) -> Result<VendorDb, (String, BoxedDiagnostic)> {
    let boxed =
        |name: String| move |e: oemtrace::vendordb::DbError| (name, Box::new(e) as BoxedDiagnostic);
    let mut db = if args.no_default_db {
        VendorDb::empty()
    } else {
        VendorDb::embedded().map_err(boxed("vendor-db (embedded)".to_owned()))?
    };
    for path in &args.db {
        let name = path.display().to_string();
        let overlay = VendorDb::load(path).map_err(boxed(name.clone()))?;
        db.merge(overlay).map_err(boxed(name))?;
    }
    Ok(db)
}

type BoxedDiagnostic = Box<dyn Diagnostic + Send + Sync>;

/// An input or db that could not be used, and why.
struct Failure {
    document: String,
    error: BoxedDiagnostic,
}

/// Report errors (stderr, and the error document in JSON mode) and exit 2.
fn fail(errors: &[Failure], format: OutputFormat, style: Style) -> i32 {
    let mut stderr = std::io::stderr().lock();
    for f in errors {
        let _ = stderr.write_all(human::render_diagnostic(f.error.as_ref(), style).as_bytes());
    }
    if format == OutputFormat::Json {
        let items = errors.iter().map(error_item).collect();
        print(&ErrorReport::new(items).render());
    }
    policy::ExitCode::Error.code()
}

/// An error as JSON data: its code, message and, where it points somewhere,
/// the line and column of its first label.
fn error_item(failure: &Failure) -> ErrorItem {
    let e = failure.error.as_ref();
    let code = e.code().map(|c| c.to_string()).unwrap_or_default();
    let position = e
        .labels()
        .and_then(|mut labels| labels.next())
        .zip(e.source_code())
        .and_then(|(label, src)| src.read_span(label.inner(), 0, 0).ok())
        .map(|span| (span.line() + 1, span.column() + 1));
    ErrorItem {
        document: failure.document.clone(),
        code,
        message: e.to_string(),
        line: position.map(|p| p.0),
        column: position.map(|p| p.1),
    }
}

fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`oemtrace ... | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn style(choice: ColorChoice) -> Style {
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

/// Errors of the process edge itself (the library reports its own).
#[derive(Debug, thiserror::Error, Diagnostic)]
enum InputError {
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
