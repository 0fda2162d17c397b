//! Each funnel's default plan, as the funnel chart of the report draws it.

use crate::document::Num;
use crate::funnel::{links_by_funnel, FunnelKrs};
use crate::model::quantity::{self, Unit};
use crate::model::resolve::Index;
use crate::workspace::Workspace;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

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
                                Unit::Percent
                                    .format(rate, quantity::decimals(Unit::Percent.reading(rate)))
                            }),
                            needed: needed(at).map(quantity::figure),
                            kr_target: krs.kr_targets[at].map(quantity::figure),
                            yielded: yielded.map(quantity::figure),
                        },
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
