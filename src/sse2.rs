//! Sixteen bytes of text at a time, with SSE2: the JSON scanner's
//! classes of bytes, and a purl's.
//!
//! Every x86_64 CPU has SSE2. `safe_arch` wraps its intrinsics in safe
//! functions, so oemtrace itself stays without `unsafe`. One comparison
//! and one mask extraction classify sixteen bytes, where a byte loop or a
//! `u64` word trick spends several instructions on each byte.

use safe_arch::{
    bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, m128i, min_u8_m128i,
    move_mask_i8_m128i, set_splat_i8_m128i, sub_i8_m128i,
};

/// Bit k set where byte k of `v` is `byte`.
fn equal(v: m128i, byte: u8) -> u32 {
    let equal = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(byte as i8));
    // The mask has sixteen bits: no sign to lose.
    move_mask_i8_m128i(equal) as u32
}

/// Bit k set where byte k of `chunk` ends the plain run of a string: a
/// quote or a backslash, and with `CONTROLS` a byte below 0x20 too.
pub(crate) fn specials<const CONTROLS: bool>(chunk: &[u8; 16]) -> u32 {
    let v = load_unaligned_m128i(chunk);
    let mut found = equal(v, b'"') | equal(v, b'\\');
    if CONTROLS {
        // Unsigned: a byte is at most 0x1f when the smaller of it and
        // 0x1f is itself.
        let low = min_u8_m128i(v, set_splat_i8_m128i(0x1f));
        found |= move_mask_i8_m128i(cmp_eq_mask_i8_m128i(low, v)) as u32;
    }
    found
}

/// Which of sixteen bytes are of each class that matters to the walk of
/// a container, bit k for byte k.
pub(crate) struct Classes {
    pub quotes: u32,
    pub backslashes: u32,
    /// `{` and `[`.
    pub opens: u32,
    /// `}` and `]`.
    pub closes: u32,
}

impl Classes {
    pub(crate) fn of(chunk: &[u8; 16]) -> Self {
        let v = load_unaligned_m128i(chunk);
        // The bit 0x20 tells `[` (0x5b) from `{` (0x7b) and `]` from `}`,
        // and no other byte becomes `{` or `}` with it set.
        let folded = bitor_m128i(v, set_splat_i8_m128i(0x20));
        Classes {
            quotes: equal(v, b'"'),
            backslashes: equal(v, b'\\'),
            opens: equal(folded, b'{'),
            closes: equal(folded, b'}'),
        }
    }
}

/// Which of sixteen bytes of a purl matter to `vendordb::ident`'s parse
/// of a plain purl, bit k for byte k.
pub(crate) struct PurlBytes {
    pub slashes: u32,
    /// `@`: a version begins, after the last slash.
    pub ats: u32,
    /// `#` and `?`: the subpath or the qualifiers begin.
    pub ends: u32,
    /// `%`, uppercase ASCII letters and bytes past ASCII: the purl needs
    /// decoding or lowercasing.
    pub not_plain: u32,
}

impl PurlBytes {
    pub(crate) fn of(chunk: &[u8; 16]) -> Self {
        let v = load_unaligned_m128i(chunk);
        // Unsigned: a byte is an uppercase letter when it minus `A` is at
        // most 25 (a byte below `A` wraps past it).
        let from_a = sub_i8_m128i(v, set_splat_i8_m128i(b'A' as i8));
        let upper = cmp_eq_mask_i8_m128i(min_u8_m128i(from_a, set_splat_i8_m128i(25)), from_a);
        PurlBytes {
            slashes: equal(v, b'/'),
            ats: equal(v, b'@'),
            ends: equal(v, b'#') | equal(v, b'?'),
            // The high bit of each byte is its own mask bit.
            not_plain: equal(v, b'%')
                | move_mask_i8_m128i(upper) as u32
                | move_mask_i8_m128i(v) as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purl_bytes_are_told_in_every_place() {
        for b in 0..=255u8 {
            for at in 0..16 {
                let mut chunk = [b'a'; 16];
                chunk[at] = b;
                let found = PurlBytes::of(&chunk);
                let bit = 1 << at;
                assert_eq!(found.slashes == bit, b == b'/', "{b:#x} at {at}");
                assert_eq!(found.ats == bit, b == b'@', "{b:#x} at {at}");
                assert_eq!(
                    found.ends == bit,
                    matches!(b, b'#' | b'?'),
                    "{b:#x} at {at}"
                );
                let not_plain = b == b'%' || b.is_ascii_uppercase() || b >= 0x80;
                assert_eq!(found.not_plain == bit, not_plain, "{b:#x} at {at}");
                for other in [found.slashes, found.ats, found.ends, found.not_plain] {
                    assert_eq!(other & !bit, 0, "{b:#x} at {at}");
                }
            }
        }
    }
}
