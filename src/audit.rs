//! The audit: documents + vendor db in, [`Report`] out.
//!
//! This is the one place where the stages meet: match every component
//! once, build the graph once, trace once, and assemble findings. Nothing
//! here does I/O.

use rayon::prelude::*;

use crate::graph::{self, Graph, Node, NodeId};
use crate::model::{Diagnostic, Document, EdgeKind, Level, Relationship, Span};
use crate::policy::FailOn;
use crate::report::{
    ComponentRef, DbSummary, EvidenceItem, Finding, Input, Location, PathHop, ProgramInfo,
    RecordRef, Report, ReportDiagnostic, RootSummary, SourceFile, Summary, TargetRef, Tool, SCHEMA,
};
use crate::sbom::span::LineIndex;
use crate::select::ComponentId;
use crate::trace::{Traced, Tracer};
use crate::vendordb::matcher::{Match, Matcher, Scratch, MAX_MATCHED_LEN};
use crate::vendordb::{TargetId, VendorDb};

/// What shapes an audit beyond its inputs.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The lowest confidence that fails the audit (exit 1).
    pub fail_on: FailOn,
    /// Audit from these components instead of the documents' own roots
    /// (`--root`; resolve selectors with [`crate::select::components`]).
    pub roots: Vec<ComponentId>,
}

/// Audit documents against a vendor db. All documents form one graph.
pub fn audit(docs: &[Document], db: &VendorDb, options: &Options) -> Report {
    let inputs = docs.iter().map(input).collect();
    let (matched, (graph, traced)) = match_and_build(docs, db, options, || graph::build(docs));
    finish(docs, inputs, matched, graph, traced, db, options)
}

/// [`audit`], which empties each document's `relationships` while the
/// graph is built from them: the report is the same.
///
/// Nothing after the graph reads a relationship, and at four
/// relationships per component they are the largest part of the model
/// after the fields. Taken out of the documents and given back as their
/// edges are made ([`graph::build_releasing`]), they are never held whole
/// beside the graph's edges, which was the peak of a 100,000-component
/// CycloneDX audit, and the tracer and the report run without them
/// (docs/performance.md). The CLI audits this way; a caller that keeps
/// using its documents calls [`audit`].
pub fn audit_releasing(docs: &mut [Document], db: &VendorDb, options: &Options) -> Report {
    let inputs = docs.iter().map(input).collect();
    let relationships: Vec<Vec<Relationship>> = docs
        .iter_mut()
        .map(|doc| std::mem::take(&mut doc.relationships))
        .collect();
    // The readers' bom-ref tables, freed with the graph's build.
    let bom_refs = docs
        .iter_mut()
        .map(|doc| std::mem::take(&mut doc.bom_refs))
        .collect();
    let docs: &[Document] = docs;
    let build = || graph::build_releasing(docs, relationships, bom_refs);
    let (matched, (graph, traced)) = match_and_build(docs, db, options, build);
    finish(docs, inputs, matched, graph, traced, db, options)
}

/// The most components one task matches or looks through at a time.
/// Rayon halves a list only so often before it works through the rest of
/// a half in one piece; a core that comes back from the graph then found
/// nothing left to take, and matching a million components ended with
/// one core working alone for about 200 ms (perf timeline).
const PIECE: usize = 1024;

/// Every match: document, component and what it matched.
type Matches = Vec<(usize, usize, Match)>;

/// What the audit learns from the components alone: their matches and
/// the values too long to match whole (`long-value` diagnostics).
struct Matched {
    matches: Matches,
    long_values: Vec<(usize, Diagnostic)>,
    /// Per document, its line index if the report will surely locate
    /// something in it ([`line_indexes`]).
    lines: Vec<Option<LineIndex>>,
}

/// Every component matched, and the graph built by `build` with the roots
/// `options` choose, traced.
fn match_and_build(
    docs: &[Document],
    db: &VendorDb,
    options: &Options,
    build: impl FnOnce() -> Graph + Send,
) -> (Matched, (Graph, Traced)) {
    let matcher = Matcher::new(db);
    // Matching on one side, the graph and its tracing on the other: they
    // need nothing from each other, and matching is spread over the cores
    // too. The vendor edges that matching decides are sinks added after,
    // which change nothing traced (`Tracer::resume`); traced here, the
    // graph's single-core passes overlap matching (docs/performance.md).
    rayon::join(
        || {
            let matches = match_all(&matcher, docs);
            let long_values = long_values(docs);
            let lines = line_indexes(docs, &matches, &long_values);
            Matched {
                matches,
                long_values,
                lines,
            }
        },
        || {
            let mut graph = build();
            choose_roots(&mut graph, &options.roots);
            let traced = Traced::new(&graph);
            (graph, traced)
        },
    )
}

/// Audited from chosen components (`--root`), those are the roots; with
/// none chosen, the graph keeps its own. `explain` chooses the same way.
pub(crate) fn choose_roots(graph: &mut Graph, chosen: &[ComponentId]) {
    if chosen.is_empty() {
        return;
    }
    let mut roots: Vec<_> = chosen
        .iter()
        .filter_map(|id| graph.component_node(id.doc, id.index))
        .collect();
    roots.sort_unstable();
    roots.dedup();
    graph.roots = roots;
}

/// The audit from its matches and traced graph on: vendor edges,
/// findings, diagnostics and the report. Reads the documents' components
/// and sources, never their relationships.
fn finish(
    docs: &[Document],
    inputs: Vec<Input>,
    matched: Matched,
    mut graph: Graph,
    traced: Traced,
    db: &VendorDb,
    options: &Options,
) -> Report {
    let Matched {
        matches,
        long_values,
        lines,
    } = matched;
    // Vendor-db knowledge becomes edges: a component matched as a known
    // third-party product gets an edge to the engine it embeds, resells or
    // rebrands, so the path of its finding ends at that engine.
    let mut sources: Vec<SourceFile> = docs
        .iter()
        .map(|d| SourceFile {
            name: d.name.clone(),
            text: d.source.clone(),
        })
        .collect();
    let mut vendor = VendorHops::default();
    for (d, i, m) in &matches {
        if let Some((engine, kind)) = product_engine(db, m.target) {
            let key = vendor.key(engine);
            if let Some(node) = graph.component_node(*d, *i) {
                graph.add_vendor_edge(node, key, kind);
            }
            vendor.record_source(db, m.target, &mut sources);
        }
    }
    for target in db.added_targets() {
        vendor.record_source(db, target, &mut sources);
    }

    let tracer = Tracer::resume(&graph, traced);
    let ctx = Context {
        docs,
        db,
        graph: &graph,
        tracer: &tracer,
        locator: Locator::new(docs, lines),
        vendor: &vendor,
    };

    let mut findings = Vec::new();
    let mut nodes = Vec::new();
    let mut matched_targets = std::collections::HashSet::new();
    for (d, i, m) in matches {
        // The matches are of the documents the graph was built from, and
        // phase 1 of the build gave each of their components a node.
        let node = graph
            .component_node(d, i)
            .expect("every component of the audited documents has a node");
        matched_targets.insert(m.target);
        findings.push(ctx.finding(d, i, node, m));
        nodes.push(node);
    }
    if !options.roots.is_empty() {
        // Audited from chosen components: what they do not reach is not
        // part of what is being audited.
        let keep: Vec<bool> = nodes
            .iter()
            .map(|&n| tracer.distance(n).is_some())
            .collect();
        let mut keep = keep.into_iter();
        findings.retain(|_| keep.next().unwrap_or(false));
        nodes.retain(|&n| tracer.distance(n).is_some());
    }
    let reaching = tracer.roots_reaching(&nodes);
    if let Some(reaching) = &reaching {
        for (f, roots) in findings.iter_mut().zip(reaching) {
            f.roots.clone_from(roots);
        }
    }
    // Most severe first; then document order, so output is stable.
    findings.sort_by(|a, b| {
        b.confidence
            .cmp(&a.confidence)
            .then(a.source.cmp(&b.source))
            .then(a.component_span.offset().cmp(&b.component_span.offset()))
            .then(a.target.id.cmp(&b.target.id))
    });

    let mut diagnostics = diagnostics(docs, &graph, &long_values, &ctx.locator);
    diagnostics.extend(unused_records(db, &matched_targets, &vendor));
    let summary = Summary {
        components: docs.iter().map(|d| d.components.len()).sum(),
        edges: graph.edge_count(),
        fail_on: options.fail_on,
        roots: reaching
            .is_some()
            .then(|| graph.roots.iter().map(|&r| ctx.root(r)).collect()),
        ..Summary::default()
    };
    let programs = ProgramInfo::collect(db, &findings);
    let mut report = Report {
        schema: SCHEMA,
        tool: Tool::this(),
        db: DbSummary {
            version: db.version().to_owned(),
            entities: db.entity_count(),
            engines: db.engine_count(),
            products: db.product_count(),
        },
        inputs,
        findings,
        diagnostics,
        summary,
        sources,
        programs,
    };
    report.recount();
    report
}

/// The `document` of a path hop that comes from the vendor db.
const VENDOR_DB: &str = "vendor-db";

/// The engine a product record ties its product to, and the edge kind of
/// that tie (`embeds`, `uses_signatures`, `resells`, ...).
fn product_engine(db: &VendorDb, target: TargetId) -> Option<(TargetId, EdgeKind)> {
    let t = db.target(target);
    Some((t.engine?, t.relation_edge()?))
}

/// The vendor-db nodes of one audit and the db files they point into.
#[derive(Default)]
struct VendorHops {
    /// `Node::Vendor { key }` is `targets[key]`.
    targets: Vec<TargetId>,
    /// Report source id of every db file a record of this audit lives in.
    files: std::collections::HashMap<String, usize>,
}

impl VendorHops {
    fn key(&mut self, target: TargetId) -> u32 {
        let pos = match self.targets.iter().position(|&t| t == target) {
            Some(pos) => pos,
            None => {
                self.targets.push(target);
                self.targets.len() - 1
            }
        };
        u32::try_from(pos).unwrap_or(u32::MAX)
    }

    fn target(&self, key: u32) -> Option<TargetId> {
        self.targets.get(key as usize).copied()
    }

    /// Make the db file of `target`'s record a report source.
    fn record_source(&mut self, db: &VendorDb, target: TargetId, sources: &mut Vec<SourceFile>) {
        let location = db.target(target).location;
        if !self.files.contains_key(location.file) {
            self.files.insert(location.file.to_owned(), sources.len());
            sources.push(SourceFile {
                name: location.file.to_owned(),
                text: location.text.clone().into(),
            });
        }
    }

    /// Where `target`'s record is, for a related diagnostic.
    fn record_ref(&self, db: &VendorDb, target: TargetId) -> Option<RecordRef> {
        let t = db.target(target);
        Some(RecordRef {
            source: *self.files.get(t.location.file)?,
            span: record_head(&t.location.text[..], t.location.span),
            id: t.id.to_owned(),
            sources: t
                .sources
                .iter()
                .map(|s| format!("{} (grade {:?}): \"{}\"", s.cite, s.grade, s.quote))
                .collect(),
        })
    }
}

/// The head of a TOML record, from its `[[table]]` line to its `id` line:
/// what a label should underline (the whole block can run to pages).
fn record_head(text: &str, span: Span) -> Span {
    let block = text.get(span.range()).unwrap_or("");
    let line_end = |from: usize| block[from..].find('\n').map_or(block.len(), |i| from + i);
    let end = match block.find("\nid") {
        Some(nl) => line_end(nl + 1),
        None => line_end(0),
    };
    Span::new(span.offset(), end)
}

/// Overlay and licensing records that matched nothing in this audit: a
/// stale exception or a typo, worth a warning (as cargo-deny does for
/// unused configuration).
fn unused_records(
    db: &VendorDb,
    matched: &std::collections::HashSet<TargetId>,
    vendor: &VendorHops,
) -> Vec<ReportDiagnostic> {
    db.added_targets()
        .filter(|t| !matched.contains(t))
        .filter_map(|t| {
            let target = db.target(t);
            let loc = target.location;
            let source = *vendor.files.get(loc.file)?;
            let (line, column) = LineIndex::new(loc.text).line_col(loc.text, loc.span.offset());
            Some(ReportDiagnostic {
                level: Level::Warning,
                code: "db-record-unused",
                message: format!(
                    "{} record `{}` from {} matched nothing in this audit",
                    target.kind.as_str(),
                    target.id,
                    loc.file
                ),
                document: loc.file.to_owned(),
                line: Some(line),
                column: Some(column),
                source,
                span: Some(loc.span),
            })
        })
        .collect()
}

/// The matches of every component, as (document, component, match), in
/// document and component order whatever the threads did: the report must
/// be the same bytes on one core or many.
fn match_all(matcher: &Matcher<'_>, docs: &[Document]) -> Vec<(usize, usize, Match)> {
    let mut out = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let found: Vec<(usize, Vec<Match>)> = doc
            .components
            .par_iter()
            .with_max_len(PIECE)
            .enumerate()
            .map_init(Scratch::default, |scratch, (i, c)| {
                (i, matcher.match_with(c, doc.texts(), scratch))
            })
            .filter(|(_, matches)| !matches.is_empty())
            .collect();
        for (i, matches) in found {
            out.extend(matches.into_iter().map(|m| (d, i, m)));
        }
    }
    out
}

fn input(doc: &Document) -> Input {
    Input {
        document: doc.name.clone(),
        format: doc.format,
        spec_version: doc.spec_version.clone(),
        components: doc.components.len(),
        relationships: doc.relationships.len(),
    }
}

/// Everything a finding is assembled from, built once per audit.
struct Context<'a> {
    docs: &'a [Document],
    db: &'a VendorDb,
    graph: &'a Graph,
    tracer: &'a Tracer<'a>,
    locator: Locator<'a>,
    vendor: &'a VendorHops,
}

impl Context<'_> {
    /// The finding for match `m` on component `i` of document `d`.
    fn finding(&self, d: usize, i: usize, node: NodeId, m: Match) -> Finding {
        let doc = &self.docs[d];
        let component = &doc.components[i];
        let target = self.db.target(m.target);
        let count = self.tracer.path_count(node);
        let mut path: Vec<PathHop> = match self.tracer.shortest_path(node) {
            Some(hops) => hops.iter().map(|h| self.hop(h.node, h.edge)).collect(),
            None => vec![self.hop(node, None)],
        };
        // A product record's finding ends at the engine the record names.
        let record = product_engine(self.db, m.target).map(|(engine, kind)| {
            let e = self.db.target(engine);
            path.push(PathHop {
                name: e.name.to_owned(),
                version: None,
                bom_ref: Some(e.id.to_owned()),
                document: VENDOR_DB.to_owned(),
                edge: Some(kind),
            });
            self.vendor.record_ref(self.db, m.target)
        });
        // A component that is itself a product root is the owner's own
        // product; anything below a root is embedded in someone else's, and
        // programs that reach only branded products (BOD 17-01) do not apply.
        let embedded = self.graph.roots.binary_search(&node).is_err();
        let programs = target
            .programs
            .iter()
            .filter(|id| {
                !embedded
                    || self
                        .db
                        .program(id)
                        .is_none_or(|program| program.reaches_embedded)
            })
            .map(|id| (*id).to_owned())
            .collect();
        Finding {
            confidence: m.confidence,
            target: TargetRef {
                kind: target.kind.as_str(),
                id: target.id.to_owned(),
                name: target.name.to_owned(),
                owner: target.owner.to_owned(),
            },
            component: ComponentRef::new(component, doc),
            path,
            path_count: count.value,
            path_count_saturated: count.saturated,
            evidence: m
                .evidence
                .into_iter()
                .map(|e| EvidenceItem {
                    kind: e.kind,
                    field: e.field,
                    value: e.value,
                    matched: e.matched,
                    location: self.locator.location(d, e.span),
                    confidence: e.confidence,
                    note: e.note,
                    source: d,
                    span: e.span,
                })
                .collect(),
            programs,
            record: record.flatten(),
            waived: false,
            waiver: None,
            source: d,
            component_span: component.span,
            roots: Vec::new(),
        }
    }

    /// A root's summary line, counts filled in by [`Report::recount`].
    fn root(&self, node: graph::NodeId) -> RootSummary {
        let hop = self.hop(node, None);
        RootSummary {
            name: hop.name,
            version: hop.version,
            bom_ref: hop.bom_ref,
            document: hop.document,
            confirmed: 0,
            likely: 0,
            possible: 0,
            waived: 0,
            exit_code: 0,
        }
    }

    /// One hop of a path, as the report names it.
    fn hop(&self, node: graph::NodeId, edge: Option<EdgeKind>) -> PathHop {
        match self.graph.graph[node] {
            Node::Component { doc, index } => {
                let document = &self.docs[doc as usize];
                let c = &document.components[index as usize];
                PathHop::component(c, &document.name, edge)
            }
            Node::Vendor { key } => {
                let target = self.vendor.target(key).map(|t| self.db.target(t));
                PathHop {
                    name: target
                        .as_ref()
                        .map_or_else(String::new, |t| t.name.to_owned()),
                    version: None,
                    bom_ref: target.as_ref().map(|t| t.id.to_owned()),
                    document: VENDOR_DB.to_owned(),
                    edge,
                }
            }
        }
    }
}

/// A `long-value` warning for every field longer than the matcher reads
/// ([`MAX_MATCHED_LEN`]): evidence past that point is not seen.
///
/// Every field of every component is looked at, so the fields are
/// shared out over the cores, beside the graph (see `match_and_build`):
/// on one core at the end of the audit this took about 45 ms of a
/// million-component audit with the other cores idle. `collect` keeps
/// the document order.
fn long_values(docs: &[Document]) -> Vec<(usize, Diagnostic)> {
    docs.iter()
        .enumerate()
        .flat_map(|(d, doc)| {
            doc.components
                .par_iter()
                .with_max_len(PIECE)
                .flat_map_iter(|c| &c.fields)
                .filter_map(|f| {
                    let len = f.value(doc.texts()).len();
                    (len > MAX_MATCHED_LEN).then(|| {
                        let message = format!(
                            "`{}` is {len} bytes long; only its first {MAX_MATCHED_LEN} bytes are matched",
                            f.path,
                        );
                        (d, Diagnostic::warning("long-value", message, Some(f.span)))
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn diagnostics(
    docs: &[Document],
    graph: &Graph,
    audit: &[(usize, Diagnostic)],
    locator: &Locator<'_>,
) -> Vec<ReportDiagnostic> {
    let from_docs = docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| doc.diagnostics.iter().map(move |x| (d, x)));
    let from_graph = graph.diagnostics.iter().map(|(d, x)| (*d, x));
    let from_audit = audit.iter().map(|(d, x)| (*d, x));
    let mut out: Vec<ReportDiagnostic> = from_docs
        .chain(from_graph)
        .chain(from_audit)
        .map(|(d, x)| {
            let location = x.span.map(|s| locator.location(d, s));
            ReportDiagnostic {
                level: x.level,
                code: x.code,
                message: x.message.clone(),
                document: docs[d].name.clone(),
                line: location.as_ref().map(|l| l.line),
                column: location.as_ref().map(|l| l.column),
                source: d,
                span: x.span,
            }
        })
        .collect();
    out.sort_by_key(|x| (x.source, x.span.map_or(0, |s| s.offset()), x.code));
    out
}

/// The line index of each document that the report will surely locate
/// something in: one with a match (its evidence), a long value, or a
/// diagnostic of its reader's with a place; `None` for the others.
///
/// Built as soon as matching is done, beside the graph's tracing, rather
/// than when the report first asks. At a million components matching
/// and the breadth-first search end a few hundred milliseconds before
/// the SCCs and the condensation on the other core, and that core sat
/// idle while the report's first location waited for the index, about
/// 100 ms of both cores at the end (perf timeline, docs/performance.md).
/// A document that only the graph's diagnostics place, or none, still
/// gets its index on first use ([`Locator`]), so a clean audit builds
/// none.
fn line_indexes(
    docs: &[Document],
    matches: &Matches,
    long_values: &[(usize, Diagnostic)],
) -> Vec<Option<LineIndex>> {
    let mut needed: Vec<bool> = docs
        .iter()
        .map(|doc| doc.diagnostics.iter().any(|x| x.span.is_some()))
        .collect();
    let located = matches.iter().map(|&(d, _, _)| d);
    for d in located.chain(long_values.iter().map(|&(d, _)| d)) {
        if let Some(needed) = needed.get_mut(d) {
            *needed = true;
        }
    }
    docs.iter()
        .zip(needed)
        .map(|(doc, needed)| needed.then(|| LineIndex::new(&doc.source)))
        .collect()
}

/// Line/column lookups, with each document's line index built on first use
/// (most documents of a clean audit never need one) unless it was built
/// already ([`line_indexes`]).
struct Locator<'a> {
    docs: &'a [Document],
    indexes: Vec<std::cell::OnceCell<LineIndex>>,
}

impl<'a> Locator<'a> {
    /// `built` holds the indexes built already, by document; a document
    /// past its end, or `None` in it, gets its index on first use.
    fn new(docs: &'a [Document], built: Vec<Option<LineIndex>>) -> Self {
        let mut built = built.into_iter();
        Locator {
            docs,
            indexes: docs
                .iter()
                .map(|_| {
                    built
                        .next()
                        .flatten()
                        .map_or_else(Default::default, From::from)
                })
                .collect(),
        }
    }

    fn location(&self, d: usize, span: Span) -> Location {
        let doc = &self.docs[d];
        let index = self.indexes[d].get_or_init(|| LineIndex::new(&doc.source));
        let (line, column) = index.line_col(&doc.source, span.offset());
        Location {
            document: doc.name.clone(),
            line,
            column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sbom::read_text;

    fn doc(name: &str, text: &str) -> Document {
        match read_text(name, text.into()) {
            Ok(doc) => doc,
            Err(err) => panic!("{err}"),
        }
    }

    /// The index is built early exactly for the documents the report
    /// will place something in, and a location read from it is the one
    /// an index built on first use gives.
    #[test]
    fn line_indexes_are_built_early_only_where_the_report_will_need_them() {
        let engine = include_str!("../fixtures/mail-gateway-nested-engine.cdx.json");
        let clean = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
            "components": [{"bom-ref": "a", "name": "zlib", "version": "1.3"}]}"#;
        let nameless = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
            "components": [{"bom-ref": "a", "version": "1.3"}]}"#;
        let docs = [
            doc("clean.cdx.json", clean),
            doc("engine.cdx.json", engine),
            doc("nameless.cdx.json", nameless),
        ];
        assert!(docs[2].diagnostics.iter().any(|x| x.span.is_some()));
        let db = VendorDb::embedded().unwrap();
        let build = || graph::build(&docs);
        let (matched, _) = match_and_build(&docs, &db, &Options::default(), build);
        assert!(matched.matches.iter().all(|&(d, _, _)| d == 1));
        assert!(!matched.matches.is_empty(), "the fixture has an engine");
        let built: Vec<bool> = matched.lines.iter().map(Option::is_some).collect();
        assert_eq!(built, [false, true, true]);

        assert!(matched
            .matches
            .iter()
            .any(|(_, _, m)| !m.evidence.is_empty()));
        let early = Locator::new(&docs, matched.lines);
        let late = Locator::new(&docs, Vec::new());
        for &(d, _, ref m) in &matched.matches {
            for e in &m.evidence {
                let (a, b) = (early.location(d, e.span), late.location(d, e.span));
                assert_eq!((a.line, a.column), (b.line, b.column));
            }
        }
        assert!(
            early.indexes[0].get().is_none(),
            "the clean one: on first use"
        );
    }
}
