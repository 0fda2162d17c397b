//! The typed goals of one file: one team's objectives, key results, funnels
//! and check-ins for one period, every node with its span.

use super::period::{Cadence, Period};
use super::quantity::{Quantity, Unit};
use crate::diagnostic::Code;
use crate::source::FileId;
use crate::span::{Span, Spanned};
use crate::syntax::atoms;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::fmt;

/// `[team "/"] id ["." id]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The team before `/`; `None` for this file's team.
    pub team: Option<String>,
    /// The objective's (or funnel's) id.
    pub id: String,
    /// The KR's (or stage's) id after `.`, if any.
    pub child: Option<String>,
}

impl Reference {
    /// The reference's text, borrowed.
    pub fn text(&self) -> ReferenceText<'_> {
        ReferenceText {
            team: self.team.as_deref(),
            id: &self.id,
            child: self.child.as_deref(),
        }
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.text().fmt(f)
    }
}

/// `[team/]id[.child]`, each part an identifier (`syntax::atoms`).
impl std::str::FromStr for Reference {
    type Err = ReferenceError;

    fn from_str(text: &str) -> Result<Reference, ReferenceError> {
        let (team, id, child) = atoms::split_reference(text);
        for part in [team, Some(id), child].into_iter().flatten() {
            if !atoms::is_identifier(part) {
                return Err(ReferenceError {
                    part: part.to_string(),
                });
            }
        }
        Ok(Reference {
            team: team.map(String::from),
            id: id.to_string(),
            child: child.map(String::from),
        })
    }
}

/// A part of a would-be reference that is not an identifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{part}` is not an identifier")]
pub struct ReferenceError {
    /// The offending part, as written.
    pub part: String,
}

/// A reference's text from borrowed parts: the one place that spells
/// `team/objective.kr`. `ReferenceText::new(team, objective).child(kr)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReferenceText<'a> {
    /// The team before `/`, if written.
    pub team: Option<&'a str>,
    /// The objective's (or funnel's) id.
    pub id: &'a str,
    /// The KR's (or stage's) id after `.`, if any.
    pub child: Option<&'a str>,
}

impl<'a> ReferenceText<'a> {
    /// `team/id`.
    pub fn new(team: &'a str, id: &'a str) -> Self {
        ReferenceText {
            team: Some(team),
            id,
            child: None,
        }
    }

    /// The same reference with `.child` after its id.
    pub fn child(self, child: &'a str) -> Self {
        ReferenceText {
            child: Some(child),
            ..self
        }
    }
}

impl std::fmt::Display for ReferenceText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(team) = self.team {
            f.write_str(team)?;
            f.write_str("/")?;
        }
        f.write_str(self.id)?;
        if let Some(child) = self.child {
            f.write_str(".")?;
            f.write_str(child)?;
        }
        Ok(())
    }
}

/// A quantity and where it was written.
pub type SpannedQuantity = Spanned<Quantity>;

/// One team's goals for one period: the contents of one `.okr` file.
#[derive(Clone, Debug, Default)]
pub struct Goals {
    /// The file the goals were read from, to point diagnostics at.
    pub file: FileId,
    /// The `period` line; `None` when missing or broken.
    pub period: Option<Spanned<Period>>,
    /// The `team` line; `None` when missing or broken.
    pub team: Option<Team>,
    /// The header's `owner` line: who owns every objective without its own.
    pub owners: Vec<Spanned<String>>,
    /// The `cadence` line, if any (weekly by default: [`Goals::cadence`]).
    pub cadence: Option<Spanned<Cadence>>,
    /// The `segment` definitions, in the order written.
    pub segments: Vec<Segment>,
    /// The funnels, in the order written.
    pub funnels: Vec<Funnel>,
    /// The objectives, in the order written.
    pub objectives: Vec<Objective>,
    /// Lines (zero-based) carrying `# okr:allow(CODE)`, and the codes allowed there.
    pub allows: Vec<(usize, Vec<Code>)>,
}

impl Goals {
    /// The team's id, when the `team` line is there.
    pub fn team_id(&self) -> Option<&str> {
        self.team.as_ref().map(|team| team.id.value.as_str())
    }

    /// How often KRs are checked in: the `cadence` line, or weekly.
    pub fn cadence(&self) -> Cadence {
        self.cadence.as_ref().map_or(Cadence::Weekly, |c| c.value)
    }

    /// The funnel with id `id` in this file.
    pub fn funnel(&self, id: &str) -> Option<&Funnel> {
        self.funnels.iter().find(|funnel| funnel.id.value == id)
    }

    /// The segment with id `id` in this file.
    pub fn segment(&self, id: &str) -> Option<&Segment> {
        self.segments.iter().find(|segment| segment.id.value == id)
    }

    /// The objective with id `id` in this file.
    pub fn objective(&self, id: &str) -> Option<&Objective> {
        self.objectives
            .iter()
            .find(|objective| objective.id.value == id)
    }
}

/// The `team` line: who the file's goals belong to.
#[derive(Clone, Debug)]
pub struct Team {
    /// The team's id, which references and other files use.
    pub id: Spanned<String>,
    /// Its display name, if given.
    pub name: Option<Spanned<String>>,
    /// The statement's text, for diagnostics.
    pub span: Span,
}

/// A target market and its size.
#[derive(Clone, Debug)]
pub struct Segment {
    /// The segment's id, which funnels and objectives name.
    pub id: Spanned<String>,
    /// Its display name.
    pub name: Spanned<String>,
    /// How many there are in the market (a count).
    pub size: SpannedQuantity,
    /// The statement's text, for diagnostics.
    pub span: Span,
}

/// An ordered chain of stages with the conversion between neighbours.
#[derive(Clone, Debug)]
pub struct Funnel {
    /// The funnel's id, which KRs' `stage` attributes name.
    pub id: Spanned<String>,
    /// Its display title, if given.
    pub title: Option<Spanned<String>>,
    /// The segment it draws from, if any.
    pub segment: Option<Spanned<String>>,
    /// The stages, top of the funnel first.
    pub stages: Vec<Stage>,
    /// The statement's text, for diagnostics.
    pub span: Span,
}

impl Funnel {
    /// The position of the stage with id `id`.
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|stage| stage.id.value == id)
    }
}

/// One step of a funnel, with the conversion into it.
#[derive(Clone, Debug)]
pub struct Stage {
    /// The stage's id, unique in its funnel.
    pub id: Spanned<String>,
    /// Its display title.
    pub title: Spanned<String>,
    /// The share of the previous stage that reaches this one.
    pub conversion: Option<SpannedQuantity>,
    /// What one unit at this stage is worth, e.g. the average deal size.
    pub value: Option<SpannedQuantity>,
    /// The statement's text, for diagnostics.
    pub span: Span,
}

/// Whether an objective must be met in full or is a stretch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectiveType {
    /// Expected in full: ending below 1.0 is a missed commitment.
    Committed,
    /// A stretch, where 0.7 is a success (the default).
    Aspirational,
}

impl ObjectiveType {
    /// The name in the language and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectiveType::Committed => "committed",
            ObjectiveType::Aspirational => "aspirational",
        }
    }
}

/// An objective: a qualitative goal, measured by its key results.
#[derive(Clone, Debug)]
pub struct Objective {
    /// The objective's id, unique in its file.
    pub id: Spanned<String>,
    /// Its title.
    pub title: Spanned<String>,
    /// The statement's text, for diagnostics.
    pub span: Span,
    /// The `why` line: the reason it matters.
    pub why: Option<Spanned<String>>,
    /// Its `owner` lines; the header's owners apply when empty.
    pub owners: Vec<Spanned<String>>,
    /// Every parent, from one or several `aligns` lines, in the order written.
    pub aligns: Vec<Spanned<Reference>>,
    /// The `type` line; aspirational when absent ([`Objective::kind`]).
    pub kind: Option<Spanned<ObjectiveType>>,
    /// The segment it targets, if any.
    pub segment: Option<Spanned<String>>,
    /// The `rollup` line: children count as extra KRs beside the objective's own.
    pub rollup: Option<Span>,
    /// The `grade` given at the close of the period.
    pub grade: Option<Graded>,
    /// Its key results, in the order written.
    pub key_results: Vec<KeyResult>,
    /// Its initiatives, in the order written.
    pub initiatives: Vec<Initiative>,
}

impl Objective {
    /// An objective as its line starts it; the lines under it are added after.
    pub fn new(id: Spanned<String>, title: Spanned<String>, span: Span) -> Objective {
        Objective {
            id,
            title,
            span,
            why: None,
            owners: Vec::new(),
            aligns: Vec::new(),
            kind: None,
            segment: None,
            rollup: None,
            grade: None,
            key_results: Vec::new(),
            initiatives: Vec::new(),
        }
    }

    /// Committed or aspirational: the `type` line, or aspirational.
    pub fn kind(&self) -> ObjectiveType {
        self.kind
            .as_ref()
            .map_or(ObjectiveType::Aspirational, |kind| kind.value)
    }
}

/// What a KR asks for (see `docs/language.md`, "Targets").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Move the number to a level: `target 4,000`, `target <= 2%`, `target +15%`.
    Move(Move),
    /// Keep a level all period: `hold >= 95%`, `hold 97%..99%`.
    Hold(Band),
    /// A deliverable: done, pending, or a share complete.
    Milestone,
}

impl Target {
    /// An absolute target, as version 1 wrote them.
    pub fn level(direction: Direction, strict: bool, quantity: Quantity) -> Target {
        Target::Move(Move {
            direction,
            strict,
            goal: Goal::Level(quantity),
        })
    }

    /// The target as a number written on the line, when it is one: relative
    /// targets resolve against a baseline (`KeyResult::target_quantity`).
    pub fn quantity(&self) -> Option<&Quantity> {
        match self {
            Target::Move(Move {
                goal: Goal::Level(quantity),
                ..
            }) => Some(quantity),
            _ => None,
        }
    }

    /// `increase`, `decrease`, `hold` or `milestone`, as the JSON interface names them.
    pub fn direction(&self) -> &'static str {
        match self {
            Target::Move(target) => target.direction.as_str(),
            Target::Hold(_) => "hold",
            Target::Milestone => "milestone",
        }
    }

    /// The unit the target itself names: its quantity's, its band's, its
    /// `over` reference's, percent for `+Npp`; `None` for milestones and for
    /// relative changes of the baseline (whose unit is the baseline's).
    pub fn unit(&self) -> Option<Unit> {
        match self {
            Target::Move(Move { goal, .. }) => match goal {
                Goal::Level(quantity) => Some(quantity.unit),
                Goal::Relative {
                    change: Change::Points(_),
                    ..
                } => Some(Unit::Percent),
                Goal::Relative { over, .. } => over.as_ref().map(|over| over.unit),
            },
            Target::Hold(band) => band.unit(),
            Target::Milestone => None,
        }
    }

    /// The unit word the target names (`4,000 signups`), if any.
    pub fn word(&self) -> Option<&str> {
        let quantity = match self {
            Target::Move(Move { goal, .. }) => match goal {
                Goal::Level(quantity) => Some(quantity),
                Goal::Relative { over, .. } => over.as_ref(),
            },
            Target::Hold(band) => band
                .min
                .as_ref()
                .or(band.max.as_ref())
                .map(|bound| &bound.value),
            Target::Milestone => None,
        };
        quantity.and_then(|quantity| quantity.word.as_deref())
    }

    /// The direction of a target that moves a number.
    pub fn moves(&self) -> Option<Direction> {
        match self {
            Target::Move(target) => Some(target.direction),
            _ => None,
        }
    }
}

impl fmt::Display for Target {
    /// As the canonical layout writes it: `target 4,000`, `target <= 2%`,
    /// `target +15% over 1,000`, `hold 97%..99%`, `milestone`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Move(target) => {
                f.write_str("target ")?;
                match &target.goal {
                    Goal::Level(quantity) => {
                        let comparison = match (target.direction, target.strict) {
                            (Direction::Increase, false) => "",
                            (Direction::Increase, true) => "> ",
                            (Direction::Decrease, false) => "<= ",
                            (Direction::Decrease, true) => "< ",
                        };
                        write!(f, "{comparison}{quantity}")
                    }
                    Goal::Relative { change, over } => {
                        write!(f, "{change}")?;
                        match over {
                            Some(over) => write!(f, " over {over}"),
                            None => Ok(()),
                        }
                    }
                }
            }
            Target::Hold(band) => write!(f, "hold {band}"),
            Target::Milestone => f.write_str("milestone"),
        }
    }
}

/// `target [>= | > | <= | <] Q` or a relative target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    /// Which way the value must move.
    pub direction: Direction,
    /// `>` or `<`: a reading equal to the target is not yet done.
    pub strict: bool,
    /// Where it must get to.
    pub goal: Goal,
}

/// Which way a moving target goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Reach at least the target.
    Increase,
    /// Get down to at most the target.
    Decrease,
}

impl Direction {
    /// Whether `value` is at `target` or beyond it this way (strictly
    /// beyond for `>`/`<`): the one comparison behind targets, bands and
    /// met baselines.
    pub fn reaches(self, strict: bool, value: Decimal, target: Decimal) -> bool {
        match (self, strict) {
            (Direction::Increase, false) => value >= target,
            (Direction::Increase, true) => value > target,
            (Direction::Decrease, false) => value <= target,
            (Direction::Decrease, true) => value < target,
        }
    }

    /// The name in JSON: `increase` or `decrease`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
        }
    }
}

/// Where a moving target is: written out, or relative to a starting point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Goal {
    /// A level written out: `target 4,000`.
    Level(Quantity),
    /// `+15%`, `x3`, `+5pp`, from the baseline or from `over Q`.
    Relative {
        /// The change from the starting point.
        change: Change,
        /// The starting point, `over Q`; without it, the baseline.
        over: Option<Quantity>,
    },
}

/// A relative change, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// `+15%` is 0.15, `-10%` is −0.10: t = b·(1 + share).
    Share(Decimal),
    /// `x3`: t = b·3.
    Times(Decimal),
    /// `+5pp` is 0.05 (a fraction, as percents are stored): t = b + points.
    Points(Decimal),
}

impl Change {
    /// The target this change reaches from `start`, or `None` on overflow.
    pub fn apply(self, start: Decimal) -> Option<Decimal> {
        match self {
            Change::Share(share) => start.checked_mul(Decimal::ONE.checked_add(share)?),
            Change::Times(factor) => start.checked_mul(factor),
            Change::Points(points) => start.checked_add(points),
        }
    }

    /// Which way the change goes; no change at all counts as an increase
    /// (its baseline meets it, so it is scored as a hold).
    pub fn direction(self) -> Direction {
        let down = match self {
            Change::Share(delta) | Change::Points(delta) => delta.is_sign_negative(),
            Change::Times(factor) => factor < Decimal::ONE,
        };
        if down {
            Direction::Decrease
        } else {
            Direction::Increase
        }
    }
}

impl fmt::Display for Change {
    /// As written: `+15%`, `-10%`, `x1.5`, `+5pp`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let signed = |f: &mut fmt::Formatter<'_>, fraction: Decimal, suffix: &str| {
            let number = (fraction * Decimal::ONE_HUNDRED).normalize();
            let sign = if number.is_sign_negative() { "-" } else { "+" };
            write!(f, "{sign}{}{suffix}", number.abs())
        };
        match *self {
            Change::Share(share) => signed(f, share, "%"),
            Change::Points(points) => signed(f, points, "pp"),
            Change::Times(factor) => write!(f, "x{}", factor.normalize()),
        }
    }
}

/// The band a hold keeps: an open side is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    /// The lower end; `None` when open.
    pub min: Option<Bound>,
    /// The upper end; `None` when open.
    pub max: Option<Bound>,
}

impl Band {
    /// A band open on one side: at least `bound` for an increase, at most
    /// it for a decrease (`hold >= Q`, or a met target kept as a hold).
    pub fn one_sided(direction: Direction, bound: Bound) -> Band {
        match direction {
            Direction::Increase => Band {
                min: Some(bound),
                max: None,
            },
            Direction::Decrease => Band {
                min: None,
                max: Some(bound),
            },
        }
    }

    /// Whether a reading is inside the band.
    pub fn holds(&self, value: Decimal) -> bool {
        let within = |bound: &Option<Bound>, direction: Direction| {
            bound
                .as_ref()
                .is_none_or(|bound| direction.reaches(bound.strict, value, bound.value.amount))
        };
        within(&self.min, Direction::Increase) && within(&self.max, Direction::Decrease)
    }

    /// The unit of the band's quantities (the lower end's, when both are given).
    pub fn unit(&self) -> Option<Unit> {
        self.min
            .as_ref()
            .or(self.max.as_ref())
            .map(|bound| bound.value.unit)
    }
}

impl fmt::Display for Band {
    /// `>= 95%`, `< 2%`, `97%..99%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.min, &self.max) {
            (Some(min), Some(max)) => write!(f, "{}..{}", min.value, max.value),
            (Some(min), None) => write!(f, "{} {}", if min.strict { ">" } else { ">=" }, min.value),
            (None, Some(max)) => write!(f, "{} {}", if max.strict { "<" } else { "<=" }, max.value),
            (None, None) => Ok(()),
        }
    }
}

/// One end of a band.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bound {
    /// The end's quantity.
    pub value: Quantity,
    /// `>` or `<`: the end itself is outside the band.
    pub strict: bool,
}

/// `baseline Q` or `baseline unknown`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Baseline {
    /// The starting level, as written.
    Known(Quantity),
    /// The start is not known yet: the first check-in is the baseline.
    Unknown,
}

/// `grade 70% "note"`: the score given at the close of the period.
#[derive(Clone, Debug, PartialEq)]
pub struct Graded {
    /// As a fraction; above 1 when graded above 100%.
    pub value: Spanned<Decimal>,
    /// The `grade` line's note, if any.
    pub note: Option<Spanned<String>>,
    /// The statement's text, for diagnostics.
    pub span: Span,
}

/// A key result: a measurable outcome of an objective, with its check-ins.
#[derive(Clone, Debug)]
pub struct KeyResult {
    /// The KR's id, unique in its objective.
    pub id: Spanned<String>,
    /// Its title.
    pub title: Spanned<String>,
    /// What it asks for.
    pub target: Spanned<Target>,
    /// Where it starts from, if written.
    pub baseline: Option<Spanned<Baseline>>,
    /// Its share in the objective's score (1 when absent: [`KeyResult::weight`]).
    pub weight: Option<Spanned<Decimal>>,
    /// Its `owner` lines; the objective's owners apply when empty.
    pub owners: Vec<Spanned<String>>,
    /// The funnel stage it measures (`funnel.stage`), if any.
    pub stage: Option<Spanned<Reference>>,
    /// A due date earlier than the period's end, if any.
    pub due: Option<Spanned<NaiveDate>>,
    /// The `grade` given at the close of the period.
    pub grade: Option<Graded>,
    /// Its check-ins, in the order written.
    pub checkins: Vec<CheckIn>,
    /// The statement's text, for diagnostics.
    pub span: Span,
}

impl KeyResult {
    /// A KR as its line starts it; attributes and check-ins are added after.
    pub fn new(
        id: Spanned<String>,
        title: Spanned<String>,
        target: Spanned<Target>,
        span: Span,
    ) -> KeyResult {
        KeyResult {
            id,
            title,
            target,
            baseline: None,
            weight: None,
            owners: Vec::new(),
            stage: None,
            due: None,
            grade: None,
            checkins: Vec::new(),
            span,
        }
    }

    /// Its share in the objective's score: the `weight` line, or 1.
    pub fn weight(&self) -> Decimal {
        self.weight
            .as_ref()
            .map_or(Decimal::ONE, |weight| weight.value)
    }

    /// The written baseline's quantity (`None` without one, or when unknown).
    pub fn baseline_quantity(&self) -> Option<&Quantity> {
        match &self.baseline.as_ref()?.value {
            Baseline::Known(quantity) => Some(quantity),
            Baseline::Unknown => None,
        }
    }

    /// Where the KR starts: the written baseline; with `baseline unknown`, or
    /// for a decrease without a baseline, the first check-in's reading.
    pub fn start(&self) -> Option<Quantity> {
        if let Some(quantity) = self.baseline_quantity() {
            return Some(quantity.clone());
        }
        let first_reading =
            self.baseline.is_some() || self.target.value.moves() == Some(Direction::Decrease);
        if !first_reading {
            return None;
        }
        self.checkins
            .iter()
            .find_map(|checkin| match &checkin.reading.value {
                Reading::Value(value) => Some(value.clone()),
                _ => None,
            })
    }

    /// The target as a number: written out, or a relative change applied to
    /// its `over` quantity or to the start. `None` for holds, milestones and
    /// relative targets with nothing to start from.
    pub fn target_quantity(&self) -> Option<Quantity> {
        let Target::Move(target) = &self.target.value else {
            return None;
        };
        match &target.goal {
            Goal::Level(quantity) => Some(quantity.clone()),
            Goal::Relative { change, over } => {
                let start = match over {
                    Some(over) => over.clone(),
                    None => self.start()?,
                };
                let amount = change.apply(start.amount)?;
                let unit = match change {
                    Change::Points(_) => Unit::Percent,
                    _ => start.unit,
                };
                Some(Quantity {
                    amount,
                    unit,
                    word: start.word,
                })
            }
        }
    }

    /// The target of a KR that raises a number: what funnel arithmetic plans with.
    pub fn increase_target(&self) -> Option<Quantity> {
        (self.target.value.moves() == Some(Direction::Increase))
            .then(|| self.target_quantity())
            .flatten()
    }

    /// The unit word the KR counts in: its target's, else (a relative change
    /// of the baseline) its start's.
    pub fn word(&self) -> Option<Box<str>> {
        match (self.target.value.word(), &self.target.value) {
            (Some(word), _) => Some(word.into()),
            (
                None,
                Target::Move(Move {
                    goal: Goal::Relative { over: None, .. },
                    ..
                }),
            ) => self.start().and_then(|start| start.word),
            _ => None,
        }
    }

    /// The unit the KR is measured in: what its target names, else (a
    /// relative change of the baseline) its start's; `None` for milestones.
    pub fn unit(&self) -> Option<Unit> {
        self.target
            .value
            .unit()
            .or_else(|| match self.target.value {
                Target::Move(_) => self.start().map(|start| start.unit),
                _ => None,
            })
    }
}

/// What a check-in reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reading {
    /// A measured value.
    Value(Quantity),
    /// A milestone reached.
    Done,
    /// A milestone not reached yet.
    Pending,
}

/// As a check-in line writes it: the quantity, `done` or `pending`.
impl std::fmt::Display for Reading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reading::Value(quantity) => quantity.fmt(f),
            Reading::Done => f.write_str("done"),
            Reading::Pending => f.write_str("pending"),
        }
    }
}

/// One dated reading of a KR.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckIn {
    /// The day of the reading.
    pub date: Spanned<NaiveDate>,
    /// What was read.
    pub reading: Spanned<Reading>,
    /// The confidence, note and author, in one box, none when the line has
    /// none of them (most lines): an organisation holds hundreds of
    /// thousands of check-ins, and one box costs a third of three.
    pub extra: Option<Box<CheckInExtra>>,
    /// The statement's text, for diagnostics.
    pub span: Span,
}

/// What a check-in line may add to its reading.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckInExtra {
    /// How sure the reporter is of reaching the target, as a fraction.
    pub confidence: Option<Spanned<Decimal>>,
    /// What the reporter adds, if anything.
    pub note: Option<Spanned<String>>,
    /// Who reported it, if written.
    pub by: Option<Spanned<String>>,
}

impl CheckIn {
    /// How sure the reporter is of reaching the target, as a fraction.
    pub fn confidence(&self) -> Option<&Spanned<Decimal>> {
        self.extra.as_ref()?.confidence.as_ref()
    }

    /// What the reporter adds, if anything.
    pub fn note(&self) -> Option<&Spanned<String>> {
        self.extra.as_ref()?.note.as_ref()
    }

    /// Who reported it, if written.
    pub fn by(&self) -> Option<&Spanned<String>> {
        self.extra.as_ref()?.by.as_ref()
    }
}

impl CheckInExtra {
    /// The box for a check-in's extras: none when it holds nothing, so that
    /// a line without extras reads the same however it was parsed.
    pub fn boxed(self) -> Option<Box<CheckInExtra>> {
        (self != CheckInExtra::default()).then(|| Box::new(self))
    }
}

/// Where an initiative stands, as its `status` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitiativeStatus {
    /// Not started.
    Planned,
    /// Under way.
    Active,
    /// Finished.
    Done,
    /// Abandoned.
    Dropped,
}

impl InitiativeStatus {
    /// The status named `text`; `None` for an unknown word.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "planned" => Some(InitiativeStatus::Planned),
            "active" => Some(InitiativeStatus::Active),
            "done" => Some(InitiativeStatus::Done),
            "dropped" => Some(InitiativeStatus::Dropped),
            _ => None,
        }
    }

    /// The name in the language and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            InitiativeStatus::Planned => "planned",
            InitiativeStatus::Active => "active",
            InitiativeStatus::Done => "done",
            InitiativeStatus::Dropped => "dropped",
        }
    }
}

/// An activity that moves the KRs: the work, not the result.
#[derive(Clone, Debug)]
pub struct Initiative {
    /// The initiative's id, if given.
    pub id: Option<Spanned<String>>,
    /// Its title.
    pub title: Spanned<String>,
    /// Its `owner` lines.
    pub owners: Vec<Spanned<String>>,
    /// Its `status`, if given.
    pub status: Option<Spanned<InitiativeStatus>>,
    /// Its due date, if given.
    pub due: Option<Spanned<NaiveDate>>,
    /// The statement's text, for diagnostics.
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An organisation holds hundreds of thousands of check-ins: a field
    /// added to one costs memory in every report (`docs/performance.md`).
    #[test]
    fn a_checkin_stays_within_80_bytes() {
        assert!(std::mem::size_of::<CheckIn>() <= 80);
    }

    #[test]
    fn a_checkin_without_extras_holds_no_box() {
        assert_eq!(CheckInExtra::default().boxed(), None);
        let extra = CheckInExtra {
            by: Some(Spanned::new("@dana".to_string(), Span::new(0, 5))),
            ..CheckInExtra::default()
        };
        let boxed = extra.clone().boxed();
        assert_eq!(boxed.as_deref(), Some(&extra));
    }
}
