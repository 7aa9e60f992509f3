//! Checking a big document on two cores, and splitting its top level as
//! it is checked.
//!
//! The check walks every byte; until the fourteenth round the scanner
//! walked every byte again beside it, on the other core, to split the
//! top-level arrays into the elements that the readers read in parallel.
//! Now the check records those elements itself ([`List`]), and the two
//! cores share the check instead: one walks from the start, the other
//! from an element of a top-level array near the middle of the text. The
//! second cannot know where such an element starts without the walk up
//! to it, so it guesses ([`candidates`]), and the guess is kept only when
//! the first walk arrives at exactly that index as the start of an
//! element of a top-level array, which is exactly the state (the object
//! and the array open, a value due) that the second walk assumed. From
//! there on the second walk is the first one's own continuation, and
//! what it says of the rest of the text is what the first walk would
//! have said. A wrong guess is never arrived at in that state: the first
//! walk then checks the whole text alone, as if there had been no guess.
//!
//! A guess that fails within its first [`PROBE`] bytes (as one inside a
//! component's own array soon does, when that array closes) is not
//! published, and the next candidate is tried, up to [`ATTEMPTS`].

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::super::scan::skip_space;
use super::{whole, List, Walk, Walked};

/// Texts smaller than this are checked on one core: the check is short,
/// and a second walk would cost a task.
const HALVES_FROM: usize = 1 << 20;

/// How far a guessed walk goes before it says where it began: far enough
/// past the guess for a wrong one to have failed, in nearly all SBOMs.
const PROBE: usize = 64 << 10;

/// Guesses tried before the second walk gives up.
const ATTEMPTS: usize = 4;

/// How far past the middle of the text candidates are looked for, and how
/// many at most.
const WINDOW: usize = 256 << 10;
const MAX_CANDIDATES: usize = 64;

/// The deepest indentation told apart from another.
const MAX_INDENT: usize = 256;

/// The arrays of `text`'s top-level object, if `text` is one JSON object
/// that `serde_json` accepts as the readers' top level (see `validate`);
/// with `halves`, checked on two cores when it is big and there are two.
pub(in crate::sbom::json) fn top_object(text: &str, halves: bool) -> Option<Vec<List<'_>>> {
    if !halves || text.len() < HALVES_FROM || rayon::current_num_threads() < 2 {
        return whole(text);
    }
    checked_in_halves(text, text.len() / 2)
}

/// [`top_object`] on two cores, the second walk's guesses taken from
/// `middle` on.
fn checked_in_halves(text: &str, middle: usize) -> Option<Vec<List<'_>>> {
    let said = AtomicUsize::new(usize::MAX);
    let stop = AtomicBool::new(false);
    let (first, second) = rayon::join(
        || {
            let first = first_half(text, &said);
            stop.store(first.is_none(), Ordering::Relaxed);
            first
        },
        || second_half(text, middle, PROBE, &said, Some(&stop)),
    );
    merged(text, first, second)
}

/// The first walk, from the start of `text`: where it stopped, and the
/// arrays it met on its way; `None` if the text is invalid before it
/// stopped.
fn first_half<'a>(text: &'a str, said: &AtomicUsize) -> Option<(Walked, Vec<List<'a>>)> {
    let at = skip_space(text.as_bytes(), 0);
    if text.as_bytes().get(at) != Some(&b'{') {
        return None;
    }
    let mut walk = Walk::new(text, true);
    walk.meet = Some(said);
    let walked = walk.run(at)?;
    Some((walked, walk.lists))
}

/// The arrays of the whole text from what the two walks found: the first
/// walk's alone when it went to the end, else the first walk's up to
/// where the second began and the second's from there.
fn merged<'a>(
    text: &'a str,
    first: Option<(Walked, Vec<List<'a>>)>,
    second: Option<Second<'a>>,
) -> Option<Vec<List<'a>>> {
    let (walked, mut lists) = first?;
    match walked {
        Walked::End(end) => (end == text.len()).then_some(lists),
        Walked::Met(at) => {
            // The first walk stops only where the second said it began.
            let Some((_, rest)) = second.filter(|(began, _)| *began == at) else {
                return whole(text);
            };
            let mut rest = rest?.into_iter();
            let continued = rest.next()?;
            let open = lists.last_mut()?;
            open.elements.extend(continued.elements);
            open.end = continued.end;
            lists.extend(rest);
            Some(lists)
        }
    }
}

/// What the second walk found: where it began, and the arrays it met if
/// the text is valid from there (in the state assumed there) to its end.
type Second<'a> = (usize, Option<Vec<List<'a>>>);

/// The second walk, from the first of the [`candidates`] after `middle`
/// that is still valid `probe` bytes on; `None` if none was (or if `stop`
/// was set before it said where it began).
fn second_half<'a>(
    text: &'a str,
    middle: usize,
    probe: usize,
    said: &AtomicUsize,
    stop: Option<&AtomicBool>,
) -> Option<Second<'a>> {
    for at in candidates(text.as_bytes(), middle)
        .into_iter()
        .take(ATTEMPTS)
    {
        let mut walk = Walk::in_an_array(text);
        walk.publish = Some((said, at, at.saturating_add(probe)));
        walk.stop = stop;
        let walked = walk.run(at);
        let published = walk.publish.is_none();
        let lists = match walked {
            Some(Walked::End(end)) if end == text.len() => Some(walk.lists),
            _ => None,
        };
        if published {
            return Some((at, lists));
        }
        if lists.is_some() {
            // Valid to the end within the probe: said now, so that the
            // first walk can still meet it.
            said.store(at, Ordering::Relaxed);
            return Some((at, lists));
        }
        if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
            return None;
        }
    }
    None
}

/// Guesses of where an element of a top-level array starts, from `from`
/// on, best first: the `{` of each `}` `,` `{` in the next [`WINDOW`]
/// bytes, least indented first (in an indented document the top-level
/// arrays' elements are the least indented objects), then in order.
fn candidates(bytes: &[u8], from: usize) -> Vec<usize> {
    let end = from.saturating_add(WINDOW).min(bytes.len());
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut i = from;
    while let Some(comma) = bytes
        .get(i..end)
        .and_then(|b| memchr::memchr(b',', b))
        .map(|k| i + k)
    {
        i = comma + 1;
        let before = bytes.get(..comma).and_then(|b| {
            b.iter()
                .rposition(|&c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        });
        let after = skip_space(bytes, comma + 1);
        let closes = before.is_some_and(|b| bytes.get(b) == Some(&b'}'));
        if closes && bytes.get(after) == Some(&b'{') {
            // Indentation past a few hundred bytes is as good as none.
            let back = after.saturating_sub(MAX_INDENT);
            let line = bytes
                .get(back..after)
                .and_then(|b| memchr::memrchr(b'\n', b))
                .map_or(MAX_INDENT, |n| after - back - n);
            found.push((line, after));
            if found.len() == MAX_CANDIDATES {
                break;
            }
        }
    }
    found.sort_unstable();
    found.into_iter().map(|(_, at)| at).collect()
}

#[cfg(test)]
mod tests;
