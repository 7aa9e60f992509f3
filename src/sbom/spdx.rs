//! SPDX 2.x, JSON and tag-value, read leniently (2.2 and 2.3; 2.0 and 2.1
//! are read the same way with an `unknown-spec-version` note). SPDX 3
//! JSON-LD, YAML, RDF/XML and XML are recognised by detection and refused
//! with [`ReadError::Unsupported`].
//!
//! Both readers produce the same [`Parts`](assemble::Parts): the SPDX
//! elements (packages, files, snippets) with their identifying fields, the
//! relationships as written, the `documentDescribes` list and the
//! extracted licensing infos. [`assemble`] turns those into a
//! [`Document`], so both formats behave the same by construction:
//!
//! - every package is a component ([`Role::Part`](crate::model::Role));
//!   `SPDXID` is its `bom_ref`;
//! - a file or snippet becomes a component only when something names it:
//!   a relationship end, a package's `hasFiles`, `documentDescribes`, a
//!   snippet's `snippetFromFile`, or (tag-value) its place after a package
//!   (see [`assemble`] for why the others can be left out);
//! - relationships are normalised to walk from the product towards its
//!   parts (the table is in [`relationships`]); `DESCRIBES` targets and
//!   `documentDescribes` become [`Document::roots`];
//! - a `LicenseRef-…` used in a license field brings the name and text of
//!   its extracted licensing info along as `License` fields, so that a
//!   LicenseRef naming the owner is evidence on every element using it.
//!
//! Field paths are SPDX's own words: the JSON keys (`supplier`,
//! `externalRefs.purl`, `checksums`, `hasExtractedLicensingInfos.name`) in
//! JSON and the tags (`PackageSupplier`, `ExternalRef`, `PackageChecksum`,
//! `LicenseName`) in tag-value, so that a finding names what a person will
//! search for in the file.

mod assemble;
mod fields;
mod json;
mod lines;
mod relationships;
mod tagvalue;
#[cfg(test)]
mod tagvalue_tests;
#[cfg(test)]
mod tests;

use crate::model::{Document, SourceText};
use crate::sbom::error::ReadError;

pub use fields::EXTRACTED_TEXT_LIMIT;

/// Reads an SPDX 2.x JSON document (the caller has decided it is one:
/// nothing here checks for `spdxVersion` beyond a diagnostic when it is
/// missing). `name` is the name the user gave; it goes into
/// [`Document::name`] and every error.
pub fn read_json(name: &str, source: &SourceText) -> Result<Document, ReadError> {
    let parts = json::read(name, source)?;
    Ok(assemble::assemble(name, source, parts))
}

/// [`read_json`] for a document whose top level detection has read.
pub(crate) fn read_json_top(
    name: &str,
    source: &SourceText,
    top: Box<crate::sbom::detect::Top<'_>>,
) -> Result<Document, ReadError> {
    let parts = json::read_top(name, source, *top)?;
    Ok(assemble::assemble(name, source, parts))
}

/// Reads an SPDX 2.x tag-value document. Tag-value is read line by line
/// and never fails on its content: what cannot be read becomes a
/// diagnostic.
pub fn read_tag_value(name: &str, source: &SourceText) -> Result<Document, ReadError> {
    let parts = tagvalue::read(source);
    Ok(assemble::assemble(name, source, parts))
}
