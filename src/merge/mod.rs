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

use std::fmt;

/// The conflict marker size git uses when it names none.
pub const DEFAULT_MARKER_SIZE: usize = 7;

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
    /// The merged goals did not parse: a fault of the merge, never shown
    /// as a merge (the line merge is).
    Unparsed,
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
            Fallback::Unparsed => {
                f.write_str("the merged goals did not parse (please report this)")
            }
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
/// `base`, marking conflicts with `marker` characters (git's `%L`).
pub fn merge(base: &[u8], ours: &[u8], theirs: &[u8], marker: usize) -> Merged {
    let marker = if marker == 0 {
        DEFAULT_MARKER_SIZE
    } else {
        marker
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
    let parsed = [
        (Side::Base, base),
        (Side::Ours, ours),
        (Side::Theirs, theirs),
    ]
    .map(|(side, text)| readable(side, text));
    let [base_tree, ours_tree, theirs_tree] = parsed;
    let (base_tree, ours_tree, theirs_tree) = (base_tree?, ours_tree?, theirs_tree?);
    let (text, conflicts) = plan::Merge::run(&base_tree, &ours_tree, &theirs_tree, marker);
    // Conflict markers never parse; a clean merge always must.
    if conflicts.is_empty() && crate::edit::parse(&text).has_syntax_errors() {
        return Err(Fallback::Unparsed);
    }
    Ok(Merged {
        bytes: text.into_bytes(),
        conflicts,
        fallback: None,
    })
}

/// `text` as a tree of entities, or the syntax error that stops it.
fn readable(side: Side, text: &str) -> Result<tree::Tree<'_>, Fallback> {
    let parsed = crate::edit::parse(text);
    if let Some(error) = parsed
        .errors
        .iter()
        .find(|error| error.code == crate::diagnostic::Code::Syntax)
    {
        let before = text.get(..error.span.start()).unwrap_or(text);
        let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
        return Err(Fallback::Syntax {
            side,
            line,
            message: error.message.clone(),
        });
    }
    let team = parsed.goals.team_id().map(str::to_string);
    Ok(tree::Tree::new(text, &parsed.lines, team))
}
