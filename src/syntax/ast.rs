//! The syntax tree of a file: its lines, each with its indentation, its
//! statement (typed values with spans) and its trailing comment.
//! Nesting is read from indentation by `model::build`.

use crate::model::goals::{
    Baseline, CheckIn, Funnel, Graded, Initiative, KeyResult, Objective, ObjectiveType, Reference,
    SpannedQuantity, Stage,
};
use crate::model::period::{Cadence, Period};
use crate::span::{Span, Spanned};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One source line.
#[derive(Clone, Debug)]
pub struct Line {
    /// The line without its line ending, indentation included.
    pub span: Span,
    /// Width of the leading spaces.
    pub indent: usize,
    /// What the line says.
    pub statement: Statement,
    /// `# …` to the end of the line.
    pub comment: Option<Span>,
}

/// What a line says. Large payloads are boxed so a line stays small to move;
/// check-ins, the commonest, are not, to save an allocation each.
#[derive(Clone, Debug)]
pub enum Statement {
    /// Nothing but whitespace and perhaps a comment.
    Blank,
    /// The line does not parse; its syntax error has been reported.
    Invalid,
    /// `period 2026-Q3`: the days the file's goals are for.
    Period(Spanned<Period>),
    /// `team ID "Name"`: whose goals these are.
    Team {
        /// The team's id.
        id: Spanned<String>,
        /// Its display name, if given.
        name: Option<Spanned<String>>,
    },
    /// `cadence weekly`: how often KRs are checked in.
    Cadence(Spanned<Cadence>),
    /// `segment ID "Name" size Q` defines; a bare `segment ID` refers.
    Segment {
        /// The segment's id.
        id: Spanned<String>,
        /// A definition's name and size; `None` for a reference.
        definition: Option<(Spanned<String>, SpannedQuantity)>,
    },
    /// `funnel ID "Title"`: opens a funnel; its stages follow, indented.
    Funnel(Box<Funnel>),
    /// `stage ID "Title" conversion Q`: one step of the funnel above.
    Stage(Box<Stage>),
    /// `objective ID "Title"`: opens an objective; its lines follow, indented.
    Objective(Box<Objective>),
    /// `why "…"`: the reason the objective matters.
    Why(Spanned<String>),
    /// One or more parents: `aligns a/b, c/d`.
    Aligns(Vec<Spanned<Reference>>),
    /// `type committed` or `type aspirational`.
    Type(Spanned<ObjectiveType>),
    /// `rollup`: the objective's children count in its score.
    Rollup(Span),
    /// `grade P% "note"`: the score given to the objective or KR above at the close.
    Grade(Graded),
    /// `kr ID "Title" target …`: a key result of the objective above.
    KeyResult(Box<KeyResult>),
    /// KR attributes on a line of their own; a lone `owner` also names the
    /// header's or an objective's owner.
    Attributes(Vec<Attribute>),
    /// `DATE VALUE` under a KR: one of its readings.
    CheckIn(CheckIn),
    /// `initiative "Title"`: work that moves the KRs.
    Initiative(Box<Initiative>),
}

impl Statement {
    /// The keyword people know the statement by, for messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            Statement::Blank | Statement::Invalid => "line",
            Statement::Period(_) => "period",
            Statement::Team { .. } => "team",
            Statement::Cadence(_) => "cadence",
            Statement::Segment { .. } => "segment",
            Statement::Funnel(_) => "funnel",
            Statement::Stage(_) => "stage",
            Statement::Objective(_) => "objective",
            Statement::Why(_) => "why",
            Statement::Aligns(_) => "aligns",
            Statement::Type(_) => "type",
            Statement::Rollup(_) => "rollup",
            Statement::Grade(_) => "grade",
            Statement::KeyResult(_) => "kr",
            Statement::Attributes(attributes) => match attributes.first() {
                Some(attribute) => attribute.keyword(),
                None => "attribute",
            },
            Statement::CheckIn(_) => "check-in",
            Statement::Initiative(_) => "initiative",
        }
    }
}

/// A KR attribute: `baseline 30%`, `weight 2`, `owner @sam @ana`, `stage f.s`, `due DATE`.
#[derive(Clone, Debug)]
pub enum Attribute {
    /// `baseline Q` or `baseline unknown`.
    Baseline(Spanned<Baseline>),
    /// `weight W`: the KR's share in its objective's score.
    Weight(Spanned<Decimal>),
    /// The handles of one `owner` attribute; its span covers them all.
    Owner(Spanned<Vec<Spanned<String>>>),
    /// `stage funnel.stage`: the funnel stage the KR measures.
    Stage(Spanned<Reference>),
    /// `due DATE`: an earlier deadline than the period's end.
    Due(Spanned<NaiveDate>),
}

impl Attribute {
    /// The attribute's keyword, for messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            Attribute::Baseline(_) => "baseline",
            Attribute::Weight(_) => "weight",
            Attribute::Owner(_) => "owner",
            Attribute::Stage(_) => "stage",
            Attribute::Due(_) => "due",
        }
    }

    /// Where the attribute's value was written.
    pub fn span(&self) -> Span {
        match self {
            Attribute::Baseline(quantity) => quantity.span,
            Attribute::Weight(weight) => weight.span,
            Attribute::Owner(owner) => owner.span,
            Attribute::Stage(stage) => stage.span,
            Attribute::Due(due) => due.span,
        }
    }
}
