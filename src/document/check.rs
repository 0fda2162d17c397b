//! `okr check --format json` (SPEC §5), version 2 (the same keys as
//! version 1; the number follows the report's): a tool reading it gets
//! every diagnostic with its place, and the counts an exit status is made of.

use crate::diagnostic::render::Position;
use crate::diagnostic::{Diagnostic, Severity};
use crate::workspace::Workspace;
use serde::Serialize;

/// The whole document; `version` lets a consumer refuse a shape it does not know.
#[derive(Serialize)]
pub struct CheckDocument<'a> {
    /// [`super::VERSION`].
    pub version: u32,
    /// Every diagnostic, in the order found.
    pub diagnostics: Vec<DiagnosticEntry<'a>>,
    /// The counts by severity.
    pub summary: Summary,
}

/// One diagnostic, the same in `okr check`'s document and in the report's,
/// so that a consumer reads both with one parser. Lines and columns are
/// one-based, as editors show them.
#[derive(Serialize)]
pub struct DiagnosticEntry<'a> {
    /// The diagnostic's code, `okr::missing-baseline`.
    pub code: String,
    /// `error`, `warning` or `advice`.
    pub severity: &'static str,
    /// The file's path, as given or found.
    pub file: &'a str,
    /// The line where it starts.
    pub line: usize,
    /// The column where it starts, in characters.
    pub column: usize,
    /// The line where it ends.
    pub end_line: usize,
    /// The column where it ends (exclusive), in characters.
    pub end_column: usize,
    /// What is wrong.
    pub message: &'a str,
    /// How to fix it, when there is advice to give.
    pub help: Option<&'a str>,
}

impl<'a> DiagnosticEntry<'a> {
    /// The entry for `diagnostic`, placed in `workspace`'s files.
    pub fn of(workspace: &'a Workspace, diagnostic: &'a Diagnostic) -> Self {
        let at = Position::of(workspace, diagnostic);
        DiagnosticEntry {
            code: diagnostic.code.to_string(),
            severity: diagnostic.severity.as_str(),
            file: &workspace.files[diagnostic.file].path,
            line: at.line,
            column: at.column,
            end_line: at.end_line,
            end_column: at.end_column,
            message: &diagnostic.message,
            help: diagnostic.help.as_deref(),
        }
    }

    /// Every diagnostic's entry, in order.
    pub fn all(workspace: &'a Workspace, diagnostics: &'a [Diagnostic]) -> Vec<Self> {
        diagnostics
            .iter()
            .map(|diagnostic| DiagnosticEntry::of(workspace, diagnostic))
            .collect()
    }
}

/// Counts by severity: what decides `okr check`'s exit status, and its
/// closing line for people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// How many files were read.
    pub files: usize,
    /// How many errors were found.
    pub errors: usize,
    /// How many warnings were found.
    pub warnings: usize,
    /// How many pieces of advice were given.
    pub advice: usize,
}

impl Summary {
    /// The counts for `diagnostics` over `workspace`'s files.
    pub fn of(workspace: &Workspace, diagnostics: &[Diagnostic]) -> Summary {
        let count = |severity| {
            diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .count()
        };
        Summary {
            files: workspace.files.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            advice: count(Severity::Advice),
        }
    }
}
