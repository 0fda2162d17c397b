//! Goal-setting practice: `okr::no-key-results`, `okr::activity-kr`,
//! `okr::too-many-objectives`, `okr::too-many-krs`, `okr::no-owner`,
//! `okr::missing-baseline` and `okr::not-a-stretch`.

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::goals::{Baseline, Direction, Goal, Goals, KeyResult, Target};
use crate::model::quantity::Unit;
use crate::span::Spanned;

/// More than this many objectives (or KRs per objective) dilutes focus.
const MAX_OBJECTIVES: usize = 5;
const MAX_KRS: usize = 5;

/// Verbs that lead a title describing work rather than a result.
const ACTIVITY_VERBS: &[&str] = &[
    "launch",
    "execute",
    "run",
    "create",
    "build",
    "publish",
    "ship",
    "host",
    "hold",
    "implement",
    "complete",
    "deliver",
    "write",
    "start",
    "organize",
    "organise",
    "conduct",
    "send",
    "attend",
    "produce",
    "release",
    "post",
    "hire",
    "design",
    "develop",
    "finish",
];

pub(super) fn check(goals: &Goals, out: &mut Vec<Diagnostic>) {
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
    for objective in &goals.objectives {
        if objective.key_results.is_empty() {
            out.push(
                Diagnostic::new(Code::NoKeyResults, file, objective.id.span, format!("objective `{}` has no key results", objective.id.value))
                    .label("nothing measures it")
                    .help("add 2–5 `kr` lines that say how you will know the objective is met, e.g. `kr trials \"Trial signups\" target 4,000`"),
            );
        }
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
        if objective.owners.is_empty() && goals.owners.is_empty() {
            out.push(
                Diagnostic::new(Code::NoOwner, file, objective.id.span, format!("objective `{}` has no owner", objective.id.value))
                    .label("who answers for this?")
                    .help("add `owner @handle` under the objective, or a team lead with `owner @handle` in the header"),
            );
        }
        for kr in &objective.key_results {
            check_kr(goals, kr, out);
        }
    }
}

fn check_kr(goals: &Goals, kr: &KeyResult, out: &mut Vec<Diagnostic>) {
    let file = goals.file;
    if let Some(verb) = activity(kr) {
        let (message, help) = match verb {
            None => (
                format!("`{}` is a milestone: it measures an activity, not an outcome", kr.id.value),
                "make it an `initiative` under the objective, and add a KR for the result it should bring",
            ),
            Some(verb) => (
                format!("`{}` measures activity (\"{verb} …\"), not an outcome", kr.id.value),
                "make it an `initiative` under the objective and measure the result it should move; or link the KR to the funnel stage it moves with `stage FUNNEL.STAGE`",
            ),
        };
        out.push(
            Diagnostic::new(Code::ActivityKr, file, kr.title.span, message)
                .label("an activity")
                .help(help),
        );
    }
    // Holds and milestones have no start to measure from.
    let Target::Move(goal) = &kr.target.value else {
        return;
    };
    let decreasing = goal.direction == Direction::Decrease;
    if matches!(goal.goal, Goal::Relative { over: None, .. }) && kr.baseline.is_none() {
        let mut diagnostic = Diagnostic::new(Code::MissingBaseline, file, kr.target.span, format!("`{}` has a target relative to its baseline, but no baseline", kr.id.value))
            .label("relative to what?")
            .help("add where the number stands at the start, e.g. `baseline 1,000`; `baseline unknown` to take the first check-in; or write the reference after the change, e.g. `+15% over 1,000`");
        diagnostic.severity = Severity::Error;
        out.push(diagnostic);
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
        None if target.unit == Unit::Percent || decreasing => {
            let what = if decreasing { "decreasing" } else { "percent" };
            out.push(
                Diagnostic::new(Code::MissingBaseline, file, kr.target.span, format!("`{}` is a {what} KR without a baseline, so progress is measured from 0", kr.id.value))
                    .label("from where?")
                    .help(format!("add where the number stands at the start of the period, e.g. `baseline {target}`")),
            );
        }
        Some(baseline) if baseline.value.unit == target.unit => {
            let met = if decreasing {
                baseline.value.amount <= target.amount
            } else {
                baseline.value.amount >= target.amount
            };
            if met {
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
                    .help(if decreasing {
                        "set a target below the baseline: a key result should ask for a change"
                    } else {
                        "set a target above the baseline: a key result should ask for a change"
                    }),
                );
            }
        }
        _ => {}
    }
}

/// `Some(None)` for a milestone, `Some(Some(verb))` for a count KR titled by an
/// activity verb and not linked to a funnel stage.
fn activity(kr: &KeyResult) -> Option<Option<String>> {
    match &kr.target.value {
        Target::Milestone => Some(None),
        Target::Move(_) if kr.unit() == Some(Unit::Count) && kr.stage.is_none() => {
            let first = kr.title.value.split_whitespace().next()?.to_lowercase();
            let verb = first.trim_matches(|c: char| !c.is_alphabetic());
            ACTIVITY_VERBS
                .contains(&verb)
                .then(|| Some(verb.to_string()))
        }
        _ => None,
    }
}
