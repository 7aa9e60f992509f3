//! `--format github`: GitHub Actions workflow commands, so that findings
//! show up as annotations on the run and on the SBOM lines in a pull
//! request, without uploading SARIF.
//!
//! One `::error` / `::warning` / `::notice` line per finding (confirmed,
//! likely, possible; a waived finding is a notice), at its strongest
//! evidence; the audit's diagnostics at their level (`::warning` for the
//! usual warnings); then one plain summary line. Every value is escaped
//! as the runner expects: `%`, CR and LF in the message, and `:` and `,`
//! as well in properties, so no SBOM text can end a command early or
//! inject another one.

use std::fmt::Write as _;

use super::{Finding, Report, ReportDiagnostic};
use crate::model::{Confidence, Level};

/// Workflow commands for the whole report, one per line.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        finding(f, &mut out);
    }
    for d in &report.diagnostics {
        diagnostic(d, &mut out);
    }
    summary(report, &mut out);
    out
}

fn finding(f: &Finding, out: &mut String) {
    let command = match (f.waived, f.confidence) {
        (true, _) | (false, Confidence::Possible) => "notice",
        (false, Confidence::Likely) => "warning",
        (false, Confidence::Confirmed) => "error",
    };
    let mut component = f.component.name.clone();
    if let Some(v) = &f.component.version {
        let _ = write!(component, " {v}");
    }
    let status = if f.waived {
        "waived"
    } else {
        f.confidence.as_str()
    };
    let title = format!(
        "oemtrace::{}::{}: {component} ({status})",
        f.target.kind, f.target.owner
    );
    let mut props = Vec::with_capacity(6);
    match f.strongest_evidence() {
        Some(e) => {
            props.push(("file", e.location.document.replace('\\', "/")));
            props.push(("line", e.location.line.to_string()));
            props.push(("col", e.location.column.to_string()));
        }
        None => props.push(("file", f.component.document.replace('\\', "/"))),
    }
    props.push(("title", title));
    command_line(out, command, &props, &finding_message(f));
}

/// What the annotation says: what was found, how sure, and how it got in.
fn finding_message(f: &Finding) -> String {
    let mut m = format!(
        "{} carries {} '{}' ({}, {})",
        f.component.name, f.target.kind, f.target.name, f.target.id, f.confidence
    );
    for e in &f.evidence {
        let _ = write!(
            m,
            "\n{} = \"{}\" at line {} matches {} ({})",
            e.field, e.value, e.location.line, e.matched, e.confidence
        );
    }
    if f.path_count == 0 {
        m.push_str("\nno product root reaches this component");
    } else {
        m.push_str("\npath: ");
        for (i, hop) in f.path.iter().enumerate() {
            match hop.edge {
                Some(edge) => {
                    let _ = write!(m, " -{edge}-> ");
                }
                None if i > 0 => m.push_str(" -> "),
                None => {}
            }
            m.push_str(&hop.name);
        }
        if f.path_count_saturated {
            m.push_str(" (shortest of more than 2^128 paths)");
        } else if f.path_count > 1 {
            let _ = write!(m, " (shortest of {} paths)", f.path_count);
        }
    }
    if !f.programs.is_empty() {
        let _ = write!(m, "\nrestricted under: {}", f.programs.join(", "));
    }
    if let Some(w) = &f.waiver {
        let _ = write!(m, "\nwaived: {} (approved by {}", w.reason, w.approved_by);
        if let Some(e) = &w.expires {
            let _ = write!(m, ", until {e}");
        }
        m.push(')');
    }
    m
}

fn diagnostic(d: &ReportDiagnostic, out: &mut String) {
    let command = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    };
    let mut props = vec![("file", d.document.replace('\\', "/"))];
    if let Some(line) = d.line {
        props.push(("line", line.to_string()));
    }
    if let Some(col) = d.column {
        props.push(("col", col.to_string()));
    }
    props.push(("title", format!("oemtrace::{}", d.code)));
    command_line(out, command, &props, &d.message);
}

fn summary(report: &Report, out: &mut String) {
    let s = &report.summary;
    let verdict = if s.exit_code == 0 { "pass" } else { "FAIL" };
    let _ = writeln!(
        out,
        "oemtrace: {verdict}: {} confirmed, {} likely, {} possible, {} waived (fail-on {}); exit {}",
        s.confirmed,
        s.likely,
        s.possible,
        s.waived,
        s.fail_on.as_str(),
        s.exit_code,
    );
}

/// `::command key=value,key=value::message` and a newline.
fn command_line(out: &mut String, command: &str, props: &[(&str, String)], message: &str) {
    out.push_str("::");
    out.push_str(command);
    for (i, (key, value)) in props.iter().enumerate() {
        out.push(if i == 0 { ' ' } else { ',' });
        out.push_str(key);
        out.push('=');
        out.push_str(&escape_property(value));
    }
    out.push_str("::");
    out.push_str(&escape_data(message));
    out.push('\n');
}

/// A command's message: `%`, CR and LF escaped.
pub fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// A command's property value: as [`escape_data`], and `:` and `,` too.
pub fn escape_property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Confidence::*;
    use crate::policy::FailOn;
    use crate::report::testutil::{finding, report};

    #[test]
    fn data_and_properties_are_escaped_as_the_runner_expects() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("50% a\r\nb: c, d"),
            "50%25 a%0D%0Ab%3A c%2C d"
        );
        assert_eq!(
            escape_data("%0A"),
            "%250A",
            "an escape in the text stays text"
        );
    }

    #[test]
    fn one_annotation_per_finding_at_its_evidence() {
        let r = report(
            vec![
                finding("fw/a.json", "x", Confirmed),
                finding("fw/a.json", "y", Likely),
                finding("fw/a.json", "z", Possible),
            ],
            FailOn::Likely,
        );
        let out = render(&r);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert!(lines[0].starts_with(
            "::error file=fw/a.json,line=3,col=15,title=oemtrace%3A%3Aentity%3A%3Akaspersky%3A x 1.0 (confirmed)::x carries entity 'Kaspersky'"
        ), "{}", lines[0]);
        assert!(lines[1].starts_with("::warning file="), "{}", lines[1]);
        assert!(lines[2].starts_with("::notice file="), "{}", lines[2]);
        assert!(
            lines[0].contains("%0Apath: Product -depends_on-> x"),
            "{}",
            lines[0]
        );
        assert_eq!(
            lines[3],
            "oemtrace: FAIL: 1 confirmed, 1 likely, 1 possible, 0 waived (fail-on likely); exit 1"
        );
    }

    #[test]
    fn hostile_sbom_text_cannot_break_out_of_a_command() {
        let mut f = finding("a,b:c.json", "evil\n::error::forged", Confirmed);
        f.evidence[0].value = "x\r\n::warning::forged".to_owned();
        let out = render(&report(vec![f], FailOn::Likely));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(
            lines[0].starts_with("::error file=a%2Cb%3Ac.json,line=3"),
            "{}",
            lines[0]
        );
        assert!(!lines[1].starts_with("::"));
    }

    #[test]
    fn waived_findings_are_notices_and_diagnostics_warnings() {
        let mut f = finding("a.json", "x", Confirmed);
        f.waived = true;
        let mut r = report(vec![f], FailOn::Likely);
        r.diagnostics.push(ReportDiagnostic {
            level: Level::Warning,
            code: "waiver-unused",
            message: "waiver (name y) matches no finding".to_owned(),
            document: "waivers.toml".to_owned(),
            line: Some(7),
            column: Some(1),
            source: 0,
            span: None,
        });
        let out = render(&r);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("::notice "), "{}", lines[0]);
        assert!(lines[0].contains("(waived)"), "{}", lines[0]);
        assert_eq!(
            lines[1],
            "::warning file=waivers.toml,line=7,col=1,title=oemtrace%3A%3Awaiver-unused::waiver (name y) matches no finding"
        );
        assert!(lines[2].starts_with("oemtrace: pass:"), "{}", lines[2]);
    }
}
