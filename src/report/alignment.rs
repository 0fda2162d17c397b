//! The alignment tree: which objective aligns to which, across teams, as
//! flat rows a template draws without recursing.

use super::element_id;
use crate::document::Num;
use crate::model::goals::ReferenceText;
use crate::model::resolve::{Index, Resolution};
use crate::score::TeamScore;
use crate::workspace::Workspace;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// An objective in the alignment tree, as one row of the tree in pre-order.
/// The tree is flat so that neither the code nor a template recurses: an
/// alignment chain thousands of objectives deep renders like a wide one.
#[derive(Serialize)]
pub(super) struct AlignNode {
    #[serde(rename = "ref")]
    pub reference: String,
    pub team: String,
    pub title: String,
    pub status: &'static str,
    pub score: Num,
    /// The KR aligned to, when the alignment names one.
    pub via: Option<String>,
    /// The objective's [`element_id`], for links to its section.
    pub anchor: String,
    /// 0 for an objective that aligns to nothing shown.
    pub depth: usize,
    /// The objective this one aligns to (the row's parent in the tree).
    pub parent: Option<String>,
    /// Whether the next rows are this objective's children.
    pub has_children: bool,
    /// How many levels of the tree end after this row (for nested lists).
    pub closes: usize,
    /// This objective shown again under another objective it aligns to: it
    /// and its subtree are placed under the first one its `aligns` names,
    /// and here it is a row pointing there, without children.
    pub repeat: bool,
    /// `score` as the reports print it.
    pub text: NodeText,
}

/// A row's numbers as the reports print them.
#[derive(Serialize)]
pub(super) struct NodeText {
    pub score: String,
}

/// An objective, by file and position.
type ObjectiveAt = (usize, usize);

/// The tree of every objective read: each under the objective it aligns
/// to, those aligning to nothing found at the top.
pub(super) fn alignment(
    workspace: &Workspace,
    scores: &[Option<TeamScore>],
    index: &Index<'_>,
) -> Vec<AlignNode> {
    let mut tree = Tree {
        workspace,
        scores,
        children: BTreeMap::new(),
        visited: HashSet::new(),
    };
    let mut roots = Vec::new();
    for goals in &workspace.goals {
        for (at, objective) in goals.objectives.iter().enumerate() {
            let here = (goals.file, at);
            let mut placed = Vec::new();
            for aligns in &objective.aligns {
                let Resolution::Found(parent) = index.goal(goals, &aligns.value) else {
                    continue;
                };
                let there = (parent.file, parent.objective);
                if there == here || placed.contains(&there) {
                    continue;
                }
                let via = index.key_result(parent).map(|kr| kr.title.value.clone());
                tree.children.entry(there).or_default().push(Child {
                    at: here,
                    via,
                    repeat: !placed.is_empty(),
                });
                placed.push(there);
            }
            if placed.is_empty() {
                roots.push(here);
            }
        }
    }
    let mut rows = Vec::new();
    for root in roots {
        tree.place(root, &mut rows);
    }
    close_levels(&mut rows);
    rows
}

/// The element id of the objective each objective of `files` aligns to (the
/// first its `aligns` lines name that is found), by its own element id: the
/// parent the tree places it under.
pub(super) fn aligned_to(
    workspace: &Workspace,
    index: &Index<'_>,
    files: impl IntoIterator<Item = usize>,
) -> BTreeMap<String, String> {
    let mut aligned_to = BTreeMap::new();
    for file in files {
        let Some(goals) = workspace.goals.get(file) else {
            continue;
        };
        for (at, objective) in goals.objectives.iter().enumerate() {
            let here = (goals.file, at);
            let parent = objective.aligns.iter().find_map(|aligns| {
                let Resolution::Found(parent) = index.goal(goals, &aligns.value) else {
                    return None;
                };
                Some((parent.file, parent.objective)).filter(|&there| there != here)
            });
            if let Some((from, to)) = parent.and_then(|there| {
                Some((
                    objective_element(workspace, here)?,
                    objective_element(workspace, there)?,
                ))
            }) {
                aligned_to.insert(from, to);
            }
        }
    }
    aligned_to
}

/// The [`element_id`] of an objective of a file with a team and a period.
fn objective_element(workspace: &Workspace, (file, at): ObjectiveAt) -> Option<String> {
    let goals = &workspace.goals[file];
    let period = goals.period.as_ref()?;
    let reference =
        ReferenceText::new(goals.team_id()?, &goals.objectives.get(at)?.id.value).to_string();
    Some(element_id(&period.value.label, &reference))
}

/// Sets each row's `has_children` and `closes` from the depths of the rows.
fn close_levels(rows: &mut [AlignNode]) {
    for at in 0..rows.len() {
        let next = rows.get(at + 1).map_or(0, |row| row.depth);
        let row = &mut rows[at];
        row.has_children = next > row.depth;
        row.closes = row.depth.saturating_sub(next);
    }
}

/// An objective aligned to another: which, through which KR, and whether
/// this is one of its later parents (shown as a [`AlignNode::repeat`] row).
struct Child {
    at: ObjectiveAt,
    via: Option<String>,
    repeat: bool,
}

/// The alignment tree being built: who aligns to whom, and who is placed.
struct Tree<'w> {
    workspace: &'w Workspace,
    scores: &'w [Option<TeamScore>],
    children: BTreeMap<ObjectiveAt, Vec<Child>>,
    /// Each objective appears once, even in a (reported) cycle.
    visited: HashSet<ObjectiveAt>,
}

impl Tree<'_> {
    /// Appends `root` and everything aligned to it, in pre-order, walking
    /// with a stack of its own (never the call stack).
    fn place(&mut self, root: ObjectiveAt, rows: &mut Vec<AlignNode>) {
        let mut pending = vec![(root, None, 0, None, false)];
        while let Some(((file, at), via, depth, parent, repeat)) = pending.pop() {
            if repeat {
                if let Some(mut row) = self.row((file, at), via, depth, parent) {
                    row.repeat = true;
                    rows.push(row);
                }
                continue;
            }
            if !self.visited.insert((file, at)) {
                continue;
            }
            let Some(row) = self.row((file, at), via, depth, parent) else {
                continue;
            };
            if let Some(kids) = self.children.get(&(file, at)) {
                pending.extend(kids.iter().rev().map(|child| {
                    (
                        child.at,
                        child.via.clone(),
                        depth + 1,
                        Some(row.reference.clone()),
                        child.repeat,
                    )
                }));
            }
            rows.push(row);
        }
    }

    fn row(
        &self,
        (file, at): ObjectiveAt,
        via: Option<String>,
        depth: usize,
        parent: Option<String>,
    ) -> Option<AlignNode> {
        let goals = &self.workspace.goals[file];
        let objective = &goals.objectives[at];
        let scored = self.scores[file].as_ref()?.objectives.get(at)?;
        let team = goals.team.as_ref()?;
        let reference = ReferenceText::new(&team.id.value, &objective.id.value).to_string();
        Some(AlignNode {
            anchor: element_id(&goals.period.as_ref()?.value.label, &reference),
            reference,
            team: team
                .name
                .as_ref()
                .map_or_else(|| team.id.value.clone(), |n| n.value.clone()),
            title: objective.title.value.clone(),
            status: scored.status.as_str(),
            score: Num(scored.score),
            text: NodeText {
                score: crate::model::quantity::share(scored.score),
            },
            via,
            depth,
            parent,
            has_children: false,
            closes: 0,
            repeat: false,
        })
    }
}
