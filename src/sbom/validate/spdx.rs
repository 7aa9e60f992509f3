//! SPDX against the official model, `spdx-rs`.
//!
//! `spdx-rs` models SPDX 2.2 and 2.3 as a strict serde model (unknown keys
//! and unparseable licence expressions are errors) with no validation pass
//! beyond the parse, so the check is: does the JSON deserialize into it.
//! Its tag-value parser is never called: it panics on ordinary variations
//! of real documents (see DESIGN.md), so tag-value is checked leniently.

use spdx_rs::models::SPDX;

use super::locate::{self, Located};
use super::{Checker, SPDX_RS_VERSION};
use crate::model::{Diagnostic, Document, Format, Level, Span};
use crate::sbom::json;

/// Checks `doc` with `spdx-rs`, or says why it cannot.
pub(super) fn check(doc: &Document, version: Option<&str>) -> (Checker, Vec<Diagnostic>) {
    if doc.format == Format::SpdxTagValue {
        let why = format!(
            "the official model's tag-value parser (spdx-rs {SPDX_RS_VERSION}) panics on \
             ordinary variations of real documents, so it is not used; checked required \
             fields, dangling and duplicate references only"
        );
        return (Checker::LenientOnly { why }, Vec::new());
    }
    if !matches!(version, Some("SPDX-2.2" | "SPDX-2.3")) {
        let named = version.map_or_else(
            || "this document, whose version is unknown".to_owned(),
            |v| format!("{v:?}"),
        );
        let why = format!(
            "the official model (spdx-rs {SPDX_RS_VERSION}) covers SPDX 2.2 and 2.3 JSON \
             only, not {named}; checked required fields, dangling and duplicate references only"
        );
        return (Checker::LenientOnly { why }, Vec::new());
    }
    let checker = Checker::SpdxRs {
        version: SPDX_RS_VERSION,
    };
    let source: &str = &doc.source;
    let issues = match serde_json::from_str::<SPDX>(source) {
        Ok(_) => Vec::new(),
        Err(err) => vec![error(source, &err)],
    };
    (checker, issues)
}

/// The one error `spdx-rs` stops at, placed where `serde_json` says.
fn error(source: &str, err: &serde_json::Error) -> Diagnostic {
    let message = json::error_message(err);
    if !err.is_data() {
        return schema(
            format!("not valid JSON ({message}); the official model checked nothing"),
            None,
        );
    }
    let offset = json::error_offset(source, err);
    let Located { path, span } = locate::path_at(source, offset);
    let (message, span) = if path.is_empty() {
        // spdx-rs reads the document-level fields (spdxVersion,
        // creationInfo, ...) as one flattened block, and serde reports
        // errors inside it at the end of the document: the place is lost.
        (
            format!("document: {message} (in the document-level fields; spdx-rs cannot say where)"),
            None,
        )
    } else {
        (format!("{path}: {message}"), span)
    };
    schema(
        format!(
            "{message} (the official model stops at the first such error: the rest of the \
             document was not checked against it)"
        ),
        span,
    )
}

fn schema(message: String, span: Option<Span>) -> Diagnostic {
    Diagnostic {
        level: Level::Error,
        code: "schema",
        message,
        span,
    }
}
