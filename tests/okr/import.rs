//! `okr import`, `okr export` and `okr checkin --from` on the fixtures under
//! `tests/fixtures/import/`: one per preset (odd layouts included), every
//! kind of bad row, hostile cells, the round trip, and the all-or-nothing
//! bulk check-in.

use crate::common::{Test, TODAY};
use std::path::Path;

const DIR: &str = "tests/fixtures/import";

fn import(args: &[&str], status: i32) -> (String, String) {
    let mut all = vec!["import", "--today", TODAY];
    all.extend(args);
    let (code, out, err) = crate::common::run(&all);
    assert_eq!(code, status, "okr {all:?}\n{out}\n{err}");
    (out, err)
}

/// The files written, as one text, with the problems and diagnostics.
fn snapshot_of(stdout: &str, stderr: &str) -> String {
    format!("{stdout}\n---- stderr\n{stderr}")
}

#[test]
fn spreadsheet_with_bom_semicolons_decimal_commas_and_serial_dates() {
    let (out, err) = import(
        &[
            &format!("{DIR}/spreadsheet.csv"),
            "--map",
            &format!("{DIR}/semicolon.toml"),
            "--period",
            "2026-Q3",
        ],
        1,
    );
    insta::assert_snapshot!("import-spreadsheet", snapshot_of(&out, &err));
    assert!(err.contains("error[okr::import::bad-number]: column `Target`"));
}

#[test]
fn viva_goals_rows_linked_by_reference() {
    let (out, err) = import(
        &[&format!("{DIR}/viva-goals.csv"), "--preset", "viva-goals"],
        1,
    );
    insta::assert_snapshot!("import-viva-goals", snapshot_of(&out, &err));
    assert!(
        out.contains("aligns company/be-the-platform-teams-choose"),
        "{out}"
    );
    for code in ["unknown-parent", "duplicate-id"] {
        assert!(
            err.contains(&format!("okr::import::{code}")),
            "{code}: {err}"
        );
    }
}

#[test]
fn okr_tracker_csv() {
    let (out, err) = import(
        &[
            &format!("{DIR}/okr-tracker.csv"),
            "--preset",
            "okr-tracker",
            "--map",
            "/dev/null",
        ],
        2,
    );
    assert!(err.contains("cannot be used with"), "{out}{err}");
    let (out, err) = import(
        &[&format!("{DIR}/okr-tracker.csv"), "--preset", "okr-tracker"],
        0,
    );
    insta::assert_snapshot!("import-okr-tracker", snapshot_of(&out, &err));
}

/// An XLSX workbook in the `burningokr` preset's layout, made here: merged objective
/// cells, percents stored as fractions, an Excel date, a blank row.
#[test]
fn burningokr_xlsx_with_merged_cells() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("burning.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    write_header(
        sheet,
        &[
            "Department",
            "Objective",
            "Parent objective",
            "Key result",
            "Start value",
            "Target value",
            "Current value",
            "Unit",
        ],
    );
    sheet
        .merge_range(1, 1, 2, 1, "Ship a product people love", &Format::new())
        .unwrap();
    sheet
        .merge_range(1, 0, 2, 0, "Product", &Format::new())
        .unwrap();
    sheet.write_string(1, 3, "Weekly active users").unwrap();
    sheet.write_number(1, 4, 1200.0).unwrap();
    sheet.write_number(1, 5, 2000.0).unwrap();
    sheet.write_number(1, 6, 1500.0).unwrap();
    sheet.write_string(2, 3, "Retention after 30 days").unwrap();
    sheet.write_number(2, 4, 0.25).unwrap();
    sheet.write_number(2, 5, 0.4).unwrap();
    sheet.write_number(2, 6, 0.3).unwrap();
    sheet.write_string(2, 7, "%").unwrap();
    // Row 4 stays blank.
    sheet.write_string(4, 0, "Sales").unwrap();
    sheet.write_string(4, 1, "Close bigger deals").unwrap();
    sheet.write_string(4, 3, "Average deal").unwrap();
    sheet.write_string(4, 4, "USD 10,000").unwrap();
    sheet.write_string(4, 5, "$15,000").unwrap();
    sheet.write_string(4, 6, "twelve").unwrap();
    workbook.save(&path).unwrap();
    let (out, err) = import(
        &[
            path.to_str().unwrap(),
            "--preset",
            "burningokr",
            "--period",
            "2026-Q3",
        ],
        1,
    );
    let err = err.replace(path.to_str().unwrap(), "burning.xlsx");
    insta::assert_snapshot!("import-burningokr", snapshot_of(&out, &err));
    assert!(
        out.contains(
            "kr retention-after-30-days \"Retention after 30 days\" target 40% baseline 25%"
        ),
        "{out}"
    );
    assert!(
        err.contains("burning.xlsx:5: error[okr::import::bad-number]: column `Current value`"),
        "{err}"
    );
}

#[test]
fn hostile_cells_make_valid_files_or_row_errors() {
    let (out, err) = import(&[&format!("{DIR}/hostile.csv"), "--period", "2026-Q3"], 1);
    insta::assert_snapshot!("import-hostile", snapshot_of(&out, &err));
    assert!(
        !out.contains('\u{1b}') && !err.contains('\u{1b}'),
        "an escape reached the output"
    );
    // What was printed reads back: every file checks without a syntax error.
    let dir = tempfile::tempdir().unwrap();
    import(
        &[
            &format!("{DIR}/hostile.csv"),
            "--period",
            "2026-Q3",
            "-o",
            dir.path().to_str().unwrap(),
        ],
        1,
    );
    let json = crate::common::check_json(&[dir.path().to_str().unwrap()], 0);
    assert!(
        !crate::common::codes(&json).contains(&"okr::syntax".to_string()),
        "{json:#}"
    );
}

#[test]
fn writes_only_with_output_and_never_over_a_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let csv = format!("{DIR}/okr-tracker.csv");
    // A dry run writes nothing.
    import(&[&csv, "--preset", "okr-tracker"], 0);
    import(
        &[&csv, "--preset", "okr-tracker", "-o", out, "--dry-run"],
        0,
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    import(&[&csv, "--preset", "okr-tracker", "-o", out], 0);
    let written = dir.path().join("origo-2026-H2.okr");
    let first = std::fs::read_to_string(&written).unwrap();
    std::fs::write(&written, "kept").unwrap();
    let (_, err) = import(&[&csv, "--preset", "okr-tracker", "-o", out], 2);
    assert!(err.contains("pass --force"), "{err}");
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "kept");
    import(&[&csv, "--preset", "okr-tracker", "-o", out, "--force"], 0);
    assert_eq!(std::fs::read_to_string(&written).unwrap(), first);
}

#[test]
fn export_round_trips_through_import() {
    for format in ["csv", "xlsx"] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(format!("export.{format}"));
        let file = file.to_str().unwrap();
        Test::new()
            .args([
                "export",
                format,
                &format!("{DIR}/roundtrip"),
                "-o",
                file,
                "--today",
                TODAY,
            ])
            .run();
        let goals = dir.path().join("goals");
        import(&[file, "--preset", "okr", "-o", goals.to_str().unwrap()], 0);
        let again = dir.path().join(format!("again.{format}"));
        Test::new()
            .args([
                "export",
                format,
                goals.to_str().unwrap(),
                "-o",
                again.to_str().unwrap(),
                "--today",
                TODAY,
            ])
            .run();
        if format == "csv" {
            let (a, b) = (
                std::fs::read_to_string(file).unwrap(),
                std::fs::read_to_string(&again).unwrap(),
            );
            assert_eq!(a, b);
        }
        // The re-imported goals score the same.
        let report = |path: &Path| {
            let mut json = Test::new()
                .args([
                    "report", "--format", "json", "--today", TODAY, "--period", "2026-Q3",
                ])
                .arg(path)
                .json();
            for team in json["teams"].as_array_mut().unwrap() {
                team["file"] = serde_json::Value::Null;
                for objective in team["objectives"].as_array_mut().unwrap() {
                    for kr in objective["key_results"].as_array_mut().unwrap() {
                        kr["checkins"] = serde_json::Value::Null;
                    }
                }
            }
            json["teams"].clone()
        };
        assert_eq!(
            report(Path::new(&format!("{DIR}/roundtrip"))),
            report(&goals),
            "{format}"
        );
    }
}

#[test]
fn export_csv_neutralises_formulas() {
    let out = Test::new()
        .args([
            "export",
            "csv",
            &format!("{DIR}/roundtrip"),
            "--today",
            TODAY,
        ])
        .run()
        .stdout;
    insta::assert_snapshot!("export-roundtrip-csv", out);
    for line in out.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "{cell} in {line}");
        }
    }
}

/// Row 1 of `sheet`: the header.
fn write_header(sheet: &mut rust_xlsxwriter::Worksheet, names: &[&str]) {
    for (column, name) in (0u16..).zip(names) {
        sheet.write_string(0, column, *name).unwrap();
    }
}

fn marketing_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("examples/marketing.okr", dir.path().join("marketing.okr")).unwrap();
    dir
}

#[test]
fn checkin_from_a_file_adds_every_row() {
    let dir = marketing_copy();
    let goals = dir.path().join("marketing.okr");
    Test::new()
        .args(["checkin", "--from", &format!("{DIR}/checkins.csv"), "--in"])
        .arg(&goals)
        .stdout_has("2026-08-12 52,000 confidence 70% \"Webinar \\\"boost\\\"\" @sam")
        .run();
    Test::new()
        .args([
            "checkin",
            "--from",
            &format!("{DIR}/metrics.csv"),
            "--map",
            &format!("{DIR}/metrics.toml"),
            "--in",
        ])
        .arg(&goals)
        .run();
    let text = std::fs::read_to_string(&goals).unwrap();
    // Both rows of the metrics export, each value as the export wrote it.
    assert!(
        text.contains("    2026-08-13 52000\n") && text.contains("    2026-08-14 53100\n"),
        "{text}"
    );
}

#[test]
fn checkin_from_a_file_is_all_or_nothing() {
    let dir = marketing_copy();
    let goals = dir.path().join("marketing.okr");
    let before = std::fs::read_to_string(&goals).unwrap();
    let bad = format!("{DIR}/checkins-bad.csv");
    let (status, _, err) =
        crate::common::run(&["checkin", "--from", &bad, "--in", goals.to_str().unwrap()]);
    assert_eq!(status, 1, "{err}");
    insta::assert_snapshot!("checkin-from-refused", err);
    assert_eq!(std::fs::read_to_string(&goals).unwrap(), before);
}

#[test]
fn import_codes_are_explained() {
    for code in okr::import::RowCode::ALL {
        Test::new()
            .args(["explain", &code.to_string()])
            .stdout_has(format!("# {code}"))
            .run();
    }
}

/// The scheduled workflow's `okr` lines are real commands: each parses
/// (`--help` after its arguments makes clap check them without running).
#[test]
fn the_metrics_workflow_runs_real_commands() {
    use yaml_rust2::YamlLoader;
    let text = std::fs::read_to_string("examples/ci/okr-metrics-checkin.yml").unwrap();
    let workflow = YamlLoader::load_from_str(&text).unwrap().remove(0);
    let steps = workflow["jobs"]["checkin"]["steps"].as_vec().unwrap();
    let okr_lines: Vec<&str> = steps
        .iter()
        .filter_map(|step| step["run"].as_str())
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|line| line.starts_with("okr "))
        .collect();
    assert_eq!(okr_lines.len(), 2, "{okr_lines:?}");
    assert!(okr_lines[0].contains("checkin --from") && okr_lines[0].contains("--map"));
    let (status, _, err) = crate::common::run(&[
        "checkin",
        "--from",
        "metrics.csv",
        "--map",
        "okr-metrics.toml",
        "--help",
    ]);
    assert_eq!(status, 0, "{err}");
    assert!(text.contains("cron:") && text.contains("git push"));
}

/// Two check-ins of one file: each line number printed is where the line
/// is in the file written, though the second went in above the first.
#[test]
fn checkin_from_a_file_prints_where_each_line_ended_up() {
    let dir = marketing_copy();
    let goals = dir.path().join("marketing.okr");
    let csv = dir.path().join("two.csv");
    std::fs::write(&csv, "kr,date,value\nengagement.quality,2026-08-12,31%\nengagement.visitors,2026-08-13,\"52,000\"\n").unwrap();
    let (status, out, err) = crate::common::run(&[
        "checkin",
        "--from",
        csv.to_str().unwrap(),
        "--in",
        goals.to_str().unwrap(),
    ]);
    assert_eq!(status, 0, "{err}");
    let text = std::fs::read_to_string(&goals).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for printed in out.lines() {
        let mut parts = printed.rsplitn(2, ": ");
        let (line, place) = (parts.next().unwrap(), parts.next().unwrap());
        let number: usize = place.rsplit(':').next().unwrap().parse().unwrap();
        assert_eq!(lines[number - 1].trim(), line, "{printed}\n{text}");
    }
}

/// Every row code is fired by one of the fixtures above.
#[test]
fn every_row_code_has_a_fixture() {
    let mut seen = String::new();
    for args in [
        vec![
            format!("{DIR}/spreadsheet.csv"),
            "--map".into(),
            format!("{DIR}/semicolon.toml"),
            "--period".into(),
            "2026-Q3".into(),
        ],
        vec![
            format!("{DIR}/viva-goals.csv"),
            "--preset".into(),
            "viva-goals".into(),
        ],
        vec![
            format!("{DIR}/hostile.csv"),
            "--period".into(),
            "2026-Q3".into(),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        seen.push_str(&import(&args, 1).1);
    }
    let dir = marketing_copy();
    let goals = dir.path().join("marketing.okr");
    let bad = format!("{DIR}/checkins-bad.csv");
    seen.push_str(
        &crate::common::run(&["checkin", "--from", &bad, "--in", goals.to_str().unwrap()]).2,
    );
    for code in okr::import::RowCode::ALL {
        assert!(
            seen.contains(&format!("error[{code}]")),
            "no fixture fires {code}"
        );
    }
}

/// The spreadsheet template as Excel saves it: a date cell (a serial
/// number with a date format), percent cells (`0.35` shown as `35%`; the
/// unit column says they are percents), a second sheet chosen with `--sheet`.
#[test]
fn xlsx_dates_and_percent_cells_as_excel_keeps_them() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("okrs.xlsx");
    let mut workbook = Workbook::new();
    workbook.add_worksheet().set_name("Notes").unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Q3").unwrap();
    write_header(
        sheet,
        &[
            "Team",
            "Objective",
            "Key Result",
            "Start",
            "Target",
            "Current",
            "Updated",
            "Unit",
        ],
    );
    let percent = Format::new().set_num_format("0%");
    let day = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(1, 0, "Growth").unwrap();
    sheet.write_string(1, 1, "Convert more trials").unwrap();
    sheet.write_string(1, 2, "Trial to paid").unwrap();
    sheet
        .write_number_with_format(1, 3, 0.25, &percent)
        .unwrap();
    sheet.write_number_with_format(1, 4, 0.4, &percent).unwrap();
    sheet
        .write_number_with_format(1, 5, 0.35, &percent)
        .unwrap();
    let updated = ExcelDateTime::from_ymd(2026, 7, 28).unwrap();
    sheet
        .write_datetime_with_format(1, 6, &updated, &day)
        .unwrap();
    sheet.write_string(1, 7, "%").unwrap();
    workbook.save(&path).unwrap();
    let file = path.to_str().unwrap();
    let (out, _) = import(&[file, "--sheet", "Q3", "--period", "2026-Q3"], 0);
    assert!(
        out.contains(
            "kr trial-to-paid \"Trial to paid\" target 40% baseline 25%\n    2026-07-28 35%"
        ),
        "{out}"
    );
    let (_, err) = import(&[file, "--sheet", "Q4", "--period", "2026-Q3"], 2);
    assert!(err.contains("no sheet named `Q4`"), "{err}");
}

/// Team split from the owner cell, and a parent named by title in another
/// team: the child aligns to it by reference.
#[test]
fn owner_cells_name_the_team_and_parents_align_across_teams() {
    let (out, _) = import(
        &[
            &format!("{DIR}/owners.csv"),
            "--map",
            &format!("{DIR}/owners.toml"),
            "--period",
            "2026-Q3",
        ],
        0,
    );
    for expected in [
        "team leadership \"Leadership\"",
        "team marketing \"Marketing\"",
        "  owner @dana-smith\n  aligns leadership/grow-the-company\n",
        "  kr leads \"Leads\" target 900\n    owner @sam\n",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}

#[test]
fn export_refuses_files_that_do_not_parse() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.okr");
    std::fs::write(
        &bad,
        "period 2026-Q3\nteam x\nobjective o \"O\"\n  kr k \"K\" target\n",
    )
    .unwrap();
    let (status, out, err) = crate::common::run(&["export", "csv", bad.to_str().unwrap()]);
    assert_eq!(status, 1, "{err}");
    assert!(
        out.is_empty()
            && err.contains("okr::syntax")
            && err.contains("the export needs every file to parse"),
        "{err}"
    );
    let (status, _, err) = crate::common::run(&["export", "xlsx", "examples"]);
    assert_eq!(status, 2, "{err}");
    assert!(err.contains("-o FILE.xlsx"), "{err}");
}

/// The examples exported and imported again check without an error: a count
/// in a unit word (`4,950 readers`) keeps its word on every value.
#[test]
fn the_examples_come_back_from_an_export_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("goals.csv");
    Test::new()
        .args(["export", "csv", "examples", "--today", TODAY, "-o"])
        .arg(&csv)
        .run();
    let exported = std::fs::read_to_string(&csv).unwrap();
    assert!(
        exported.contains(",newsletter,Weekly readers of the product newsletter,,readers,"),
        "{exported}"
    );
    let goals = dir.path().join("goals");
    import(
        &[
            csv.to_str().unwrap(),
            "--preset",
            "okr",
            "-o",
            goals.to_str().unwrap(),
        ],
        0,
    );
    let json = crate::common::check_json(&[goals.to_str().unwrap()], 0);
    assert_eq!(json["summary"]["errors"], 0, "{json}");
    let lifecycle = std::fs::read_to_string(goals.join("lifecycle-2026-Q3.okr")).unwrap();
    assert!(lifecycle.contains("baseline 4,120 readers"), "{lifecycle}");
}
