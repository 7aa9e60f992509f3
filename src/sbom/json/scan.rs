//! Splitting JSON text that is already known to be valid.
//!
//! A document's syntax is checked once, every byte (see `validate` and
//! `sbom::json_top`), before the readers trust its text. Everything they look
//! inside afterwards (a component, its supplier, a dependency entry) is a
//! slice of that checked text, a [`Raw`]. Checking it again with a full
//! parser at every level was most of a reader's time: text nested `d`
//! levels deep was parsed `d + 1` times. Here a value is only *delimited*:
//! a string ends at the first unescaped quote (eight bytes at a time), a
//! container at the bracket that balances its first one, a scalar at the
//! next delimiter. That is a fraction of the cost of parsing it.
//!
//! Nothing here trusts its input for safety, only for speed: every index
//! is checked, there is no recursion, and text that does not have the
//! shape this scanner expects (which valid JSON always has, apart from
//! object keys with escapes, left to `serde_json` to decode) makes it
//! give up with `None`. The caller then parses the same text with
//! `serde_json`, which either agrees or reports the error with its place.

use super::validate::List;
use super::{Elements, Keys, Object, Raw};

mod container;
mod known;

#[cfg(test)]
pub(crate) use container::walked_bytes;
pub(crate) use known::Known;

/// Whether `byte` is JSON whitespace (RFC 8259 §2).
const fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// The index of the first non-whitespace byte at or after `at`.
pub(super) fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).copied().is_some_and(is_space) {
        at += 1;
    }
    at
}

/// The index just past the string literal whose opening quote is at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    string_end_and_escapes::<false>(bytes, at).map(|(end, _)| end)
}

/// [`string_end`], and whether the literal holds an escape: an object key
/// with one is left to `serde_json` to decode, and a key without one needs
/// no second look for a backslash.
///
/// With `CHECK` it also checks the literal, as `serde_json` skips one
/// (the validator's strings): `None` for a byte below 0x20 or a malformed
/// escape; any `\u` with four hex digits is well formed. Without, it only
/// delimits, and whatever a backslash escapes cannot end the string.
///
/// Most strings in an SBOM are short (keys, versions, names), too short
/// for `memchr` to pay for its setup; sixteen bytes compared at once
/// ([`skip_plain`]) take most of them in one step.
///
/// Inlined into its callers: a string of an SBOM is a step or two of the
/// loop, and called, the function spent about as much again on its call.
#[inline(always)]
pub(super) fn string_end_and_escapes<const CHECK: bool>(
    bytes: &[u8],
    at: usize,
) -> Option<(usize, bool)> {
    let mut i = at + 1;
    let mut escapes = false;
    loop {
        i = skip_plain::<CHECK>(bytes, i);
        match *bytes.get(i)? {
            b'"' => return Some((i + 1, escapes)),
            b'\\' => {
                escapes = true;
                i += match CHECK {
                    true => escape_len(bytes, i)?,
                    false => 2,
                };
            }
            byte if CHECK && byte < 0x20 => return None,
            _ => i += 1,
        }
    }
}

/// The length of the well-formed escape whose backslash is at `at`.
fn escape_len(bytes: &[u8], at: usize) -> Option<usize> {
    match *bytes.get(at + 1)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(2),
        b'u' => {
            let hex = bytes.get(at + 2..at + 6)?;
            hex.iter().all(u8::is_ascii_hexdigit).then_some(6)
        }
        _ => None,
    }
}

/// The index, at or after `i`, of the first quote or backslash (with
/// `CONTROLS`, or byte below 0x20) in the text, or else of one of its
/// last seven bytes or its end: the plain run of a string skipped sixteen
/// bytes at a time with SSE2, then eight at a time in a word.
pub(super) fn skip_plain<const CONTROLS: bool>(bytes: &[u8], mut i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while let Some(chunk) = bytes
        .get(i..i + 16)
        .and_then(|c| <&[u8; 16]>::try_from(c).ok())
    {
        match crate::sse2::specials::<CONTROLS>(chunk) {
            0 => i += 16,
            found => return i + found.trailing_zeros() as usize,
        }
    }
    skip_words(bytes, i, |w| {
        // A byte below 0x20 borrows when 0x20 is taken from it.
        let controls = match CONTROLS {
            true => w.wrapping_sub(ONES * 0x20) & !w & HIGHS,
            false => 0,
        };
        zero_bytes(w ^ QUOTES) | zero_bytes(w ^ BACKSLASHES) | controls
    })
}

/// The index, at or after `i`, of the first byte that `flagged` marks in
/// a whole word of eight, or else of the last bytes that make no whole
/// word: the plain run of a string, skipped eight bytes at a time.
/// `flagged` sets the high bit of the bytes it marks, and the lowest one
/// it sets must be exact (as [`zero_bytes`] does).
#[inline(always)]
fn skip_words(bytes: &[u8], mut i: usize, flagged: impl Fn(u64) -> u64) -> usize {
    while let Some(word) = bytes
        .get(i..i + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
    {
        let hits = flagged(u64::from_le_bytes(word));
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// Whether `bytes` hold a backslash, eight bytes at a time: for the short
/// strings of an SBOM, `memchr` spent more on setting its search up than
/// on searching (5% of the instructions of a 10k SPDX audit went to
/// testing string values for escapes, callgrind).
pub(super) fn has_backslash(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    let found = words.by_ref().any(|w| {
        <[u8; 8]>::try_from(w).is_ok_and(|w| zero_bytes(u64::from_le_bytes(w) ^ BACKSLASHES) != 0)
    });
    found || words.remainder().contains(&b'\\')
}

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
const QUOTES: u64 = u64::from_le_bytes([b'"'; 8]);
const BACKSLASHES: u64 = u64::from_le_bytes([b'\\'; 8]);

/// The high bit of every zero byte of `word` is set, and possibly of
/// bytes above the lowest zero one; the lowest set bit is always exact.
const fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// The index just past the value that starts at `at`.
fn value_end(bytes: &[u8], at: usize, known: &mut Known) -> Option<usize> {
    match *bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => container::end(bytes, at, known),
        // A number, `true`, `false` or `null`: up to the next delimiter.
        _ => {
            let rest = bytes.get(at..)?;
            let len = rest
                .iter()
                .position(|&b| matches!(b, b',' | b'}' | b']') || is_space(b))
                .unwrap_or(rest.len());
            (len > 0).then_some(at + len)
        }
    }
}

/// The value that starts at `at`, and the index just past it.
fn value_at<'a>(text: &'a str, at: usize, known: &mut Known) -> Option<(Raw<'a>, usize)> {
    let end = value_end(text.as_bytes(), at, known)?;
    Some((Raw(text.get(at..end)?), end))
}

/// The elements of the array whose `[` is at `at`, and the index just past
/// its `]`.
fn elements_at<'a>(text: &'a str, at: usize, known: &mut Known) -> Option<(Elements<'a>, usize)> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    let mut list = Elements::new();
    let mut i = skip_space(bytes, at + 1);
    if bytes.get(i) == Some(&b']') {
        return Some((list, i + 1));
    }
    loop {
        let (element, end) = value_at(text, i, known)?;
        list.push(element);
        i = skip_space(bytes, end);
        match bytes.get(i)? {
            b',' => i = skip_space(bytes, i + 1),
            b']' => return Some((list, i + 1)),
            _ => return None,
        }
    }
}

/// The elements of the array of `split` whose `[` is at `at`, taken out,
/// and the index just past its `]`.
fn take_split<'a>(split: &mut [List<'a>], at: usize) -> Option<(Elements<'a>, usize)> {
    let found = split.binary_search_by_key(&Some(at), |l| l.open).ok()?;
    let list = split.get_mut(found)?;
    let end = list.end?;
    // A top-level list is long: its vector is kept, not copied.
    Some((Elements::from_vec(std::mem::take(&mut list.elements)), end))
}

/// Whether only whitespace follows `at`.
fn at_end(bytes: &[u8], at: usize) -> bool {
    skip_space(bytes, at) == bytes.len()
}

/// The elements of `text`, one whole array.
pub(super) fn elements<'a>(text: &'a str, known: &mut Known) -> Option<Elements<'a>> {
    let bytes = text.as_bytes();
    let (list, end) = elements_at(text, skip_space(bytes, 0), known)?;
    at_end(bytes, end).then_some(list)
}

/// The values of `keys` in `text`, one whole object, as
/// [`super::object_with_lists`] reads them: the arrays of the keys from
/// `lists_from` on are split into `lists`, and their `null` is absent.
/// Where that fails, because such a key has another type, this keeps that
/// value in `slots` instead, which the readers read the same way as their
/// old fallback to [`super::object`] (every value in `slots`).
///
/// An array whose `[` is at the index where one of `split` opens is not
/// split again: its elements are taken out of `split` (the check's own
/// split of the top level, see [`super::validate::List`]).
pub(super) fn object<'a, const N: usize>(
    text: &'a str,
    keys: &'static Keys<N>,
    lists_from: usize,
    split: Option<&mut [List<'a>]>,
    known: &mut Known,
) -> Option<Object<'a, N>> {
    let mut object = Object::empty();
    object_into(text, keys, lists_from, split, &mut object, known)?;
    Some(object)
}

/// [`object`], written into `object`, which the caller passes empty
/// ([`Object::empty`]) and must not use when this gives up: the readers
/// keep a component's object where they read it, rather than have it
/// copied on its way out (see [`super::Raw::object_into`]).
pub(super) fn object_into<'a, const N: usize>(
    text: &'a str,
    keys: &'static Keys<N>,
    lists_from: usize,
    mut split: Option<&mut [List<'a>]>,
    object: &mut Object<'a, N>,
    known: &mut Known,
) -> Option<()> {
    let bytes = text.as_bytes();
    let mut seen = [false; N];
    let mut i = skip_space(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_space(bytes, i + 1);
    if bytes.get(i) == Some(&b'}') {
        return at_end(bytes, i + 1).then_some(());
    }
    loop {
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let (key_end, escapes) = string_end_and_escapes::<false>(bytes, i)?;
        if escapes {
            return None; // `serde_json` decodes it
        }
        let key = text.get(i + 1..key_end - 1)?;
        i = skip_space(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        i = skip_space(bytes, i + 1);
        let index = keys.position(key);
        let first = index
            .and_then(|x| seen.get_mut(x))
            .map(|s| !std::mem::replace(s, true));
        i = match (index, first) {
            (Some(index), Some(true)) if index >= lists_from && bytes.get(i) == Some(&b'[') => {
                let recorded = split.as_deref_mut().and_then(|s| take_split(s, i));
                let (list, end) = match recorded {
                    Some(found) => found,
                    None => elements_at(text, i, known)?,
                };
                *object.lists.get_mut(index)? = Some(list);
                end
            }
            (Some(index), Some(true)) => {
                let (value, end) = value_at(text, i, known)?;
                if index < lists_from || value.get() != "null" {
                    *object.slots.get_mut(index)? = Some(value);
                }
                end
            }
            (Some(index), _) => {
                let (value, end) = value_at(text, i, known)?;
                if object.duplicate.is_none() {
                    object.duplicate = Some((keys.get(index).copied()?, value));
                }
                object.note_repeat(index, value);
                end
            }
            (None, _) => value_end(bytes, i, known)?,
        };
        i = skip_space(bytes, i);
        match bytes.get(i)? {
            b',' => i = skip_space(bytes, i + 1),
            b'}' => return at_end(bytes, i + 1).then_some(()),
            _ => return None,
        }
    }
}

#[cfg(test)]
pub(super) mod tests;
