//! Turning byte offsets into the line and column a person reads.

/// Line starts of one source text, built once per document so that every
/// location lookup is a binary search, not a scan.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr_newlines(text.as_bytes()));
        LineIndex { starts }
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
        let column = text[start..end].chars().count() + 1;
        (line + 1, column)
    }
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
    fn columns_count_characters_not_bytes() {
        let t = "{\"s\": \"АО\", \"x\": 1}";
        let ix = LineIndex::new(t);
        let off = t.find("\"x\"").unwrap();
        assert_eq!(ix.line_col(t, off), (1, 13));
    }
}
