//! Finding components by what a user types: a bom-ref / SPDXID, a purl
//! (with or without version), or a name (optionally `name@version`).
//! Used by `--root` and `explain`.

use crate::model::Document;

/// One component of one document of an audit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComponentId {
    pub doc: usize,
    pub index: usize,
}

/// Every component `selector` names, in document order.
///
/// The most specific reading wins: components whose bom-ref equals the
/// selector; else whose purl equals it (a purl without `@version` matches
/// every version); else whose name equals it case-insensitively
/// (`name@version` also pins the version).
pub fn components(docs: &[Document], selector: &str) -> Vec<ComponentId> {
    let all = || {
        docs.iter().enumerate().flat_map(|(d, doc)| {
            doc.components
                .iter()
                .enumerate()
                .map(move |(i, c)| (ComponentId { doc: d, index: i }, c, doc))
        })
    };
    let by_ref: Vec<_> = all()
        .filter(|(_, c, _)| c.bom_ref.as_deref() == Some(selector))
        .map(|(id, _, _)| id)
        .collect();
    if !by_ref.is_empty() {
        return by_ref;
    }
    if selector.starts_with("pkg:") {
        return all()
            .filter(|(_, c, doc)| {
                c.purl(doc.texts())
                    .is_some_and(|p| purl_matches(p, selector))
            })
            .map(|(id, _, _)| id)
            .collect();
    }
    let (name, version) = match selector.rsplit_once('@') {
        Some((n, v)) if !n.is_empty() => (n, Some(v)),
        _ => (selector, None),
    };
    let by_name: Vec<_> = all()
        .filter(|(_, c, _)| {
            c.name.eq_ignore_ascii_case(name)
                && version.is_none_or(|v| c.version.as_deref() == Some(v))
        })
        .map(|(id, _, _)| id)
        .collect();
    if by_name.is_empty() && version.is_some() {
        // A name that itself contains '@' (npm scopes): try it whole.
        return all()
            .filter(|(_, c, _)| c.name.eq_ignore_ascii_case(selector))
            .map(|(id, _, _)| id)
            .collect();
    }
    by_name
}

/// Does `purl` match `selector`? Qualifiers and subpath are ignored on both
/// sides; a selector without a version matches every version.
fn purl_matches(purl: &str, selector: &str) -> bool {
    let core = |p: &str| -> String {
        let p = p.split(['?', '#']).next().unwrap_or(p);
        p.to_owned()
    };
    let (purl, selector) = (core(purl), core(selector));
    if selector.contains('@') {
        purl == selector
    } else {
        purl.split('@').next() == Some(selector.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Component, Format};

    fn doc(components: Vec<Component>) -> Document {
        Document {
            name: "d".into(),
            source: crate::model::SourceText::from(""),
            own_text: String::new(),
            format: Format::CyclonedxJson,
            spec_version: None,
            serial_number: None,
            roots: vec![],
            components,
            relationships: vec![],
            references: vec![],
            diagnostics: vec![],
            external_docs: Vec::new(),
            bom_refs: Default::default(),
        }
    }

    fn c(bom_ref: &str, name: &str, version: &str, purl: Option<&str>) -> Component {
        Component {
            bom_ref: Some(bom_ref.into()),
            name: name.into(),
            version: Some(version.into()),
            unfielded_purl: purl.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn selectors_by_ref_purl_and_name() {
        let docs = [doc(vec![
            c(
                "a",
                "openssl",
                "3.0.1",
                Some("pkg:deb/debian/openssl@3.0.1?arch=amd64"),
            ),
            c(
                "b",
                "openssl",
                "1.1.1",
                Some("pkg:deb/debian/openssl@1.1.1"),
            ),
            c("c", "@scope/x", "1", None),
        ])];
        let ids = |s| -> Vec<usize> { components(&docs, s).iter().map(|i| i.index).collect() };
        assert_eq!(ids("b"), [1]);
        assert_eq!(ids("pkg:deb/debian/openssl"), [0, 1]);
        assert_eq!(ids("pkg:deb/debian/openssl@3.0.1"), [0]);
        assert_eq!(ids("OpenSSL"), [0, 1]);
        assert_eq!(ids("openssl@1.1.1"), [1]);
        assert_eq!(ids("@scope/x"), [2]);
        assert_eq!(ids("@scope/x@1"), [2]);
        assert!(ids("nothing").is_empty());
    }
}
