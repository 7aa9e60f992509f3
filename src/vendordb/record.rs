//! The checked, owned records a [`super::VendorDb`] holds.
//!
//! Loading turns the raw TOML of [`super::schema`] into these once; after
//! that nothing needs the TOML types again. Each record remembers its file
//! and byte span, so reports and errors can point into the db.

use std::ops::Range;

use serde::Serialize;

use super::version::VersionRange;
use crate::model::Confidence;

/// How much a public source can be trusted (research grading).
///
/// `A`: the integrating vendor's or Kaspersky's own documentation, or a
/// primary government text; matches built on it may be `confirmed`.
/// `B`: press, trade review, third-party code or analysis; matches are at
/// most `likely`. C and UNVERIFIED material never ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Grade {
    B,
    A,
}

impl Grade {
    pub const fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
        }
    }

    /// The highest confidence evidence resting on this grade may reach.
    pub const fn cap(self) -> Confidence {
        match self {
            Grade::A => Confidence::Confirmed,
            Grade::B => Confidence::Likely,
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Grade> {
        match s {
            "A" => Some(Grade::A),
            "B" => Some(Grade::B),
            _ => None,
        }
    }
}

/// What kind of thing an engine record describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Engine,
    Sdk,
    SignatureDb,
    Application,
    Library,
    Os,
}

impl Category {
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Engine => "engine",
            Category::Sdk => "sdk",
            Category::SignatureDb => "signature-db",
            Category::Application => "application",
            Category::Library => "library",
            Category::Os => "os",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Category> {
        Some(match s {
            "engine" => Category::Engine,
            "sdk" => Category::Sdk,
            "signature-db" => Category::SignatureDb,
            "application" => Category::Application,
            "library" => Category::Library,
            "os" => Category::Os,
            _ => return None,
        })
    }
}

/// How a third-party product carries an engine (research section 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    Embeds,
    UsesSignatures,
    Resells,
    WhiteLabel,
    Bundles,
}

impl Relation {
    pub const fn as_str(self) -> &'static str {
        match self {
            Relation::Embeds => "embeds",
            Relation::UsesSignatures => "uses-signatures",
            Relation::Resells => "resells",
            Relation::WhiteLabel => "white-label",
            Relation::Bundles => "bundles",
        }
    }

    /// The graph edge kind this relation becomes (product component ->
    /// engine node): `embeds`, `uses_signatures`, `resells`,
    /// `white_label_of`, `bundles`.
    pub const fn edge_kind(self) -> crate::model::EdgeKind {
        use crate::model::EdgeKind;
        match self {
            Relation::Embeds => EdgeKind::Embeds,
            Relation::UsesSignatures => EdgeKind::UsesSignatures,
            Relation::Resells => EdgeKind::Resells,
            Relation::WhiteLabel => EdgeKind::WhiteLabelOf,
            Relation::Bundles => EdgeKind::Bundles,
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Relation> {
        Some(match s {
            "embeds" => Relation::Embeds,
            "uses-signatures" => Relation::UsesSignatures,
            "resells" => Relation::Resells,
            "white-label" => Relation::WhiteLabel,
            "bundles" => Relation::Bundles,
            _ => return None,
        })
    }
}

/// The kinds of identifier an `ids` group can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKind {
    /// A legal-entity name of the owner (strong as supplier, author, ...).
    LegalName,
    /// A brand or trading name (weaker than a legal name in party fields).
    BrandName,
    /// A CPE vendor string (`kaspersky`).
    CpeVendor,
    /// A purl `type/namespace` (`maven/com.kaspersky.android-components`).
    PurlNamespace,
    /// A DNS domain; subdomains match too.
    Domain,
    /// A product name or alias.
    Name,
    /// A file or binary name (`kavehost.exe`).
    File,
    /// An OS package name (`kesl`).
    Package,
    /// A Java / Android package prefix (`com.kavsdk`).
    JavaPackage,
    /// A CPE `vendor:product` pair.
    Cpe,
    /// A purl without version, qualifiers or subpath.
    Purl,
    /// A binary digest as `ALG:hex`.
    Hash,
}

impl IdKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            IdKind::LegalName => "legal-name",
            IdKind::BrandName => "brand-name",
            IdKind::CpeVendor => "cpe-vendor",
            IdKind::PurlNamespace => "purl-namespace",
            IdKind::Domain => "domain",
            IdKind::Name => "name",
            IdKind::File => "file",
            IdKind::Package => "package",
            IdKind::JavaPackage => "java-package",
            IdKind::Cpe => "cpe",
            IdKind::Purl => "purl",
            IdKind::Hash => "hash",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<IdKind> {
        Some(match s {
            "legal-name" => IdKind::LegalName,
            "brand-name" => IdKind::BrandName,
            "cpe-vendor" => IdKind::CpeVendor,
            "purl-namespace" => IdKind::PurlNamespace,
            "domain" => IdKind::Domain,
            "name" => IdKind::Name,
            "file" => IdKind::File,
            "package" => IdKind::Package,
            "java-package" => IdKind::JavaPackage,
            "cpe" => IdKind::Cpe,
            "purl" => IdKind::Purl,
            "hash" => IdKind::Hash,
            _ => return None,
        })
    }

    /// Identifiers that describe an owner (entity records) rather than one
    /// of its engines or products.
    pub(crate) const fn is_entity_kind(self) -> bool {
        matches!(
            self,
            IdKind::LegalName
                | IdKind::BrandName
                | IdKind::CpeVendor
                | IdKind::PurlNamespace
                | IdKind::Domain
        )
    }
}

/// A public source, checked: it has a locator, a quote and a grade.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    pub url: Option<String>,
    pub repo: Option<String>,
    pub path: Option<String>,
    pub commit: Option<String>,
    /// The URL, or `repo, path` for a repository file: what a report cites.
    pub cite: String,
    pub quote: String,
    pub grade: Grade,
    pub note: Option<String>,
}

/// One identifier as written in the db.
#[derive(Clone, Debug)]
pub(crate) struct IdValue {
    pub text: String,
}

/// An `ids` group: identifiers of one kind and the sources behind them.
#[derive(Clone, Debug)]
pub(crate) struct IdGroup {
    pub kind: IdKind,
    pub values: Vec<IdValue>,
    /// The best grade among `sources`.
    pub grade: Grade,
    pub sources: Vec<Source>,
}

/// A reference to another record, kept with its span for the dangling
/// reference error after a merge.
#[derive(Clone, Debug)]
pub(crate) struct Ref {
    pub id: String,
    pub span: Range<usize>,
}

/// An entity, engine or product record.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub id: String,
    pub name: String,
    /// Entity: empty. Engine: its owner entity. Product: the engine's
    /// owner, resolved when the db is validated.
    pub owner: Option<Ref>,
    pub category: Option<Category>,
    /// Entity only: the programs that apply to the owner.
    pub programs: Vec<Ref>,
    /// Product only: the engine it carries, how, for which versions, the
    /// vendor's name and the confidence cap.
    pub engine: Option<Ref>,
    pub relation: Option<Relation>,
    /// The version range as written, and parsed. No range: every version.
    pub versions: Option<String>,
    pub range: Option<VersionRange>,
    pub vendor: Option<String>,
    pub max_confidence: Option<Confidence>,
    pub sources: Vec<Source>,
    /// The best grade among `sources`.
    pub grade: Grade,
    pub notes: Vec<String>,
    pub ids: Vec<IdGroup>,
    pub file: usize,
    pub span: Range<usize>,
    pub id_span: Range<usize>,
}

/// A dated step of a program.
#[derive(Clone, Debug)]
pub(crate) struct ProgramDateRec {
    pub date: String,
    pub event: String,
}

/// A restriction program.
#[derive(Clone, Debug)]
pub(crate) struct ProgramRec {
    pub id: String,
    pub name: String,
    pub authority: String,
    pub citation: String,
    pub effective: Option<String>,
    pub reaches_embedded: bool,
    pub scope: String,
    pub covers: Vec<String>,
    pub dates: Vec<ProgramDateRec>,
    pub sources: Vec<Source>,
    pub notes: Vec<String>,
    pub file: usize,
    pub span: Range<usize>,
    pub id_span: Range<usize>,
}
