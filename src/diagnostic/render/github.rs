//! GitHub Actions workflow commands (`::error file=…,line=…::message`), which
//! GitHub shows as annotations on the pull request's changed lines.

use super::Position;
use crate::diagnostic::{Diagnostic, Severity};
use crate::escape::terminal_lines;
use crate::workspace::Workspace;
use std::fmt::Write;

pub(super) fn render(workspace: &Workspace, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let at = Position::of(workspace, diagnostic);
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "notice",
        };
        // Controls made visible first: the runner's log viewer acts on escapes.
        let mut message = terminal_lines(&diagnostic.message).into_owned();
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(&terminal_lines(help));
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&terminal_lines(&workspace.files[diagnostic.file].path)),
            at.line,
            at.column,
            at.end_line,
            at.end_column,
            escape_property(&diagnostic.code.to_string()),
            escape_data(&message)
        );
    }
    out
}

/// The escaping GitHub's runner undoes for a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Properties additionally escape the separators `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_newlines_are_escaped() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("okr::syntax,x"), "okr%3A%3Asyntax%2Cx");
    }
}
