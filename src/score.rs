//! Scores (SPEC §4): progress, score, expected progress, status, forecast and
//! grade for each KR, objective and team, as of a given day.

use crate::model::goals::{Direction, Goals, KeyResult, Objective, ObjectiveType, Reading, Target};
use crate::model::period::Period;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Below expected progress by at most this much is still on track.
const ON_TRACK_SLACK: Decimal = Decimal::from_parts(10, 0, 0, false, 2);
/// Below expected progress by at most this much is at risk; more is off track.
const AT_RISK_SLACK: Decimal = Decimal::from_parts(25, 0, 0, false, 2);
/// Google's grading convention, applied after the period ends.
const GREEN: Decimal = Decimal::from_parts(7, 0, 0, false, 1);
const YELLOW: Decimal = Decimal::from_parts(4, 0, 0, false, 1);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Done,
    OnTrack,
    AtRisk,
    OffTrack,
    NotStarted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::OffTrack => "off-track",
            Status::NotStarted => "not-started",
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grade {
    Green,
    Yellow,
    Red,
}

impl Grade {
    pub fn of(score: Decimal) -> Grade {
        if score >= GREEN {
            Grade::Green
        } else if score >= YELLOW {
            Grade::Yellow
        } else {
            Grade::Red
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Green => "green",
            Grade::Yellow => "yellow",
            Grade::Red => "red",
        }
    }
}

/// Where one KR stands.
#[derive(Clone, Debug, PartialEq)]
pub struct KrScore {
    /// Numbers that do not apply (a milestone's baseline, a KR with no
    /// check-in's current value) are `None`.
    pub baseline: Option<Decimal>,
    pub target: Option<Decimal>,
    pub current: Option<Decimal>,
    pub progress: Option<Decimal>,
    pub score: Decimal,
    pub expected: Decimal,
    pub status: Status,
    pub forecast: Option<Decimal>,
    /// Index of the latest check-in on or before today.
    pub last_checkin: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectiveScore {
    pub score: Decimal,
    pub status: Status,
    /// Only once the period has ended.
    pub grade: Option<Grade>,
    /// A committed objective that ended below 1.0.
    pub missed_commitment: bool,
    pub key_results: Vec<KrScore>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TeamScore {
    pub score: Decimal,
    pub expected: Decimal,
    pub objectives: Vec<ObjectiveScore>,
}

/// The share of the period elapsed at `today`: (today − start) / days, in [0, 1].
pub fn expected(period: &Period, today: NaiveDate) -> Decimal {
    let elapsed = (today - period.start).num_days().clamp(0, period.days());
    Decimal::from(elapsed) / Decimal::from(period.days())
}

/// Scores a file's goals as of `today`; `None` without a period to measure against.
pub fn score_team(goals: &Goals, today: NaiveDate) -> Option<TeamScore> {
    let period = &goals.period.as_ref()?.value;
    let expected = expected(period, today);
    let objectives: Vec<ObjectiveScore> = goals
        .objectives
        .iter()
        .map(|objective| score_objective(objective, period, today, expected))
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
    today: NaiveDate,
    expected: Decimal,
) -> ObjectiveScore {
    let key_results: Vec<KrScore> = objective
        .key_results
        .iter()
        .map(|kr| score_kr(kr, period, today, expected))
        .collect();
    let total_weight: Decimal = objective.key_results.iter().map(KeyResult::weight).sum();
    let score = if total_weight > Decimal::ZERO {
        objective
            .key_results
            .iter()
            .zip(&key_results)
            .map(|(kr, scored)| kr.weight() * scored.score)
            .sum::<Decimal>()
            / total_weight
    } else {
        Decimal::ZERO
    };
    let status =
        if !key_results.is_empty() && key_results.iter().all(|kr| kr.status == Status::Done) {
            Status::Done
        } else if key_results.iter().all(|kr| kr.status == Status::NotStarted) {
            Status::NotStarted
        } else {
            Status::judge(score, expected)
        };
    let ended = today > period.end;
    ObjectiveScore {
        score,
        status,
        grade: ended.then(|| Grade::of(score)),
        missed_commitment: ended
            && objective.kind() == ObjectiveType::Committed
            && score < Decimal::ONE,
        key_results,
    }
}

/// Scores one KR; check-ins after `today` are ignored.
pub fn score_kr(kr: &KeyResult, period: &Period, today: NaiveDate, expected: Decimal) -> KrScore {
    let last_checkin = kr
        .checkins
        .iter()
        .rposition(|checkin| checkin.date.value <= today);
    let latest = last_checkin.map(|index| &kr.checkins[index].reading.value);
    let (baseline, target, current, progress) = match &kr.target.value {
        Target::Milestone => {
            let done = latest.map(|reading| Decimal::from(u8::from(*reading == Reading::Done)));
            (None, None, None, done)
        }
        Target::Hold(_) => (None, None, None, None),
        Target::Move(goal) => {
            let baseline = kr.start().map_or(Decimal::ZERO, |start| start.amount);
            let Some(target) = kr.target_quantity() else {
                return KrScore {
                    baseline: Some(baseline),
                    target: None,
                    current: None,
                    progress: None,
                    score: Decimal::ZERO,
                    expected,
                    status: Status::NotStarted,
                    forecast: None,
                    last_checkin,
                };
            };
            let direction = goal.direction;
            let current = latest.and_then(|reading| match reading {
                Reading::Value(value) => Some(value.amount),
                _ => None,
            });
            let progress = current
                .map(|current| progress_between(baseline, target.amount, current, direction));
            (Some(baseline), Some(target.amount), current, progress)
        }
    };
    let score = progress.map_or(Decimal::ZERO, |progress| {
        progress.clamp(Decimal::ZERO, Decimal::ONE)
    });
    let status = if last_checkin.is_none() {
        Status::NotStarted
    } else {
        Status::judge(score, expected)
    };
    let forecast = match (baseline, last_checkin) {
        (Some(baseline), Some(_)) => forecast(kr, period, today, baseline),
        _ => None,
    };
    KrScore {
        baseline,
        target,
        current,
        progress,
        score,
        expected,
        status,
        forecast,
        last_checkin,
    }
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
        let met = match direction {
            Direction::Decrease => current <= target,
            Direction::Increase => current >= target,
        };
        return Decimal::from(u8::from(met));
    }
    (current - baseline)
        .checked_div(span)
        .unwrap_or(Decimal::ZERO)
}

/// The least-squares line through (period start, baseline) and every check-in
/// up to today, read at the period's last day.
fn forecast(
    kr: &KeyResult,
    period: &Period,
    today: NaiveDate,
    baseline: Decimal,
) -> Option<Decimal> {
    let day = |date: NaiveDate| Decimal::from((date - period.start).num_days());
    let mut points = vec![(Decimal::ZERO, baseline)];
    for checkin in kr
        .checkins
        .iter()
        .filter(|checkin| checkin.date.value <= today)
    {
        if let Reading::Value(value) = &checkin.reading.value {
            points.push((day(checkin.date.value), value.amount));
        }
    }
    let n = Decimal::from(points.len());
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
    let end = day(period.end);
    if sxx.is_zero() {
        return Some(mean_y);
    }
    let slope = sxy.checked_div(sxx)?;
    mean_y.checked_add(slope.checked_mul(end - mean_x)?)
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
        assert_eq!(round(visitors.expected), "0.4891");
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
}
