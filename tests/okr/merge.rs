//! `okr merge-file` on the fixtures under `tests/fixtures/merge/` (one folder
//! per case: `base.okr`, `ours.okr`, `theirs.okr`), and the merge driver in
//! real temporary repositories: `git merge`, `rebase` and `cherry-pick` with
//! `okr git setup` done, and without okr on PATH.

use crate::common::run;
use crate::history::Repo;
use std::path::Path;
use std::process::Command;

const CASES: &str = "tests/fixtures/merge";

/// The three versions of a fixture case.
fn case(name: &str) -> [String; 3] {
    ["base", "ours", "theirs"].map(|side| {
        std::fs::read_to_string(format!("{CASES}/{name}/{side}.okr")).expect("a fixture")
    })
}

/// `okr merge-file` on a case: its status, stdout and stderr as one text.
fn transcript(name: &str, extra: &[&str]) -> String {
    let paths = ["base", "ours", "theirs"].map(|side| format!("{CASES}/{name}/{side}.okr"));
    let mut args = vec!["merge-file", &paths[0], &paths[1], &paths[2]];
    args.extend(extra);
    let (status, stdout, stderr) = run(&args);
    format!("exit {status}\n--- stdout\n{stdout}--- stderr\n{stderr}")
}

#[test]
fn merge_file_merges_by_entity_and_marks_each_conflict() {
    for name in [
        "checkins",
        "independent",
        "conflict-target",
        "conflict-checkin",
        "conflict-deleted",
        "unparsable",
    ] {
        insta::assert_snapshot!(format!("merge-{name}"), transcript(name, &[]));
    }
}

#[test]
fn merge_file_writes_its_output_and_takes_a_marker_size() {
    let folder = tempfile::tempdir().expect("a folder");
    let out = folder.path().join("merged.okr");
    let out_text = out.to_string_lossy().into_owned();
    let paths = ["base", "ours", "theirs"].map(|side| format!("{CASES}/checkins/{side}.okr"));
    let (status, stdout, _) = run(&[
        "merge-file",
        &paths[0],
        &paths[1],
        &paths[2],
        "-o",
        &out_text,
    ]);
    assert_eq!((status, stdout.as_str()), (0, ""));
    let written = std::fs::read_to_string(&out).expect("written");
    assert!(written.contains("2026-07-21 46,000 \"Webinar\" @sam\n    2026-07-28 47,900"));
    // One identical check-in added on both sides is there once.
    assert_eq!(written.matches("2026-07-21 1,450").count(), 1);

    let marked = transcript("conflict-checkin", &["--marker-size", "10"]);
    assert!(marked.contains("\n<<<<<<<<<< ours\n"), "{marked}");
    assert!(marked.contains("\n==========\n"), "{marked}");
    assert!(marked.contains("\n>>>>>>>>>> theirs\n"), "{marked}");
}

#[test]
fn an_unreadable_side_is_an_error_that_writes_nothing() {
    let folder = tempfile::tempdir().expect("a folder");
    let ours = folder.path().join("ours.okr");
    let [_, ours_text, theirs_text] = case("checkins");
    std::fs::write(&ours, &ours_text).expect("write");
    let theirs = folder.path().join("theirs.okr");
    std::fs::write(&theirs, theirs_text).expect("write");
    let missing = folder.path().join("no-base.okr");
    let path = |path: &Path| path.to_string_lossy().into_owned();
    let sides = [path(&missing), path(&ours), path(&theirs)];
    for command in [&["git", "merge-driver"][..], &["merge-file"]] {
        let mut args = command.to_vec();
        args.extend(sides.iter().map(String::as_str));
        let (status, stdout, stderr) = run(&args);
        assert_eq!((status, stdout.as_str()), (2, ""), "{stderr}");
        assert!(stderr.contains("cannot read the base"), "{stderr}");
        assert_eq!(std::fs::read_to_string(&ours).expect("kept"), ours_text);
    }
}

/// `git ARGS` in `dir` with fixed dates and no user config, `PATH` as
/// given (or inherited): (status, stdout and stderr).
fn git(dir: &Path, args: &[&str], path: Option<&str>) -> (i32, String) {
    let mut command = Command::new("git");
    command
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2026-08-01T10:00:00+00:00")
        .env("GIT_COMMITTER_DATE", "2026-08-01T10:00:00+00:00")
        .env("GIT_EDITOR", "true");
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let output = command.output().expect("git runs");
    (
        output.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

const FILE: &str = "goals/marketing.okr";

/// A repository whose `main` holds the case's base then ours, and whose
/// branch `theirs` holds its base then theirs, each a dated commit.
fn branched(name: &str) -> Repo {
    let [base, ours, theirs] = case(name);
    let repo = Repo::new();
    repo.write(FILE, &base);
    repo.commit("2026-07-14", "Q3 goals");
    repo.git(&["branch", "theirs"]);
    repo.write(FILE, &ours);
    repo.commit("2026-07-28", "Our check-ins");
    repo.git(&["checkout", "-q", "theirs"]);
    repo.write(FILE, &theirs);
    repo.commit("2026-07-29", "Their check-ins");
    repo.git(&["checkout", "-q", "main"]);
    repo
}

/// `okr git setup` with this okr.
fn set_up(repo: &Repo) {
    let program = assert_cmd::cargo::cargo_bin("okr");
    let (status, _, stderr) = repo.okr(&["git", "setup", "--program", &program.to_string_lossy()]);
    assert_eq!(status, 0, "{stderr}");
}

/// `git merge theirs` into `main` (`PATH` as given, or inherited): git's
/// status and output, and the file as the merge left it.
fn merge_theirs(repo: &Repo, path: Option<&str>) -> (i32, String, String) {
    let (status, output) = git(repo.path(), &["merge", "--no-edit", "theirs"], path);
    let text = std::fs::read_to_string(repo.path().join(FILE)).expect("the merged file");
    (status, output, text)
}

/// What `okr merge-file` makes of a case: what git must leave in the file.
fn merged(name: &str) -> String {
    let paths = ["base", "ours", "theirs"].map(|side| format!("{CASES}/{name}/{side}.okr"));
    run(&["merge-file", &paths[0], &paths[1], &paths[2]]).1
}

#[test]
fn git_merge_merges_concurrent_checkins_with_the_driver() {
    let repo = branched("checkins");
    // Without the driver, git's line merge conflicts on adjacent check-ins.
    let (status, output) = git(repo.path(), &["merge", "--no-edit", "theirs"], None);
    assert_ne!(status, 0, "{output}");
    git(repo.path(), &["merge", "--abort"], None);

    set_up(&repo);
    repo.commit("2026-07-30", "okr git setup");
    let (status, output, text) = merge_theirs(&repo, None);
    assert_eq!(status, 0, "{output}");
    assert_eq!(text, merged("checkins"));
    assert!(text.contains("2026-07-21 46,000 \"Webinar\" @sam\n    2026-07-28 47,900"));
    let (status, stdout, stderr) = repo.okr(&["check", "--today", "2026-08-05", FILE]);
    assert!(status == 0 && stderr.is_empty(), "{stdout}{stderr}");
}

#[test]
fn each_conflict_kind_stops_git_merge_around_its_entity() {
    for (name, reason) in [
        (
            "conflict-target",
            "both sides changed KR marketing/engagement.visitors",
        ),
        (
            "conflict-checkin",
            "the 2026-07-21 check-in of marketing/engagement.visitors has two values",
        ),
        (
            "conflict-deleted",
            "theirs deleted KR marketing/engagement.paid; ours checked in to it",
        ),
    ] {
        let repo = branched(name);
        set_up(&repo);
        let (status, output, text) = merge_theirs(&repo, None);
        assert_eq!(status, 1, "{output}");
        assert!(output.contains(&format!("conflict: {reason}")), "{output}");
        assert!(output.contains(&format!("CONFLICT (content): Merge conflict in {FILE}")));
        assert_eq!(text, merged(name));
        assert!(text.contains(&format!("# okr merge conflict: {reason}\n<<<<<<< ours\n")));
        assert_eq!(text.matches("<<<<<<<").count(), 1, "{text}");
        let (_, unmerged) = git(
            repo.path(),
            &["diff", "--name-only", "--diff-filter=U"],
            None,
        );
        assert_eq!(unmerged.trim(), FILE);
    }
}

#[test]
fn a_side_that_does_not_parse_is_merged_as_text_and_said_so() {
    let repo = branched("unparsable");
    set_up(&repo);
    let (status, output, text) = merge_theirs(&repo, None);
    assert_eq!(status, 0, "{output}");
    assert!(
        output.contains("theirs does not parse (line 20"),
        "{output}"
    );
    assert!(output.contains("merged line by line"), "{output}");
    assert_eq!(text, merged("unparsable"));
}

#[test]
fn without_okr_the_recorded_driver_warns_and_merges_as_git_does() {
    let git_path = Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .expect("sh runs");
    let git_folder = Path::new(String::from_utf8_lossy(&git_path.stdout).trim())
        .parent()
        .map(|folder| folder.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = format!("{git_folder}:/usr/bin:/bin");
    // Independent changes: git's line merge manages them.
    let repo = branched("independent");
    let (status, _, stderr) = repo.okr(&["git", "setup", "--program", "/no/such/okr"]);
    assert_eq!(status, 0, "{stderr}");
    let (status, output, text) = merge_theirs(&repo, Some(&path));
    assert_eq!(status, 0, "{output}");
    assert!(
        output.contains(&format!(
            "okr is not where 'okr git setup' found it nor on PATH; merging {FILE} line by line with git merge-file"
        )),
        "{output}"
    );
    assert_eq!(text, merged("independent"));
    // Adjacent check-ins: git's conflict, never a failed merge.
    let repo = branched("checkins");
    repo.okr(&["git", "setup", "--program", "/no/such/okr"]);
    let (status, output, text) = merge_theirs(&repo, Some(&path));
    assert_eq!(status, 1, "{output}");
    assert!(output.contains("okr is not where"), "{output}");
    assert!(text.contains("<<<<<<< ours\n"), "{text}");
}

#[test]
fn rebase_and_cherry_pick_go_through_the_driver() {
    let repo = branched("checkins");
    set_up(&repo);
    // The setup is in the clone's config and its .gitattributes, not committed:
    // every branch sees it.
    let (status, output) = git(repo.path(), &["checkout", "-q", "theirs"], None);
    assert_eq!(status, 0, "{output}");
    let (status, output) = git(repo.path(), &["rebase", "main"], None);
    assert_eq!(status, 0, "{output}");
    let text = std::fs::read_to_string(repo.path().join(FILE)).expect("rebased");
    assert_eq!(text, merged("checkins"));

    let repo = branched("checkins");
    set_up(&repo);
    let (_, theirs) = git(repo.path(), &["rev-parse", "theirs"], None);
    let (status, output) = git(repo.path(), &["cherry-pick", theirs.trim()], None);
    assert_eq!(status, 0, "{output}");
    let text = std::fs::read_to_string(repo.path().join(FILE)).expect("picked");
    assert_eq!(text, merged("checkins"));
}

#[test]
fn setup_check_says_what_this_clone_lacks() {
    let repo = Repo::new();
    repo.write(".gitattributes", "*.okr diff=okr\n");
    repo.write(FILE, &case("checkins")[0]);
    repo.commit("2026-07-14", "Q3 goals, diff driver only");
    let (status, stdout, _) = repo.okr(&["git", "setup", "--check"]);
    assert_eq!(status, 1, "{stdout}");
    insta::assert_snapshot!("merge-setup-check-missing", stdout);
    set_up(&repo);
    let attributes = std::fs::read_to_string(repo.path().join(".gitattributes")).expect("kept");
    assert_eq!(attributes, "*.okr diff=okr\n*.okr merge=okr\n");
    let (status, stdout, _) = repo.okr(&["git", "setup", "--check"]);
    assert_eq!(status, 0, "{stdout}");
    assert_eq!(stdout.matches("ok ").count(), 4, "{stdout}");
    assert!(!stdout.contains("missing"), "{stdout}");
    assert_eq!(
        repo.git(&["config", "merge.okr.name"]).trim(),
        "okr: goal files merged by objective, KR and check-in date"
    );
    let driver = repo.git(&["config", "merge.okr.driver"]);
    assert!(driver.contains("git merge-driver"), "{driver}");
    assert!(
        driver.trim_end().ends_with("okr_merge %O %A %B %L %P"),
        "{driver}"
    );
}
