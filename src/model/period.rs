//! Periods (quarters, halves, years, custom ranges) and check-in cadences.

use crate::syntax::atoms;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Days after a period's end in which check-ins still count for it (the
/// last week's numbers arrive late).
pub const GRACE_DAYS: i64 = 14;

/// An inclusive range of days that a file's goals are for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    /// As written: `2026-Q3`, `2026-H2`, `2026`, `2026-02-01..2026-04-30`.
    pub label: String,
    /// The first day.
    pub start: NaiveDate,
    /// The last day, included.
    pub end: NaiveDate,
}

/// Why a period literal names no range of days.
#[derive(Debug, PartialEq, Eq)]
pub enum PeriodError {
    /// A date that is not on the calendar (`2026-02-30`), as written.
    NotADate(String),
    /// A range whose end comes before its start.
    Backwards,
}

impl Period {
    /// Parses a period literal the grammar has already shaped.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let (start, end) = if let Some((from, to)) = text.split_once("..") {
            let (start, end) = (parse_date(from)?, parse_date(to)?);
            if end < start {
                return Err(PeriodError::Backwards);
            }
            (start, end)
        } else {
            let year: i32 = text
                .get(..4)
                .and_then(|year| year.parse().ok())
                .ok_or_else(|| PeriodError::NotADate(text.into()))?;
            let (first_month, months) = match text.get(4..) {
                Some("-Q1") => (1, 3),
                Some("-Q2") => (4, 3),
                Some("-Q3") => (7, 3),
                Some("-Q4") => (10, 3),
                Some("-H1") => (1, 6),
                Some("-H2") => (7, 6),
                Some("") => (1, 12),
                _ => return Err(PeriodError::NotADate(text.into())),
            };
            let start = NaiveDate::from_ymd_opt(year, first_month, 1)
                .ok_or_else(|| PeriodError::NotADate(text.into()))?;
            let end = start
                .checked_add_months(chrono::Months::new(months))
                .and_then(|next| next.pred_opt())
                .ok_or_else(|| PeriodError::NotADate(text.into()))?;
            (start, end)
        };
        Ok(Period {
            label: text.into(),
            start,
            end,
        })
    }

    /// Number of days in the period, both ends included.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// Whether `date` falls in the period, both ends included.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// The same span of time as another period, whatever the label says.
    pub fn same_range(&self, other: &Period) -> bool {
        self.start == other.start && self.end == other.end
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// Parses `YYYY-MM-DD`, refusing dates that are not on the calendar
/// (`syntax::atoms::parse_date`, with the error periods report).
pub fn parse_date(text: &str) -> Result<NaiveDate, PeriodError> {
    atoms::parse_date(text).ok_or_else(|| PeriodError::NotADate(text.into()))
}

/// Help for a date that is not on the calendar, e.g. `2026-02-30`.
pub fn explain_bad_date(text: &str) -> String {
    if !atoms::is_date_shaped(text.as_bytes()) {
        return format!("{text} is not a date; write YYYY-MM-DD, e.g. 2026-07-14");
    }
    let parts: Vec<u32> = text
        .split('-')
        .filter_map(|part| part.parse().ok())
        .collect();
    match parts.as_slice() {
        [year, month @ 1..=12, _] => {
            let days = i32::try_from(*year).map_or(0, |year| days_in_month(year, *month));
            format!("{text} is not a date: month {month} of {year} has {days} days")
        }
        [_, month, _] => format!("{text} is not a date: there is no month {month}"),
        _ => format!("{text} is not a date; write YYYY-MM-DD"),
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .and_then(|next| next.pred_opt())
        .map_or(31, |last| last.day())
}

/// A cadence longer than ten years is a typo.
pub const MAX_CADENCE_DAYS: u32 = 3650;

/// How often a team checks in on its KRs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    /// Every 7 days.
    Weekly,
    /// Every 14 days.
    Biweekly,
    /// Every 30 days.
    Monthly,
    /// Every N days, `Nd`, from 1 to [`MAX_CADENCE_DAYS`].
    Days(u32),
}

impl Cadence {
    /// `weekly`, `biweekly`, `monthly` or `Nd`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Cadence> {
        match text {
            "weekly" => Some(Cadence::Weekly),
            "biweekly" => Some(Cadence::Biweekly),
            "monthly" => Some(Cadence::Monthly),
            days => days
                .strip_suffix('d')
                .and_then(|days| days.parse().ok())
                .filter(|days| (1..=MAX_CADENCE_DAYS).contains(days))
                .map(Cadence::Days),
        }
    }

    /// The days between expected check-ins (a month counts 30).
    pub fn days(self) -> i64 {
        match self {
            Cadence::Weekly => 7,
            Cadence::Biweekly => 14,
            Cadence::Monthly => 30,
            Cadence::Days(days) => i64::from(days),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    #[test]
    fn dates_are_digits_and_dashes_only() {
        assert_eq!(
            date("2026-09-30"),
            NaiveDate::from_ymd_opt(2026, 9, 30).unwrap()
        );
        for text in [
            "2026-+9-30",
            "+026-09-30",
            "2026-09-+1",
            "2026-9-30",
            "2026-02-30",
            "2026 09 30",
        ] {
            assert!(parse_date(text).is_err(), "{text}");
        }
    }

    #[test]
    fn quarters_halves_and_years() {
        let q3 = Period::parse("2026-Q3").unwrap();
        assert_eq!((q3.start, q3.end), (date("2026-07-01"), date("2026-09-30")));
        assert_eq!(q3.days(), 92);
        let q1 = Period::parse("2026-Q1").unwrap();
        assert_eq!(q1.end, date("2026-03-31"));
        let q4 = Period::parse("2026-Q4").unwrap();
        assert_eq!(q4.end, date("2026-12-31"));
        let h1 = Period::parse("2026-H1").unwrap();
        assert_eq!((h1.start, h1.end), (date("2026-01-01"), date("2026-06-30")));
        let h2 = Period::parse("2026-H2").unwrap();
        assert_eq!((h2.start, h2.end), (date("2026-07-01"), date("2026-12-31")));
        let year = Period::parse("2026").unwrap();
        assert_eq!(year.days(), 365);
    }

    #[test]
    fn leap_years() {
        assert_eq!(Period::parse("2028").unwrap().days(), 366);
        assert_eq!(Period::parse("2028-Q1").unwrap().days(), 91);
        assert_eq!(Period::parse("2026-Q1").unwrap().days(), 90);
        assert!(parse_date("2028-02-29").is_ok());
        assert!(parse_date("2026-02-29").is_err());
        assert!(parse_date("2100-02-29").is_err());
        assert!(parse_date("2000-02-29").is_ok());
    }

    #[test]
    fn custom_ranges_are_inclusive() {
        let fiscal = Period::parse("2026-02-01..2026-04-30").unwrap();
        assert_eq!(fiscal.days(), 89);
        assert!(fiscal.contains(date("2026-04-30")));
        assert!(!fiscal.contains(date("2026-05-01")));
        assert_eq!(
            Period::parse("2026-05-01..2026-04-30"),
            Err(PeriodError::Backwards)
        );
        assert!(Period::parse("2026-02-30..2026-04-30").is_err());
    }

    #[test]
    fn impossible_dates_are_explained() {
        assert!(parse_date("2026-02-30").is_err());
        assert_eq!(
            explain_bad_date("2026-02-30"),
            "2026-02-30 is not a date: month 2 of 2026 has 28 days"
        );
        assert_eq!(
            explain_bad_date("2026-8-15"),
            "2026-8-15 is not a date; write YYYY-MM-DD, e.g. 2026-07-14"
        );
        assert_eq!(
            explain_bad_date("2026-13-01"),
            "2026-13-01 is not a date: there is no month 13"
        );
    }

    #[test]
    fn cadences() {
        assert_eq!(Cadence::parse("weekly").map(Cadence::days), Some(7));
        assert_eq!(Cadence::parse("biweekly").map(Cadence::days), Some(14));
        assert_eq!(Cadence::parse("monthly").map(Cadence::days), Some(30));
        assert_eq!(Cadence::parse("10d").map(Cadence::days), Some(10));
        assert_eq!(Cadence::parse("0d"), None);
        assert_eq!(Cadence::parse("3650d").map(Cadence::days), Some(3650));
        assert_eq!(Cadence::parse("99999999999d"), None);
    }
}
