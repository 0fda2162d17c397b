//! What the templates render (documented in `docs/templates.md`): the
//! report's document and what is derived for people, its teams, objectives
//! and charts made when the template reads them (`minijinja` objects), so
//! that a 2,000-team page never holds every view at once.

use super::alignment::{aligned_to, alignment};
use super::build::{self, View};
use super::chart::{self, ChartIndex};
use super::funnels::{funnel_plans, PlanIndex};
use super::on_demand::OnDemand;
use crate::diagnostic::Diagnostic;
use crate::document::check::DiagnosticEntry;
use crate::document::report::ReportDocument;
use crate::document::Num;
use crate::model::goals::{Goals, Objective};
use crate::model::resolve::Index;
use crate::score::{ObjectiveScore, TeamScore};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use minijinja::value::{merge_maps, Enumerator, Object, ObjectRepr};
use minijinja::{context, Error, ErrorKind, State, Value};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::ThreadId;

/// What the template values made on demand read: the goals, their scores
/// and the day of the report, shared by the values (which the template
/// engine needs to own what they hold).
pub(super) struct Shared {
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

/// How far into its period a team is, for the summary line.
#[derive(Serialize)]
pub(super) struct PeriodSummary {
    pub label: String,
    pub start: String,
    pub end: String,
    /// Days elapsed and in all; `elapsed` as a fraction.
    pub day: i64,
    pub days: i64,
    pub elapsed: Num,
    /// `elapsed` as the reports print it.
    pub text: PeriodText,
}

/// A period's numbers as the reports print them.
#[derive(Serialize)]
pub(super) struct PeriodText {
    pub elapsed: String,
}

/// Everything a template can use: the report itself and what is derived for
/// people (documented in `docs/templates.md`).
#[derive(Serialize)]
pub(super) struct TemplateContext {
    /// The [`ReportDocument`] with `View::Template`; its teams, and each
    /// team's objectives, are made when the template reads them
    /// ([`TeamsValue`]) and dropped after: the whole report is never held.
    pub report: Value,
    pub periods: Vec<PeriodSummary>,
    /// SVG chart per KR, by its [`element_id`] (numbers only, safe to embed),
    /// drawn when the template reads it ([`ChartsValue`]).
    ///
    /// [`element_id`]: super::element_id
    pub charts: Value,
    pub alignment: Value,
    /// The [`element_id`] of the objective each objective aligns to, by the
    /// aligning objective's own element id.
    ///
    /// [`element_id`]: super::element_id
    pub aligned_to: Value,
    /// Each team's funnel plans, by team id.
    pub funnel_plans: Value,
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

/// The context the templates render. The cross-team parts (the alignment
/// tree, `aligned_to`, the funnel plans, the charts' index) are made when
/// the template first reads them ([`OnDemand`], [`ChartsValue`]): the
/// Markdown report of a large organisation reads only the funnel plans.
pub(super) fn template_context(shared: &Arc<Shared>, diagnostics: &[Diagnostic]) -> Value {
    let workspace = &shared.workspace;
    let scores = &shared.scores;
    let today = shared.today;
    // The files a team's entry is made of, as the JSON report lists them.
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
    let root = Value::from_serialize(TemplateContext {
        report: Value::from_serialize(ReportDocument {
            version: crate::document::VERSION,
            today: today.to_string(),
            teams: Value::from_object(TeamsValue {
                shared: Arc::clone(shared),
                files: teams,
            }),
            diagnostics: DiagnosticEntry::all(workspace, diagnostics),
        }),
        periods: periods(workspace, today),
        charts: Value::from_object(ChartsValue {
            shared: Arc::clone(shared),
            index: OnceLock::new(),
            last: Mutex::new(Vec::new()),
        }),
        alignment: OnDemand::value(shared, |shared| {
            let index = Index::new(&shared.workspace.goals);
            alignment(&shared.workspace, &shared.scores, &index)
        }),
        aligned_to: OnDemand::value(shared, |shared| {
            let index = Index::new(&shared.workspace.goals);
            aligned_to(&shared.workspace, &index, 0..shared.workspace.goals.len())
        }),
        funnel_plans: OnDemand::value(shared, |shared| PlanIndex::new(&shared.workspace)),
        collapsed,
        objective_count,
        mermaid_limit: MERMAID_LIMIT,
    });
    merge_maps([
        context! { team_section => team_sections(root.clone()) },
        root,
    ])
}

/// How many teams' sections `team_section` renders at once, side by side:
/// enough to keep every core busy, few enough that the page is never held.
const SECTIONS_AHEAD: usize = 8;

/// The template of one team's section.
const TEAM_TEMPLATE: &str = "report-team.html.j2";

/// `team_section(i)`: the section of `report.teams[i]`, [`TEAM_TEMPLATE`]
/// rendered with the page's variables and `team`, as an `include` inside
/// the loop over the teams renders it. The page asks for the sections in
/// order; each miss renders it and the next [`SECTIONS_AHEAD`] - 1 in
/// parallel (a team's section was two thirds of the page's time, on one
/// core), and each is dropped once written.
fn team_sections(root: Value) -> Value {
    let ahead: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
    Value::from_function(move |state: &State, index: usize| -> Result<Value, Error> {
        let mut ahead = ahead.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = ahead.iter().position(|(i, _)| *i == index) {
            let (_, section) = ahead.swap_remove(at);
            return Ok(Value::from_safe_string(section));
        }
        let teams = root.get_attr("report")?.get_attr("teams")?;
        let count = teams.len().unwrap_or_default();
        if index >= count {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("team_section({index}): there are {count} teams"),
            ));
        }
        let template = state.env().get_template(TEAM_TEMPLATE)?;
        let render = |i: usize| -> Result<(usize, String), Error> {
            let team = teams.get_item(&Value::from(i))?;
            let section = template.render(merge_maps([context! { team }, root.clone()]))?;
            Ok((i, section))
        };
        let mut rendered = (index..count.min(index + SECTIONS_AHEAD))
            .into_par_iter()
            .map(render)
            .collect::<Result<Vec<_>, Error>>()?;
        let (_, section) = rendered.remove(0);
        *ahead = rendered;
        Ok(Value::from_safe_string(section))
    })
}

/// Each period of the files read, in the order first read, with how far
/// into it `today` is.
pub(super) fn periods(workspace: &Workspace, today: NaiveDate) -> Vec<PeriodSummary> {
    let mut periods: Vec<PeriodSummary> = Vec::new();
    for goals in &workspace.goals {
        let Some(period) = goals.period.as_ref().map(|p| &p.value) else {
            continue;
        };
        if periods.iter().any(|known| known.label == period.label) {
            continue;
        }
        let day = (today - period.start).num_days().clamp(0, period.days());
        let elapsed = crate::score::expected(period, today);
        periods.push(PeriodSummary {
            label: period.label.clone(),
            start: period.start.to_string(),
            end: period.end.to_string(),
            day,
            days: period.days(),
            elapsed: Num(elapsed),
            text: PeriodText {
                elapsed: crate::model::quantity::share(elapsed),
            },
        });
    }
    periods
}

/// What one team's section reads besides `team` (`okr serve`'s team and
/// funnel pages): `charts`, `aligned_to` and `funnel_plans` as
/// [`template_context`] gives them, for file `file` only, so that a page
/// costs its team, not the organisation.
pub(super) fn team_context(shared: &Arc<Shared>, file: usize) -> Value {
    let workspace = &shared.workspace;
    let index = Index::new(&workspace.goals);
    minijinja::context! {
        charts => Value::from_object(ChartsValue {
            shared: Arc::clone(shared),
            index: OnceLock::from(ChartIndex::of(workspace, &shared.scores, [file])),
            last: Mutex::new(Vec::new()),
        }),
        aligned_to => Value::from_serialize(aligned_to(workspace, &index, [file])),
        funnel_plans => Value::from_serialize(funnel_plans(workspace, &index, [file])),
        collapsed => false,
    }
}

/// `report.teams` for templates: a sequence whose teams are made from the
/// goals and scores when read, each objective too ([`ObjectivesValue`]). A
/// template that loops over the teams twice makes each twice; none is kept.
#[derive(Debug)]
pub(super) struct TeamsValue {
    shared: Arc<Shared>,
    /// The files with a team's view (a team, a period and scores).
    files: Vec<usize>,
}

impl Object for TeamsValue {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.files.len())
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        team_value(&self.shared, *self.files.get(key.as_usize()?)?)
    }
}

/// The team of file `file` as `report.teams` gives it to templates; none
/// for a file without a team, a period or scores.
pub(super) fn team_value(shared: &Arc<Shared>, file: usize) -> Option<Value> {
    let goals = shared.workspace.goals.get(file)?;
    let score = shared.scores.get(file)?.as_ref()?;
    let objectives = Value::from_object(ObjectivesValue {
        shared: Arc::clone(shared),
        file,
    });
    build::team(&shared.workspace, goals, score, objectives, View::Template)
        .map(Value::from_serialize)
}

/// A team's `objectives` for templates: each objective's view (with its
/// latest check-ins) made when read.
#[derive(Debug)]
pub(super) struct ObjectivesValue {
    shared: Arc<Shared>,
    file: usize,
}

impl ObjectivesValue {
    fn parts(&self) -> Option<(&Goals, &TeamScore)> {
        let goals = self.shared.workspace.goals.get(self.file)?;
        Some((goals, self.shared.scores.get(self.file)?.as_ref()?))
    }
}

impl Object for ObjectivesValue {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let len = self.parts().map_or(0, |(goals, score)| {
            goals.objectives.len().min(score.objectives.len())
        });
        Enumerator::Seq(len)
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let (goals, score) = self.parts()?;
        let at = key.as_usize()?;
        let key_results = Value::from_object(KeyResultsValue {
            shared: Arc::clone(&self.shared),
            file: self.file,
            objective: at,
        });
        let text = Value::from_object(ObjectiveTextValue {
            shared: Arc::clone(&self.shared),
            file: self.file,
            objective: at,
        });
        let view = build::objective(
            &self.shared.workspace,
            goals,
            goals.objectives.get(at)?,
            score.objectives.get(at)?,
            key_results,
            Some(text),
        );
        Some(Value::from_serialize(view))
    }
}

/// An objective's `text` for templates: its scores printed, and its
/// children listed, when read ([`build::objective_text`]), as the built-in
/// summaries read none of them.
#[derive(Debug)]
pub(super) struct ObjectiveTextValue {
    shared: Arc<Shared>,
    file: usize,
    objective: usize,
}

impl Object for ObjectiveTextValue {
    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(build::OBJECTIVE_TEXT)
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let shared = &self.shared;
        let scored = shared
            .scores
            .get(self.file)?
            .as_ref()?
            .objectives
            .get(self.objective)?;
        match key.as_str()? {
            "children" => Some(Value::from_serialize(
                scored
                    .children
                    .iter()
                    .filter_map(|&child| {
                        build::child_text(&shared.workspace, &shared.scores, child)
                    })
                    .collect::<Vec<_>>(),
            )),
            key => Some(Value::from(build::objective_text(scored, key)?)),
        }
    }
}

/// An objective's `key_results` for templates: each KR's view made when
/// read, so that a page listing only the objectives' statuses (the
/// built-in summaries) never makes their KRs.
#[derive(Debug)]
pub(super) struct KeyResultsValue {
    shared: Arc<Shared>,
    file: usize,
    objective: usize,
}

impl KeyResultsValue {
    fn parts(&self) -> Option<(&Goals, &Objective, &ObjectiveScore)> {
        let goals = self.shared.workspace.goals.get(self.file)?;
        let scores = self.shared.scores.get(self.file)?.as_ref()?;
        Some((
            goals,
            goals.objectives.get(self.objective)?,
            scores.objectives.get(self.objective)?,
        ))
    }
}

impl Object for KeyResultsValue {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let len = self.parts().map_or(0, |(_, objective, scored)| {
            objective.key_results.len().min(scored.key_results.len())
        });
        Enumerator::Seq(len)
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let (goals, objective, scored) = self.parts()?;
        let at = key.as_usize()?;
        let view = build::key_result(
            build::reference(goals, objective),
            objective.key_results.get(at)?,
            scored.key_results.get(at)?,
            View::Template,
            |as_written| {
                Some(Value::from_object(KrTextValue {
                    shared: Arc::clone(&self.shared),
                    file: self.file,
                    objective: self.objective,
                    kr: at,
                    as_written: as_written.to_string(),
                }))
            },
        );
        Some(Value::from_serialize(view))
    }
}

/// A KR's `text` for templates: each of its numbers printed when read
/// ([`build::kr_number`]), as a page prints only some of them.
#[derive(Debug)]
pub(super) struct KrTextValue {
    shared: Arc<Shared>,
    file: usize,
    objective: usize,
    kr: usize,
    /// Its target as written, which its `target_text` holds too.
    as_written: String,
}

impl Object for KrTextValue {
    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(build::KR_TEXT)
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let goals = self.shared.workspace.goals.get(self.file)?;
        let scores = self.shared.scores.get(self.file)?.as_ref()?;
        let kr = goals
            .objectives
            .get(self.objective)?
            .key_results
            .get(self.kr)?;
        let scored = scores
            .objectives
            .get(self.objective)?
            .key_results
            .get(self.kr)?;
        Some(Value::from(build::kr_number(
            kr,
            scored,
            &self.as_written,
            key.as_str()?,
        )?))
    }
}

/// `charts` for templates: a map from each numeric KR's [`element_id`] to
/// its SVG, drawn when read. The last chart drawn is kept, as a template
/// asks `chart in charts` (which draws it) before `charts[chart]`.
///
/// [`element_id`]: super::element_id
#[derive(Debug)]
pub(super) struct ChartsValue {
    shared: Arc<Shared>,
    /// Where each chart is, made on first read.
    index: OnceLock<ChartIndex>,
    /// The chart each thread drew last: a template asks whether a chart is
    /// there (`chart in charts`), then for it, on the thread rendering that
    /// team's section while others render theirs.
    last: Mutex<Vec<(ThreadId, String, Value)>>,
}

impl ChartsValue {
    fn index(&self) -> &ChartIndex {
        self.index.get_or_init(|| {
            let shared = &self.shared;
            ChartIndex::of(
                &shared.workspace,
                &shared.scores,
                0..shared.workspace.goals.len(),
            )
        })
    }
}

impl Object for ChartsValue {
    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let ids = self.index().ids(&self.shared.workspace);
        Enumerator::Values(ids.into_iter().map(Value::from).collect())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.index().ids(&self.shared.workspace).len())
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let id = key.as_str()?;
        let thread = std::thread::current().id();
        let lock = || self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((.., chart)) = lock()
            .iter()
            .find(|(by, drawn, _)| *by == thread && drawn == id)
        {
            return Some(chart.clone());
        }
        // Drawn without the lock: team sections render side by side.
        let (file, objective, kr) = self.index().get(&self.shared.workspace, id)?;
        let goals = self.shared.workspace.goals.get(file)?;
        let scores = self.shared.scores.get(file)?.as_ref()?;
        let chart = Value::from(chart::draw(
            goals,
            scores,
            (objective, kr),
            self.shared.today,
        )?);
        let drawn = (thread, id.to_string(), chart.clone());
        let mut last = lock();
        match last.iter_mut().find(|(by, ..)| *by == thread) {
            Some(entry) => *entry = drawn,
            None => last.push(drawn),
        }
        Some(chart)
    }
}
