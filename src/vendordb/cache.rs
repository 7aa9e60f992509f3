//! The vendor-db update cache: where `oemtrace db update` keeps the last
//! verified bundle, how it is replaced without ever leaving a half-written
//! db behind, and how it joins the embedded db on every later run.
//!
//! A **bundle** is one TOML file in the vendor-db schema (any mix of
//! tables, as [`VendorDb::load`] reads a file) that declares its
//! `[db] version`. It is an overlay: its records replace embedded records
//! with the same id and add the others, and its version becomes the db's.
//!
//! Layout, under the cache root ([`locate`]):
//!
//! ```text
//! <cache>/vendor-db/bundle.toml   the bundle, byte for byte as downloaded
//! <cache>/vendor-db/meta.json     url, sha256, fetched-at, db version, size
//! ```
//!
//! [`Cache::install`] writes a new version into a temporary directory next
//! to `vendor-db/`, syncs it, moves the current version aside to
//! `vendor-db.previous/`, renames the new one into place and only then
//! deletes the previous one. Readers ([`Cache::current`]) fall back to
//! `vendor-db.previous/` while `vendor-db/` is missing, so neither a
//! concurrent audit nor a crash between the two renames ever sees "no
//! cache" when there was one, and never a partial one.

use std::ffi::OsString;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, SourceCode};
use serde::{Deserialize, Serialize};

use super::{load, DbError, VendorDb, Version};
use crate::policy::date::Date;

/// The environment variable that sets the cache root.
pub const ENV_CACHE_DIR: &str = "OEMTRACE_CACHE_DIR";
/// The bundle's file name inside the cache's db directory.
pub const BUNDLE_FILE: &str = "bundle.toml";
/// The metadata file's name inside the cache's db directory.
pub const META_FILE: &str = "meta.json";
/// `schema` of [`CacheMeta`].
pub const META_SCHEMA: &str = "oemtrace.db-cache/v1";

const DB_DIR: &str = "vendor-db";
const PREVIOUS_DIR: &str = "vendor-db.previous";
const TMP_PREFIX: &str = ".vendor-db.tmp-";

/// The cache root: `explicit` (`--cache-dir`), else `$OEMTRACE_CACHE_DIR`,
/// else `$XDG_CACHE_HOME/oemtrace`, else `$HOME/.cache/oemtrace`. Empty
/// variables count as unset, and a relative `XDG_CACHE_HOME` is ignored as
/// the XDG base-directory spec says. `None` when nothing names a place.
///
/// `env` looks a variable up (`std::env::var_os` in the binary), so the
/// choice is testable without touching the process environment.
pub fn locate(explicit: Option<&Path>, env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let var = |key: &str| env(key).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(p) = var(ENV_CACHE_DIR) {
        return Some(p);
    }
    if let Some(p) = var("XDG_CACHE_HOME").filter(|p| p.is_absolute()) {
        return Some(p.join("oemtrace"));
    }
    var("HOME").map(|home| home.join(".cache").join("oemtrace"))
}

/// Where a bundle came from: `meta.json` next to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheMeta {
    /// Always [`META_SCHEMA`].
    pub schema: String,
    pub url: String,
    /// Lowercase hex SHA-256 of the bundle, as pinned by the user.
    pub sha256: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub fetched_at: String,
    /// The bundle's `[db] version`.
    pub db_version: String,
    /// The bundle's size in bytes.
    pub size: u64,
}

impl CacheMeta {
    /// Metadata for a bundle fetched now.
    pub fn new(url: &str, bundle: &[u8], db_version: &str) -> CacheMeta {
        CacheMeta {
            schema: META_SCHEMA.to_owned(),
            url: url.to_owned(),
            sha256: sha256_hex(bundle),
            fetched_at: timestamp(now_secs()),
            db_version: db_version.to_owned(),
            size: bundle.len() as u64,
        }
    }
}

/// The cached db a run used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CacheInfo {
    /// The directory the bundle was read from.
    pub dir: PathBuf,
    /// The bundle's `[db] version`.
    pub version: String,
    /// `meta.json`, when it is there and readable (it is informational:
    /// the bundle is what counts).
    pub meta: Option<CacheMeta>,
}

/// What [`Cache::load_onto`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacheUse {
    /// No update was ever installed in this cache.
    Absent,
    /// The cached bundle was merged on top of the db.
    Loaded(CacheInfo),
    /// The cached bundle is older than the db it would update (oemtrace
    /// was upgraded since the last `db update`): left out, so it cannot
    /// shadow newer embedded records.
    Stale {
        cache: CacheInfo,
        db_version: String,
    },
}

/// A cache root (see [`locate`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cache {
    root: PathBuf,
}

impl Cache {
    pub fn new(root: impl Into<PathBuf>) -> Cache {
        Cache { root: root.into() }
    }

    /// The cache [`locate`] picks from the process environment.
    pub fn from_env(explicit: Option<&Path>) -> Option<Cache> {
        locate(explicit, |key| std::env::var_os(key)).map(Cache::new)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<cache>/vendor-db`: where the current bundle lives.
    pub fn dir(&self) -> PathBuf {
        self.root.join(DB_DIR)
    }

    fn previous(&self) -> PathBuf {
        self.root.join(PREVIOUS_DIR)
    }

    /// The directory holding the current bundle: `vendor-db/`, or
    /// `vendor-db.previous/` while an update is between its two renames
    /// (or crashed there). `None` when no update was installed.
    pub fn current(&self) -> Option<PathBuf> {
        // Looking at `vendor-db/` again last closes the race with an
        // update that finishes (and deletes `previous`) in between.
        [self.dir(), self.previous(), self.dir()]
            .into_iter()
            .find(|d| d.is_dir())
    }

    /// Merges the cached bundle on top of `db` (normally the embedded db),
    /// unless there is none or it is older than `db`. A bundle that cannot
    /// be read or does not merge is
    /// [`CacheError::Broken`], naming the cache directory; `db` is then
    /// unchanged.
    pub fn load_onto(&self, db: &mut VendorDb) -> Result<CacheUse, CacheError> {
        let Some(dir) = self.current() else {
            return Ok(CacheUse::Absent);
        };
        let broken = |error: DbError| {
            CacheError::Broken(BrokenCache {
                dir: dir.clone(),
                error,
            })
        };
        let bundle = VendorDb::load(&dir.join(BUNDLE_FILE)).map_err(broken)?;
        let info = CacheInfo {
            meta: read_meta(&dir),
            dir: dir.clone(),
            version: bundle.version().to_owned(),
        };
        if is_older(&info.version, db.version()) {
            return Ok(CacheUse::Stale {
                cache: info,
                db_version: db.version().to_owned(),
            });
        }
        db.merge_update(bundle).map_err(broken)?;
        Ok(CacheUse::Loaded(info))
    }

    /// Installs a verified bundle as the current version, atomically: the
    /// new version is written and synced in a temporary directory inside
    /// the cache root, the current one is moved to `vendor-db.previous/`,
    /// the new one renamed into place, and only then the previous one is
    /// removed. If the final rename fails the previous version is put back.
    /// Returns the db directory.
    pub fn install(&self, bundle: &[u8], meta: &CacheMeta) -> Result<PathBuf, CacheError> {
        let io = |action: &'static str, path: &Path| {
            let path = path.to_path_buf();
            move |source| CacheError::Io {
                action,
                path,
                source,
            }
        };
        std::fs::create_dir_all(&self.root).map_err(io("create", &self.root))?;
        let tmp = TempDir::create(&self.root).map_err(io("create a directory in", &self.root))?;
        let meta_json = serde_json::to_vec_pretty(meta).unwrap_or_default();
        for (name, bytes) in [(BUNDLE_FILE, bundle), (META_FILE, meta_json.as_slice())] {
            let path = tmp.path.join(name);
            write_synced(&path, bytes).map_err(io("write", &path))?;
        }
        sync_dir(&tmp.path).map_err(io("sync", &tmp.path))?;

        let (dir, previous) = (self.dir(), self.previous());
        if previous.is_dir() {
            if dir.is_dir() {
                // An earlier update swapped but did not clean up.
                std::fs::remove_dir_all(&previous).map_err(io("remove", &previous))?;
            } else {
                // An earlier update stopped between its renames: `previous`
                // is the live version; put it back before moving it aside.
                std::fs::rename(&previous, &dir).map_err(io("restore", &previous))?;
            }
        }
        let had_current = dir.is_dir();
        if had_current {
            std::fs::rename(&dir, &previous).map_err(io("move aside", &dir))?;
        }
        if let Err(e) = std::fs::rename(&tmp.path, &dir) {
            if had_current {
                let _ = std::fs::rename(&previous, &dir);
            }
            return Err(io("replace", &dir)(e));
        }
        tmp.disarm();
        sync_dir(&self.root).map_err(io("sync", &self.root))?;
        if had_current {
            // The new version is in place; a leftover is harmless and is
            // cleared by the next update.
            let _ = std::fs::remove_dir_all(&previous);
        }
        Ok(dir)
    }
}

/// `meta.json` of a cache db directory, if present and readable.
pub fn read_meta(dir: &Path) -> Option<CacheMeta> {
    let text = std::fs::read_to_string(dir.join(META_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// A bundle held in memory (a download), read as one db file named `name`
/// (the URL), so that errors point into it.
pub fn parse_bundle(name: &str, text: &str) -> Result<VendorDb, DbError> {
    let mut db = VendorDb::empty();
    load::add_file(&mut db, name.to_owned(), Arc::new(String::from(text)))?;
    Ok(db)
}

/// Checks that `bundle` can update `base`: it declares a version no older
/// than `base`'s, and merges (references resolve, records are valid).
/// Returns the updated db.
pub fn check_update(name: &str, base: &VendorDb, bundle: VendorDb) -> Result<VendorDb, CacheError> {
    let version = bundle.version().to_owned();
    if version.is_empty() {
        return Err(CacheError::NoVersion {
            name: name.to_owned(),
        });
    }
    if is_older(&version, base.version()) {
        return Err(CacheError::Older {
            name: name.to_owned(),
            version,
            base: base.version().to_owned(),
        });
    }
    let mut db = base.clone();
    db.merge_update(bundle).map_err(CacheError::Db)?;
    Ok(db)
}

impl VendorDb {
    /// Merges a db update on top of this db, like [`VendorDb::merge`], and
    /// takes the update's version when it declares one: the updated
    /// records are what every report's `db.version` should name.
    pub fn merge_update(&mut self, update: VendorDb) -> Result<(), DbError> {
        let version = update.version.clone();
        self.merge(update)?;
        if !version.is_empty() {
            self.version = version;
        }
        Ok(())
    }
}

/// Whether db version `a` is older than `b`, compared as vendor versions
/// (`2026.9.0` < `2026.11.1`). Versions that cannot be read are never
/// older: the bundle is trusted then.
pub fn is_older(a: &str, b: &str) -> bool {
    match (Version::parse(a), Version::parse(b)) {
        (Some(a), Some(b)) => a < b,
        _ => false,
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = String::with_capacity(64);
    for b in digest.as_ref() {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A pinned SHA-256 as the user wrote it (64 hex digits, any case, with an
/// optional `sha256:` prefix), in lowercase; `None` if it is not one.
pub fn parse_sha256(text: &str) -> Option<String> {
    let t = text.trim();
    let hex = t
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("sha256:"))
        .and_then(|_| t.get(7..))
        .unwrap_or(t);
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hex.to_ascii_lowercase())
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since 1970 (UTC).
pub fn timestamp(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX);
    let rest = secs % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::from_days(days),
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = File::create_new(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Makes a directory's entries (new files, renames) durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// A temporary directory in the cache root, removed on drop unless it was
/// renamed into place.
struct TempDir {
    path: PathBuf,
    armed: bool,
}

impl TempDir {
    fn create(root: &Path) -> std::io::Result<TempDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = root.join(format!("{TMP_PREFIX}{}-{nanos}", std::process::id()));
        std::fs::create_dir(&path)?;
        Ok(TempDir { path, armed: true })
    }

    fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Problems with the update cache and with bundles.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum CacheError {
    #[error("no cache directory for the vendor db")]
    #[diagnostic(
        code(oemtrace::db::cache_location),
        help("pass --cache-dir, or set OEMTRACE_CACHE_DIR, XDG_CACHE_HOME or HOME")
    )]
    NoLocation,

    #[error("cannot {action} {}: {source}", path.display())]
    #[diagnostic(
        code(oemtrace::db::cache_io),
        help("check that the cache directory is writable, or choose another with --cache-dir or OEMTRACE_CACHE_DIR")
    )]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{name}: a vendor-db bundle must declare its version")]
    #[diagnostic(
        code(oemtrace::db::bundle_version),
        help("add `[db]` with `version = \"…\"` to the bundle; reports name the db by it")
    )]
    NoVersion { name: String },

    #[error(
        "{name}: bundle version {version} is older than the vendor db it would update ({base})"
    )]
    #[diagnostic(
        code(oemtrace::db::bundle_older),
        help("this oemtrace already ships newer data; fetch a newer bundle")
    )]
    Older {
        name: String,
        version: String,
        base: String,
    },

    /// The bundle does not load or merge as a vendor db.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Db(DbError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Broken(BrokenCache),
}

/// The cached db cannot be used. It renders as the db error itself (with
/// the TOML line underlined) under its own code and with help on how to
/// get rid of the cache.
#[derive(Debug)]
pub struct BrokenCache {
    pub dir: PathBuf,
    pub error: DbError,
}

impl std::fmt::Display for BrokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the cached vendor db in {} cannot be used: {}",
            self.dir.display(),
            self.error
        )
    }
}

impl std::error::Error for BrokenCache {}

impl Diagnostic for BrokenCache {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("oemtrace::db::cache_broken"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(format!(
            "refresh it with `oemtrace db update`, delete {}, or run with --no-cache-db",
            self.dir.display()
        )))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.error.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.error.labels()
    }
}

#[cfg(test)]
#[path = "cache_tests.rs"]
mod tests;
