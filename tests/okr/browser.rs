//! The HTML report in a real browser (Debian's `chromium`, headless): its
//! text reads right, and no payload placed in the goals runs. `.ci/run`
//! installs chromium; elsewhere the test is skipped when it is missing.

use crate::common::{run, HANG, TODAY};
use std::path::{Path, PathBuf};

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("OKR_CHROMIUM").map(PathBuf::from),
        Some("/usr/bin/chromium".into()),
    ];
    candidates.into_iter().flatten().find(|path| path.is_file())
}

/// Chromium, or `None` (and a note) where it is missing; CI must have it.
pub(crate) fn chromium_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!("skipped: no chromium (install Debian's `chromium` or set OKR_CHROMIUM)");
    }
    found
}

/// The DOM after the page has loaded and anything on it has run.
fn dump_dom(browser: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = assert_cmd::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .timeout(HANG)
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_html_report_reads_right_and_runs_no_payload_in_a_browser() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let (status, _, stderr) = run(&[
        "report",
        "--format",
        "html",
        "--today",
        TODAY,
        "-o",
        page.to_str().unwrap(),
        "examples",
        "tests/fixtures/report/hostile.okr",
        "tests/fixtures/report/v2",
    ]);
    assert_eq!(status, 0, "{stderr}");
    let dom = dump_dom(&browser, &page);
    assert!(
        dom.contains("<title>OKR report · 2026-Q3</title>"),
        "the page loaded and no script renamed it: {}",
        &dom[..dom.len().min(2000)]
    );
    for text in [
        "Acme Analytics",
        "Growth",
        "Marketing",
        "Sales",
        "21%",
        "off track",
        "on track",
        "Inbound demand waterfall",
        "Unique website visitors",
    ] {
        assert!(dom.contains(text), "`{text}` is on the page");
    }
    // Language version 2's shapes: a hold's shaded band with a reading
    // outside it, a graded objective beside its computed score, a parent
    // listing its children, a stale KR.
    for shape in [
        "<rect class=\"band\"",
        "class=\"point out\"",
        "held 3 of 4 check-ins, latest 99.92%",
        "<strong>graded 80%</strong> (computed 37.5%): strong quarter",
        "Scored from its 3 children",
        "<span class=\"flag stale\"",
    ] {
        assert!(dom.contains(shape), "`{shape}` is on the page");
    }
    assert!(!dom.contains("data-xss=\"1\""), "an injected handler ran");
    for element in ["<img", "<iframe", "<script", "<a href=\"javascript"] {
        assert!(
            !dom.contains(element),
            "an injected `{element}` became an element"
        );
    }
    assert!(
        dom.contains("&lt;script&gt;document.title='XSS'&lt;/script&gt; Team"),
        "payloads are shown as text"
    );
}
