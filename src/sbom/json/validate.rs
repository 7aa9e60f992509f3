//! Checking JSON syntax, and splitting the top level as it goes.
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
//! Since the fourteenth round it also keeps the one thing the readers need
//! from the top level, the elements of its arrays ([`List`]), which the
//! scanner used to find in a second walk of the whole text. Those are
//! recorded only at the commas and closing brackets of the top-level
//! arrays, so the walk of every other value costs what it did. And the
//! walk can begin inside a top-level array, so that two cores share it
//! (`halves`).
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

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::scan::{skip_space, string_end_and_escapes};
use super::Raw;

mod halves;

pub(super) use halves::top_object;

/// The elements of one array that is a value of the top-level object, as
/// the check met them: the split of the top level that the readers read
/// (see `json::checked_top`), made in the same pass as the check rather
/// than by a second walk of the scanner.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct List<'a> {
    /// The index of its `[`; `None` for the rest of an array that the
    /// other half of the check began (see `halves`).
    pub(super) open: Option<usize>,
    pub(super) elements: Vec<Raw<'a>>,
    /// The index just past its `]`; `None` while it is open.
    pub(super) end: Option<usize>,
}

/// Whether `text` is one JSON object (with whitespace around it) that
/// `serde_json` would parse as the readers' top level; `false` too for a
/// valid object with an escape in one of its own keys.
#[cfg(test)]
pub(super) fn object(text: &str) -> bool {
    top_object(text, false).is_some()
}

/// The arrays of `text`'s top-level object, if `text` is one that
/// [`object`] accepts: the walk of one core from the start.
fn whole(text: &str) -> Option<Vec<List<'_>>> {
    let at = skip_space(text.as_bytes(), 0);
    if text.as_bytes().get(at) != Some(&b'{') {
        return None;
    }
    let mut walk = Walk::new(text, true);
    match walk.run(at)? {
        Walked::End(end) if end == text.len() => Some(walk.lists),
        _ => None,
    }
}

/// Whether `text` is one JSON value of any type, with whitespace around
/// it, as `serde_json` would skip it (`IgnoredAny`): escapes need only be
/// well formed, not decode to valid text (`"\ud800"` is accepted).
#[cfg(test)]
pub(super) fn any(text: &str) -> bool {
    let at = skip_space(text.as_bytes(), 0);
    matches!(Walk::new(text, false).run(at), Some(Walked::End(end)) if end == text.len())
}

/// Where a walk stopped, when the text was valid up to there.
#[derive(Debug, PartialEq, Eq)]
enum Walked {
    /// The value it began ended; the index just past the whitespace that
    /// follows it.
    End(usize),
    /// At this element of a top-level array, where the other half of the
    /// check began ([`Walk::meet`]).
    Met(usize),
}

/// One pass of the check: the brackets still open, and the top-level
/// arrays' elements met so far.
///
/// Iterative: `open` holds the brackets still open, so no depth of nesting
/// can overflow the stack (as in `serde_json`'s skipping of a value, which
/// has no depth limit either).
struct Walk<'a, 'h> {
    text: &'a str,
    open: Vec<u8>,
    /// Whether a key with an escape in the outermost object is refused
    /// (`serde_json` decodes those keys, and refuses an escape that
    /// decodes to no valid text, such as a lone surrogate).
    plain_top_keys: bool,
    lists: Vec<List<'a>>,
    /// Where the other half of the check began, once it says so: this
    /// walk stops on reaching an element of a top-level array there.
    meet: Option<&'h AtomicUsize>,
    /// For the other half: where it says it began, once its walk is past
    /// an element start at or after the second index.
    publish: Option<(&'h AtomicUsize, usize, usize)>,
    /// For the other half: set when the first walk found the text
    /// invalid, which makes the rest of this walk pointless.
    stop: Option<&'h AtomicBool>,
}

impl<'a, 'h> Walk<'a, 'h> {
    fn new(text: &'a str, plain_top_keys: bool) -> Self {
        Walk {
            text,
            open: Vec::new(),
            plain_top_keys,
            lists: Vec::new(),
            meet: None,
            publish: None,
            stop: None,
        }
    }

    /// A walk that begins at an element of a top-level array, as the one
    /// from the start would be there: inside the object and the array.
    fn in_an_array(text: &'a str) -> Self {
        let mut walk = Walk::new(text, true);
        walk.open = vec![b'{', b'['];
        walk.lists.push(List::default());
        walk
    }

    /// Walks the value that starts at `at` (for a walk begun inside an
    /// array, the rest of the values around it too): `None` on the first
    /// byte that is not valid JSON, and on a key with an escape in the
    /// outermost object if `plain_top_keys`.
    fn run(&mut self, mut at: usize) -> Option<Walked> {
        // Locals rather than fields behind `self`, which each push to
        // `lists` would make the compiler load again.
        let (text, plain_top_keys) = (self.text, self.plain_top_keys);
        let bytes = text.as_bytes();
        let (meet, stop) = (self.meet, self.stop);
        let mut open = std::mem::take(&mut self.open);
        let lists = &mut self.lists;
        let publish = &mut self.publish;
        // At the start of each element of a top-level array: `Some` with
        // what the walk returns if it ends there.
        let mut halt = |at: usize| -> Option<Option<Walked>> {
            if meet.is_some_and(|m| m.load(Ordering::Relaxed) == at) {
                return Some(Some(Walked::Met(at)));
            }
            if let Some((said, from, since)) = *publish {
                if at >= since {
                    said.store(from, Ordering::Relaxed);
                    *publish = None;
                }
            }
            stop.is_some_and(|s| s.load(Ordering::Relaxed))
                .then_some(None)
        };
        // Where the element of a top-level array being walked starts.
        let mut element = at;
        if open.len() == 2 {
            if let Some(done) = halt(at) {
                return done;
            }
        }
        'value: loop {
            // A value starts at `at`.
            at = match *bytes.get(at)? {
                b'"' => string_end_and_escapes::<true>(bytes, at)?.0,
                bracket @ (b'{' | b'[') => {
                    let inside = skip_space(bytes, at + 1);
                    let close = if bracket == b'{' { b'}' } else { b']' };
                    if bytes.get(inside) == Some(&close) {
                        if bracket == b'[' && open.len() == 1 {
                            lists.push(List {
                                open: Some(at),
                                elements: Vec::new(),
                                end: Some(inside + 1),
                            });
                        }
                        inside + 1
                    } else {
                        open.push(bracket);
                        at = match bracket {
                            b'{' => key(bytes, inside, plain_top_keys && open.len() == 1)?,
                            _ if open.len() == 2 => {
                                lists.push(List {
                                    open: Some(at),
                                    ..List::default()
                                });
                                if let Some(done) = halt(inside) {
                                    return done;
                                }
                                element = inside;
                                inside
                            }
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
                let end = at;
                at = skip_space(bytes, at);
                let Some(&bracket) = open.last() else {
                    return Some(Walked::End(at));
                };
                match (bracket, *bytes.get(at)?) {
                    (b'[', b',') => {
                        at = skip_space(bytes, at + 1);
                        if open.len() == 2 {
                            let value = Raw(text.get(element..end)?);
                            lists.last_mut()?.elements.push(value);
                            if let Some(done) = halt(at) {
                                return done;
                            }
                            element = at;
                        }
                        continue 'value;
                    }
                    (b'{', b',') => {
                        let plain = plain_top_keys && open.len() == 1;
                        at = key(bytes, skip_space(bytes, at + 1), plain)?;
                        continue 'value;
                    }
                    (b'[', b']') | (b'{', b'}') => {
                        if bracket == b'[' && open.len() == 2 {
                            let list = lists.last_mut()?;
                            list.elements.push(Raw(text.get(element..end)?));
                            list.end = Some(at + 1);
                        }
                        open.pop();
                        at += 1;
                    }
                    _ => return None,
                }
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
