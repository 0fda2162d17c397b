//! Property tests: no text makes the pipeline panic, and numbers survive a
//! print-and-read round trip exactly.

use okr::model::quantity::{group_thousands, parse_number};
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
