//! The fallback when a side does not parse: a plain three-way merge of
//! lines, as `git merge-file` does it (the `diffy` crate, so `okr
//! merge-file` needs no git), with git's markers and marker size.

use diffy::{ConflictStyle, IncompleteHunkStyle, MergeOptions};

/// The line merge of `ours` and `theirs` against `base`, and the one-based
/// lines where it marked a conflict.
pub(super) fn merge(
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
    marker: usize,
) -> (Vec<u8>, Vec<usize>) {
    let mut options = MergeOptions::new();
    options
        .set_conflict_style(ConflictStyle::Merge)
        .set_incomplete_hunk_style(IncompleteHunkStyle::Git)
        .set_conflict_marker_length(marker);
    match options.merge_bytes(base, ours, theirs) {
        Ok(merged) => (merged, Vec::new()),
        Err(marked) => {
            let open = format!("{} ", "<".repeat(marker));
            let mut conflicts: Vec<usize> = marked
                .split(|&byte| byte == b'\n')
                .enumerate()
                .filter(|(_, line)| line.starts_with(open.as_bytes()))
                .map(|(index, _)| index + 1)
                .collect();
            if conflicts.is_empty() {
                conflicts.push(1);
            }
            (marked, conflicts)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_lines_and_marks_what_both_changed() {
        let (clean, none) = merge(b"a\nb\nc\n", b"A\nb\nc\n", b"a\nb\nC\n", 7);
        assert_eq!((clean.as_slice(), none), (&b"A\nb\nC\n"[..], vec![]));
        let (marked, one) = merge(b"a\n", b"b\n", b"c\n", 3);
        assert_eq!(
            (String::from_utf8_lossy(&marked).as_ref(), one),
            ("<<< ours\nb\n===\nc\n>>> theirs\n", vec![1])
        );
    }
}
