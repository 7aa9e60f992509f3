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

mod error;
mod parse;

pub use error::{WaiverError, WaiverErrorKind};

use super::date::Date;
use super::glob::Glob;
use crate::model::{Level, Span};
use crate::report::{Finding, Report, ReportDiagnostic, SourceFile, WaiverRef};
use crate::sbom::span::LineIndex;

/// A loaded waivers file.
#[derive(Clone, Debug)]
pub struct Waivers {
    name: String,
    text: Arc<String>,
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
    pub fn parse(name: impl Into<String>, text: impl Into<String>) -> Result<Waivers, WaiverError> {
        let name = name.into();
        let text = Arc::new(text.into());
        let waivers = parse::waivers(&name, &text)?;
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
            text: Arc::clone(&self.text).into(),
        });
        let lines = LineIndex::new(&self.text);
        let diagnostic = |code: &'static str, message: String, span: Span| {
            let (line, column) = lines.line_col(&self.text, span.offset());
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
        // Counts, per-product verdicts and the exit code follow the waivers.
        report.recount();
    }
}

#[cfg(test)]
mod tests;
