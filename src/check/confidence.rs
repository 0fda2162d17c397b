//! What check-in confidences say: `okr::low-confidence` (a commitment in
//! doubt) and `okr::sandbagging` (a team sure of every stretch goal).

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::goals::{CheckIn, Goals, KeyResult, ObjectiveType, Target};
use crate::model::quantity::Quantity;
use crate::score::{self, Status};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Below this, a committed KR is in doubt (50%).
const LOW: Decimal = Decimal::from_parts(5, 0, 0, false, 1);
/// Above this on average, first check-ins are too sure for stretch goals (90%).
const SURE: Decimal = Decimal::from_parts(9, 0, 0, false, 1);
/// Sandbagging needs this many KRs with a first confidence: fewer is chance.
const SANDBAGGING_KRS: usize = 3;

pub(super) fn check(goals: &Goals, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(period) = goals.period.as_ref().map(|period| &period.value) else {
        return;
    };
    let today = context.today;
    let mut firsts = Vec::new();
    for objective in &goals.objectives {
        let committed = objective.kind() == ObjectiveType::Committed;
        for kr in &objective.key_results {
            let known = || {
                kr.checkins
                    .iter()
                    .filter(|checkin| checkin.date.value <= today)
            };
            // Once the period is over a confidence is history, not a warning.
            if committed && today <= period.end {
                if let Some(latest) = known().next_back() {
                    low_confidence(goals, &objective.id.value, kr, latest, context, out);
                }
            }
            // Committed KRs and holds are meant to be met: sure is right for them.
            let stretch = !committed && !matches!(kr.target.value, Target::Hold(_));
            if let Some(first) = known().next().filter(|_| stretch) {
                if let Some(confidence) = first.confidence() {
                    firsts.push(confidence.value);
                }
            }
        }
    }
    sandbagging(goals, &firsts, out);
}

fn percent(fraction: Decimal) -> String {
    Quantity::percent(fraction).to_string()
}

/// `okr::low-confidence`: the latest check-in of a committed KR that is
/// not done says it is less likely than not to be met.
fn low_confidence(
    goals: &Goals,
    objective: &str,
    kr: &KeyResult,
    latest: &CheckIn,
    context: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(confidence) = latest.confidence() else {
        return;
    };
    if confidence.value >= LOW || done(goals, kr, context.today) {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::LowConfidence,
            goals.file,
            confidence.span,
            format!(
                "`{}` of committed objective `{objective}` is at {} confidence (check-in of {})",
                kr.id.value,
                percent(confidence.value),
                latest.date.value
            ),
        )
        .label("a commitment in doubt")
        .help("a committed key result is to be met in full: say now what it needs (people, budget, scope), or agree to make the objective `type aspirational` or to change the target"),
    );
}

/// Whether the KR is done as of `today`.
fn done(goals: &Goals, kr: &KeyResult, today: NaiveDate) -> bool {
    goals.period.as_ref().is_some_and(|period| {
        score::score_kr(kr, &period.value, goals.cadence(), today).status == Status::Done
    })
}

/// `okr::sandbagging`, at the `team` line: the first confidences of the
/// team's stretch KRs average above 90% over at least three KRs.
fn sandbagging(goals: &Goals, firsts: &[Decimal], out: &mut Vec<Diagnostic>) {
    if firsts.len() < SANDBAGGING_KRS {
        return;
    }
    let Some(team) = &goals.team else {
        return;
    };
    let Some(mean) = firsts
        .iter()
        .try_fold(Decimal::ZERO, |total, first| total.checked_add(*first))
        .and_then(|total| total.checked_div(Decimal::from(firsts.len())))
    else {
        return;
    };
    if mean <= SURE {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::Sandbagging,
            goals.file,
            team.id.span,
            format!(
                "the first check-ins of the team's {} stretch KRs give them {} confidence on average",
                firsts.len(),
                percent(mean.round_dp(3))
            ),
        )
        .label("sure from the start")
        .help("stretch goals should feel uncertain (about 50–70% at the start); raise the targets, or mark the objectives the team must meet in full `type committed`"),
    );
}
