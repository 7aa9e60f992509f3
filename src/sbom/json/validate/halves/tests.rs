//! The check in two halves against the check in one walk: from any guess,
//! right or wrong, on valid text and on text with one byte changed, both
//! must find the same arrays or refuse the same text.

use std::fmt::Write as _;

use proptest::prelude::*;

use super::super::super::scan::tests::{json, write, Json};
use super::super::tests::{mutated, SIGNIFICANT};
use super::*;

/// [`checked_in_halves`] with the second walk done first, so that the
/// first meets it whenever its guess was right, whatever the timing.
fn in_turn(text: &str, middle: usize, probe: usize) -> Option<Vec<List<'_>>> {
    let said = AtomicUsize::new(usize::MAX);
    let second = second_half(text, middle, probe, &said, None);
    merged(text, first_half(text, &said), second)
}

/// A top-level object whose arrays hold objects (and whatever else
/// `json` makes inside them), each written with `space` around its
/// tokens.
fn document() -> impl Strategy<Value = Json> {
    let key = prop::sample::select(vec!["a", "b", "list", "more", "a\\u0062"]);
    let element = json().prop_map(|v| Json::Object(vec![("a", v)]));
    let value = prop_oneof![
        3 => prop::collection::vec(element, 0..8).prop_map(Json::Array),
        1 => json(),
    ];
    prop::collection::vec((key, value), 1..5).prop_map(Json::Object)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn halves_find_what_one_walk_finds(
        doc in document(),
        space in prop::sample::select(vec!["", " ", "\n  ", "\r\n"]),
        middle in any::<prop::sample::Index>(),
        probe in prop::sample::select(vec![0usize, 1, 16, usize::MAX]),
        at in any::<usize>(),
        how in any::<u8>(),
        byte in prop::sample::select(SIGNIFICANT.to_vec()),
    ) {
        let mut text = String::new();
        write(&doc, space, &mut text);
        let changed = mutated(&text, at, how, byte);
        for text in std::iter::once(&text).chain(changed.as_ref()) {
            let one = whole(text);
            let middle = middle.index(text.len() + 1);
            prop_assert_eq!(&in_turn(text, middle, probe), &one, "{:?} from {}", text, middle);
            prop_assert_eq!(&checked_in_halves(text, middle), &one, "{:?} from {}", text, middle);
        }
    }
}

/// `n` components of a pretty-printed BOM, each with two hashes: a
/// `}, {` inside each component as well as between them.
fn pretty(n: usize) -> String {
    let mut out = String::from("{\n  \"components\": [\n");
    for i in 0..n {
        let comma = if i + 1 < n { "," } else { "" };
        let _ = write!(
            out,
            "    {{\n      \"name\": \"n{i}\",\n      \"hashes\": [\n        {{\"alg\": \"MD5\"}},\n        {{\"alg\": \"SHA-1\"}}\n      ]\n    }}{comma}\n"
        );
    }
    out.push_str("  ],\n  \"dependencies\": []\n}\n");
    out
}

#[test]
fn the_least_indented_guess_comes_first_and_is_met() {
    let text = pretty(50);
    let middle = text.len() / 2;
    let starts: Vec<usize> = whole(&text).expect("valid")[0]
        .elements
        .iter()
        .map(|e| e.get().as_ptr() as usize - text.as_ptr() as usize)
        .collect();
    let guesses = candidates(text.as_bytes(), middle);
    assert!(starts.contains(&guesses[0]), "{guesses:?}");
    // The hashes' `}, {` are guesses too, but later ones.
    assert!(guesses.iter().any(|g| !starts.contains(g)));
    let said = AtomicUsize::new(usize::MAX);
    let second = second_half(&text, middle, 0, &said, None);
    assert_eq!(second.as_ref().map(|s| s.0), Some(guesses[0]));
    let first = first_half(&text, &said);
    assert_eq!(first.as_ref().map(|f| &f.0), Some(&Walked::Met(guesses[0])));
    assert_eq!(merged(&text, first, second), whole(&text));
}

#[test]
fn a_wrong_guess_is_never_met() {
    // Minified: the hashes' `},{` comes first after the middle, and its
    // walk, which takes the hashes for the top-level array, fails where
    // the component closes.
    let text: String = pretty(3).split_whitespace().collect();
    let middle = text.find("{\"alg\":\"SHA-1\"}").unwrap() - 2;
    let wrong = candidates(text.as_bytes(), middle)[0];
    assert!(
        text[wrong..].starts_with("{\"alg\":\"SHA-1\"}"),
        "{}",
        &text[wrong..]
    );
    let said = AtomicUsize::new(usize::MAX);
    // With no probe, the wrong guess is said at once, and fails.
    assert_eq!(
        second_half(&text, middle, 0, &said, None),
        Some((wrong, None))
    );
    let first = first_half(&text, &said);
    assert!(matches!(first, Some((Walked::End(_), _))));
    assert_eq!(merged(&text, first, None), whole(&text));
    // With a probe, it is dropped for the next guess, which is right.
    let said = AtomicUsize::new(usize::MAX);
    let second = second_half(&text, middle, 64, &said, None);
    let right = second.as_ref().map(|s| s.0).unwrap();
    assert!(
        text[right..].starts_with("{\"name\":\"n1\""),
        "{}",
        &text[right..]
    );
    let first = first_half(&text, &said);
    assert_eq!(first.as_ref().map(|f| &f.0), Some(&Walked::Met(right)));
    assert_eq!(merged(&text, first, second), whole(&text));
}

#[test]
fn an_invalid_first_half_stops_the_second() {
    let stop = AtomicBool::new(true);
    let said = AtomicUsize::new(usize::MAX);
    let text = pretty(50);
    let middle = text.len() / 2;
    // Stopped within its probe: no guess is said.
    assert_eq!(
        second_half(&text, middle, usize::MAX, &said, Some(&stop)),
        None
    );
    assert_eq!(said.load(Ordering::Relaxed), usize::MAX);
    // Stopped after saying where it began: the text is invalid there.
    let guessed = second_half(&text, middle, 0, &said, Some(&stop));
    assert!(matches!(guessed, Some((_, None))), "{guessed:?}");
}

#[test]
fn big_texts_are_checked_in_halves() {
    let text = pretty(HALVES_FROM / 100);
    assert!(text.len() >= HALVES_FROM);
    let lists = top_object(&text, true).expect("valid");
    assert_eq!(lists, whole(&text).unwrap());
    assert_eq!(lists[0].elements.len(), HALVES_FROM / 100);
    let broken = text.replacen("\"n9000\"", "\"n9000\" x", 1);
    assert_eq!(top_object(&broken, true), None);
}
