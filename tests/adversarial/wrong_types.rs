//! A wrong JSON type in every field the readers use, one field at a time.
//!
//! The fields are not listed by hand: a template document carries every
//! field the CycloneDX JSON reader reads (src/sbom/cyclonedx/component.rs,
//! dependencies.rs, cyclonedx.rs), and each case replaces one value of it
//! (at any depth) with the number 424242. Where components live, that is a
//! fatal `wrong_type` error; anywhere else a `wrong-type` diagnostic; and
//! either way it must point at the very number.

use std::time::Duration;

use oemtrace::sbom::ReadError;
use serde_json::{json, Value};

use crate::support::{assert_read_error, code, diagnostic_at, line_col, within};

const WRONG: &str = "424242";

fn organization(name: &str) -> Value {
    json!({
        "name": name,
        "url": ["https://example.org/"],
        "contact": [{"name": "Contact", "email": "contact@example.org"}]
    })
}

/// A component with every field the reader reads, and `inside` nested.
fn component(bom_ref: &str, inside: Vec<Value>) -> Value {
    json!({
        "bom-ref": bom_ref,
        "name": format!("name-{bom_ref}"),
        "group": "group",
        "version": "1.0",
        "purl": format!("pkg:generic/acme/{bom_ref}@1.0"),
        "cpe": "cpe:2.3:a:acme:x:1.0:*:*:*:*:*:*:*",
        "supplier": organization("Supplier"),
        "manufacturer": organization("Manufacturer"),
        "author": "Author",
        "publisher": "Publisher",
        "copyright": "(c) Acme",
        "description": "A part",
        "authors": [{"name": "Author", "email": "author@example.org"}],
        "licenses": [
            {"license": {
                "id": "MIT",
                "name": "MIT License",
                "url": "https://example.org/license",
                "licensing": {
                    "licensor": {"organization": {"name": "Licensor"}, "individual": {"name": "L"}},
                    "licensee": {"organization": {"name": "Licensee"}, "individual": {"name": "E"}},
                    "licenseTypes": ["oem"]
                }
            }},
            {"expression": "MIT OR Apache-2.0"}
        ],
        "hashes": [{"alg": "SHA-256", "content": "ab".repeat(32)}],
        "externalReferences": [
            {"type": "bom", "url": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#x"}
        ],
        "components": inside,
        "pedigree": {
            "ancestors": [{"bom-ref": format!("{bom_ref}-ancestor"), "name": "ancestor"}],
            "variants": [{"bom-ref": format!("{bom_ref}-variant"), "name": "variant"}]
        }
    })
}

/// The template: every top-level, metadata, component and dependency
/// field, components nested in the root and in a top-level component.
fn cyclonedx_template() -> Value {
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "metadata": {
            "component": component("root", vec![component("inner", vec![])]),
            "supplier": organization("Meta Supplier"),
            "manufacture": organization("Meta Manufacture"),
            "manufacturer": organization("Meta Manufacturer")
        },
        "components": [component("part", vec![component("sub", vec![])])],
        "dependencies": [
            {"ref": "root", "dependsOn": ["part", "sub"], "provides": ["inner"]}
        ]
    })
}

/// Every JSON pointer below `value`, in document order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let pointer = format!("{at}/{key}");
        out.push(pointer.clone());
        pointers(child, pointer, out);
    }
}

/// The template with the value at `pointer` replaced by [`WRONG`],
/// pretty-printed, and the byte offset of that value.
fn with_wrong_value(template: &Value, pointer: &str) -> (String, usize) {
    let mut doc = template.clone();
    *doc.pointer_mut(pointer).expect("pointer from the template") = json!(424242);
    let text = serde_json::to_string_pretty(&doc).expect("serialises");
    let at = text.find(WRONG).expect("the wrong value is in the text");
    assert_eq!(text.matches(WRONG).count(), 1);
    (text, at)
}

/// Where a wrong type loses components, so that reading stops.
fn holds_components(pointer: &str) -> bool {
    let parts: Vec<&str> = pointer.split('/').collect();
    let last = parts.last().copied().unwrap_or_default();
    let parent = parts
        .len()
        .checked_sub(2)
        .and_then(|i| parts.get(i))
        .copied();
    let element = last.parse::<usize>().is_ok();
    matches!(
        last,
        "metadata" | "components" | "pedigree" | "ancestors" | "variants"
    ) || pointer == "/metadata/component"
        || (element && matches!(parent, Some("components" | "ancestors" | "variants")))
}

/// The field a message names: the last key of the pointer.
fn field_name(pointer: &str) -> &str {
    pointer
        .rsplit('/')
        .find(|p| p.parse::<usize>().is_err())
        .unwrap_or_default()
}

#[test]
fn a_wrong_type_in_any_cyclonedx_field_is_located() {
    let template = cyclonedx_template();
    let mut all = Vec::new();
    pointers(&template, String::new(), &mut all);
    // `bomFormat` decides whether this is CycloneDX at all (below).
    all.retain(|p| p != "/bomFormat");
    assert!(all.len() > 150, "{} fields", all.len());
    let (mut fatal, mut diagnosed) = (0, 0);
    for pointer in &all {
        let (text, at) = with_wrong_value(&template, pointer);
        let want = line_col(&text, at);
        let result = within(Duration::from_secs(10), "read", {
            let text = text.clone();
            move || oemtrace::sbom::read("wrong.cdx.json", text.into_bytes())
        });
        match result {
            Err(err) => {
                assert!(holds_components(pointer), "{pointer}: fatal: {err}");
                let place = assert_read_error(&err, "oemtrace::read::wrong_type");
                assert_eq!(place, want, "{pointer}: {err}");
                fatal += 1;
            }
            Ok(doc) => {
                assert!(!holds_components(pointer), "{pointer}: read on");
                let found = doc.diagnostics.iter().find(|d| {
                    d.code == "wrong-type"
                        && d.span.is_some_and(|s| text.get(s.range()) == Some(WRONG))
                });
                let d = found.unwrap_or_else(|| {
                    panic!(
                        "{pointer}: no wrong-type at the value: {:?}",
                        doc.diagnostics
                    )
                });
                assert_eq!(diagnostic_at(&doc, d), want, "{pointer}");
                assert!(
                    d.message.contains(field_name(pointer)),
                    "{pointer}: {}",
                    d.message
                );
                diagnosed += 1;
            }
        }
    }
    // Both outcomes were seen, for the fields that should give them.
    assert!(
        fatal >= 20 && diagnosed >= 130,
        "{fatal} fatal, {diagnosed} diagnosed"
    );
}

#[test]
fn a_wrong_type_in_bom_format_is_no_cyclonedx() {
    let (text, at) = with_wrong_value(&cyclonedx_template(), "/bomFormat");
    let err: ReadError = oemtrace::sbom::read("wrong.cdx.json", text.clone().into_bytes())
        .expect_err("not CycloneDX");
    let place = assert_read_error(&err, "oemtrace::read::not_an_sbom");
    assert_eq!(place, line_col(&text, at));
}

/// The SPDX JSON fields the reader uses (src/sbom/spdx/json.rs): a wrong
/// type in one of these must be diagnosed where it is.
const SPDX_READ: &[&str] = &[
    "spdxVersion",
    "SPDXID",
    "documentNamespace",
    "documentDescribes",
    "packages",
    "files",
    "relationships",
    "name",
    "versionInfo",
    "supplier",
    "originator",
    "downloadLocation",
    "homepage",
    "licenseConcluded",
    "licenseDeclared",
    "copyrightText",
    "description",
    "checksums",
    "algorithm",
    "checksumValue",
    "externalRefs",
    "referenceType",
    "referenceLocator",
    "fileName",
    "spdxElementId",
    "relatedSpdxElement",
    "relationshipType",
];

#[test]
fn a_wrong_type_in_any_spdx_json_field_is_located_or_ignored() {
    let text = include_str!("../../fixtures/four-formats/larchfield-brackengate-3.spdx.json");
    let template: Value = serde_json::from_str(text).expect("fixture is JSON");
    let mut all = Vec::new();
    pointers(&template, String::new(), &mut all);
    let mut checked = 0;
    for pointer in &all {
        let (text, at) = with_wrong_value(&template, pointer);
        let want = line_col(&text, at);
        let result = within(Duration::from_secs(10), "read", {
            let text = text.clone();
            move || oemtrace::sbom::read("wrong.spdx.json", text.into_bytes())
        });
        // The document's own `name` and `creationInfo` identify nothing.
        let top = pointer.matches('/').count() == 1;
        let read = SPDX_READ.contains(&field_name(pointer)) && !(top && pointer == "/name");
        match result {
            Err(err) => {
                let place = assert_read_error(&err, &code(&err));
                assert_eq!(place, want, "{pointer}: {err}");
            }
            Ok(doc) => {
                let found = doc
                    .diagnostics
                    .iter()
                    .find(|d| d.span.is_some_and(|s| text.get(s.range()) == Some(WRONG)));
                match found {
                    Some(d) => assert_eq!(diagnostic_at(&doc, d), want, "{pointer}"),
                    None => assert!(!read, "{pointer}: not diagnosed: {:?}", doc.diagnostics),
                }
            }
        }
        checked += usize::from(read);
    }
    assert!(checked > 50, "{checked}");
}
