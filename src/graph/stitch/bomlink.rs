//! CycloneDX BOM-Link URNs: `urn:cdx:<serial>/<version>[#<bom-ref>]`.
//!
//! The serial is the linked BOM's `serialNumber` without its `urn:uuid:`
//! prefix; the version its `version` number; the fragment a bom-ref in it,
//! percent-encoded. Without a fragment the link names the whole BOM.

use std::borrow::Cow;

/// A BOM-Link taken apart. Borrowed from the link's text.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct BomLink<'a> {
    /// The serial's UUID, as written (compare case-insensitively).
    pub(super) serial: &'a str,
    /// The BOM version, as written; `None` when the link has none.
    pub(super) version: Option<&'a str>,
    /// The bom-ref, still percent-encoded; `None` for the whole BOM.
    pub(super) fragment: Option<&'a str>,
}

/// Take a BOM-Link apart; `None` when `value` is not one (no `urn:cdx:`
/// prefix, or no serial).
pub(super) fn parse(value: &str) -> Option<BomLink<'_>> {
    const PREFIX: &str = "urn:cdx:";
    let value = value.trim();
    let head = value.get(..PREFIX.len())?;
    if !head.eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let rest = value.get(PREFIX.len()..)?;
    let (rest, fragment) = match rest.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment).filter(|f| !f.is_empty())),
        None => (rest, None),
    };
    let (serial, version) = match rest.split_once('/') {
        Some((serial, version)) => (serial, Some(version).filter(|v| !v.is_empty())),
        None => (rest, None),
    };
    if serial.is_empty() {
        return None;
    }
    Some(BomLink {
        serial,
        version,
        fragment,
    })
}

/// The UUID of a CycloneDX `serialNumber` (`urn:uuid:<uuid>`), lower-cased
/// for comparison with a BOM-Link's serial.
pub(super) fn serial_key(serial_number: &str) -> Option<String> {
    const PREFIX: &str = "urn:uuid:";
    let s = serial_number.trim();
    let head = s.get(..PREFIX.len())?;
    if !head.eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let uuid = s.get(PREFIX.len()..)?;
    (!uuid.is_empty()).then(|| uuid.to_ascii_lowercase())
}

/// Decode `%XX` escapes (a bom-ref in a BOM-Link fragment is
/// percent-encoded). Malformed escapes stay as written; bytes that do not
/// form UTF-8 are replaced.
pub(super) fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = match (byte, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&hi), Some(&lo)) => hex(hi).zip(hex(lo)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match escaped {
            Some(decoded) => {
                out.push(decoded);
                i += 3;
            }
            None => {
                out.push(byte);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_to_a_component_has_serial_version_and_fragment() {
        assert_eq!(
            parse("urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg%3Anpm%2Fa"),
            Some(BomLink {
                serial: "3e671687-395b-41f5-a30f-a58921a69b79",
                version: Some("1"),
                fragment: Some("pkg%3Anpm%2Fa"),
            })
        );
    }

    #[test]
    fn a_link_to_a_whole_bom_has_no_fragment() {
        let link = parse(" URN:CDX:3E67/2 ").unwrap();
        assert_eq!(
            (link.serial, link.version, link.fragment),
            ("3E67", Some("2"), None)
        );
        let link = parse("urn:cdx:3e67/2#").unwrap();
        assert_eq!(link.fragment, None);
        let link = parse("urn:cdx:3e67").unwrap();
        assert_eq!((link.serial, link.version), ("3e67", None));
    }

    #[test]
    fn other_text_is_not_a_link() {
        for value in [
            "",
            "urn:cdx:",
            "urn:cdx:/1#x",
            "urn:uuid:3e67",
            "https://x/bom.json",
            "ürn:cdx:1/1",
        ] {
            assert_eq!(parse(value), None, "{value:?}");
        }
    }

    #[test]
    fn serial_numbers_key_by_their_lower_case_uuid() {
        assert_eq!(serial_key("urn:uuid:3E67-AB").as_deref(), Some("3e67-ab"));
        assert_eq!(serial_key(" URN:UUID:3e67 ").as_deref(), Some("3e67"));
        assert_eq!(serial_key("urn:uuid:"), None);
        assert_eq!(serial_key("https://spdx.org/spdxdocs/x"), None);
    }

    #[test]
    fn fragments_are_percent_decoded() {
        assert_eq!(percent_decode("pkg%3Anpm%2Fa%40%31"), "pkg:npm/a@1");
        assert_eq!(percent_decode("plain"), "plain");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
    }
}
