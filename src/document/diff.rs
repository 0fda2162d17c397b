//! `okr diff --format json` (SPEC §7), version 2: what changed in the goals between two
//! points, for a bot to comment on or a check to gate on. Changes name
//! goals by `team/objective.kr`, never by position.

use super::report::Checkin;
use super::Num;
use crate::model::goals::Target;
use serde::Serialize;

/// The diff. Its changes are a list, or (`C`) anything written as one: a
/// diff of a large organisation holds tens of thousands, written as made.
/// The last three keys are there only for a diff of two periods.
#[derive(Serialize)]
pub struct DiffDocument<'a, C = Vec<Change<'a>>> {
    /// [`super::VERSION`]: since version 2 a target's `from` and `to` may
    /// be text (`hold >= 95%`, `+15%`) where version 1 had only numbers.
    pub version: u32,
    /// The revisions (or periods) as given, and the commits they resolved
    /// to (null for the working tree).
    pub from: &'a str,
    /// The new side, as given.
    pub to: &'a str,
    /// The commit `from` resolved to; null for the working tree or a period.
    pub from_commit: Option<&'a str>,
    /// The commit `to` resolved to; null for the working tree or a period.
    pub to_commit: Option<&'a str>,
    /// Every change, grouped by team and objective.
    pub changes: C,
    /// The counts of `changes`.
    pub summary: DiffSummary,
    /// Where each side's goals were read (`3f2a9c1 (last commit on or before …)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<AsOf<'a>>,
    /// Objectives in both periods (`team/objective`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_over: Option<&'a [String]>,
    /// The earlier period's scores (final once it has ended).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_scores: Option<Vec<FinalScore<'a>>>,
}

/// The counts a gate decides on without reading every change.
#[derive(Serialize)]
pub struct DiffSummary {
    /// How many changes there are.
    pub changes: usize,
    /// How many carry at least one flag.
    pub flagged: usize,
    /// How many teams the changes touch.
    pub teams: usize,
}

/// Where a period diff read each side.
#[derive(Serialize)]
pub struct AsOf<'a> {
    /// The commit the earlier period was read at.
    pub from: &'a str,
    /// The commit the later period was read at.
    pub to: &'a str,
}

/// One change: SPEC §7's keys first, then where and what inside. The same
/// in `okr log`'s entries.
#[derive(Serialize)]
pub struct Change<'a> {
    /// What kind of change: `kr-added`, `target-changed`…
    pub kind: &'static str,
    /// The goal changed: `team/objective.kr`, `team/objective`, `team/funnel` or `team`.
    #[serde(rename = "ref")]
    pub reference: &'a str,
    /// The value before; null for an addition.
    pub from: Option<ChangeValue<'a>>,
    /// The value after; null for a removal.
    pub to: Option<ChangeValue<'a>>,
    /// What a reviewer must see (`target-lowered`, …); empty for most.
    pub flags: Vec<&'static str>,
    /// The file that holds the goal (or held it, when removed).
    pub file: &'a str,
    /// The period of the goals changed.
    pub period: &'a str,
    /// What inside the goal changed when `ref` alone does not say
    /// (`check-in 2026-07-14`, `initiative launch-portal`).
    pub detail: Option<&'a str>,
}

impl<'a> Change<'a> {
    /// The entry for one change of [`crate::diff`].
    pub fn of(change: &'a crate::diff::Change) -> Self {
        let value = |value: &'a Option<crate::diff::Value>| value.as_ref().map(ChangeValue::of);
        Change {
            kind: change.kind.as_str(),
            reference: &change.reference,
            from: value(&change.from),
            to: value(&change.to),
            flags: change.flags.iter().map(|flag| flag.as_str()).collect(),
            file: &change.file,
            period: &change.period,
            detail: change.detail.as_deref(),
        }
    }
}

/// A changed value as JSON has it: quantities as numbers (percents as
/// fractions, money as its amount), a funnel's stages as their ids, a
/// check-in whole.
#[derive(Serialize)]
#[serde(untagged)]
pub enum ChangeValue<'a> {
    /// A title, owners, a type, a stage or a status, as written.
    Text(&'a str),
    /// A target that is not a plain level, as the report's `target_text`
    /// gives it (`hold >= 95%`, `+15%`).
    Written(String),
    /// A level, a baseline, a weight or a conversion.
    Number(Num),
    /// A funnel's stage ids, in order.
    Stages(&'a [String]),
    /// A check-in, whole.
    Checkin(Checkin),
}

impl<'a> ChangeValue<'a> {
    fn of(value: &'a crate::diff::Value) -> Self {
        use crate::diff::Value;
        match value {
            Value::Text(text) => ChangeValue::Text(text),
            Value::Quantity(quantity) => ChangeValue::Number(Num(quantity.amount)),
            Value::Number(amount) => ChangeValue::Number(Num(*amount)),
            Value::Target(target) => match target.quantity() {
                Some(level) => ChangeValue::Number(Num(level.amount)),
                None if *target == Target::Milestone => ChangeValue::Text("milestone"),
                None => ChangeValue::Written(super::target_text(target)),
            },
            Value::Stages(stages) => ChangeValue::Stages(stages),
            Value::CheckIn(checkin) => ChangeValue::Checkin(Checkin::of(checkin)),
        }
    }
}

/// A team's scores in the earlier period of a period diff: how it ended
/// beside what the next period changed.
#[derive(Serialize)]
pub struct FinalScore<'a> {
    /// The team.
    pub team: &'a str,
    /// The period, as written.
    pub period: &'a str,
    /// The file that holds the goals.
    pub file: &'a str,
    /// The team's score: the mean of its objectives'.
    pub score: Num,
    /// Null before the period has ended.
    pub grade: Option<&'static str>,
    /// Each objective's score, in the order written.
    pub objectives: Vec<ObjectiveScore<'a>>,
}

/// An objective's score, and whether a committed one fell short.
#[derive(Serialize)]
pub struct ObjectiveScore<'a> {
    /// The objective, as `team/objective`.
    #[serde(rename = "ref")]
    pub reference: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its score.
    pub score: Num,
    /// Its grade; null before the period has ended.
    pub grade: Option<&'static str>,
    /// Whether it was committed and ended below 1.0.
    pub missed_commitment: bool,
}
