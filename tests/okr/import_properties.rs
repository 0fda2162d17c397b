//! Property: importing an export gives back the goals exported. Goals are
//! generated (titles with quotes, backslashes, `#`, formula starts; every
//! kind of target; at most one check-in per KR, which is what an export
//! keeps), exported as CSV, imported with the `okr` preset, and exported
//! again: every row, numbers and scores included, is the same.

use okr::import::values::string_literal;
use okr::import::{import, Mapping, Settings};
use okr::workspace::Workspace;
use proptest::prelude::*;

const TODAY: &str = "2026-08-15";

fn title() -> impl Strategy<Value = String> {
    prop::collection::vec("[A-Za-z=+@#\"\\\\,;é-]{1,6}", 1..4).prop_map(|words| words.join(" "))
}

/// A KR's target and baseline, and a reading in its unit.
fn target() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        (1u32..100_000, 0u32..1000)
            .prop_map(|(t, b)| (format!("target {t} baseline {b}"), format!("{}", b + 1))),
        (1u32..100, 0u32..100)
            .prop_map(|(t, b)| (format!("target {t}% baseline {b}.5%"), format!("{t}.25%"))),
        (1u32..10_000, 1u32..10_000)
            .prop_map(|(t, b)| (format!("target <= €{t} baseline €{b}"), format!("€{b}"))),
        (1u32..99).prop_map(|t| (format!("hold >= {t}%"), format!("{}%", t + 1))),
        Just(("milestone".to_string(), "40%".to_string())),
        (1u32..50).prop_map(|t| (
            format!("target +{t}% baseline 800 visits"),
            "850 visits".to_string()
        )),
    ]
}

fn goals() -> impl Strategy<Value = String> {
    let kr = (
        title(),
        target(),
        any::<bool>(),
        prop::option::of(1u32..=100),
    );
    let objective = (title(), prop::collection::vec(kr, 1..4));
    prop::collection::vec(objective, 1..4).prop_map(|objectives| {
        let mut text = String::from("period 2026-Q3\nteam growth\nowner @dana\n");
        for (o, (title, krs)) in objectives.iter().enumerate() {
            text.push_str(&format!("\nobjective o{o} {}\n", string_literal(title)));
            for (k, (title, (target, reading), checked, confidence)) in krs.iter().enumerate() {
                text.push_str(&format!("  kr k{k} {} {target}\n", string_literal(title)));
                if *checked {
                    let confidence = confidence
                        .map(|c| format!(" confidence {c}%"))
                        .unwrap_or_default();
                    text.push_str(&format!("    2026-08-01 {reading}{confidence}\n"));
                }
            }
        }
        text
    })
}

fn export(workspace: &Workspace) -> (Vec<Vec<okr::export::Value>>, Vec<u8>) {
    let today = okr::model::period::parse_date(TODAY).unwrap();
    let rows = okr::export::rows(workspace, today);
    let mut csv = Vec::new();
    okr::export::write_csv(&rows, &mut csv).unwrap();
    (rows, csv)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn import_of_an_export_is_the_original(text in goals()) {
        let original = Workspace::from_texts([("growth.okr", text.as_str())]);
        prop_assert!(original.diagnostics.is_empty(), "{text}\n{:?}", original.diagnostics);
        let (rows, csv) = export(&original);
        let table = okr::import::table::read(&csv, None).unwrap();
        let mapping = Mapping::preset("okr").unwrap();
        let settings = Settings {
            mapping: &mapping,
            period: None,
            today: okr::model::period::parse_date(TODAY).unwrap(),
            team: "team".into(),
        };
        let imported = import(&table, &settings).unwrap();
        prop_assert!(imported.problems.is_empty(), "{:?}", imported.problems);
        let texts: Vec<(String, String)> = imported.files.iter().map(|f| (f.name.clone(), f.text.clone())).collect();
        let again = Workspace::from_texts(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())));
        prop_assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
        let (rows_again, _) = export(&again);
        prop_assert_eq!(rows, rows_again, "{}\n---\n{}", text, texts[0].1);
    }
}

fn any_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\PC\\n\\r\\t\"\\\\#=@ ]{0,24}",
        Just("99999999999999999999999999".to_string()),
        Just("1e400".to_string()),
        Just("<= <= 5".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever the cells hold, every file made reads without a syntax
    /// error, and each title reads back as the cell's text on one line.
    #[test]
    fn any_cells_make_valid_files_or_row_problems(
        rows in prop::collection::vec((any_cell(), any_cell(), any_cell(), any_cell()), 1..6),
    ) {
        use okr::import::table::{Row, Table};
        use okr::import::values::Cell;
        let table = Table {
            headers: ["Objective", "Key Result", "Target", "Current"].map(String::from).to_vec(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(at, (o, k, t, c))| Row {
                    number: at + 2,
                    cells: [o, k, t, c].map(|text| Cell::text(text.as_str())).to_vec(),
                })
                .collect(),
        };
        let mapping = Mapping::preset("spreadsheet").unwrap();
        let settings = Settings {
            mapping: &mapping,
            period: okr::model::period::Period::parse("2026-Q3").ok(),
            today: okr::model::period::parse_date(TODAY).unwrap(),
            team: "team".into(),
        };
        let imported = import(&table, &settings).unwrap();
        for file in &imported.files {
            let workspace = Workspace::from_texts([(file.name.as_str(), file.text.as_str())]);
            prop_assert!(workspace.diagnostics.is_empty(), "{}\n{:?}", file.text, workspace.diagnostics);
            for objective in &workspace.goals[0].objectives {
                let cell = rows.iter().map(|r| &r.0).find(|cell| {
                    string_literal(cell) == string_literal(&objective.title.value)
                });
                prop_assert!(cell.is_some(), "{:?} is no cell's title", objective.title.value);
                prop_assert!(!objective.title.value.contains(['\n', '\r']));
            }
        }
        // No row is lost unsaid: each that names an objective has it
        // imported, or is reported.
        let titles: Vec<String> = imported
            .files
            .iter()
            .flat_map(|file| Workspace::from_texts([(file.name.as_str(), file.text.as_str())]).goals)
            .flat_map(|goals| goals.objectives)
            .map(|objective| string_literal(&objective.title.value))
            .collect();
        for (at, (objective, ..)) in rows.iter().enumerate() {
            let literal = string_literal(objective);
            let reported = imported.problems.iter().any(|problem| problem.row == at + 2);
            prop_assert!(
                literal == "\"\"" || reported || titles.contains(&literal),
                "row {} ({objective:?}) was neither imported nor reported: {:?}",
                at + 2,
                imported.problems
            );
        }
    }
}
