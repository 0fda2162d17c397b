//! `okr report` through the real binary: JSON as SPEC §6, Markdown and HTML
//! that escape every piece of user text, templates, exit statuses.

use crate::common::{files_in, okr, run, Test, TODAY};
use std::fs;

const HOSTILE: &str = "tests/fixtures/report/hostile.okr";

/// Two files using every language version 2 form (SPEC §8).
const V2: &str = "tests/fixtures/report/v2";

/// Payload fragments that must never appear unescaped in a rendered report.
const ACTIVE: &[&str] = &[
    "<script",
    "<img",
    "<svg onload",
    "<iframe",
    "</style><style>",
    "<a href=\"javascript",
    "<b>bold",
];

/// `okr report --format FORMAT --today TODAY PATHS…`'s stdout; the exit
/// status must be `status` and stderr empty.
fn report(format: &str, paths: &[&str], status: i32) -> String {
    Test::new()
        .args(["report", "--format", format, "--today", TODAY])
        .args(paths)
        .status(status)
        .run()
        .stdout
}

#[test]
fn json_carries_the_spec_s_worked_numbers() {
    let stdout = report("json", &["examples/marketing.okr"], 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["version"], 2);
    assert_eq!(json["today"], TODAY);
    let team = &json["teams"][0];
    assert_eq!(team["period"]["start"], "2026-07-01");
    assert_eq!(team["period"]["end"], "2026-09-30");
    let round = |value: &serde_json::Value| (value.as_f64().unwrap() * 10_000.0).round() / 10_000.0;
    assert_eq!(round(&team["score"]), 0.2149);
    let objective = &team["objectives"][0];
    assert_eq!(objective["status"], "off-track");
    assert_eq!(objective["aligns"], serde_json::json!(["company/revenue"]));
    assert_eq!(
        (&objective["owner"], &objective["owners"]),
        (&serde_json::json!("@dana"), &serde_json::json!(["@dana"]))
    );
    assert_eq!(
        (&objective["children"], &objective["rolled_up"]),
        (&serde_json::json!([]), &serde_json::json!(false))
    );
    let visitors = &objective["key_results"][0];
    assert_eq!(visitors["ref"], "marketing/engagement.visitors");
    assert_eq!(
        (
            visitors["baseline"].as_i64(),
            visitors["target"].as_i64(),
            visitors["current"].as_i64()
        ),
        (Some(41000), Some(60000), Some(51200))
    );
    assert_eq!(round(&visitors["progress"]), 0.5368);
    assert_eq!(round(&visitors["expected"]), 0.4891);
    assert_eq!(visitors["status"], "on-track");
    assert_eq!(
        (
            &visitors["target_text"],
            &visitors["measure"],
            &visitors["band"],
            &visitors["stale"],
            &visitors["confidence"],
        ),
        (
            &serde_json::json!("60,000"),
            &serde_json::json!("level"),
            &serde_json::Value::Null,
            &serde_json::json!(false),
            &serde_json::Value::Null,
        )
    );
    assert_eq!(visitors["computed_score"], visitors["score"]);
    assert_eq!(visitors["graded"], serde_json::Value::Null);
    assert_eq!(
        (visitors["forecast"].as_f64().unwrap() * 100.0).round() / 100.0,
        63817.58
    );
    assert_eq!(
        visitors["checkins"][0],
        serde_json::json!({"date": "2026-07-14", "value": 44100, "confidence": null, "note": null, "by": null})
    );
    let quality = &objective["key_results"][3];
    assert_eq!(
        (
            quality["unit"].as_str(),
            quality["target"].as_f64(),
            quality["baseline"].as_f64()
        ),
        (Some("percent"), Some(0.35), Some(0.3))
    );
    assert_eq!(objective["initiatives"][0]["owner"], "@sam");
    assert_eq!(team["funnels"][0]["stages"][1]["conversion"], 0.067);
    assert!(json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "okr::funnel-gap"));
}

/// The keys language version 2 adds (SPEC §8), on the forms that fill them.
#[test]
fn json_carries_the_version_2_keys() {
    use serde_json::{json, Value};
    let json: Value = serde_json::from_str(&report("json", &[V2], 0)).unwrap();
    let team = |id: &str| {
        json["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|team| team["id"] == id)
            .unwrap()
            .clone()
    };
    let (exec, demand) = (team("exec"), team("demand"));
    let growth = &exec["objectives"][0];
    assert_eq!(
        (&growth["owner"], &growth["owners"]),
        (&json!("@maya"), &json!(["@maya", "@leadership"]))
    );
    assert_eq!(
        growth["children"],
        json!(["demand/pipeline", "demand/reliability", "demand/brand"])
    );
    assert_eq!(growth["rolled_up"], true);
    let pipeline = &demand["objectives"][0];
    assert_eq!(pipeline["owners"], json!(["@ana", "@ben"]));
    assert_eq!(
        (&pipeline["children"], &pipeline["rolled_up"]),
        (&json!([]), &json!(false))
    );
    let reliability = &demand["objectives"][1];
    assert_eq!(
        reliability["aligns"],
        json!(["exec/platform", "exec/growth"])
    );
    let kr = |objective: &Value, id: &str| {
        objective["key_results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|kr| kr["id"] == id)
            .unwrap()
            .clone()
    };
    let mqls = kr(pipeline, "mqls");
    assert_eq!(
        (
            &mqls["owners"],
            &mqls["measure"],
            &mqls["confidence"],
            &mqls["stale"]
        ),
        (
            &json!(["@ben"]),
            &json!("total"),
            &json!(0.6),
            &json!(false)
        )
    );
    let arr = kr(pipeline, "arr");
    assert_eq!(
        (&arr["target_text"], &arr["target"], &arr["measure"]),
        (&json!("+15%"), &json!(1150000), &json!("level"))
    );
    let cpl = kr(pipeline, "cpl");
    assert_eq!(
        (&cpl["direction"], &cpl["target_text"]),
        (&json!("decrease"), &json!("< $90"))
    );
    let avail = kr(reliability, "avail");
    assert_eq!(
        (&avail["direction"], &avail["target_text"], &avail["target"]),
        (&json!("hold"), &json!("hold 99.5%..99.99%"), &Value::Null)
    );
    assert_eq!(
        avail["band"],
        json!({"min": 0.995, "max": 0.9999, "min_strict": false, "max_strict": false})
    );
    assert_eq!(
        (
            &avail["held"],
            &avail["expected"],
            &avail["forecast"],
            &avail["measure"]
        ),
        (
            &json!({"count": 3, "readings": 4}),
            &Value::Null,
            &Value::Null,
            &Value::Null
        )
    );
    let portal = kr(reliability, "portal");
    assert_eq!(
        (&portal["progress"], &portal["due"], &portal["band"]),
        (&json!(0.6), &json!("2026-09-15"), &Value::Null)
    );
    let brand = &demand["objectives"][2];
    assert_eq!(
        (
            &brand["score"],
            &brand["computed_score"],
            &brand["graded"],
            &brand["grade_note"]
        ),
        (
            &json!(0.8),
            &json!(0.375),
            &json!(0.8),
            &json!("strong quarter")
        )
    );
    let talks = kr(brand, "talks");
    assert_eq!(
        (&talks["score"], &talks["computed_score"], &talks["graded"]),
        (&json!(0.7), &json!(0.5), &json!(0.7))
    );
    assert_eq!(kr(brand, "voice")["stale"], true);
    let subscribers = kr(brand, "subscribers");
    assert_eq!(
        (&subscribers["baseline"], &subscribers["target"]),
        (&json!(8000), &json!(8800))
    );
}

#[test]
fn markdown_for_a_pull_request() {
    let stdout = report("md", &["examples"], 0);
    insta::assert_snapshot!("report-examples-md", stdout);
    assert!(stdout.contains("```mermaid\ngraph BT"));
    assert!(stdout.contains("| Unique website visitors | `█████░░░░░` 54% (51,200 of 60,000) | ● on-track | 63,818 |"), "{stdout}");
}

/// SPEC §8 in the Markdown report: holds as a band held so many times,
/// milestones by their share, relative targets as written and resolved,
/// grades beside computed scores, parents with their children, stale KRs,
/// confidence, and after the period, `missed`.
#[test]
fn markdown_of_every_version_2_form() {
    let stdout = report("md", &[V2], 0);
    insta::assert_snapshot!("report-v2-md", stdout);
    for shown in [
        "held 3 of 4 check-ins (latest 99.92%; hold 99.5%..99.99%)",
        "60% complete",
        "(&#36;1,080,000 of \\+15% → &#36;1,150,000)",
        "(4.2% of \\+2pp → 5%)",
        "(24.6% of 25%)",
        "(&#36;98 of &lt; &#36;90)",
        "graded 80% (computed 37.5%), on-track",
        "graded 70% (computed 50%: two more booked)",
        "Scored from its children:",
        "- ● Demand: Keep the site fast and available: 78%, on-track",
        "■ off-track, *stale*",
        "2026-08-11 · 60% sure: Webinars landed",
        "owners @\u{2060}ana, @\u{2060}ben · aligns to exec/growth",
    ] {
        assert!(stdout.contains(shown), "`{shown}` in:\n{stdout}");
    }
    let after = Test::new()
        .args(["report", "--format", "md", "--today", "2026-10-05", V2])
        .run()
        .stdout;
    insta::assert_snapshot!("report-v2-after-md", after);
    assert!(
        after.contains("### ✖ Win the enterprise market: 74%, missed"),
        "{after}"
    );
    assert!(after.contains("| ✔ done |"), "{after}");
    assert!(
        !after.contains(", *stale*"),
        "nothing is stale after the period: {after}"
    );
}

/// A hold with no reading yet says so, rather than "held 0 of 0"; a count
/// read beside a target with decimals is still shown as written.
#[test]
fn a_hold_without_readings_and_a_count_beside_a_resolved_target() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.okr");
    fs::write(
        &path,
        "period 2026-Q3\nteam t \"T\"\nowner @a\n\nobjective o \"O\"\n  kr p95 \"P95\" hold <= 90 seconds\n  kr people \"People\" target -15% baseline 580,466 people\n    2026-08-14 553,104 people\n",
    )
    .unwrap();
    let md = report("md", &[path.to_str().unwrap()], 0);
    assert!(
        md.contains("0% (no reading yet; hold &lt;= 90 seconds)"),
        "{md}"
    );
    assert!(md.contains("(553,104 of \\-15% → 493,396.1)"), "{md}");
    let html = report("html", &[path.to_str().unwrap()], 0);
    assert!(html.contains("no reading yet</div>"), "{html}");
}

#[test]
fn html_shows_holds_grades_children_and_stale_marks() {
    let html = report("html", &[V2], 0);
    // A chart per KR with numbers: every KR but the milestone, holds too.
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 11, "{html}");
    assert_eq!(html.matches("<rect class=\"band\"").count(), 3);
    assert!(
        html.contains("class=\"point out\""),
        "a reading outside its band is marked"
    );
    for shown in [
        "held 3 of 4 check-ins, latest 99.92%",
        "hold 99.5%..99.99%",
        "<strong>graded 80%</strong> (computed 37.5%): strong quarter",
        "graded 70%<div class=\"sub\">computed 50%: two more booked</div>",
        "Scored from its 3 children",
        "<span class=\"flag stale\"",
        "$1,080,000 of +15% → $1,150,000",
        "24.6% of 25%",
        "60% complete",
        "2026-08-11 · 60% sure",
    ] {
        assert!(html.contains(shown), "`{shown}` in the page");
    }
    assert!(
        html.contains(
            "<a href=\"#2026-Q3--demand-pipeline\">Build pipeline for the enterprise push</a>"
        ),
        "a child links to its section"
    );
    let after = Test::new()
        .args(["report", "--format", "html", "--today", "2026-10-05", V2])
        .run()
        .stdout;
    assert!(after.contains("<span class=\"status missed\">✖ missed</span>"));
}

#[test]
fn an_objective_with_two_parents_is_under_both_and_its_tree_under_the_first() {
    // demand/reliability aligns to exec/platform, then exec/growth.
    let html = report("html", &[V2], 0);
    let tree = &html[html
        .find("<section class=\"alignment\">")
        .unwrap_or_default()..];
    let link = "<a href=\"#2026-Q3--demand-reliability\">Keep the site fast and available</a>";
    assert_eq!(tree.matches(link).count(), 2, "{tree}");
    // exec/growth comes first in the tree, so the row pointing back is
    // under it, and the objective's own row (and subtree) under platform.
    let row_at = |at: usize| &tree[at..tree[at..].find("</li>").map_or(tree.len(), |end| at + end)];
    let growth = tree.find("Win the enterprise market").unwrap_or_default();
    let platform = tree
        .find("Run a platform customers trust")
        .unwrap_or_default();
    let (again, own) = (
        tree.find(link).unwrap_or_default(),
        tree.rfind(link).unwrap_or_default(),
    );
    assert!(
        growth < again && again < platform && platform < own,
        "{tree}"
    );
    assert!(
        row_at(again).contains("also aligned here"),
        "{}",
        row_at(again)
    );
    assert!(
        !row_at(own).contains("also aligned here"),
        "{}",
        row_at(own)
    );
    let md = report("md", &[V2], 0);
    for edge in [
        "n_demand_reliability --> n_exec_platform",
        "n_demand_reliability --> n_exec_growth",
    ] {
        assert!(md.contains(edge), "`{edge}` in the diagram");
    }
    assert_eq!(
        md.matches("n_demand_reliability[\"").count(),
        1,
        "declared once"
    );
}

#[test]
fn html_is_one_self_contained_page() {
    let stdout = report("html", &["examples"], 0);
    assert!(stdout.starts_with("<!doctype html>"));
    assert!(stdout.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    assert!(!stdout.contains("<script"), "no script");
    for external in ["src=\"http", "href=\"http", "url(", "@import"] {
        assert!(
            !stdout.contains(external),
            "no request leaves the page: {external}"
        );
    }
    for text in [
        "Acme Analytics",
        "Marketing",
        "off track",
        "on track",
        "63,818",
        "Inbound demand waterfall",
        "prefers-color-scheme: dark",
        "@media print",
    ] {
        assert!(stdout.contains(text), "{text}");
    }
    let json = report("json", &["examples"], 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let numeric = json["teams"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|team| team["objectives"].as_array().unwrap())
        .flat_map(|objective| objective["key_results"].as_array().unwrap())
        .filter(|kr| {
            kr["direction"] == "hold" || kr["baseline"].is_number() && kr["target"].is_number()
        })
        .count();
    assert!(numeric > 20);
    assert_eq!(
        stdout.matches("<svg class=\"chart\"").count(),
        numeric,
        "one chart per hold and per KR with a baseline and a target"
    );
}

#[test]
fn every_piece_of_user_text_is_escaped() {
    for format in ["html", "md"] {
        let stdout = report(format, &[HOSTILE], 0);
        for active in ACTIVE {
            assert!(
                !stdout.contains(active),
                "{format}: `{active}` is live in:\n{stdout}"
            );
        }
    }
    let html = report("html", &[HOSTILE], 0);
    assert!(
        html.contains("&lt;script&gt;document.title=&#x27;XSS&#x27;&lt;&#x2f;script&gt; Team"),
        "{html}"
    );
    let md = report("md", &[HOSTILE], 0);
    assert!(
        md.contains("@\u{2060}everyone"),
        "no mention pings from the Markdown"
    );
    assert!(
        md.contains("\\[x\\]\\(javascript:alert(1))"),
        "links stay text"
    );
    let mermaid = &md[md.find("```mermaid").unwrap()..];
    let mermaid = &mermaid[..mermaid.find("\n```\n").unwrap()];
    let edges: Vec<&str> = mermaid
        .lines()
        .filter(|line| line.contains("-->"))
        .collect();
    assert_eq!(
        edges,
        ["  n_evil_o2 --> n_evil_o1"],
        "a label cannot add an edge or a directive: {mermaid}"
    );
    assert!(
        !mermaid.contains("click") || !mermaid.contains("\"javascript"),
        "{mermaid}"
    );
}

/// `okr report --format html` of `examples/` with the templates of `folder`.
fn html_report_with(folder: &std::path::Path) -> Test {
    Test::new()
        .args([
            "report",
            "--format",
            "html",
            "--today",
            TODAY,
            "--templates",
        ])
        .arg(folder)
        .arg("examples")
}

#[test]
fn templates_can_be_overridden() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("report.md.j2"),
        "{{ report.teams | length }} teams; first: {{ report.teams[0].name }}\n",
    )
    .unwrap();
    let (status, stdout, _) = run(&[
        "report",
        "--today",
        TODAY,
        "--templates",
        dir.path().to_str().unwrap(),
        "examples",
    ]);
    assert_eq!(
        (status, stdout.as_str()),
        (0, "5 teams; first: Acme Analytics\n")
    );
    // Templates not overridden stay the built-in ones.
    let html = html_report_with(dir.path()).run().stdout;
    assert!(html.starts_with("<!doctype html>"));
    fs::write(dir.path().join("report.md.j2"), "{% if %}").unwrap();
    let (status, _, stderr) = run(&[
        "report",
        "--today",
        TODAY,
        "--templates",
        dir.path().to_str().unwrap(),
        "examples",
    ]);
    assert_eq!(status, 2);
    assert!(stderr.contains("report.md.j2"), "{stderr}");
    // The built-in page renders each team's section from the folder's
    // `report-team.html.j2` (several at once), with the page's variables.
    let parts = tempfile::tempdir().unwrap();
    let page_with = |team_template: &str| {
        fs::write(parts.path().join("report-team.html.j2"), team_template).unwrap();
        html_report_with(parts.path())
    };
    let html = page_with("<p>{{ team.name }} {{ collapsed }}</p>")
        .run()
        .stdout;
    let sections: Vec<&str> = html
        .lines()
        .filter(|line| line.starts_with("<p>"))
        .collect();
    assert_eq!(
        sections,
        [
            "<p>Acme Analytics False</p>",
            "<p>Growth False</p>",
            "<p>Lifecycle Marketing False</p>",
            "<p>Marketing False</p>",
            "<p>Sales False</p>",
        ],
        "{html}"
    );
    page_with("{{ team.name + 1 }}")
        .status(2)
        .stderr_has("(in report-team.html.j2:1)")
        .run();
    // A templates folder that is not there is an error, not the defaults.
    let missing = dir.path().join("no-such-folder");
    Test::new()
        .args(["report", "--today", TODAY, "--templates"])
        .arg(&missing)
        .arg("examples")
        .status(2)
        .stderr_has("no-such-folder` does not exist")
        .run();
}

#[test]
fn errors_still_render_and_exit_1_but_syntax_errors_do_not_render() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string("examples/marketing.okr").unwrap();
    let unresolved = dir.path().join("unresolved.okr");
    fs::write(
        &unresolved,
        text.replace("stage inbound.trials", "stage inbound.trail"),
    )
    .unwrap();
    let stdout = report("md", &[unresolved.to_str().unwrap()], 1);
    assert!(stdout.contains("okr::unresolved-ref"), "{stdout}");
    let broken = dir.path().join("broken.okr");
    fs::write(&broken, text.replace("target 4,000", "target")).unwrap();
    let (status, stdout, stderr) = run(&["report", "--today", TODAY, broken.to_str().unwrap()]);
    assert_eq!(status, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("okr::syntax") && stderr.contains("every file to parse"),
        "{stderr}"
    );
}

#[test]
fn output_goes_to_a_file_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let output = okr()
        .args(["report", "--format", "html", "--today", TODAY, "-o"])
        .arg(&path)
        .arg("examples")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    assert!(fs::read_to_string(&path)
        .unwrap()
        .starts_with("<!doctype html>"));
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left behind"
    );
    let (status, _, stderr) = run(&[
        "report",
        "--today",
        TODAY,
        "-o",
        "/nonexistent-dir/r.md",
        "examples",
    ]);
    assert_eq!(status, 2);
    assert!(stderr.contains("/nonexistent-dir/r.md"), "{stderr}");
}

#[test]
fn a_failed_rename_leaves_the_target_and_the_folder_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the report should go: the final rename cannot replace it.
    let target = dir.path().join("report.html");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("keep.txt"), "kept").unwrap();
    let (status, _, stderr) = run(&[
        "report",
        "--format",
        "html",
        "--today",
        TODAY,
        "-o",
        target.to_str().unwrap(),
        "examples",
    ]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("report.html"), "{stderr}");
    assert_eq!(fs::read_to_string(target.join("keep.txt")).unwrap(), "kept");
    assert_eq!(
        files_in(dir.path()),
        ["report.html"],
        "no temporary file left behind"
    );
}

/// The report streams into a temporary file: a template that fails half-way
/// must leave the previous report whole and no temporary file behind.
#[test]
fn a_template_failing_mid_render_leaves_the_previous_report() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    fs::write(
        templates.join("report.md.j2"),
        "# Goals\n{{ report.teams | length }} teams\n{{ no_such_function() }}\n",
    )
    .unwrap();
    let target = dir.path().join("report.md");
    fs::write(&target, "previous report").unwrap();
    let (status, _, stderr) = run(&[
        "report",
        "--templates",
        templates.to_str().unwrap(),
        "--today",
        TODAY,
        "-o",
        target.to_str().unwrap(),
        "examples",
    ]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("report.md.j2"), "{stderr}");
    assert!(!stderr.contains("cannot write"), "{stderr}");
    assert_eq!(fs::read_to_string(&target).unwrap(), "previous report");
    assert_eq!(
        files_in(dir.path()),
        ["report.md", "templates"],
        "no temporary file left behind"
    );
}

/// Q2 and Q3 files of one team beside the company's year: a report shows the
/// periods containing today (or `--period`'s), and a parent keeps the
/// children of every period: (100% + 53⅓%) / 2 = 77%.
#[test]
fn several_periods_show_one_and_score_parents_with_all() {
    let folder = "tests/fixtures/periods";
    let report = |extra: &[&str]| {
        Test::new()
            .args(["report", "--format", "md", "--today", "2026-08-15", folder])
            .args(extra)
            .run()
            .stdout
    };
    let now = report(&[]);
    assert!(
        now.contains("Trial signups in Q3") && !now.contains("Trial signups in Q2"),
        "{now}"
    );
    assert!(now.contains("## Company · 2026: 77%"), "{now}");
    let q2 = report(&["--period", "2026-Q2"]);
    assert!(
        q2.contains("Trial signups in Q2") && !q2.contains("Trial signups in Q3"),
        "{q2}"
    );
    assert!(q2.contains("## Company · 2026: 77%"), "{q2}");
    Test::new()
        .args(["funnel", folder, "inbound", "--today", "2026-08-15"])
        .stdout_has("Target: 3,000 trials")
        .run();
    Test::new()
        .args(["funnel", folder, "inbound", "--period", "2026-Q2"])
        .stdout_has("Target: 2,000 trials")
        .run();
    Test::new()
        .args(["report", "--period", "2026-Q5", folder])
        .status(2)
        .stderr_has("is not a period")
        .run();
}

/// The built-in page renders team sections several at a time
/// (`team_section`): across batches and with teams collapsed, its bytes are
/// those of the same page including each section in turn.
#[test]
fn team_sections_rendered_side_by_side_match_an_include() {
    let goals = tempfile::tempdir().unwrap();
    for team in 0..19 {
        fs::write(
            goals.path().join(format!("t{team:02}.okr")),
            format!(
                "period 2026-Q3\nteam t{team:02} \"Team {team}\"\n\n\
                 objective grow \"Grow\"\n  \
                 kr visitors \"Visitors\" target 1,000 baseline 100\n    \
                 2026-07-14 {}\n",
                200 + team * 10
            ),
        )
        .unwrap();
    }
    let page = |templates: Option<&std::path::Path>| {
        let mut test = Test::new().args(["report", "--format", "html", "--today", TODAY]);
        if let Some(templates) = templates {
            test = test.arg("--templates").arg(templates);
        }
        test.arg(goals.path()).run().stdout
    };
    let built_in = page(None);
    assert_eq!(built_in.matches("<details class=\"team\"").count(), 19);
    let include = tempfile::tempdir().unwrap();
    let template = include_str!("../../templates/report.html.j2").replace(
        "{{ team_section(loop.index0) }}",
        "{% include \"report-team.html.j2\" %}",
    );
    assert!(template.contains("{% include \"report-team.html.j2\" %}"));
    fs::write(include.path().join("report.html.j2"), template).unwrap();
    assert_eq!(built_in, page(Some(include.path())));
}
