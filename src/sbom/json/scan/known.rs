//! The ends of big containers, remembered from a walk that passed them.
//!
//! A reader delimits a value by walking it to the bracket that closes it
//! (`container::end`), and then looks inside it, which walks its parts
//! again. Components nest (`components`, `pedigree.ancestors`), so a
//! component `d` levels down was walked once for each level above it. A
//! nest deeper than the CycloneDX reader's `MAX_DEPTH`, refused at its
//! 65th level, was walked 64 times whole, and 192 times through pedigree
//! (three walks a level): 844.5 MB of walking for a 4.4 MB nest.
//!
//! So the first walk of a container past [`FAR`] bytes starts again,
//! taking note of every container inside it of `FAR` bytes or more, down
//! to [`DEPTH`] levels. Every later walk of one of those stops at `FAR`
//! bytes and takes the end from here. A reader that passes its `Known`
//! to the scanner thus walks a big nest about twice at most (1.3 to 2
//! times its bytes, in the reader's tests), and a small one (under `FAR`
//! bytes) at most as often as it nests.
//!
//! A container is known by the address of its first byte: every text a
//! reader scans is a slice of the one source it borrows for as long as it
//! lives, so an address names one place in that source, whatever slice
//! of it asks.

use std::collections::HashMap;

use super::container::{self, Brackets, FAR};

/// How many levels down a walk takes note of containers: more than a
/// reader looks inside below the container it asked about (three levels a
/// component through pedigree, 64 components deep (the CycloneDX reader's
/// `MAX_DEPTH`), a few more in a component's fields). Deeper ones are
/// walked again if asked for. A walk notes at most `DEPTH` ends for every
/// `FAR` bytes it walks (containers of one level do not overlap), so a
/// hostile nest makes this remember a small fraction of its size.
const DEPTH: usize = 256;

type Ends = HashMap<usize, usize, foldhash::fast::RandomState>;

/// Ends remembered by the address of their opening bracket (see the
/// module docs); none when off.
#[derive(Debug, Default)]
pub(crate) struct Known(Option<Ends>);

impl Known {
    /// Ends to remember, for a reader that looks inside nested values.
    pub(crate) fn new() -> Self {
        Known(Some(Ends::default()))
    }

    /// Nothing remembered: every walk goes to the end, as for a value
    /// that is looked inside once. Costs nothing to make.
    pub(crate) const fn off() -> Self {
        Known(None)
    }

    pub(super) fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// How many ends are remembered.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.0.as_ref().map_or(0, HashMap::len)
    }

    /// The index just past the container whose bracket is at `at`, which
    /// a walk found to be [`FAR`] bytes long at least: remembered, or
    /// walked once more taking note of the big containers in it.
    #[cold]
    #[inline(never)]
    pub(super) fn end(&mut self, bytes: &[u8], at: usize) -> Option<usize> {
        let Some(ends) = self.0.as_mut() else {
            return container::walk(bytes, at, ());
        };
        let base = bytes.as_ptr() as usize;
        let remembered = ends
            .get(&base.checked_add(at)?)
            .and_then(|end| end.checked_sub(base))
            .filter(|&end| end > at && end <= bytes.len());
        if let Some(end) = remembered {
            return Some(end);
        }
        let noting = Noting {
            base,
            open: Vec::new(),
            deeper: 0,
            ends,
        };
        container::walk(bytes, at, noting)
    }
}

/// A walk's notes: the brackets open on the way down, and the ends of
/// the big containers closed.
struct Noting<'k> {
    /// The address of the text's first byte.
    base: usize,
    /// The indexes of the brackets open, down to [`DEPTH`] levels.
    open: Vec<usize>,
    /// How many are open below those.
    deeper: usize,
    ends: &'k mut Ends,
}

impl Brackets for Noting<'_> {
    fn open(&mut self, at: usize) {
        match self.open.len() < DEPTH {
            true => self.open.push(at),
            false => self.deeper += 1,
        }
    }

    fn close(&mut self, end: usize) {
        if self.deeper > 0 {
            self.deeper -= 1;
            return;
        }
        if let Some(at) = self.open.pop() {
            if end - at >= FAR {
                self.ends.insert(self.base + at, self.base + end);
            }
        }
    }
}

#[cfg(test)]
mod tests;
