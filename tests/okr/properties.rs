//! Property tests: no text makes the pipeline panic, numbers survive a
//! print-and-read round trip exactly, and scores of generated goals keep
//! their bounds. (Generated documents through `okr fmt`: `edit.rs`.)

use chrono::NaiveDate;
use okr::model::goals::{KeyResult, Reading, Target};
use okr::model::quantity::{group_thousands, parse_number, Unit};
use okr::score::{roll_up, score_team, KrScore, Status, TeamScore};
use okr::syntax::LineMemo;
use okr::workspace::Workspace;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Lines that look like `.okr`, recombined at random: closer to real mistakes
/// than uniform noise.
fn okr_like_line() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "period 2026-Q3",
        "team t \"T\"",
        "owner @a",
        "cadence 10d",
        "objective o \"O\"",
        "  kr a \"A\" target 5",
        "  kr b \"B\" target <= 2% baseline 3%",
        "    2026-08-01 3",
        "    2026-07-01 done",
        "  aligns t/o",
        "  aligns o.a",
        "funnel f",
        "  stage s \"S\"",
        "  stage u \"U\" conversion 50% value $10",
        "segment m \"M\" size 10",
        "  segment m",
        "  initiative \"I\" status active",
        "# comment",
        "",
        "\t",
        "  kr c \"C\" target $1.5k stage f.u",
        // Line endings: CRLF, and a stray carriage return before one.
        "  kr d \"D\" target 5\r",
        "team t \"T\"\r\r",
        "    2026-07-14 1 # c\r\r",
    ]);
    (pieces, "[ -~\t]{0,12}").prop_map(|(piece, noise)| format!("{piece}{noise}"))
}

/// Every line and error of a parse, spans included, as text to compare.
fn parsed<'t>(text: &'t str, memo: Option<&mut LineMemo<'t>>) -> String {
    let mut lines = Vec::new();
    let errors = okr::syntax::parse_with(0, text, memo, |line| lines.push(line));
    format!("{lines:?}\n{errors:?}")
}

/// `okr::model::quantity::MAX_MAGNITUDE`, a quintillion.
const LIMIT: i64 = 1_000_000_000_000_000_000;

proptest! {
    #[test]
    fn any_text_checks_without_panicking(text in "\\PC{0,200}") {
        let workspace = Workspace::from_texts([("a.okr", text.as_str())]);
        okr::check::check(&workspace, chrono::NaiveDate::from_ymd_opt(2026, 8, 15).unwrap(), &[]);
    }

    #[test]
    fn okr_like_text_checks_without_panicking(lines in prop::collection::vec(okr_like_line(), 0..40)) {
        let text = lines.join("\n");
        let other = "period 2026-Q3\nteam u\nobjective o \"O\"\n  aligns t/o\n";
        let workspace = Workspace::from_texts([("a.okr", text.as_str()), ("b.okr", other)]);
        let diagnostics = okr::check::check(&workspace, chrono::NaiveDate::from_ymd_opt(2026, 8, 15).unwrap(), &[]);
        for diagnostic in diagnostics {
            let file = &workspace.files[diagnostic.file];
            prop_assert!(diagnostic.span.end() <= file.text.len());
            prop_assert!(diagnostic.span.start() <= diagnostic.span.end());
        }
    }

    /// `okr diff` parses a file's second version copying the lines the first
    /// had: the result must be exactly a fresh parse, spans and errors included.
    #[test]
    fn lines_copied_from_another_version_are_the_lines_parsed_afresh(
        old in prop::collection::vec(okr_like_line(), 0..40),
        edits in prop::collection::vec((any::<prop::sample::Index>(), okr_like_line()), 0..8),
    ) {
        let mut new = old.clone();
        for (at, line) in edits {
            new.insert(at.index(new.len() + 1), line);
        }
        let (old, new) = (old.join("\n"), new.join("\n"));
        let mut memo = LineMemo::default();
        parsed(&old, Some(&mut memo));
        prop_assert_eq!(parsed(&new, Some(&mut memo)), parsed(&new, None));
    }

    #[test]
    fn grouped_numbers_read_back_exactly(mantissa in -LIMIT..=LIMIT, scale in 0u32..6) {
        let value = Decimal::new(mantissa, scale);
        prop_assert_eq!(parse_number(&group_thousands(value)), Ok(value.normalize()));
    }

    #[test]
    fn numbers_beyond_the_limit_are_refused(excess in 1i64..i64::MAX - LIMIT) {
        let value = Decimal::from(LIMIT) + Decimal::from(excess);
        prop_assert!(parse_number(&group_thousands(value)).is_err());
        prop_assert!(parse_number(&group_thousands(-value)).is_err());
    }
}

// ------------------------------------------------------------- scores --
//
// Key results of every kind (language version 2), their check-ins and the
// day they are looked at, generated; whatever they are, a score stays in
// [0, 1], a forecast is a number kept to what the KR can be or nothing, and
// a parent without KRs of its own scores the mean of its children.

/// The unit a generated KR is measured in.
#[derive(Clone, Copy, Debug)]
enum Measured {
    Count,
    Percent,
    Money,
}

/// A decimal from `min` to `max` with up to two places: `-3`, `12.5`, `0.07`.
fn decimal(min: i64, max: i64) -> impl Strategy<Value = Decimal> {
    (min * 100..=max * 100).prop_map(|hundredths| Decimal::new(hundredths, 2).normalize())
}

/// A quantity in `unit`, as written: `-3`, `12.5%`, `$1400`. Money is never
/// negative (`$-5` is no way to write a loss).
fn quantity(unit: Measured) -> BoxedStrategy<String> {
    match unit {
        Measured::Count => decimal(-50, 5_000)
            .prop_map(|value| value.to_string())
            .boxed(),
        Measured::Percent => decimal(-20, 150)
            .prop_map(|value| format!("{value}%"))
            .boxed(),
        Measured::Money => decimal(0, 90_000)
            .prop_map(|value| format!("${value}"))
            .boxed(),
    }
}

/// What a generated KR asks for, as written after its title.
fn target(unit: Measured) -> BoxedStrategy<String> {
    let level = (
        prop::sample::select(vec!["", ">= ", "> ", "<= ", "< "]),
        quantity(unit),
    )
        .prop_map(|(comparison, quantity)| {
            // A sign right after `target` would make it relative.
            let comparison = if comparison.is_empty() && quantity.starts_with('-') {
                ">= "
            } else {
                comparison
            };
            format!("target {comparison}{quantity}")
        });
    let mut changes = vec![
        (any::<bool>(), decimal(0, 300))
            .prop_map(|(up, share)| format!("{}{share}%", if up { "+" } else { "-" }))
            .boxed(),
        decimal(0, 5)
            .prop_filter("a factor above 0", |factor| !factor.is_zero())
            .prop_map(|factor| format!("x{factor}"))
            .boxed(),
    ];
    if let Measured::Percent = unit {
        changes.push(
            (any::<bool>(), decimal(0, 40))
                .prop_map(|(up, points)| format!("{}{points}pp", if up { "+" } else { "-" }))
                .boxed(),
        );
    }
    let relative = (
        prop::strategy::Union::new(changes),
        prop::option::of(quantity(unit)),
    )
        .prop_map(|(change, over)| match over {
            Some(over) => format!("target {change} over {over}"),
            None => format!("target {change}"),
        });
    let hold = prop_oneof![
        (
            prop::sample::select(vec![">=", ">", "<=", "<"]),
            quantity(unit)
        )
            .prop_map(|(comparison, quantity)| format!("hold {comparison} {quantity}")),
        (quantity(unit), quantity(unit)).prop_map(move |(a, b)| {
            let number = |text: &str| {
                Decimal::from_str_exact(text.trim_start_matches('$').trim_end_matches('%')).unwrap()
            };
            let (low, high) = if number(&a) <= number(&b) {
                (a, b)
            } else {
                (b, a)
            };
            format!("hold {low}..{high}")
        }),
    ];
    prop_oneof![
        3 => level,
        3 => relative,
        2 => hold,
        1 => Just("milestone".to_string()),
    ]
    .boxed()
}

/// A generated KR, indented under objective `o`: its line and attribute
/// lines, check-ins and perhaps a grade.
fn key_result(id: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        Just(Measured::Count),
        Just(Measured::Percent),
        Just(Measured::Money)
    ]
    .prop_flat_map(move |unit| {
        let baseline = prop_oneof![
            Just(None),
            Just(Some("baseline unknown".to_string())),
            quantity(unit).prop_map(|quantity| Some(format!("baseline {quantity}"))),
        ];
        let reading = prop_oneof![
            3 => quantity(unit),
            1 => prop::sample::select(vec!["done", "pending"]).prop_map(String::from),
            1 => (0u32..=100).prop_map(|share| format!("{share}%")),
        ];
        (
            target(unit),
            baseline,
            prop::option::of(1u32..5),
            prop::option::of(0i64..92),
            // Days after 2026-07-01: check-ins up to 14 days past the period.
            prop::collection::btree_map(0i64..105, reading, 0..6),
            prop::option::of(0u32..200),
        )
            .prop_map(move |(target, baseline, weight, due, checkins, grade)| {
                let start = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
                let day = |offset: i64| start + chrono::Duration::days(offset);
                let mut text = format!("  kr k{id} \"K{id}\" {target}\n");
                for attribute in [
                    baseline,
                    weight.map(|weight| format!("weight {weight}")),
                    due.map(|due| format!("due {}", day(due))),
                ]
                .into_iter()
                .flatten()
                {
                    text.push_str(&format!("    {attribute}\n"));
                }
                for (offset, reading) in checkins {
                    text.push_str(&format!("    {} {reading}\n", day(offset)));
                }
                if let Some(grade) = grade {
                    text.push_str(&format!("    grade {grade}%\n"));
                }
                text
            })
    })
}

/// An objective `id` with `krs` generated KRs, perhaps graded, perhaps
/// aligned to parents.
fn objective(
    id: String,
    aligns: Vec<String>,
    krs: std::ops::Range<usize>,
) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(key_result(0), krs),
        prop::option::of(0u32..150),
        any::<bool>(),
    )
        .prop_map(move |(krs, grade, committed)| {
            let mut text = format!("objective {id} \"{id}\"\n");
            if !aligns.is_empty() {
                text.push_str(&format!("  aligns {}\n", aligns.join(", ")));
            }
            if committed {
                text.push_str("  type committed\n");
            }
            if let Some(grade) = grade {
                text.push_str(&format!("  grade {grade}%\n"));
            }
            for (at, kr) in krs.iter().enumerate() {
                // Each KR was generated as `k0`; number them.
                text.push_str(&kr.replacen("kr k0 \"K0\"", &format!("kr k{at} \"K{at}\""), 1));
            }
            text
        })
}

/// A day to look at the goals from: before, during or after 2026-Q3.
fn today() -> impl Strategy<Value = NaiveDate> {
    (-10i64..125).prop_map(|offset| {
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap() + chrono::Duration::days(offset)
    })
}

/// Up to six child objectives, `c0`, `c2`, … in team `a`'s file and `c1`,
/// `c3`, … in team `b`'s, each aligned to some of `company/p`, `company/q`
/// (perhaps to none, perhaps twice to `p`) and, but for `c0`, `a/c0`: so
/// `c0` may be a parent too. Children have up to 3 KRs (`c0` perhaps none):
/// the parents (their refs) of each, and its text.
fn family() -> impl Strategy<Value = Vec<(Vec<&'static str>, String)>> {
    prop::collection::vec(
        prop::sample::subsequence(vec!["company/p", "company/q", "company/p", "a/c0"], 0..=4),
        1..7,
    )
    .prop_flat_map(|parents| {
        parents
            .into_iter()
            .enumerate()
            .map(|(at, mut aligns)| {
                if at == 0 {
                    aligns.retain(|parent| *parent != "a/c0");
                }
                let krs = if at == 0 { 0..4 } else { 1..4 };
                let refs = aligns.iter().map(ToString::to_string).collect();
                (Just(aligns), objective(format!("c{at}"), refs, krs))
            })
            .collect::<Vec<_>>()
    })
}

const HEADER: &str = "period 2026-Q3\nowner @a\n";

/// Scores every file of a workspace as of `today`, parents rolled up.
fn scores(workspace: &Workspace, today: NaiveDate) -> Vec<Option<TeamScore>> {
    let mut scores: Vec<Option<TeamScore>> = workspace
        .goals
        .iter()
        .map(|goals| score_team(goals, today))
        .collect();
    roll_up(&workspace.goals, &mut scores, today);
    scores
}

/// The generators write only what the grammar reads.
fn read_whole(workspace: &Workspace) -> Result<(), TestCaseError> {
    let syntax: Vec<&str> = workspace
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == okr::diagnostic::Code::Syntax)
        .map(|diagnostic| diagnostic.message.as_str())
        .collect();
    prop_assert!(syntax.is_empty(), "{:?}", syntax);
    Ok(())
}

/// The readings of a KR on or before `today`.
fn values(kr: &KeyResult, today: NaiveDate) -> Vec<Decimal> {
    kr.checkins
        .iter()
        .filter(|checkin| checkin.date.value <= today)
        .filter_map(|checkin| match &checkin.reading.value {
            Reading::Value(value) => Some(value.amount),
            _ => None,
        })
        .collect()
}

fn unit_interval(value: Decimal) -> bool {
    (Decimal::ZERO..=Decimal::ONE).contains(&value)
}

/// Everything that must hold of one KR's score, whatever the KR.
fn kr_invariants(kr: &KeyResult, scored: &KrScore, today: NaiveDate) -> Result<(), TestCaseError> {
    let ended = today > NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    prop_assert!(unit_interval(scored.score), "score {}", scored.score);
    prop_assert!(unit_interval(scored.computed_score));
    if scored.graded.is_none() {
        prop_assert_eq!(scored.score, scored.computed_score);
        if scored.status == Status::Done {
            prop_assert_eq!(scored.score, Decimal::ONE, "done below 100%");
        }
    }
    prop_assert!(scored.expected.is_none_or(unit_interval));
    if let Some((held, all)) = scored.held {
        prop_assert!(held <= all);
    }
    if scored.stale {
        prop_assert!(scored.status != Status::OnTrack, "stale and green");
    }
    if ended {
        prop_assert!(matches!(scored.status, Status::Done | Status::Missed));
    }
    let Some(forecast) = scored.forecast else {
        return Ok(());
    };
    prop_assert!(!ended, "a forecast after the period");
    prop_assert!(
        matches!(kr.target.value, Target::Move(_)),
        "a forecast of a hold or a milestone"
    );
    prop_assert!(forecast.scale() <= 6, "forecast {forecast}");
    let values = values(kr, today);
    if values.iter().all(|value| *value >= Decimal::ZERO) {
        prop_assert!(forecast >= Decimal::ZERO, "forecast {forecast} below 0");
    }
    let share = scored.target.is_some_and(|target| target <= Decimal::ONE)
        && values.iter().all(|value| *value <= Decimal::ONE);
    if kr.unit() == Some(Unit::Percent) && share {
        prop_assert!(unit_interval(forecast), "forecast {forecast} beyond 100%");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn scores_stay_in_bounds_and_forecasts_are_numbers(
        objective in objective("o".into(), Vec::new(), 1..4),
        today in today(),
    ) {
        let text = format!("{HEADER}team t\n{objective}");
        let workspace = Workspace::from_texts([("t.okr", text.as_str())]);
        read_whole(&workspace)?;
        let goals = &workspace.goals[0];
        prop_assert_eq!(goals.objectives.len(), 1, "{}", text);
        let team = score_team(goals, today).unwrap();
        let scored = &team.objectives[0];
        prop_assert!(unit_interval(team.score));
        prop_assert!(unit_interval(scored.score));
        prop_assert!(unit_interval(scored.computed_score));
        for (kr, kr_scored) in goals.objectives[0].key_results.iter().zip(&scored.key_results) {
            kr_invariants(kr, kr_scored, today)?;
        }
        // Done while the period runs: every KR done (grades aside).
        let graded = scored.graded.is_some() || scored.key_results.iter().any(|kr| kr.graded.is_some());
        let running = today <= NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        if scored.status == Status::Done && running && !graded {
            prop_assert!(scored.key_results.iter().all(|kr| kr.status == Status::Done), "{}", text);
        }
    }

    /// Company objectives `p` and `q` have no KRs, nor may child `c0`; the
    /// children aligned to them, in two team files, have generated KRs and
    /// grades. An objective without KRs of its own scores the mean of its
    /// children's scores (each child once, however often it names the
    /// parent; recursively, as `c0` may be a child and a parent), its
    /// computed score the mean of theirs, and a grade replaces the score;
    /// without children it scores 0.
    #[test]
    fn a_parent_without_krs_is_the_mean_of_its_children(
        family in family(),
        today in today(),
    ) {
        let file = |team: &str, parity: usize| {
            let objectives: String = family
                .iter()
                .skip(parity)
                .step_by(2)
                .map(|(_, text)| text.as_str())
                .collect();
            format!("{HEADER}team {team}\n{objectives}")
        };
        let company = format!("{HEADER}team company\nobjective p \"P\"\nobjective q \"Q\"\n");
        let (first, second) = (file("a", 0), file("b", 1));
        let workspace = Workspace::from_texts([
            ("company.okr", company.as_str()),
            ("a.okr", first.as_str()),
            ("b.okr", second.as_str()),
        ]);
        read_whole(&workspace)?;
        let scores = scores(&workspace, today);
        // Every objective: its ref, its parents, its model and its score.
        let mut all = Vec::new();
        for (goals, team) in workspace.goals.iter().zip(&scores) {
            let team = team.as_ref().unwrap();
            prop_assert!(unit_interval(team.score));
            for (objective, scored) in goals.objectives.iter().zip(&team.objectives) {
                let reference = format!("{}/{}", goals.team_id().unwrap(), objective.id.value);
                let parents: Vec<String> = objective.aligns.iter().map(|parent| parent.value.to_string()).collect();
                all.push((reference, parents, objective, scored));
            }
        }
        let close = |a: Decimal, b: Decimal| (a - b).abs() < Decimal::new(1, 20);
        for (reference, _, objective, scored) in &all {
            prop_assert!(unit_interval(scored.score) && unit_interval(scored.computed_score));
            if !objective.key_results.is_empty() {
                continue;
            }
            let kids: Vec<_> = all
                .iter()
                .filter(|(_, parents, _, _)| parents.contains(reference))
                .map(|(_, _, _, kid)| *kid)
                .collect();
            let grade = objective.grade.as_ref().map(|grade| grade.value.value.min(Decimal::ONE));
            if kids.is_empty() {
                prop_assert_eq!(scored.score, grade.unwrap_or(Decimal::ZERO), "{}", reference);
                prop_assert!(!scored.rolled_up);
                continue;
            }
            let count = Decimal::from(kids.len());
            let mean = kids.iter().map(|kid| kid.score).sum::<Decimal>() / count;
            let computed = kids.iter().map(|kid| kid.computed_score).sum::<Decimal>() / count;
            prop_assert!(scored.rolled_up);
            let expected = grade.unwrap_or(mean);
            prop_assert!(close(scored.score, expected), "{}: {} is not {}", reference, scored.score, expected);
            prop_assert!(close(scored.computed_score, computed), "{}: computed {} is not {}", reference, scored.computed_score, computed);
        }
    }
}
