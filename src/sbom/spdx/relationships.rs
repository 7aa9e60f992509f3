//! SPDX 2.3 relationship types, normalised to [`EdgeKind`]s that walk from
//! the product towards what went into it.
//!
//! An SPDX relationship reads `A TYPE B`. Many types are stated from the
//! part's side (`A DEPENDENCY_OF B`: B needs A); those are *flipped*, so
//! that the edge runs `B → A`. The rule behind every row: the edge points
//! from the thing a buyer receives towards the thing whose content (or
//! presence) it carries, because that is the direction a path from the
//! product to a hidden engine walks.
//!
//! | SPDX type | edge | direction | why |
//! |---|---|---|---|
//! | `DESCRIBES` | — | — | the document's product: a root |
//! | `DESCRIBED_BY` | — | — | the same, stated from the product |
//! | `CONTAINS` | `contains` | A → B | A holds B |
//! | `CONTAINED_BY` | `contains` | B → A | B holds A |
//! | `PACKAGE_OF` | `contains` | B → A | A ships as a package inside B |
//! | `OPTIONAL_COMPONENT_OF` | `contains` | B → A | A may be built into B |
//! | `FILE_ADDED` | `contains` | B → A | A was added to B |
//! | `EXPANDED_FROM_ARCHIVE` | `contains` | B → A | the archive B held A |
//! | `DEPENDS_ON` | `depends_on` | A → B | A needs B |
//! | `HAS_PREREQUISITE` | `depends_on` | A → B | A needs B |
//! | `DEPENDENCY_OF` | `depends_on` | B → A | B needs A |
//! | `BUILD_`, `DEV_`, `TEST_`, `RUNTIME_`, `OPTIONAL_`, `PROVIDED_DEPENDENCY_OF` | `depends_on` | B → A | B needs A, in some scope |
//! | `PREREQUISITE_FOR` | `depends_on` | B → A | B needs A |
//! | `STATIC_LINK` | `static_link` | A → B | B's code is inside A |
//! | `DYNAMIC_LINK` | `dynamic_link` | A → B | A loads B |
//! | `VARIANT_OF` | `variant_of` | A → B | A is B, edited (order unknown: kept as written) |
//! | `COPY_OF` | `copy_of` | A → B | A is B, byte for byte |
//! | `DESCENDANT_OF` | `descendant_of` | A → B | A is a later B |
//! | `ANCESTOR_OF` | `descendant_of` | B → A | B is a later A |
//! | `FILE_MODIFIED` | `descendant_of` | A → B | A was modified from B |
//! | `GENERATED_FROM` | `other` | A → B | A was built from B (not a copy, not a part) |
//! | `GENERATES` | `other` | B → A | B was built from A |
//! | `DISTRIBUTION_ARTIFACT` | `other` | A → B | shipping A means shipping B too |
//! | `PATCH_FOR`, `PATCH_APPLIED` | `other` | B → A | the patch A goes into B |
//! | `FILE_DELETED` | `other` | B → A | A was in B once |
//! | `DEPENDENCY_MANIFEST_OF`, `DATA_FILE_OF`, `TEST_CASE_OF`, `TEST_OF`, `BUILD_TOOL_OF`, `DEV_TOOL_OF`, `TEST_TOOL_OF`, `DOCUMENTATION_OF`, `METAFILE_OF`, `EXAMPLE_OF`, `REQUIREMENT_DESCRIPTION_FOR`, `SPECIFICATION_FOR` | `other` | B → A | A is an auxiliary of B: it travels with B but is no part of its code |
//! | `AMENDS` | `other` | A → B | (between documents) A corrects B |
//! | `OTHER` | `other` | A → B | as written |
//!
//! `other` is used where no closer kind exists: the edge still connects
//! the two elements (a path may run through it, and it keeps B from being
//! taken for a part nobody reaches), while its name does not claim more
//! than SPDX says.

use crate::model::EdgeKind;
use crate::model::Trimmed;

/// What one SPDX relationship type means for the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mapping {
    /// `A DESCRIBES B`: when A is the document, B is a product it describes.
    Describes,
    /// `A DESCRIBED_BY B`: when B is the document, A is a product it describes.
    DescribedBy,
    /// An edge of `kind`, from A to B, or from B to A when `flip`.
    Edge { kind: EdgeKind, flip: bool },
}

const fn edge(kind: EdgeKind) -> Mapping {
    Mapping::Edge { kind, flip: false }
}

const fn flipped(kind: EdgeKind) -> Mapping {
    Mapping::Edge { kind, flip: true }
}

/// The mapping of a relationship type (`classified`'s first half).
#[cfg(test)]
fn mapping(written: &str) -> Option<Mapping> {
    classified(written).0
}

/// Whether a type is new in SPDX 2.3 (`classified`'s second half).
#[cfg(test)]
fn new_in_2_3(written: &str) -> bool {
    classified(written).1
}

/// The mapping of a relationship type as SPDX 2.3 spells it
/// (`DEPENDENCY_OF`), `None` for a type SPDX does not define; and
/// whether the type is new in SPDX 2.3 (a 2.2 document using it was
/// probably written against 2.3). Also accepted: any case, `-` for `_`,
/// camel case and the RDF spelling (`relationshipType_dependencyOf`, with
/// or without the `http://spdx.org/rdf/terms#` prefix), which converters
/// leave behind. Both from one normalisation of the text: a reader asks
/// both of every relationship.
pub(super) fn classified(written: &str) -> (Option<Mapping>, bool) {
    let written = written.trimmed();
    let name = if is_canonical(written) {
        std::borrow::Cow::Borrowed(written)
    } else {
        std::borrow::Cow::Owned(normalise(written))
    };
    let new = matches!(&*name, "REQUIREMENT_DESCRIPTION_FOR" | "SPECIFICATION_FOR");
    (canonical(&name), new)
}

fn is_canonical(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
}

/// `relationshipType_dependencyOf`, `dependency-of`, `Dependency_Of` →
/// `DEPENDENCY_OF`.
fn normalise(written: &str) -> String {
    let name = written.rsplit('#').next().unwrap_or(written);
    let name = name
        .strip_prefix("relationshipType_")
        .or_else(|| name.strip_prefix("RelationshipType_"))
        .unwrap_or(name);
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '-' || c == '_' || c == ' ' {
            out.push('_');
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn canonical(name: &str) -> Option<Mapping> {
    use EdgeKind::*;
    Some(match name {
        "DESCRIBES" => Mapping::Describes,
        "DESCRIBED_BY" => Mapping::DescribedBy,

        "CONTAINS" => edge(Contains),
        "CONTAINED_BY"
        | "PACKAGE_OF"
        | "OPTIONAL_COMPONENT_OF"
        | "FILE_ADDED"
        | "EXPANDED_FROM_ARCHIVE" => flipped(Contains),

        "DEPENDS_ON" | "HAS_PREREQUISITE" => edge(DependsOn),
        "DEPENDENCY_OF"
        | "BUILD_DEPENDENCY_OF"
        | "DEV_DEPENDENCY_OF"
        | "TEST_DEPENDENCY_OF"
        | "RUNTIME_DEPENDENCY_OF"
        | "OPTIONAL_DEPENDENCY_OF"
        | "PROVIDED_DEPENDENCY_OF"
        | "PREREQUISITE_FOR" => flipped(DependsOn),

        "STATIC_LINK" => edge(StaticLink),
        "DYNAMIC_LINK" => edge(DynamicLink),

        "VARIANT_OF" => edge(VariantOf),
        "COPY_OF" => edge(CopyOf),
        "DESCENDANT_OF" | "FILE_MODIFIED" => edge(DescendantOf),
        "ANCESTOR_OF" => flipped(DescendantOf),

        "GENERATED_FROM" | "DISTRIBUTION_ARTIFACT" | "AMENDS" | "OTHER" => edge(Other),
        "GENERATES"
        | "PATCH_FOR"
        | "PATCH_APPLIED"
        | "FILE_DELETED"
        | "DEPENDENCY_MANIFEST_OF"
        | "DATA_FILE_OF"
        | "TEST_CASE_OF"
        | "TEST_OF"
        | "BUILD_TOOL_OF"
        | "DEV_TOOL_OF"
        | "TEST_TOOL_OF"
        | "DOCUMENTATION_OF"
        | "METAFILE_OF"
        | "EXAMPLE_OF"
        | "REQUIREMENT_DESCRIPTION_FOR"
        | "SPECIFICATION_FOR" => flipped(Other),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every type SPDX 2.3 defines (Table 68), in the specification's order.
    const ALL_2_3: [&str; 45] = [
        "DESCRIBES",
        "DESCRIBED_BY",
        "CONTAINS",
        "CONTAINED_BY",
        "DEPENDS_ON",
        "DEPENDENCY_OF",
        "DEPENDENCY_MANIFEST_OF",
        "BUILD_DEPENDENCY_OF",
        "DEV_DEPENDENCY_OF",
        "OPTIONAL_DEPENDENCY_OF",
        "PROVIDED_DEPENDENCY_OF",
        "TEST_DEPENDENCY_OF",
        "RUNTIME_DEPENDENCY_OF",
        "EXAMPLE_OF",
        "GENERATES",
        "GENERATED_FROM",
        "ANCESTOR_OF",
        "DESCENDANT_OF",
        "VARIANT_OF",
        "DISTRIBUTION_ARTIFACT",
        "PATCH_FOR",
        "PATCH_APPLIED",
        "COPY_OF",
        "FILE_ADDED",
        "FILE_DELETED",
        "FILE_MODIFIED",
        "EXPANDED_FROM_ARCHIVE",
        "DYNAMIC_LINK",
        "STATIC_LINK",
        "DATA_FILE_OF",
        "TEST_CASE_OF",
        "BUILD_TOOL_OF",
        "DEV_TOOL_OF",
        "TEST_OF",
        "TEST_TOOL_OF",
        "DOCUMENTATION_OF",
        "OPTIONAL_COMPONENT_OF",
        "METAFILE_OF",
        "PACKAGE_OF",
        "AMENDS",
        "PREREQUISITE_FOR",
        "HAS_PREREQUISITE",
        "REQUIREMENT_DESCRIPTION_FOR",
        "SPECIFICATION_FOR",
        "OTHER",
    ];

    #[test]
    fn every_spdx_2_3_type_is_mapped() {
        for ty in ALL_2_3 {
            assert!(mapping(ty).is_some(), "{ty} unmapped");
        }
        assert_eq!(mapping("CONTAINS_SOMETHING"), None);
        assert_eq!(mapping(""), None);
    }

    /// The table of the module docs, row by row: (type, kind, flipped).
    #[test]
    fn every_type_maps_as_the_table_says() {
        use EdgeKind::*;
        let table: [(&str, EdgeKind, bool); 43] = [
            ("CONTAINS", Contains, false),
            ("CONTAINED_BY", Contains, true),
            ("PACKAGE_OF", Contains, true),
            ("OPTIONAL_COMPONENT_OF", Contains, true),
            ("FILE_ADDED", Contains, true),
            ("EXPANDED_FROM_ARCHIVE", Contains, true),
            ("DEPENDS_ON", DependsOn, false),
            ("HAS_PREREQUISITE", DependsOn, false),
            ("DEPENDENCY_OF", DependsOn, true),
            ("BUILD_DEPENDENCY_OF", DependsOn, true),
            ("DEV_DEPENDENCY_OF", DependsOn, true),
            ("TEST_DEPENDENCY_OF", DependsOn, true),
            ("RUNTIME_DEPENDENCY_OF", DependsOn, true),
            ("OPTIONAL_DEPENDENCY_OF", DependsOn, true),
            ("PROVIDED_DEPENDENCY_OF", DependsOn, true),
            ("PREREQUISITE_FOR", DependsOn, true),
            ("STATIC_LINK", StaticLink, false),
            ("DYNAMIC_LINK", DynamicLink, false),
            ("VARIANT_OF", VariantOf, false),
            ("COPY_OF", CopyOf, false),
            ("DESCENDANT_OF", DescendantOf, false),
            ("ANCESTOR_OF", DescendantOf, true),
            ("FILE_MODIFIED", DescendantOf, false),
            ("GENERATED_FROM", Other, false),
            ("GENERATES", Other, true),
            ("DISTRIBUTION_ARTIFACT", Other, false),
            ("PATCH_FOR", Other, true),
            ("PATCH_APPLIED", Other, true),
            ("FILE_DELETED", Other, true),
            ("DEPENDENCY_MANIFEST_OF", Other, true),
            ("DATA_FILE_OF", Other, true),
            ("TEST_CASE_OF", Other, true),
            ("TEST_OF", Other, true),
            ("BUILD_TOOL_OF", Other, true),
            ("DEV_TOOL_OF", Other, true),
            ("TEST_TOOL_OF", Other, true),
            ("DOCUMENTATION_OF", Other, true),
            ("METAFILE_OF", Other, true),
            ("EXAMPLE_OF", Other, true),
            ("REQUIREMENT_DESCRIPTION_FOR", Other, true),
            ("SPECIFICATION_FOR", Other, true),
            ("AMENDS", Other, false),
            ("OTHER", Other, false),
        ];
        for (ty, kind, flip) in table {
            assert_eq!(mapping(ty), Some(Mapping::Edge { kind, flip }), "{ty}");
        }
        // With DESCRIBES and DESCRIBED_BY, the table covers all of SPDX 2.3.
        let covered: std::collections::HashSet<&str> = table.iter().map(|r| r.0).collect();
        let rest: Vec<&str> = ALL_2_3
            .iter()
            .copied()
            .filter(|t| !covered.contains(t))
            .collect();
        assert_eq!(rest, ["DESCRIBES", "DESCRIBED_BY"]);
    }

    #[test]
    fn inverse_types_are_flipped_onto_their_forward_kind() {
        let pairs = [
            ("CONTAINS", "CONTAINED_BY"),
            ("DEPENDS_ON", "DEPENDENCY_OF"),
            ("DEPENDS_ON", "BUILD_DEPENDENCY_OF"),
            ("DEPENDS_ON", "DEV_DEPENDENCY_OF"),
            ("DEPENDS_ON", "TEST_DEPENDENCY_OF"),
            ("DEPENDS_ON", "RUNTIME_DEPENDENCY_OF"),
            ("DEPENDS_ON", "OPTIONAL_DEPENDENCY_OF"),
            ("DEPENDS_ON", "PROVIDED_DEPENDENCY_OF"),
            ("HAS_PREREQUISITE", "PREREQUISITE_FOR"),
            ("DESCENDANT_OF", "ANCESTOR_OF"),
            ("GENERATED_FROM", "GENERATES"),
            ("CONTAINS", "PACKAGE_OF"),
        ];
        for (forward, inverse) in pairs {
            let Some(Mapping::Edge { kind, flip: false }) = mapping(forward) else {
                panic!("{forward} is not a forward edge");
            };
            assert_eq!(
                mapping(inverse),
                Some(Mapping::Edge { kind, flip: true }),
                "{inverse}"
            );
        }
    }

    #[test]
    fn kinds_of_the_closest_types() {
        let cases = [
            ("STATIC_LINK", EdgeKind::StaticLink, false),
            ("DYNAMIC_LINK", EdgeKind::DynamicLink, false),
            ("VARIANT_OF", EdgeKind::VariantOf, false),
            ("COPY_OF", EdgeKind::CopyOf, false),
            ("FILE_MODIFIED", EdgeKind::DescendantOf, false),
            ("EXPANDED_FROM_ARCHIVE", EdgeKind::Contains, true),
            ("DOCUMENTATION_OF", EdgeKind::Other, true),
            ("OTHER", EdgeKind::Other, false),
        ];
        for (ty, kind, flip) in cases {
            assert_eq!(mapping(ty), Some(Mapping::Edge { kind, flip }), "{ty}");
        }
        assert_eq!(mapping("DESCRIBES"), Some(Mapping::Describes));
        assert_eq!(mapping("DESCRIBED_BY"), Some(Mapping::DescribedBy));
    }

    #[test]
    fn lenient_spellings() {
        let contained = mapping("CONTAINED_BY");
        for ty in [
            "containedBy",
            "contained_by",
            "Contained-By",
            " CONTAINED_BY ",
            "relationshipType_containedBy",
            "http://spdx.org/rdf/terms#relationshipType_containedBy",
        ] {
            assert_eq!(mapping(ty), contained, "{ty}");
        }
        assert_eq!(normalise("buildToolOf"), "BUILD_TOOL_OF");
        assert!(new_in_2_3("SPECIFICATION_FOR"));
        assert!(new_in_2_3("requirementDescriptionFor"));
        assert!(!new_in_2_3("CONTAINS"));
    }
}
