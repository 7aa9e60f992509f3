//! The identifier groups of a record as plain data, for `oemtrace db
//! show`: [`super::Target`] carries what a finding needs (sources, notes,
//! location), not the identifiers a reviewer checks the record by.

use serde::Serialize;

use super::record::Grade;
use super::{TargetId, VendorDb};

/// One `[[table.ids]]` group of a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IdentifierGroup<'db> {
    /// `name`, `file`, `cpe`, … (as the db file writes it).
    pub kind: &'static str,
    /// The values as written.
    pub values: Vec<&'db str>,
    /// The best grade among the group's own sources.
    pub grade: Grade,
}

impl VendorDb {
    /// The identifier groups of a record, in file order; empty for an id
    /// from another db.
    pub fn identifiers(&self, id: TargetId) -> Vec<IdentifierGroup<'_>> {
        self.record(id).map_or_else(Vec::new, |r| {
            r.ids
                .iter()
                .map(|g| IdentifierGroup {
                    kind: g.kind.as_str(),
                    values: g.values.iter().map(|v| v.text.as_str()).collect(),
                    grade: g.grade,
                })
                .collect()
        })
    }
}
