//! Git LFS pointers: a `*.okr` file tracked by Git LFS whose content was
//! never fetched holds a small pointer instead of its goals. Read as goals it
//! would be "missing `period`" (or no goals at all); both `okr check` and the
//! history commands say what it really is.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::span::Span;

/// What a pointer's first line says (`hawser` is the name of LFS's first
/// releases, whose pointers git-lfs still reads).
const POINTER_STARTS: [&[u8]; 2] = [
    b"version https://git-lfs.github.com/spec/v1",
    b"version https://hawser.github.com/spec/v1",
];

/// Why a pointer has no goals, and what to do.
pub const POINTER: &str =
    "this file is a Git LFS pointer, not goals: its content is stored in Git LFS and was not fetched; run `git lfs pull`";

/// Whether `bytes` are a Git LFS pointer rather than a file's content.
pub fn is_pointer(bytes: &[u8]) -> bool {
    POINTER_STARTS.iter().any(|start| bytes.starts_with(start))
}

/// The one diagnostic `okr check` gives a pointer, or none for real content.
pub fn pointer_diagnostic(file: FileId, bytes: &[u8]) -> Option<Diagnostic> {
    is_pointer(bytes).then(|| {
        Diagnostic::new(Code::Syntax, file, Span::new(0, 0), POINTER)
            .label("Git LFS pointer")
            .help(
                "run `git lfs pull` (with Git LFS installed: `git lfs install`) to fetch the goals",
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_is_known_by_its_first_line() {
        let pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n";
        assert!(is_pointer(pointer));
        assert!(pointer_diagnostic(0, pointer).is_some());
        assert!(!is_pointer(b"period 2026-Q3\nteam a\n"));
        assert!(!is_pointer(
            b"# version https://git-lfs.github.com/spec/v1\n"
        ));
    }
}
