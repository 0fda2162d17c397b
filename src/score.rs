//! Scores (SPEC §4): progress, score, expected progress, status, forecast and
//! grade for each KR, objective and team, as of a given day.

use crate::model::goals::{
    Band, Bound, Direction, Goals, KeyResult, Move, Objective, ObjectiveType, Reading, Target,
};
use crate::model::period::{Cadence, Period};
use crate::model::quantity::{Quantity, Unit};
use crate::model::resolve::{GoalRef, Index, Resolution};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Below expected progress by at most this much is still on track.
const ON_TRACK_SLACK: Decimal = Decimal::from_parts(10, 0, 0, false, 2);
/// Below expected progress by at most this much is at risk; more is off track.
const AT_RISK_SLACK: Decimal = Decimal::from_parts(25, 0, 0, false, 2);
/// Google's grading convention, applied after the period ends.
const GREEN: Decimal = Decimal::from_parts(7, 0, 0, false, 1);
const YELLOW: Decimal = Decimal::from_parts(4, 0, 0, false, 1);
/// Days past the cadence before a KR without a new reading is stale.
pub const STALE_SLACK_DAYS: i64 = 3;
/// Forecasts are rounded to this many decimal places (no float noise in JSON).
const FORECAST_PLACES: u32 = 6;

/// Where a KR or objective stands against the calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The target is reached (a milestone marked done).
    Done,
    /// Within 10 points of the progress the calendar expects.
    OnTrack,
    /// 10 to 25 points behind the progress the calendar expects.
    AtRisk,
    /// More than 25 points behind the progress the calendar expects.
    OffTrack,
    /// No reading yet to measure progress from.
    NotStarted,
    /// The period is over and the target was not reached.
    Missed,
}

impl Status {
    /// Every status, in the order filters list them.
    pub const ALL: [Status; 6] = [
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::NotStarted,
        Status::Done,
        Status::Missed,
    ];

    /// The status named `name` (`on-track`…), as [`Status::as_str`] writes it.
    pub fn parse(name: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == name)
    }

    /// The glyph reports, digests and pages show beside the name.
    pub fn icon(self) -> &'static str {
        match self {
            Status::Done => "✔",
            Status::OnTrack => "●",
            Status::AtRisk => "▲",
            Status::OffTrack => "■",
            Status::Missed => "✖",
            Status::NotStarted => "○",
        }
    }

    /// The name in JSON and templates: `on-track`, `not-started`…
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::OffTrack => "off-track",
            Status::NotStarted => "not-started",
            Status::Missed => "missed",
        }
    }

    /// How far a score is behind what the calendar expects.
    fn judge(score: Decimal, expected: Decimal) -> Status {
        if score >= Decimal::ONE {
            Status::Done
        } else if score >= expected - ON_TRACK_SLACK {
            Status::OnTrack
        } else if score >= expected - AT_RISK_SLACK {
            Status::AtRisk
        } else {
            Status::OffTrack
        }
    }

    /// `judge`, for a KR that has not yet reached its target (a strict
    /// target met exactly, a milestone at 100% not yet marked done).
    fn judge_unfinished(score: Decimal, expected: Decimal) -> Status {
        match Status::judge(score, expected) {
            Status::Done => Status::OnTrack,
            status => status,
        }
    }

    /// Stale is never green: an on-track KR without a recent reading is at risk.
    fn at_best_at_risk(self) -> Status {
        match self {
            Status::OnTrack => Status::AtRisk,
            other => other,
        }
    }
}

/// The end-of-period grade of an objective, by Google's convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grade {
    /// A score of 0.7 or more.
    Green,
    /// A score from 0.4 to under 0.7.
    Yellow,
    /// A score under 0.4.
    Red,
}

impl Grade {
    /// The grade a final score earns.
    pub fn of(score: Decimal) -> Grade {
        if score >= GREEN {
            Grade::Green
        } else if score >= YELLOW {
            Grade::Yellow
        } else {
            Grade::Red
        }
    }

    /// The name in JSON and templates: `green`, `yellow` or `red`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Green => "green",
            Grade::Yellow => "yellow",
            Grade::Red => "red",
        }
    }
}

/// A count or money KR without a baseline counts up from zero (a running
/// total); with one it is a level. JSON `measure`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Progress counted from zero: readings are the total so far.
    Total,
    /// Progress from the baseline: readings are the current level.
    Level,
}

impl Measure {
    /// The name in JSON: `total` or `level`.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Total => "total",
            Measure::Level => "level",
        }
    }

    /// Holds and milestones are neither; percents are levels.
    pub fn of(kr: &KeyResult) -> Option<Measure> {
        let Target::Move(_) = &kr.target.value else {
            return None;
        };
        let counted = matches!(kr.unit(), Some(Unit::Count | Unit::Money(_)));
        Some(
            if kr.baseline.is_none()
                && counted
                && kr.target.value.moves() == Some(Direction::Increase)
            {
                Measure::Total
            } else {
                Measure::Level
            },
        )
    }
}

/// Where one KR stands.
#[derive(Clone, Debug, PartialEq)]
pub struct KrScore {
    /// Numbers that do not apply (a milestone's baseline, a KR with no
    /// check-in's current value) are `None`.
    pub baseline: Option<Decimal>,
    /// The target as a number (a relative target resolved); `None` for holds
    /// and milestones, and for a relative target with nothing to start from.
    pub target: Option<Decimal>,
    /// The latest reading on or before today.
    pub current: Option<Decimal>,
    /// How far from baseline to target the current value is (may exceed 1 or be negative).
    pub progress: Option<Decimal>,
    /// What roll-ups and reports use: the grade (at most 1) when there is one.
    pub score: Decimal,
    /// The formula's score, whatever the grade says.
    pub computed_score: Decimal,
    /// `grade P%` as written (may exceed 1).
    pub graded: Option<Decimal>,
    /// Share of the KR's clock elapsed; `None` for holds.
    pub expected: Option<Decimal>,
    /// Against the calendar, stale KRs at best at risk.
    pub status: Status,
    /// Where the value is heading by the period's end, at the pace of the readings so far.
    pub forecast: Option<Decimal>,
    /// No reading within the cadence (plus slack) while the period runs.
    pub stale: bool,
    /// The latest check-in's confidence.
    pub confidence: Option<Decimal>,
    /// For a hold (or a met baseline scored as one): readings inside the band, and all readings.
    pub held: Option<(usize, usize)>,
    /// Index of the latest check-in on or before today.
    pub last_checkin: Option<usize>,
}

/// Where one objective stands: its KRs' weighted score and, once rolled up, its children's.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectiveScore {
    /// What roll-ups and reports use: the grade when there is one.
    pub score: Decimal,
    /// The formula's score, ignoring every grade.
    pub computed_score: Decimal,
    /// `grade P%` as written on the objective.
    pub graded: Option<Decimal>,
    /// Against the calendar, from its KRs' statuses.
    pub status: Status,
    /// Only once the period has ended.
    pub grade: Option<Grade>,
    /// A committed objective that ended below 1.0.
    pub missed_commitment: bool,
    /// Whether children (objectives aligned to this one) count in the score.
    pub rolled_up: bool,
    /// The objectives whose `aligns` names this one, in the order the files
    /// and their objectives were read; set by [`roll_up`] (empty before).
    pub children: Vec<ObjectiveAt>,
    /// Each KR's score, in the order written.
    pub key_results: Vec<KrScore>,
}

/// Where one team's file stands.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamScore {
    /// The mean of its objectives' scores.
    pub score: Decimal,
    /// The share of the period elapsed: the progress the calendar expects.
    pub expected: Decimal,
    /// Each objective's score, in the order written.
    pub objectives: Vec<ObjectiveScore>,
}

/// The share of the period elapsed at `today`: (today − start) / days, in [0, 1].
pub fn expected(period: &Period, today: NaiveDate) -> Decimal {
    elapsed(period.start, period.end, today)
}

/// (today − start) / (end − start + 1 days), in [0, 1].
fn elapsed(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> Decimal {
    let days = (end - start).num_days() + 1;
    if days <= 0 {
        return Decimal::ONE;
    }
    let gone = (today - start).num_days().clamp(0, days);
    Decimal::from(gone) / Decimal::from(days)
}

/// The day a KR's last reading (or, with none, its period) started, when
/// that is longer ago than the cadence allows: `None` while fresh. A KR is
/// stale only while its period runs and its due date has not passed.
pub fn stale_since(
    kr: &KeyResult,
    period: &Period,
    cadence: Cadence,
    today: NaiveDate,
) -> Option<NaiveDate> {
    // A KR whose due date has passed is done or late, not waiting for a reading.
    if !period.contains(today) || kr.due.as_ref().is_some_and(|due| due.value < today) {
        return None;
    }
    let since = kr
        .checkins
        .iter()
        .map(|checkin| checkin.date.value)
        .filter(|date| *date <= today)
        .max()
        .unwrap_or(period.start);
    ((today - since).num_days() > cadence.days() + STALE_SLACK_DAYS).then_some(since)
}

/// Scores a file's goals as of `today`, each objective from its own KRs
/// (children are added by [`roll_up`]); `None` without a period.
pub fn score_team(goals: &Goals, today: NaiveDate) -> Option<TeamScore> {
    let period = &goals.period.as_ref()?.value;
    let expected = expected(period, today);
    let objectives: Vec<ObjectiveScore> = goals
        .objectives
        .iter()
        .map(|objective| score_objective(objective, period, goals.cadence(), today, expected))
        .collect();
    Some(TeamScore {
        score: mean(objectives.iter().map(|objective| objective.score)),
        expected,
        objectives,
    })
}

fn score_objective(
    objective: &Objective,
    period: &Period,
    cadence: Cadence,
    today: NaiveDate,
    expected: Decimal,
) -> ObjectiveScore {
    let key_results: Vec<KrScore> = objective
        .key_results
        .iter()
        .map(|kr| score_kr(kr, period, cadence, today))
        .collect();
    let weighted = |score: fn(&KrScore) -> Decimal| {
        let total: Decimal = objective.key_results.iter().map(KeyResult::weight).sum();
        if total > Decimal::ZERO {
            objective
                .key_results
                .iter()
                .zip(&key_results)
                .map(|(kr, scored)| kr.weight() * score(scored))
                .sum::<Decimal>()
                / total
        } else {
            Decimal::ZERO
        }
    };
    let computed = weighted(|kr| kr.computed_score);
    let own = weighted(|kr| kr.score);
    let mut scored = ObjectiveScore {
        score: own,
        computed_score: computed,
        graded: None,
        status: Status::NotStarted,
        grade: None,
        missed_commitment: false,
        rolled_up: false,
        children: Vec::new(),
        key_results,
    };
    let started = scored
        .key_results
        .iter()
        .any(|kr| kr.status != Status::NotStarted);
    let all_done = !scored.key_results.is_empty()
        && scored
            .key_results
            .iter()
            .all(|kr| kr.status == Status::Done);
    settle(
        &mut scored,
        objective,
        period,
        today,
        expected,
        started,
        all_done,
    );
    scored
}

/// An objective: the index of its file (in the workspace's goals) and its
/// position among the file's objectives.
pub type ObjectiveAt = (usize, usize);

type Node = ObjectiveAt;

/// What a child hands up to its parent: its score, its computed score, and
/// whether anything in its tree has started.
#[derive(Clone, Copy)]
struct Handed {
    score: Decimal,
    computed: Decimal,
    started: bool,
}

/// Scores parents by their children, across files: the objectives whose
/// `aligns` names objective O are O's children. O without KRs of its own is
/// the mean of its children; O with KRs and a `rollup` line counts each
/// child as one more KR of weight 1. Recursive (a child may be a parent),
/// each child once; a loop (an `aligns-cycle` error) is cut where the walk
/// meets it again. Each objective's [`ObjectiveScore::children`] is set
/// here, from the one resolution of every `aligns` the roll-up makes.
pub fn roll_up(goals: &[Goals], scores: &mut [Option<TeamScore>], today: NaiveDate) {
    let index = Index::new(goals);
    let mut children: HashMap<Node, Vec<Node>> = HashMap::new();
    for (file, team) in goals.iter().enumerate() {
        for (at, objective) in team.objectives.iter().enumerate() {
            for aligns in &objective.aligns {
                if let Resolution::Found(GoalRef {
                    file: parent_file,
                    objective: parent,
                    kr: None,
                }) = index.goal(team, &aligns.value)
                {
                    let kids = children.entry((parent_file, parent)).or_default();
                    if !kids.contains(&(file, at)) && (parent_file, parent) != (file, at) {
                        kids.push((file, at));
                    }
                }
            }
        }
    }
    let own = |scores: &[Option<TeamScore>], (file, at): Node| {
        scores[file]
            .as_ref()
            .and_then(|team| team.objectives.get(at))
            .map(|scored| Handed {
                score: scored.score,
                computed: scored.computed_score,
                started: scored.status != Status::NotStarted,
            })
    };
    let mut settled: HashMap<Node, Handed> = HashMap::new();
    let mut on_path: std::collections::HashSet<Node> = std::collections::HashSet::new();
    let parents: Vec<Node> = children.keys().copied().collect();
    for root in parents {
        if settled.contains_key(&root) {
            continue;
        }
        // Post-order without recursion: a chain of thousands of objectives
        // must not exhaust the stack.
        let mut stack: Vec<(Node, usize)> = vec![(root, 0)];
        on_path.insert(root);
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            let kids = children.get(&node).map_or(&[][..], Vec::as_slice);
            if let Some(&kid) = kids.get(*next) {
                *next += 1;
                if children.contains_key(&kid)
                    && !settled.contains_key(&kid)
                    && !on_path.contains(&kid)
                {
                    on_path.insert(kid);
                    stack.push((kid, 0));
                }
                continue;
            }
            stack.pop();
            on_path.remove(&node);
            let handed: Vec<Handed> = kids
                .iter()
                .filter_map(|kid| settled.get(kid).copied().or_else(|| own(scores, *kid)))
                .collect();
            if let Some(result) = settle_parent(goals, scores, node, &handed, today) {
                settled.insert(node, result);
            }
        }
    }
    for team in scores.iter_mut().flatten() {
        team.score = mean(team.objectives.iter().map(|objective| objective.score));
    }
    for ((file, at), kids) in children {
        if let Some(scored) = scores[file]
            .as_mut()
            .and_then(|team| team.objectives.get_mut(at))
        {
            scored.children = kids;
        }
    }
}

/// Rescores one parent from its KRs and its children's scores.
fn settle_parent(
    goals: &[Goals],
    scores: &mut [Option<TeamScore>],
    (file, at): Node,
    children: &[Handed],
    today: NaiveDate,
) -> Option<Handed> {
    let team = &goals[file];
    let objective = team.objectives.get(at)?;
    let period = &team.period.as_ref()?.value;
    let expected = expected(period, today);
    let scored = scores[file].as_mut()?.objectives.get_mut(at)?;
    let has_krs = !objective.key_results.is_empty();
    if children.is_empty() || (has_krs && objective.rollup.is_none()) {
        return Some(Handed {
            score: scored.score,
            computed: scored.computed_score,
            started: scored.status != Status::NotStarted,
        });
    }
    let weights: Decimal = objective.key_results.iter().map(KeyResult::weight).sum();
    let total = weights + Decimal::from(children.len());
    let sum = |own: fn(&KrScore) -> Decimal, child: fn(&Handed) -> Decimal| {
        let krs: Decimal = objective
            .key_results
            .iter()
            .zip(&scored.key_results)
            .map(|(kr, scored)| kr.weight() * own(scored))
            .sum();
        (krs + children.iter().map(child).sum::<Decimal>()) / total
    };
    scored.score = sum(|kr| kr.score, |child| child.score);
    scored.computed_score = sum(|kr| kr.computed_score, |child| child.computed);
    scored.rolled_up = true;
    let started = scored
        .key_results
        .iter()
        .any(|kr| kr.status != Status::NotStarted)
        || children.iter().any(|child| child.started);
    let all_done = scored
        .key_results
        .iter()
        .all(|kr| kr.status == Status::Done)
        && children.iter().all(|child| child.score >= Decimal::ONE);
    settle(
        scored, objective, period, today, expected, started, all_done,
    );
    Some(Handed {
        score: scored.score,
        computed: scored.computed_score,
        started,
    })
}

/// Applies an objective's grade, status and end-of-period marks once its
/// computed score is known (from its KRs, and its children after `roll_up`).
fn settle(
    scored: &mut ObjectiveScore,
    objective: &Objective,
    period: &Period,
    today: NaiveDate,
    expected: Decimal,
    started: bool,
    all_done: bool,
) {
    if let Some(grade) = &objective.grade {
        scored.graded = Some(grade.value.value);
        scored.score = grade.value.value.min(Decimal::ONE);
    }
    let ended = today > period.end;
    scored.status = if ended {
        if scored.score >= Decimal::ONE && (started || scored.graded.is_some()) {
            Status::Done
        } else {
            Status::Missed
        }
    } else if all_done {
        Status::Done
    } else if !started {
        Status::NotStarted
    } else {
        // 100% is not done while a KR is not: a strict target met exactly,
        // a milestone at 100% not marked done, a hold that has held so far.
        Status::judge_unfinished(scored.score, expected)
    };
    scored.grade = ended.then(|| Grade::of(scored.score));
    scored.missed_commitment =
        ended && objective.kind() == ObjectiveType::Committed && scored.score < Decimal::ONE;
}

/// Scores one KR as of `today`; check-ins after `today` are ignored.
pub fn score_kr(kr: &KeyResult, period: &Period, cadence: Cadence, today: NaiveDate) -> KrScore {
    score_kr_with(kr, period, cadence, today, true)
}

/// [`score_kr`] without the forecast (`None`), its one costly part (a
/// least-squares fit in exact decimals): for callers that read statuses
/// and scores only, such as `okr review`, which scores every KR twice.
pub fn score_kr_without_forecast(
    kr: &KeyResult,
    period: &Period,
    cadence: Cadence,
    today: NaiveDate,
) -> KrScore {
    score_kr_with(kr, period, cadence, today, false)
}

fn score_kr_with(
    kr: &KeyResult,
    period: &Period,
    cadence: Cadence,
    today: NaiveDate,
    with_forecast: bool,
) -> KrScore {
    let readings: Vec<(usize, NaiveDate, &Reading)> = kr
        .checkins
        .iter()
        .enumerate()
        .filter(|(_, checkin)| checkin.date.value <= today)
        .map(|(at, checkin)| (at, checkin.date.value, &checkin.reading.value))
        .collect();
    let last_checkin = readings.last().map(|(at, _, _)| *at);
    let ended = today > period.end;
    let due = kr.due.as_ref().map_or(period.end, |due| due.value);
    let clock = if ended {
        Decimal::ONE
    } else {
        elapsed(period.start, due, today)
    };
    let mut scored = match &kr.target.value {
        Target::Milestone => milestone(&readings, clock),
        Target::Hold(band) => hold(band, &readings, None),
        Target::Move(goal) => {
            let forecast_due = with_forecast.then_some(due);
            moving(kr, goal, period, forecast_due, today, &readings, clock)
        }
    };
    scored.last_checkin = last_checkin;
    scored.confidence = last_checkin.and_then(|at| kr.checkins[at].confidence().map(|c| c.value));
    let reached = match scored.held {
        Some((held, all)) => all > 0 && held == all,
        None => scored.status == Status::Done,
    };
    if let Some(grade) = &kr.grade {
        scored.graded = Some(grade.value.value);
        scored.score = grade.value.value.min(Decimal::ONE);
    }
    if ended {
        let done = match scored.graded {
            Some(_) => scored.score >= Decimal::ONE,
            None => reached,
        };
        scored.status = if done { Status::Done } else { Status::Missed };
        scored.forecast = None;
        if scored.expected.is_some() {
            scored.expected = Some(Decimal::ONE);
        }
    } else if scored.status != Status::Done {
        scored.stale = stale_since(kr, period, cadence, today).is_some();
        if scored.stale {
            scored.status = scored.status.at_best_at_risk();
        }
    }
    scored
}

/// A KR with nothing else known yet.
fn blank(expected: Option<Decimal>) -> KrScore {
    KrScore {
        baseline: None,
        target: None,
        current: None,
        progress: None,
        score: Decimal::ZERO,
        computed_score: Decimal::ZERO,
        graded: None,
        expected,
        status: Status::NotStarted,
        forecast: None,
        stale: false,
        confidence: None,
        held: None,
        last_checkin: None,
    }
}

/// done → 1; else the latest share complete (`pending` keeps it), 0 with none.
fn milestone(readings: &[(usize, NaiveDate, &Reading)], clock: Decimal) -> KrScore {
    let mut scored = blank(Some(clock));
    let Some((_, _, latest)) = readings.last() else {
        return scored;
    };
    let share = if **latest == Reading::Done {
        Decimal::ONE
    } else {
        readings
            .iter()
            .rev()
            .find_map(|(_, _, reading)| match reading {
                Reading::Value(share) => Some(share.amount.clamp(Decimal::ZERO, Decimal::ONE)),
                _ => None,
            })
            .unwrap_or(Decimal::ZERO)
    };
    scored.progress = Some(share);
    scored.score = share;
    scored.computed_score = share;
    scored.status = if **latest == Reading::Done {
        Status::Done
    } else {
        Status::judge_unfinished(share, clock)
    };
    scored
}

/// Score = share of the readings so far inside the band; the latest decides
/// the status.
fn hold(
    band: &Band,
    readings: &[(usize, NaiveDate, &Reading)],
    baseline: Option<Decimal>,
) -> KrScore {
    let mut scored = blank(None);
    scored.baseline = baseline;
    let values: Vec<Decimal> = readings
        .iter()
        .filter_map(|(_, _, reading)| match reading {
            Reading::Value(value) => Some(value.amount),
            _ => None,
        })
        .collect();
    let held = values.iter().filter(|value| band.holds(**value)).count();
    scored.held = Some((held, values.len()));
    let Some(&latest) = values.last() else {
        return scored;
    };
    let score = Decimal::from(held) / Decimal::from(values.len());
    scored.current = Some(latest);
    scored.progress = Some(score);
    scored.score = score;
    scored.computed_score = score;
    scored.status = if band.holds(latest) {
        Status::OnTrack
    } else {
        Status::OffTrack
    };
    scored
}

/// A number moved from a start to a target: progress (c − b)/(t − b); the
/// forecast at `due`, none without one.
fn moving(
    kr: &KeyResult,
    goal: &Move,
    period: &Period,
    due: Option<NaiveDate>,
    today: NaiveDate,
    readings: &[(usize, NaiveDate, &Reading)],
    clock: Decimal,
) -> KrScore {
    let values: Vec<(NaiveDate, Decimal)> = readings
        .iter()
        .filter_map(|(_, date, reading)| match reading {
            Reading::Value(value) => Some((*date, value.amount)),
            _ => None,
        })
        .collect();
    // The first reading is the start: with `baseline unknown`, or for a
    // decrease without a baseline.
    let first_reading = kr.baseline_quantity().is_none()
        && (kr.baseline.is_some() || goal.direction == Direction::Decrease);
    let start = match kr.baseline_quantity() {
        Some(baseline) => Some(baseline.amount),
        None if first_reading => values.first().map(|(_, value)| *value),
        None => Some(Decimal::ZERO),
    };
    let mut scored = blank(Some(clock));
    scored.baseline = start;
    let Some(start) = start else {
        return scored;
    };
    let Some(target) = kr.target_quantity().map(|target| target.amount) else {
        return scored;
    };
    scored.target = Some(target);
    let met = goal.direction.reaches(goal.strict, start, target);
    // A baseline that already meets the target: a hold of the target. A
    // first reading is the baseline once a second reading follows it.
    if met && (!first_reading || values.len() >= 2) {
        let band = Band::one_sided(
            goal.direction,
            Bound {
                value: Quantity::count(target),
                strict: goal.strict,
            },
        );
        let mut held = hold(&band, readings, Some(start));
        held.target = Some(target);
        return held;
    }
    let Some(&(_, current)) = values.last() else {
        return scored;
    };
    scored.current = Some(current);
    if first_reading && values.len() < 2 {
        return scored;
    }
    let progress = progress_between(start, target, current, goal.direction);
    let beyond = goal.direction.reaches(goal.strict, current, target);
    let score = progress.clamp(Decimal::ZERO, Decimal::ONE);
    scored.progress = Some(progress);
    scored.score = score;
    scored.computed_score = score;
    scored.status = if beyond {
        Status::Done
    } else {
        Status::judge_unfinished(score, clock)
    };
    let origin = (!first_reading).then_some((period.start, start));
    scored.forecast = due
        .and_then(|due| forecast(origin, &values, period.start, due, today))
        .map(|value| bounded(value, kr, target, &values));
    scored
}

/// A forecast kept to what the number can be: a percent in [0%, 100%], a
/// count or money whose readings are all ≥ 0 at least 0; 6 decimal places.
/// A percent whose target or readings pass 100% is a ratio (net revenue
/// retention of 115%), not a share: only its floor holds.
fn bounded(
    value: Decimal,
    kr: &KeyResult,
    target: Decimal,
    values: &[(NaiveDate, Decimal)],
) -> Decimal {
    let share = target <= Decimal::ONE && values.iter().all(|(_, value)| *value <= Decimal::ONE);
    let value = match kr.unit() {
        Some(Unit::Percent) if share => value.clamp(Decimal::ZERO, Decimal::ONE),
        Some(Unit::Percent) => value.max(Decimal::ZERO),
        _ if values.iter().all(|(_, value)| *value >= Decimal::ZERO) => value.max(Decimal::ZERO),
        _ => value,
    };
    value.round_dp(FORECAST_PLACES)
}

/// (c − b) / (t − b); a target equal to its baseline is met or not.
fn progress_between(
    baseline: Decimal,
    target: Decimal,
    current: Decimal,
    direction: Direction,
) -> Decimal {
    let span = target - baseline;
    if span.is_zero() {
        return Decimal::from(u8::from(direction.reaches(false, current, target)));
    }
    (current - baseline)
        .checked_div(span)
        .unwrap_or(Decimal::ZERO)
}

/// The least-squares line through `origin` (the period start and baseline,
/// unless the first reading is the baseline) and every reading so far,
/// read at `due`; `None` once `due` has passed.
fn forecast(
    origin: Option<(NaiveDate, Decimal)>,
    values: &[(NaiveDate, Decimal)],
    start: NaiveDate,
    due: NaiveDate,
    today: NaiveDate,
) -> Option<Decimal> {
    if today > due {
        return None;
    }
    let day = |date: NaiveDate| Decimal::from((date - start).num_days());
    let points: Vec<(Decimal, Decimal)> = origin
        .iter()
        .chain(values)
        .map(|(date, value)| (day(*date), *value))
        .collect();
    let n = Decimal::from(points.len());
    if points.is_empty() {
        return None;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<Decimal>() / n;
    let mean_y = points
        .iter()
        .try_fold(Decimal::ZERO, |sum, p| sum.checked_add(p.1))?
        / n;
    let mut sxx = Decimal::ZERO;
    let mut sxy = Decimal::ZERO;
    for (x, y) in &points {
        let dx = *x - mean_x;
        sxx = sxx.checked_add(dx.checked_mul(dx)?)?;
        sxy = sxy.checked_add(dx.checked_mul(y.checked_sub(mean_y)?)?)?;
    }
    if sxx.is_zero() {
        return Some(mean_y);
    }
    let slope = sxy.checked_div(sxx)?;
    mean_y.checked_add(slope.checked_mul(day(due) - mean_x)?)
}

fn mean(values: impl Iterator<Item = Decimal>) -> Decimal {
    let (sum, count) = values.fold((Decimal::ZERO, 0u32), |(sum, count), value| {
        (sum + value, count + 1)
    });
    if count == 0 {
        Decimal::ZERO
    } else {
        sum / Decimal::from(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    const SPEC_EXAMPLE: &str = include_str!("../examples/marketing.okr");

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 8, 15).unwrap()
    }

    fn round(value: Decimal) -> String {
        value.round_dp(4).normalize().to_string()
    }

    #[test]
    fn the_spec_example_scores_as_printed() {
        let workspace = Workspace::from_texts([("goals/marketing.okr", SPEC_EXAMPLE)]);
        let team = score_team(&workspace.goals[0], today()).unwrap();
        assert_eq!(round(team.score), "0.2149");
        let objective = &team.objectives[0];
        assert_eq!(round(objective.score), "0.2149");
        assert_eq!(objective.status, Status::OffTrack);
        let visitors = &objective.key_results[0];
        assert_eq!(visitors.baseline, Some(Decimal::from(41_000)));
        assert_eq!(visitors.target, Some(Decimal::from(60_000)));
        assert_eq!(visitors.current, Some(Decimal::from(51_200)));
        assert_eq!(round(visitors.progress.unwrap()), "0.5368");
        assert_eq!(round(visitors.score), "0.5368");
        assert_eq!(round(visitors.expected.unwrap()), "0.4891");
        assert_eq!(visitors.status, Status::OnTrack);
        assert_eq!(
            visitors.forecast.unwrap().round_dp(2).to_string(),
            "63817.58"
        );
        let trials = &objective.key_results[1];
        assert_eq!(round(trials.score), "0.5375");
        let paid = &objective.key_results[2];
        assert_eq!(
            (paid.status, paid.current, paid.forecast),
            (Status::NotStarted, None, None)
        );
        assert_eq!(objective.grade, None, "no grade before the period ends");
    }

    #[test]
    fn check_ins_after_today_are_ignored() {
        let workspace = Workspace::from_texts([("m.okr", SPEC_EXAMPLE)]);
        let early = NaiveDate::from_ymd_opt(2026, 7, 20).unwrap();
        let team = score_team(&workspace.goals[0], early).unwrap();
        let visitors = &team.objectives[0].key_results[0];
        assert_eq!(visitors.current, Some(Decimal::from(44_100)));
        assert_eq!(visitors.last_checkin, Some(0));
    }

    #[test]
    fn decreasing_milestone_weights_and_grades() {
        let text = "period 2026-Q3\nteam t\nowner @a\nobjective o \"O\"\n  type committed\n  kr churn \"Churn\" target <= 2% baseline 4%\n    2026-08-01 3%\n  kr ship \"Ship\" milestone weight 3\n    2026-08-01 pending\n    2026-09-01 done\n";
        let workspace = Workspace::from_texts([("t.okr", text)]);
        let after = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        let team = score_team(&workspace.goals[0], after).unwrap();
        let objective = &team.objectives[0];
        assert_eq!(round(objective.key_results[0].score), "0.5");
        assert_eq!(objective.key_results[1].score, Decimal::ONE);
        assert_eq!(objective.key_results[1].status, Status::Done);
        // (1·0.5 + 3·1) / 4
        assert_eq!(round(objective.score), "0.875");
        assert_eq!(objective.grade, Some(Grade::Green));
        assert!(objective.missed_commitment);
        assert_eq!(team.expected, Decimal::ONE);
    }

    #[test]
    fn expected_progress_is_clamped_days() {
        let q3 = Period::parse("2026-Q3").unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(expected(&q3, day(6, 1)), Decimal::ZERO);
        assert_eq!(expected(&q3, day(7, 1)), Decimal::ZERO);
        assert_eq!(expected(&q3, day(12, 1)), Decimal::ONE);
        assert_eq!(round(expected(&q3, day(8, 15))), "0.4891");
    }

    /// One KR under a Q3 2026 objective, scored on `today` (MM-DD).
    fn kr(lines: &str, today: (u32, u32)) -> KrScore {
        let text = format!("period 2026-Q3\nteam t\nowner @a\nobjective o \"O\"\n  {lines}\n");
        let workspace = Workspace::from_texts([("t.okr", text.as_str())]);
        assert!(
            workspace.goals[0].objectives[0].key_results.len() == 1,
            "{text}"
        );
        let today = NaiveDate::from_ymd_opt(2026, today.0, today.1).unwrap();
        score_team(&workspace.goals[0], today).unwrap().objectives[0].key_results[0].clone()
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn a_met_ceiling_is_a_hold_not_zero() {
        // b = 0.2 already meets t <= 4.9: scored as `hold <= 4.9`; the one
        // reading 0.1 holds, so 1 of 1 held.
        let scored = kr(
            "kr a \"Rate\" target <= 4.9 baseline 0.2\n    2026-08-10 0.1",
            (8, 15),
        );
        assert_eq!(
            (scored.score, scored.status),
            (Decimal::ONE, Status::OnTrack)
        );
        assert_eq!(
            (scored.held, scored.forecast, scored.expected),
            (Some((1, 1)), None, None)
        );
    }

    #[test]
    fn a_decrease_without_baseline_starts_at_its_first_reading() {
        // $9,800 is the start: not started, and not done, with one reading.
        let one = kr(
            "kr a \"Cost\" target <= $9,000\n    2026-07-10 $9,800",
            (8, 15),
        );
        assert_eq!((one.score, one.status), (Decimal::ZERO, Status::NotStarted));
        // Then (9,400 − 9,800) / (9,000 − 9,800) = 0.5.
        let two = kr(
            "kr a \"Cost\" target <= $9,000\n    2026-07-10 $9,800\n    2026-08-10 $9,400",
            (8, 15),
        );
        assert_eq!((two.baseline, two.score), (Some(dec("9800")), dec("0.5")));
    }

    #[test]
    fn a_first_reading_that_meets_the_target_is_a_hold() {
        // 5 already meets `<= 10`: scored as `hold <= 10`, both readings
        // hold, 2 of 2; never `done` at 0%, as (4 − 5) / (10 − 5) would say.
        let scored = kr(
            "kr a \"Cost\" target <= 10\n    2026-07-10 5\n    2026-08-10 4",
            (8, 15),
        );
        assert_eq!(
            (scored.score, scored.status, scored.held),
            (Decimal::ONE, Status::OnTrack, Some((2, 2)))
        );
        // With one reading it is still not started.
        let one = kr(
            "kr a \"Users\" target 100 baseline unknown\n    2026-07-10 150",
            (8, 15),
        );
        assert_eq!((one.score, one.status), (Decimal::ZERO, Status::NotStarted));
    }

    #[test]
    fn an_objective_is_done_only_when_its_krs_are() {
        // Its one KR scores 100% but is not done: `< 5` met exactly, a
        // hold that has held so far. The objective is on track, not done.
        for lines in [
            "kr a \"A\" target < 5 baseline 8\n    2026-08-10 5",
            "kr a \"A\" hold >= 95%\n    2026-08-10 96%",
        ] {
            let text = format!("period 2026-Q3\nteam t\nowner @a\nobjective o \"O\"\n  {lines}\n");
            let workspace = Workspace::from_texts([("t.okr", text.as_str())]);
            let objective = &score_team(&workspace.goals[0], today()).unwrap().objectives[0];
            assert_eq!(
                (objective.score, objective.status),
                (Decimal::ONE, Status::OnTrack),
                "{lines}"
            );
        }
    }

    #[test]
    fn a_hold_scores_the_share_of_readings_held() {
        // 96% and 97% hold >= 95%, 94% does not: 2 of 3; the latest holds.
        let scored = kr("kr a \"Avail\" hold >= 95%\n    2026-07-10 96%\n    2026-07-20 94%\n    2026-08-10 97%", (8, 15));
        assert_eq!(scored.score, dec("2") / dec("3"));
        assert_eq!(
            (scored.status, scored.held),
            (Status::OnTrack, Some((2, 3)))
        );
        let broken = kr(
            "kr a \"Avail\" hold 97%..99%\n    2026-08-10 99.5%",
            (8, 15),
        );
        assert_eq!(
            (broken.score, broken.status),
            (Decimal::ZERO, Status::OffTrack)
        );
    }

    #[test]
    fn milestones_take_partial_credit() {
        // `pending` after 40% keeps 40%.
        let partial = kr(
            "kr a \"Portal\" milestone\n    2026-07-10 40%\n    2026-08-10 pending",
            (8, 15),
        );
        assert_eq!(partial.score, dec("0.4"));
        let done = kr(
            "kr a \"Portal\" milestone\n    2026-07-10 40%\n    2026-08-10 done",
            (8, 15),
        );
        assert_eq!((done.score, done.status), (Decimal::ONE, Status::Done));
    }

    #[test]
    fn a_strict_target_is_done_only_beyond_it() {
        // (5 − 1) / (5 − 1) = 1, but `> 5` needs more than 5.
        let equal = kr(
            "kr a \"A\" target > 5 baseline 1\n    2026-08-10 5",
            (8, 15),
        );
        assert_eq!((equal.score, equal.status), (Decimal::ONE, Status::OnTrack));
        let beyond = kr(
            "kr a \"A\" target > 5 baseline 1\n    2026-08-10 6",
            (8, 15),
        );
        assert_eq!(beyond.status, Status::Done);
    }

    #[test]
    fn relative_targets_resolve_from_the_baseline() {
        // +15% of 1,000 is 1,150; (1,075 − 1,000) / 150 = 0.5.
        let share = kr(
            "kr a \"A\" target +15% baseline 1,000\n    2026-08-10 1,075",
            (8, 15),
        );
        assert_eq!((share.target, share.score), (Some(dec("1150")), dec("0.5")));
        // x2 over 300 is 600 (no baseline: a running total from 0); 150 / 600.
        let times = kr("kr a \"A\" target x2 over 300\n    2026-08-10 150", (8, 15));
        assert_eq!((times.target, times.score), (Some(dec("600")), dec("0.25")));
        // 3% + 2pp = 5%; (4% − 3%) / 2pp = 0.5.
        let points = kr(
            "kr a \"A\" target +2pp baseline 3%\n    2026-08-10 4%",
            (8, 15),
        );
        assert_eq!(
            (points.target, points.score),
            (Some(dec("0.05")), dec("0.5"))
        );
        // With `baseline unknown` the first reading is the start: 200 → 220 target.
        let unknown = kr(
            "kr a \"A\" target +10% baseline unknown\n    2026-07-10 200\n    2026-08-10 210",
            (8, 15),
        );
        assert_eq!(
            (unknown.target, unknown.score),
            (Some(dec("220")), dec("0.5"))
        );
    }

    #[test]
    fn after_the_period_a_kr_is_done_or_missed() {
        // 20 of 20 by the due date: done, expected 1, no forecast.
        let met = kr(
            "kr a \"A\" target 20 due 2026-09-15\n    2026-09-14 20",
            (10, 5),
        );
        assert_eq!(
            (met.status, met.expected, met.forecast),
            (Status::Done, Some(Decimal::ONE), None)
        );
        let short = kr("kr a \"A\" target 20\n    2026-09-14 19", (10, 5));
        assert_eq!(short.status, Status::Missed);
    }

    #[test]
    fn a_due_date_sets_the_kr_clock_and_forecast_day() {
        // Due 07-31: 15 of its 31 days gone on 07-16.
        let scored = kr(
            "kr a \"A\" target 31 due 2026-07-31\n    2026-07-11 10",
            (7, 16),
        );
        assert_eq!(scored.expected, Some(dec("15") / dec("31")));
        // The line through (day 0, 0) and (day 10, 10) reads 30 on day 30 (07-31).
        assert_eq!(scored.forecast, Some(dec("30")));
        let passed = kr(
            "kr a \"A\" target 31 due 2026-07-31\n    2026-07-11 10",
            (8, 2),
        );
        assert_eq!(passed.forecast, None);
    }

    #[test]
    fn stale_is_never_green() {
        // On track by the numbers (0.9 ≥ 0.49 − 0.1) but silent for 41 days
        // (> 7 + 3) on 08-15: at risk, and marked stale.
        let scored = kr("kr a \"A\" target 100\n    2026-07-05 90", (8, 15));
        assert_eq!((scored.status, scored.stale), (Status::AtRisk, true));
        let done = kr("kr a \"A\" target 100\n    2026-07-05 100", (8, 15));
        assert_eq!((done.status, done.stale), (Status::Done, false));
        // Due on 07-31 and silent since 07-05: late, not stale, on 08-15.
        let due = kr(
            "kr a \"A\" target 100 due 2026-07-31\n    2026-07-05 90",
            (8, 15),
        );
        assert!(!due.stale);
    }

    #[test]
    fn forecasts_stay_within_what_the_number_can_be() {
        // 50% → 90% in 20 days runs past 100% by the period's end: clamped.
        let percent = kr(
            "kr a \"A\" target 95% baseline 50%\n    2026-07-21 90%",
            (7, 22),
        );
        assert_eq!(percent.forecast, Some(Decimal::ONE));
        // A ratio above 100% (a target of 115%) is not a share: no ceiling.
        let ratio = kr(
            "kr a \"A\" target 115% baseline 100%\n    2026-07-21 110%",
            (7, 22),
        );
        assert!(ratio.forecast.unwrap() > Decimal::ONE);
        // A falling count cannot go below 0.
        let count = kr(
            "kr a \"A\" target <= 10 baseline 100\n    2026-07-21 50",
            (7, 22),
        );
        assert_eq!(count.forecast, Some(Decimal::ZERO));
    }

    #[test]
    fn grades_replace_the_score_and_keep_the_computed_one() {
        // (50 − 0) / 100 = 0.5 computed; graded 70%.
        let scored = kr(
            "kr a \"A\" target 100\n    2026-09-20 50\n    grade 70% \"late start\"",
            (10, 5),
        );
        assert_eq!(
            (scored.score, scored.computed_score, scored.graded),
            (dec("0.7"), dec("0.5"), Some(dec("0.7")))
        );
        let text = "period 2026-Q3\nteam t\nowner @a\nobjective o \"O\"\n  grade 120%\n  kr a \"A\" target 100\n    2026-09-20 50\n";
        let workspace = Workspace::from_texts([("t.okr", text)]);
        let objective = &score_team(
            &workspace.goals[0],
            NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
        )
        .unwrap()
        .objectives[0];
        // Shown as written (120%), counted as 1; the formula's 0.5 kept.
        assert_eq!(
            (objective.score, objective.computed_score, objective.graded),
            (Decimal::ONE, dec("0.5"), Some(dec("1.2")))
        );
        assert_eq!(objective.status, Status::Done);
    }

    #[test]
    fn parents_are_scored_by_their_children() {
        let company = "period 2026-Q3\nteam company\nowner @ceo\nobjective growth \"Grow\"\nobjective brand \"Brand\"\n  rollup\n  kr a \"A\" target 100\n";
        let team = "period 2026-Q3\nteam demand\nowner @ana\nobjective one \"One\"\n  aligns company/growth, company/brand\n  kr a \"A\" target 100\n    2026-08-10 50\nobjective two \"Two\"\n  aligns company/growth\n  aligns company/growth\n  kr a \"A\" target 100\n    2026-08-10 100\n";
        let workspace = Workspace::from_texts([("company.okr", company), ("demand.okr", team)]);
        let today = NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
        let mut scores: Vec<Option<TeamScore>> = workspace
            .goals
            .iter()
            .map(|goals| score_team(goals, today))
            .collect();
        roll_up(&workspace.goals, &mut scores, today);
        let company = scores[0].as_ref().unwrap();
        // No KRs of its own: the mean of 0.5 and 1 (`two` counted once).
        assert_eq!(
            (company.objectives[0].score, company.objectives[0].rolled_up),
            (dec("0.75"), true)
        );
        // `rollup` with one KR at 0: (0 + 0.5) / 2.
        assert_eq!(company.objectives[1].score, dec("0.25"));
        // The team is the mean of its objectives.
        assert_eq!(company.score, dec("0.5"));
        // Children by (file, objective), each once, in reading order.
        assert_eq!(company.objectives[0].children, [(1, 0), (1, 1)]);
        assert_eq!(company.objectives[1].children, [(1, 0)]);
        assert!(scores[1].as_ref().unwrap().objectives[0]
            .children
            .is_empty());
    }
}
