//! CycloneDX against the official model, `cyclonedx-bom`.
//!
//! The crate models spec 1.3, 1.4 and 1.5 (JSON and XML) and nothing else;
//! other versions are left to the lenient checks and say so. It checks in
//! two stages, and both become `schema` issues:
//!
//! 1. its strict serde parse, which stops at the first error (a `serde_json`
//!    line and column, mapped back to a JSON path and a span);
//! 2. its `Validate` pass over the parsed model, which reports every
//!    failure as a path of model field names (mapped to JSON paths and
//!    spans by [`locate`](super::locate)).
//!
//! Where the crate is stricter than the schema of the version it checks
//! (see [`known_limit`]), the issue is a warning with code
//! `official-model-limit` instead: the document is not at fault.

use cyclonedx_bom::errors::{JsonReadError, XmlReadError};
use cyclonedx_bom::models::bom::{Bom, SpecVersion};
use cyclonedx_bom::validation::{Validate, ValidationErrorsKind, ValidationResult};

use super::locate::{self, Located, Step};
use super::{Checker, CYCLONEDX_BOM_VERSION};
use crate::model::{Diagnostic, Document, Format, Level, Span};
use crate::sbom::json;

/// The versions of the spec the crate models.
const COVERED: &str = "1.3–1.5";

/// Checks `doc` with `cyclonedx-bom`, or says why it cannot.
pub(super) fn check(doc: &Document, version: Option<&str>) -> (Checker, Vec<Diagnostic>) {
    let Some(spec) = version.and_then(|v| v.parse::<SpecVersion>().ok()) else {
        let named = version.map_or_else(
            || "this document, whose version is unknown,".to_owned(),
            |v| format!("CycloneDX {v}"),
        );
        let why = format!(
            "the official model (cyclonedx-bom {CYCLONEDX_BOM_VERSION}) covers CycloneDX \
             {COVERED} only, not {named}; checked required fields, dangling and duplicate \
             references only"
        );
        return (Checker::LenientOnly { why }, Vec::new());
    };
    let checker = Checker::CycloneDxBom {
        version: CYCLONEDX_BOM_VERSION,
    };
    let source: &str = &doc.source;
    let issues = match doc.format {
        Format::CyclonedxXml => match Bom::parse_from_xml_with_version(source.as_bytes(), spec) {
            Ok(bom) => failures(source, bom.validate_version(spec), false),
            Err(err) => vec![xml_error(&err)],
        },
        _ => match Bom::parse_from_json_with_version(source.as_bytes(), spec) {
            Ok(bom) => failures(source, bom.validate_version(spec), true),
            Err(err) => vec![json_error(source, &err)],
        },
    };
    (checker, issues)
}

/// The crate's strict parse stopped: one issue, at the place `serde_json`
/// names.
fn json_error(source: &str, err: &JsonReadError) -> Diagnostic {
    let serde = match err {
        JsonReadError::JsonElementReadError { error } => error,
        other => return schema(format!("{other}"), None),
    };
    if serde.is_syntax() || serde.is_eof() || serde.is_io() {
        // The reader has already reported bad JSON with its place; the
        // official model has nothing to add but that it stopped.
        return schema(
            format!(
                "not valid JSON ({}); the official model checked nothing",
                json::error_message(serde)
            ),
            None,
        );
    }
    let offset = json::error_offset(source, serde);
    let Located { path, span } = locate::path_at(source, offset);
    let message = json::error_message(serde);
    let place = if path.is_empty() { "document" } else { &path };
    let steps: Vec<&str> = path_keys(&path);
    if let Some(reason) = known_limit(&steps, &message) {
        return limit(format!("{place}: {message}"), reason, span);
    }
    schema(
        format!(
            "{place}: {message} (the official model stops at the first such error: \
             the rest of the document was not checked against it)"
        ),
        // Point at the error itself when the value is large (a missing
        // field is reported at the closing brace of its object).
        span.map(|s| narrow(s, offset)),
    )
}

/// An error of the crate's XML parse. `cyclonedx-bom` gives no position
/// for most of them, so these carry none.
fn xml_error(err: &XmlReadError) -> Diagnostic {
    schema(format!("{err}"), None)
}

/// Every failure of the crate's `Validate` pass, located in the document.
fn failures(source: &str, result: ValidationResult, is_json: bool) -> Vec<Diagnostic> {
    let flat = flatten(result);
    let paths: Vec<Vec<Step>> = flat.iter().map(|(path, _)| path.clone()).collect();
    let located = if is_json {
        locate::locate_all(source, &paths)
    } else {
        paths
            .iter()
            .map(|p| Located {
                path: locate::render(p),
                span: None,
            })
            .collect()
    };
    flat.into_iter()
        .zip(located)
        .map(|((_, message), Located { path, span })| {
            let steps = path_keys(&path);
            let place = if path.is_empty() { "document" } else { &path };
            match known_limit(&steps, &message) {
                Some(reason) => limit(format!("{place}: {message}"), reason, span),
                None => schema(format!("{place}: {message}"), span),
            }
        })
        .collect()
}

/// Model names with no JSON key of their own: the value they name is the
/// object around them (a licence's id-or-name, a single signature).
const TRANSPARENT: [&str; 2] = ["license_identifier", "Single"];

/// The crate's nested result as (model path, message) pairs, in the
/// crate's order. Newtype lists (`inner`) are left out of the paths, and
/// so is the index `0` the crate puts before the `inner` of an optional
/// list it validates as a list of one (`metadata.licenses`,
/// `metadata.tools`).
fn flatten(result: ValidationResult) -> Vec<(Vec<Step>, String)> {
    let mut out = Vec::new();
    // (path so far, result below it); explicit, so depth costs no stack.
    let mut work = vec![(Vec::new(), result)];
    while let Some((path, result)) = work.pop() {
        let mut nested = Vec::new();
        for (name, kind) in result.errors() {
            let mut here = path.clone();
            if name == "inner" {
                if here.last() == Some(&Step::Index(0)) {
                    here.pop();
                }
            } else if !name.is_empty() && !TRANSPARENT.contains(&name.as_str()) {
                here.push(Step::Field(name));
            }
            match kind {
                ValidationErrorsKind::Struct(inner) => nested.push((here, inner)),
                ValidationErrorsKind::List(items) => {
                    for (index, inner) in items {
                        let mut item = here.clone();
                        item.push(Step::Index(index));
                        nested.push((item, inner));
                    }
                }
                ValidationErrorsKind::Field(errors) | ValidationErrorsKind::Custom(errors) => out
                    .extend(
                        errors
                            .into_iter()
                            .map(|error| (here.clone(), error.message)),
                    ),
                ValidationErrorsKind::Enum(error) => out.push((here, error.message)),
            }
        }
        // Depth first in the crate's order: the stack pops the last first.
        work.extend(nested.into_iter().rev());
    }
    out
}

/// The keys of a JSON path (`components[3].externalReferences[0].url` ->
/// `components`, `externalReferences`, `url`), for matching limits.
fn path_keys(path: &str) -> Vec<&str> {
    path.split('.')
        .map(|part| part.split('[').next().unwrap_or(part))
        .filter(|key| !key.is_empty())
        .collect()
}

/// Why a failure is the crate's strictness rather than the document's
/// fault, for the cases measured on the corpus. Each names where the
/// schema of the version checked allows what the crate rejects.
fn known_limit(keys: &[&str], message: &str) -> Option<&'static str> {
    let ends_with = |suffix: &[&str]| keys.ends_with(suffix);
    if message.contains("BOM-Link not supported before version 1.5") {
        return Some(
            "the 1.3 and 1.4 schemas accept any IRI reference as an external reference \
             `url`, BOM-Links included; cyclonedx-bom accepts BOM-Links from 1.5 on",
        );
    }
    if message.contains("missing field `status`") && ends_with(&["affects", "versions"]) {
        return Some(
            "`status` of an affected version is optional in the schema (it defaults to \
             \"affected\"); cyclonedx-bom requires it",
        );
    }
    None
}

/// An error of the official model.
fn schema(message: String, span: Option<Span>) -> Diagnostic {
    Diagnostic {
        level: Level::Error,
        code: "schema",
        message,
        span,
    }
}

/// A failure that is the official model's strictness, not the document's.
fn limit(what: String, reason: &str, span: Option<Span>) -> Diagnostic {
    Diagnostic::warning(
        "official-model-limit",
        format!("the official model rejects this, but the spec allows it: {what} ({reason})"),
        span,
    )
}

/// A span narrowed to the error offset when the error sits at the end of
/// a large value (a missing field is reported at the closing brace).
fn narrow(span: Span, offset: usize) -> Span {
    const SHORT: usize = 120;
    if span.len() <= SHORT || offset < span.offset() || offset >= span.end() {
        span
    } else {
        Span::new(offset, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_drop_newtype_lists_and_keep_indexes() {
        let doc = r#"{"bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
            "components": [{"type": "library", "name": "a"},
                           {"type": "library", "name": "b", "scope": "sometimes"}]}"#;
        let bom = Bom::parse_from_json_with_version(doc.as_bytes(), SpecVersion::V1_4).unwrap();
        let flat = flatten(bom.validate_version(SpecVersion::V1_4));
        assert_eq!(
            flat,
            [(
                vec![
                    Step::Field("components".into()),
                    Step::Index(1),
                    Step::Field("scope".into())
                ],
                "Unknown scope".to_owned()
            )]
        );
    }

    #[test]
    fn keys_of_a_json_path() {
        assert_eq!(
            path_keys("vulnerabilities[0].affects[2].versions[1]"),
            ["vulnerabilities", "affects", "versions"]
        );
        assert!(path_keys("").is_empty());
    }

    #[test]
    fn narrowing_keeps_short_spans() {
        assert_eq!(narrow(Span::new(10, 20), 29), Span::new(10, 20));
        assert_eq!(narrow(Span::new(10, 500), 509), Span::new(509, 1));
        assert_eq!(narrow(Span::new(10, 500), 5), Span::new(10, 500));
    }
}
