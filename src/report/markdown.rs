//! `--format markdown`: a report for a procurement file or a ticket.
//!
//! Verdict first (PASS or FAIL, the counts and the `--fail-on` threshold
//! that decided it), then one table row per finding — the path from the
//! product, the engine or owner found, the confidence, the evidence with
//! its place in the SBOM, the restriction programs with their dates, the
//! waiver if any — then the programs with their sources, the inputs read
//! and the audit's diagnostics. Every value that comes from an SBOM is
//! escaped, so a component name cannot break a table or inject markup.

use std::fmt::Write as _;

use super::{Finding, ProgramInfo, Report};
use crate::policy::FailOn;

/// The whole report as GitHub-flavoured Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    verdict(report, &mut out);
    findings(report, &mut out);
    programs(report, &mut out);
    inputs(report, &mut out);
    diagnostics(report, &mut out);
    out
}

fn verdict(report: &Report, out: &mut String) {
    let s = &report.summary;
    let failing = report
        .findings
        .iter()
        .filter(|f| !f.waived && s.fail_on.fails(f.confidence))
        .count();
    let (word, why) = match (s.exit_code, s.fail_on) {
        (0, FailOn::Never) => (
            "PASS",
            "the threshold is `never`: findings do not fail the audit".to_owned(),
        ),
        (0, t) => (
            "PASS",
            format!("no unwaived finding at or above `{}`", t.as_str()),
        ),
        (_, t) => (
            "FAIL",
            format!(
                "{failing} unwaived finding{} at or above `{}`",
                plural(failing),
                t.as_str()
            ),
        ),
    };
    let _ = writeln!(out, "# oemtrace audit: {word}\n");
    let _ = writeln!(out, "**{word}**: {why} (exit code {}).\n", s.exit_code);
    out.push_str("| confirmed | likely | possible | waived | fail-on |\n");
    out.push_str("| ---: | ---: | ---: | ---: | --- |\n");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | `{}` |\n",
        s.confirmed,
        s.likely,
        s.possible,
        s.waived,
        s.fail_on.as_str()
    );
    let docs = report.inputs.len();
    let _ = writeln!(
        out,
        "{docs} SBOM{} ({} components, {} edges) audited with {} {} against vendor db {} \
         ({} entit{}, {} engine{}, {} product{}).\n",
        plural(docs),
        s.components,
        s.edges,
        text(report.tool.name),
        text(report.tool.version),
        code(&report.db.version),
        report.db.entities,
        if report.db.entities == 1 { "y" } else { "ies" },
        report.db.engines,
        plural(report.db.engines),
        report.db.products,
        plural(report.db.products),
    );
}

fn findings(report: &Report, out: &mut String) {
    out.push_str("## Findings\n\n");
    if report.findings.is_empty() {
        out.push_str("No component of the audited SBOMs matches the vendor db.\n\n");
        return;
    }
    out.push_str(
        "| # | confidence | product path | engine / target | evidence | restriction programs | status |\n",
    );
    out.push_str("| ---: | --- | --- | --- | --- | --- | --- |\n");
    for (i, f) in report.findings.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            i + 1,
            confidence(f),
            path(f),
            target(f),
            evidence(f),
            finding_programs(f, &report.programs),
            status(f),
        );
    }
    out.push_str(
        "\nConfidence: **confirmed** — a strong identifier (the engine's package URL, the owner's \
         CPE vendor or package namespace, its legal-entity name as supplier or licensor, a \
         grade-A vendor-db record); **likely** — a name without a supporting identifier, a \
         pedigree ancestor, a grade-B record; **possible** — a mention in a description, \
         copyright text or URL.\n\n",
    );
}

fn confidence(f: &Finding) -> String {
    format!("**{}**", f.confidence)
}

fn path(f: &Finding) -> String {
    let mut cell = String::new();
    for (i, hop) in f.path.iter().enumerate() {
        match hop.edge {
            Some(edge) => {
                let _ = write!(
                    cell,
                    " →&nbsp;*{}*&nbsp;→ ",
                    edge.as_str().replace('_', "\\_")
                );
            }
            None if i > 0 => cell.push_str(" → "),
            None => {}
        }
        cell.push_str(&text(&hop.name));
        if let Some(v) = &hop.version {
            let _ = write!(cell, " {}", text(v));
        }
        if hop.document == "vendor-db" {
            cell.push_str(" (vendor db)");
        }
    }
    match (f.path_count, f.path_count_saturated) {
        (0, _) => cell.push_str("<br>no product root reaches this component"),
        (_, true) => cell.push_str("<br>shortest of more than 2^128 paths"),
        (1, _) => {}
        (n, _) => {
            let _ = write!(cell, "<br>shortest of {n} paths");
        }
    }
    let _ = write!(cell, "<br>in {}", code(&f.component.document));
    cell
}

fn target(f: &Finding) -> String {
    let mut cell = format!(
        "{} ({})<br>{}",
        text(&f.target.name),
        f.target.kind,
        code(&f.target.id)
    );
    if let Some(purl) = &f.component.purl {
        let _ = write!(cell, "<br>component purl {}", code(purl));
    }
    cell
}

fn evidence(f: &Finding) -> String {
    let mut items: Vec<String> = Vec::with_capacity(f.evidence.len());
    for e in &f.evidence {
        let item = format!(
            "{} = {} at {}:{}:{} ({}{})",
            code(e.field),
            text(&e.value),
            text(&e.location.document),
            e.location.line,
            e.location.column,
            e.confidence,
            e.note
                .as_deref()
                .map(|n| format!("; {}", text(n)))
                .unwrap_or_default(),
        );
        if !items.contains(&item) {
            items.push(item);
        }
    }
    items.join("<br>")
}

fn finding_programs(f: &Finding, known: &[ProgramInfo]) -> String {
    let cells: Vec<String> = f
        .programs
        .iter()
        .map(|id| {
            let info = known
                .binary_search_by(|p| p.id.as_str().cmp(id))
                .ok()
                .and_then(|i| known.get(i));
            match info.and_then(|p| p.effective.as_deref()) {
                Some(date) => format!("{} (effective {})", code(id), text(date)),
                None => code(id),
            }
        })
        .collect();
    if cells.is_empty() {
        "none".to_owned()
    } else {
        cells.join("<br>")
    }
}

fn status(f: &Finding) -> String {
    match (&f.waiver, f.waived) {
        (Some(w), _) => {
            let mut cell = format!(
                "waived: {}<br>approved by {}",
                text(&w.reason),
                text(&w.approved_by)
            );
            if let Some(e) = &w.expires {
                let _ = write!(cell, "<br>until {}", text(e));
            }
            cell
        }
        (None, true) => "waived".to_owned(),
        (None, false) => "open".to_owned(),
    }
}

fn programs(report: &Report, out: &mut String) {
    if report.programs.is_empty() {
        return;
    }
    out.push_str("## Restriction programs\n\n");
    for p in &report.programs {
        let _ = writeln!(out, "### {} — {}\n", code(&p.id), text(&p.name));
        if !p.authority.is_empty() {
            let _ = writeln!(out, "- Authority: {}", text(&p.authority));
        }
        if !p.citation.is_empty() {
            let _ = writeln!(out, "- Citation: {}", text(&p.citation));
        }
        if let Some(e) = &p.effective {
            let _ = writeln!(out, "- Effective: {}", text(e));
        }
        for (date, event) in &p.dates {
            let _ = writeln!(out, "- {}: {}", text(date), text(event));
        }
        for source in &p.sources {
            let _ = writeln!(out, "- Source: <{}>", source.replace(['<', '>', ' '], ""));
        }
        out.push('\n');
    }
}

fn inputs(report: &Report, out: &mut String) {
    out.push_str("## Inputs\n\n");
    out.push_str("| document | format | spec version | components | relationships |\n");
    out.push_str("| --- | --- | --- | ---: | ---: |\n");
    for i in &report.inputs {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            code(&i.document),
            i.format.as_str(),
            i.spec_version
                .as_deref()
                .map_or_else(|| "—".to_owned(), text),
            i.components,
            i.relationships,
        );
    }
    out.push('\n');
}

fn diagnostics(report: &Report, out: &mut String) {
    out.push_str("## Diagnostics\n\n");
    if report.diagnostics.is_empty() {
        out.push_str("None: every input was read without remarks.\n");
        return;
    }
    out.push_str("| level | code | where | message |\n");
    out.push_str("| --- | --- | --- | --- |\n");
    for d in &report.diagnostics {
        let place = match (d.line, d.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", text(&d.document)),
            (Some(l), None) => format!("{}:{l}", text(&d.document)),
            _ => text(&d.document),
        };
        let level = match d.level {
            crate::model::Level::Error => "error",
            crate::model::Level::Warning => "warning",
            crate::model::Level::Info => "info",
        };
        let _ = writeln!(
            out,
            "| {level} | {} | {place} | {} |",
            code(d.code),
            text(&d.message)
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Plain text for a table cell or a line: Markdown and HTML punctuation
/// backslash-escaped, line breaks as `<br>`. Intraword underscores stay
/// as they are (they are not emphasis in GFM).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            '_' => {
                let inner = prev.is_some_and(char::is_alphanumeric)
                    && chars.peek().is_some_and(|n| n.is_alphanumeric());
                if !inner {
                    out.push('\\');
                }
                out.push('_');
            }
            '\\' | '|' | '*' | '`' | '[' | ']' | '<' | '>' | '~' | '&' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        prev = Some(c);
    }
    out
}

/// An inline code span holding `s` verbatim: the fence is longer than any
/// run of backticks inside; pipes are escaped for tables and line breaks
/// become spaces.
pub fn code(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    if s.is_empty() {
        return "` `".to_owned();
    }
    let fence = "`".repeat(longest + 1);
    let body = s.replace(['\r', '\n'], " ").replace('|', "\\|");
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Confidence::*;
    use crate::report::testutil::{finding, report};
    use crate::report::WaiverRef;

    #[test]
    fn text_escapes_what_could_break_a_table_or_inject_markup() {
        assert_eq!(text("a | b"), "a \\| b");
        assert_eq!(
            text("line1\nline2\r\nline3\rline4"),
            "line1<br>line2<br>line3<br>line4"
        );
        assert_eq!(text("<script>"), "\\<script\\>");
        assert_eq!(
            text("*bold* [link](x) `c`"),
            "\\*bold\\* \\[link\\](x) \\`c\\`"
        );
        assert_eq!(
            text("kl_scan_core"),
            "kl_scan_core",
            "intraword underscores stay"
        );
        assert_eq!(text("_em_"), "\\_em\\_");
        assert_eq!(text("AT&T #1 \\"), "AT\\&T \\#1 \\\\");
        assert_eq!(
            text("АО «Лаборатория Касперского»"),
            "АО «Лаборатория Касперского»"
        );
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("supplier.name"), "`supplier.name`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a|b\nc"), "`a\\|b c`");
        assert_eq!(code(""), "` `");
    }

    #[test]
    fn verdict_comes_first_with_counts_and_threshold() {
        let r = report(
            vec![
                finding("a.json", "x", Confirmed),
                finding("a.json", "y", Possible),
            ],
            FailOn::Likely,
        );
        let md = render(&r);
        assert!(
            md.starts_with("# oemtrace audit: FAIL\n\n**FAIL**: 1 unwaived finding at or above `likely` (exit code 1)."),
            "{md}"
        );
        assert!(md.contains("| 1 | 0 | 1 | 0 | `likely` |"), "{md}");

        let pass = render(&report(
            vec![finding("a.json", "y", Possible)],
            FailOn::Likely,
        ));
        assert!(
            pass.starts_with(
                "# oemtrace audit: PASS\n\n**PASS**: no unwaived finding at or above `likely`"
            ),
            "{pass}"
        );
        let never = render(&report(
            vec![finding("a.json", "x", Confirmed)],
            FailOn::Never,
        ));
        assert!(never.contains("the threshold is `never`"), "{never}");
    }

    #[test]
    fn a_hostile_component_name_stays_in_its_cell() {
        let f = finding("a.json", "evil | name\n# heading", Confirmed);
        let md = render(&report(vec![f], FailOn::Likely));
        let row = md
            .lines()
            .find(|l| l.starts_with("| 1 | **"))
            .expect("finding row");
        assert!(row.contains("evil \\| name<br>\\# heading"), "{row}");
        // Unescaped pipes separate exactly the 7 cells (8 pipes).
        let separators = row.replace("\\|", "").matches('|').count();
        assert_eq!(separators, 8, "{row}");
        assert!(!md.lines().any(|l| l.starts_with("# heading")));
    }

    #[test]
    fn rows_carry_path_evidence_programs_and_waivers() {
        let mut f = finding("fw/a.json", "scanner", Confirmed);
        f.waived = true;
        f.waiver = Some(WaiverRef {
            reason: "test only".to_owned(),
            approved_by: "J. Doe".to_owned(),
            expires: Some("2027-01-31".to_owned()),
        });
        let mut r = report(vec![f], FailOn::Likely);
        r.programs = vec![ProgramInfo {
            id: "bis-entity-list".to_owned(),
            name: "BIS Entity List".to_owned(),
            authority: "BIS".to_owned(),
            citation: "89 FR 52362".to_owned(),
            effective: Some("2024-06-24".to_owned()),
            dates: vec![("2024-06-24".to_owned(), "Rule effective".to_owned())],
            sources: vec!["https://www.govinfo.gov/x.htm".to_owned()],
        }];
        let md = render(&r);
        let row = md.lines().find(|l| l.starts_with("| 1 | **")).expect("row");
        assert!(
            row.contains("Product →&nbsp;*depends\\_on*&nbsp;→ scanner"),
            "{row}"
        );
        assert!(
            row.contains("`supplier.name` = AO Kaspersky Lab at fw/a.json:3:15 (confirmed)"),
            "{row}"
        );
        assert!(
            row.contains("`bis-entity-list` (effective 2024-06-24)"),
            "{row}"
        );
        assert!(
            row.contains("waived: test only<br>approved by J. Doe<br>until 2027-01-31"),
            "{row}"
        );
        assert!(
            md.contains("### `bis-entity-list` — BIS Entity List"),
            "{md}"
        );
        assert!(md.contains("- 2024-06-24: Rule effective"), "{md}");
        assert!(
            md.contains("- Source: <https://www.govinfo.gov/x.htm>"),
            "{md}"
        );
        assert!(md.starts_with("# oemtrace audit: PASS"), "{md}");
    }
}
