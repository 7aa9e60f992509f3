//! Waivers: findings a team has reviewed and accepted, written down with
//! who approved them, why, and until when.
//!
//! A waivers file is TOML:
//!
//! ```toml
//! [[waiver]]
//! purl = "pkg:maven/com.kaspersky.android-components/kaspresso"  # any version
//! reason = "UI test framework, test scope only; not shipped in the app"
//! approved_by = "Jane Doe, security architecture"
//! expires = 2027-06-30        # optional; a TOML date or "YYYY-MM-DD"
//! ```
//!
//! Selectors (at least one; every one given must match the finding):
//! `purl` (without a version it matches every version; qualifiers and
//! subpath are ignored on both sides), `bom_ref`, `name` (optionally with
//! `version`), `target` (a vendor-db target id such as
//! `kaspersky/kaspresso`) and `document` (a glob on the SBOM path as given:
//! `*`, `?`, `**`). `reason` and `approved_by` are required.
//!
//! A waived finding stays in every report with `waived: true` and never
//! fails the gate. An expired waiver stops applying and says so
//! (`waiver-expired`); a waiver that matched nothing says so too
//! (`waiver-unused`), so stale exceptions are found rather than piled up.

use std::path::Path;
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use super::date::Date;
use super::glob::Glob;
use crate::model::{Level, Span};
use crate::report::{Finding, Report, ReportDiagnostic, SourceFile, WaiverRef};
use crate::sbom::span::LineIndex;

/// A loaded waivers file.
#[derive(Clone, Debug)]
pub struct Waivers {
    name: String,
    text: Arc<str>,
    waivers: Vec<Waiver>,
}

/// One `[[waiver]]`.
#[derive(Clone, Debug)]
pub struct Waiver {
    pub selector: Selector,
    pub reason: String,
    pub approved_by: String,
    /// The last day the waiver applies.
    pub expires: Option<Date>,
    /// The `[[waiver]]` table in the file.
    span: Span,
    /// The `expires` value in the file.
    expires_span: Option<Span>,
}

/// What a waiver matches. Every selector given must match.
#[derive(Clone, Debug, Default)]
pub struct Selector {
    pub purl: Option<PurlSelector>,
    pub bom_ref: Option<String>,
    pub name: Option<String>,
    /// Only together with `name`.
    pub version: Option<String>,
    pub target: Option<String>,
    pub document: Option<Glob>,
}

/// A purl selector: the purl without version, qualifiers and subpath,
/// and the version if one was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurlSelector {
    base: String,
    version: Option<String>,
}

impl PurlSelector {
    /// `None` when `text` is not a `pkg:type/name` purl.
    pub fn parse(text: &str) -> Option<PurlSelector> {
        let (base, version) = split_purl(text)?;
        Some(PurlSelector {
            base,
            version: version.map(str::to_owned),
        })
    }

    /// Does a component purl match? Versions compare exactly, as written.
    pub fn matches(&self, purl: &str) -> bool {
        match split_purl(purl) {
            Some((base, version)) => {
                base == self.base
                    && self
                        .version
                        .as_deref()
                        .is_none_or(|want| version == Some(want))
            }
            None => false,
        }
    }
}

/// `pkg:TYPE/…/NAME@VERSION?QUALIFIERS#SUBPATH` → (`pkg:type/…/NAME`,
/// `VERSION`). The scheme and type are case-insensitive; the rest is
/// compared as written. An `@` before the last `/` (an npm scope written
/// unencoded) is part of the name, not a version.
fn split_purl(text: &str) -> Option<(String, Option<&str>)> {
    let text = text.trim();
    let head = text.get(..4)?;
    if !head.eq_ignore_ascii_case("pkg:") {
        return None;
    }
    let rest = text.get(4..)?.trim_start_matches('/');
    let rest = rest.split('#').next().unwrap_or(rest);
    let rest = rest.split('?').next().unwrap_or(rest);
    let (ty, path) = rest.split_once('/')?;
    if ty.is_empty() || path.is_empty() {
        return None;
    }
    let last_slash = path.rfind('/').map_or(0, |i| i + 1);
    let (path, version) = match path.rfind('@') {
        Some(at) if at >= last_slash => (path.get(..at)?, path.get(at + 1..)),
        _ => (path, None),
    };
    if path.is_empty() || path.ends_with('/') {
        return None;
    }
    Some((
        format!("pkg:{}/{path}", ty.to_ascii_lowercase()),
        version.filter(|v| !v.is_empty()),
    ))
}

impl Selector {
    /// Do all given selectors match this finding?
    pub fn matches(&self, f: &Finding) -> bool {
        let c = &f.component;
        let purl = self
            .purl
            .as_ref()
            .is_none_or(|p| c.purl.as_deref().is_some_and(|purl| p.matches(purl)));
        let bom_ref = self
            .bom_ref
            .as_deref()
            .is_none_or(|r| c.bom_ref.as_deref() == Some(r));
        let name = self.name.as_deref().is_none_or(|n| c.name == n);
        let version = self
            .version
            .as_deref()
            .is_none_or(|v| c.version.as_deref() == Some(v));
        let target = self.target.as_deref().is_none_or(|t| f.target.id == t);
        let document = self
            .document
            .as_ref()
            .is_none_or(|g| g.matches(&c.document));
        purl && bom_ref && name && version && target && document
    }

    /// A short description for messages: `purl pkg:…, document fixtures/*`.
    fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(p) = &self.purl {
            match &p.version {
                Some(v) => parts.push(format!("purl {}@{v}", p.base)),
                None => parts.push(format!("purl {}", p.base)),
            }
        }
        if let Some(r) = &self.bom_ref {
            parts.push(format!("bom_ref {r}"));
        }
        match (&self.name, &self.version) {
            (Some(n), Some(v)) => parts.push(format!("name {n} {v}")),
            (Some(n), None) => parts.push(format!("name {n}")),
            _ => {}
        }
        if let Some(t) = &self.target {
            parts.push(format!("target {t}"));
        }
        if let Some(g) = &self.document {
            parts.push(format!("document {}", g.as_str()));
        }
        parts.join(", ")
    }
}

impl Waiver {
    fn is_active(&self, today: Date) -> bool {
        self.expires.is_none_or(|last_day| today <= last_day)
    }

    fn to_ref(&self) -> WaiverRef {
        WaiverRef {
            reason: self.reason.clone(),
            approved_by: self.approved_by.clone(),
            expires: self.expires.map(|d| d.to_string()),
        }
    }
}

impl Waivers {
    /// Read and parse a waivers file.
    pub fn load(path: &Path) -> Result<Waivers, WaiverError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| {
            WaiverError::from(WaiverErrorKind::Io {
                path: name.clone(),
                source,
            })
        })?;
        Waivers::parse(name, text)
    }

    /// Parse waivers from text; `name` is how reports and errors name the
    /// file.
    pub fn parse(
        name: impl Into<String>,
        text: impl Into<Arc<str>>,
    ) -> Result<Waivers, WaiverError> {
        let name = name.into();
        let text: Arc<str> = text.into();
        let at = At {
            file: &name,
            text: &text,
        };
        let raw: RawFile = toml::from_str(&text).map_err(|e| at.parse(&e))?;
        let waivers = raw
            .waiver
            .into_iter()
            .map(|w| at.waiver(w))
            .collect::<Result<_, _>>()?;
        Ok(Waivers {
            name,
            text,
            waivers,
        })
    }

    /// The file name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn len(&self) -> usize {
        self.waivers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.waivers.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Waiver> {
        self.waivers.iter()
    }

    /// Waive the findings of `report` that an unexpired waiver matches,
    /// as of `today`.
    ///
    /// Each matched finding gets `waived = true` and the first matching
    /// waiver (in file order) as `waiver`. The waivers file becomes a
    /// report source, and the report gains a `waiver-expired` warning for
    /// every expired waiver (which no longer applies) and a
    /// `waiver-unused` warning for every active waiver that matched
    /// nothing, both pointing into the file. The summary's `waived` count
    /// and exit code are recomputed with its `fail_on`. Call it once per
    /// report.
    pub fn apply(&self, report: &mut Report, today: Date) {
        let mut hits = vec![0usize; self.waivers.len()];
        for finding in &mut report.findings {
            let mut first = None;
            for (i, w) in self.waivers.iter().enumerate() {
                if w.selector.matches(finding) {
                    if let Some(h) = hits.get_mut(i) {
                        *h += 1;
                    }
                    if first.is_none() && w.is_active(today) {
                        first = Some(w);
                    }
                }
            }
            if let Some(w) = first {
                finding.waived = true;
                finding.waiver = Some(w.to_ref());
            }
        }

        let source = report.sources.len();
        report.sources.push(SourceFile {
            name: self.name.clone(),
            text: Arc::clone(&self.text),
        });
        let lines = LineIndex::new(&self.text);
        let diagnostic = |code: &'static str, message: String, span: Span| {
            let (line, column) = lines.line_col(&self.text, span.offset);
            ReportDiagnostic {
                level: Level::Warning,
                code,
                message,
                document: self.name.clone(),
                line: Some(line),
                column: Some(column),
                source,
                span: Some(span),
            }
        };
        for (w, &n) in self.waivers.iter().zip(&hits) {
            let what = w.selector.describe();
            match w.expires {
                Some(last_day) if !w.is_active(today) => {
                    let would = match n {
                        0 => "it matches no finding".to_owned(),
                        1 => "it would match 1 finding".to_owned(),
                        n => format!("it would match {n} findings"),
                    };
                    report.diagnostics.push(diagnostic(
                        "waiver-expired",
                        format!(
                            "waiver ({what}) expired on {last_day} and no longer applies; {would}"
                        ),
                        w.expires_span.unwrap_or(w.span),
                    ));
                }
                _ if n == 0 => report.diagnostics.push(diagnostic(
                    "waiver-unused",
                    format!("waiver ({what}) matches no finding"),
                    w.span,
                )),
                _ => {}
            }
        }
        recompute_summary(report);
    }
}

/// The summary's `waived` count and exit code after waivers changed.
fn recompute_summary(report: &mut Report) {
    let s = &mut report.summary;
    s.waived = report.findings.iter().filter(|f| f.waived).count();
    s.exit_code = super::verdict(
        report.findings.iter().map(|f| (f.confidence, f.waived)),
        s.fail_on,
    )
    .code();
}

// ---- the TOML schema ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    waiver: Vec<Spanned<RawWaiver>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    purl: Option<Spanned<String>>,
    bom_ref: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    target: Option<Spanned<String>>,
    document: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    approved_by: Option<Spanned<String>>,
    expires: Option<Spanned<toml::Value>>,
}

impl RawWaiver {
    /// Where the last value of the table ends.
    fn end(&self) -> usize {
        let strings = [
            &self.purl,
            &self.bom_ref,
            &self.name,
            &self.version,
            &self.target,
            &self.document,
            &self.reason,
            &self.approved_by,
        ];
        let ends = strings.into_iter().flatten().map(|v| v.span().end);
        ends.chain(self.expires.as_ref().map(|v| v.span().end))
            .max()
            .unwrap_or(0)
    }
}

/// The file errors point into.
struct At<'a> {
    file: &'a str,
    text: &'a Arc<str>,
}

impl At<'_> {
    fn src(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(self.file, Arc::clone(self.text)).with_language("toml")
    }

    fn parse(&self, e: &toml::de::Error) -> WaiverError {
        WaiverErrorKind::Parse {
            file: self.file.to_owned(),
            message: e.message().trim().to_owned(),
            src: self.src(),
            span: e.span().map(|r| SourceSpan::new(r.start.into(), r.len())),
        }
        .into()
    }

    fn invalid(&self, message: impl Into<String>, range: std::ops::Range<usize>) -> WaiverError {
        WaiverErrorKind::Invalid {
            file: self.file.to_owned(),
            message: message.into(),
            src: self.src(),
            span: SourceSpan::new(range.start.into(), range.len()),
        }
        .into()
    }

    /// A non-blank string, trimmed.
    fn text(&self, key: &str, value: Spanned<String>) -> Result<String, WaiverError> {
        let span = value.span();
        let value = value.into_inner();
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(self.invalid(format!("`{key}` is empty"), span));
        }
        Ok(trimmed.to_owned())
    }

    fn required(
        &self,
        key: &str,
        value: Option<Spanned<String>>,
        table: &std::ops::Range<usize>,
    ) -> Result<String, WaiverError> {
        match value {
            Some(v) => self.text(key, v),
            None => Err(self.invalid(format!("waiver has no `{key}`"), table.clone())),
        }
    }

    fn optional(
        &self,
        key: &str,
        value: Option<Spanned<String>>,
    ) -> Result<Option<String>, WaiverError> {
        value.map(|v| self.text(key, v)).transpose()
    }

    fn waiver(&self, raw: Spanned<RawWaiver>) -> Result<Waiver, WaiverError> {
        // toml spans an array-of-tables entry by its `[[waiver]]` header
        // only; stretch it over the values so a label covers the waiver.
        let header = raw.span();
        let raw = raw.into_inner();
        let table = header.start..raw.end().max(header.end);
        let purl = match raw.purl {
            Some(p) => {
                let span = p.span();
                let text = self.text("purl", p)?;
                Some(PurlSelector::parse(&text).ok_or_else(|| {
                    self.invalid(
                        "not a package URL (`pkg:type/namespace/name[@version]`)",
                        span,
                    )
                })?)
            }
            None => None,
        };
        if let (Some(v), None) = (&raw.version, &raw.name) {
            return Err(self.invalid("`version` selects only together with `name`", v.span()));
        }
        let selector = Selector {
            purl,
            bom_ref: self.optional("bom_ref", raw.bom_ref)?,
            name: self.optional("name", raw.name)?,
            version: self.optional("version", raw.version)?,
            target: self.optional("target", raw.target)?,
            document: self
                .optional("document", raw.document)?
                .map(|d| Glob::new(&d)),
        };
        let has_selector = selector.purl.is_some()
            || selector.bom_ref.is_some()
            || selector.name.is_some()
            || selector.target.is_some()
            || selector.document.is_some();
        if !has_selector {
            return Err(self.invalid(
                "waiver selects nothing: give at least one of `purl`, `bom_ref`, `name`, `target`, `document`",
                table,
            ));
        }
        let reason = self.required("reason", raw.reason, &table)?;
        let approved_by = self.required("approved_by", raw.approved_by, &table)?;
        let (expires, expires_span) = match raw.expires {
            Some(e) => {
                let range = e.span();
                let date = date_of(e.get_ref()).ok_or_else(|| {
                    self.invalid("`expires` is not a date (YYYY-MM-DD)", range.clone())
                })?;
                (Some(date), Some(Span::new(range.start, range.len())))
            }
            None => (None, None),
        };
        Ok(Waiver {
            selector,
            reason,
            approved_by,
            expires,
            span: Span::new(table.start, table.len()),
            expires_span,
        })
    }
}

/// A TOML local date (`2027-06-30`) or a string holding one.
fn date_of(value: &toml::Value) -> Option<Date> {
    match value {
        toml::Value::String(s) => Date::parse(s.trim()),
        toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => Date::new(i32::from(d.year), d.month, d.day),
            _ => None,
        },
        _ => None,
    }
}

// ---- errors ----

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
        src: NamedSource<Arc<str>>,
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
        src: NamedSource<Arc<str>>,
        #[label("{message}")]
        span: SourceSpan,
    },
}

#[cfg(test)]
mod tests;
