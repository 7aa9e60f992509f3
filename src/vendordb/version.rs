//! Vendor versions and the version ranges of third-party product records.
//!
//! Vendors rarely write semver: `9.2.0.123`, `2019.1`, `v8`, `15.1X49-D10`,
//! `4.00`, `2.40.03`, `V4.00(XD.0)`. The `semver` crate rejects most of
//! these, and forcing them into three numbers would lose exactly the parts
//! that decide a range such as Junos' `<15.1X49-D10`. So a [`Version`] is
//! read leniently as a sequence of parts, each a number or a run of
//! letters, with one total order:
//!
//! - separators (`.`, `-`, `_`, `(`, `)`, spaces, ...) only split parts;
//!   a leading `v` / `V` before a digit is dropped; letters are
//!   case-folded; numbers compare as numbers (`03` = `3`, `10` > `9`);
//! - a letter part sorts before a number part in the same position
//!   (`1.0.rc1` < `1.0.1`);
//! - when one version runs out, missing parts count as `0`: `4.0` =
//!   `4.0.0`, `9.5` < `9.5.1`, and `9.5` < `9.5R1` (a letter part is more
//!   than nothing).
//!
//! A text that does not start with a digit (`latest`, `n/a`, ``), looks
//! like a commit hash (`3f2a9c1`) or has absurd parts is not a version:
//! [`Version::parse`] gives `None`, and a product match on it says that
//! the version could not be compared.
//!
//! A [`VersionRange`] is written as in `docs/vendor-db.md`:
//! comparators joined by `,` (all must hold), alternatives joined by `||`.
//! A comparator is `*`, an operator (`>=`, `>`, `<=`, `<`, `=`) and a
//! version, or a version pattern: `4.*` / `2.x` (that version and
//! everything under it) or a bare version, which means the same as its
//! pattern (`4.00` is `4.00.*`: `4.00(XD.0)` is in, `4.01` is not).

use std::cmp::Ordering;
use std::fmt;

/// The most parts a version may have; more is not a version.
const MAX_PARTS: usize = 32;

/// One part of a [`Version`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Num(u64),
    /// Lowercased letters.
    Alpha(Box<str>),
}

impl Part {
    fn is_zero(&self) -> bool {
        matches!(self, Part::Num(0))
    }
}

impl Ord for Part {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Part::Num(a), Part::Num(b)) => a.cmp(b),
            (Part::Alpha(a), Part::Alpha(b)) => a.cmp(b),
            (Part::Alpha(_), Part::Num(_)) => Ordering::Less,
            (Part::Num(_), Part::Alpha(_)) => Ordering::Greater,
        }
    }
}

impl PartialOrd for Part {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::Num(n) => write!(f, "{n}"),
            Part::Alpha(a) => f.write_str(a),
        }
    }
}

/// A vendor version, read leniently (see the module docs for the order).
/// Equality follows the order: `4.0 == 4.0.0`.
#[derive(Clone, Debug)]
pub struct Version {
    parts: Vec<Part>,
}

impl Version {
    /// Reads a version; `None` when the text is not one (see the module
    /// docs). Never panics.
    pub fn parse(text: &str) -> Option<Version> {
        let s = text.trim();
        let s = match s.strip_prefix(['v', 'V']) {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
            _ => s,
        };
        if !s.starts_with(|c: char| c.is_ascii_digit()) || looks_like_hash(s) {
            return None;
        }
        let mut parts = Vec::new();
        let mut run_start = 0;
        let mut run: Option<Run> = None;
        for (i, c) in s.char_indices() {
            let kind = Run::of(c);
            if kind != run {
                if let Some(r) = run {
                    parts.push(r.part(s.get(run_start..i)?)?);
                }
                run = kind;
                run_start = i;
            }
        }
        if let Some(r) = run {
            parts.push(r.part(s.get(run_start..)?)?);
        }
        if parts.is_empty() || parts.len() > MAX_PARTS {
            return None;
        }
        Some(Version { parts })
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Whether `prefix`'s parts open this version (missing parts of this
    /// version count as `0`): `4.00(XD.0)` and `4` start with `4.00`,
    /// `4.01` and `40` do not.
    pub fn starts_with(&self, prefix: &Version) -> bool {
        prefix
            .parts
            .iter()
            .enumerate()
            .all(|(i, p)| match self.parts.get(i) {
                Some(q) => q == p,
                None => p.is_zero(),
            })
    }
}

/// Whether a character continues a run of digits, a run of letters, or
/// separates parts (`None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run {
    Digits,
    Letters,
}

impl Run {
    fn of(c: char) -> Option<Run> {
        if c.is_ascii_digit() {
            Some(Run::Digits)
        } else if c.is_alphabetic() {
            Some(Run::Letters)
        } else {
            None
        }
    }

    /// The part a run's text makes; `None` for a number too large to be a
    /// version part.
    fn part(self, text: &str) -> Option<Part> {
        match self {
            Run::Digits => text.parse::<u64>().ok().map(Part::Num),
            Run::Letters => Some(Part::Alpha(text.to_lowercase().into_boxed_str())),
        }
    }
}

/// A commit-hash-like token (`3f2a9c1`, `deadbeef0123`): seven or more hex
/// digits with at least one letter and no separator. Its digits and
/// letters would otherwise read as a meaningless version.
fn looks_like_hash(s: &str) -> bool {
    s.len() >= 7
        && s.bytes().all(|b| b.is_ascii_hexdigit())
        && s.bytes().any(|b| b.is_ascii_alphabetic())
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.parts.len().max(other.parts.len());
        for i in 0..n {
            let ord = match (self.parts.get(i), other.parts.get(i)) {
                (Some(a), Some(b)) => a.cmp(b),
                (Some(a), None) if a.is_zero() => Ordering::Equal,
                (Some(_), None) => Ordering::Greater,
                (None, Some(b)) if b.is_zero() => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (None, None) => Ordering::Equal,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// A comparison operator of a range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

/// One condition of a range.
#[derive(Clone, Debug)]
enum Comparator {
    /// `*`.
    Any,
    /// `4.*`, `2.x`, or a bare `4.00`.
    Prefix(Version),
    Cmp(Op, Version),
}

impl Comparator {
    fn holds(&self, v: &Version) -> bool {
        match self {
            Comparator::Any => true,
            Comparator::Prefix(p) => v.starts_with(p),
            Comparator::Cmp(op, bound) => {
                let ord = v.cmp(bound);
                match op {
                    Op::Lt => ord == Ordering::Less,
                    Op::Le => ord != Ordering::Greater,
                    Op::Gt => ord == Ordering::Greater,
                    Op::Ge => ord != Ordering::Less,
                    Op::Eq => ord == Ordering::Equal,
                }
            }
        }
    }
}

/// Why a range text is not a range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RangeError(String);

/// The versions a product record covers (see the module docs).
#[derive(Clone, Debug)]
pub struct VersionRange {
    text: String,
    /// Alternatives (`||`), each a conjunction (`,`).
    any_of: Vec<Vec<Comparator>>,
}

/// How a component's version relates to a record's range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VersionCheck {
    /// The version is in the range.
    Within,
    /// The version is outside the range.
    Outside,
    /// The component has no version.
    Missing,
    /// The component's version cannot be read as a version.
    Uncomparable,
}

impl VersionRange {
    /// Reads a range such as `>=9.5, <15.1X49-D10`, `2.x`, `4.00` or
    /// `9.* || >=10.2, <11`.
    pub fn parse(text: &str) -> Result<VersionRange, RangeError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(RangeError("empty version range".into()));
        }
        let mut any_of = Vec::new();
        for alt in text.split("||") {
            let mut all = Vec::new();
            for c in alt.split(',') {
                all.push(comparator(c.trim())?);
            }
            any_of.push(all);
        }
        Ok(VersionRange {
            text: text.to_owned(),
            any_of,
        })
    }

    /// The range as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn contains(&self, v: &Version) -> bool {
        self.any_of.iter().any(|all| all.iter().all(|c| c.holds(v)))
    }

    /// Compares a component's version (as the SBOM writes it) with the
    /// range.
    pub fn check(&self, version: Option<&str>) -> VersionCheck {
        match version.map(str::trim).filter(|v| !v.is_empty()) {
            None => VersionCheck::Missing,
            Some(v) => match Version::parse(v) {
                None => VersionCheck::Uncomparable,
                Some(v) if self.contains(&v) => VersionCheck::Within,
                Some(_) => VersionCheck::Outside,
            },
        }
    }
}

impl fmt::Display for VersionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn comparator(c: &str) -> Result<Comparator, RangeError> {
    if c.is_empty() {
        return Err(RangeError(
            "empty comparator (write comparators like `>=9.5, <10` or `2.x`)".into(),
        ));
    }
    if c == "*" {
        return Ok(Comparator::Any);
    }
    let ops = [
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("==", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
    ];
    if let Some((rest, op)) = ops
        .iter()
        .find_map(|(s, op)| c.strip_prefix(s).map(|rest| (rest.trim_start(), *op)))
    {
        if rest.contains('*') || wildcard_stem(rest).is_some() {
            return Err(RangeError(format!(
                "`{c}`: a wildcard cannot follow an operator (write `2.x` or `>=2`)"
            )));
        }
        return Ok(Comparator::Cmp(op, version(c, rest)?));
    }
    let stem = wildcard_stem(c).unwrap_or(c);
    if stem.contains('*') {
        return Err(RangeError(format!(
            "`{c}`: `*` stands alone or ends a pattern such as `4.*`"
        )));
    }
    Ok(Comparator::Prefix(version(c, stem)?))
}

/// `4` for `4.*`, `4.x`, `4.X` and `4.x.x`; `None` when the text does not
/// end in a wildcard part.
fn wildcard_stem(c: &str) -> Option<&str> {
    let mut stem = c;
    let mut found = false;
    while let Some(s) = [".*", ".x", ".X"].iter().find_map(|w| stem.strip_suffix(w)) {
        stem = s;
        found = true;
    }
    found.then_some(stem)
}

fn version(comparator: &str, text: &str) -> Result<Version, RangeError> {
    if text.chars().any(char::is_whitespace) {
        return Err(RangeError(format!(
            "`{comparator}`: separate comparators with `,`"
        )));
    }
    Version::parse(text).ok_or_else(|| {
        RangeError(format!(
            "`{comparator}`: `{text}` is not a version (it must start with a digit)"
        ))
    })
}

#[cfg(test)]
#[path = "version_tests.rs"]
mod tests;
