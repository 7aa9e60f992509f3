//! The vendor db: who owns which engines, which legal entities and
//! identifiers belong to an owner, which third-party products carry an
//! engine, and which restriction programs apply — each record with its
//! public sources.
//!
//! The data lives in `vendor-db/*.toml` and is compiled into the binary
//! ([`VendorDb::embedded`]) so that a fresh install works offline; `--db`
//! adds records on top ([`VendorDb::load`] + [`VendorDb::merge`]), and a
//! vendor's licensing disclosure adds product records for one audit
//! ([`VendorDb::load_licensing`]). The schema is described in [`schema`]
//! and `docs/vendor-db.md`; matching a component against the db is
//! [`matcher`]; product version ranges are [`version`]; `db list`, `db
//! stats` and the origin of records are in [`catalog`]; the update `db
//! update` caches on disk, loaded on top of the embedded db, is [`cache`].

pub mod cache;
pub mod catalog;
mod csv;
mod error;
pub mod ident;
mod identifiers;
mod index;
mod key_filter;
mod key_map;
mod licensing;
mod load;
pub mod matcher;
pub mod names;
mod record;
pub mod schema;
mod target;
mod token_set;
pub mod version;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

pub use catalog::{DbStats, RecordKind, RecordOrigin, RecordSummary};
pub use error::{DbError, DbErrorKind};
pub use identifiers::IdentifierGroup;
pub use licensing::LicensingFormat;
pub use matcher::{Evidence, Match, Matcher};
pub use record::{Category, Grade, IdKind, Relation};
pub use target::{Program, ProgramDate, RecordLocation, SourceRef, Target};
pub use version::{Version, VersionCheck, VersionRange};

use record::{ProgramRec, Record};

/// A record of the db, by table and position. Stable for the life of the
/// db value it came from (a merge keeps the positions of replaced records).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetId {
    Entity(u32),
    Engine(u32),
    Product(u32),
}

/// What a [`Target`] is, for reports (`target.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKind {
    Engine,
    Product,
    Entity,
}

impl TargetKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            TargetKind::Engine => "engine",
            TargetKind::Product => "product",
            TargetKind::Entity => "entity",
        }
    }
}

/// The three record tables that produce match targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Table {
    Entity,
    Engine,
    Product,
}

impl Table {
    pub const fn as_str(self) -> &'static str {
        match self {
            Table::Entity => "entity",
            Table::Engine => "engine",
            Table::Product => "product",
        }
    }

    fn id(self, ix: usize) -> TargetId {
        let ix = u32::try_from(ix).unwrap_or(u32::MAX);
        match self {
            Table::Entity => TargetId::Entity(ix),
            Table::Engine => TargetId::Engine(ix),
            Table::Product => TargetId::Product(ix),
        }
    }
}

/// One db file: its name as reports show it, its whole text and where it
/// came from.
#[derive(Clone, Debug)]
pub(crate) struct DbFile {
    pub name: String,
    pub text: Arc<String>,
    pub origin: FileOrigin,
}

/// Where a db file came from, for [`RecordOrigin`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileOrigin {
    /// Compiled into the binary.
    Embedded,
    /// A `--db` file or directory.
    Overlay,
    /// A licensing disclosure (TOML or CSV).
    Licensing,
}

/// The files compiled into the binary, in load order.
const EMBEDDED: &[(&str, &str)] = &[
    ("vendor-db/db.toml", include_str!("../../vendor-db/db.toml")),
    (
        "vendor-db/programs.toml",
        include_str!("../../vendor-db/programs.toml"),
    ),
    (
        "vendor-db/entities.toml",
        include_str!("../../vendor-db/entities.toml"),
    ),
    (
        "vendor-db/engines.toml",
        include_str!("../../vendor-db/engines.toml"),
    ),
    (
        "vendor-db/products.toml",
        include_str!("../../vendor-db/products.toml"),
    ),
];

/// The vendor db: records plus id look-up tables. Matching indexes are
/// built separately by [`Matcher::new`].
#[derive(Clone, Debug, Default)]
pub struct VendorDb {
    version: String,
    files: Vec<DbFile>,
    entities: Vec<Record>,
    engines: Vec<Record>,
    products: Vec<Record>,
    programs: Vec<ProgramRec>,
    entity_ix: HashMap<String, usize>,
    engine_ix: HashMap<String, usize>,
    product_ix: HashMap<String, usize>,
    program_ix: HashMap<String, usize>,
}

impl VendorDb {
    /// The db compiled into the binary. Errors only if the embedded data is
    /// broken (a test asserts it loads).
    pub fn embedded() -> Result<VendorDb, DbError> {
        let mut db = VendorDb::empty();
        for (name, text) in EMBEDDED {
            load::add_file(&mut db, (*name).to_owned(), Arc::new(String::from(*text)))?;
        }
        for f in &mut db.files {
            f.origin = FileOrigin::Embedded;
        }
        db.validate()?;
        Ok(db)
    }

    /// Load a db from a directory of `*.toml` files (read in name order, not
    /// recursively) or from one file. A file may hold any mix of tables.
    ///
    /// References to records that are not in these files (say, a product
    /// of a company's own findings naming an engine of the embedded db) are
    /// resolved by [`VendorDb::merge`], which reports the ones that still
    /// dangle; call [`VendorDb::validate`] to use a loaded db on its own.
    pub fn load(path: &Path) -> Result<VendorDb, DbError> {
        let io = |e| {
            DbError::from(DbErrorKind::Io {
                path: path.display().to_string(),
                source: e,
            })
        };
        let mut files = Vec::new();
        if path.is_dir() {
            for entry in std::fs::read_dir(path).map_err(io)? {
                let p = entry.map_err(io)?.path();
                if p.extension().is_some_and(|x| x == "toml") && p.is_file() {
                    files.push(p);
                }
            }
            if files.is_empty() {
                return Err(DbErrorKind::NoFiles {
                    path: path.display().to_string(),
                }
                .into());
            }
            files.sort();
        } else {
            files.push(path.to_path_buf());
        }
        let mut db = VendorDb::empty();
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| {
                DbError::from(DbErrorKind::Io {
                    path: f.display().to_string(),
                    source: e,
                })
            })?;
            load::add_file(&mut db, f.display().to_string(), Arc::from(text))?;
        }
        Ok(db)
    }

    /// [`VendorDb::load`] for one TOML text already in memory; `name` is
    /// what errors and reports call the file. Like `load`, references to
    /// records elsewhere are left to [`VendorDb::merge`] or
    /// [`VendorDb::validate`]. (For fuzzing and tests: no file system.)
    pub fn from_toml(name: &str, text: &str) -> Result<VendorDb, DbError> {
        let mut db = VendorDb::empty();
        load::add_file(&mut db, name.to_owned(), Arc::new(String::from(text)))?;
        Ok(db)
    }

    /// An empty db (for `--no-default-db`).
    pub fn empty() -> VendorDb {
        VendorDb::default()
    }

    /// Adds `overlay`'s records on top of `self`: an overlay record whose id
    /// is already in the same table replaces it (keeping its [`TargetId`]),
    /// others are appended. The overlay's version is taken only when `self`
    /// has none. Dangling references after the merge are errors, and on any
    /// error `self` is left as it was.
    pub fn merge(&mut self, overlay: VendorDb) -> Result<(), DbError> {
        let mut next = self.clone();
        let base = next.files.len();
        next.files.extend(overlay.files);
        if next.version.is_empty() {
            next.version = overlay.version;
        }
        for (table, records) in [
            (Table::Entity, overlay.entities),
            (Table::Engine, overlay.engines),
            (Table::Product, overlay.products),
        ] {
            for mut r in records {
                r.file += base;
                next.insert(table, r);
            }
        }
        for mut p in overlay.programs {
            p.file += base;
            next.insert_program(p);
        }
        next.validate()?;
        *self = next;
        Ok(())
    }

    /// Checks references between records: every engine's owner is an
    /// entity, every product's engine an engine, every program an entity
    /// names a program.
    pub fn validate(&self) -> Result<(), DbError> {
        for e in &self.engines {
            if let Some(owner) = &e.owner {
                if !self.entity_ix.contains_key(&owner.id) {
                    return Err(self.dangling(e.file, "entity", owner));
                }
            }
        }
        for p in &self.products {
            if let Some(engine) = &p.engine {
                if !self.engine_ix.contains_key(&engine.id) {
                    return Err(self.dangling(p.file, "engine", engine));
                }
            }
        }
        for e in &self.entities {
            for prog in &e.programs {
                if !self.program_ix.contains_key(&prog.id) {
                    return Err(self.dangling(e.file, "program", prog));
                }
            }
        }
        Ok(())
    }

    fn dangling(&self, file: usize, what: &'static str, r: &record::Ref) -> DbError {
        match self.files.get(file) {
            Some(f) => error::At {
                file: &f.name,
                text: &f.text,
            }
            .unknown(what, &r.id, r.span.clone()),
            None => DbErrorKind::NoFiles {
                path: format!("<record file #{file}>"),
            }
            .into(),
        }
    }

    /// The db version (`[db] version`), empty when no file declared one.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    pub fn engine_count(&self) -> usize {
        self.engines.len()
    }

    pub fn product_count(&self) -> usize {
        self.products.len()
    }

    pub fn program_count(&self) -> usize {
        self.programs.len()
    }

    /// The target with a record id (`"kaspersky/scan-engine"`), searching
    /// engines, then products, then entities.
    pub fn find(&self, id: &str) -> Option<TargetId> {
        [Table::Engine, Table::Product, Table::Entity]
            .into_iter()
            .find_map(|t| self.find_in(t, id).map(|ix| t.id(ix)))
    }

    /// Every target, entities first, in db order.
    pub fn targets(&self) -> impl Iterator<Item = TargetId> + '_ {
        let ids = |t: Table, n: usize| (0..n).map(move |i| t.id(i));
        ids(Table::Entity, self.entities.len())
            .chain(ids(Table::Engine, self.engines.len()))
            .chain(ids(Table::Product, self.products.len()))
    }

    /// Every program id, in db order.
    pub fn program_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.programs.iter().map(|p| p.id.as_str())
    }

    // ---- crate-internal access for load, target and matcher ----

    pub(crate) fn records(&self, table: Table) -> &[Record] {
        match table {
            Table::Entity => &self.entities,
            Table::Engine => &self.engines,
            Table::Product => &self.products,
        }
    }

    pub(crate) fn record(&self, id: TargetId) -> Option<&Record> {
        match id {
            TargetId::Entity(i) => self.entities.get(i as usize),
            TargetId::Engine(i) => self.engines.get(i as usize),
            TargetId::Product(i) => self.products.get(i as usize),
        }
    }

    pub(crate) fn find_in(&self, table: Table, id: &str) -> Option<usize> {
        match table {
            Table::Entity => self.entity_ix.get(id),
            Table::Engine => self.engine_ix.get(id),
            Table::Product => self.product_ix.get(id),
        }
        .copied()
    }

    pub(crate) fn program_index(&self, id: &str) -> Option<usize> {
        self.program_ix.get(id).copied()
    }

    pub(crate) fn program_rec(&self, id: &str) -> Option<&ProgramRec> {
        self.program_index(id).and_then(|i| self.programs.get(i))
    }

    pub(crate) fn file(&self, ix: usize) -> Option<&DbFile> {
        self.files.get(ix)
    }

    pub(crate) fn location_of(&self, file: usize, offset: usize) -> String {
        match self.files.get(file) {
            Some(f) => load::location(&f.name, &f.text, offset),
            None => String::from("<unknown>"),
        }
    }

    /// Inserts or replaces (same id) a record.
    fn insert(&mut self, table: Table, r: Record) {
        let (records, ix) = match table {
            Table::Entity => (&mut self.entities, &mut self.entity_ix),
            Table::Engine => (&mut self.engines, &mut self.engine_ix),
            Table::Product => (&mut self.products, &mut self.product_ix),
        };
        match ix.get(&r.id).and_then(|&i| records.get_mut(i)) {
            Some(slot) => *slot = r,
            None => {
                ix.insert(r.id.clone(), records.len());
                records.push(r);
            }
        }
    }

    fn insert_program(&mut self, p: ProgramRec) {
        match self
            .program_ix
            .get(&p.id)
            .and_then(|&i| self.programs.get_mut(i))
        {
            Some(slot) => *slot = p,
            None => {
                self.program_ix.insert(p.id.clone(), self.programs.len());
                self.programs.push(p);
            }
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod products_tests;

#[cfg(test)]
mod catalog_tests;
