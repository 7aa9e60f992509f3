//! Strict validation: a document checked against the official model of
//! its format, on top of the lenient checks every document gets.
//!
//! The audit reads leniently (DESIGN.md, "Reading SBOMs"); `oemtrace
//! validate` and `audit --strict` want to know what the spec says about a
//! document. [`validate`] answers with plain data, a [`Validation`], that
//! the CLI renders as diagnostics:
//!
//! - the official model, where it covers the document: `cyclonedx-bom` for
//!   CycloneDX 1.3–1.5 (JSON and XML), `spdx-rs` for SPDX 2.2/2.3 JSON;
//! - the official CycloneDX JSON schema, for CycloneDX JSON 1.2–1.7
//!   ([`json_schema`]; for 1.3–1.5 on top of `cyclonedx-bom`, the two
//!   verdicts merged). Every other version, and SPDX tag-value, is
//!   [`Checker::LenientOnly`] with a plain statement of why;
//! - the lenient checks, for every document: what the reader skipped
//!   (`doc.diagnostics`), dangling and duplicate references (the graph's
//!   diagnostics, less references to CycloneDX services, which the reader
//!   does not keep: see [`services`]), and the required fields the reader
//!   does not insist on ([`required`]).
//!
//! Calls into the official crates run under `catch_unwind`: a panic in
//! them becomes an `official-model-panic` issue, never a crash. (The
//! default panic hook still prints the panic message to stderr.)
//!
//! Issue codes: `schema` (error: the official model or JSON schema rejects
//! the document), `official-model-limit` (warning: the model rejects what
//! the spec allows), `official-model-panic` (warning), `schema-unavailable`
//! and `schema-truncated` (warnings, see [`json_schema`]),
//! `unknown-spec-version` (error when the
//! version is missing or was never published), plus the codes of the
//! reader and the graph and `missing-field` from [`required`]. Codes that
//! mean the document breaks its spec (`missing-field`, `wrong-type`,
//! `dangling-ref`, `duplicate-ref`) are errors here, whatever level the
//! lenient reader gave them.

mod cyclonedx;
mod json_schema;
mod locate;
mod required;
mod services;
mod spdx;
#[cfg(test)]
mod tests;
mod xml_tag;

use std::any::Any;
use std::collections::HashSet;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::model::{Diagnostic, Document, Format, Level, Span};
use crate::sbom::json;

/// The `cyclonedx-bom` release oemtrace validates with (Cargo.lock; a test
/// keeps the two in step).
pub const CYCLONEDX_BOM_VERSION: &str = "0.8.1";
/// The `spdx-rs` release oemtrace validates with (Cargo.lock; a test keeps
/// the two in step).
pub const SPDX_RS_VERSION: &str = "0.5.5";

/// What validating one document found.
#[derive(Clone, Debug)]
pub struct Validation {
    /// [`Document::name`].
    pub document: String,
    pub format: Format,
    /// The spec version as written (`"1.5"`, `"SPDX-2.3"`), if any.
    pub spec_version: Option<String>,
    /// Who checked the document against the spec.
    pub checked_by: Checker,
    /// Every issue found, ordered by position in the document (issues
    /// without a position last). Spans index into [`Document::source`].
    pub issues: Vec<Diagnostic>,
}

impl Validation {
    /// No issue of level error: the document is valid as far as the
    /// checks that ran can tell (see [`Validation::checked_by`]).
    pub fn is_valid(&self) -> bool {
        self.count(Level::Error) == 0
    }

    /// How many issues have `level`.
    pub fn count(&self, level: Level) -> usize {
        self.issues.iter().filter(|i| i.level == level).count()
    }
}

/// Who checked a document against its spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Checker {
    /// The official CycloneDX model, `cyclonedx-bom` at `version`.
    CycloneDxBom { version: &'static str },
    /// The official SPDX model, `spdx-rs` at `version`.
    SpdxRs { version: &'static str },
    /// The official CycloneDX JSON schema of spec `spec`
    /// (`schemas/cyclonedx`), where no official model covers the version.
    CycloneDxSchema { spec: &'static str },
    /// Both the official model, `cyclonedx-bom` at `version`, and the
    /// official CycloneDX JSON schema of spec `spec`.
    CycloneDxBomAndSchema {
        version: &'static str,
        spec: &'static str,
    },
    /// No official model covers the document: only the lenient checks ran.
    /// `why` says so in a sentence for the user.
    LenientOnly { why: String },
}

impl fmt::Display for Checker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Checker::CycloneDxBom { version } => write!(f, "cyclonedx-bom {version}"),
            Checker::SpdxRs { version } => write!(f, "spdx-rs {version}"),
            Checker::CycloneDxSchema { spec } => write!(f, "the CycloneDX {spec} JSON schema"),
            Checker::CycloneDxBomAndSchema { version, spec } => {
                write!(
                    f,
                    "cyclonedx-bom {version} and the CycloneDX {spec} JSON schema"
                )
            }
            Checker::LenientOnly { why } => write!(f, "lenient checks only: {why}"),
        }
    }
}

/// Validates one document (its `source` and `format`; the lenient checks
/// use its components and relationships too). Never fails and never
/// panics: whatever goes wrong is an issue.
pub fn validate(doc: &Document) -> Validation {
    // The reader's version when it kept one, else the source's.
    let sniffed = match &doc.spec_version {
        Some(_) => None,
        None => sniff_version(doc),
    };
    let spec_version = doc
        .spec_version
        .as_deref()
        .or(sniffed.as_ref().map(|(v, _)| v.as_str()))
        .map(|v| v.trim().to_owned());
    let version = spec_version.as_deref();

    let (mut checked_by, mut issues) = match doc.format {
        Format::CyclonedxJson | Format::CyclonedxXml => guarded(
            "cyclonedx-bom",
            CYCLONEDX_BOM_VERSION,
            AssertUnwindSafe(|| cyclonedx::check(doc, version)),
        ),
        Format::SpdxJson | Format::SpdxTagValue => guarded(
            "spdx-rs",
            SPDX_RS_VERSION,
            AssertUnwindSafe(|| spdx::check(doc, version)),
        ),
    };
    if let (Format::CyclonedxJson, Some(v)) = (doc.format, version) {
        checked_by = with_json_schema(&doc.source, v, checked_by, &mut issues);
    }
    let known = version.is_some_and(|v| is_known_version(doc.format, v));
    issues.extend(lenient(doc, version, known));
    drop_wrong_types_the_schema_reported(&mut issues);
    if !known && !issues.iter().any(|i| i.code == UNKNOWN_VERSION) {
        let span = sniffed.and_then(|(_, span)| span);
        issues.push(unknown_version(doc.format, version, span));
    }
    // Stable: issues at one place keep the order they were found in.
    issues.sort_by_key(|i| i.span.map_or(usize::MAX, |s| s.offset()));
    Validation {
        document: doc.name.clone(),
        format: doc.format,
        spec_version,
        checked_by,
        issues,
    }
}

const UNKNOWN_VERSION: &str = "unknown-spec-version";

/// Whether `version` is a published version of the format's spec
/// (whether or not an official model covers it).
fn is_known_version(format: Format, version: &str) -> bool {
    match format {
        Format::CyclonedxJson | Format::CyclonedxXml => matches!(
            version,
            "1.0" | "1.1" | "1.2" | "1.3" | "1.4" | "1.5" | "1.6" | "1.7"
        ),
        Format::SpdxJson | Format::SpdxTagValue => {
            matches!(version, "SPDX-2.0" | "SPDX-2.1" | "SPDX-2.2" | "SPDX-2.3")
        }
    }
}

/// A document whose spec version is missing or is none that was
/// published: no spec says what it must hold.
fn unknown_version(format: Format, version: Option<&str>, span: Option<Span>) -> Diagnostic {
    let (spec, known) = match format {
        Format::CyclonedxJson | Format::CyclonedxXml => ("CycloneDX", "1.0–1.7"),
        Format::SpdxJson | Format::SpdxTagValue => ("SPDX", "SPDX-2.0–SPDX-2.3"),
    };
    let message = match version {
        Some(v) => format!("{v:?} is not a {spec} version (known: {known})"),
        None => format!("the document does not say which {spec} version it follows"),
    };
    Diagnostic {
        level: Level::Error,
        code: UNKNOWN_VERSION,
        message,
        span,
    }
}

/// Runs a check of an official crate; a panic in it becomes an issue and
/// leaves the document to the lenient checks.
fn guarded<F>(crate_name: &str, crate_version: &str, check: F) -> (Checker, Vec<Diagnostic>)
where
    F: FnOnce() -> (Checker, Vec<Diagnostic>) + std::panic::UnwindSafe,
{
    match catch_unwind(check) {
        Ok(checked) => checked,
        Err(payload) => {
            let what = panic_message(payload.as_ref());
            let why = format!(
                "the official model ({crate_name} {crate_version}) crashed on this document, \
                 so only the lenient checks ran"
            );
            let issue = Diagnostic::warning(
                "official-model-panic",
                format!(
                    "{crate_name} {crate_version} panicked while checking this document \
                     ({what}); its verdict is unknown"
                ),
                None,
            );
            (Checker::LenientOnly { why }, vec![issue])
        }
    }
}

/// Checks CycloneDX JSON against the official JSON schema of `version`,
/// if there is one, adding what it finds to `issues` (less what the
/// official model already reported at the same place), and returns who
/// checked the document now.
fn with_json_schema(
    source: &str,
    version: &str,
    checker: Checker,
    issues: &mut Vec<Diagnostic>,
) -> Checker {
    let outcome = catch_unwind(AssertUnwindSafe(|| json_schema::check(source, version)));
    let (spec, found) = match outcome {
        Ok(json_schema::Outcome::Checked { spec, issues }) => (spec, issues),
        Ok(json_schema::Outcome::NoSchema) => return checker,
        Ok(json_schema::Outcome::Unavailable(why)) => {
            issues.push(why);
            return checker;
        }
        Err(payload) => {
            issues.push(Diagnostic::warning(
                "official-model-panic",
                format!(
                    "the CycloneDX {version} JSON schema check panicked ({}); its verdict \
                     is unknown",
                    panic_message(payload.as_ref())
                ),
                None,
            ));
            return checker;
        }
    };
    merge_schema_issues(issues, found);
    match checker {
        Checker::CycloneDxBom { version } => Checker::CycloneDxBomAndSchema { version, spec },
        _ => Checker::CycloneDxSchema { spec },
    }
}

/// Adds the JSON schema's issues to the official model's, leaving out
/// those at a place where the model already reported a `schema` issue:
/// one mistake, one issue. Issues without a place are all kept.
fn merge_schema_issues(issues: &mut Vec<Diagnostic>, found: Vec<Diagnostic>) {
    let taken: HashSet<(Span, &str)> = issues
        .iter()
        .filter_map(|i| i.span.map(|s| (s, i.code)))
        .collect();
    let fresh: Vec<Diagnostic> = found
        .into_iter()
        .filter(|i| i.span.is_none_or(|s| !taken.contains(&(s, i.code))))
        .collect();
    issues.extend(fresh);
}

/// Drops the reader's `wrong-type` issues at a place where a `schema`
/// issue already says what is wrong there (the schema's `type` keyword):
/// one mistake, one issue.
fn drop_wrong_types_the_schema_reported(issues: &mut Vec<Diagnostic>) {
    let schema: HashSet<Span> = issues
        .iter()
        .filter(|i| i.code == "schema")
        .filter_map(|i| i.span)
        .collect();
    if schema.is_empty() {
        return;
    }
    issues.retain(|i| i.code != "wrong-type" || i.span.is_none_or(|s| !schema.contains(&s)));
}

/// The text a panic carried, if it was text.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message")
}

/// The lenient checks: the reader's and the graph's diagnostics and the
/// required fields, with the codes that mean "breaks the spec" raised to
/// errors.
fn lenient(doc: &Document, version: Option<&str>, known: bool) -> Vec<Diagnostic> {
    let graph = crate::graph::build(std::slice::from_ref(doc));
    let mut out: Vec<Diagnostic> = doc
        .diagnostics
        .iter()
        .cloned()
        .chain(graph.diagnostics.into_iter().map(|(_, d)| d))
        // A link to another document says nothing about this one's
        // validity: whether that document is at hand is the audit's concern.
        .filter(|d| d.code != "unresolved-external-ref")
        .map(|mut d| {
            let breaks_spec = matches!(
                d.code,
                "missing-field" | "wrong-type" | "dangling-ref" | "duplicate-ref"
            ) || (d.code == UNKNOWN_VERSION && !known);
            if breaks_spec {
                d.level = Level::Error;
            }
            d
        })
        .collect();
    services::drop_refs_to_services(doc.format, &doc.source, &mut out);
    out.extend(required::check(doc, version));
    out
}

/// The spec version read from the source, with the span of its text, for
/// a document whose reader did not record one: `spdxVersion` /
/// `specVersion` at the top of JSON, the CycloneDX namespace in XML,
/// `SPDXVersion:` in tag-value.
fn sniff_version(doc: &Document) -> Option<(String, Option<Span>)> {
    let source: &str = &doc.source;
    match doc.format {
        Format::CyclonedxJson | Format::SpdxJson => {
            const KEYS: json::Keys<2> = json::Keys::new(["specVersion", "spdxVersion"]);
            let body = crate::sbom::detect::without_bom(source);
            let top = json::object(body, &KEYS).ok()?;
            let raw = top.slots.into_iter().flatten().next()?;
            let span = json::span_in(source, raw.get());
            json::string(raw).map(|v| (v.into_owned(), Some(span)))
        }
        Format::CyclonedxXml => {
            const NAMESPACE: &str = "cyclonedx.org/schema/bom/";
            let at = source.find(NAMESPACE)? + NAMESPACE.len();
            let rest = source.get(at..)?;
            let len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            let version = rest.get(..len).filter(|v| !v.is_empty())?;
            Some((version.to_owned(), Some(Span::new(at, len))))
        }
        Format::SpdxTagValue => {
            let mut offset = 0;
            source.split_inclusive('\n').find_map(|line| {
                let start = offset;
                offset += line.len();
                let (tag, value) = line.split_once(':')?;
                let value = value.trim();
                let at = start + line.find(value).unwrap_or(0);
                (tag.trim() == "SPDXVersion")
                    .then(|| (value.to_owned(), Some(Span::new(at, value.len()))))
            })
        }
    }
}
