//! Running the real binary the way a user would, with a fixed date and no colour.

use assert_cmd::Command;
use serde_json::Value;

/// The date every fixture is written for: inside 2026-Q3.
pub const TODAY: &str = "2026-08-15";

/// `okr` with a clean environment: no colour, no `OKR_TODAY` from outside.
pub fn okr() -> Command {
    let mut command = Command::cargo_bin("okr").expect("the okr binary is built");
    command
        .env_remove("OKR_TODAY")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        // libgit2 reads no user or system git configuration: tests see only
        // the repositories they make.
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    command
}

/// Runs `okr ARGS` in `dir`: (exit status, stdout, stderr); never a panic.
pub fn run_in<S: AsRef<std::ffi::OsStr>>(
    dir: &std::path::Path,
    args: impl IntoIterator<Item = S>,
) -> (i32, String, String) {
    let output = okr()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("okr runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    )
}

/// Runs `okr ARGS` and returns (exit status, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let output = okr().args(args).output().expect("okr runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `okr check --format json --today TODAY PATHS…`, parsed.
pub fn check_json(paths: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--format", "json", "--today", TODAY];
    args.extend_from_slice(paths);
    let (status, stdout, stderr) = run(&args);
    assert!(!stderr.contains("panicked"), "okr panicked: {stderr}");
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}\n{stderr}"));
    (status, json)
}

/// The codes of a `check --format json` document, in order.
pub fn codes(json: &Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .map(|diagnostics| {
            diagnostics
                .iter()
                .filter_map(|d| d["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The names in a folder, sorted.
pub fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
