//! The set of tokens that occur in the db's names, asked about every
//! token of every text the matcher reads (names, supplier and copyright
//! lines, descriptions).
//!
//! Nearly every token asked about is not in it, so a [`KeyFilter`] by
//! first, second and last bytes and length turns most of them away
//! before the hash set is asked: the embedded db's names have 104 distinct tokens,
//! so at most 104 bits are set, and a look-up is one load. Looking every
//! token up in the hash set, and splitting the texts into tokens, took
//! 11.4 M of matching's 76.5 M instructions on the 10k CycloneDX file;
//! with the filter and a byte loop, 4.2 M (callgrind, one thread,
//! docs/performance.md).

use std::collections::HashSet;

use super::key_filter::KeyFilter;
use super::names;

#[derive(Clone, Debug, Default)]
pub(crate) struct TokenSet {
    /// As bytes, so that a run of ASCII is looked up without a UTF-8
    /// check (see [`TokenSet::may_hold_a_token_of`]).
    tokens: HashSet<Box<[u8]>, foldhash::fast::RandomState>,
    /// Every token in `tokens` was added.
    filter: KeyFilter,
}

impl TokenSet {
    /// Adds `token` (a non-empty token of a normalised name).
    pub(crate) fn insert(&mut self, token: &str) {
        if self.tokens.contains(token.as_bytes()) {
            return;
        }
        self.filter.add(token);
        self.tokens.insert(token.as_bytes().into());
    }

    /// Whether `token` is a token of some name.
    pub(crate) fn contains(&self, token: &str) -> bool {
        self.filter.may_hold(token) && self.tokens.contains(token.as_bytes())
    }

    /// Whether the normal form of `text` has a token in the set (or may
    /// have: `false` only when it has none). Told from `text` itself,
    /// without normalising it, when it is ASCII (see
    /// [`names::some_ascii_token`]), so that the matcher normalises only
    /// the few texts that can name something.
    ///
    /// Each run is asked of the filter first, by the class of its
    /// lowercased form, and of the set (lowercased into a buffer on the
    /// stack) only when the filter lets it through.
    pub(crate) fn may_hold_a_token_of(&self, text: &str) -> bool {
        names::some_ascii_token(text, |run| {
            if !self.filter.may_hold_lowercased(run) {
                return false;
            }
            let mut lowered = [0u8; MAX_ASKED];
            let Some(token) = lowered.get_mut(..run.len()) else {
                return true; // longer than any token worth a copy: may be one
            };
            token.copy_from_slice(run);
            token.make_ascii_lowercase();
            self.tokens.contains(&*token)
        })
    }
}

/// The longest run [`TokenSet::may_hold_a_token_of`] lowercases to look
/// up; a longer one is taken to be a token (no name's token is that long).
const MAX_ASKED: usize = 32;

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

    #[test]
    fn a_text_may_hold_a_token_when_one_of_its_tokens_is_in_the_set() {
        let mut set = TokenSet::default();
        for t in ["kaspersky", "lab", "x1", "case"] {
            set.insert(t);
        }
        for text in ["Kaspersky", "AO KASPERSKY-LAB", "(x1)", "lab", "Антивирус"] {
            assert!(set.may_hold_a_token_of(text), "{text}");
        }
        // `core` shared `case`'s class when the filter's class had no
        // second byte; whatever the filter says, the set says no.
        for text in [
            "",
            "sable-iris-4",
            "Ltd.",
            "kaspersk",
            "x2 y1",
            "   ",
            "core-Core",
        ] {
            assert!(!set.may_hold_a_token_of(text), "{text}");
        }
    }

    proptest::proptest! {
        /// Never `false` for a text whose normal form has a token of the
        /// set: the matcher skips such a text.
        #[test]
        fn a_text_with_a_token_in_the_set_may_hold_it(
            tokens in proptest::collection::vec("[a-z0-9]{1,6}", 1..6),
            words in proptest::collection::vec(
                ("[a-zA-Z0-9]{1,6}|Ltd|Ä|й", proptest::option::of((0usize..6, proptest::bool::ANY)), "[ .,&()_/-]{1,2}"),
                0..8,
            ),
        ) {
            // Each word is another one or, where `pick` says, a token of
            // the set, uppercased or not.
            let mut text = String::new();
            for (word, pick, separator) in &words {
                match pick {
                    Some((i, upper)) => {
                        let token = &tokens[i % tokens.len()];
                        text.push_str(&if *upper { token.to_uppercase() } else { token.clone() });
                    }
                    None => text.push_str(word),
                }
                text.push_str(separator);
            }
            let mut set = TokenSet::default();
            for t in &tokens {
                set.insert(t);
            }
            let normal = names::normalize(&text);
            if names::tokens(&normal).any(|t| set.contains(t)) {
                proptest::prop_assert!(set.may_hold_a_token_of(&text), "{:?}", text);
            }
        }
    }
}
