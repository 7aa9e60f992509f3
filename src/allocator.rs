//! The process's memory allocator settings: a process-wide choice, so the
//! binary's, not the library's.

/// Blocks of this size and up get a mapping of their own, which `free`
/// gives back to the kernel at once.
///
/// 256 KiB, above the buffers that each chunk of a parallel read fills
/// and frees (a chunk's component list is about 80 KiB): below it, each
/// of those was a mapping of its own, unmapped when its chunk was
/// appended (340 `munmap`s at 100,000 components, each stopping the other
/// cores to flush their TLBs) and faulted in again, page by page, for the
/// next chunk. From malloc's heaps they are reused instead.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 256 * 1024;

/// Keeps glibc's malloc from holding on to the memory of freed buffers,
/// and from mapping and unmapping the mid-sized ones over and over.
///
/// glibc serves a block of 128 KiB or more from a mapping of its own and
/// unmaps it on `free`, but each such `free` raises that threshold to the
/// block's size (up to 32 MiB). An audit frees large buffers while it
/// reads, and from then on buffers up to that size come from malloc's
/// heaps, where memory freed is kept by the process. (Which frees raise it
/// was not traced; the effect was measured.) Fixed, the threshold no
/// longer moves: at 64 KiB the peak memory of a 100,000-component audit
/// fell by 3.3 MiB (CycloneDX) and 1.8 MiB (SPDX), with no change in
/// time. At 256 KiB it costs 2 MiB of that back at 100,000 components,
/// for 6 to 13% less CPU time: page faults fell from 33,000 to 28,000
/// (CycloneDX) and from 77,000 to 68,000 (SPDX), and `munmap` calls from
/// 419 to 38 (CycloneDX; docs/performance.md, the twelfth round).
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
