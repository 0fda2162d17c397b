//! `file:line:col: severity[code]: message`, the format editors and grep understand.

use super::Position;
use crate::diagnostic::Diagnostic;
use crate::escape::terminal;
use crate::workspace::Workspace;
use std::fmt::Write;

pub(super) fn render(workspace: &Workspace, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let at = Position::of(workspace, diagnostic);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            terminal(&workspace.files[diagnostic.file].path),
            at.line,
            at.column,
            diagnostic.severity.as_str(),
            diagnostic.code,
            terminal(&diagnostic.message)
        );
    }
    out
}
