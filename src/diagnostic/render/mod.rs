//! Stage 4, output: diagnostics printed for people (miette), for scripts
//! (short, JSON) and for CI (GitHub workflow commands).

mod github;
mod human;
mod json;
mod sarif;
mod short;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::span::Span;
use crate::workspace::Workspace;

pub use crate::document::check::Summary;
pub use human::Style;

/// How `okr check` prints its findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report: snippet, label and help.
    Human,
    /// `file:line:col: severity[code]: message`, one a line.
    Short,
    /// A versioned JSON document, for tools (docs/json.md).
    Json,
    /// GitHub Actions workflow commands, shown as annotations on a pull request.
    Github,
    /// SARIF 2.1.0, for code-scanning UIs (GitHub code scanning, IDE viewers).
    Sarif,
}

/// The diagnostics in `format`, ready to print.
pub fn diagnostics(
    workspace: &Workspace,
    diagnostics: &[Diagnostic],
    format: Format,
    style: Style,
) -> String {
    match format {
        Format::Human => human::render(workspace, diagnostics, style),
        Format::Short => short::render(workspace, diagnostics),
        Format::Json => json::render(workspace, diagnostics),
        Format::Github => github::render(workspace, diagnostics),
        Format::Sarif => sarif::render(workspace, diagnostics),
    }
}

/// Where a diagnostic starts and ends, as one-based lines and columns.
pub struct Position {
    /// The line where it starts.
    pub line: usize,
    /// The column where it starts, in characters.
    pub column: usize,
    /// The line where it ends.
    pub end_line: usize,
    /// The column where it ends (exclusive), in characters.
    pub end_column: usize,
}

impl Position {
    /// The place of `diagnostic` in its file of `workspace`.
    pub fn of(workspace: &Workspace, diagnostic: &Diagnostic) -> Position {
        Position::at(workspace, diagnostic.file, diagnostic.span)
    }

    /// The place of `span` in file `file` of `workspace`.
    pub fn at(workspace: &Workspace, file: FileId, span: Span) -> Position {
        let file = &workspace.files[file];
        let (line, column) = file.line_col(span.start());
        let (end_line, end_column) = file.line_col(span.end());
        Position {
            line,
            column,
            end_line,
            end_column,
        }
    }
}
