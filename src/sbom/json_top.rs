//! Reading a JSON document's top level: checked and split by oemtrace's
//! own validator, or else by `serde_json`.
//!
//! The readers delimit JSON rather than parse it, which is only right on
//! text whose syntax is known to be valid. `json::checked_top` checks it,
//! every byte, as strictly as `serde_json` (see `json::validate`), and
//! splits the top-level arrays into their elements in the same pass, on
//! both cores for a big document (see `json::validate::halves`). Where it
//! refuses the text, `serde_json` parses the top level, as if there had
//! been no such check, and gives the syntax error with its place, or the
//! split to read where the check was stricter than it (a top-level key
//! with an escape). Either way the result is what reading after
//! `serde_json`'s parse gives: on valid JSON the check splits as
//! `serde_json` does (`json::scan`'s tests), and it refuses no less than
//! `serde_json` does (`json::validate`'s tests).
//!
//! Until the fourteenth round the scanner split the top level on one core
//! while the check ran on the other, and the document was read from that
//! split before the check was done (docs/performance.md): every byte was
//! walked twice before reading began, once by each core.

use super::detect::{self, Detected};
use super::error::ReadError;
use crate::model::SourceText;

/// What the JSON object `body` (the text of `source` from its top-level
/// object on) is, with its top level split: what `serde_json`'s parse of
/// the top level would give.
pub(super) fn detected<'s>(
    name: &str,
    source: &'s SourceText,
    body: &'s str,
) -> Result<Detected<'s>, ReadError> {
    let top = match detect::checked_top(body) {
        Some(top) => top,
        // A syntax error, or a top-level key with an escape: `serde_json`
        // splits it, or says where its syntax is wrong.
        None => detect::parse_top(name, source, body)?,
    };
    detect::classify(name, source, body, top)
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::model::Document;

    /// What reading `text` gives through the check and through
    /// `serde_json`'s parse, as text: the whole document's debug form, or
    /// the error and its place.
    fn both_ways(text: &str) -> (String, String) {
        let source = SourceText::from(text);
        let body = detect::object_text(&source).expect("a JSON object");
        let read = |detected| match detected {
            Detected::CyclonedxJson(top) => crate::sbom::cyclonedx::read_top("t", &source, *top),
            Detected::SpdxJson { top, .. } => crate::sbom::spdx::read_json_top("t", &source, top),
            other => panic!("{other:?}"),
        };
        let shown = |r: Result<Document, ReadError>| match r {
            Ok(doc) => format!("{doc:?}"),
            Err(err) => format!("error {err} at {:?}", err.line_col()),
        };
        let checked = shown(detected("t", &source, body).and_then(read));
        let by_serde = detect::parse_top("t", &source, body)
            .and_then(|top| read(detect::classify("t", &source, body, top)?));
        (checked, shown(by_serde))
    }

    /// A CycloneDX BOM of `n` components, each depending on the next.
    fn bom(n: usize) -> String {
        let mut out =
            String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":["#);
        for i in 0..n {
            let comma = if i > 0 { "," } else { "" };
            let _ = write!(out, r#"{comma}{{"bom-ref":"c{i}","name":"n{i}"}}"#);
        }
        out.push_str(r#"],"dependencies":["#);
        for i in 0..n {
            let comma = if i > 0 { "," } else { "" };
            let next = (i + 1) % n;
            let _ = write!(out, r#"{comma}{{"ref":"c{i}","dependsOn":["c{next}"]}}"#);
        }
        out.push_str("]}");
        out
    }

    #[test]
    fn the_check_reads_what_serde_json_reads() {
        let spdx = r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",
            "packages":[{"SPDXID":"SPDXRef-a","name":"a"}],
            "relationships":[{"spdxElementId":"SPDXRef-DOCUMENT",
              "relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-a"}]}"#;
        let texts = [
            bom(600),
            spdx.to_owned(),
            // A repeated key, a list of the wrong type, and a top-level key
            // with an escape, which the check leaves to `serde_json`.
            bom(3).replacen(
                r#""specVersion""#,
                r#""specVersion":"1.4","specVersion""#,
                1,
            ),
            bom(3).replacen(r#""dependencies":["#, r#""dependencies":{"x":["#, 1) + "}",
            bom(3).replacen(r#""dependencies""#, r#""dependencie\u0073""#, 1),
        ];
        for text in &texts {
            let (checked, by_serde) = both_ways(text);
            assert!(!by_serde.starts_with("error"), "{by_serde}");
            assert!(checked == by_serde, "differ on {text}");
        }
        // A list key of another type where the reader refuses it: the same
        // error either way.
        let refused = [
            spdx.replacen(r#""packages":["#, r#""packages":{"x":["#, 1)
                .replacen("}],\n", "}]},\n", 1),
            bom(3)
                .replacen(r#""components":["#, r#""components":{"x":["#, 1)
                .replacen(r#"}],"dependencies""#, r#"}]},"dependencies""#, 1),
        ];
        for text in &refused {
            let (checked, by_serde) = both_ways(text);
            assert!(by_serde.starts_with("error"), "read: {text}");
            assert!(checked == by_serde, "{checked}\n{by_serde}");
        }
    }

    #[test]
    fn a_syntax_error_is_serde_jsons_error_wherever_it_is() {
        // The second big enough to be checked on two cores.
        for n in [300, 16_000] {
            let whole = bom(n);
            assert!(n == 300 || whole.len() >= 1 << 20, "{}", whole.len());
            let middle = whole.len() / 2;
            let texts = [
                // Cut short in a component, a dependency entry, at the end.
                whole.get(..middle / 2).unwrap_or_default().to_owned(),
                whole.get(..middle + 7).unwrap_or_default().to_owned(),
                whole.get(..whole.len() - 1).unwrap_or_default().to_owned(),
                // A bracket too many, a missing comma, trailing text, a
                // control character inside a string, in either half.
                whole.replacen(r#""name":"n7"}"#, r#""name":"n7"}]"#, 1),
                whole.replacen(r#"},{"bom-ref":"c9""#, r#"}{"bom-ref":"c9""#, 1),
                whole.clone() + " x",
                whole.replacen(r#""n11""#, "\"n\u{1}11\"", 1),
                whole.replacen(r#""n299"}"#, r#""n299"]}"#, 1),
                whole.replacen(r#""ref":"c250""#, r#""ref":"c250"""#, 1),
            ];
            let (checked, by_serde) = both_ways(&whole);
            assert!(!checked.starts_with("error") && checked == by_serde, "{n}");
            for (i, text) in texts.iter().enumerate() {
                assert!(text != &whole, "{n}: text {i} is unchanged");
                let (checked, by_serde) = both_ways(text);
                assert!(by_serde.starts_with("error"), "{n}: text {i} read");
                assert!(checked == by_serde, "{n}: text {i}: {checked}\n{by_serde}");
            }
        }
    }
}
