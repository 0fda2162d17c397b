//! Takes the goals shown (and every file read, for resolving funnel links)
//! and today; gives where things stand: the KRs at risk or off track, the
//! initiatives overdue, and each funnel's conversions so far against its
//! plan (`crate::funnel`). Needs no history.

use crate::funnel::{links_by_funnel, planning_rates, target_volume, FunnelKrs};
use crate::model::goals::{Goals, InitiativeStatus, ReferenceText};
use crate::model::quantity::{Quantity, Unit};
use crate::model::resolve::Index;
use crate::score::{score_kr_without_forecast, KrScore, Status};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A file shown, and each of its KRs scored today (by objective, then KR;
/// empty without a period), once for every section that reads them.
pub struct Scored<'g> {
    /// The file's goals.
    pub goals: &'g Goals,
    /// `krs[o][k]` is the score of the `k`th KR of the `o`th objective.
    pub krs: Vec<Vec<KrScore>>,
}

impl<'g> Scored<'g> {
    /// Scores every KR of `goals` as of `today` (no forecasts: the review
    /// shows none).
    pub fn new(goals: &'g Goals, today: NaiveDate) -> Scored<'g> {
        let krs = goals.period.as_ref().map_or_else(Vec::new, |period| {
            goals
                .objectives
                .iter()
                .map(|objective| {
                    objective
                        .key_results
                        .iter()
                        .map(|kr| {
                            score_kr_without_forecast(kr, &period.value, goals.cadence(), today)
                        })
                        .collect()
                })
                .collect()
        });
        Scored { goals, krs }
    }

    /// Every KR with its objective and its score, in file order.
    pub fn key_results(
        &self,
    ) -> impl Iterator<
        Item = (
            &'g crate::model::goals::Objective,
            &'g crate::model::goals::KeyResult,
            &KrScore,
        ),
    > {
        self.goals
            .objectives
            .iter()
            .zip(&self.krs)
            .flat_map(|(objective, scores)| {
                objective
                    .key_results
                    .iter()
                    .zip(scores)
                    .map(move |(kr, score)| (objective, kr, score))
            })
    }

    /// `team/objective.kr`.
    pub fn reference(&self, objective: &str, kr: &str) -> String {
        ReferenceText::new(self.goals.team_id().unwrap_or_default(), objective)
            .child(kr)
            .to_string()
    }
}

/// A KR behind the calendar today.
#[derive(Clone, Debug, PartialEq)]
pub struct Behind {
    /// `team/objective.kr`.
    pub reference: String,
    /// The KR's title.
    pub title: String,
    /// `at-risk` or `off-track`.
    pub status: Status,
    /// Its score (0 to 1).
    pub score: Decimal,
    /// The progress expected by today; none for holds and milestones.
    pub expected: Option<Decimal>,
    /// Whether its last check-in is older than the cadence allows.
    pub stale: bool,
}

/// An initiative whose due date has passed while it is planned or active.
#[derive(Clone, Debug, PartialEq)]
pub struct Overdue {
    /// `team/objective`.
    pub objective: String,
    /// The initiative's id, if it has one.
    pub id: Option<String>,
    /// Its title.
    pub title: String,
    /// Its status: planned (the default) or active.
    pub status: InitiativeStatus,
    /// Its owners as written.
    pub owners: Vec<String>,
    /// Its due date.
    pub due: NaiveDate,
}

/// One funnel's conversions so far.
#[derive(Clone, Debug, PartialEq)]
pub struct FunnelActual {
    /// The team whose file defines it.
    pub team: String,
    /// Its id.
    pub id: String,
    /// Its title, if any.
    pub title: Option<String>,
    /// Each stage, in funnel order.
    pub stages: Vec<StageActual>,
}

/// A stage's plan and what its KRs read so far.
#[derive(Clone, Debug, PartialEq)]
pub struct StageActual {
    /// The stage's id.
    pub id: String,
    /// The conversion into it the plan uses (a percent KR's target, else
    /// the funnel's); none for the first stage.
    pub planned: Option<Decimal>,
    /// The conversion into it so far: a percent KR's latest reading, or the
    /// volumes of this stage and the one before.
    pub actual: Option<Decimal>,
    /// The volume its first count or money KR reads so far.
    pub volume: Option<Decimal>,
    /// The volume the plan needs by the period's end.
    pub needed: Option<Decimal>,
}

/// Every KR of `shown` at risk or off track today, in file order.
pub fn behind(shown: &[Scored<'_>]) -> Vec<Behind> {
    let mut out = Vec::new();
    for file in shown {
        for (objective, kr, score) in file.key_results() {
            if matches!(score.status, Status::AtRisk | Status::OffTrack) {
                out.push(Behind {
                    reference: file.reference(&objective.id.value, &kr.id.value),
                    title: kr.title.value.clone(),
                    status: score.status,
                    score: score.score,
                    expected: score.expected,
                    stale: score.stale,
                });
            }
        }
    }
    out
}

/// Every initiative of `shown` due before today and still planned or active
/// (`okr::initiative-overdue`'s rule).
pub fn overdue<'g>(shown: impl IntoIterator<Item = &'g Goals>, today: NaiveDate) -> Vec<Overdue> {
    let mut out = Vec::new();
    for goals in shown {
        let team = goals.team_id().unwrap_or_default();
        for objective in &goals.objectives {
            for initiative in &objective.initiatives {
                let status = initiative
                    .status
                    .as_ref()
                    .map_or(InitiativeStatus::Planned, |s| s.value);
                let Some(due) = initiative.due.as_ref().map(|d| d.value) else {
                    continue;
                };
                if due < today
                    && matches!(status, InitiativeStatus::Planned | InitiativeStatus::Active)
                {
                    out.push(Overdue {
                        objective: ReferenceText::new(team, &objective.id.value).to_string(),
                        id: initiative.id.as_ref().map(|id| id.value.clone()),
                        title: initiative.title.value.clone(),
                        status,
                        owners: initiative.owners.iter().map(|o| o.value.clone()).collect(),
                        due,
                    });
                }
            }
        }
    }
    out
}

/// The funnels the files `shown` define, each stage's planned and actual
/// conversion; links are resolved across `all`, every file read.
pub fn funnels(all: &[Goals], shown: &[Scored<'_>], today: NaiveDate) -> Vec<FunnelActual> {
    let index = Index::new(all);
    // A linked KR of a file shown is scored already.
    let scored: HashMap<*const Goals, &Scored> = shown
        .iter()
        .map(|file| (std::ptr::from_ref(file.goals), file))
        .collect();
    let by_funnel = links_by_funnel(all, &index);
    let mut out = Vec::new();
    for file in shown {
        let goals = file.goals;
        for funnel in &goals.funnels {
            let mine = by_funnel
                .get(&std::ptr::from_ref(funnel))
                .map_or(&[][..], Vec::as_slice);
            let krs = FunnelKrs::gather(funnel, mine);
            let plan = krs.default_plan(funnel);
            let planned = planning_rates(funnel, &krs.overrides);
            let stages = funnel.stages.len();
            let (mut volume, mut reading) = (vec![None; stages], vec![None; stages]);
            for (home, link) in mine {
                let kr = &home.objectives[link.objective].key_results[link.kr];
                let Some(period) = &home.period else { continue };
                let current = match scored.get(&std::ptr::from_ref(*home)) {
                    Some(file) => file
                        .krs
                        .get(link.objective)
                        .and_then(|krs| krs.get(link.kr))
                        .and_then(|score| score.current),
                    None => {
                        score_kr_without_forecast(kr, &period.value, home.cadence(), today).current
                    }
                };
                let Some(current) = current else {
                    continue;
                };
                match kr.unit() {
                    Some(Unit::Percent) => {
                        reading[link.stage].get_or_insert(current);
                    }
                    Some(unit) => {
                        let quantity = Quantity {
                            amount: current,
                            unit,
                            word: None,
                        };
                        if let Some(units) = target_volume(funnel, link.stage, &quantity) {
                            volume[link.stage].get_or_insert(units);
                        }
                    }
                    None => {}
                }
            }
            let actual = |stage: usize| {
                reading[stage].or_else(|| {
                    let before = volume[stage.checked_sub(1)?]?;
                    (before > Decimal::ZERO)
                        .then(|| volume[stage].map(|v| (v / before).round_dp(6)))?
                })
            };
            out.push(FunnelActual {
                team: goals.team_id().unwrap_or_default().to_string(),
                id: funnel.id.value.clone(),
                title: funnel.title.as_ref().map(|t| t.value.clone()),
                stages: funnel
                    .stages
                    .iter()
                    .enumerate()
                    .map(|(at, stage)| StageActual {
                        id: stage.id.value.clone(),
                        planned: planned[at],
                        actual: (at > 0).then(|| actual(at)).flatten(),
                        volume: volume[at],
                        needed: plan.as_ref().and_then(|plan| plan.needed[at]),
                    })
                    .collect(),
            });
        }
    }
    out
}
