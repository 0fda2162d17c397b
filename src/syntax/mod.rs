//! Stage 1, syntax: source text → lines with typed statements and spans.
//!
//! Each line is parsed on its own with the pest grammar in `grammar/okr.pest`,
//! so every broken line gets its own diagnostic and memory stays flat on very
//! large files. The structure (which line belongs to which block) is read from
//! indentation by the next stage, `model::build`.

pub mod ast;
pub mod errors;
mod grammar;
mod lower;

pub use lower::apply_attribute;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::span::Span;
use ast::{Line, Statement};
use grammar::{OkrParser, Rule};
use pest::Parser;

/// A file's lines and the syntax errors found in them.
#[derive(Debug, Default)]
pub struct SyntaxTree {
    pub lines: Vec<Line>,
    pub errors: Vec<Diagnostic>,
}

const BOM: &str = "\u{feff}";

/// Parses every line of `text`; never stops at the first error.
pub fn parse(file: FileId, text: &str) -> SyntaxTree {
    let mut tree = SyntaxTree::default();
    let mut start = 0;
    while start <= text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |at| start + at);
        let content_start = if start == 0 && text.starts_with(BOM) {
            BOM.len()
        } else {
            start
        };
        let content_end = if text[content_start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        tree.lines.push(parse_line(
            file,
            text,
            Span::new(content_start, content_end),
            &mut tree.errors,
        ));
        start = end + 1;
    }
    // A final line ending does not start another line.
    if text.ends_with('\n') {
        tree.lines.pop();
    }
    tree
}

fn parse_line(file: FileId, text: &str, span: Span, errors: &mut Vec<Diagnostic>) -> Line {
    let line_text = &text[span.start..span.end];
    let indent = line_text.len() - line_text.trim_start_matches(' ').len();
    let content = &line_text[indent..];
    let mut line = Line {
        span,
        indent,
        statement: Statement::Blank,
        comment: None,
    };
    let offset = span.start + indent;
    let trimmed = content.trim_start_matches([' ', '\t']);
    if trimmed.is_empty() {
        return line;
    }
    if content.starts_with('\t') && !trimmed.starts_with('#') {
        errors.push(errors::tab_in_indentation(file, offset));
        // Count the tabs as indentation so only this line's own children are skipped.
        line.indent = line_text.len() - trimmed.len();
        line.statement = Statement::Invalid;
        return line;
    }
    if trimmed.starts_with('#') {
        let at = offset + (content.len() - trimmed.len());
        line.comment = Some(Span::new(at, span.end));
        return line;
    }
    let lowerer = lower::Lowerer { file, offset };
    let lowered = OkrParser::parse(Rule::line, content)
        .map_err(|error| Box::new(errors::from_pest(file, content, offset, &error)))
        .and_then(|mut pairs| match pairs.next() {
            Some(pair) => lowerer.statement(pair),
            None => Ok((Statement::Blank, None)),
        });
    match lowered {
        Ok((statement, comment)) => {
            line.statement = statement;
            line.comment = comment;
        }
        Err(error) => {
            errors.push(*error);
            line.statement = Statement::Invalid;
        }
    }
    line
}
