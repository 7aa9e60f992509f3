//! `explain` as an inverted tree: the component first, then what includes
//! it, up to the product roots — like `cargo tree -i`.

use std::fmt::Write as _;

use crate::explain::{ExplainReport, Explanation};
use crate::report::PathHop;

/// Render every explanation, separated by a blank line.
pub fn render(report: &ExplainReport) -> String {
    let mut out = String::new();
    for (i, e) in report.explanations.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_one(e, &mut out);
    }
    out
}

/// A trie of reversed paths in an arena (no recursion anywhere: a path
/// can be a million hops long). Node 0 is the component itself; children
/// are "what includes this".
struct Trie {
    labels: Vec<String>,
    children: Vec<Vec<usize>>,
}

impl Trie {
    fn new() -> Self {
        Trie {
            labels: vec![String::new()],
            children: vec![Vec::new()],
        }
    }

    fn child(&mut self, node: usize, label: String) -> usize {
        if let Some(&c) = self.children[node]
            .iter()
            .find(|&&c| self.labels[c] == label)
        {
            return c;
        }
        let c = self.labels.len();
        self.labels.push(label);
        self.children.push(Vec::new());
        self.children[node].push(c);
        c
    }
}

fn render_one(e: &Explanation, out: &mut String) {
    let c = &e.component;
    let _ = write!(out, "{}", name(&c.name, c.version.as_deref()));
    let _ = write!(out, " ({})", c.document);
    for m in &e.matches {
        let _ = write!(out, " [{}: {}]", m.confidence, m.target);
    }
    out.push('\n');

    let mut trie = Trie::new();
    for path in &e.paths {
        // Walk from the component up to the root. The label of each parent
        // names the edge by which it includes the hop below it.
        let mut node = 0;
        let mut below: Option<&PathHop> = path.last();
        for parent in path.iter().rev().skip(1) {
            let edge = below
                .and_then(|b| b.edge)
                .map(|e| e.as_str())
                .unwrap_or("?");
            let mut label = format!("{} [{edge}]", name(&parent.name, parent.version.as_deref()));
            if parent.document != c.document {
                let _ = write!(label, " ({})", parent.document);
            }
            node = trie.child(node, label);
            below = Some(parent);
        }
    }
    draw(&trie, out);

    let shown = e.paths.len();
    if e.path_count == 0 {
        out.push_str("no product root reaches this component\n");
    } else {
        let total = if e.path_count_saturated {
            "more than 2^128".to_owned()
        } else {
            e.path_count.to_string()
        };
        let _ = writeln!(
            out,
            "{total} path{} in all; {shown} shown{}",
            if e.path_count == 1 { "" } else { "s" },
            if e.truncated {
                " (raise --limit for more)"
            } else {
                ""
            },
        );
    }
}

/// Bytes of indentation past which deeper levels are drawn flush.
const MAX_INDENT: usize = 160;

/// Draw the trie depth-first with an explicit stack.
fn draw(trie: &Trie, out: &mut String) {
    // (node, prefix for its children, is it its parent's last child)
    let mut stack: Vec<(usize, String, bool)> = Vec::new();
    let push_children = |stack: &mut Vec<(usize, String, bool)>, node: usize, prefix: &str| {
        let kids = &trie.children[node];
        for (i, &c) in kids.iter().enumerate().rev() {
            stack.push((c, prefix.to_owned(), i + 1 == kids.len()));
        }
    };
    push_children(&mut stack, 0, "");
    while let Some((node, prefix, last)) = stack.pop() {
        let branch = if last { "└── " } else { "├── " };
        let _ = writeln!(out, "{prefix}{branch}{}", trie.labels[node]);
        // Indentation stops growing past a point: a path can be a million
        // hops long, and a quadratic wall of spaces helps nobody.
        let deeper = if prefix.len() < MAX_INDENT {
            format!("{prefix}{}", if last { "    " } else { "│   " })
        } else {
            prefix
        };
        push_children(&mut stack, node, &deeper);
    }
}

fn name(name: &str, version: Option<&str>) -> String {
    match version {
        Some(v) => format!("{name} {v}"),
        None => name.to_owned(),
    }
}
