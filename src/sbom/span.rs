//! Turning byte offsets into the line and column a person reads.

use std::sync::OnceLock;

mod snippet;

pub use snippet::Snippet;

/// Bytes per checkpoint: of the line count ([`Checkpoint`]), and of the
/// character count on long lines (`LineIndex::marks`).
const BLOCK: usize = 4096;

/// Where the lines stand at each [`BLOCK`] of one source text, so
/// that a location is a look-up and a scan of less than one block.
///
/// A list of every line start (the index before this one) was 8 bytes a
/// line: 16 MB for the 2,000,000 lines of a million-component CycloneDX
/// SBOM, 40 MB for SPDX's 5,000,000, each one written, and `memchr`
/// stopped at every newline to find them, for the locations of the
/// report (that SBOM's audit has 250 findings). A checkpoint per 4 KiB
/// is 16 bytes (1.3 MB for 325 MB of text), and building it only counts
/// newlines, sixteen bytes at a time ([`newlines`]).
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Block `k` (bytes from `k * BLOCK`): see [`Checkpoint`]. One
    /// for every block that starts at or before the end of the text.
    checkpoints: Vec<Checkpoint>,
    /// `marks[k]`: the characters before block `k` of the text (which
    /// starts at the character boundary at or before `k * BLOCK`). Built
    /// on the first column asked for far into a line: a minified SBOM is
    /// one line, and counting its characters from the line start for
    /// every location would make many locations cost quadratic time.
    marks: OnceLock<Vec<usize>>,
}

/// The lines before one block, and the line its first byte is on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Checkpoint {
    /// Newlines before the block.
    newlines: usize,
    /// Where the line that holds the block's first byte starts.
    line_start: usize,
}

/// Texts of this many bytes or more are counted on every core, a part of
/// this size each, for the cores that are free: an audit builds a big
/// SBOM's index beside tracing (`audit::line_indexes`), another caller
/// when its first location is asked for.
/// A multiple of [`BLOCK`], so that no block straddles two parts.
const PART: usize = 1 << 20;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Per block: its newlines, and the offset after its last one.
        let blocks: Vec<(usize, Option<usize>)> = if bytes.len() < 2 * PART {
            block_counts(bytes, 0)
        } else {
            use rayon::prelude::*;
            let parts: Vec<Vec<(usize, Option<usize>)>> = bytes
                .par_chunks(PART)
                .enumerate()
                .map(|(k, part)| block_counts(part, k * PART))
                .collect();
            parts.concat()
        };
        let mut checkpoints = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut at = Checkpoint::default();
        checkpoints.push(at);
        for (newlines, after_last) in blocks {
            at.newlines += newlines;
            at.line_start = after_last.unwrap_or(at.line_start);
            checkpoints.push(at);
        }
        // A block that starts exactly at the end has a checkpoint (the
        // end is a valid offset); one that would start past it has none.
        checkpoints.truncate(bytes.len() / BLOCK + 1);
        LineIndex {
            checkpoints,
            marks: OnceLock::new(),
        }
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    /// Offsets past the end clamp to the end.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let k = offset / BLOCK;
        let at = self.checkpoints.get(k).copied().unwrap_or_default();
        let from = k * BLOCK;
        let scanned = text.as_bytes().get(from..offset).unwrap_or_default();
        let line = at.newlines + newlines(scanned);
        let start = memchr::memrchr(b'\n', scanned).map_or(at.line_start, |i| from + i + 1);
        let end = floor_boundary(text, offset);
        let column = if end - start <= BLOCK {
            text[start..end].chars().count()
        } else {
            self.chars_before(text, end)
                .saturating_sub(self.chars_before(text, start))
        };
        (line + 1, column + 1)
    }

    /// The number of characters in `text` before byte `pos` (a character
    /// boundary): a checkpoint plus at most one block counted.
    fn chars_before(&self, text: &str, pos: usize) -> usize {
        let marks = self.marks.get_or_init(|| {
            let mut marks = Vec::with_capacity(text.len() / BLOCK + 1);
            let (mut chars, mut prev) = (0, 0);
            for k in 0..=text.len() / BLOCK {
                let at = floor_boundary(text, k * BLOCK);
                chars += text.get(prev..at).map_or(0, |s| s.chars().count());
                marks.push(chars);
                prev = at;
            }
            marks
        });
        let k = pos / BLOCK;
        let at = floor_boundary(text, k * BLOCK);
        let counted = text.get(at..pos).map_or(0, |s| s.chars().count());
        marks.get(k).copied().unwrap_or(0) + counted
    }
}

/// For each [`BLOCK`] of `bytes` (which start at offset `base` of
/// the text): its newlines, and the offset after its last one.
fn block_counts(bytes: &[u8], base: usize) -> Vec<(usize, Option<usize>)> {
    bytes
        .chunks(BLOCK)
        .enumerate()
        .map(|(k, block)| {
            let after_last = memchr::memrchr(b'\n', block).map(|i| base + k * BLOCK + i + 1);
            (newlines(block), after_last)
        })
        .collect()
}

/// The newlines in `bytes`. Counted in runs of 255 bytes, whose count
/// fits a byte, so that the compiler compares and adds sixteen bytes at
/// a time (SSE2's `pcmpeqb` and `psubb` in the release build): the index
/// of the 3 MB 10k CycloneDX file costs 1.9 M instructions (callgrind),
/// where a search that stopped at each newline (`memchr`) spent its time
/// starting and stopping on a pretty-printed SBOM's short lines.
fn newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|run| usize::from(run.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>()))
        .sum()
}

/// The character boundary at or before `pos` (clamped to the text).
fn floor_boundary(text: &str, pos: usize) -> usize {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_and_column() {
        let t = "ab\ncd\n";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(t, 0), (1, 1));
        assert_eq!(ix.line_col(t, 1), (1, 2));
        assert_eq!(ix.line_col(t, 3), (2, 1));
        assert_eq!(ix.line_col(t, 4), (2, 2));
        assert_eq!(ix.line_col(t, 6), (3, 1));
        assert_eq!(ix.line_col(t, 999), (3, 1));
    }

    #[test]
    fn every_line_start_is_found() {
        let t = "a\n\nbc\r\n«d»\n".repeat(50);
        let ix = LineIndex::new(&t);
        let mut line = 1;
        let mut start = 0;
        for (i, b) in t.bytes().enumerate() {
            if t.is_char_boundary(i) {
                let column = t[start..i].chars().count() + 1;
                assert_eq!(ix.line_col(&t, i), (line, column), "offset {i}");
            }
            if b == b'\n' {
                line += 1;
                start = i + 1;
            }
        }
    }

    /// Line and column the slow way: count from the start of the text.
    fn counted(t: &str, offset: usize) -> (usize, usize) {
        let end = floor_boundary(t, offset);
        let start = t[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = t[..end].matches('\n').count() + 1;
        (line, t[start..end].chars().count() + 1)
    }

    #[test]
    fn a_big_text_counted_in_parts_puts_every_offset_on_its_line() {
        // Newlines on both sides of each part's and block's edge, and
        // lines of every length in between, one longer than a block.
        let mut bytes = vec![b'x'; 3 * PART + 500];
        let mut at = 0;
        let mut step = 1;
        while at < 2 * PART + 100 {
            if let Some(b) = bytes.get_mut(at) {
                *b = b'\n';
            }
            at += step;
            step = step % 7_919 + 13;
        }
        let edges = [PART - 1, PART, 2 * PART - 1, 2 * PART + 1, 3 * PART];
        for edge in edges.into_iter().chain([BLOCK, 5 * BLOCK - 1]) {
            if let Some(b) = bytes.get_mut(edge) {
                *b = b'\n';
            }
        }
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.len() >= 2 * PART, "the parallel way");
        let ix = LineIndex::new(&text);
        let near = |e: usize| e.saturating_sub(2)..(e + 3).min(text.len() + 1);
        let offsets = (0..text.len() + 1)
            .step_by(997)
            .chain(edges.iter().flat_map(|&e| near(e)))
            .chain((0..=text.len() / BLOCK).flat_map(|k| near(k * BLOCK)))
            .chain([text.len(), text.len() + 10]);
        // One running count rather than `counted` for each offset, which
        // would take quadratic time on a text of 3 MiB.
        let mut sorted: Vec<usize> = offsets.collect();
        sorted.sort_unstable();
        let (mut line, mut start, mut done) = (1, 0, 0);
        for offset in sorted {
            let end = offset.min(text.len());
            for (i, b) in text.as_bytes()[done..end].iter().enumerate() {
                if *b == b'\n' {
                    line += 1;
                    start = done + i + 1;
                }
            }
            done = end;
            assert_eq!(
                ix.line_col(&text, offset),
                (line, end - start + 1),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn newlines_are_counted_in_runs_of_every_length() {
        for len in [0, 1, 254, 255, 256, 510, 511, 4096, 5000] {
            for every in [1, 2, 3, 255] {
                let bytes: Vec<u8> = (0..len)
                    .map(|i| if i % every == 0 { b'\n' } else { b'a' })
                    .collect();
                let want = bytes.iter().filter(|&&b| b == b'\n').count();
                assert_eq!(newlines(&bytes), want, "len {len}, every {every}");
            }
        }
    }

    proptest::proptest! {
        /// Any text, any offset: the checkpoints agree with counting
        /// from the start. Lines of every length, from none to several
        /// blocks, and characters of every width.
        #[test]
        fn any_offset_agrees_with_counting_from_the_start(
            pieces in proptest::collection::vec((0usize..3 * BLOCK, 0usize..4), 0..12),
            offsets in proptest::collection::vec(0usize..40_000, 1..40),
        ) {
            let text: String = pieces
                .iter()
                .map(|&(len, kind)| {
                    let c = ['a', 'é', '€', '🦀'][kind];
                    let mut line: String = std::iter::repeat_n(c, len / c.len_utf8()).collect();
                    line.push('\n');
                    line
                })
                .collect();
            let ix = LineIndex::new(&text);
            for offset in offsets {
                proptest::prop_assert_eq!(ix.line_col(&text, offset), counted(&text, offset), "offset {}", offset);
            }
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let t = "{\"s\": \"АО\", \"x\": 1}";
        let ix = LineIndex::new(t);
        let off = t.find("\"x\"").unwrap();
        assert_eq!(ix.line_col(t, off), (1, 13));
    }

    #[test]
    fn columns_far_into_a_long_line_use_checkpoints() {
        // Mixed widths, so that bytes and characters differ everywhere.
        let line: String = (0..20_000)
            .map(|i| if i % 3 == 0 { 'Ж' } else { 'a' })
            .collect();
        let t = format!("x\n{line}\n{line}");
        let ix = LineIndex::new(&t);
        for offset in [
            0,
            1,
            2,
            3,
            4_000,
            4_097,
            10_001,
            23_000,
            26_669,
            26_670,
            t.len(),
        ] {
            let mut end = offset;
            while !t.is_char_boundary(end) {
                end -= 1;
            }
            let start = t[..end].rfind('\n').map_or(0, |i| i + 1);
            let line_no = t[..end].matches('\n').count() + 1;
            let want = (line_no, t[start..end].chars().count() + 1);
            assert_eq!(ix.line_col(&t, offset), want, "offset {offset}");
        }
    }
}
