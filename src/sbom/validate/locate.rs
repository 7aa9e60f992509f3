//! Between places in a JSON document and the paths that name them.
//!
//! The official models report where a document breaks the schema in their
//! own terms: `cyclonedx-bom` as a path of Rust field names and list
//! indexes (`components`/`inner`/`3`/`component_type`), `serde_json` as a
//! line and column. A person wants the JSON path (`components[3].type`)
//! and an underline in the file. [`locate_all`] turns paths into spans,
//! [`path_at`] turns an offset into a path.
//!
//! Both walk the raw text only along the paths asked for, parsing each
//! object or array they pass through once, however many paths share it:
//! the cost is bounded by the nesting depth times the document size, not
//! by the number of issues.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::value::RawValue;

use crate::model::Span;
use crate::sbom::json::{self, Elements, JsonType, Raw};

/// One step of a path as the official model names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Step {
    /// A field in the model's words (`external_references`, `bom_ref`).
    Field(String),
    /// An object key exactly as the document writes it (a JSON schema's
    /// instance path names keys so).
    Key(String),
    /// An array index; on an object, the key of those digits (a JSON
    /// pointer does not say which it is).
    Index(usize),
}

/// Where a path led: the JSON path in the document's own key names, and
/// the span of the deepest value found along it (`None` when not even the
/// first step was found: a span of the whole document says nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Located {
    pub path: String,
    pub span: Option<Span>,
}

/// Locates every path in `source` (a JSON document), in one walk.
pub(super) fn locate_all(source: &str, paths: &[Vec<Step>]) -> Vec<Located> {
    let mut out = vec![Located::default(); paths.len()];
    let Ok(root) = serde_json::from_str::<&RawValue>(source).map(Raw::from) else {
        finish_unfound(paths, 0, (0..paths.len()).collect(), &mut out);
        return out;
    };
    // (value, depth, the paths that reached it); an explicit stack, because
    // a hostile document may nest deeper than the call stack allows.
    let mut work: Vec<(Raw<'_>, usize, Vec<usize>)> = vec![(root, 0, (0..paths.len()).collect())];
    while let Some((raw, depth, members)) = work.pop() {
        let span = (depth > 0).then(|| json::span_in(source, raw.get()));
        let mut by_step: Vec<(&Step, Vec<usize>)> = Vec::new();
        let mut index_of: HashMap<&Step, usize> = HashMap::new();
        for i in members {
            if let Some(o) = out.get_mut(i) {
                o.span = span;
            }
            let Some(step) = paths.get(i).and_then(|p| p.get(depth)) else {
                continue;
            };
            let slot = *index_of.entry(step).or_insert_with(|| {
                by_step.push((step, Vec::new()));
                by_step.len() - 1
            });
            if let Some((_, group)) = by_step.get_mut(slot) {
                group.push(i);
            }
        }
        if by_step.is_empty() {
            continue;
        }
        let children = Children::of(raw);
        for (step, group) in by_step {
            match children.get(step) {
                Some((child, piece)) => {
                    for &i in &group {
                        if let Some(o) = out.get_mut(i) {
                            let text = piece.text(&o.path);
                            o.path.push_str(&text);
                        }
                    }
                    work.push((child, depth + 1, group));
                }
                None => finish_unfound(paths, depth, group, &mut out),
            }
        }
    }
    out
}

/// The rest of the paths of `group` from `depth` on could not be found:
/// they are named in the model's words turned into JSON style.
fn finish_unfound(paths: &[Vec<Step>], depth: usize, group: Vec<usize>, out: &mut [Located]) {
    for i in group {
        let (Some(path), Some(o)) = (paths.get(i), out.get_mut(i)) else {
            continue;
        };
        for step in path.iter().skip(depth) {
            let text = match step {
                Step::Field(name) => dotted(&o.path, &json_name(name)),
                Step::Key(key) => dotted(&o.path, key),
                Step::Index(n) => format!("[{n}]"),
            };
            o.path.push_str(&text);
        }
    }
}

/// The JSON path of the innermost value that contains `offset`, and that
/// value's span (`None` at the top level).
pub(super) fn path_at(source: &str, offset: usize) -> Located {
    let mut located = Located::default();
    let Ok(mut raw) = serde_json::from_str::<&RawValue>(source).map(Raw::from) else {
        return located;
    };
    loop {
        let next = match Children::of(raw) {
            Children::Object(entries) => entries.into_iter().find_map(|(key, value)| {
                contains(source, value, offset).then(|| (value, dotted(&located.path, &key)))
            }),
            Children::Array(items) => items
                .into_iter()
                .enumerate()
                .find(|&(_, value)| contains(source, value, offset))
                .map(|(i, value)| (value, format!("[{i}]"))),
            Children::Leaf => None,
        };
        let Some((value, text)) = next else {
            return located;
        };
        located.path.push_str(&text);
        located.span = Some(json::span_in(source, value.get()));
        raw = value;
    }
}

/// Whether `offset` falls inside `value` (its closing bracket included:
/// `serde_json` reports a missing field there).
fn contains(source: &str, value: Raw<'_>, offset: usize) -> bool {
    let span = json::span_in(source, value.get());
    span.offset() <= offset && offset < span.end()
}

/// The members of one JSON value, parsed once.
enum Children<'a> {
    Object(Vec<(Cow<'a, str>, Raw<'a>)>),
    Array(Elements<'a>),
    Leaf,
}

impl<'a> Children<'a> {
    fn of(raw: Raw<'a>) -> Self {
        match JsonType::of(raw) {
            JsonType::Object => json::entries(raw).map_or(Children::Leaf, Children::Object),
            JsonType::Array => json::elements(raw).map_or(Children::Leaf, Children::Array),
            _ => Children::Leaf,
        }
    }

    /// The child a step names, and how the document names it.
    fn get(&self, step: &Step) -> Option<(Raw<'a>, Piece<'_>)> {
        match (self, step) {
            (Children::Array(items), Step::Index(i)) => {
                items.get(*i).map(|v| (*v, Piece::Index(*i)))
            }
            (Children::Object(entries), Step::Key(name)) => entries
                .iter()
                .find(|(key, _)| key == name)
                .map(|(key, value)| (*value, Piece::Key(key))),
            (Children::Object(entries), Step::Index(i)) => {
                let name = i.to_string();
                entries
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(key, value)| (*value, Piece::Key(key)))
            }
            (Children::Object(entries), Step::Field(name)) => {
                json_keys(name).into_iter().find_map(|candidate| {
                    entries
                        .iter()
                        .find(|(key, _)| *key == candidate)
                        .map(|(key, value)| (*value, Piece::Key(key)))
                })
            }
            _ => None,
        }
    }
}

/// One step of a JSON path as the document names it.
enum Piece<'k> {
    Key(&'k str),
    Index(usize),
}

impl Piece<'_> {
    /// The text this step adds to `path`.
    fn text(&self, path: &str) -> String {
        match self {
            Piece::Key(key) => dotted(path, key),
            Piece::Index(i) => format!("[{i}]"),
        }
    }
}

/// `.key` after a non-empty path, `key` at the start.
fn dotted(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!(".{key}")
    }
}

/// The JSON keys a model field name may stand for, most likely first.
/// Most fields are the camel-case of the Rust name; these are not.
fn json_keys(name: &str) -> Vec<Cow<'_, str>> {
    let special: &[&'static str] = match name {
        "component_type" | "service_type" | "external_reference_type" => &["type"],
        "bom_ref" => &["bom-ref"],
        "mime_type" => &["mime-type"],
        "version_range" => &["range"],
        "score_method" => &["method"],
        "vulnerability_source" => &["source"],
        // Enum variants the model names in its own words.
        "SpdxId" => &["id"],
        "Name" => &["name"],
        "Chain" => &["chain"],
        "Signers" => &["signers"],
        // Checks of the whole BOM, named after what they check.
        "dependency_ref" | "sub dependency_ref" => &["dependencies"],
        "composition ref" => &["compositions"],
        _ => &[],
    };
    if !special.is_empty() {
        return special.iter().map(|k| Cow::Borrowed(*k)).collect();
    }
    let mut keys = vec![Cow::Borrowed(name)];
    let camel = camel_case(name);
    if camel != name {
        keys.push(Cow::Owned(camel));
    }
    if name.contains('_') {
        keys.push(Cow::Owned(name.replace('_', "-")));
    }
    keys
}

/// The most likely JSON key for a model field name, for paths that could
/// not be followed in the document.
fn json_name(name: &str) -> String {
    match json_keys(name).into_iter().next() {
        Some(key) if key != name => key.into_owned(),
        _ => camel_case(name),
    }
}

/// `external_references` -> `externalReferences`.
fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' || c == ' ' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Renders a model path in JSON style without a document to look in
/// (for XML, where [`locate_all`] cannot walk).
pub(super) fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Field(name) => {
                let text = dotted(&out, &json_name(name));
                out.push_str(&text);
            }
            Step::Key(key) => {
                let text = dotted(&out, key);
                out.push_str(&text);
            }
            Step::Index(n) => {
                let _ = write!(out, "[{n}]");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Step {
        Step::Field(name.to_owned())
    }

    const DOC: &str = r#"{
  "serialNumber": "urn:uuid:x",
  "components": [
    {"type": "library", "name": "a", "externalReferences": [{"url": "a b"}]},
    {"type": "nonsense", "name": "b", "bom-ref": "b", "mime-type": "x"}
  ]
}"#;

    fn text(span: Option<Span>) -> &'static str {
        let span = span.expect("a span");
        &DOC[span.range()]
    }

    #[test]
    fn model_paths_become_json_paths_with_spans() {
        let paths = vec![
            vec![field("serial_number")],
            vec![field("components"), Step::Index(1), field("component_type")],
            vec![
                field("components"),
                Step::Index(0),
                field("external_references"),
                Step::Index(0),
                field("url"),
            ],
            vec![field("components"), Step::Index(1), field("bom_ref")],
            vec![field("components"), Step::Index(1), field("mime_type")],
        ];
        let found = locate_all(DOC, &paths);
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|l| (l.path.as_str(), text(l.span)))
            .collect();
        assert_eq!(
            got,
            [
                ("serialNumber", r#""urn:uuid:x""#),
                ("components[1].type", r#""nonsense""#),
                ("components[0].externalReferences[0].url", r#""a b""#),
                ("components[1].bom-ref", r#""b""#),
                ("components[1].mime-type", r#""x""#),
            ]
        );
    }

    #[test]
    fn a_path_that_leaves_the_document_keeps_the_deepest_span() {
        let paths = vec![
            vec![
                field("components"),
                Step::Index(0),
                field("swid"),
                field("tag_id"),
            ],
            vec![field("components"), Step::Index(7)],
            vec![field("nowhere")],
        ];
        let found = locate_all(DOC, &paths);
        assert_eq!(found[0].path, "components[0].swid.tagId");
        assert!(text(found[0].span).starts_with(r#"{"type": "library""#));
        assert_eq!(found[1].path, "components[7]");
        assert!(text(found[1].span).starts_with('['));
        assert_eq!(found[2].path, "nowhere");
        assert_eq!(found[2].span, None);
    }

    #[test]
    fn locating_survives_text_that_is_not_json() {
        let found = locate_all("{not json", &[vec![field("a_b"), Step::Index(2)]]);
        assert_eq!(
            found,
            [Located {
                path: "aB[2]".to_owned(),
                span: None
            }]
        );
    }

    #[test]
    fn an_offset_names_the_innermost_value() {
        let at = |needle: &str| path_at(DOC, DOC.find(needle).unwrap());
        assert_eq!(at("nonsense").path, "components[1].type");
        assert_eq!(at("a b").path, "components[0].externalReferences[0].url");
        assert_eq!(text(at("a b").span), r#""a b""#);
        // A missing field is reported at the object's closing brace.
        let close = DOC.find(r#""x"}"#).unwrap() + 3;
        assert_eq!(path_at(DOC, close).path, "components[1]");
        assert_eq!(path_at(DOC, 0), Located::default());
        assert_eq!(path_at(DOC, DOC.len() + 5), Located::default());
    }

    #[test]
    fn escaped_keys_are_matched_decoded() {
        let doc = r#"{"na\u006de": {"x": 1}}"#;
        assert_eq!(path_at(doc, doc.find('1').unwrap()).path, "name.x");
        let found = locate_all(doc, &[vec![field("name"), field("x")]]);
        assert_eq!(found[0].path, "name.x");
    }

    #[test]
    fn json_pointer_keys_are_taken_as_written() {
        let doc = r#"{"bom_ref": {"7": "x"}, "a": [1, "two"]}"#;
        let paths = vec![
            vec![Step::Key("bom_ref".into()), Step::Index(7)],
            vec![Step::Key("a".into()), Step::Index(1)],
            vec![Step::Key("bom-ref".into())],
        ];
        let found = locate_all(doc, &paths);
        let span = |i: usize| found[i].span.map(|s| &doc[s.range()]);
        assert_eq!(found[0].path, "bom_ref.7");
        assert_eq!(span(0), Some(r#""x""#));
        assert_eq!(found[1].path, "a[1]");
        assert_eq!(span(1), Some(r#""two""#));
        // No model-name guessing for a key: `bom-ref` is not `bom_ref`.
        assert_eq!(found[2].path, "bom-ref");
        assert_eq!(span(2), None);
    }

    #[test]
    fn rendering_without_a_document_uses_json_names() {
        let path = [field("components"), Step::Index(2), field("component_type")];
        assert_eq!(render(&path), "components[2].type");
        assert_eq!(render(&[field("serial_number")]), "serialNumber");
    }
}
