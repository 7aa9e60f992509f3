//! Decoding the escapes of a JSON string whose syntax has been checked.
//!
//! A string with a backslash used to be decoded by `serde_json`: a
//! deserializer set up per string, its escapes written to a scratch
//! buffer, that buffer checked as UTF-8 and copied into a `String`. Here
//! the text between escapes is copied as it is (it is a `str` already)
//! and each escape is decoded in place, into one allocation of the
//! string's length: in the 10k CycloneDX audit, whose 2,828 escaped
//! strings are copyright lines with a `\u00a9` and descriptions and
//! supplier names with a `\"`, `json::string` went from 12.8 M to 9.2 M
//! instructions (callgrind, docs/performance.md).

/// The text that `inner`, the inside of a JSON string literal (without
/// its quotes), stands for; `None` when an escape is malformed, which a
/// checked document never has.
///
/// JSON allows a lone surrogate (`"\ud800"`), which no Rust string can
/// hold: each one becomes one U+FFFD rather than costing the value.
pub(super) fn unescape(inner: &str) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(rest.get(..at)?);
        let escape = *rest.as_bytes().get(at + 1)?;
        rest = rest.get(at + 2..)?;
        let decoded = match escape {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = hex4(rest)?;
                rest = rest.get(4..)?;
                let low = rest
                    .strip_prefix("\\u")
                    .and_then(hex4)
                    .filter(|low| (0xDC00..=0xDFFF).contains(low));
                match (unit, low) {
                    (0xD800..=0xDBFF, Some(low)) => {
                        rest = rest.get(6..)?;
                        let pair = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(pair).unwrap_or(char::REPLACEMENT_CHARACTER)
                    }
                    // A lone surrogate is not a char: `from_u32` refuses it.
                    _ => char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER),
                }
            }
            _ => return None,
        };
        out.push(decoded);
    }
    out.push_str(rest);
    Some(out)
}

/// The value of the four hex digits `text` starts with.
fn hex4(text: &str) -> Option<u32> {
    let digits = text.as_bytes().get(..4)?;
    digits.iter().try_fold(0, |value, &digit| {
        let nibble = char::from(digit).to_digit(16)?;
        Some(value << 4 | nibble)
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// `text` as a JSON string literal's inside, every char past ASCII
    /// written as `\u` escapes (surrogate pairs above the BMP) when
    /// `ascii` is set, else as `serde_json` writes it.
    fn escaped(text: &str, ascii: bool) -> String {
        let json = serde_json::to_string(text).unwrap_or_default();
        let inner = json
            .strip_prefix('"')
            .and_then(|j| j.strip_suffix('"'))
            .unwrap_or_default();
        if !ascii {
            return inner.to_owned();
        }
        let mut out = String::new();
        for c in inner.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                let mut units = [0; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
        }
        out
    }

    #[test]
    fn every_escape_decodes() {
        let inner = r#"\"\\\/\b\f\n\r\t\u00e9\u00E9 \ud83d\ude00 x"#;
        assert_eq!(
            unescape(inner).as_deref(),
            Some("\"\\/\u{8}\u{c}\n\r\téé 😀 x")
        );
        assert_eq!(unescape("no escapes").as_deref(), Some("no escapes"));
        assert_eq!(unescape("").as_deref(), Some(""));
    }

    #[test]
    fn a_lone_surrogate_is_one_replacement_character() {
        for (inner, want) in [
            (r"a\ud800b", "a\u{fffd}b"),
            (r"a\udc00b", "a\u{fffd}b"),
            (r"\ud800", "\u{fffd}"),
            // A high surrogate followed by an escape that is not a low one.
            (r"\ud800\u0041", "\u{fffd}A"),
            (r"\ud800\ud800\udc00", "\u{fffd}\u{10000}"),
            (r"\udc00\ud800", "\u{fffd}\u{fffd}"),
        ] {
            assert_eq!(unescape(inner).as_deref(), Some(want), "{inner}");
        }
    }

    #[test]
    fn malformed_escapes_are_refused_not_guessed() {
        for inner in [r"\", r"\x", r"\u12", r"\u12g4", r"ab\"] {
            assert_eq!(unescape(inner), None, "{inner}");
        }
    }

    proptest! {
        #[test]
        fn decodes_what_serde_json_writes(text in "\\PC*|[\\x00-\\x1f\"\\\\/é😀]*") {
            for ascii in [false, true] {
                let inner = escaped(&text, ascii);
                let decoded = unescape(&inner);
                prop_assert_eq!(decoded.as_deref(), Some(text.as_str()));
            }
        }
    }
}
