//! Small documents for the graph and trace tests.
//!
//! Spans are made up but distinct, so a test can tell which component or
//! reference a diagnostic points at: component `i` spans `i * 100 .. +10`,
//! the `k`-th relationship's `from` spans `10_000 + k * 100 .. +5` and its
//! `to` `10_050 + k * 100 .. +5`, the relationship itself `10_000 + k * 100
//! .. +100`.

use proptest::prelude::*;

use crate::model::{
    Component, Document, EdgeKind, Field, FieldKind, Format, NodeRef, Relationship, Role, Span,
};

/// Builds a [`Document`] component by component and edge by edge.
pub(crate) struct DocBuilder {
    doc: Document,
}

impl DocBuilder {
    pub(crate) fn new(name: &str) -> Self {
        DocBuilder {
            doc: Document {
                name: name.to_owned(),
                source: crate::model::SourceText::from(""),
                own_text: String::new(),
                format: Format::CyclonedxJson,
                spec_version: None,
                serial_number: None,
                roots: Vec::new(),
                components: Vec::new(),
                relationships: Vec::new(),
                references: Vec::new(),
                diagnostics: Vec::new(),
                external_docs: Vec::new(),
                bom_refs: Default::default(),
            },
        }
    }

    pub(crate) fn format(mut self, format: Format) -> Self {
        self.doc.format = format;
        self
    }

    /// The document's serial number (CycloneDX `urn:uuid:…`, SPDX
    /// namespace).
    pub(crate) fn serial(mut self, serial: &str) -> Self {
        self.doc.serial_number = Some(serial.to_owned());
        self
    }

    /// The document's text (for checksums).
    pub(crate) fn source(mut self, source: &str) -> Self {
        self.doc.source = crate::model::SourceText::from(source);
        self
    }

    /// Change the last component added.
    pub(crate) fn with(mut self, change: impl FnOnce(&mut Component)) -> Self {
        if let Some(c) = self.doc.components.last_mut() {
            change(c);
        }
        self
    }

    /// Change the first component added.
    pub(crate) fn with_first(mut self, change: impl FnOnce(&mut Component)) -> Self {
        if let Some(c) = self.doc.components.first_mut() {
            change(c);
        }
        self
    }

    /// Give the last component added a purl.
    pub(crate) fn purl(self, purl: &str) -> Self {
        self.with(|c| c.unfielded_purl = Some(purl.into()))
    }

    /// Give the last component added a version and a `supplier.name`.
    pub(crate) fn made_by(mut self, version: &str, supplier: &str) -> Self {
        if let Some(c) = self.doc.components.last_mut() {
            c.version = Some(version.into());
            let span = Span::new(c.span.offset() + 1, supplier.len());
            let own = &mut self.doc.own_text;
            let field = Field::own(FieldKind::Supplier, "supplier.name", supplier, span, own);
            c.fields.push(field);
        }
        self
    }

    /// A part named and bom-ref'd `bom_ref`.
    pub(crate) fn component(self, bom_ref: &str) -> Self {
        self.component_with_role(bom_ref, Role::Part)
    }

    /// A pedigree ancestor named and bom-ref'd `bom_ref`.
    pub(crate) fn pedigree(self, bom_ref: &str) -> Self {
        self.component_with_role(bom_ref, Role::Pedigree)
    }

    /// `n` parts `prefix0 .. prefix{n-1}`.
    pub(crate) fn components(mut self, prefix: &str, n: usize) -> Self {
        for i in 0..n {
            self = self.component(&format!("{prefix}{i}"));
        }
        self
    }

    fn component_with_role(mut self, bom_ref: &str, role: Role) -> Self {
        let i = self.doc.components.len();
        self.doc.components.push(Component {
            bom_ref: Some(bom_ref.into()),
            name: bom_ref.into(),
            span: Span::new(i * 100, 10),
            role,
            ..Default::default()
        });
        self
    }

    /// Declare component `i` a root (a described product).
    pub(crate) fn root(mut self, i: usize) -> Self {
        self.doc.roots.push(i);
        self
    }

    /// `from depends_on to`, both by bom-ref.
    pub(crate) fn edge(self, from: &str, to: &str) -> Self {
        self.edge_kind(from, to, EdgeKind::DependsOn)
    }

    /// `from -kind-> to`, both by bom-ref.
    pub(crate) fn edge_kind(mut self, from: &str, to: &str, kind: EdgeKind) -> Self {
        let k = self.doc.relationships.len();
        let at = 10_000 + k * 100;
        let refs = &mut self.doc.references;
        let from = NodeRef::reference(refs, from, Span::new(at, 5));
        let to = NodeRef::reference(refs, to, Span::new(at + 50, 5));
        self.relationship(from, to, kind);
        self
    }

    /// `from depends_on to`, both by component index.
    pub(crate) fn edge_ix(mut self, from: usize, to: usize) -> Self {
        self.relationship(
            NodeRef::index(from),
            NodeRef::index(to),
            EdgeKind::DependsOn,
        );
        self
    }

    fn relationship(&mut self, from: NodeRef, to: NodeRef, kind: EdgeKind) {
        let k = self.doc.relationships.len();
        self.doc.relationships.push(Relationship {
            from,
            to,
            kind,
            span: Span::new(10_000 + k * 100, 100),
        });
    }

    pub(crate) fn build(self) -> Document {
        self.doc
    }
}

/// A component span as [`DocBuilder`] makes it.
pub(crate) fn component_span(i: usize) -> Span {
    Span::new(i * 100, 10)
}

/// A document of `layers` layers of two nodes between a top (component 0,
/// declared root) and a sink (the last component): the top links to both
/// nodes of the first layer, each node to both of the next layer, the last
/// layer to the sink. The sink has `2^layers` paths. Edges by index, so a
/// big lattice builds fast.
pub(crate) fn lattice(layers: usize) -> Document {
    let n = 2 * layers + 2;
    let sink = n - 1;
    let mut b = DocBuilder::new("lattice.cdx.json")
        .components("n", n)
        .root(0);
    let node = |layer: usize, side: usize| 1 + 2 * layer + side;
    for side in 0..2 {
        b = b.edge_ix(0, node(0, side));
    }
    for layer in 0..layers.saturating_sub(1) {
        for from in 0..2 {
            for to in 0..2 {
                b = b.edge_ix(node(layer, from), node(layer + 1, to));
            }
        }
    }
    for side in 0..2 {
        b = b.edge_ix(node(layers - 1, side), sink);
    }
    b.build()
}

/// A random document for property tests: 1 to 7 components, up to 14
/// `depends_on` edges by index (self-loops and repeats included), and 0 to
/// 2 declared roots (repeats included).
pub(crate) fn random_doc() -> impl Strategy<Value = Document> {
    (1usize..=7)
        .prop_flat_map(|n| {
            (
                Just(n),
                prop::collection::vec((0..n, 0..n), 0..=14),
                prop::collection::vec(0..n, 0..=2),
            )
        })
        .prop_map(|(n, edges, roots)| {
            let mut b = DocBuilder::new("random").components("c", n);
            for r in roots {
                b = b.root(r);
            }
            for (from, to) in edges {
                b = b.edge_ix(from, to);
            }
            b.build()
        })
}
