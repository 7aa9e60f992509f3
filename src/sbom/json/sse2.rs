//! Sixteen bytes of JSON at a time, with SSE2.
//!
//! Every x86_64 CPU has SSE2. `safe_arch` wraps its intrinsics in safe
//! functions, so oemtrace itself stays without `unsafe`. One comparison
//! and one mask extraction classify sixteen bytes, where a byte loop or a
//! `u64` word trick spends several instructions on each byte.

use safe_arch::{
    bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, m128i, min_u8_m128i,
    move_mask_i8_m128i, set_splat_i8_m128i,
};

/// Bit k set where byte k of `v` is `byte`.
fn equal(v: m128i, byte: u8) -> u32 {
    let equal = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(byte as i8));
    // The mask has sixteen bits: no sign to lose.
    move_mask_i8_m128i(equal) as u32
}

/// Bit k set where byte k of `chunk` ends the plain run of a string: a
/// quote or a backslash, and with `CONTROLS` a byte below 0x20 too.
pub(super) fn specials<const CONTROLS: bool>(chunk: &[u8; 16]) -> u32 {
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
pub(super) struct Classes {
    pub quotes: u32,
    pub backslashes: u32,
    /// `{` and `[`.
    pub opens: u32,
    /// `}` and `]`.
    pub closes: u32,
}

impl Classes {
    pub(super) fn of(chunk: &[u8; 16]) -> Self {
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
