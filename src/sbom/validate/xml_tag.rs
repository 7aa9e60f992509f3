//! Just enough of XML start tags to read an attribute, for the lenient
//! checks on CycloneDX XML (the XML reader proper is `sbom::cyclonedx`'s).

/// The start tag at the beginning of `text` (up to its `>`, quotes
/// respected); `None` if `text` does not start with one.
pub(super) fn start_tag(text: &str) -> Option<&str> {
    if !text.starts_with('<') {
        return None;
    }
    let mut quote = None;
    for (i, b) in text.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return text.get(..i),
            _ => {}
        }
    }
    None
}

/// The raw value of attribute `name` of a start tag (entities are not
/// decoded), if it has one.
pub(super) fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut quote = None;
    for (i, b) in tag.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b' ' | b'\t' | b'\r' | b'\n') => {
                let rest = tag.get(i + 1..)?.trim_start();
                let Some(after) = rest.strip_prefix(name) else {
                    continue;
                };
                let Some(value) = after.trim_start().strip_prefix('=') else {
                    continue;
                };
                let value = value.trim_start();
                let q = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
                let inner = value.get(1..)?;
                return inner.find(q).and_then(|end| inner.get(..end));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_tags_and_attributes() {
        let tag = start_tag(r#"<component bom-ref="a>b" type="library"><name>x</name>"#);
        assert_eq!(tag, Some(r#"<component bom-ref="a>b" type="library""#));
        assert_eq!(attribute(tag.unwrap(), "type"), Some("library"));
        assert_eq!(attribute(tag.unwrap(), "bom-ref"), Some("a>b"));
        assert_eq!(attribute(r#"<component bom-ref="x type=y""#, "type"), None);
        assert_eq!(attribute(r#"<component mime-type="x""#, "type"), None);
        assert_eq!(
            attribute("<component\n  type = 'device'", "type"),
            Some("device")
        );
        assert_eq!(start_tag("component"), None);
        assert_eq!(start_tag("<component type='x'"), None);
    }
}
