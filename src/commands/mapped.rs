//! Big SBOM files mapped into memory instead of read into a buffer.
//!
//! Reading a file copies the kernel's page cache into fresh pages, which
//! the kernel first zeroes: 5 to 9% of a big audit's wall time
//! (docs/performance.md, the fifteenth round). A mapping uses the page
//! cache's own pages: nothing is zeroed or copied, and under memory
//! pressure the kernel may drop the pages and read them again rather than
//! swap them out.
//!
//! The price is the one every program that maps files pays (ripgrep maps
//! big files too): the bytes are the file's, so a file that another
//! process rewrites during the audit changes under it, and one truncated
//! meanwhile raises `SIGBUS`, which `sigbus` turns into exit code 2 and
//! an error that names the file (on Linux with glibc; elsewhere the
//! process dies of it). `--no-mmap` reads instead, for SBOMs on storage
//! where that may happen.

use std::fs::File;

use memmap2::Mmap;
use oemtrace::model::SourceText;
use rayon::prelude::*;

/// Files of this size and up are mapped; smaller ones are read, which
/// costs about as little and keeps the file closed during the audit.
pub const MAP_FROM: u64 = 4 << 20;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod sigbus;

/// Without glibc's `siginfo_t` to hand, a shrunk file ends the process
/// with `SIGBUS`, as in any program that maps files.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod sigbus {
    pub struct Registered;

    pub fn register(_: &[u8], _: &str) -> Registered {
        Registered
    }

    pub fn unregister(_: &Registered) {}
}

/// A mapped file whose bytes were found to be UTF-8.
struct Utf8Map {
    map: Mmap,
    registered: sigbus::Registered,
}

impl AsRef<str> for Utf8Map {
    fn as_ref(&self) -> &str {
        // SAFETY: `text` checked the bytes are UTF-8 before it made this,
        // and the mapping is private and read-only, so oemtrace never
        // changes them. Another process rewriting the file is the risk
        // the module's doc states, which `--no-mmap` avoids.
        unsafe { std::str::from_utf8_unchecked(&self.map) }
    }
}

impl Drop for Utf8Map {
    fn drop(&mut self) {
        sigbus::unregister(&self.registered);
    }
}

/// The text of the file `name`, mapped. `None` when it cannot be mapped,
/// holds more than `limit` bytes (it grew since its size was looked at)
/// or is not UTF-8: the caller reads it instead, and the reading says why
/// it is refused, with the place of the first byte that is not UTF-8.
pub fn text(file: &File, name: &str, limit: u64) -> Option<SourceText> {
    // Not populated: the UTF-8 check touches every page first, on every
    // core, and faults them in there (1M CycloneDX: 28 ms for the map and
    // the check, 30 to 34 ms with `populate`, which maps on one core).
    //
    // SAFETY: the mapping lives in the `Utf8Map` that owns it; the bytes
    // it shows can change only if another process changes the file (see
    // the module's doc, and `sigbus` for a file that shrinks).
    let map = unsafe { Mmap::map(file) }.ok()?;
    if map.len() as u64 > limit {
        return None;
    }
    // Registered before the first look at the bytes: the file may shrink
    // from the moment it is mapped.
    let registered = sigbus::register(&map, name);
    let map = Utf8Map { map, registered };
    utf8(&map.map).then(|| SourceText::new(map))
}

/// Whether `bytes` are UTF-8, checked by every core: on one core the
/// check is a stretch of about 40 ms at 1,000,000 components while the
/// other core waits. Eight parts a core, so that a core that wakes late
/// still finds parts left to take.
///
/// Each part starts at a byte that is not a continuation byte (or at the
/// end). In UTF-8 text such a byte starts a character, so every part of a
/// valid text is valid; and parts that are each valid make a valid text
/// when put together. So the text is valid exactly when every part is.
fn utf8(bytes: &[u8]) -> bool {
    let parts = 8 * rayon::current_num_threads().max(1);
    let step = bytes.len().div_ceil(parts).max(1);
    let mut bounds = vec![0];
    let mut at = step;
    while at < bytes.len() {
        while at < bytes.len() && bytes[at] & 0xC0 == 0x80 {
            at += 1;
        }
        bounds.push(at);
        at += step;
    }
    bounds.push(bytes.len());
    bounds
        .par_windows(2)
        .all(|w| std::str::from_utf8(&bytes[w[0]..w[1]]).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::file_bytes::tests::file_of;

    /// Text with characters of one to four bytes, so that a part's start
    /// falls inside characters of every length somewhere.
    fn mixed(len: usize) -> String {
        let mut text = String::new();
        let alphabet = ['a', 'é', 'ж', '€', '漢', '🦀', '\n'];
        let mut i = 0;
        while text.len() < len {
            text.push(alphabet[i % alphabet.len()]);
            i += 1;
        }
        text
    }

    #[test]
    fn utf8_in_parts_agrees_with_std_at_every_split() {
        let text = mixed(200);
        let bytes = text.as_bytes();
        // Whatever number of threads: splits at every offset, in a pool of
        // each size.
        for threads in 1..=5 {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            for end in 0..=bytes.len() {
                let valid = std::str::from_utf8(&bytes[..end]).is_ok();
                assert_eq!(
                    pool.install(|| utf8(&bytes[..end])),
                    valid,
                    "{threads} threads, end {end}"
                );
            }
        }
    }

    #[test]
    fn one_bad_byte_anywhere_is_found() {
        let text = mixed(4000);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        for at in (0..text.len()).step_by(7) {
            for bad in [0xFF, 0x80, 0xC3] {
                let mut bytes = text.clone().into_bytes();
                bytes[at] = bad;
                let want = std::str::from_utf8(&bytes).is_ok();
                assert_eq!(pool.install(|| utf8(&bytes)), want, "byte {bad:#x} at {at}");
            }
        }
    }

    #[test]
    fn a_utf8_file_is_mapped_whole() {
        let want = mixed(MAP_FROM as usize + 1234);
        let (_tmp, file) = file_of(want.as_bytes());
        let text = text(&file, "t.json", u64::MAX).expect("mapped");
        assert!(&*text == want.as_str());
    }

    #[test]
    fn a_file_over_the_limit_or_not_utf8_is_left_to_reading() {
        let mut bytes = mixed(MAP_FROM as usize).into_bytes();
        let (_tmp, file) = file_of(&bytes);
        assert!(text(&file, "t.json", bytes.len() as u64 - 1).is_none());
        assert!(text(&file, "t.json", bytes.len() as u64).is_some());
        let last = bytes.len() - 1;
        bytes[last] = 0xFF;
        let (_tmp, file) = file_of(&bytes);
        assert!(text(&file, "t.json", u64::MAX).is_none());
    }
}
