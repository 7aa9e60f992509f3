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

#[cfg(target_arch = "x86_64")]
use crate::sse2;

/// The index just past the container whose `{` or `[` is at `at`; `None`
/// if the text ends first.
pub(super) fn end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut walk = Walk {
        depth: 0,
        in_string: false,
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
struct Walk {
    depth: usize,
    in_string: bool,
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

impl Walk {
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
                (false, b'{' | b'[') => self.depth += 1,
                (false, b'}' | b']') => match self.close() {
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
                self.depth += 1;
            } else {
                match self.close() {
                    Some(true) => return Stop::End(at + k as usize + 1),
                    Some(false) => {}
                    None => return Stop::Out,
                }
            }
            brackets &= brackets - 1;
        }
        Stop::At(at + 16)
    }

    /// One level closed: whether that was the container's own; `None` if
    /// it closed more than it opened.
    fn close(&mut self) -> Option<bool> {
        self.depth = self.depth.checked_sub(1)?;
        Some(self.depth == 0)
    }
}

#[cfg(test)]
mod tests;
