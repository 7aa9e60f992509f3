//! Licensing disclosures: a vendor's own list of the technology it
//! licenses into its products, read as product records for one audit.
//!
//! A disclosure is TOML (`[[license]]` entries) or CSV (a header row, then
//! one row per licence); both schemas are in `docs/vendor-db.md`. Every
//! row becomes a third-party product record:
//!
//! - its relation follows the licence type (`oem`, `appliance`,
//!   `subscription`, ... → `embeds`; `resale` → `resells`; `white-label`
//!   → `white-label`; `bundle` → `bundles`; `signatures` →
//!   `uses-signatures`);
//! - its engine is named by id or by name / alias, resolved against the db
//!   the disclosure is merged into;
//! - its grade is A when the licensor is a legal-entity name of the
//!   engine's owner (a vendor's own disclosure is primary evidence about
//!   its own products, so matches may be `confirmed`), else B;
//! - its source is the disclosure row itself (file and line, or the row's
//!   `source` URL), quoting the row.
//!
//! Every error points at the TOML value or CSV cell that caused it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::error::{At, DbError, DbErrorKind};
use super::ident::url_host;
use super::names::normalize;
use super::record::{Grade, IdGroup, IdKind, IdValue, Record, Ref, Relation, Source};
use super::version::VersionRange;
use super::{DbFile, FileOrigin, Table, VendorDb};
use crate::sbom::span::LineIndex;

mod read;

use read::{csv_rows, toml_rows, Cell, Defaults, Row};

/// The two disclosure formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LicensingFormat {
    Toml,
    Csv,
}

impl LicensingFormat {
    /// The format a file name says (`.toml` or `.csv`, any case).
    pub fn from_path(path: &Path) -> Option<LicensingFormat> {
        let ext = path.extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("csv") {
            Some(LicensingFormat::Csv)
        } else if ext.eq_ignore_ascii_case("toml") {
            Some(LicensingFormat::Toml)
        } else {
            None
        }
    }
}

impl VendorDb {
    /// Reads a licensing disclosure (`.toml` or `.csv`) and merges its rows
    /// into this db as product records. Returns how many records it added.
    /// On any error the db is left as it was.
    pub fn load_licensing(&mut self, path: &Path) -> Result<usize, DbError> {
        let name = path.display().to_string();
        let format = LicensingFormat::from_path(path)
            .ok_or_else(|| DbErrorKind::LicensingFormat { path: name.clone() })?;
        let text = std::fs::read_to_string(path).map_err(|e| DbErrorKind::Io {
            path: name.clone(),
            source: e,
        })?;
        self.add_licensing(&name, &text, format)
    }

    /// [`VendorDb::load_licensing`] for a text already in memory; `name` is
    /// what reports and errors call the file.
    pub fn add_licensing(
        &mut self,
        name: &str,
        text: &str,
        format: LicensingFormat,
    ) -> Result<usize, DbError> {
        let text: Arc<String> = Arc::new(String::from(text));
        let at = At {
            file: name,
            text: &text,
        };
        let (rows, defaults) = match format {
            LicensingFormat::Toml => toml_rows(&at)?,
            LicensingFormat::Csv => (csv_rows(&at)?, Defaults::default()),
        };
        let resolver = Resolver::new(self);
        let mut overlay = VendorDb::empty();
        overlay.files.push(DbFile {
            name: name.to_owned(),
            text: Arc::clone(&text),
            origin: FileOrigin::Licensing,
        });
        let lines = LineIndex::new(&text);
        let mut ids: HashMap<String, usize> = HashMap::new();
        for row in &rows {
            let place = lines.line_col(&text, row.span.start);
            let mut record = resolver.record(&at, row, &defaults, place)?;
            let n = ids.entry(record.id.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                // The same product and engine again (another version
                // range, say): keep both, told apart by line.
                record.id = format!("{}@{}", record.id, place.0);
            }
            overlay.insert(Table::Product, record);
        }
        let added = overlay.products.len();
        self.merge(overlay)?;
        Ok(added)
    }
}

/// The relation a licence type means, or `None` for an unknown type.
///
/// CycloneDX's `licenseTypes` (`appliance`, `subscription`, `perpetual`,
/// `device`, ...) describe the terms under which technology is licensed
/// into the product, not another way of carrying it: they mean `embeds`,
/// like `oem`.
fn relation_of(license_type: &str) -> Option<Relation> {
    let t: String = license_type
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '_' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    Some(match t.as_str() {
        "oem" | "embedded" | "embeds" | "integration" | "sdk" | "appliance" | "subscription"
        | "perpetual" | "device" | "node-locked" | "concurrent-user" | "named-user" | "user"
        | "client-access" | "core-points" | "processor-points" | "custom-metric" | "evaluation"
        | "academic" => Relation::Embeds,
        "resale" | "resell" | "resells" | "reseller" | "distribution" => Relation::Resells,
        "white-label" | "whitelabel" | "white-label-of" | "private-label" | "rebrand" => {
            Relation::WhiteLabel
        }
        "bundle" | "bundles" | "bundled" => Relation::Bundles,
        "signatures" | "signature" | "signature-db" | "uses-signatures" => Relation::UsesSignatures,
        _ => return None,
    })
}

const LICENSE_TYPES: &str = "unknown license type (oem, appliance, subscription or another CycloneDX licence type: embeds; resale: resells; white-label; bundle; signatures)";

/// Resolves engines and licensors against the db a disclosure joins.
struct Resolver<'db> {
    db: &'db VendorDb,
    /// Normalised engine names and aliases → engine indexes.
    names: HashMap<String, Vec<usize>>,
}

impl<'db> Resolver<'db> {
    fn new(db: &'db VendorDb) -> Self {
        let mut names: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in db.engines.iter().enumerate() {
            let aliases = e
                .ids
                .iter()
                .filter(|g| g.kind == IdKind::Name)
                .flat_map(|g| &g.values)
                .map(|v| v.text.as_str());
            for name in std::iter::once(e.name.as_str()).chain(aliases) {
                let list = names.entry(normalize(name)).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        Resolver { db, names }
    }

    /// The engine a `licensed_technology` cell names.
    fn engine(&self, at: &At<'_>, cell: &Cell) -> Result<&'db Record, DbError> {
        let by_id = self.db.find_in(Table::Engine, &cell.text);
        let by_name = || match self.names.get(&normalize(&cell.text)).map(Vec::as_slice) {
            Some([one]) => Ok(Some(*one)),
            Some(many) if many.len() > 1 => {
                let ids: Vec<&str> = many
                    .iter()
                    .filter_map(|&i| self.db.engines.get(i))
                    .map(|e| e.id.as_str())
                    .collect();
                Err(at.bad_value(
                    format!(
                        "this name fits several engines ({}); use an engine id",
                        ids.join(", ")
                    ),
                    cell.span.clone(),
                ))
            }
            _ => Ok(None),
        };
        let ix = match by_id {
            Some(i) => Some(i),
            None => by_name()?,
        };
        ix.and_then(|i| self.db.engines.get(i)).ok_or_else(|| {
            DbErrorKind::UnknownTechnology {
                file: at.file.to_owned(),
                technology: cell.text.clone(),
                src: at.src(),
                span: At::span(cell.span.clone()),
            }
            .into()
        })
    }

    /// The grade of the licensor as a name of `owner`: that of the
    /// matching legal-name group, or `None` when it is not a legal name.
    fn licensor_grade(&self, owner: &str, licensor: &str) -> Option<Grade> {
        let entity = self
            .db
            .find_in(Table::Entity, owner)
            .and_then(|i| self.db.entities.get(i))?;
        let want = normalize(licensor);
        entity
            .ids
            .iter()
            .filter(|g| g.kind == IdKind::LegalName)
            .filter(|g| g.values.iter().any(|v| normalize(&v.text) == want))
            .map(|g| g.grade)
            .max()
    }

    /// The record for one row; `place` is the row's line and column.
    fn record(
        &self,
        at: &At<'_>,
        row: &Row,
        defaults: &Defaults,
        place: (usize, usize),
    ) -> Result<Record, DbError> {
        let nonempty = |c: &Cell, what: &str| {
            if c.text.is_empty() {
                Err(at.bad_value(format!("empty {what}"), c.span.clone()))
            } else {
                Ok(())
            }
        };
        nonempty(&row.product, "product")?;
        nonempty(&row.technology, "licensed_technology")?;
        nonempty(&row.licensor, "licensor")?;
        nonempty(&row.license_type, "license_type")?;
        if normalize(&row.product.text).is_empty() {
            return Err(at.bad_value(
                "product name is empty once normalised",
                row.product.span.clone(),
            ));
        }
        let engine = self.engine(at, &row.technology)?;
        let relation = relation_of(&row.license_type.text)
            .ok_or_else(|| at.bad_value(LICENSE_TYPES, row.license_type.span.clone()))?;
        let range = match &row.version {
            None => None,
            Some(v) => Some(
                VersionRange::parse(&v.text)
                    .map_err(|e| at.bad_value(format!("bad version range: {e}"), v.span.clone()))?,
            ),
        };
        let owner = engine.owner.as_ref().map_or("", |o| o.id.as_str());
        let licensor_grade = self.licensor_grade(owner, &row.licensor.text);
        let grade = licensor_grade.unwrap_or(Grade::B);
        let mut notes = Vec::new();
        if licensor_grade.is_none() {
            notes.push(format!(
                "licensor '{}' is not a legal-entity name of '{owner}', the owner of {}: graded B, so matches are at most likely",
                row.licensor.text, engine.id
            ));
        }
        let source = source(at, row, defaults, grade, place);
        let aliases = aliases(at, row, &source, grade)?;
        let slug = normalize(&row.product.text).replace(' ', "-");
        Ok(Record {
            id: format!("licensing/{slug}/{}", engine.id),
            name: row.product.text.clone(),
            owner: None,
            category: None,
            programs: Vec::new(),
            engine: Some(Ref {
                id: engine.id.clone(),
                span: row.technology.span.clone(),
            }),
            relation: Some(relation),
            versions: range.as_ref().map(|r| r.as_str().to_owned()),
            range,
            vendor: row
                .vendor
                .as_ref()
                .or(defaults.vendor.as_ref())
                .map(|v| v.text.clone())
                .filter(|v| !v.is_empty()),
            max_confidence: None,
            sources: vec![source],
            grade,
            notes,
            ids: aliases,
            file: 0,
            span: row.span.clone(),
            id_span: row.product.span.clone(),
        })
    }
}

/// The disclosure row as the record's source: cited by the row's (or the
/// file's) `source` URL, else by file, line and column.
fn source(
    at: &At<'_>,
    row: &Row,
    defaults: &Defaults,
    grade: Grade,
    (line, col): (usize, usize),
) -> Source {
    let given = row
        .source
        .as_ref()
        .or(defaults.source.as_ref())
        .map(|c| c.text.as_str())
        .filter(|s| !s.is_empty());
    let url = given
        .filter(|s| s.contains("://") && url_host(s).is_some())
        .map(str::to_owned);
    let cite = url
        .clone()
        .unwrap_or_else(|| format!("{}:{line}:{col}", at.file));
    let note = match given {
        Some(g) if url.is_none() => format!("licensing disclosure {}; source: {g}", at.file),
        _ => format!("licensing disclosure {}", at.file),
    };
    Source {
        url,
        repo: None,
        path: None,
        commit: None,
        cite,
        quote: row.quote.clone(),
        grade,
        note: Some(note),
    }
}

/// The row's aliases as a name identifier group.
fn aliases(at: &At<'_>, row: &Row, source: &Source, grade: Grade) -> Result<Vec<IdGroup>, DbError> {
    if row.aliases.is_empty() {
        return Ok(Vec::new());
    }
    let mut values = Vec::with_capacity(row.aliases.len());
    for a in &row.aliases {
        if normalize(&a.text).is_empty() {
            return Err(at.bad_value("alias is empty once normalised", a.span.clone()));
        }
        values.push(IdValue {
            text: a.text.clone(),
        });
    }
    Ok(vec![IdGroup {
        kind: IdKind::Name,
        values,
        grade,
        sources: vec![source.clone()],
    }])
}

#[cfg(test)]
#[path = "licensing_tests.rs"]
mod tests;
