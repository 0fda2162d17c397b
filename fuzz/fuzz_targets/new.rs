//! `okr new` on any goals text: the file scaffolded into the next period by
//! the library's `scaffold`. The next period is the one after the file's, of
//! the same kind (`2026-Q3` → `2026-Q4`, `2026-H2` → `2027-H1`, `2026` →
//! `2027`, a range → the range of as many days right after it); a form feed
//! may end the text with a period label to ask for instead, as `okr new
//! PERIOD` does.
//!
//! Never a panic; a refusal is a value, and a period that does not start
//! after the old one ends is always refused. A scaffold parses, names the period asked for, which is
//! after the old one when it is the next; it carries the objectives it says it
//! carries, in order, and has no check-in left.
#![no_main]

use chrono::{Datelike, Duration};
use libfuzzer_sys::fuzz_target;
use okr::edit::new_period::{scaffold, NewError};
use okr::model::period::Period;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (text, asked) = match input.rsplit_once('\u{c}') {
        Some((text, label)) => (text, Some(label)),
        None => (input, None),
    };
    let parsed = okr::edit::parse(text);
    let old = parsed.goals.period.as_ref().map(|p| p.value.clone());
    let (period, next) = match (asked, &old) {
        (Some(label), _) => match Period::parse(label.trim()) {
            Ok(period) => (period, false),
            Err(_) => return,
        },
        (None, Some(old)) => match next_period(old) {
            Some(period) => (period, true),
            None => return,
        },
        (None, None) => (Period::parse("2026-Q4").unwrap(), false),
    };

    let made = match scaffold(text, &period) {
        Ok(made) => made,
        Err(NewError::Internal) => panic!("the scaffold of {text:?} for {period} does not parse"),
        Err(NewError::NotAfter(_)) => {
            let old = old.expect("a refusal by period needs an old period");
            assert!(period.start <= old.end, "{period} was refused but starts after {old}");
            return;
        }
        Err(NewError::Syntax(_)) => {
            assert!(parsed.has_syntax_errors(), "a text that parses was refused");
            return;
        }
        Err(NewError::NoPeriod) => {
            assert!(old.is_none(), "a text with a period was refused as having none");
            return;
        }
    };
    let old = old.expect("a scaffold needs an old period");
    assert!(!parsed.has_syntax_errors(), "a text that does not parse was scaffolded");
    assert!(period.start > old.end, "{period} does not start after {old} but was scaffolded");
    if next {
        assert!(period.start > old.end, "{period} is not after {old}");
    }

    let again = okr::edit::parse(&made.text);
    assert!(
        !again.has_syntax_errors(),
        "the scaffold does not parse: {:?}",
        made.text
    );
    assert_eq!(again.goals.period.as_ref().map(|p| &p.value), Some(&period));
    let ids: Vec<&str> = again.goals.objectives.iter().map(|o| o.id.value.as_str()).collect();
    assert_eq!(ids, made.carried, "the scaffold carries other objectives: {:?}", made.text);
    let old_ids: Vec<&str> = parsed.goals.objectives.iter().map(|o| o.id.value.as_str()).collect();
    let mut both: Vec<&str> = made.carried.iter().chain(&made.done).map(String::as_str).collect();
    let mut all = old_ids.clone();
    both.sort_unstable();
    all.sort_unstable();
    assert_eq!(both, all, "objectives neither carried nor done");
    assert!(
        again
            .goals
            .objectives
            .iter()
            .flat_map(|o| &o.key_results)
            .all(|kr| kr.checkins.is_empty()),
        "a check-in was carried over: {:?}",
        made.text
    );
});

/// The period right after `old`, of the same kind.
fn next_period(old: &Period) -> Option<Period> {
    let label = old.label.as_str();
    let year: Option<i32> = label.get(..4).and_then(|year| year.parse().ok());
    let next = match (year, label.get(4..)) {
        (Some(year), Some("-Q1")) => format!("{year:04}-Q2"),
        (Some(year), Some("-Q2")) => format!("{year:04}-Q3"),
        (Some(year), Some("-Q3")) => format!("{year:04}-Q4"),
        (Some(year), Some("-Q4")) => format!("{:04}-Q1", year + 1),
        (Some(year), Some("-H1")) => format!("{year:04}-H2"),
        (Some(year), Some("-H2")) => format!("{:04}-H1", year + 1),
        (Some(year), Some("")) => format!("{:04}", year + 1),
        _ => {
            let start = old.end.succ_opt()?;
            let end = start.checked_add_signed(Duration::days(old.days() - 1))?;
            if !(0..=9999).contains(&end.year()) {
                return None;
            }
            format!("{start}..{end}")
        }
    };
    Period::parse(&next).ok()
}
