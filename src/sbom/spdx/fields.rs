//! What SPDX values mean, whichever format they were written in: the
//! `NOASSERTION` / `NONE` keywords, `Organization: X (email)` parties,
//! checksums, external reference types, `LicenseRef-` ids and the spec
//! version. Both readers fill an [`Element`] through these methods, so a
//! value means the same in JSON and in tag-value.

use crate::model::{Diagnostic, FieldKind, Level, Span};

use super::assemble::{Element, IdRef};
use crate::model::Trimmed;

/// At most this many bytes of an extracted license text (or name) are
/// copied into each element that uses it (cut on a character boundary).
///
/// Every element whose license names a `LicenseRef-` gets its own copy,
/// and a document can use one long text in thousands of packages; the
/// limit keeps the copies linear in the size of the input. The owner of a
/// licence is named at its head (`KASPERSKY LAB END USER LICENSE
/// AGREEMENT …`), and the field's span still covers the whole text.
pub const EXTRACTED_TEXT_LIMIT: usize = 1024;

/// `NOASSERTION`, `NONE` and blank values say nothing.
pub(super) fn is_absent(value: &str) -> bool {
    let value = value.trimmed();
    value.is_empty()
        || value.eq_ignore_ascii_case("NOASSERTION")
        || value.eq_ignore_ascii_case("NONE")
}

/// The entity name of an SPDX party (`Organization: AO Kaspersky Lab
/// (oem@kaspersky.com)` → `AO Kaspersky Lab`): without the `Organization:`
/// / `Person:` / `Tool:` prefix and without a trailing `(email)` or `()`.
/// A parenthesis that holds no e-mail address is part of the name
/// (`Kaspersky Labs (UK) Ltd`). `None` for `NOASSERTION`, `NONE` and blanks.
pub(super) fn party_name(value: &str) -> Option<&str> {
    if is_absent(value) {
        return None;
    }
    let mut name = value.trimmed();
    for prefix in ["organization:", "person:", "tool:"] {
        if name
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            name = name.get(prefix.len()..).unwrap_or_default().trim_start();
            break;
        }
    }
    if let Some(open) = name.strip_suffix(')').and_then(|n| n.rfind('(')) {
        let inner = name.get(open + 1..name.len() - 1).unwrap_or_default();
        if inner.trimmed().is_empty() || inner.contains('@') {
            name = name.get(..open).unwrap_or_default().trim_end();
        }
    }
    (!is_absent(name)).then_some(name)
}

/// What an external reference's `referenceType` says its locator is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RefType {
    Purl,
    Cpe22,
    Cpe23,
    Other,
}

/// Classifies a `referenceType`, also in its SPDX 2.2 URI spelling
/// (`http://spdx.org/rdf/references/cpe23Type`, `…#purl`).
pub(super) fn ref_type(written: &str) -> RefType {
    let written = written.trimmed();
    let name = written.rsplit(['/', '#']).next().unwrap_or(written);
    if name.eq_ignore_ascii_case("purl") {
        RefType::Purl
    } else if name.eq_ignore_ascii_case("cpe23Type") {
        RefType::Cpe23
    } else if name.eq_ignore_ascii_case("cpe22Type") {
        RefType::Cpe22
    } else {
        RefType::Other
    }
}

/// Where the fields of external references go, per format.
pub(super) struct RefPaths {
    pub purl: &'static str,
    pub cpe22: &'static str,
    pub cpe23: &'static str,
    /// Any other reference whose locator is a URL.
    pub url: &'static str,
}

/// Whether a locator is a URL worth keeping as an `Url` field.
fn is_url(value: &str) -> bool {
    ["http://", "https://", "ftp://"].iter().any(|scheme| {
        value
            .get(..scheme.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
    })
}

/// The `LicenseRef-…` ids a license expression names, in order. A
/// `DocumentRef-x:LicenseRef-y` lives in another document and is left
/// out: there is no extracted text here to resolve it against.
pub(super) fn license_refs(expression: &str) -> impl Iterator<Item = &str> {
    const PREFIX: &str = "LicenseRef-";
    expression
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|token| token.starts_with(PREFIX) && token.len() > PREFIX.len())
}

/// The start of `text`, at most `limit` bytes, cut on a character boundary.
pub(super) fn truncated(text: &str, limit: usize) -> &str {
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// Checksum algorithms that SPDX 2.3 added.
pub(super) fn algorithm_new_in_2_3(algorithm: &str) -> bool {
    let a = algorithm.trimmed().to_ascii_uppercase();
    a.starts_with("SHA3") || a.starts_with("BLAKE") || a == "ADLER32"
}

/// The diagnostic for an `spdxVersion` / `SPDXVersion` oemtrace does not
/// read as itself, if any. `key` is the key or tag as the format spells it.
pub(super) fn version_note(
    version: Option<&str>,
    key: &str,
    span: Option<Span>,
) -> Option<Diagnostic> {
    let Some(version) = version.map(str::trim) else {
        return Some(Diagnostic::warning(
            "unknown-spec-version",
            format!("no `{key}`; read as SPDX 2.3"),
            span,
        ));
    };
    let number = version
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("SPDX-"))
        .and_then(|_| version.get(5..));
    let (level, message) = match number {
        Some("2.2" | "2.3") => return None,
        Some(old @ ("2.0" | "2.1")) => (
            Level::Info,
            format!(
                "SPDX {old} is older than the versions oemtrace knows (2.2, 2.3); read like 2.2"
            ),
        ),
        _ => (
            Level::Warning,
            format!("unknown SPDX version {version:?} in `{key}`; read as SPDX 2.3"),
        ),
    };
    Some(Diagnostic {
        level,
        code: "unknown-spec-version",
        message,
        span,
    })
}

impl Element<'_> {
    /// A text field, unless the value says nothing.
    pub(super) fn text(
        &mut self,
        kind: FieldKind,
        path: &'static str,
        value: &str,
        span: Span,
        own: &mut String,
    ) {
        if !is_absent(value) {
            self.push(kind, path, value.trimmed(), span, own);
        }
    }

    /// The element's name: the component's name and a `Name` field.
    pub(super) fn name(&mut self, path: &'static str, value: &str, span: Span, own: &mut String) {
        let value = value.trimmed();
        if !value.is_empty() {
            self.component.name = value.into();
            self.push(FieldKind::Name, path, value, span, own);
        }
    }

    /// A party (supplier, originator): the entity name, spanning the
    /// whole value as written.
    pub(super) fn party(
        &mut self,
        kind: FieldKind,
        path: &'static str,
        value: &str,
        span: Span,
        own: &mut String,
    ) {
        if let Some(name) = party_name(value) {
            self.push(kind, path, name, span, own);
        }
    }

    /// A license expression, and the `LicenseRef-` ids it uses (resolved
    /// against the extracted licensing infos once the document is read).
    pub(super) fn license(
        &mut self,
        path: &'static str,
        value: &str,
        span: Span,
        own: &mut String,
    ) {
        if is_absent(value) {
            return;
        }
        // Repeats are dropped when they are resolved, with a set: an
        // element may use many.
        self.license_refs
            .extend(license_refs(value).map(|id| IdRef {
                value: id.to_owned().into(),
                span,
            }));
        self.push(FieldKind::License, path, value.trimmed(), span, own);
    }

    /// A checksum as `ALG:hex` (algorithm as written, hex lower-cased),
    /// located at the hex value.
    pub(super) fn checksum(
        &mut self,
        path: &'static str,
        algorithm: &str,
        hex: &str,
        span: Span,
        own: &mut String,
    ) {
        let (algorithm, hex) = (algorithm.trimmed(), hex.trimmed());
        let field = crate::model::Field::hash(path, algorithm, hex, span, own);
        self.component.fields.push(field);
    }

    /// An external reference: a purl (also the component's purl, the first
    /// one), a CPE, or another reference whose locator is a URL.
    pub(super) fn external_ref(
        &mut self,
        written_type: &str,
        locator: &str,
        span: Span,
        paths: &RefPaths,
        own: &mut String,
    ) {
        if is_absent(locator) {
            return;
        }
        let locator = locator.trimmed();
        match ref_type(written_type) {
            RefType::Purl => {
                // The first is the component's purl (`Component::purl`).
                self.push(FieldKind::Purl, paths.purl, locator, span, own);
            }
            RefType::Cpe22 => self.push(FieldKind::Cpe, paths.cpe22, locator, span, own),
            RefType::Cpe23 => self.push(FieldKind::Cpe, paths.cpe23, locator, span, own),
            RefType::Other if is_url(locator) => {
                self.push(FieldKind::Url, paths.url, locator, span, own)
            }
            RefType::Other => {}
        }
    }

    /// `own` is the own text of the reader's document (or chunk): see
    /// `Document::own_text`.
    fn push(
        &mut self,
        kind: FieldKind,
        path: &'static str,
        value: &str,
        span: Span,
        own: &mut String,
    ) {
        let field = crate::model::Field::new(kind, path, value, span, self.source, own);
        self.component.fields.push(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_absent_values() {
        for v in ["", "  ", "NOASSERTION", "NONE", " noassertion "] {
            assert!(is_absent(v), "{v:?}");
        }
        assert!(!is_absent("MIT"));
        assert!(!is_absent("NONEXISTENT"));
    }

    #[test]
    fn party_names_lose_prefix_and_email() {
        let cases = [
            (
                "Organization: AO Kaspersky Lab (oem@kaspersky.com)",
                Some("AO Kaspersky Lab"),
            ),
            ("Person: Jane Doe ()", Some("Jane Doe")),
            ("organization:Acme", Some("Acme")),
            ("Tool: scanner-1.0", Some("scanner-1.0")),
            (
                "Organization: Kaspersky Labs (UK) Ltd",
                Some("Kaspersky Labs (UK) Ltd"),
            ),
            (
                "Organization: Kaspersky Labs (UK) Ltd (uk@kaspersky.com)",
                Some("Kaspersky Labs (UK) Ltd"),
            ),
            ("Acme Corp", Some("Acme Corp")),
            ("NOASSERTION", None),
            ("Organization: NOASSERTION", None),
            ("Organization: ", None),
            ("Person: (x@y.z)", None),
        ];
        for (value, expected) in cases {
            assert_eq!(party_name(value), expected, "{value}");
        }
    }

    #[test]
    fn reference_types_in_both_spellings() {
        assert_eq!(ref_type("purl"), RefType::Purl);
        assert_eq!(ref_type("http://spdx.org/spdxdocs/x#purl"), RefType::Purl);
        assert_eq!(ref_type("cpe23Type"), RefType::Cpe23);
        assert_eq!(
            ref_type("http://spdx.org/rdf/references/cpe23Type"),
            RefType::Cpe23
        );
        assert_eq!(ref_type("cpe22Type"), RefType::Cpe22);
        assert_eq!(ref_type("maven-central"), RefType::Other);
        assert!(is_url("HTTPS://example.com") && !is_url("acme/x"));
    }

    #[test]
    fn license_refs_of_an_expression() {
        let refs: Vec<&str> = license_refs(
            "(MIT OR LicenseRef-KL-OEM) AND DocumentRef-x:LicenseRef-other AND (LicenseRef-2)",
        )
        .collect();
        assert_eq!(refs, ["LicenseRef-KL-OEM", "LicenseRef-2"]);
        assert_eq!(license_refs("LicenseRef- MIT").count(), 0);
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncated("АО", 3), "А");
        assert_eq!(truncated("abc", 10), "abc");
    }

    #[test]
    fn version_notes() {
        assert_eq!(version_note(Some("SPDX-2.3"), "spdxVersion", None), None);
        assert_eq!(version_note(Some("SPDX-2.2"), "spdxVersion", None), None);
        let old = version_note(Some("SPDX-2.1"), "spdxVersion", None).unwrap();
        assert_eq!((old.level, old.code), (Level::Info, "unknown-spec-version"));
        let odd = version_note(Some("SPDX-2.2.1"), "spdxVersion", None).unwrap();
        assert_eq!(odd.level, Level::Warning);
        assert!(odd.message.contains("\"SPDX-2.2.1\""), "{}", odd.message);
        let none = version_note(None, "SPDXVersion", None).unwrap();
        assert!(none.message.contains("`SPDXVersion`"));
        assert!(algorithm_new_in_2_3("BLAKE2b-384") && !algorithm_new_in_2_3("SHA256"));
    }
}
