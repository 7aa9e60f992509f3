//! The validator against `serde_json`, byte for byte: on valid JSON, on
//! valid JSON with one byte changed, and on strings of JSON's own
//! characters, both must accept the same texts.

use std::borrow::Cow;

use proptest::prelude::*;
use serde::de::IgnoredAny;

use super as validate;
use super::super::scan::tests::{json, write};
use super::super::{entries, object as serde_object, object_with_lists, Raw};

const KEYS: crate::sbom::json::Keys<4> = crate::sbom::json::Keys::new(["a", "b", "list", "more"]);

/// Whether `serde_json` skips `text` as one value.
fn serde_any(text: &str) -> bool {
    serde_json::from_str::<IgnoredAny>(text).is_ok()
}

/// Whether `serde_json` accepts `text` as the readers parse a top level
/// (see `detect::parse_top`).
fn serde_top(text: &str) -> bool {
    object_with_lists(text, &KEYS, 2)
        .or_else(|_| serde_object(text, &KEYS))
        .is_ok()
}

/// Checks both functions against `serde_json` on `text`.
fn agrees(text: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(validate::any(text), serde_any(text), "any: {:?}", text);
    let top = serde_top(text);
    if validate::object(text) {
        prop_assert!(top, "accepted what serde_json refuses: {:?}", text);
    } else if top {
        // Refused only for an escape in one of the object's own keys.
        let escaped = entries(Raw(text.trim()))
            .is_ok_and(|e| e.iter().any(|(key, _)| matches!(key, Cow::Owned(_))));
        prop_assert!(escaped, "refused what serde_json accepts: {:?}", text);
    }
    Ok(())
}

/// `text` with the byte at `at` removed, replaced or preceded by `byte`,
/// when that leaves valid UTF-8.
pub(super) fn mutated(text: &str, at: usize, how: u8, byte: u8) -> Option<String> {
    let mut bytes = text.as_bytes().to_vec();
    let at = at % (bytes.len() + 1);
    match how % 3 {
        0 if at < bytes.len() => {
            bytes.remove(at);
        }
        1 if at < bytes.len() => bytes[at] = byte,
        _ => bytes.insert(at, byte),
    }
    String::from_utf8(bytes).ok()
}

/// Bytes that change the meaning of JSON text where they land.
pub(super) const SIGNIFICANT: &[u8] = b"{}[],:\"\\ \n0123456789-+.eEtrufalsn\x01\x1fx/bu";

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// Valid JSON, as an object's value and alone, and every one-byte
    /// change of it.
    #[test]
    fn agrees_with_serde_on_json_and_its_mutations(
        value in json(),
        space in prop::sample::select(vec!["", " ", "\n\t ", "\r\n"]),
        at in any::<usize>(),
        how in any::<u8>(),
        byte in prop::sample::select(SIGNIFICANT.to_vec()),
    ) {
        let mut text = String::new();
        write(&value, space, &mut text);
        let wrapped = format!("{space}{{{space}\"a\"{space}:{space}{text}{space}}}{space}");
        for text in [&text, &wrapped] {
            prop_assert!(validate::any(text), "refused valid JSON: {:?}", text);
            agrees(text)?;
            if let Some(changed) = mutated(text, at, how, byte) {
                agrees(&changed)?;
            }
        }
    }

    /// Short strings of JSON's characters, nearly all invalid.
    #[test]
    fn agrees_with_serde_on_json_characters(text in "[\\[\\]{}\",:\\\\ 0-9a-fu.eE+tnl\\x01-]{0,24}") {
        agrees(&text)?;
    }
}

#[test]
fn hand_picked_cases() {
    let valid = [
        "0",
        "-0",
        "-0.0e-0",
        "1E+9",
        "123.456e789",
        "true",
        " null ",
        r#""\"\\\/\b\f\n\r\t\u00E9\ud800""#,
        "\"\u{7f}é\"",
        "[]",
        "[ ]",
        "{ }",
        r#"{"a":[1,{"b":[]},"]"],"c":{}}"#,
    ];
    let invalid = [
        "",
        " ",
        "01",
        "-",
        "-a",
        "1.",
        ".5",
        "+1",
        "1e",
        "1e+",
        "0x1",
        "tru",
        "True",
        "nul",
        "nulll",
        "\"a",
        "\"\\x\"",
        "\"\\u12G4\"",
        "\"\\u123\"",
        "\"\t\"",
        "\"\u{1f}\"",
        "[1,]",
        "[,1]",
        "[1 2]",
        "[1}",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "{1:2}",
        "{\"a\":1]",
        "[]]",
        "[] x",
        "[",
        "{\"a\":[",
    ];
    for text in valid {
        assert!(validate::any(text), "{text}");
        assert!(serde_any(text), "{text}");
    }
    for text in invalid {
        assert!(!validate::any(text), "{text}");
        assert!(!serde_any(text), "{text}");
    }
    // Only an object is a top level.
    assert!(validate::object(r#" {"a": [1]} "#));
    assert!(!validate::object("[1]") && !validate::object("1") && !validate::object("{} {}"));
    // A lone surrogate: fine in a nested key or a value; in a key of the
    // object itself `serde_json` refuses it, and so does `object`.
    assert!(validate::object(r#"{"a": {"\ud800": "\udfff"}}"#));
    assert!(!validate::object(r#"{"\ud800": 1}"#) && !serde_top(r#"{"\ud800": 1}"#));
    // An escape that decodes well in a top-level key: refused, left to
    // `serde_json`, which reads it.
    assert!(!validate::object(r#"{"\u0061": 1}"#) && serde_top(r#"{"\u0061": 1}"#));
}

#[test]
fn a_quote_backslash_or_control_character_is_found_wherever_the_words_fall() {
    // Lengths past two of SSE2's sixteen-byte stretches.
    for len in 0..40 {
        for at in 0..=len {
            let (before, after) = ("x".repeat(at), "y".repeat(len - at));
            let with = |middle: &str| format!("\"{before}{middle}{after}\"");
            assert!(validate::any(&with("\\n")), "{len} {at}");
            for bad in ["\u{1}", "\u{1f}", "\\q"] {
                assert!(!validate::any(&with(bad)), "{len} {at}");
            }
            // A quote ends the string: what follows is stray text.
            assert!(!validate::any(&with("\"z")), "{len} {at}");
            // The bytes either side of the control range and of `"` are
            // plain characters, and so are DEL and UTF-8's high bytes.
            assert!(validate::any(&with(" !#\u{7f}é")), "{len} {at}");
        }
    }
}

#[test]
fn deep_nesting_is_no_danger() {
    let depth = 200_000;
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(validate::any(&deep) && serde_any(&deep));
    let unclosed = "[{\"a\":".repeat(depth);
    assert!(!validate::any(&unclosed) && !serde_any(&unclosed));
    let wrapped = format!("{{\"a\":{deep}}}");
    assert!(validate::object(&wrapped) && serde_top(&wrapped));
}
