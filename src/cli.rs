//! Command-line definitions (clap derive) and nothing else.
//!
//! Every flag is defined once here; `--help` and docs/usage.md describe the
//! same options (a snapshot test keeps `--help` under review, and the docs'
//! examples are run by tests/docs.rs).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use oemtrace::policy::FailOn;

const ABOUT: &str =
    "Find Kaspersky engines hidden in OEM, resold and white-labelled products, from their SBOMs.";

const LONG_ABOUT: &str = "\
Find Kaspersky engines hidden in OEM, resold and white-labelled products, from their SBOMs.

oemtrace reads CycloneDX and SPDX SBOMs, matches every component against an embedded, sourced
database of Kaspersky legal entities, engines, SDKs and identifiers, and traces every
path from the product under audit to a flagged component. Each finding points at the
SBOM line that gave it away.

Exit codes: 0 no finding at or above --fail-on; 1 at least one such finding;
2 usage error, or an input or vendor db could not be read.";

#[derive(Debug, Parser)]
#[command(name = "oemtrace", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit SBOMs for Kaspersky engines and report every path to them.
    #[command(long_about = AUDIT_LONG_ABOUT)]
    Audit(AuditArgs),
    /// Show every path from the products to one component, as an inverted tree.
    #[command(long_about = EXPLAIN_LONG_ABOUT)]
    Explain(ExplainArgs),
    /// Validate SBOMs strictly against the official models of their formats.
    #[command(long_about = VALIDATE_LONG_ABOUT)]
    Validate(ValidateArgs),
    /// List, show, validate, count and update the vendor db.
    #[command(subcommand, long_about = DB_LONG_ABOUT)]
    Db(DbCommand),
}

const VALIDATE_LONG_ABOUT: &str = "\
Validate SBOMs strictly against the official models of their formats.

CycloneDX 1.3-1.5 (JSON and XML) is checked by the official cyclonedx-bom model, SPDX
2.2/2.3 JSON by spdx-rs. For versions those models do not cover (CycloneDX 1.0-1.2,
1.6, 1.7; SPDX tag-value) the report says so plainly and checks what the lenient
reader can: required fields, dangling and duplicate references. `audit` never needs
a valid SBOM; `audit --strict` does.

Exit codes: 0 every document valid; 1 at least one invalid; 2 an input could not be
read.

Examples:
  oemtrace validate fixtures/nas-cpe-only.cdx.json
  oemtrace validate --format json delivery/";

const AUDIT_LONG_ABOUT: &str = "\
Audit SBOMs for Kaspersky engines and report every path to them.

All SBOMs given in one call form one graph. The format is detected from the content
(CycloneDX JSON or XML, SPDX JSON or tag-value). Findings are graded confirmed, likely or possible; --fail-on picks
the grade that fails the audit.

Examples:
  oemtrace audit fixtures/mail-gateway-nested-engine.cdx.json
  oemtrace audit --format json --fail-on confirmed product.cdx.json > report.json
  oemtrace audit --db our-findings/ --fail-on possible product.cdx.json
  oemtrace audit delivery/                  # every SBOM under a directory
  curl -s https://vendor.example/sbom.json | oemtrace audit -";

const EXPLAIN_LONG_ABOUT: &str = "\
Show every path from the products to one component, as an inverted tree.

The last argument names the component: a bom-ref or SPDXID, a purl (without a version
it matches every version), or a name (name@version pins the version). The first
--limit paths are shown, with the exact number of paths in all.

Examples:
  oemtrace explain fixtures/router-dpi-cyrillic-supplier.cdx.json libflowinspect
  oemtrace explain --format json --limit 100 sbom.cdx.json pkg:maven/com.kavsdk/kavsdk";

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// SBOMs to audit together: files, directories (searched recursively; files
    /// that are not SBOMs are skipped), `-` for stdin, or http(s) URLs.
    #[arg(value_name = "SBOM", required = true)]
    pub inputs: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Waive reviewed findings listed in a TOML waivers file (docs/ci.md). Waived
    /// findings stay in every report but never fail the audit.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,

    /// The lowest confidence that fails the audit (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Likely, value_name = "LEVEL")]
    pub fail_on: FailOn,

    /// Refuse SBOMs that break their format's schema (as `validate` reports it):
    /// exit 2 before auditing. The default reads leniently.
    #[arg(long)]
    pub strict: bool,

    /// Audit from this component instead of the products the SBOMs describe: a
    /// bom-ref or SPDXID, a purl (without a version it matches every version), or
    /// a name (`name@version` pins the version). Findings it does not reach are
    /// left out. Repeatable.
    #[arg(long, value_name = "REF|PURL|NAME")]
    pub root: Vec<String>,

    #[command(flatten)]
    pub db: DbArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub display: DisplayArgs,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// SBOMs to validate: files, directories, `-` for stdin, or http(s) URLs.
    #[arg(value_name = "SBOM", required = true)]
    pub inputs: Vec<String>,

    /// Output format: `human` (one diagnostic per issue, then a line per document)
    /// or `json`.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub display: DisplayArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The SBOMs (as for `audit`), then the component to explain.
    #[arg(value_name = "SBOM... COMPONENT", required = true, num_args = 2..)]
    pub args: Vec<String>,

    /// How many paths to show at most (the total is always exact).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,

    /// Output format: `human` (an inverted tree) or `json`.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Trace from this component instead of the described products (as for
    /// `audit --root`). Repeatable.
    #[arg(long, value_name = "REF|PURL|NAME")]
    pub root: Vec<String>,

    #[command(flatten)]
    pub db: DbArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub display: DisplayArgs,
}

/// Which vendor db to use.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// Add vendor-db records from a TOML file or a directory of them, on top of the
    /// embedded db (repeatable; later ones override earlier ones by id).
    #[arg(long = "db", value_name = "DIR|FILE")]
    pub overlays: Vec<PathBuf>,

    /// Leave the embedded vendor db and its cached update out (use only --db).
    #[arg(long)]
    pub no_default_db: bool,

    /// Leave out the vendor-db update cached by `oemtrace db update`.
    #[arg(long)]
    pub no_cache_db: bool,

    /// The cache directory `db update` writes (default $OEMTRACE_CACHE_DIR, else
    /// $XDG_CACHE_HOME/oemtrace, else $HOME/.cache/oemtrace).
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache_db")]
    pub cache_dir: Option<PathBuf>,

    /// A vendor's licensing disclosure (TOML or CSV, docs/vendor-db.md): each entry
    /// names a product, the licensed technology, the licensor and the licence type,
    /// and becomes a product record for this audit. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub licensing: Vec<PathBuf>,
}

const DB_LONG_ABOUT: &str = "\
List, show, validate, count and update the vendor db.

The db every command uses is the embedded one, plus the update `db update` cached (if
any), plus --db overlays and --licensing disclosures. docs/vendor-db.md describes the
schema.

Examples:
  oemtrace db list --kind product
  oemtrace db show kaspersky/anti-virus-sdk
  oemtrace db validate our-findings/
  oemtrace db update --url https://example.org/vendor-db-2026.12.0.toml --sha256 <HEX>";

const DB_VALIDATE_LONG_ABOUT: &str = "\
Check the vendor db, or a db file or directory on top of it.

Builds the db as every command does (embedded, cached update, --db, --licensing) with
PATH merged on top of the overlays (or alone with --no-default-db), and prints every
error found as a diagnostic pointing into the TOML: one per file of a directory, then
the first error of the merge.

Exit codes: 0 valid; 1 the db has errors; 2 a file could not be read.";

const DB_UPDATE_LONG_ABOUT: &str = "\
Download a vendor-db bundle, verify it, and cache it for every later run.

A bundle is one TOML file in the vendor-db schema that declares `[db] version`. It is
accepted only if its SHA-256 equals --sha256, it loads and merges on top of the
embedded db, and its version is not older than the embedded db's. It then atomically
replaces <cache>/vendor-db/ (bundle.toml and meta.json); on any error the cache is left
as it was. Later commands load it on top of the embedded db unless --no-cache-db.

The cache is --cache-dir, else $OEMTRACE_CACHE_DIR, else $XDG_CACHE_HOME/oemtrace,
else $HOME/.cache/oemtrace.

Exit codes: 0 updated; 2 the download, checksum, bundle or cache failed.";

/// The `db` subcommands.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// One line per record: kind, id, grade, sources, origin and name (products also
    /// relation, engine and versions).
    List(DbListArgs),
    /// Everything about one record: fields, identifiers, programs, sources, notes, and
    /// the TOML it is written in.
    Show(DbShowArgs),
    /// Check the vendor db, or a db file or directory on top of it.
    #[command(long_about = DB_VALIDATE_LONG_ABOUT)]
    Validate(DbValidateArgs),
    /// Counts per table, grade, relation, category and origin; the db version.
    Stats(DbStatsArgs),
    /// Download a vendor-db bundle, verify its pinned SHA-256, and cache it for every
    /// later run.
    #[command(long_about = DB_UPDATE_LONG_ABOUT)]
    Update(DbUpdateArgs),
}

/// What every `db` subcommand but `update` shares.
#[derive(Debug, Args)]
pub struct DbViewArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    #[command(flatten)]
    pub db: DbArgs,

    #[command(flatten)]
    pub display: DisplayArgs,
}

#[derive(Debug, Args)]
pub struct DbListArgs {
    /// Only records of this kind (repeatable).
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Vec<DbKind>,

    #[command(flatten)]
    pub view: DbViewArgs,
}

#[derive(Debug, Args)]
pub struct DbShowArgs {
    /// The record id (`kaspersky/anti-virus-sdk`, `juniper/junos-os`, `kaspersky`,
    /// `icts-2024-kaspersky`).
    #[arg(value_name = "ID")]
    pub id: String,

    #[command(flatten)]
    pub view: DbViewArgs,
}

#[derive(Debug, Args)]
pub struct DbValidateArgs {
    /// A db TOML file or a directory of them to check on top of the db (default: check
    /// the db itself).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    #[command(flatten)]
    pub view: DbViewArgs,
}

#[derive(Debug, Args)]
pub struct DbStatsArgs {
    #[command(flatten)]
    pub view: DbViewArgs,
}

#[derive(Debug, Args)]
pub struct DbUpdateArgs {
    /// Where the bundle is (http or https; the pinned checksum is what makes it safe).
    #[arg(long, value_name = "URL", value_parser = crate::commands::db::update::parse_url)]
    pub url: String,

    /// The bundle's SHA-256, 64 hex digits (a `sha256:` prefix is allowed). A bundle
    /// with another checksum is refused.
    #[arg(long, value_name = "HEX", value_parser = crate::commands::db::update::parse_pin)]
    pub sha256: String,

    /// The cache directory (default $OEMTRACE_CACHE_DIR, else $XDG_CACHE_HOME/oemtrace,
    /// else $HOME/.cache/oemtrace).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Give up after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub timeout: u64,

    /// Refuse a bundle larger than this (bytes; K, M and G suffixes allowed).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = crate::commands::inputs::parse_size)]
    pub max_size: u64,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    #[command(flatten)]
    pub display: DisplayArgs,
}

/// The record kinds `db list --kind` filters on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DbKind {
    Entity,
    Engine,
    Product,
    Program,
}

/// Limits on reading inputs.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Refuse any input larger than this (bytes; K, M and G suffixes allowed).
    #[arg(long, value_name = "SIZE", default_value = "512M", value_parser = crate::commands::inputs::parse_size)]
    pub max_input_size: u64,

    /// Give up on a URL input after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub timeout: u64,

    /// Read files of 4 MiB and more into memory instead of mapping them. A
    /// mapped file that another process truncates during the run stops it
    /// with exit code 2 (oemtrace::input::shrank); use this for SBOMs on
    /// storage where that may happen.
    #[arg(long)]
    pub no_mmap: bool,
}

/// How human output looks.
#[derive(Debug, Args)]
pub struct DisplayArgs {
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// The formats `audit` renders its report in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// miette diagnostics for a person, one per finding, then a summary.
    Human,
    /// The JSON report of docs/report-contract.md: exactly one JSON document.
    Json,
    /// SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the SBOM lines.
    Github,
    /// Markdown for a procurement file: verdict, findings table, inputs.
    Markdown,
    /// Graphviz DOT picture of every finding's paths.
    Dot,
    /// Mermaid flowchart of every finding's paths.
    Mermaid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For a person: diagnostics, an inverted tree (explain) or a table (db).
    Human,
    /// One JSON document on stdout (its `schema` names which).
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}
