//! Required fields the lenient readers do not insist on, checked on the
//! source text for every document, whatever the official model covers.
//!
//! What the readers already report is not checked again here: a CycloneDX
//! component without `name`, a missing `bomFormat` or `specVersion`
//! (reader diagnostics), dangling and duplicate references (graph
//! diagnostics). What is left:
//!
//! - CycloneDX: every component's `type`, and its `version` up to 1.3
//!   (JSON: both; XML: the `type` attribute); from 1.6 on, no empty
//!   `bom-ref` (code `empty-ref`);
//! - SPDX JSON: `spdxVersion`, `dataLicense`, `SPDXID`, `name`,
//!   `documentNamespace`, `creationInfo` (with `created` and `creators`);
//!   every package's `SPDXID`, `name` and `downloadLocation`;
//! - SPDX tag-value: the same, by tag.
//!
//! Each check reads only what it needs: component objects by their spans
//! (as the reader did), the top level and the packages of an SPDX
//! document, tag-value line by line. All linear in the document size.

use super::xml_tag;
use crate::model::{Component, Diagnostic, Document, Format, Level, Span};
use crate::sbom::json::{self, JsonType, Raw};

/// The missing (or, for bom-refs, empty) required fields of `doc`. `version` is the spec version as
/// written, trimmed.
pub(super) fn check(doc: &Document, version: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match doc.format {
        Format::CyclonedxJson => {
            let versioned = version.is_some_and(version_required);
            for c in &doc.components {
                cyclonedx_json(&doc.source, c, versioned, &mut out);
            }
        }
        Format::CyclonedxXml => {
            for c in &doc.components {
                cyclonedx_xml(&doc.source, c, &mut out);
            }
        }
        Format::SpdxJson => spdx_json(&doc.source, &mut out),
        Format::SpdxTagValue => spdx_tag_value(&doc.source, &mut out),
    }
    if matches!(doc.format, Format::CyclonedxJson | Format::CyclonedxXml)
        && version.is_some_and(refs_must_not_be_empty)
    {
        for c in doc
            .components
            .iter()
            .filter(|c| c.bom_ref.as_deref() == Some(""))
        {
            out.push(Diagnostic {
                level: Level::Error,
                code: "empty-ref",
                message: format!(
                    "{} has an empty `bom-ref` (from CycloneDX 1.6 on a reference must not be empty)",
                    named(c)
                ),
                span: Some(c.span),
            });
        }
    }
    out
}

/// From 1.6 on, the schema gives references a minimum length of 1.
fn refs_must_not_be_empty(version: &str) -> bool {
    matches!(version, "1.6" | "1.7")
}

/// `version` is required up to CycloneDX 1.3, optional from 1.4 on.
fn version_required(version: &str) -> bool {
    matches!(version, "1.0" | "1.1" | "1.2" | "1.3")
}

fn missing(message: String, span: Span) -> Diagnostic {
    Diagnostic {
        level: Level::Error,
        code: "missing-field",
        message,
        span: Some(span),
    }
}

/// How a component is named in a message.
fn named(c: &Component) -> String {
    match (c.name.is_empty(), &c.bom_ref) {
        (false, _) => format!("component {:?}", c.name),
        (true, Some(r)) => format!("component {r:?}"),
        (true, None) => "component".to_owned(),
    }
}

const CDX_KEYS: json::Keys<2> = json::Keys::new(["type", "version"]);

fn cyclonedx_json(source: &str, c: &Component, versioned: bool, out: &mut Vec<Diagnostic>) {
    let Some(text) = source.get(c.span.range()) else {
        return;
    };
    let Ok(object) = json::object(text, &CDX_KEYS) else {
        return;
    };
    let [kind, version] = object.slots;
    if !present(kind) {
        out.push(missing(
            format!(
                "{} has no `type` (required in every CycloneDX version)",
                named(c)
            ),
            c.span,
        ));
    }
    if versioned && !present(version) {
        out.push(missing(
            format!(
                "{} has no `version` (required up to CycloneDX 1.3)",
                named(c)
            ),
            c.span,
        ));
    }
}

/// Present and not `null` (a wrong type is the reader's to report).
fn present(raw: Option<Raw<'_>>) -> bool {
    raw.is_some_and(|r| JsonType::of(r) != JsonType::Null)
}

/// The `type` attribute of a component element's start tag.
fn cyclonedx_xml(source: &str, c: &Component, out: &mut Vec<Diagnostic>) {
    let Some(text) = source.get(c.span.range()) else {
        return;
    };
    let Some(tag) = xml_tag::start_tag(text) else {
        return;
    };
    if xml_tag::attribute(tag, "type").is_none() {
        out.push(missing(
            format!(
                "{} has no `type` attribute (required in every CycloneDX version)",
                named(c)
            ),
            c.span,
        ));
    }
}

const SPDX_TOP: json::Keys<7> = json::Keys::new([
    "spdxVersion",
    "dataLicense",
    "SPDXID",
    "name",
    "documentNamespace",
    "creationInfo",
    "packages",
]);
const SPDX_CREATION: json::Keys<2> = json::Keys::new(["created", "creators"]);
const SPDX_PACKAGE: json::Keys<3> = json::Keys::new(["SPDXID", "name", "downloadLocation"]);

fn spdx_json(source: &str, out: &mut Vec<Diagnostic>) {
    let body = source.trim_start_matches('\u{feff}').trim();
    let Ok(top) = json::object(body, &SPDX_TOP) else {
        return;
    };
    let top_span = json::span_in(source, body);
    let head = Span::new(top_span.offset(), 1);
    let [version, license, id, name, namespace, creation, packages] = top.slots;
    for (raw, key) in [
        (version, "spdxVersion"),
        (license, "dataLicense"),
        (id, "SPDXID"),
        (name, "name"),
        (namespace, "documentNamespace"),
        (creation, "creationInfo"),
    ] {
        if !present(raw) {
            out.push(missing(format!("the document has no `{key}`"), head));
        }
    }
    if let Some(creation) = creation.filter(|r| JsonType::of(*r) == JsonType::Object) {
        if let Ok(info) = creation.object(&SPDX_CREATION) {
            for (raw, key) in info.slots.into_iter().zip(*SPDX_CREATION) {
                if !present(raw) {
                    out.push(missing(
                        format!("`creationInfo` has no `{key}`"),
                        json::span_in(source, creation.get()),
                    ));
                }
            }
        }
    }
    let packages = packages
        .filter(|r| JsonType::of(*r) == JsonType::Array)
        .and_then(|r| json::elements(r).ok())
        .unwrap_or_default();
    for (i, package) in packages.into_iter().enumerate() {
        let Ok(fields) = package.object(&SPDX_PACKAGE) else {
            continue;
        };
        let span = json::span_in(source, package.get());
        let [id, name, _] = fields.slots;
        let who = json_label(name, id).unwrap_or_else(|| format!("packages[{i}]"));
        for (raw, key) in fields.slots.into_iter().zip(*SPDX_PACKAGE) {
            if !present(raw) {
                out.push(missing(format!("package {who} has no `{key}`"), span));
            }
        }
    }
}

/// A package's name (or else its SPDXID), quoted, for messages.
fn json_label(name: Option<Raw<'_>>, id: Option<Raw<'_>>) -> Option<String> {
    [name, id]
        .into_iter()
        .flatten()
        .find_map(json::string)
        .map(|s| format!("{s:?}"))
}

/// Document-level tags every SPDX tag-value document has.
const TV_DOCUMENT: [&str; 7] = [
    "SPDXVersion",
    "DataLicense",
    "SPDXID",
    "DocumentName",
    "DocumentNamespace",
    "Creator",
    "Created",
];

/// A package being read: where its `PackageName` line is, what it has.
struct TvPackage<'s> {
    name: &'s str,
    span: Span,
    id: bool,
    download: bool,
}

fn spdx_tag_value(source: &str, out: &mut Vec<Diagnostic>) {
    let mut seen = [false; TV_DOCUMENT.len()];
    // Before the first section (package, file, snippet, licence), an
    // `SPDXID` is the document's.
    let mut in_document = true;
    let mut package: Option<TvPackage<'_>> = None;
    let mut in_text = false;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if in_text {
            in_text = !trimmed.contains("</text>");
            continue;
        }
        let Some((tag, value)) = trimmed.split_once(':') else {
            continue;
        };
        let (tag, value) = (tag.trim(), value.trim());
        if value.starts_with("<text>") && !value.contains("</text>") {
            in_text = true;
        }
        if matches!(
            tag,
            "PackageName" | "FileName" | "SnippetSPDXID" | "LicenseID"
        ) {
            in_document = false;
            end_package(package.take(), out);
            if tag == "PackageName" {
                let span = Span::new(start, line.trim_end().len());
                package = Some(TvPackage {
                    name: value,
                    span,
                    id: false,
                    download: false,
                });
            }
            continue;
        }
        if let Some(p) = package.as_mut() {
            p.id |= tag == "SPDXID";
            p.download |= tag == "PackageDownloadLocation";
        }
        if tag == "SPDXID" && !in_document {
            continue;
        }
        if let Some(i) = TV_DOCUMENT.iter().position(|t| *t == tag) {
            if let Some(s) = seen.get_mut(i) {
                *s = true;
            }
        }
    }
    end_package(package, out);
    let head = Span::new(0, source.find('\n').unwrap_or(source.len()));
    for (tag, seen) in TV_DOCUMENT.iter().zip(seen) {
        if !seen {
            out.push(missing(format!("the document has no `{tag}:` line"), head));
        }
    }
}

fn end_package(package: Option<TvPackage<'_>>, out: &mut Vec<Diagnostic>) {
    let Some(p) = package else {
        return;
    };
    for (has, tag) in [(p.id, "SPDXID"), (p.download, "PackageDownloadLocation")] {
        if !has {
            out.push(missing(
                format!("package {:?} has no `{tag}:` line", p.name),
                p.span,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag_value_codes(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        spdx_tag_value(text, &mut out);
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn tag_value_packages_need_an_id_and_a_download_location() {
        let doc = "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n\
                   DocumentName: d\nDocumentNamespace: https://x/y\nCreator: Tool: t\n\
                   Created: 2024-01-01T00:00:00Z\n\n\
                   PackageName: good\nSPDXID: SPDXRef-good\nPackageDownloadLocation: NONE\n\n\
                   PackageName: bad\nPackageComment: <text>multi\nPackageDownloadLocation: in text\n</text>\n\
                   FileName: f\nSPDXID: SPDXRef-f\n";
        assert_eq!(
            tag_value_codes(doc),
            [
                "package \"bad\" has no `SPDXID:` line",
                "package \"bad\" has no `PackageDownloadLocation:` line",
            ]
        );
    }

    #[test]
    fn tag_value_document_tags_are_required() {
        let doc = "SPDXVersion: SPDX-2.3\nPackageName: p\nSPDXID: SPDXRef-p\nPackageDownloadLocation: NONE\n";
        let messages = tag_value_codes(doc);
        assert_eq!(messages.len(), 6, "{messages:?}");
        // The package's SPDXID is not the document's.
        assert!(messages.contains(&"the document has no `SPDXID:` line".to_owned()));
    }
}
