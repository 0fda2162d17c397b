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
use std::collections::HashMap;
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

impl<'t> Tree<'t> {
    /// The tree of `text`, whose lines the parser gave as `lines` (every
    /// line, in order, without a syntax error).
    pub(super) fn new(text: &'t str, lines: &[Line], team: Option<String>) -> Tree<'t> {
        let bom = crate::edit::bom(text).len();
        let root = Node {
            kind: Kind::Root,
            occurrence: 0,
            trivia: 0..0,
            line: 0..bom,
            end: text.len(),
            indent: 0,
            children: Vec::new(),
        };
        let mut tree = Tree {
            text,
            nodes: vec![root],
            team,
        };
        // The open entities, innermost last, each with its indentation.
        let mut open: Vec<usize> = vec![0];
        let mut trivia_start = bom;
        for (index, line) in lines.iter().enumerate() {
            let end = lines
                .get(index + 1)
                .map_or(text.len(), |next| next.span.start());
            let Some(kind) = kind_of(&line.statement) else {
                continue;
            };
            while let &[_, .., top] = open.as_slice() {
                if tree.nodes[top].indent < line.indent {
                    break;
                }
                open.pop();
            }
            let parent = open.last().copied().unwrap_or(0);
            let node = tree.nodes.len();
            tree.nodes.push(Node {
                kind,
                occurrence: 0,
                trivia: trivia_start..line.span.start(),
                line: line.span.start()..end,
                end,
                indent: line.indent,
                children: Vec::new(),
            });
            tree.nodes[parent].children.push(node);
            for &ancestor in &open {
                tree.nodes[ancestor].end = end;
            }
            open.push(node);
            trivia_start = end;
        }
        if trivia_start < text.len() {
            let node = tree.nodes.len();
            tree.nodes.push(Node {
                kind: Kind::Tail,
                occurrence: 0,
                trivia: trivia_start..text.len(),
                line: text.len()..text.len(),
                end: text.len(),
                indent: 0,
                children: Vec::new(),
            });
            tree.nodes[0].children.push(node);
        }
        tree.nodes[0].end = text.len();
        tree.count_occurrences();
        tree
    }

    /// Numbers siblings of one kind, so each key names one entity.
    fn count_occurrences(&mut self) {
        for parent in 0..self.nodes.len() {
            let mut seen: HashMap<Kind, usize> = HashMap::new();
            for child in self.nodes[parent].children.clone() {
                let count = seen.entry(self.nodes[child].kind.clone()).or_default();
                self.nodes[child].occurrence = *count;
                *count += 1;
            }
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
