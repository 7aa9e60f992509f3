//! [`Elements`]: the elements of one JSON array, the short ones held in
//! place.
//!
//! Nearly every array below a document's top level is short: a
//! component's hashes, licenses and external references, a dependency
//! entry's `dependsOn`. As a `Vec` each was an allocation and a free, and
//! a reallocation past four elements: about two arrays per component of
//! the 10k CycloneDX audit, whose `_int_free` (glibc's work behind
//! `free`) alone went from 3.2 M to 1.2 M instructions with this
//! (callgrind, docs/performance.md). Up to [`IN_PLACE`] elements are kept
//! in the value itself. A top-level list, which is long, keeps the
//! vector it was split into ([`Elements::from_vec`]).
//!
//! `smallvec` does the same, but its type is invariant in the lifetime
//! of what it holds, and the readers rely on a `Raw<'long>` list passing
//! where a `Raw<'short>` one is expected. This one is covariant: its two
//! cases are an array and a `Vec`.

use std::fmt;
use std::ops::Deref;

use super::Raw;

/// How many elements are held without an allocation: a dependency entry
/// of the benchmark's graph has four `dependsOn`, and a component one hash
/// and one license.
const IN_PLACE: usize = 4;

/// The elements of one JSON array, in order: a slice to the reader.
#[derive(Clone)]
pub(crate) struct Elements<'a>(Repr<'a>);

#[derive(Clone)]
enum Repr<'a> {
    /// The first `len` are the elements; the rest are filler.
    InPlace {
        len: u8,
        items: [Raw<'a>; IN_PLACE],
    },
    Heap(Vec<Raw<'a>>),
}

/// What fills the unused places: any `Raw`, never read.
const FILLER: Raw<'static> = Raw("null");

impl<'a> Elements<'a> {
    /// No elements.
    pub(crate) const fn new() -> Self {
        Elements(Repr::InPlace {
            len: 0,
            items: [FILLER; IN_PLACE],
        })
    }

    /// The elements of `list`, kept in its vector (no copy).
    pub(crate) fn from_vec(list: Vec<Raw<'a>>) -> Self {
        Elements(Repr::Heap(list))
    }

    /// Appends `raw`; the elements move to a vector when they outgrow
    /// their places.
    pub(crate) fn push(&mut self, raw: Raw<'a>) {
        match &mut self.0 {
            Repr::InPlace { len, items } => {
                if let Some(place) = items.get_mut(usize::from(*len)) {
                    *place = raw;
                    *len += 1;
                } else {
                    let mut list = Vec::with_capacity(2 * IN_PLACE);
                    list.extend_from_slice(items);
                    list.push(raw);
                    self.0 = Repr::Heap(list);
                }
            }
            Repr::Heap(list) => list.push(raw),
        }
    }

    /// Keeps the elements for which `keep` holds, in order.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&Raw<'a>) -> bool) {
        match &mut self.0 {
            Repr::InPlace { len, items } => {
                let mut kept = 0;
                for i in 0..usize::from(*len) {
                    let Some(&raw) = items.get(i) else { break };
                    if keep(&raw) {
                        if let Some(place) = items.get_mut(kept) {
                            *place = raw;
                        }
                        kept += 1;
                    }
                }
                // At most `IN_PLACE` elements: the count fits.
                *len = kept as u8;
            }
            Repr::Heap(list) => list.retain(keep),
        }
    }
}

impl<'a> Deref for Elements<'a> {
    type Target = [Raw<'a>];

    fn deref(&self) -> &[Raw<'a>] {
        match &self.0 {
            Repr::InPlace { len, items } => items.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Heap(list) => list,
        }
    }
}

impl Default for Elements<'_> {
    fn default() -> Self {
        Elements::new()
    }
}

impl fmt::Debug for Elements<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> FromIterator<Raw<'a>> for Elements<'a> {
    fn from_iter<I: IntoIterator<Item = Raw<'a>>>(iter: I) -> Self {
        let mut elements = Elements::new();
        for raw in iter {
            elements.push(raw);
        }
        elements
    }
}

impl<'a> IntoIterator for Elements<'a> {
    type Item = Raw<'a>;
    type IntoIter = IntoIter<'a>;

    fn into_iter(self) -> IntoIter<'a> {
        IntoIter {
            elements: self,
            next: 0,
        }
    }
}

impl<'e, 'a> IntoIterator for &'e Elements<'a> {
    type Item = &'e Raw<'a>;
    type IntoIter = std::slice::Iter<'e, Raw<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The elements of an [`Elements`], by value (a `Raw` is a copy of a
/// reference).
pub(crate) struct IntoIter<'a> {
    elements: Elements<'a>,
    next: usize,
}

impl<'a> Iterator for IntoIter<'a> {
    type Item = Raw<'a>;

    fn next(&mut self) -> Option<Raw<'a>> {
        let raw = self.elements.get(self.next).copied()?;
        self.next += 1;
        Some(raw)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.elements.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for IntoIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn raws(n: usize) -> Vec<Raw<'static>> {
        const TEXTS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
        TEXTS.iter().take(n).map(|t| Raw(t)).collect()
    }

    #[test]
    fn pushed_elements_read_back_in_order_in_place_and_past_it() {
        for n in 0..10 {
            let want = raws(n);
            let elements: Elements<'_> = want.iter().copied().collect();
            assert_eq!(&elements[..], &want[..], "{n} as a slice");
            let by_value: Vec<Raw<'_>> = elements.clone().into_iter().collect();
            assert_eq!(by_value, want, "{n} by value");
            assert_eq!(elements.into_iter().len(), n);
            assert_eq!(&Elements::from_vec(want.clone())[..], &want[..]);
        }
    }

    #[test]
    fn retain_keeps_the_chosen_elements_in_order() {
        for n in 0..10 {
            let odd = |r: &Raw<'_>| r.get().parse::<u8>().is_ok_and(|d| d % 2 == 1);
            let mut elements: Elements<'_> = raws(n).into_iter().collect();
            elements.retain(odd);
            let want: Vec<Raw<'_>> = raws(n).into_iter().filter(odd).collect();
            assert_eq!(&elements[..], &want[..], "{n}");
            // Still usable after: a push lands after the kept ones.
            elements.push(Raw("x"));
            assert_eq!(elements.last().map(|r| r.get()), Some("x"));
            assert_eq!(elements.len(), want.len() + 1);
        }
    }
}
