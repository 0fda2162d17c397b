//! A goal file as a tree of keyed entities, over its own bytes: the merge
//! matches entities by key (`objective engagement`, `kr visitors`,
//! `check-in 2026-07-14`), never by position, and writes each one back
//! as one side wrote it.
//!
//! Nesting is read from indentation, as `model::build` reads it: a line
//! belongs to the nearest line above it that is less indented. Blank and
//! comment lines belong to the line after them (a comment says something
//! about what follows); those at the very end form the last node.

use crate::syntax::ast::{Attribute, Line, Statement};
use chrono::NaiveDate;
use foldhash::HashMap;
use std::ops::Range;

/// What an entity is, for its key and for naming it in a conflict.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    /// The file itself (its byte-order mark is its head).
    Root,
    /// `objective ID`.
    Objective(String),
    /// `kr ID`.
    KeyResult(String),
    /// A reading, keyed by its day.
    CheckIn(NaiveDate),
    /// `initiative [ID] "Title"`, keyed by its id or else its title.
    Initiative(String),
    /// `funnel ID`.
    Funnel(String),
    /// `stage ID` in a funnel.
    Stage(String),
    /// `segment ID "Name" size Q`, a definition.
    Segment(String),
    /// Any other line, keyed by its keywords: `period`, `why`, `baseline weight`…
    Line(String),
    /// The blank and comment lines that end the file.
    Tail,
}

/// One entity: its head (the blank and comment lines before it, then its
/// own line) and the entities nested under it.
#[derive(Debug)]
pub(super) struct Node {
    pub(super) kind: Kind,
    /// How many siblings before it have the same kind: two `aligns` lines
    /// are two entities.
    pub(super) occurrence: usize,
    /// The blank and comment lines before its line, with their endings.
    pub(super) trivia: Range<usize>,
    /// Its own line, with its ending.
    pub(super) line: Range<usize>,
    /// Where the last line nested under it ends.
    pub(super) end: usize,
    /// Width of its line's indentation.
    pub(super) indent: usize,
    /// Indices of its children in [`Tree::nodes`], in file order.
    pub(super) children: Vec<usize>,
}

impl Node {
    /// Its bytes and those of everything nested under it.
    pub(super) fn whole(&self) -> Range<usize> {
        self.trivia.start..self.end
    }
}

/// A parsed file as a tree of [`Node`]s; node 0 is the root.
#[derive(Debug)]
pub(super) struct Tree<'t> {
    pub(super) text: &'t str,
    pub(super) nodes: Vec<Node>,
    /// The team the file declares, to name entities (`marketing/engagement.visitors`).
    pub(super) team: Option<String>,
}

/// A [`Tree`] growing as the parser hands over the lines of its text, one
/// at a time: the lines are never kept.
pub(super) struct TreeBuilder<'t> {
    tree: Tree<'t>,
    /// The open entities, innermost last; the root first.
    open: Vec<usize>,
    /// Where the blank and comment lines before the next entity start.
    trivia_start: usize,
    /// The entity whose line is the last one read: its end is where the
    /// next line starts.
    pending: Option<usize>,
}

impl<'t> TreeBuilder<'t> {
    /// A tree of `text` with no line read yet.
    pub(super) fn new(text: &'t str) -> Self {
        let bom = crate::edit::bom(text).len();
        let root = Node {
            kind: Kind::Root,
            occurrence: 0,
            trivia: 0..0,
            line: 0..bom,
            end: bom,
            indent: 0,
            children: Vec::new(),
        };
        TreeBuilder {
            tree: Tree {
                text,
                nodes: vec![root],
                team: None,
            },
            open: vec![0],
            trivia_start: bom,
            pending: None,
        }
    }

    /// Adds the next line of the text, as the parser gave it.
    pub(super) fn push(&mut self, line: &Line) {
        let start = line.span.start();
        self.close_pending(start);
        let Some(kind) = kind_of(&line.statement) else {
            return;
        };
        if let Statement::Team { id, .. } = &line.statement {
            self.tree.team.get_or_insert_with(|| id.value.clone());
        }
        let nodes = &mut self.tree.nodes;
        while let &[_, .., top] = self.open.as_slice() {
            if nodes[top].indent < line.indent {
                break;
            }
            self.open.pop();
        }
        let parent = self.open.last().copied().unwrap_or(0);
        let node = nodes.len();
        nodes.push(Node {
            kind,
            occurrence: 0,
            trivia: self.trivia_start..start,
            line: start..start,
            end: start,
            indent: line.indent,
            children: Vec::new(),
        });
        nodes[parent].children.push(node);
        self.open.push(node);
        self.pending = Some(node);
    }

    /// Ends the last entity's line at `end`, and every open entity with it.
    fn close_pending(&mut self, end: usize) {
        if let Some(node) = self.pending.take() {
            self.tree.nodes[node].line.end = end;
            for &open in &self.open {
                self.tree.nodes[open].end = end;
            }
            self.trivia_start = end;
        }
    }

    /// The tree, once every line is read.
    pub(super) fn finish(mut self) -> Tree<'t> {
        let length = self.tree.text.len();
        self.close_pending(length);
        if self.trivia_start < length {
            let node = self.tree.nodes.len();
            self.tree.nodes.push(Node {
                kind: Kind::Tail,
                occurrence: 0,
                trivia: self.trivia_start..length,
                line: length..length,
                end: length,
                indent: 0,
                children: Vec::new(),
            });
            self.tree.nodes[0].children.push(node);
        }
        self.tree.nodes[0].end = length;
        self.tree.count_occurrences();
        self.tree
    }
}

impl<'t> Tree<'t> {
    /// Numbers siblings of one kind, so each key names one entity.
    fn count_occurrences(&mut self) {
        let mut seen: HashMap<&Kind, usize> = HashMap::default();
        let mut counts = vec![0; self.nodes.len()];
        for parent in &self.nodes {
            seen.clear();
            for &child in &parent.children {
                let count = seen.entry(&self.nodes[child].kind).or_default();
                counts[child] = *count;
                *count += 1;
            }
        }
        for (node, count) in self.nodes.iter_mut().zip(counts) {
            node.occurrence = count;
        }
    }

    /// The bytes of `range`.
    pub(super) fn slice(&self, range: Range<usize>) -> &'t str {
        &self.text[range]
    }

    /// A node's bytes with everything nested under it.
    pub(super) fn whole(&self, node: usize) -> &'t str {
        self.slice(self.nodes[node].whole())
    }

    /// The children of `node` by key.
    pub(super) fn children_by_key(&self, node: usize) -> HashMap<(&Kind, usize), usize> {
        self.nodes[node]
            .children
            .iter()
            .map(|&child| {
                let child_node = &self.nodes[child];
                ((&child_node.kind, child_node.occurrence), child)
            })
            .collect()
    }
}

/// The entity a line starts; `None` for a blank or comment line.
fn kind_of(statement: &Statement) -> Option<Kind> {
    Some(match statement {
        Statement::Blank => return None,
        Statement::Objective(objective) => Kind::Objective(objective.id.value.clone()),
        Statement::KeyResult(kr) => Kind::KeyResult(kr.id.value.clone()),
        Statement::CheckIn(checkin) => Kind::CheckIn(checkin.date.value),
        Statement::Initiative(initiative) => Kind::Initiative(match &initiative.id {
            Some(id) => id.value.clone(),
            None => format!("\"{}\"", initiative.title.value),
        }),
        Statement::Funnel(funnel) => Kind::Funnel(funnel.id.value.clone()),
        Statement::Stage(stage) => Kind::Stage(stage.id.value.clone()),
        Statement::Segment {
            id,
            definition: Some(_),
        } => Kind::Segment(id.value.clone()),
        Statement::Attributes(attributes) => Kind::Line(
            attributes
                .iter()
                .map(Attribute::keyword)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        other => Kind::Line(other.keyword().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Tree<'_> {
        let mut tree = TreeBuilder::new(text);
        crate::syntax::parse(0, text, |line| tree.push(&line));
        tree.finish()
    }

    /// Each entity under the one its indentation says, with the comments
    /// above it, and every byte of the file in exactly one node.
    #[test]
    fn entities_nest_by_indentation_and_keep_their_comments() {
        let text = "\u{feff}period 2026-Q3\r\nteam m\r\n\r\n# about o\r\nobjective o \"O\"\r\n  aligns a/b\r\n  aligns a/c\r\n  kr k \"K\" target 5\r\n    2026-07-06 1\r\n    # late\r\n# the end\r\n";
        let tree = tree(text);
        let shape: Vec<(Kind, usize, &str)> = tree
            .nodes
            .iter()
            .map(|node| {
                (
                    node.kind.clone(),
                    node.occurrence,
                    tree.slice(node.trivia.start..node.line.end),
                )
            })
            .collect();
        let date = NaiveDate::from_ymd_opt(2026, 7, 6).unwrap();
        assert_eq!(
            shape,
            [
                (Kind::Root, 0, "\u{feff}"),
                (Kind::Line("period".into()), 0, "period 2026-Q3\r\n"),
                (Kind::Line("team".into()), 0, "team m\r\n"),
                (
                    Kind::Objective("o".into()),
                    0,
                    "\r\n# about o\r\nobjective o \"O\"\r\n"
                ),
                (Kind::Line("aligns".into()), 0, "  aligns a/b\r\n"),
                (Kind::Line("aligns".into()), 1, "  aligns a/c\r\n"),
                (Kind::KeyResult("k".into()), 0, "  kr k \"K\" target 5\r\n"),
                (Kind::CheckIn(date), 0, "    2026-07-06 1\r\n"),
                (Kind::Tail, 0, "    # late\r\n# the end\r\n"),
            ]
        );
        assert_eq!(tree.nodes[3].children, [4, 5, 6]);
        assert_eq!(tree.nodes[0].children, [1, 2, 3, 8]);
        assert_eq!(
            tree.whole(6),
            "  kr k \"K\" target 5\r\n    2026-07-06 1\r\n"
        );
        assert_eq!(tree.whole(0), text);
    }
}
