//! Document type declarations: found, measured and refused.
//!
//! oemtrace never processes a DTD. A declared entity can expand into
//! gigabytes ("billion laughs") and an external one can make a reader open
//! a local file or a URL (XXE); CycloneDX XML needs neither. quick-xml does
//! not expand entities either, but a document that declares them was
//! written for a reader that does: reading it without them would silently
//! lose whatever text they stood for, so such a document is refused with
//! [`crate::sbom::ReadError::UnsafeXml`] instead. A bare `<!DOCTYPE bom>`
//! declares nothing and is harmless.

/// Why a document type declaration is refused, or `None` when it declares
/// nothing. `doctype` is the declaration's text, with or without its
/// `<!DOCTYPE` and `>`.
pub(crate) fn risk(doctype: &str) -> Option<&'static str> {
    let (external, subset) = match doctype.find('[') {
        Some(open) => (doctype.get(..open).unwrap_or(doctype), true),
        None => (doctype, false),
    };
    if subset && doctype.contains("<!ENTITY") {
        return Some("the DOCTYPE declares entities");
    }
    if external
        .split_ascii_whitespace()
        .any(|word| word == "SYSTEM" || word == "PUBLIC")
    {
        return Some("the DOCTYPE refers to an external DTD");
    }
    subset.then_some("the DOCTYPE has an internal DTD subset")
}

/// The length of the `<!DOCTYPE ...>` declaration at the start of `text`,
/// internal subset included, or `None` when it does not end.
///
/// Quoted literals and comments inside the subset may hold `>` and `]`;
/// they are skipped. This is for finding the root element past the prolog;
/// the reader itself leaves the syntax to quick-xml.
pub(crate) fn doctype_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = "<!DOCTYPE".len();
    let mut depth = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' | b'\'' => {
                let close = bytes.get(i + 1..)?.iter().position(|&c| c == b)?;
                i += close + 1;
            }
            b'<' if bytes.get(i..i + 4) == Some(b"<!--") => {
                let close = text.get(i + 4..)?.find("-->")?;
                i += 4 + close + 2;
            }
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'>' if depth == 0 => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_doctype_is_harmless() {
        assert_eq!(risk("<!DOCTYPE bom>"), None);
        assert_eq!(risk(" bom"), None);
    }

    #[test]
    fn entities_external_ids_and_subsets_are_refused() {
        let laughs = r#"<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>"#;
        assert_eq!(risk(laughs), Some("the DOCTYPE declares entities"));
        let xxe = r#"foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]"#;
        assert_eq!(risk(xxe), Some("the DOCTYPE declares entities"));
        assert_eq!(
            risk(r#"<!DOCTYPE bom SYSTEM "http://example.com/bom.dtd">"#),
            Some("the DOCTYPE refers to an external DTD")
        );
        assert_eq!(
            risk(r#"bom PUBLIC "-//X//DTD//EN" "bom.dtd""#),
            Some("the DOCTYPE refers to an external DTD")
        );
        assert_eq!(
            risk("<!DOCTYPE bom [<!ELEMENT bom ANY>]>"),
            Some("the DOCTYPE has an internal DTD subset")
        );
    }

    #[test]
    fn doctype_length_skips_the_subset_quotes_and_comments() {
        let text = r#"<!DOCTYPE a [<!ENTITY x "]>"><!-- ]> --><!ENTITY y '>'>]><a/>"#;
        let len = doctype_len(text).unwrap();
        assert_eq!(&text[len..], "<a/>");
        assert_eq!(doctype_len("<!DOCTYPE bom>\n<bom/>"), Some(14));
        assert_eq!(doctype_len("<!DOCTYPE a [<!ENTITY x \"unterminated"), None);
        assert_eq!(doctype_len("<!DOCTYPE a [ "), None);
    }
}
