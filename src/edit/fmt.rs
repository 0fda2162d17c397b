//! Stage 5, editing: `okr fmt`, the canonical layout (rules in `docs/fmt.md`).
//!
//! The formatter works on the parser's lines: each keeps its tokens and its
//! comment as written, and only the whitespace around them changes. Depth
//! comes from the indentation structure, so a file indented by four spaces
//! becomes one indented by two. The result is parsed again and its meaning
//! compared with the original before it is handed back. A file on disk is
//! rewritten under its lock ([`rewrite`]), or its change shown as a unified
//! diff ([`write_diff`]).

use super::{bom, line_ending, same_meaning};
use crate::diagnostic::{Code, Diagnostic};
use crate::escape::terminal;
use crate::source::SourceFile;
use crate::span::Span;
use crate::syntax::ast::{Line, Statement};
use std::io::Write;

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
///
/// Memory stays a few times the text's size however large it is: the lines
/// are kept as small records of where their parts are, the output is
/// written as it is laid out, and the meaning is compared objective by
/// objective as both texts are read again (`edit::same_meaning`).
pub fn format(text: &str) -> Result<String, FormatError> {
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    let errors = super::diagnostics(text, |line| lines.push(LayoutLine::of(line)));
    // A tab in the indentation is read as spaces: the layout rewrites it.
    let broken = |error: &Diagnostic| {
        error.code == Code::Syntax && !crate::syntax::errors::is_tab_in_indentation(error)
    };
    if errors.iter().any(broken) {
        return Err(FormatError::Syntax(errors));
    }
    let formatted = layout(text, &lines);
    drop(lines);
    if !same_meaning(text, &formatted) {
        return Err(FormatError::MeaningChanged);
    }
    Ok(formatted)
}

// ------------------------------------------------------------ files

/// Why one file was not formatted: it is left as it is.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file has syntax errors, which fmt never rewrites around.
    #[error("`{path}` has syntax errors; it was not formatted")]
    Syntax {
        /// The file's path.
        path: String,
    },
    /// The formatted text would read differently: a bug, caught before writing.
    #[error("formatting `{path}` would change what it says (a bug in okr fmt); the file was left as it is")]
    MeaningChanged {
        /// The file's path.
        path: String,
    },
    /// Changed on disk since it was read, into bytes that are not text.
    #[error("`{path}` is no longer UTF-8 text; it was not formatted")]
    NotUtf8 {
        /// The file's path.
        path: String,
        /// Where the bytes stop being UTF-8.
        source: std::string::FromUtf8Error,
    },
    /// The file could not be read again before writing.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The file's path.
        path: String,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The formatted text could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file's path.
        path: String,
        /// Why it could not be written.
        source: std::io::Error,
    },
}

impl FileError {
    /// Whether the file was refused for what it holds, and the other files
    /// are still formatted; an I/O error stops the run.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            FileError::Syntax { .. } | FileError::MeaningChanged { .. } | FileError::NotUtf8 { .. }
        )
    }
}

/// `file`'s text in the canonical layout; `None` when it already is.
pub fn formatted(file: &SourceFile) -> Result<Option<String>, FileError> {
    let formatted = format_file_text(&file.path, &file.text)?;
    Ok((formatted != file.text).then_some(formatted))
}

/// [`format`], its error naming the file at `path`.
fn format_file_text(path: &str, text: &str) -> Result<String, FileError> {
    format(text).map_err(|error| match error {
        FormatError::Syntax(_) => FileError::Syntax { path: path.into() },
        FormatError::MeaningChanged => FileError::MeaningChanged { path: path.into() },
    })
}

/// Writes `formatted`, from [`formatted`], over `file` (atomically). The
/// file is locked and read again first, so a check-in another okr added
/// since it was loaded is formatted too, not lost. False when the file, as
/// it is now, is already in the canonical layout.
pub fn rewrite(file: &SourceFile, formatted: String) -> Result<bool, FileError> {
    let path = file.path.as_str();
    let disk = file.disk_path();
    let cannot_write = |source| FileError::Write {
        path: path.into(),
        source,
    };
    let _lock = crate::write::lock_for_edit(disk).map_err(cannot_write)?;
    let now = std::fs::read(disk).map_err(|source| FileError::Read {
        path: path.into(),
        source,
    })?;
    let mut formatted = formatted;
    if now != file.text.as_bytes() {
        let text = String::from_utf8(now).map_err(|source| FileError::NotUtf8 {
            path: path.into(),
            source,
        })?;
        formatted = format_file_text(path, &text)?;
        if formatted == text {
            return Ok(false);
        }
    }
    crate::write::atomic_write(disk, formatted.as_bytes()).map_err(cannot_write)?;
    Ok(true)
}

/// Writes the unified diff from the file as it is to the file formatted
/// into `out`, streamed (the diff of a large file can be twice its size),
/// each line's text through the terminal escaper so a goal's text cannot
/// steer the terminal of whoever runs `--check`. A file with a great many
/// changes gets a coarser (still correct) diff after a second, rather than
/// minutes of searching for the smallest one.
pub fn write_diff(path: &str, before: &str, after: &str, out: impl Write) -> std::io::Result<()> {
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_secs(1))
        .diff_lines(before, after);
    let mut unified = diff.unified_diff();
    unified
        .context_radius(3)
        .header(path, &format!("{path} (formatted)"));
    let mut out = EscapedLines {
        out,
        line: Vec::new(),
    };
    unified.to_writer(&mut out).and_then(|()| out.flush())
}

/// A writer that passes text on a line at a time, the line's text (not its
/// ending) shown as [`terminal`] shows it.
struct EscapedLines<W: Write> {
    out: W,
    line: Vec<u8>,
}

impl<W: Write> EscapedLines<W> {
    fn emit(&mut self) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(&self.line);
        let body = text.trim_end_matches(['\r', '\n']);
        self.out.write_all(terminal(body).as_bytes())?;
        self.out.write_all(&text.as_bytes()[body.len()..])?;
        self.line.clear();
        Ok(())
    }
}

impl<W: Write> Write for EscapedLines<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for piece in bytes.split_inclusive(|&byte| byte == b'\n') {
            self.line.extend_from_slice(piece);
            if piece.ends_with(b"\n") {
                self.emit()?;
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            self.emit()?;
        }
        self.out.flush()
    }
}

// ------------------------------------------------------------ layout

/// What the layout needs of a parsed line: where its parts are, and what
/// kind of statement it holds.
#[derive(Clone, Copy)]
struct LayoutLine {
    span: Span,
    indent: u32,
    comment: Option<Span>,
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    Blank,
    Segment,
    /// A funnel or an objective.
    Block,
    /// A stage line: its id's width in characters and where its title is.
    Stage {
        id_width: u32,
        title: Span,
    },
    /// `aligns a, b`: its references, one comma and space apart.
    Aligns,
    Other,
}

impl LayoutLine {
    fn of(line: &Line) -> Self {
        let kind = match &line.statement {
            Statement::Blank => Kind::Blank,
            Statement::Segment { .. } => Kind::Segment,
            Statement::Funnel(_) | Statement::Objective(_) => Kind::Block,
            Statement::Stage(stage) => Kind::Stage {
                id_width: u32::try_from(stage.id.value.chars().count()).unwrap_or(u32::MAX),
                title: stage.title.span,
            },
            Statement::Aligns(_) => Kind::Aligns,
            _ => Kind::Other,
        };
        LayoutLine {
            span: line.span,
            // Spans are 32 bits, so an indentation inside a line is too.
            indent: u32::try_from(line.indent).unwrap_or(u32::MAX),
            comment: line.comment,
            kind,
        }
    }

    fn indent(&self) -> usize {
        self.indent as usize
    }
}

/// The formatted text as it is laid out. Lines are written as soon as they
/// are settled; two kinds wait: a blank line, until a line follows it (no
/// blank line ends the file), and the comments alone on top-level lines at
/// the end, since a blank line may still go above them (they lead the block
/// below them).
struct Output<'t> {
    out: String,
    eol: &'t str,
    /// Whether a line has been written.
    written: bool,
    /// Whether the last line written is blank.
    last_blank: bool,
    /// A blank line goes before the next line (never with `comments`).
    blank_due: bool,
    /// The top-level comment lines waiting, each with its line ending.
    comments: String,
}

impl<'t> Output<'t> {
    fn new(text: &'t str) -> Self {
        let mut out = String::with_capacity(text.len());
        out.push_str(bom(text));
        Output {
            out,
            eol: line_ending(text),
            written: false,
            last_blank: false,
            blank_due: false,
            comments: String::new(),
        }
    }

    fn write_blank(&mut self) {
        self.out.push_str(self.eol);
        self.written = true;
        self.last_blank = true;
    }

    fn write_comments(&mut self) {
        if !self.comments.is_empty() {
            self.out.push_str(&self.comments);
            self.comments.clear();
            self.written = true;
            self.last_blank = false;
        }
    }

    /// A blank line, unless it would start the text or follow another.
    fn blank(&mut self) {
        if !self.comments.is_empty() {
            self.write_comments();
            self.blank_due = true;
        } else if self.written && !self.last_blank {
            self.blank_due = true;
        }
    }

    /// A line: `depth` levels of indentation, then what `write` appends.
    fn line(&mut self, depth: usize, write: impl FnOnce(&mut String)) {
        if std::mem::take(&mut self.blank_due) {
            self.write_blank();
        }
        self.write_comments();
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
        write(&mut self.out);
        self.out.push_str(self.eol);
        self.written = true;
        self.last_blank = false;
    }

    /// A comment alone on a top-level line: it leads the block below it.
    fn top_comment(&mut self, comment: &str) {
        if std::mem::take(&mut self.blank_due) {
            self.write_blank();
        }
        self.comments.push_str(comment);
        self.comments.push_str(self.eol);
    }

    /// Puts a blank line above the comments that lead the block about to
    /// start, so the comments stay with their block.
    fn blank_before_leading_comments(&mut self) {
        if self.comments.is_empty() {
            self.blank();
        } else if self.written && !self.last_blank {
            self.write_blank();
        }
    }

    /// The text, with a final line ending when there is any text.
    fn finish(mut self) -> String {
        self.write_comments();
        self.out
    }
}

/// Lays the parsed lines out: indentation by depth, single spaces, blank lines.
fn layout(text: &str, lines: &[LayoutLine]) -> String {
    let columns = stage_columns(text, lines);
    let mut out = Output::new(text);
    let mut open: Vec<usize> = Vec::new();
    let mut previous_top: Option<TopKind> = None;
    for (number, line) in lines.iter().enumerate() {
        let comment = line
            .comment
            .map(|span| text[span.start()..span.end()].trim_end());
        if matches!(line.kind, Kind::Blank) {
            match comment {
                None => out.blank(),
                Some(comment) => {
                    let column = line
                        .comment
                        .map_or(0, |span| span.start() - line.span.start());
                    let depth = open.iter().filter(|&&indent| indent < column).count();
                    if depth == 0 {
                        out.top_comment(comment);
                    } else {
                        out.line(depth, |out| out.push_str(comment));
                    }
                }
            }
            continue;
        }
        while open.last().is_some_and(|&indent| indent >= line.indent()) {
            open.pop();
        }
        let depth = open.len();
        open.push(line.indent());
        if depth == 0 {
            let kind = top_kind(line.kind);
            if needs_blank_before(previous_top, kind) {
                out.blank_before_leading_comments();
            }
            previous_top = Some(kind);
        }
        let columns = columns.get(&number).copied();
        out.line(depth, |out| {
            statement_line(out, text, line, comment, columns);
        });
    }
    out.finish()
}

/// What a top-level line is, for the blank lines between blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TopKind {
    Header,
    Segment,
    Block,
}

fn top_kind(kind: Kind) -> TopKind {
    match kind {
        Kind::Segment => TopKind::Segment,
        Kind::Block => TopKind::Block,
        _ => TopKind::Header,
    }
}

/// A blank line goes before every funnel and objective, and before the
/// first segment after something else; segment lines in a row stay together.
fn needs_blank_before(previous: Option<TopKind>, kind: TopKind) -> bool {
    match (previous, kind) {
        (None, _) | (_, TopKind::Header) | (Some(TopKind::Segment), TopKind::Segment) => false,
        (Some(_), _) => true,
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
fn stage_columns(
    text: &str,
    lines: &[LayoutLine],
) -> std::collections::HashMap<usize, StageColumns> {
    let mut columns = std::collections::HashMap::new();
    let mut group: Vec<usize> = Vec::new();
    let mut widest = StageColumns { id: 0, title: 0 };
    let mut close = |group: &mut Vec<usize>, widest: &mut StageColumns| {
        for number in group.drain(..) {
            columns.insert(number, *widest);
        }
        *widest = StageColumns { id: 0, title: 0 };
    };
    for (number, line) in lines.iter().enumerate() {
        match line.kind {
            Kind::Stage { id_width, title } => {
                let title = &text[title.start()..title.end()];
                widest.id = widest.id.max(id_width as usize);
                widest.title = widest.title.max(title.chars().count());
                group.push(number);
            }
            Kind::Blank => {}
            _ if line.indent == 0 => close(&mut group, &mut widest),
            _ => {}
        }
    }
    close(&mut group, &mut widest);
    columns
}

/// A stage line in columns: `stage ID  "Title"  conversion 6.7%  value $12,000`,
/// the id and the title padded to the funnel's widest, attributes two spaces
/// apart; false (and nothing written) when the tokens are not a stage's.
fn stage_line(out: &mut String, tokens: &[&str], columns: StageColumns) -> bool {
    let [keyword, id, title, attributes @ ..] = tokens else {
        return false;
    };
    if !title.starts_with('"') {
        return false;
    }
    out.push_str(keyword);
    out.push(' ');
    out.push_str(id);
    pad(out, columns.id.saturating_sub(id.chars().count()) + 1);
    out.push_str(title);
    for (at, token) in attributes.iter().enumerate() {
        let starts_attribute = matches!(*token, "conversion" | "value");
        let gap = match (at, starts_attribute) {
            (0, _) => columns.title.saturating_sub(title.chars().count()) + 2,
            (_, true) => 2,
            (_, false) => 1,
        };
        pad(out, gap);
        out.push_str(token);
    }
    true
}

/// `aligns a/b ,c/d` is `aligns a/b, c/d`. References hold no commas or
/// spaces, so the tokens after the keyword split at commas are the references.
fn aligns_line(out: &mut String, tokens: &[&str]) {
    let Some((keyword, references)) = tokens.split_first() else {
        return;
    };
    out.push_str(keyword);
    let joined = references.concat();
    for (at, reference) in joined.split(',').enumerate() {
        out.push_str(if at == 0 { " " } else { ", " });
        out.push_str(reference);
    }
}

fn pad(out: &mut String, spaces: usize) {
    out.extend(std::iter::repeat_n(' ', spaces));
}

/// A statement line after its indentation: tokens with single spaces (stage
/// lines in columns), then the comment.
fn statement_line(
    out: &mut String,
    text: &str,
    line: &LayoutLine,
    comment: Option<&str>,
    columns: Option<StageColumns>,
) {
    // After the indentation as written: a tab is one byte however wide.
    let written = text.get(line.span.start()..line.span.end()).unwrap_or("");
    let start = line.span.start() + crate::syntax::indentation_len(written);
    let end = line
        .comment
        .map_or(line.span.end(), crate::span::Span::start);
    let statement = text.get(start..end.max(start)).unwrap_or("");
    let tokens = tokens(statement);
    if matches!(line.kind, Kind::Aligns) {
        aligns_line(out, &tokens);
    } else if !columns.is_some_and(|columns| stage_line(out, &tokens, columns)) {
        for (at, token) in tokens.iter().enumerate() {
            if at > 0 {
                out.push(' ');
            }
            out.push_str(token);
        }
    }
    if let Some(comment) = comment {
        out.push(' ');
        out.push_str(comment);
    }
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
            _ if comparison_len(bytes, at) > 0 => at += comparison_len(bytes, at),
            _ => {
                while at < bytes.len()
                    && !matches!(bytes[at], b' ' | b'\t' | b'"')
                    && comparison_len(bytes, at) == 0
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

/// `target<=5` is `target <= 5`: a comparison is a token of its own
/// (outside strings and comments, `<`, `>`, `<=` and `>=` mean nothing
/// else). Its length in bytes, or 0 when none starts at `at`.
fn comparison_len(bytes: &[u8], at: usize) -> usize {
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(b'<' | b'>'), Some(b'=')) => 2,
        (Some(b'<' | b'>'), _) => 1,
        _ => 0,
    }
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
    fn tabs_in_the_indentation_become_spaces() {
        let text = "period 2026\nteam a\nobjective o \"O\"\n\tkr k \"K\" target 5\n\t\t2026-08-01 3\n\t# note\n";
        assert_eq!(
            format(text).ok().as_deref(),
            Some("period 2026\nteam a\n\nobjective o \"O\"\n  kr k \"K\" target 5\n    2026-08-01 3\n  # note\n")
        );
        // A tab that leaves the nesting unclear is still refused.
        assert!(matches!(
            format("period 2026\nteam a\nobjective o \"O\"\n  kr k \"K\" target 5\n  \t  2026-08-01 3\n    2026-08-02 4\n"),
            Err(FormatError::Syntax(_))
        ));
    }

    #[test]
    fn empty_text_stays_empty() {
        assert_eq!(layout("", &[]), "");
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("\n\n# c\n\n"), "# c\n");
    }
}
