//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure
//! DevOps and any SARIF viewer).
//!
//! One run; one rule per finding code (`oemtrace/engine/kaspersky`, …)
//! with help on what it means and what to do; one result per finding,
//! located at its strongest evidence in the SBOM, with the other evidence
//! as related locations. `partialFingerprints` identify a finding by its
//! document, component and target — never by line — so an alert keeps its
//! identity when the SBOM is regenerated and lines move. Waived findings
//! are kept, with an external suppression carrying the waiver's reason.
//! The audit's own diagnostics become tool execution notifications.
//!
//! The output validates against the official SARIF 2.1.0 schema
//! (tests/reports.rs checks it against tests/data/sarif-schema-2.1.0.json).

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{json, Value};

use super::json::ErrorItem;
use super::{EvidenceItem, Finding, Location as ReportLocation, Report, ReportDiagnostic};
use crate::model::{Confidence, Level};
use crate::sbom::span::LineIndex;

/// The schema URI GitHub's documentation gives for SARIF 2.1.0.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of [`Finding`] identities in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "oemtraceFinding/v1";

/// The report as one SARIF 2.1.0 log, pretty-printed and newline-terminated.
pub fn render(report: &Report) -> String {
    let lines = Lines::new(report);
    let rules = Rules::new(report);
    let mut fingerprints = Fingerprints::default();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, &rules, &lines, fingerprints.next(f)))
        .collect();
    let notifications: Vec<Value> = report.diagnostics.iter().map(notification).collect();

    let mut driver = json!({
        "name": report.tool.name,
        "version": report.tool.version,
        "semanticVersion": report.tool.version,
        "rules": rules.descriptors(),
    });
    let repository = env!("CARGO_PKG_REPOSITORY");
    if repository.starts_with("https://") {
        driver["informationUri"] = Value::from(repository);
    }
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [{
                "executionSuccessful": true,
                "exitCode": report.summary.exit_code,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "schema": report.schema,
                "db": report.db,
                "summary": report.summary,
            },
        }],
    });
    to_json(&log)
}

/// What `--format sarif` writes when an input, a vendor db or a waivers
/// file could not be read (exit 2): a run with no results whose invocation
/// failed (`executionSuccessful: false`), one error notification per
/// failure. No results is not "no findings": the failed invocation says so.
pub fn render_errors(errors: &[ErrorItem]) -> String {
    let tool = super::Tool::this();
    let notifications: Vec<Value> = errors
        .iter()
        .map(|e| {
            let mut location = json!({ "artifactLocation": { "uri": artifact_uri(&e.document) } });
            if let (Some(line), Some(column)) = (e.line, e.column) {
                location["region"] =
                    json!({ "startLine": line.max(1), "startColumn": column.max(1) });
            }
            let mut n = json!({
                "level": "error",
                "message": { "text": e.message },
                "locations": [{ "physicalLocation": location }],
            });
            if !e.code.is_empty() {
                n["descriptor"] = json!({ "id": e.code });
            }
            n
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": tool.name,
                "version": tool.version,
                "semanticVersion": tool.version,
                "rules": [],
            } },
            "invocations": [{
                "executionSuccessful": false,
                "exitCode": crate::policy::ExitCode::Error.code(),
                "toolExecutionNotifications": notifications,
            }],
            "results": [],
        }],
    });
    to_json(&log)
}

fn to_json<T: Serialize>(value: &T) -> String {
    // A json! tree of strings and numbers always serialises; if it ever
    // did not, an empty object keeps the output valid JSON.
    let mut out = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_owned());
    out.push('\n');
    out
}

/// SARIF `level` of a finding's confidence.
pub const fn level(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::Confirmed => "error",
        Confidence::Likely => "warning",
        Confidence::Possible => "note",
    }
}

/// The rule id of a finding: `oemtrace/<target kind>/<owner>`.
pub fn rule_id(f: &Finding) -> String {
    format!("oemtrace/{}/{}", f.target.kind, f.target.owner)
}

/// The rules the findings use, sorted by id, with their indexes.
struct Rules<'r> {
    /// rule id → (index, target kind, owner)
    by_id: BTreeMap<String, (usize, &'r str, &'r str)>,
}

impl<'r> Rules<'r> {
    fn new(report: &'r Report) -> Self {
        let mut by_id = BTreeMap::new();
        for f in &report.findings {
            by_id
                .entry(rule_id(f))
                .or_insert((0, f.target.kind, f.target.owner.as_str()));
        }
        for (i, slot) in by_id.values_mut().enumerate() {
            slot.0 = i;
        }
        Rules { by_id }
    }

    fn index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).map(|r| r.0)
    }

    fn descriptors(&self) -> Vec<Value> {
        self.by_id
            .iter()
            .map(|(id, &(_, kind, owner))| rule(id, kind, owner))
            .collect()
    }
}

fn rule(id: &str, kind: &str, owner: &str) -> Value {
    let (short, full, means) = match kind {
        "engine" => (
            format!("Engine or SDK of {owner} in the product"),
            format!("A component of the product is one of {owner}'s engines, SDKs or own products, identified by the vendor db."),
            format!("The SBOM lists a component that the vendor db identifies as an engine, SDK or product of {owner}: its package URL, CPE, hash, name or legal-entity data says so."),
        ),
        "product" => (
            format!("Third-party product carrying an engine of {owner}"),
            format!("A component of the product is a third-party product that the vendor db ties to an engine of {owner} (OEM licence, white label, resale)."),
            format!("The SBOM lists another vendor's product that, according to a sourced vendor-db record, embeds, resells or rebrands an engine of {owner}."),
        ),
        _ => (
            format!("Component from {owner}"),
            format!("A component's own data (supplier, licensor, author, CPE vendor, package namespace) names {owner}, with no specific engine known."),
            format!("The SBOM names {owner} as the supplier, manufacturer, author, publisher or licensor of a component, or uses its CPE vendor or package namespace. No specific engine is known, but the code comes from {owner}."),
        ),
    };
    let todo = "Follow the path in the result from the product to the component to see how it \
                is included. Ask the vendor to confirm whether the component ships and to \
                name a replacement or a removal date if a restriction program listed in the \
                result applies to you. If the finding is reviewed and accepted (for example a \
                test-only dependency that does not ship), record a waiver with a reason, an \
                approver and an expiry date (`--waivers`).";
    let tiers = "confirmed = a strong identifier (engine purl, the owner's CPE vendor or purl \
                 namespace, a legal-entity name as supplier or licensor, a grade-A vendor-db \
                 record); likely = a name without a supporting identifier, a pedigree \
                 ancestor, a grade-B record; possible = a mention in a description, copyright \
                 text or URL.";
    json!({
        "id": id,
        "name": format!("oemtrace::{kind}::{owner}"),
        "shortDescription": { "text": short },
        "fullDescription": { "text": full },
        "help": {
            "text": format!(
                "{means}\n\nWhat to do: {}\n\nConfidence: {tiers}",
                todo.replace('`', "")
            ),
            "markdown": format!(
                "**What it means.** {means}\n\n**What to do.** {todo}\n\n**Confidence.** {tiers}"
            ),
        },
        "defaultConfiguration": { "level": "error" },
        "properties": {
            "tags": ["security", "supply-chain", "sbom", owner],
        },
    })
}

fn result(f: &Finding, rules: &Rules<'_>, lines: &Lines<'_>, fingerprint: String) -> Value {
    let id = rule_id(f);
    let strongest = f.strongest_evidence();
    let mut locations = Vec::new();
    let mut related = Vec::new();
    for e in distinct_evidence(f) {
        let mut location = json!({
            "physicalLocation": physical(&e.location, lines.end(e)),
            "message": { "text": evidence_text(e) },
        });
        if strongest.is_some_and(|s| std::ptr::eq(s, e)) {
            locations.push(location);
        } else {
            location["id"] = Value::from(related.len());
            related.push(location);
        }
    }
    if locations.is_empty() {
        // No evidence (never in a well-formed report): point at the document.
        locations.push(json!({
            "physicalLocation": {
                "artifactLocation": { "uri": artifact_uri(&f.component.document) },
            },
        }));
    }
    let mut out = json!({
        "ruleId": id,
        "level": level(f.confidence),
        "message": { "text": message(f) },
        "locations": locations,
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
        "properties": {
            "confidence": f.confidence,
            "target": f.target,
            "component": f.component,
            "path": f.path,
            "path_count": path_count(f.path_count),
            "path_count_saturated": f.path_count_saturated,
            "programs": f.programs,
            "waived": f.waived,
        },
    });
    if let Some(index) = rules.index(&id) {
        out["ruleIndex"] = Value::from(index);
    }
    if !related.is_empty() {
        out["relatedLocations"] = Value::from(related);
    }
    if f.waived {
        let mut suppression = json!({ "kind": "external", "status": "accepted" });
        if let Some(w) = &f.waiver {
            suppression["justification"] = Value::from(w.reason.as_str());
            suppression["properties"] = json!({
                "approved_by": w.approved_by,
                "expires": w.expires,
            });
        }
        out["suppressions"] = json!([suppression]);
        out["properties"]["waiver"] = json!(f.waiver);
    }
    out
}

/// The evidence without exact repeats (the same field and value matched
/// the same way twice), in report order.
fn distinct_evidence(f: &Finding) -> Vec<&EvidenceItem> {
    let mut out: Vec<&EvidenceItem> = Vec::with_capacity(f.evidence.len());
    for e in &f.evidence {
        let seen = out.iter().any(|o| {
            o.source == e.source && o.span == e.span && o.field == e.field && o.matched == e.matched
        });
        if !seen {
            out.push(e);
        }
    }
    out
}

fn evidence_text(e: &EvidenceItem) -> String {
    format!(
        "{} = \"{}\" matches {} ({})",
        e.field, e.value, e.matched, e.confidence
    )
}

/// The result message: component, target, confidence, path.
fn message(f: &Finding) -> String {
    let mut m = String::new();
    m.push_str(&f.component.name);
    if let Some(v) = &f.component.version {
        let _ = write!(m, " {v}");
    }
    let _ = write!(
        m,
        " carries {} '{}' ({}, {}).",
        f.target.kind, f.target.name, f.target.id, f.confidence
    );
    if f.path_count == 0 {
        m.push_str(" No product root reaches it (a cycle or an unlinked part of the SBOM).");
    } else {
        m.push_str(" Path: ");
        for (i, hop) in f.path.iter().enumerate() {
            if let Some(edge) = hop.edge {
                let _ = write!(m, " -{edge}-> ");
            } else if i > 0 {
                m.push_str(" -> ");
            }
            m.push_str(&hop.name);
            if let Some(v) = &hop.version {
                let _ = write!(m, " {v}");
            }
        }
        match (f.path_count, f.path_count_saturated) {
            (_, true) => m.push_str(" (shortest of more than 2^128 paths)."),
            (1, _) => m.push_str(" (the only path)."),
            (n, _) => {
                let _ = write!(m, " (shortest of {n} paths).");
            }
        }
    }
    if !f.programs.is_empty() {
        let _ = write!(m, " Restricted under: {}.", f.programs.join(", "));
    }
    if let Some(w) = &f.waiver {
        let _ = write!(m, " Waived: {} (approved by {}).", w.reason, w.approved_by);
    }
    m
}

/// A JSON number while it is exact in every JSON reader (≤ 2^53), a
/// decimal string beyond.
fn path_count(n: u128) -> Value {
    const EXACT: u128 = 1 << 53;
    match u64::try_from(n) {
        Ok(small) if n <= EXACT => Value::from(small),
        _ => Value::from(n.to_string()),
    }
}

fn physical(at: &ReportLocation, end: Option<(usize, usize)>) -> Value {
    let mut region = json!({ "startLine": at.line.max(1), "startColumn": at.column.max(1) });
    if let Some((line, column)) = end {
        if (line, column) > (at.line, at.column) {
            region["endLine"] = Value::from(line);
            region["endColumn"] = Value::from(column);
        }
    }
    json!({
        "artifactLocation": { "uri": artifact_uri(&at.document) },
        "region": region,
    })
}

fn notification(d: &ReportDiagnostic) -> Value {
    let level = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    };
    let mut location = json!({ "artifactLocation": { "uri": artifact_uri(&d.document) } });
    if let (Some(line), Some(column)) = (d.line, d.column) {
        location["region"] = json!({ "startLine": line.max(1), "startColumn": column.max(1) });
    }
    json!({
        "level": level,
        "message": { "text": d.message },
        "descriptor": { "id": d.code },
        "locations": [{ "physicalLocation": location }],
    })
}

/// A document path as a SARIF artifact URI: forward slashes, relative
/// paths kept relative (code scanning resolves them against the
/// repository root), absolute ones as `file://` URIs, and every character
/// a URI cannot hold percent-encoded.
pub fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let drive = matches!(path.as_bytes(), [d, b':', b'/', ..] if d.is_ascii_alphabetic());
    let (prefix, rest) = if drive {
        ("file:///", path.as_str())
    } else if path.starts_with('/') {
        ("file://", path.as_str())
    } else {
        ("", path.as_str())
    };
    let mut out = String::with_capacity(prefix.len() + rest.len());
    out.push_str(prefix);
    for (i, b) in rest.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b'!' | b'$' | b'&' | b'\'')
            || matches!(b, b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@')
            // A colon is kept only as a drive letter's; elsewhere it would
            // read as a URI scheme.
            || (b == b':' && drive && i == 1);
        if keep {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Stable identities for findings: FNV-1a (128 bit) of the document, the
/// component's bom-ref, name and version, and the target id — no line or
/// column — so an alert survives regenerated SBOMs. Findings that would
/// share an identity get an occurrence number, so none swallows another.
#[derive(Default)]
struct Fingerprints {
    seen: std::collections::HashMap<u128, u32>,
}

impl Fingerprints {
    fn next(&mut self, f: &Finding) -> String {
        let c = &f.component;
        let base = finding_hash(
            &c.document.replace('\\', "/"),
            c.bom_ref.as_deref(),
            &c.name,
            c.version.as_deref(),
            &f.target.id,
        );
        let n = self.seen.entry(base).or_insert(0);
        *n += 1;
        if *n == 1 {
            format!("{base:032x}")
        } else {
            format!("{base:032x}:{n}")
        }
    }
}

/// The identity hash of one finding. Each field is length-prefixed and
/// absent values are told apart from empty ones, so no two different
/// field lists hash the same input bytes.
pub fn finding_hash(
    document: &str,
    bom_ref: Option<&str>,
    name: &str,
    version: Option<&str>,
    target: &str,
) -> u128 {
    let mut h = Fnv1a128::new();
    for field in [Some(document), bom_ref, Some(name), version, Some(target)] {
        match field {
            Some(s) => {
                h.write(&[1]);
                h.write(&(s.len() as u64).to_le_bytes());
                h.write(s.as_bytes());
            }
            None => h.write(&[0]),
        }
    }
    h.finish()
}

/// FNV-1a, 128-bit: tiny, fixed and the same on every platform and run
/// (unlike std's randomly keyed hashers).
struct Fnv1a128(u128);

impl Fnv1a128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Self {
        Fnv1a128(Self::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn finish(&self) -> u128 {
        self.0
    }
}

/// End positions of evidence spans, with each source's line index built on
/// first use.
struct Lines<'r> {
    report: &'r Report,
    indexes: Vec<OnceCell<LineIndex>>,
}

impl<'r> Lines<'r> {
    fn new(report: &'r Report) -> Self {
        Lines {
            report,
            indexes: report.sources.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    /// Line and column just after the evidence span (SARIF's exclusive end).
    fn end(&self, e: &EvidenceItem) -> Option<(usize, usize)> {
        let source = self.report.sources.get(e.source)?;
        let cell = self.indexes.get(e.source)?;
        if e.span.is_empty()
            || e.span.end() > source.text.len()
            || source.name != e.location.document
        {
            return None;
        }
        let index = cell.get_or_init(|| LineIndex::new(&source.text));
        Some(index.line_col(&source.text, e.span.end()))
    }
}

#[cfg(test)]
mod tests;
