//! The process's memory allocator settings: a process-wide choice, so the
//! binary's, not the library's.

/// Blocks of this size and up get a mapping of their own, which `free`
/// gives back to the kernel at once.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 64 * 1024;

/// Keeps glibc's malloc from holding on to the memory of freed buffers.
///
/// glibc serves a block of 128 KiB or more from a mapping of its own and
/// unmaps it on `free`, but each such `free` raises that threshold to the
/// block's size (up to 32 MiB). An audit frees large buffers while it
/// reads, and from then on buffers up to that size come from malloc's
/// heaps, where memory freed is kept by the process. (Which frees raise it
/// was not traced; the effect was measured.) Fixed at 64 KiB, the
/// threshold no longer moves: at 100,000 components the peak memory of an
/// audit fell by 3.3 MiB (CycloneDX) and 1.8 MiB (SPDX), with no change in
/// time (5 interleaved rounds, docs/performance.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune() {
    // SAFETY: `mallopt` sets one of malloc's parameters. glibc allows it
    // at any time and from any thread, and it takes no pointer.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

/// Other allocators keep their defaults.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}
