//! Why a document could not be read at all.
//!
//! A [`ReadError`] ends the reading of one document (what can be skipped
//! is a [`crate::model::Diagnostic`] instead). Every message starts with
//! `file:line:column:` where there is a position, so that it reads well
//! in a terminal, an editor and a CI log alike, and every positioned error
//! carries the source so that miette underlines the place.

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::model::{SourceText, Span};
use crate::sbom::span::{LineIndex, Snippet};

/// The source text an error points into, with the file name miette shows,
/// shown as a window around the error (a [`Snippet`]): miette's own
/// source for a text copies and lays out the whole line, and a minified
/// SBOM is one line of up to `--max-input-size`.
///
/// Shared behind an `Arc` so that a [`ReadError`] stays small (it travels
/// in every `Result` of the reading path).
pub type ErrorSource = Arc<Snippet>;

/// A document that could not be read.
#[derive(Debug, Error, Diagnostic)]
pub enum ReadError {
    #[error(
        "{name}:{line}:{column}: the file is not UTF-8 text (invalid byte at offset {offset})"
    )]
    #[diagnostic(
        code(oemtrace::read::not_utf8),
        help("SBOMs in JSON must be UTF-8; re-encode the file (e.g. `iconv -t UTF-8`), or check that it is an SBOM at all and not a compressed or binary file")
    )]
    NotUtf8 {
        name: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
        line: usize,
        column: usize,
        /// The text with invalid bytes replaced; exact up to `offset`.
        #[source_code]
        src: ErrorSource,
        #[label("not UTF-8")]
        span: SourceSpan,
    },

    #[error("{name}: the file is empty")]
    #[diagnostic(
        code(oemtrace::read::empty),
        help("an SBOM file must contain a document; was it written completely?")
    )]
    Empty { name: String },

    #[error("{name}: {size} bytes is more than oemtrace can point into (at most {max} bytes)")]
    #[diagnostic(
        code(oemtrace::read::too_large),
        help("every finding points at a byte of its SBOM with 32-bit offsets, so one document can be at most 4 GiB; split the SBOM into several documents and audit them together")
    )]
    TooLarge {
        name: String,
        size: usize,
        /// [`crate::model::Span::MAX`].
        max: usize,
    },

    #[error("{name}:{line}:{column}: {message}")]
    #[diagnostic(
        code(oemtrace::read::syntax),
        help("the file is not well-formed JSON or XML here; if it ends early it was probably cut off while being written or copied")
    )]
    Syntax {
        name: String,
        line: usize,
        column: usize,
        /// `serde_json`'s description, without its own position.
        message: String,
        #[source_code]
        src: ErrorSource,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("{name}:{line}:{column}: not a CycloneDX BOM: {reason}")]
    #[diagnostic(
        code(oemtrace::read::not_an_sbom),
        help("a CycloneDX JSON BOM is an object with \"bomFormat\": \"CycloneDX\" and a \"specVersion\"; SPDX documents have \"spdxVersion\"")
    )]
    NotAnSbom {
        name: String,
        line: usize,
        column: usize,
        reason: String,
        #[source_code]
        src: ErrorSource,
        #[label("{reason}")]
        span: SourceSpan,
    },

    #[error("{name}:{line}:{column}: `{path}` must be {expected}, found {found}")]
    #[diagnostic(
        code(oemtrace::read::wrong_type),
        help("this field holds components; reading on without it could hide a part of the product, so the document is not read")
    )]
    WrongType {
        name: String,
        line: usize,
        column: usize,
        /// The field in the SBOM's own words (`components`, `metadata.component`).
        path: &'static str,
        expected: &'static str,
        found: &'static str,
        #[source_code]
        src: ErrorSource,
        #[label("{found}")]
        span: SourceSpan,
    },

    #[error("{name}:{line}:{column}: nested more than {limit} levels deep")]
    #[diagnostic(
        code(oemtrace::read::too_deep),
        help("real SBOMs nest components a few levels deep; a document this deep is malformed or hostile, and reading it would cost time for nothing")
    )]
    TooDeep {
        name: String,
        line: usize,
        column: usize,
        limit: usize,
        #[source_code]
        src: ErrorSource,
        #[label("too deep")]
        span: SourceSpan,
    },

    #[error("{name}:{line}:{column}: unknown format: {seen}")]
    #[diagnostic(
        code(oemtrace::read::unknown_format),
        help("oemtrace reads CycloneDX JSON (an object with \"bomFormat\": \"CycloneDX\"), CycloneDX XML (a <bom> root element), SPDX 2.x JSON (an object with \"spdxVersion\") and SPDX tag-value (starting with `SPDXVersion:`)")
    )]
    UnknownFormat {
        name: String,
        line: usize,
        column: usize,
        /// What the file looks like instead.
        seen: String,
        #[source_code]
        src: ErrorSource,
        #[label("expected an SBOM here")]
        span: SourceSpan,
    },

    #[error("{name}:{line}:{column}: {format} is not supported yet")]
    #[diagnostic(
        code(oemtrace::read::unsupported),
        help("oemtrace reads CycloneDX JSON and XML and SPDX 2.x JSON and tag-value; convert the document to one of those (for example `pyspdxtools -i in -o out.spdx.json` for SPDX YAML, RDF or XML)")
    )]
    Unsupported {
        name: String,
        line: usize,
        column: usize,
        /// The format recognised, as people call it ("SPDX JSON").
        format: &'static str,
        #[source_code]
        src: ErrorSource,
        #[label("this is {format}")]
        span: SourceSpan,
    },

    #[error("{name}:{line}:{column}: refused to read this XML: {reason}")]
    #[diagnostic(
        code(oemtrace::read::unsafe_xml),
        help("oemtrace never processes DTDs: declared entities can expand into gigabytes (\"billion laughs\") and external entities can make a reader open local files or URLs (XXE). CycloneDX XML needs no DTD: remove the <!DOCTYPE> declaration and write the text the entities stood for")
    )]
    UnsafeXml {
        name: String,
        line: usize,
        column: usize,
        /// What the document asks for that oemtrace will not do.
        reason: &'static str,
        #[source_code]
        src: ErrorSource,
        #[label("{reason}")]
        span: SourceSpan,
    },
}

/// Where an error points: the file, its text and a span in it, with the
/// 1-based line and column (in characters) already worked out.
pub(crate) struct At {
    pub name: String,
    pub line: usize,
    pub column: usize,
    pub src: ErrorSource,
    pub span: SourceSpan,
}

impl At {
    /// Locates `span` in `text`. Builds a line index: errors are rare and
    /// end the reading, so the one pass over the text does not matter.
    pub(crate) fn new(name: &str, text: &SourceText, span: Span) -> At {
        let mut offset = span.offset().min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let mut end = span.end().clamp(offset, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let lines = Arc::new(LineIndex::new(text));
        let (line, column) = lines.line_col(text, offset);
        At {
            name: name.to_owned(),
            line,
            column,
            src: Arc::new(Snippet::with_lines(name, text, lines)),
            span: SourceSpan::new(offset.into(), end - offset),
        }
    }
}

impl ReadError {
    pub(crate) fn syntax(at: At, message: String) -> ReadError {
        let At {
            name,
            line,
            column,
            src,
            span,
        } = at;
        ReadError::Syntax {
            name,
            line,
            column,
            message,
            src,
            span,
        }
    }

    pub(crate) fn not_an_sbom(at: At, reason: String) -> ReadError {
        let At {
            name,
            line,
            column,
            src,
            span,
        } = at;
        ReadError::NotAnSbom {
            name,
            line,
            column,
            reason,
            src,
            span,
        }
    }

    pub(crate) fn wrong_type(
        at: At,
        path: &'static str,
        expected: &'static str,
        found: &'static str,
    ) -> ReadError {
        let At {
            name,
            line,
            column,
            src,
            span,
        } = at;
        ReadError::WrongType {
            name,
            line,
            column,
            path,
            expected,
            found,
            src,
            span,
        }
    }

    pub(crate) fn too_deep(at: At, limit: usize) -> ReadError {
        let At {
            name,
            line,
            column,
            src,
            span,
        } = at;
        ReadError::TooDeep {
            name,
            line,
            column,
            limit,
            src,
            span,
        }
    }

    pub(crate) fn unknown_format(at: At, seen: String) -> ReadError {
        let At {
            name,
            line,
            column,
            src,
            span,
        } = at;
        ReadError::UnknownFormat {
            name,
            line,
            column,
            seen,
            src,
            span,
        }
    }

    pub(crate) fn unsupported(at: At, format: &'static str) -> ReadError {
        let At {
            name,
            line,
            column,
            src,
            span,
        } = at;
        ReadError::Unsupported {
            name,
            line,
            column,
            format,
            src,
            span,
        }
    }

    pub(crate) fn unsafe_xml(at: At, reason: &'static str) -> ReadError {
        let At {
            name,
            line,
            column,
            src,
            span,
        } = at;
        ReadError::UnsafeXml {
            name,
            line,
            column,
            reason,
            src,
            span,
        }
    }

    /// The file name the error is about.
    pub fn name(&self) -> &str {
        match self {
            ReadError::NotUtf8 { name, .. }
            | ReadError::Empty { name }
            | ReadError::TooLarge { name, .. }
            | ReadError::Syntax { name, .. }
            | ReadError::NotAnSbom { name, .. }
            | ReadError::WrongType { name, .. }
            | ReadError::TooDeep { name, .. }
            | ReadError::UnknownFormat { name, .. }
            | ReadError::Unsupported { name, .. }
            | ReadError::UnsafeXml { name, .. } => name,
        }
    }

    /// The 1-based line and column the error points at, if it has a place.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        match self {
            ReadError::Empty { .. } | ReadError::TooLarge { .. } => None,
            ReadError::NotUtf8 { line, column, .. }
            | ReadError::Syntax { line, column, .. }
            | ReadError::NotAnSbom { line, column, .. }
            | ReadError::WrongType { line, column, .. }
            | ReadError::TooDeep { line, column, .. }
            | ReadError::UnknownFormat { line, column, .. }
            | ReadError::Unsupported { line, column, .. }
            | ReadError::UnsafeXml { line, column, .. } => Some((*line, *column)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_counts_lines_and_character_columns() {
        let text: SourceText = SourceText::from("{\n  \"s\": \"АО\", \"x\": 1\n}");
        let offset = text.find("\"x\"").unwrap();
        let at = At::new("a.json", &text, Span::new(offset, 3));
        assert_eq!((at.line, at.column), (2, 14));
        assert_eq!(at.span, SourceSpan::new(offset.into(), 3));
        assert_eq!(at.src.name(), "a.json");
    }

    #[test]
    fn at_keeps_spans_on_character_boundaries() {
        let text: SourceText = SourceText::from("\"АО\"");
        // Offset 2 is inside the two-byte `А`; end 4 inside `О`.
        let at = At::new("a.json", &text, Span::new(2, 2));
        assert_eq!(at.span, SourceSpan::new(1.into(), 4));
        let past = At::new("a.json", &text, Span::new(99, 5));
        assert_eq!(past.span, SourceSpan::new(text.len().into(), 0));
    }

    #[test]
    fn messages_start_with_file_line_and_column() {
        let text: SourceText = SourceText::from("{\"a\": 1\n");
        let err = ReadError::syntax(
            At::new("x.cdx.json", &text, Span::new(8, 0)),
            "EOF while parsing an object".into(),
        );
        assert_eq!(
            err.to_string(),
            "x.cdx.json:2:1: EOF while parsing an object"
        );
        assert_eq!(err.name(), "x.cdx.json");
        assert_eq!(err.line_col(), Some((2, 1)));
        let code = miette::Diagnostic::code(&err).unwrap().to_string();
        assert_eq!(code, "oemtrace::read::syntax");
    }

    #[test]
    fn an_error_on_a_long_line_shows_a_window_of_it() {
        use crate::report::human::{render_diagnostic, Style};
        // A minified SBOM is one line: here 1.2 MB, cut short at the end.
        let line = format!("{{\"components\": [{}", "{\"name\": \"n\"},".repeat(80_000));
        let text = SourceText::from(line.as_str());
        let at = At::new("big.json", &text, Span::new(text.len() - 1, 1));
        let err = ReadError::syntax(at, "EOF while parsing a list".into());
        let shown = render_diagnostic(&err, Style::plain());
        assert!(shown.contains("big.json:1:"), "{shown}");
        assert!(shown.contains("{\"name\": \"n\"},"), "{shown}");
        // miette's own source showed the whole line under the error.
        assert!(shown.len() < 4096, "{} bytes", shown.len());
    }

    #[test]
    fn errors_stay_small() {
        // Travels in every Result of the reading path (clippy's
        // result_large_err threshold is 128 bytes).
        assert!(std::mem::size_of::<ReadError>() <= 128);
    }
}
