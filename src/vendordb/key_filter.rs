//! [`KeyFilter`]: which keys a look-up table may hold, by a bit per class
//! of keys (first, second and last bytes, length).
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
        let class = class(key.as_bytes(), |b| b);
        if let Some(word) = self.bits.get_mut(class / 64) {
            *word |= 1 << (class % 64);
        }
    }

    /// Whether the table may hold `key`: `false` only for a key of a class
    /// no added key has.
    pub(crate) fn may_hold(&self, key: &str) -> bool {
        self.has(class(key.as_bytes(), |b| b))
    }

    /// [`KeyFilter::may_hold`] of `run` lowercased (ASCII), without
    /// lowercasing it: only the bytes the class reads are.
    pub(crate) fn may_hold_lowercased(&self, run: &[u8]) -> bool {
        self.has(class(run, |b| b.to_ascii_lowercase()))
    }

    fn has(&self, class: usize) -> bool {
        self.bits
            .get(class / 64)
            .is_some_and(|word| word & (1 << (class % 64)) != 0)
    }
}

/// The class of a key, its bytes each mapped by `fold`: its first, second
/// and last bytes and its length, folded into 16 bits by shifts (so
/// `kaspersky` and `kafka` fall apart). Without the second byte, 5,780
/// of the 20,002 names and purl names of the 10k synthetic CycloneDX
/// file had a token in the class of a token of the db's names (`core`
/// in that of `case`, `iris` in that of `icts`); with it, by a
/// simulation of the class over the db's name tokens, 21 of its 10,000
/// names do.
#[inline(always)]
fn class(key: &[u8], fold: impl Fn(u8) -> u8) -> usize {
    let byte = |at: Option<&u8>| usize::from(at.copied().map_or(0, &fold));
    let (first, second, last) = (byte(key.first()), byte(key.get(1)), byte(key.last()));
    ((first << 8) | last) ^ (second << 4) ^ ((key.len() & 0x3f) << 10)
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
        // Same first, second and last bytes and length: the same class,
        // so the table is asked.
        assert!(filter.may_hold("kaspeRsky"));
    }

    #[test]
    fn a_run_is_classed_as_its_lowercase_form() {
        let mut filter = KeyFilter::default();
        filter.add("kaspersky");
        filter.add("x");
        for run in ["KASPERSKY", "Kaspersky", "kaspersky", "X", "x"] {
            assert!(filter.may_hold_lowercased(run.as_bytes()), "{run}");
        }
        for run in ["KASPERSK", "Y", "core"] {
            let lowered = run.to_ascii_lowercase();
            assert_eq!(
                filter.may_hold_lowercased(run.as_bytes()),
                filter.may_hold(&lowered),
                "{run}"
            );
        }
    }
}
