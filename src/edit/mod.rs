//! Stage 5, editing: changes to goal files that keep every byte the user
//! wrote except the ones the command is about. Each editor works from the
//! parser's lines and spans (never by printing the model back), and checks
//! its result by parsing it again before anything is written.

pub mod checkin;
pub mod fmt;
pub mod new_period;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::goals::Goals;
use crate::syntax::ast::Line;

const BOM: &str = "\u{feff}";

/// One file read for editing: its lines as the parser gave them, its goals,
/// and every diagnostic the parser and the structural pass found.
pub struct Parsed {
    pub lines: Vec<Line>,
    pub goals: Goals,
    pub errors: Vec<Diagnostic>,
}

impl Parsed {
    /// Whether the file failed to parse: editing it could lose what it says.
    pub fn has_syntax_errors(&self) -> bool {
        self.errors.iter().any(|error| error.code == Code::Syntax)
    }
}

/// Parses and builds `text` as file 0, keeping the lines for the editors.
pub fn parse(text: &str) -> Parsed {
    let mut lines = Vec::new();
    let (goals, errors) = crate::workspace::build(0, text, None, |line| lines.push(line.clone()));
    Parsed {
        lines,
        goals,
        errors,
    }
}

/// The file's line ending, as its first line ends (LF when it has one line).
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(at) if at > 0 && text.as_bytes()[at - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The byte-order mark the file starts with, kept on every rewrite.
pub fn bom(text: &str) -> &'static str {
    if text.starts_with(BOM) {
        BOM
    } else {
        ""
    }
}

/// What the goals mean, with every span and line number left out: two texts
/// with equal keys say the same thing, however they are laid out.
pub fn semantic_key(goals: &Goals) -> String {
    let mut goals = goals.clone();
    for (line, _) in &mut goals.allows {
        *line = 0;
    }
    strip_spans(&format!("{goals:?}"))
}

/// Removes `Span { start: N, end: M }` from a `Debug` rendering.
fn strip_spans(debug: &str) -> String {
    const OPEN: &str = "Span { start: ";
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        out.push_str("Span");
        let after = &rest[at + OPEN.len()..];
        rest = match after.find(" }") {
            Some(close) => &after[close + 2..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_and_marks_are_read_from_the_text() {
        assert_eq!(line_ending("a\r\nb\n"), "\r\n");
        assert_eq!(line_ending("a\nb\r\n"), "\n");
        assert_eq!(line_ending("a"), "\n");
        assert_eq!(bom("\u{feff}period 2026"), BOM);
        assert_eq!(bom("period 2026"), "");
    }

    #[test]
    fn layout_does_not_change_the_key() {
        let a = parse("period 2026-Q3\nteam a\nobjective o \"O\"\n  kr k \"K\" target 5\n");
        let b = parse(
            "\n\nperiod   2026-Q3\nteam a\n\n\nobjective o \"O\"\n    kr k \"K\"   target 5\n",
        );
        assert_eq!(semantic_key(&a.goals), semantic_key(&b.goals));
        let c = parse("period 2026-Q3\nteam a\nobjective o \"O\"\n  kr k \"K\" target 6\n");
        assert_ne!(semantic_key(&a.goals), semantic_key(&c.goals));
    }
}
