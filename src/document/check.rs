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
    pub version: u32,
    pub diagnostics: Vec<DiagnosticEntry<'a>>,
    pub summary: Summary,
}

/// One diagnostic, the same in `okr check`'s document and in the report's,
/// so that a consumer reads both with one parser. Lines and columns are
/// one-based, as editors show them.
#[derive(Serialize)]
pub struct DiagnosticEntry<'a> {
    pub code: String,
    pub severity: &'static str,
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: &'a str,
    pub help: Option<&'a str>,
}

impl<'a> DiagnosticEntry<'a> {
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
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub advice: usize,
}

impl Summary {
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
