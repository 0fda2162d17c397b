//! Stage 4, output: the public JSON documents, declared once as typed
//! structs for every producer (the CLI, a language server, tests). Keys are
//! written in field order; each document's keys are those of SPEC §5–§7
//! (`docs/language.md`), which consumers rely on: add, never rename.
//!
//! - [`check`]: `okr check --format json`, and the diagnostic entry the report shares;
//! - [`report`]: `okr report --format json`, also the context the templates read;
//! - [`diff`]: `okr diff --format json`, and the change entry the log shares;
//! - [`log`]: `okr log REFERENCE --format json`.
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

/// The `version` of every document: 2 since language version 2 (SPEC §8),
/// whose keys (`owners`, `aligns` as a list, `band`, `children`, …) and
/// values (`hold`, a target written as text in a diff) a version 1 reader
/// does not know.
pub const VERSION: u32 = 2;

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
    fn a_lazy_list_is_made_each_time_it_is_written() {
        let list = Lazy(|| (1..=3).map(|n| Num(Decimal::from(n))));
        assert_eq!(pretty(&list), pretty(&list));
        assert_eq!(serde_json::to_string(&list).unwrap(), "[1,2,3]");
    }
}
