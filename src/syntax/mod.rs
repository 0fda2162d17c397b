//! Stage 1, syntax: source text → lines with typed statements and spans.
//!
//! Lines are parsed with the pest grammar in `grammar/okr.pest`, a few hundred
//! at a time for speed; a run that fails is parsed again line by line so every
//! broken line gets its own diagnostic. Lines stream to the caller, so memory
//! stays flat on very large files. Which line belongs to which block is read
//! from indentation by the next stage, `model::build`.

pub mod ast;
pub mod atoms;
pub mod errors;
mod fast;
mod grammar;
mod lower;
mod memo;

pub use lower::apply_attribute;
pub use memo::{KeptLines, LineMemo};

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::span::Span;
use ast::{Line, Statement};
use grammar::{OkrParser, Rule};
use pest::Parser;

const BOM: &str = "\u{feff}";
/// Lines per pest call on the fast path.
const CHUNK_LINES: usize = 256;

/// Parses every line of `text`, handing each to `on_line` in order, and
/// returns the syntax errors; never stops at the first one.
pub fn parse(file: FileId, text: &str, on_line: impl FnMut(Line)) -> Vec<Diagnostic> {
    parse_with(file, text, None, on_line)
}

/// `parse`, copying the lines `memo` holds instead of parsing them again,
/// and adding the lines it parses to `memo`.
pub fn parse_with<'t>(
    file: FileId,
    text: &'t str,
    memo: Option<&mut LineMemo<'t>>,
    on_line: impl FnMut(Line),
) -> Vec<Diagnostic> {
    parse_lines(file, text, 0..text.len(), memo, on_line)
}

/// `parse` of the whole lines in `text[range]` (the range starts a line and
/// ends one, or ends the text), with spans into the whole `text`: parsing a
/// text part by part gives the lines one `parse` of it gives.
pub fn parse_part(
    file: FileId,
    text: &str,
    range: std::ops::Range<usize>,
    on_line: impl FnMut(Line),
) -> Vec<Diagnostic> {
    parse_lines(file, text, range, None, on_line)
}

fn parse_lines<'t>(
    file: FileId,
    text: &'t str,
    range: std::ops::Range<usize>,
    mut memo: Option<&mut LineMemo<'t>>,
    mut on_line: impl FnMut(Line),
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let start = if range.start == 0 && text.starts_with(BOM) {
        BOM.len()
    } else {
        range.start
    };
    // A final line ending does not start another line.
    let part = &text.as_bytes()[..range.end];
    let end = range.end - usize::from(range.end > start && part.ends_with(b"\n"));
    // The lines waiting for one pest call, as the split above found them (a
    // second split of their text would strip a stray `\r` twice).
    let mut run: Vec<Span> = Vec::new();
    for span in line_spans(text, start, end) {
        let line_text = &text[span.start()..span.end()];
        let indent = line_text.len() - line_text.trim_start_matches(' ').len();
        // A plain check-in or KR line parses faster than a copy is made:
        // only the lines pest parses are remembered.
        let line = fast_line(&line_text[indent..], span.start() + indent)
            .map(|(statement, comment)| Line {
                span,
                indent,
                statement,
                comment,
            })
            .or_else(|| memo.as_deref()?.get(line_text, span.start()));
        if let Some(line) = line {
            parse_run(file, text, &run, &mut memo, &mut on_line, &mut errors);
            run.clear();
            on_line(line);
            continue;
        }
        if run.len() == CHUNK_LINES {
            parse_run(file, text, &run, &mut memo, &mut on_line, &mut errors);
            run.clear();
        }
        run.push(span);
    }
    parse_run(file, text, &run, &mut memo, &mut on_line, &mut errors);
    errors
}

/// A line's statement and comment when one of the fast paths reads it.
fn fast_line(content: &str, offset: usize) -> Option<(Statement, Option<Span>)> {
    match content.as_bytes().first()? {
        b'0'..=b'9' => fast::checkin(content, offset)
            .map(|(checkin, comment)| (Statement::CheckIn(checkin), comment)),
        b'k' => fast::key_result(content, offset)
            .map(|(kr, comment)| (Statement::KeyResult(Box::new(kr)), comment)),
        _ => None,
    }
}

/// A quantity given on its own that does not read; `Display` says what is
/// wrong in words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// What the grammar, or turning the text into an exact quantity, found.
    #[error("{}", .0.message)]
    Syntax(Box<Diagnostic>),
    /// Text that is not a quantity at all, as given.
    #[error("`{0}` is not a quantity")]
    NotAQuantity(String),
}

/// Reads a quantity given on its own (`1,400`, `35%`, `$16.8M`), as
/// command-line options take it.
pub fn parse_quantity(text: &str) -> Result<crate::model::quantity::Quantity, QuantityError> {
    let lowerer = lower::Lowerer { file: 0, offset: 0 };
    let parsed = OkrParser::parse(Rule::lone_quantity, text)
        .map_err(|error| QuantityError::Syntax(Box::new(errors::from_pest(0, text, 0, &error))))?;
    let pair = parsed
        .into_iter()
        .next()
        .and_then(|lone| lone.into_inner().next())
        .ok_or_else(|| QuantityError::NotAQuantity(text.to_string()))?;
    lowerer
        .quantity(pair)
        .map(|quantity| quantity.value)
        .map_err(QuantityError::Syntax)
}

/// Parses a run of whole lines: in one pest call when it can (remembering
/// the lines in `memo`), else line by line so each error is reported.
fn parse_run<'t>(
    file: FileId,
    text: &'t str,
    run: &[Span],
    memo: &mut Option<&mut LineMemo<'t>>,
    on_line: &mut impl FnMut(Line),
    errors: &mut Vec<Diagnostic>,
) {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return;
    };
    let Some(lines) = parse_chunk(file, &text[first.start()..last.end()], first.start()) else {
        for &line in run {
            on_line(parse_line(file, text, line, errors));
        }
        return;
    };
    for line in lines {
        if let Some(memo) = memo.as_deref_mut() {
            memo.record(&text[line.span.start()..line.span.end()], &line);
        }
        on_line(line);
    }
}

/// The lines of `text[start..end]`, without line endings. The breaks are
/// found by one vectorised scan of the whole text (`str::split` started a new
/// search for every short line).
fn line_spans(text: &str, start: usize, end: usize) -> impl Iterator<Item = Span> + '_ {
    let bytes = &text.as_bytes()[start..end];
    let breaks = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    breaks.scan(0, move |line_start, line_end| {
        let line = &bytes[*line_start..line_end];
        let content_end = line_end - usize::from(line.last() == Some(&b'\r'));
        let span = Span::new(start + *line_start, start + content_end);
        *line_start = line_end + 1;
        Some(span)
    })
}

/// The fast path: one pest call for a run of lines. None when the run needs
/// the line-by-line path (a syntax error, a tab, a lone carriage return).
fn parse_chunk(file: FileId, chunk: &str, offset: usize) -> Option<Vec<Line>> {
    if chunk.bytes().any(|byte| byte == b'\t' || byte == b'\r') && has_tab_or_lone_cr(chunk) {
        return None;
    }
    let lines = OkrParser::parse(Rule::lines, chunk).ok()?.next()?;
    let mut lowered = Vec::new();
    for chunk_line in lines.into_inner() {
        if chunk_line.as_rule() != Rule::chunk_line {
            continue;
        }
        let span = chunk_line.as_span();
        let span = Span::new(span.start(), span.end()).shifted(offset);
        let mut inner = chunk_line.into_inner();
        let indent = inner.next().map_or(0, |indent| indent.as_str().len());
        let lowerer = lower::Lowerer { file, offset };
        match lowerer.statement(inner) {
            Ok((statement, comment)) => lowered.push(Line {
                span,
                indent,
                statement,
                comment,
            }),
            // A lowering error (an impossible date, say): report it line by line.
            Err(_) => return None,
        }
    }
    Some(lowered)
}

fn has_tab_or_lone_cr(chunk: &str) -> bool {
    let bytes = chunk.as_bytes();
    bytes
        .iter()
        .enumerate()
        .any(|(at, &byte)| byte == b'\t' || (byte == b'\r' && bytes.get(at + 1) != Some(&b'\n')))
}

/// Columns between tab stops: a tab in the indentation is reported, then
/// read as spaces up to the next multiple of this.
pub const TAB_WIDTH: usize = 4;

/// The bytes of a line's indentation (spaces and tabs).
pub fn indentation_len(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// The width of an indentation in columns, each tab reaching the next tab stop.
fn indentation_width(indentation: &str) -> usize {
    indentation.chars().fold(0, |column, c| match c {
        '\t' => (column / TAB_WIDTH + 1) * TAB_WIDTH,
        _ => column + 1,
    })
}

/// The slow path: one line on its own, with its error if it has one.
fn parse_line(file: FileId, text: &str, span: Span, errors: &mut Vec<Diagnostic>) -> Line {
    let line_text = &text[span.start()..span.end()];
    let indentation = indentation_len(line_text);
    let content = &line_text[indentation..];
    let mut line = Line {
        span,
        indent: indentation,
        statement: Statement::Blank,
        comment: None,
    };
    if content.is_empty() {
        return line;
    }
    if let Some(tab) = line_text[..indentation].find('\t') {
        // Reported (but not before a comment, which has no depth), then
        // read as spaces so the rest of the file is still checked.
        if !content.starts_with('#') {
            errors.push(errors::tab_in_indentation(file, span.start() + tab));
        }
        line.indent = indentation_width(&line_text[..indentation]);
    }
    let offset = span.start() + indentation;
    let lowerer = lower::Lowerer { file, offset };
    let lowered = OkrParser::parse(Rule::line, content)
        .map_err(|error| Box::new(errors::from_pest(file, content, offset, &error)))
        .and_then(|mut pairs| match pairs.next() {
            Some(pair) => lowerer.statement(pair.into_inner()),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<(usize, usize, usize)> {
        let mut lines = Vec::new();
        let errors = parse(0, text, |line| {
            lines.push((line.span.start(), line.span.end(), line.indent));
        });
        assert!(errors.is_empty(), "{errors:?}");
        lines
    }

    #[test]
    fn every_line_is_seen_once_with_its_span() {
        assert_eq!(spans(""), vec![(0, 0, 0)]);
        assert_eq!(spans("period 2026\n"), vec![(0, 11, 0)]);
        assert_eq!(
            spans("period 2026\r\n  # c\r\n"),
            vec![(0, 11, 0), (13, 18, 2)]
        );
        assert_eq!(
            spans("\u{feff}period 2026\n\nteam a"),
            vec![(3, 14, 0), (15, 15, 0), (16, 22, 0)]
        );
    }

    #[test]
    fn long_files_cross_chunk_boundaries() {
        let text = "# c\n".repeat(CHUNK_LINES * 2 + 3);
        assert_eq!(spans(&text).len(), CHUNK_LINES * 2 + 3);
        let text = "# c\n".repeat(CHUNK_LINES);
        assert_eq!(spans(&text).len(), CHUNK_LINES);
    }

    /// The quantity of `target >= …` on a KR line, as the grammar and lowering read it.
    fn target(quantity: &str) -> crate::model::quantity::Quantity {
        let text = format!("  kr a \"A\" target >= {quantity}");
        let mut statement = None;
        let errors = parse(0, &text, |line| statement = Some(line.statement));
        assert!(errors.is_empty(), "{quantity}: {errors:?}");
        match statement {
            Some(Statement::KeyResult(kr)) => kr.target.value.quantity().cloned().unwrap(),
            other => panic!("{quantity}: {other:?}"),
        }
    }

    #[test]
    fn every_quantity_form() {
        use crate::model::quantity::Unit;
        let dec = |text: &str| rust_decimal::Decimal::from_str_exact(text).unwrap();
        let money =
            |code: &str| Unit::Money(crate::model::quantity::Currency::parse(code).unwrap());
        for (text, amount, unit) in [
            ("950", "950", Unit::Count),
            ("60,000", "60000", Unit::Count),
            ("1.4k", "1400", Unit::Count),
            ("2M", "2000000", Unit::Count),
            ("3b", "3000000000", Unit::Count),
            ("-3", "-3", Unit::Count),
            ("1,400 customers", "1400", Unit::Count),
            ("25%", "0.25", Unit::Percent),
            ("6.7%", "0.067", Unit::Percent),
            ("$10M", "10000000", money("USD")),
            ("€250k", "250000", money("EUR")),
            ("£1,200", "1200", money("GBP")),
            ("¥5,000", "5000", money("JPY")),
            ("USD 10M", "10000000", money("USD")),
            ("EUR 1.5k", "1500", money("EUR")),
            ("CHF 99.95", "99.95", money("CHF")),
        ] {
            let quantity = target(text);
            assert_eq!(
                (quantity.amount, quantity.unit),
                (dec(amount), unit),
                "{text}"
            );
        }
        assert_eq!(target("1,400 customers").word.as_deref(), Some("customers"));
    }

    #[test]
    fn a_tab_in_the_indentation_is_reported_then_read_as_spaces() {
        let text = "objective o \"O\"\n  kr a \"A\" target 5\n\t2026-08-10 3\n \t\tkr b \"B\" target 6\n\t# a comment\n";
        let mut lines = Vec::new();
        let errors = parse(0, text, |line| lines.push((line.indent, line.statement)));
        // Tab stops every four columns: `\t` is 4, ` \t\t` is 8.
        let indents: Vec<usize> = lines.iter().map(|(indent, _)| *indent).collect();
        assert_eq!(indents, [0, 2, 4, 8, 4]);
        assert!(matches!(lines[2].1, Statement::CheckIn(_)));
        assert!(matches!(lines[3].1, Statement::KeyResult(_)));
        // One error per statement line with a tab; none for the comment.
        let at: Vec<usize> = errors.iter().map(|e| e.span.start()).collect();
        let third = text.find('\t').unwrap_or_default();
        let fourth = text.find(" \t\t").unwrap_or_default() + 1;
        assert_eq!(at, [third, fourth]);
        assert!(errors.iter().all(errors::is_tab_in_indentation));
    }

    #[test]
    fn each_broken_line_is_reported() {
        let text = "period 2026-Q3\nteam a\nobjective o \"O\"\n  kr a \"A\" target\n  kr b \"B\" target x\n  kr c \"C target 4\n";
        let mut count = 0;
        let errors = parse(0, text, |_| count += 1);
        assert_eq!(count, 6);
        let lines: Vec<usize> = errors
            .iter()
            .map(|e| text[..e.span.start()].lines().count())
            .collect();
        assert_eq!(lines, vec![4, 5, 6]);
    }
}
