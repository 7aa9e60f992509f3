//! [`Keys`]: the keys a reader wants from a JSON object, with a table
//! made at compile time that finds a key's place among them.
//!
//! Every key of every object the readers scan is looked up among the keys
//! they want: eight or so per CycloneDX component against eighteen, a
//! dozen per SPDX package against twenty, three per SPDX relationship.
//! Compared with each wanted key in turn (length and first byte before the
//! text), a look-up cost about 80 instructions, 6% of the 10k SPDX audit
//! (callgrind, one thread). The table takes a key's length and end bytes
//! to a slot, so a look-up compares with one wanted key, or none; with
//! it the 10k audits took 3.3 M (CycloneDX) and 8.4 M (SPDX) fewer
//! instructions (the look-up is inlined, so its own cost is not counted
//! apart).

use std::ops::Deref;

/// Slots of the table: twice the most keys a [`Keys`] may have, so that a
/// probe meets an empty slot soon.
const SLOTS: usize = 64;

/// The keys wanted from an object, in the order their values are
/// returned, and the table that finds them. Made in a `const` (see
/// [`Keys::new`]); derefs to the keys.
#[derive(Debug)]
pub(crate) struct Keys<const N: usize> {
    names: [&'static str; N],
    /// For each slot, 0 when empty, else one more than the index of the
    /// key put there: the first free slot from the key's [`slot`] on.
    slots: [u8; SLOTS],
}

impl<const N: usize> Keys<N> {
    /// The table of `names`. Meant for a `const`, where a wrong list
    /// (more than 31 keys, or one key twice) fails the build.
    pub(crate) const fn new(names: [&'static str; N]) -> Self {
        assert!(N < SLOTS / 2, "too many keys for the table");
        let mut slots = [0u8; SLOTS];
        let mut i = 0;
        while i < N {
            let mut at = slot(names[i].as_bytes());
            while slots[at] != 0 {
                let other = names[slots[at] as usize - 1].as_bytes();
                assert!(!same(other, names[i].as_bytes()), "a key listed twice");
                at = (at + 1) % SLOTS;
            }
            // At most 31 keys: the index fits.
            slots[at] = (i + 1) as u8;
            i += 1;
        }
        Keys { names, slots }
    }

    /// The index of `key` among the keys.
    ///
    /// Inlined into each scanner: called, it spent more on saving and
    /// restoring registers than on the look-up.
    #[inline(always)]
    pub(crate) fn position(&self, key: &str) -> Option<usize> {
        let key = key.as_bytes();
        let mut at = slot(key);
        loop {
            let index = usize::from(*self.slots.get(at)?).checked_sub(1)?;
            if self
                .names
                .get(index)
                .is_some_and(|name| equal(name.as_bytes(), key))
            {
                return Some(index);
            }
            at = (at + 1) % SLOTS;
        }
    }
}

impl<const N: usize> Deref for Keys<N> {
    type Target = [&'static str; N];

    fn deref(&self) -> &Self::Target {
        &self.names
    }
}

/// Where a key's probe starts: from its length and its first and last
/// bytes, which tell apart nearly every pair of keys a reader wants.
const fn slot(key: &[u8]) -> usize {
    let (first, last) = match key {
        [] => (0, 0),
        [first, .., last] => (*first as usize, *last as usize),
        [only] => (*only as usize, *only as usize),
    };
    (key.len().wrapping_mul(7) ^ first.wrapping_mul(3) ^ last) % SLOTS
}

/// `a == b`, for keys: up to sixteen bytes in two overlapping word
/// comparisons, where `==` calls `memcmp`, whose set-up cost more than a
/// key's comparison.
#[inline(always)]
fn equal(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let len = a.len();
    // The first and the last `W` bytes of each, which overlap when the
    // length is under twice `W` and cover it all from `W` up.
    fn ends<const W: usize>(s: &[u8]) -> Option<([u8; W], [u8; W])> {
        let first = s.first_chunk::<W>()?;
        let last = s.last_chunk::<W>()?;
        Some((*first, *last))
    }
    match len {
        8..=16 => ends::<8>(a) == ends::<8>(b),
        4..=7 => ends::<4>(a) == ends::<4>(b),
        _ => a == b,
    }
}

/// Byte equality, for [`Keys::new`] (`==` on slices is not `const`).
const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Keys that share lengths and end bytes, so that several start
    /// their probe at the same slot.
    const CROWDED: Keys<10> = Keys::new([
        "name", "note", "nave", "nine", "n", "nn", "", "names", "none", "node",
    ]);

    #[test]
    #[should_panic(expected = "a key listed twice")]
    fn a_key_listed_twice_is_refused() {
        // In a `const`, this panic is a build error.
        let _ = Keys::new(["name", "url", "name"]);
    }

    #[test]
    #[should_panic(expected = "too many keys")]
    fn more_keys_than_the_table_holds_are_refused() {
        let _ = Keys::new([""; 32]);
    }

    #[test]
    fn every_key_is_found_in_its_place_and_no_other() {
        for (i, key) in CROWDED.iter().enumerate() {
            assert_eq!(CROWDED.position(key), Some(i), "{key}");
        }
        for other in ["type", "Name", "nabe", "nam", "nnn", "é", "x", "nodes"] {
            assert_eq!(CROWDED.position(other), None, "{other}");
        }
        assert_eq!(Keys::new([]).position("a"), None);
        assert_eq!(Keys::new([""]).position(""), Some(0));
    }

    #[test]
    fn keys_of_every_length_are_compared_whole() {
        let text = "abcdefghijklmnopqrstuvwxyz";
        for len in 0..=text.len() {
            let a = text.get(..len).unwrap().as_bytes();
            assert!(equal(a, a), "{len}");
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] = b'_';
                assert!(!equal(a, &b), "{len} {at}");
            }
            assert!(!equal(a, text.get(..len + 1).unwrap_or("").as_bytes()));
        }
    }

    proptest! {
        /// The table answers as a search of the list would, whatever the
        /// keys (many of them in the same slot).
        #[test]
        fn the_table_answers_as_a_search_would(
            names in proptest::collection::btree_set("[a-c]{0,3}", 0..31),
            asked in proptest::collection::vec("[a-c]{0,4}", 0..40),
        ) {
            // Leaked for the `'static` names a `Keys` holds (tests only).
            let names: Vec<&'static str> =
                names.into_iter().map(|n| &*Box::leak(n.into_boxed_str())).collect();
            // The places past the names hold keys never asked for.
            let mut list = [""; 31];
            for (i, place) in list.iter_mut().enumerate() {
                *place = match names.get(i) {
                    Some(name) => name,
                    None => Box::leak(format!("z{i}").into_boxed_str()),
                };
            }
            let keys = Keys::new(list);
            for key in names.iter().copied().chain(asked.iter().map(String::as_str)) {
                let searched = list.iter().position(|k| *k == key);
                prop_assert_eq!(keys.position(key), searched, "{:?}", key);
            }
        }
    }
}
