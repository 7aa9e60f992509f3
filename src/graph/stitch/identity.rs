//! Identity: a component that *is* another document's product.
//!
//! A component gets a `same_as` edge to the root of another document when
//! they share
//!
//! - a **purl**, compared without qualifiers (`?arch=…`, `?repository_url=…`)
//!   and subpath (`#…`): the same package from another mirror or for
//!   another architecture is the same software, and an SBOM that lists a
//!   module rarely spells the qualifiers the module's own SBOM does. Type,
//!   namespace and name are percent-decoded and case-folded (most purl
//!   types are case-insensitive, and a case slip is likelier than two
//!   packages differing only in case); the version is compared as written
//!   (percent-decoded), and a purl without a version only meets another
//!   without one;
//! - or **name, version and supplier**, each trimmed, with runs of white
//!   space made one space, and case-folded. The supplier is the first
//!   `supplier` field that is not a contact (a contact's name or e-mail
//!   names a person, not the supplier), with an SPDX `Organization:` /
//!   `Person:` prefix dropped. All three must be present: a bare name is
//!   far too weak to join two documents.
//!
//! Never within a document (its components are its own), and never from a
//! component that is itself its document's root: two documents whose
//! products are the same describe one product twice (a CycloneDX and an
//! SPDX SBOM of it, say); neither includes the other, and linking them
//! would make each a part of the other.
//!
//! At most [`MAX_ROOTS_PER_KEY`] roots share one key: every component with
//! the key is linked to each of them, so a delivery of hundreds of
//! documents whose products and parts all carry one purl would otherwise
//! make edges by the square of the documents (400 such documents, 16 MB
//! in all, made 32 million). The roots past the limit, in canonical
//! order, get an `identity-ambiguous` warning and no `same_as` edge.

use std::collections::HashMap;

use super::super::{Builder, Node, NodeId};
use super::bomlink::percent_decode;
use super::Inputs;
use crate::model::{Component, Diagnostic, EdgeKind, FieldKind, Texts};

/// The most document roots one identity key joins components to (see the
/// module docs). Far more than a real delivery has copies of one product.
pub(super) const MAX_ROOTS_PER_KEY: usize = 16;

/// The roots of every document by identity key, each with its document.
#[derive(Default)]
struct RootIndex {
    by_purl: HashMap<String, Vec<(usize, NodeId)>>,
    by_nvs: HashMap<String, Vec<(usize, NodeId)>>,
}

/// Phase 4b: a `same_as` edge from every component to every root of
/// another document that it shares a key with. Documents and components
/// in canonical order; targets in canonical order.
pub(super) fn link(b: &mut Builder, inputs: &Inputs<'_, '_>) {
    if inputs.docs.len() < 2 {
        return;
    }
    let index = RootIndex::new(b, inputs);
    if index.by_purl.is_empty() && index.by_nvs.is_empty() {
        return;
    }
    let mut targets = Vec::new();
    let mut edges = Vec::new();
    for &d in inputs.order {
        let (Some(doc), Some(nodes), Some(roots)) = (
            inputs.docs.get(d),
            b.component_nodes.get(d),
            inputs.roots.get(d),
        ) else {
            continue;
        };
        for (c, node) in doc.components.iter().zip(nodes) {
            if roots.binary_search(&node).is_ok() {
                continue;
            }
            targets.clear();
            if !index.by_purl.is_empty() {
                if let Some(key) = c.purl(doc.texts()).and_then(purl_key) {
                    targets.extend(index.by_purl.get(&key).into_iter().flatten());
                }
            }
            if !index.by_nvs.is_empty() {
                if let Some(key) = nvs_key(c, doc.texts()) {
                    targets.extend(index.by_nvs.get(&key).into_iter().flatten());
                }
            }
            edges.extend(
                targets
                    .iter()
                    .filter(|&&(t, _)| t != d)
                    .map(|&(_, root)| (node, root)),
            );
        }
    }
    for (from, to) in edges {
        b.stitch(from, to, EdgeKind::SameAs);
    }
}

impl RootIndex {
    fn new(b: &mut Builder, inputs: &Inputs<'_, '_>) -> Self {
        let mut index = RootIndex::default();
        let mut ambiguous = Vec::new();
        for &d in inputs.order {
            let (Some(doc), Some(roots)) = (inputs.docs.get(d), inputs.roots.get(d)) else {
                continue;
            };
            for &root in roots {
                let Some(Node::Component { index: i, .. }) = b.graph.node_weight(root) else {
                    continue;
                };
                let Some(c) = doc.components.get(*i as usize) else {
                    continue;
                };
                let keyed = [
                    (
                        &mut index.by_purl,
                        c.purl(doc.texts()).and_then(purl_key),
                        "purl",
                    ),
                    (
                        &mut index.by_nvs,
                        nvs_key(c, doc.texts()),
                        "name, version and supplier",
                    ),
                ];
                for (map, key, what) in keyed {
                    let Some(key) = key else { continue };
                    let kept = map.entry(key).or_default();
                    // One root past the limit is kept until the end, to mark
                    // the key as full: the first one left out is named once.
                    if kept.len() <= MAX_ROOTS_PER_KEY {
                        kept.push((d, root));
                        if kept.len() > MAX_ROOTS_PER_KEY {
                            ambiguous.push((d, c, what));
                        }
                    }
                }
            }
        }
        for roots in index.by_purl.values_mut().chain(index.by_nvs.values_mut()) {
            roots.truncate(MAX_ROOTS_PER_KEY);
        }
        for (d, c, what) in ambiguous {
            b.diagnostics.push((
                d,
                Diagnostic::warning(
                    "identity-ambiguous",
                    format!(
                        "more than {MAX_ROOTS_PER_KEY} documents describe a product with the {what} \
                         of '{}'; components with it are linked to the first \
                         {MAX_ROOTS_PER_KEY} of them only, not to this one or later ones",
                        c.name
                    ),
                    Some(c.span),
                ),
            ));
        }
        index
    }
}

/// A purl's identity: `type/namespace/name` percent-decoded and
/// lower-cased, then `@version` percent-decoded; qualifiers and subpath
/// left out. `None` when it is not a purl (`pkg:` and at least a type and
/// a name).
pub(super) fn purl_key(purl: &str) -> Option<String> {
    const SCHEME: &str = "pkg:";
    let purl = purl.trim();
    if !purl.get(..SCHEME.len())?.eq_ignore_ascii_case(SCHEME) {
        return None;
    }
    // Lenient: `pkg://type/...` is a common slip.
    let rest = purl.get(SCHEME.len()..)?.trim_start_matches('/');
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    // The version follows the last `@` after the last `/` (an npm scope's
    // `@` sits before it).
    let (path, version) = match rest.rsplit_once('@') {
        Some((path, version)) if !version.contains('/') => (path, Some(version)),
        _ => (rest, None),
    };
    let path = path.trim_end_matches('/');
    let (kind, name) = path.split_once('/')?;
    if kind.is_empty() || name.is_empty() {
        return None;
    }
    let mut key = percent_decode(path).to_lowercase();
    if let Some(version) = version.filter(|v| !v.is_empty()) {
        key.push('@');
        key.push_str(&percent_decode(version));
    }
    Some(key)
}

/// Name, version and supplier, normalised (see the module docs) and
/// joined; `None` unless all three are there.
pub(super) fn nvs_key(c: &Component, texts: Texts<'_>) -> Option<String> {
    let supplier = c
        .fields
        .iter()
        .find(|f| f.kind == FieldKind::Supplier && !f.path.as_str().contains(".contact"))?;
    let supplier = strip_spdx_actor(supplier.value(texts));
    let version = c.version.as_deref()?;
    let mut key = String::with_capacity(c.name.len() + version.len() + supplier.len() + 2);
    for (i, part) in [c.name.as_str(), version, supplier].into_iter().enumerate() {
        if part.trim().is_empty() {
            return None;
        }
        if i > 0 {
            key.push('\0');
        }
        push_folded(&mut key, part);
    }
    Some(key)
}

/// `part` trimmed, white-space runs as one space, case-folded.
fn push_folded(out: &mut String, part: &str) {
    for (i, word) in part.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// An SPDX actor (`Organization: Acme`, `Person: Jane`) without its type.
fn strip_spdx_actor(value: &str) -> &str {
    let value = value.trim();
    for prefix in ["organization:", "person:"] {
        let head = value.get(..prefix.len());
        if head.is_some_and(|h| h.eq_ignore_ascii_case(prefix)) {
            return value.get(prefix.len()..).unwrap_or_default().trim();
        }
    }
    value
}
