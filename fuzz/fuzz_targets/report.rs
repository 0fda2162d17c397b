//! Scores and the Markdown, HTML and JSON reports for any input that parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okr::diagnostic::Code;
use okr::report::{self, templates::Templates, History};
use okr::workspace::Workspace;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let workspace = Workspace::from_texts([("a.okr", &*text)]);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
    let diagnostics = okr::check::check(&workspace, today, &[]);
    if diagnostics.iter().any(|d| d.code == Code::Syntax) {
        return;
    }
    let scores = report::scores(&workspace, today);
    let json = report::build(&workspace, &scores, &diagnostics, today, History::All);
    serde_json::to_string(&json).ok();
    let view = report::build(&workspace, &scores, &diagnostics, today, History::Latest);
    let templates = Templates::load(None).expect("the built-in templates load");
    let context = report::template_context(&workspace, &scores, &view, today);
    for name in ["report.md.j2", "report.html.j2"] {
        let page = templates.render(name, &context).expect("the built-in templates render");
        assert!(!page.contains("<script"), "a payload became a script in {name}");
    }
});
