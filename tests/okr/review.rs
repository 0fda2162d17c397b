//! Pull-request review (SPEC §8.7) on real temporary repositories: the flags
//! a reviewer must see, the one-line summary, and the diagnostics a change
//! introduces and resolves, matched by code and goal rather than by line.

use crate::history::Repo;
use crate::schema::{assert_valid, Document};

const MAIN: &str = r#"period 2026-Q3
team marketing "Marketing"
owner @dana

funnel inbound "Inbound"
  stage visitors  "Visitors"
  stage mqls      "MQLs"       conversion 10%
  stage customers "Customers"  conversion 20%

objective pipeline "Fill the pipeline"
  type committed
  kr visitors "Unique visitors" target 60,000 baseline 41,000 stage inbound.visitors
    2026-07-06 44,100 confidence 80%
  kr mqls "Marketing-qualified leads" target 6,000 baseline 3,000 stage inbound.mqls
    2026-07-06 3,400
  kr quality "MQL acceptance rate" target 35% stage inbound.mqls
    2026-07-06 31%

objective brand "Known brand"
  kr mentions "Press mentions" target 40 baseline 10
    2026-07-06 12
  kr talks "Conference talks" target 2 baseline 3
"#;

/// The pull request: a weekly check-in with a confidence that fell 25
/// points, a target raised past what the funnel yields (a new
/// `funnel-gap`), the committed objective's only quality KR dropped, a
/// target lowered. The `not-a-stretch` warning on `brand.talks` only moves
/// down a line.
fn pull_request() -> Repo {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", MAIN);
    repo.commit("2026-07-06", "Q3 goals");
    repo.git(&["checkout", "-q", "-b", "weekly"]);
    let branch = MAIN
        .replace(
            "    2026-07-06 44,100 confidence 80%\n",
            "    2026-07-06 44,100 confidence 80%\n    2026-07-13 45,900 confidence 55%\n",
        )
        .replace("target 6,000 baseline 3,000", "target 8,000 baseline 3,000")
        .replace(
            "  kr quality \"MQL acceptance rate\" target 35% stage inbound.mqls\n    2026-07-06 31%\n",
            "",
        )
        .replace("target 40 baseline 10", "target 30 baseline 10")
        .replace("    2026-07-06 12\n", "    2026-07-06 12\n    2026-07-13 15\n");
    repo.write("goals/marketing.okr", &branch);
    repo.commit("2026-07-13", "Weekly check-in");
    repo
}

/// `okr diff REVISIONS --format md`, as the Action's comment holds it.
fn comment(repo: &Repo, revisions: &str) -> String {
    repo.test()
        .args(["diff", revisions, "--format", "md", "--today", "2026-07-15"])
        .run()
        .stdout
}

#[test]
fn a_pull_request_comment_flags_what_matters_and_the_diagnostics_it_brings() {
    let repo = pull_request();
    let md = comment(&repo, "main...weekly");
    insta::assert_snapshot!("review-pull-request-md", md);
    let summary = md.lines().nth(2).unwrap_or_default();
    assert_eq!(
        summary,
        "**2 check-ins, 1 target lowered, 1 target changed, 1 KR removed, \
         1 commitment dropped, 1 confidence drop, 1 new warning, 1 new advice, \
         1 diagnostic resolved**"
    );
    let introduced = md
        .find("#### Diagnostics introduced by this change")
        .expect("the introduced section");
    let resolved = md
        .find("#### Diagnostics resolved by this change")
        .expect("the resolved section");
    let (new, gone) = (&md[introduced..resolved], &md[resolved..]);
    assert!(
        new.contains("`okr::funnel-gap` `marketing/pipeline.mqls`"),
        "{new}"
    );
    assert!(
        new.contains("`okr::volume-without-quality` `marketing/pipeline`"),
        "{new}"
    );
    // Moved a line down, not introduced.
    assert!(!md.contains("not-a-stretch"), "{md}");
    assert!(
        gone.contains("`okr::missing-baseline` `marketing/pipeline.quality`"),
        "{gone}"
    );
}

#[test]
fn the_new_flags_are_in_the_json_and_its_schema() {
    let repo = pull_request();
    let json = repo.json(&["diff", "main", "weekly"], 0);
    assert_valid(Document::Diff, &json, "okr diff --format json");
    let flags = |kind: &str, reference: &str| -> Vec<String> {
        let change = json["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["kind"] == kind && c["ref"] == reference)
            .unwrap_or_else(|| panic!("no {kind} of {reference} in {json:#}"));
        serde_json::from_value(change["flags"].clone()).unwrap_or_default()
    };
    assert_eq!(
        flags("kr-removed", "marketing/pipeline.quality"),
        ["target-lowered", "committed-dropped"]
    );
    assert_eq!(
        flags("checkin-added", "marketing/pipeline.visitors"),
        ["confidence-dropped"]
    );
    assert_eq!(
        flags("checkin-added", "marketing/brand.mentions"),
        Vec::<String>::new()
    );
}

#[test]
fn no_goal_change_says_so_once() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", MAIN);
    repo.commit("2026-07-06", "Q3 goals");
    repo.write(
        "goals/marketing.okr",
        &format!("# Reviewed on Monday\n{MAIN}"),
    );
    repo.commit("2026-07-13", "A comment");
    let md = comment(&repo, "HEAD~1..HEAD");
    assert_eq!(
        md,
        "### Goal changes: `HEAD~1` → `HEAD`\n\nNo goal changes.\n\n\
         #### Diagnostics introduced by this change\n\nNone.\n"
    );
}

#[test]
fn a_change_without_new_diagnostics_says_none() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", MAIN);
    repo.commit("2026-07-06", "Q3 goals");
    repo.write(
        "goals/marketing.okr",
        &MAIN.replace(
            "    2026-07-06 12\n",
            "    2026-07-06 12\n    2026-07-13 15\n",
        ),
    );
    repo.commit("2026-07-13", "Weekly check-in");
    let md = comment(&repo, "HEAD~1..HEAD");
    assert_eq!(md.lines().nth(2), Some("**1 check-in**"), "{md}");
    assert!(
        md.trim_end()
            .ends_with("#### Diagnostics introduced by this change\n\nNone."),
        "{md}"
    );
}
