//! Reading SBOM documents: bytes in, a [`Document`] out.
//!
//! [`read`] is the one entry point: it checks the bytes are text, detects
//! the format from the content ([`detect`]) and hands the text to the
//! reader for that format. Readers are lenient (see DESIGN.md): what they
//! skip becomes a diagnostic in the document; only a document that cannot
//! be read at all is a [`ReadError`].

mod chunked;
pub mod cyclonedx;
mod cyclonedx_common;
pub mod cyclonedx_xml;
mod detect;
mod error;
mod json;
mod json_top;
mod local_refs;
pub mod span;
pub mod spdx;
#[cfg(test)]
pub(crate) mod testutil;
pub mod validate;

pub use error::{ErrorSource, ReadError};

use crate::model::{Document, Format, SourceText, Span};
use detect::Detected;
use error::At;

/// Detects the format of a document from its content (never its file
/// name). Returns the format oemtrace can read; a format it recognises but
/// cannot read yet is [`ReadError::Unsupported`], anything else
/// [`ReadError::UnknownFormat`] or [`ReadError::NotAnSbom`], saying what
/// was expected and what was seen.
pub fn detect(name: &str, source: &SourceText) -> Result<Format, ReadError> {
    match detect::sniff_any(name, source)? {
        Detected::CyclonedxJson(_) => Ok(Format::CyclonedxJson),
        Detected::CyclonedxXml => Ok(Format::CyclonedxXml),
        Detected::SpdxJson { .. } => Ok(Format::SpdxJson),
        Detected::SpdxTagValue { .. } => Ok(Format::SpdxTagValue),
    }
}

/// Reads one document from raw bytes. `name` is the name the user gave
/// (a path as typed); it goes into [`Document::name`] and every error.
pub fn read(name: &str, bytes: Vec<u8>) -> Result<Document, ReadError> {
    within_span(name, bytes.len())?;
    let text = String::from_utf8(bytes).map_err(|err| not_utf8(name, &err))?;
    read_text(name, SourceText::from(text))
}

/// Reads one document from text already known to be UTF-8, kept by
/// whatever the caller chose (the CLI maps big files into memory rather
/// than copy them). [`read`] for bytes.
pub fn read_text(name: &str, source: SourceText) -> Result<Document, ReadError> {
    within_span(name, source.len())?;
    // The top level is split once, by detection, and reused by the reader
    // (CycloneDX and SPDX JSON alike); a JSON object's split is made by
    // the check of its syntax (`json_top`).
    let detected = match detect::object_text(&source) {
        Some(body) => json_top::detected(name, &source, body)?,
        None => detect::sniff_any(name, &source)?,
    };
    match detected {
        Detected::CyclonedxJson(top) => cyclonedx::read_top(name, &source, *top),
        Detected::CyclonedxXml => cyclonedx_xml::read_source(name, &source),
        Detected::SpdxJson { top, .. } => spdx::read_json_top(name, &source, top),
        Detected::SpdxTagValue { .. } => spdx::read_tag_value(name, &source),
    }
}

/// Refuses a source longer than a [`Span`] can point into.
fn within_span(name: &str, size: usize) -> Result<(), ReadError> {
    if size > Span::MAX {
        return Err(ReadError::TooLarge {
            name: name.to_owned(),
            size,
            max: Span::MAX,
        });
    }
    Ok(())
}

/// Points at the first byte that is not UTF-8, in a lossy copy of the text
/// (exact up to that byte, so the line and column are right).
fn not_utf8(name: &str, err: &std::string::FromUtf8Error) -> ReadError {
    let offset = err.utf8_error().valid_up_to();
    let text = SourceText::from(String::from_utf8_lossy(err.as_bytes()).into_owned());
    let At {
        name,
        line,
        column,
        src,
        span,
    } = At::new(name, &text, Span::new(offset, 1));
    ReadError::NotUtf8 {
        name,
        offset,
        line,
        column,
        src,
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_the_place() {
        let mut bytes = b"{\n  \"name\": \"ab".to_vec();
        bytes.extend([0xff, 0xfe]);
        bytes.extend(b"\"\n}");
        let err = read("bad.json", bytes).unwrap_err();
        let ReadError::NotUtf8 { offset, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(*offset, 15);
        assert_eq!(err.line_col(), Some((2, 14)));
        assert!(err.to_string().starts_with("bad.json:2:14: "), "{err}");
    }

    #[test]
    fn a_source_past_what_a_span_can_point_into_is_refused() {
        // (Sizes only: a 4 GiB test input would not fit CI.)
        assert!(within_span("big.json", Span::MAX).is_ok());
        let err = within_span("big.json", Span::MAX + 1).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { size, .. } if size == Span::MAX + 1));
        assert_eq!(err.name(), "big.json");
        assert_eq!(err.line_col(), None);
        assert!(err.to_string().contains("4294967296 bytes"), "{err}");
    }

    #[test]
    fn empty_input_is_its_own_error() {
        let err = read("empty.json", Vec::new()).unwrap_err();
        assert!(matches!(err, ReadError::Empty { .. }));
        assert_eq!(err.to_string(), "empty.json: the file is empty");
    }

    #[test]
    fn detect_and_read_agree() {
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []}"#;
        let source: SourceText = SourceText::from(text);
        assert_eq!(detect("a", &source).unwrap(), Format::CyclonedxJson);
        let doc = read("a", text.as_bytes().to_vec()).unwrap();
        assert_eq!(doc.name, "a");
        assert_eq!(doc.format, Format::CyclonedxJson);
        assert_eq!(&*doc.source, text);

        let spdx = r#"{"spdxVersion": "SPDX-2.3"}"#;
        let source: SourceText = SourceText::from(spdx);
        assert_eq!(detect("s.json", &source).unwrap(), Format::SpdxJson);
        let doc = read("s.json", spdx.as_bytes().to_vec()).unwrap();
        assert_eq!(doc.format, Format::SpdxJson);
        assert_eq!(doc.spec_version.as_deref(), Some("SPDX-2.3"));

        let tv = "SPDXVersion: SPDX-2.2\nPackageName: p\n";
        let source: SourceText = SourceText::from(tv);
        assert_eq!(detect("s.spdx", &source).unwrap(), Format::SpdxTagValue);
        let doc = read("s.spdx", tv.as_bytes().to_vec()).unwrap();
        assert_eq!(doc.format, Format::SpdxTagValue);
        assert_eq!(doc.components.len(), 1);

        let yaml: SourceText = SourceText::from("spdxVersion: SPDX-2.3\n");
        let err = detect("s.yaml", &yaml).unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.yaml:1:1: SPDX YAML is not supported yet"
        );
    }
}
