//! Turning byte offsets into the line and column a person reads.

use std::sync::OnceLock;

/// Bytes per checkpoint of the character count on long lines.
const BLOCK: usize = 4096;

/// Line starts of one source text, built once per document so that every
/// location lookup is a binary search, not a scan.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `marks[k]`: the characters before block `k` of the text (which
    /// starts at the character boundary at or before `k * BLOCK`). Built
    /// on the first column asked for far into a line: a minified SBOM is
    /// one line, and counting its characters from the line start for
    /// every location would make many locations cost quadratic time.
    marks: OnceLock<Vec<usize>>,
}

/// Texts of this many bytes or more have their newlines found on every
/// core, a part of this size each: the index of a big SBOM is built when
/// the audit's first location is asked for, at the end, with the other
/// cores idle (about 50 ms for a 300 MB file on one core).
const PART: usize = 1 << 20;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        if bytes.len() < 2 * PART {
            starts.extend(memchr_newlines(bytes));
        } else {
            use rayon::prelude::*;
            let parts: Vec<Vec<usize>> = bytes
                .par_chunks(PART)
                .enumerate()
                .map(|(k, part)| memchr_newlines(part).map(|i| k * PART + i).collect())
                .collect();
            parts.into_iter().for_each(|part| starts.extend(part));
        }
        LineIndex {
            starts,
            marks: OnceLock::new(),
        }
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    /// Offsets past the end clamp to the end.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
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

/// The character boundary at or before `pos` (clamped to the text).
fn floor_boundary(text: &str, pos: usize) -> usize {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// The offset after every newline. A byte loop cost as much as a tenth of
/// a whole audit on a pretty-printed SBOM; memchr searches by word.
fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)
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

    #[test]
    fn a_big_text_found_in_parts_has_every_line_start() {
        // Newlines on both sides of each part's edge, and lines of every
        // length in between.
        let mut bytes = vec![b'x'; 3 * PART + 500];
        let mut want = vec![0];
        let edges = [PART - 1, PART, 2 * PART - 1, 2 * PART + 1, 3 * PART];
        let mut at = 0;
        let mut step = 1;
        while at < bytes.len() {
            if let Some(b) = bytes.get_mut(at) {
                *b = b'\n';
            }
            at += step;
            step = step % 7_919 + 13;
        }
        for edge in edges {
            if let Some(b) = bytes.get_mut(edge) {
                *b = b'\n';
            }
        }
        want.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.len() >= 2 * PART, "the parallel way");
        assert_eq!(LineIndex::new(&text).starts, want);
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
