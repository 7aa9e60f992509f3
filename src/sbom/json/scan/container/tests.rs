//! The walk sixteen bytes at a time against the byte loop it replaced,
//! on any text.

use proptest::prelude::*;

use super::super::Known;

/// The walk with nothing remembered; these texts are shorter than
/// `FAR` anyway (`known` has the tests of long ones).
fn end(bytes: &[u8], at: usize) -> Option<usize> {
    super::end(bytes, at, &mut Known::off())
}

/// The byte loop `value_end` used for containers before: the oracle.
fn end_bytewise(bytes: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = at;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                i += 1;
                loop {
                    match *bytes.get(i)? {
                        b'"' => break,
                        b'\\' => i += 2,
                        _ => i += 1,
                    }
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8192, ..ProptestConfig::default() })]

    /// Text of the bytes that matter to the walk, and bytes whose one
    /// bit away from them (`;`, `{`'s and `}`'s neighbours, `|`, `\x7f`)
    /// must not: the same end, or none, from every opening bracket.
    #[test]
    fn agrees_with_the_byte_loop(text in "[\\[\\]{}\"\\\\ a:,;z|\\x7b\\x7d\\x5b\\x5d\\x5c\\x7f\\x3bé]{0,100}") {
        let bytes = text.as_bytes();
        for at in 0..bytes.len() {
            if matches!(bytes[at], b'{' | b'[') {
                prop_assert_eq!(end(bytes, at), end_bytewise(bytes, at), "{:?} at {}", text, at);
            }
        }
    }
}

#[test]
fn hand_picked_cases() {
    let cases = [
        (r#"{}"#, Some(2)),
        (r#"[1, [2, {"a": "]"}], 3] tail"#, Some(23)),
        (r#"{"a\"}": "\\", "b": ["x\\\"]"]} "#, Some(31)),
        (r#"{"unclosed": "}"#, None),
        (r#"[[]"#, None),
    ];
    for (text, want) in cases {
        assert_eq!(end(text.as_bytes(), 0), want, "{text}");
        assert_eq!(end_bytewise(text.as_bytes(), 0), want, "{text}");
    }
    // A closing bracket, a quote and an escape at every offset of the
    // sixteen-byte stretches, and strings that straddle them.
    for pad in 0..40 {
        let x = "x".repeat(pad);
        for text in [
            format!(r#"{{"{x}": "{x}\"}}{x}", "b": [{x}]}}"#),
            format!(r#"[{x}"\\", "{x}\\\\", ["{x}]"]]"#),
            format!(r#"{{"k": "{x}\u005d{x}"}}"#),
        ] {
            let bytes = text.as_bytes();
            assert_eq!(end(bytes, 0), Some(bytes.len()), "{text}");
            assert_eq!(end_bytewise(bytes, 0), Some(bytes.len()), "{text}");
        }
    }
}
