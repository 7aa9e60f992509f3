//! The version gate of third-party product records.
//!
//! A product record says "this product, in these versions, carries the
//! engine". Its name alone is not enough: Junos OS 23.4R1 is a Junos OS,
//! but the Kaspersky engine left Junos with 15.1X49-D10. So, for every
//! piece of evidence that points at a product record:
//!
//! - a hash identifies the very binary the record lists: it stands as is;
//! - the record has no range, or the version is in it: evidence from an
//!   identifying field (tier `likely` or above: name, alias, purl, CPE,
//!   file, package) rises to the record's own confidence, capped as
//!   usual by grade and `max_confidence` (grade A: `confirmed`); mentions
//!   inside a longer text stay `possible`;
//! - the version is outside the range: the evidence is dropped, so the
//!   product does not match at all (and an owner's evidence folds into
//!   whatever else matched instead);
//! - the component has no version, or one that cannot be read: the
//!   evidence stands but at most `likely`, and its note says so.

use crate::model::Confidence;
use crate::vendordb::record::IdKind;
use crate::vendordb::version::VersionCheck;
use crate::vendordb::{TargetId, VendorDb};

use super::{graded, Found};

/// Applies the gate to `found` in place. Costs nothing when no product
/// record matched; otherwise one range check per piece of product
/// evidence (a handful of comparisons).
pub(super) fn apply(found: &mut Vec<Found>, db: &VendorDb, version: Option<&str>) {
    if !found
        .iter()
        .any(|f| matches!(f.target, TargetId::Product(_)))
    {
        return;
    }
    found.retain_mut(|f| {
        if !matches!(f.target, TargetId::Product(_)) || f.hit.kind == IdKind::Hash {
            return true;
        }
        let range = db.record(f.target).and_then(|r| r.range.as_ref());
        let check = range.map(|r| r.check(version));
        match check {
            None | Some(VersionCheck::Within) => {
                raise(f);
                f.version = check;
                true
            }
            Some(VersionCheck::Outside) => false,
            Some(c @ (VersionCheck::Missing | VersionCheck::Uncomparable)) => {
                f.confidence = f.confidence.min(Confidence::Likely);
                f.version = Some(c);
                true
            }
        }
    });
}

/// Lifts identifying evidence to the record's confidence.
fn raise(f: &mut Found) {
    if f.tier >= Confidence::Likely && f.tier < Confidence::Confirmed {
        let (confidence, note) = graded(&f.hit, Confidence::Confirmed);
        f.confidence = confidence;
        f.tier = Confidence::Confirmed;
        f.note = note.or(f.note);
    }
}

/// The evidence note for a version check against `range`.
pub(super) fn note(check: VersionCheck, version: Option<&str>, range: &str) -> String {
    let version = version.map(str::trim).unwrap_or("");
    match check {
        VersionCheck::Within => format!("version {version} is within the record's range {range}"),
        VersionCheck::Outside => {
            format!("version {version} is outside the record's range {range}")
        }
        VersionCheck::Missing => format!(
            "no version to compare with the record's range {range}; capped at likely"
        ),
        VersionCheck::Uncomparable => format!(
            "version '{version}' could not be compared with the record's range {range}; capped at likely"
        ),
    }
}
