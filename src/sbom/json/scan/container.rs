//! Where a JSON object or array ends, sixteen bytes at a time.
//!
//! Delimiting containers was the largest single function of an audit
//! (`value_end`, 11% of the cycles of a 100k CycloneDX audit, `perf`): the
//! top-level split walks every component and dependency entry, and the
//! readers walk the nested values they skip or keep. Stepping a byte at a
//! time between strings, with a string search for each string, cost
//! about seven instructions a byte on an SBOM's short strings. On x86_64,
//! SSE2 classifies sixteen bytes at once instead: their quotes, which of
//! them lie inside a string (a running parity of the quotes), and their
//! brackets outside strings, which are the only bytes that change the
//! depth. A stretch with a backslash, where an escape may hide a quote, is
//! stepped through a byte at a time, and so are the last bytes of the
//! text, and everything on other targets. (Eight bytes at a time in a
//! `u64` was tried: its four byte classes cost as much as the byte loop.)
//!
//! The rule is the byte loop's (kept in the tests as the oracle): a
//! string runs from a quote to the next quote that no backslash escapes,
//! and `{`, `[`, `}`, `]` outside strings open and close. Both give the
//! same answer on any text, valid JSON or not.
//!
//! A container of [`FAR`] bytes or more is where nesting can cost more
//! than linear time: a reader that looks inside a nested component walks
//! everything below it again at each level. Past `FAR` bytes the walk asks
//! the caller's [`Known`] ends, which remembers the big containers a walk
//! has passed through (see `known`).

use super::known::Known;
#[cfg(target_arch = "x86_64")]
use crate::sse2;

/// How far a walk goes before it asks whether the container's end is
/// known already: far enough that asking is rare in an SBOM (a component
/// is a few hundred bytes), near enough that the walks before asking cost
/// little next to the text they save walking again.
pub(super) const FAR: usize = 16 * 1024;

/// The index just past the container whose `{` or `[` is at `at`; `None`
/// if the text ends first.
pub(super) fn end(bytes: &[u8], at: usize, known: &mut Known) -> Option<usize> {
    // Inside a component the text nearly always ends within `FAR` bytes:
    // the walk as it always was, and nothing else inlined where values
    // are delimited.
    match bytes.len().saturating_sub(at) > FAR {
        false => walk(bytes, at, ()),
        true => far_end(bytes, at, known),
    }
}

/// [`end`] in a text that goes on for more than [`FAR`] bytes: walked up
/// to `FAR` bytes first, on a slice that ends there, then asked of
/// `known`.
#[inline(never)]
fn far_end(bytes: &[u8], at: usize, known: &mut Known) -> Option<usize> {
    if !known.is_on() {
        return walk(bytes, at, ());
    }
    let near = bytes.get(..at + FAR).unwrap_or(bytes);
    walk(near, at, ()).or_else(|| known.end(bytes, at))
}

/// Something told of each bracket a walk passes outside strings: where
/// it opens, and where the container it closes ends.
pub(super) trait Brackets {
    fn open(&mut self, at: usize);
    fn close(&mut self, end: usize);
}

/// A walk told nothing, the one every container gets first.
impl Brackets for () {
    #[inline(always)]
    fn open(&mut self, _: usize) {}
    #[inline(always)]
    fn close(&mut self, _: usize) {}
}

/// Walks the container whose bracket is at `at`, telling `brackets` of
/// every bracket in it (its own two too): the index just past it, or
/// `None` if the text ends first.
#[inline(always)]
pub(super) fn walk<B: Brackets>(bytes: &[u8], at: usize, brackets: B) -> Option<usize> {
    let end = walk_from(bytes, at, brackets);
    #[cfg(test)]
    walked_bytes::add(end.unwrap_or(bytes.len()).saturating_sub(at));
    end
}

#[inline(always)]
fn walk_from<B: Brackets>(bytes: &[u8], at: usize, brackets: B) -> Option<usize> {
    let mut walk = Walk {
        depth: 0,
        in_string: false,
        brackets,
    };
    #[allow(unused_mut)] // Only the SSE2 path moves it.
    let mut i = at;
    #[cfg(target_arch = "x86_64")]
    while let Some(chunk) = bytes
        .get(i..i + 16)
        .and_then(|c| <&[u8; 16]>::try_from(c).ok())
    {
        let bytes_of = sse2::Classes::of(chunk);
        let stop = match bytes_of.backslashes {
            0 => walk.classified(&bytes_of, i),
            _ => walk.bytes(bytes, i, i + 16),
        };
        match stop {
            Stop::End(end) => return Some(end),
            Stop::At(next) => i = next,
            Stop::Out => return None,
        }
    }
    match walk.bytes(bytes, i, usize::MAX) {
        Stop::End(end) => Some(end),
        Stop::At(_) | Stop::Out => None,
    }
}

/// Where the walk of a container stands.
struct Walk<B> {
    depth: usize,
    in_string: bool,
    brackets: B,
}

/// How a stretch of the walk ended.
enum Stop {
    /// The container ends just before this index.
    End(usize),
    /// The stretch is done; the walk goes on from this index.
    At(usize),
    /// The text ended, or closed more than it opened.
    Out,
}

impl<B: Brackets> Walk<B> {
    /// Walks the bytes from `i` until `until` (or just past it, when an
    /// escape straddles it), or until the text ends.
    fn bytes(&mut self, bytes: &[u8], mut i: usize, until: usize) -> Stop {
        while i < until {
            let Some(&byte) = bytes.get(i) else {
                return Stop::Out;
            };
            match (self.in_string, byte) {
                // Whatever a backslash escapes cannot end the string.
                (true, b'\\') => i += 1,
                (true, b'"') => self.in_string = false,
                (false, b'"') => self.in_string = true,
                (false, b'{' | b'[') => self.open(i),
                (false, b'}' | b']') => match self.close(i + 1) {
                    Some(true) => return Stop::End(i + 1),
                    Some(false) => {}
                    None => return Stop::Out,
                },
                _ => {}
            }
            i += 1;
        }
        Stop::At(i)
    }

    /// Walks the sixteen bytes at `at`, which hold no backslash, from
    /// their classes.
    #[cfg(target_arch = "x86_64")]
    fn classified(&mut self, classes: &sse2::Classes, at: usize) -> Stop {
        // Bit k: whether an odd number of quotes lie at or before byte k,
        // counting from the container's start. A bracket is not a quote,
        // so for a bracket that says it is inside a string.
        let mut inside = classes.quotes;
        inside ^= inside << 1;
        inside ^= inside << 2;
        inside ^= inside << 4;
        inside ^= inside << 8;
        if self.in_string {
            inside = !inside;
        }
        self.in_string = inside & (1 << 15) != 0;
        let opens = classes.opens & !inside;
        let mut brackets = (opens | (classes.closes & !inside)) & 0xffff;
        while brackets != 0 {
            let k = brackets.trailing_zeros();
            if opens & (1 << k) != 0 {
                self.open(at + k as usize);
            } else {
                match self.close(at + k as usize + 1) {
                    Some(true) => return Stop::End(at + k as usize + 1),
                    Some(false) => {}
                    None => return Stop::Out,
                }
            }
            brackets &= brackets - 1;
        }
        Stop::At(at + 16)
    }

    /// A level opened at `at`.
    #[inline(always)]
    fn open(&mut self, at: usize) {
        self.depth += 1;
        self.brackets.open(at);
    }

    /// A level closed just before `end`: whether that was the container's
    /// own; `None` if it closed more than it opened.
    #[inline(always)]
    fn close(&mut self, end: usize) -> Option<bool> {
        self.depth = self.depth.checked_sub(1)?;
        self.brackets.close(end);
        Some(self.depth == 0)
    }
}

/// How many bytes the walks of this thread went through, for the tests
/// that hold reading to linear time.
#[cfg(test)]
pub(crate) mod walked_bytes {
    use std::cell::Cell;

    thread_local! {
        static WALKED: Cell<usize> = const { Cell::new(0) };
    }

    pub(super) fn add(bytes: usize) {
        WALKED.with(|w| w.set(w.get() + bytes));
    }

    /// The bytes walked on this thread so far.
    pub(crate) fn so_far() -> usize {
        WALKED.with(Cell::get)
    }
}

#[cfg(test)]
mod tests;
