//! A small SVG chart per KR: check-ins against the ideal line from baseline to
//! target, the forecast to the period's end, the target and today. Built from
//! numbers only, so it is safe to embed unescaped; colours come from the page's CSS.

use crate::model::goals::{Goals, KeyResult, Reading, ReferenceText};
use crate::score::TeamScore;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use std::collections::HashMap;
use std::fmt::Write;

const WIDTH: f64 = 240.0;
const HEIGHT: f64 = 64.0;
const PAD: f64 = 5.0;

/// A KR, by file, objective and position in the objective.
pub type KrAt = (usize, usize, usize);

/// Where the chart of every numeric KR is, by its [`element_id`]: small
/// beside the charts themselves (tens of megabytes of SVG for the KRs of an
/// organisation), which are drawn when a template asks for one ([`draw`]).
/// Two KRs with one element id: the later file's wins.
///
/// [`element_id`]: super::element_id
pub fn index(workspace: &Workspace, scores: &[Option<TeamScore>]) -> HashMap<String, KrAt> {
    let mut index = HashMap::new();
    for (file, (goals, scores)) in workspace.goals.iter().zip(scores).enumerate() {
        let (Some(team), Some(period), Some(scores)) =
            (goals.team_id(), goals.period.as_ref(), scores.as_ref())
        else {
            continue;
        };
        for (at, (objective, scored)) in goals.objectives.iter().zip(&scores.objectives).enumerate()
        {
            for (kr_at, (kr, score)) in objective
                .key_results
                .iter()
                .zip(&scored.key_results)
                .enumerate()
            {
                if score.baseline.is_none() || score.target.is_none() {
                    continue;
                }
                let reference = ReferenceText::new(team, &objective.id.value)
                    .child(&kr.id.value)
                    .to_string();
                index.insert(
                    super::element_id(&period.value.label, &reference),
                    (file, at, kr_at),
                );
            }
        }
    }
    index
}

/// The chart of the KR at `(objective, kr)` of `goals` scored `scores`; none
/// for a KR without numbers (or a position that is not there).
pub fn draw(
    goals: &Goals,
    scores: &TeamScore,
    (objective, kr): (usize, usize),
    today: NaiveDate,
) -> Option<String> {
    let period = &goals.period.as_ref()?.value;
    let score = scores.objectives.get(objective)?.key_results.get(kr)?;
    let kr = goals.objectives.get(objective)?.key_results.get(kr)?;
    let (Some(baseline), Some(target)) = (score.baseline, score.target) else {
        return None;
    };
    let days = period.days();
    let today_day = (today - period.start).num_days();
    let line = Line {
        days,
        baseline: number(baseline),
        target: number(target),
        points: checkin_points(kr, period.start, today),
        forecast: score.forecast.map(number),
        today: (0..days).contains(&today_day).then_some(today_day),
    };
    Some(line.svg())
}

fn number(value: rust_decimal::Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

fn checkin_points(kr: &KeyResult, start: NaiveDate, today: NaiveDate) -> Vec<(i64, f64)> {
    kr.checkins
        .iter()
        .filter(|checkin| checkin.date.value <= today)
        .filter_map(|checkin| match &checkin.reading.value {
            Reading::Value(value) => Some((
                (checkin.date.value - start).num_days(),
                number(value.amount),
            )),
            _ => None,
        })
        .collect()
}

/// A coordinate written with one decimal, through integer formatting (a page
/// of 40,000 charts spends its time here with `{:.1}`).
struct Tenths(f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = (self.0 * 10.0).round() as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{}", tenths.abs() / 10, tenths.abs() % 10)
    }
}

struct Line {
    days: i64,
    baseline: f64,
    target: f64,
    points: Vec<(i64, f64)>,
    forecast: Option<f64>,
    today: Option<i64>,
}

impl Line {
    fn svg(&self) -> String {
        let values = self
            .points
            .iter()
            .map(|p| p.1)
            .chain([self.baseline, self.target])
            .chain(self.forecast);
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        let (low, high) = if (high - low).abs() < f64::EPSILON {
            (low - 1.0, high + 1.0)
        } else {
            (low, high)
        };
        let last_day = (self.days - 1).max(1) as f64;
        let x = |day: i64| Tenths(PAD + (day as f64 / last_day) * (WIDTH - 2.0 * PAD));
        let y =
            |value: f64| Tenths(HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2.0 * PAD));
        let mut svg = format!(
            r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="check-ins against the ideal line"><line class="target" x1="{}" y1="{}" x2="{}" y2="{}"/><line class="ideal" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
            x(0),
            y(self.target),
            x(self.days - 1),
            y(self.target),
            x(0),
            y(self.baseline),
            x(self.days - 1),
            y(self.target),
        );
        if let Some(today) = self.today {
            let _ = write!(
                svg,
                r#"<line class="today" x1="{0}" y1="{PAD}" x2="{0}" y2="{1}"/>"#,
                x(today),
                Tenths(HEIGHT - PAD)
            );
        }
        let mut path = format!("{},{}", x(0), y(self.baseline));
        for (day, value) in &self.points {
            let _ = write!(path, " {},{}", x(*day), y(*value));
        }
        if let (Some(forecast), Some((day, value))) = (self.forecast, self.points.last()) {
            let _ = write!(
                svg,
                r#"<line class="forecast" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
                x(*day),
                y(*value),
                x(self.days - 1),
                y(forecast)
            );
        }
        let _ = write!(svg, r#"<polyline class="actual" points="{path}"/>"#);
        for (day, value) in &self.points {
            let _ = write!(
                svg,
                r#"<circle class="point" cx="{}" cy="{}" r="2.2"/>"#,
                x(*day),
                y(*value)
            );
        }
        svg.push_str("</svg>");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_have_one_decimal() {
        assert_eq!(Tenths(12.34).to_string(), "12.3");
        assert_eq!(Tenths(0.05).to_string(), "0.1");
        assert_eq!(Tenths(-1.26).to_string(), "-1.3");
        assert_eq!(Tenths(5.0).to_string(), "5.0");
    }

    #[test]
    fn the_chart_holds_numbers_only_and_every_part() {
        let line = Line {
            days: 92,
            baseline: 41_000.0,
            target: 60_000.0,
            points: vec![(13, 44_100.0), (27, 47_900.0), (41, 51_200.0)],
            forecast: Some(63_817.58),
            today: Some(45),
        };
        let svg = line.svg();
        for part in [
            "class=\"target\"",
            "class=\"ideal\"",
            "class=\"today\"",
            "class=\"forecast\"",
            "class=\"actual\"",
        ] {
            assert!(svg.contains(part), "{part}");
        }
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.is_ascii());
    }
}
