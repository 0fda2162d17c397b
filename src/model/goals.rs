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

/// `[team "/"] id ["." id]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reference {
    pub team: Option<String>,
    pub id: String,
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
    pub part: String,
}

/// A reference's text from borrowed parts: the one place that spells
/// `team/objective.kr`. `ReferenceText::new(team, objective).child(kr)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReferenceText<'a> {
    pub team: Option<&'a str>,
    pub id: &'a str,
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
    pub file: FileId,
    pub period: Option<Spanned<Period>>,
    pub team: Option<Team>,
    pub owner: Option<Spanned<String>>,
    pub cadence: Option<Spanned<Cadence>>,
    pub segments: Vec<Segment>,
    pub funnels: Vec<Funnel>,
    pub objectives: Vec<Objective>,
    /// Lines (zero-based) carrying `# okr:allow(CODE)`, and the codes allowed there.
    pub allows: Vec<(usize, Vec<Code>)>,
}

impl Goals {
    pub fn team_id(&self) -> Option<&str> {
        self.team.as_ref().map(|team| team.id.value.as_str())
    }

    pub fn cadence(&self) -> Cadence {
        self.cadence.as_ref().map_or(Cadence::Weekly, |c| c.value)
    }

    pub fn funnel(&self, id: &str) -> Option<&Funnel> {
        self.funnels.iter().find(|funnel| funnel.id.value == id)
    }

    pub fn segment(&self, id: &str) -> Option<&Segment> {
        self.segments.iter().find(|segment| segment.id.value == id)
    }

    pub fn objective(&self, id: &str) -> Option<&Objective> {
        self.objectives
            .iter()
            .find(|objective| objective.id.value == id)
    }
}

#[derive(Clone, Debug)]
pub struct Team {
    pub id: Spanned<String>,
    pub name: Option<Spanned<String>>,
    pub span: Span,
}

/// A target market and its size.
#[derive(Clone, Debug)]
pub struct Segment {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    pub size: SpannedQuantity,
    pub span: Span,
}

/// An ordered chain of stages with the conversion between neighbours.
#[derive(Clone, Debug)]
pub struct Funnel {
    pub id: Spanned<String>,
    pub title: Option<Spanned<String>>,
    pub segment: Option<Spanned<String>>,
    pub stages: Vec<Stage>,
    pub span: Span,
}

impl Funnel {
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|stage| stage.id.value == id)
    }
}

#[derive(Clone, Debug)]
pub struct Stage {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    /// The share of the previous stage that reaches this one.
    pub conversion: Option<SpannedQuantity>,
    /// What one unit at this stage is worth, e.g. the average deal size.
    pub value: Option<SpannedQuantity>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectiveType {
    Committed,
    Aspirational,
}

impl ObjectiveType {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectiveType::Committed => "committed",
            ObjectiveType::Aspirational => "aspirational",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Objective {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub span: Span,
    pub why: Option<Spanned<String>>,
    pub owner: Option<Spanned<String>>,
    pub aligns: Option<Spanned<Reference>>,
    pub kind: Option<Spanned<ObjectiveType>>,
    pub segment: Option<Spanned<String>>,
    pub key_results: Vec<KeyResult>,
    pub initiatives: Vec<Initiative>,
}

impl Objective {
    pub fn kind(&self) -> ObjectiveType {
        self.kind
            .as_ref()
            .map_or(ObjectiveType::Aspirational, |kind| kind.value)
    }
}

/// Which way a KR's number should move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `target 4,000` or `target >= 4,000`: reach at least.
    Increase(Quantity),
    /// `target <= 2%`: get down to at most.
    Decrease(Quantity),
    /// Done or not done.
    Milestone,
}

impl Target {
    pub fn quantity(&self) -> Option<&Quantity> {
        match self {
            Target::Increase(quantity) | Target::Decrease(quantity) => Some(quantity),
            Target::Milestone => None,
        }
    }

    pub fn unit(&self) -> Option<Unit> {
        self.quantity().map(|quantity| quantity.unit)
    }

    /// `increase`, `decrease` or `milestone`, as the JSON interface names them.
    pub fn direction(&self) -> &'static str {
        match self {
            Target::Increase(_) => "increase",
            Target::Decrease(_) => "decrease",
            Target::Milestone => "milestone",
        }
    }
}

#[derive(Clone, Debug)]
pub struct KeyResult {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub target: Spanned<Target>,
    pub baseline: Option<SpannedQuantity>,
    pub weight: Option<Spanned<Decimal>>,
    pub owner: Option<Spanned<String>>,
    pub stage: Option<Spanned<Reference>>,
    pub due: Option<Spanned<NaiveDate>>,
    pub checkins: Vec<CheckIn>,
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
            owner: None,
            stage: None,
            due: None,
            checkins: Vec::new(),
            span,
        }
    }

    pub fn weight(&self) -> Decimal {
        self.weight
            .as_ref()
            .map_or(Decimal::ONE, |weight| weight.value)
    }
}

/// What a check-in reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reading {
    Value(Quantity),
    Done,
    Pending,
}

/// One dated reading of a KR.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckIn {
    pub date: Spanned<NaiveDate>,
    pub reading: Spanned<Reading>,
    /// How sure the reporter is of reaching the target, as a fraction.
    /// (The optional parts are boxed: most check-ins have none of them, and
    /// an organisation holds hundreds of thousands of check-ins.)
    pub confidence: Option<Box<Spanned<Decimal>>>,
    pub note: Option<Box<Spanned<String>>>,
    pub by: Option<Box<Spanned<String>>>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitiativeStatus {
    Planned,
    Active,
    Done,
    Dropped,
}

impl InitiativeStatus {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "planned" => Some(InitiativeStatus::Planned),
            "active" => Some(InitiativeStatus::Active),
            "done" => Some(InitiativeStatus::Done),
            "dropped" => Some(InitiativeStatus::Dropped),
            _ => None,
        }
    }

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
    pub id: Option<Spanned<String>>,
    pub title: Spanned<String>,
    pub owner: Option<Spanned<String>>,
    pub status: Option<Spanned<InitiativeStatus>>,
    pub due: Option<Spanned<NaiveDate>>,
    pub span: Span,
}
