//! The yardstick of the performance target: how long `serde_json` takes to
//! parse a file into `serde::de::IgnoredAny` (validating every byte,
//! keeping nothing).
//!
//!     cargo run --release --example parse-ignored -- FILE [RUNS]
//!
//! Reads the file once, then parses the bytes `RUNS` times (default 11)
//! and prints the median, minimum and maximum in milliseconds, and the
//! same for a whole run as the audit does it (read the file, check it is
//! UTF-8, parse) — that is the figure `benches/compare.sh` divides by.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde::de::IgnoredAny;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: parse-ignored FILE [RUNS]");
        return ExitCode::FAILURE;
    };
    let runs: usize = args
        .next()
        .and_then(|r| r.parse().ok())
        .unwrap_or(11)
        .max(1);
    let mut parse = Vec::with_capacity(runs);
    let mut whole = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("parse-ignored: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("parse-ignored: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let parsed = Instant::now();
        if let Err(e) = serde_json::from_str::<IgnoredAny>(text) {
            eprintln!("parse-ignored: {path}: {e}");
            return ExitCode::FAILURE;
        }
        let end = Instant::now();
        parse.push(end - parsed);
        whole.push(end - start);
    }
    println!("parse_ms {}", stats(&mut parse));
    println!("read_and_parse_ms {}", stats(&mut whole));
    ExitCode::SUCCESS
}

/// `median min max`, in milliseconds.
fn stats(times: &mut [Duration]) -> String {
    times.sort_unstable();
    let ms = |d: Option<&Duration>| d.map_or(0.0, |d| d.as_secs_f64() * 1e3);
    format!(
        "{:.2} {:.2} {:.2}",
        ms(times.get(times.len() / 2)),
        ms(times.first()),
        ms(times.last())
    )
}
