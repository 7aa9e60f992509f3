//! A small RFC 4180 CSV reader that keeps the byte span of every field.
//!
//! Written here rather than taken from the `csv` crate because a
//! licensing-disclosure error must underline the very cell that is wrong:
//! `csv` reports a record's starting byte and line, not where each field
//! sits in the source. The format needed is small: `,` separates fields,
//! CRLF or LF ends a record, a field in double quotes may hold `,`, line
//! breaks and `""` for a quote. Two conveniences beyond RFC 4180: blank
//! lines and lines starting with `#` are skipped (so example files can
//! carry comments), and spaces around an unquoted field are trimmed.

use std::borrow::Cow;
use std::ops::Range;

/// One field: its value (quotes removed, `""` unescaped) and the span of
/// its text in the source (with the quotes, when quoted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Field<'a> {
    pub value: Cow<'a, str>,
    pub span: Range<usize>,
}

/// One record (a line, unless quoted fields span lines).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Record<'a> {
    pub fields: Vec<Field<'a>>,
    pub span: Range<usize>,
}

/// Why the text is not CSV, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Error {
    pub message: &'static str,
    pub span: Range<usize>,
}

/// Reads every record of `text`.
pub(crate) fn records(text: &str) -> Result<Vec<Record<'_>>, Error> {
    let bytes = text.as_bytes();
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut out = Vec::new();
    while pos < bytes.len() {
        let line_end = find_byte(bytes, pos, b'\n').unwrap_or(bytes.len());
        let line = text.get(pos..line_end).unwrap_or("");
        let blank = line.trim().is_empty();
        if blank || line.trim_start().starts_with('#') {
            pos = line_end + 1;
            continue;
        }
        let (record, next) = record(text, pos)?;
        out.push(record);
        pos = next;
    }
    Ok(out)
}

/// Reads one record starting at `start`; returns it and where the next
/// one starts.
fn record(text: &str, start: usize) -> Result<(Record<'_>, usize), Error> {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut fields = Vec::new();
    loop {
        let (field, end) = if bytes.get(skip_blanks(bytes, pos)) == Some(&b'"') {
            quoted(text, skip_blanks(bytes, pos))?
        } else {
            unquoted(text, pos)?
        };
        fields.push(field);
        pos = end;
        match bytes.get(pos) {
            Some(b',') => pos += 1,
            Some(b'\r') => {
                let span = start..pos;
                pos += if bytes.get(pos + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                return Ok((Record { fields, span }, pos));
            }
            Some(b'\n') => {
                return Ok((
                    Record {
                        fields,
                        span: start..pos,
                    },
                    pos + 1,
                ))
            }
            None => {
                return Ok((
                    Record {
                        fields,
                        span: start..pos,
                    },
                    pos,
                ))
            }
            Some(_) => {
                return Err(Error {
                    message:
                        "unexpected text after a quoted field (expected `,` or the end of the line)",
                    span: pos..next_boundary(text, pos),
                })
            }
        }
    }
}

/// An unquoted field: up to the next `,` or line end, trimmed.
fn unquoted(text: &str, start: usize) -> Result<(Field<'_>, usize), Error> {
    let bytes = text.as_bytes();
    let mut end = start;
    while let Some(&b) = bytes.get(end) {
        if matches!(b, b',' | b'\n' | b'\r') {
            break;
        }
        if b == b'"' {
            return Err(Error {
                message: "a quote inside an unquoted field: quote the whole field and double inner quotes",
                span: end..end + 1,
            });
        }
        end += 1;
    }
    let raw = text.get(start..end).unwrap_or("");
    let lead = raw.len() - raw.trim_start().len();
    let value = raw.trim();
    let span = start + lead..start + lead + value.len();
    Ok((
        Field {
            value: Cow::Borrowed(value),
            span,
        },
        end,
    ))
}

/// A quoted field starting at the quote `start`; the returned end is just
/// past the closing quote and any blanks after it.
fn quoted(text: &str, start: usize) -> Result<(Field<'_>, usize), Error> {
    let bytes = text.as_bytes();
    let mut owned: Option<String> = None;
    let mut seg = start + 1;
    let mut pos = start + 1;
    loop {
        let Some(q) = find_byte(bytes, pos, b'"') else {
            return Err(Error {
                message: "unterminated quoted field",
                span: start..bytes.len(),
            });
        };
        if bytes.get(q + 1) == Some(&b'"') {
            owned
                .get_or_insert_with(String::new)
                .push_str(text.get(seg..=q).unwrap_or(""));
            pos = q + 2;
            seg = pos;
            continue;
        }
        let tail = text.get(seg..q).unwrap_or("");
        let value = match owned {
            Some(mut s) => {
                s.push_str(tail);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(tail),
        };
        let field = Field {
            value,
            span: start..q + 1,
        };
        return Ok((field, skip_blanks(bytes, q + 1)));
    }
}

fn find_byte(bytes: &[u8], from: usize, b: u8) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&x| x == b)
        .map(|i| from + i)
}

fn skip_blanks(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    pos
}

/// The end of the character at `pos` (for a one-character error span).
fn next_boundary(text: &str, pos: usize) -> usize {
    text.get(pos..)
        .and_then(|t| t.chars().next())
        .map_or(pos, |c| pos + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Vec<String>> {
        records(text)
            .unwrap()
            .into_iter()
            .map(|r| r.fields.into_iter().map(|f| f.value.into_owned()).collect())
            .collect()
    }

    #[test]
    fn plain_quoted_and_escaped_fields() {
        let text = "a,b,c\r\n1, two ,\"th,ree\"\n\"say \"\"hi\"\"\",\"multi\nline\",\n";
        assert_eq!(
            values(text),
            [
                vec!["a", "b", "c"],
                vec!["1", "two", "th,ree"],
                vec!["say \"hi\"", "multi\nline", ""],
            ]
        );
    }

    #[test]
    fn spans_point_at_the_field_text() {
        let text = "x,y\n  aa , \"b\"\"b\" ,c";
        let recs = records(text).unwrap();
        let r = &recs[1];
        assert_eq!(&text[r.fields[0].span.clone()], "aa");
        assert_eq!(&text[r.fields[1].span.clone()], "\"b\"\"b\"");
        assert_eq!(r.fields[1].value, "b\"b");
        assert_eq!(&text[r.fields[2].span.clone()], "c");
        assert_eq!(&text[r.span.clone()], "  aa , \"b\"\"b\" ,c");
    }

    #[test]
    fn comments_blank_lines_and_bom_are_skipped() {
        let text = "\u{feff}# a comment\n\na,b\n   \n# more\n1,2";
        assert_eq!(values(text), [vec!["a", "b"], vec!["1", "2"]]);
        assert!(records("").unwrap().is_empty());
        // A `#` inside a record is data.
        assert_eq!(values("a,#b"), [vec!["a", "#b"]]);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = records("a,b\n1,\"open\n").unwrap_err();
        assert_eq!(e.message, "unterminated quoted field");
        assert_eq!(e.span.start, 6);
        let e = records("a,b\"c\n").unwrap_err();
        assert!(e.message.contains("quote inside"), "{e:?}");
        assert_eq!(e.span, 3..4);
        let e = records("\"a\"x,b\n").unwrap_err();
        assert!(e.message.contains("after a quoted field"), "{e:?}");
        assert_eq!(e.span, 3..4);
    }

    #[test]
    fn never_panics() {
        for t in [
            "\"",
            "\"\"",
            ",",
            "\r",
            "\r\r\n",
            "\"a\"\"",
            "é\"",
            "\"é\"é",
            "a,\u{feff}",
        ] {
            let _ = records(t);
        }
    }
}
