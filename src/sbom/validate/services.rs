//! CycloneDX services as targets of dependencies.
//!
//! A dependency may name a service's bom-ref (the spec and the official
//! model allow it), but the lenient reader keeps components only, so the
//! graph calls such a reference dangling. Validation must not: this
//! module finds the services' bom-refs in the source and drops the
//! `dangling-ref` issues that name one.

use std::collections::HashSet;

use super::xml_tag;
use crate::model::{Diagnostic, Format};
use crate::sbom::json::{self, JsonType, Raw};

/// Removes the `dangling-ref` issues of a CycloneDX document that name a
/// service. Only looks at the source when there is such an issue.
pub(super) fn drop_refs_to_services(format: Format, source: &str, issues: &mut Vec<Diagnostic>) {
    if !issues.iter().any(|i| i.code == "dangling-ref") {
        return;
    }
    let services = match format {
        Format::CyclonedxJson => json_refs(source),
        Format::CyclonedxXml => xml_refs(source),
        Format::SpdxJson | Format::SpdxTagValue => return,
    };
    if services.is_empty() {
        return;
    }
    issues.retain(|issue| {
        let named = issue
            .span
            .and_then(|s| source.get(s.range()))
            .and_then(|text| reference(format, text));
        !(issue.code == "dangling-ref" && named.is_some_and(|r| services.contains(&r)))
    });
}

/// The reference a `dangling-ref` span holds: a JSON string literal, or
/// XML text (an attribute value, entities left as written).
fn reference(format: Format, text: &str) -> Option<String> {
    match format {
        Format::CyclonedxJson => serde_json::from_str::<String>(text).ok(),
        _ => Some(text.trim_matches(|c| c == '"' || c == '\'').to_owned()),
    }
}

const TOP: json::Keys<1> = json::Keys::new(["services"]);
const SERVICE: json::Keys<2> = json::Keys::new(["bom-ref", "services"]);

/// The bom-refs of the services of a JSON BOM, nested services included.
fn json_refs(source: &str) -> HashSet<String> {
    let mut refs = HashSet::new();
    let body = source.trim_start_matches('\u{feff}');
    let Ok(top) = json::object(body, &TOP) else {
        return refs;
    };
    let [services] = top.slots;
    let mut lists: Vec<Raw<'_>> = services.into_iter().collect();
    while let Some(list) = lists.pop() {
        if JsonType::of(list) != JsonType::Array {
            continue;
        }
        for service in json::elements(list).unwrap_or_default() {
            let Ok(object) = service.object(&SERVICE) else {
                continue;
            };
            let [bom_ref, nested] = object.slots;
            if let Some(r) = bom_ref.and_then(json::string) {
                refs.insert(r.into_owned());
            }
            lists.extend(nested);
        }
    }
    refs
}

/// The bom-refs of the `<service>` elements of an XML BOM.
fn xml_refs(source: &str) -> HashSet<String> {
    let mut refs = HashSet::new();
    let mut rest = source;
    while let Some(at) = rest.find("<service") {
        let Some(tail) = rest.get(at..) else {
            break;
        };
        // `<service ` or `<service>`, not `<services>`.
        let is_service = tail
            .as_bytes()
            .get("<service".len())
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/');
        if is_service {
            if let Some(r) = xml_tag::start_tag(tail).and_then(|t| xml_tag::attribute(t, "bom-ref"))
            {
                refs.insert(r.to_owned());
            }
        }
        rest = tail.get(1..).unwrap_or("");
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_services_nested_too() {
        let doc = r#"{"services": [{"bom-ref": "a", "services": [{"bom-ref": "b"}]},
                                   {"name": "no ref"}, {"bom-ref": "c\u0021"}]}"#;
        let refs = json_refs(doc);
        let mut refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        refs.sort_unstable();
        assert_eq!(refs, ["a", "b", "c!"]);
        assert!(json_refs(r#"{"services": 3}"#).is_empty());
        assert!(json_refs("not json").is_empty());
    }

    #[test]
    fn xml_services_not_the_list() {
        let doc = r#"<bom><services><service bom-ref="s1"><services>
            <service bom-ref='s2'/></services></service><service>x</service></services></bom>"#;
        let refs = xml_refs(doc);
        assert_eq!(refs.len(), 2);
        assert!(refs.contains("s1") && refs.contains("s2"));
    }
}
