//! The JSON document of `okr check --format json` (SPEC §5), version 1.

use super::{Position, Summary};
use crate::diagnostic::Diagnostic;
use crate::workspace::Workspace;
use serde_json::{json, Value};

pub fn render(workspace: &Workspace, diagnostics: &[Diagnostic]) -> String {
    let summary = Summary::of(workspace, diagnostics);
    let document = json!({
        "version": 1,
        "diagnostics": diagnostics.iter().map(|d| diagnostic_json(workspace, d)).collect::<Vec<_>>(),
        "summary": {
            "files": summary.files,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "advice": summary.advice,
        },
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// One diagnostic as the report and `check` JSON show it.
pub fn diagnostic_json(workspace: &Workspace, diagnostic: &Diagnostic) -> Value {
    let at = Position::of(workspace, diagnostic);
    json!({
        "code": diagnostic.code.to_string(),
        "severity": diagnostic.severity.as_str(),
        "file": workspace.files[diagnostic.file].path,
        "line": at.line,
        "column": at.column,
        "end_line": at.end_line,
        "end_column": at.end_column,
        "message": diagnostic.message,
        "help": diagnostic.help,
    })
}
