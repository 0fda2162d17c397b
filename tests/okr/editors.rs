//! The editor support under `editors/` kept in step with the language, without
//! the tree-sitter CLI or node (those tests run in `editors/test.sh`).

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    let path: PathBuf = repository().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The reserved words, from the reference grammar's `keyword` rule.
fn keywords() -> Vec<String> {
    let pest = read("grammar/okr.pest");
    let start = pest
        .find("keyword = _{")
        .expect("grammar/okr.pest has a keyword rule");
    let rule = &pest[start..];
    let rule = &rule[..rule.find('}').expect("the keyword rule ends")];
    let words: Vec<String> = rule
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    assert!(words.len() > 30, "{words:?}");
    words
}

#[test]
fn queries_in_sync() {
    let output = Command::new("bash")
        .arg(repository().join("editors/sync-queries.sh"))
        .arg("--check")
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn tree_sitter_highlights_every_keyword() {
    let highlights = read("editors/tree-sitter-okr/queries/highlights.scm");
    let missing: Vec<String> = keywords()
        .into_iter()
        .filter(|word| {
            !highlights.contains(&format!("\"{word}\""))
                && !highlights.contains(&format!("({word}_statement)"))
        })
        .collect();
    assert!(missing.is_empty(), "not highlighted: {missing:?}");
}

#[test]
fn textmate_grammar_highlights_every_keyword() {
    let grammar: Value =
        serde_json::from_str(&read("editors/vscode/syntaxes/okr.tmLanguage.json")).expect("JSON");
    let words: BTreeSet<&str> = ["keyword", "constant"]
        .iter()
        .filter_map(|rule| grammar["repository"][rule]["match"].as_str())
        .flat_map(|pattern| pattern.split(|c: char| !c.is_ascii_alphabetic()))
        .collect();
    let missing: Vec<String> = keywords()
        .into_iter()
        .filter(|word| !words.contains(word.as_str()))
        .collect();
    assert!(missing.is_empty(), "not highlighted: {missing:?}");
}

/// The README shows Helix's configuration to paste; it is the shipped file.
#[test]
fn readme_shows_the_helix_configuration() {
    let file = read("editors/helix/languages.toml");
    let settings: String = file
        .lines()
        .skip_while(|line| line.starts_with('#') || line.is_empty())
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(
        read("README.md").contains(&format!("```toml\n{settings}```")),
        "the README's Helix block differs from editors/helix/languages.toml"
    );
}
