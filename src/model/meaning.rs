//! Equality of meaning: two goals are the same when every value is, wherever
//! it was written. `okr fmt` uses it to prove a new layout says what the old
//! one did (`edit::same_meaning`).
//!
//! Why a trait and not `PartialEq`: a `Span` is compared, hashed and sorted
//! as a position, so its `==` (and `Spanned`'s) must keep looking at it; and
//! `Decimal`'s `==` is numeric (`5.0 == 5`), while here a number is the one
//! written, digits, scale and sign. So meaning is its own relation,
//! implemented once per model type.
//!
//! It is honest by construction: each struct's implementation destructures
//! every field by name, with no `..`, so a field added to the model does not
//! compile until it is compared here or named as a position. Positions, and
//! only positions, are left out: spans, the line of an `okr:allow` comment,
//! and the file the goals were read from.

use super::goals::{
    Band, Baseline, Bound, Change, CheckIn, CheckInExtra, Direction, Funnel, Goal, Goals, Graded,
    Initiative, InitiativeStatus, KeyResult, Move, Objective, ObjectiveType, Reading, Reference,
    Segment, Stage, Target, Team,
};
use super::period::{Cadence, Period};
use super::quantity::{Quantity, Unit};
use crate::diagnostic::Code;
use crate::span::{Span, Spanned};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Whether two values say the same thing, positions left out.
pub trait SameMeaning {
    /// Whether `self` and `other` say the same thing, wherever each was written.
    fn same_meaning(&self, other: &Self) -> bool;
}

/// The value, not where it was written.
impl<T: SameMeaning> SameMeaning for Spanned<T> {
    fn same_meaning(&self, other: &Self) -> bool {
        let Spanned { value, span: _ } = self;
        value.same_meaning(&other.value)
    }
}

impl<T: SameMeaning + ?Sized> SameMeaning for Box<T> {
    fn same_meaning(&self, other: &Self) -> bool {
        (**self).same_meaning(other)
    }
}

impl<T: SameMeaning> SameMeaning for Option<T> {
    fn same_meaning(&self, other: &Self) -> bool {
        match (self, other) {
            (Some(a), Some(b)) => a.same_meaning(b),
            (None, None) => true,
            _ => false,
        }
    }
}

/// The same items in the same order.
impl<T: SameMeaning> SameMeaning for [T] {
    fn same_meaning(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.same_meaning(b))
    }
}

impl<T: SameMeaning> SameMeaning for Vec<T> {
    fn same_meaning(&self, other: &Self) -> bool {
        self.as_slice().same_meaning(other.as_slice())
    }
}

/// A position says nothing, so any two are alike; an optional one still
/// means something by being there (the `rollup` line).
impl SameMeaning for Span {
    fn same_meaning(&self, _: &Self) -> bool {
        true
    }
}

/// A number as written: `5.0` is not `5`, nor `-0` `0`. `fmt` never
/// rewrites a number, so the stricter reading costs nothing and hides no change.
impl SameMeaning for Decimal {
    fn same_meaning(&self, other: &Self) -> bool {
        self.serialize() == other.serialize()
    }
}

/// Types that hold no position and no decimal: their `==` compares every
/// field they have, all of which carry meaning.
macro_rules! by_equality {
    ($($type:ty),* $(,)?) => {
        $(impl SameMeaning for $type {
            fn same_meaning(&self, other: &Self) -> bool {
                self == other
            }
        })*
    };
}

by_equality!(
    str,
    String,
    NaiveDate,
    Reference,
    Period,
    Cadence,
    Unit,
    bool,
    Direction,
    ObjectiveType,
    InitiativeStatus,
    Code,
);

/// A struct compared field by field: `meaning` fields with `same_meaning`,
/// `position` fields left out. Every field must be named in one list or the
/// other (the pattern has no `..`).
macro_rules! by_fields {
    ($type:ident { meaning: $($field:ident),+ ; position: $($position:ident),* $(,)? }) => {
        impl SameMeaning for $type {
            fn same_meaning(&self, other: &Self) -> bool {
                let $type { $($field,)+ $($position: _,)* } = self;
                $($field.same_meaning(&other.$field))&&+
            }
        }
    };
}

by_fields!(Quantity { meaning: amount, unit, word; position: });
by_fields!(Team { meaning: id, name; position: span });
by_fields!(Segment { meaning: id, name, size; position: span });
by_fields!(Funnel { meaning: id, title, segment, stages; position: span });
by_fields!(Stage { meaning: id, title, conversion, value; position: span });
by_fields!(Objective {
    meaning: id, title, why, owners, aligns, kind, segment, rollup, grade, key_results, initiatives;
    position: span
});
by_fields!(KeyResult {
    meaning: id, title, target, baseline, weight, owners, stage, due, grade, checkins;
    position: span
});
by_fields!(CheckIn { meaning: date, reading, extra; position: span });
by_fields!(CheckInExtra { meaning: confidence, note, by; position: });
by_fields!(Initiative { meaning: id, title, owners, status, due; position: span });
by_fields!(Graded { meaning: value, note; position: span });
by_fields!(Move { meaning: direction, strict, goal; position: });
by_fields!(Band { meaning: min, max; position: });
by_fields!(Bound { meaning: value, strict; position: });

impl SameMeaning for Target {
    fn same_meaning(&self, other: &Self) -> bool {
        match self {
            Target::Move(a) => matches!(other, Target::Move(b) if a.same_meaning(b)),
            Target::Hold(a) => matches!(other, Target::Hold(b) if a.same_meaning(b)),
            Target::Milestone => matches!(other, Target::Milestone),
        }
    }
}

impl SameMeaning for Goal {
    fn same_meaning(&self, other: &Self) -> bool {
        match self {
            Goal::Level(a) => matches!(other, Goal::Level(b) if a.same_meaning(b)),
            Goal::Relative { change, over } => matches!(
                other,
                Goal::Relative { change: c, over: o } if change.same_meaning(c) && over.same_meaning(o)
            ),
        }
    }
}

impl SameMeaning for Change {
    fn same_meaning(&self, other: &Self) -> bool {
        match self {
            Change::Share(a) => matches!(other, Change::Share(b) if a.same_meaning(b)),
            Change::Times(a) => matches!(other, Change::Times(b) if a.same_meaning(b)),
            Change::Points(a) => matches!(other, Change::Points(b) if a.same_meaning(b)),
        }
    }
}

impl SameMeaning for Baseline {
    fn same_meaning(&self, other: &Self) -> bool {
        match self {
            Baseline::Known(a) => matches!(other, Baseline::Known(b) if a.same_meaning(b)),
            Baseline::Unknown => matches!(other, Baseline::Unknown),
        }
    }
}

impl SameMeaning for Reading {
    fn same_meaning(&self, other: &Self) -> bool {
        match self {
            Reading::Value(a) => matches!(other, Reading::Value(b) if a.same_meaning(b)),
            Reading::Done => matches!(other, Reading::Done),
            Reading::Pending => matches!(other, Reading::Pending),
        }
    }
}

/// The header, segments, funnels, objectives and allowed codes. Left out:
/// the file (where the goals came from) and the line of each `okr:allow`
/// (the allows are still compared in order, with their codes).
impl SameMeaning for Goals {
    fn same_meaning(&self, other: &Self) -> bool {
        let Goals {
            file: _,
            period,
            team,
            owners,
            cadence,
            segments,
            funnels,
            objectives,
            allows,
        } = self;
        period.same_meaning(&other.period)
            && team.same_meaning(&other.team)
            && owners.same_meaning(&other.owners)
            && cadence.same_meaning(&other.cadence)
            && segments.same_meaning(&other.segments)
            && funnels.same_meaning(&other.funnels)
            && objectives.same_meaning(&other.objectives)
            && allows.len() == other.allows.len()
            && allows
                .iter()
                .zip(&other.allows)
                .all(|((_line, a), (_, b))| a.same_meaning(b))
    }
}
