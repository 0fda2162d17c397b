//! Three-way merge of goal files (`okr git merge-driver`, `okr merge-file`):
//! takes the base and two sides of one file, gives the merged file and its
//! conflicts.
//!
//! The merge reads each side as a tree of entities keyed by
//! `objective.kr` and check-in date ([`tree`]), keeps each side's own bytes
//! for what that side changed ([`plan`]), and marks a conflict around the
//! one entity both sides changed differently ([`conflict`]). A side that
//! does not parse is merged line by line instead, as `git merge-file` would
//! ([`text`]).

mod conflict;
pub mod files;
mod plan;
mod text;
mod tree;

pub use conflict::Conflict;

use crate::diagnostic::Code;
use crate::model::build::Builder;
use crate::syntax::LineMemo;
use std::fmt;

/// The conflict marker size git uses when it names none.
pub const DEFAULT_MARKER_SIZE: usize = 7;

/// The longest conflict marker written: a size from a `conflict-marker-size`
/// attribute is the user's, and a billion `<` would only exhaust memory.
const MAX_MARKER_SIZE: usize = 1_000;

/// One of the three versions merged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The common ancestor (git's `%O`).
    Base,
    /// The version merged into (`%A`, the current branch).
    Ours,
    /// The version merged in (`%B`).
    Theirs,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Base => "the base",
            Side::Ours => "ours",
            Side::Theirs => "theirs",
        })
    }
}

/// Why the merge was made line by line rather than entity by entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// A side is not UTF-8 text.
    NotText(Side),
    /// A side has a syntax error (the first one).
    Syntax {
        /// The side that does not parse.
        side: Side,
        /// One-based line of its first syntax error.
        line: usize,
        /// That error's message.
        message: String,
    },
    /// The merged goals would not parse (a side's misplaced or unevenly
    /// indented line, carried over, or a fault of the merge): never written
    /// (the line merge is).
    Unparsed {
        /// One-based line of the first error in the merged goals.
        line: usize,
        /// That error's message.
        message: String,
    },
}

impl fmt::Display for Fallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fallback::NotText(side) => write!(f, "{side} is not UTF-8 text"),
            Fallback::Syntax {
                side,
                line,
                message,
            } => write!(f, "{side} does not parse (line {line}: {message})"),
            Fallback::Unparsed { line, message } => write!(
                f,
                "the merged goals would not parse (line {line}: {message})"
            ),
        }?;
        f.write_str("; merged line by line, as `git merge-file` does")
    }
}

/// The merged file.
#[derive(Clone, Debug)]
pub struct Merged {
    /// Its bytes, with conflict markers where [`Merged::conflicts`] say.
    pub bytes: Vec<u8>,
    /// What both sides changed differently, in file order; none when clean.
    pub conflicts: Vec<Conflict>,
    /// Why it was merged as lines of text, when it was.
    pub fallback: Option<Fallback>,
}

impl Merged {
    /// Whether the merge needs no one to resolve anything.
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// Merges `ours` and `theirs`, two versions of one goal file changed from
/// `base`, marking conflicts with `marker` characters (git's `%L`; 0 means
/// the default, and more than 1,000 is 1,000).
pub fn merge(base: &[u8], ours: &[u8], theirs: &[u8], marker: usize) -> Merged {
    let marker = match marker {
        0 => DEFAULT_MARKER_SIZE,
        size => size.min(MAX_MARKER_SIZE),
    };
    match semantic(base, ours, theirs, marker) {
        Ok(merged) => merged,
        Err(fallback) => {
            let (bytes, lines) = text::merge(base, ours, theirs, marker);
            let conflicts = lines
                .into_iter()
                .map(|line| Conflict {
                    line,
                    reason: "both sides changed these lines".to_string(),
                })
                .collect();
            Merged {
                bytes,
                conflicts,
                fallback: Some(fallback),
            }
        }
    }
}

/// The merge entity by entity, or why it cannot be made.
fn semantic(base: &[u8], ours: &[u8], theirs: &[u8], marker: usize) -> Result<Merged, Fallback> {
    let texts = [
        (Side::Base, base),
        (Side::Ours, ours),
        (Side::Theirs, theirs),
    ]
    .map(|(side, bytes)| std::str::from_utf8(bytes).map_err(|_| Fallback::NotText(side)));
    let [base, ours, theirs] = texts;
    let (base, ours, theirs) = (base?, ours?, theirs?);
    // The three versions share most lines: each is parsed once.
    let mut memo = LineMemo::default();
    let base_tree = readable(Side::Base, base, &mut memo)?;
    let ours_tree = readable(Side::Ours, ours, &mut memo)?;
    let theirs_tree = readable(Side::Theirs, theirs, &mut memo)?;
    let (text, conflicts) = plan::Merge::run(&base_tree, &ours_tree, &theirs_tree, marker);
    // Conflict markers never parse; a clean merge always must.
    if conflicts.is_empty() {
        if let Some((line, message)) = first_error(&text, memo) {
            return Err(Fallback::Unparsed { line, message });
        }
    }
    Ok(Merged {
        bytes: text.into_bytes(),
        conflicts,
        fallback: None,
    })
}

/// `text` as a tree of entities, or the syntax error that stops it. Its
/// structure is not checked here: the merged file's is, and a side's wrong
/// structure would be there too.
fn readable<'t>(
    side: Side,
    text: &'t str,
    memo: &mut LineMemo<'t>,
) -> Result<tree::Tree<'t>, Fallback> {
    let mut tree = tree::TreeBuilder::new(text);
    let errors = crate::syntax::parse_with(0, text, Some(memo), |line| tree.push(&line));
    if let Some((line, message)) = first(text, errors) {
        return Err(Fallback::Syntax {
            side,
            line,
            message,
        });
    }
    Ok(tree.finish())
}

/// The first syntax or structure error of the merged `text`, read with the
/// memo of its sides. The goals are built an objective at a time and
/// dropped: only their errors matter here.
fn first_error<'t>(text: &'t str, mut memo: LineMemo<'t>) -> Option<(usize, String)> {
    let mut goals = Builder::new(0, text);
    let mut errors = crate::syntax::parse_with(0, text, Some(&mut memo), |line| {
        goals.push(line);
        goals.take_finished_objectives().for_each(drop);
    });
    errors.extend(goals.finish().1);
    first(text, errors)
}

/// The first of `errors` that is a syntax or structure error: its one-based
/// line in `text` and its message.
fn first(text: &str, errors: Vec<crate::diagnostic::Diagnostic>) -> Option<(usize, String)> {
    let error = errors
        .into_iter()
        .filter(|error| error.code == Code::Syntax)
        .min_by_key(|error| error.span.start())?;
    let before = text.get(..error.span.start()).unwrap_or(text);
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    Some((line, error.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str =
        "period 2026-Q3\nteam m\nobjective o \"O\"\n  kr k \"K\" target 5\n    2026-07-06 1\n";

    #[test]
    fn a_side_that_is_not_text_is_merged_as_lines() {
        let mut latin1 = BASE.as_bytes().to_vec();
        latin1.extend(b"# caf\xe9\n");
        let merged = merge(BASE.as_bytes(), BASE.as_bytes(), &latin1, 7);
        assert_eq!(merged.fallback, Some(Fallback::NotText(Side::Theirs)));
        assert_eq!(merged.bytes, latin1);
        assert!(merged.is_clean());
    }

    #[test]
    fn marker_sizes_are_bounded() {
        let ours = BASE.replace("2026-07-06 1", "2026-07-06 2");
        let theirs = BASE.replace("2026-07-06 1", "2026-07-06 3");
        let marked = |size| {
            let merged = merge(BASE.as_bytes(), ours.as_bytes(), theirs.as_bytes(), size);
            assert_eq!(merged.conflicts.len(), 1);
            let text = String::from_utf8(merged.bytes).unwrap();
            text.lines()
                .find(|line| line.starts_with('<'))
                .map_or(0, |line| line.len() - " ours".len())
        };
        assert_eq!(marked(0), DEFAULT_MARKER_SIZE);
        assert_eq!(marked(12), 12);
        assert_eq!(marked(usize::MAX), MAX_MARKER_SIZE);
    }
}
