//! The lines of a tag-value document: `Tag: value`, comments (`#`), blank
//! lines, and values wrapped in `<text>…</text>` that may span lines.
//!
//! Nothing here fails or panics: a line that is not `Tag: value` comes out
//! as [`Line::Junk`] for the reader to report, and an unclosed `<text>`
//! is read as a one-line value with a diagnostic. Line breaks may be LF or
//! CRLF; a byte order mark at the start is skipped.

use crate::model::{Diagnostic, Span};
use crate::sbom::json::span_in;

/// One `Tag: value`, with the spans a diagnostic needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct TagLine<'s> {
    pub tag: &'s str,
    /// The value, trimmed; for a `<text>` value, the text between the
    /// tags, trimmed.
    pub value: &'s str,
    /// The value as written (a `<text>` value with its tags).
    pub value_span: Span,
    /// The whole line, or all lines of a multi-line value (without the
    /// last line break).
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Line<'s> {
    Tag(TagLine<'s>),
    /// A line that is neither blank, a comment, nor `Tag: value`.
    Junk(Span),
}

/// Lines that start a new section: a `<text>` value running over one of
/// them has probably lost its `</text>`.
const SECTION_STARTS: [&str; 6] = [
    "SPDXVersion:",
    "PackageName:",
    "FileName:",
    "SnippetSPDXID:",
    "LicenseID:",
    "Relationship:",
];

const OPEN: &str = "<text>";
const CLOSE: &str = "</text>";

/// An iterator over the meaningful lines of a tag-value source.
pub(super) struct Lines<'s> {
    source: &'s str,
    pos: usize,
    /// From this offset on there is no `</text>`: a search that failed
    /// once is not repeated (every unclosed `<text>` rescanning the rest
    /// of the file would make reading quadratic).
    no_close_from: usize,
    /// What the lexer noticed (unclosed or suspicious `<text>` values).
    pub diagnostics: Vec<Diagnostic>,
}

impl<'s> Lines<'s> {
    pub(super) fn new(source: &'s str) -> Self {
        let pos = if source.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        Lines {
            source,
            pos,
            no_close_from: source.len() + 1,
            diagnostics: Vec::new(),
        }
    }

    /// The next physical line: its start offset and text, without `\n` or
    /// `\r\n`.
    fn next_line(&mut self) -> Option<(usize, &'s str)> {
        let rest = self.source.get(self.pos..).filter(|r| !r.is_empty())?;
        let start = self.pos;
        let (line, advance) = match rest.find('\n') {
            Some(end) => (rest.get(..end).unwrap_or_default(), end + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    }

    /// Reads a `<text>` value that starts at `open` (the offset of
    /// `<text>`) on the line starting at `line_start`.
    fn text_value(
        &mut self,
        tag: &'s str,
        line_start: usize,
        line: &'s str,
        open: usize,
    ) -> TagLine<'s> {
        let content = open + OPEN.len();
        let close = if content >= self.no_close_from {
            None
        } else {
            self.source
                .get(content..)
                .and_then(|rest| rest.find(CLOSE))
                .map(|at| content + at)
        };
        let Some(close) = close else {
            self.no_close_from = self.no_close_from.min(content);
            self.diagnostics.push(Diagnostic::warning(
                "unterminated-text",
                format!("`{tag}` opens a `<text>` value that is never closed; read to the end of its line"),
                Some(Span::new(open, OPEN.len())),
            ));
            let value_end = line_start + line.len();
            let value = self.source.get(content..value_end).unwrap_or_default();
            return TagLine {
                tag,
                value: value.trim(),
                value_span: Span::new(open, value_end - open),
                span: Span::new(line_start, line.len()),
            };
        };
        let inner = self.source.get(content..close).unwrap_or_default();
        let end = close + CLOSE.len();
        // Continue after the line the value ends on.
        if end > self.pos {
            let after = self.source.get(end..).unwrap_or_default();
            self.pos = end + after.find('\n').map_or(after.len(), |i| i + 1);
        }
        let last_line_end = {
            let after = self.source.get(end..).unwrap_or_default();
            let eol = after.find('\n').map_or(after.len(), |i| i);
            let eol_text = after.get(..eol).unwrap_or_default();
            end + eol_text.strip_suffix('\r').unwrap_or(eol_text).len()
        };
        self.check_swallowed(tag, inner);
        TagLine {
            tag,
            value: inner.trim(),
            value_span: Span::new(open, end - open),
            span: Span::new(line_start, last_line_end - line_start),
        }
    }

    /// Warns when a multi-line value runs over a line that starts a new
    /// section: a lost `</text>` further up swallows everything up to the
    /// next one, elements included.
    fn check_swallowed(&mut self, tag: &str, inner: &'s str) {
        let suspicious = inner
            .split('\n')
            .skip(1)
            .find(|l| SECTION_STARTS.iter().any(|s| l.trim_start().starts_with(s)));
        if let Some(line) = suspicious {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let span = span_in(self.source, line);
            let shown = line.trim();
            self.diagnostics.push(Diagnostic::warning(
                "suspicious-text",
                format!(
                    "the `<text>` value of `{tag}` runs over `{shown}`, which looks like a new \
                     section; if a `</text>` is missing before it, the lines in between were read as text"
                ),
                Some(span),
            ));
        }
    }
}

impl<'s> Iterator for Lines<'s> {
    type Item = Line<'s>;

    fn next(&mut self) -> Option<Line<'s>> {
        loop {
            let (start, line) = self.next_line()?;
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            let junk = Line::Junk(Span::new(start + indent, trimmed.trim_end().len()));
            let Some(colon) = trimmed.find(':') else {
                return Some(junk);
            };
            let tag = trimmed.get(..colon).unwrap_or_default().trim_end();
            if !is_tag(tag) {
                return Some(junk);
            }
            let after = trimmed.get(colon + 1..).unwrap_or_default();
            let value = after.trim_start();
            let value_start = start + indent + colon + 1 + (after.len() - value.len());
            let opens_text = value
                .get(..OPEN.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(OPEN));
            if opens_text {
                return Some(Line::Tag(self.text_value(tag, start, line, value_start)));
            }
            let value = value.trim_end();
            return Some(Line::Tag(TagLine {
                tag,
                value,
                value_span: Span::new(value_start, value.len()),
                span: Span::new(start, line.len()),
            }));
        }
    }
}

/// A tag is a word: letters, digits, `_`, `-`, `.`.
fn is_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(source: &str) -> Vec<(String, String, String)> {
        Lines::new(source)
            .map(|l| match l {
                Line::Tag(t) => (
                    t.tag.to_owned(),
                    t.value.to_owned(),
                    source[t.value_span.range()].to_owned(),
                ),
                Line::Junk(span) => (
                    "JUNK".into(),
                    String::new(),
                    source[span.range()].to_owned(),
                ),
            })
            .collect()
    }

    fn t(tag: &str, value: &str, written: &str) -> (String, String, String) {
        (tag.into(), value.into(), written.into())
    }

    #[test]
    fn tags_values_comments_and_blanks() {
        let src = "## comment\n\nSPDXVersion: SPDX-2.3\n  PackageName:   glibc  \nEmpty:\n";
        assert_eq!(
            tags(src),
            [
                t("SPDXVersion", "SPDX-2.3", "SPDX-2.3"),
                t("PackageName", "glibc", "glibc"),
                t("Empty", "", ""),
            ]
        );
    }

    #[test]
    fn crlf_and_a_missing_final_newline() {
        let src = "SPDXVersion: SPDX-2.3\r\nDataLicense: CC0-1.0\r\nPackageName: x";
        let lines: Vec<Line> = Lines::new(src).collect();
        assert_eq!(lines.len(), 3);
        let Line::Tag(first) = lines[0] else { panic!() };
        assert_eq!(first.value, "SPDX-2.3");
        assert_eq!(&src[first.span.range()], "SPDXVersion: SPDX-2.3");
        assert_eq!(tags(src)[2], t("PackageName", "x", "x"));
    }

    #[test]
    fn junk_lines_are_reported_not_fatal() {
        let src = "SPDXVersion: SPDX-2.3\nthis is junk\nnot a tag: x\n:empty tag\nPackageName: p\n";
        let got = tags(src);
        assert_eq!(got[1], t("JUNK", "", "this is junk"));
        assert_eq!(got[2], t("JUNK", "", "not a tag: x"));
        assert_eq!(got[3], t("JUNK", "", ":empty tag"));
        assert_eq!(got[4], t("PackageName", "p", "p"));
    }

    #[test]
    fn multi_line_text_values() {
        let src = "A: <text>one\r\ntwo</text>\r\nB: <text>single</text> trailing\nC: <TEXT>x</text>\nD: v\n";
        let got = tags(src);
        assert_eq!(got[0], t("A", "one\r\ntwo", "<text>one\r\ntwo</text>"));
        assert_eq!(got[1], t("B", "single", "<text>single</text>"));
        assert_eq!(got[2], t("C", "x", "<TEXT>x</text>"));
        assert_eq!(got[3], t("D", "v", "v"));
        let mut lines = Lines::new(src);
        let Some(Line::Tag(a)) = lines.next() else {
            panic!()
        };
        assert_eq!(&src[a.span.range()], "A: <text>one\r\ntwo</text>");
        assert!(lines.diagnostics.is_empty());
    }

    #[test]
    fn an_unclosed_text_reads_one_line_and_says_so() {
        let src = "A: <text>never closed\nPackageName: p\n";
        let mut lines = Lines::new(src);
        let got: Vec<Line> = lines.by_ref().collect();
        assert_eq!(got.len(), 2);
        let Line::Tag(a) = got[0] else { panic!() };
        assert_eq!(a.value, "never closed");
        let Line::Tag(p) = got[1] else { panic!() };
        assert_eq!(p.value, "p");
        assert_eq!(lines.diagnostics.len(), 1);
        assert_eq!(lines.diagnostics[0].code, "unterminated-text");
    }

    #[test]
    fn a_text_swallowing_a_section_is_suspicious() {
        let src = "A: <text>lost\nPackageName: hidden\nB: <text>x</text>\n";
        let mut lines = Lines::new(src);
        let got: Vec<Line> = lines.by_ref().collect();
        assert_eq!(got.len(), 1);
        let d = &lines.diagnostics[0];
        assert_eq!(d.code, "suspicious-text");
        let span = d.span.unwrap();
        assert_eq!(&src[span.range()], "PackageName: hidden");
    }

    #[test]
    fn many_unclosed_texts_stay_linear() {
        let src = "A: <text>never closed\n".repeat(50_000);
        let started = std::time::Instant::now();
        let mut lines = Lines::new(&src);
        assert_eq!(lines.by_ref().count(), 50_000);
        assert_eq!(lines.diagnostics.len(), 50_000);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let src = "\u{feff}SPDXVersion: SPDX-2.2\n";
        assert_eq!(tags(src), [t("SPDXVersion", "SPDX-2.2", "SPDX-2.2")]);
    }
}
