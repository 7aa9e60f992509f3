//! CycloneDX JSON against the official JSON schemas of the spec.
//!
//! `cyclonedx-bom` models 1.3–1.5 only; the CycloneDX project's own JSON
//! schemas cover every JSON version (1.2–1.7). They ship embedded
//! (`schemas/cyclonedx`, see its README for their origin), so checking
//! needs no network: the `$ref`s between them (to the SPDX licence list,
//! JSF signatures and the cryptography definitions) are answered by
//! [`Embedded`], which knows those files and nothing else.
//!
//! Each schema compiles once, the first time a document of its version is
//! checked, and is reused for every later document. Every error the
//! schema finds becomes a `schema` issue located at the value it names.
//!
//! The patterns in these schemas are plain (character classes, anchors,
//! counts): the crate's default engine, `fancy-regex`, compiles every one
//! of them unchanged, and a test keeps it so.

use std::error::Error;
use std::fmt;
use std::sync::LazyLock;

use jsonschema::{Retrieve, Uri, ValidationError, Validator};
use serde_json::Value;

use super::locate::{self, Located, Step};
use crate::model::{Diagnostic, Level, Span};

/// The embedded schema files, by the name the schemas' `$ref`s use.
const BOM_1_2: &str = include_str!("../../../schemas/cyclonedx/bom-1.2.SNAPSHOT.schema.json");
const BOM_1_3: &str = include_str!("../../../schemas/cyclonedx/bom-1.3.SNAPSHOT.schema.json");
const BOM_1_4: &str = include_str!("../../../schemas/cyclonedx/bom-1.4.SNAPSHOT.schema.json");
const BOM_1_5: &str = include_str!("../../../schemas/cyclonedx/bom-1.5.SNAPSHOT.schema.json");
const BOM_1_6: &str = include_str!("../../../schemas/cyclonedx/bom-1.6.SNAPSHOT.schema.json");
const BOM_1_7: &str = include_str!("../../../schemas/cyclonedx/bom-1.7.SNAPSHOT.schema.json");
const SPDX: &str = include_str!("../../../schemas/cyclonedx/spdx.SNAPSHOT.schema.json");
const JSF: &str = include_str!("../../../schemas/cyclonedx/jsf-0.82.SNAPSHOT.schema.json");
const CRYPTO: &str =
    include_str!("../../../schemas/cyclonedx/cryptography-defs.SNAPSHOT.schema.json");

/// Where the schemas' relative `$ref`s lead: every schema's `$id` is under
/// this folder.
const BASE: &str = "http://cyclonedx.org/schema/";

/// The schemas' own `$ref`s to each other, by file name.
const REFERENCED: [(&str, &str); 3] = [
    ("spdx.SNAPSHOT.schema.json", SPDX),
    ("jsf-0.82.SNAPSHOT.schema.json", JSF),
    ("cryptography-defs.SNAPSHOT.schema.json", CRYPTO),
];

/// At most this many schema errors are reported for one document: a
/// document wrong throughout (a generator bug) would otherwise bury the
/// rest of the report under thousands of copies of one mistake.
pub(super) const MAX_ISSUES: usize = 500;

/// A compiled schema, or why it could not be compiled (a bug of this
/// build; a test compiles every one).
type Compiled = Result<Validator, String>;

static V1_2: LazyLock<Compiled> = LazyLock::new(|| compile(BOM_1_2));
static V1_3: LazyLock<Compiled> = LazyLock::new(|| compile(BOM_1_3));
static V1_4: LazyLock<Compiled> = LazyLock::new(|| compile(BOM_1_4));
static V1_5: LazyLock<Compiled> = LazyLock::new(|| compile(BOM_1_5));
static V1_6: LazyLock<Compiled> = LazyLock::new(|| compile(BOM_1_6));
static V1_7: LazyLock<Compiled> = LazyLock::new(|| compile(BOM_1_7));

/// The spec versions with a JSON schema, and the compiled schema of each.
fn schema(version: &str) -> Option<(&'static str, &'static LazyLock<Compiled>)> {
    Some(match version {
        "1.2" => ("1.2", &V1_2),
        "1.3" => ("1.3", &V1_3),
        "1.4" => ("1.4", &V1_4),
        "1.5" => ("1.5", &V1_5),
        "1.6" => ("1.6", &V1_6),
        "1.7" => ("1.7", &V1_7),
        _ => return None,
    })
}

/// What checking against the schema came to.
#[derive(Debug)]
pub(super) enum Outcome {
    /// No JSON schema exists for the version (1.0, 1.1, unknown ones).
    NoSchema,
    /// The schema of `spec` checked the document; `issues` is what it
    /// found (empty when the document conforms).
    Checked {
        spec: &'static str,
        issues: Vec<Diagnostic>,
    },
    /// The schema could not be used; the issue says why (a warning).
    Unavailable(Diagnostic),
}

/// Checks `source`, a CycloneDX JSON document of spec `version`, against
/// the official schema of that version.
pub(super) fn check(source: &str, version: &str) -> Outcome {
    let Some((spec, compiled)) = schema(version) else {
        return Outcome::NoSchema;
    };
    let validator = match LazyLock::force(compiled) {
        Ok(validator) => validator,
        Err(why) => {
            return Outcome::Unavailable(Diagnostic::warning(
                "schema-unavailable",
                format!(
                    "the CycloneDX {spec} JSON schema could not be compiled ({why}); \
                     the document was not checked against it"
                ),
                None,
            ))
        }
    };
    // A byte-order mark is not JSON; spans still index into `source`.
    let body = source.trim_start_matches('\u{feff}');
    let shift = source.len() - body.len();
    let Ok(instance) = serde_json::from_str::<Value>(body) else {
        // Not JSON: the reader reports where; no schema applies to it.
        return Outcome::Unavailable(Diagnostic::warning(
            "schema-unavailable",
            format!(
                "the document is not valid JSON, so the CycloneDX {spec} JSON schema \
                 checked nothing"
            ),
            None,
        ));
    };
    let mut found: Vec<(Vec<Step>, String)> = Vec::new();
    let mut more = 0usize;
    for error in validator.iter_errors(&instance) {
        if found.len() < MAX_ISSUES {
            found.push((steps(&error), message(&error)));
        } else {
            more += 1;
        }
    }
    let paths: Vec<Vec<Step>> = found.iter().map(|(path, _)| path.clone()).collect();
    let located = locate::locate_all(body, &paths);
    let mut issues: Vec<Diagnostic> = found
        .into_iter()
        .zip(located)
        .map(|((_, message), Located { path, span })| {
            let place = if path.is_empty() { "document" } else { &path };
            Diagnostic {
                level: Level::Error,
                code: "schema",
                message: format!("{place}: {message}"),
                span: span.map(|s| Span::new(s.offset() + shift, s.len())),
            }
        })
        .collect();
    if more > 0 {
        issues.push(Diagnostic::warning(
            "schema-truncated",
            format!(
                "{more} more errors against the CycloneDX {spec} JSON schema are not shown \
                 (at most {MAX_ISSUES} are reported)"
            ),
            None,
        ));
    }
    Outcome::Checked { spec, issues }
}

/// The place an error names, as steps the locator follows: a segment is
/// an array index or an object key, whichever the document has there.
fn steps(error: &ValidationError<'_>) -> Vec<Step> {
    error
        .instance_path()
        .segments()
        .map(|segment| match segment {
            jsonschema::paths::LocationSegment::Property(key) => Step::Key(key.into_owned()),
            jsonschema::paths::LocationSegment::Index(i) => Step::Index(i),
        })
        .collect()
}

/// The error in words. A short scalar is quoted as it is (`"nonsense" is
/// not one of …`); an object, an array or a long string is named, not
/// printed: the span shows it, and a whole component in a message helps
/// no one.
fn message(error: &ValidationError<'_>) -> String {
    const SHORT: usize = 80;
    let placeholder = match error.instance().as_ref() {
        Value::Object(_) => "the object".to_owned(),
        Value::Array(_) => "the array".to_owned(),
        Value::String(s) if s.len() > SHORT => "the string".to_owned(),
        scalar => scalar.to_string(),
    };
    error.masked_with(placeholder).to_string()
}

/// Compiles one embedded schema, its `$ref`s resolved from the embedded
/// files only.
fn compile(text: &str) -> Compiled {
    let schema: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    jsonschema::options()
        .with_retriever(Embedded)
        .build(&schema)
        .map_err(|e| e.to_string())
}

/// Answers the schemas' `$ref`s to each other from the embedded files;
/// any other URI is refused (nothing is fetched).
struct Embedded;

impl Retrieve for Embedded {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn Error + Send + Sync>> {
        let text = uri
            .as_str()
            .strip_prefix(BASE)
            .and_then(|name| REFERENCED.iter().find(|(n, _)| *n == name))
            .map(|(_, text)| *text)
            .ok_or_else(|| NotEmbedded(uri.as_str().to_owned()))?;
        Ok(serde_json::from_str(text)?)
    }
}

/// A `$ref` to a schema that is not embedded.
#[derive(Debug)]
struct NotEmbedded(String);

impl fmt::Display for NotEmbedded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not an embedded schema (nothing is fetched)",
            self.0
        )
    }
}

impl Error for NotEmbedded {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_compiles_offline() {
        for version in ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"] {
            let (spec, compiled) = schema(version).expect("a schema");
            assert_eq!(spec, version);
            if let Err(why) = LazyLock::force(compiled) {
                panic!("{version}: {why}");
            }
        }
        assert!(schema("1.1").is_none());
        assert!(schema("2.0").is_none());
    }

    #[test]
    fn only_embedded_files_are_retrieved() {
        let known = Uri::parse(format!("{BASE}jsf-0.82.SNAPSHOT.schema.json")).unwrap();
        let got = Embedded.retrieve(&known).unwrap();
        assert_eq!(
            got["$id"],
            "http://cyclonedx.org/schema/jsf-0.82.schema.json"
        );
        let other =
            Uri::parse("https://example.com/jsf-0.82.SNAPSHOT.schema.json".to_owned()).unwrap();
        let err = Embedded.retrieve(&other).unwrap_err();
        assert!(err.to_string().contains("not an embedded schema"), "{err}");
    }

    #[test]
    fn errors_are_located_and_quote_short_values_only() {
        let doc = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
            "components": [{"type": "nonsense", "name": "a"}, {"type": "library"}]}"#;
        let Outcome::Checked { spec, issues } = check(doc, "1.6") else {
            panic!("not checked");
        };
        assert_eq!(spec, "1.6");
        let got: Vec<(&str, &str)> = issues
            .iter()
            .map(|i| {
                let s = i.span.expect("located");
                (i.message.as_str(), &doc[s.range()])
            })
            .collect();
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(got[0]
            .0
            .starts_with(r#"components[0].type: "nonsense" is not one of "application""#));
        assert_eq!(got[0].1, r#""nonsense""#);
        assert_eq!(got[1].0, r#"components[1]: "name" is a required property"#);
        assert_eq!(got[1].1, r#"{"type": "library"}"#);
    }

    #[test]
    fn a_byte_order_mark_keeps_spans_on_the_source() {
        let doc = "\u{feff}{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.2\", \
                   \"serialNumber\": \"nope\", \"version\": 1}";
        let Outcome::Checked { issues, .. } = check(doc, "1.2") else {
            panic!("not checked");
        };
        assert_eq!(issues.len(), 1, "{issues:#?}");
        let span = issues[0].span.expect("located");
        assert_eq!(&doc[span.range()], "\"nope\"");
        assert!(issues[0].message.starts_with("serialNumber: \"nope\""));
    }

    #[test]
    fn versions_without_a_schema_and_text_that_is_not_json() {
        assert!(matches!(check("{}", "1.1"), Outcome::NoSchema));
        let Outcome::Unavailable(issue) = check("{not json", "1.6") else {
            panic!("checked text that is not JSON");
        };
        assert_eq!(issue.level, Level::Warning);
    }

    #[test]
    fn many_errors_are_capped() {
        // Distinct items: `components` must hold unique items, too.
        let items: Vec<String> = (0..MAX_ISSUES + 7)
            .map(|i| format!(r#"{{"type": "nonsense", "name": "a{i}"}}"#))
            .collect();
        let doc = format!(
            r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{}]}}"#,
            items.join(",")
        );
        let Outcome::Checked { issues, .. } = check(&doc, "1.6") else {
            panic!("not checked");
        };
        assert_eq!(issues.len(), MAX_ISSUES + 1);
        let last = issues.last().unwrap();
        assert_eq!(last.code, "schema-truncated");
        assert!(
            last.message.starts_with("7 more errors"),
            "{}",
            last.message
        );
    }
}
