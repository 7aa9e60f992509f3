//! The report's source files, as miette reads them under its findings
//! and diagnostics: each a [`Snippet`], a window of the file around what
//! a label marks, whatever the length of its lines.

use std::cell::OnceCell;
use std::sync::Arc;

use super::Report;
use crate::sbom::span::{LineIndex, Snippet};

/// The report's source files, each line index built on first use.
pub(super) struct Sources<'r> {
    report: &'r Report,
    lines: Vec<OnceCell<Arc<LineIndex>>>,
}

impl<'r> Sources<'r> {
    pub(super) fn new(report: &'r Report) -> Self {
        Sources {
            report,
            lines: report.sources.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    /// Source file `id` of the report, if there is one.
    pub(super) fn get(&self, id: usize) -> Option<Snippet> {
        let file = self.report.sources.get(id)?;
        let lines = self
            .lines
            .get(id)?
            .get_or_init(|| Arc::new(LineIndex::new(&file.text)));
        Some(Snippet::with_lines(
            &file.name,
            &file.text,
            Arc::clone(lines),
        ))
    }
}
