use super::*;
use crate::model::Confidence::*;
use crate::policy::FailOn;
use crate::report::testutil::{finding, hop, report};

/// Two findings below the same product root, one through a vendor-db hop.
fn two_paths() -> Report {
    let a = finding("fw.json", "scanner", Confirmed);
    let mut b = finding("fw.json", "av-suite", Likely);
    b.path = vec![
        hop("fw.json", "Product", None),
        hop("fw.json", "av-suite", Some(EdgeKind::DependsOn)),
        PathHop {
            name: "Kaspersky Anti-Virus SDK".to_owned(),
            version: None,
            bom_ref: None,
            document: "vendor-db".to_owned(),
            edge: Some(EdgeKind::Embeds),
        },
    ];
    report(vec![a, b], FailOn::Likely)
}

#[test]
fn paths_are_joined_into_one_graph() {
    let dot = render_dot(&two_paths());
    assert_eq!(
        dot.matches("label=\"Product").count(),
        1,
        "shared root once:\n{dot}"
    );
    assert_eq!(dot.matches(" -> ").count(), 3, "{dot}");
    assert!(dot.contains("n0 -> n1 [label=\"depends_on\"];"), "{dot}");
    assert!(dot.contains("n0 -> n2 [label=\"depends_on\"];"), "{dot}");
    assert!(
        dot.contains("n2 -> n3 [label=\"embeds\", style=dashed];"),
        "{dot}"
    );
}

#[test]
fn the_same_hop_twice_is_one_edge() {
    let f = finding("fw.json", "scanner", Confirmed);
    let mut g = f.clone();
    g.target.id = "kaspersky/anti-virus".to_owned();
    g.target.kind = "engine";
    g.target.name = "Kaspersky Anti-Virus".to_owned();
    let dot = render_dot(&report(vec![f, g], FailOn::Likely));
    assert_eq!(dot.matches(" -> ").count(), 1, "{dot}");
    assert!(
        dot.contains(
            "scanner\\n1.0\\nconfirmed entity Kaspersky\\nconfirmed engine Kaspersky Anti-Virus"
        ),
        "both findings on the node's label:\n{dot}"
    );
}

#[test]
fn flagged_roots_and_vendor_hops_are_styled_apart() {
    let dot = render_dot(&two_paths());
    let line = |needle: &str| {
        dot.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} in\n{dot}"))
            .to_owned()
    };
    assert!(line("n0 [").contains("penwidth=2"), "root bold");
    assert!(!line("n0 [").contains("filled"));
    assert!(
        line("n1 [").contains("fillcolor=\"#f4cccc\""),
        "confirmed red"
    );
    assert!(
        line("n2 [").contains("fillcolor=\"#fce5cd\""),
        "likely orange"
    );
    let vendor = line("n3 [");
    assert!(vendor.contains("style=\"dashed\""), "{vendor}");
    assert!(
        vendor.starts_with("  n3"),
        "vendor-db hop outside the cluster: {vendor}"
    );
    assert!(
        dot.contains("subgraph cluster_0 {\n    label=\"fw.json\";"),
        "{dot}"
    );

    let mermaid = render_mermaid(&two_paths());
    assert!(
        mermaid.contains("  n3[/\"Kaspersky Anti-Virus SDK\"/]"),
        "{mermaid}"
    );
    assert!(mermaid.contains("  n2 -.->|embeds| n3"), "{mermaid}");
    assert!(mermaid.contains("  n0 -->|depends_on| n1"), "{mermaid}");
    assert!(mermaid.contains("  class n1 confirmed\n"), "{mermaid}");
    assert!(mermaid.contains("  class n2 likely\n"), "{mermaid}");
    assert!(mermaid.contains("  class n3 vendor\n"), "{mermaid}");
    assert!(mermaid.contains("  class n0 root\n"), "{mermaid}");
    assert!(
        mermaid.contains("  subgraph d0[\"fw.json\"]\n"),
        "{mermaid}"
    );
}

#[test]
fn waived_findings_are_grey() {
    let mut f = finding("fw.json", "scanner", Confirmed);
    f.waived = true;
    let r = report(vec![f], FailOn::Likely);
    assert!(render_dot(&r).contains("fillcolor=\"#eeeeee\""));
    assert!(render_mermaid(&r).contains("class n1 waived"));
    assert!(render_dot(&r).contains("confirmed (waived) entity Kaspersky"));
}

#[test]
fn labels_are_escaped() {
    let f = finding(
        "dir\\\"x\".json",
        "a \"quoted\" \\ name\n#1 <b>&`",
        Confirmed,
    );
    let r = report(vec![f], FailOn::Likely);
    let dot = render_dot(&r);
    assert!(
        dot.contains(r#"label="a \"quoted\" \\ name\n#1 <b>&`\n1.0"#),
        "{dot}"
    );
    assert!(dot.contains(r#"label="dir\\\"x\".json";"#), "{dot}");
    let mermaid = render_mermaid(&r);
    assert!(
        mermaid.contains("n1[\"a #quot;quoted#quot; \\ name #35;1 #lt;b#gt;#amp;#96;<br/>1.0"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("subgraph d0[\"dir\\#quot;x#quot;.json\"]"),
        "{mermaid}"
    );
}

#[test]
fn an_unreached_component_is_a_lone_node() {
    let mut f = finding("fw.json", "orphan", Confirmed);
    f.path = vec![hop("fw.json", "orphan", None)];
    f.path_count = 0;
    let dot = render_dot(&report(vec![f], FailOn::Likely));
    assert!(!dot.contains(" -> "), "{dot}");
    assert!(!dot.contains("penwidth"), "not a root: {dot}");
    assert!(dot.contains("n0 [label=\"orphan"), "{dot}");
}

#[test]
fn output_is_deterministic_and_empty_reports_render() {
    let r = two_paths();
    assert_eq!(render_dot(&r), render_dot(&r));
    assert_eq!(render_mermaid(&r), render_mermaid(&r));
    let empty = report(vec![], FailOn::Likely);
    assert_eq!(
        render_dot(&empty),
        "digraph oemtrace {\n  rankdir=LR;\n  graph [fontname=\"Helvetica\"];\n  node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n  label=\"oemtrace: no findings\";\n}\n"
    );
    assert_eq!(
        render_mermaid(&empty),
        "flowchart LR\n  empty[\"oemtrace: no findings\"]\n"
    );
}
