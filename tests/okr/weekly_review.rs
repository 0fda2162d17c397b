//! `okr review`, the weekly digest, on real temporary repositories whose
//! commits carry fixed dates over three weeks: check-ins, a target lowered,
//! a confidence drop, an owner silent; each format snapshotted. Also: no
//! history, hostile titles, and the Markdown's 4,000-character cap.
//! (`review.rs` is the pull-request review of `okr diff`.)

use crate::history::Repo;
use crate::schema::{assert_valid, Document};
use serde_json::Value;

const TODAY: &str = "2026-08-14";

fn fixture(name: &str) -> String {
    let path = format!("tests/fixtures/review/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Three weekly commits of the growth team's goals (the brand team's file
/// from the first), and a check-in not committed yet.
fn three_weeks() -> Repo {
    let repo = Repo::new();
    repo.write("goals/brand.okr", &fixture("brand.okr"))
        .write("goals/growth.okr", &fixture("growth-1.okr"))
        .commit("2026-07-27", "Week 30 check-ins");
    repo.write("goals/growth.okr", &fixture("growth-2.okr"))
        .commit("2026-08-03", "Week 31 check-ins");
    repo.write("goals/growth.okr", &fixture("growth-3.okr"))
        .commit("2026-08-10", "Week 32: trials target lowered");
    repo.write("goals/growth.okr", &fixture("growth-4.okr"));
    repo
}

fn review(repo: &Repo, args: &[&str]) -> String {
    let mut all = vec!["review", "--today", TODAY];
    all.extend(args);
    let (status, stdout, stderr) = repo.okr(&all);
    assert_eq!(status, 0, "okr {all:?}: {stdout}\n{stderr}");
    assert_eq!(stderr, "");
    stdout
}

#[test]
fn three_weeks_of_history_in_each_format() {
    let repo = three_weeks();
    let human = review(&repo, &[]);
    insta::assert_snapshot!("weekly-review-human", human);
    let md = review(&repo, &["--format", "md"]);
    assert!(md.chars().count() <= 4000, "{}", md.len());
    insta::assert_snapshot!("weekly-review-md", md);
    let json: Value = serde_json::from_str(&review(&repo, &["--format", "json"])).unwrap();
    assert_valid(Document::Review, &json, "okr review --format json");
    insta::assert_json_snapshot!("weekly-review-json", json);

    // The default window is the week before today: from the commit of 3 August.
    assert_eq!(json["since"], "2026-08-07");
    let flagged = |flag: &str| -> Vec<&str> {
        json["moved"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["flags"].as_array().unwrap().iter().any(|f| f == flag))
            .map(|c| c["ref"].as_str().unwrap())
            .collect()
    };
    assert_eq!(flagged("target-lowered"), ["growth/demand.trials"]);
    assert_eq!(flagged("confidence-dropped"), ["growth/demand.visitors"]);
    // The check-in not committed yet counts: the working tree is "now".
    let checkins: Vec<&str> = json["checkins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["detail"].as_str().unwrap())
        .collect();
    assert!(checkins.contains(&"check-in 2026-08-13"), "{checkins:?}");
    let turned: Vec<(&str, &str)> = json["turned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["ref"].as_str().unwrap(), t["change"].as_str().unwrap()))
        .collect();
    assert!(turned.contains(&("growth/revenue.paid", "turned")));
    assert!(turned.contains(&("growth/revenue.quality", "recovered")));
    // The silent owner, with the command that would add the check-in.
    assert_eq!(json["owed"][0]["owner"], "@sam");
    assert_eq!(
        json["owed"][0]["key_results"][0]["command"],
        "okr checkin growth/revenue.paid VALUE --by @sam"
    );
}

#[test]
fn since_takes_a_revision_a_date_or_one_team_s_cadence() {
    let repo = three_weeks();
    let json = |args: &[&str]| -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        serde_json::from_str(&review(&repo, &all)).unwrap()
    };
    // A revision: the window starts on its day.
    let from_rev = json(&["--since", "HEAD~2"]);
    assert_eq!(from_rev["since"], "2026-07-27");
    assert_eq!(from_rev["from"]["revision"], "HEAD~2");
    assert_eq!(from_rev["checkins"].as_array().unwrap().len(), 7);
    // A date picks the last commit on or before it.
    let from_date = json(&["--since", "2026-08-02"]);
    assert_eq!(
        from_date["from"]["revision"],
        from_rev["from"]["revision"]
            .as_str()
            .map(|_| format!(
                "{} (last commit on or before 2026-08-02)",
                &from_rev["from"]["commit"].as_str().unwrap()[..7]
            ))
            .unwrap()
    );
    // One team: its own cadence (biweekly) sets the window.
    let brand = json(&["--team", "brand"]);
    assert_eq!(brand["teams"], serde_json::json!(["brand"]));
    assert_eq!(brand["since"], "2026-07-31");
    let (status, _, stderr) = repo.okr(&["review", "--today", TODAY, "--team", "brnd"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("did you mean `brand`?"), "{stderr}");
    let (status, _, stderr) = repo.okr(&["review", "--today", TODAY, "--since", "nope"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("unknown revision `nope`"), "{stderr}");
}

#[test]
fn without_history_only_the_state_with_the_reason() {
    // Not a repository at all.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("growth.okr"), fixture("growth-4.okr")).unwrap();
    let (status, human, stderr) = crate::common::run_in(dir.path(), ["review", "--today", TODAY]);
    assert_eq!(status, 0, "{stderr}");
    insta::assert_snapshot!("weekly-review-no-history", human);
    let (_, json, _) =
        crate::common::run_in(dir.path(), ["review", "--today", TODAY, "--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_valid(Document::Review, &json, "okr review without history");
    assert_eq!(json["changes_unavailable"], "not a git repository");
    assert_eq!(json["checkins"], Value::Null);
    assert_eq!(json["owed"][0]["owner"], "@sam");
    // A window that starts before the first commit.
    let repo = three_weeks();
    let md = review(&repo, &["--since", "2026-07-01", "--format", "md"]);
    assert!(
        md.contains("_Changes unavailable: no commit on or before 2026-07-01: the history starts later. Showing where things stand only._"),
        "{md}"
    );
    assert!(!md.contains("Check-ins added"), "{md}");
}

#[test]
fn hostile_titles_stay_text_in_markdown_and_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = concat!(
        "period 2026-Q3\nteam growth\nowner @dana\n",
        "objective o \"@everyone see [this](https://evil.example) <img src=x> #12\"\n",
        "  kr k \"\u{1b}[2J\u{1b}]8;;https://evil.example\u{7}click **now** @channel\" target 10\n",
        "    2026-07-01 1\n",
        "  initiative \"<script>alert(1)</script> `rm -rf` @here\" due 2026-08-01\n",
    );
    std::fs::write(dir.path().join("growth.okr"), hostile).unwrap();
    let (status, md, stderr) =
        crate::common::run_in(dir.path(), ["review", "--today", TODAY, "--format", "md"]);
    assert_eq!(status, 0, "{stderr}");
    for raw in [
        "@everyone",
        "@channel",
        "@here",
        "](https",
        "<img",
        "<script",
        "\u{1b}",
        "**now**",
    ] {
        assert!(!md.contains(raw), "`{raw}` in:\n{md}");
    }
    insta::assert_snapshot!("weekly-review-hostile-md", md);
    let (status, human, _) = crate::common::run_in(dir.path(), ["review", "--today", TODAY]);
    assert_eq!(status, 0);
    assert!(
        !human.contains('\u{1b}') && !human.contains('\u{7}'),
        "{human}"
    );
    assert!(human.contains("\\u{1b}[2J"), "{human}");
}

#[test]
fn markdown_keeps_under_4000_characters_unless_full() {
    let dir = tempfile::tempdir().unwrap();
    for team in 0..60 {
        let text = format!(
            "period 2026-Q3\nteam team-{team:02}\nowner @owner-{team:02}\n\
             objective grow \"Grow team {team:02}'s pipeline\"\n\
             \x20 kr pipeline \"Qualified pipeline created\" target 100\n\
             \x20   2026-07-01 5\n\
             \x20 initiative \"Late launch {team:02}\" status active due 2026-08-01\n"
        );
        std::fs::write(dir.path().join(format!("team-{team:02}.okr")), text).unwrap();
    }
    let (status, md, stderr) =
        crate::common::run_in(dir.path(), ["review", "--today", TODAY, "--format", "md"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        md.chars().count() <= 4000,
        "{} characters",
        md.chars().count()
    );
    assert!(md.contains("okr review --full"), "{md}");
    assert!(md.contains("more"), "{md}");
    // Every section is still there, folded, its list cut.
    for section in [
        "Check-ins owed (60 owners)",
        "Behind today (60)",
        "Initiatives overdue (60)",
    ] {
        assert!(md.contains(section), "{section}:\n{md}");
    }
    assert_eq!(
        md.matches("<details>").count(),
        md.matches("</details>").count()
    );
    let (_, full, _) = crate::common::run_in(
        dir.path(),
        ["review", "--today", TODAY, "--format", "md", "--full"],
    );
    assert!(full.chars().count() > 4000);
    assert!(!full.contains("okr review --full"));
    assert_eq!(full.matches("okr checkin").count(), 60);
}

/// `review-issue.sh` in the three weeks' repository, with `ids` the open
/// review issues the search finds: the runner and its calls to `gh`.
fn review_issue(ids: &str) -> (crate::action::Runner, Vec<String>) {
    let repo = three_weeks();
    let runner = crate::action::Runner::new();
    let env = [("OKR_ACTION_TODAY", TODAY), ("FAKE_GH_IDS", ids)];
    let (status, stdout, stderr) = runner.run("review-issue.sh", repo.path(), &env);
    assert_eq!(status, 0, "{stdout}\n{stderr}");
    let calls = runner.calls();
    (runner, calls)
}

#[test]
fn the_weekly_workflow_opens_the_review_issue_then_edits_it() {
    let (runner, calls) = review_issue("");
    assert_eq!(calls.len(), 3, "{calls:#?}");
    assert_eq!(
        calls[0],
        "issue list --repo acme/goals --label okr-review --state open --json number --jq .[].number"
    );
    assert!(calls[1].starts_with("label create okr-review --repo acme/goals --force"));
    assert!(
        calls[2].starts_with(
            "issue create --repo acme/goals --title Weekly goals review: 2026-08-14 --label okr-review --body-file "
        ),
        "{calls:#?}"
    );
    let body = runner.body();
    assert!(
        body.starts_with("### Weekly review — 2026-08-07 to 2026-08-14\n"),
        "{body}"
    );
    assert!(body.contains("target-lowered"), "{body}");

    // Next week: the open issue is found and edited, nothing else made.
    let (runner, calls) = review_issue("31 7");
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert!(
        calls[1].starts_with(
            "issue edit 31 --repo acme/goals --title Weekly goals review: 2026-08-14 --body-file "
        ),
        "the first one found: {calls:#?}"
    );
    assert!(runner.body().starts_with("### Weekly review"));
}

#[test]
fn the_weekly_workflow_runs_on_mondays_with_the_script() {
    let text = std::fs::read_to_string("examples/ci/okr-weekly-review.yml").expect("the example");
    let workflow = yaml_rust2::YamlLoader::load_from_str(&text)
        .expect("valid YAML")
        .remove(0);
    assert_eq!(
        workflow["on"]["schedule"][0]["cron"].as_str(),
        Some("0 7 * * 1")
    );
    assert_eq!(workflow["permissions"]["issues"].as_str(), Some("write"));
    let steps = workflow["jobs"]["review"]["steps"].as_vec().expect("steps");
    assert_eq!(steps[0]["with"]["fetch-depth"].as_i64(), Some(0));
    let last = steps.last().expect("a step");
    assert_eq!(
        last["run"].as_str(),
        Some(r#""$RUNNER_TEMP/okr-scripts/review-issue.sh""#)
    );
    assert_eq!(last["env"]["OKR_REVIEW_LABEL"].as_str(), Some("okr-review"));
}

#[test]
fn a_file_broken_at_the_window_s_start_is_named_and_left_out() {
    let repo = Repo::new();
    repo.write("goals/brand.okr", &fixture("brand.okr"))
        .write(
            "goals/growth.okr",
            "period 2026-Q3\nteam growth\nobjective o \"broken\n",
        )
        .commit("2026-08-03", "A broken draft");
    repo.write("goals/growth.okr", &fixture("growth-4.okr"))
        .commit("2026-08-10", "Fixed");
    let (status, stdout, stderr) = repo.okr(&["review", "--today", TODAY, "--format", "json"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.starts_with("warning: `goals/growth.okr` does not parse at "),
        "{stderr}"
    );
    let json: Value = serde_json::from_str(&stdout).unwrap();
    // Its goals are not shown as all new; the state still has them.
    assert_eq!(json["checkins"], serde_json::json!([]));
    assert_eq!(json["owed"][0]["owner"], "@sam");
}

#[test]
fn given_paths_the_command_names_the_file() {
    let repo = three_weeks();
    let (status, stdout, stderr) = repo.okr(&[
        "review",
        "goals/growth.okr",
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(status, 0, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["teams"], serde_json::json!(["growth"]));
    assert_eq!(
        json["owed"][0]["key_results"][0]["command"],
        "okr checkin growth/revenue.paid VALUE --by @sam --in goals/growth.okr"
    );
}
