//! Asking the CPU for a cache line before the code needs it.
//!
//! A loop that touches one random place of a big array per step waits for
//! memory at every step: the work between two touches is too long for the
//! CPU to reach the next touch while the last one is in flight. Naming the
//! place some steps ahead puts several of those waits in flight together.
//! `RefTable::get_many` gets the same effect by taking its look-ups apart
//! into steps; where a loop cannot be taken apart, this does it.

/// Starts loading the cache line that holds `item` into every level of
/// the cache, and returns at once. Never faults, and changes nothing a
/// program can observe but its speed. Where the crate knows no such
/// instruction (targets other than x86_64) it does nothing.
#[inline(always)]
pub(crate) fn prefetch<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    safe_arch::prefetch_t0(item);
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}
