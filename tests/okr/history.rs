//! `okr diff`, `okr log` and `okr git` on real temporary repositories whose
//! commits carry fixed dates, so every output (commit ids included) is stable.

use crate::common::{okr, Test};
use crate::schema::{assert_valid, Document};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A throwaway git repository, built with the git CLI (the product never runs git).
pub(crate) struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    pub(crate) fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Dana Lee"]);
        repo.git(&["config", "user.email", "dana@example.com"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git with no user or system config, so the machine cannot change it.
    pub(crate) fn git_in(dir: &Path, args: &[&str], date: &str) -> String {
        let output = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    pub(crate) fn git(&self, args: &[&str]) -> String {
        Repo::git_in(self.path(), args, "2026-07-01T09:00:00+00:00")
    }

    pub(crate) fn write(&self, path: &str, text: &str) -> &Repo {
        let file = self.path().join(path);
        std::fs::create_dir_all(file.parent().expect("a parent")).expect("mkdir");
        std::fs::write(file, text).expect("write");
        self
    }

    pub(crate) fn remove(&self, path: &str) -> &Repo {
        std::fs::remove_file(self.path().join(path)).expect("remove");
        self
    }

    /// Commits everything with author and committer date `date` (`2026-07-14`).
    pub(crate) fn commit(&self, date: &str, message: &str) -> String {
        let stamp = format!("{date}T10:00:00+00:00");
        Repo::git_in(self.path(), &["add", "-A"], &stamp);
        Repo::git_in(self.path(), &["commit", "-q", "-m", message], &stamp);
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// `okr ARGS` in the repository: (status, stdout, stderr).
    pub(crate) fn okr(&self, args: &[&str]) -> (i32, String, String) {
        self.okr_in(self.path(), args)
    }

    pub(crate) fn okr_in(&self, dir: &Path, args: &[&str]) -> (i32, String, String) {
        crate::common::run_in(dir, args)
    }

    /// A `Test` of `okr` run in the repository.
    pub(crate) fn test(&self) -> Test {
        Test::new().current_dir(self.path())
    }

    /// `okr ARGS --format json`, parsed; the status must be `status`.
    pub(crate) fn json(&self, args: &[&str], status: i32) -> Value {
        // Options go before any `-- PATHS`.
        let mut all = args.to_vec();
        all.splice(1..1, ["--format", "json"]);
        let (code, stdout, stderr) = self.okr(&all);
        assert_eq!(code, status, "okr {all:?}: {stdout}\n{stderr}");
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
    }
}

/// `(kind, ref)` of every change of a diff document.
pub(crate) fn kinds(document: &Value) -> Vec<(String, String)> {
    document["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap_or_default().to_string(),
                c["ref"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn change<'a>(document: &'a Value, kind: &str, reference: &str) -> &'a Value {
    document["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["kind"] == kind && c["ref"] == reference)
        .unwrap_or_else(|| panic!("no {kind} of {reference} in {document:#}"))
}

pub(crate) const BEFORE: &str = r#"# Demand generation
period 2026-Q3
team marketing "Marketing"
owner @dana

funnel inbound "Inbound"
  stage visitors  "Visitors"
  stage trials    "Trials"     conversion 6.7%
  stage customers "Customers"  conversion 30%  value $12,000

objective engagement "Record engagement"
  owner @dana
  aligns company/revenue
  type committed
  kr visitors "Unique visitors" target 60,000 baseline 41,000 stage inbound.visitors
    2026-07-14 44,100
    2026-07-28 47,900 confidence 60%
  kr trials "Trial signups" target 4,000 stage inbound.trials
    2026-07-14 1,100
  kr churn "Churn" target <= 3% baseline 5%
  initiative webinars "Weekly webinars" owner @sam status active
  initiative "Partner portal" status planned

objective brand "Known brand"
  type committed
  kr mentions "Press mentions" target 40
    2026-07-14 10
"#;

/// BEFORE with one change of every kind of SPEC §7.
const AFTER: &str = r#"# Demand generation
period 2026-Q3
team marketing "Marketing"
owner @dana

funnel inbound "Inbound demand"
  stage visitors  "Visitors"
  stage trials    "Trials"     conversion 7%
  stage customers "Customers"  conversion 30%  value $12,000

objective engagement "Record-breaking engagement"
  owner @lee
  aligns company/growth
  type aspirational
  kr visitors "Unique visitors" target 50,000 baseline 40,000 stage inbound.visitors
    2026-07-14 44,100
    2026-07-28 48,000 confidence 60%
    2026-08-11 51,200 "Webinar series launched" @sam
  kr trials "Trial signups" target 4,000 stage inbound.customers weight 2
  kr quality "MQL quality" target 35% baseline 30%
  initiative webinars "Weekly webinars" owner @sam status done
  initiative ads "Paid ads" status active

objective retention "Keep customers"
  kr nrr "Net revenue retention" target 110% baseline 100%
"#;

const ALL_KINDS: [&str; 20] = [
    "objective-added",
    "objective-removed",
    "kr-added",
    "kr-removed",
    "renamed",
    "target-changed",
    "baseline-changed",
    "owner-changed",
    "aligns-changed",
    "weight-changed",
    "type-changed",
    "stage-changed",
    "checkin-added",
    "checkin-edited",
    "checkin-removed",
    "initiative-added",
    "initiative-removed",
    "initiative-status-changed",
    "funnel-changed",
    "conversion-changed",
];

/// A repository with BEFORE committed on 2026-07-01 and AFTER on 2026-08-12.
fn every_kind_repo() -> Repo {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    repo.write("goals/marketing.okr", AFTER);
    repo.commit("2026-08-12", "Mid-quarter review");
    repo
}

#[test]
fn every_change_kind_and_flag_with_from_and_to() {
    let repo = every_kind_repo();
    let json = repo.json(&["diff", "HEAD~1", "HEAD"], 0);
    assert_valid(Document::Diff, &json, "every kind of change");
    assert_eq!(json["version"], 2);
    assert_eq!(json["from"], "HEAD~1");
    assert_eq!(json["to"], "HEAD");
    let found: BTreeSet<String> = kinds(&json).into_iter().map(|(k, _)| k).collect();
    let expected: BTreeSet<String> = ALL_KINDS.iter().map(ToString::to_string).collect();
    assert_eq!(found, expected);

    let target = change(&json, "target-changed", "marketing/engagement.visitors");
    assert_eq!(target["from"], 60000);
    assert_eq!(target["to"], 50000);
    assert_eq!(target["flags"], serde_json::json!(["target-lowered"]));
    assert_eq!(target["file"], "goals/marketing.okr");

    let baseline = change(&json, "baseline-changed", "marketing/engagement.visitors");
    assert_eq!(baseline["flags"], serde_json::json!(["history-rewritten"]));
    let edited = change(&json, "checkin-edited", "marketing/engagement.visitors");
    assert_eq!(edited["from"]["value"], 47900);
    assert_eq!(edited["to"]["value"], 48000);
    assert_eq!(edited["to"]["confidence"], 0.6);
    assert_eq!(edited["flags"], serde_json::json!(["history-rewritten"]));
    let removed = change(&json, "checkin-removed", "marketing/engagement.trials");
    assert_eq!(removed["flags"], serde_json::json!(["history-rewritten"]));
    let added = change(&json, "checkin-added", "marketing/engagement.visitors");
    assert_eq!(added["to"]["note"], "Webinar series launched");
    assert_eq!(added["flags"], serde_json::json!([]));

    let kind = change(&json, "type-changed", "marketing/engagement");
    assert_eq!(
        (&kind["from"], &kind["to"]),
        (&"committed".into(), &"aspirational".into())
    );
    assert_eq!(kind["flags"], serde_json::json!(["committed-dropped"]));
    let dropped = change(&json, "objective-removed", "marketing/brand");
    assert_eq!(dropped["flags"], serde_json::json!(["committed-dropped"]));
    let gone = change(&json, "kr-removed", "marketing/brand.mentions");
    assert_eq!(
        gone["flags"],
        serde_json::json!(["target-lowered"]),
        "a KR removed after check-ins"
    );
    let churn = change(&json, "kr-removed", "marketing/engagement.churn");
    assert_eq!(
        churn["flags"],
        serde_json::json!(["committed-dropped"]),
        "no check-ins: no miss hidden, but a committed objective's KR dropped"
    );

    let conversion = change(&json, "conversion-changed", "marketing/inbound.trials");
    assert_eq!(
        (&conversion["from"], &conversion["to"]),
        (&0.067.into(), &0.07.into())
    );
    assert_eq!(
        change(&json, "weight-changed", "marketing/engagement.trials")["to"],
        2
    );
    assert_eq!(
        change(&json, "owner-changed", "marketing/engagement")["to"],
        "@lee"
    );
    assert_eq!(
        change(&json, "aligns-changed", "marketing/engagement")["to"],
        "company/growth"
    );
    assert_eq!(
        change(&json, "stage-changed", "marketing/engagement.trials")["to"],
        "inbound.customers"
    );
    assert_eq!(
        change(&json, "kr-added", "marketing/engagement.quality")["to"],
        0.35
    );
    assert_eq!(
        change(&json, "kr-added", "marketing/retention.nrr")["to"],
        1.1
    );
    assert_eq!(json["summary"]["flagged"], 8);
}

#[test]
fn human_and_markdown_output() {
    let repo = every_kind_repo();
    let (status, human, _) = repo.okr(&["diff", "HEAD~1", "HEAD", "--color", "never"]);
    assert_eq!(status, 0);
    insta::assert_snapshot!("diff-every-kind-human", human);
    let md = repo
        .test()
        .args(["diff", "HEAD~1", "HEAD", "--format", "md"])
        .run()
        .stdout;
    insta::assert_snapshot!("diff-every-kind-md", md);
    // Flags come first, loud, before the details.
    let flags = md.find("Needs a reviewer's eye").expect("flag section");
    assert!(flags < md.find("<details>").expect("details"));
    let coloured = repo
        .test()
        .args(["diff", "HEAD~1", "HEAD", "--color", "always"])
        .run()
        .stdout;
    assert!(
        coloured.contains("\x1b[1;31m"),
        "flags are loud: {coloured}"
    );
}

#[test]
fn moved_blocks_title_edits_and_moved_files_are_not_remove_plus_add() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    // Objectives swapped, KRs reordered, comments added, the file moved.
    let moved = BEFORE
        .replace("# Demand generation\n", "# Moved\n")
        .replace(
            "objective brand \"Known brand\"\n  type committed\n  kr mentions \"Press mentions\" target 40\n    2026-07-14 10\n",
            "",
        )
        .replace(
            "funnel inbound",
            "objective brand \"Known brand\"  # moved up\n  type committed\n  kr mentions \"Press mentions\" target 40\n    2026-07-14 10\n\nfunnel inbound",
        );
    repo.remove("goals/marketing.okr");
    repo.write("teams/marketing/q3.okr", &moved);
    repo.commit("2026-07-02", "Reorganise");
    let json = repo.json(&["diff", "HEAD~1", "HEAD"], 0);
    assert_eq!(kinds(&json), Vec::<(String, String)>::new());

    // A title edit is one `renamed`.
    let renamed = moved.replace("\"Known brand\"", "\"A brand people know\"");
    repo.write("teams/marketing/q3.okr", &renamed);
    let json = repo.json(&["diff"], 0);
    assert_eq!(
        kinds(&json),
        [("renamed".to_string(), "marketing/brand".to_string())]
    );
}

#[test]
fn a_team_split_over_two_files_matches_by_id() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    let (brand_start, _) = BEFORE.split_at(BEFORE.find("objective brand").expect("brand"));
    let header = "period 2026-Q3\nteam marketing \"Marketing\"\n\n";
    let brand = &BEFORE[BEFORE.find("objective brand").expect("brand")..];
    repo.write("goals/marketing.okr", brand_start);
    repo.write("goals/marketing-brand.okr", &format!("{header}{brand}"));
    repo.commit("2026-07-02", "Split the file");
    let json = repo.json(&["diff", "HEAD~1", "HEAD"], 0);
    assert_eq!(kinds(&json), Vec::<(String, String)>::new());
}

/// main: base → two check-ins; feature (from base): a lowered target.
fn branched_repo() -> Repo {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    repo.git(&["branch", "feature"]);
    let checked_in = BEFORE.replace(
        "    2026-07-28 47,900 confidence 60%\n",
        "    2026-07-28 47,900 confidence 60%\n    2026-08-04 49,000\n",
    );
    repo.write("goals/marketing.okr", &checked_in);
    repo.commit("2026-08-04", "Weekly check-in");
    repo.git(&["checkout", "-q", "feature"]);
    repo.write(
        "goals/marketing.okr",
        &BEFORE.replace("target 4,000", "target 3,000"),
    );
    repo.commit("2026-08-05", "Lower the trials target");
    repo
}

#[test]
fn every_diff_form() {
    let repo = branched_repo();
    // A...B: only what the feature branch changed since the merge base.
    let json = repo.json(&["diff", "main...feature"], 0);
    assert_eq!(
        kinds(&json),
        [(
            "target-changed".to_string(),
            "marketing/engagement.trials".to_string()
        )]
    );
    assert_eq!(json["from"], "merge base of main and feature");
    // A..B and REV REV: everything between the two tips.
    let two_dots = repo.json(&["diff", "main..feature"], 0);
    let two_revs = repo.json(&["diff", "main", "feature"], 0);
    assert_eq!(kinds(&two_dots), kinds(&two_revs));
    assert_eq!(
        kinds(&two_dots),
        [
            (
                "checkin-removed".to_string(),
                "marketing/engagement.visitors".to_string()
            ),
            (
                "target-changed".to_string(),
                "marketing/engagement.trials".to_string()
            ),
        ]
    );
    // `A...` means A...HEAD, as in git.
    assert_eq!(kinds(&repo.json(&["diff", "main..."], 0)), kinds(&json));

    // No revision: HEAD against the working tree; REV: REV against it.
    assert!(kinds(&repo.json(&["diff"], 0)).is_empty());
    repo.write(
        "goals/marketing.okr",
        &BEFORE.replace("target 4,000", "target 2,000"),
    );
    let none = repo.json(&["diff"], 0);
    assert_eq!(none["from"], "HEAD");
    assert_eq!(none["to"], "working tree");
    assert_eq!(
        change(&none, "target-changed", "marketing/engagement.trials")["from"],
        3000
    );
    let rev = repo.json(&["diff", "main"], 0);
    assert_eq!(
        change(&rev, "target-changed", "marketing/engagement.trials")["from"],
        4000
    );
    assert_eq!(
        change(&rev, "target-changed", "marketing/engagement.trials")["to"],
        2000
    );
    // An untracked file in the working tree counts too.
    repo.write(
        "goals/sales.okr",
        "period 2026-Q3\nteam sales\n\nobjective win \"Win\"\n  kr deals \"Deals\" target 10\n",
    );
    let untracked = repo.json(&["diff"], 0);
    assert!(kinds(&untracked).contains(&("objective-added".to_string(), "sales/win".to_string())));

    // `-- PATHS` limits the files, relative to the current folder.
    let only_sales = repo.json(&["diff", "--", "goals/sales.okr"], 0);
    assert_eq!(kinds(&only_sales).len(), 2, "{only_sales:#}");
    let from_subfolder = repo
        .test()
        .current_dir(repo.path().join("goals"))
        .args(["diff", "--format", "json", "--", "marketing.okr"])
        .json();
    assert_eq!(
        kinds(&from_subfolder),
        [(
            "target-changed".to_string(),
            "marketing/engagement.trials".to_string()
        )]
    );
}

#[test]
fn exit_code_reports_whether_goals_changed() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    assert_eq!(repo.okr(&["diff", "--exit-code"]).0, 0);
    // A comment is not a goal change.
    repo.write("goals/marketing.okr", &format!("{BEFORE}# a note\n"));
    assert_eq!(repo.okr(&["diff", "--exit-code"]).0, 0);
    repo.write(
        "goals/marketing.okr",
        &BEFORE.replace("target 40", "target 45"),
    );
    assert_eq!(repo.okr(&["diff", "--exit-code"]).0, 1);
    assert_eq!(
        repo.okr(&["diff"]).0,
        0,
        "without --exit-code, changes are not a failure"
    );
}

pub(crate) const Q2: &str = r#"period 2026-Q2
team marketing "Marketing"
owner @dana

objective engagement "Grow engagement"
  type committed
  kr visitors "Unique visitors" target 40,000 baseline 30,000
    2026-05-01 35,000
    2026-06-20 41,000
  kr trials "Trial signups" target 3,000
    2026-06-20 1,200

objective launch "Launch the product"
  kr signups "Launch signups" target 500
    2026-06-25 250
"#;

pub(crate) const Q3: &str = r#"period 2026-Q3
team marketing "Marketing"
owner @dana

objective engagement "Grow engagement"
  type committed
  kr visitors "Unique visitors" target 60,000 baseline 41,000
  kr trials "Trial signups" target 2,500

objective brand "Known brand"
  kr mentions "Press mentions" target 40
"#;

#[test]
fn period_diffs_compare_each_period_as_of_its_end() {
    let repo = Repo::new();
    repo.write(
        "goals/marketing-q2.okr",
        &Q2.replace("    2026-06-20 41,000\n", ""),
    );
    repo.commit("2026-04-01", "Q2 goals");
    repo.write("goals/marketing-q2.okr", Q2);
    repo.commit("2026-06-28", "Q2 final check-ins");
    // After Q2 ended: a late edit that must not count as Q2's state.
    repo.write(
        "goals/marketing-q2.okr",
        &Q2.replace("target 40,000", "target 1"),
    );
    repo.write("goals/marketing-q3.okr", Q3);
    repo.commit("2026-07-02", "Q3 goals");

    let json = repo.json(&["diff", "2026-Q2", "2026-Q3", "--today", "2026-08-15"], 0);
    assert_valid(Document::Diff, &json, "a period diff");
    assert_eq!(json["from"], "2026-Q2");
    assert_eq!(json["to"], "2026-Q3");
    assert_eq!(
        json["to_commit"],
        Value::Null,
        "Q3 has not ended: the working tree"
    );
    assert!(json["as_of"]["from"]
        .as_str()
        .unwrap_or_default()
        .contains("2026-06-30"));
    assert_eq!(
        json["carried_over"],
        serde_json::json!(["marketing/engagement"])
    );
    let target = change(&json, "target-changed", "marketing/engagement.visitors");
    assert_eq!(
        (&target["from"], &target["to"]),
        (&40000.into(), &60000.into())
    );
    let trials = change(&json, "target-changed", "marketing/engagement.trials");
    assert_eq!(trials["flags"], serde_json::json!(["target-lowered"]));
    change(&json, "objective-added", "marketing/brand");
    change(&json, "objective-removed", "marketing/launch");
    change(&json, "baseline-changed", "marketing/engagement.visitors");
    assert!(
        kinds(&json)
            .iter()
            .all(|(kind, _)| !kind.starts_with("checkin")),
        "check-ins belong to their period"
    );
    // Q2's final scores: visitors (41,000 − 30,000) / 10,000 → 1; trials 0.4;
    // engagement 0.7 (green) but committed below 1: a missed commitment.
    let scores = &json["final_scores"][0];
    assert_eq!(scores["team"], "marketing");
    let engagement = &scores["objectives"][0];
    assert_eq!(engagement["score"], 0.7);
    assert_eq!(engagement["grade"], "green");
    assert_eq!(engagement["missed_commitment"], true);
    assert_eq!(scores["objectives"][1]["grade"], "yellow");

    let (status, human, _) = repo.okr(&[
        "diff",
        "2026-Q2",
        "2026-Q3",
        "--today",
        "2026-08-15",
        "--color",
        "never",
    ]);
    assert_eq!(status, 0);
    insta::assert_snapshot!("diff-periods-human", human);
    let md = repo
        .test()
        .args([
            "diff",
            "2026-Q2",
            "2026-Q3",
            "--today",
            "2026-08-15",
            "--format",
            "md",
        ])
        .run()
        .stdout;
    assert!(
        md.contains("**Carried over:** `marketing/engagement`"),
        "{md}"
    );
    assert!(md.contains("missed commitment"), "{md}");

    // Once Q3 has ended, its side is the last commit on or before 2026-09-30.
    let later = repo.json(&["diff", "2026-Q2", "2026-Q3", "--today", "2026-10-20"], 0);
    assert!(later["to_commit"].is_string());
}

#[test]
fn log_keeps_a_team_index_that_never_changes_the_story() {
    let repo = Repo::new();
    let sales =
        "period 2026-Q3\nteam sales\n\nobjective win \"Win\"\n  kr deals \"Deals\" target 10\n";
    repo.write("goals/marketing.okr", BEFORE);
    repo.write("goals/other.okr", sales);
    repo.commit("2026-07-01", "Q3 goals");
    // The other file is rewritten to hold marketing's goals: only a scan of
    // its new blob tells that it now matters to marketing.
    repo.write(
        "goals/other.okr",
        &BEFORE.replace("target 4,000", "target 4,400"),
    );
    repo.write("goals/marketing.okr", sales);
    repo.commit("2026-07-08", "Swap the files");
    let index = repo.path().join(".git/okr/blob-teams-v1");

    let cold = repo.okr(&["log", "marketing", "--format", "json"]);
    assert_eq!(cold.0, 0, "{}", cold.2);
    let text = std::fs::read_to_string(&index).expect("the first run writes the index");
    // Three distinct blobs: the sales file's text is the same in both commits.
    assert_eq!(
        text.lines().filter(|l| !l.starts_with('#')).count(),
        3,
        "{text}"
    );
    assert!(
        text.contains(" marketing\n") && text.contains(" sales\n"),
        "{text}"
    );
    let json: Value = serde_json::from_str(&cold.1).expect("json");
    assert_eq!(
        json["entries"].as_array().map(Vec::len),
        Some(2),
        "{json:#}"
    );

    assert_eq!(
        repo.okr(&["log", "marketing", "--format", "json"]),
        cold,
        "warm"
    );
    std::fs::write(&index, "# okr\nnot an index\n\0\n").expect("write");
    assert_eq!(
        repo.okr(&["log", "marketing", "--format", "json"]),
        cold,
        "unreadable index"
    );
    std::fs::remove_dir_all(repo.path().join(".git/okr")).expect("remove");
    assert_eq!(
        repo.okr(&["log", "marketing", "--format", "json"]),
        cold,
        "removed index"
    );
}

#[test]
fn log_tells_a_goals_story_in_three_formats() {
    let repo = Repo::new();
    let base = BEFORE.replace(
        "    2026-07-14 44,100\n    2026-07-28 47,900 confidence 60%\n",
        "",
    );
    repo.write("goals/marketing.okr", &base);
    repo.commit("2026-07-01", "Q3 goals");
    let one = base.replace(
        "stage inbound.visitors\n",
        "stage inbound.visitors\n    2026-07-14 44,100\n",
    );
    repo.write("goals/marketing.okr", &one);
    repo.commit("2026-07-14", "Week 2 check-in");
    // A commit that touches only another KR and another file is not in the story.
    repo.write(
        "goals/marketing.okr",
        &one.replace("target 4,000", "target 4,500"),
    );
    repo.write(
        "goals/sales.okr",
        "period 2026-Q3\nteam sales\n\nobjective win \"Win\"\n  kr deals \"Deals\" target 10\n",
    );
    repo.commit("2026-07-20", "Trials and sales");
    let lowered = one
        .replace("target 4,000", "target 4,500")
        .replace("target 60,000", "target 55,000")
        .replace(
            "stage inbound.visitors",
            "stage inbound.visitors owner @sam",
        );
    repo.write("goals/marketing.okr", &lowered);
    repo.commit("2026-07-28", "Re-plan visitors");

    let json = repo.json(&["log", "marketing/engagement.visitors"], 0);
    assert_valid(Document::Log, &json, "a KR's log");
    assert_eq!(json["version"], 2);
    assert_eq!(json["ref"], "marketing/engagement.visitors");
    let entries = json["entries"].as_array().expect("entries");
    let summaries: Vec<&str> = entries
        .iter()
        .map(|e| e["summary"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        summaries,
        ["Q3 goals", "Week 2 check-in", "Re-plan visitors"],
        "{json:#}"
    );
    assert_eq!(entries[0]["date"], "2026-07-01T10:00:00Z");
    assert_eq!(entries[0]["author"], "Dana Lee");
    assert_eq!(entries[0]["commit"].as_str().map(str::len), Some(40));
    assert_eq!(entries[0]["changes"][0]["kind"], "kr-added");
    assert_eq!(entries[1]["changes"][0]["kind"], "checkin-added");
    assert_eq!(entries[1]["changes"][0]["to"]["value"], 44100);
    let last: Vec<&str> = entries[2]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["kind"].as_str().unwrap_or_default())
        .collect();
    assert!(last.contains(&"target-changed"), "{last:?}");

    // An objective's log holds its KRs' changes too.
    let objective = repo.json(&["log", "marketing/engagement"], 0);
    assert_eq!(objective["entries"].as_array().map(Vec::len), Some(4));

    let (status, human, _) =
        repo.okr(&["log", "marketing/engagement.visitors", "--color", "never"]);
    assert_eq!(status, 0);
    insta::assert_snapshot!("log-human", human);
    let md = repo
        .test()
        .args(["log", "marketing/engagement.visitors", "--format", "md"])
        .run()
        .stdout;
    insta::assert_snapshot!("log-md", md);

    let (status, _, stderr) = repo.okr(&["log", "engagement.visitors"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("team/objective.kr"), "{stderr}");

    // A goal no commit changed and no file has is unknown, with the nearest.
    let (status, stdout, stderr) = repo.okr(&["log", "marketing/engagement.visiters"]);
    assert_eq!((status, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("did you mean `marketing/engagement.visitors`?"),
        "{stderr}"
    );
    let (status, _, stderr) = repo.okr(&["log", "marketting"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("did you mean `marketing`?"), "{stderr}");
    // A goal not committed yet has an empty story, not an error.
    repo.write(
        "goals/sales.okr",
        "period 2026-Q3\nteam sales\n\nobjective win \"Win\"\n  kr deals \"Deals\" target 10\n  kr calls \"Calls\" target 90\n",
    );
    let (status, _, stderr) = repo.okr(&["log", "sales/win.calls"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
}

#[test]
fn git_setup_and_the_external_diff_driver() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    let program = assert_cmd::cargo::cargo_bin("okr");
    let program = program.to_string_lossy();
    let (status, stdout, stderr) = repo.okr(&["git", "setup", "--program", &program]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains(".gitattributes"), "{stdout}");
    let attributes = std::fs::read_to_string(repo.path().join(".gitattributes")).expect("written");
    assert_eq!(attributes, "*.okr diff=okr merge=okr\n");
    let command = repo.git(&["config", "diff.okr.command"]);
    assert!(command.contains(&format!("'{program}'")), "{command}");
    assert!(command.contains("git diff-driver"), "{command}");
    // Running it again changes nothing.
    repo.okr(&["git", "setup", "--program", &program]);
    let again = std::fs::read_to_string(repo.path().join(".gitattributes")).expect("kept");
    assert_eq!(again, attributes);

    // `git diff` now shows the semantic diff for *.okr files.
    repo.write(
        "goals/marketing.okr",
        &BEFORE.replace("target 60,000", "target 50,000"),
    );
    let shown = repo.git(&["diff"]);
    assert!(shown.contains("target-lowered"), "{shown}");
    assert!(shown.contains("target 60,000 → target 50,000"), "{shown}");
    // Added files arrive as /dev/null on one side.
    repo.write(
        "goals/sales.okr",
        "period 2026-Q3\nteam sales\n\nobjective win \"Win\"\n  kr deals \"Deals\" target 10\n",
    );
    repo.git(&["add", "goals/sales.okr"]);
    let staged = repo.git(&["diff", "--cached"]);
    assert!(staged.contains("objective-added"), "{staged}");

    // The driver on its own, as git calls it, including a file that does not parse.
    let old = repo.path().join("old.okr");
    std::fs::write(&old, BEFORE).expect("write");
    let broken = repo.path().join("new.okr");
    std::fs::write(
        &broken,
        "period 2026-Q3\nteam marketing\nobjective \"no id\"\n",
    )
    .expect("write");
    let hex = "1111111111111111111111111111111111111111";
    let path = |p: &PathBuf| p.to_string_lossy().into_owned();
    let (status, stdout, _) = repo.okr(&[
        "git",
        "diff-driver",
        "goals/marketing.okr",
        &path(&old),
        hex,
        "100644",
        &path(&broken),
        hex,
        "100644",
    ]);
    assert_eq!(status, 0, "git stops the whole diff when a driver fails");
    assert!(stdout.contains("does not parse at 1111111"), "{stdout}");
    let (status, stdout, _) = repo.okr(&["git", "diff-driver", "goals/marketing.okr"]);
    assert_eq!(status, 0);
    assert!(stdout.contains("unmerged"), "{stdout}");
}

#[test]
fn a_file_that_does_not_parse_at_one_revision_is_named_and_the_rest_diffed() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.write(
        "goals/sales.okr",
        "period 2026-Q3\nteam sales\n\nobjective win \"Win\"\n  kr deals \"Deals\" target 10\n",
    );
    repo.commit("2026-07-01", "Q3 goals");
    repo.write(
        "goals/marketing.okr",
        &BEFORE.replace("kr trials \"Trial signups\"", "kr trials \"Trial signups"),
    );
    repo.write(
        "goals/sales.okr",
        "period 2026-Q3\nteam sales\n\nobjective win \"Win\"\n  kr deals \"Deals\" target 12\n",
    );
    let broken = repo.commit("2026-07-02", "Oops");
    let (status, stdout, stderr) = repo.okr(&["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("goals/marketing.okr"), "{stderr}");
    assert!(
        stderr.contains(&format!("HEAD ({})", &broken[..7])),
        "{stderr}"
    );
    assert!(stderr.contains("line 18"), "{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("the rest is still diffed");
    assert_eq!(
        kinds(&json),
        [("target-changed".to_string(), "sales/win.deals".to_string())]
    );
}

#[test]
fn not_a_repository_unknown_revisions_and_unborn_heads_are_clear_errors() {
    let outside = tempfile::tempdir().expect("a folder");
    let (status, stdout, stderr) = okr()
        .args(["diff"])
        .current_dir(outside.path())
        .env(
            "GIT_CEILING_DIRECTORIES",
            outside.path().parent().expect("parent"),
        )
        .output()
        .map(|o| {
            (
                o.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&o.stdout).into_owned(),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            )
        })
        .expect("okr runs");
    assert_eq!(status, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("not inside a git repository"), "{stderr}");

    let repo = Repo::new();
    let (status, _, stderr) = repo.okr(&["diff"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("no commits yet"), "{stderr}");
    let (status, _, stderr) = repo.okr(&["log", "marketing/engagement"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("no commits yet"), "{stderr}");

    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    let (status, _, stderr) = repo.okr(&["diff", "no-such-branch"]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("unknown revision `no-such-branch`"),
        "{stderr}"
    );
    let (status, _, stderr) = repo.okr(&["diff", "HEAD~5", "HEAD"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("HEAD~5"), "{stderr}");
    let (status, _, stderr) = repo.okr(&["diff", "a", "b", "c"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("at most two"), "{stderr}");
    let (status, _, stderr) = repo.okr(&["diff", "2025-Q1", "2026-Q3", "--today", "2026-08-01"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("2025-03-31"), "{stderr}");
}

#[test]
fn a_shallow_clone_explains_fetch_depth() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    repo.write("goals/marketing.okr", AFTER);
    repo.commit("2026-08-12", "Review");
    let clones = tempfile::tempdir().expect("a folder");
    let source = format!("file://{}", repo.path().display());
    Repo::git_in(
        clones.path(),
        &["clone", "-q", "--depth", "1", &source, "shallow"],
        "2026-08-12T10:00:00+00:00",
    );
    let shallow = clones.path().join("shallow");
    let (status, _, stderr) = repo.okr_in(&shallow, &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
    let (status, _, stderr) = repo.okr_in(&shallow, &["log", "marketing/engagement"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
    // What is there still works.
    let (status, _, stderr) = repo.okr_in(&shallow, &["diff", "--exit-code"]);
    assert_eq!(status, 0, "{stderr}");
}

#[test]
fn git_setup_without_okr_on_path_points_git_at_this_executable() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    let output = okr()
        .args(["git", "setup"])
        .current_dir(repo.path())
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("okr runs");
    assert_eq!(output.status.code(), Some(0));
    let program = assert_cmd::cargo::cargo_bin("okr");
    let command = repo.git(&["config", "diff.okr.command"]);
    assert!(
        command.contains(&format!("'{}'", program.display())),
        "{command}"
    );
    repo.write(
        "goals/marketing.okr",
        &BEFORE.replace("target 60,000", "target 50,000"),
    );
    let shown = repo.git(&["diff"]);
    assert!(shown.contains("target-lowered"), "{shown}");
}

#[test]
fn a_bare_repository_compares_two_revisions() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    repo.write(
        "goals/marketing.okr",
        &BEFORE.replace("target 60,000", "target 55,000"),
    );
    repo.commit("2026-07-02", "Lower a target");
    let bare = tempfile::tempdir().unwrap();
    let origin = repo.path().to_str().unwrap().to_string();
    Repo::git_in(
        bare.path(),
        &["clone", "-q", "--bare", &origin, "goals.git"],
        "2026-07-03T00:00:00+00:00",
    );
    let dir = bare.path().join("goals.git");
    let (status, stdout, stderr) = repo.okr_in(
        &dir,
        &["diff", "HEAD~1", "HEAD", "--format", "json", "--", "goals"],
    );
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("target-changed"), "{stdout}");
    // One revision means the working tree, which a bare repository has not.
    let (status, _, stderr) = repo.okr_in(&dir, &["diff", "HEAD~1"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("bare repository"), "{stderr}");
}
