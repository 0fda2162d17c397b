//! miette's graphical report: the snippet, a label at the exact text, and help.

use super::Summary;
use crate::diagnostic::{Diagnostic, Severity};
use crate::escape::{mask_hidden, terminal, terminal_lines};
use crate::source::SourceFile;
use crate::workspace::Workspace;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use rayon::prelude::*;
use std::fmt;
use std::sync::OnceLock;

/// How the terminal takes output.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Whether to colour the output.
    pub color: bool,
    /// The width to wrap at, in columns.
    pub width: usize,
}

pub(super) fn render(workspace: &Workspace, diagnostics: &[Diagnostic], style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(style.width)
        // Wrapping at spaces, not by Unicode's line-breaking rules: those
        // were most of the cost of a report with many diagnostics.
        .with_word_separator(textwrap::WordSeparator::AsciiSpace);
    // Each file's shown text is made once, however many diagnostics it has:
    // made per diagnostic, a large file's cost grew with their number.
    let sources = Sources {
        workspace,
        shown: workspace.files.iter().map(|_| OnceLock::new()).collect(),
    };
    // Laying out text (line breaking, wrapping) is most of the cost: reports
    // are rendered in parallel, then joined in order.
    let reports: Vec<String> = diagnostics
        .par_iter()
        .map(|diagnostic| {
            let mut out = String::new();
            let report = Report::new(&sources, diagnostic);
            if handler.render_report(&mut out, &report).is_err() {
                out = format!(
                    "{}: {}\n",
                    diagnostic.code,
                    terminal_lines(&diagnostic.message)
                );
            }
            out.push('\n');
            out
        })
        .collect();
    let mut out = reports.concat();
    out.push_str(&summary_line(&Summary::of(workspace, diagnostics)));
    out.push('\n');
    out
}

fn summary_line(summary: &Summary) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let files = plural(summary.files, "file", "files");
    if summary.errors + summary.warnings + summary.advice == 0 {
        return format!("checked {files}: no problems");
    }
    format!(
        "checked {files}: {}, {}, {}",
        plural(summary.errors, "error", "errors"),
        plural(summary.warnings, "warning", "warnings"),
        plural(summary.advice, "advice", "advice"),
    )
}

/// A diagnostic as miette sees it. Related spans in the same file become
/// extra labels; those in other files become related reports.
struct Report<'s, 'w> {
    diagnostic: &'w Diagnostic,
    source: &'s Source<'w>,
    labels: Vec<LabeledSpan>,
    others: Vec<Report<'s, 'w>>,
    severity: miette::Severity,
    /// False for a "see also" report of a span in another file.
    main: bool,
    /// What a "see also" report says.
    note: String,
}

impl<'s, 'w> Report<'s, 'w> {
    fn new(sources: &'s Sources<'w>, diagnostic: &'w Diagnostic) -> Self {
        let workspace = sources.workspace;
        let file = &workspace.files[diagnostic.file];
        let label =
            (!diagnostic.label.is_empty()).then(|| terminal(&diagnostic.label).into_owned());
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            label,
            clamp(file, diagnostic.span),
        )];
        let mut others = Vec::new();
        for related in &diagnostic.related {
            let related_file = &workspace.files[related.file];
            let span = clamp(related_file, related.span);
            if related.file == diagnostic.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(terminal(&related.label).into_owned()),
                    span,
                ));
            } else {
                others.push(Report {
                    diagnostic,
                    source: sources.get(related.file),
                    labels: vec![LabeledSpan::new_primary_with_span(
                        Some("here".into()),
                        span,
                    )],
                    others: Vec::new(),
                    severity: miette::Severity::Advice,
                    main: false,
                    note: terminal_lines(&related.label).into_owned(),
                });
            }
        }
        let severity = match diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        };
        Report {
            diagnostic,
            source: sources.get(diagnostic.file),
            labels,
            others,
            severity,
            main: true,
            note: String::new(),
        }
    }
}

fn clamp(file: &SourceFile, span: crate::span::Span) -> SourceSpan {
    let start = file.clamp(span.start());
    let end = file.clamp(span.end().max(start));
    (start, end - start).into()
}

impl fmt::Debug for Report<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&terminal_lines(&self.diagnostic.message))
    }
}

impl fmt::Display for Report<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.main {
            f.write_str(&terminal_lines(&self.diagnostic.message))
        } else {
            f.write_str(&self.note)
        }
    }
}

impl std::error::Error for Report<'_, '_> {}

impl miette::Diagnostic for Report<'_, '_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.main
            .then(|| Box::new(self.diagnostic.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self.diagnostic.help.as_ref().filter(|_| self.main)?;
        Some(Box::new(terminal_lines(help)))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.others.is_empty() {
            return None;
        }
        Some(Box::new(
            self.others
                .iter()
                .map(|other| other as &dyn miette::Diagnostic),
        ))
    }
}

/// Every file's [`Source`], made when a diagnostic first needs it.
struct Sources<'w> {
    workspace: &'w Workspace,
    shown: Vec<OnceLock<Source<'w>>>,
}

impl<'w> Sources<'w> {
    fn get(&self, file: usize) -> &Source<'w> {
        self.shown[file].get_or_init(|| Source::new(&self.workspace.files[file]))
    }
}

/// A file as miette reads it: lines found through the file's line index, and
/// very long lines cut to a window around the span so a 5 MB line prints short.
struct Source<'w> {
    file: &'w SourceFile,
    /// The text as shown: control characters (which a terminal could take as
    /// commands) replaced byte for byte, so every offset stays the same.
    shown: std::borrow::Cow<'w, str>,
    /// The file name as shown: a newline or an escape in it made visible.
    name: String,
}

impl<'w> Source<'w> {
    fn new(file: &'w SourceFile) -> Self {
        Source {
            file,
            shown: mask_hidden(&file.text),
            name: terminal(&file.path).into_owned(),
        }
    }
}

/// Lines longer than this are shown as a window around the span.
const LONG_LINE: usize = 400;
const WINDOW: usize = 60;

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = self.file;
        let text = &*self.shown;
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = file.line_index(start);
        let last_line = file.line_index(end.saturating_sub(1).max(start));
        let from = first_line.saturating_sub(context_lines_before);
        let to = (last_line + context_lines_after).min(file.line_count() - 1);
        let long = (from..=to).any(|line| file.line_range(line).len() > LONG_LINE);
        let name = self.name.clone();
        if long {
            let line = file.line_range(first_line);
            let window_start = file.clamp(start.saturating_sub(WINDOW).max(line.start()));
            let window_end = file.clamp((end + WINDOW).min(line.end()).max(window_start));
            let data = &text.as_bytes()[window_start..window_end];
            return Ok(Box::new(MietteSpanContents::new_named(
                name,
                data,
                (window_start, data.len()).into(),
                first_line,
                window_start - line.start(),
                file.line_count(),
            )));
        }
        let data_start = if context_lines_before == 0 {
            start
        } else {
            file.line_range(from).start()
        };
        let data_end = file.line_range(to).end().max(end);
        let column = if context_lines_before == 0 {
            start - file.line_range(first_line).start()
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            name,
            &text.as_bytes()[data_start..data_end],
            (data_start, data_end - data_start).into(),
            if context_lines_before == 0 {
                first_line
            } else {
                from
            },
            column,
            file.line_count(),
        )))
    }
}
