//! `okr check` through the real binary: formats, exit statuses, options.

use crate::common::{check_json, codes, okr, run, Test, TODAY};
use std::fs;

const GAP: &str = "tests/fixtures/codes/funnel-gap/fires";
const EXAMPLE: &str = "examples";

#[test]
fn the_examples_check_clean_of_errors_with_the_spec_warnings() {
    let json = check_json(&[EXAMPLE], 0);
    assert_eq!(json["summary"]["files"], 5);
    assert_eq!(json["summary"]["errors"], 0);
    let found = codes(&json);
    assert!(found.contains(&"okr::funnel-gap".to_string()), "{found:?}");
    assert!(found.contains(&"okr::activity-kr".to_string()), "{found:?}");
}

#[test]
fn the_funnel_gap_message_gives_both_numbers_and_the_volume_needed() {
    let json = check_json(&["examples/marketing.okr", "examples/company.okr"], 0);
    let gap = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "okr::funnel-gap")
        .expect("a funnel gap");
    let message = gap["message"].as_str().unwrap();
    for number in ["1,400", "4,000", "560", "10,000"] {
        assert!(message.contains(number), "{message}");
    }
    assert_eq!(gap["line"], 28);
}

#[test]
fn json_has_the_documented_shape() {
    let json = check_json(&[GAP], 0);
    assert_eq!(json["version"], 2);
    for key in ["files", "errors", "warnings", "advice"] {
        assert!(json["summary"][key].is_u64(), "summary.{key}");
    }
    let first = &json["diagnostics"][0];
    for key in [
        "code",
        "severity",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
    ] {
        assert!(first.get(key).is_some(), "diagnostic.{key} in {first}");
    }
    let text = Test::new()
        .args(["check", "--format", "json", "--today", TODAY, GAP])
        .run()
        .stdout;
    assert!(
        text.trim_start().starts_with("{\n  \"version\": 2"),
        "version comes first: {text}"
    );
}

#[test]
fn short_format_is_one_line_per_diagnostic() {
    let (status, stdout, _) = run(&[
        "check",
        "--format",
        "short",
        "--today",
        TODAY,
        "examples/marketing.okr",
        "examples/company.okr",
    ]);
    assert_eq!(status, 0);
    assert!(
        stdout.contains("examples/marketing.okr:28:32: warning[okr::funnel-gap]: `paid` asks for 1,400 customers"),
        "{stdout}"
    );
    assert!(
        stdout.lines().all(|line| line.starts_with("examples/")),
        "{stdout}"
    );
}

#[test]
fn github_format_is_workflow_commands() {
    let stdout = Test::new()
        .args(["check", "--format", "github", "--today", TODAY, GAP])
        .run()
        .stdout;
    let line = stdout
        .lines()
        .find(|l| l.contains("funnel-gap"))
        .expect("a funnel gap");
    assert!(
        line.starts_with("::warning file=tests/fixtures/codes/funnel-gap/fires/"),
        "{line}"
    );
    assert!(line.contains(",line="), "{line}");
    assert!(line.contains(",col="), "{line}");
    assert!(line.contains("title=okr%3A%3Afunnel-gap::"), "{line}");
    let stdout = Test::new()
        .args([
            "check",
            "--format",
            "github",
            "--today",
            TODAY,
            "tests/fixtures/codes/syntax/fires",
        ])
        .status(1)
        .run()
        .stdout;
    assert!(
        stdout.lines().any(|l| l.starts_with("::error file=")),
        "{stdout}"
    );
}

#[test]
fn errors_exit_1_warnings_exit_0_unless_denied() {
    check_json(&["tests/fixtures/codes/checkin-order/fires"], 1);
    let json = check_json(&[GAP], 0);
    assert_eq!(json["summary"]["errors"].as_u64(), Some(0));
    let (status, ..) = run(&["check", "--deny", "warnings", "--today", TODAY, GAP]);
    assert_eq!(status, 1);
    let (status, ..) = run(&[
        "check",
        "--deny",
        "warnings",
        "--today",
        TODAY,
        "tests/fixtures/codes/funnel-gap/passes",
    ]);
    assert_eq!(status, 0);
}

#[test]
fn allow_silences_a_code_everywhere() {
    // With or without its `okr::` prefix.
    for code in ["funnel-gap", "okr::funnel-gap"] {
        Test::new()
            .args([
                "check", "--format", "json", "--today", TODAY, "--allow", code, GAP,
            ])
            .stdout_lacks("okr::funnel-gap")
            .run();
    }
    Test::new()
        .args(["check", "--allow", "funnel-gapp", GAP])
        .status(2)
        .stderr_has("did you mean `okr::funnel-gap`")
        .run();
}

#[test]
fn a_trailing_allow_comment_silences_its_line_only() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string("examples/marketing.okr").unwrap().replace(
        "kr paid \"New paid customers\" target 1,400 stage inbound.customers",
        "kr paid \"New paid customers\" target 1,400 stage inbound.customers # okr:allow(funnel-gap)",
    );
    fs::write(dir.path().join("marketing.okr"), text).unwrap();
    let path = dir.path().join("marketing.okr");
    let json = check_json(&[path.to_str().unwrap()], 0);
    let found = codes(&json);
    assert!(!found.contains(&"okr::funnel-gap".to_string()), "{found:?}");
    assert!(
        found.contains(&"okr::stale-checkin".to_string()),
        "other codes on the line still fire: {found:?}"
    );
}

#[test]
fn today_comes_from_the_flag_or_okr_today() {
    let stale = "tests/fixtures/codes/stale-checkin/fires";
    let with_flag = Test::new()
        .args(["check", "--format", "json", "--today", TODAY, stale])
        .stdout_has("okr::stale-checkin")
        .run()
        .stdout;
    Test::new()
        .args(["check", "--format", "json", stale])
        .env("OKR_TODAY", TODAY)
        .stdout_is(with_flag)
        .run();
    // After the period, nothing is stale.
    Test::new()
        .args(["check", "--format", "json", "--today", "2026-12-01", stale])
        .stdout_lacks("okr::stale-checkin")
        .run();
    Test::new()
        .args(["check", "--today", "2026-02-30", stale])
        .status(2)
        .stderr_has("2026-02-30 is not a date")
        .run();
}

#[test]
fn a_missing_path_is_exit_2_naming_it() {
    Test::new()
        .args(["check", "no/such/goals.okr"])
        .status(2)
        .stdout_is("")
        .stderr_has("cannot read `no/such/goals.okr`")
        .run();
}

#[test]
fn without_paths_every_okr_file_below_is_read_honouring_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let file = fs::read_to_string("examples/company.okr").unwrap();
    fs::create_dir_all(dir.path().join("goals")).unwrap();
    fs::create_dir_all(dir.path().join("drafts")).unwrap();
    fs::write(dir.path().join("goals/company.okr"), &file).unwrap();
    fs::write(dir.path().join("drafts/broken.okr"), "this is not okr").unwrap();
    fs::write(dir.path().join("notes.txt"), "not read").unwrap();
    fs::write(dir.path().join(".gitignore"), "drafts/\n").unwrap();
    let output = okr()
        .args(["check", "--format", "json", "--today", TODAY])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 1, "{json:#}");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    // No colour when piped.
    Test::new()
        .args(["check", "--today", TODAY, GAP])
        .stdout_lacks("\u{1b}")
        .run();
    // Colour when forced.
    Test::new()
        .args(["check", "--color", "always", "--today", TODAY, GAP])
        .stdout_has("\u{1b}")
        .run();
    Test::new()
        .args(["check", "--today", TODAY, GAP])
        .env("NO_COLOR", "1")
        .stdout_lacks("\u{1b}")
        .run();
}

#[test]
fn human_output_points_at_the_text_with_help_and_a_summary() {
    let stdout = Test::new()
        .args([
            "check",
            "--color",
            "never",
            "--today",
            TODAY,
            "examples/marketing.okr",
            "examples/company.okr",
        ])
        .run()
        .stdout;
    assert!(stdout.contains("okr::funnel-gap"), "{stdout}");
    assert!(
        stdout.contains("╭─[examples/marketing.okr:28:32]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("help: raise `trials` to 10,000"),
        "{stdout}"
    );
    assert!(
        stdout
            .trim_end()
            .ends_with("checked 2 files: 0 errors, 5 warnings, 0 advice"),
        "{stdout}"
    );
}

#[test]
fn a_reference_to_a_team_not_read_is_a_warning_not_an_error() {
    let json = check_json(&["examples/marketing.okr"], 0);
    let unknown: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "okr::unknown-team")
        .collect();
    assert_eq!(unknown.len(), 1);
    assert!(unknown[0]["help"]
        .as_str()
        .unwrap()
        .contains("pass `company`'s file too"));
}

#[test]
fn a_file_named_twice_is_read_once() {
    let json = check_json(
        &["examples", "examples/company.okr", "./examples/sales.okr"],
        0,
    );
    assert_eq!(json["summary"]["files"], 5);
}

#[test]
fn references_find_a_team_s_goals_in_any_of_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| fs::write(dir.path().join(name), text).unwrap();
    write("company-2026.okr", "period 2026\nteam company\nowner @ceo\nobjective revenue \"Grow revenue\"\n  kr arr \"ARR\" target $10M\n    2026-08-10 $6M\n");
    write("company-q3.okr", "period 2026-Q3\nteam company\nowner @ceo\nobjective hiring \"Hire\"\n  kr hires \"Engineers hired\" target 10\n    2026-08-10 4\n");
    write("marketing.okr", "period 2026-Q3\nteam marketing\nowner @dana\nobjective demand \"Demand\"\n  aligns company/revenue.arr\n  kr leads \"Leads\" target 500\n    2026-08-10 200\n");
    let json = check_json(&[dir.path().to_str().unwrap()], 0);
    assert!(codes(&json).is_empty(), "{json:#}");
}

#[test]
fn the_funnel_gap_tolerance_is_five_percent() {
    let dir = tempfile::tempdir().unwrap();
    let base = fs::read_to_string("examples/marketing.okr").unwrap();
    // 4,000 trials yield 560 customers: 588 is 5% above, 589 beyond it.
    for (target, fires) in [("588", false), ("589", true)] {
        let path = dir.path().join(format!("gap-{target}.okr"));
        fs::write(
            &path,
            base.replace(
                "target 1,400 stage inbound.customers",
                &format!("target {target} stage inbound.customers"),
            ),
        )
        .unwrap();
        let json = check_json(&[path.to_str().unwrap()], 0);
        assert_eq!(
            codes(&json).contains(&"okr::funnel-gap".to_string()),
            fires,
            "{target}"
        );
    }
}

#[test]
fn slips_that_would_read_as_unit_words_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let header = "period 2026-Q3\nteam t\nowner @a\nfunnel f\n  stage a \"A\"\nobjective o \"O\"\n";
    for (line, expected) in [
        ("  kr a \"A\" target 10M USD", "write the currency first"),
        ("  kr a \"A\" target 25 percent", "write a percent with `%`"),
        ("  kr a \"A\" target 5 stag f.a", "did you mean `stage`?"),
        (
            "  kr a \"A\" target 5\n    2026-07-14 3 dana",
            "write who checked in as a handle",
        ),
        (
            "  kr a \"A\" baseline 3 target 5",
            "the target comes right after the title",
        ),
        ("  Kr a \"A\" target 5", "keywords are lower-case: `kr`"),
        ("    2026/07/14 3", "written YYYY-MM-DD"),
    ] {
        let path = dir.path().join("slip.okr");
        fs::write(&path, format!("{header}{line}\n")).unwrap();
        let json = check_json(&[path.to_str().unwrap()], 1);
        let text = json["diagnostics"].to_string();
        assert!(
            text.contains(expected),
            "{line}: expected {expected:?} in {json:#}"
        );
    }
}

#[test]
fn today_must_be_a_date_and_an_empty_okr_today_is_unset() {
    Test::new()
        .args(["check", "--today", "2026-8-15", "examples"])
        .status(2)
        .stderr_has("write YYYY-MM-DD")
        .run();
    Test::new()
        .args(["check", "--format", "short", "examples"])
        .env("OKR_TODAY", "")
        .run();
}

/// A stray carriage return before a line ending is an error wherever the line
/// sits: alone, at the end of a run of lines, or before a check-in.
#[test]
fn a_stray_carriage_return_is_an_error_wherever_the_line_sits() {
    for text in [
        "period 2026-Q3\nteam t \"T\"\r\r\n",
        "period 2026-Q3\nteam t \"T\"\r\r\nowner @x\n",
        "period 2026-Q3\nteam t\n\nobjective o \"O\"\n  kr k \"K\" target 5\r\r\n    2026-07-14 1\n",
    ] {
        let workspace = okr::workspace::Workspace::from_texts([("a.okr", text)]);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
        let diagnostics = okr::check::check(&workspace, today, &[]);
        assert!(
            diagnostics
                .iter()
                .any(|d| d.code == okr::diagnostic::Code::Syntax),
            "{text:?}: {diagnostics:?}"
        );
    }
}
