//! Stage 3, an analysis: the semantic diff of two sets of goals — entities
//! matched by `team/objective.kr` id, never by position or file — into the
//! change kinds and reviewer flags of SPEC §7.
//!
//! This module knows nothing of git: `history` finds the two sets of goals
//! (revisions, the working tree, or two periods as of their ends) and
//! `render` prints the changes.

pub mod render;
pub mod review;

use crate::model::goals::{
    Baseline, Bound, CheckIn, Direction, Funnel, Goal, Goals, Initiative, KeyResult, Objective,
    ObjectiveType, Reading, ReferenceText, Target,
};
use crate::model::period::Period;
use crate::model::quantity::Quantity;
use crate::score;
use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What changed, as SPEC §7 names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An objective is new.
    ObjectiveAdded,
    /// An objective is gone.
    ObjectiveRemoved,
    /// A KR is new.
    KrAdded,
    /// A KR is gone.
    KrRemoved,
    /// An objective's or KR's title changed.
    Renamed,
    /// A KR's target changed.
    TargetChanged,
    /// A KR's baseline changed.
    BaselineChanged,
    /// Who owns an objective, KR or team changed.
    OwnerChanged,
    /// The parents an objective aligns to changed.
    AlignsChanged,
    /// A KR's weight changed.
    WeightChanged,
    /// An objective changed between committed and aspirational.
    TypeChanged,
    /// The funnel stage a KR measures changed.
    StageChanged,
    /// A KR has a new check-in.
    CheckinAdded,
    /// A check-in of the same date reads differently.
    CheckinEdited,
    /// A check-in is gone.
    CheckinRemoved,
    /// An objective has a new initiative.
    InitiativeAdded,
    /// An initiative is gone.
    InitiativeRemoved,
    /// An initiative's status changed.
    InitiativeStatusChanged,
    /// A funnel is new or gone, or its title, segment or stages changed.
    FunnelChanged,
    /// A stage's conversion changed.
    ConversionChanged,
}

impl Kind {
    /// The name in JSON and in the human and Markdown output: `kr-added`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ObjectiveAdded => "objective-added",
            Kind::ObjectiveRemoved => "objective-removed",
            Kind::KrAdded => "kr-added",
            Kind::KrRemoved => "kr-removed",
            Kind::Renamed => "renamed",
            Kind::TargetChanged => "target-changed",
            Kind::BaselineChanged => "baseline-changed",
            Kind::OwnerChanged => "owner-changed",
            Kind::AlignsChanged => "aligns-changed",
            Kind::WeightChanged => "weight-changed",
            Kind::TypeChanged => "type-changed",
            Kind::StageChanged => "stage-changed",
            Kind::CheckinAdded => "checkin-added",
            Kind::CheckinEdited => "checkin-edited",
            Kind::CheckinRemoved => "checkin-removed",
            Kind::InitiativeAdded => "initiative-added",
            Kind::InitiativeRemoved => "initiative-removed",
            Kind::InitiativeStatusChanged => "initiative-status-changed",
            Kind::FunnelChanged => "funnel-changed",
            Kind::ConversionChanged => "conversion-changed",
        }
    }

    /// Whether the change adds, removes or alters something (for `+`/`-`/`~`).
    pub fn sign(self) -> char {
        match self {
            Kind::ObjectiveAdded | Kind::KrAdded | Kind::CheckinAdded | Kind::InitiativeAdded => {
                '+'
            }
            Kind::ObjectiveRemoved
            | Kind::KrRemoved
            | Kind::CheckinRemoved
            | Kind::InitiativeRemoved => '-',
            _ => '~',
        }
    }
}

/// What a reviewer must see (SPEC §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    /// A target made easier, or a KR removed after it had check-ins.
    TargetLowered,
    /// A past check-in edited or removed, or a baseline moved under check-ins.
    HistoryRewritten,
    /// A committed objective removed or made aspirational, or a KR removed
    /// from a committed objective.
    CommittedDropped,
    /// A KR's latest confidence fell by 20 points or more (SPEC §8.7).
    ConfidenceDropped,
}

impl Flag {
    /// Every flag, in the order outputs list them.
    pub const ALL: [Flag; 4] = [
        Flag::TargetLowered,
        Flag::HistoryRewritten,
        Flag::CommittedDropped,
        Flag::ConfidenceDropped,
    ];

    /// The name in JSON and in the human and Markdown output: `target-lowered`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::TargetLowered => "target-lowered",
            Flag::HistoryRewritten => "history-rewritten",
            Flag::CommittedDropped => "committed-dropped",
            Flag::ConfidenceDropped => "confidence-dropped",
        }
    }
}

/// A before or after value of a change.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A title, owners, a type, a stage or a status, as written.
    Text(String),
    /// A baseline, or a stage's value or conversion.
    Quantity(Quantity),
    /// A plain number such as a weight.
    Number(Decimal),
    /// A KR's target.
    Target(Target),
    /// A check-in, whole.
    CheckIn(Box<CheckIn>),
    /// A funnel's stage ids, in funnel order.
    Stages(Vec<String>),
}

/// Where a change sits, for grouping the output by team and objective.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// The team's header (its owner).
    Team,
    /// A funnel, by id.
    Funnel(String),
    /// An objective, by id, with its KRs and initiatives.
    Objective(String),
}

/// One semantic change.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// What kind of change it is.
    pub kind: Kind,
    /// `team/objective.kr`, `team/objective`, `team/funnel[.stage]` or `team`.
    pub reference: String,
    /// The team whose goals changed.
    pub team: String,
    /// The period label of the goals changed.
    pub period: String,
    /// Where the outputs list it.
    pub group: Group,
    /// The file that holds the entity now (or held it, when removed).
    pub file: String,
    /// The value before; `None` for an addition.
    pub from: Option<Value>,
    /// The value after; `None` for a removal.
    pub to: Option<Value>,
    /// What a reviewer must see about it, if anything.
    pub flags: Vec<Flag>,
    /// What inside the entity changed when the reference alone does not say:
    /// `check-in 2026-07-14`, `initiative launch-portal`, `stages`, …
    pub detail: Option<String>,
}

impl Change {
    /// Adds `flag` when `raised`: what a reviewer must see about this change.
    fn flag_if(&mut self, raised: bool, flag: Flag) -> &mut Change {
        if raised {
            self.flags.push(flag);
        }
        self
    }
}

/// One file's goals and its path, as one side of a diff sees them.
#[derive(Clone, Copy, Debug)]
pub struct FileGoals<'a> {
    /// The file's path, as outputs show it.
    pub path: &'a str,
    /// The goals it holds.
    pub goals: &'a Goals,
}

/// What the two sides are, which decides what is compared and flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Two revisions of the same goals: everything is compared, check-ins too.
    Revisions,
    /// Two periods' goals: check-ins belong to their period and are not
    /// compared; dropping an objective or KR at a period's end is not flagged.
    Periods,
}

/// The changes from `old` to `new`, teams in order of (period, id), then
/// each team's objectives in the new side's order, removed ones after.
pub fn diff(old: &[FileGoals<'_>], new: &[FileGoals<'_>], mode: Mode) -> Vec<Change> {
    diff_teams(old, new, mode)
        .into_iter()
        .flat_map(|(_, changes)| changes)
        .collect()
}

/// `diff`, team by team (and period by period): each team's changes under
/// its key, in key order. A caller comparing disjoint sets of teams apart
/// merges them by key into what one `diff` would say.
pub fn diff_teams(
    old: &[FileGoals<'_>],
    new: &[FileGoals<'_>],
    mode: Mode,
) -> Vec<(TeamKey, Vec<Change>)> {
    let (old_teams, new_teams) = rayon::join(|| collect(old, mode), || collect(new, mode));
    let mut keys: Vec<&TeamKey> = old_teams.keys().chain(new_teams.keys()).collect();
    keys.sort();
    keys.dedup();
    // Teams are compared independently, in parallel, and kept in key order.
    keys.par_iter()
        .map(|key| {
            let mut changes = Vec::new();
            let mut out = Out {
                mode,
                team: &key.1,
                period: String::new(),
                file: String::new(),
                changes: &mut changes,
            };
            diff_team(&mut out, old_teams.get(*key), new_teams.get(*key));
            ((*key).clone(), changes)
        })
        .collect()
}

/// Objectives present on both sides, as `team/objective` references (the
/// goals a period diff says were carried over).
pub fn carried_over(old: &[FileGoals<'_>], new: &[FileGoals<'_>]) -> Vec<String> {
    let old_teams = collect(old, Mode::Periods);
    let new_teams = collect(new, Mode::Periods);
    let mut refs = Vec::new();
    for (key, team) in &new_teams {
        let Some(before) = old_teams.get(key) else {
            continue;
        };
        for (_, objective) in &team.objectives {
            if find_objective(before, &objective.id.value).is_some() {
                refs.push(objective_ref(&key.1, objective));
            }
        }
    }
    refs
}

/// A team's goals on one side: the period's range (none in a period diff,
/// where each side holds one period) and the team id.
pub type TeamKey = (Option<(NaiveDate, NaiveDate)>, String);

/// Everything one side says about one team in one period. Normally one file;
/// if several files declare the same team and period (a `duplicate-id`
/// error), their objectives are pooled so nothing shows as removed.
struct TeamGoals<'a> {
    file: &'a str,
    period: &'a Period,
    /// The header `owner` of the first of the team's files that has one.
    owners: &'a [crate::span::Spanned<String>],
    objectives: Vec<(&'a str, &'a Objective)>,
    funnels: Vec<(&'a str, &'a Funnel)>,
}

fn collect<'a>(files: &[FileGoals<'a>], mode: Mode) -> BTreeMap<TeamKey, TeamGoals<'a>> {
    let mut teams: BTreeMap<TeamKey, TeamGoals<'a>> = BTreeMap::new();
    for file in files {
        let (Some(team), Some(period)) = (file.goals.team_id(), file.goals.period.as_ref()) else {
            continue;
        };
        let range = match mode {
            Mode::Revisions => Some((period.value.start, period.value.end)),
            Mode::Periods => None,
        };
        let entry = teams
            .entry((range, team.to_string()))
            .or_insert_with(|| TeamGoals {
                file: file.path,
                period: &period.value,
                owners: &[],
                objectives: Vec::new(),
                funnels: Vec::new(),
            });
        if entry.owners.is_empty() {
            entry.owners = &file.goals.owners;
        }
        for objective in &file.goals.objectives {
            if find_objective(entry, &objective.id.value).is_none() {
                entry.objectives.push((file.path, objective));
            }
        }
        for funnel in &file.goals.funnels {
            if !entry
                .funnels
                .iter()
                .any(|(_, f)| f.id.value == funnel.id.value)
            {
                entry.funnels.push((file.path, funnel));
            }
        }
    }
    teams
}

fn find_objective<'a>(team: &TeamGoals<'a>, id: &str) -> Option<(&'a str, &'a Objective)> {
    team.objectives
        .iter()
        .find(|(_, objective)| objective.id.value == id)
        .copied()
}

/// Where changes go, with the context each change records.
struct Out<'o> {
    mode: Mode,
    team: &'o str,
    period: String,
    file: String,
    changes: &'o mut Vec<Change>,
}

impl Out<'_> {
    fn push(
        &mut self,
        kind: Kind,
        reference: String,
        group: Group,
        from: Option<Value>,
        to: Option<Value>,
    ) -> &mut Change {
        self.changes.push(Change {
            kind,
            reference,
            team: self.team.to_string(),
            period: self.period.clone(),
            group,
            file: self.file.clone(),
            from,
            to,
            flags: Vec::new(),
            detail: None,
        });
        let last = self.changes.len() - 1;
        &mut self.changes[last]
    }

    /// Records a change of `kind` when the value differs between the sides;
    /// the values are built only for a change, so an unchanged goal costs
    /// no allocation.
    fn compare<T: PartialEq + ?Sized>(
        &mut self,
        kind: Kind,
        reference: &str,
        group: &Group,
        (from, to): (Option<&T>, Option<&T>),
        value: impl Fn(&T) -> Value,
    ) {
        if from != to {
            let (from, to) = (from.map(&value), to.map(&value));
            self.push(kind, reference.to_string(), group.clone(), from, to);
        }
    }
}

fn diff_team(out: &mut Out<'_>, old: Option<&TeamGoals<'_>>, new: Option<&TeamGoals<'_>>) {
    let Some(either) = new.or(old) else {
        return;
    };
    out.period = either.period.label.clone();
    out.file = either.file.to_string();
    if let (Some(old), Some(new)) = (old, new) {
        let (before, after) = (handles(old.owners), handles(new.owners));
        if before != after {
            let team = out.team.to_string();
            out.push(Kind::OwnerChanged, team, Group::Team, before, after);
        }
    }
    let empty = Vec::new();
    diff_funnels(
        out,
        old.map_or(&empty, |team| &team.funnels),
        new.map_or(&empty, |team| &team.funnels),
    );
    let empty = Vec::new();
    let old_objectives = old.map_or(&empty, |team| &team.objectives);
    let new_objectives = new.map_or(&empty, |team| &team.objectives);
    for &(file, objective) in new_objectives {
        out.file = file.to_string();
        let before = old_objectives
            .iter()
            .find(|(_, o)| o.id.value == objective.id.value);
        match before {
            Some(&(_, before)) => diff_objective(out, before, objective),
            None => objective_added(out, objective),
        }
    }
    for &(file, objective) in old_objectives {
        if !new_objectives
            .iter()
            .any(|(_, o)| o.id.value == objective.id.value)
        {
            out.file = file.to_string();
            objective_removed(out, objective);
        }
    }
}

fn objective_ref(team: &str, objective: &Objective) -> String {
    ReferenceText::new(team, &objective.id.value).to_string()
}

fn kr_ref(team: &str, objective: &Objective, kr: &KeyResult) -> String {
    ReferenceText::new(team, &objective.id.value)
        .child(&kr.id.value)
        .to_string()
}

/// A new objective, and each of its KRs, so every new target is visible and
/// `okr log` of a KR starts where the KR appeared.
fn objective_added(out: &mut Out<'_>, objective: &Objective) {
    let group = Group::Objective(objective.id.value.clone());
    let title = Some(Value::Text(objective.title.value.clone()));
    out.push(
        Kind::ObjectiveAdded,
        objective_ref(out.team, objective),
        group.clone(),
        None,
        title,
    );
    for kr in &objective.key_results {
        let target = Some(Value::Target(kr.target.value.clone()));
        out.push(
            Kind::KrAdded,
            kr_ref(out.team, objective, kr),
            group.clone(),
            None,
            target,
        );
    }
}

fn objective_removed(out: &mut Out<'_>, objective: &Objective) {
    let group = Group::Objective(objective.id.value.clone());
    let title = Some(Value::Text(objective.title.value.clone()));
    let revisions = out.mode == Mode::Revisions;
    let committed = objective.kind() == ObjectiveType::Committed;
    out.push(
        Kind::ObjectiveRemoved,
        objective_ref(out.team, objective),
        group.clone(),
        title,
        None,
    )
    .flag_if(revisions && committed, Flag::CommittedDropped);
    for kr in &objective.key_results {
        kr_removed(out, objective, kr, false);
    }
}

/// A KR removed after it had check-ins hides a miss: flagged as a lowered
/// target. One removed from a committed objective that stays drops part of
/// a commitment (SPEC §8.7); when the objective goes too, its own
/// `objective-removed` carries `committed-dropped` once (`commitment` false).
fn kr_removed(out: &mut Out<'_>, objective: &Objective, kr: &KeyResult, commitment: bool) {
    let group = Group::Objective(objective.id.value.clone());
    let target = Some(Value::Target(kr.target.value.clone()));
    let revisions = out.mode == Mode::Revisions;
    let committed = commitment && objective.kind() == ObjectiveType::Committed;
    out.push(
        Kind::KrRemoved,
        kr_ref(out.team, objective, kr),
        group,
        target,
        None,
    )
    .flag_if(revisions && !kr.checkins.is_empty(), Flag::TargetLowered)
    .flag_if(revisions && committed, Flag::CommittedDropped);
}

fn diff_objective(out: &mut Out<'_>, old: &Objective, new: &Objective) {
    let reference = objective_ref(out.team, new);
    let group = Group::Objective(new.id.value.clone());
    let title = both(old, new, |o| Some(o.title.value.as_str()));
    out.compare(Kind::Renamed, &reference, &group, title, text_value);
    out.compare(
        Kind::OwnerChanged,
        &reference,
        &group,
        (handles(&old.owners).as_ref(), handles(&new.owners).as_ref()),
        Value::clone,
    );
    let parents = |objective: &Objective| {
        let written: Vec<String> = objective
            .aligns
            .iter()
            .map(|aligns| aligns.value.to_string())
            .collect();
        (!written.is_empty()).then(|| Value::Text(written.join(", ")))
    };
    out.compare(
        Kind::AlignsChanged,
        &reference,
        &group,
        (parents(old).as_ref(), parents(new).as_ref()),
        Value::clone,
    );
    if old.kind() != new.kind() {
        let (from, to) = (text(old.kind().as_str()), text(new.kind().as_str()));
        let dropped = old.kind() == ObjectiveType::Committed;
        out.push(
            Kind::TypeChanged,
            reference.clone(),
            group.clone(),
            from,
            to,
        )
        .flag_if(dropped, Flag::CommittedDropped);
    }
    for kr in &new.key_results {
        if let Some(before) = old.key_results.iter().find(|k| k.id.value == kr.id.value) {
            diff_kr(out, new, before, kr);
        } else {
            let target = Some(Value::Target(kr.target.value.clone()));
            out.push(
                Kind::KrAdded,
                kr_ref(out.team, new, kr),
                group.clone(),
                None,
                target,
            );
        }
    }
    for kr in &old.key_results {
        if !new.key_results.iter().any(|k| k.id.value == kr.id.value) {
            kr_removed(out, old, kr, true);
        }
    }
    diff_initiatives(out, &reference, &group, &old.initiatives, &new.initiatives);
}

fn diff_kr(out: &mut Out<'_>, objective: &Objective, old: &KeyResult, new: &KeyResult) {
    let reference = kr_ref(out.team, objective, new);
    let group = Group::Objective(objective.id.value.clone());
    let revisions = out.mode == Mode::Revisions;
    let title = both(old, new, |kr| Some(kr.title.value.as_str()));
    out.compare(Kind::Renamed, &reference, &group, title, text_value);
    if !same_target(&old.target.value, &new.target.value) {
        let lowered = target_lowered(&old.target.value, &new.target.value);
        let from = Some(Value::Target(old.target.value.clone()));
        let to = Some(Value::Target(new.target.value.clone()));
        out.push(
            Kind::TargetChanged,
            reference.clone(),
            group.clone(),
            from,
            to,
        )
        .flag_if(lowered, Flag::TargetLowered);
    }
    let baseline = |kr: &KeyResult| {
        kr.baseline.as_ref().map(|baseline| match &baseline.value {
            Baseline::Known(quantity) => Value::Quantity(quantity.clone()),
            Baseline::Unknown => text_value("unknown"),
        })
    };
    if !same_value(&baseline(old), &baseline(new)) {
        let rewritten = revisions && !old.checkins.is_empty();
        let (from, to) = (baseline(old), baseline(new));
        out.push(
            Kind::BaselineChanged,
            reference.clone(),
            group.clone(),
            from,
            to,
        )
        .flag_if(rewritten, Flag::HistoryRewritten);
    }
    let (old_weight, new_weight) = (old.weight(), new.weight());
    out.compare(
        Kind::WeightChanged,
        &reference,
        &group,
        (Some(&old_weight), Some(&new_weight)),
        |weight| Value::Number(*weight),
    );
    out.compare(
        Kind::OwnerChanged,
        &reference,
        &group,
        (handles(&old.owners).as_ref(), handles(&new.owners).as_ref()),
        Value::clone,
    );
    out.compare(
        Kind::StageChanged,
        &reference,
        &group,
        both(old, new, |kr| kr.stage.as_ref().map(|stage| &stage.value)),
        |stage| Value::Text(stage.to_string()),
    );
    if revisions {
        diff_checkins(out, &reference, &group, &old.checkins, &new.checkins);
    }
}

/// Check-ins are matched by date (dates under a KR are unique and ordered;
/// where a broken file repeats a date, the last of them counts).
/// Editing or removing one rewrites what was reported: always flagged.
fn diff_checkins(
    out: &mut Out<'_>,
    reference: &str,
    group: &Group,
    old: &[CheckIn],
    new: &[CheckIn],
) {
    let checkin = |c: &CheckIn| Some(Value::CheckIn(Box::new(c.clone())));
    let detail = |c: &CheckIn| Some(format!("check-in {}", c.date.value));
    let before = by_date(old);
    let after = by_date(new);
    let first = out.changes.len();
    for checkin_new in new {
        match find_by_date(&before, checkin_new.date.value) {
            None => {
                let change = out.push(
                    Kind::CheckinAdded,
                    reference.to_string(),
                    group.clone(),
                    None,
                    checkin(checkin_new),
                );
                change.detail = detail(checkin_new);
            }
            Some(checkin_old) if !same_checkin(checkin_old, checkin_new) => {
                let change = out.push(
                    Kind::CheckinEdited,
                    reference.to_string(),
                    group.clone(),
                    checkin(checkin_old),
                    checkin(checkin_new),
                );
                change.detail = detail(checkin_new);
                change.flags.push(Flag::HistoryRewritten);
            }
            Some(_) => {}
        }
    }
    for checkin_old in old {
        if find_by_date(&after, checkin_old.date.value).is_none() {
            let change = out.push(
                Kind::CheckinRemoved,
                reference.to_string(),
                group.clone(),
                checkin(checkin_old),
                None,
            );
            change.detail = detail(checkin_old);
            change.flags.push(Flag::HistoryRewritten);
        }
    }
    flag_confidence_drop(&mut out.changes[first..], &before, &after);
}

/// How far a KR's latest confidence must fall to be flagged (SPEC §8.7):
/// 20 points, confidences being fractions.
const CONFIDENCE_DROP: Decimal = Decimal::from_parts(20, 0, 0, false, 2);

/// The date and confidence of the latest check-in that states one (a
/// check-in without a confidence leaves the last one said standing).
fn latest_confidence(sorted: &[&CheckIn]) -> Option<(NaiveDate, Decimal)> {
    sorted
        .iter()
        .rev()
        .find_map(|c| Some((c.date.value, c.confidence()?.value)))
}

/// Flags `confidence-dropped` on the check-in change that brought the fall
/// (one KR's `changes`): the added or edited check-in now stating the latest
/// confidence or, when the fall comes from taking a later one away, the
/// change to the check-in that stated it before.
fn flag_confidence_drop(changes: &mut [Change], before: &[&CheckIn], after: &[&CheckIn]) {
    let (Some((was_date, was)), Some((now_date, now))) =
        (latest_confidence(before), latest_confidence(after))
    else {
        return;
    };
    if was - now < CONFIDENCE_DROP {
        return;
    }
    let dated = |value: &Option<Value>, date: NaiveDate| matches!(value, Some(Value::CheckIn(c)) if c.date.value == date);
    let carrier = changes
        .iter()
        .position(|c| c.kind != Kind::CheckinRemoved && dated(&c.to, now_date))
        .or_else(|| changes.iter().position(|c| dated(&c.from, was_date)));
    if let Some(index) = carrier {
        changes[index].flags.push(Flag::ConfidenceDropped);
    }
}

/// A KR's check-ins sorted by date (stable: a repeated date keeps file
/// order), for lookups by binary search. Usually already in order, so cheap.
fn by_date(checkins: &[CheckIn]) -> Vec<&CheckIn> {
    let mut sorted: Vec<&CheckIn> = checkins.iter().collect();
    sorted.sort_by_key(|c| c.date.value);
    sorted
}

fn find_by_date<'a>(sorted: &[&'a CheckIn], date: NaiveDate) -> Option<&'a CheckIn> {
    let after = sorted.partition_point(|c| c.date.value <= date);
    let last = sorted.get(after.checked_sub(1)?).copied();
    last.filter(|c| c.date.value == date)
}

/// Initiatives are matched by id, or by title when they have no id.
fn diff_initiatives(
    out: &mut Out<'_>,
    reference: &str,
    group: &Group,
    old: &[Initiative],
    new: &[Initiative],
) {
    let key = |i: &Initiative| match &i.id {
        Some(id) => (true, id.value.clone()),
        None => (false, i.title.value.clone()),
    };
    // Added or removed, the title is the value shown: only an id adds to it.
    let added_or_removed = |i: &Initiative| match &i.id {
        Some(id) => format!("initiative {}", id.value),
        None => "initiative".to_string(),
    };
    let name = |i: &Initiative| match &i.id {
        Some(id) => format!("initiative {}", id.value),
        None => format!("initiative \"{}\"", i.title.value),
    };
    let status = |i: &Initiative| {
        i.status
            .as_ref()
            .map(|s| Value::Text(s.value.as_str().into()))
    };
    for initiative in new {
        let before = old.iter().find(|i| key(i) == key(initiative));
        let Some(before) = before else {
            let title = text(&initiative.title.value);
            let change = out.push(
                Kind::InitiativeAdded,
                reference.to_string(),
                group.clone(),
                None,
                title,
            );
            change.detail = Some(added_or_removed(initiative));
            continue;
        };
        if before.title.value != initiative.title.value {
            let (from, to) = (text(&before.title.value), text(&initiative.title.value));
            let change = out.push(
                Kind::Renamed,
                reference.to_string(),
                group.clone(),
                from,
                to,
            );
            change.detail = Some(name(initiative));
        }
        if status(before) != status(initiative) {
            let change = out.push(
                Kind::InitiativeStatusChanged,
                reference.to_string(),
                group.clone(),
                status(before),
                status(initiative),
            );
            change.detail = Some(name(initiative));
        }
    }
    for initiative in old {
        if !new.iter().any(|i| key(i) == key(initiative)) {
            let title = text(&initiative.title.value);
            let change = out.push(
                Kind::InitiativeRemoved,
                reference.to_string(),
                group.clone(),
                title,
                None,
            );
            change.detail = Some(added_or_removed(initiative));
        }
    }
}

/// Funnels by id: added, removed, re-staged, re-titled or re-valued is a
/// `funnel-changed`; a stage's conversion moving is a `conversion-changed`.
fn diff_funnels(out: &mut Out<'_>, old: &[(&str, &Funnel)], new: &[(&str, &Funnel)]) {
    let stages = |f: &Funnel| Value::Stages(f.stages.iter().map(|s| s.id.value.clone()).collect());
    for &(file, funnel) in new {
        out.file = file.to_string();
        let name = ReferenceText::new(out.team, &funnel.id.value);
        let reference = name.to_string();
        let group = Group::Funnel(funnel.id.value.clone());
        let Some(&(_, before)) = old.iter().find(|(_, f)| f.id.value == funnel.id.value) else {
            let change = out.push(
                Kind::FunnelChanged,
                reference,
                group,
                None,
                Some(stages(funnel)),
            );
            change.detail = Some("funnel added".into());
            continue;
        };
        let title = |f: &Funnel| f.title.as_ref().map(|t| Value::Text(t.value.clone()));
        if title(before) != title(funnel) {
            let change = out.push(
                Kind::FunnelChanged,
                reference.clone(),
                group.clone(),
                title(before),
                title(funnel),
            );
            change.detail = Some("title".into());
        }
        let segment = |f: &Funnel| f.segment.as_ref().map(|s| Value::Text(s.value.clone()));
        if segment(before) != segment(funnel) {
            let change = out.push(
                Kind::FunnelChanged,
                reference.clone(),
                group.clone(),
                segment(before),
                segment(funnel),
            );
            change.detail = Some("segment".into());
        }
        if stages(before) != stages(funnel) {
            let change = out.push(
                Kind::FunnelChanged,
                reference.clone(),
                group.clone(),
                Some(stages(before)),
                Some(stages(funnel)),
            );
            change.detail = Some("stages".into());
        }
        for stage in &funnel.stages {
            let Some(old_stage) = before.stages.iter().find(|s| s.id.value == stage.id.value)
            else {
                continue;
            };
            let stage_ref = name.child(&stage.id.value).to_string();
            if old_stage.title.value != stage.title.value {
                let (from, to) = (text(&old_stage.title.value), text(&stage.title.value));
                let change = out.push(
                    Kind::FunnelChanged,
                    stage_ref.clone(),
                    group.clone(),
                    from,
                    to,
                );
                change.detail = Some(format!("title of stage {}", stage.id.value));
            }
            let quantity = |q: &Option<crate::model::goals::SpannedQuantity>| {
                q.as_ref().map(|q| q.value.clone())
            };
            if !same_optional_quantity(&quantity(&old_stage.value), &quantity(&stage.value)) {
                let (from, to) = (
                    quantity(&old_stage.value).map(Value::Quantity),
                    quantity(&stage.value).map(Value::Quantity),
                );
                let change = out.push(
                    Kind::FunnelChanged,
                    stage_ref.clone(),
                    group.clone(),
                    from,
                    to,
                );
                change.detail = Some(format!("value of stage {}", stage.id.value));
            }
            if !same_optional_quantity(
                &quantity(&old_stage.conversion),
                &quantity(&stage.conversion),
            ) {
                let (from, to) = (
                    quantity(&old_stage.conversion).map(Value::Quantity),
                    quantity(&stage.conversion).map(Value::Quantity),
                );
                out.push(Kind::ConversionChanged, stage_ref, group.clone(), from, to);
            }
        }
    }
    for &(file, funnel) in old {
        if !new.iter().any(|(_, f)| f.id.value == funnel.id.value) {
            out.file = file.to_string();
            let reference = ReferenceText::new(out.team, &funnel.id.value).to_string();
            let group = Group::Funnel(funnel.id.value.clone());
            let change = out.push(
                Kind::FunnelChanged,
                reference,
                group,
                Some(stages(funnel)),
                None,
            );
            change.detail = Some("funnel removed".into());
        }
    }
}

fn text(value: &str) -> Option<Value> {
    Some(text_value(value))
}

fn text_value(value: &str) -> Value {
    Value::Text(value.to_string())
}

/// One field read from both sides, for `Out::compare`.
fn both<'a, E, T: ?Sized>(
    old: &'a E,
    new: &'a E,
    field: impl Fn(&'a E) -> Option<&'a T>,
) -> (Option<&'a T>, Option<&'a T>) {
    (field(old), field(new))
}

/// Owners as written, `@ana @ben`; `None` when there are none.
fn handles(owners: &[crate::span::Spanned<String>]) -> Option<Value> {
    let written: Vec<&str> = owners.iter().map(|owner| owner.value.as_str()).collect();
    (!written.is_empty()).then(|| Value::Text(written.join(" ")))
}

/// Quantities are equal when amount and unit are; the unit word
/// (`1,400` versus `1,400 customers`) is presentation.
fn same_quantity(a: &Quantity, b: &Quantity) -> bool {
    a.amount == b.amount && a.unit == b.unit
}

fn same_optional_quantity(a: &Option<Quantity>, b: &Option<Quantity>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_quantity(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Values are equal as `same_quantity` compares quantities.
fn same_value(a: &Option<Value>, b: &Option<Value>) -> bool {
    match (a, b) {
        (Some(Value::Quantity(a)), Some(Value::Quantity(b))) => same_quantity(a, b),
        _ => a == b,
    }
}

/// Targets are equal when they ask for the same thing; unit words are
/// presentation (`same_quantity`).
fn same_target(a: &Target, b: &Target) -> bool {
    let same_bound = |a: &Option<Bound>, b: &Option<Bound>| match (a, b) {
        (Some(a), Some(b)) => a.strict == b.strict && same_quantity(&a.value, &b.value),
        (None, None) => true,
        _ => false,
    };
    match (a, b) {
        (Target::Move(a), Target::Move(b)) => {
            a.direction == b.direction
                && a.strict == b.strict
                && match (&a.goal, &b.goal) {
                    (Goal::Level(a), Goal::Level(b)) => same_quantity(a, b),
                    (
                        Goal::Relative {
                            change: a,
                            over: a_over,
                        },
                        Goal::Relative {
                            change: b,
                            over: b_over,
                        },
                    ) => {
                        a == b
                            && match (a_over, b_over) {
                                (Some(a), Some(b)) => same_quantity(a, b),
                                (None, None) => true,
                                _ => false,
                            }
                    }
                    _ => false,
                }
        }
        (Target::Hold(a), Target::Hold(b)) => {
            same_bound(&a.min, &b.min) && same_bound(&a.max, &b.max)
        }
        (Target::Milestone, Target::Milestone) => true,
        _ => false,
    }
}

/// Easier to reach: lower for an increasing KR, higher for a decreasing one
/// (both written as levels). A change of direction, unit or form is not
/// comparable, so not flagged.
fn target_lowered(old: &Target, new: &Target) -> bool {
    let (Target::Move(a), Target::Move(b)) = (old, new) else {
        return false;
    };
    let (Goal::Level(from), Goal::Level(to)) = (&a.goal, &b.goal) else {
        return false;
    };
    if a.direction != b.direction || from.unit != to.unit {
        return false;
    }
    match a.direction {
        Direction::Increase => to.amount < from.amount,
        Direction::Decrease => to.amount > from.amount,
    }
}

fn same_reading(a: &Reading, b: &Reading) -> bool {
    match (a, b) {
        (Reading::Value(a), Reading::Value(b)) => same_quantity(a, b),
        _ => a == b,
    }
}

/// Same date, reading, confidence, note and author; spans are ignored.
fn same_checkin(a: &CheckIn, b: &CheckIn) -> bool {
    fn text(s: Option<&crate::span::Spanned<String>>) -> Option<&str> {
        s.map(|s| s.value.as_str())
    }
    same_reading(&a.reading.value, &b.reading.value)
        && a.confidence().map(|c| c.value) == b.confidence().map(|c| c.value)
        && text(a.note()) == text(b.note())
        && text(a.by()) == text(b.by())
}

/// Counts of changes and of flagged changes per flag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many changes there are.
    pub changes: usize,
    /// How many carry at least one flag.
    pub flagged: usize,
    /// How many teams the changes touch.
    pub teams: usize,
    /// `(flag, number of changes carrying it)`, flags in `Flag::ALL` order.
    pub flags: Vec<(Flag, usize)>,
}

impl Tally {
    /// The counts for `changes`.
    pub fn of(changes: &[Change]) -> Tally {
        let mut teams: Vec<&str> = changes.iter().map(|c| c.team.as_str()).collect();
        teams.sort_unstable();
        teams.dedup();
        let flags = Flag::ALL
            .iter()
            .map(|&flag| {
                (
                    flag,
                    changes.iter().filter(|c| c.flags.contains(&flag)).count(),
                )
            })
            .filter(|&(_, count)| count > 0)
            .collect();
        Tally {
            changes: changes.len(),
            flagged: changes.iter().filter(|c| !c.flags.is_empty()).count(),
            teams: teams.len(),
            flags,
        }
    }
}

/// How one team's period went, for a period diff's earlier side: the
/// scores of `crate::score` with each objective's reference and title.
#[derive(Clone, Debug, PartialEq)]
pub struct FinalScore {
    /// The team.
    pub team: String,
    /// The period, as written.
    pub period: String,
    /// The file that holds the goals.
    pub file: String,
    /// `(team/objective, title)`, in the order of `score.objectives`.
    pub objectives: Vec<(String, String)>,
    /// The team's scores at the period's end.
    pub score: score::TeamScore,
}

/// Every team's scores in `files` as of `today` (SPEC §4): after the period
/// has ended these are its final scores, with grades and missed commitments.
pub fn final_scores(files: &[FileGoals<'_>], today: NaiveDate) -> Vec<FinalScore> {
    let mut teams: Vec<FinalScore> = files
        .iter()
        .filter_map(|file| {
            let team = file.goals.team_id()?;
            let period = file.goals.period.as_ref()?;
            Some(FinalScore {
                team: team.to_string(),
                period: period.value.label.clone(),
                file: file.path.to_string(),
                objectives: file
                    .goals
                    .objectives
                    .iter()
                    .map(|o| (objective_ref(team, o), o.title.value.clone()))
                    .collect(),
                score: score::score_team(file.goals, today)?,
            })
        })
        .collect();
    teams.sort_by(|a, b| a.team.cmp(&b.team));
    teams
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    const BASE: &str = "period 2026-Q3\nteam marketing\nowner @dana\n\nobjective engagement \"Engage\"\n  type committed\n  kr visitors \"Visitors\" target 60,000 baseline 41,000\n    2026-07-14 44,100\n  kr quality \"Quality\" target <= 5% baseline 8%\n  initiative web \"Webinars\" status active\n";

    fn changes(old: &str, new: &str, mode: Mode) -> Vec<Change> {
        let before = Workspace::from_texts([("a.okr", old)]);
        let after = Workspace::from_texts([("a.okr", new)]);
        let side = |w: &Workspace| -> Vec<Goals> { w.goals.clone() };
        let (before_goals, after_goals) = (side(&before), side(&after));
        let old: Vec<FileGoals> = before_goals
            .iter()
            .map(|goals| FileGoals {
                path: "a.okr",
                goals,
            })
            .collect();
        let new: Vec<FileGoals> = after_goals
            .iter()
            .map(|goals| FileGoals {
                path: "a.okr",
                goals,
            })
            .collect();
        diff(&old, &new, mode)
    }

    fn kinds(changes: &[Change]) -> Vec<(&str, &str, Vec<&str>)> {
        changes
            .iter()
            .map(|c| {
                (
                    c.kind.as_str(),
                    c.reference.as_str(),
                    c.flags.iter().map(|f| f.as_str()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn identical_goals_have_no_changes() {
        assert!(changes(BASE, BASE, Mode::Revisions).is_empty());
    }

    #[test]
    fn moving_a_block_or_adding_comments_is_no_change() {
        let moved = "# reordered\nperiod 2026-Q3\nteam marketing\nowner @dana\n\nobjective engagement \"Engage\"\n  type committed\n  initiative web \"Webinars\" status active\n  kr quality \"Quality\" target <= 5% baseline 8%\n  kr visitors \"Visitors\" target 60,000 baseline 41,000\n    2026-07-14 44,100\n";
        assert!(changes(BASE, moved, Mode::Revisions).is_empty());
    }

    #[test]
    fn a_lowered_target_is_flagged_either_way() {
        let lower = BASE.replace("target 60,000", "target 50,000");
        assert_eq!(
            kinds(&changes(BASE, &lower, Mode::Revisions)),
            [(
                "target-changed",
                "marketing/engagement.visitors",
                vec!["target-lowered"]
            )]
        );
        let raise = BASE.replace("target 60,000", "target 70,000");
        assert_eq!(
            kinds(&changes(BASE, &raise, Mode::Revisions))[0].2,
            Vec::<&str>::new()
        );
        let easier = BASE.replace("target <= 5%", "target <= 6%");
        assert_eq!(
            kinds(&changes(BASE, &easier, Mode::Revisions))[0].2,
            ["target-lowered"]
        );
    }

    #[test]
    fn rewriting_history_is_flagged() {
        let edited = BASE.replace("2026-07-14 44,100", "2026-07-14 45,000");
        assert_eq!(
            kinds(&changes(BASE, &edited, Mode::Revisions)),
            [(
                "checkin-edited",
                "marketing/engagement.visitors",
                vec!["history-rewritten"]
            )]
        );
        let rebased = BASE.replace("baseline 41,000", "baseline 40,000");
        assert_eq!(
            kinds(&changes(BASE, &rebased, Mode::Revisions))[0].2,
            ["history-rewritten"]
        );
        let quality_rebased = BASE.replace("baseline 8%", "baseline 9%");
        assert!(kinds(&changes(BASE, &quality_rebased, Mode::Revisions))[0]
            .2
            .is_empty());
    }

    #[test]
    fn dropping_a_commitment_is_flagged() {
        let aspirational = BASE.replace("type committed", "type aspirational");
        assert_eq!(
            kinds(&changes(BASE, &aspirational, Mode::Revisions)),
            [(
                "type-changed",
                "marketing/engagement",
                vec!["committed-dropped"]
            )]
        );
        let gone = "period 2026-Q3\nteam marketing\nowner @dana\n";
        assert_eq!(
            kinds(&changes(BASE, gone, Mode::Revisions)),
            [
                (
                    "objective-removed",
                    "marketing/engagement",
                    vec!["committed-dropped"]
                ),
                (
                    "kr-removed",
                    "marketing/engagement.visitors",
                    vec!["target-lowered"]
                ),
                ("kr-removed", "marketing/engagement.quality", vec![]),
            ]
        );
    }

    #[test]
    fn a_kr_dropped_from_a_committed_objective_that_stays_is_flagged() {
        let without_quality =
            BASE.replace("  kr quality \"Quality\" target <= 5% baseline 8%\n", "");
        assert_eq!(
            kinds(&changes(BASE, &without_quality, Mode::Revisions)),
            [(
                "kr-removed",
                "marketing/engagement.quality",
                vec!["committed-dropped"]
            )]
        );
        let aspirational = BASE.replace("type committed", "type aspirational");
        let dropped = without_quality.replace("type committed", "type aspirational");
        assert_eq!(
            kinds(&changes(&aspirational, &dropped, Mode::Revisions)),
            [("kr-removed", "marketing/engagement.quality", vec![])]
        );
    }

    /// The kind and flags of the first change from `old` to `new`.
    fn first(old: &str, new: &str) -> (&'static str, Vec<&'static str>) {
        let found = changes(old, new, Mode::Revisions);
        let change = &found[0];
        (
            change.kind.as_str(),
            change.flags.iter().map(|f| f.as_str()).collect(),
        )
    }

    #[test]
    fn a_fall_of_twenty_confidence_points_is_flagged_on_its_checkin() {
        let confident = BASE.replace("2026-07-14 44,100", "2026-07-14 44,100 confidence 70%");
        let added = |line: &str| {
            confident.replace("confidence 70%\n", &format!("confidence 70%\n    {line}\n"))
        };
        assert_eq!(
            first(&confident, &added("2026-07-21 45,000 confidence 50%")),
            ("checkin-added", vec!["confidence-dropped"])
        );
        assert_eq!(
            first(&confident, &added("2026-07-21 45,000 confidence 51%")),
            ("checkin-added", vec![])
        );
        // A check-in without a confidence leaves the last one said standing.
        assert_eq!(
            first(&confident, &added("2026-07-21 45,000")),
            ("checkin-added", vec![])
        );
        // Editing the latest confidence down flags the edit.
        let edited = confident.replace("confidence 70%", "confidence 40%");
        assert_eq!(
            first(&confident, &edited),
            (
                "checkin-edited",
                vec!["history-rewritten", "confidence-dropped"]
            )
        );
        // Removing a confident later check-in uncovers an earlier, lower one.
        let two = added("2026-07-21 45,000 confidence 95%");
        assert_eq!(
            first(&two, &confident),
            (
                "checkin-removed",
                vec!["history-rewritten", "confidence-dropped"]
            )
        );
    }

    #[test]
    fn periods_do_not_compare_checkins_or_flag_drops() {
        let next = BASE
            .replace("2026-Q3", "2026-Q4")
            .replace("    2026-07-14 44,100\n", "");
        assert!(changes(BASE, &next, Mode::Periods).is_empty());
        let gone = "period 2026-Q4\nteam marketing\nowner @dana\n";
        assert!(changes(BASE, gone, Mode::Periods)
            .iter()
            .all(|c| c.flags.is_empty()));
    }

    #[test]
    fn final_scores_are_graded_after_the_period() {
        let workspace = Workspace::from_texts([("a.okr", BASE)]);
        let files = [FileGoals {
            path: "a.okr",
            goals: &workspace.goals[0],
        }];
        let after = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let scores = final_scores(&files, after);
        assert_eq!(scores[0].objectives[0].0, "marketing/engagement");
        let objective = &scores[0].score.objectives[0];
        assert!(objective.grade.is_some());
        assert!(objective.missed_commitment);
    }
}
