//! A real client: Neovim's built-in LSP client, headless, against `okr lsp`
//! on the bundled examples (`tests/fixtures/lsp/neovim/client.lua`).
//! Diagnostics arrive, hover on a KR shows the progress `okr report`
//! computes, go-to-definition on `aligns company/revenue` lands in the
//! company's file, and formatting leaves a formatted file unchanged. Skipped,
//! with a notice, where `nvim` is not installed; CI installs it.

use super::common::TODAY;
use okr::workspace::Workspace;
use std::path::Path;
use std::process::Command;

/// The zero-based line of the first line of `text` starting with `prefix`.
fn line_of(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|line| line.trim_start().starts_with(prefix))
        .expect("the line is in the example")
}

/// `visitors`' progress as the report prints it.
fn progress_of_visitors() -> String {
    let workspace = Workspace::load(&["examples/marketing.okr".into()]).expect("the example loads");
    let today = TODAY.parse().expect("a date");
    let team = okr::score::score_team(&workspace.goals[0], today).expect("a period");
    let progress = team.objectives[0].key_results[0]
        .progress
        .expect("a progress");
    okr::model::quantity::share(progress)
}

#[test]
fn neovim_gets_diagnostics_hover_definition_and_formatting() {
    if Command::new("nvim").arg("--version").output().is_err() {
        println!("skipped: `nvim` is not installed (CI installs Debian's neovim)");
        return;
    }
    let root = std::path::absolute("examples").expect("a path");
    let text = std::fs::read_to_string(root.join("marketing.okr")).expect("the example");
    let result = tempfile::NamedTempFile::new().expect("a temporary file");
    let okr = assert_cmd::cargo::cargo_bin("okr");
    let output = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!(
            "luafile {}",
            Path::new("tests/fixtures/lsp/neovim/client.lua").display()
        ))
        .env("OKR_BIN", okr)
        .env("OKR_ROOT", &root)
        .env("OKR_FILE", "marketing.okr")
        .env("OKR_TODAY", TODAY)
        .env("OKR_RESULT", result.path())
        .env("OKR_KR_LINE", line_of(&text, "kr visitors").to_string())
        .env(
            "OKR_ALIGNS_LINE",
            line_of(&text, "aligns company/revenue").to_string(),
        )
        .output()
        .expect("nvim runs");
    let lines = std::fs::read_to_string(result.path()).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "nvim failed:\n{lines}\n{stderr}");
    assert!(!lines.contains("error:"), "{lines}");
    let line = |name: &str| {
        lines
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    assert!(
        line("diagnostics ")
            .parse::<usize>()
            .is_ok_and(|count| count > 0),
        "{lines}"
    );
    let hover = line("hover ");
    assert!(
        hover.contains(&format!("| progress | {} |", progress_of_visitors())),
        "{hover}"
    );
    let company = root.join("company.okr").display().to_string();
    let company_text = std::fs::read_to_string(&company).expect("the company file");
    let revenue = line_of(&company_text, "objective revenue");
    assert_eq!(line("definition "), format!("{company} {revenue}"));
    assert_eq!(line("formatting "), "unchanged");
}
