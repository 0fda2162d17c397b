//! `okr watch` driven by real file events: the binary runs with its output
//! piped, and each step waits (with a generous timeout) for the status line
//! that shows the change was seen.

use crate::common::files_in;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long a step waits for the line that shows it was seen: a guard against
/// a hang on a busy machine, not a measure of speed.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A running `okr watch` and the lines it prints.
struct Watching {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watching {
    fn start(dir: &Path, args: &[&str]) -> Watching {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("okr"))
            .current_dir(dir)
            .env_remove("OKR_TODAY")
            .env("NO_COLOR", "1")
            .arg("watch")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("okr watch starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Watching {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a status line that contains every one of `parts`.
    fn status(&mut self, parts: &[&str]) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if let Ok(line) = self.lines.recv_timeout(left) {
                self.seen.push(line.clone());
                if line.starts_with('[') && parts.iter().all(|part| line.contains(part)) {
                    return line;
                }
            } else {
                let _ = self.child.kill();
                panic!(
                    "no status line with {parts:?}; output:\n{}",
                    self.seen.join("\n")
                );
            }
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The four example files the counts in these tests are written for.
fn copy_examples(dir: &Path) {
    for name in ["company.okr", "growth.okr", "marketing.okr", "sales.okr"] {
        fs::copy(Path::new("examples").join(name), dir.join(name)).unwrap();
    }
}

#[test]
fn survives_what_editors_do() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_examples(root);
    let report = root.join("report.md");
    let mut watch = Watching::start(
        root,
        &["--report", "md", "-o", "report.md", "--today", "2026-08-15"],
    );
    let first = watch.status(&["4 files (4 re-read): 0 errors", "report updated"]);
    assert!(first.starts_with("[20"), "{first}");
    assert!(report.exists());

    // An in-place save: one file re-read, the report rewritten.
    let marketing = root.join("marketing.okr");
    let mut file = fs::OpenOptions::new()
        .append(true)
        .open(&marketing)
        .unwrap();
    writeln!(file, "# saved in place").unwrap();
    drop(file);
    watch.status(&["4 files (1 re-read): 0 errors", "report updated"]);

    // A save by rename (vim, VS Code, JetBrains) of a half-written file.
    let sales = root.join("sales.okr");
    let good = fs::read_to_string(&sales).unwrap();
    let cut = good.find("objective").unwrap() + 14;
    fs::write(root.join(".sales.okr.swp"), &good[..cut]).unwrap();
    fs::rename(root.join(".sales.okr.swp"), &sales).unwrap();
    watch.status(&["1 error", "report not updated"]);
    let kept = fs::read_to_string(&report).unwrap();
    assert!(kept.contains("Sales"), "the last good report was replaced");

    // Fixed in place.
    fs::write(&sales, &good).unwrap();
    watch.status(&["4 files (1 re-read): 0 errors", "report updated"]);

    // Deleted, then created again.
    let growth = root.join("growth.okr");
    let text = fs::read_to_string(&growth).unwrap();
    fs::remove_file(&growth).unwrap();
    watch.status(&["3 files (0 re-read)"]);
    fs::write(&growth, &text).unwrap();
    watch.status(&["4 files (1 re-read): 0 errors"]);

    // A new folder with a file, the folder renamed, then the file removed
    // from the renamed folder: still watched.
    fs::create_dir(root.join("team")).unwrap();
    fs::write(root.join("team/extra.okr"), "period 2026-Q3\nteam extra\n").unwrap();
    watch.status(&["5 files"]);
    fs::rename(root.join("team"), root.join("moved")).unwrap();
    watch.status(&["5 files (1 re-read)"]);
    fs::remove_file(root.join("moved/extra.okr")).unwrap();
    watch.status(&["4 files (0 re-read)"]);

    // Ctrl-C ends it cleanly.
    let status = Command::new("kill")
        .args(["-INT", &watch.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + TIMEOUT;
    while watch.seen.last().map(String::as_str) != Some("stopped") {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = watch
            .lines
            .recv_timeout(left)
            .expect("`stopped` after Ctrl-C");
        watch.seen.push(line);
    }
    let exit = watch.child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
    // Nothing but the goals and the report is left in the folder.
    assert_eq!(
        files_in(root),
        [
            "company.okr",
            "growth.okr",
            "marketing.okr",
            "moved",
            "report.md",
            "sales.okr"
        ]
    );
}

#[test]
fn a_watched_file_replaced_by_rename_is_still_watched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_examples(root);
    let mut watch = Watching::start(
        root,
        &["marketing.okr", "company.okr", "--today", "2026-08-15"],
    );
    watch.status(&["2 files (2 re-read): 0 errors"]);
    for round in 0..3 {
        let text = fs::read_to_string(root.join("company.okr")).unwrap();
        fs::write(
            root.join("company.okr.tmp"),
            format!("{text}# round {round}\n"),
        )
        .unwrap();
        fs::rename(root.join("company.okr.tmp"), root.join("company.okr")).unwrap();
        watch.status(&["2 files (1 re-read): 0 errors"]);
    }
    // A file named on the command line that disappears is waited for.
    let text = fs::read_to_string(root.join("marketing.okr")).unwrap();
    fs::remove_file(root.join("marketing.okr")).unwrap();
    watch.status(&["1 file (0 re-read)", "waiting for `marketing.okr`"]);
    fs::write(root.join("marketing.okr"), text).unwrap();
    watch.status(&["2 files (1 re-read): 0 errors"]);
}

/// Resident memory of a process, in kilobytes (Linux).
fn resident_kb(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            let line = status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))?
                .to_string();
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

#[test]
fn a_storm_of_a_thousand_saves_ends_in_the_last_state() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_examples(root);
    let mut watch = Watching::start(
        root,
        &["--report", "md", "-o", "report.md", "--today", "2026-08-15"],
    );
    watch.status(&["4 files (4 re-read): 0 errors", "report updated"]);
    let before = resident_kb(watch.child.id());

    let marketing = root.join("marketing.okr");
    let original = fs::read_to_string(&marketing).unwrap();
    let version = |n: usize| original.replace("Achieve record-breaking", &format!("Save {n}:"));
    for n in 0..1_000 {
        match n % 4 {
            // In place, sometimes half-written (a syntax error) for a moment.
            0 => {
                let text = if n % 8 == 0 {
                    original[..original.len() / 3].to_string()
                } else {
                    version(n)
                };
                fs::write(&marketing, text).unwrap();
            }
            // Atomic save by rename.
            1 => {
                let swap = root.join(".marketing.okr.tmp");
                fs::write(&swap, version(n)).unwrap();
                fs::rename(&swap, &marketing).unwrap();
            }
            // Deleted, then written again.
            2 => {
                fs::remove_file(&marketing).unwrap();
                fs::write(&marketing, version(n)).unwrap();
            }
            // Another file saved in place.
            _ => fs::write(
                root.join("sales.okr"),
                fs::read(root.join("sales.okr")).unwrap(),
            )
            .unwrap(),
        }
    }
    fs::write(&marketing, version(1_000)).unwrap();

    // The last state is what the report ends up showing.
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let report = fs::read_to_string(root.join("report.md")).unwrap_or_default();
        if report.contains("Save 1000:") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the last save never reached the report:\n{}",
            watch.seen.join("\n")
        );
        while let Ok(line) = watch.lines.try_recv() {
            watch.seen.push(line);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        watch.child.try_wait().unwrap().is_none(),
        "okr watch is still running"
    );
    let after = resident_kb(watch.child.id());
    assert!(
        after < before + 64 * 1024,
        "memory grew from {before} kB to {after} kB"
    );
}

/// A watcher re-lints only the files a save can affect; after every save its
/// findings must be exactly those of a fresh `okr check` of the folder.
#[test]
fn a_save_re_lints_what_reads_the_saved_team_and_matches_a_fresh_check() {
    use okr::diagnostic::render::{self, Format, Style};
    use okr::watch::{absolute, Session};
    use okr::workspace::Workspace;
    use std::collections::HashSet;

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
    let style = Style {
        color: false,
        width: 100,
    };
    let parent = |objective: &str| {
        format!(
            "period 2026-Q3\nteam a\n\nobjective {objective} \"Grow\"\n  kr k \"K\" target 10\n"
        )
    };
    fs::write(root.join("a.okr"), parent("grow")).unwrap();
    fs::write(
        root.join("b.okr"),
        "period 2026-Q3\nteam b\n\nobjective x \"X\"\n  aligns a/grow\n  kr k \"K\" target 10\n",
    )
    .unwrap();
    fs::write(
        root.join("c.okr"),
        "period 2026-Q3\nteam c\n\nobjective y \"Y\"\n  kr k \"K\" target 10\n",
    )
    .unwrap();
    let mut session = Session::new(vec![root.to_path_buf()], None, Some(today), style);
    let fresh = || {
        let workspace = Workspace::load(&[root.to_path_buf()]).unwrap();
        let diagnostics = okr::check::check(&workspace, today, &[]);
        render::diagnostics(&workspace, &diagnostics, Format::Human, style)
    };
    let save = |session: &mut Session, file: &str, text: &str| {
        fs::write(root.join(file), text).unwrap();
        session.run(&HashSet::from([absolute(&root.join(file))]))
    };

    let first = session.run(&HashSet::new());
    assert_eq!((first.errors, first.output.clone()), (0, fresh()));
    // `a/grow` renamed: `b`, which aligns to it, is re-linted and breaks.
    let renamed = save(&mut session, "a.okr", &parent("expand"));
    assert_eq!(renamed.reread, 1);
    assert_eq!(
        renamed.lints_reused, 1,
        "only `c` reads nothing `a` changed"
    );
    assert_eq!(renamed.errors, 1, "{}", renamed.output);
    assert!(renamed.output.contains("a/grow"), "{}", renamed.output);
    assert_eq!(renamed.output, fresh());
    // A save elsewhere keeps `b`'s finding (from the cache).
    let unrelated = save(
        &mut session,
        "c.okr",
        "period 2026-Q3\nteam c\n\nobjective y \"Why\"\n  kr k \"K\" target 10\n",
    );
    assert_eq!((unrelated.errors, unrelated.output.clone()), (1, fresh()));
    assert_eq!(unrelated.lints_reused, 2, "`a` and `b` from the cache");
    // Renamed back: `b` is clean again.
    let restored = save(&mut session, "a.okr", &parent("grow"));
    assert_eq!((restored.errors, restored.output.clone()), (0, fresh()));
}

/// A watch session over `root` (as of 2026-08-15) keeping a Markdown
/// report at `out`.
fn report_session(root: &std::path::Path, out: &std::path::Path) -> okr::watch::Session {
    let target = okr::watch::ReportTarget {
        path: out.to_path_buf(),
        format: okr::report::render::Format::Md,
        templates: okr::report::templates::Templates::load(None).unwrap(),
        period: None,
    };
    let style = okr::diagnostic::render::Style {
        color: false,
        width: 100,
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 8, 15);
    okr::watch::Session::new(vec![root.to_path_buf()], Some(target), today, style)
}

#[test]
fn a_path_that_cannot_be_read_keeps_the_last_good_report() {
    use okr::watch::ReportStatus;
    use std::collections::HashSet;

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("goals");
    fs::create_dir(&root).unwrap();
    copy_examples(&root);
    let out = dir.path().join("report.md");
    let mut session = report_session(&root, &out);
    let first = session.run(&HashSet::new());
    assert_eq!(first.report, ReportStatus::Written(out.clone()));
    let good = fs::read(&out).unwrap();

    // A goals file that cannot be read (over the 4 GiB limit; sparse, so
    // it costs no disk): the report would lack its team, so it stays.
    let huge = root.join("huge.okr");
    fs::File::create(&huge).unwrap().set_len(5 << 30).unwrap();
    fs::write(root.join("company.okr"), "period 2026-Q3\nteam company\n").unwrap();
    let blocked = session.run(&HashSet::new());
    assert_eq!(blocked.report, ReportStatus::KeptForUnreadable);
    assert_eq!(fs::read(&out).unwrap(), good, "the last good report stays");
    let line = blocked.status_line();
    assert!(
        line.contains("cannot read `") && line.contains("huge.okr`: the file is over 4 GiB"),
        "{line}"
    );
    assert!(
        line.contains("report not updated while goals cannot be read"),
        "{line}"
    );
    assert!(!line.contains("report updated"), "{line}");

    // Readable again: the report follows the files once more.
    fs::remove_file(&huge).unwrap();
    let back = session.run(&HashSet::new());
    assert_eq!(back.report, ReportStatus::Written(out.clone()));
    assert_ne!(fs::read(&out).unwrap(), good);

    // A watched folder that goes away keeps the report too.
    fs::rename(&root, dir.path().join("moved")).unwrap();
    let gone = session.run(&HashSet::new());
    assert_eq!(gone.report, ReportStatus::KeptForUnreadable);
    let line = gone.status_line();
    assert!(line.contains("; waiting for `"), "{line}");
    assert!(!line.contains("waiting for `cannot read"), "{line}");
}

/// A watched folder with two periods reports the one containing today, and
/// the workspace the report narrowed comes back whole for the next run.
#[test]
fn a_watched_report_shows_todays_period_run_after_run() {
    use okr::watch::{absolute, ReportStatus};
    use std::collections::HashSet;

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("goals");
    fs::create_dir(&root).unwrap();
    for entry in fs::read_dir("tests/fixtures/periods").unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, root.join(path.file_name().unwrap())).unwrap();
    }
    let out = dir.path().join("report.md");
    let mut session = report_session(&root, &out);
    let first = session.run(&HashSet::new());
    assert_eq!(first.report, ReportStatus::Written(out.clone()));
    let page = fs::read_to_string(&out).unwrap();
    assert!(
        page.contains("Trial signups in Q3") && !page.contains("Trial signups in Q2"),
        "{page}"
    );
    // (100% + 1,600/3,000) / 2 = 77%.
    assert!(page.contains("## Company · 2026: 77%"), "{page}");

    // Q3 reaches 2,400 of 3,000: (100% + 80%) / 2 = 90%.
    let q3 = root.join("marketing-2026-Q3.okr");
    let text = fs::read_to_string(&q3).unwrap();
    fs::write(&q3, text.replace("2026-08-10 1,600", "2026-08-10 2,400")).unwrap();
    let second = session.run(&HashSet::from([absolute(&q3)]));
    assert_eq!(
        second.report,
        ReportStatus::Written(out.clone()),
        "{}",
        second.output
    );
    let page = fs::read_to_string(&out).unwrap();
    assert!(
        page.contains("2,400 of 3,000") && !page.contains("Trial signups in Q2"),
        "{page}"
    );
    assert!(page.contains("## Company · 2026: 90%"), "{page}");
}
