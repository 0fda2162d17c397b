//! Property tests of the goal merge on generated goal files (comments,
//! attribute lines, two- or four-space indentation, LF or CRLF): a merge
//! where a side changed nothing gives the other side byte for byte, and
//! two branches that each add check-ins merge into the file `okr checkin`
//! makes by adding both sets.

use chrono::{Duration, NaiveDate};
use okr::edit::checkin::{plan, Request};
use okr::merge::{merge, DEFAULT_MARKER_SIZE};
use okr::workspace::Workspace;
use proptest::prelude::*;

/// A KR of the generated file: its objective and own index, whether it has
/// an `owner` line, how many check-ins it starts with, a comment after it.
#[derive(Clone, Debug)]
struct Kr {
    owner_line: bool,
    checkins: usize,
    comment: bool,
}

/// A generated file's shape.
#[derive(Clone, Debug)]
struct Shape {
    crlf: bool,
    step: usize,
    objectives: Vec<(bool, Vec<Kr>)>,
}

fn shape() -> impl Strategy<Value = Shape> {
    let kr =
        (any::<bool>(), 0..3usize, any::<bool>()).prop_map(|(owner_line, checkins, comment)| Kr {
            owner_line,
            checkins,
            comment,
        });
    let objective = (any::<bool>(), prop::collection::vec(kr, 1..4));
    (
        any::<bool>(),
        prop::sample::select(vec![2usize, 4]),
        prop::collection::vec(objective, 1..4),
    )
        .prop_map(|(crlf, step, objectives)| Shape {
            crlf,
            step,
            objectives,
        })
}

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 1).expect("a date") + Duration::days(offset)
}

/// The file of `shape`; its check-ins are dated in the first days of July.
fn text_of(shape: &Shape) -> String {
    let eol = if shape.crlf { "\r\n" } else { "\n" };
    let (one, two) = (" ".repeat(shape.step), " ".repeat(shape.step * 2));
    let mut text = format!("# generated{eol}period 2026-Q3{eol}team m \"M\"{eol}{eol}");
    for (o, (comment, krs)) in shape.objectives.iter().enumerate() {
        if *comment {
            text.push_str(&format!("# about o{o}{eol}"));
        }
        text.push_str(&format!("objective o{o} \"O {o}\"{eol}"));
        for (k, kr) in krs.iter().enumerate() {
            text.push_str(&format!("{one}kr k{k} \"K {k}\" target 100,000{eol}"));
            if kr.owner_line {
                text.push_str(&format!("{two}owner @sam{eol}"));
            }
            for c in 0..kr.checkins {
                let offset = i64::try_from(c).expect("small");
                text.push_str(&format!("{two}{} {}{eol}", day(offset), 10 * (c + 1)));
            }
            if kr.comment {
                text.push_str(&format!("{two}# kept{eol}"));
            }
        }
        text.push_str(eol);
    }
    text
}

/// A check-in to add: which KR (an index into all KRs), on which day after
/// the 10th of July, its value, and which branch adds it (0 ours, 1
/// theirs, 2 both).
type Addition = (usize, i64, u32, u8);

/// `text` with `additions` checked in by `okr checkin`'s planner, in date order.
fn checked_in(text: &str, refs: &[String], additions: &[Addition]) -> String {
    let mut sorted = additions.to_vec();
    sorted.sort_by_key(|&(kr, offset, _, _)| (offset, kr));
    let mut text = text.to_string();
    for (kr, offset, value, _) in sorted {
        let request = Request {
            reference: refs[kr].clone(),
            value: value.to_string(),
            date: day(10 + offset),
            confidence: None,
            note: (value % 3 == 0).then(|| "a note".to_string()),
            by: None,
        };
        let workspace = Workspace::from_texts([("m.okr", text.as_str())]);
        text = plan(&workspace, &request)
            .expect("a check-in the generator made valid")
            .text;
    }
    text
}

/// Every KR's reference, in file order.
fn references(shape: &Shape) -> Vec<String> {
    let mut refs = Vec::new();
    for (o, (_, krs)) in shape.objectives.iter().enumerate() {
        for k in 0..krs.len() {
            refs.push(format!("m/o{o}.k{k}"));
        }
    }
    refs
}

/// A shape and check-ins for its KRs, one per KR and day at most.
fn scenario() -> impl Strategy<Value = (Shape, Vec<Addition>)> {
    shape().prop_flat_map(|shape| {
        let krs = references(&shape).len();
        let addition = (0..krs, 0..60i64, 0..100_000u32, 0..3u8);
        (
            Just(shape),
            prop::collection::vec(addition, 0..12).prop_map(|mut additions| {
                additions.sort_by_key(|&(kr, offset, _, _)| (kr, offset));
                additions.dedup_by_key(|&mut (kr, offset, _, _)| (kr, offset));
                additions
            }),
        )
    })
}

fn merged(base: &str, ours: &str, theirs: &str) -> (String, bool, bool) {
    let merged = merge(
        base.as_bytes(),
        ours.as_bytes(),
        theirs.as_bytes(),
        DEFAULT_MARKER_SIZE,
    );
    (
        String::from_utf8(merged.bytes.clone()).expect("UTF-8 in, UTF-8 out"),
        merged.is_clean(),
        merged.fallback.is_none(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A side that changed nothing gives way to the other, byte for byte.
    #[test]
    fn an_unchanged_side_gives_the_other_byte_for_byte((shape, additions) in scenario()) {
        let base = text_of(&shape);
        let changed = checked_in(&base, &references(&shape), &additions);
        for text in [&base, &changed] {
            prop_assert_eq!(merged(text, text, text), (text.clone(), true, true));
        }
        prop_assert_eq!(merged(&base, &changed, &base), (changed.clone(), true, true));
        prop_assert_eq!(merged(&base, &base, &changed), (changed.clone(), true, true));
    }

    /// Two branches that each add check-ins (some the same one) merge into
    /// what adding both sets gives, whichever side is ours.
    #[test]
    fn both_branches_checkins_merge_as_if_added_in_turn((shape, additions) in scenario()) {
        let base = text_of(&shape);
        let refs = references(&shape);
        let side = |which: u8| -> Vec<Addition> {
            additions.iter().copied().filter(|&(_, _, _, by)| by == which || by == 2).collect()
        };
        let ours = checked_in(&base, &refs, &side(0));
        let theirs = checked_in(&base, &refs, &side(1));
        let both = checked_in(&base, &refs, &additions);
        prop_assert_eq!(merged(&base, &ours, &theirs), (both.clone(), true, true));
        prop_assert_eq!(merged(&base, &theirs, &ours), (both, true, true));
    }
}
