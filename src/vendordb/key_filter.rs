//! [`KeyFilter`]: which keys a look-up table may hold, by a bit per class
//! of keys (first byte, last byte, length).
//!
//! The matcher asks its tables about every token and identifier it reads,
//! and nearly every answer is no: the embedded db has 104 distinct name
//! tokens and a few dozen keys a table. A key whose class bit is clear is
//! in no table, and saying so is one load instead of a hash and a probe.
//! A key whose bit is set is looked up as before, so the filter changes
//! no answer. Used by [`super::token_set::TokenSet`] and
//! [`super::key_map::KeyMap`].

/// Bits in the filter: one per value of [`class`].
const BITS: usize = 1 << 16;

#[derive(Clone, Debug)]
pub(crate) struct KeyFilter {
    /// Bit [`class`] of every key added is set.
    bits: Box<[u64]>,
}

impl Default for KeyFilter {
    fn default() -> Self {
        KeyFilter {
            bits: vec![0; BITS / 64].into_boxed_slice(),
        }
    }
}

impl KeyFilter {
    /// Notes that the table holds `key`.
    pub(crate) fn add(&mut self, key: &str) {
        let bytes = key.as_bytes();
        let class = class(bytes.first().copied(), bytes.last().copied(), bytes.len());
        if let Some(word) = self.bits.get_mut(class / 64) {
            *word |= 1 << (class % 64);
        }
    }

    /// Whether the table may hold `key`: `false` only for a key of a class
    /// no added key has.
    pub(crate) fn may_hold(&self, key: &str) -> bool {
        let bytes = key.as_bytes();
        let (first, last) = (bytes.first(), bytes.last());
        self.may_hold_ends(first.copied(), last.copied(), bytes.len())
    }

    /// [`KeyFilter::may_hold`] of a key known only by its first and last
    /// bytes and its length (`None` for the bytes of the empty key).
    pub(crate) fn may_hold_ends(&self, first: Option<u8>, last: Option<u8>, len: usize) -> bool {
        let class = class(first, last, len);
        self.bits
            .get(class / 64)
            .is_some_and(|word| word & (1 << (class % 64)) != 0)
    }
}

/// The class of a key: its first and last bytes and its length (so
/// `kaspersky` and `kafka` fall apart).
fn class(first: Option<u8>, last: Option<u8>, len: usize) -> usize {
    let first = usize::from(first.unwrap_or(0));
    let last = usize::from(last.unwrap_or(0));
    ((first << 8) | last) ^ ((len & 0x3f) << 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_added_key_may_be_held_and_another_class_may_not() {
        let mut filter = KeyFilter::default();
        for key in ["kaspersky", "lab", "", "антивирус"] {
            filter.add(key);
            assert!(filter.may_hold(key), "{key}");
        }
        // Other ends or another length: another class.
        for key in ["kafka", "kaspersk", "labs", "x", "антивирусы"] {
            assert!(!filter.may_hold(key), "{key}");
        }
        // Same ends and length: the same class, so the table is asked.
        assert!(filter.may_hold("kaspeRsky"));
    }
}
