//! `okr init`: a goals repository that `okr check` finds nothing in, for
//! each funnel; refusals that write nothing; git made or found.

use crate::common::{files_in, Test, TODAY};
use std::path::Path;
use yaml_rust2::YamlLoader;

/// The skeleton's files, as `okr init` lists them.
const SKELETON: [&str; 4] = [
    "README.md",
    ".github/workflows/okr.yml",
    ".gitattributes",
    "goals.okr",
];

fn init(dir: &Path, args: &[&str]) -> Test {
    Test::new()
        .current_dir(dir)
        .args(["init", "--today", TODAY])
        .args(args)
}

/// `okr check` (every diagnostic, advice included) and `okr fmt --check`
/// find nothing in `dir`.
fn clean(dir: &Path) {
    let json = Test::new()
        .current_dir(dir)
        .args(["check", "--format", "json", "--today", TODAY])
        .json();
    assert_eq!(json["diagnostics"], serde_json::json!([]), "{json:#}");
    Test::new()
        .current_dir(dir)
        .args(["check", "--today", TODAY])
        .stdout_is("checked 1 file: no problems\n")
        .run();
    Test::new().current_dir(dir).args(["fmt", "--check"]).run();
}

#[test]
fn init_then_check_finds_nothing_for_every_funnel() {
    for funnel in ["inbound", "plg", "none"] {
        let home = tempfile::tempdir().unwrap();
        let out = init(home.path(), &["goals", "--funnel", funnel]).run();
        let dir = home.path().join("goals");
        for file in SKELETON {
            assert!(dir.join(file).is_file(), "{funnel}: no {file}");
            assert!(
                out.stdout.contains(&format!("  {file}\n")),
                "{}",
                out.stdout
            );
        }
        clean(&dir);
        let goals = std::fs::read_to_string(dir.join("goals.okr")).unwrap();
        insta::assert_snapshot!(format!("init_{funnel}"), goals);
    }
}

#[test]
fn a_period_to_come_gets_no_checkins_and_is_still_clean() {
    let home = tempfile::tempdir().unwrap();
    init(
        home.path(),
        &["--team", "sales", "--period", "2027-H1", "--no-git"],
    )
    .run();
    let goals = std::fs::read_to_string(home.path().join("sales.okr")).unwrap();
    assert!(
        goals.contains("period 2027-H1\nteam sales \"Sales\"\n"),
        "{goals}"
    );
    assert!(!goals.contains(TODAY), "{goals}");
    clean(home.path());
}

#[test]
fn the_team_defaults_to_the_folder_name_and_the_period_to_this_quarter() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("Growth Team 2");
    init(home.path(), &["Growth Team 2", "--no-git"]).run();
    let goals = std::fs::read_to_string(dir.join("growth-team-2.okr")).unwrap();
    assert!(
        goals.contains("period 2026-Q3\nteam growth-team-2 \"Growth team 2\"\n"),
        "{goals}"
    );
    // OKR_TODAY is honoured like --today.
    let later = home.path().join("later");
    Test::new()
        .current_dir(home.path())
        .env("OKR_TODAY", "2027-02-10")
        .args(["init", "later", "--team", "x", "--no-git"])
        .run();
    let goals = std::fs::read_to_string(later.join("x.okr")).unwrap();
    assert!(goals.contains("period 2027-Q1\n"), "{goals}");
    assert!(goals.contains("    2027-02-10 0\n"), "{goals}");
}

#[test]
fn existing_files_are_listed_and_nothing_is_written() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    std::fs::write(dir.join("README.md"), "mine").unwrap();
    std::fs::write(dir.join(".gitattributes"), "theirs").unwrap();
    let out = init(dir, &["--team", "goals"])
        .status(2)
        .stderr_has("error: files already exist; `okr init` never overwrites a file, and wrote nothing:\n  README.md\n  .gitattributes\n")
        .run();
    assert_eq!(out.stdout, "");
    assert_eq!(files_in(dir), [".gitattributes", "README.md"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("README.md")).unwrap(),
        "mine"
    );
}

#[test]
fn a_hostile_or_unusable_team_id_is_refused_before_anything_is_written() {
    let home = tempfile::tempdir().unwrap();
    for team in ["a\"\nobjective x \"injected", "Growth", "1st", "", "a b"] {
        init(home.path(), &["--team", team])
            .status(2)
            .stderr_has("is not a team id")
            .run();
    }
    let out = init(home.path(), &["--team", "a\"\nb\u{1b}[2J"])
        .status(2)
        .stderr_has("is not a team id")
        .run();
    assert!(
        out.stderr
            .starts_with("error: `a\\\"\\nb\\u{1b}[2J` is not a team id"),
        "{}",
        out.stderr
    );
    std::fs::create_dir(home.path().join("2026")).unwrap();
    init(home.path(), &["2026"])
        .status(2)
        .stderr_has(
            "cannot make a team id from the folder's name `2026`; name the team with `--team ID`",
        )
        .run();
    assert_eq!(files_in(home.path()), ["2026"]);
    assert!(files_in(&home.path().join("2026")).is_empty());
}

#[test]
fn a_new_folder_becomes_a_git_repository_set_up_for_goals() {
    let home = tempfile::tempdir().unwrap();
    init(home.path(), &["goals"])
        .stdout_has("made a git repository (`git init`)\n")
        .stdout_has("set up git for *.okr files (`okr git setup`)")
        .run();
    let dir = home.path().join("goals");
    assert!(dir.join(".git").is_dir());
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitattributes")).unwrap(),
        "*.okr diff=okr merge=okr\n"
    );
    Test::new()
        .current_dir(&dir)
        .args(["git", "setup", "--check"])
        .run();
}

#[test]
fn a_folder_inside_a_repository_is_not_made_a_second_one() {
    let home = tempfile::tempdir().unwrap();
    init(home.path(), &["--team", "company"]).run();
    init(home.path(), &["teams/sales"])
        .stdout_lacks("git init")
        .stdout_has("set up git")
        .run();
    assert!(!home.path().join("teams/sales/.git").exists());
    assert!(home.path().join("teams/sales/sales.okr").is_file());
}

#[test]
fn the_workflow_uses_the_action_and_the_readme_names_the_file() {
    let home = tempfile::tempdir().unwrap();
    init(home.path(), &["--team", "ops", "--no-git"]).run();
    let workflow = std::fs::read_to_string(home.path().join(".github/workflows/okr.yml")).unwrap();
    let yaml = YamlLoader::load_from_str(&workflow).unwrap();
    let steps = &yaml[0]["jobs"]["okr"]["steps"];
    assert_eq!(steps[0]["uses"].as_str(), Some("actions/checkout@v4"));
    assert_eq!(steps[1]["uses"].as_str(), Some("OWNER/okr@REF"));
    let readme = std::fs::read_to_string(home.path().join("README.md")).unwrap();
    assert!(
        readme.contains("- `ops.okr`: this period's goals (2026-Q3)."),
        "{readme}"
    );
}
