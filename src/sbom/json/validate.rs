//! Checking JSON syntax without building anything.
//!
//! The readers only delimit JSON (see `scan`), which is right on text whose
//! syntax is known to be valid. A document's whole text used to be made
//! known-valid by `serde_json` parsing its top level: 41.5 M of the 268.9 M
//! instructions of an audit (CycloneDX, 10k components, callgrind), 39.2 M
//! of them in `serde_json`'s skipping of values, a general parser's loop.
//! This one only checks: one iterative pass over the bytes with a stack of
//! open brackets, the plain runs of strings sixteen bytes at a time
//! (`scan::skip_plain`). It took the check to 28.1 M instructions.
//!
//! The contract, which the tests hold it to byte for byte against
//! `serde_json`: [`object`] accepts exactly the text that `serde_json`
//! accepts as the readers' top level, an object whose keys are decoded and
//! whose values are skipped (`IgnoredAny`, `&RawValue`), apart from top-level
//! keys with escapes, which it refuses, leaving them to `serde_json` (which
//! also checks that a decoded key is a valid string). It must never accept
//! what `serde_json` refuses; a caller falls back to `serde_json` on a
//! refusal, to report the error with its place, or to read what this was
//! too strict for.

use super::scan::{skip_space, string_end_and_escapes};

/// Whether `text` is one JSON object (with whitespace around it) that
/// `serde_json` would parse as the readers' top level; `false` too for a
/// valid object with an escape in one of its own keys.
pub(super) fn object(text: &str) -> bool {
    let bytes = text.as_bytes();
    let at = skip_space(bytes, 0);
    bytes.get(at) == Some(&b'{') && value(bytes, at, true).is_some_and(|end| end == bytes.len())
}

/// Whether `text` is one JSON value of any type, with whitespace around
/// it, as `serde_json` would skip it (`IgnoredAny`): escapes need only be
/// well formed, not decode to valid text (`"\ud800"` is accepted).
#[cfg(test)]
pub(super) fn any(text: &str) -> bool {
    let bytes = text.as_bytes();
    value(bytes, skip_space(bytes, 0), false).is_some_and(|end| end == bytes.len())
}

/// The index just past the whitespace that follows the value starting at
/// `at`, if the text from `at` is a valid value followed by nothing but
/// whitespace; `None` on the first byte that is not valid JSON, and on
/// a key with an escape in the outermost object if `plain_top_keys`
/// (`serde_json` decodes those keys, and refuses an escape that decodes
/// to no valid text, such as a lone surrogate).
///
/// Iterative: `open` holds the brackets still open, so no depth of nesting
/// can overflow the stack (as in `serde_json`'s skipping of a value, which
/// has no depth limit either).
fn value(bytes: &[u8], mut at: usize, plain_top_keys: bool) -> Option<usize> {
    let mut open: Vec<u8> = Vec::new();
    'value: loop {
        // A value starts at `at`.
        at = match *bytes.get(at)? {
            b'"' => string_end_and_escapes::<true>(bytes, at)?.0,
            bracket @ (b'{' | b'[') => {
                let inside = skip_space(bytes, at + 1);
                let close = if bracket == b'{' { b'}' } else { b']' };
                if bytes.get(inside) == Some(&close) {
                    inside + 1
                } else {
                    open.push(bracket);
                    at = match bracket {
                        b'{' => key(bytes, inside, plain_top_keys && open.len() == 1)?,
                        _ => inside,
                    };
                    continue 'value;
                }
            }
            b't' => literal(bytes, at, b"true")?,
            b'f' => literal(bytes, at, b"false")?,
            b'n' => literal(bytes, at, b"null")?,
            _ => number(bytes, at)?,
        };
        // A value ended just before `at`: what follows it.
        loop {
            at = skip_space(bytes, at);
            let Some(&bracket) = open.last() else {
                return Some(at);
            };
            match (bracket, *bytes.get(at)?) {
                (b'[', b',') => {
                    at = skip_space(bytes, at + 1);
                    continue 'value;
                }
                (b'{', b',') => {
                    let plain = plain_top_keys && open.len() == 1;
                    at = key(bytes, skip_space(bytes, at + 1), plain)?;
                    continue 'value;
                }
                (b'[', b']') | (b'{', b'}') => {
                    open.pop();
                    at += 1;
                }
                _ => return None,
            }
        }
    }
}

/// The index of the value after the key whose quote is at `at`, its colon
/// and the whitespace around it; `None` also for a key with an escape if
/// `plain`.
fn key(bytes: &[u8], at: usize, plain: bool) -> Option<usize> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let (end, escapes) = string_end_and_escapes::<true>(bytes, at)?;
    let colon = skip_space(bytes, end);
    (bytes.get(colon) == Some(&b':') && !(plain && escapes)).then(|| skip_space(bytes, colon + 1))
}

/// The index just past `word` at `at`.
fn literal(bytes: &[u8], at: usize, word: &[u8]) -> Option<usize> {
    let end = at + word.len();
    (bytes.get(at..end)? == word).then_some(end)
}

/// The index just past the number at `at`: `-?(0|[1-9][0-9]*)(\.[0-9]+)?
/// ([eE][+-]?[0-9]+)?` (RFC 8259 §6). What follows it is left to the
/// caller, as in `serde_json`: `01` is a `0` followed by a stray `1`.
fn number(bytes: &[u8], at: usize) -> Option<usize> {
    let digits = |from: usize| {
        let run = bytes.get(from..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        });
        (run > 0).then_some(from + run)
    };
    let mut i = at + usize::from(bytes.get(at) == Some(&b'-'));
    i = match *bytes.get(i)? {
        b'0' => i + 1,
        b'1'..=b'9' => digits(i)?,
        _ => return None,
    };
    if bytes.get(i) == Some(&b'.') {
        i = digits(i + 1)?;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        i += usize::from(matches!(bytes.get(i), Some(b'+' | b'-')));
        i = digits(i)?;
    }
    Some(i)
}

#[cfg(test)]
mod tests;
