//! Issue 12, goals in git history: file names that are not UTF-8, merges in
//! a goal's story, period ends on the first-parent line, `okr git setup`
//! that refuses links and keeps `git diff` working without `okr` on PATH,
//! renamed files in the diff driver, and Git LFS pointers.

use crate::common::run;
use crate::history::{kinds, Repo, BEFORE, Q2, Q3};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `dir/name` where `name` holds bytes that are not UTF-8.
#[cfg(unix)]
fn raw_name(dir: &Path, name: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    dir.join(std::ffi::OsStr::from_bytes(name))
}

/// `git ARGS` in `dir` with PATH set to `path` (where `okr` may be missing).
fn git_with_path(dir: &Path, args: &[&str], path: &str) -> (i32, String, String) {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("PATH", path)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_PAGER", "cat")
        .output()
        .expect("git runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A PATH with git and sh but without the folder of the okr under test.
fn path_without_okr() -> String {
    let git = Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .expect("sh runs");
    let git = PathBuf::from(String::from_utf8_lossy(&git.stdout).trim());
    let folder = git.parent().map(Path::to_path_buf).unwrap_or_default();
    format!("{}:/usr/bin:/bin", folder.display())
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_read_by_its_bytes_and_shown_escaped() {
    let repo = Repo::new();
    std::fs::create_dir_all(repo.path().join("goals")).unwrap();
    std::fs::write(raw_name(repo.path(), b"goals/q2-\xff.okr"), Q2).unwrap();
    repo.commit("2026-04-01", "Q2 goals");
    let q3 = raw_name(repo.path(), b"goals/q3-\xff.okr");
    std::fs::write(&q3, Q3).unwrap();
    repo.commit("2026-07-02", "Q3 goals");

    // Both periods' ends are commits: neither file may be dropped.
    let json = repo.json(&["diff", "2026-Q2", "2026-Q3", "--today", "2026-10-20"], 0);
    assert_eq!(
        json["carried_over"],
        serde_json::json!(["marketing/engagement"]),
        "{json:#}"
    );

    // Two revisions: the file is named by its bytes, escaped.
    let json = repo.json(&["diff", "HEAD~1", "HEAD"], 0);
    let added = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["ref"] == "marketing/brand")
        .expect("brand added");
    assert_eq!(added["file"], "goals/q3-\\xff.okr");

    // The working tree: the file is opened by its real name.
    std::fs::write(&q3, Q3.replace("target 2,500", "target 2,000")).unwrap();
    let json = repo.json(&["diff"], 0);
    assert_eq!(
        kinds(&json),
        [(
            "target-changed".to_string(),
            "marketing/engagement.trials".to_string()
        )]
    );
    // And a period still open reads it from the working tree.
    let json = repo.json(&["diff", "2026-Q2", "2026-Q3", "--today", "2026-08-15"], 0);
    assert_eq!(
        json["carried_over"],
        serde_json::json!(["marketing/engagement"]),
        "{json:#}"
    );
}

#[test]
fn log_shows_a_conflict_resolved_in_a_merge_commit() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write(
        "goals/marketing.okr",
        &BEFORE.replace(
            "kr mentions \"Press mentions\" target 40",
            "kr mentions \"Press mentions\" target 100",
        ),
    );
    repo.commit("2026-07-02", "Side: 100 mentions");
    repo.git(&["checkout", "-q", "main"]);
    repo.write(
        "goals/marketing.okr",
        &BEFORE.replace(
            "kr mentions \"Press mentions\" target 40",
            "kr mentions \"Press mentions\" target 200",
        ),
    );
    repo.commit("2026-07-03", "Main: 200 mentions");
    // The merge conflicts; it is resolved to a third value.
    let merged = Command::new("git")
        .args(["merge", "-q", "side"])
        .current_dir(repo.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(!merged.status.success(), "the merge should conflict");
    repo.write(
        "goals/marketing.okr",
        &BEFORE.replace(
            "kr mentions \"Press mentions\" target 40",
            "kr mentions \"Press mentions\" target 300",
        ),
    );
    let merge = repo.commit("2026-07-04", "Merge side: 300 mentions");

    let json = repo.json(&["log", "marketing/brand.mentions"], 0);
    let entries = json["entries"].as_array().expect("entries");
    let last = entries.last().expect("an entry");
    assert_eq!(last["commit"], merge.as_str(), "{json:#}");
    assert_eq!(last["changes"][0]["to"], 300, "{json:#}");
    // The story has each side's change once, and the merge's.
    assert_eq!(entries.len(), 4, "{json:#}");
    // A merge that takes one side as it is tells nothing new.
    let visitors = repo.json(&["log", "marketing/engagement.visitors"], 0);
    assert_eq!(
        visitors["entries"].as_array().map(Vec::len),
        Some(1),
        "{visitors:#}"
    );
}

#[test]
fn period_ends_are_read_along_the_first_parent_history() {
    let repo = Repo::new();
    repo.write("goals/q3.okr", Q3);
    let start = repo.commit("2026-07-01", "Q3 goals");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("goals/q3.okr", &Q3.replace("target 2,500", "target 9,999"));
    // Made in Q3 on a branch merged only in Q4: not Q3's state on main.
    let side = repo.commit("2026-09-20", "Side: trials 9,999");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("goals/notes.txt", "notes\n");
    let main_q3 = repo.commit("2026-09-10", "Main in Q3");
    let stamp = "2026-10-05T10:00:00+00:00";
    Repo::git_in(
        repo.path(),
        &["merge", "-q", "--no-ff", "-m", "Merge side", "side"],
        stamp,
    );
    assert_ne!(start, main_q3);

    let json = repo.json(&["diff", "2026-Q3", "2026-Q3", "--today", "2026-12-01"], 0);
    let as_of = json["as_of"]["from"].as_str().unwrap_or_default();
    assert!(
        as_of.starts_with(&main_q3[..7]),
        "{as_of} is not main's {main_q3}"
    );

    // `--at REV` reads the periods from another line of history.
    let json = repo.json(
        &[
            "diff",
            "2026-Q3",
            "2026-Q3",
            "--today",
            "2026-12-01",
            "--at",
            "side",
        ],
        0,
    );
    let as_of = json["as_of"]["from"].as_str().unwrap_or_default();
    assert!(
        as_of.starts_with(&side[..7]),
        "{as_of} is not the side's {side}"
    );
    let (status, _, stderr) = repo.okr(&["diff", "HEAD~1", "HEAD", "--at", "side"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("period diffs"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn git_setup_refuses_to_write_through_a_link() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("attributes");
    std::fs::write(&target, "# someone else's file\n").unwrap();
    std::os::unix::fs::symlink(&target, repo.path().join(".gitattributes")).unwrap();
    let (status, stdout, stderr) = repo.okr(&["git", "setup"]);
    assert_eq!(status, 2, "{stdout}");
    assert!(
        stderr.contains("`.gitattributes` is a symbolic link"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "# someone else's file\n",
        "nothing is written outside the repository"
    );
    let (code, config, _) = git_with_path(
        repo.path(),
        &["config", "--get", "diff.okr.command"],
        &path_without_okr(),
    );
    assert_eq!((code, config.as_str()), (1, ""), "nothing is configured");

    // A linked .git/config is refused the same way.
    std::fs::remove_file(repo.path().join(".gitattributes")).unwrap();
    let config = repo.path().join(".git/config");
    let moved = outside.path().join("config");
    std::fs::rename(&config, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &config).unwrap();
    let (status, _, stderr) = repo.okr(&["git", "setup"]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("`.git/config` is a symbolic link"),
        "{stderr}"
    );
    assert!(!repo.path().join(".gitattributes").exists());
}

#[test]
fn git_diff_works_where_okr_is_not_on_path() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    let program = assert_cmd::cargo::cargo_bin("okr");
    let folder = program.parent().expect("a folder").display().to_string();
    // Set up where okr is on PATH, then diff where it is not (an IDE).
    let with_okr = format!("{folder}:{}", path_without_okr());
    let setup = crate::common::okr()
        .args(["git", "setup"])
        .current_dir(repo.path())
        .env("PATH", &with_okr)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("okr runs");
    assert!(setup.status.success());
    repo.write(
        "goals/marketing.okr",
        &BEFORE.replace("target 60,000", "target 50,000"),
    );
    repo.write("notes.txt", "other files' changes are shown too\n");
    repo.git(&["add", "-N", "notes.txt"]);
    let (status, shown, stderr) = git_with_path(repo.path(), &["diff"], &path_without_okr());
    assert_eq!(status, 0, "{stderr}");
    assert!(shown.contains("target-lowered"), "{shown}");
    assert!(shown.contains("other files' changes"), "{shown}");

    // An okr that is gone: a one-line note and the text diff, not a failure.
    let (status, _, stderr) = repo.okr(&["git", "setup", "--program", "/nowhere/okr"]);
    assert_eq!(status, 0, "{stderr}");
    let (status, shown, stderr) = git_with_path(repo.path(), &["diff"], &path_without_okr());
    assert_eq!(status, 0, "{stderr}");
    assert!(shown.contains("okr: okr is not where"), "{shown}");
    assert!(shown.contains("+  kr visitors"), "{shown}");
    assert!(shown.contains("other files' changes"), "{shown}");
}

#[test]
fn the_diff_driver_names_a_renamed_file_by_both_names() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    let program = assert_cmd::cargo::cargo_bin("okr");
    let (status, _, stderr) = repo.okr(&["git", "setup", "--program", &program.to_string_lossy()]);
    assert_eq!(status, 0, "{stderr}");
    repo.git(&["mv", "goals/marketing.okr", "goals/demand.okr"]);
    repo.write(
        "goals/demand.okr",
        &BEFORE.replace("target 60,000", "target 50,000"),
    );
    repo.git(&["add", "-A"]);
    let shown = repo.git(&["diff", "--cached", "-M"]);
    assert!(
        shown.contains("a/goals/marketing.okr → b/goals/demand.okr"),
        "{shown}"
    );
    assert!(shown.contains("target-lowered"), "{shown}");
}

const POINTER: &str = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";

#[test]
fn a_git_lfs_pointer_is_named_as_such() {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", BEFORE);
    repo.commit("2026-07-01", "Q3 goals");
    repo.write("goals/marketing.okr", POINTER);
    repo.commit("2026-07-02", "Move goals to LFS");
    let (status, _, stderr) = repo.okr(&["diff", "HEAD~1", "HEAD"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("Git LFS pointer"), "{stderr}");
    assert!(stderr.contains("git lfs pull"), "{stderr}");
    assert!(!stderr.contains("period"), "{stderr}");

    let file = repo.path().join("goals/marketing.okr");
    let (status, stdout, stderr) = run(&["check", "--color", "never", &file.to_string_lossy()]);
    assert_ne!(status, 0);
    let said = format!("{stdout}{stderr}");
    assert!(said.contains("Git LFS pointer"), "{said}");
    assert!(said.contains("git lfs pull"), "{said}");
    assert!(!said.contains("period"), "{said}");
}
