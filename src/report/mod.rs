//! The audit result as plain data, and one renderer per output format.
//!
//! [`Report`] is the single result type: every format renders the same
//! report and none recomputes anything. Its serde shape *is* the JSON
//! contract (shared/docs/report-contract.md); fields marked `serde(skip)`
//! carry what only the human renderer needs (source texts and spans for
//! miette labels) and never reach the JSON.

pub mod dot;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;
mod snippet;
#[cfg(test)]
pub(crate) mod testutil;
pub mod tree;
pub mod validation;

use serde::Serialize;

use crate::model::{
    Component, Confidence, Document, EdgeKind, FieldKind, Format, Level, SourceText, Span, Text,
};

/// The `schema` value of this report shape. Bumped only for a breaking change.
pub const SCHEMA: &str = "oemtrace.report/v1";

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub tool: Tool,
    pub db: DbSummary,
    pub inputs: Vec<Input>,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<ReportDiagnostic>,
    pub summary: Summary,
    /// The source text of every input and db file a span points into,
    /// indexed by [`SourceId`]. Human output only.
    #[serde(skip)]
    pub sources: Vec<SourceFile>,
    /// The restriction programs the findings name, with their dates and
    /// sources, sorted by id: what the Markdown report cites. Filled by the
    /// audit ([`ProgramInfo::collect`]); not part of the JSON contract.
    #[serde(skip)]
    pub programs: Vec<ProgramInfo>,
}

/// A file a report points into: an SBOM or a vendor-db file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: SourceText,
}

/// Index into [`Report::sources`].
pub type SourceId = usize;

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Tool {
    pub const fn this() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct DbSummary {
    pub version: String,
    pub entities: usize,
    pub engines: usize,
    pub products: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Input {
    pub document: String,
    pub format: Format,
    pub spec_version: Option<String>,
    pub components: usize,
    pub relationships: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub confidence: Confidence,
    pub target: TargetRef,
    pub component: ComponentRef,
    pub path: Vec<PathHop>,
    /// Exact number of root-to-component paths (cycles condensed). A JSON
    /// integer that may exceed 2^64.
    pub path_count: u128,
    /// Extension: true when the real count exceeds what `path_count` can
    /// hold (2^128 - 1) and `path_count` is that maximum.
    pub path_count_saturated: bool,
    pub evidence: Vec<EvidenceItem>,
    pub programs: Vec<String>,
    pub waived: bool,
    /// Extension: the waiver that waived this finding (`waived` is then
    /// true). Absent from the JSON when no waiver applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverRef>,
    /// The component's document, as an index into `sources`.
    #[serde(skip)]
    pub source: SourceId,
    /// The component's own span (the whole SBOM object).
    #[serde(skip)]
    pub component_span: Span,
    /// Positions in `summary.roots` of the roots that reach the component.
    #[serde(skip)]
    pub roots: Vec<usize>,
    /// The vendor-db record behind a product finding, for a related
    /// diagnostic that points into the TOML.
    #[serde(skip)]
    pub record: Option<RecordRef>,
}

/// A vendor-db record a finding rests on: where it is and what it cites.
#[derive(Clone, Debug)]
pub struct RecordRef {
    /// The db file, as an index into `Report::sources`.
    pub source: SourceId,
    pub span: Span,
    pub id: String,
    /// Each public source: citation, grade and quote.
    pub sources: Vec<String>,
}

impl Finding {
    /// The evidence a location-based format points at: the most confident
    /// piece, the first of equals (report order is document order).
    pub fn strongest_evidence(&self) -> Option<&EvidenceItem> {
        self.evidence
            .iter()
            .enumerate()
            .max_by_key(|(i, e)| (e.confidence, std::cmp::Reverse(*i)))
            .map(|(_, e)| e)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TargetRef {
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub owner: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ComponentRef {
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub bom_ref: Option<String>,
    pub document: String,
}

impl ComponentRef {
    /// Component `c` of document `doc`.
    pub fn new(c: &Component, doc: &Document) -> Self {
        ComponentRef {
            name: c.name.to_string(),
            version: owned(&c.version),
            purl: c.purl(doc.texts()).map(str::to_owned),
            bom_ref: owned(&c.bom_ref),
            document: doc.name.clone(),
        }
    }
}

/// A model string as the report's own.
fn owned(text: &Option<Text>) -> Option<String> {
    text.as_deref().map(str::to_owned)
}

#[derive(Clone, Debug, Serialize)]
pub struct PathHop {
    pub name: String,
    pub version: Option<String>,
    pub bom_ref: Option<String>,
    pub document: String,
    /// The relationship from the previous hop; `None` on the first.
    pub edge: Option<EdgeKind>,
}

impl PathHop {
    /// The hop at component `c` of the document named `document`, reached
    /// over `edge`.
    pub fn component(c: &Component, document: &str, edge: Option<EdgeKind>) -> Self {
        PathHop {
            name: c.name.to_string(),
            version: owned(&c.version),
            bom_ref: owned(&c.bom_ref),
            document: document.to_owned(),
            edge,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct EvidenceItem {
    pub kind: FieldKind,
    pub field: &'static str,
    pub value: String,
    pub matched: String,
    pub location: Location,
    /// Extension: the confidence this piece of evidence alone carries.
    pub confidence: Confidence,
    /// Extension: why the confidence is what it is, where that is not obvious.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    pub source: SourceId,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Location {
    pub document: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportDiagnostic {
    pub level: Level,
    pub code: &'static str,
    pub message: String,
    pub document: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    #[serde(skip)]
    pub source: SourceId,
    #[serde(skip)]
    pub span: Option<Span>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub components: usize,
    pub edges: usize,
    pub confirmed: usize,
    pub likely: usize,
    pub possible: usize,
    /// Extension: how many findings are waived (counted in the tiers too).
    pub waived: usize,
    /// Extension: the `--fail-on` threshold the exit code was decided by.
    pub fail_on: crate::policy::FailOn,
    pub exit_code: i32,
    /// Extension: the same counts per product root, for a delivery of
    /// several products. Absent when the graph has more roots than a
    /// per-root view can usefully show (see `trace::MAX_ROOTS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roots: Option<Vec<RootSummary>>,
}

/// The verdict for one product root: the findings it reaches.
#[derive(Clone, Debug, Serialize)]
pub struct RootSummary {
    pub name: String,
    pub version: Option<String>,
    pub bom_ref: Option<String>,
    pub document: String,
    pub confirmed: usize,
    pub likely: usize,
    pub possible: usize,
    pub waived: usize,
    /// The exit code an audit of this product alone would have.
    pub exit_code: i32,
}

impl Report {
    /// Recompute every count and exit code from the findings (after
    /// findings change, for example when waivers apply).
    pub fn recount(&mut self) {
        let fail_on = self.summary.fail_on;
        let tally = |findings: &mut dyn Iterator<Item = &Finding>| {
            let mut t = [0usize; 4];
            let mut verdict = Vec::new();
            for f in findings {
                t[match f.confidence {
                    Confidence::Confirmed => 0,
                    Confidence::Likely => 1,
                    Confidence::Possible => 2,
                }] += 1;
                t[3] += usize::from(f.waived);
                verdict.push((f.confidence, f.waived));
            }
            (t, crate::policy::verdict(verdict, fail_on).code())
        };
        let (t, exit) = tally(&mut self.findings.iter());
        let s = &mut self.summary;
        (s.confirmed, s.likely, s.possible, s.waived, s.exit_code) = (t[0], t[1], t[2], t[3], exit);
        if let Some(roots) = &mut self.summary.roots {
            for (pos, root) in roots.iter_mut().enumerate() {
                let (t, exit) = tally(&mut self.findings.iter().filter(|f| f.roots.contains(&pos)));
                (
                    root.confirmed,
                    root.likely,
                    root.possible,
                    root.waived,
                    root.exit_code,
                ) = (t[0], t[1], t[2], t[3], exit);
            }
        }
    }
}

/// Why a finding is waived: the accepted risk as the waivers file states
/// it (see [`crate::policy::waivers`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WaiverRef {
    pub reason: String,
    pub approved_by: String,
    /// `YYYY-MM-DD`; the waiver stops applying after this day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// A restriction program as reports cite it: a copy of the vendor-db
/// record's facts, so that renderers need nothing but the [`Report`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramInfo {
    pub id: String,
    pub name: String,
    pub authority: String,
    pub citation: String,
    /// `YYYY-MM-DD`, when the program states one.
    pub effective: Option<String>,
    /// Dated steps, in db order: `(date, event)`.
    pub dates: Vec<(String, String)>,
    /// Where the program is documented: URLs (or `repo, path` cites) of
    /// its sources, in db order, without repeats.
    pub sources: Vec<String>,
}

impl ProgramInfo {
    /// The programs named by any finding, looked up in `db`, sorted by id.
    /// An id the db does not know still gets an entry (named by its id),
    /// so no cited program silently disappears from a report.
    pub fn collect(db: &crate::vendordb::VendorDb, findings: &[Finding]) -> Vec<ProgramInfo> {
        let mut ids: Vec<&str> = findings
            .iter()
            .flat_map(|f| f.programs.iter().map(String::as_str))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|id| match db.program(id) {
                Some(p) => ProgramInfo::from_program(&p),
                None => ProgramInfo {
                    id: id.to_owned(),
                    name: id.to_owned(),
                    authority: String::new(),
                    citation: String::new(),
                    effective: None,
                    dates: Vec::new(),
                    sources: Vec::new(),
                },
            })
            .collect()
    }

    fn from_program(p: &crate::vendordb::Program<'_>) -> ProgramInfo {
        let mut sources: Vec<String> = Vec::with_capacity(p.sources.len());
        for s in &p.sources {
            let cite = s.url.unwrap_or(s.cite);
            if !sources.iter().any(|x| x == cite) {
                sources.push(cite.to_owned());
            }
        }
        ProgramInfo {
            id: p.id.to_owned(),
            name: p.name.to_owned(),
            authority: p.authority.to_owned(),
            citation: p.citation.to_owned(),
            effective: p.effective.map(str::to_owned),
            dates: p
                .dates
                .iter()
                .map(|d| (d.date.to_owned(), d.event.to_owned()))
                .collect(),
            sources,
        }
    }
}
