//! Source files as read from disk, with the line index that turns byte offsets
//! into the line and column numbers people and editors use.

use crate::span::Span;

/// Index of a file in the workspace's file list.
pub type FileId = usize;

/// One file's text and where its lines start.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it or as the walk found it, for display.
    pub path: String,
    pub text: String,
    /// Built on first use: only files with something to show need it.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: String, text: String) -> Self {
        SourceFile {
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts
            .get_or_init(|| std::iter::once(0).chain(line_ends(&self.text)).collect())
    }

    /// Zero-based line number holding `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// The byte range of zero-based line `line`, without its line ending.
    pub fn line_range(&self, line: usize) -> Span {
        self.line_span(self.line_starts()[line.min(self.line_starts().len() - 1)])
    }

    /// One-based line and column (in characters) of `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let start = self.line_starts()[line];
        let column = self.text[start..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// The byte range of the line holding `offset`, without its line ending.
    pub fn line_span(&self, offset: usize) -> Span {
        let line = self.line_index(self.clamp(offset));
        let start = self.line_starts()[line];
        let end = self
            .line_starts()
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Span::new(start, end)
    }

    /// `offset` moved back onto a character boundary inside the text.
    pub fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

fn line_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, byte)| byte == b'\n')
        .map(|(index, _)| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("x".into(), "ab\r\n€d\nlast".into());
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(4), (2, 1));
        assert_eq!(file.line_col(7), (2, 2));
        assert_eq!(file.line_col(9), (3, 1));
        assert_eq!(file.line_span(1), Span::new(0, 2));
        assert_eq!(file.line_span(9), Span::new(9, 13));
    }
}
