//! Turning the SBOM arguments into documents: files, directories (walked
//! recursively, SBOMs recognised by content), `-` for stdin and http(s)
//! URLs, read in parallel, in a deterministic order.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ParallelProgressIterator, ProgressBar, ProgressStyle};
use miette::Diagnostic;
use oemtrace::model::{Document, SourceText};
use oemtrace::sbom::ReadError;
use rayon::prelude::*;

use super::file_bytes::{read_capped, read_file};
#[cfg(unix)]
use super::mapped;
use super::output::{BoxedDiagnostic, Failure};

/// Where one input comes from.
#[derive(Clone, Debug)]
enum Source {
    File(PathBuf),
    /// A file found by walking a directory: skipped quietly if it turns out
    /// not to be an SBOM at all.
    Found(PathBuf),
    Stdin,
    Url(String),
}

impl Source {
    fn name(&self) -> String {
        match self {
            Source::File(p) | Source::Found(p) => p.display().to_string(),
            Source::Stdin => "<stdin>".to_owned(),
            Source::Url(u) => u.clone(),
        }
    }
}

/// Limits that keep a hostile or mistaken input from exhausting the machine.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_input_size: u64,
    pub url_timeout: Duration,
    /// Map big files into memory rather than read them (`--no-mmap` turns
    /// it off; see `mapped`).
    pub map_files: bool,
}

/// What reading the arguments produced.
pub struct Inputs {
    pub docs: Vec<Document>,
    pub failures: Vec<Failure>,
    /// Files under a directory argument that are not SBOMs (skipped).
    pub skipped: Vec<String>,
}

/// Read every input named by `args`, in parallel; the result keeps the order
/// of the arguments (and sorted order within a directory). `progress`
/// shows a bar on stderr when it is a terminal and there are many inputs.
pub fn read_all(args: &[String], limits: Limits, progress: bool) -> Inputs {
    let mut sources = Vec::new();
    let mut failures = Vec::new();
    for arg in args {
        expand(arg, &mut sources, &mut failures);
    }
    // Per input: the document, or (is it "not an SBOM at all"?, the error).
    type Outcome = Result<Document, (bool, BoxedDiagnostic)>;
    let bar = progress_bar(progress, sources.len());
    let results: Vec<(Source, Outcome)> = sources
        .into_par_iter()
        .progress_with(bar.clone())
        .map(|source| {
            let result = fetch(&source, limits)
                .map_err(|e| (false, e))
                .and_then(|fetched| {
                    let name = source.name();
                    match fetched {
                        Fetched::Bytes(bytes) => oemtrace::sbom::read(&name, bytes),
                        Fetched::Text(text) => oemtrace::sbom::read_text(&name, text),
                    }
                    .map_err(|e| (not_an_sbom(&e), Box::new(e) as BoxedDiagnostic))
                });
            (source, result)
        })
        .collect();

    bar.finish_and_clear();
    let mut docs = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    for (source, result) in results {
        match result {
            Ok(doc) => docs.push(doc),
            Err((true, _)) if matches!(source, Source::Found(_)) => skipped.push(source.name()),
            Err((_, error)) => failures.push(Failure {
                document: source.name(),
                error,
            }),
        }
    }
    Inputs {
        docs,
        failures,
        skipped,
    }
}

/// The inputs at or above which reading shows a progress bar.
const PROGRESS_FROM: usize = 8;

/// A progress bar on stderr for long reads, hidden unless wanted, stderr is
/// a terminal and there is enough to read to be worth one.
fn progress_bar(wanted: bool, len: usize) -> ProgressBar {
    if !wanted || len < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} reading SBOMs {pos}/{len} {wide_bar} {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

/// A read error that means "this file is something else", as opposed to
/// "this SBOM is broken".
fn not_an_sbom(e: &ReadError) -> bool {
    matches!(
        e,
        ReadError::UnknownFormat { .. }
            | ReadError::NotAnSbom { .. }
            | ReadError::NotUtf8 { .. }
            | ReadError::Empty { .. }
    )
}

fn expand(arg: &str, sources: &mut Vec<Source>, failures: &mut Vec<Failure>) {
    if arg == "-" {
        sources.push(Source::Stdin);
    } else if arg.starts_with("https://") || arg.starts_with("http://") {
        sources.push(Source::Url(arg.to_owned()));
    } else {
        let path = PathBuf::from(arg);
        if path.is_dir() {
            let mut found = Vec::new();
            if let Err(error) = walk(&path, &mut found) {
                failures.push(Failure {
                    document: arg.to_owned(),
                    error: Box::new(InputError::Read {
                        name: arg.to_owned(),
                        source: error,
                    }),
                });
            }
            found.sort();
            sources.extend(found.into_iter().map(Source::Found));
        } else {
            sources.push(Source::File(path));
        }
    }
}

/// Every regular file below `dir`. Symbolic links to directories are not
/// followed (no loops); hidden entries (`.git`) are passed over.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() || (kind.is_symlink() && entry.path().is_file()) {
                out.push(entry.path());
            }
        }
    }
    Ok(())
}

/// What one input holds: bytes read, or a big file's text mapped.
enum Fetched {
    Bytes(Vec<u8>),
    Text(SourceText),
}

/// One input, never more than `limits.max_input_size` bytes.
fn fetch(source: &Source, limits: Limits) -> Result<Fetched, BoxedDiagnostic> {
    let name = source.name();
    let too_large = |size: Option<u64>| -> BoxedDiagnostic {
        Box::new(InputError::TooLarge {
            name: name.clone(),
            size,
            limit: limits.max_input_size,
        })
    };
    let io = |source: std::io::Error| -> BoxedDiagnostic {
        Box::new(InputError::Read {
            name: name.clone(),
            source,
        })
    };
    match source {
        Source::File(path) | Source::Found(path) => {
            // The size of the file opened, not of whatever the path
            // names a moment earlier or later.
            let file = std::fs::File::open(path).map_err(io)?;
            let size = file.metadata().map_err(io)?.len();
            if size > limits.max_input_size {
                return Err(too_large(Some(size)));
            }
            #[cfg(unix)]
            if limits.map_files && size >= mapped::MAP_FROM {
                if let Some(text) = mapped::text(&file, &name, limits.max_input_size) {
                    return Ok(Fetched::Text(text));
                }
            }
            read_file(file, size, limits.max_input_size)
                .map_err(io)?
                .map(Fetched::Bytes)
                .ok_or_else(|| too_large(None))
        }
        Source::Stdin => read_capped(std::io::stdin().lock(), limits.max_input_size)
            .map_err(io)?
            .map(Fetched::Bytes)
            .ok_or_else(|| too_large(None)),
        Source::Url(url) => fetch_url(url, limits).map(Fetched::Bytes),
    }
}

/// GET a URL with a timeout and the size cap. oemtrace fetches only the
/// URLs the user names, never one an SBOM names.
pub fn fetch_url(url: &str, limits: Limits) -> Result<Vec<u8>, BoxedDiagnostic> {
    get(url, limits).map_err(|e| -> BoxedDiagnostic {
        match e {
            GetError::Failed(message) => Box::new(InputError::Fetch {
                url: url.to_owned(),
                message,
            }),
            GetError::TooLarge(size) => Box::new(InputError::TooLarge {
                name: url.to_owned(),
                size,
                limit: limits.max_input_size,
            }),
        }
    })
}

/// Why [`get`] failed, for callers that word the error for their own
/// options (`audit` inputs, `db update`).
#[derive(Debug)]
pub enum GetError {
    /// No connection, a timeout, or a status other than 2xx.
    Failed(String),
    /// More than `limits.max_input_size` bytes (the size, if announced).
    TooLarge(Option<u64>),
}

/// GET a URL with `limits.url_timeout` and at most `limits.max_input_size`
/// bytes: the one HTTP client of the binary.
pub fn get(url: &str, limits: Limits) -> Result<Vec<u8>, GetError> {
    let client = reqwest::blocking::Client::builder()
        .timeout(limits.url_timeout)
        .user_agent(concat!("oemtrace/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| GetError::Failed(e.to_string()))?;
    let response = client
        .get(url)
        .send()
        .map_err(|e| GetError::Failed(error_chain(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(GetError::Failed(format!("the server answered {status}")));
    }
    let announced = response.content_length();
    if announced.is_some_and(|len| len > limits.max_input_size) {
        return Err(GetError::TooLarge(announced));
    }
    read_capped(response, limits.max_input_size)
        .map_err(|e| GetError::Failed(e.to_string()))?
        .ok_or(GetError::TooLarge(None))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Errors of getting the bytes of an input (reading them is the library's).
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum InputError {
    #[error("{name}: cannot read: {source}")]
    #[diagnostic(
        code(oemtrace::input::read),
        help("check the path and its permissions")
    )]
    Read {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{name}: larger than --max-input-size ({}{limit} bytes)", size.map(|s| format!("{s} > ")).unwrap_or_default())]
    #[diagnostic(
        code(oemtrace::input::too_large),
        help("raise --max-input-size if this SBOM really is that large")
    )]
    TooLarge {
        name: String,
        size: Option<u64>,
        limit: u64,
    },
    #[error("{name}: the file shrank while it was read (another process truncated or rewrote it); the run stopped")]
    #[diagnostic(
        code(oemtrace::input::shrank),
        help("run again on the complete file, or pass --no-mmap to read inputs into memory first")
    )]
    Shrank { name: String },
    #[error("{url}: cannot fetch: {message}")]
    #[diagnostic(
        code(oemtrace::input::fetch),
        help("check the URL and the network; download the SBOM and pass the file if the server is slow")
    )]
    Fetch { url: String, message: String },
}

/// `--max-input-size`: a byte count with an optional K, M or G suffix
/// (powers of 1024).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size (examples: 1048576, 512K, 64M, 2G)"))?;
    let factor: u64 = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("`{text}`: unknown unit (use K, M or G)")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5T").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
