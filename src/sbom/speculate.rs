//! Reading a JSON document while its syntax is checked.
//!
//! The readers delimit JSON rather than parse it, which is only right on
//! text whose syntax is known to be valid; [`json::valid_top_object`]
//! checks it, every byte, as strictly as `serde_json` (see
//! `json::validate`). That check costs nearly as much as the scanner's
//! split of the top level, and it needs nothing from it. So a big document
//! is read on a guess: the scanner splits the top level without checking
//! it, and the document is read from that split while the check runs
//! beside it, on the other core. The guess is kept when the check passed;
//! otherwise `serde_json` parses the top level, as if there had been no
//! guess, and gives the syntax error with its place, or the split to read
//! where the check was stricter than it. Either way the result is what
//! reading after `serde_json`'s check gives: on valid JSON the scanner
//! splits as `serde_json` does (`json::scan`'s tests), or gives up, and
//! the check refuses no less than `serde_json` does.
//!
//! Reading text that may be invalid is safe: the scanner checks every
//! index and gives up on what it does not expect, and the readers treat
//! what they are given as the untrusted input it is. The cost of a wrong
//! guess is the time spent reading it.
//!
//! Until the thirteenth round the check was `serde_json` itself, parsing
//! the top level into a split of its own that the guess had to match
//! (docs/performance.md).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::detect::{self, Detected};
use super::error::ReadError;
use super::json;
use crate::model::Document;

/// Documents smaller than this are checked first, then read: the check is
/// short, and reading beside it would cost a task.
const GUESS_FROM: usize = 1 << 20;

/// Reads the JSON object `body` (the text of `source` from its top-level
/// object on) with `read`, giving what checking the top level first and
/// then reading it would give.
pub(super) fn read_object<'s>(
    name: &str,
    source: &'s Arc<String>,
    body: &'s str,
    read: impl Fn(Detected<'s>) -> Result<Document, ReadError> + Sync,
) -> Result<Document, ReadError> {
    read_guessing_from(name, source, body, read, GUESS_FROM)
}

/// [`read_object`], reading beside the check for a body of `guess_from`
/// bytes or more.
fn read_guessing_from<'s>(
    name: &str,
    source: &'s Arc<String>,
    body: &'s str,
    read: impl Fn(Detected<'s>) -> Result<Document, ReadError> + Sync,
    guess_from: usize,
) -> Result<Document, ReadError> {
    let read_top = |top| read(detect::classify(name, source, body, top)?);
    // Stops the scanner's split when the check fails first.
    let failed = AtomicBool::new(false);
    let read_scanned = || detect::scan_top(body, &failed).map(read_top);
    let (valid, scanned) = if body.len() < guess_from {
        let valid = json::valid_top_object(body);
        (valid, valid.then(read_scanned).flatten())
    } else {
        rayon::join(
            || {
                let valid = json::valid_top_object(body);
                failed.store(!valid, Ordering::Relaxed);
                valid
            },
            read_scanned,
        )
    };
    match scanned {
        Some(result) if valid => result,
        // The check refused the text, or the scanner gave up on it (a
        // top-level key with an escape): `serde_json` splits it, or says
        // where its syntax is wrong.
        _ => read_top(detect::parse_top(name, source, body)?),
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// What reading `text` gives with a guess and after `serde_json`'s
    /// check, as text: the whole document's debug form, or the error and
    /// its place. Checking first with the validator gives the latter too.
    fn both_ways(text: &str) -> (String, String) {
        let source = Arc::new(text.to_owned());
        let body = detect::object_text(&source).expect("a JSON object");
        let read = |detected| match detected {
            Detected::CyclonedxJson(top) => crate::sbom::cyclonedx::read_top("t", &source, top),
            Detected::SpdxJson { top, .. } => crate::sbom::spdx::read_json_top("t", &source, top),
            other => panic!("{other:?}"),
        };
        let shown = |r: Result<Document, ReadError>| match r {
            Ok(doc) => format!("{doc:?}"),
            Err(err) => format!("error {err} at {:?}", err.line_col()),
        };
        let guessed = shown(read_guessing_from("t", &source, body, read, 0));
        let in_turn = shown(read_guessing_from("t", &source, body, read, usize::MAX));
        let by_serde = detect::parse_top("t", &source, body)
            .and_then(|top| read(detect::classify("t", &source, body, top)?));
        let checked = shown(by_serde);
        assert!(in_turn == checked, "{in_turn}\n{checked}");
        (guessed, checked)
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
    fn a_guess_reads_what_the_check_first_reads() {
        let spdx = r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",
            "packages":[{"SPDXID":"SPDXRef-a","name":"a"}],
            "relationships":[{"spdxElementId":"SPDXRef-DOCUMENT",
              "relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-a"}]}"#;
        let texts = [
            bom(600),
            spdx.to_owned(),
            // A repeated key, a list of the wrong type, and a top-level key
            // with an escape, where the scanner gives up.
            bom(3).replacen(
                r#""specVersion""#,
                r#""specVersion":"1.4","specVersion""#,
                1,
            ),
            bom(3).replacen(r#""dependencies":["#, r#""dependencies":{"x":["#, 1) + "}",
            bom(3).replacen(r#""dependencies""#, r#""dependencie\u0073""#, 1),
        ];
        // The scanner splits the fourth otherwise than `serde_json` (which
        // then reads every value in `slots`), to the same effect, and
        // gives up on the fifth, which the check refuses too.
        for text in &texts {
            let (guessed, checked) = both_ways(text);
            assert!(!checked.starts_with("error"), "{checked}");
            assert!(guessed == checked, "differ on {text}");
        }
        // A list key of another type where the reader refuses it: the same
        // error with a guess and without one.
        let refused = [
            spdx.replacen(r#""packages":["#, r#""packages":{"x":["#, 1)
                .replacen("}],\n", "}]},\n", 1),
            bom(3)
                .replacen(r#""components":["#, r#""components":{"x":["#, 1)
                .replacen(r#"}],"dependencies""#, r#"}]},"dependencies""#, 1),
        ];
        for text in &refused {
            let (guessed, checked) = both_ways(text);
            assert!(checked.starts_with("error"), "read: {text}");
            assert!(guessed == checked, "{guessed}\n{checked}");
        }
    }

    #[test]
    fn a_syntax_error_is_the_checks_error_wherever_it_is() {
        let whole = bom(300);
        let middle = whole.len() / 2;
        let texts = [
            // Cut short in a component, a dependency entry, at the end.
            whole.get(..middle / 2).unwrap_or_default().to_owned(),
            whole.get(..middle + 7).unwrap_or_default().to_owned(),
            whole.get(..whole.len() - 1).unwrap_or_default().to_owned(),
            // A bracket too many, a missing comma, trailing text, a control
            // character inside a string.
            whole.replacen(r#""name":"n7"}"#, r#""name":"n7"}]"#, 1),
            whole.replacen(r#"},{"bom-ref":"c9""#, r#"}{"bom-ref":"c9""#, 1),
            whole.clone() + " x",
            whole.replacen(r#""n11""#, "\"n\u{1}11\"", 1),
        ];
        for text in texts {
            let (guessed, checked) = both_ways(&text);
            assert!(checked.starts_with("error"), "read: {text}");
            assert!(guessed == checked, "{guessed}\n{checked}");
        }
    }
}
