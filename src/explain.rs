//! `explain`: every way the products reach one component — the first N
//! paths and the exact count — as data that renders as an inverted tree
//! (`cargo tree -i` style) or JSON.

use serde::Serialize;

use crate::graph::{self, Graph, Node, NodeId};
use crate::model::{Confidence, Document, EdgeKind};
use crate::report::{ComponentRef, PathHop, Tool};
use crate::select::ComponentId;
use crate::trace::{Hop, Tracer};
use crate::vendordb::matcher::Matcher;
use crate::vendordb::VendorDb;

/// The `schema` of `explain --format json`.
pub const SCHEMA: &str = "oemtrace.explain/v1";

#[derive(Clone, Debug, Serialize)]
pub struct ExplainReport {
    pub schema: &'static str,
    pub tool: Tool,
    pub explanations: Vec<Explanation>,
}

/// The paths to one component.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    pub component: ComponentRef,
    /// What the vendor db says about the component itself, if anything.
    pub matches: Vec<MatchSummary>,
    /// Exact number of root-to-component paths (cycles condensed).
    pub path_count: u128,
    pub path_count_saturated: bool,
    /// The paths shown: the first `limit`, each from a root to the component.
    pub paths: Vec<Vec<PathHop>>,
    /// `true` when more paths exist than are shown.
    pub truncated: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct MatchSummary {
    pub confidence: Confidence,
    pub target: String,
}

/// Explain each of `components` with at most `limit` paths each.
/// `roots`, when not empty, replaces the documents' own roots.
pub fn explain(
    docs: &[Document],
    db: &VendorDb,
    components: &[ComponentId],
    roots: &[ComponentId],
    limit: usize,
) -> ExplainReport {
    let mut graph = graph::build(docs);
    crate::audit::choose_roots(&mut graph, roots);
    let tracer = Tracer::new(&graph);
    let matcher = Matcher::new(db);
    let explanations = components
        .iter()
        .filter_map(|id| {
            let node = graph.component_node(id.doc, id.index)?;
            let doc = &docs[id.doc];
            let c = &doc.components[id.index];
            let count = tracer.path_count(node);
            let paths: Vec<Vec<PathHop>> = tracer
                .paths(node, limit)
                .iter()
                .map(|p| p.iter().map(|h| hop(docs, &graph, h)).collect())
                .collect();
            let matches = matcher
                .match_component(c, doc.texts())
                .into_iter()
                .map(|m| MatchSummary {
                    confidence: m.confidence,
                    target: db.target(m.target).id.to_owned(),
                })
                .collect();
            Some(Explanation {
                component: ComponentRef::new(c, doc),
                matches,
                truncated: count.saturated || (paths.len() as u128) < count.value,
                path_count: count.value,
                path_count_saturated: count.saturated,
                paths,
            })
        })
        .collect();
    ExplainReport {
        schema: SCHEMA,
        tool: Tool::this(),
        explanations,
    }
}

fn hop(docs: &[Document], graph: &Graph, h: &Hop) -> PathHop {
    hop_of(docs, graph, h.node, h.edge)
}

fn hop_of(docs: &[Document], graph: &Graph, node: NodeId, edge: Option<EdgeKind>) -> PathHop {
    match graph.graph[node] {
        Node::Component { doc, index } => {
            let d = &docs[doc as usize];
            let c = &d.components[index as usize];
            PathHop::component(c, &d.name, edge)
        }
        Node::Vendor { key } => PathHop {
            name: format!("vendor-db record {key}"),
            version: None,
            bom_ref: None,
            document: "vendor-db".to_owned(),
            edge,
        },
    }
}
