//! Every diagnostic code has a fixture that fires it and a near miss that does
//! not, under `tests/fixtures/codes/<code>/{fires,passes}`; each firing fixture's
//! human and JSON output is snapshotted.

use crate::common::{check_json, codes, run, TODAY};
use okr::diagnostic::Code;
use std::path::Path;

fn fixture(code: Code, case: &str) -> String {
    format!("tests/fixtures/codes/{}/{case}", code.name())
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

#[test]
fn fires_fixtures_fire_their_code() {
    for &code in Code::ALL {
        let (status, json) = check_json(&[&fixture(code, "fires")]);
        let found = codes(&json);
        assert!(
            found.contains(&code.to_string()),
            "{code} did not fire: {found:?}"
        );
        let expected_status =
            i32::from(code.default_severity() == okr::diagnostic::Severity::Error);
        assert!(status >= expected_status, "{code}: exit {status}");
    }
}

#[test]
fn passes_fixtures_do_not_fire_their_code() {
    for &code in Code::ALL {
        let (_, json) = check_json(&[&fixture(code, "passes")]);
        let found = codes(&json);
        assert!(
            !found.contains(&code.to_string()),
            "{code} fired on its near miss: {:#}",
            json["diagnostics"]
        );
    }
}

#[test]
fn duplicate_team_and_period_across_files() {
    let (status, json) = check_json(&["tests/fixtures/codes/duplicate-id/fires-across-files"]);
    assert_eq!(status, 1);
    assert!(codes(&json).contains(&"okr::duplicate-id".to_string()));
}

#[test]
fn three_broken_lines_give_three_syntax_errors_on_their_own_lines() {
    let (status, json) = check_json(&["tests/fixtures/codes/syntax/fires/three-errors.okr"]);
    assert_eq!(status, 1);
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
        let dir = fixture(code, "fires");
        let (_, human, _) = run(&["check", "--color", "never", "--today", TODAY, &dir]);
        insta::assert_snapshot!(format!("{}-human", code.name()), human);
        let (_, json, _) = run(&["check", "--format", "json", "--today", TODAY, &dir]);
        insta::assert_snapshot!(format!("{}-json", code.name()), json);
    }
}
