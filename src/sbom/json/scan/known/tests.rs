//! Remembered ends against walks that remember nothing.

use super::super::container::{end, FAR};
use super::{Known, DEPTH};

/// Text that nests `levels` objects, each with a string of `pad` bytes
/// (with brackets and an escaped quote in it), a small array beside, and
/// the next level in a list; `inner` bytes of string in the innermost.
/// Also the index of every `{` and `[`, in document order.
fn nest(levels: usize, pad: usize, inner: usize) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut opens = Vec::new();
    let filler = |n: usize| "x]}\\\"[{".chars().cycle().take(n).collect::<String>();
    for _ in 0..levels {
        opens.push(text.len());
        text.push_str("{\"pad\": \"");
        text.push_str(&filler(pad));
        text.push_str("\", \"small\": ");
        opens.push(text.len());
        text.push_str("[1, 2], \"next\": ");
        opens.push(text.len());
        text.push('[');
    }
    text.push('"');
    text.push_str(&filler(inner));
    text.push('"');
    for _ in 0..levels {
        text.push_str("]}");
    }
    (text, opens)
}

/// The end found by a walk that remembers nothing.
fn walked(bytes: &[u8], at: usize) -> Option<usize> {
    end(bytes, at, &mut Known::off())
}

/// How many containers of `FAR` bytes or more open at `opens`.
fn big(bytes: &[u8], opens: &[usize]) -> usize {
    opens
        .iter()
        .filter(|&&at| walked(bytes, at).is_some_and(|end| end - at >= FAR))
        .count()
}

#[test]
fn every_end_is_the_walked_one_and_every_big_container_is_noted() {
    let (text, opens) = nest(40, 1000, 10);
    let bytes = text.as_bytes();
    let mut known = Known::new();
    assert_eq!(end(bytes, 0, &mut known), Some(bytes.len()));
    let noted = known.len();
    // The outer levels are over FAR, the inner ones are not.
    assert!(noted > 10 && noted < opens.len(), "{noted}");
    assert_eq!(noted, big(bytes, &opens));
    for &at in &opens {
        assert_eq!(end(bytes, at, &mut known), walked(bytes, at), "at {at}");
    }
    assert_eq!(known.len(), noted, "asked again, nothing new to note");
}

#[test]
fn a_big_end_is_taken_from_memory_and_a_small_one_is_walked() {
    let (text, opens) = nest(40, 1000, 10);
    let bytes = text.as_bytes();
    let base = bytes.as_ptr() as usize;
    let (big_at, small_at) = (opens[3], opens[opens.len() - 3]);
    assert!(walked(bytes, big_at).unwrap() - big_at >= FAR);
    assert!(walked(bytes, small_at).unwrap() - small_at < FAR);
    // Wrong ends, planted: only a walk that takes them can give them.
    let mut known = Known::new();
    let ends = known.0.as_mut().unwrap();
    ends.insert(base + big_at, base + big_at + FAR + 7);
    ends.insert(base + small_at, base + small_at + 3);
    assert_eq!(end(bytes, big_at, &mut known), Some(big_at + FAR + 7));
    assert_eq!(end(bytes, small_at, &mut known), walked(bytes, small_at));
    // Off, nothing is taken from anywhere.
    assert_eq!(end(bytes, big_at, &mut Known::off()), walked(bytes, big_at));
}

#[test]
fn notes_go_down_depth_levels_and_deeper_ends_are_still_found() {
    // Two levels of nesting a level, every one over FAR.
    let (text, opens) = nest(DEPTH / 2 + 20, 0, FAR + 100);
    let bytes = text.as_bytes();
    assert_eq!(big(bytes, &opens), opens.len() / 3 * 2);
    let mut known = Known::new();
    assert_eq!(end(bytes, 0, &mut known), Some(bytes.len()));
    let first = known.len();
    assert_eq!(first, DEPTH);
    let deepest = *opens.last().unwrap();
    assert_eq!(end(bytes, deepest, &mut known), walked(bytes, deepest));
    assert!(known.len() > first, "the deeper walk noted its own");
    for &at in &opens {
        assert_eq!(end(bytes, at, &mut known), walked(bytes, at), "at {at}");
    }
}

#[test]
fn text_that_does_not_close_has_no_end_remembered_or_not() {
    let (text, opens) = nest(30, 1000, 10);
    let cut = &text.as_bytes()[..text.len() - 5];
    let mut known = Known::new();
    assert_eq!(end(cut, 0, &mut known), None);
    for &at in &opens {
        assert_eq!(end(cut, at, &mut known), walked(cut, at), "at {at}");
    }
    assert_eq!(known.len(), big(cut, &opens));
}
