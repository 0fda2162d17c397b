//! A small SVG chart per KR: check-ins against the ideal line from baseline to
//! target, the forecast to the period's end, the target and today; for a
//! hold, its readings over the shaded band they should stay in. Built from
//! numbers only, so it is safe to embed unescaped; colours come from the page's CSS.

use crate::model::goals::{Band, Goals, KeyResult, Reading, ReferenceText, Target};
use crate::score::TeamScore;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;

const WIDTH: f64 = 240.0;
const HEIGHT: f64 = 64.0;
const PAD: f64 = 5.0;

/// A KR, by file, objective and position in the objective.
pub type KrAt = (usize, usize, usize);

/// Where the chart of every numeric KR (one with a baseline and a target,
/// or a hold) is, by its [`element_id`]: small beside the charts themselves
/// (tens of megabytes of SVG for the KRs of an organisation), which are
/// drawn when a template asks for one ([`draw`]). Two KRs with one element
/// id: the later file's wins.
///
/// Kept as each id's hash beside its KR's position, sorted by hash, the id
/// itself made again to confirm a match: a map of 40,000 ids was 4.5 MB of
/// a 2,000-team page's peak memory, this is 1.3 MB.
///
/// [`element_id`]: super::element_id
#[derive(Debug)]
pub struct ChartIndex {
    /// Sorted by hash; KRs with one hash keep their order (files read first
    /// first).
    entries: Vec<(u64, KrAt)>,
}

impl ChartIndex {
    /// The index of the charted KRs of `files`.
    pub fn of(
        workspace: &Workspace,
        scores: &[Option<TeamScore>],
        files: impl IntoIterator<Item = usize>,
    ) -> ChartIndex {
        let mut entries = Vec::new();
        for file in files {
            let (Some(goals), Some(Some(scores))) = (workspace.goals.get(file), scores.get(file))
            else {
                continue;
            };
            for (at, (objective, scored)) in
                goals.objectives.iter().zip(&scores.objectives).enumerate()
            {
                for (kr_at, (kr, score)) in objective
                    .key_results
                    .iter()
                    .zip(&scored.key_results)
                    .enumerate()
                {
                    if !charted(kr, score) {
                        continue;
                    }
                    if let Some(id) = kr_element_id(goals, at, kr_at) {
                        entries.push((hash(&id), (file, at, kr_at)));
                    }
                }
            }
        }
        // Stable: among KRs with one hash, the later file stays later.
        entries.sort_by_key(|&(hash, _)| hash);
        entries.shrink_to_fit();
        ChartIndex { entries }
    }

    /// Where the chart with element id `id` is: the last KR read with that id.
    pub fn get(&self, workspace: &Workspace, id: &str) -> Option<KrAt> {
        let hash = hash(id);
        let from = self.entries.partition_point(|&(other, _)| other < hash);
        let to = self.entries.partition_point(|&(other, _)| other <= hash);
        self.entries[from..to]
            .iter()
            .rev()
            .map(|&(_, at)| at)
            .find(|&(file, objective, kr)| {
                workspace
                    .goals
                    .get(file)
                    .and_then(|goals| kr_element_id(goals, objective, kr))
                    .is_some_and(|other| other == id)
            })
    }

    /// Every chart's element id, sorted, each once.
    pub fn ids(&self, workspace: &Workspace) -> Vec<String> {
        let mut ids: Vec<String> = self
            .entries
            .iter()
            .filter_map(|&(_, (file, objective, kr))| {
                kr_element_id(workspace.goals.get(file)?, objective, kr)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// The element id of the KR at `(objective, kr)` of `goals`: its period's
/// label and its reference; none without a team or period.
fn kr_element_id(goals: &Goals, objective: usize, kr: usize) -> Option<String> {
    let objective = goals.objectives.get(objective)?;
    let reference = ReferenceText::new(goals.team_id()?, &objective.id.value)
        .child(&objective.key_results.get(kr)?.id.value)
        .to_string();
    Some(super::element_id(
        &goals.period.as_ref()?.value.label,
        &reference,
    ))
}

/// An element id's hash, the same in every run.
fn hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// Whether a KR has a chart: a line from its baseline to its target, or a
/// hold's band.
fn charted(kr: &KeyResult, score: &crate::score::KrScore) -> bool {
    matches!(kr.target.value, Target::Hold(_))
        || (score.baseline.is_some() && score.target.is_some())
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
    let days = period.days();
    let today_day = (today - period.start).num_days();
    let band = match &kr.target.value {
        Target::Hold(band) => Some(band),
        _ => None,
    };
    let ideal = match (score.baseline, score.target) {
        (Some(baseline), Some(target)) if band.is_none() => {
            Some((number(baseline), number(target)))
        }
        _ if band.is_some() => None,
        _ => return None,
    };
    let line = Line {
        days,
        ideal,
        band: band.map(|band| {
            (
                band.min.as_ref().map(|min| number(min.value.amount)),
                band.max.as_ref().map(|max| number(max.value.amount)),
            )
        }),
        points: checkin_points(kr, band, period.start, today),
        forecast: score.forecast.map(number),
        today: (0..days).contains(&today_day).then_some(today_day),
    };
    Some(line.svg())
}

fn number(value: rust_decimal::Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

/// Each reading on or before today: its day, its value, and whether it
/// held (always, outside a hold).
fn checkin_points(
    kr: &KeyResult,
    band: Option<&Band>,
    start: NaiveDate,
    today: NaiveDate,
) -> Vec<(i64, f64, bool)> {
    kr.checkins
        .iter()
        .filter(|checkin| checkin.date.value <= today)
        .filter_map(|checkin| match &checkin.reading.value {
            Reading::Value(value) => Some((
                (checkin.date.value - start).num_days(),
                number(value.amount),
                band.is_none_or(|band| band.holds(value.amount)),
            )),
            _ => None,
        })
        .collect()
}

/// A coordinate written with one decimal, its digits put in a buffer and
/// written at once: a page of 40,000 charts spent its time here, with
/// `{:.1}` and then with `write!` of the two integers (1.1 G of a 2,000-team
/// page's 9.6 G instructions).
struct Tenths(f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "a chart coordinate, within the SVG's few hundred units"
        )]
        let tenths = (self.0 * 10.0).round() as i64;
        // Filled from the end: a sign, at most 19 digits, a point, a digit.
        let mut text = [0u8; 24];
        let mut at = text.len();
        let mut rest = tenths.unsigned_abs();
        let mut put = |byte: u8| {
            at -= 1;
            text[at] = byte;
        };
        put(digit(rest));
        put(b'.');
        rest /= 10;
        loop {
            put(digit(rest));
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if tenths < 0 {
            put(b'-');
        }
        f.write_str(std::str::from_utf8(&text[at..]).unwrap_or_default())
    }
}

/// The last decimal digit of `number`, as an ASCII byte.
fn digit(number: u64) -> u8 {
    b"0123456789"[usize::from(u8::try_from(number % 10).unwrap_or_default())]
}

/// What a chart shows, in chart numbers (drawing needs no exactness).
struct Line {
    days: i64,
    /// From the baseline to the target; none for a hold.
    ideal: Option<(f64, f64)>,
    /// A hold's band, an open side `None`.
    band: Option<(Option<f64>, Option<f64>)>,
    /// Day, value, and whether the reading held.
    points: Vec<(i64, f64, bool)>,
    forecast: Option<f64>,
    today: Option<i64>,
}

impl Line {
    #[allow(
        clippy::cast_precision_loss,
        reason = "days within a period, far below f64's 2^52 exact integers"
    )]
    fn svg(&self) -> String {
        let (low, high) = self.range();
        let last_day = (self.days - 1).max(1) as f64;
        let x = |day: i64| Tenths(PAD + (day as f64 / last_day) * (WIDTH - 2.0 * PAD));
        let y =
            |value: f64| Tenths(HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2.0 * PAD));
        let label = if self.band.is_some() {
            "readings against the band they should stay in"
        } else {
            "check-ins against the ideal line"
        };
        let mut svg = format!(
            r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{label}">"#
        );
        if let Some((min, max)) = self.band {
            // An open side reaches the chart's edge.
            let top = max.map_or(Tenths(0.0), y);
            let bottom = min.map_or(Tenths(HEIGHT), y);
            let _ = write!(
                svg,
                r#"<rect class="band" x="{}" y="{top}" width="{}" height="{}"/>"#,
                x(0),
                Tenths(WIDTH - 2.0 * PAD),
                Tenths((bottom.0 - top.0).max(0.0)),
            );
            for bound in [min, max].into_iter().flatten() {
                let _ = write!(
                    svg,
                    r#"<line class="bound" x1="{}" y1="{2}" x2="{}" y2="{2}"/>"#,
                    x(0),
                    x(self.days - 1),
                    y(bound)
                );
            }
        }
        if let Some((baseline, target)) = self.ideal {
            let _ = write!(
                svg,
                r#"<line class="target" x1="{}" y1="{}" x2="{}" y2="{}"/><line class="ideal" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
                x(0),
                y(target),
                x(self.days - 1),
                y(target),
                x(0),
                y(baseline),
                x(self.days - 1),
                y(target),
            );
        }
        if let Some(today) = self.today {
            let _ = write!(
                svg,
                r#"<line class="today" x1="{0}" y1="{PAD}" x2="{0}" y2="{1}"/>"#,
                x(today),
                Tenths(HEIGHT - PAD)
            );
        }
        // A moving KR's line starts at its baseline on the first day; a
        // hold's at its first reading.
        let start = self.ideal.map(|(baseline, _)| (0, baseline));
        let path: Vec<String> = start
            .into_iter()
            .chain(self.points.iter().map(|&(day, value, _)| (day, value)))
            .map(|(day, value)| format!("{},{}", x(day), y(value)))
            .collect();
        if let (Some(forecast), Some((day, value, _))) = (self.forecast, self.points.last()) {
            let _ = write!(
                svg,
                r#"<line class="forecast" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
                x(*day),
                y(*value),
                x(self.days - 1),
                y(forecast)
            );
        }
        if !path.is_empty() {
            let _ = write!(
                svg,
                r#"<polyline class="actual" points="{}"/>"#,
                path.join(" ")
            );
        }
        for (day, value, held) in &self.points {
            let class = if *held { "point" } else { "point out" };
            let _ = write!(
                svg,
                r#"<circle class="{class}" cx="{}" cy="{}" r="2.2"/>"#,
                x(*day),
                y(*value)
            );
        }
        svg.push_str("</svg>");
        svg
    }

    /// The values the chart spans: every reading, the ideal line's ends, the
    /// band's ends and the forecast; a band gets room around it.
    fn range(&self) -> (f64, f64) {
        let (band_min, band_max) = self.band.unwrap_or((None, None));
        let values = self
            .points
            .iter()
            .map(|p| p.1)
            .chain(self.ideal.into_iter().flat_map(|(a, b)| [a, b]))
            .chain(band_min)
            .chain(band_max)
            .chain(self.forecast);
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if !low.is_finite() || !high.is_finite() {
            return (0.0, 1.0);
        }
        if (high - low).abs() < f64::EPSILON {
            let room = low.abs().max(1.0) * 0.05;
            return (low - room, high + room);
        }
        if self.band.is_some() {
            let room = (high - low) * 0.15;
            return (low - room, high + room);
        }
        (low, high)
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
            ideal: Some((41_000.0, 60_000.0)),
            band: None,
            points: vec![
                (13, 44_100.0, true),
                (27, 47_900.0, true),
                (41, 51_200.0, true),
            ],
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
        assert!(!svg.contains("class=\"band\""));
    }

    #[test]
    fn a_hold_s_chart_shades_its_band_and_marks_readings_outside() {
        let line = Line {
            days: 92,
            ideal: None,
            band: Some((Some(0.995), Some(0.9999))),
            points: vec![(9, 0.997, true), (23, 0.994, false), (37, 0.9995, true)],
            forecast: None,
            today: Some(45),
        };
        let svg = line.svg();
        assert_eq!(svg.matches("<rect class=\"band\"").count(), 1);
        assert_eq!(svg.matches("<line class=\"bound\"").count(), 2);
        assert_eq!(svg.matches("class=\"point out\"").count(), 1);
        assert!(!svg.contains("class=\"ideal\"") && !svg.contains("class=\"forecast\""));
        assert!(svg.contains("aria-label=\"readings against the band"));
        // An open side reaches the edge of the chart.
        let open = Line {
            band: Some((Some(0.95), None)),
            ..line
        };
        assert!(open.svg().contains(r#"<rect class="band" x="5.0" y="0.0""#));
        // No reading yet: the band alone.
        let empty = Line {
            points: Vec::new(),
            band: Some((None, Some(2.5))),
            ideal: None,
            forecast: None,
            today: None,
            days: 92,
        };
        let svg = empty.svg();
        assert!(svg.contains("class=\"band\"") && !svg.contains("polyline"));
    }
}
