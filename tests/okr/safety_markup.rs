//! Issue 12, output side: no goal text, file name, commit author or summary
//! reaches a terminal as a command or a pull-request comment as a mention,
//! link, image, HTML, math or table break; numbers print exactly.

use crate::common::{okr, run, Test, TODAY};
use std::fs;
use std::path::Path;
use std::process::Command;

/// Erases the line above: the proof of concept that hid "target lowered".
const ERASE: &str = "\u{1b}[1A\u{1b}[2K";

/// Text a pull-request comment must show, never act on.
const ATTACKS: &str = "@user @org/team ~~strike~~ https://evil.example/x www.evil.example <img src=x> ![i](http://x.io/i.png) [l](http://x.io) $x^2$ a|b";

/// Forms of [`ATTACKS`] that would be live in GitHub Markdown.
const LIVE: &[&str] = &[
    "@user",
    "@org/team",
    "~~strike",
    "://",
    "www.evil",
    "<img",
    "](",
    "$x^2$",
    "a|b",
];

/// Checks the text outside the Mermaid block, where labels are text anyway
/// (and entity-coded by the `mermaid` filter).
fn assert_inert(markdown: &str) {
    let outside = match (markdown.find("```mermaid"), markdown.rfind("\n```\n")) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}", &markdown[..start], &markdown[end..])
        }
        _ => markdown.to_string(),
    };
    for live in LIVE {
        assert!(!outside.contains(live), "`{live}` is live in:\n{outside}");
    }
}

fn goals(title: &str, target: &str, note: &str) -> String {
    format!(
        "period 2026-Q3\nteam t \"T\"\nowner @a\n\nobjective o \"{title}\"\n  kr k \"{title}\" target {target}\n    2026-07-14 10 \"{note}\" @b\n"
    )
}

/// git in `dir` with no user or system config; `-c` options first.
fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2026-07-14T10:00:00+00:00")
        .env("GIT_COMMITTER_DATE", "2026-07-14T10:00:00+00:00")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
}

/// A repository with one goal file, committed by `author` with `summary`,
/// then changed in the working tree to `changed`.
fn repo(file: &str, first: &str, changed: &str, author: &str, summary: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    fs::write(dir.path().join(file), first).unwrap();
    git(dir.path(), &["add", "-A"]);
    let name = format!("user.name={author}");
    git(
        dir.path(),
        &[
            "-c",
            &name,
            "-c",
            "user.email=a@example.com",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "-m",
            summary,
        ],
    );
    fs::write(dir.path().join(file), changed).unwrap();
    dir
}

#[test]
fn diff_and_log_show_escape_sequences_instead_of_obeying_them() {
    let file = "goals\u{1b}[31m.okr";
    let dir = repo(
        file,
        &goals(&format!("Title{ERASE}"), "100", &format!("n{ERASE}")),
        &goals(&format!("Renamed{ERASE}"), "50", &format!("n{ERASE}")),
        &format!("Eve{ERASE}"),
        &format!("Q3{ERASE} check-in"),
    );
    let diff = Test::new().current_dir(dir.path()).arg("diff").run().stdout;
    assert!(diff.contains("target-lowered"), "{diff}");
    assert!(!diff.contains('\u{1b}'), "raw escape in okr diff: {diff:?}");
    assert!(diff.contains("Renamed\\u{1b}[1A\\u{1b}[2K"), "{diff}");
    assert!(diff.contains("goals\\u{1b}[31m.okr"), "{diff}");

    git(dir.path(), &["add", "-A"]);
    git(
        dir.path(),
        &[
            "-c",
            "user.name=x",
            "-c",
            "user.email=x@x",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "-m",
            "lower",
        ],
    );
    let log = Test::new()
        .current_dir(dir.path())
        .args(["log", "t/o"])
        .run()
        .stdout;
    assert!(log.contains("Eve\\u{1b}"), "{log}");
    assert!(log.contains("Q3\\u{1b}"), "{log}");
    assert!(!log.contains('\u{1b}'), "raw escape in okr log: {log:?}");
}

#[test]
fn funnel_titles_cannot_steer_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "period 2026-Q3\nteam t \"T\"\nowner @a\n\nfunnel f \"Plan{ERASE}\"\n  stage a \"A\"\n  stage b \"B\" conversion 10%\n"
    );
    fs::write(dir.path().join("f.okr"), text).unwrap();
    let path = dir.path().join("f.okr");
    let stdout = Test::new()
        .args(["funnel", path.to_str().unwrap(), "f", "--target", "b=10"])
        .run()
        .stdout;
    assert!(stdout.contains("Plan\\u{1b}[1A"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
}

#[test]
fn a_newline_in_a_file_name_keeps_one_diagnostic_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad\nname.okr"),
        "period 2026-Q3\nteam t \"T\"\nbogus\n",
    )
    .unwrap();
    let folder = dir.path().to_str().unwrap();
    let (status, short, _) = run(&["check", "--format", "short", "--today", TODAY, folder]);
    assert_eq!(status, 1, "{short}");
    let lines: Vec<&str> = short.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(line.contains("bad\\nname.okr:"), "{short:?}");
    }
    let human = Test::new()
        .args(["check", "--today", TODAY, folder])
        .status(1)
        .run()
        .stdout;
    assert!(human.contains("bad\\nname.okr"), "{human}");
    assert!(!human.contains("bad\nname"), "{human}");
}

#[test]
fn diff_markdown_leaves_nothing_live_and_code_spans_clean() {
    let dir = repo(
        "a_b.okr",
        &goals(ATTACKS, "100", ATTACKS),
        &goals(&format!("{ATTACKS}!"), "50", &format!("{ATTACKS}!")),
        "Dana",
        "first",
    );
    let md = Test::new()
        .current_dir(dir.path())
        .args(["diff", "--format", "md"])
        .stdout_has("target-lowered")
        .run()
        .stdout;
    assert!(
        md.contains("`a_b.okr`"),
        "no backslash in a code span: {md}"
    );
    assert!(md.contains("@\u{2060}user"), "{md}");
    assert_inert(&md);
}

#[test]
fn log_markdown_leaves_authors_and_summaries_inert() {
    let dir = repo(
        "g.okr",
        &goals("T", "100", "n"),
        &goals("T", "50", "n"),
        "@user",
        ATTACKS,
    );
    let md = Test::new()
        .current_dir(dir.path())
        .args(["log", "t/o", "--format", "md"])
        .run()
        .stdout;
    assert!(md.contains("@\u{2060}user"), "{md}");
    assert_inert(&md);
}

#[test]
fn report_markdown_leaves_nothing_live() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.okr");
    fs::write(&path, goals(ATTACKS, "100", ATTACKS)).unwrap();
    let (status, md, stderr) = run(&[
        "report",
        "--format",
        "md",
        "--today",
        TODAY,
        path.to_str().unwrap(),
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert!(md.contains("https:\u{2060}//evil.example"), "{md}");
    assert!(md.contains("&#36;x^2&#36;"), "{md}");
    assert_inert(&md);
}

/// Language version 2's text (grade notes, children's titles shown under
/// their parent, a hold's band) is escaped like the rest.
#[test]
fn version_2_text_in_reports_is_inert() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.okr");
    fs::write(
        &path,
        format!(
            "period 2026-Q3\nteam t \"T\"\nowner @a @b\n\nobjective p \"{ATTACKS}\"\n  rollup\n  kr h \"{ATTACKS}\" hold >= 95%\n    2026-07-14 96%\n    grade 70% \"{ATTACKS}\"\n  grade 60% \"{ATTACKS}\"\n\nobjective c \"{ATTACKS}\"\n  aligns t/p\n  kr k \"K\" target 10\n    2026-07-14 5\n"
        ),
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let md = Test::new()
        .args(["report", "--format", "md", "--today", TODAY, path])
        .run()
        .stdout;
    assert!(md.contains("graded 70% (computed 100%: "), "{md}");
    assert!(
        md.contains("Scored from its children (each as one more KR):"),
        "{md}"
    );
    assert_inert(&md);
    let html = Test::new()
        .args(["report", "--format", "html", "--today", TODAY, path])
        .run()
        .stdout;
    assert!(html.contains("<rect class=\"band\""), "{html}");
    for live in ["<img", "<a href=\"http"] {
        assert!(!html.contains(live), "`{live}` is live in:\n{html}");
    }
}

#[test]
fn report_numbers_are_the_exact_decimals_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.okr");
    fs::write(
        &path,
        "period 2026-Q3\nteam t \"T\"\nowner @a\n\nobjective o \"Numbers\"\n  kr big \"Big\" target 9,007,199,254,740,993 baseline 1\n  kr cpc \"Cost per click\" target <= $0.105 baseline $0.2\n    2026-07-14 $0.155\n  kr rate \"Rate\" target 12.5% baseline 10%\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let md = Test::new()
        .args(["report", "--format", "md", "--today", TODAY, path])
        .run()
        .stdout;
    assert!(md.contains("9,007,199,254,740,993"), "{md}");
    assert!(md.contains("&#36;0.155 of &lt;= &#36;0.105"), "{md}");
    assert!(md.contains("of 12.5%"), "{md}");
    let html = Test::new()
        .args(["report", "--format", "html", "--today", TODAY, path])
        .run()
        .stdout;
    assert!(html.contains("9,007,199,254,740,993"), "{html}");
    assert!(html.contains("$0.155 of &lt;= $0.105"), "{html}");
}

#[test]
fn fmt_check_shows_goal_text_escaped_in_its_diff() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.okr");
    fs::write(
        &path,
        format!("period 2026-Q3\nteam t\n\nobjective o  \"Grow{ERASE}\"\n  kr k \"K\" target 10\n"),
    )
    .unwrap();
    let output = okr().args(["fmt", "--check"]).arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        !stdout.contains('\u{1b}'),
        "raw escape in the diff: {stdout:?}"
    );
    assert!(stdout.contains("Grow\\u{1b}[1A\\u{1b}[2K"), "{stdout}");
}

#[test]
fn errors_repeating_what_was_typed_show_it_escaped() {
    let funnel = format!("in{ERASE}bound");
    let (status, _, stderr) = run(&["funnel", "examples", &funnel]);
    assert_eq!(status, 2, "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "raw escape: {stderr:?}");
    assert!(stderr.contains("in\\u{1b}[1A"), "{stderr}");

    let kr = format!("marketing/engagement.tri{ERASE}als");
    let (status, _, stderr) = run(&["checkin", &kr, "5", "--today", TODAY, "examples"]);
    assert_ne!(status, 0, "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "raw escape: {stderr:?}");
}
