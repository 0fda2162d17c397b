//! `okr::unresolved-ref`, `okr::unknown-team` and `okr::aligns-cycle`.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::goals::{Goals, Reference, ReferenceText};
use crate::model::resolve::{GoalRef, Resolution};
use crate::span::Spanned;

pub fn check(goals: &Goals, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for objective in &goals.objectives {
        if let Some(aligns) = &objective.aligns {
            let resolution = context.index.goal(goals, &aligns.value);
            report(goals, aligns, resolution, "objective or key result", out);
        }
        for kr in &objective.key_results {
            if let Some(stage) = &kr.stage {
                let resolution = context.index.stage(goals, &stage.value);
                report(goals, stage, resolution, "funnel stage", out);
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
        let known: Vec<String> = goals
            .segments
            .iter()
            .map(|s| format!("`{}`", s.id.value))
            .collect();
        let help = if known.is_empty() {
            format!(
                "define it at the top level: `segment {} \"Name\" size 10,000`",
                segment.value
            )
        } else {
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

fn report<T>(
    goals: &Goals,
    reference: &Spanned<Reference>,
    resolution: Resolution<T>,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let file = goals.file;
    match resolution {
        Resolution::Found(_) => {}
        Resolution::UnknownTeam(team) => out.push(
            Diagnostic::new(
                Code::UnknownTeam,
                file,
                reference.span,
                format!("no file read declares team `{team}`"),
            )
            .label("unknown team")
            .help(format!(
                "pass `{team}`'s file too (e.g. `okr check` on the whole folder) so `{}` can be checked",
                reference.value
            )),
        ),
        Resolution::Missing => {
            let team = reference
                .value
                .team
                .as_deref()
                .or(goals.team_id())
                .unwrap_or("this team");
            let shape = if what == "funnel stage" && reference.value.child.is_none() {
                "; a stage reference names the funnel and the stage, e.g. `inbound.trials`"
            } else {
                ""
            };
            out.push(
                Diagnostic::new(
                    Code::UnresolvedRef,
                    file,
                    reference.span,
                    format!("`{}` names no {what} of team `{team}`", reference.value),
                )
                .label("nothing by this name")
                .help(format!("check the spelling against `{team}`'s file{shape}")),
            )
        }
    }
}

/// Alignment loops (`a` aligns `b` aligns `a`), across files.
pub fn alignment_cycles(context: &Context<'_>) -> Vec<Diagnostic> {
    let index = &context.index;
    // Each objective aligns to at most one other: follow the chains.
    let target = |node: (usize, usize)| -> Option<(usize, usize)> {
        let goals = index.goals(node.0);
        let aligns = goals.objectives[node.1].aligns.as_ref()?;
        match index.goal(goals, &aligns.value) {
            Resolution::Found(GoalRef {
                file, objective, ..
            }) => Some((file, objective)),
            _ => None,
        }
    };
    let mut state: std::collections::HashMap<(usize, usize), usize> =
        std::collections::HashMap::new();
    let mut out = Vec::new();
    let mut walk_id = 0;
    for file in 0..index.len() {
        for objective in 0..index.goals(file).objectives.len() {
            walk_id += 1;
            let mut path = Vec::new();
            let mut node = (file, objective);
            loop {
                if let Some(&seen) = state.get(&node) {
                    if seen == walk_id {
                        let start = path.iter().position(|n| *n == node).unwrap_or(0);
                        out.push(cycle_diagnostic(context, &path[start..]));
                    }
                    break;
                }
                state.insert(node, walk_id);
                path.push(node);
                match target(node) {
                    Some(next) => node = next,
                    None => break,
                }
            }
        }
    }
    out
}

fn cycle_diagnostic(context: &Context<'_>, cycle: &[(usize, usize)]) -> Diagnostic {
    let index = &context.index;
    let name = |(file, objective): (usize, usize)| {
        let goals = index.goals(file);
        ReferenceText::new(
            goals.team_id().unwrap_or("?"),
            &goals.objectives[objective].id.value,
        )
        .to_string()
    };
    let first = cycle.iter().copied().min().unwrap_or(cycle[0]);
    let at = cycle.iter().position(|n| *n == first).unwrap_or(0);
    let ordered: Vec<(usize, usize)> = cycle[at..].iter().chain(&cycle[..at]).copied().collect();
    let mut names: Vec<String> = ordered.iter().map(|&n| name(n)).collect();
    names.push(name(first));
    let span_of = |(file, objective): (usize, usize)| {
        let objective = &index.goals(file).objectives[objective];
        objective
            .aligns
            .as_ref()
            .map_or(objective.id.span, |a| a.span)
    };
    let mut diagnostic = Diagnostic::new(
        Code::AlignsCycle,
        first.0,
        span_of(first),
        format!("alignment loops back: {}", names.join(" → ")),
    )
    .label("the loop starts here")
    .help("an objective should align upwards to a higher-level goal; remove or redirect one `aligns` in the loop");
    for &node in &ordered[1..] {
        diagnostic = diagnostic.related(
            node.0,
            span_of(node),
            format!("{} aligns onward", name(node)),
        );
    }
    diagnostic
}
