//! Stage 5, editing: `okr fmt`, the canonical layout (rules in `docs/fmt.md`).
//!
//! The formatter works on the parser's lines: each keeps its tokens and its
//! comment as written, and only the whitespace around them changes. Depth
//! comes from the indentation structure, so a file indented by four spaces
//! becomes one indented by two. The result is parsed again and its meaning
//! compared with the original before it is handed back.

use super::{bom, line_ending, parse, semantic_key, Parsed};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Line, Statement};

/// Spaces per level of nesting.
const INDENT: &str = "  ";

/// Why a text was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The text has syntax errors (these): formatting could lose what it says.
    Syntax(Vec<Diagnostic>),
    /// The formatted text would not mean the same (a bug in `okr fmt`):
    /// the file is left as it is.
    MeaningChanged,
}

/// The canonical layout of `text`.
pub fn format(text: &str) -> Result<String, FormatError> {
    let parsed = parse(text);
    if parsed.has_syntax_errors() {
        return Err(FormatError::Syntax(parsed.errors));
    }
    let formatted = layout(text, &parsed);
    let again = parse(&formatted);
    if again.has_syntax_errors() || semantic_key(&again.goals) != semantic_key(&parsed.goals) {
        return Err(FormatError::MeaningChanged);
    }
    Ok(formatted)
}

/// One line of output before blank lines are settled.
enum Out {
    Blank,
    Text {
        text: String,
        /// A comment alone on a top-level line: it leads the block below it.
        top_comment: bool,
    },
}

/// Lays the parsed lines out: indentation by depth, single spaces, blank lines.
fn layout(text: &str, parsed: &Parsed) -> String {
    let columns = stage_columns(text, parsed);
    let mut out: Vec<Out> = Vec::with_capacity(parsed.lines.len());
    let mut open: Vec<usize> = Vec::new();
    let mut previous_top: Option<TopKind> = None;
    for (number, line) in parsed.lines.iter().enumerate() {
        let comment = line
            .comment
            .map(|span| text[span.start()..span.end()].trim_end());
        if matches!(line.statement, Statement::Blank) {
            match comment {
                None => push_blank(&mut out),
                Some(comment) => {
                    let column = line
                        .comment
                        .map_or(0, |span| span.start() - line.span.start());
                    let depth = open.iter().filter(|&&indent| indent < column).count();
                    out.push(Out::Text {
                        text: format!("{}{comment}", INDENT.repeat(depth)),
                        top_comment: depth == 0,
                    });
                }
            }
            continue;
        }
        while open.last().is_some_and(|&indent| indent >= line.indent) {
            open.pop();
        }
        let depth = open.len();
        open.push(line.indent);
        if depth == 0 {
            let kind = top_kind(&line.statement);
            if needs_blank_before(previous_top, kind) {
                blank_before_leading_comments(&mut out);
            }
            previous_top = Some(kind);
        }
        let columns = columns.get(&number).copied();
        out.push(Out::Text {
            text: statement_line(text, line, depth, comment, columns),
            top_comment: false,
        });
    }
    while matches!(out.last(), Some(Out::Blank)) {
        out.pop();
    }
    join(text, &out)
}

/// What a top-level line is, for the blank lines between blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TopKind {
    Header,
    Segment,
    Block,
}

fn top_kind(statement: &Statement) -> TopKind {
    match statement {
        Statement::Segment { .. } => TopKind::Segment,
        Statement::Funnel(_) | Statement::Objective(_) => TopKind::Block,
        _ => TopKind::Header,
    }
}

/// A blank line goes before every funnel and objective, and before the
/// first segment after something else; segment lines in a row stay together.
fn needs_blank_before(previous: Option<TopKind>, kind: TopKind) -> bool {
    match (previous, kind) {
        (None, _) | (_, TopKind::Header) => false,
        (Some(TopKind::Segment), TopKind::Segment) => false,
        (Some(_), _) => true,
    }
}

fn push_blank(out: &mut Vec<Out>) {
    if !out.is_empty() && !matches!(out.last(), Some(Out::Blank)) {
        out.push(Out::Blank);
    }
}

/// Puts a blank line above the comments that lead the block about to start,
/// so the comments stay with their block.
fn blank_before_leading_comments(out: &mut Vec<Out>) {
    let mut at = out.len();
    while at > 0
        && matches!(
            out[at - 1],
            Out::Text {
                top_comment: true,
                ..
            }
        )
    {
        at -= 1;
    }
    if at > 0 && !matches!(out[at - 1], Out::Blank) {
        out.insert(at, Out::Blank);
    }
}

/// The widths a funnel's stage lines are aligned to: its longest stage id
/// and its longest title, in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StageColumns {
    id: usize,
    title: usize,
}

/// The stage columns of every stage line (by line number), per funnel.
fn stage_columns(text: &str, parsed: &Parsed) -> std::collections::HashMap<usize, StageColumns> {
    let mut columns = std::collections::HashMap::new();
    let mut group: Vec<usize> = Vec::new();
    let mut widest = StageColumns { id: 0, title: 0 };
    let mut close = |group: &mut Vec<usize>, widest: &mut StageColumns| {
        for number in group.drain(..) {
            columns.insert(number, *widest);
        }
        *widest = StageColumns { id: 0, title: 0 };
    };
    for (number, line) in parsed.lines.iter().enumerate() {
        match &line.statement {
            Statement::Stage(stage) => {
                let title = &text[stage.title.span.start()..stage.title.span.end()];
                widest.id = widest.id.max(stage.id.value.chars().count());
                widest.title = widest.title.max(title.chars().count());
                group.push(number);
            }
            Statement::Blank => {}
            _ if line.indent == 0 => close(&mut group, &mut widest),
            _ => {}
        }
    }
    close(&mut group, &mut widest);
    columns
}

/// A stage line in columns: `stage ID  "Title"  conversion 6.7%  value $12,000`,
/// the id and the title padded to the funnel's widest, attributes two spaces apart.
fn stage_line(tokens: &[&str], columns: StageColumns) -> Option<String> {
    let [keyword, id, title, attributes @ ..] = tokens else {
        return None;
    };
    if !title.starts_with('"') {
        return None;
    }
    let mut out = format!("{keyword} {id}");
    pad(&mut out, columns.id.saturating_sub(id.chars().count()) + 1);
    out.push_str(title);
    for (at, token) in attributes.iter().enumerate() {
        let starts_attribute = matches!(*token, "conversion" | "value");
        let gap = match (at, starts_attribute) {
            (0, _) => columns.title.saturating_sub(title.chars().count()) + 2,
            (_, true) => 2,
            (_, false) => 1,
        };
        pad(&mut out, gap);
        out.push_str(token);
    }
    Some(out)
}

fn pad(out: &mut String, spaces: usize) {
    out.extend(std::iter::repeat_n(' ', spaces));
}

/// A statement line: indentation, tokens with single spaces (stage lines in
/// columns), then the comment.
fn statement_line(
    text: &str,
    line: &Line,
    depth: usize,
    comment: Option<&str>,
    columns: Option<StageColumns>,
) -> String {
    let start = line.span.start() + line.indent;
    let end = line.comment.map_or(line.span.end(), |span| span.start());
    let statement = text.get(start..end.max(start)).unwrap_or("");
    let mut out = INDENT.repeat(depth);
    let tokens = tokens(statement);
    match columns.and_then(|columns| stage_line(&tokens, columns)) {
        Some(stage) => out.push_str(&stage),
        None => out.push_str(&tokens.join(" ")),
    }
    if let Some(comment) = comment {
        out.push(' ');
        out.push_str(comment);
    }
    out
}

/// The tokens of a statement; a string is a token of its own and keeps
/// its inside exactly.
fn tokens(statement: &str) -> Vec<&str> {
    let bytes = statement.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        match bytes[at] {
            b' ' | b'\t' => {
                at += 1;
                continue;
            }
            b'"' => at = string_end(bytes, at),
            _ if is_direction(bytes, at) => at += 2,
            _ => {
                while at < bytes.len()
                    && !matches!(bytes[at], b' ' | b'\t' | b'"')
                    && !is_direction(bytes, at)
                {
                    at += 1;
                }
            }
        }
        let Some(token) = statement.get(start..at) else {
            // Not on a character boundary: keep the rest as it is.
            tokens.push(&statement[start..]);
            break;
        };
        tokens.push(token);
    }
    tokens
}

/// `target<=5` is `target <= 5`: a target's direction is a token of its own
/// (outside strings and comments, `<=` and `>=` mean nothing else).
fn is_direction(bytes: &[u8], at: usize) -> bool {
    matches!(bytes.get(at..at + 2), Some(b"<=" | b">="))
}

/// The end of the string that opens at `start`, past its closing quote.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// The output lines with the file's line ending and byte-order mark, and a
/// final line ending when there is any text.
fn join(text: &str, out: &[Out]) -> String {
    let eol = line_ending(text);
    let mut joined = String::with_capacity(text.len());
    joined.push_str(bom(text));
    for line in out {
        if let Out::Text { text, .. } = line {
            joined.push_str(text);
        }
        joined.push_str(eol);
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(text).unwrap_or_else(|error| panic!("{error:?}"))
    }

    #[test]
    fn indentation_spacing_and_blank_lines() {
        let text = "\n\n# head\nperiod   2026-Q3  \nteam a \"A  b\"\nfunnel f\n    stage s \"S\"\n    stage t \"T\"   conversion 5%   # keep  \n\n\n\n# about o\nobjective o \"O\"\n    kr k \"K\" target<=5 baseline 9\n        2026-08-01   7   \"a  note\"  @x\n      # deep\n# end";
        assert_eq!(
            fmt(text),
            "# head\nperiod 2026-Q3\nteam a \"A  b\"\n\nfunnel f\n  stage s \"S\"\n  stage t \"T\"  conversion 5% # keep\n\n# about o\nobjective o \"O\"\n  kr k \"K\" target <= 5 baseline 9\n    2026-08-01 7 \"a  note\" @x\n    # deep\n# end\n"
        );
    }

    #[test]
    fn crlf_and_bom_are_kept() {
        let text =
            "\u{feff}period 2026-Q3\r\nteam a\r\nobjective o \"O\"\r\n   kr k \"K\" target 5";
        assert_eq!(
            fmt(text),
            "\u{feff}period 2026-Q3\r\nteam a\r\n\r\nobjective o \"O\"\r\n  kr k \"K\" target 5\r\n"
        );
    }

    #[test]
    fn segments_in_a_row_stay_together() {
        let text = "period 2026\nteam a\nsegment a \"A\" size 5\nsegment b \"B\" size 6\nobjective o \"O\"\n";
        assert_eq!(
            fmt(text),
            "period 2026\nteam a\n\nsegment a \"A\" size 5\nsegment b \"B\" size 6\n\nobjective o \"O\"\n"
        );
    }

    #[test]
    fn escaped_quotes_stay_inside_their_string() {
        let text = "period 2026\nteam a \"say \\\"hi  there\\\"\"\n";
        assert_eq!(fmt(text), text);
    }

    #[test]
    fn syntax_errors_are_refused() {
        assert!(matches!(
            format("period 2026\nteam a\nobjective o\n"),
            Err(FormatError::Syntax(_))
        ));
    }

    #[test]
    fn empty_text_stays_empty() {
        assert_eq!(layout("", &parse("")), "");
    }
}
