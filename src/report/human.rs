//! `--format human`: one miette diagnostic per finding, then the audit's
//! own diagnostics, then a summary.
//!
//! Each finding is labelled on the SBOM text that identified it (the
//! evidence spans), carries a stable code (`oemtrace::engine::kaspersky`),
//! a severity from its confidence (confirmed = error, likely = warning,
//! possible = advice), and its path and restriction programs as help.

use std::borrow::Cow;
use std::fmt;
use std::fmt::Write as _;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity};

use super::snippet::Sources;
use super::{Finding, RecordRef, Report, ReportDiagnostic};
use crate::model::{Confidence, Level, SourceText};
use crate::sbom::span::Snippet;

/// How human output looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours (a terminal that wants them).
    pub color: bool,
    /// Unicode box drawing; ASCII otherwise.
    pub unicode: bool,
    /// Wrap width in columns.
    pub width: usize,
}

impl Style {
    /// Plain text: no colour, Unicode, 100 columns. What tests snapshot.
    pub const fn plain() -> Self {
        Style {
            color: false,
            unicode: true,
            width: 100,
        }
    }
}

/// Render the whole report for a person.
pub fn render(report: &Report, style: Style) -> String {
    let handler = handler(style);
    let sources = Sources::new(report);
    let mut out = String::new();
    for finding in &report.findings {
        render_one(&handler, &finding_diagnostic(&sources, finding), &mut out);
    }
    for diagnostic in &report.diagnostics {
        render_one(&handler, &report_diagnostic(&sources, diagnostic), &mut out);
    }
    summary(report, &mut out);
    out
}

/// Render any miette diagnostic (read errors, db errors) in the same style.
pub fn render_diagnostic(diagnostic: &dyn Diagnostic, style: Style) -> String {
    let mut out = String::new();
    render_one(&handler(style), diagnostic, &mut out);
    out
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, _) => GraphicalTheme::ascii(),
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
}

fn render_one(handler: &GraphicalReportHandler, diagnostic: &dyn Diagnostic, out: &mut String) {
    if handler.render_report(out, diagnostic).is_err() {
        // The handler only fails on a broken source span; say what we can.
        let _ = writeln!(out, "{diagnostic}");
    }
    out.push('\n');
}

fn severity(confidence: Confidence) -> Severity {
    match confidence {
        Confidence::Confirmed => Severity::Error,
        Confidence::Likely => Severity::Warning,
        Confidence::Possible => Severity::Advice,
    }
}

fn finding_diagnostic(sources: &Sources<'_>, f: &Finding) -> Rendered {
    let name = shown(&f.component.name);
    let component = match &f.component.version {
        Some(v) => format!("{name} {}", shown(v)),
        None => name.into_owned(),
    };
    let message = format!(
        "{component} carries {} {} ({}){}",
        f.target.kind,
        quoted(&f.target.name),
        f.confidence,
        if f.waived { " [waived]" } else { "" },
    );
    let here: Vec<_> = f.evidence.iter().filter(|e| e.source == f.source).collect();
    let labels = here
        .iter()
        .take(SHOWN_LABELS)
        .enumerate()
        .map(|(i, e)| {
            let label = format!("{} → {} ({})", e.field, e.matched, e.confidence);
            if i == 0 {
                LabeledSpan::new_primary_with_span(Some(label), e.span)
            } else {
                LabeledSpan::new_with_span(Some(label), e.span)
            }
        })
        .collect();
    Rendered {
        message,
        code: format!("oemtrace::{}::{}", f.target.kind, f.target.owner),
        severity: if f.waived {
            Severity::Advice
        } else {
            severity(f.confidence)
        },
        source: sources.get(f.source),
        labels,
        help: Some(finding_help(f, here.len().saturating_sub(SHOWN_LABELS))),
        related: f
            .record
            .as_ref()
            .map(|r| vec![record_diagnostic(sources, f, r)])
            .unwrap_or_default(),
    }
}

/// The vendor-db record a product finding rests on, pointing into its TOML.
fn record_diagnostic(sources: &Sources<'_>, f: &Finding, r: &RecordRef) -> Rendered {
    let engine = f.path.last().map_or("", |h| h.name.as_str());
    let edge = f
        .path
        .last()
        .and_then(|h| h.edge)
        .map_or("relates to", |e| e.as_str());
    Rendered {
        message: format!(
            "vendor-db record `{}`: {} {edge} {engine}",
            r.id, f.target.name
        ),
        code: "oemtrace::vendor_db::record".to_owned(),
        severity: Severity::Advice,
        source: sources.get(r.source),
        labels: vec![LabeledSpan::new_primary_with_span(
            Some("the record".to_owned()),
            r.span,
        )],
        help: (!r.sources.is_empty()).then(|| format!("sources:\n{}", r.sources.join("\n"))),
        related: Vec::new(),
    }
}

/// The most evidence labels one finding marks under its source text.
/// miette draws a gutter column per label on every line of a snippet, so
/// a hostile component with 100,000 matching fields would print gigabytes;
/// the JSON report lists all evidence.
const SHOWN_LABELS: usize = 12;

/// How many characters of a name or version human output shows.
const SHOWN_CHARS: usize = 200;

/// `text` as a person can read it in a message: a hostile SBOM may carry a
/// name of many megabytes, which would take as much memory again to wrap
/// and print, and no one reads. The JSON report keeps every value whole.
fn shown(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!(
            "{}… ({} bytes)",
            text.get(..end).unwrap_or_default(),
            text.len()
        )),
    }
}

fn quoted(s: &str) -> String {
    format!("`{s}`")
}

fn finding_help(f: &Finding, unmarked: usize) -> String {
    let mut help = String::new();
    let paths = match (f.path_count, f.path_count_saturated) {
        (_, true) => "more than 2^128 paths".to_owned(),
        (1, _) => "1 path".to_owned(),
        (n, _) => format!("{n} paths"),
    };
    if f.path_count == 0 {
        help.push_str("no product root reaches this component (it sits in a cycle or an unlinked part of the SBOM)");
    } else {
        let _ = write!(help, "path ({paths}, shortest shown): ");
        for (i, hop) in f.path.iter().enumerate() {
            if let Some(edge) = hop.edge {
                let _ = write!(help, " ─{edge}→ ");
            } else if i > 0 {
                help.push_str(" → ");
            }
            help.push_str(&shown(&hop.name));
            if let Some(v) = &hop.version {
                let _ = write!(help, " {}", shown(v));
            }
        }
    }
    if !f.programs.is_empty() {
        let _ = write!(help, "\nrestricted under: {}", f.programs.join(", "));
    }
    let _ = write!(help, "\ntarget: {} ({})", f.target.id, f.target.kind);
    if unmarked > 0 {
        let _ = write!(
            help,
            "\n{unmarked} more pieces of evidence are not marked above (--format json lists them all)"
        );
    }
    help
}

fn report_diagnostic(sources: &Sources<'_>, d: &ReportDiagnostic) -> Rendered {
    let labels = d
        .span
        .map(|span| vec![LabeledSpan::new_primary_with_span(None, span)])
        .unwrap_or_default();
    Rendered {
        message: format!("{}: {}", d.document, d.message),
        code: format!("oemtrace::{}", d.code),
        severity: match d.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Advice,
        },
        source: d.span.and_then(|_| sources.get(d.source)),
        labels,
        help: None,
        related: Vec::new(),
    }
}

fn summary(report: &Report, out: &mut String) {
    let s = &report.summary;
    let _ = writeln!(
        out,
        "oemtrace {}: {} document{}, {} components, {} edges; vendor db {}",
        report.tool.version,
        report.inputs.len(),
        if report.inputs.len() == 1 { "" } else { "s" },
        s.components,
        s.edges,
        report.db.version,
    );
    let waived = if s.waived > 0 {
        format!(", {} waived", s.waived)
    } else {
        String::new()
    };
    let verdict = if s.exit_code == 0 { "pass" } else { "FAIL" };
    let _ = writeln!(
        out,
        "findings: {} confirmed, {} likely, {} possible{waived} (fail-on {}): {verdict}, exit {}",
        s.confirmed,
        s.likely,
        s.possible,
        s.fail_on.as_str(),
        s.exit_code,
    );
    // With several products in one delivery, each gets its own verdict.
    if let Some(roots) = s.roots.as_ref().filter(|r| r.len() > 1) {
        let _ = writeln!(out, "per product:");
        for r in roots {
            let version = r
                .version
                .as_deref()
                .map(|v| format!(" {}", shown(v)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}{version} ({}): {} confirmed, {} likely, {} possible: {}",
                shown(&r.name),
                r.document,
                r.confirmed,
                r.likely,
                r.possible,
                if r.exit_code == 0 { "pass" } else { "FAIL" },
            );
        }
    }
}

/// A diagnostic assembled at render time from report data.
#[derive(Debug)]
struct Rendered {
    message: String,
    code: String,
    severity: Severity,
    source: Option<Snippet>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    related: Vec<Rendered>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() || self.source.is_none() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// One [`crate::model::Diagnostic`] of a document (a reader, graph or
/// validation issue), rendered against the document's text.
pub fn render_model_diagnostic(
    document: &str,
    text: &SourceText,
    d: &crate::model::Diagnostic,
    style: Style,
) -> String {
    let rendered = Rendered {
        message: format!("{document}: {}", d.message),
        code: format!("oemtrace::{}", d.code),
        severity: match d.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Advice,
        },
        source: d.span.map(|_| Snippet::new(document, text)),
        labels: d
            .span
            .map(|span| vec![LabeledSpan::new_primary_with_span(None, span)])
            .unwrap_or_default(),
        help: None,
        related: Vec::new(),
    };
    render_diagnostic(&rendered, style)
}
