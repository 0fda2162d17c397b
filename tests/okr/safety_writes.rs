//! Writing goal files safely (issue 12): concurrent writers lose no line,
//! paths are written by their real bytes, no existing byte changes, a file's
//! permissions, owner and links are respected, new files honour the umask,
//! and `okr new --from FOLDER` writes one file per team.

use crate::common::{run_in, TODAY};
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// One objective with `krs` KRs, `k0`…, none checked in yet.
fn goals(team: &str, krs: usize) -> String {
    let mut text = format!("period 2026-Q3\nteam {team}\nobjective o \"O\"\n");
    for kr in 0..krs {
        text.push_str(&format!("  kr k{kr} \"K{kr}\" target 100\n"));
    }
    text
}

/// A check-in into `m.okr` as the files of [`goals`] allow it.
const CHECKIN_M: [&str; 7] = [
    "checkin",
    "o.k0",
    "5",
    "--date",
    "2026-07-02",
    "--in",
    "m.okr",
];

/// `okr ARGS` in `dir`, started and left running.
fn spawn_in(dir: &Path, args: &[String]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_okr"))
        .current_dir(dir)
        .args(args)
        .env_remove("OKR_TODAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs one check-in per KR `k0`…`k{n-1}` of `file` at once, dated `date`;
/// every line a process reported written (exit 0) must be in the file after.
fn concurrent_checkins(dir: &Path, file: &str, krs: usize, date: &str) {
    let children: Vec<Child> = (0..krs)
        .map(|kr| {
            let args = [
                "checkin",
                &format!("o.k{kr}"),
                "5",
                "--date",
                date,
                "--in",
                file,
            ];
            spawn_in(dir, &args.map(String::from))
        })
        .collect();
    let text = |dir: &Path| fs::read_to_string(dir.join(file)).unwrap();
    let mut written = Vec::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let line = stdout.trim_end().rsplit(": ").next().unwrap().to_string();
        written.push(line);
    }
    let after = text(dir);
    for line in &written {
        assert!(after.contains(line), "lost `{line}`:\n{after}");
    }
    assert_eq!(after.matches(&format!("{date} 5")).count(), krs, "{after}");
}

#[test]
fn concurrent_checkins_lose_no_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("m.okr"), goals("m", 2)).unwrap();
    for round in 0..20 {
        let date = format!("2026-07-{:02}", round + 1);
        concurrent_checkins(dir.path(), "m.okr", 2, &date);
    }
    fs::write(dir.path().join("w.okr"), goals("w", 8)).unwrap();
    concurrent_checkins(dir.path(), "w.okr", 8, "2026-07-01");
}

#[test]
fn fmt_while_checkin_runs_loses_no_line() {
    let dir = tempfile::tempdir().unwrap();
    // Spaced out, so `fmt` has something to rewrite every round.
    let unformatted = "period   2026-Q3\nteam m\nobjective o \"O\"\n  kr k0 \"K0\"   target 100\n";
    for round in 0..10 {
        let date = format!("2026-07-{:02}", round + 1);
        let text = fs::read_to_string(dir.path().join("m.okr")).unwrap_or_default();
        let text = if round == 0 {
            unformatted.to_string()
        } else {
            text.replace("period 2026-Q3", "period   2026-Q3")
        };
        fs::write(dir.path().join("m.okr"), text).unwrap();
        let checkin = ["checkin", "o.k0", "5", "--date", &date, "--in", "m.okr"];
        let checkin = spawn_in(dir.path(), &checkin.map(String::from));
        let fmt = spawn_in(dir.path(), &["fmt".to_string(), "m.okr".to_string()]);
        let checkin = checkin.wait_with_output().unwrap();
        let fmt = fmt.wait_with_output().unwrap();
        assert_eq!(checkin.status.code(), Some(0), "{checkin:?}");
        assert_eq!(fmt.status.code(), Some(0), "{fmt:?}");
        let after = fs::read_to_string(dir.path().join("m.okr")).unwrap();
        assert_eq!(after.matches(" 5\n").count(), round + 1, "{after}");
        assert!(after.contains(&format!("{date} 5")), "{after}");
    }
}

#[test]
fn a_writer_that_cannot_get_the_lock_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.okr");
    fs::write(&path, goals("m", 1)).unwrap();
    // Another writer holds the file for longer than okr waits.
    let held = fs::File::open(&path).unwrap();
    held.lock().unwrap();
    let (status, _, stderr) = run_in(dir.path(), CHECKIN_M);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("another okr"), "{stderr}");
    assert_eq!(fs::read_to_string(&path).unwrap(), goals("m", 1));
    held.unlock().unwrap();
}

#[test]
fn a_name_that_is_not_utf8_is_written_by_its_real_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join(OsStr::from_bytes(b"x\xff.okr"));
    // What a lossy conversion of that name would write to: another team's file.
    let lossy = dir.path().join("x\u{fffd}.okr");
    let theirs = goals("other", 1);
    fs::write(&real, goals("x", 1)).unwrap();
    fs::write(&lossy, &theirs).unwrap();
    let (status, stdout, stderr) = run_in(
        dir.path(),
        ["checkin", "x/o.k0", "5", "--date", "2026-07-02"],
    );
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "x\\xff.okr:5: 2026-07-02 5\n");
    assert!(fs::read_to_string(&real).unwrap().contains("2026-07-02 5"));
    assert_eq!(fs::read_to_string(&lossy).unwrap(), theirs);

    // fmt rewrites the real file, and names it escaped.
    fs::write(&real, goals("x", 1).replace("period ", "period   ")).unwrap();
    let name = real.file_name().unwrap();
    let (status, stdout, stderr) = run_in(dir.path(), [OsStr::new("fmt"), name]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "formatted x\\xff.okr\n");
    assert!(fs::read_to_string(&real)
        .unwrap()
        .starts_with("period 2026-Q3\n"));
    assert_eq!(fs::read_to_string(&lossy).unwrap(), theirs);

    // new writes beside it, by the old name's bytes.
    let (status, stdout, stderr) = run_in(
        dir.path(),
        [
            OsStr::new("new"),
            OsStr::new("2026-Q4"),
            OsStr::new("--from"),
            name,
        ],
    );
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.starts_with("wrote x\\xff-2026-Q4.okr for 2026-Q4\n"),
        "{stdout}"
    );
    assert!(dir
        .path()
        .join(OsStr::from_bytes(b"x\xff-2026-Q4.okr"))
        .is_file());
    assert!(!dir.path().join("x\u{fffd}-2026-Q4.okr").exists());
}

#[test]
fn a_checkin_changes_no_existing_byte_where_line_endings_are_mixed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.okr");
    let before = "period 2026-Q3\r\nteam m\r\nobjective o \"O\"\r\n  kr k0 \"K0\" target 100\n  kr k1 \"K1\" target 100\r\n  kr k2 \"K2\" target 100";
    fs::write(&path, before).unwrap();
    for (kr, date) in [
        ("o.k0", "2026-07-02"),
        ("o.k1", "2026-07-02"),
        ("o.k2", "2026-07-02"),
    ] {
        let (status, _, stderr) = run_in(
            dir.path(),
            ["checkin", kr, "5", "--date", date, "--in", "m.okr"],
        );
        assert_eq!(status, 0, "{stderr}");
    }
    let after = fs::read_to_string(&path).unwrap();
    // Each new line ends as the line above it does; at the end of a file
    // without a final line ending, it gets the file's before it and none after.
    assert_eq!(
        after,
        "period 2026-Q3\r\nteam m\r\nobjective o \"O\"\r\n  kr k0 \"K0\" target 100\n    2026-07-02 5\n  kr k1 \"K1\" target 100\r\n    2026-07-02 5\r\n  kr k2 \"K2\" target 100\r\n    2026-07-02 5"
    );
}

#[test]
fn a_checkin_must_follow_the_latest_even_when_checkins_are_out_of_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.okr");
    let before = format!(
        "{}    2026-07-10 1\n    2026-07-20 2\n    2026-07-15 3\n",
        goals("m", 1)
    );
    fs::write(&path, &before).unwrap();
    let (status, _, stderr) = run_in(
        dir.path(),
        [
            "checkin",
            "o.k0",
            "5",
            "--date",
            "2026-07-18",
            "--in",
            "m.okr",
        ],
    );
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains("last checked in on 2026-07-20 (line 6)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("out of order: line 7 is dated 2026-07-15"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), before);
}

#[test]
fn a_read_only_file_is_refused_by_checkin_and_fmt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.okr");
    let before = goals("m", 1).replace("period ", "period   ");
    fs::write(&path, &before).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    for args in [&CHECKIN_M[..], &["fmt", "m.okr"][..]] {
        let (status, _, stderr) = run_in(dir.path(), args);
        assert_eq!(status, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("`m.okr`: it is read-only"), "{stderr}");
        assert_eq!(fs::read_to_string(&path).unwrap(), before);
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o7777, 0o444);
    }
}

#[test]
fn a_rewrite_keeps_mode_and_owner() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.okr");
    fs::write(&path, goals("m", 1)).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    // Only root may give a file away: elsewhere the owner part is not tried.
    let given = std::os::unix::fs::chown(&path, Some(4242), Some(4343)).is_ok();
    let (status, _, stderr) = run_in(dir.path(), CHECKIN_M);
    assert_eq!(status, 0, "{stderr}");
    let metadata = fs::metadata(&path).unwrap();
    assert!(fs::read_to_string(&path).unwrap().contains("2026-07-02 5"));
    assert_eq!(metadata.mode() & 0o7777, 0o640);
    if given {
        assert_eq!((metadata.uid(), metadata.gid()), (4242, 4343));
    }
}

#[test]
fn a_file_with_other_hard_links_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.okr");
    let before = goals("m", 1).replace("period ", "period   ");
    fs::write(&path, &before).unwrap();
    fs::create_dir(dir.path().join("elsewhere")).unwrap();
    let link = dir.path().join("elsewhere").join("m.okr.bak");
    fs::hard_link(&path, &link).unwrap();
    for args in [&CHECKIN_M[..], &["fmt", "m.okr"][..]] {
        let (status, _, stderr) = run_in(dir.path(), args);
        assert_eq!(status, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("1 other hard link"), "{stderr}");
        assert_eq!(fs::read_to_string(&path).unwrap(), before);
        assert_eq!(
            fs::metadata(&path).unwrap().ino(),
            fs::metadata(&link).unwrap().ino()
        );
    }
}

/// Runs `okr ARGS` in `dir` under `umask`.
fn with_umask(dir: &Path, umask: &str, args: &str) -> i32 {
    let script = format!("umask {umask} && exec \"$0\" {args}");
    let status = Command::new("sh")
        .current_dir(dir)
        .args(["-c", &script, env!("CARGO_BIN_EXE_okr")])
        .env("OKR_TODAY", TODAY)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    status.code().unwrap_or(-1)
}

#[test]
fn new_files_honour_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("m.okr"), goals("m", 1)).unwrap();
    let mode = |name: &str| fs::metadata(dir.path().join(name)).unwrap().mode() & 0o777;
    assert_eq!(with_umask(dir.path(), "077", "new 2026-Q4 --from m.okr"), 0);
    assert_eq!(mode("m-2026-Q4.okr"), 0o600);
    assert_eq!(
        with_umask(dir.path(), "027", "report m.okr -o report.md"),
        0
    );
    assert_eq!(mode("report.md"), 0o640);
    assert_eq!(
        with_umask(dir.path(), "002", "report m.okr --format html -o r.html"),
        0
    );
    assert_eq!(mode("r.html"), 0o664);
}

#[test]
fn new_from_a_folder_writes_one_file_per_team() {
    let dir = tempfile::tempdir().unwrap();
    let goals_dir = dir.path().join("goals");
    fs::create_dir(&goals_dir).unwrap();
    fs::write(goals_dir.join("a.okr"), goals("a", 1)).unwrap();
    fs::write(goals_dir.join("b.okr"), goals("b", 1)).unwrap();
    // An older period of team a: history, not a start.
    fs::write(
        goals_dir.join("a-2026-Q2.okr"),
        goals("a", 1).replace("2026-Q3", "2026-Q2"),
    )
    .unwrap();
    let (status, stdout, stderr) = run_in(dir.path(), ["new", "2026-Q4", "--from", "goals"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        stdout,
        "wrote goals/a-2026-Q4.okr for 2026-Q4\ncarried over: o\nleft behind (done): none\n\
         wrote goals/b-2026-Q4.okr for 2026-Q4\ncarried over: o\nleft behind (done): none\n"
    );
    let names = crate::common::files_in(&goals_dir);
    assert_eq!(
        names,
        [
            "a-2026-Q2.okr",
            "a-2026-Q4.okr",
            "a.okr",
            "b-2026-Q4.okr",
            "b.okr"
        ]
    );
    for team in ["a", "b"] {
        let new = fs::read_to_string(goals_dir.join(format!("{team}-2026-Q4.okr"))).unwrap();
        assert!(
            new.starts_with(&format!("period 2026-Q4\nteam {team}\n")),
            "{new}"
        );
    }
    // Again: each team's latest file is now 2026-Q4's; nothing is written.
    let (status, _, stderr) = run_in(dir.path(), ["new", "2026-Q4", "--from", "goals"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("does not start after"), "{stderr}");
    assert_eq!(crate::common::files_in(&goals_dir), names);
    // -o names a folder to write into.
    let out: PathBuf = dir.path().join("next");
    fs::create_dir(&out).unwrap();
    let (status, _, stderr) = run_in(
        dir.path(),
        ["new", "2027-Q1", "--from", "goals", "-o", "next"],
    );
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        crate::common::files_in(&out),
        ["a-2027-Q1.okr", "b-2027-Q1.okr"]
    );
}
