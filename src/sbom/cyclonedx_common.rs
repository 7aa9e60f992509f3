//! What the CycloneDX JSON and XML readers share, so that the same BOM
//! gives the same document in either encoding: where each field of an
//! organizational entity or licensing party goes (the `Field::path`
//! strings), and what becomes of the BOM-level supplier and manufacturer.

use crate::model::{Component, Diagnostic, Field, FieldKind};

/// Give the BOM-level `metadata` supplier/manufacturer fields to the root
/// component, or, with no `metadata.component`, say they go unused.
pub(crate) fn attach_metadata_fields(
    components: &mut [Component],
    root: Option<usize>,
    fields: Vec<Field>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match (root.and_then(|i| components.get_mut(i)), fields.first()) {
        (Some(root), _) => {
            root.fields.extend(fields);
            root.fields.sort_by_key(|f| f.span.offset());
        }
        (None, Some(first)) => diagnostics.push(Diagnostic::warning(
            "metadata-without-component",
            format!(
                "`{}` names who supplied or made the product this BOM describes, \
                 but there is no `metadata.component` to give it to; not used for matching",
                first.path
            ),
            Some(first.span),
        )),
        (None, None) => {}
    }
}

/// Where the fields of an organizational entity (`supplier`,
/// `manufacturer`, the BOM-level ones in `metadata`) go.
pub(crate) struct OrgPaths {
    pub(crate) prefix: &'static str,
    pub(crate) kind: FieldKind,
    pub(crate) name: &'static str,
    pub(crate) url: &'static str,
    pub(crate) contact: &'static str,
    pub(crate) contact_name: &'static str,
    pub(crate) contact_email: &'static str,
}

macro_rules! org_paths {
    ($prefix:literal, $kind:expr) => {
        OrgPaths {
            prefix: $prefix,
            kind: $kind,
            name: concat!($prefix, ".name"),
            url: concat!($prefix, ".url"),
            contact: concat!($prefix, ".contact"),
            contact_name: concat!($prefix, ".contact.name"),
            contact_email: concat!($prefix, ".contact.email"),
        }
    };
}

pub(crate) const SUPPLIER: OrgPaths = org_paths!("supplier", FieldKind::Supplier);
pub(crate) const MANUFACTURER: OrgPaths = org_paths!("manufacturer", FieldKind::Manufacturer);
pub(crate) const META_SUPPLIER: OrgPaths = org_paths!("metadata.supplier", FieldKind::Supplier);
/// `metadata.manufacture` (1.2–1.5, deprecated in 1.6 for `manufacturer`).
pub(crate) const META_MANUFACTURE: OrgPaths =
    org_paths!("metadata.manufacture", FieldKind::Manufacturer);
pub(crate) const META_MANUFACTURER: OrgPaths =
    org_paths!("metadata.manufacturer", FieldKind::Manufacturer);

/// Where the fields of a licensing party (licensor, licensee) go.
pub(crate) struct PartyPaths {
    pub(crate) prefix: &'static str,
    pub(crate) kind: FieldKind,
    pub(crate) organization: &'static str,
    pub(crate) organization_name: &'static str,
    pub(crate) individual: &'static str,
    pub(crate) individual_name: &'static str,
}

macro_rules! party_paths {
    ($prefix:literal, $kind:expr) => {
        PartyPaths {
            prefix: $prefix,
            kind: $kind,
            organization: concat!($prefix, ".organization"),
            organization_name: concat!($prefix, ".organization.name"),
            individual: concat!($prefix, ".individual"),
            individual_name: concat!($prefix, ".individual.name"),
        }
    };
}

pub(crate) const LICENSOR: PartyPaths =
    party_paths!("licenses.license.licensing.licensor", FieldKind::Licensor);
pub(crate) const LICENSEE: PartyPaths =
    party_paths!("licenses.license.licensing.licensee", FieldKind::Licensee);
