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
    Period(Spanned<Period>),
    Team {
        id: Spanned<String>,
        name: Option<Spanned<String>>,
    },
    Cadence(Spanned<Cadence>),
    /// `segment ID "Name" size Q` defines; a bare `segment ID` refers.
    Segment {
        id: Spanned<String>,
        definition: Option<(Spanned<String>, SpannedQuantity)>,
    },
    Funnel(Box<Funnel>),
    Stage(Box<Stage>),
    Objective(Box<Objective>),
    Why(Spanned<String>),
    /// One or more parents: `aligns a/b, c/d`.
    Aligns(Vec<Spanned<Reference>>),
    Type(Spanned<ObjectiveType>),
    Rollup(Span),
    Grade(Graded),
    KeyResult(Box<KeyResult>),
    /// KR attributes on a line of their own; a lone `owner` also names the
    /// header's or an objective's owner.
    Attributes(Vec<Attribute>),
    CheckIn(CheckIn),
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
    Baseline(Spanned<Baseline>),
    Weight(Spanned<Decimal>),
    /// The handles of one `owner` attribute; its span covers them all.
    Owner(Spanned<Vec<Spanned<String>>>),
    Stage(Spanned<Reference>),
    Due(Spanned<NaiveDate>),
}

impl Attribute {
    pub fn keyword(&self) -> &'static str {
        match self {
            Attribute::Baseline(_) => "baseline",
            Attribute::Weight(_) => "weight",
            Attribute::Owner(_) => "owner",
            Attribute::Stage(_) => "stage",
            Attribute::Due(_) => "due",
        }
    }

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
