//! Hand-built reports for unit tests of renderers and waivers: small, with
//! every field a test may want to vary in reach.

use super::{
    ComponentRef, DbSummary, EvidenceItem, Finding, Location, PathHop, Report, SourceFile, Summary,
    TargetRef, Tool, SCHEMA,
};
use crate::model::{Confidence, EdgeKind, FieldKind, Span};
use crate::policy::{self, FailOn};

/// The SBOM text every test finding points into: the supplier value of
/// component `name` sits on line 3, column 15.
pub(crate) fn source_text(name: &str) -> String {
    format!("{{\n  \"name\": \"{name}\",\n  \"supplier\": \"AO Kaspersky Lab\"\n}}\n")
}

/// A confirmed-or-other finding on component `name` in `doc` (source 0),
/// reached from root `Product` by `depends_on`, with one supplier evidence.
pub(crate) fn finding(doc: &str, name: &str, confidence: Confidence) -> Finding {
    let text = source_text(name);
    let offset = text.find("\"AO Kaspersky Lab\"").unwrap_or(0);
    Finding {
        confidence,
        target: TargetRef {
            kind: "entity",
            id: "kaspersky".to_owned(),
            name: "Kaspersky".to_owned(),
            owner: "kaspersky".to_owned(),
        },
        component: ComponentRef {
            name: name.to_owned(),
            version: Some("1.0".to_owned()),
            purl: Some(format!("pkg:generic/acme/{name}@1.0")),
            bom_ref: Some(name.to_owned()),
            document: doc.to_owned(),
        },
        path: vec![
            hop(doc, "Product", None),
            PathHop {
                version: Some("1.0".to_owned()),
                ..hop(doc, name, Some(EdgeKind::DependsOn))
            },
        ],
        path_count: 1,
        path_count_saturated: false,
        evidence: vec![EvidenceItem {
            kind: FieldKind::Supplier,
            field: "supplier.name",
            value: "AO Kaspersky Lab".to_owned(),
            matched: "kaspersky".to_owned(),
            location: Location {
                document: doc.to_owned(),
                line: 3,
                column: 15,
            },
            confidence,
            note: None,
            source: 0,
            span: Span::new(offset, "\"AO Kaspersky Lab\"".len()),
        }],
        programs: vec!["bis-entity-list".to_owned()],
        waived: false,
        waiver: None,
        source: 0,
        component_span: Span::new(0, text.len()),
        roots: Vec::new(),
        record: None,
    }
}

pub(crate) fn hop(doc: &str, name: &str, edge: Option<EdgeKind>) -> PathHop {
    PathHop {
        name: name.to_owned(),
        version: None,
        bom_ref: Some(name.to_owned()),
        document: doc.to_owned(),
        edge,
    }
}

/// A report of `findings` whose summary is computed as the audit does.
/// Source 0 is the text of the first finding's component.
pub(crate) fn report(findings: Vec<Finding>, fail_on: FailOn) -> Report {
    let count = |c: Confidence| findings.iter().filter(|f| f.confidence == c).count();
    let exit = policy::verdict(findings.iter().map(|f| (f.confidence, f.waived)), fail_on);
    let first = findings.first().map_or_else(
        || ("sbom.json".to_owned(), String::new()),
        |f| (f.component.document.clone(), source_text(&f.component.name)),
    );
    Report {
        schema: SCHEMA,
        tool: Tool::this(),
        db: DbSummary {
            version: "test".to_owned(),
            entities: 1,
            engines: 0,
            products: 0,
        },
        inputs: Vec::new(),
        summary: Summary {
            components: 2,
            edges: 1,
            confirmed: count(Confidence::Confirmed),
            likely: count(Confidence::Likely),
            possible: count(Confidence::Possible),
            waived: findings.iter().filter(|f| f.waived).count(),
            fail_on,
            exit_code: exit.code(),
            roots: None,
        },
        findings,
        diagnostics: Vec::new(),
        sources: vec![SourceFile {
            name: first.0,
            text: crate::model::SourceText::from(first.1),
        }],
        programs: Vec::new(),
    }
}
