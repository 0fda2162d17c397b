//! Each funnel's default plan, as the funnel chart of the report draws it.

use super::context::Shared;
use super::on_demand::Entries;
use crate::document::Num;
use crate::funnel::{links_by_funnel, stage_krs, FunnelKrs, StageKr};
use crate::model::goals::{Funnel, Goals};
use crate::model::quantity::{self, Unit};
use crate::model::resolve::Index;
use crate::workspace::Workspace;
use minijinja::value::{Enumerator, ObjectRepr};
use minijinja::Value;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One funnel's plan, for the funnel chart: per stage what the plan needs
/// and what the KRs target.
#[derive(Serialize)]
pub(super) struct FunnelPlanView {
    pub team: String,
    pub id: String,
    pub title: Option<String>,
    pub target: Option<String>,
    pub stages: Vec<PlanStageView>,
}

/// A stage of a funnel's plan: one bar of the chart.
#[derive(Serialize)]
pub(super) struct PlanStageView {
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
    /// The numbers as the reports print them.
    pub text: PlanStageText,
}

/// A plan stage's numbers as the reports print them: the conversion as
/// written, volumes as figures ([`quantity::figure`]).
#[derive(Serialize)]
pub(super) struct PlanStageText {
    pub conversion: Option<String>,
    pub needed: Option<String>,
    pub kr_target: Option<String>,
    pub yielded: Option<String>,
}

/// The plan of every funnel of `files`, by team id.
pub(super) fn funnel_plans(
    workspace: &Workspace,
    index: &Index<'_>,
    files: impl IntoIterator<Item = usize>,
) -> BTreeMap<String, Vec<FunnelPlanView>> {
    let by_funnel = links_by_funnel(&workspace.goals, index);
    let mut plans: BTreeMap<String, Vec<FunnelPlanView>> = BTreeMap::new();
    for goals in files
        .into_iter()
        .filter_map(|file| workspace.goals.get(file))
    {
        for funnel in &goals.funnels {
            let links = by_funnel
                .get(&std::ptr::from_ref(funnel))
                .map_or(&[][..], Vec::as_slice);
            let team = goals.team_id().unwrap_or("").to_string();
            plans
                .entry(team)
                .or_default()
                .push(plan(goals, funnel, links));
        }
    }
    plans
}

/// Every team's funnel plans, each made when a template reads it, from an
/// index of where they come from made once: the files with a funnel, by
/// team id, and each funnel's linked KRs by position. At 2,000 teams the
/// plans and the links between them, made whole, were 7 MB of a Markdown
/// report's peak memory, which reads each team's plans once.
pub(super) struct PlanIndex {
    /// The files with a funnel, by team id (the plans' keys, as
    /// [`funnel_plans`] gives them).
    teams: BTreeMap<String, Vec<usize>>,
    /// The KRs linked to each funnel, by its file and position there.
    links: HashMap<(usize, usize), Vec<Link>>,
}

/// A KR linked to a funnel's stage, by position: the KR's file, objective
/// and KR, and the stage ([`StageKr`] without its references).
struct Link {
    file: usize,
    objective: usize,
    kr: usize,
    stage: usize,
}

impl PlanIndex {
    /// The index of `workspace`'s funnels, gathered a file at a time.
    pub(super) fn new(workspace: &Workspace) -> PlanIndex {
        let index = Index::new(&workspace.goals);
        let mut teams: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut links: HashMap<(usize, usize), Vec<Link>> = HashMap::new();
        for (file, goals) in workspace.goals.iter().enumerate() {
            if !goals.funnels.is_empty() {
                let team = goals.team_id().unwrap_or("").to_string();
                teams.entry(team).or_default().push(file);
            }
            for link in stage_krs(goals, &index) {
                let Some(at) = link
                    .home
                    .funnels
                    .iter()
                    .position(|funnel| std::ptr::eq(funnel, link.funnel))
                else {
                    continue;
                };
                links.entry((link.home.file, at)).or_default().push(Link {
                    file,
                    objective: link.objective,
                    kr: link.kr,
                    stage: link.stage,
                });
            }
        }
        PlanIndex { teams, links }
    }

    /// The plans of team `team`'s funnels, as [`funnel_plans`] lists them.
    fn plans(&self, workspace: &Workspace, team: &str) -> Option<Vec<FunnelPlanView>> {
        let mut plans = Vec::new();
        for &file in self.teams.get(team)? {
            let home = workspace.goals.get(file)?;
            for (at, funnel) in home.funnels.iter().enumerate() {
                let links: Vec<(&Goals, StageKr<'_>)> = self
                    .links
                    .get(&(file, at))
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .filter_map(|link| {
                        let goals = workspace.goals.get(link.file)?;
                        let kr = StageKr {
                            home,
                            objective: link.objective,
                            kr: link.kr,
                            funnel,
                            stage: link.stage,
                        };
                        Some((goals, kr))
                    })
                    .collect();
                plans.push(plan(home, funnel, &links));
            }
        }
        Some(plans)
    }
}

impl Entries for PlanIndex {
    const REPR: ObjectRepr = ObjectRepr::Map;

    fn len(&self) -> usize {
        self.teams.len()
    }

    fn get(&self, shared: &Shared, key: &Value) -> Option<Value> {
        Some(Value::from_serialize(
            self.plans(&shared.workspace, key.as_str()?)?,
        ))
    }

    fn keys(&self) -> Enumerator {
        Enumerator::Values(
            self.teams
                .keys()
                .map(|key| Value::from(key.as_str()))
                .collect(),
        )
    }
}

/// The default plan of `funnel` (of `goals`) with the KRs `links` to it.
fn plan(goals: &Goals, funnel: &Funnel, links: &[(&Goals, StageKr<'_>)]) -> FunnelPlanView {
    let krs = FunnelKrs::gather(funnel, links);
    let plan = krs.default_plan(funnel);
    let needed = |stage: usize| plan.as_ref().and_then(|plan| plan.needed[stage]);
    let widest = (0..funnel.stages.len())
        .filter_map(|stage| needed(stage).max(krs.kr_targets[stage]))
        .max()
        .unwrap_or_default();
    let scale = |value: Decimal| Num(log_share(value, widest));
    let stages = funnel
        .stages
        .iter()
        .enumerate()
        .map(|(at, stage)| {
            let shown = needed(at).max(krs.kr_targets[at]).unwrap_or_default();
            let conversion = plan.as_ref().and_then(|plan| plan.rates[at]);
            let yielded = plan.as_ref().and_then(|plan| plan.yielded[at]);
            PlanStageView {
                id: stage.id.value.clone(),
                title: stage.title.value.clone(),
                conversion: conversion.map(Num),
                needed: needed(at).map(Num),
                kr_target: krs.kr_targets[at].map(Num),
                yielded: yielded.map(Num),
                width: scale(shown),
                kr_width: krs.kr_targets[at].map(scale),
                text: PlanStageText {
                    conversion: conversion.map(|rate| {
                        Unit::Percent.format(rate, quantity::decimals(Unit::Percent.reading(rate)))
                    }),
                    needed: needed(at).map(quantity::figure),
                    kr_target: krs.kr_targets[at].map(quantity::figure),
                    yielded: yielded.map(quantity::figure),
                },
            }
        })
        .collect();
    FunnelPlanView {
        team: goals.team_id().unwrap_or("").to_string(),
        id: funnel.id.value.clone(),
        title: funnel.title.as_ref().map(|t| t.value.clone()),
        target: krs
            .deepest
            .as_ref()
            .map(|(_, _, reference)| reference.clone()),
        stages,
    }
}

/// `value` as a share of `widest` on a log scale: 1 → 0, `widest` → 1.
fn log_share(value: Decimal, widest: Decimal) -> Decimal {
    use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
    let (Some(value), Some(widest)) = (value.to_f64(), widest.to_f64()) else {
        return Decimal::ZERO;
    };
    if value < 1.0 || widest <= 1.0 {
        return Decimal::ZERO;
    }
    Decimal::from_f64((value.ln() / widest.ln()).clamp(0.0, 1.0)).unwrap_or_default()
}
