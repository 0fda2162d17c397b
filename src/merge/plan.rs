//! The three-way merge of two trees of entities against their base: an
//! entity one side left as the base had it takes the other side's version,
//! byte for byte; where both changed it, its own line and its children are
//! merged apart, so both sides' new check-ins under one KR land together,
//! in date order; what cannot be decided is a conflict around that entity
//! only.

use super::conflict::{describe, markers, Conflict, Disagreement};
use super::tree::{Kind, Tree};
use std::borrow::Cow;
use std::ops::Range;

/// One entity as each side has it (node indices in each tree).
#[derive(Clone, Copy, Debug)]
struct Entry {
    base: Option<usize>,
    ours: Option<usize>,
    theirs: Option<usize>,
}

/// The merged text as it is written, and its conflicts.
pub(super) struct Merge<'a, 't> {
    base: &'a Tree<'t>,
    ours: &'a Tree<'t>,
    theirs: &'a Tree<'t>,
    /// Ours' line ending: the merged file keeps it.
    eol: &'static str,
    /// Theirs' line ending, converted where their lines are taken.
    their_eol: &'static str,
    marker: usize,
    text: String,
    conflicts: Vec<Conflict>,
    /// The entities around the one being merged, outermost first.
    path: Vec<Kind>,
}

impl<'a, 't> Merge<'a, 't> {
    /// Merges `ours` and `theirs` against `base`: the merged text and its
    /// conflicts, each marked with `marker` characters.
    pub(super) fn run(
        base: &'a Tree<'t>,
        ours: &'a Tree<'t>,
        theirs: &'a Tree<'t>,
        marker: usize,
    ) -> (String, Vec<Conflict>) {
        let their_eol = crate::edit::line_ending(theirs.text);
        // A side that changed nothing takes the other's line ending with its text.
        let eol = if ours.text == base.text {
            their_eol
        } else {
            crate::edit::line_ending(ours.text)
        };
        let mut merge = Merge {
            base,
            ours,
            theirs,
            eol,
            their_eol,
            marker,
            text: String::with_capacity(ours.text.len() + theirs.text.len() / 8),
            conflicts: Vec::new(),
            path: Vec::new(),
        };
        merge.both(Some(0), 0, 0, 0);
        (merge.text, merge.conflicts)
    }

    /// One entity, wherever each side has it; `shift` is how much deeper
    /// ours indents what theirs writes at this level.
    fn entity(&mut self, entry: Entry, shift: isize) {
        match entry {
            Entry {
                ours: Some(ours),
                theirs: Some(theirs),
                base,
            } => self.both(base, ours, theirs, shift),
            Entry {
                base: None,
                ours: Some(ours),
                theirs: None,
            } => self.write(self.ours.whole(ours)),
            Entry {
                base: None,
                ours: None,
                theirs: Some(theirs),
            } => self.write_theirs(self.theirs.nodes[theirs].whole(), shift),
            Entry {
                base: Some(base),
                ours: Some(ours),
                theirs: None,
            } => {
                if self.base.whole(base) != self.ours.whole(ours) {
                    self.deleted(false, base, ours, Cow::Borrowed(""));
                }
            }
            Entry {
                base: Some(base),
                ours: None,
                theirs: Some(theirs),
            } => {
                if self.base.whole(base) != self.theirs.whole(theirs) {
                    let theirs_text = self.theirs_text(self.theirs.nodes[theirs].whole(), shift);
                    self.deleted(true, base, theirs, theirs_text);
                }
            }
            Entry {
                ours: None,
                theirs: None,
                ..
            } => {}
        }
    }

    /// An entity both sides have: taken whole when one side left it as it
    /// was, else its own line and then its children merged.
    fn both(&mut self, base: Option<usize>, ours: usize, theirs: usize, shift: isize) {
        let ours_whole = self.ours.whole(ours);
        let theirs_whole = self.theirs.whole(theirs);
        let base_whole = base.map(|base| self.base.whole(base));
        if ours_whole == theirs_whole || base_whole == Some(theirs_whole) {
            return self.write(ours_whole);
        }
        if base_whole == Some(ours_whole) {
            return self.write_theirs(self.theirs.nodes[theirs].whole(), shift);
        }
        let (base_tree, ours_tree, theirs_tree) = (self.base, self.ours, self.theirs);
        let base_node = base.map(|base| &base_tree.nodes[base]);
        let (ours_node, theirs_node) = (&ours_tree.nodes[ours], &theirs_tree.nodes[theirs]);
        let picked_trivia = pick(
            base_node.map(|node| base_tree.slice(node.trivia.clone())),
            ours_tree.slice(ours_node.trivia.clone()),
            theirs_tree.slice(theirs_node.trivia.clone()),
        );
        let picked_line = pick(
            base_node.map(|node| base_tree.slice(node.line.clone())),
            ours_tree.slice(ours_node.line.clone()),
            theirs_tree.slice(theirs_node.line.clone()),
        );
        if let (Some(trivia), Some(line)) = (picked_trivia, picked_line) {
            self.write_picked(trivia, theirs_node.trivia.clone(), shift);
            self.write_picked(line, theirs_node.line.clone(), shift);
        } else {
            let disagreement = if picked_line.is_none() {
                Disagreement::Changed {
                    added: base.is_none(),
                }
            } else {
                Disagreement::Comments
            };
            let ours_head = ours_tree.slice(ours_node.trivia.start..ours_node.line.end);
            let theirs_head =
                self.theirs_text(theirs_node.trivia.start..theirs_node.line.end, shift);
            self.conflict_in(disagreement, ours_tree, ours, ours_head, &theirs_head);
        }
        let child_shift = child_shift(self.ours, ours, self.theirs, theirs, shift);
        self.path.push(self.ours.nodes[ours].kind.clone());
        for entry in self.children(base, ours, theirs) {
            self.entity(entry, child_shift);
        }
        self.path.pop();
    }

    /// The children of an entity both sides have, in the merged order:
    /// ours' order, with what only theirs has placed after what precedes it
    /// in theirs, a check-in among the check-ins by its date.
    fn children(&self, base: Option<usize>, ours: usize, theirs: usize) -> Vec<Entry> {
        let theirs_keys = self.theirs.children_by_key(theirs);
        let ours_keys = self.ours.children_by_key(ours);
        let base_keys = base.map(|base| self.base.children_by_key(base));
        let in_base =
            |key: &(&Kind, usize)| base_keys.as_ref().and_then(|keys| keys.get(key).copied());
        let mut order: Vec<Entry> = self.ours.nodes[ours]
            .children
            .iter()
            .map(|&child| {
                let node = &self.ours.nodes[child];
                let key = (&node.kind, node.occurrence);
                Entry {
                    base: in_base(&key),
                    ours: Some(child),
                    theirs: theirs_keys.get(&key).copied(),
                }
            })
            .collect();
        let mut cursor = 0;
        for &child in &self.theirs.nodes[theirs].children {
            let node = &self.theirs.nodes[child];
            let key = (&node.kind, node.occurrence);
            if let Some(&in_ours) = ours_keys.get(&key) {
                if let Some(at) = order.iter().position(|entry| entry.ours == Some(in_ours)) {
                    cursor = at + 1;
                }
                continue;
            }
            let at = match node.kind {
                Kind::CheckIn(date) => self.date_position(&order, date).unwrap_or(cursor),
                _ => cursor,
            };
            order.insert(
                at,
                Entry {
                    base: in_base(&key),
                    ours: None,
                    theirs: Some(child),
                },
            );
            cursor = at + 1;
        }
        order
    }

    /// Where a check-in of `date` goes among the entries: before the first
    /// later check-in, else after the last earlier one; `None` when there
    /// is no check-in to place it by.
    fn date_position(&self, order: &[Entry], date: chrono::NaiveDate) -> Option<usize> {
        let date_of = |entry: &Entry| {
            let (tree, node) = match (entry.ours, entry.theirs) {
                (Some(node), _) => (self.ours, node),
                (None, Some(node)) => (self.theirs, node),
                (None, None) => return None,
            };
            match tree.nodes[node].kind {
                Kind::CheckIn(date) => Some(date),
                _ => None,
            }
        };
        if let Some(later) = order
            .iter()
            .position(|entry| date_of(entry).is_some_and(|other| other > date))
        {
            return Some(later);
        }
        order
            .iter()
            .rposition(|entry| date_of(entry).is_some())
            .map(|last| last + 1)
    }

    /// A conflict where one side deleted the entity `base` that the other
    /// changed into `changed` (a node of the changing side); `theirs_text`
    /// is theirs' version.
    fn deleted(&mut self, by_ours: bool, base: usize, changed: usize, theirs_text: Cow<'_, str>) {
        let tree = if by_ours { self.theirs } else { self.ours };
        let before = self.base.children_by_key(base);
        let checked_in = tree.nodes[changed].children.iter().any(|&child| {
            let node = &tree.nodes[child];
            matches!(node.kind, Kind::CheckIn(_))
                && !before.contains_key(&(&node.kind, node.occurrence))
        });
        let ours_text = if by_ours {
            ""
        } else {
            self.ours.whole(changed)
        };
        let disagreement = Disagreement::Deleted {
            by_ours,
            checked_in,
        };
        self.conflict_in(disagreement, tree, changed, ours_text, &theirs_text);
    }

    /// Writes the markers around the two versions of the entity `node` of
    /// `tree`, and records the conflict.
    fn conflict_in(
        &mut self,
        disagreement: Disagreement,
        tree: &Tree<'_>,
        node: usize,
        ours_text: &str,
        theirs_text: &str,
    ) {
        let node = &tree.nodes[node];
        let path: Vec<&Kind> = self.path.iter().collect();
        let what = describe(self.ours.team.as_deref(), &path, &node.kind);
        let reason = disagreement.reason(&node.kind, &what);
        self.end_line();
        let line = memchr::memchr_iter(b'\n', self.text.as_bytes()).count() + 1;
        let text = markers(
            &reason,
            node.indent,
            ours_text,
            theirs_text,
            self.marker,
            self.eol,
        );
        self.text.push_str(&text);
        self.conflicts.push(Conflict { line, reason });
    }

    /// Writes what [`pick`] chose: ours' bytes, or theirs' (at `range` in
    /// theirs) fitted to ours' layout.
    fn write_picked(&mut self, picked: Picked<'_>, range: Range<usize>, shift: isize) {
        match picked {
            Picked::Ours(text) => self.write(text),
            Picked::Theirs => self.write_theirs(range, shift),
        }
    }

    /// Writes theirs' bytes at `range`, fitted to ours' layout.
    fn write_theirs(&mut self, range: Range<usize>, shift: isize) {
        let text = self.theirs_text(range, shift);
        self.write(&text);
    }

    /// Theirs' bytes at `range`, indented by `shift` more and with ours'
    /// line ending.
    fn theirs_text(&self, range: Range<usize>, shift: isize) -> Cow<'t, str> {
        let text = self.theirs.slice(range);
        fit(text, shift, self.their_eol, self.eol)
    }

    /// Appends `text`, first ending the last line if it had no line ending.
    fn write(&mut self, text: &str) {
        if !text.is_empty() {
            self.end_line();
        }
        self.text.push_str(text);
    }

    /// Ends the merged text's last line, when it has one without an ending.
    fn end_line(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push_str(self.eol);
        }
    }
}

/// What a three-way choice between two versions of some bytes took.
#[derive(Clone, Copy, Debug)]
enum Picked<'s> {
    /// Ours, which both sides agree on or only ours changed.
    Ours(&'s str),
    /// Theirs, which only theirs changed.
    Theirs,
}

/// The version to keep when at most one side changed the bytes (or both
/// made the same change); `None` when both changed them differently.
fn pick<'s>(base: Option<&str>, ours: &'s str, theirs: &str) -> Option<Picked<'s>> {
    if ours == theirs || base == Some(theirs) {
        Some(Picked::Ours(ours))
    } else if base == Some(ours) {
        Some(Picked::Theirs)
    } else {
        None
    }
}

/// How much deeper ours indents the children of an entity than theirs
/// does: measured on their first children, else on the entity itself.
fn child_shift(
    ours: &Tree<'_>,
    ours_node: usize,
    theirs: &Tree<'_>,
    theirs_node: usize,
    shift: isize,
) -> isize {
    let first = |tree: &Tree<'_>, node: usize| {
        tree.nodes[node]
            .children
            .first()
            .filter(|&&child| tree.nodes[child].kind != Kind::Tail)
            .map(|&child| tree.nodes[child].indent)
    };
    match (first(ours, ours_node), first(theirs, theirs_node)) {
        (Some(ours_indent), Some(theirs_indent)) => width(ours_indent) - width(theirs_indent),
        _ => shift,
    }
}

/// An indentation width as a signed number (a goal file's lines are short).
fn width(indent: usize) -> isize {
    isize::try_from(indent).unwrap_or(isize::MAX)
}

/// `text` with each line's indentation changed by `shift` spaces and its
/// line endings made `to`; unchanged (and not copied) when nothing differs.
fn fit<'s>(text: &'s str, shift: isize, from: &str, to: &str) -> Cow<'s, str> {
    if shift == 0 && from == to {
        return Cow::Borrowed(text);
    }
    let mut fitted = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (content, ending) = match line.strip_suffix('\n') {
            Some(content) => (content.strip_suffix('\r').unwrap_or(content), to),
            None => (line, ""),
        };
        if content.trim().is_empty() {
            fitted.push_str(content);
        } else if shift >= 0 {
            fitted.extend(std::iter::repeat_n(' ', shift.unsigned_abs()));
            fitted.push_str(content);
        } else {
            let spaces = content.len() - content.trim_start_matches(' ').len();
            fitted.push_str(&content[spaces.min(shift.unsigned_abs())..]);
        }
        fitted.push_str(ending);
    }
    Cow::Owned(fitted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_shifts_lines_and_converts_endings() {
        assert_eq!(fit("  a\n", 0, "\n", "\n"), "  a\n");
        assert_eq!(fit("  a\n\n    b", 2, "\n", "\r\n"), "    a\r\n\r\n      b");
        assert_eq!(fit("    a\r\n", -2, "\r\n", "\n"), "  a\n");
        assert_eq!(fit(" a\n", -4, "\n", "\n"), "a\n");
    }

    #[test]
    fn a_side_that_kept_the_base_gives_way() {
        assert!(matches!(pick(Some("a"), "a", "b"), Some(Picked::Theirs)));
        assert!(matches!(pick(Some("a"), "b", "a"), Some(Picked::Ours("b"))));
        assert!(matches!(pick(Some("a"), "b", "b"), Some(Picked::Ours("b"))));
        assert!(pick(Some("a"), "b", "c").is_none());
        assert!(pick(None, "b", "c").is_none());
    }
}
