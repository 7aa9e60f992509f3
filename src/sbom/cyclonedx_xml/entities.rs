//! Entity and character references: the five predefined entities and
//! numeric character references are decoded; nothing else is expanded.
//!
//! A reference to any other entity could only be declared in a DTD, which
//! oemtrace refuses (see [`super::dtd`]). Such a reference is kept as
//! written (`&foo;`), so that no text silently disappears, and reported.

use std::borrow::Cow;

/// What a reference stands for.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Resolved {
    Char(char),
    /// Not one of the predefined entities, or a character reference that
    /// names no character XML allows: kept as written.
    Unknown,
}

/// Resolves the name between `&` and `;` (`amp`, `#38`, `#x26`).
pub(super) fn resolve(name: &str) -> Resolved {
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => name.strip_prefix('#').and_then(char_ref),
    };
    decoded.map_or(Resolved::Unknown, Resolved::Char)
}

/// A numeric character reference without its `#`: decimal, or hex after
/// `x`. NUL and surrogates are not characters XML can hold.
fn char_ref(number: &str) -> Option<char> {
    let code = match number.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse().ok()?,
    };
    // `from_str_radix` accepts a leading `+`, which XML does not.
    if number.contains('+') || code == 0 {
        return None;
    }
    char::from_u32(code)
}

/// A reference that was kept as written, for the caller's diagnostic:
/// its byte range within the decoded text's raw source.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Kept {
    pub offset: usize,
    pub len: usize,
}

/// Decodes an attribute value as XML normalises it: references resolved,
/// and each literal tab, newline or carriage return read as a space.
/// Borrows when there is nothing to change (the common case). References
/// that cannot be resolved are kept as written and listed in `kept`.
pub(super) fn attribute_value<'a>(raw: &'a str, kept: &mut Vec<Kept>) -> Cow<'a, str> {
    if !raw.contains(['&', '\t', '\n', '\r']) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    let mut offset = 0;
    while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
        let (before, at) = rest.split_at(i);
        out.push_str(before);
        offset += i;
        if !at.starts_with('&') {
            out.push(' ');
            // A `\r\n` pair is one line end, one space.
            let len = if at.starts_with("\r\n") { 2 } else { 1 };
            rest = at.get(len..).unwrap_or_default();
            offset += len;
            continue;
        }
        // quick-xml has checked that every `&` starts a terminated reference.
        let len = at.find(';').map_or(at.len(), |end| end + 1);
        let reference = at.get(..len).unwrap_or(at);
        let name = reference.trim_start_matches('&').trim_end_matches(';');
        match resolve(name) {
            Resolved::Char(c) => out.push(c),
            Resolved::Unknown => {
                out.push_str(reference);
                kept.push(Kept { offset, len });
            }
        }
        rest = at.get(len..).unwrap_or_default();
        offset += len;
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// XML's whitespace (not Unicode's: a no-break space is content).
pub(super) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_entities_and_character_references() {
        assert_eq!(resolve("amp"), Resolved::Char('&'));
        assert_eq!(resolve("lt"), Resolved::Char('<'));
        assert_eq!(resolve("gt"), Resolved::Char('>'));
        assert_eq!(resolve("quot"), Resolved::Char('"'));
        assert_eq!(resolve("apos"), Resolved::Char('\''));
        assert_eq!(resolve("#65"), Resolved::Char('A'));
        assert_eq!(resolve("#x41b"), Resolved::Char('\u{41b}'));
        assert_eq!(resolve("#x1F600"), Resolved::Char('😀'));
    }

    #[test]
    fn anything_else_is_unknown_never_expanded() {
        for name in [
            "xxe", "lol9", "nbsp", "AMP", "#0", "#x0", "#xD800", "#x110000", "#+65", "#x+41", "#",
            "#x", "#12a", "",
        ] {
            assert_eq!(resolve(name), Resolved::Unknown, "{name:?}");
        }
    }

    #[test]
    fn attribute_values_borrow_unless_they_change() {
        let mut kept = Vec::new();
        assert!(matches!(
            attribute_value("pkg:npm/a@1", &mut kept),
            Cow::Borrowed("pkg:npm/a@1")
        ));
        assert_eq!(attribute_value("AT&amp;T &#x41;", &mut kept), "AT&T A");
        assert_eq!(attribute_value("a\tb\r\nc\nd", &mut kept), "a b c d");
        assert!(kept.is_empty());
        assert_eq!(
            attribute_value("x &xxe; y &#0;", &mut kept),
            "x &xxe; y &#0;"
        );
        assert_eq!(
            kept,
            [Kept { offset: 2, len: 5 }, Kept { offset: 10, len: 4 }]
        );
    }
}
