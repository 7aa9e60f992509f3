//! `--format dot` and `--format mermaid`: a picture of how the product
//! reaches every flagged component.
//!
//! The picture is the union of all finding paths: one node per component
//! (keyed by document and bom-ref, or name and version where there is no
//! bom-ref), one edge per distinct (from, to, kind) hop, labelled with the
//! edge kind. Each document is a cluster; flagged components are filled in
//! the colour of their confidence (grey when waived); product roots are
//! drawn bold; vendor-db hops (document `vendor-db`) are dashed boxes
//! outside every cluster, reached by dashed edges. Nodes and edges appear
//! in report order, so the same report always gives the same text.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{Finding, PathHop, Report};
use crate::model::{Confidence, EdgeKind};

/// The document name of vendor-db hops (report-contract.md, "path").
const VENDOR_DB: &str = "vendor-db";

/// Graphviz DOT.
pub fn render_dot(report: &Report) -> String {
    let p = Picture::new(report);
    let mut out = String::from("digraph oemtrace {\n");
    out.push_str("  rankdir=LR;\n");
    out.push_str("  graph [fontname=\"Helvetica\"];\n");
    out.push_str("  node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    if p.nodes.is_empty() {
        out.push_str("  label=\"oemtrace: no findings\";\n}\n");
        return out;
    }
    for (d, (doc, members)) in p.docs.iter().zip(p.clusters()).enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{d} {{");
        let _ = writeln!(out, "    label=\"{}\";", dot_escape(doc));
        out.push_str("    color=\"#999999\";\n");
        for i in members {
            if let Some(n) = p.nodes.get(i) {
                dot_node(&mut out, "    ", i, n);
            }
        }
        out.push_str("  }\n");
    }
    for (i, n) in p.nodes.iter().enumerate().filter(|(_, n)| n.vendor) {
        dot_node(&mut out, "  ", i, n);
    }
    for &(from, to, kind) in &p.edges {
        let dashed = p.nodes.get(to).is_some_and(|n| n.vendor);
        let _ = writeln!(
            out,
            "  n{from} -> n{to} [label=\"{}\"{}];",
            kind.as_str(),
            if dashed { ", style=dashed" } else { "" }
        );
    }
    out.push_str("}\n");
    out
}

fn dot_node(out: &mut String, indent: &str, i: usize, n: &Node<'_>) {
    let label = dot_escape(&n.label_lines().join("\n"));
    let mut attrs = format!("label=\"{label}\"");
    if n.vendor {
        attrs.push_str(", style=\"dashed\"");
    }
    if let Some(flag) = n.flag {
        let (fill, line) = flag.colours();
        let style = if n.vendor {
            "dashed,filled"
        } else {
            "rounded,filled"
        };
        let _ = write!(
            attrs,
            ", style=\"{style}\", fillcolor=\"{fill}\", color=\"{line}\""
        );
    }
    if n.root {
        attrs.push_str(", penwidth=2");
    }
    let _ = writeln!(out, "{indent}n{i} [{attrs}];");
}

/// `"` and `\` escaped, line breaks as DOT's `\n`.
fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Mermaid flowchart (renders in GitHub and GitLab Markdown).
pub fn render_mermaid(report: &Report) -> String {
    let p = Picture::new(report);
    let mut out = String::from("flowchart LR\n");
    if p.nodes.is_empty() {
        out.push_str("  empty[\"oemtrace: no findings\"]\n");
        return out;
    }
    for (d, (doc, members)) in p.docs.iter().zip(p.clusters()).enumerate() {
        let _ = writeln!(out, "  subgraph d{d}[\"{}\"]", mermaid_escape(doc));
        for i in members {
            if let Some(n) = p.nodes.get(i) {
                mermaid_node(&mut out, "    ", i, n);
            }
        }
        out.push_str("  end\n");
    }
    for (i, n) in p.nodes.iter().enumerate().filter(|(_, n)| n.vendor) {
        mermaid_node(&mut out, "  ", i, n);
    }
    for &(from, to, kind) in &p.edges {
        let arrow = if p.nodes.get(to).is_some_and(|n| n.vendor) {
            "-.->"
        } else {
            "-->"
        };
        let _ = writeln!(out, "  n{from} {arrow}|{}| n{to}", kind.as_str());
    }
    out.push_str("  classDef confirmed fill:#f4cccc,stroke:#cc0000,stroke-width:2px\n");
    out.push_str("  classDef likely fill:#fce5cd,stroke:#e69138,stroke-width:2px\n");
    out.push_str("  classDef possible fill:#fff2cc,stroke:#bf9000\n");
    out.push_str("  classDef waived fill:#eeeeee,stroke:#999999\n");
    out.push_str("  classDef vendor stroke-dasharray:5 5\n");
    out.push_str("  classDef root stroke-width:3px\n");
    for (i, n) in p.nodes.iter().enumerate() {
        let mut classes: Vec<&str> = Vec::new();
        if let Some(flag) = n.flag {
            classes.push(flag.class());
        }
        if n.vendor {
            classes.push("vendor");
        }
        if n.root {
            classes.push("root");
        }
        for class in classes {
            let _ = writeln!(out, "  class n{i} {class}");
        }
    }
    out
}

fn mermaid_node(out: &mut String, indent: &str, i: usize, n: &Node<'_>) {
    let label = n
        .label_lines()
        .iter()
        .map(|l| mermaid_escape(l))
        .collect::<Vec<_>>()
        .join("<br/>");
    // A vendor-db record is a parallelogram: knowledge, not an SBOM part.
    if n.vendor {
        let _ = writeln!(out, "{indent}n{i}[/\"{label}\"/]");
    } else {
        let _ = writeln!(out, "{indent}n{i}[\"{label}\"]");
    }
}

/// Text inside a quoted Mermaid label: quotes, markup and Mermaid's own
/// entity marker as entity codes, line breaks as spaces.
fn mermaid_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The union of finding paths.
struct Picture<'r> {
    nodes: Vec<Node<'r>>,
    edges: Vec<(usize, usize, EdgeKind)>,
    /// SBOM documents in order of first appearance (vendor-db excluded).
    docs: Vec<&'r str>,
    doc_index: HashMap<&'r str, usize>,
}

struct Node<'r> {
    /// Index into `Picture::docs`; `None` for a vendor-db hop.
    cluster: Option<usize>,
    name: &'r str,
    version: Option<&'r str>,
    vendor: bool,
    root: bool,
    flag: Option<Flag>,
    /// `confidence kind name` of every finding on this node, no repeats.
    found: Vec<String>,
}

/// How a flagged node is drawn: its strongest finding, and whether every
/// finding on it is waived.
#[derive(Clone, Copy)]
struct Flag {
    confidence: Confidence,
    waived: bool,
}

impl Flag {
    fn class(self) -> &'static str {
        match (self.waived, self.confidence) {
            (true, _) => "waived",
            (false, c) => c.as_str(),
        }
    }

    fn colours(self) -> (&'static str, &'static str) {
        match self.class() {
            "confirmed" => ("#f4cccc", "#cc0000"),
            "likely" => ("#fce5cd", "#e69138"),
            "possible" => ("#fff2cc", "#bf9000"),
            _ => ("#eeeeee", "#999999"),
        }
    }
}

impl Node<'_> {
    fn label_lines(&self) -> Vec<String> {
        let mut lines = vec![self.name.to_owned()];
        if let Some(v) = self.version {
            lines.push(v.to_owned());
        }
        lines.extend(self.found.iter().cloned());
        lines
    }
}

/// How a node is told apart: its document and its bom-ref, or its name
/// and version where it has no bom-ref.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'r> {
    Ref(&'r str, &'r str),
    Name(&'r str, &'r str, Option<&'r str>),
}

impl<'r> Key<'r> {
    fn of_hop(h: &'r PathHop) -> Self {
        match &h.bom_ref {
            Some(r) => Key::Ref(&h.document, r),
            None => Key::Name(&h.document, &h.name, h.version.as_deref()),
        }
    }

    fn of_component(f: &'r Finding) -> Self {
        let c = &f.component;
        match &c.bom_ref {
            Some(r) => Key::Ref(&c.document, r),
            None => Key::Name(&c.document, &c.name, c.version.as_deref()),
        }
    }
}

impl<'r> Picture<'r> {
    /// Node indexes per document cluster, in node order.
    fn clusters(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.docs.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            if let Some(members) = n.cluster.and_then(|c| out.get_mut(c)) {
                members.push(i);
            }
        }
        out
    }

    fn new(report: &'r Report) -> Self {
        let mut p = Picture {
            nodes: Vec::new(),
            edges: Vec::new(),
            docs: Vec::new(),
            doc_index: HashMap::new(),
        };
        let mut index: HashMap<Key<'r>, usize> = HashMap::new();
        let mut seen_edges = std::collections::HashSet::new();
        for f in &report.findings {
            let mut prev: Option<usize> = None;
            for (i, hop) in f.path.iter().enumerate() {
                let n = p.node(
                    &mut index,
                    Key::of_hop(hop),
                    &hop.document,
                    &hop.name,
                    hop.version.as_deref(),
                );
                if i == 0 && f.path_count > 0 {
                    if let Some(node) = p.nodes.get_mut(n) {
                        node.root = true;
                    }
                }
                if let (Some(from), Some(kind)) = (prev, hop.edge) {
                    if seen_edges.insert((from, n, kind)) {
                        p.edges.push((from, n, kind));
                    }
                }
                prev = Some(n);
            }
            let c = &f.component;
            let n = p.node(
                &mut index,
                Key::of_component(f),
                &c.document,
                &c.name,
                c.version.as_deref(),
            );
            if let Some(node) = p.nodes.get_mut(n) {
                node.flag = Some(match node.flag {
                    None => Flag {
                        confidence: f.confidence,
                        waived: f.waived,
                    },
                    Some(old) => Flag {
                        confidence: old.confidence.max(f.confidence),
                        waived: old.waived && f.waived,
                    },
                });
                let found = format!(
                    "{}{} {} {}",
                    f.confidence,
                    if f.waived { " (waived)" } else { "" },
                    f.target.kind,
                    f.target.name
                );
                if !node.found.contains(&found) {
                    node.found.push(found);
                }
            }
        }
        p
    }

    /// The index of a node, added on first sight.
    fn node(
        &mut self,
        index: &mut HashMap<Key<'r>, usize>,
        key: Key<'r>,
        doc: &'r str,
        name: &'r str,
        version: Option<&'r str>,
    ) -> usize {
        if let Some(&n) = index.get(&key) {
            return n;
        }
        let vendor = doc == VENDOR_DB;
        let cluster = (!vendor).then(|| {
            *self.doc_index.entry(doc).or_insert_with(|| {
                self.docs.push(doc);
                self.docs.len() - 1
            })
        });
        let n = self.nodes.len();
        self.nodes.push(Node {
            cluster,
            name,
            version,
            vendor,
            root: false,
            flag: None,
            found: Vec::new(),
        });
        index.insert(key, n);
        n
    }
}

#[cfg(test)]
mod tests;
