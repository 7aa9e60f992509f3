//! The verdict: which findings fail the gate, and the exit code that says so.
//!
//! Exit codes are decided here and nowhere else (report-contract.md,
//! "Exit codes"): 0 clean at the threshold, 1 a finding at or above it,
//! 2 usage or input error (decided by the caller before any audit runs).
//! [`waivers`] marks accepted findings so that they never fail the gate.

pub mod date;
pub mod glob;
pub mod waivers;

use serde::Serialize;

use crate::model::Confidence;

/// `--fail-on`: the lowest confidence that fails the audit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum FailOn {
    /// Fail only on confirmed findings.
    Confirmed,
    /// Fail on likely or confirmed findings (the default).
    #[default]
    Likely,
    /// Fail on any finding.
    Possible,
    /// Never fail on findings; exit 0 whenever the audit ran.
    Never,
}

impl FailOn {
    /// The threshold as a confidence, or `None` for `never`.
    pub const fn threshold(self) -> Option<Confidence> {
        match self {
            FailOn::Confirmed => Some(Confidence::Confirmed),
            FailOn::Likely => Some(Confidence::Likely),
            FailOn::Possible => Some(Confidence::Possible),
            FailOn::Never => None,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            FailOn::Confirmed => "confirmed",
            FailOn::Likely => "likely",
            FailOn::Possible => "possible",
            FailOn::Never => "never",
        }
    }

    /// Does an unwaived finding of this confidence fail the gate?
    pub fn fails(self, confidence: Confidence) -> bool {
        self.threshold().is_some_and(|t| confidence >= t)
    }
}

/// The process exit code of a completed audit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// The audit ran and nothing unwaived reached `--fail-on`.
    Clean = 0,
    /// The audit ran and at least one unwaived finding reached `--fail-on`.
    Findings = 1,
    /// Usage error, or an input could not be read or parsed.
    Error = 2,
}

impl ExitCode {
    pub const fn code(self) -> i32 {
        self as i32
    }
}

/// The exit code for a set of findings given as `(confidence, waived)`.
pub fn verdict(
    findings: impl IntoIterator<Item = (Confidence, bool)>,
    fail_on: FailOn,
) -> ExitCode {
    let failing = findings
        .into_iter()
        .any(|(confidence, waived)| !waived && fail_on.fails(confidence));
    if failing {
        ExitCode::Findings
    } else {
        ExitCode::Clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Confidence::*;

    #[test]
    fn thresholds_are_inclusive() {
        assert!(FailOn::Likely.fails(Likely));
        assert!(FailOn::Likely.fails(Confirmed));
        assert!(!FailOn::Likely.fails(Possible));
        assert!(FailOn::Possible.fails(Possible));
        assert!(!FailOn::Confirmed.fails(Likely));
        assert!(!FailOn::Never.fails(Confirmed));
    }

    #[test]
    fn waived_findings_never_fail() {
        assert_eq!(
            verdict([(Confirmed, true)], FailOn::Possible),
            ExitCode::Clean
        );
        assert_eq!(
            verdict([(Confirmed, true), (Likely, false)], FailOn::Likely),
            ExitCode::Findings
        );
        assert_eq!(verdict([], FailOn::Possible), ExitCode::Clean);
    }
}
