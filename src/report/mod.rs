//! Stage 4, output: the scoreboard. Its data is the report document of
//! SPEC §6 ([`crate::document::report`]); `templates` renders it as
//! Markdown or one self-contained HTML page, with `chart` drawing each KR's
//! SVG chart.

pub mod chart;
pub mod render;
pub mod templates;

use crate::diagnostic::Diagnostic;
use crate::document::check::DiagnosticEntry;
use crate::document::report::{
    Checkin, Funnel, Initiative, KeyResult, Objective, Period, ReportDocument, Stage, Team,
};
use crate::document::{Lazy, Num};
use crate::funnel::{all_links, FunnelKrs};
use crate::model::goals::{self, Goals, ReferenceText};
use crate::model::resolve::{Index, Resolution};
use crate::score::{score_team, KrScore, ObjectiveScore, TeamScore};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// `value` as a share of `widest` on a log scale: 1 → 0, `widest` → 1.
fn log_share(value: rust_decimal::Decimal, widest: rust_decimal::Decimal) -> rust_decimal::Decimal {
    use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
    let (Some(value), Some(widest)) = (value.to_f64(), widest.to_f64()) else {
        return rust_decimal::Decimal::ZERO;
    };
    if value < 1.0 || widest <= 1.0 {
        return rust_decimal::Decimal::ZERO;
    }
    rust_decimal::Decimal::from_f64((value.ln() / widest.ln()).clamp(0.0, 1.0)).unwrap_or_default()
}

/// Every file's scores as of `today` (`None` for a file without a period),
/// files in parallel: exact decimal forecasts cost microseconds per KR.
pub fn scores(workspace: &Workspace, today: NaiveDate) -> Vec<Option<TeamScore>> {
    workspace
        .goals
        .par_iter()
        .map(|goals| score_team(goals, today))
        .collect()
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
        version: 1,
        today: today.to_string(),
        teams: Lazy(move || {
            workspace
                .goals
                .iter()
                .zip(scores)
                .filter_map(move |(goals, score)| {
                    let score = score.as_ref()?;
                    team(workspace, goals, score, json_objectives(goals, score))
                })
        }),
        diagnostics: DiagnosticEntry::all(workspace, diagnostics),
    }
}

/// A team's objectives as `--format json` writes them, each entry made as
/// it is written.
fn json_objectives<'a>(goals: &'a Goals, score: &'a TeamScore) -> impl Serialize + 'a {
    Lazy(move || {
        goals
            .objectives
            .iter()
            .zip(&score.objectives)
            .map(move |(goal, scored)| objective(goals, goal, scored, History::All))
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
/// `history` asks for.
pub fn objective(
    goals: &Goals,
    objective: &goals::Objective,
    scored: &ObjectiveScore,
    history: History,
) -> Objective {
    let team = goals.team_id().unwrap_or("");
    let name = ReferenceText::new(team, &objective.id.value);
    let reference = name.to_string();
    Objective {
        id: objective.id.value.clone(),
        title: objective.title.value.clone(),
        why: objective.why.as_ref().map(|why| why.value.clone()),
        owner: objective
            .owner
            .as_ref()
            .or(goals.owner.as_ref())
            .map(|o| o.value.clone()),
        kind: objective.kind().as_str(),
        aligns: objective.aligns.as_ref().map(|a| a.value.to_string()),
        score: Num(scored.score),
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
                owner: initiative.owner.as_ref().map(|o| o.value.clone()),
                status: initiative.status.as_ref().map(|s| s.value.as_str()),
                due: initiative.due.as_ref().map(|d| d.value.to_string()),
            })
            .collect(),
        reference,
    }
}

fn key_result(
    objective: ReferenceText<'_>,
    kr: &goals::KeyResult,
    scored: &KrScore,
    history: History,
) -> KeyResult {
    let unit = kr.target.value.unit();
    KeyResult {
        id: kr.id.value.clone(),
        reference: objective.child(&kr.id.value).to_string(),
        title: kr.title.value.clone(),
        unit: unit.map(|unit| unit.kind()),
        currency: unit
            .and_then(|unit| unit.currency())
            .map(|c| c.code().to_string()),
        direction: kr.target.value.direction(),
        baseline: scored.baseline.map(Num),
        target: scored.target.map(Num),
        current: scored.current.map(Num),
        progress: scored.progress.map(Num),
        score: Num(scored.score),
        expected: Num(scored.expected),
        status: scored.status.as_str(),
        forecast: scored.forecast.map(Num),
        weight: Num(kr.weight()),
        stage: kr.stage.as_ref().map(|s| s.value.to_string()),
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

/// How far into its period a team is, for the summary line.
#[derive(Serialize)]
pub struct PeriodSummary {
    pub label: String,
    pub start: String,
    pub end: String,
    /// Days elapsed and in all; `elapsed` as a fraction.
    pub day: i64,
    pub days: i64,
    pub elapsed: Num,
}

/// An objective in the alignment tree, as one row of the tree in pre-order.
/// The tree is flat so that neither the code nor a template recurses: an
/// alignment chain thousands of objectives deep renders like a wide one.
#[derive(Serialize)]
pub struct AlignNode {
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
}

/// One funnel's plan, for the funnel chart: per stage what the plan needs
/// and what the KRs target.
#[derive(Serialize)]
pub struct FunnelPlanView {
    pub team: String,
    pub id: String,
    pub title: Option<String>,
    pub target: Option<String>,
    pub stages: Vec<PlanStageView>,
}

#[derive(Serialize)]
pub struct PlanStageView {
    pub id: String,
    pub title: String,
    pub conversion: Option<Num>,
    pub needed: Option<Num>,
    pub kr_target: Option<Num>,
    pub yielded: Option<Num>,
    /// The larger of `needed` and `kr_target`, and the KR target, as shares of
    /// the widest stage on a log scale (a funnel spans orders of magnitude).
    pub width: Num,
    pub kr_width: Option<Num>,
}

/// What the template values made on demand read: the goals, their scores
/// and the day of the report, shared by the values (which the template
/// engine needs to own what they hold).
pub struct Shared {
    pub workspace: Workspace,
    pub scores: Vec<Option<TeamScore>>,
    pub today: NaiveDate,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("files", &self.workspace.files.len())
            .field("today", &self.today)
            .finish_non_exhaustive()
    }
}

/// Everything a template can use: the report itself and what is derived for
/// people (documented in `docs/templates.md`).
#[derive(Serialize)]
pub struct TemplateContext {
    /// The [`ReportDocument`] with `History::Latest`; its teams, and each
    /// team's objectives, are made when the template reads them
    /// ([`TeamsValue`]) and dropped after: the whole report is never held.
    pub report: minijinja::Value,
    pub periods: Vec<PeriodSummary>,
    /// SVG chart per KR, by its [`element_id`] (numbers only, safe to embed),
    /// drawn when the template reads it ([`ChartsValue`]).
    pub charts: minijinja::Value,
    pub alignment: minijinja::Value,
    /// The [`element_id`] of the objective each objective aligns to, by the
    /// aligning objective's own element id.
    pub aligned_to: minijinja::Value,
    /// Each team's funnel plans, by team id.
    pub funnel_plans: minijinja::Value,
    /// Teams start collapsed when there are many.
    pub collapsed: bool,
    /// How many objectives there are in all (the alignment diagram is left
    /// out of Markdown above `MERMAID_LIMIT`).
    pub objective_count: usize,
    pub mermaid_limit: usize,
}

/// Objectives beyond which a Mermaid diagram stops being readable.
const MERMAID_LIMIT: usize = 150;

/// Teams at which the HTML page starts with every team collapsed.
const COLLAPSE_AT: usize = 12;

/// The context the templates render, and (second) its largest parts made
/// up front, for a caller about to exit to leave unfreed.
pub fn template_context(
    shared: &Arc<Shared>,
    diagnostics: &[Diagnostic],
) -> (minijinja::Value, Vec<minijinja::Value>) {
    use minijinja::Value;
    let workspace = &shared.workspace;
    let scores = &shared.scores;
    let today = shared.today;
    let mut periods: Vec<PeriodSummary> = Vec::new();
    for goals in &workspace.goals {
        let Some(period) = goals.period.as_ref().map(|p| &p.value) else {
            continue;
        };
        if periods.iter().any(|known| known.label == period.label) {
            continue;
        }
        let day = (today - period.start).num_days().clamp(0, period.days());
        periods.push(PeriodSummary {
            label: period.label.clone(),
            start: period.start.to_string(),
            end: period.end.to_string(),
            day,
            days: period.days(),
            elapsed: Num(crate::score::expected(period, today)),
        });
    }
    let index = Index::new(&workspace.goals);
    let (charts, (alignment, funnel_plans)) = rayon::join(
        || chart::index(workspace, scores),
        || {
            rayon::join(
                || alignment(workspace, scores, &index),
                || funnel_plans(workspace, &index),
            )
        },
    );
    // The files a team's entry is made of, as `json` lists them.
    let teams: Vec<usize> = (0..workspace.goals.len())
        .filter(|&file| {
            let goals = &workspace.goals[file];
            scores[file].is_some() && goals.team.is_some() && goals.period.is_some()
        })
        .collect();
    let objective_count = teams
        .iter()
        .map(|&file| {
            let objectives = scores[file].as_ref().map_or(0, |s| s.objectives.len());
            workspace.goals[file].objectives.len().min(objectives)
        })
        .sum();
    let collapsed = teams.len() > COLLAPSE_AT;
    let report = Value::from_serialize(ReportDocument {
        version: 1,
        today: today.to_string(),
        teams: Value::from_object(TeamsValue {
            shared: Arc::clone(shared),
            files: teams,
        }),
        diagnostics: DiagnosticEntry::all(workspace, diagnostics),
    });
    let alignment_rows = Value::from_serialize(alignment.rows);
    let aligned_to = Value::from_serialize(alignment.aligned_to);
    let funnel_plans = Value::from_serialize(funnel_plans);
    let context = Value::from_serialize(TemplateContext {
        report: report.clone(),
        periods,
        charts: Value::from_object(ChartsValue {
            shared: Arc::clone(shared),
            index: charts,
            last: std::sync::Mutex::new(None),
        }),
        alignment: alignment_rows.clone(),
        aligned_to: aligned_to.clone(),
        funnel_plans: funnel_plans.clone(),
        collapsed,
        objective_count,
        mermaid_limit: MERMAID_LIMIT,
    });
    (context, vec![alignment_rows, aligned_to, funnel_plans])
}

/// `report.teams` for templates: a sequence whose teams are made from the
/// goals and scores when read, each objective too ([`ObjectivesValue`]). A
/// template that loops over the teams twice makes each twice; none is kept.
#[derive(Debug)]
pub struct TeamsValue {
    shared: Arc<Shared>,
    /// The files with a team's view (a team, a period and scores).
    files: Vec<usize>,
}

impl minijinja::value::Object for TeamsValue {
    fn repr(self: &Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Seq
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Seq(self.files.len())
    }

    fn get_value(self: &Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        let file = *self.files.get(key.as_usize()?)?;
        let goals = self.shared.workspace.goals.get(file)?;
        let score = self.shared.scores.get(file)?.as_ref()?;
        let objectives = minijinja::Value::from_object(ObjectivesValue {
            shared: Arc::clone(&self.shared),
            file,
        });
        team(&self.shared.workspace, goals, score, objectives).map(minijinja::Value::from_serialize)
    }
}

/// A team's `objectives` for templates: each objective's view (with its
/// latest check-ins) made when read.
#[derive(Debug)]
pub struct ObjectivesValue {
    shared: Arc<Shared>,
    file: usize,
}

impl ObjectivesValue {
    fn parts(&self) -> Option<(&Goals, &TeamScore)> {
        let goals = self.shared.workspace.goals.get(self.file)?;
        Some((goals, self.shared.scores.get(self.file)?.as_ref()?))
    }
}

impl minijinja::value::Object for ObjectivesValue {
    fn repr(self: &Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Seq
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        let len = self.parts().map_or(0, |(goals, score)| {
            goals.objectives.len().min(score.objectives.len())
        });
        minijinja::value::Enumerator::Seq(len)
    }

    fn get_value(self: &Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        let (goals, score) = self.parts()?;
        let at = key.as_usize()?;
        let view = objective(
            goals,
            goals.objectives.get(at)?,
            score.objectives.get(at)?,
            History::Latest,
        );
        Some(minijinja::Value::from_serialize(view))
    }
}

/// `charts` for templates: a map from each numeric KR's [`element_id`] to
/// its SVG, drawn when read. The last chart drawn is kept, as a template
/// asks `chart in charts` (which draws it) before `charts[chart]`.
#[derive(Debug)]
pub struct ChartsValue {
    shared: Arc<Shared>,
    index: std::collections::HashMap<String, chart::KrAt>,
    last: std::sync::Mutex<Option<(String, minijinja::Value)>>,
}

impl minijinja::value::Object for ChartsValue {
    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        let mut keys: Vec<&String> = self.index.keys().collect();
        keys.sort_unstable();
        minijinja::value::Enumerator::Values(
            keys.into_iter()
                .map(|key| minijinja::Value::from(key.as_str()))
                .collect(),
        )
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.index.len())
    }

    fn get_value(self: &Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        let id = key.as_str()?;
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((drawn, chart)) = last.as_ref() {
            if drawn == id {
                return Some(chart.clone());
            }
        }
        let &(file, objective, kr) = self.index.get(id)?;
        let goals = self.shared.workspace.goals.get(file)?;
        let scores = self.shared.scores.get(file)?.as_ref()?;
        let chart = minijinja::Value::from(chart::draw(
            goals,
            scores,
            (objective, kr),
            self.shared.today,
        )?);
        *last = Some((id.to_string(), chart.clone()));
        Some(chart)
    }
}

/// An objective, by file and position.
type ObjectiveAt = (usize, usize);

/// The id of a team's, objective's or KR's element in the HTML report: one
/// team's goals for two periods (a folder holding 2026-Q3 and 2026-Q4) must
/// not share ids or charts.
pub fn element_id(period: &str, reference: &str) -> String {
    format!("{}--{}", id_part(period), id_part(reference))
}

/// Text made fit for an HTML id: anything but letters, digits, `-` and `_` becomes `-`.
fn id_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The alignment tree's rows, and where each aligning objective points.
struct Alignment {
    rows: Vec<AlignNode>,
    aligned_to: BTreeMap<String, String>,
}

fn alignment(workspace: &Workspace, scores: &[Option<TeamScore>], index: &Index<'_>) -> Alignment {
    let mut tree = Tree {
        workspace,
        scores,
        children: BTreeMap::new(),
        visited: std::collections::HashSet::new(),
    };
    let mut roots = Vec::new();
    let mut aligned_to = BTreeMap::new();
    for goals in &workspace.goals {
        for (at, objective) in goals.objectives.iter().enumerate() {
            let parent = objective.aligns.as_ref().and_then(|aligns| {
                match index.goal(goals, &aligns.value) {
                    Resolution::Found(found) => Some(found),
                    _ => None,
                }
            });
            match parent {
                Some(parent) if (parent.file, parent.objective) != (goals.file, at) => {
                    if let (Some(from), Some(to)) = (
                        objective_element(workspace, (goals.file, at)),
                        objective_element(workspace, (parent.file, parent.objective)),
                    ) {
                        aligned_to.insert(from, to);
                    }
                    let via = index.key_result(parent).map(|kr| kr.title.value.clone());
                    tree.children
                        .entry((parent.file, parent.objective))
                        .or_default()
                        .push(((goals.file, at), via));
                }
                _ => roots.push((goals.file, at)),
            }
        }
    }
    let mut rows = Vec::new();
    for root in roots {
        tree.place(root, &mut rows);
    }
    close_levels(&mut rows);
    Alignment { rows, aligned_to }
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

/// The alignment tree being built: who aligns to whom, and who is placed.
struct Tree<'w> {
    workspace: &'w Workspace,
    scores: &'w [Option<TeamScore>],
    children: BTreeMap<ObjectiveAt, Vec<(ObjectiveAt, Option<String>)>>,
    /// Each objective appears once, even in a (reported) cycle.
    visited: std::collections::HashSet<ObjectiveAt>,
}

impl Tree<'_> {
    /// Appends `root` and everything aligned to it, in pre-order, walking
    /// with a stack of its own (never the call stack).
    fn place(&mut self, root: ObjectiveAt, rows: &mut Vec<AlignNode>) {
        let mut pending = vec![(root, None, 0, None)];
        while let Some(((file, at), via, depth, parent)) = pending.pop() {
            if !self.visited.insert((file, at)) {
                continue;
            }
            let Some(row) = self.row((file, at), via, depth, parent) else {
                continue;
            };
            if let Some(kids) = self.children.get(&(file, at)) {
                pending.extend(kids.iter().rev().map(|(child, via)| {
                    (*child, via.clone(), depth + 1, Some(row.reference.clone()))
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
            via,
            depth,
            parent,
            has_children: false,
            closes: 0,
        })
    }
}

fn funnel_plans(workspace: &Workspace, index: &Index<'_>) -> BTreeMap<String, Vec<FunnelPlanView>> {
    // Links grouped by the funnel they lead to, so each funnel sees only its own.
    let mut by_funnel: std::collections::HashMap<*const crate::model::goals::Funnel, Vec<_>> =
        std::collections::HashMap::new();
    for link in all_links(&workspace.goals, index) {
        by_funnel
            .entry(std::ptr::from_ref(link.1.funnel))
            .or_default()
            .push(link);
    }
    let mut plans: BTreeMap<String, Vec<FunnelPlanView>> = BTreeMap::new();
    for goals in &workspace.goals {
        for funnel in &goals.funnels {
            let links = by_funnel
                .get(&std::ptr::from_ref(funnel))
                .map_or(&[][..], Vec::as_slice);
            let krs = FunnelKrs::gather(funnel, links);
            let plan = krs.default_plan(funnel);
            let needed = |stage: usize| plan.as_ref().and_then(|plan| plan.needed[stage]);
            let widest = (0..funnel.stages.len())
                .filter_map(|stage| needed(stage).max(krs.kr_targets[stage]))
                .max()
                .unwrap_or_default();
            let scale = |value: rust_decimal::Decimal| Num(log_share(value, widest));
            let stages = funnel
                .stages
                .iter()
                .enumerate()
                .map(|(at, stage)| {
                    let shown = needed(at).max(krs.kr_targets[at]).unwrap_or_default();
                    PlanStageView {
                        id: stage.id.value.clone(),
                        title: stage.title.value.clone(),
                        conversion: plan.as_ref().and_then(|plan| plan.rates[at]).map(Num),
                        needed: needed(at).map(Num),
                        kr_target: krs.kr_targets[at].map(Num),
                        yielded: plan.as_ref().and_then(|plan| plan.yielded[at]).map(Num),
                        width: scale(shown),
                        kr_width: krs.kr_targets[at].map(scale),
                    }
                })
                .collect();
            let team = goals.team_id().unwrap_or("").to_string();
            plans.entry(team.clone()).or_default().push(FunnelPlanView {
                team,
                id: funnel.id.value.clone(),
                title: funnel.title.as_ref().map(|t| t.value.clone()),
                target: krs
                    .deepest
                    .as_ref()
                    .map(|(_, _, reference)| reference.clone()),
                stages,
            });
        }
    }
    plans
}
