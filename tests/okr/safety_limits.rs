//! Inputs that once crashed a command or made it cost without bound: each
//! now gets an answer (a plan, a report, a clear refusal) and never a panic.

use crate::common::{okr, run, Test, TODAY};

#[test]
fn a_funnel_target_of_zero_or_less_is_refused_with_a_message() {
    for target in [
        "customers=0",
        "customers=-5",
        "customers=$-5",
        "customers=$0",
    ] {
        let (status, stdout, stderr) = run(&["funnel", "examples", "inbound", "--target", target]);
        assert_eq!(status, 2, "{target}: {stdout}{stderr}");
        assert!(!stderr.contains("panicked"), "{target}: {stderr}");
        assert!(
            stderr.contains("more than zero"),
            "{target}: the message says what a target must be: {stderr}"
        );
    }
}

#[test]
fn the_largest_funnel_target_plans_without_overflow() {
    // Numbers are at most 10^18; planned back through three conversions and
    // lifted by 10%, the arithmetic stays checked.
    let (status, stdout, stderr) = run(&[
        "funnel",
        "examples",
        "inbound",
        "--target",
        "customers=1,000,000,000,000,000,000",
        "--what-if",
        "mqls=0.0001%",
    ]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1,000,000,000,000,000,000"), "{stdout}");
}

/// One team whose objectives each align to the one before: a chain `depth` long.
fn alignment_chain(depth: usize) -> String {
    let mut text = String::from("period 2026-Q3\nteam deep\nowner @dana\n\n");
    for at in 0..depth {
        text.push_str(&format!("objective o{at} \"Objective {at}\"\n"));
        if at > 0 {
            text.push_str(&format!("  aligns o{}\n", at - 1));
        }
        text.push_str(&format!(
            "  kr k \"Revenue\" target 10\n    2026-08-01 {}\n",
            at % 10
        ));
    }
    text
}

#[test]
fn an_alignment_chain_thousands_deep_renders_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.okr");
    std::fs::write(&path, alignment_chain(3_500)).unwrap();
    for format in ["md", "html", "json"] {
        let output = okr()
            .args(["report", "--format", format, "--today", TODAY])
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{format}: {stderr}");
        assert!(!output.stdout.is_empty(), "{format}");
        if format == "html" {
            // The nested lists of the tree open and close in balance, the
            // deepest objective 3,499 lists down.
            let page = String::from_utf8_lossy(&output.stdout);
            let start = page.find("<section class=\"alignment\">").unwrap();
            let end = start + page[start..].find("</section>").unwrap();
            let tree = &page[start..end];
            assert_eq!(tree.matches("<ul").count(), 3_500);
            assert_eq!(tree.matches("</ul>").count(), 3_500);
            assert_eq!(tree.matches("<li>").count(), 3_500);
            assert_eq!(tree.matches("</li>").count(), 3_500);
        }
    }
}

#[test]
fn a_short_chain_keeps_its_edges_in_the_markdown_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.okr");
    std::fs::write(&path, alignment_chain(3)).unwrap();
    let page = Test::new()
        .args(["report", "--format", "md", "--today", TODAY])
        .arg(&path)
        .run()
        .stdout;
    assert!(page.contains("n_deep_o1 --> n_deep_o0"), "{page}");
    assert!(page.contains("n_deep_o2 --> n_deep_o1"), "{page}");
    assert!(!page.contains("n_deep_o0 -->"), "{page}");
}

#[test]
fn the_human_format_reports_every_diagnostic_of_a_large_file_in_order() {
    // Each diagnostic's snippet once cost a scan of the whole file; the
    // figures are in docs/benchmarks.md. Here: nothing is lost or reordered.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.okr");
    let mut text = String::from("period 2026-Q3\nteam wide\nowner @dana\n\n");
    for at in 0..400 {
        text.push_str(&format!(
            "objective o{at} \"Objective {at}\"\n  kr k \"Revenue\" target 10\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    let stdout = Test::new()
        .args(["check", "--format", "human", "--today", TODAY])
        .arg(&path)
        .run()
        .stdout;
    let lines: Vec<usize> = stdout
        .lines()
        .filter_map(|line| line.split("wide.okr:").nth(1))
        .filter_map(|at| at.split(':').next()?.parse().ok())
        .collect();
    assert_eq!(lines.len(), 400 + 1, "{stdout}");
    assert!(lines.windows(2).all(|pair| pair[0] <= pair[1]), "{lines:?}");
}

#[test]
fn one_team_in_two_periods_gets_its_own_ids_and_charts_in_each() {
    let dir = tempfile::tempdir().unwrap();
    for (name, period, value) in [("q3.okr", "2026-Q3", "40"), ("q4.okr", "2026-Q4", "90")] {
        let text =
            format!(
            "period {period}\nteam growth\nowner @dana\n\nobjective revenue \"Grow revenue\"\n  \
             kr arr \"Annual recurring revenue\" target 100\n    {}-01 {value}\n",
            if period == "2026-Q3" { "2026-08" } else { "2026-11" }
        );
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let output = okr()
        // Both quarters shown: `--period 2026` overlaps them.
        .args([
            "report",
            "--format",
            "html",
            "--today",
            "2026-12-15",
            "--period",
            "2026",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{page}");
    let ids: Vec<&str> = page
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "an id repeats: {ids:?}");
    assert!(ids.contains(&"2026-Q3--growth-revenue"), "{ids:?}");
    assert!(ids.contains(&"2026-Q4--growth-revenue"), "{ids:?}");
    // Each period's section draws its own check-in: 40 in Q3, 90 in Q4.
    let q3 = page.find("id=\"2026-Q3--growth-revenue\"").unwrap();
    let q4 = page.find("id=\"2026-Q4--growth-revenue\"").unwrap();
    let (first, second) = if q3 < q4 {
        (&page[q3..q4], &page[q4..])
    } else {
        (&page[q4..q3], &page[q3..])
    };
    let chart = |section: &str| -> String {
        let start = section.find("<svg").expect("a chart");
        section[start..start + section[start..].find("</svg>").unwrap()].to_string()
    };
    assert_ne!(chart(first), chart(second), "both periods show one chart");
}
