//! The one module that speaks `lsp-types` (pinned, since its types change
//! between minor versions): our byte spans and diagnostics turned into LSP
//! positions, ranges and diagnostics, and back.
//!
//! Positions count UTF-16 code units by default, as LSP says; a client that
//! offers `utf-8` in `general.positionEncodings` gets byte columns instead,
//! which cost nothing to convert.

pub(crate) use lsp_types as types;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::span::Span;
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, PositionEncodingKind, Range, Url,
};
use std::path::{Path, PathBuf};

/// How the client counts columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units, LSP's default.
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16 (which every client reads).
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offers_utf8 = offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8));
        if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    /// The kind the `initialize` result announces.
    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, text: &str) -> usize {
        match self {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 => text.encode_utf16().count(),
        }
    }
}

/// The LSP position of byte `offset` in `file` (clamped into the text).
pub(crate) fn position(file: &SourceFile, offset: usize, encoding: Encoding) -> Position {
    let offset = file.clamp(offset);
    let line = file.line_index(offset);
    let start = file.line_range(line).start();
    let column = encoding.width(&file.text[start..offset]);
    Position::new(saturate(line), saturate(column))
}

/// The LSP range of `span` in `file`.
pub(crate) fn range(file: &SourceFile, span: Span, encoding: Encoding) -> Range {
    Range::new(
        position(file, span.start(), encoding),
        position(file, span.end(), encoding),
    )
}

/// The byte offset of an LSP position: a line past the end is the end of
/// the text, a column past the end of its line the end of that line, and a
/// column inside a character the start of it; never out of bounds.
pub(crate) fn offset(file: &SourceFile, at: Position, encoding: Encoding) -> usize {
    let line = usize::try_from(at.line).unwrap_or(usize::MAX);
    if line >= file.line_count() {
        return file.text.len();
    }
    let span = file.line_range(line);
    let wanted = usize::try_from(at.character).unwrap_or(usize::MAX);
    let mut counted = 0;
    for (index, character) in file.text[span.start()..span.end()].char_indices() {
        let width = match encoding {
            Encoding::Utf8 => character.len_utf8(),
            Encoding::Utf16 => character.len_utf16(),
        };
        if counted + width > wanted {
            return span.start() + index;
        }
        counted += width;
    }
    span.end()
}

/// The byte span of an LSP range.
pub(crate) fn span(file: &SourceFile, range: Range, encoding: Encoding) -> Span {
    let start = offset(file, range.start, encoding);
    let end = offset(file, range.end, encoding).max(start);
    Span::new(start, end)
}

/// `text` with `range` replaced by `new`: an incremental change. A range
/// past the end is clamped like any position.
pub(crate) fn replace(text: String, range: Range, new: &str, encoding: Encoding) -> String {
    let file = SourceFile::new(String::new(), text);
    let span = span(&file, range, encoding);
    let mut text = file.text;
    text.replace_range(span.start()..span.end(), new);
    text
}

fn saturate(count: usize) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// The `file://` URL of a path (made absolute first).
pub(crate) fn url(path: &Path) -> Option<Url> {
    Url::from_file_path(std::path::absolute(path).ok()?).ok()
}

/// The path of a `file://` URL; other schemes have none.
pub(crate) fn path(url: &Url) -> Option<PathBuf> {
    if url.scheme() != "file" {
        return None;
    }
    url.to_file_path().ok()
}

/// Where the `okr explain` pages are published: `BASE/CODE.md` (the
/// layout of `docs/diagnostics/`). `None`: diagnostics carry no link.
#[derive(Clone, Debug, Default)]
pub(crate) struct ExplainLinks {
    base: Option<String>,
}

impl ExplainLinks {
    /// Links under `base` (the client's `explainBaseUrl`), or under the
    /// package's repository when it names one.
    pub(crate) fn new(base: Option<String>) -> ExplainLinks {
        let repository = env!("CARGO_PKG_REPOSITORY");
        let base = base.or_else(|| {
            (!repository.is_empty()).then(|| format!("{repository}/blob/main/docs/diagnostics"))
        });
        ExplainLinks {
            base: base.map(|base| base.trim_end_matches('/').to_string()),
        }
    }

    fn of(&self, name: &str) -> Option<CodeDescription> {
        let href = Url::parse(&format!("{}/{name}.md", self.base.as_ref()?)).ok()?;
        Some(CodeDescription { href })
    }
}

/// Everything a conversion reads: the files (for positions and their
/// URLs), the encoding and the links.
pub(crate) struct Converter<'a> {
    /// The files, by id.
    pub(crate) files: &'a [SourceFile],
    /// Each file's URL, by id.
    pub(crate) urls: &'a [Option<Url>],
    /// How columns are counted.
    pub(crate) encoding: Encoding,
    /// Where codes are explained.
    pub(crate) links: &'a ExplainLinks,
}

impl Converter<'_> {
    /// `diagnostic` as LSP shows it: the same code, message and range as
    /// `okr check --format json`; its related places (each in its own
    /// file) and its help as related information.
    pub(crate) fn diagnostic(&self, diagnostic: &Diagnostic) -> Option<lsp_types::Diagnostic> {
        let file = self.files.get(diagnostic.file)?;
        let here = self.location(diagnostic.file, diagnostic.span)?;
        let mut related: Vec<DiagnosticRelatedInformation> = diagnostic
            .related
            .iter()
            .filter_map(|related| {
                Some(DiagnosticRelatedInformation {
                    location: self.location(related.file, related.span)?,
                    message: related.label.clone(),
                })
            })
            .collect();
        if let Some(help) = &diagnostic.help {
            related.push(DiagnosticRelatedInformation {
                location: here,
                message: format!("help: {help}"),
            });
        }
        Some(lsp_types::Diagnostic {
            range: range(file, diagnostic.span, self.encoding),
            severity: Some(match diagnostic.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Advice => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(diagnostic.code.to_string())),
            code_description: self.links.of(diagnostic.code.name()),
            source: Some("okr".into()),
            message: diagnostic.message.clone(),
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        })
    }

    /// The location of `span` in file `file`.
    pub(crate) fn location(&self, file: usize, span: Span) -> Option<Location> {
        Some(Location {
            uri: self.urls.get(file)?.clone()?,
            range: range(self.files.get(file)?, span, self.encoding),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_changes_replace_their_range() {
        let at = |line, character| Position::new(line, character);
        let text = "a€𝄞b\nz\n".to_string();
        let text = replace(text, Range::new(at(0, 4), at(0, 5)), "B", Encoding::Utf16);
        assert_eq!(text, "a€𝄞B\nz\n");
        let text = replace(text, Range::new(at(1, 0), at(9, 9)), "y\n", Encoding::Utf8);
        assert_eq!(text, "a€𝄞B\ny\n");
    }

    #[test]
    fn columns_count_utf16_units_or_bytes() {
        let file = SourceFile::new("x".into(), "a€𝄞b\r\nz".into());
        let b = "a€𝄞".len();
        assert_eq!(position(&file, b, Encoding::Utf16), Position::new(0, 4));
        assert_eq!(position(&file, b, Encoding::Utf8), Position::new(0, 8));
        assert_eq!(offset(&file, Position::new(0, 4), Encoding::Utf16), b);
        // Inside the surrogate pair: the start of the character.
        assert_eq!(offset(&file, Position::new(0, 3), Encoding::Utf16), 4);
        // Past the end of a line, and past the last line.
        assert_eq!(offset(&file, Position::new(0, 99), Encoding::Utf16), b + 1);
        assert_eq!(
            offset(&file, Position::new(9, 0), Encoding::Utf8),
            file.text.len()
        );
        assert_eq!(position(&file, 999, Encoding::Utf16), Position::new(1, 1));
    }
}
