//! Telling SBOM formats apart by their content (never by the file name:
//! `bom.json` may hold SPDX, `sbom.xml` CycloneDX).
//!
//! For JSON the top-level object is parsed once here, keeping the values
//! the CycloneDX reader needs, so that reading does not parse it again.

use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use crate::model::{SourceText, Span};
use crate::sbom::cyclonedx_xml::dtd;
use crate::sbom::error::{At, ReadError};
use crate::sbom::json::{self, JsonType, Keys, Listed, Raw};

/// The top level of a JSON document that says it is a CycloneDX BOM.
#[derive(Debug)]
pub(crate) struct CdxTop<'a> {
    pub spec_version: Option<Raw<'a>>,
    pub serial_number: Option<Raw<'a>>,
    pub metadata: Option<Raw<'a>>,
    pub components: Listed<'a>,
    pub dependencies: Listed<'a>,
    /// The whole top-level object.
    pub span: Span,
    /// `bomFormat` is missing; the document was taken for CycloneDX from
    /// its `specVersion` and `components`/`metadata`.
    pub bom_format_missing: bool,
    /// A top-level key that came twice (the first value is used).
    pub duplicate: Option<(&'static str, Raw<'a>)>,
}

/// What [`sniff`] found: a CycloneDX JSON BOM, with what it already
/// parsed of it (the CycloneDX reader's own view of detection).
#[derive(Debug)]
pub(crate) enum Sniffed<'a> {
    CyclonedxJson(Box<CdxTop<'a>>),
    /// A `<bom>` root element, in any namespace or none: the XML reader
    /// parses the whole document itself.
    CyclonedxXml,
}

/// What [`sniff_any`] found: a format oemtrace can read.
#[derive(Debug)]
pub(crate) enum Detected<'a> {
    CyclonedxJson(Box<CdxTop<'a>>),
    /// A `<bom>` root element, in any namespace or none.
    CyclonedxXml,
    /// An object with `spdxVersion` and no `bomFormat`, with its top level
    /// already read for the SPDX reader (see [`TOP_KEYS`]).
    SpdxJson {
        spdx_version: Raw<'a>,
        top: Box<Top<'a>>,
    },
    /// Text whose first meaningful line is `SPDXVersion:`; `line` is it.
    SpdxTagValue {
        line: &'a str,
    },
}

/// The top-level keys of a JSON document: those detection looks at (in
/// the order [`sniff_object`] destructures them) and those the CycloneDX
/// and SPDX readers read, so that one pass over the top level serves
/// detection and reading alike (a second pass cost an SPDX audit a tenth
/// of its time). The arrays come last (see [`TOP_LISTS_FROM`]).
pub(crate) const TOP_KEYS: Keys<17> = Keys::new([
    "bomFormat",
    "specVersion",
    "serialNumber",
    "metadata",
    "spdxVersion",
    "@context",
    "SPDXID",
    "documentNamespace",
    "components",
    "dependencies",
    "documentDescribes",
    "hasExtractedLicensingInfos",
    "packages",
    "files",
    "snippets",
    "relationships",
    "externalDocumentRefs",
]);
/// The arrays are split into elements while the top level is parsed (see
/// [`json::object_with_lists`]).
const TOP_LISTS_FROM: usize = 8;

/// A JSON document's top level, read for [`TOP_KEYS`]; a reader takes its
/// own keys out with [`json::Object::take`].
pub(crate) type Top<'a> = json::Object<'a, 17>;

/// The keys the CycloneDX side reads (detection's own among them, which
/// is where a repeated key is looked for).
const CDX_KEYS: Keys<8> = Keys::new([
    "bomFormat",
    "specVersion",
    "serialNumber",
    "metadata",
    "spdxVersion",
    "@context",
    "components",
    "dependencies",
]);

/// Detects a CycloneDX JSON BOM. An SPDX document is not one
/// ([`ReadError::NotAnSbom`]); other errors are those of [`sniff_any`].
pub(crate) fn sniff<'a>(name: &str, source: &'a SourceText) -> Result<Sniffed<'a>, ReadError> {
    let at = |text: &str| At::new(name, source, json::span_in(source, text));
    match sniff_any(name, source)? {
        Detected::CyclonedxJson(top) => Ok(Sniffed::CyclonedxJson(top)),
        Detected::CyclonedxXml => Ok(Sniffed::CyclonedxXml),
        Detected::SpdxJson { spdx_version, .. } => Err(ReadError::not_an_sbom(
            at(spdx_version.get()),
            "this is an SPDX JSON document".to_owned(),
        )),
        Detected::SpdxTagValue { line } => Err(ReadError::not_an_sbom(
            at(line),
            "this is an SPDX tag-value document".to_owned(),
        )),
    }
}

/// Detects the format of `source`. A format recognised but not read yet is
/// [`ReadError::Unsupported`], anything else says what it looks like.
pub(crate) fn sniff_any<'a>(name: &str, source: &'a SourceText) -> Result<Detected<'a>, ReadError> {
    if let Some(body) = object_text(source) {
        return sniff_object(name, source, body);
    }
    let body = without_bom(source);
    let start = body.trim_start();
    let Some(first) = start.chars().next() else {
        return Err(ReadError::Empty {
            name: name.to_owned(),
        });
    };
    let at = |text: &str| At::new(name, source, json::span_in(source, text));
    match first {
        '<' => sniff_xml(start, at),
        _ => {
            if let Err(err) = serde_json::from_str::<IgnoredAny>(body) {
                if first == '[' || first == '"' {
                    return Err(syntax(name, source, body, &err));
                }
                return sniff_text(start, at);
            }
            let top: &RawValue =
                serde_json::from_str(body).map_err(|err| syntax(name, source, body, &err))?;
            Err(ReadError::not_an_sbom(
                at(top.get()),
                format!(
                    "the top level is {}, not an object",
                    JsonType::of(top.into()).described()
                ),
            ))
        }
    }
}

/// A JSON syntax error in `text` (a slice of `source`), located in `source`.
pub(crate) fn syntax(
    name: &str,
    source: &SourceText,
    text: &str,
    err: &serde_json::Error,
) -> ReadError {
    let base = json::span_in(source, text).offset();
    let offset = base + json::error_offset(text, err);
    ReadError::syntax(
        At::new(name, source, Span::new(offset, 0)),
        json::error_message(err),
    )
}

fn sniff_object<'a>(
    name: &str,
    source: &'a SourceText,
    body: &'a str,
) -> Result<Detected<'a>, ReadError> {
    classify(name, source, body, parse_top(name, source, body)?)
}

/// The text of `source` from its JSON object on (a UTF-8 byte order mark
/// skipped), if its first meaningful character opens one: the documents
/// whose format [`classify`] decides from their top level.
pub(crate) fn object_text(source: &str) -> Option<&str> {
    let body = without_bom(source);
    body.trim_start().starts_with('{').then_some(body)
}

/// `source` without its UTF-8 byte order mark: the mark is not JSON
/// whitespace, but a reader that refused it would refuse files that
/// Windows tools write every day.
pub(crate) fn without_bom(source: &str) -> &str {
    source.strip_prefix('\u{feff}').unwrap_or(source)
}

/// `body`'s top level, parsed by `serde_json`, which checks the syntax of
/// the whole text: everything read below it is only delimited.
pub(crate) fn parse_top<'a>(
    name: &str,
    source: &SourceText,
    body: &'a str,
) -> Result<Top<'a>, ReadError> {
    // The fast path fails on a syntax error, or when `components` or
    // `dependencies` is not an array; the plain parse then finds the
    // syntax error again, or keeps the wrong type for the reader to report.
    json::object_with_lists(body, &TOP_KEYS, TOP_LISTS_FROM)
        .or_else(|_| json::object(body, &TOP_KEYS))
        .map_err(|err| syntax(name, source, body, &err))
}

/// `body`'s top level, checked by oemtrace's own validator and split as it
/// checks (on two cores when it is big): what
/// [`parse_top`] gives, or `None` where the validator refuses it (a syntax
/// error, or a top-level key with an escape, left to [`parse_top`]).
/// `json::validate`'s tests hold the check to `serde_json`'s, and
/// `json::scan`'s hold the split to it.
pub(crate) fn checked_top(body: &str) -> Option<Top<'_>> {
    json::checked_top(body, &TOP_KEYS, TOP_LISTS_FROM, true)
}

/// What a JSON object's top level says the document is.
pub(crate) fn classify<'a>(
    name: &str,
    source: &'a SourceText,
    body: &'a str,
    mut top: Top<'a>,
) -> Result<Detected<'a>, ReadError> {
    let [bom_format, spec_version, _, metadata, spdx_version, context, _, _, components, ..] =
        top.slots;
    let components_listed = top.lists.get(8).is_some_and(Option::is_some);
    let trimmed = body.trim();
    let at = |raw: Raw<'_>| At::new(name, source, json::span_in(source, raw.get()));
    let present = |raw: Option<Raw<'_>>| raw.is_some_and(|r| JsonType::of(r) != JsonType::Null);
    let has_components = components_listed || present(components);

    let mut bom_format_missing = false;
    match bom_format.filter(|r| JsonType::of(*r) != JsonType::Null) {
        Some(raw) => {
            let value = json::string(raw);
            if !value.is_some_and(|v| v.trim().eq_ignore_ascii_case("CycloneDX")) {
                return Err(ReadError::not_an_sbom(
                    at(raw),
                    format!("`bomFormat` is {}, expected \"CycloneDX\"", raw.get()),
                ));
            }
        }
        None => {
            if let Some(spdx_version) = spdx_version {
                return Ok(Detected::SpdxJson {
                    spdx_version,
                    top: Box::new(top),
                });
            }
            if let Some(raw) = context.filter(|r| r.get().to_ascii_lowercase().contains("spdx")) {
                return Err(ReadError::unsupported(at(raw), "SPDX 3 JSON-LD"));
            }
            // Lenient: `bomFormat` is required, but a document with a
            // `specVersion` and components is a CycloneDX BOM that forgot it.
            if present(spec_version) && (has_components || present(metadata)) {
                bom_format_missing = true;
            } else {
                let whole = json::span_in(source, trimmed);
                return Err(ReadError::not_an_sbom(
                    At::new(name, source, Span::new(whole.offset(), 1)),
                    format!(
                        "no \"bomFormat\": \"CycloneDX\" (top-level keys: {})",
                        top_level_keys(body)
                    ),
                ));
            }
        }
    }
    let cdx = top.take(&TOP_KEYS, &CDX_KEYS);
    let [_, spec_version, serial_number, metadata, _, _, components, dependencies] = cdx.slots;
    let [.., components_list, dependencies_list] = cdx.lists;
    Ok(Detected::CyclonedxJson(Box::new(CdxTop {
        spec_version,
        serial_number,
        metadata,
        components: Listed::new(components, components_list),
        dependencies: Listed::new(dependencies, dependencies_list),
        span: json::span_in(source, trimmed),
        bom_format_missing,
        duplicate: cdx.duplicate,
    })))
}

/// The first few top-level keys of a JSON object, for a message.
fn top_level_keys(text: &str) -> String {
    const SHOWN: usize = 6;
    let keys = serde_json::from_str::<std::collections::BTreeMap<String, IgnoredAny>>(text);
    let Ok(keys) = keys else {
        return "none readable".to_owned();
    };
    if keys.is_empty() {
        return "none".to_owned();
    }
    let mut shown: Vec<String> = keys.keys().take(SHOWN).map(|k| format!("{k:?}")).collect();
    if keys.len() > SHOWN {
        shown.push(format!("and {} more", keys.len() - SHOWN));
    }
    shown.join(", ")
}

/// Recognises an XML document by its root element. A DTD that declares
/// anything is refused whatever the root ([`dtd::risk`]).
fn sniff_xml<'a>(start: &str, at: impl Fn(&str) -> At) -> Result<Detected<'a>, ReadError> {
    let (doctype, root) = xml_prolog(start);
    if let Some(reason) = doctype.and_then(|d| dtd::risk(d).map(|r| (d, r))) {
        return Err(ReadError::unsafe_xml(at(reason.0), reason.1));
    }
    let Some(root) = root else {
        return Err(ReadError::unknown_format(
            at(first_line(start)),
            "XML without a root element".to_owned(),
        ));
    };
    let tag_end = root.find('>').map_or(root.len(), |i| i + 1);
    let tag = root.get(..tag_end).unwrap_or(root);
    let qname = tag
        .trim_start_matches('<')
        .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .next()
        .unwrap_or_default();
    let local = qname.rsplit(':').next().unwrap_or(qname);
    let format = match local {
        // Any namespace: the reader says when it does not know it.
        "bom" => return Ok(Detected::CyclonedxXml),
        "RDF" if tag.to_ascii_lowercase().contains("spdx.org") => Some("SPDX RDF/XML"),
        "Document" if root.contains("<spdxVersion>") => Some("SPDX XML"),
        _ => None,
    };
    Err(match format {
        Some(format) => ReadError::unsupported(at(tag), format),
        None => ReadError::unknown_format(
            at(tag),
            format!("an XML document whose root element <{qname}> is not a CycloneDX <bom>"),
        ),
    })
}

/// The document type declaration, if any, and the text from the root
/// element on, past the prolog (declaration, comments, doctype).
fn xml_prolog(mut rest: &str) -> (Option<&str>, Option<&str>) {
    let mut doctype = None;
    loop {
        rest = rest.trim_start();
        let end = if rest.starts_with("<!DOCTYPE") {
            let Some(len) = dtd::doctype_len(rest) else {
                return (Some(rest), None);
            };
            doctype = rest.get(..len);
            Some(len)
        } else {
            let close = if rest.starts_with("<?") {
                "?>"
            } else if rest.starts_with("<!--") {
                "-->"
            } else if rest.starts_with("<!") {
                ">"
            } else {
                return (doctype, rest.starts_with('<').then_some(rest));
            };
            rest.find(close).map(|end| end + close.len())
        };
        match end.and_then(|end| rest.get(end..)) {
            Some(after) => rest = after,
            None => return (doctype, None),
        }
    }
}

/// Recognises the line-based formats; anything else is unknown. SPDX
/// tag-value is a document whose first line, past comments and blank
/// lines, is `SPDXVersion:`.
fn sniff_text<'a>(start: &'a str, at: impl Fn(&str) -> At) -> Result<Detected<'a>, ReadError> {
    let first_meaningful = start
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    if let Some(line) = first_meaningful.filter(|l| l.starts_with("SPDXVersion:")) {
        return Ok(Detected::SpdxTagValue { line });
    }
    for line in start.lines() {
        let line = line.trim_start();
        if line.starts_with("SPDXVersion:") {
            return Err(ReadError::unknown_format(
                at(line),
                "text with an `SPDXVersion:` line that is not its first; SPDX tag-value starts with it"
                    .to_owned(),
            ));
        }
        if line.starts_with("spdxVersion:") {
            return Err(ReadError::unsupported(at(line), "SPDX YAML"));
        }
    }
    let first = first_line(start);
    let seen = if first.chars().any(|c| c.is_control() && c != '\t') {
        "binary data, not text".to_owned()
    } else {
        format!("text starting with `{first}`")
    };
    Err(ReadError::unknown_format(at(first), seen))
}

/// The first line of `text`, at most 60 bytes (on a character boundary).
fn first_line(text: &str) -> &str {
    let line = text.lines().next().unwrap_or_default();
    let mut end = line.len().min(60);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    line.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    /// A CycloneDX key missing from the one top-level pass would read as
    /// absent (see `json::Object::take`).
    #[test]
    fn every_cyclonedx_top_level_key_is_read_by_detection() {
        for key in *CDX_KEYS {
            assert!(TOP_KEYS.contains(&key), "{key} missing from TOP_KEYS");
        }
    }

    fn sniffed(text: &str) -> Result<(), ReadError> {
        let source: SourceText = SourceText::from(text);
        sniff("t.json", &source).map(|_| ())
    }

    fn unsupported_format(text: &str) -> &'static str {
        match sniffed(text) {
            Err(ReadError::Unsupported { format, .. }) => format,
            other => panic!("expected Unsupported, got {other:?}"),
        }
    }

    #[test]
    fn cyclonedx_json_is_recognised_by_bom_format_anywhere() {
        assert!(sniffed(r#"{"components": [], "bomFormat": "CycloneDX"}"#).is_ok());
        assert!(sniffed("\u{feff} {\"bomFormat\": \"cyclonedx\"}").is_ok());
    }

    #[test]
    fn missing_bom_format_is_accepted_with_spec_version_and_components() {
        let source: SourceText =
            crate::model::SourceText::from(r#"{"specVersion": "1.5", "components": []}"#);
        let Ok(Sniffed::CyclonedxJson(top)) = sniff("t.json", &source) else {
            panic!("not read");
        };
        assert!(top.bom_format_missing);
        assert!(sniffed(r#"{"specVersion": "1.5"}"#).is_err());
    }

    fn detected(text: &str) -> Result<Format, ReadError> {
        let source: SourceText = SourceText::from(text);
        sniff_any("t", &source).map(|d| match d {
            Detected::CyclonedxJson(_) => Format::CyclonedxJson,
            Detected::CyclonedxXml => Format::CyclonedxXml,
            Detected::SpdxJson { .. } => Format::SpdxJson,
            Detected::SpdxTagValue { .. } => Format::SpdxTagValue,
        })
    }

    #[test]
    fn spdx_2_json_and_tag_value_are_recognised() {
        let json = r#"{"SPDXID": "SPDXRef-DOCUMENT", "spdxVersion": "SPDX-2.3"}"#;
        assert_eq!(detected(json).unwrap(), Format::SpdxJson);
        let tv = "\u{feff}## comment\n\n  # another\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n";
        assert_eq!(detected(tv).unwrap(), Format::SpdxTagValue);
        assert_eq!(
            detected("SPDXVersion: SPDX-2.2\r\n").unwrap(),
            Format::SpdxTagValue
        );
        // The CycloneDX reader's own detection says what it is instead.
        let err = sniffed(json).unwrap_err();
        assert!(
            err.to_string().ends_with("this is an SPDX JSON document"),
            "{err}"
        );
        let err = sniffed(tv).unwrap_err();
        assert_eq!(err.line_col(), Some((4, 1)));
        assert!(err.to_string().contains("SPDX tag-value"), "{err}");
    }

    #[test]
    fn spdx_version_must_open_a_tag_value_document() {
        let err = detected("hello\nSPDXVersion: SPDX-2.3\n").unwrap_err();
        let ReadError::UnknownFormat { seen, .. } = &err else {
            panic!("{err:?}");
        };
        assert!(seen.contains("not its first"), "{seen}");
        assert_eq!(err.line_col(), Some((2, 1)));
    }

    #[test]
    fn other_spdx_flavours_are_recognised_and_unsupported() {
        assert_eq!(
            unsupported_format(r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}"#),
            "SPDX 3 JSON-LD"
        );
        assert_eq!(
            unsupported_format("---\nSPDXID: \"SPDXRef-DOCUMENT\"\nspdxVersion: \"SPDX-2.2\"\n"),
            "SPDX YAML"
        );
        assert_eq!(
            unsupported_format("<rdf:RDF\n xmlns:spdx=\"http://spdx.org/rdf/terms#\">"),
            "SPDX RDF/XML"
        );
        assert_eq!(
            unsupported_format(
                "<?xml version='1.0'?>\n<Document>\n<spdxVersion>SPDX-2.3</spdxVersion>"
            ),
            "SPDX XML"
        );
    }

    #[test]
    fn cyclonedx_xml_is_recognised_past_the_prolog() {
        let is_xml = |text: &str| {
            let source: SourceText = SourceText::from(text);
            matches!(sniff("t.xml", &source), Ok(Sniffed::CyclonedxXml))
        };
        assert!(is_xml(
            "<?xml version=\"1.0\"?>\n<!-- a <comment> -->\n<!DOCTYPE bom>\n\
             <bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\" version=\"1\">"
        ));
        assert!(is_xml(
            "<cdx:bom xmlns:cdx=\"http://cyclonedx.org/schema/bom/1.4\"/>"
        ));
        // Without a namespace, or in an unknown one: the reader says so.
        assert!(is_xml("<bom version=\"1\"></bom>"));
    }

    #[test]
    fn a_dtd_that_declares_anything_is_refused_whatever_the_root() {
        let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n\
                      <!ENTITY lol2 \"&lol;&lol;\">\n]>\n<lolz>&lol2;</lolz>";
        let err = sniffed(laughs).unwrap_err();
        assert!(matches!(err, ReadError::UnsafeXml { .. }), "{err:?}");
        assert_eq!(err.line_col(), Some((2, 1)));
        // Cut off inside the subset: still refused, not "no root".
        let cut = "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">";
        assert!(matches!(sniffed(cut), Err(ReadError::UnsafeXml { .. })));
        let external = "<!DOCTYPE bom SYSTEM \"bom.dtd\"><bom/>";
        assert!(matches!(
            sniffed(external),
            Err(ReadError::UnsafeXml { .. })
        ));
    }

    #[test]
    fn other_xml_is_unknown_and_named() {
        let err = sniffed("<project version=\"1\"></project>").unwrap_err();
        assert!(
            matches!(&err, ReadError::UnknownFormat { seen, .. } if seen.contains("<project>"))
        );
        let err = sniffed("<html><body>").unwrap_err();
        assert!(err.to_string().contains("root element <html>"), "{err}");
        let err = sniffed("<?xml version=\"1.0\"?><!-- only a comment -->").unwrap_err();
        assert!(
            matches!(&err, ReadError::UnknownFormat { seen, .. } if seen.contains("without a root"))
        );
    }

    #[test]
    fn json_that_is_not_a_bom() {
        let err = sniffed("  [1, 2]").unwrap_err();
        assert!(matches!(&err, ReadError::NotAnSbom { reason, .. } if reason.contains("an array")));
        assert_eq!(err.line_col(), Some((1, 3)));
        let err = sniffed("42").unwrap_err();
        assert!(matches!(&err, ReadError::NotAnSbom { reason, .. } if reason.contains("a number")));
        let err = sniffed(r#"{"name": "x", "dependencies": []}"#).unwrap_err();
        let ReadError::NotAnSbom { reason, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(reason.contains("\"dependencies\", \"name\""), "{reason}");
        let err = sniffed(r#"{"bomFormat": "SPDX"}"#).unwrap_err();
        assert!(err.to_string().contains("`bomFormat` is \"SPDX\""), "{err}");
    }

    #[test]
    fn broken_json_is_a_syntax_error_with_its_place() {
        let err = sniffed("{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [\n").unwrap_err();
        assert!(matches!(err, ReadError::Syntax { .. }), "{err:?}");
        assert_eq!(err.line_col(), Some((4, 1)));
        let err = sniffed("[1, 2").unwrap_err();
        assert!(matches!(err, ReadError::Syntax { .. }), "{err:?}");
    }

    #[test]
    fn empty_and_unknown_text() {
        assert!(matches!(sniffed(""), Err(ReadError::Empty { .. })));
        assert!(matches!(
            sniffed("\u{feff} \n\t"),
            Err(ReadError::Empty { .. })
        ));
        let err = sniffed("hello: world\n").unwrap_err();
        assert!(
            matches!(&err, ReadError::UnknownFormat { seen, .. } if seen == "text starting with `hello: world`")
        );
        let err = sniffed("\u{1}\u{2}binary").unwrap_err();
        assert!(matches!(&err, ReadError::UnknownFormat { seen, .. } if seen.contains("binary")));
    }
}
