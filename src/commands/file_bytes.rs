//! Reading an input's bytes, never more than the size cap.
//!
//! A big SBOM is read by every core at once, each core a part of the file
//! at its own offset: reading is the kernel copying the page cache into
//! fresh pages, which costs about a tenth of a 100,000-component audit
//! when one thread does it while the others wait for the bytes
//! (docs/performance.md). Files of 4 MiB and more are mapped instead
//! (`mapped`) unless `--no-mmap` asks for them to be read.

use std::fs::File;
use std::io::Read;

/// Files smaller than this are read by one thread: starting more would
/// cost more than they save.
const PARALLEL_FROM: u64 = 4 << 20;

/// The bytes of the file, or `None` if it holds more than `limit`.
/// `size` is the file's size when the caller looked (its `metadata`),
/// which decides how it is read; a file that grew or shrank since is
/// still read whole.
pub fn read_file(file: File, size: u64, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    #[cfg(unix)]
    if size >= PARALLEL_FROM && size <= limit {
        if let Some(bytes) = in_parts(&file, size, limit)? {
            return Ok(Some(bytes).filter(|b| b.len() as u64 <= limit));
        }
    }
    read_capped(file, limit)
}

/// Reads at most `limit` bytes; `None` if there was more.
pub fn read_capped(reader: impl Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Reads the `size` bytes the file had when it was opened in parts, one
/// per thread, then whatever was appended since (up to one byte past
/// `limit`, to tell that it is too large). `None` when the file shrank
/// meanwhile: the caller reads it again from the start.
#[cfg(unix)]
fn in_parts(file: &File, size: u64, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use rayon::prelude::*;
    use std::io::{ErrorKind, Seek, SeekFrom};
    use std::os::unix::fs::FileExt;

    let Ok(len) = usize::try_from(size) else {
        return Ok(None);
    };
    // Zeroed memory comes from the kernel untouched, so each page is first
    // touched by the thread that reads into it.
    let mut bytes = vec![0u8; len];
    let part = len.div_ceil(rayon::current_num_threads().max(1));
    let read = bytes
        .par_chunks_mut(part)
        .enumerate()
        .try_for_each(|(i, chunk)| file.read_exact_at(chunk, (i * part) as u64));
    match read {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut rest = file;
    rest.seek(SeekFrom::Start(size))?;
    rest.take(limit.saturating_add(1).saturating_sub(size))
        .read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

#[cfg(test)]
pub(super) mod tests {
    use std::io::Write;

    use super::*;

    /// A temporary file holding `bytes`, and the file opened for reading.
    pub(in crate::commands) fn file_of(bytes: &[u8]) -> (tempfile::NamedTempFile, File) {
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        tmp.write_all(bytes).unwrap();
        tmp.flush().unwrap();
        let file = File::open(tmp.path()).unwrap();
        (tmp, file)
    }

    /// Bytes that differ from one part of the file to the next, so that a
    /// part read at the wrong offset shows.
    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 + i / 4093) as u8).collect()
    }

    #[test]
    fn a_big_file_is_read_whole_and_in_order() {
        let want = pattern(PARALLEL_FROM as usize * 2 + 12_345);
        let (_tmp, file) = file_of(&want);
        let got = read_file(file, want.len() as u64, u64::MAX)
            .unwrap()
            .unwrap();
        assert_eq!(got.len(), want.len());
        assert!(got == want, "the parts were put together wrongly");
    }

    #[test]
    fn a_small_file_is_read_whole() {
        let want = pattern(1000);
        let (_tmp, file) = file_of(&want);
        assert_eq!(read_file(file, 1000, 1000).unwrap(), Some(want));
    }

    #[test]
    fn a_file_over_the_cap_is_refused_at_either_size() {
        for len in [1001, PARALLEL_FROM as usize + 1] {
            let (tmp, _) = file_of(&pattern(len));
            let limit = len as u64 - 1;
            // Whatever size the caller saw: one within the cap too.
            for size in [len as u64, limit] {
                let file = File::open(tmp.path()).unwrap();
                let got = read_file(file, size, limit).unwrap();
                assert_eq!(got, None, "{len} bytes, seen as {size}");
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn bytes_appended_after_the_size_was_taken_are_read_too() {
        let first = pattern(PARALLEL_FROM as usize);
        let size = first.len() as u64;
        let (tmp, file) = file_of(&first);
        let mut more = std::fs::OpenOptions::new()
            .append(true)
            .open(tmp.path())
            .unwrap();
        more.write_all(b"tail").unwrap();
        let got = read_file(file, size, u64::MAX).unwrap().unwrap();
        assert_eq!(got.len(), first.len() + 4);
        assert!(got.starts_with(&first) && got.ends_with(b"tail"));
        // Growing past the cap is refused, though the size seen was not.
        let file = File::open(tmp.path()).unwrap();
        assert_eq!(read_file(file, size, size + 1).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_that_shrank_is_read_again() {
        let want = pattern(1000);
        let (_tmp, file) = file_of(&want);
        // A size seen earlier, big enough to read in parts, and more than
        // the file holds now.
        assert_eq!(in_parts(&file, PARALLEL_FROM, u64::MAX).unwrap(), None);
        let got = read_file(file, PARALLEL_FROM, u64::MAX).unwrap();
        assert_eq!(got, Some(want));
    }
}
