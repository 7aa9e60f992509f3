//! What every adversarial case needs: a time bound that also catches a
//! hang, peak memory of a child process, and locating what a reader said.

use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use oemtrace::model::{Diagnostic, Document};
use oemtrace::sbom::span::LineIndex;
use oemtrace::sbom::ReadError;

/// Runs `f` on its own thread and fails the test if it takes longer than
/// `limit` (a hang fails too, instead of hanging `cargo test`), or panics.
pub fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    std::thread::Builder::new()
        .name(what.to_owned())
        .spawn(move || {
            // A send error only means the test already gave up.
            let _ = tx.send(f());
        })
        .expect("spawn a thread");
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: still running after {limit:?}")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("{what}: panicked after {:?}", start.elapsed())
        }
    }
}

/// `sbom::read` within `limit`.
pub fn read(limit: Duration, name: &'static str, bytes: Vec<u8>) -> Result<Document, ReadError> {
    within(limit, name, move || oemtrace::sbom::read(name, bytes))
}

/// The error's stable code (`oemtrace::read::too_deep`).
pub fn code(err: &ReadError) -> String {
    miette::Diagnostic::code(err)
        .map(|c| c.to_string())
        .unwrap_or_default()
}

/// Asserts `err` has `code` and points at a line and column, and that
/// its message starts with `name:line:column:`; returns the position.
pub fn assert_read_error(err: &ReadError, code_want: &str) -> (usize, usize) {
    assert_eq!(code(err), code_want, "{err}");
    let (line, column) = err
        .line_col()
        .unwrap_or_else(|| panic!("no line and column: {err}"));
    assert!(line >= 1 && column >= 1, "{err}");
    let prefix = format!("{}:{line}:{column}: ", err.name());
    assert!(err.to_string().starts_with(&prefix), "{err}");
    (line, column)
}

/// The 1-based line and column of a diagnostic's span in `doc`.
pub fn diagnostic_at(doc: &Document, d: &Diagnostic) -> (usize, usize) {
    let span = d
        .span
        .unwrap_or_else(|| panic!("diagnostic without a place: {d:?}"));
    LineIndex::new(&doc.source).line_col(&doc.source, span.offset())
}

/// The 1-based line and column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(text, offset)
}

/// The environment variable that makes [`child_entry`] run a case.
const CASE_VAR: &str = "OEMTRACE_ADVERSARIAL_CASE";

/// Runs the memory case `case` (see [`run_case`]) in a fresh copy of this
/// test binary and returns that process's peak resident memory in bytes,
/// which Linux reports as `VmHWM` in `/proc/self/status`.
pub fn peak_rss_of_case(case: &str, limit: Duration) -> u64 {
    let exe = std::env::current_exe().expect("the test binary");
    let case = case.to_owned();
    let out = within(limit, "child process", move || {
        Command::new(exe)
            .args(["--exact", "support::child_entry", "--nocapture"])
            .args(["--test-threads", "1"])
            .env(CASE_VAR, case)
            .output()
            .expect("run the test binary")
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kb: u64 = stdout
        .lines()
        .find_map(|l| l.split_once("peak-rss-kb=").map(|(_, v)| v))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("child printed no peak:\n{stdout}"));
    kb * 1024
}

/// The child side of [`peak_rss_of_case`]: does nothing in a normal test
/// run; with the case variable set, runs that case and prints the peak.
#[test]
fn child_entry() {
    let Ok(case) = std::env::var(CASE_VAR) else {
        return;
    };
    crate::shapes::run_case(&case);
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .expect("VmHWM in /proc/self/status");
    println!("peak-rss-kb={kb}");
}

/// Runs `oemtrace audit --format json` on `bytes` (written to a temporary
/// file named `name`) within `limit`; returns the exit code and the JSON
/// it printed (the report, or the error report for exit 2).
pub fn audit_file(limit: Duration, name: &str, bytes: &[u8]) -> (i32, serde_json::Value) {
    let (code, stdout, stderr) = audit_with(limit, name, bytes, &["--format", "json"]);
    let json = serde_json::from_slice(&stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr:\n{}",
            String::from_utf8_lossy(&stderr)
        )
    });
    (code, json)
}

/// Runs `oemtrace audit` with `args` on `bytes` (written to a temporary
/// file named `name`) within `limit`; returns the exit code (a signal or
/// a panic fails the test), stdout and stderr.
pub fn audit_with(
    limit: Duration,
    name: &str,
    bytes: &[u8],
    args: &[&str],
) -> (i32, Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write the input");
    let mut cmd = assert_cmd::Command::cargo_bin("oemtrace").expect("the binary");
    cmd.arg("audit").args(args).arg(&path);
    let out = within(limit, "oemtrace audit", move || cmd.output().expect("runs"));
    let code = out.status.code().expect("an exit code, not a signal");
    assert_ne!(
        code,
        101,
        "a panic:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, out.stdout, out.stderr)
}

/// Asserts an error report (exit 2) with one error of `code`, located at
/// a line and column when `located`.
pub fn assert_error_report(code: i32, json: &serde_json::Value, want: &str, located: bool) {
    assert_eq!(code, 2, "{json:#}");
    let error = &json["errors"][0];
    assert_eq!(error["code"], want, "{json:#}");
    assert_eq!(json["summary"]["exit_code"], 2);
    assert!(json.get("findings").is_none(), "no verdict on an error");
    if located {
        assert!(error["line"].as_u64().is_some_and(|l| l >= 1), "{json:#}");
        assert!(error["column"].as_u64().is_some_and(|c| c >= 1), "{json:#}");
    }
}
