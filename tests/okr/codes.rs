//! Every diagnostic code has a fixture that fires it and a near miss that does
//! not, under `tests/fixtures/codes/<code>/{fires,passes}`; each firing fixture's
//! human and JSON output is snapshotted.

use crate::common::{check_json, codes, Test, TODAY};
use okr::diagnostic::{Code, Severity};
use std::path::Path;

fn fixture(code: Code, case: &str) -> String {
    format!("tests/fixtures/codes/{}/{case}", code.name())
}

/// What `okr check` is given for a fixture: its folder, except for
/// `unknown-team`, which fires only on files named one by one (in a folder
/// a team no file declares is `unresolved-ref`).
pub(crate) fn paths(code: Code, case: &str) -> Vec<String> {
    let dir = fixture(code, case);
    if code != Code::UnknownTeam {
        return vec![dir];
    }
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|entry| entry.path().display().to_string())
        .filter(|path| path.ends_with(".okr"))
        .collect();
    files.sort();
    files
}

fn refs(paths: &[String]) -> Vec<&str> {
    paths.iter().map(String::as_str).collect()
}

#[test]
fn every_code_has_a_fixture_pair() {
    for &code in Code::ALL {
        for case in ["fires", "passes"] {
            let dir = fixture(code, case);
            assert!(Path::new(&dir).is_dir(), "missing fixture folder {dir}");
        }
    }
}

/// The exit status of `okr check` on a fixture that fires only `code`.
fn status_of(code: Code) -> i32 {
    i32::from(code.default_severity() == Severity::Error)
}

/// A firing fixture fires its code and nothing else: no syntax error (lints
/// skip a file that does not parse) and no other code, so it shows one thing.
#[test]
fn fires_fixtures_fire_their_code_and_nothing_else() {
    for &code in Code::ALL {
        let json = check_json(&refs(&paths(code, "fires")), status_of(code));
        let found = codes(&json);
        assert!(
            found.contains(&code.to_string()),
            "{code} did not fire: {found:?}"
        );
        assert!(
            code == Code::Syntax || !found.contains(&Code::Syntax.to_string()),
            "{code}'s fixture has a syntax error: {:#}",
            json["diagnostics"]
        );
        assert!(
            found.iter().all(|other| *other == code.to_string()),
            "{code}'s fixture fires other codes too: {:#}",
            json["diagnostics"]
        );
    }
}

/// A near miss is clean: no diagnostic at all, so a syntax error (which would
/// hide every lint) or an unrelated warning fails it.
#[test]
fn passes_fixtures_report_nothing() {
    for &code in Code::ALL {
        let json = check_json(&refs(&paths(code, "passes")), 0);
        assert!(
            codes(&json).is_empty(),
            "{code}'s near miss is not clean: {:#}",
            json["diagnostics"]
        );
    }
}

#[test]
fn a_team_no_file_declares_is_an_error_when_a_folder_is_checked() {
    // The unknown-team fixture, read as a folder: every file is there, so
    // the team is not a file left out but a mistake.
    let json = check_json(&[&fixture(Code::UnknownTeam, "fires")], 1);
    assert_eq!(codes(&json), ["okr::unresolved-ref"]);
    assert_eq!(json["diagnostics"][0]["severity"], "error");
}

#[test]
fn duplicate_team_and_period_across_files() {
    let json = check_json(&["tests/fixtures/codes/duplicate-id/fires-across-files"], 1);
    assert_eq!(codes(&json), ["okr::duplicate-id"]);
}

#[test]
fn three_broken_lines_give_three_syntax_errors_on_their_own_lines() {
    let json = check_json(&["tests/fixtures/codes/syntax/fires/three-errors.okr"], 1);
    let lines: Vec<u64> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "okr::syntax")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![8, 10, 12]);
}

#[test]
fn snapshots_of_every_firing_fixture() {
    for &code in Code::ALL {
        let dir = paths(code, "fires");
        let human = Test::new()
            .args(["check", "--color", "never", "--today", TODAY])
            .args(&dir)
            .status(status_of(code))
            .run()
            .stdout;
        insta::assert_snapshot!(format!("{}-human", code.name()), human);
        let json = Test::new()
            .args(["check", "--format", "json", "--today", TODAY])
            .args(&dir)
            .status(status_of(code))
            .run()
            .stdout;
        insta::assert_snapshot!(format!("{}-json", code.name()), json);
    }
}

/// `--allow CODE` silences every code, the new ones included: each firing
/// fixture comes out without its own code when that code is allowed.
#[test]
fn allow_silences_every_code_on_its_fixture() {
    for &code in Code::ALL {
        let mut args = vec!["check".to_string(), "--format".into(), "json".into()];
        args.extend([
            "--today".into(),
            TODAY.into(),
            "--allow".into(),
            code.name().into(),
        ]);
        args.extend(paths(code, "fires"));
        // The fixture fires nothing else, so allowed it is clean.
        let json = Test::new().args(&args).json();
        assert!(
            !codes(&json).contains(&code.to_string()),
            "{code} fired though allowed"
        );
    }
}
