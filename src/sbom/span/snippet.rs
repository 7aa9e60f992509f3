//! The source text miette shows under a human diagnostic, cut to a window.
//!
//! miette's own `SourceCode` for a string walks the text from its first
//! byte on every lookup and hands over whole lines. On a big minified SBOM
//! (one line of many megabytes, which SBOM tools write by default) every
//! finding would then print, copy and lay out that whole line, costing
//! many times the file in memory, once per finding; a read error at the
//! end of a 101 MB line took 6.7 s and 1.3 GB to print. [`Snippet`] finds
//! the line through a [`LineIndex`] built once per file, and shows at
//! most [`WINDOW`] bytes of a line either side of what a label marks.
//! The report's findings and diagnostics show their files through it, and
//! so do read errors ([`crate::sbom::ErrorSource`]), `--strict` errors
//! and the errors of vendor-db, licensing and waivers files: past column
//! 65,535 of a line, miette's own source made its formatting panic.

use std::sync::{Arc, OnceLock};

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::LineIndex;
use crate::model::SourceText;

/// Bytes of one line shown before the start (and after the end) of a label.
const WINDOW: usize = 240;
/// The most text one lookup hands to miette, however long the span.
const MAX_SHOWN: usize = 64 * 1024;

/// One source file, as miette reads it.
#[derive(Debug)]
pub struct Snippet {
    name: String,
    text: SourceText,
    /// Made on the first look-up, unless given: an error is made far
    /// more often than it is shown.
    lines: OnceLock<Arc<LineIndex>>,
}

impl Snippet {
    /// `text`, whose line index is made when it is first shown.
    pub fn new(name: &str, text: &SourceText) -> Self {
        Snippet {
            name: name.to_owned(),
            text: text.clone(),
            lines: OnceLock::new(),
        }
    }

    /// `text`, with its line index made already.
    pub fn with_lines(name: &str, text: &SourceText, lines: Arc<LineIndex>) -> Self {
        let snippet = Snippet::new(name, text);
        let _ = snippet.lines.set(lines);
        snippet
    }

    fn lines(&self) -> &LineIndex {
        self.lines
            .get_or_init(|| Arc::new(LineIndex::new(&self.text)))
    }

    /// The file's name, as miette shows it.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &str = &self.text;
        let end = span
            .offset()
            .checked_add(span.len())
            .filter(|&end| end <= text.len())
            .ok_or(MietteError::OutOfBounds)?;
        let start = floor(text, span.offset());
        // Like miette: without context lines, the contents start at the span.
        let from = match context_lines_before {
            0 => start,
            n => back(text, start, n),
        };
        let to = forward(text, ceil(text, end).max(start), context_lines_after);
        let to = floor(text, to.min(from.saturating_add(MAX_SHOWN)));
        let shown = text.get(from..to).ok_or(MietteError::OutOfBounds)?;
        let (line, column) = self.lines().line_col(text, from);
        // As miette counts it: the newlines from the start of the file to
        // the end of the contents. (miette merges the snippets of two
        // labels when one's `line + line_count` reaches the other's line,
        // so this keeps the labels of one finding in one snippet.)
        let (last_line, _) = self.lines().line_col(text, to.saturating_add(1));
        let line_count = last_line.saturating_sub(1);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            shown.as_bytes(),
            SourceSpan::new(from.into(), shown.len()),
            line.saturating_sub(1),
            column.saturating_sub(1),
            line_count,
        )))
    }
}

/// The start of the line `lines` lines above the one holding `pos`, but
/// never more than [`WINDOW`] bytes back within one line.
fn back(text: &str, pos: usize, lines: usize) -> usize {
    let mut from = pos;
    for i in 0..=lines {
        if i > 0 {
            // Step over the newline that ends the line above, if the
            // window reached the start of this line at all.
            match from.checked_sub(1) {
                Some(nl) if text.as_bytes().get(nl) == Some(&b'\n') => from = nl,
                _ => break,
            }
        }
        let lo = floor(text, from.saturating_sub(WINDOW));
        from = match text.get(lo..from).and_then(|s| s.rfind('\n')) {
            Some(i) => lo + i + 1,
            None => lo,
        };
    }
    from
}

/// The end (before its newline) of the line `lines` lines below the one
/// holding `pos`, but never more than [`WINDOW`] bytes on within one line.
fn forward(text: &str, pos: usize, lines: usize) -> usize {
    let mut to = pos;
    for i in 0..=lines {
        if i > 0 {
            if text.as_bytes().get(to) != Some(&b'\n') {
                break;
            }
            to += 1;
        }
        let hi = ceil(text, to.saturating_add(WINDOW).min(text.len()));
        to = match text.get(to..hi).and_then(|s| s.find('\n')) {
            Some(i) => to + i,
            None => hi,
        };
    }
    to
}

/// The nearest character boundary at or before `pos` (clamped to the text).
fn floor(text: &str, pos: usize) -> usize {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// The nearest character boundary at or after `pos` (clamped to the text).
fn ceil(text: &str, pos: usize) -> usize {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(text: &str) -> Snippet {
        Snippet::new("a.json", &crate::model::SourceText::from(text))
    }

    /// (data, offset, 0-based line, 0-based column) of one lookup.
    fn read(
        s: &Snippet,
        span: (usize, usize),
        before: usize,
        after: usize,
    ) -> (String, usize, usize, usize) {
        let c = s
            .read_span(&SourceSpan::new(span.0.into(), span.1), before, after)
            .unwrap();
        let data = String::from_utf8(c.data().to_vec()).unwrap();
        assert_eq!(c.span().len(), data.len());
        assert_eq!(c.name(), Some("a.json"));
        (data, c.span().offset(), c.line(), c.column())
    }

    #[test]
    fn short_lines_are_shown_whole_with_their_context() {
        let s = snippet("one\ntwo x\nthree\nfour\n");
        assert_eq!(
            read(&s, (8, 1), 1, 1),
            ("one\ntwo x\nthree".into(), 0, 0, 0)
        );
        assert_eq!(read(&s, (8, 1), 0, 0), ("x".into(), 8, 1, 4));
        assert_eq!(
            read(&s, (0, 3), 3, 3),
            ("one\ntwo x\nthree\nfour".into(), 0, 0, 0)
        );
        assert_eq!(
            read(&s, (4, 11), 0, 1),
            ("two x\nthree\nfour".into(), 4, 1, 0)
        );
    }

    #[test]
    fn a_long_line_is_shown_around_the_label_only() {
        let text = format!(
            "{}KASPERSKY{}\nnext\n",
            "a".repeat(10_000),
            "b".repeat(10_000)
        );
        let s = snippet(&text);
        let (data, offset, line, column) = read(&s, (10_000, 9), 1, 1);
        assert_eq!(
            data,
            format!("{}KASPERSKY{}", "a".repeat(WINDOW), "b".repeat(WINDOW))
        );
        assert_eq!(
            (offset, line, column),
            (10_000 - WINDOW, 0, 10_000 - WINDOW)
        );
        // The next line is context once the window reaches the line's end.
        let (data, ..) = read(&s, (20_000, 9), 1, 1);
        assert!(data.ends_with("bbb\nnext"), "{data}");
    }

    #[test]
    fn a_huge_span_is_cut() {
        let text = "x".repeat(100_000);
        let s = snippet(&text);
        let (data, offset, ..) = read(&s, (10, 99_000), 2, 2);
        assert_eq!((data.len(), offset), (MAX_SHOWN, 0));
    }

    #[test]
    fn windows_keep_to_character_boundaries() {
        let text = "é".repeat(1_000);
        let s = snippet(&text);
        for offset in [0, 1, 499, 500, 1_997, 1_999] {
            let (data, ..) = read(&s, (offset, 1), 1, 1);
            assert!(data.chars().all(|c| c == 'é'));
        }
    }

    #[test]
    fn spans_past_the_end_are_errors() {
        let s = snippet("abc");
        for (offset, len) in [(4, 0), (2, 2), (usize::MAX, 1)] {
            let span = SourceSpan::new(offset.into(), len);
            assert!(s.read_span(&span, 1, 1).is_err());
        }
    }
}
