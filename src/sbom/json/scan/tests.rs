//! The scanner against `serde_json`: on any valid JSON the two must split
//! an object or an array into the same parts, and on anything else the
//! scanner must give up without panicking.

use std::borrow::Cow;

use proptest::prelude::*;
use serde_json::value::RawValue;

use super::super::validate::List;
use super::super::{checked_top, entries, object, object_with_lists, Object, Raw};
use super::Known;

/// The scanner as the CycloneDX reader calls it, remembering big ends
/// (these texts are too small to have any).
fn scan_object<'a>(
    text: &'a str,
    keys: &'static crate::sbom::json::Keys<4>,
    lists_from: usize,
    split: Option<&mut [List<'a>]>,
) -> Option<Object<'a, 4>> {
    super::object(text, keys, lists_from, split, &mut Known::new())
}

fn elements(text: &str) -> Option<crate::sbom::json::Elements<'_>> {
    super::elements(text, &mut Known::new())
}

const KEYS: crate::sbom::json::Keys<4> = crate::sbom::json::Keys::new(["a", "b", "list", "more"]);
/// `list` and `more` are read as arrays.
const LISTS_FROM: usize = 2;

/// A JSON value, to be written out with duplicate keys and any spacing.
#[derive(Clone, Debug)]
pub(in crate::sbom::json) enum Json {
    Scalar(&'static str),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(&'static str, Json)>),
}

fn scalar() -> impl Strategy<Value = Json> {
    prop_oneof![
        prop::sample::select(vec![
            "0", "-1", "3.25", "-0.5e+10", "1E-3", "true", "false", "null"
        ])
        .prop_map(Json::Scalar),
        // Quotes, backslashes and escapes wherever the eight-byte words fall.
        prop::collection::vec(
            prop::sample::select(vec![
                "a",
                "bcdefgh",
                "\\\"",
                "\\\\",
                "\\u00e9",
                "\\n",
                "é",
                "Ж",
                "x\\\\\\\"y",
                " ",
            ]),
            0..12,
        )
        .prop_map(|parts| Json::Str(parts.concat())),
    ]
}

pub(in crate::sbom::json) fn json() -> impl Strategy<Value = Json> {
    // Known keys, an unknown one, and known ones written with escapes.
    let key = prop::sample::select(vec![
        "a",
        "b",
        "list",
        "more",
        "other",
        "a\\u0062",
        "li\\u0073t",
        "\\\"a",
    ]);
    scalar().prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            prop::collection::vec((key.clone(), inner), 0..7).prop_map(Json::Object),
        ]
    })
}

/// Writes `value`, with `space` around every token.
pub(in crate::sbom::json) fn write(value: &Json, space: &str, out: &mut String) {
    let string = |s: &str, out: &mut String| {
        out.push('"');
        out.push_str(s);
        out.push('"');
    };
    match value {
        Json::Scalar(s) => out.push_str(s),
        Json::Str(s) => string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i > 0 { "," } else { "" });
                out.push_str(space);
                write(item, space, out);
            }
            out.push_str(space);
            out.push(']');
        }
        Json::Object(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                out.push_str(if i > 0 { "," } else { "" });
                out.push_str(space);
                string(key, out);
                out.push_str(space);
                out.push(':');
                out.push_str(space);
                write(item, space, out);
            }
            out.push_str(space);
            out.push('}');
        }
    }
}

/// What an object's parts mean to a reader, as texts, to compare: the
/// value of each key, an array key's elements however they were split
/// (in the same pass, or later from its raw text), the first duplicate
/// and every key's repeat. An array key's `null` means the same as its
/// absence to every reader, so both are `None`.
type Parts<'a> = (
    Vec<Option<&'a str>>,
    Vec<Option<Vec<&'a str>>>,
    Option<(&'static str, &'a str)>,
    Vec<Option<&'a str>>,
);

fn parts<'a>(object: &Object<'a, 4>, lists_from: usize) -> Parts<'a> {
    let mut slots: Vec<Option<&str>> = object.slots.iter().map(|s| s.map(Raw::get)).collect();
    let mut lists: Vec<Option<Vec<&str>>> = object
        .lists
        .iter()
        .map(|l| l.as_ref().map(|l| l.iter().map(|r| r.get()).collect()))
        .collect();
    for (slot, list) in slots.iter_mut().zip(&mut lists).skip(lists_from) {
        match *slot {
            Some("null") => *slot = None,
            Some(text) if text.starts_with('[') => {
                let split: Vec<&RawValue> = serde_json::from_str(text).unwrap();
                *list = Some(split.iter().map(|r| r.get()).collect());
                *slot = None;
            }
            _ => {}
        }
    }
    (
        slots,
        lists,
        object.duplicate.map(|(k, v)| (k, v.get())),
        (0..object.slots.len())
            .map(|i| object.repeat(i).map(Raw::get))
            .collect(),
    )
}

/// What `serde_json` makes of an object, the way the readers used to ask
/// it: the arrays split in one pass or, when one of them has another type,
/// every value raw.
fn by_serde(text: &str, lists_from: usize) -> Object<'_, 4> {
    object_with_lists(text, &KEYS, lists_from).unwrap_or_else(|_| object(text, &KEYS).unwrap())
}

/// Every value in `root`, itself first (split by `serde_json`).
fn values(root: Raw<'_>) -> Vec<Raw<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(raw) = stack.pop() {
        out.push(raw);
        match raw.get().as_bytes().first() {
            Some(b'[') => {
                let list: Vec<&RawValue> = serde_json::from_str(raw.get()).unwrap();
                stack.extend(list.into_iter().map(Raw::from));
            }
            Some(b'{') => stack.extend(entries(raw).unwrap().into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// On valid JSON, object by object and array by array, the scanner
    /// finds what `serde_json` finds, or leaves an object with an escaped
    /// key to it; `Raw::object_with_lists` always answers like it.
    #[test]
    fn splits_like_serde(
        value in json(),
        space in prop::sample::select(vec!["", " ", "\n\t ", "\r\n"]),
    ) {
        let mut text = String::new();
        write(&value, space, &mut text);
        for raw in values(Raw::checked(&text)) {
            match raw.get().as_bytes().first() {
                Some(b'{') => {
                    // serde_json lends a key unless it had to decode escapes.
                    let escaped_key = entries(raw)
                        .unwrap()
                        .iter()
                        .any(|(key, _)| matches!(key, Cow::Owned(_)));
                    for lists_from in [LISTS_FROM, KEYS.len()] {
                        let serde = by_serde(raw.get(), lists_from);
                        let serde = parts(&serde, lists_from);
                        match scan_object(raw.get(), &KEYS, lists_from, None) {
                            Some(scanned) => prop_assert_eq!(&parts(&scanned, lists_from), &serde),
                            None => prop_assert!(escaped_key, "gave up on {}", raw.get()),
                        }
                        // Checked and split by the validator as a top level.
                        match checked_top(raw.get(), &KEYS, lists_from, false) {
                            Some(checked) => prop_assert_eq!(&parts(&checked, lists_from), &serde),
                            None => prop_assert!(escaped_key, "refused {}", raw.get()),
                        }
                        let via = raw.object_with_lists(&KEYS, lists_from).expect("an object");
                        prop_assert_eq!(&parts(&via, lists_from), &serde);
                    }
                    let plain = raw.object(&KEYS).expect("an object");
                    let serde = object(raw.get(), &KEYS).unwrap();
                    prop_assert_eq!(parts(&plain, KEYS.len()), parts(&serde, KEYS.len()));
                }
                Some(b'[') => {
                    let serde: Vec<&RawValue> = serde_json::from_str(raw.get()).unwrap();
                    let serde: Vec<&str> = serde.iter().map(|r| r.get()).collect();
                    let scanned: Vec<&str> =
                        elements(raw.get()).expect("an array").iter().map(|r| r.get()).collect();
                    prop_assert_eq!(scanned, serde);
                }
                _ => {
                    prop_assert!(scan_object(raw.get(), &KEYS, LISTS_FROM, None).is_none());
                    prop_assert!(elements(raw.get()).is_none());
                }
            }
        }
    }

    /// Any text at all, valid or not: no panic and no endless loop.
    #[test]
    fn never_panics(text in "[\\[\\]{}\",:\\\\ a0tn-]{0,40}") {
        let _ = scan_object(&text, &KEYS, LISTS_FROM, None);
        let _ = elements(&text);
    }
}

#[test]
fn hand_picked_cases() {
    let text = r#" { "a" : "x\"}" , "list" : [ 1 , {"b": [2]} , "]" ] , "b": null, "a": 7 } "#;
    let object = scan_object(text, &KEYS, LISTS_FROM, None).expect("scans");
    assert_eq!(object.slots[0].map(Raw::get), Some(r#""x\"}""#));
    assert_eq!(object.slots[1].map(Raw::get), Some("null"));
    let list: Vec<&str> = object.lists[2].iter().flatten().map(|r| r.get()).collect();
    assert_eq!(list, ["1", r#"{"b": [2]}"#, r#""]""#]);
    assert_eq!(
        object.duplicate.map(|(k, v)| (k, v.get())),
        Some(("a", "7"))
    );
    // An array key of another type stays in `slots`; `null` is absent.
    let object = scan_object(r#"{"list": {}, "more": null}"#, &KEYS, LISTS_FROM, None).unwrap();
    assert_eq!(object.slots[2].map(Raw::get), Some("{}"));
    assert!(object.lists[2].is_none() && object.slots[3].is_none() && object.lists[3].is_none());
    // Left to serde_json: escaped keys, and what is not one whole value.
    assert!(scan_object(r#"{"\u0061": 1}"#, &KEYS, LISTS_FROM, None).is_none());
    for bad in [
        r#"{"a": 1"#,
        r#"{"a": 1} x"#,
        r#"{"a" 1}"#,
        "[1, 2",
        "[1 2]",
        "{}}",
        "[]]",
        "",
    ] {
        assert!(scan_object(bad, &KEYS, LISTS_FROM, None).is_none(), "{bad}");
        assert!(elements(bad).is_none(), "{bad}");
    }
    assert_eq!(elements(" [ ] ").map(|l| l.len()), Some(0));
    // An escaped quote at every offset of the eight-byte words.
    for pad in 0..40 {
        let s = format!(r#"["{}\"{}", 1]"#, "x".repeat(pad), "y".repeat(pad));
        let list = elements(&s).unwrap();
        assert_eq!(list.len(), 2, "{s}");
        assert_eq!(list[1].get(), "1");
    }
}

#[test]
fn an_array_the_check_split_is_taken_from_its_split() {
    let text = r#"{"list": [1, 2], "more": [3]}"#;
    let open = text.find('[').unwrap();
    // A split that is not the text's own shows which one was used.
    let mut split = vec![List {
        open: Some(open),
        elements: vec![Raw("7")],
        end: Some(text.find(']').unwrap() + 1),
    }];
    let object = scan_object(text, &KEYS, LISTS_FROM, Some(&mut split)).expect("scans");
    let got =
        |i: usize| -> Vec<&str> { object.lists[i].iter().flatten().map(|r| r.get()).collect() };
    assert_eq!(got(2), ["7"]);
    // An array at no recorded `[` is split by the scanner.
    assert_eq!(got(3), ["3"]);
    assert!(split[0].elements.is_empty(), "taken out, not copied");
}

#[test]
fn a_backslash_is_found_wherever_the_words_fall() {
    assert!(!super::has_backslash(b""));
    for len in 0..20 {
        let plain = "x".repeat(len);
        assert!(!super::has_backslash(plain.as_bytes()), "{len}");
        for at in 0..len {
            let mut with = plain.clone().into_bytes();
            with[at] = b'\\';
            assert!(super::has_backslash(&with), "{len} {at}");
            // A byte one above or below a backslash is no backslash.
            with[at] = b'\\' + 1;
            assert!(!super::has_backslash(&with), "{len} {at}");
            with[at] = b'\\' - 1;
            assert!(!super::has_backslash(&with), "{len} {at}");
        }
    }
}

#[test]
fn a_key_with_an_escape_anywhere_is_left_to_serde() {
    // The escape at every offset of the eight-byte words, in the key
    // and in a value (which is kept as written).
    for pad in 0..40 {
        let x = "x".repeat(pad);
        let escaped_key = format!(r#"{{"{x}\u0061{x}": 1, "a": 2}}"#);
        assert!(scan_object(&escaped_key, &KEYS, LISTS_FROM, None).is_none());
        let escaped_value = format!(r#"{{"{x}": "\u0061{x}", "a": 2}}"#);
        let object = scan_object(&escaped_value, &KEYS, LISTS_FROM, None).expect("scans");
        assert_eq!(object.slots[0].map(Raw::get), Some("2"));
    }
}
