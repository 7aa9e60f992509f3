//! The set of tokens that occur in the db's names, asked about every
//! token of every text the matcher reads (names, supplier and copyright
//! lines, descriptions).
//!
//! Nearly every token asked about is not in it, so a 65,536-bit filter by
//! first byte, last byte and length turns most of them away before the
//! hash set is asked: the embedded db's names have 104 distinct tokens,
//! so at most 104 bits are set, and a look-up is one load. Looking every
//! token up in the hash set, and splitting the texts into tokens, took
//! 11.4 M of matching's 76.5 M instructions on the 10k CycloneDX file;
//! with the filter and a byte loop, 4.2 M (callgrind, one thread,
//! docs/performance.md).

use std::collections::HashSet;

/// Bits in the filter: one per value of [`TokenSet::slot`].
const FILTER_BITS: usize = 1 << 16;

#[derive(Clone, Debug)]
pub(crate) struct TokenSet {
    tokens: HashSet<Box<str>, foldhash::fast::RandomState>,
    /// Bit [`TokenSet::slot`] of every token in `tokens` is set.
    filter: Box<[u64]>,
}

impl Default for TokenSet {
    fn default() -> Self {
        TokenSet {
            tokens: HashSet::default(),
            filter: vec![0; FILTER_BITS / 64].into_boxed_slice(),
        }
    }
}

impl TokenSet {
    /// Adds `token` (a non-empty token of a normalised name).
    pub(crate) fn insert(&mut self, token: &str) {
        if self.tokens.contains(token) {
            return;
        }
        let slot = Self::slot(token);
        if let Some(word) = self.filter.get_mut(slot / 64) {
            *word |= 1 << (slot % 64);
        }
        self.tokens.insert(token.into());
    }

    /// Whether `token` is a token of some name.
    pub(crate) fn contains(&self, token: &str) -> bool {
        let slot = Self::slot(token);
        let maybe = self
            .filter
            .get(slot / 64)
            .is_some_and(|word| word & (1 << (slot % 64)) != 0);
        maybe && self.tokens.contains(token)
    }

    /// The filter bit of `token`: its first and last bytes and its length
    /// (so `kaspersky` and `kafka` fall apart).
    fn slot(token: &str) -> usize {
        let bytes = token.as_bytes();
        let first = usize::from(bytes.first().copied().unwrap_or(0));
        let last = usize::from(bytes.last().copied().unwrap_or(0));
        ((first << 8) | last) ^ ((bytes.len() & 0x3f) << 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_was_inserted_and_nothing_else() {
        let mut set = TokenSet::default();
        let names = ["kaspersky", "lab", "k", "антивирус", "x1"];
        for t in names {
            set.insert(t);
        }
        set.insert("lab");
        for t in names {
            assert!(set.contains(t), "{t}");
        }
        // Same filter bit as an inserted token (same ends and length), or
        // a different one: neither is in the set.
        for t in ["kaspeRsky", "kafka", "ka", "la", "", "labs", "x2", "y1"] {
            assert!(!set.contains(t), "{t}");
        }
        assert!(!TokenSet::default().contains(""));
    }
}
