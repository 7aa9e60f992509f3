//! Errors of loading and validating a vendor db.
//!
//! The db is our own data, so every problem is an error, not a warning, and
//! every error that has a place in a TOML file points at it: a typo in the
//! db should be as easy to fix as a compiler error.

use std::sync::Arc;

use miette::SourceSpan;

use crate::model::SourceText;
use crate::sbom::span::Snippet;

/// A vendor-db problem: a thin box around [`DbErrorKind`], so that a
/// `Result<_, DbError>` stays one pointer wide on the happy path.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct DbError(Box<DbErrorKind>);

impl DbError {
    /// What went wrong, for callers that branch on it.
    pub fn kind(&self) -> &DbErrorKind {
        &self.0
    }

    pub fn into_kind(self) -> DbErrorKind {
        *self.0
    }
}

impl From<DbErrorKind> for DbError {
    fn from(k: DbErrorKind) -> Self {
        DbError(Box::new(k))
    }
}

/// The kinds of [`DbError`]. Every variant but [`DbErrorKind::Io`],
/// [`DbErrorKind::NoFiles`] and [`DbErrorKind::LicensingFormat`] carries
/// the file's text (TOML, or CSV for a licensing disclosure) and the span
/// of the offending value, so miette renders it with the line underlined.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum DbErrorKind {
    #[error("could not read vendor db file {path}")]
    #[diagnostic(code(oemtrace::db::io))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("no *.toml files in vendor db directory {path}")]
    #[diagnostic(code(oemtrace::db::no_files))]
    NoFiles { path: String },

    #[error("{file}: {message}")]
    #[diagnostic(code(oemtrace::db::parse))]
    Parse {
        file: String,
        message: String,
        #[source_code]
        src: Snippet,
        #[label("here")]
        span: Option<SourceSpan>,
    },

    #[error("{file}: duplicate {table} id '{id}' (first defined at {first})")]
    #[diagnostic(
        code(oemtrace::db::duplicate_id),
        help("ids are unique per table; an overlay replaces a record only through `merge`")
    )]
    DuplicateId {
        file: String,
        table: &'static str,
        id: String,
        /// `file:line` of the first definition.
        first: String,
        #[source_code]
        src: Snippet,
        #[label("defined again here")]
        span: SourceSpan,
    },

    #[error("{file}: {what} '{id}' does not exist")]
    #[diagnostic(code(oemtrace::db::unknown_reference))]
    UnknownReference {
        file: String,
        /// `entity`, `engine` or `program`.
        what: &'static str,
        id: String,
        #[source_code]
        src: Snippet,
        #[label("no {what} has this id")]
        span: SourceSpan,
    },

    #[error("{file}: {message}")]
    #[diagnostic(
        code(oemtrace::db::unsourced),
        help("every record needs at least one source with a `url` (or `repo` + `path`), a `quote` and a `grade`")
    )]
    Unsourced {
        file: String,
        message: String,
        #[source_code]
        src: Snippet,
        #[label("{message}")]
        span: SourceSpan,
    },

    #[error("{file}: bad grade '{grade}'")]
    #[diagnostic(
        code(oemtrace::db::bad_grade),
        help("only grades A and B ship; keep C and UNVERIFIED leads in a `notes` field")
    )]
    BadGrade {
        file: String,
        grade: String,
        #[source_code]
        src: Snippet,
        #[label("expected \"A\" or \"B\"")]
        span: SourceSpan,
    },

    #[error("{file}: bad date '{date}'")]
    #[diagnostic(code(oemtrace::db::bad_date), help("dates are written YYYY-MM-DD"))]
    BadDate {
        file: String,
        date: String,
        #[source_code]
        src: Snippet,
        #[label("not a calendar date")]
        span: SourceSpan,
    },

    #[error("{file}: licensed technology '{technology}' is not an engine of the db")]
    #[diagnostic(
        code(oemtrace::db::unknown_technology),
        help("name an engine by id (kaspersky/anti-virus-sdk) or by its name or an alias (Kaspersky Anti-Virus SDK, KAV SDK); `oemtrace db list` shows the engines")
    )]
    UnknownTechnology {
        file: String,
        technology: String,
        #[source_code]
        src: Snippet,
        #[label("no engine has this id, name or alias")]
        span: SourceSpan,
    },

    #[error("licensing disclosure {path} is neither .toml nor .csv")]
    #[diagnostic(
        code(oemtrace::db::licensing_format),
        help("write the disclosure as TOML ([[license]] entries) or CSV with a header row; see docs/vendor-db.md")
    )]
    LicensingFormat { path: String },

    #[error("{file}: {message}")]
    #[diagnostic(code(oemtrace::db::bad_value))]
    BadValue {
        file: String,
        message: String,
        #[source_code]
        src: Snippet,
        #[label("{message}")]
        span: SourceSpan,
    },
}

/// Where in which db file: what every located error needs.
#[derive(Clone, Debug)]
pub(crate) struct At<'a> {
    pub file: &'a str,
    pub text: &'a Arc<String>,
}

impl At<'_> {
    /// The file as miette shows it: a window of the line at the error (a
    /// licensing disclosure comes from a vendor, and may be one long line).
    pub fn src(&self) -> Snippet {
        Snippet::new(self.file, &SourceText::from(Arc::clone(self.text)))
    }

    pub fn span(range: std::ops::Range<usize>) -> SourceSpan {
        SourceSpan::new(range.start.into(), range.end.saturating_sub(range.start))
    }

    pub fn unsourced(&self, message: impl Into<String>, range: std::ops::Range<usize>) -> DbError {
        DbErrorKind::Unsourced {
            file: self.file.to_owned(),
            message: message.into(),
            src: self.src(),
            span: Self::span(range),
        }
        .into()
    }

    pub fn bad_value(&self, message: impl Into<String>, range: std::ops::Range<usize>) -> DbError {
        DbErrorKind::BadValue {
            file: self.file.to_owned(),
            message: message.into(),
            src: self.src(),
            span: Self::span(range),
        }
        .into()
    }

    pub fn unknown(&self, what: &'static str, id: &str, range: std::ops::Range<usize>) -> DbError {
        DbErrorKind::UnknownReference {
            file: self.file.to_owned(),
            what,
            id: id.to_owned(),
            src: self.src(),
            span: Self::span(range),
        }
        .into()
    }
}
