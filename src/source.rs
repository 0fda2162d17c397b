//! Source files as read from disk, with the line index that turns byte offsets
//! into the line and column numbers people and editors use.

use crate::span::Span;
use std::path::{Path, PathBuf};

/// Index of a file in the workspace's file list.
pub type FileId = usize;

/// One file's text and where its lines start.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it or as the walk found it, for display
    /// (escaped by [`display_path`] when read from disk).
    pub path: String,
    /// The whole text, as read (valid UTF-8).
    pub text: String,
    /// The path's real bytes, when the file was read from disk: what a
    /// rewrite must write to, since `path` may be escaped.
    disk: Option<PathBuf>,
    /// Built on first use: only files with something to show need it.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// A file not read from disk (standard input, tests, git blobs): `path` is shown as is.
    pub fn new(path: String, text: String) -> Self {
        SourceFile {
            path,
            text,
            disk: None,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// A file read from `path` on disk: shown as [`display_path`] shows it,
    /// written back to `path` itself.
    pub fn on_disk(path: &Path, text: String) -> Self {
        SourceFile {
            disk: Some(path.to_path_buf()),
            ..SourceFile::new(display_path(path), text)
        }
    }

    /// Where the file is on disk: the path it was read from, or `path`.
    pub fn disk_path(&self) -> &Path {
        self.disk.as_deref().unwrap_or(Path::new(&self.path))
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

    /// How many lines [`line_index`](Self::line_index) can return: one more than the newlines.
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

/// A path as people read it, and safe to print: `goals/marketing.okr`, not
/// `./goals/marketing.okr`. A byte that is not UTF-8 is shown as `\xff`, a
/// control character (or a bidirectional override, which reorders what
/// follows it) as the terminal escaper shows it (`\u{1b}`, `\n`), and a backslash as `\\`, so no
/// name can drive the terminal and two names never look alike.
pub fn display_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let path = path.strip_prefix(".").unwrap_or(path);
    display_bytes(path.as_os_str().as_bytes())
}

/// A name's bytes as text that shows every byte and runs none: bytes that
/// are not UTF-8 as `\xNN`, control and bidirectional characters as
/// [`crate::escape::terminal`] shows them, and a backslash doubled so an escape cannot be forged.
pub fn display_bytes(bytes: &[u8]) -> String {
    let mut shown = String::new();
    for chunk in bytes.utf8_chunks() {
        let text = chunk.valid().replace('\\', "\\\\");
        shown.push_str(&crate::escape::terminal(&text));
        for byte in chunk.invalid() {
            shown.push_str(&format!("\\x{byte:02x}"));
        }
    }
    shown
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

    #[test]
    fn paths_are_shown_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let shown = |bytes: &[u8]| display_path(Path::new(std::ffi::OsStr::from_bytes(bytes)));
        assert_eq!(shown(b"./goals/x\xff.okr"), "goals/x\\xff.okr");
        assert_eq!(shown(b"a\x1b[2Jb\n.okr"), "a\\u{1b}[2Jb\\n.okr");
        assert_eq!(shown("c\u{85}\\d.okr".as_bytes()), "c\\u{85}\\\\d.okr");
        assert_eq!(shown("équipe.okr".as_bytes()), "équipe.okr");
        assert_eq!(shown("x\u{202e}.okr".as_bytes()), "x\\u{202e}.okr");
    }
}
