//! The report's document (SPEC §6) from the goals and their scores: each
//! team's, objective's and KR's entry, made when it is written or read.

use crate::document::report::{
    Band, Checkin, Child, Funnel, Held, Initiative, KeyResult, KrText, Objective, Period, Stage,
    Team, TeamText,
};
use crate::document::{target_text, Lazy, Num};
use crate::model::goals::{self, Goal, Goals, Move, ReferenceText, Target};
use crate::model::quantity::{self, Unit};
use crate::score::{score_team, KrScore, Measure, ObjectiveAt, ObjectiveScore, TeamScore};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

/// Every file's scores as of `today` (`None` for a file without a period),
/// files in parallel (exact decimal forecasts cost microseconds per KR),
/// then parents scored by their children across files.
pub fn scores(workspace: &Workspace, today: NaiveDate) -> Vec<Option<TeamScore>> {
    let mut scores: Vec<Option<TeamScore>> = workspace
        .goals
        .par_iter()
        .map(|goals| score_team(goals, today))
        .collect();
    crate::score::roll_up(&workspace.goals, &mut scores, today);
    scores
}

/// Who an entry is made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum View {
    /// `--format json`: every check-in, and no `text`.
    Json,
    /// The templates: only the latest check-in on or before today (the
    /// charts draw the rest, which keeps a 2,000-team page fast to render),
    /// and each number's `text` as the reports print it.
    Template,
}

/// The entry of file `goals` (scored `score`) as `--format json` writes
/// it, each objective's entry made as it is written and dropped after; none
/// for a file without a team or period (which `okr check` reports).
pub(super) fn json_team<'a>(
    workspace: &'a Workspace,
    goals: &'a Goals,
    score: &'a TeamScore,
) -> Option<Team<impl Serialize + 'a>> {
    team(
        workspace,
        goals,
        score,
        json_objectives(workspace, goals, score),
        View::Json,
    )
}

/// A team's objectives as `--format json` writes them, each entry made as
/// it is written.
fn json_objectives<'a>(
    workspace: &'a Workspace,
    goals: &'a Goals,
    score: &'a TeamScore,
) -> impl Serialize + 'a {
    Lazy(move || {
        goals
            .objectives
            .iter()
            .zip(&score.objectives)
            .map(move |(goal, scored)| {
                let name = reference(goals, goal);
                let key_results = goal
                    .key_results
                    .iter()
                    .zip(&scored.key_results)
                    .map(|(kr, kr_scored)| {
                        key_result(name, kr, kr_scored, View::Json, |_| None::<()>)
                    })
                    .collect::<Vec<_>>();
                objective(workspace, goals, goal, scored, key_results, None::<()>)
            })
    })
}

/// A team's entry around its objectives, however they are given; none for
/// a file without a team or a period.
pub(super) fn team<O>(
    workspace: &Workspace,
    goals: &Goals,
    score: &TeamScore,
    objectives: O,
    view: View,
) -> Option<Team<O>> {
    let team = goals.team.as_ref()?;
    let period = &goals.period.as_ref()?.value;
    Some(Team {
        id: team.id.value.clone(),
        name: team
            .name
            .as_ref()
            .map_or_else(|| team.id.value.clone(), |name| name.value.clone()),
        file: workspace.files[goals.file].path.clone(),
        period: Period {
            label: period.label.clone(),
            start: period.start.to_string(),
            end: period.end.to_string(),
        },
        score: Num(score.score),
        objectives,
        funnels: goals
            .funnels
            .iter()
            .map(|funnel| Funnel {
                id: funnel.id.value.clone(),
                stages: funnel
                    .stages
                    .iter()
                    .map(|stage| Stage {
                        id: stage.id.value.clone(),
                        title: stage.title.value.clone(),
                        conversion: stage.conversion.as_ref().map(|c| Num(c.value.amount)),
                        value: stage.value.as_ref().map(|v| Num(v.value.amount)),
                    })
                    .collect(),
            })
            .collect(),
        text: (view == View::Template).then(|| TeamText {
            score: quantity::share(score.score),
        }),
    })
}

/// How an objective is named in a `ref`: its team's id, then its own.
pub(super) fn reference<'a>(
    goals: &'a Goals,
    objective: &'a goals::Objective,
) -> ReferenceText<'a> {
    ReferenceText::new(goals.team_id().unwrap_or(""), &objective.id.value)
}

/// An objective's entry around its KRs and `text` (however they are
/// given); its children are named from `workspace`.
pub(super) fn objective<K, X>(
    workspace: &Workspace,
    goals: &Goals,
    objective: &goals::Objective,
    scored: &ObjectiveScore,
    key_results: K,
    text: Option<X>,
) -> Objective<K, X> {
    let reference = reference(goals, objective).to_string();
    let owners = if objective.owners.is_empty() {
        &goals.owners
    } else {
        &objective.owners
    };
    Objective {
        id: objective.id.value.clone(),
        title: objective.title.value.clone(),
        why: objective.why.as_ref().map(|why| why.value.clone()),
        owner: owners.first().map(|o| o.value.clone()),
        owners: handles(owners),
        kind: objective.kind().as_str(),
        aligns: objective
            .aligns
            .iter()
            .map(|a| a.value.to_string())
            .collect(),
        children: scored
            .children
            .iter()
            .filter_map(|&child| objective_ref(workspace, child))
            .collect(),
        rolled_up: scored.rolled_up,
        score: Num(scored.score),
        computed_score: Num(scored.computed_score),
        graded: scored.graded.map(Num),
        grade_note: grade_note(objective.grade.as_ref()),
        status: scored.status.as_str(),
        grade: scored.grade.map(crate::score::Grade::as_str),
        missed_commitment: scored.missed_commitment,
        key_results,
        initiatives: objective
            .initiatives
            .iter()
            .map(|initiative| Initiative {
                id: initiative.id.as_ref().map(|id| id.value.clone()),
                title: initiative.title.value.clone(),
                owner: initiative.owners.first().map(|o| o.value.clone()),
                owners: handles(&initiative.owners),
                status: initiative.status.as_ref().map(|s| s.value.as_str()),
                due: initiative.due.as_ref().map(|d| d.value.to_string()),
            })
            .collect(),
        text,
        reference,
    }
}

/// The keys of an objective's `text` for the templates: its scores as the
/// reports print them ([`objective_text`]) and its `children`
/// ([`child_text`]).
pub(super) const OBJECTIVE_TEXT: &[&str] = &["score", "computed_score", "graded", "children"];

/// One of an objective's scores as the reports print them (`key` one of
/// [`OBJECTIVE_TEXT`] but `children`; `None` for another), made when a
/// template reads it. `Some(None)` where the score is null.
pub(super) fn objective_text(scored: &ObjectiveScore, key: &str) -> Option<Option<String>> {
    let score = match key {
        "score" => Some(scored.score),
        "computed_score" => Some(scored.computed_score),
        "graded" => scored.graded,
        _ => return None,
    };
    Some(score.map(quantity::share))
}

/// A child as a report lists it under its parent.
pub(super) fn child_text(
    workspace: &Workspace,
    scores: &[Option<TeamScore>],
    (file, at): ObjectiveAt,
) -> Option<Child> {
    let goals = workspace.goals.get(file)?;
    let objective = goals.objectives.get(at)?;
    let scored = scores.get(file)?.as_ref()?.objectives.get(at)?;
    let team = goals.team.as_ref()?;
    let reference = ReferenceText::new(&team.id.value, &objective.id.value).to_string();
    Some(Child {
        anchor: super::element_id(&goals.period.as_ref()?.value.label, &reference),
        reference,
        team: team
            .name
            .as_ref()
            .map_or_else(|| team.id.value.clone(), |name| name.value.clone()),
        title: objective.title.value.clone(),
        status: scored.status.as_str(),
        score: quantity::share(scored.score),
    })
}

/// The `ref` of an objective of a file with a team.
fn objective_ref(workspace: &Workspace, (file, at): ObjectiveAt) -> Option<String> {
    let goals = workspace.goals.get(file)?;
    let objective = goals.objectives.get(at)?;
    Some(ReferenceText::new(goals.team_id()?, &objective.id.value).to_string())
}

fn handles(owners: &[crate::span::Spanned<String>]) -> Vec<String> {
    owners.iter().map(|owner| owner.value.clone()).collect()
}

fn grade_note(grade: Option<&goals::Graded>) -> Option<String> {
    Some(grade?.note.as_ref()?.value.clone())
}

/// A KR's entry, as `view` wants it, with the `text` that `text` makes
/// from its target as written (the templates', which print it too).
pub(super) fn key_result<X>(
    objective: ReferenceText<'_>,
    kr: &goals::KeyResult,
    scored: &KrScore,
    view: View,
    text: impl FnOnce(&str) -> Option<X>,
) -> KeyResult<X> {
    let unit = kr.unit();
    let as_written = target_text(&kr.target.value);
    let text = text(&as_written);
    KeyResult {
        id: kr.id.value.clone(),
        reference: objective.child(&kr.id.value).to_string(),
        title: kr.title.value.clone(),
        owner: kr.owners.first().map(|o| o.value.clone()),
        owners: handles(&kr.owners),
        unit: unit.map(crate::model::quantity::Unit::kind),
        currency: unit
            .and_then(crate::model::quantity::Unit::currency)
            .map(|c| c.code().to_string()),
        direction: kr.target.value.direction(),
        target_text: as_written,
        measure: Measure::of(kr).map(Measure::as_str),
        baseline: scored.baseline.map(Num),
        target: scored.target.map(Num),
        band: match &kr.target.value {
            Target::Hold(band) => Some(Band {
                min: band.min.as_ref().map(|b| Num(b.value.amount)),
                max: band.max.as_ref().map(|b| Num(b.value.amount)),
                min_strict: band.min.as_ref().is_some_and(|b| b.strict),
                max_strict: band.max.as_ref().is_some_and(|b| b.strict),
            }),
            _ => None,
        },
        current: scored.current.map(Num),
        progress: scored.progress.map(Num),
        score: Num(scored.score),
        computed_score: Num(scored.computed_score),
        graded: scored.graded.map(Num),
        grade_note: grade_note(kr.grade.as_ref()),
        expected: scored.expected.map(Num),
        status: scored.status.as_str(),
        stale: scored.stale,
        confidence: scored.confidence.map(Num),
        held: scored
            .held
            .map(|(count, readings)| Held { count, readings }),
        forecast: scored.forecast.map(Num),
        weight: Num(kr.weight()),
        stage: kr.stage.as_ref().map(|s| s.value.to_string()),
        due: kr.due.as_ref().map(|d| d.value.to_string()),
        checkins: match view {
            View::Json => kr.checkins.iter().map(Checkin::of).collect(),
            View::Template => scored
                .last_checkin
                .map(|at| Checkin::of(&kr.checkins[at]))
                .into_iter()
                .collect(),
        },
        text,
    }
}

/// The keys of a KR's `text` for the templates: its numbers as the
/// reports print them (see [`kr_number`]).
pub(super) const KR_TEXT: &[&str] = &[
    "goal",
    "baseline",
    "target",
    "current",
    "forecast",
    "progress",
    "score",
    "computed_score",
    "graded",
    "expected",
    "confidence",
    "weight",
];

/// One of a KR's numbers as the reports print them (`key` one of
/// [`KR_TEXT`]; `None` for another), its target `as_written` given, made
/// when a template reads it, as a
/// page reads only some of them: each from the exact decimal by
/// `model::quantity`'s display rule, a value with its target's decimals
/// (a hold's: its band's) and more where fewer would read as the target it
/// is not (`99.50%` of `99.95%`, `24.6%` of `25%`); a share as a percent
/// that reads 100% only when it is. `Some(None)` where the number is null.
pub(super) fn kr_number(
    kr: &goals::KeyResult,
    scored: &KrScore,
    as_written: &str,
    key: &str,
) -> Option<Option<String>> {
    let unit = kr.unit().unwrap_or(Unit::Count);
    let marks = || -> Vec<Decimal> {
        match &kr.target.value {
            Target::Hold(band) => [&band.min, &band.max]
                .into_iter()
                .flatten()
                .map(|bound| bound.value.amount)
                .collect(),
            _ => scored.target.into_iter().collect(),
        }
    };
    let written =
        |amount: Option<Decimal>| amount.map(|amount| unit.format_written(amount, &marks()));
    let exact = |amount: Decimal| unit.format(amount, quantity::decimals(unit.reading(amount)));
    let share = |fraction: Option<Decimal>| fraction.map(quantity::share);
    Some(match key {
        "goal" => {
            let relative = matches!(
                &kr.target.value,
                Target::Move(Move {
                    goal: Goal::Relative { .. },
                    ..
                })
            );
            Some(match scored.target {
                Some(target) if relative => format!("{as_written} → {}", exact(target)),
                _ => as_written.to_string(),
            })
        }
        "baseline" => written(scored.baseline),
        "target" => scored.target.map(exact),
        "current" => written(scored.current),
        "forecast" => scored
            .forecast
            .map(|forecast| unit.format_beside(forecast, &marks())),
        "progress" => share(scored.progress),
        "score" => share(Some(scored.score)),
        "computed_score" => share(Some(scored.computed_score)),
        "graded" => share(scored.graded),
        "expected" => share(scored.expected),
        "confidence" => share(scored.confidence),
        "weight" => Some(quantity::figure(kr.weight())),
        _ => return None,
    })
}

/// All of a KR's numbers as the reports print them, its target
/// `as_written` given (what [`kr_number`] gives key by key).
pub fn kr_text(kr: &goals::KeyResult, scored: &KrScore, as_written: String) -> KrText {
    let number = |key| kr_number(kr, scored, &as_written, key).flatten();
    KrText {
        baseline: number("baseline"),
        target: number("target"),
        current: number("current"),
        forecast: number("forecast"),
        progress: number("progress"),
        score: number("score").unwrap_or_default(),
        computed_score: number("computed_score").unwrap_or_default(),
        graded: number("graded"),
        expected: number("expected"),
        confidence: number("confidence"),
        weight: number("weight").unwrap_or_default(),
        goal: number("goal").unwrap_or_default(),
    }
}
