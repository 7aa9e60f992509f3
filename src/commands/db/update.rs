//! `oemtrace db update --url URL --sha256 HEX`: fetch a vendor-db bundle,
//! verify it, and install it in the cache every later run reads.
//!
//! Order matters: the checksum is verified before a byte of the bundle is
//! parsed, the bundle is checked against the embedded db before anything
//! is written, and the cache is replaced in one rename
//! ([`Cache::install`]). Any failure leaves the cache as it was.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use miette::Diagnostic;
use oemtrace::vendordb::cache::{
    check_update, parse_bundle, parse_sha256, read_meta, sha256_hex, Cache, CacheError, CacheMeta,
};
use oemtrace::vendordb::VendorDb;
use serde::Serialize;

use super::{output, Head};
use crate::cli::{DbUpdateArgs, OutputFormat};
use crate::commands::inputs::{self, GetError, Limits};
use crate::commands::output::Failure;

const SCHEMA: &str = "oemtrace.db-update/v1";

pub fn run(args: &DbUpdateArgs) -> i32 {
    let json = args.format == OutputFormat::Json;
    let style = output::style(args.display.color);
    match update(args) {
        Ok(done) => {
            output::print(&if json {
                oemtrace::report::json::to_json(&done)
            } else {
                render(&done)
            });
            oemtrace::policy::ExitCode::Clean.code()
        }
        Err(failure) => output::fail(&[failure], json, style),
    }
}

/// `--url`: an http(s) URL.
pub fn parse_url(text: &str) -> Result<String, String> {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Ok(text.to_owned())
    } else {
        Err(format!("`{text}` is not an http(s) URL"))
    }
}

/// `--sha256`: 64 hex digits, kept in lowercase.
pub fn parse_pin(text: &str) -> Result<String, String> {
    parse_sha256(text).ok_or_else(|| format!("`{text}` is not a SHA-256 (64 hex digits)"))
}

/// What an update did, as `--format json` prints it.
#[derive(Serialize)]
struct Updated {
    #[serde(flatten)]
    head: Head,
    /// The cache db directory now holding the bundle.
    cache: PathBuf,
    meta: CacheMeta,
    /// The metadata of the version replaced, if there was one.
    previous: Option<CacheMeta>,
    /// The db every later run uses: embedded plus this bundle.
    db: DbCounts,
}

#[derive(Serialize)]
struct DbCounts {
    version: String,
    entities: usize,
    engines: usize,
    products: usize,
    programs: usize,
}

fn update(args: &DbUpdateArgs) -> Result<Updated, Failure> {
    let url = args.url.as_str();
    let at_url = |error: Box<dyn Diagnostic + Send + Sync>| Failure {
        document: url.to_owned(),
        error,
    };
    let cache = Cache::from_env(args.cache_dir.as_deref())
        .ok_or_else(|| at_url(Box::new(CacheError::NoLocation)))?;
    let limits = Limits {
        max_input_size: args.max_size,
        url_timeout: Duration::from_secs(args.timeout),
        map_files: false,
    };
    let bytes = inputs::get(url, limits).map_err(|e| {
        at_url(Box::new(match e {
            GetError::Failed(message) => UpdateError::Fetch {
                url: url.to_owned(),
                message,
            },
            GetError::TooLarge(size) => UpdateError::TooLarge {
                url: url.to_owned(),
                size,
                limit: args.max_size,
            },
        }))
    })?;
    let actual = sha256_hex(&bytes);
    if actual != args.sha256 {
        return Err(at_url(Box::new(UpdateError::Checksum {
            url: url.to_owned(),
            expected: args.sha256.clone(),
            actual,
        })));
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        at_url(Box::new(UpdateError::Encoding {
            url: url.to_owned(),
            offset: e.valid_up_to(),
        }))
    })?;
    let bundle = parse_bundle(url, text).map_err(|e| at_url(Box::new(e)))?;
    let base = VendorDb::embedded().map_err(|e| at_url(Box::new(e)))?;
    let db = check_update(url, &base, bundle).map_err(|e| at_url(Box::new(e)))?;

    let previous = cache.current().and_then(|dir| read_meta(&dir));
    let meta = CacheMeta::new(url, &bytes, db.version());
    let dir = cache.install(&bytes, &meta).map_err(|e| Failure {
        document: cache.dir().display().to_string(),
        error: Box::new(e),
    })?;
    Ok(Updated {
        head: Head::new(SCHEMA),
        cache: dir,
        meta,
        previous,
        db: DbCounts {
            version: db.version().to_owned(),
            entities: db.entity_count(),
            engines: db.engine_count(),
            products: db.product_count(),
            programs: db.program_count(),
        },
    })
}

fn render(u: &Updated) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "updated the vendor db cache {} to version {}",
        u.cache.display(),
        u.meta.db_version
    );
    let _ = writeln!(out, "  from     {}", u.meta.url);
    let _ = writeln!(out, "  sha256   {} ({} bytes)", u.meta.sha256, u.meta.size);
    match &u.previous {
        Some(p) => {
            let _ = writeln!(
                out,
                "  replaced version {} (fetched {})",
                p.db_version, p.fetched_at
            );
        }
        None => {
            let _ = writeln!(out, "  replaced no earlier update");
        }
    }
    let _ = writeln!(
        out,
        "every run now uses the embedded db with this update: {}, {}, {}, {} (--no-cache-db leaves it out)",
        super::count(u.db.entities, "entity", "entities"),
        super::count(u.db.engines, "engine", "engines"),
        super::count(u.db.products, "product", "products"),
        super::count(u.db.programs, "program", "programs"),
    );
    out
}

/// Why a bundle was not installed (besides db and cache errors).
#[derive(Debug, thiserror::Error, Diagnostic)]
enum UpdateError {
    #[error("{url}: cannot fetch the bundle: {message}")]
    #[diagnostic(
        code(oemtrace::db::fetch),
        help(
            "check the URL and the network (--timeout sets the time limit); nothing was replaced"
        )
    )]
    Fetch { url: String, message: String },

    #[error("{url}: the bundle is larger than --max-size ({}{limit} bytes)", size.map(|s| format!("{s} > ")).unwrap_or_default())]
    #[diagnostic(
        code(oemtrace::db::too_large),
        help("raise --max-size if the bundle really is that large; nothing was replaced")
    )]
    TooLarge {
        url: String,
        size: Option<u64>,
        limit: u64,
    },

    #[error("{url}: SHA-256 mismatch: expected {expected}, got {actual}")]
    #[diagnostic(
        code(oemtrace::db::checksum),
        help("the download is not the bundle that was pinned, so nothing was replaced; check the URL and the published checksum (never pin a checksum taken from the download itself)")
    )]
    Checksum {
        url: String,
        expected: String,
        actual: String,
    },

    #[error("{url}: the bundle is not UTF-8 text (invalid byte at offset {offset})")]
    #[diagnostic(
        code(oemtrace::db::bundle_encoding),
        help("a bundle is one vendor-db TOML file (docs/vendor-db.md); nothing was replaced")
    )]
    Encoding { url: String, offset: usize },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_http_or_https() {
        assert!(parse_url("https://example.org/db.toml").is_ok());
        assert!(parse_url("HTTP://127.0.0.1:8080/db.toml").is_ok());
        assert!(parse_url("file:///etc/passwd").is_err());
        assert!(parse_url("example.org/db.toml").is_err());
        assert!(parse_url("").is_err());
    }

    #[test]
    fn pins_are_64_hex_digits() {
        let hex = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        assert_eq!(parse_pin(hex), Ok(hex.to_ascii_lowercase()));
        assert!(parse_pin(&hex[2..]).is_err());
        assert!(parse_pin("not a checksum").is_err());
    }
}
