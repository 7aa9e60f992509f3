//! `str::trim` for values that are nearly always trimmed already.
//!
//! The readers and the matcher trim nearly every value they look at (an
//! SPDX id, a relationship type, a name), and nearly none has whitespace
//! to lose. `str::trim` still decodes a char at each end and asks Unicode
//! whether it is whitespace: 5% of the instructions of a 10k SPDX audit
//! (callgrind, docs/performance.md). A value that begins and ends with a
//! printable ASCII byte is its own trim, which two byte tests tell.

/// [`str::trim`], with the common case first.
pub(crate) trait Trimmed {
    /// The text without leading and trailing whitespace, as
    /// [`str::trim`] gives it.
    fn trimmed(&self) -> &str;
}

impl Trimmed for str {
    #[inline]
    fn trimmed(&self) -> &str {
        // A printable ASCII byte (`!` to `~`) is a whole char, and not
        // whitespace; at the end too, since the last byte of a longer
        // char is never ASCII.
        match (self.as_bytes().first(), self.as_bytes().last()) {
            (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => {
                self
            }
            _ => self.trim(),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Trimmed;

    #[test]
    fn trims_as_str_trim_does() {
        for s in [
            "",
            " ",
            "NONE",
            " NONE ",
            "\u{b}NONE",
            "NONE\u{c}",
            "\u{a0}x",
            "x\u{2003}",
            "\u{85}",
            "\u{3000}Kaspersky\u{3000}",
            "é",
            "x\ty",
            "\r\n",
        ] {
            assert_eq!(s.trimmed(), s.trim(), "{s:?}");
        }
        // The fast case borrows the very same text.
        let s = "SPDXRef-c1";
        assert!(std::ptr::eq(s.trimmed(), s));
    }

    proptest! {
        #[test]
        fn any_text_trims_as_str_trim_does(s in "[ \\t\\n\\r\\x0b\\x0c\\u{85}\\u{a0}\\u{2003}a-z!~é]{0,12}") {
            prop_assert_eq!(s.trimmed(), s.trim());
        }
    }
}
