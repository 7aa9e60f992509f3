//! Reading a big JSON document while `serde_json` checks its syntax.
//!
//! The readers delimit JSON rather than parse it, which is only right on
//! text whose syntax is known to be valid; `serde_json` parsing the top
//! level is what checks it, every byte. That check costs about as much as
//! the bare parse the audit is measured against, and it ran on one core
//! before anything else could start, the other cores idle
//! (docs/performance.md). So the document is read on a guess: the scanner
//! splits the top level without checking it, and the document is read
//! from that split while the check runs beside it. The guess is kept only
//! when the check passed and split the top level into the very same
//! slices; otherwise the document is read again from the checked split,
//! or the check's syntax error is returned, as if there had been no guess.
//! Either way the result is what reading after the check gives.
//!
//! Reading text that may be invalid is safe: the scanner checks every
//! index and gives up on what it does not expect, and the readers treat
//! what they are given as the untrusted input it is. The cost of a wrong
//! guess is the time spent reading it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::detect::{self, Detected, Top};
use super::error::ReadError;
use crate::model::Document;

/// Documents smaller than this are checked first, then read: the check is
/// short, and a guess would cost a copy of the split and a task.
const GUESS_FROM: usize = 1 << 20;

/// Reads the JSON object `body` (the text of `source` from its top-level
/// object on) with `read`, giving what checking the top level first and
/// then reading it would give.
pub(super) fn read_object<'s>(
    name: &str,
    source: &'s Arc<String>,
    body: &'s str,
    read: impl Fn(Detected<'s>) -> Result<Document, ReadError> + Sync,
) -> Result<Document, ReadError> {
    read_guessing_from(name, source, body, read, GUESS_FROM)
}

/// [`read_object`], guessing for a body of `guess_from` bytes or more.
///
/// The check and the guess each end with the split they are sure of, and
/// the second of them to get there decides which split is read
/// ([`check_meets`], [`guess_meets`], [`guess_gives_up`]): the guess's
/// own when the two agree, else the check's. The guess reads whichever it
/// is told; the check returns its split only when it came second and the
/// guess has nothing right to read.
fn read_guessing_from<'s>(
    name: &str,
    source: &'s Arc<String>,
    body: &'s str,
    read: impl Fn(Detected<'s>) -> Result<Document, ReadError> + Sync,
    guess_from: usize,
) -> Result<Document, ReadError> {
    let read_checked = |top| read(detect::classify(name, source, body, top)?);
    if body.len() < guess_from {
        return read_checked(detect::parse_top(name, source, body)?);
    }
    // The two splits meet here: whichever of the check and the guess is
    // done first leaves its split, and the other compares with it at once
    // and drops it. So only the split being read outlives that moment:
    // kept through the read, the other one cost an SPDX audit of 100,000
    // packages up to 15 MiB more in some runs.
    let meeting = Mutex::new(Left::Nothing);
    // Set when the check fails: the guess then stops wherever it is, the
    // scanner's split of the top level included.
    let failed = AtomicBool::new(false);
    let (checked, guessed) = rayon::join(
        || match detect::parse_top(name, source, body) {
            Ok(top) => Ok(check_meets(&meeting, top)),
            Err(err) => {
                failed.store(true, Ordering::Relaxed);
                Err(err)
            }
        },
        || {
            let top = match detect::scan_top(body, &failed) {
                Some(top) => guess_meets(&meeting, &failed, top),
                None => guess_gives_up(&meeting),
            };
            top.map(read_checked)
        },
    );
    match (checked?, guessed) {
        (Some(top), _) => read_checked(top),
        (None, Some(result)) => result,
        // Not reached: a check that passed returns no split only when the
        // guess has one to read (see `check_meets`).
        (None, None) => read_checked(detect::parse_top(name, source, body)?),
    }
}

/// The check, done with the split `top`, at the meeting: the split for
/// the caller to read, when the guess had split the top level otherwise
/// or given up; `None` when the guess reads (its own split, the same, or
/// this one, left for it).
fn check_meets<'a>(meeting: &Mutex<Left<'a>>, top: Top<'a>) -> Option<Top<'a>> {
    let mut left = lock(meeting);
    match std::mem::replace(&mut *left, Left::Nothing) {
        Left::Guessed(split) if split.same_split(&top) => None,
        Left::Guessed(_) | Left::GaveUp => Some(top),
        Left::Nothing | Left::Checked(_) => {
            *left = Left::Checked(top);
            None
        }
    }
}

/// The guess, done splitting into `top`, at the meeting: the split to
/// read, its own unless the check left one that differs; `None` when the
/// check has failed.
fn guess_meets<'a>(
    meeting: &Mutex<Left<'a>>,
    failed: &AtomicBool,
    top: Top<'a>,
) -> Option<Top<'a>> {
    let mut left = lock(meeting);
    if failed.load(Ordering::Relaxed) {
        return None;
    }
    match std::mem::replace(&mut *left, Left::Nothing) {
        Left::Checked(checked) if !top.same_split(&checked) => Some(checked),
        Left::Checked(_) => Some(top),
        Left::Nothing | Left::Guessed(_) | Left::GaveUp => {
            *left = Left::Guessed(top.clone());
            Some(top)
        }
    }
}

/// The guess, when the scanner gave up (or was stopped): the check's
/// split, if it left one, for the guess to read; else the check will
/// return its own.
fn guess_gives_up<'a>(meeting: &Mutex<Left<'a>>) -> Option<Top<'a>> {
    let mut left = lock(meeting);
    match std::mem::replace(&mut *left, Left::GaveUp) {
        Left::Checked(checked) => {
            *left = Left::Nothing;
            Some(checked)
        }
        Left::Nothing | Left::Guessed(_) | Left::GaveUp => None,
    }
}

/// The meeting, even if a thread panicked holding it (what it holds is
/// whole after every assignment).
fn lock<'m, 'a>(meeting: &'m Mutex<Left<'a>>) -> MutexGuard<'m, Left<'a>> {
    meeting.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the first of the check and the guess to be done leaves for the
/// other.
enum Left<'a> {
    Nothing,
    /// The check's split.
    Checked(Top<'a>),
    /// A copy of the guess's split: the guess reads its own.
    Guessed(Top<'a>),
    /// The scanner gave up: there is no guess to compare with.
    GaveUp,
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// What reading `text` gives with a guess and without one, as text:
    /// the whole document's debug form, or the error and its place.
    fn both_ways(text: &str) -> (String, String) {
        let source = Arc::new(text.to_owned());
        let body = detect::object_text(&source).expect("a JSON object");
        let read = |detected| match detected {
            Detected::CyclonedxJson(top) => crate::sbom::cyclonedx::read_top("t", &source, top),
            Detected::SpdxJson { top, .. } => crate::sbom::spdx::read_json_top("t", &source, top),
            other => panic!("{other:?}"),
        };
        let shown = |r: Result<Document, ReadError>| match r {
            Ok(doc) => format!("{doc:?}"),
            Err(err) => format!("error {err} at {:?}", err.line_col()),
        };
        let guessed = shown(read_guessing_from("t", &source, body, read, 0));
        let checked = shown(read_guessing_from("t", &source, body, read, usize::MAX));
        (guessed, checked)
    }

    /// A CycloneDX BOM of `n` components, each depending on the next.
    fn bom(n: usize) -> String {
        let mut out =
            String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":["#);
        for i in 0..n {
            let comma = if i > 0 { "," } else { "" };
            let _ = write!(out, r#"{comma}{{"bom-ref":"c{i}","name":"n{i}"}}"#);
        }
        out.push_str(r#"],"dependencies":["#);
        for i in 0..n {
            let comma = if i > 0 { "," } else { "" };
            let next = (i + 1) % n;
            let _ = write!(out, r#"{comma}{{"ref":"c{i}","dependsOn":["c{next}"]}}"#);
        }
        out.push_str("]}");
        out
    }

    #[test]
    fn a_guess_reads_what_the_check_first_reads() {
        let spdx = r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",
            "packages":[{"SPDXID":"SPDXRef-a","name":"a"}],
            "relationships":[{"spdxElementId":"SPDXRef-DOCUMENT",
              "relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-a"}]}"#;
        let texts = [
            bom(600),
            spdx.to_owned(),
            // A repeated key, a list of the wrong type, and a top-level key
            // with an escape, where the scanner gives up.
            bom(3).replacen(
                r#""specVersion""#,
                r#""specVersion":"1.4","specVersion""#,
                1,
            ),
            bom(3).replacen(r#""dependencies":["#, r#""dependencies":{"x":["#, 1) + "}",
            bom(3).replacen(r#""dependencies""#, r#""dependencie\u0073""#, 1),
        ];
        // The guess is kept for the first three; the scanner splits the
        // fourth otherwise than the check (which then reads every value
        // in `slots`), and gives up on the fifth.
        let kept = [true, true, true, false, false];
        for (text, kept) in texts.iter().zip(kept) {
            let (guessed, checked) = both_ways(text);
            assert!(!checked.starts_with("error"), "{checked}");
            assert!(guessed == checked, "differ on {text}");
            let body = detect::object_text(text).unwrap_or_default();
            let same = detect::scan_top(body, &AtomicBool::new(false)).is_some_and(|scanned| {
                let checked = detect::parse_top("t", &Arc::new(text.clone()), body);
                checked.is_ok_and(|c| scanned.same_split(&c))
            });
            assert_eq!(same, kept, "{text}");
        }
        // A list key of another type where the reader refuses it: the same
        // error with a guess and without one.
        let refused = [
            spdx.replacen(r#""packages":["#, r#""packages":{"x":["#, 1)
                .replacen("}],\n", "}]},\n", 1),
            bom(3)
                .replacen(r#""components":["#, r#""components":{"x":["#, 1)
                .replacen(r#"}],"dependencies""#, r#"}]},"dependencies""#, 1),
        ];
        for text in &refused {
            let (guessed, checked) = both_ways(text);
            assert!(checked.starts_with("error"), "read: {text}");
            assert!(guessed == checked, "{guessed}\n{checked}");
        }
    }

    #[test]
    fn whichever_is_done_first_the_second_decides_and_nothing_is_left() {
        fn split(text: &str) -> Top<'_> {
            detect::scan_top(text, &AtomicBool::new(false)).unwrap()
        }
        let (text, other) = (&bom(4), &bom(5));
        let is = |top: Option<Top<'_>>, want: &str| top.is_some_and(|t| t.same_split(&split(want)));
        let nothing_left = |m: &Mutex<Left<'_>>| matches!(*lock(m), Left::Nothing);
        let ok = AtomicBool::new(false);

        // The guess first: it reads its own split, and the check compares
        // with the copy it left, returning its own when they differ.
        let meeting = Mutex::new(Left::Nothing);
        assert!(is(guess_meets(&meeting, &ok, split(text)), text));
        assert!(check_meets(&meeting, split(text)).is_none());
        assert!(nothing_left(&meeting));
        let meeting = Mutex::new(Left::Nothing);
        assert!(is(guess_meets(&meeting, &ok, split(text)), text));
        assert!(is(check_meets(&meeting, split(other)), other));
        assert!(nothing_left(&meeting));

        // The check first: the guess compares with what it left and reads
        // the check's split when they differ.
        let meeting = Mutex::new(Left::Nothing);
        assert!(check_meets(&meeting, split(text)).is_none());
        assert!(is(guess_meets(&meeting, &ok, split(text)), text));
        assert!(nothing_left(&meeting));
        let meeting = Mutex::new(Left::Nothing);
        assert!(check_meets(&meeting, split(text)).is_none());
        assert!(is(guess_meets(&meeting, &ok, split(other)), text));
        assert!(nothing_left(&meeting));

        // The scanner gave up: the check's split is read, by the guess if
        // the check left it, else by the check's caller.
        let meeting = Mutex::new(Left::Nothing);
        assert!(check_meets(&meeting, split(text)).is_none());
        assert!(is(guess_gives_up(&meeting), text));
        assert!(nothing_left(&meeting));
        let meeting = Mutex::new(Left::Nothing);
        assert!(guess_gives_up(&meeting).is_none());
        assert!(is(check_meets(&meeting, split(text)), text));
        assert!(nothing_left(&meeting));

        // The check failed: the guess stops, before or after splitting.
        let failed = AtomicBool::new(true);
        assert!(detect::scan_top(&bom(3000), &failed).is_none());
        let meeting = Mutex::new(Left::Nothing);
        assert!(guess_meets(&meeting, &failed, split(text)).is_none());
    }

    #[test]
    fn a_syntax_error_is_the_checks_error_wherever_it_is() {
        let whole = bom(300);
        let middle = whole.len() / 2;
        let texts = [
            // Cut short in a component, a dependency entry, at the end.
            whole.get(..middle / 2).unwrap_or_default().to_owned(),
            whole.get(..middle + 7).unwrap_or_default().to_owned(),
            whole.get(..whole.len() - 1).unwrap_or_default().to_owned(),
            // A bracket too many, a missing comma, trailing text, a control
            // character inside a string.
            whole.replacen(r#""name":"n7"}"#, r#""name":"n7"}]"#, 1),
            whole.replacen(r#"},{"bom-ref":"c9""#, r#"}{"bom-ref":"c9""#, 1),
            whole.clone() + " x",
            whole.replacen(r#""n11""#, "\"n\u{1}11\"", 1),
        ];
        for text in texts {
            let (guessed, checked) = both_ways(&text);
            assert!(checked.starts_with("error"), "read: {text}");
            assert!(guessed == checked, "{guessed}\n{checked}");
        }
    }
}
