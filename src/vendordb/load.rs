//! Reading db TOML into checked records.
//!
//! Everything that can be checked inside one file is checked here, with
//! the error pointing at the offending value: unknown keys (serde), grades,
//! dates, missing sources or quotes, identifier syntax and duplicate ids.
//! References between records (an engine's owner, a product's engine, an
//! entity's programs) may point into another db that is merged later, so
//! they are checked by [`super::VendorDb::validate`] once the db is whole.

use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use super::error::{At, DbError, DbErrorKind};
use super::ident::{hash_digest, parse_purl, parse_purl_namespace, url_host};
use super::names::normalize;
use super::record::{
    Category, Grade, IdGroup, IdKind, IdValue, ProgramDateRec, ProgramRec, Record, Ref, Relation,
    Source,
};
use super::schema::{RawFile, RawIds, RawSources};
use super::version::VersionRange;
use super::{DbFile, FileOrigin, Table, VendorDb};
use crate::model::Confidence;
use crate::sbom::span::LineIndex;

/// Parses one db file and adds its records to `db`. A record whose id is
/// already in `db` is a duplicate (use `merge` to replace records).
pub(crate) fn add_file(db: &mut VendorDb, name: String, text: Arc<String>) -> Result<(), DbError> {
    let file = db.files.len();
    let at = At {
        file: &name,
        text: &text,
    };
    let raw: RawFile = toml::from_str(&text).map_err(|e| {
        DbError::from(DbErrorKind::Parse {
            file: name.clone(),
            message: e.message().trim().to_owned(),
            src: at.src(),
            span: e.span().map(At::span),
        })
    })?;

    let mut staged = Staged::default();
    if let Some(meta) = &raw.db {
        let v = meta.get_ref().version.get_ref().trim();
        if v.is_empty() {
            return Err(at.bad_value("empty db version", meta.get_ref().version.span()));
        }
        staged.version = Some(v.to_owned());
    }
    for e in raw.entity {
        let span = block(&text, e.span(), "entity");
        let e = e.into_inner();
        let id_span = e.id.span();
        let (sources, grade) = sources(&at, e.sources, id_span.clone())?;
        staged.entities.push(Record {
            id: id(&at, &e.id)?,
            name: text_value(&at, &e.name, "name")?,
            owner: None,
            category: None,
            programs: e.programs.iter().map(to_ref).collect(),
            engine: None,
            relation: None,
            versions: None,
            range: None,
            vendor: None,
            max_confidence: None,
            sources,
            grade,
            notes: e.notes,
            ids: ids(&at, e.ids, Table::Entity)?,
            file,
            span,
            id_span,
        });
    }
    for e in raw.engine {
        let span = block(&text, e.span(), "engine");
        let e = e.into_inner();
        let id_span = e.id.span();
        let category = Category::parse(e.category.get_ref()).ok_or_else(|| {
            at.bad_value(
                "unknown category (engine, sdk, signature-db, application, library, os)",
                e.category.span(),
            )
        })?;
        let (sources, grade) = sources(&at, e.sources, id_span.clone())?;
        staged.engines.push(Record {
            id: id(&at, &e.id)?,
            name: text_value(&at, &e.name, "name")?,
            owner: Some(to_ref(&e.owner)),
            category: Some(category),
            programs: Vec::new(),
            engine: None,
            relation: None,
            versions: None,
            range: None,
            vendor: None,
            max_confidence: None,
            sources,
            grade,
            notes: e.notes,
            ids: ids(&at, e.ids, Table::Engine)?,
            file,
            span,
            id_span,
        });
    }
    for p in raw.product {
        let span = block(&text, p.span(), "product");
        let p = p.into_inner();
        let id_span = p.id.span();
        let relation = Relation::parse(p.relation.get_ref()).ok_or_else(|| {
            at.bad_value(
                "unknown relation (embeds, uses-signatures, resells, white-label, bundles)",
                p.relation.span(),
            )
        })?;
        let max_confidence = match &p.max_confidence {
            None => None,
            Some(c) => Some(match c.get_ref().as_str() {
                "likely" => Confidence::Likely,
                "possible" => Confidence::Possible,
                _ => return Err(at.bad_value("expected \"likely\" or \"possible\"", c.span())),
            }),
        };
        let range = match &p.versions {
            None => None,
            Some(v) => Some(
                VersionRange::parse(v.get_ref())
                    .map_err(|e| at.bad_value(format!("bad version range: {e}"), v.span()))?,
            ),
        };
        let (sources, grade) = sources(&at, p.sources, id_span.clone())?;
        staged.products.push(Record {
            id: id(&at, &p.id)?,
            name: text_value(&at, &p.name, "name")?,
            owner: None,
            category: None,
            programs: Vec::new(),
            engine: Some(to_ref(&p.engine)),
            relation: Some(relation),
            versions: p.versions.map(|v| v.into_inner().trim().to_owned()),
            range,
            vendor: Some(text_value(&at, &p.vendor, "vendor")?),
            max_confidence,
            sources,
            grade,
            notes: p.notes,
            ids: ids(&at, p.ids, Table::Product)?,
            file,
            span,
            id_span,
        });
    }
    for p in raw.program {
        let span = block(&text, p.span(), "program");
        let p = p.into_inner();
        let id_span = p.id.span();
        if let Some(eff) = &p.effective {
            check_date(&at, eff)?;
        }
        let mut dates = Vec::with_capacity(p.dates.len());
        for d in p.dates {
            let d = d.into_inner();
            check_date(&at, &d.date)?;
            dates.push(ProgramDateRec {
                date: d.date.into_inner(),
                event: d.event,
            });
        }
        let (sources, _) = sources(&at, p.sources, id_span.clone())?;
        staged.programs.push(ProgramRec {
            id: id(&at, &p.id)?,
            name: text_value(&at, &p.name, "name")?,
            authority: p.authority,
            citation: p.citation,
            effective: p.effective.map(Spanned::into_inner),
            reaches_embedded: p.reaches_embedded,
            scope: p.scope,
            covers: p.covers,
            dates,
            sources,
            notes: p.notes,
            file,
            span,
            id_span,
        });
    }

    staged.check_duplicates(db, &at)?;
    if let Some(v) = staged.version {
        db.version = v;
    }
    db.files.push(DbFile {
        name,
        text,
        origin: FileOrigin::Overlay,
    });
    for r in staged.entities {
        db.insert(Table::Entity, r);
    }
    for r in staged.engines {
        db.insert(Table::Engine, r);
    }
    for r in staged.products {
        db.insert(Table::Product, r);
    }
    for p in staged.programs {
        db.insert_program(p);
    }
    Ok(())
}

/// The records of one file before they join the db, so that a broken file
/// leaves the db untouched.
#[derive(Default)]
struct Staged {
    version: Option<String>,
    entities: Vec<Record>,
    engines: Vec<Record>,
    products: Vec<Record>,
    programs: Vec<ProgramRec>,
}

impl Staged {
    fn check_duplicates(&self, db: &VendorDb, at: &At<'_>) -> Result<(), DbError> {
        let tables = [
            (Table::Entity, &self.entities),
            (Table::Engine, &self.engines),
            (Table::Product, &self.products),
        ];
        for (table, records) in tables {
            for (i, r) in records.iter().enumerate() {
                let earlier = records.get(..i).unwrap_or(&[]);
                let first = match earlier.iter().find(|o| o.id == r.id) {
                    Some(o) => Some(location(at.file, at.text, o.id_span.start)),
                    None => db
                        .find_in(table, &r.id)
                        .and_then(|ix| db.records(table).get(ix))
                        .map(|o| db.location_of(o.file, o.id_span.start)),
                };
                if let Some(first) = first {
                    return Err(duplicate(at, table.as_str(), &r.id, first, &r.id_span));
                }
            }
        }
        for (i, p) in self.programs.iter().enumerate() {
            let earlier = self.programs.get(..i).unwrap_or(&[]);
            let first = match earlier.iter().find(|o| o.id == p.id) {
                Some(o) => Some(location(at.file, at.text, o.id_span.start)),
                None => db
                    .program_index(&p.id)
                    .and_then(|ix| db.programs.get(ix))
                    .map(|o| db.location_of(o.file, o.id_span.start)),
            };
            if let Some(first) = first {
                return Err(duplicate(at, "program", &p.id, first, &p.id_span));
            }
        }
        Ok(())
    }
}

fn duplicate(
    at: &At<'_>,
    table: &'static str,
    id: &str,
    first: String,
    span: &Range<usize>,
) -> DbError {
    DbErrorKind::DuplicateId {
        file: at.file.to_owned(),
        table,
        id: id.to_owned(),
        first,
        src: at.src(),
        span: At::span(span.clone()),
    }
    .into()
}

/// The whole text of a `[[table]]` record: serde gives only the header's
/// span, a report wants the block, including its `[[table.sub]]` parts, up
/// to the next header of another table (trailing blank and comment lines
/// belong to what follows).
pub(crate) fn block(text: &str, header: Range<usize>, table: &str) -> Range<usize> {
    let mut end = header.end;
    let mut pos = header.end;
    let own_prefix = format!("[[{table}.");
    for line in text.get(header.end..).unwrap_or("").split_inclusive('\n') {
        let line_start = pos;
        pos += line.len();
        let t = line.trim();
        if t.starts_with('[')
            && !t.starts_with(own_prefix.as_str())
            && !t.starts_with(&own_prefix[1..])
        {
            break;
        }
        if !t.is_empty() && !t.starts_with('#') {
            end = line_start + line.trim_end().len();
        }
    }
    header.start..end.max(header.end)
}

/// `file:line:column` of a byte offset, for messages that name a second
/// place.
pub(crate) fn location(file: &str, text: &str, offset: usize) -> String {
    let (line, col) = LineIndex::new(text).line_col(text, offset);
    format!("{file}:{line}:{col}")
}

fn to_ref(s: &Spanned<String>) -> Ref {
    Ref {
        id: s.get_ref().clone(),
        span: s.span(),
    }
}

/// A record id: non-empty, no surrounding or inner whitespace.
fn id(at: &At<'_>, s: &Spanned<String>) -> Result<String, DbError> {
    let v = s.get_ref();
    if v.is_empty() || v.chars().any(char::is_whitespace) {
        return Err(at.bad_value("an id must be non-empty and contain no spaces", s.span()));
    }
    Ok(v.clone())
}

fn text_value(at: &At<'_>, s: &Spanned<String>, what: &str) -> Result<String, DbError> {
    let v = s.get_ref().trim();
    if v.is_empty() {
        return Err(at.bad_value(format!("empty {what}"), s.span()));
    }
    Ok(v.to_owned())
}

/// Checks sources; returns them with their best grade. `owner` is where to
/// point when there are none.
fn sources(
    at: &At<'_>,
    raw: RawSources,
    owner: Range<usize>,
) -> Result<(Vec<Source>, Grade), DbError> {
    let Some(raw) = raw else {
        return Err(at.unsourced("record has no sources", owner));
    };
    let list_span = raw.span();
    let raw = raw.into_inner();
    if raw.is_empty() {
        return Err(at.unsourced("sources is empty", list_span));
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut best = Grade::B;
    for s in raw {
        let span = s.span();
        let s = s.into_inner();
        let nonblank = |v: &Option<Spanned<String>>| {
            v.as_ref()
                .map(|x| x.get_ref().trim().to_owned())
                .filter(|x| !x.is_empty())
        };
        let url = nonblank(&s.url);
        let repo = nonblank(&s.repo);
        let path = nonblank(&s.path);
        let cite = match (&url, &repo, &path) {
            (Some(u), _, _) => u.clone(),
            (None, Some(r), Some(p)) => format!("{r}, {p}"),
            _ => return Err(at.unsourced("source has no url (or repo + path)", span)),
        };
        let Some(quote) = nonblank(&s.quote) else {
            return Err(at.unsourced("source has no quote", span));
        };
        let grade = match &s.grade {
            None => return Err(at.unsourced("source has no grade", span)),
            Some(g) => Grade::parse(g.get_ref().trim()).ok_or_else(|| {
                DbError::from(DbErrorKind::BadGrade {
                    file: at.file.to_owned(),
                    grade: g.get_ref().clone(),
                    src: at.src(),
                    span: At::span(g.span()),
                })
            })?,
        };
        best = best.max(grade);
        out.push(Source {
            url,
            repo,
            path,
            commit: s.commit,
            cite,
            quote,
            grade,
            note: s.note,
        });
    }
    Ok((out, best))
}

fn ids(at: &At<'_>, raw: Vec<Spanned<RawIds>>, table: Table) -> Result<Vec<IdGroup>, DbError> {
    let mut out = Vec::with_capacity(raw.len());
    for g in raw {
        let g = g.into_inner();
        let kind = IdKind::parse(g.kind.get_ref())
            .ok_or_else(|| at.bad_value("unknown id kind", g.kind.span()))?;
        if kind.is_entity_kind() != (table == Table::Entity) {
            let msg = if table == Table::Entity {
                "entities hold legal-name, brand-name, cpe-vendor, purl-namespace and domain ids"
            } else {
                "engines and products hold name, file, package, java-package, cpe, purl and hash ids"
            };
            return Err(at.bad_value(msg, g.kind.span()));
        }
        let values_span = g.values.span();
        let values = g.values.into_inner();
        if values.is_empty() {
            return Err(at.bad_value("values is empty", values_span));
        }
        let (sources, grade) = sources(at, g.sources, g.kind.span())?;
        let mut checked = Vec::with_capacity(values.len());
        for v in values {
            let span = v.span();
            let text = v.into_inner();
            if let Some(problem) = check_id_value(kind, &text) {
                return Err(at.bad_value(problem, span));
            }
            checked.push(IdValue { text });
        }
        out.push(IdGroup {
            kind,
            values: checked,
            grade,
            sources,
        });
    }
    Ok(out)
}

/// What is wrong with an identifier of `kind`, if anything.
fn check_id_value(kind: IdKind, v: &str) -> Option<&'static str> {
    let plain_token = |v: &str| !v.is_empty() && !v.chars().any(char::is_whitespace);
    match kind {
        IdKind::LegalName | IdKind::BrandName | IdKind::Name => normalize(v)
            .is_empty()
            .then_some("name is empty once normalised"),
        IdKind::CpeVendor => {
            (!plain_token(v) || v.contains(':')).then_some("a CPE vendor is one word without ':'")
        }
        IdKind::Cpe => {
            let mut parts = v.split(':');
            let ok = matches!(
                (parts.next(), parts.next(), parts.next()),
                (Some(a), Some(b), None) if plain_token(a) && plain_token(b)
            );
            (!ok).then_some("write a CPE id as vendor:product")
        }
        IdKind::PurlNamespace => parse_purl_namespace(v)
            .is_none()
            .then_some("write a purl namespace as pkg:type/namespace"),
        IdKind::Purl => match parse_purl(v) {
            None => Some("not a purl"),
            Some(_) if v.contains(['?', '#']) => Some("a purl id has no qualifiers or subpath"),
            Some(_) => None,
        },
        IdKind::Domain => {
            let ok = v.contains('.')
                && url_host(v).is_some_and(|h| h == v)
                && !v.contains(['/', ':', '@']);
            (!ok).then_some("a domain is a lowercase host name such as example.com")
        }
        IdKind::Hash => hash_digest(v)
            .is_none()
            .then_some("write a hash as ALG:hex"),
        IdKind::File | IdKind::Package => {
            (!plain_token(v)).then_some("a file or package name has no spaces")
        }
        IdKind::JavaPackage => {
            let ok = plain_token(v) && v.split('.').all(|s| !s.is_empty());
            (!ok).then_some("a Java package is dotted, like com.example")
        }
    }
}

/// Checks a `YYYY-MM-DD` calendar date.
fn check_date(at: &At<'_>, d: &Spanned<String>) -> Result<(), DbError> {
    if is_date(d.get_ref()) {
        Ok(())
    } else {
        Err(DbErrorKind::BadDate {
            file: at.file.to_owned(),
            date: d.get_ref().clone(),
            src: at.src(),
            span: At::span(d.span()),
        }
        .into())
    }
}

pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let num = |r: Range<usize>| s.get(r).and_then(|t| t.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    if !s
        .bytes()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2024-09-29"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-13-01"));
        assert!(!is_date("2024-00-10"));
        assert!(!is_date("2024-1-01"));
        assert!(!is_date("2024/01/01"));
        assert!(!is_date("+024-01-01"));
        assert!(!is_date("2024-06-31"));
    }

    #[test]
    fn id_values() {
        assert_eq!(
            check_id_value(IdKind::Cpe, "kaspersky:total_security"),
            None
        );
        assert!(check_id_value(IdKind::Cpe, "kaspersky").is_some());
        assert!(check_id_value(IdKind::Cpe, "a:b:c").is_some());
        assert_eq!(check_id_value(IdKind::Domain, "kaspersky.com"), None);
        assert!(check_id_value(IdKind::Domain, "https://kaspersky.com").is_some());
        assert!(check_id_value(IdKind::Domain, "Kaspersky.com").is_some());
        assert!(check_id_value(IdKind::Purl, "pkg:npm/a@1?x=y").is_some());
        assert_eq!(check_id_value(IdKind::Purl, "pkg:maven/a/b"), None);
        assert_eq!(
            check_id_value(IdKind::PurlNamespace, "pkg:npm/%40kaspersky"),
            None
        );
        assert!(check_id_value(IdKind::LegalName, "Ltd.").is_some());
        assert!(check_id_value(IdKind::JavaPackage, "com..x").is_some());
        assert!(check_id_value(IdKind::Hash, "sha256:zz").is_some());
    }
}
