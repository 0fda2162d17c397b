//! `okr report --format json` (SPEC §6 and §8), version 2: the scoreboard
//! for scripts and dashboards, and the `report` the templates render, so
//! that a custom template sees exactly what a script does. Percents are
//! fractions, money is its amount beside `currency`; what does not apply is
//! null. `docs/schema/report.schema.json` describes every key. The `text`
//! of a team, objective or KR is for templates only and never in the JSON.

use super::check::DiagnosticEntry;
use super::Num;
use crate::model::goals::{CheckIn, Reading};
use serde::Serialize;

/// The report. Its teams are a list, or (`T`) anything written as one:
/// teams made one at a time as the JSON is written, or as a template reads
/// them, so that a 2,000-team organisation is never held whole.
#[derive(Serialize)]
pub struct ReportDocument<'a, T = Vec<Team>> {
    /// [`super::VERSION`].
    pub version: u32,
    /// The day the scores are as of (`--today`), for reading them later.
    pub today: String,
    /// Every team shown, one per file read for the periods asked.
    pub teams: T,
    /// What `okr check` finds in the same files.
    pub diagnostics: Vec<DiagnosticEntry<'a>>,
}

/// A team in one period (one file's goals). Its objectives are a list, or
/// (`O`) anything written as one, made one at a time like the teams.
#[derive(Serialize)]
pub struct Team<O = Vec<Objective>> {
    /// The team's id.
    pub id: String,
    /// Its display name (the id when it has none).
    pub name: String,
    /// The file its goals were read from.
    pub file: String,
    /// The period the goals are for.
    pub period: Period,
    /// The mean of its objectives' scores.
    pub score: Num,
    /// Its objectives, in the order written.
    pub objectives: O,
    /// Its funnels, in the order written.
    pub funnels: Vec<Funnel>,
    /// Templates only (never in the JSON): the score as reports print it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<TeamText>,
}

/// A team's numbers as the reports print them (templates only).
#[derive(Serialize)]
pub struct TeamText {
    /// The team's score, `0.54`.
    pub score: String,
}

/// The period by its dates too, so a consumer need not parse its label.
#[derive(Serialize)]
pub struct Period {
    /// As written: `2026-Q3`.
    pub label: String,
    /// The first day, `YYYY-MM-DD`.
    pub start: String,
    /// The last day, included.
    pub end: String,
}

/// An objective with its score and status; `ref` is how other goals and
/// `okr log` name it. Its KRs and `text` are type parameters, so that the
/// templates' are made when read; the JSON has no `text`.
#[derive(Serialize)]
pub struct Objective<K = Vec<KeyResult>, X = ()> {
    /// The objective's id in its file.
    pub id: String,
    /// `team/objective`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Its title.
    pub title: String,
    /// Why the objective matters (beyond SPEC §6's keys).
    pub why: Option<String>,
    /// The first of `owners`, as version 1 had it.
    pub owner: Option<String>,
    /// Its own `owner` handles, else the file's.
    pub owners: Vec<String>,
    /// `committed` or `aspirational`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Every parent (`team/objective` or `team/objective.kr`), as written.
    pub aligns: Vec<String>,
    /// The objectives whose `aligns` names this one, by `ref`.
    pub children: Vec<String>,
    /// Whether the children count in `score` (no KRs of its own, or `rollup`).
    pub rolled_up: bool,
    /// The grade (at most 1) when there is one, else `computed_score`.
    pub score: Num,
    /// The formula's score from the KRs' (and children's) formula scores,
    /// ignoring every grade.
    pub computed_score: Num,
    /// `grade P%` as written (may exceed 1), and its note.
    pub graded: Option<Num>,
    /// The `grade` line's note.
    pub grade_note: Option<String>,
    /// `done`, `on-track`, `at-risk`, `off-track`, `not-started` or `missed`.
    pub status: &'static str,
    /// `green`, `yellow` or `red` once the period has ended, else null.
    pub grade: Option<&'static str>,
    /// Whether it is committed and ended below 1.0.
    pub missed_commitment: bool,
    /// Its KRs, in the order written.
    pub key_results: K,
    /// Its initiatives, in the order written.
    pub initiatives: Vec<Initiative>,
    /// Templates only (never in the JSON): the scores as reports print
    /// them, and its children as a report lists them (the keys are
    /// `report`'s `OBJECTIVE_TEXT`, described in `docs/templates.md`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<X>,
}

/// An objective aligned to the one listing it, as a report links to it
/// (in its `text.children`).
#[derive(Serialize)]
pub struct Child {
    /// `team/objective`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Its team's name.
    pub team: String,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: &'static str,
    /// Its score, printed.
    pub score: String,
    /// Its HTML element id (`element_id(period, ref)`), for a link.
    pub anchor: String,
}

/// A KR with every number its score is made of, so a consumer can show
/// (or check) how the score came about. Its `text` is a type parameter: the
/// templates' is made key by key as they read it, and the JSON has none.
#[derive(Serialize)]
pub struct KeyResult<X = ()> {
    /// The KR's id in its objective.
    pub id: String,
    /// `team/objective.kr`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Its title.
    pub title: String,
    /// The first of `owners`; null when the KR names none.
    pub owner: Option<String>,
    /// Its `owner` handles, else its objective's.
    pub owners: Vec<String>,
    /// `count`, `percent` or `money`; null when the target has none (a milestone).
    pub unit: Option<&'static str>,
    /// The ISO code of money (`USD`); null otherwise.
    pub currency: Option<String>,
    /// `increase`, `decrease`, `hold` or `milestone`.
    pub direction: &'static str,
    /// The target as written after `target` (`+15%`, `<= $9,000`), or the
    /// whole form for the others (`hold >= 95%`, `milestone`).
    pub target_text: String,
    /// `total` (a running total from 0), `level`, or null (holds, milestones).
    pub measure: Option<&'static str>,
    /// Where it starts from; null without one.
    pub baseline: Option<Num>,
    /// The target as a number, a relative one resolved; null for holds,
    /// milestones and a relative target with nothing to start from yet.
    pub target: Option<Num>,
    /// A hold's band; null for every other target.
    pub band: Option<Band>,
    /// The latest reading on or before today; null without one.
    pub current: Option<Num>,
    /// How far from baseline to target the current value is.
    pub progress: Option<Num>,
    /// The grade (at most 1) when there is one, else `computed_score`.
    pub score: Num,
    /// The formula's score, ignoring the grade.
    pub computed_score: Num,
    /// `grade P%` as written (may exceed 1).
    pub graded: Option<Num>,
    /// The `grade` line's note.
    pub grade_note: Option<String>,
    /// Share of the KR's clock elapsed; null for holds.
    pub expected: Option<Num>,
    /// `done`, `on-track`, `at-risk`, `off-track`, `not-started` or `missed`.
    pub status: &'static str,
    /// No reading within the cadence (plus 3 days) while the period runs.
    pub stale: bool,
    /// The latest check-in's confidence (null when it gives none).
    pub confidence: Option<Num>,
    /// For a hold (or a met baseline scored as one): how many readings held.
    pub held: Option<Held>,
    /// Where the value is heading by the end, at the pace of the readings.
    pub forecast: Option<Num>,
    /// Its share in the objective's score.
    pub weight: Num,
    /// The funnel stage it measures, `funnel.stage`.
    pub stage: Option<String>,
    /// The KR's own due date, which its clock and forecast run to.
    pub due: Option<String>,
    /// Its check-ins, in the order written.
    pub checkins: Vec<Checkin>,
    /// Templates only (never in the JSON): every number as reports print it
    /// (the keys are `report`'s `KR_TEXT`, described in `docs/templates.md`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<X>,
}

/// A KR's numbers as the reports print them, all made at once (a language
/// server's hover; the templates' `text` is made key by key), each made
/// from the exact decimal by `model::quantity`'s display rule: a value with
/// its target's decimals (a hold's: its band's), and more where fewer would
/// read as the target it is not (`99.50%` of `99.95%`, `24.6%` of `25%`);
/// a share as a percent that reads 100% only when it is. Null where the
/// number is.
#[derive(Serialize)]
pub struct KrText {
    /// What the KR aims at, as a report states it: the target as written,
    /// and a relative one as resolved too (`+15% → $1,150,000`).
    pub goal: String,
    /// `baseline`, printed.
    pub baseline: Option<String>,
    /// `target`, printed.
    pub target: Option<String>,
    /// `current`, printed.
    pub current: Option<String>,
    /// `forecast`, printed.
    pub forecast: Option<String>,
    /// `progress`, printed.
    pub progress: Option<String>,
    /// `score`, printed.
    pub score: String,
    /// `computed_score`, printed.
    pub computed_score: String,
    /// `graded`, printed.
    pub graded: Option<String>,
    /// `expected`, printed.
    pub expected: Option<String>,
    /// `confidence`, printed.
    pub confidence: Option<String>,
    /// `weight`, printed.
    pub weight: String,
}

/// The band a hold keeps: null for an open side; a strict side (`>`, `<`)
/// leaves the bound itself outside.
#[derive(Serialize)]
pub struct Band {
    /// The lower bound; null when open.
    pub min: Option<Num>,
    /// The upper bound; null when open.
    pub max: Option<Num>,
    /// Whether the lower bound itself is outside (`>`).
    pub min_strict: bool,
    /// Whether the upper bound itself is outside (`<`).
    pub max_strict: bool,
}

/// A hold's readings so far (on or before today), and how many were inside
/// its band: its score is their share.
#[derive(Serialize)]
pub struct Held {
    /// How many readings were inside the band.
    pub count: usize,
    /// How many readings there are.
    pub readings: usize,
}

/// A check-in as written, the same in the report and in `okr diff`'s
/// changes, so that one parser reads both.
#[derive(Serialize)]
pub struct Checkin {
    /// The day of the reading, `YYYY-MM-DD`.
    pub date: String,
    /// What was read.
    pub value: CheckinValue,
    /// How sure the reporter is, as a fraction.
    pub confidence: Option<Num>,
    /// What the reporter adds.
    pub note: Option<String>,
    /// Who reported it.
    pub by: Option<String>,
}

impl Checkin {
    /// The entry for a check-in of the goals.
    pub fn of(checkin: &CheckIn) -> Self {
        Checkin {
            date: checkin.date.value.to_string(),
            value: match &checkin.reading.value {
                Reading::Value(value) => CheckinValue::Number(Num(value.amount)),
                Reading::Done => CheckinValue::Word("done"),
                Reading::Pending => CheckinValue::Word("pending"),
            },
            confidence: checkin.confidence().map(|c| Num(c.value)),
            note: checkin.note().map(|n| n.value.clone()),
            by: checkin.by().map(|b| b.value.clone()),
        }
    }
}

/// A reading: a number in the KR's unit, or for a milestone the word
/// `"done"` or `"pending"` (a milestone has no number to give).
#[derive(Serialize)]
#[serde(untagged)]
pub enum CheckinValue {
    /// A number in the KR's unit.
    Number(Num),
    /// `done` or `pending`, for a milestone.
    Word(&'static str),
}

/// Work planned for an objective: shown beside it, never scored.
#[derive(Serialize)]
pub struct Initiative {
    /// The initiative's id, if given.
    pub id: Option<String>,
    /// Its title.
    pub title: String,
    /// The first of `owners`.
    pub owner: Option<String>,
    /// Its `owner` handles.
    pub owners: Vec<String>,
    /// `planned`, `active`, `done` or `dropped`, if given.
    pub status: Option<&'static str>,
    /// Its due date, if given.
    pub due: Option<String>,
}

/// A funnel as written (its plan is `okr funnel`'s), for a consumer to link
/// KRs to the stages they name.
#[derive(Serialize)]
pub struct Funnel {
    /// The funnel's id.
    pub id: String,
    /// Its stages, top first.
    pub stages: Vec<Stage>,
}

/// A stage as the file gives it (its conversion a fraction of the stage
/// before, its value what one unit there is worth), for a consumer to do
/// funnel arithmetic of its own.
#[derive(Serialize)]
pub struct Stage {
    /// The stage's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The share of the previous stage that reaches it; null for the first.
    pub conversion: Option<Num>,
    /// What one unit there is worth, if given.
    pub value: Option<Num>,
}
