//! `okr review --format json`: the weekly digest (docs/review.md), for a
//! bot that posts it or a dashboard. Changes are the entries of
//! `okr diff --format json`; goals are named by `team/objective.kr`.

use super::diff::Change;
use super::Num;
use serde::Serialize;

/// The digest.
#[derive(Serialize)]
pub struct ReviewDocument<'a> {
    /// [`super::VERSION`].
    pub version: u32,
    /// The day the state is computed for.
    pub today: String,
    /// The first day of the window.
    pub since: String,
    /// The commit the changes are read from (null without history).
    pub from: Option<From<'a>>,
    /// Why there are no changes (not a repository, no commit that old);
    /// null when there are.
    pub changes_unavailable: Option<&'a str>,
    /// The teams covered.
    pub teams: &'a [String],
    /// Check-ins added in the window; null without history.
    pub checkins: Option<Vec<Change<'a>>>,
    /// Targets and baselines changed, and every flagged change; null without history.
    pub moved: Option<Vec<Change<'a>>>,
    /// KRs whose status crossed into or out of at-risk and off-track; null without history.
    pub turned: Option<Vec<Turn<'a>>>,
    /// How many other goal changes there were; null without history.
    pub other_changes: Option<usize>,
    /// Owners who owe a check-in, by handle.
    pub owed: Vec<Owner<'a>>,
    /// KRs at risk or off track today.
    pub behind: Vec<Behind<'a>>,
    /// Initiatives past their due date and still planned or active.
    pub overdue: Vec<Overdue<'a>>,
    /// Each funnel's conversions so far against its plan.
    pub funnels: Vec<Funnel<'a>>,
}

/// The commit a review compares the working tree with.
#[derive(Serialize)]
pub struct From<'a> {
    /// How it was named (`HEAD~5`, or `3f2a9c1 (last commit on or before …)`).
    pub revision: &'a str,
    /// Its full id.
    pub commit: String,
}

/// A KR whose status crossed a line.
#[derive(Serialize)]
pub struct Turn<'a> {
    /// `team/objective.kr`.
    #[serde(rename = "ref")]
    pub reference: &'a str,
    /// Its title.
    pub title: &'a str,
    /// `turned`, `improved` or `recovered`.
    pub change: &'static str,
    /// The status on the window's first day.
    pub from: &'static str,
    /// The status today.
    pub to: &'static str,
}

/// An owner and the KRs waiting for their check-in.
#[derive(Serialize)]
pub struct Owner<'a> {
    /// `@sam`, or `(no owner)`.
    pub owner: &'a str,
    /// The stale KRs.
    pub key_results: Vec<Owed<'a>>,
}

/// A KR waiting for a check-in.
#[derive(Serialize)]
pub struct Owed<'a> {
    /// `team/objective.kr`.
    #[serde(rename = "ref")]
    pub reference: &'a str,
    /// Its title.
    pub title: &'a str,
    /// The latest check-in's day; null when there is none.
    pub last_checkin: Option<String>,
    /// The day since which it has had no reading.
    pub stale_since: String,
    /// The `okr checkin` command to run, `VALUE` to fill in.
    pub command: &'a str,
}

/// A KR behind the calendar.
#[derive(Serialize)]
pub struct Behind<'a> {
    /// `team/objective.kr`.
    #[serde(rename = "ref")]
    pub reference: &'a str,
    /// Its title.
    pub title: &'a str,
    /// `at-risk` or `off-track`.
    pub status: &'static str,
    /// Its score.
    pub score: Num,
    /// The progress expected by today; null for holds and milestones.
    pub expected: Option<Num>,
    /// Whether its last check-in is older than the cadence allows.
    pub stale: bool,
}

/// An initiative overdue.
#[derive(Serialize)]
pub struct Overdue<'a> {
    /// The objective, `team/objective`.
    pub objective: &'a str,
    /// The initiative's id; null when it has none.
    pub id: Option<&'a str>,
    /// Its title.
    pub title: &'a str,
    /// `planned` or `active`.
    pub status: &'static str,
    /// Its owners.
    pub owners: &'a [String],
    /// Its due date.
    pub due: String,
}

/// A funnel against its plan.
#[derive(Serialize)]
pub struct Funnel<'a> {
    /// The team whose file defines it.
    pub team: &'a str,
    /// Its id.
    pub id: &'a str,
    /// Its title; null when it has none.
    pub title: Option<&'a str>,
    /// Its stages, in order.
    pub stages: Vec<Stage<'a>>,
}

/// A stage's plan and actuals.
#[derive(Serialize)]
pub struct Stage<'a> {
    /// The stage's id.
    pub id: &'a str,
    /// The conversion into it the plan uses (a fraction); null for the first stage.
    pub planned_conversion: Option<Num>,
    /// The conversion into it so far; null when the KRs do not say.
    pub actual_conversion: Option<Num>,
    /// The volume its KR reads so far; null without one.
    pub volume: Option<Num>,
    /// The volume the plan needs by the period's end; null without a plan.
    pub needed: Option<Num>,
}
