//! `.pre-commit-hooks.yaml`: each hook follows the pre-commit framework's
//! conventions and its entry is a real `okr` subcommand that behaves as the
//! framework expects, run here the way pre-commit runs it.

use crate::common::run_in;
use std::path::Path;
use yaml_rust2::{Yaml, YamlLoader};

/// A hook's entry as pre-commit reads it.
struct Hook {
    id: String,
    entry: Vec<String>,
    args: Vec<String>,
    language: String,
    files: String,
    pass_filenames: bool,
    minimum_version: String,
}

fn text(yaml: &Yaml, key: &str) -> String {
    yaml[key].as_str().unwrap_or_default().to_string()
}

fn hooks() -> Vec<Hook> {
    let source = std::fs::read_to_string(".pre-commit-hooks.yaml").expect("the hooks file");
    let documents = YamlLoader::load_from_str(&source).expect("valid YAML");
    documents[0]
        .as_vec()
        .expect("a list of hooks")
        .iter()
        .map(|hook| Hook {
            id: text(hook, "id"),
            entry: text(hook, "entry")
                .split_whitespace()
                .map(String::from)
                .collect(),
            args: hook["args"]
                .as_vec()
                .map(|args| {
                    args.iter()
                        .filter_map(|a| a.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
            language: text(hook, "language"),
            files: text(hook, "files"),
            pass_filenames: hook["pass_filenames"].as_bool().unwrap_or(true),
            minimum_version: text(hook, "minimum_pre_commit_version"),
        })
        .collect()
}

fn hook(id: &str) -> Hook {
    hooks()
        .into_iter()
        .find(|hook| hook.id == id)
        .unwrap_or_else(|| panic!("no hook {id}"))
}

/// Runs `hook` in `dir` as pre-commit does: entry, args, then the staged
/// files when the hook takes them.
fn run_hook(hook: &Hook, dir: &Path, staged: &[&str]) -> i32 {
    assert_eq!(hook.entry[0], "okr", "{}: the entry runs okr", hook.id);
    let mut args: Vec<&str> = hook.entry[1..].iter().map(String::as_str).collect();
    args.extend(hook.args.iter().map(String::as_str));
    if hook.pass_filenames {
        args.extend(staged);
    }
    run_in(dir, &args).0
}

const GOALS: &str = "tests/fixtures/codes/funnel-gap/passes";

fn goals_in(dir: &Path) {
    for entry in std::fs::read_dir(GOALS).expect("the fixture").flatten() {
        std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
    }
}

#[test]
fn every_hook_follows_pre_commit_conventions() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["okr-fmt", "okr-check"]);
    for hook in &hooks {
        assert_eq!(hook.language, "rust", "{}", hook.id);
        assert_eq!(hook.files, r"\.okr$", "{}", hook.id);
        // `language: rust` came in pre-commit 2.21.0.
        assert_eq!(hook.minimum_version, "2.21.0", "{}", hook.id);
        // The subcommand exists: its help runs.
        let mut help: Vec<&str> = hook.entry[1..].iter().map(String::as_str).collect();
        help.push("--help");
        assert_eq!(run_in(Path::new("."), &help).0, 0, "okr {help:?}");
    }
}

#[test]
fn okr_fmt_rewrites_the_staged_files_so_pre_commit_fails_the_commit_once() {
    let hook = hook("okr-fmt");
    assert!(hook.pass_filenames);
    let dir = tempfile::tempdir().expect("a temporary folder");
    goals_in(dir.path());
    let file = dir.path().join("growth.okr");
    run_hook(&hook, dir.path(), &["growth.okr"]);
    let formatted = std::fs::read_to_string(&file).expect("read");
    let untidy = formatted.replace("  kr trials ", "  kr    trials  ");
    assert_ne!(untidy, formatted);
    std::fs::write(&file, &untidy).expect("write");
    // pre-commit fails a hook that modified files, whatever its status.
    assert_eq!(run_hook(&hook, dir.path(), &["growth.okr"]), 0);
    assert_eq!(std::fs::read_to_string(&file).expect("read"), formatted);
    // Staged again, the next run changes nothing: the commit goes through.
    assert_eq!(run_hook(&hook, dir.path(), &["growth.okr"]), 0);
    assert_eq!(std::fs::read_to_string(&file).expect("read"), formatted);
}

#[test]
fn okr_check_checks_the_whole_folder_and_fails_on_errors() {
    let hook = hook("okr-check");
    assert!(!hook.pass_filenames, "the folder, so references resolve");
    let dir = tempfile::tempdir().expect("a temporary folder");
    goals_in(dir.path());
    assert_eq!(run_hook(&hook, dir.path(), &["growth.okr"]), 0);
    std::fs::write(
        dir.path().join("broken.okr"),
        "period 2026-Q3\nteam x\nobjective\n",
    )
    .expect("write");
    assert_eq!(run_hook(&hook, dir.path(), &["broken.okr"]), 1);
    // `args: [--deny, warnings]`, as docs/ci.md suggests, reaches okr check.
    let strict = Hook {
        args: vec!["--deny".into(), "warnings".into()],
        ..hook
    };
    std::fs::remove_file(dir.path().join("broken.okr")).expect("remove");
    std::fs::copy(
        "tests/fixtures/codes/no-owner/fires/marketing.okr",
        dir.path().join("nobody.okr"),
    )
    .expect("copy");
    assert_eq!(run_hook(&strict, dir.path(), &[]), 1);
}
