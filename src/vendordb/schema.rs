//! The TOML schema of a vendor-db file, as serde reads it.
//!
//! These types mirror the text exactly and keep the span of every value
//! that validation may need to point at (`toml::Spanned`). They deny
//! unknown fields: the db is our own data, and a misspelt key that was
//! silently ignored would drop an identifier without anyone noticing.
//! [`super::load`] turns them into the checked records of [`super::record`].
//!
//! A file may hold any mix of tables:
//!
//! ```toml
//! [db]
//! version = "2026.11.0"
//!
//! [[entity]]            # a company group and its legal entities
//! [[engine]]            # an engine, SDK, signature db or own product
//! [[product]]           # a third-party product that carries an engine
//! [[program]]           # a restriction program (FD 2024-13532, ...)
//! ```
//!
//! Records carry `sources` (inline tables with `url` or `repo` + `path`,
//! `quote` and `grade`) and `ids` groups (`[[engine.ids]]`), each with the
//! sources that support exactly those identifiers.

use serde::Deserialize;
use toml::Spanned;

/// One whole db file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    pub db: Option<Spanned<RawMeta>>,
    #[serde(default)]
    pub entity: Vec<Spanned<RawEntity>>,
    #[serde(default)]
    pub engine: Vec<Spanned<RawEngine>>,
    #[serde(default)]
    pub product: Vec<Spanned<RawProduct>>,
    #[serde(default)]
    pub program: Vec<Spanned<RawProgram>>,
}

/// `[db]`: facts about the db itself.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMeta {
    pub version: Spanned<String>,
}

/// A public source for a record or an identifier group.
///
/// `quote` and the locator are optional here only so that their absence
/// becomes a located [`super::DbErrorKind::Unsourced`] rather than serde's
/// terse "missing field".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub url: Option<Spanned<String>>,
    pub repo: Option<Spanned<String>>,
    pub path: Option<Spanned<String>>,
    pub commit: Option<String>,
    pub quote: Option<Spanned<String>>,
    pub grade: Option<Spanned<String>>,
    /// Caveats about this source (for example "publisher not verified").
    pub note: Option<String>,
}

pub(crate) type RawSources = Option<Spanned<Vec<Spanned<RawSource>>>>;

/// `[[<record>.ids]]`: identifiers of one kind, supported by the same
/// sources.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawIds {
    pub kind: Spanned<String>,
    pub values: Spanned<Vec<Spanned<String>>>,
    pub sources: RawSources,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntity {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    #[serde(default)]
    pub programs: Vec<Spanned<String>>,
    pub sources: RawSources,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub ids: Vec<Spanned<RawIds>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEngine {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    pub category: Spanned<String>,
    pub owner: Spanned<String>,
    pub sources: RawSources,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub ids: Vec<Spanned<RawIds>>,
}

/// A third-party product known to carry an engine (research section 5).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProduct {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    /// The integrating vendor, as a display name (not an entity id: the
    /// db keeps no records of third-party companies).
    pub vendor: Spanned<String>,
    /// The engine the product carries (an engine id).
    pub engine: Spanned<String>,
    /// `embeds`, `uses-signatures`, `resells`, `white-label`, `bundles`.
    pub relation: Spanned<String>,
    /// The versions the relationship is documented for, as a version
    /// range (`>=9.5, <15.1X49-D10`, `2.x`, `4.00`; see
    /// [`super::version`]). Absent: every version of the product.
    pub versions: Option<Spanned<String>>,
    /// The highest confidence a match may reach (`likely` or `possible`);
    /// lower than the grade allows, never higher.
    pub max_confidence: Option<Spanned<String>>,
    pub sources: RawSources,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub ids: Vec<Spanned<RawIds>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProgram {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    pub authority: String,
    pub citation: String,
    /// The date the program took effect (`YYYY-MM-DD`).
    pub effective: Option<Spanned<String>>,
    /// Whether the program reaches code of the owner embedded in another
    /// vendor's product (BOD 17-01 does not).
    pub reaches_embedded: bool,
    pub scope: String,
    /// Names of the entities the program lists, as it writes them.
    #[serde(default)]
    pub covers: Vec<String>,
    #[serde(default)]
    pub dates: Vec<Spanned<RawDate>>,
    pub sources: RawSources,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A dated step of a program.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDate {
    pub date: Spanned<String>,
    pub event: String,
}
