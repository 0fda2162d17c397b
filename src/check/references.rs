//! `okr::unresolved-ref`, `okr::unknown-team` and `okr::aligns-cycle`;
//! every name that resolves to nothing offers the nearest declared one.

use super::Context;
use crate::diagnostic::{suggest, Code, Diagnostic};
use crate::model::goals::{Goals, Reference, ReferenceText};
use crate::model::resolve::{GoalRef, Index, Resolution};
use crate::span::{Span, Spanned};
use crate::workspace::Scope;

pub(super) fn check(goals: &Goals, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for objective in &goals.objectives {
        for aligns in &objective.aligns {
            let resolution = context.index.goal(goals, &aligns.value);
            report(goals, aligns, resolution, Kind::Goal, context, out);
        }
        for kr in &objective.key_results {
            if let Some(stage) = &kr.stage {
                let resolution = context.index.stage(goals, &stage.value);
                report(goals, stage, resolution, Kind::Stage, context, out);
            }
        }
        if let Some(segment) = &objective.segment {
            check_segment(goals, segment, out);
        }
    }
    for funnel in &goals.funnels {
        if let Some(segment) = &funnel.segment {
            check_segment(goals, segment, out);
        }
    }
}

fn check_segment(goals: &Goals, segment: &Spanned<String>, out: &mut Vec<Diagnostic>) {
    if goals.segment(&segment.value).is_none() {
        let known: Vec<&str> = goals.segments.iter().map(|s| s.id.value.as_str()).collect();
        let help = if let Some(near) = suggest::nearest(&segment.value, known.iter().copied()) {
            suggest::did_you_mean(near)
        } else if known.is_empty() {
            format!(
                "define it at the top level: `segment {} \"Name\" size 10,000`",
                segment.value
            )
        } else {
            let known: Vec<String> = known.iter().map(|id| format!("`{id}`")).collect();
            format!("segments defined in this file: {}", known.join(", "))
        };
        out.push(
            Diagnostic::new(
                Code::UnresolvedRef,
                goals.file,
                segment.span,
                format!("no segment `{}` in this file", segment.value),
            )
            .label("not defined")
            .help(help),
        );
    }
}

/// What a reference names: an objective (or its KR), or a funnel's stage.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Goal,
    Stage,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Goal => "objective or key result",
            Kind::Stage => "funnel stage",
        }
    }
}

/// The declared reference nearest to `reference`, each part that names
/// nothing replaced by the nearest declared name (the team, then the
/// objective or funnel, then the KR or stage); `None` when a part has no
/// near name.
fn suggestion(
    index: &Index<'_>,
    from: &Goals,
    reference: &Reference,
    kind: Kind,
) -> Option<Reference> {
    let mut near = reference.clone();
    let team = reference.team.as_deref().or(from.team_id())?;
    let files = if index.files_of(team).is_empty() {
        let teams = index.teams();
        let team = suggest::nearest(team, teams.iter().copied())?;
        near.team = Some(team.to_string());
        index.overlapping(from, Some(team))
    } else {
        index.overlapping(from, Some(team))
    };
    let ids: Vec<&str> = files
        .iter()
        .flat_map(|goals| -> Box<dyn Iterator<Item = &str>> {
            match kind {
                Kind::Goal => Box::new(goals.objectives.iter().map(|o| o.id.value.as_str())),
                Kind::Stage => Box::new(goals.funnels.iter().map(|f| f.id.value.as_str())),
            }
        })
        .collect();
    if !ids.contains(&reference.id.as_str()) {
        near.id = suggest::nearest(&reference.id, ids.iter().copied())?.to_string();
    }
    if let Some(child) = &reference.child {
        let children: Vec<&str> = files
            .iter()
            .flat_map(|goals| -> Vec<&str> {
                match kind {
                    Kind::Goal => goals.objective(&near.id).map_or(Vec::new(), |objective| {
                        objective
                            .key_results
                            .iter()
                            .map(|kr| kr.id.value.as_str())
                            .collect()
                    }),
                    Kind::Stage => goals.funnel(&near.id).map_or(Vec::new(), |funnel| {
                        funnel
                            .stages
                            .iter()
                            .map(|stage| stage.id.value.as_str())
                            .collect()
                    }),
                }
            })
            .collect();
        if !children.contains(&child.as_str()) {
            near.child = Some(suggest::nearest(child, children.iter().copied())?.to_string());
        }
    }
    (near != *reference).then_some(near)
}

fn report<T>(
    goals: &Goals,
    reference: &Spanned<Reference>,
    resolution: Resolution<T>,
    kind: Kind,
    context: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let index = &context.index;
    let file = goals.file;
    let what = kind.what();
    let team = || {
        reference
            .value
            .team
            .as_deref()
            .or(goals.team_id())
            .unwrap_or("this team")
            .to_string()
    };
    let near = || suggestion(index, goals, &reference.value, kind).map(suggest::did_you_mean);
    let period = goals
        .period
        .as_ref()
        .map_or(String::new(), |period| period.value.label.clone());
    match resolution {
        Resolution::OtherPeriods(periods) => out.push(
            Diagnostic::new(
                Code::UnresolvedRef,
                file,
                reference.span,
                format!(
                    "team `{}` has no goals for a period overlapping {period} (it has {})",
                    team(),
                    periods.join(", ")
                ),
            )
            .label("no such period")
            .help(format!(
                "a reference reads the file of its team whose period overlaps this file's; add `{}`'s file for {period}, or align to a goal of this period",
                team()
            )),
        ),
        Resolution::Ambiguous(files) => {
            let mut diagnostic = Diagnostic::new(
                Code::UnresolvedRef,
                file,
                reference.span,
                format!(
                    "`{}` is ambiguous: {} files of team `{}` overlap {period} and name it",
                    reference.value,
                    files.len(),
                    team()
                ),
            )
            .label("which period?")
            .help("give the teams' files one period each that does not overlap another, or align to a goal of exactly this period");
            for candidate in files {
                let other = index.goals(candidate);
                if let (Some(at), Some(label)) = (&other.team, &other.period) {
                    diagnostic =
                        diagnostic.related(candidate, at.span, format!("for {}", label.value.label));
                }
            }
            out.push(diagnostic);
        }
        Resolution::Found(_) => {}
        // Every file of a folder was read: no file declares the team.
        Resolution::UnknownTeam(team) if context.scope == Scope::Folder => out.push(
            Diagnostic::new(
                Code::UnresolvedRef,
                file,
                reference.span,
                format!("no file declares team `{team}`"),
            )
            .label("unknown team")
            .help(near().unwrap_or_else(|| format!(
                "check the team's id: no `.okr` file read declares `team {team}`; add its goals, or align to a team that has them"
            ))),
        ),
        Resolution::UnknownTeam(team) => out.push(
            Diagnostic::new(
                Code::UnknownTeam,
                file,
                reference.span,
                format!("no file read declares team `{team}`"),
            )
            .label("unknown team")
            .help(near().unwrap_or_else(|| format!(
                "pass `{team}`'s file too (e.g. `okr check` on the whole folder) so `{}` can be checked",
                reference.value
            ))),
        ),
        Resolution::Missing => {
            let team = team();
            let shape = kind == Kind::Stage && reference.value.child.is_none();
            let help = if shape {
                format!("check the spelling against `{team}`'s file; a stage reference names the funnel and the stage, e.g. `inbound.trials`")
            } else {
                near().unwrap_or_else(|| format!("check the spelling against `{team}`'s file"))
            };
            out.push(
                Diagnostic::new(
                    Code::UnresolvedRef,
                    file,
                    reference.span,
                    format!("`{}` names no {what} of team `{team}`", reference.value),
                )
                .label("nothing by this name")
                .help(help),
            );
        }
    }
}

/// An objective: (file, objective) indices.
type Node = (usize, usize);

/// A step of the walk: an objective, its parents with the `aligns` naming
/// each, and how many of them were followed.
type Frame = (Node, Vec<(Node, Span)>, usize);

/// Alignment loops (`a` aligns `b` aligns `a`), across files: a depth-first
/// walk over every `aligns` edge (an objective may have several parents),
/// each loop reported once, at the edge that closes it.
pub(super) fn alignment_cycles(context: &Context<'_>) -> Vec<Diagnostic> {
    let index = &context.index;
    let parents = |(file, objective): Node| -> Vec<(Node, Span)> {
        let goals = index.goals(file);
        goals.objectives[objective]
            .aligns
            .iter()
            .filter_map(|aligns| match index.goal(goals, &aligns.value) {
                Resolution::Found(GoalRef {
                    file, objective, ..
                }) => Some(((file, objective), aligns.span)),
                _ => None,
            })
            .collect()
    };
    // Present while on the walk's path (`true`) or finished (`false`).
    let mut on_path: std::collections::HashMap<Node, bool> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for file in 0..index.len() {
        for objective in 0..index.goals(file).objectives.len() {
            let root = (file, objective);
            if on_path.contains_key(&root) {
                continue;
            }
            on_path.insert(root, true);
            // Each frame: a node, its parents, and how many were followed.
            let mut stack: Vec<Frame> = vec![(root, parents(root), 0)];
            while let Some((node, edges, followed)) = stack.last_mut() {
                let Some(&(next, _)) = edges.get(*followed) else {
                    on_path.insert(*node, false);
                    stack.pop();
                    continue;
                };
                *followed += 1;
                match on_path.get(&next) {
                    None => {
                        on_path.insert(next, true);
                        stack.push((next, parents(next), 0));
                    }
                    Some(true) => {
                        let start = stack.iter().position(|frame| frame.0 == next).unwrap_or(0);
                        let cycle: Vec<(Node, Span)> = stack[start..]
                            .iter()
                            .map(|(node, edges, followed)| (*node, edges[*followed - 1].1))
                            .collect();
                        out.push(cycle_diagnostic(context, &cycle));
                    }
                    Some(false) => {}
                }
            }
        }
    }
    out
}

/// A loop given as each objective and the `aligns` that leads on from it.
fn cycle_diagnostic(context: &Context<'_>, cycle: &[(Node, Span)]) -> Diagnostic {
    let index = &context.index;
    let name = |(file, objective): Node| {
        let goals = index.goals(file);
        ReferenceText::new(
            goals.team_id().unwrap_or("?"),
            &goals.objectives[objective].id.value,
        )
        .to_string()
    };
    // Start the loop at its least node, so the message does not depend on
    // where the walk entered it.
    let at = (0..cycle.len()).min_by_key(|&i| cycle[i].0).unwrap_or(0);
    let ordered: Vec<(Node, Span)> = cycle[at..].iter().chain(&cycle[..at]).copied().collect();
    let Some(&(first, first_span)) = ordered.first() else {
        return Diagnostic::new(
            Code::AlignsCycle,
            0,
            Span::new(0, 0),
            "alignment loops back",
        );
    };
    let mut names: Vec<String> = ordered.iter().map(|&(node, _)| name(node)).collect();
    names.push(name(first));
    let mut diagnostic = Diagnostic::new(
        Code::AlignsCycle,
        first.0,
        first_span,
        format!("alignment loops back: {}", names.join(" → ")),
    )
    .label("the loop starts here")
    .help("an objective should align upwards to a higher-level goal; remove or redirect one `aligns` in the loop");
    for &(node, span) in &ordered[1..] {
        diagnostic = diagnostic.related(node.0, span, format!("{} aligns onward", name(node)));
    }
    diagnostic
}
