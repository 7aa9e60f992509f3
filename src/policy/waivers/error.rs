//! Errors of reading a waivers file.

use miette::SourceSpan;

use crate::sbom::span::Snippet;

/// A waivers file that cannot be used: a thin box around
/// [`WaiverErrorKind`], so the happy path stays one pointer wide.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct WaiverError(Box<WaiverErrorKind>);

impl WaiverError {
    pub fn kind(&self) -> &WaiverErrorKind {
        &self.0
    }
}

impl From<WaiverErrorKind> for WaiverError {
    fn from(k: WaiverErrorKind) -> Self {
        WaiverError(Box::new(k))
    }
}

/// The kinds of [`WaiverError`]. All but `Io` point into the TOML.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum WaiverErrorKind {
    #[error("could not read waivers file {path}")]
    #[diagnostic(code(oemtrace::waivers::io))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("{file}: {message}")]
    #[diagnostic(
        code(oemtrace::waivers::parse),
        help("a waivers file is TOML: `[[waiver]]` tables with selectors (purl, bom_ref, name, version, target, document), `reason`, `approved_by` and an optional `expires`")
    )]
    Parse {
        file: String,
        message: String,
        #[source_code]
        src: Snippet,
        #[label("here")]
        span: Option<SourceSpan>,
    },

    #[error("{file}: {message}")]
    #[diagnostic(
        code(oemtrace::waivers::invalid),
        help("every waiver needs at least one selector, a `reason` and an `approved_by`; `expires` is a date YYYY-MM-DD")
    )]
    Invalid {
        file: String,
        message: String,
        #[source_code]
        src: Snippet,
        #[label("{message}")]
        span: SourceSpan,
    },
}
