//! Goal-setting practice: `okr::no-key-results`, `okr::activity-kr`,
//! `okr::too-many-objectives`, `okr::too-many-krs`, `okr::no-owner`,
//! `okr::missing-baseline` and `okr::not-a-stretch`.

use super::activity::activity;
use super::Context;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::goals::{Baseline, Direction, Goal, Goals, KeyResult, Move, Target};
use crate::model::quantity::Unit;
use crate::model::resolve::{GoalRef, Resolution};
use crate::source::SourceFile;
use crate::span::{Span, Spanned};
use std::collections::HashSet;

/// The KR's line as an `initiative` (id, title as written, owners and due
/// date kept): offered only for a KR that is one line with no check-ins,
/// since nothing under an initiative may hold readings or KR attributes.
fn as_initiative(source: &SourceFile, kr: &KeyResult) -> Option<String> {
    let line = source.line_span(kr.span.start());
    let on_its_line = |span: Span| span.start() >= line.start() && span.end() <= line.end();
    let attributes = [
        kr.baseline.as_ref().map(|a| a.span),
        kr.weight.as_ref().map(|a| a.span),
        kr.owners.first().map(|a| a.span),
        kr.stage.as_ref().map(|a| a.span),
        kr.due.as_ref().map(|a| a.span),
        kr.grade.as_ref().map(|a| a.span),
    ];
    if !kr.checkins.is_empty() || !attributes.into_iter().flatten().all(on_its_line) {
        return None;
    }
    let title = source
        .text
        .get(kr.title.span.start()..kr.title.span.end())?;
    let mut initiative = format!("initiative {} {title}", kr.id.value);
    if !kr.owners.is_empty() {
        initiative.push_str(" owner");
        for owner in &kr.owners {
            initiative.push_str(&format!(" {}", owner.value));
        }
    }
    if let Some(due) = &kr.due {
        initiative.push_str(&format!(" due {}", due.value));
    }
    Some(initiative)
}

/// More than this many objectives (or KRs per objective) dilutes focus.
const MAX_OBJECTIVES: usize = 5;
const MAX_KRS: usize = 5;
/// How many of the objectives without an owner `okr::no-owner` points at.
const SHOWN_OWNERLESS: usize = 5;

pub(super) fn check(goals: &Goals, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let file = goals.file;
    if let Some(extra) = goals.objectives.get(MAX_OBJECTIVES) {
        out.push(
            Diagnostic::new(
                Code::TooManyObjectives,
                file,
                extra.id.span,
                format!("{} objectives for one team in one period; the most that keeps focus is {MAX_OBJECTIVES}", goals.objectives.len()),
            )
            .label(format!("objective {}", MAX_OBJECTIVES + 1))
            .help("keep the few objectives that matter most this period; move the rest to a later period or to a backlog"),
        );
    }
    no_owner(goals, out);
    for objective in &goals.objectives {
        if let Some(extra) = objective.key_results.get(MAX_KRS) {
            out.push(
                Diagnostic::new(
                    Code::TooManyKrs,
                    file,
                    extra.id.span,
                    format!("objective `{}` has {} key results; the most that stays measurable is {MAX_KRS}", objective.id.value, objective.key_results.len()),
                )
                .label(format!("key result {}", MAX_KRS + 1))
                .help("keep the results that best show the objective is met; the others may be initiatives or a separate objective"),
            );
        }
        let source = context.files.get(file);
        for kr in &objective.key_results {
            check_kr(goals, source, kr, out);
        }
    }
}

fn check_kr(goals: &Goals, source: Option<&SourceFile>, kr: &KeyResult, out: &mut Vec<Diagnostic>) {
    let file = goals.file;
    // `baseline unknown` after the target: the placeholder every
    // `missing-baseline` help offers.
    let add_unknown_baseline = |diagnostic: Diagnostic| {
        diagnostic.fix(
            "Add `baseline unknown` (start from the first check-in)",
            vec![(
                Span::new(kr.target.span.end(), kr.target.span.end()),
                " baseline unknown".to_string(),
            )],
        )
    };
    if let Some(activity) = activity_kr(kr) {
        let help = if kr.target.value == Target::Milestone {
            "make it an `initiative` under the objective, and add a KR for the result it should bring"
        } else {
            "make it an `initiative` under the objective and measure the result it should move; or link the KR to the funnel stage it moves with `stage FUNNEL.STAGE`"
        };
        let diagnostic = Diagnostic::new(
            Code::ActivityKr,
            file,
            kr.title.span,
            format!(
                "`{}` measures activity (\"{activity}\"), not an outcome",
                kr.id.value
            ),
        )
        .label("an activity")
        .help(help);
        out.push(match source.and_then(|source| as_initiative(source, kr)) {
            Some(line) => diagnostic.fix("Turn into an initiative", vec![(kr.span, line)]),
            None => diagnostic,
        });
    }
    // Holds and milestones have no start to measure from.
    let Target::Move(goal) = &kr.target.value else {
        return;
    };
    let decreasing = goal.direction == Direction::Decrease;
    if matches!(goal.goal, Goal::Relative { over: None, .. }) && kr.baseline.is_none() {
        out.push(add_unknown_baseline(
            Diagnostic::new(Code::MissingBaseline, file, kr.target.span, format!("`{}` has a target relative to its baseline, but no baseline", kr.id.value))
                .severity(Severity::Error)
                .label("relative to what?")
                .help("add where the number stands at the start, e.g. `baseline 1,000`; `baseline unknown` to take the first check-in; or write the reference after the change, e.g. `+15% over 1,000`"),
        ));
        return;
    }
    let Some(target) = kr.target_quantity() else {
        return;
    };
    let baseline = match &kr.baseline {
        Some(Spanned {
            value: Baseline::Unknown,
            ..
        }) => return,
        Some(Spanned {
            value: Baseline::Known(quantity),
            span,
        }) => Some(Spanned::new(quantity, *span)),
        None => None,
    };
    match baseline {
        // A decrease starts from its first check-in: say where it starts.
        None if decreasing => out.push(add_unknown_baseline(
            Diagnostic::new(Code::MissingBaseline, file, kr.target.span, format!("`{}` is a decreasing KR without a baseline, so it starts from its first check-in", kr.id.value))
                .label("from where?")
                .help("add where the number stands at the start of the period (`baseline …`, in the target's unit); or `baseline unknown` to take the first check-in on purpose"),
        )),
        // A percent level counts from 0%: rarely where a rate starts.
        None if target.unit == Unit::Percent => out.push(add_unknown_baseline(
            Diagnostic::new(Code::MissingBaseline, file, kr.target.span, format!("`{}` is a percent KR without a baseline, so progress is measured from 0%", kr.id.value))
                .severity(Severity::Advice)
                .label("from where?")
                .help("add where the rate stands at the start of the period, e.g. `baseline 20%`; or `baseline unknown` to take the first check-in"),
        )),
        // Met as the score reads it: a strict target only beyond it.
        Some(baseline)
            if baseline.value.unit == target.unit
                && goal
                    .direction
                    .reaches(goal.strict, baseline.value.amount, target.amount) =>
        {
                let hold = hold_text(goal, &target.to_string());
                let change = if decreasing { "below" } else { "above" };
                out.push(
                    Diagnostic::new(
                        Code::NotAStretch,
                        file,
                        baseline.span,
                        format!(
                            "the baseline {} already meets the target {target}",
                            baseline.value
                        ),
                    )
                    .label("already met")
                    .help(format!(
                        "if the level only has to be kept, write `{hold}`; otherwise set a target {change} the baseline: a key result should ask for a change"
                    )),
                );
        }
        // A count or money without a baseline is a running total from 0; a
        // baseline in another unit is `unit-mismatch`'s.
        _ => {}
    }
}

/// The `hold` that keeps what `goal` asks for: `hold >= 6%`, `hold < $85`.
fn hold_text(goal: &Move, target: &str) -> String {
    let comparison = match (goal.direction, goal.strict) {
        (Direction::Increase, false) => ">=",
        (Direction::Increase, true) => ">",
        (Direction::Decrease, false) => "<=",
        (Direction::Decrease, true) => "<",
    };
    format!("hold {comparison} {target}")
}

/// The activity leading the title of a count or milestone KR that is not
/// linked to a funnel stage (a KR on a stage measures funnel volume).
fn activity_kr(kr: &KeyResult) -> Option<super::activity::Activity> {
    let shaped = match &kr.target.value {
        Target::Milestone => true,
        Target::Move(_) => kr.unit() == Some(Unit::Count),
        Target::Hold(_) => false,
    };
    if !shaped || kr.stage.is_some() {
        return None;
    }
    activity(&kr.title.value)
}

/// `okr::no-owner`, once for the file, on its `team` line: the objectives
/// that name no owner when the file names no team owner either.
fn no_owner(goals: &Goals, out: &mut Vec<Diagnostic>) {
    if !goals.owners.is_empty() {
        return;
    }
    let ownerless: Vec<_> = goals
        .objectives
        .iter()
        .filter(|objective| objective.owners.is_empty())
        .collect();
    let Some(first) = ownerless.first() else {
        return;
    };
    let span = goals
        .team
        .as_ref()
        .map_or(first.id.span, |team| team.id.span);
    let (count, they) = match ownerless.len() {
        1 => (format!("objective `{}` has", first.id.value), "it"),
        n if n == goals.objectives.len() => (format!("all {n} objectives have"), "them"),
        n => (
            format!("{n} of {} objectives have", goals.objectives.len()),
            "them",
        ),
    };
    let mut diagnostic = Diagnostic::new(
        Code::NoOwner,
        goals.file,
        span,
        format!("{count} no owner, and the file names no team owner"),
    )
    .label("no `owner` for this team")
    .help(format!("add `owner @handle` after the `team` line: the team lead owns every objective without its own; or add `owner @handle` under each objective that lacks {they}"));
    // The first few, so a long file's report stays short.
    for objective in ownerless.iter().take(SHOWN_OWNERLESS) {
        diagnostic = diagnostic.related(goals.file, objective.id.span, "no owner");
    }
    out.push(diagnostic);
}

/// `okr::no-key-results`, across files: an objective without KRs, unless
/// it is scored by its children (objectives whose `aligns` names it, in
/// any file) or graded by hand.
pub(super) fn no_key_results(context: &Context<'_>) -> Vec<Diagnostic> {
    let index = &context.index;
    let mut parents: HashSet<(usize, usize)> = HashSet::new();
    for file in 0..index.len() {
        let goals = index.goals(file);
        for (at, objective) in goals.objectives.iter().enumerate() {
            for aligns in &objective.aligns {
                if let Resolution::Found(GoalRef {
                    file: parent_file,
                    objective: parent,
                    kr: None,
                }) = index.goal(goals, &aligns.value)
                {
                    if (parent_file, parent) != (file, at) {
                        parents.insert((parent_file, parent));
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for file in 0..index.len() {
        let goals = index.goals(file);
        for (at, objective) in goals.objectives.iter().enumerate() {
            if objective.key_results.is_empty()
                && objective.grade.is_none()
                && !parents.contains(&(file, at))
            {
                out.push(
                    Diagnostic::new(Code::NoKeyResults, goals.file, objective.id.span, format!("objective `{}` has no key results", objective.id.value))
                        .label("nothing measures it")
                        .help("add 2–5 `kr` lines that say how you will know the objective is met, e.g. `kr trials \"Trial signups\" target 4,000`; or align the objectives that serve it to it (`aligns team/objective`), which then score it"),
                );
            }
        }
    }
    out
}
