//! One XML document as a compact tree of elements with byte spans.
//!
//! quick-xml reads the events; this module keeps what the CycloneDX reader
//! looks at: each element's namespace class, local name, span, attributes
//! (decoded, with the span of their value) and character data (decoded and
//! trimmed, with the span of its text). Elements of foreign namespaces are
//! checked for well-formedness and then dropped with everything inside
//! them: CycloneDX allows extension elements anywhere, and none of them
//! names a component the way the reader understands.
//!
//! Safety: a `<!DOCTYPE>` that declares anything is refused
//! ([`super::dtd`]), references are never expanded beyond the predefined
//! entities ([`super::entities`]), nesting is bounded by [`MAX_ELEMENT_DEPTH`],
//! and the document is read in one linear pass without recursion.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::entities::{self, Kept, Resolved};
use super::{dtd, MAX_DEPTH};
use crate::model::{Diagnostic, SourceText, Span};
use crate::sbom::error::{At, ReadError};

/// How deep elements may nest. A component nested [`MAX_DEPTH`] levels
/// deep sits about `2 * MAX_DEPTH` elements down (`components/component`),
/// or `3 * MAX_DEPTH` through pedigree (`pedigree/ancestors/component`);
/// this leaves room for those and bounds everything else.
pub(super) const MAX_ELEMENT_DEPTH: usize = 4 * MAX_DEPTH;

/// The dependency-graph extension of CycloneDX 1.1
/// (`http://cyclonedx.org/schema/ext/dependency-graph/1.0`).
const DEPENDENCY_GRAPH_NS: &[u8] = b"http://cyclonedx.org/schema/ext/dependency-graph/";

/// Which vocabulary an element belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ns {
    /// The namespace of the root `<bom>` (whatever it is, or none).
    Bom,
    /// The dependency-graph extension.
    DependencyGraph,
}

pub(super) type NodeId = usize;

/// One element.
#[derive(Debug)]
pub(super) struct Node<'s> {
    pub ns: Ns,
    pub local: &'s str,
    /// From the `<` of the start tag to the `>` of the end tag.
    pub span: Span,
    /// Character data directly inside, if any besides whitespace.
    pub text: Option<Text<'s>>,
    attrs: (usize, usize),
    first_child: Option<NodeId>,
    next_sibling: Option<NodeId>,
}

impl Node<'_> {
    pub(super) fn is(&self, local: &str) -> bool {
        self.ns == Ns::Bom && self.local == local
    }

    /// Has element children (of a namespace the tree keeps).
    pub(super) fn has_children(&self) -> bool {
        self.first_child.is_some()
    }
}

/// An unprefixed attribute (namespaced ones such as `xsi:*` are dropped).
#[derive(Debug)]
pub(super) struct Attr<'s> {
    pub local: &'s str,
    pub value: Cow<'s, str>,
    /// The value between the quotes, as written.
    pub span: Span,
}

/// Character data: the decoded text with XML whitespace trimmed from both
/// ends, and the span of that text in the source (CDATA markers and
/// references included as written).
#[derive(Debug)]
pub(super) struct Text<'s> {
    pub value: Cow<'s, str>,
    pub span: Span,
}

/// The elements of one document; the root is node 0.
#[derive(Debug)]
pub(super) struct Tree<'s> {
    nodes: Vec<Node<'s>>,
    attrs: Vec<Attr<'s>>,
    /// The root element's namespace, as written (`None`: no namespace).
    pub root_namespace: Option<String>,
    /// References kept as written (see [`super::entities`]).
    pub diagnostics: Vec<Diagnostic>,
}

impl<'s> Tree<'s> {
    pub(super) const ROOT: NodeId = 0;

    pub(super) fn node(&self, id: NodeId) -> Option<&Node<'s>> {
        self.nodes.get(id)
    }

    /// The element children of `id`, in document order.
    pub(super) fn children(&self, id: NodeId) -> Children<'_, 's> {
        Children {
            tree: self,
            next: self.nodes.get(id).and_then(|n| n.first_child),
        }
    }

    /// The unprefixed attribute `local` of `id`.
    pub(super) fn attr(&self, id: NodeId, local: &str) -> Option<&Attr<'s>> {
        let (start, end) = self.nodes.get(id)?.attrs;
        self.attrs
            .get(start..end)?
            .iter()
            .find(|a| a.local == local)
    }
}

pub(super) struct Children<'t, 's> {
    tree: &'t Tree<'s>,
    next: Option<NodeId>,
}

impl<'t, 's> Iterator for Children<'t, 's> {
    type Item = (NodeId, &'t Node<'s>);

    fn next(&mut self) -> Option<Self::Item> {
        let id = self.next?;
        let node = self.tree.nodes.get(id)?;
        self.next = node.next_sibling;
        Some((id, node))
    }
}

/// Reads `source` into a tree. Fails on anything that is not well-formed
/// XML, on a DTD that declares anything, and on nesting deeper than
/// [`MAX_ELEMENT_DEPTH`].
pub(super) fn parse<'s>(name: &str, source: &'s SourceText) -> Result<Tree<'s>, ReadError> {
    Builder::new(name, source).run()
}

/// An element whose end tag has not come yet.
struct Open<'s> {
    node: NodeId,
    last_child: Option<NodeId>,
    text: TextBuilder<'s>,
}

struct Builder<'s, 'n> {
    name: &'n str,
    source: &'s SourceText,
    reader: NsReader<&'s [u8]>,
    /// Where the reader's text starts in the source: past a byte order
    /// mark, which quick-xml would otherwise skip without counting it.
    base: usize,
    tree: Tree<'s>,
    open: Vec<Open<'s>>,
    /// How many foreign elements are open inside the innermost kept one.
    foreign_depth: usize,
    root_done: bool,
    kept: Vec<Kept>,
}

impl<'s, 'n> Builder<'s, 'n> {
    fn new(name: &'n str, source: &'s SourceText) -> Self {
        let text: &'s str = source;
        let body = crate::sbom::detect::without_bom(text);
        let mut reader = NsReader::from_str(body);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        Builder {
            name,
            source,
            reader,
            base: text.len() - body.len(),
            tree: Tree {
                // Real BOMs hold about one element per 40–80 bytes; sizing
                // once saves the copies of a growing vector.
                nodes: Vec::with_capacity(text.len() / 64),
                attrs: Vec::with_capacity(text.len() / 256),
                root_namespace: None,
                diagnostics: Vec::new(),
            },
            open: Vec::new(),
            foreign_depth: 0,
            root_done: false,
            kept: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Tree<'s>, ReadError> {
        loop {
            let before = self.position();
            let (ns, event) = match self.reader.read_resolved_event() {
                Ok((ns, event)) => (classify(&ns, self.tree.root_namespace.as_deref()), event),
                Err(err) => {
                    // The error lies in the event that began at `before`;
                    // some errors (too many namespace bindings) leave
                    // quick-xml's error position at 0.
                    let at = usize::try_from(self.reader.error_position())
                        .map_or(before, |at| (self.base + at).max(before));
                    return Err(self.syntax(at, err.to_string()));
                }
            };
            let span = Span::new(before, self.position().saturating_sub(before));
            match event {
                Event::Start(start) => self.start(ns, &start, span, false)?,
                Event::Empty(start) => self.start(ns, &start, span, true)?,
                Event::End(_) => self.end(span),
                // The source is already known to be UTF-8: take the text
                // from it rather than have quick-xml decode it again.
                Event::Text(_) => self.text(content(self.slice(span)), span, true)?,
                Event::CData(_) => {
                    // The text between `<![CDATA[` and `]]>`.
                    let inner = Span::new(span.offset() + 9, span.len().saturating_sub(12));
                    self.text(content(self.slice(inner)), inner, true)?;
                }
                Event::GeneralRef(_) => {
                    let decoded = self.reference(span);
                    self.text(decoded, span, false)?;
                }
                Event::DocType(_) => self.doctype(span)?,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
                Event::Eof => return self.finish(),
            }
        }
    }

    /// At the end of the input: every element closed, and a root seen.
    fn finish(mut self) -> Result<Tree<'s>, ReadError> {
        let end = self.source.len();
        if let Some(open) = self.open.last() {
            let name = self.tree.nodes.get(open.node).map_or("", |n| n.local);
            let message = format!("the document ends before <{name}> is closed; was it cut off?");
            return Err(self.syntax(end, message));
        }
        if !self.root_done {
            return Err(self.syntax(end, "no root element"));
        }
        for Kept { offset, len } in std::mem::take(&mut self.kept) {
            let span = Span::new(offset, len);
            self.tree.diagnostics.push(Diagnostic::warning(
                "unknown-entity",
                format!(
                    "`{}` is not a predefined XML entity or a character reference; \
                     kept as written (oemtrace expands no other entities)",
                    self.slice(span)
                ),
                Some(span),
            ));
        }
        Ok(self.tree)
    }

    /// An entity or character reference in text: what it stands for, or
    /// itself as written (see [`entities`]).
    fn reference(&mut self, span: Span) -> Cow<'s, str> {
        let written = self.slice(span);
        let name = written.trim_start_matches('&').trim_end_matches(';');
        match entities::resolve(name) {
            Resolved::Char(c) => Cow::Owned(c.to_string()),
            Resolved::Unknown => {
                self.kept.push(Kept {
                    offset: span.offset(),
                    len: span.len(),
                });
                Cow::Borrowed(written)
            }
        }
    }

    /// A `<!DOCTYPE>`: refused if it declares anything ([`dtd::risk`]).
    fn doctype(&self, span: Span) -> Result<(), ReadError> {
        if let Some(reason) = dtd::risk(self.slice(span)) {
            return Err(ReadError::unsafe_xml(self.at(span), reason));
        }
        if self.root_done || !self.open.is_empty() {
            return Err(self.syntax(span.offset(), "a DOCTYPE after the root element"));
        }
        Ok(())
    }

    fn start(
        &mut self,
        ns: Class,
        start: &BytesStart<'_>,
        span: Span,
        empty: bool,
    ) -> Result<(), ReadError> {
        if self.open.is_empty() && self.root_done {
            return Err(self.syntax(span.offset(), "a second root element"));
        }
        let depth = self.open.len() + self.foreign_depth + 1;
        if depth > MAX_ELEMENT_DEPTH {
            return Err(ReadError::too_deep(self.at(span), MAX_ELEMENT_DEPTH));
        }
        let is_root = self.open.is_empty();
        if is_root {
            // Everything else is classified against the root's namespace.
            self.tree.root_namespace = match self.reader.resolver().resolve_element(start.name()) {
                (ResolveResult::Bound(ns), _) => Some(String::from_utf8_lossy(ns.0).into_owned()),
                _ => None,
            };
        }
        let ns = match (is_root, ns) {
            (true, _) | (false, Class::Bom) => Ns::Bom,
            (false, Class::DependencyGraph) => Ns::DependencyGraph,
            (false, Class::Foreign) => {
                if !empty {
                    self.foreign_depth += 1;
                }
                return Ok(());
            }
        };
        if self.foreign_depth > 0 {
            if !empty {
                self.foreign_depth += 1;
            }
            return Ok(());
        }

        let attrs_start = self.tree.attrs.len();
        for attr in start.attributes() {
            let attr = attr.map_err(|err| self.syntax(span.offset(), err.to_string()))?;
            if attr.key.prefix().is_some() {
                continue;
            }
            let (Some(local), Some(value)) = (self.locate(attr.key.0), self.locate(&attr.value))
            else {
                continue;
            };
            let mut kept = Vec::new();
            let decoded = entities::attribute_value(self.slice(value), &mut kept);
            self.kept.extend(kept.into_iter().map(|k| Kept {
                offset: value.offset() + k.offset,
                len: k.len,
            }));
            self.tree.attrs.push(Attr {
                local: self.slice(local),
                value: decoded,
                span: value,
            });
        }
        let local = self
            .locate(start.local_name().into_inner())
            .map_or("", |s| self.slice(s));
        let id = self.tree.nodes.len();
        self.tree.nodes.push(Node {
            ns,
            local,
            span,
            text: None,
            attrs: (attrs_start, self.tree.attrs.len()),
            first_child: None,
            next_sibling: None,
        });
        if let Some(parent) = self.open.last_mut() {
            let slot = match parent.last_child.replace(id) {
                Some(previous) => self
                    .tree
                    .nodes
                    .get_mut(previous)
                    .map(|n| &mut n.next_sibling),
                None => self
                    .tree
                    .nodes
                    .get_mut(parent.node)
                    .map(|n| &mut n.first_child),
            };
            if let Some(slot) = slot {
                *slot = Some(id);
            }
        }
        if empty {
            self.root_done |= is_root;
        } else {
            self.open.push(Open {
                node: id,
                last_child: None,
                text: TextBuilder::default(),
            });
        }
        Ok(())
    }

    fn end(&mut self, span: Span) {
        if self.foreign_depth > 0 {
            self.foreign_depth -= 1;
            return;
        }
        // quick-xml has matched the end tag to its start tag.
        let Some(open) = self.open.pop() else {
            return;
        };
        if let Some(node) = self.tree.nodes.get_mut(open.node) {
            node.span = Span::new(node.span.offset(), span.end() - node.span.offset());
            node.text = open.text.finish();
        }
        self.root_done |= self.open.is_empty();
    }

    /// One piece of character data: `literal` text (whitespace may be
    /// trimmed from it) or a reference (never trimmed).
    fn text(&mut self, decoded: Cow<'s, str>, span: Span, literal: bool) -> Result<(), ReadError> {
        let raw = self.slice(span);
        let blank = literal && raw.trim_matches(entities::is_space).is_empty();
        match self.open.last_mut() {
            _ if self.foreign_depth > 0 => {}
            Some(open) => open.text.push(decoded, raw, span, literal),
            None if blank => {}
            None => {
                let offset = span.offset() + (raw.len() - raw.trim_start().len());
                let place = if self.root_done { "after" } else { "before" };
                return Err(self.syntax(offset, format!("text {place} the root element")));
            }
        }
        Ok(())
    }

    // ---- positions -------------------------------------------------------

    fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).map_or(self.source.len(), |p| self.base + p)
    }

    /// The span of `bytes` when it is a slice of the source (every event of
    /// a reader over a `&str` borrows from it).
    fn locate(&self, bytes: &[u8]) -> Option<Span> {
        let base = self.source.as_ptr() as usize;
        let offset = (bytes.as_ptr() as usize).checked_sub(base)?;
        let span = Span::new(offset, bytes.len());
        (span.end() <= self.source.len()).then_some(span)
    }

    fn slice(&self, span: Span) -> &'s str {
        let source: &'s str = self.source;
        source.get(span.range()).unwrap_or_default()
    }

    fn at(&self, span: Span) -> At {
        At::new(self.name, self.source, span)
    }

    fn syntax(&self, offset: usize, message: impl Into<String>) -> ReadError {
        ReadError::syntax(self.at(Span::new(offset, 0)), message.into())
    }
}

/// Character data as XML reads it: each line end (`\r\n` or a lone `\r`)
/// is a `\n`. Borrowed when there is none to change.
fn content(raw: &str) -> Cow<'_, str> {
    if raw.contains('\r') {
        Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(raw)
    }
}

/// How an element's resolved namespace relates to the root's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Bom,
    DependencyGraph,
    Foreign,
}

fn classify(ns: &ResolveResult<'_>, root: Option<&str>) -> Class {
    let uri = match ns {
        ResolveResult::Bound(ns) => Some(ns.0),
        ResolveResult::Unbound => None,
        ResolveResult::Unknown(_) => return Class::Foreign,
    };
    if uri == root.map(str::as_bytes) {
        Class::Bom
    } else if uri.is_some_and(|u| u.starts_with(DEPENDENCY_GRAPH_NS)) {
        Class::DependencyGraph
    } else {
        Class::Foreign
    }
}

/// Collects the character data of one element, borrowing when it comes in
/// one piece (the common case) and trimming XML whitespace from both ends.
#[derive(Default)]
struct TextBuilder<'s> {
    value: Option<Cow<'s, str>>,
    start: usize,
    end: usize,
}

impl<'s> TextBuilder<'s> {
    fn push(&mut self, decoded: Cow<'s, str>, raw: &str, span: Span, literal: bool) {
        let (lead, trail) = if literal {
            let lead = raw.len() - raw.trim_start_matches(entities::is_space).len();
            if lead == raw.len() {
                // Whitespace only: it matters only between two pieces.
                if let Some(value) = &mut self.value {
                    value.to_mut().push_str(&decoded);
                }
                return;
            }
            (
                lead,
                raw.len() - raw.trim_end_matches(entities::is_space).len(),
            )
        } else {
            (0, 0)
        };
        match &mut self.value {
            None => {
                self.start = span.offset() + lead;
                self.value = Some(decoded);
            }
            Some(value) => value.to_mut().push_str(&decoded),
        }
        self.end = span.end() - trail;
    }

    fn finish(self) -> Option<Text<'s>> {
        let value = match self.value? {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim_matches(entities::is_space)),
            Cow::Owned(s) => {
                let trimmed = s.trim_matches(entities::is_space);
                if trimmed.len() == s.len() {
                    Cow::Owned(s)
                } else {
                    Cow::Owned(trimmed.to_owned())
                }
            }
        };
        Some(Text {
            value,
            span: Span::new(self.start, self.end.saturating_sub(self.start)),
        })
    }
}
