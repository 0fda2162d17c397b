//! The report's document (SPEC §6) from the goals and their scores: each
//! team's, objective's and KR's entry, made when it is written or read.

use crate::diagnostic::Diagnostic;
use crate::document::check::DiagnosticEntry;
use crate::document::report::{
    Band, Checkin, Funnel, Held, Initiative, KeyResult, Objective, Period, ReportDocument, Stage,
    Team,
};
use crate::document::{target_text, Lazy, Num, VERSION};
use crate::model::goals::{self, Goals, ReferenceText, Target};
use crate::score::{score_team, KrScore, Measure, ObjectiveAt, ObjectiveScore, TeamScore};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use rayon::prelude::*;
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

/// Which check-ins a KR's entry lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum History {
    /// Every check-in, as the JSON interface gives them.
    All,
    /// Only the latest on or before today: what templates show (the charts
    /// draw the rest), which keeps a 2,000-team page fast to render.
    Latest,
}

/// The report as `--format json` writes it: each team's and objective's
/// entry made as it is written and dropped after, so the report is never
/// held whole. Files without a team or period (which `okr check` reports)
/// are left out.
pub fn json<'a>(
    workspace: &'a Workspace,
    scores: &'a [Option<TeamScore>],
    diagnostics: &'a [Diagnostic],
    today: NaiveDate,
) -> ReportDocument<'a, impl Serialize + 'a> {
    ReportDocument {
        version: VERSION,
        today: today.to_string(),
        teams: Lazy(move || {
            workspace
                .goals
                .iter()
                .zip(scores)
                .filter_map(move |(goals, score)| {
                    let score = score.as_ref()?;
                    team(
                        workspace,
                        goals,
                        score,
                        json_objectives(workspace, goals, score),
                    )
                })
        }),
        diagnostics: DiagnosticEntry::all(workspace, diagnostics),
    }
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
            .map(move |(goal, scored)| objective(workspace, goals, goal, scored, History::All))
    })
}

/// A team's entry around its objectives, however they are given; none for
/// a file without a team or a period.
pub fn team<O>(
    workspace: &Workspace,
    goals: &Goals,
    score: &TeamScore,
    objectives: O,
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
    })
}

/// An objective's entry with its KRs', each listing the check-ins
/// `history` asks for; its children are named from `workspace`.
pub fn objective(
    workspace: &Workspace,
    goals: &Goals,
    objective: &goals::Objective,
    scored: &ObjectiveScore,
    history: History,
) -> Objective {
    let team = goals.team_id().unwrap_or("");
    let name = ReferenceText::new(team, &objective.id.value);
    let reference = name.to_string();
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
        grade: scored.grade.map(|grade| grade.as_str()),
        missed_commitment: scored.missed_commitment,
        key_results: objective
            .key_results
            .iter()
            .zip(&scored.key_results)
            .map(|(kr, scored)| key_result(name, kr, scored, history))
            .collect(),
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
        reference,
    }
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

fn key_result(
    objective: ReferenceText<'_>,
    kr: &goals::KeyResult,
    scored: &KrScore,
    history: History,
) -> KeyResult {
    let unit = kr.unit();
    KeyResult {
        id: kr.id.value.clone(),
        reference: objective.child(&kr.id.value).to_string(),
        title: kr.title.value.clone(),
        owner: kr.owners.first().map(|o| o.value.clone()),
        owners: handles(&kr.owners),
        unit: unit.map(|unit| unit.kind()),
        currency: unit
            .and_then(|unit| unit.currency())
            .map(|c| c.code().to_string()),
        direction: kr.target.value.direction(),
        target_text: target_text(&kr.target.value),
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
        checkins: match history {
            History::All => kr.checkins.iter().map(Checkin::of).collect(),
            History::Latest => scored
                .last_checkin
                .map(|at| Checkin::of(&kr.checkins[at]))
                .into_iter()
                .collect(),
        },
    }
}
