//! The whole check pipeline on one or two files cut from the input, rendered in
//! every diagnostic format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okr::diagnostic::render::{self, Format, Style};
use okr::workspace::Workspace;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // A form feed splits the input into two files, so references cross files.
    let (first, second) = text.split_once('\u{c}').unwrap_or((&text, ""));
    let workspace = Workspace::from_texts([("a.okr", first), ("b.okr", second)]);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
    let diagnostics = okr::check::check(&workspace, today, &[]);
    for format in [Format::Human, Format::Short, Format::Json, Format::Github] {
        render::diagnostics(&workspace, &diagnostics, format, Style { color: false, width: 80 });
    }
});
