//! [`Releasing`]: the items of a vector, in order, giving its memory back
//! as they are taken.
//!
//! A read document's relationships are about a tenth of a big audit's
//! memory (28 bytes each, four or more per component), and the graph's
//! edges made from them about as much again. Held whole until the last
//! edge is made, both are resident at once, and that moment was the peak
//! of a 100,000-component audit (docs/performance.md). Taken through this
//! iterator, the relationships shrink as the edges grow.
//!
//! The graph also looks a few relationships ahead of the one it links
//! ([`LookAhead`]), which [`Releasing`] allows and so does [`Cloning`],
//! the iterator for a caller that keeps its relationships.

/// An iterator whose next items can be looked at before they are taken:
/// the graph asks for the node an edge will write into a few
/// relationships ahead (`Builder::prefetch_target`). A window of items
/// moved through a queue for this cost 115 instructions a relationship
/// (10k CycloneDX audit, callgrind); looking into the vector costs an
/// index.
pub(super) trait LookAhead: Iterator {
    /// The item `k` places after the next one (`ahead(0)` is the next).
    fn ahead(&self, k: usize) -> Option<&Self::Item>;
}

/// The items of a slice, cloned, in order: [`LookAhead`] for a caller
/// that keeps its relationships.
pub(super) struct Cloning<'a, T> {
    rest: &'a [T],
}

impl<'a, T> Cloning<'a, T> {
    pub(super) fn new(items: &'a [T]) -> Self {
        Cloning { rest: items }
    }
}

impl<T: Clone> Iterator for Cloning<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let (first, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(first.clone())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.rest.len(), Some(self.rest.len()))
    }
}

impl<T: Clone> LookAhead for Cloning<'_, T> {
    fn ahead(&self, k: usize) -> Option<&T> {
        self.rest.get(k)
    }
}

/// Items taken from a block of this many are given back together: small
/// enough that little is held twice, large enough that the shrinking
/// (a `realloc` to a smaller size, which the allocator does in place for
/// a large block) costs nothing measurable.
const RELEASE: usize = 16 * 1024;

/// Yields the items of a vector front to back, freeing its memory block
/// by block behind them. See the module doc.
pub(super) struct Releasing<T> {
    /// The items not yet taken, last first: popping from the end keeps
    /// the original order and lets the vector shrink from its end.
    reversed: Vec<T>,
}

impl<T> Releasing<T> {
    pub(super) fn new(mut items: Vec<T>) -> Self {
        items.reverse();
        Releasing { reversed: items }
    }
}

impl<T> LookAhead for Releasing<T> {
    fn ahead(&self, k: usize) -> Option<&T> {
        let at = self.reversed.len().checked_sub(k + 1)?;
        self.reversed.get(at)
    }
}

impl<T> Iterator for Releasing<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let item = self.reversed.pop()?;
        if self.reversed.capacity() - self.reversed.len() >= RELEASE {
            self.reversed.shrink_to_fit();
        }
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.reversed.len(), Some(self.reversed.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_in_order_and_their_memory_goes() {
        let n = 5 * RELEASE + 7;
        let mut it = Releasing::new((0..n).collect::<Vec<usize>>());
        assert_eq!(it.size_hint(), (n, Some(n)));
        let first: Vec<usize> = it.by_ref().take(3 * RELEASE).collect();
        assert_eq!(first, (0..3 * RELEASE).collect::<Vec<_>>());
        // What was taken is no longer held, give or take one block.
        assert!(it.reversed.capacity() < n - 3 * RELEASE + RELEASE);
        let rest: Vec<usize> = it.by_ref().collect();
        assert_eq!(rest, (3 * RELEASE..n).collect::<Vec<_>>());
        assert!(it.reversed.capacity() < RELEASE);
        assert_eq!(it.next(), None);
        assert_eq!(Releasing::new(Vec::<u8>::new()).next(), None);
    }

    #[test]
    fn ahead_shows_the_items_still_to_come_in_order() {
        let items: Vec<usize> = (0..10).collect();
        let mut releasing = Releasing::new(items.clone());
        let mut cloning = Cloning::new(&items);
        for taken in 0..=items.len() {
            for k in 0..12 {
                let want = items.get(taken + k);
                assert_eq!(releasing.ahead(k), want, "taken {taken}, k {k}");
                assert_eq!(cloning.ahead(k), want, "taken {taken}, k {k}");
            }
            assert_eq!(releasing.next(), items.get(taken).copied());
            assert_eq!(cloning.next(), items.get(taken).copied());
        }
    }
}
