//! Reading a disclosure's rows, from TOML or CSV, into one shape with the
//! span of every value; turning rows into records is the parent's job.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::vendordb::csv;
use crate::vendordb::error::{At, DbError, DbErrorKind};
use crate::vendordb::load::block;

/// A value with its span in the disclosure.
#[derive(Clone, Debug)]
pub(super) struct Cell {
    pub text: String,
    pub span: Range<usize>,
}

impl Cell {
    fn from_spanned(s: &Spanned<String>) -> Cell {
        Cell {
            text: s.get_ref().trim().to_owned(),
            span: s.span(),
        }
    }
}

/// One licence, from either format.
#[derive(Debug)]
pub(super) struct Row {
    pub product: Cell,
    pub aliases: Vec<Cell>,
    pub version: Option<Cell>,
    pub technology: Cell,
    pub licensor: Cell,
    pub license_type: Cell,
    pub source: Option<Cell>,
    pub vendor: Option<Cell>,
    pub span: Range<usize>,
    /// What the record's source quotes: the CSV row as written, or the
    /// TOML entry restated in one line.
    pub quote: String,
}

/// File-wide values a row may leave out (TOML `[disclosure]`).
#[derive(Debug, Default)]
pub(super) struct Defaults {
    pub vendor: Option<Cell>,
    pub source: Option<Cell>,
}

// ------------------------------------------------------------------ TOML

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDisclosureFile {
    disclosure: Option<RawDisclosure>,
    #[serde(default)]
    license: Vec<Spanned<RawLicense>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDisclosure {
    vendor: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLicense {
    product: Spanned<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    version: Option<Spanned<String>>,
    licensed_technology: Spanned<String>,
    licensor: Spanned<String>,
    license_type: Spanned<String>,
    source: Option<Spanned<String>>,
    vendor: Option<Spanned<String>>,
}

/// The rows of a TOML disclosure and its `[disclosure]` defaults.
pub(super) fn toml_rows(at: &At<'_>) -> Result<(Vec<Row>, Defaults), DbError> {
    let raw: RawDisclosureFile = toml::from_str(at.text).map_err(|e| {
        DbError::from(DbErrorKind::Parse {
            file: at.file.to_owned(),
            message: e.message().trim().to_owned(),
            src: at.src(),
            span: e.span().map(At::span),
        })
    })?;
    let defaults = raw.disclosure.map_or_else(Defaults::default, |d| Defaults {
        vendor: d.vendor.as_ref().map(Cell::from_spanned),
        source: d.source.as_ref().map(Cell::from_spanned),
    });
    let rows = raw
        .license
        .into_iter()
        .map(|l| {
            let span = block(at.text, l.span(), "license");
            let l = l.into_inner();
            let cell = Cell::from_spanned;
            let mut quote = format!(
                "{}: {} licensed from {} ({})",
                l.product.get_ref().trim(),
                l.licensed_technology.get_ref().trim(),
                l.licensor.get_ref().trim(),
                l.license_type.get_ref().trim()
            );
            if let Some(v) = &l.version {
                quote.push_str(", versions ");
                quote.push_str(v.get_ref().trim());
            }
            Row {
                product: cell(&l.product),
                aliases: l.aliases.iter().map(cell).collect(),
                version: l.version.as_ref().map(cell),
                technology: cell(&l.licensed_technology),
                licensor: cell(&l.licensor),
                license_type: cell(&l.license_type),
                source: l.source.as_ref().map(cell),
                vendor: l.vendor.as_ref().map(cell),
                span,
                quote,
            }
        })
        .collect();
    Ok((rows, defaults))
}

// ------------------------------------------------------------------- CSV

/// The CSV columns, by header name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Product,
    Aliases,
    Version,
    Technology,
    Licensor,
    LicenseType,
    Source,
    Vendor,
}

impl Column {
    const REQUIRED: [(Column, &'static str); 4] = [
        (Column::Product, "product"),
        (Column::Technology, "licensed_technology"),
        (Column::Licensor, "licensor"),
        (Column::LicenseType, "license_type"),
    ];

    /// A header cell, compared without case, with spaces and `-` as `_`.
    fn parse(header: &str) -> Option<Column> {
        let h: String = header
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        Some(match h.as_str() {
            "product" => Column::Product,
            "aliases" => Column::Aliases,
            "version" | "versions" => Column::Version,
            "licensed_technology" => Column::Technology,
            "licensor" => Column::Licensor,
            "license_type" | "licence_type" => Column::LicenseType,
            "source" => Column::Source,
            "vendor" => Column::Vendor,
            _ => return None,
        })
    }
}

/// The rows of a CSV disclosure: a header row, then one row per licence.
pub(super) fn csv_rows(at: &At<'_>) -> Result<Vec<Row>, DbError> {
    let records = csv::records(at.text).map_err(|e| {
        DbError::from(DbErrorKind::Parse {
            file: at.file.to_owned(),
            message: e.message.to_owned(),
            src: at.src(),
            span: Some(At::span(e.span)),
        })
    })?;
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return Ok(Vec::new());
    };
    let mut columns: Vec<Column> = Vec::with_capacity(header.fields.len());
    for f in &header.fields {
        let col = Column::parse(&f.value).ok_or_else(|| {
            at.bad_value(
                "unknown column (product, aliases, version, licensed_technology, licensor, license_type, source, vendor)",
                f.span.clone(),
            )
        })?;
        if columns.contains(&col) {
            return Err(at.bad_value("column given twice", f.span.clone()));
        }
        columns.push(col);
    }
    for (col, name) in Column::REQUIRED {
        if !columns.contains(&col) {
            return Err(at.bad_value(
                format!("the header has no `{name}` column"),
                header.span.clone(),
            ));
        }
    }
    let mut rows = Vec::new();
    for r in records {
        if r.fields.len() != columns.len() {
            return Err(at.bad_value(
                format!(
                    "this row has {} fields; the header has {}",
                    r.fields.len(),
                    columns.len()
                ),
                r.span.clone(),
            ));
        }
        let cell = |want: Column| {
            columns
                .iter()
                .zip(&r.fields)
                .find(|(c, _)| **c == want)
                .map(|(_, f)| Cell {
                    text: f.value.trim().to_owned(),
                    span: f.span.clone(),
                })
        };
        let required = |want: Column| {
            cell(want).unwrap_or(Cell {
                text: String::new(),
                span: r.span.clone(),
            })
        };
        let optional = |want: Column| cell(want).filter(|c| !c.text.is_empty());
        let aliases = optional(Column::Aliases)
            .map(|c| {
                c.text
                    .split(';')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(|a| Cell {
                        text: a.to_owned(),
                        span: c.span.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let quote = at
            .text
            .get(r.span.clone())
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        rows.push(Row {
            product: required(Column::Product),
            aliases,
            version: optional(Column::Version),
            technology: required(Column::Technology),
            licensor: required(Column::Licensor),
            license_type: required(Column::LicenseType),
            source: optional(Column::Source),
            vendor: optional(Column::Vendor),
            span: r.span.clone(),
            quote,
        });
    }
    Ok(rows)
}
