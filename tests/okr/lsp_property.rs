//! The language server's diagnostics equal `okr check --format json`'s, by
//! construction (the same check); this holds it to that on every fixture
//! folder: the same files, codes, messages and ranges.

use super::common::{okr, TODAY};
use super::lsp::Client;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every folder under `tests/fixtures` that holds `*.okr` files itself.
fn fixture_folders() -> Vec<PathBuf> {
    let mut folders = BTreeSet::new();
    let mut stack = vec![PathBuf::from("tests/fixtures")];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "okr") {
                folders.insert(folder.clone());
            }
        }
    }
    folders.into_iter().collect()
}

/// One diagnostic as both sides can state it: path, code, message, and
/// the range as zero-based lines and UTF-16 columns.
type Finding = (String, String, String, [u64; 4]);

/// A one-based character column of `line` in `text` as a UTF-16 column.
fn utf16_column(text: &str, line: u64, column: u64) -> u64 {
    let line = usize::try_from(line.saturating_sub(1)).unwrap_or_default();
    let chars = usize::try_from(column.saturating_sub(1)).unwrap_or_default();
    let text = text.split('\n').nth(line).unwrap_or_default();
    text.chars().take(chars).map(|c| c.len_utf16() as u64).sum()
}

fn from_check(folder: &Path) -> Option<BTreeSet<Finding>> {
    let output = okr()
        .args(["check", "--format", "json", "--today", TODAY])
        .arg(folder)
        .output()
        .ok()?;
    // Exit 2: a file cannot be read, which the server leaves out instead.
    if output.status.code() == Some(2) {
        return None;
    }
    let document: Value = serde_json::from_slice(&output.stdout).ok()?;
    let findings = document["diagnostics"]
        .as_array()?
        .iter()
        .map(|d| {
            let path = d["file"].as_str().unwrap_or_default().to_string();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let number = |key: &str| d[key].as_u64().unwrap_or_default();
            let range = [
                number("line") - 1,
                utf16_column(&text, number("line"), number("column")),
                number("end_line") - 1,
                utf16_column(&text, number("end_line"), number("end_column")),
            ];
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_string();
            (path, text("code"), text("message"), range)
        })
        .collect();
    Some(findings)
}

fn from_server(folder: &Path) -> BTreeSet<Finding> {
    let client = Client::start(folder, json!({}));
    let mut findings = BTreeSet::new();
    for (uri, diagnostics) in &client.published {
        let path = lsp_types::Url::parse(uri)
            .ok()
            .and_then(|url| url.to_file_path().ok())
            .map(|path| path.display().to_string())
            .unwrap_or_default();
        for d in diagnostics.as_array().into_iter().flatten() {
            let at = |end: &str, key: &str| d["range"][end][key].as_u64().unwrap_or_default();
            let range = [
                at("start", "line"),
                at("start", "character"),
                at("end", "line"),
                at("end", "character"),
            ];
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_string();
            findings.insert((path.clone(), text("code"), text("message"), range));
        }
    }
    client.stop();
    findings
}

#[test]
fn published_diagnostics_equal_okr_check_json_on_every_fixture_folder() {
    let folders = fixture_folders();
    assert!(folders.len() > 40, "{folders:?}");
    let mut compared = 0;
    for folder in folders {
        let folder = std::path::absolute(&folder).unwrap_or(folder);
        let Some(expected) = from_check(&folder) else {
            continue;
        };
        assert_eq!(from_server(&folder), expected, "{}", folder.display());
        compared += 1;
    }
    assert!(compared > 40, "only {compared} folders compared");
}
