//! Stage 4, output: the public JSON documents, declared once as typed
//! structs for every producer (the CLI, a language server, tests). Keys are
//! written in field order; each document's keys are those of SPEC §5–§8,
//! described by a schema in `docs/schema/` (which the tests hold every
//! document to, key order included): consumers rely on them, so add, never
//! rename, and change the schema with the struct.
//!
//! - [`check`]: `okr check --format json`, and the diagnostic entry the report shares;
//! - [`report`]: `okr report --format json`, also the context the templates read;
//! - [`diff`]: `okr diff --format json`, and the change entry the log shares;
//! - [`log`]: `okr log REFERENCE --format json`;
//! - [`review`]: `okr review --format json`.
//!
//! A list that can be long (a report's teams and objectives, a diff's
//! changes) is a type parameter, so that a producer can write it with
//! [`Lazy`], an entry made as it is written, and never hold it whole.
//!
//! Each producer assembles its own document; an entry that several
//! documents share (a diagnostic, a check-in, a change) is made from the
//! goals here, once.

pub mod check;
pub mod diff;
pub mod log;
pub mod report;
pub mod review;

/// The `version` of every document: 2 since language version 2 (SPEC §8),
/// whose keys (`owners`, `aligns` as a list, `band`, `children`, …) and
/// values (`hold`, a target written as text in a diff) a version 1 reader
/// does not know.
pub const VERSION: u32 = 2;

use crate::model::goals::Target;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// An exact decimal written as a JSON number: an integer when whole (up to
/// 128 bits, so no whole number is rounded), else a float (which carries the
/// full precision a consumer can use).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Num(pub Decimal);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.0.normalize();
        if value.scale() == 0 {
            if let Some(integer) = value.to_i64() {
                return serializer.serialize_i64(integer);
            }
            if let Some(integer) = value.to_i128() {
                return serializer.serialize_i128(integer);
            }
        }
        serializer.serialize_f64(value.to_f64().unwrap_or(0.0))
    }
}

/// A JSON list whose entries are made as it is written, from the iterator
/// the function gives (called once each time the list is written), so that
/// a large document is never held whole.
pub struct Lazy<F>(pub F);

impl<F, I> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// A target as the report's `target_text` and the diff's changed targets
/// give it: as written after the word `target` (`+15%`, `<= $9,000`), or
/// the whole form (`hold >= 95%`, `milestone`), in the canonical layout.
pub fn target_text(target: &Target) -> String {
    let text = target.to_string();
    match text.strip_prefix("target ") {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// A document as a command prints it: indented, with a final newline.
pub fn pretty(document: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_exact_where_they_can_be() {
        let number = |amount: Decimal| serde_json::to_value(Num(amount)).unwrap();
        assert_eq!(number(Decimal::new(3, 1)), json!(0.3));
        assert_eq!(number(Decimal::new(60_000, 0)), json!(60000));
        assert_eq!(number(Decimal::new(670, 4)), json!(0.067));
    }

    #[test]
    fn targets_read_as_written_after_the_word_target() {
        use crate::model::goals::{Band, Bound, Change, Direction, Goal, Move};
        use crate::model::quantity::Quantity;
        let percent = |text: &str| Quantity::percent(text.parse().unwrap());
        let relative = Target::Move(Move {
            direction: Direction::Increase,
            strict: false,
            goal: Goal::Relative {
                change: Change::Share(Decimal::new(15, 2)),
                over: None,
            },
        });
        let hold = Target::Hold(Band {
            min: Some(Bound {
                value: percent("0.95"),
                strict: false,
            }),
            max: None,
        });
        for (target, text) in [
            (
                Target::level(Direction::Increase, false, Quantity::count(60_000.into())),
                "60,000",
            ),
            (
                Target::level(Direction::Decrease, true, percent("0.02")),
                "< 2%",
            ),
            (relative, "+15%"),
            (hold, "hold >= 95%"),
            (Target::Milestone, "milestone"),
        ] {
            assert_eq!(target_text(&target), text);
        }
    }

    #[test]
    fn a_lazy_list_is_made_each_time_it_is_written() {
        let list = Lazy(|| (1..=3).map(|n| Num(Decimal::from(n))));
        assert_eq!(pretty(&list), pretty(&list));
        assert_eq!(serde_json::to_string(&list).unwrap(), "[1,2,3]");
    }
}
