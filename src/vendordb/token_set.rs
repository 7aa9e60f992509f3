//! The set of tokens that occur in the db's names, asked about every
//! token of every text the matcher reads (names, supplier and copyright
//! lines, descriptions).
//!
//! Nearly every token asked about is not in it, so a [`KeyFilter`] by
//! first byte, last byte and length turns most of them away before the
//! hash set is asked: the embedded db's names have 104 distinct tokens,
//! so at most 104 bits are set, and a look-up is one load. Looking every
//! token up in the hash set, and splitting the texts into tokens, took
//! 11.4 M of matching's 76.5 M instructions on the 10k CycloneDX file;
//! with the filter and a byte loop, 4.2 M (callgrind, one thread,
//! docs/performance.md).

use std::collections::HashSet;

use super::key_filter::KeyFilter;

#[derive(Clone, Debug, Default)]
pub(crate) struct TokenSet {
    tokens: HashSet<Box<str>, foldhash::fast::RandomState>,
    /// Every token in `tokens` was added.
    filter: KeyFilter,
}

impl TokenSet {
    /// Adds `token` (a non-empty token of a normalised name).
    pub(crate) fn insert(&mut self, token: &str) {
        if self.tokens.contains(token) {
            return;
        }
        self.filter.add(token);
        self.tokens.insert(token.into());
    }

    /// Whether `token` is a token of some name.
    pub(crate) fn contains(&self, token: &str) -> bool {
        self.filter.may_hold(token) && self.tokens.contains(token)
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
