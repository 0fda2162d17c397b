//! Scores and the Markdown, HTML and JSON reports for any input that parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okr::diagnostic::Code;
use okr::report::render::{render, Format};
use okr::report::templates::Templates;
use okr::workspace::Workspace;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut workspace = Workspace::from_texts([("a.okr", &*text)]);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
    let diagnostics = okr::check::check(&workspace, today, &[]);
    if diagnostics.iter().any(|d| d.code == Code::Syntax) {
        return;
    }
    let templates = Templates::load(None).expect("the built-in templates load");
    for format in [Format::Json, Format::Md, Format::Html] {
        let mut page = Vec::new();
        let scores = okr::report::scores(&workspace, today);
        render(&mut workspace, scores, &diagnostics, today, format, Some(&templates), &mut page)
            .expect("the report renders");
        // JSON carries user text as it is; the pages must never make it markup.
        let page = String::from_utf8_lossy(&page);
        let markup = format != Format::Json;
        assert!(!(markup && page.contains("<script")), "a payload became a script in {format:?}");
    }
});
