//! The alignment tree: which objective aligns to which, across teams, as
//! flat rows a template draws without recursing.

use super::context::Shared;
use super::element_id;
use super::on_demand::Entries;
use crate::document::Num;
use crate::model::goals::ReferenceText;
use crate::model::resolve::{GoalRef, Index, Resolution};
use crate::score::TeamScore;
use crate::workspace::Workspace;
use minijinja::value::{Enumerator, ObjectRepr};
use minijinja::Value;
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

/// A row of the tree by position only (about 70 bytes): its [`AlignNode`],
/// with the titles and ids, is made when a template reads it ([`Rows`]).
pub(super) struct Row {
    at: ObjectiveAt,
    /// The parent's KR aligned to, when the alignment names one.
    via: Option<GoalRef>,
    depth: usize,
    parent: Option<ObjectiveAt>,
    has_children: bool,
    closes: usize,
    repeat: bool,
}

/// The rows of the alignment tree, each made into an [`AlignNode`] when
/// read: the tree of 10,000 objectives as nodes was 7 MB of strings.
pub(super) struct Rows(Vec<Row>);

impl Entries for Rows {
    const REPR: ObjectRepr = ObjectRepr::Seq;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn get(&self, shared: &Shared, key: &Value) -> Option<Value> {
        let row = self.0.get(key.as_usize()?)?;
        let workspace = &shared.workspace;
        let parent = |(file, at): ObjectiveAt| {
            let goals = workspace.goals.get(file)?;
            let objective = goals.objectives.get(at)?;
            Some(ReferenceText::new(goals.team_id()?, &objective.id.value).to_string())
        };
        let via = |via: GoalRef| {
            let objective = workspace
                .goals
                .get(via.file)?
                .objectives
                .get(via.objective)?;
            Some(objective.key_results.get(via.kr?)?.title.value.clone())
        };
        let mut node = node(workspace, &shared.scores, row.at)?;
        node.via = row.via.and_then(via);
        node.depth = row.depth;
        node.parent = row.parent.and_then(parent);
        node.has_children = row.has_children;
        node.closes = row.closes;
        node.repeat = row.repeat;
        Some(Value::from_serialize(node))
    }

    fn keys(&self) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }
}

/// The tree of every objective read: each under the objective it aligns
/// to, those aligning to nothing found at the top.
pub(super) fn alignment(
    workspace: &Workspace,
    scores: &[Option<TeamScore>],
    index: &Index<'_>,
) -> Rows {
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
                tree.children.entry(there).or_default().push(Child {
                    at: here,
                    via: parent.kr.is_some().then_some(parent),
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
    Rows(rows)
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
fn close_levels(rows: &mut [Row]) {
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
    via: Option<GoalRef>,
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
    /// with a stack of its own (never the call stack). An objective without
    /// a node (its file has no team, period or scores) is left out, and so
    /// is what aligns to it.
    fn place(&mut self, root: ObjectiveAt, rows: &mut Vec<Row>) {
        let mut pending = vec![(root, None, 0, None, false)];
        while let Some((at, via, depth, parent, repeat)) = pending.pop() {
            if !repeat && !self.visited.insert(at) {
                continue;
            }
            if node(self.workspace, self.scores, at).is_none() {
                continue;
            }
            if let Some(kids) = self.children.get(&at).filter(|_| !repeat) {
                pending.extend(
                    kids.iter()
                        .rev()
                        .map(|child| (child.at, child.via, depth + 1, Some(at), child.repeat)),
                );
            }
            rows.push(Row {
                at,
                via,
                depth,
                parent,
                has_children: false,
                closes: 0,
                repeat,
            });
        }
    }
}

/// The node of the objective at `(file, at)`, as a root (no parent, no
/// `via`, at depth 0); none for a file without a team, period or scores.
fn node(
    workspace: &Workspace,
    scores: &[Option<TeamScore>],
    (file, at): ObjectiveAt,
) -> Option<AlignNode> {
    let goals = workspace.goals.get(file)?;
    let objective = goals.objectives.get(at)?;
    let scored = scores.get(file)?.as_ref()?.objectives.get(at)?;
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
        via: None,
        depth: 0,
        parent: None,
        has_children: false,
        closes: 0,
        repeat: false,
    })
}
