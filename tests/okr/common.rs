//! Running the real binary the way a user would, with a fixed date and no colour.

use assert_cmd::Command;
use serde_json::Value;
use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

/// The date every fixture is written for: inside 2026-Q3.
pub(crate) const TODAY: &str = "2026-08-15";

/// `okr` with a clean environment: no colour, no `OKR_TODAY` from outside.
pub(crate) fn okr() -> Command {
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
pub(crate) fn run_in<S: AsRef<std::ffi::OsStr>>(
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
pub(crate) fn run(args: &[&str]) -> (i32, String, String) {
    let output = okr().args(args).output().expect("okr runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `okr check --format json --today TODAY PATHS…`, parsed; the exit status
/// must be `status` and stderr empty.
pub(crate) fn check_json(paths: &[&str], status: i32) -> Value {
    Test::new()
        .args(["check", "--format", "json", "--today", TODAY])
        .args(paths)
        .status(status)
        .json()
}

/// The codes of a `check --format json` document, in order.
pub(crate) fn codes(json: &Value) -> Vec<String> {
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
pub(crate) fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// How long a run of `okr` may take before a test calls it hung: a guard
/// against hangs on a busy machine, never a measure of speed.
pub(crate) const HANG: Duration = Duration::from_secs(300);

/// What a stream must hold.
enum Expect {
    Is(String),
    Has(String),
    Lacks(String),
}

impl Expect {
    fn check(&self, stream: &str, text: &str, command: &str) {
        match self {
            Expect::Is(expected) => {
                assert_eq!(text, expected, "{command}: {stream} is not as expected");
            }
            Expect::Has(fragment) => assert!(
                text.contains(fragment.as_str()),
                "{command}: {stream} lacks {fragment:?}:\n{text}"
            ),
            Expect::Lacks(fragment) => assert!(
                !text.contains(fragment.as_str()),
                "{command}: {stream} has {fragment:?}:\n{text}"
            ),
        }
    }
}

/// One run of `okr` (as `okr()`) that always checks its exit status (0
/// unless `status` says otherwise) and its stderr (empty unless `stderr_has`
/// says what it holds), and stdout as asked; after just's `tests/test.rs`. `run` returns both streams for further checks:
///
/// ```ignore
/// let out = Test::new().args(["check", "x.okr"]).status(1).stdout_has("syntax").run();
/// ```
#[must_use = "a Test checks nothing until `run`"]
pub(crate) struct Test {
    command: Command,
    shown: Vec<String>,
    status: i32,
    stdout: Vec<Expect>,
    stderr: Vec<Expect>,
}

/// What a `Test` printed, its status and stderr already checked.
pub(crate) struct Ran {
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    pub(crate) fn new() -> Test {
        let mut command = okr();
        command.timeout(HANG);
        Test {
            command,
            shown: vec!["okr".to_string()],
            status: 0,
            stdout: Vec::new(),
            stderr: Vec::new(),
        }
    }

    pub(crate) fn arg(mut self, arg: impl AsRef<OsStr>) -> Test {
        self.shown.push(arg.as_ref().to_string_lossy().into_owned());
        self.command.arg(arg);
        self
    }

    pub(crate) fn args<S: AsRef<OsStr>>(self, args: impl IntoIterator<Item = S>) -> Test {
        args.into_iter().fold(self, Test::arg)
    }

    pub(crate) fn current_dir(mut self, dir: impl AsRef<Path>) -> Test {
        self.command.current_dir(dir);
        self
    }

    pub(crate) fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Test {
        self.command.env(key, value);
        self
    }

    /// The exit status expected; 0 unless set.
    pub(crate) fn status(mut self, status: i32) -> Test {
        self.status = status;
        self
    }

    pub(crate) fn stdout_is(mut self, text: impl Into<String>) -> Test {
        self.stdout.push(Expect::Is(text.into()));
        self
    }

    pub(crate) fn stdout_has(mut self, fragment: impl Into<String>) -> Test {
        self.stdout.push(Expect::Has(fragment.into()));
        self
    }

    pub(crate) fn stdout_lacks(mut self, fragment: impl Into<String>) -> Test {
        self.stdout.push(Expect::Lacks(fragment.into()));
        self
    }

    /// Stderr holds `fragment`; without `stderr_has` it must be empty.
    pub(crate) fn stderr_has(mut self, fragment: impl Into<String>) -> Test {
        self.stderr.push(Expect::Has(fragment.into()));
        self
    }

    /// Runs `okr` and checks its status, stderr and stdout.
    pub(crate) fn run(mut self) -> Ran {
        let command = self.shown.join(" ");
        let output = self
            .command
            .output()
            .unwrap_or_else(|error| panic!("{command}: {error}"));
        let ran = Ran {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !ran.stderr.contains("panicked"),
            "{command} panicked: {}",
            ran.stderr
        );
        assert_eq!(
            output.status.code(),
            Some(self.status),
            "{command}: exit status\nstdout:\n{}\nstderr:\n{}",
            ran.stdout,
            ran.stderr
        );
        if self.stderr.is_empty() {
            assert_eq!(ran.stderr, "", "{command}: stderr not empty");
        }
        for expect in &self.stderr {
            expect.check("stderr", &ran.stderr, &command);
        }
        for expect in &self.stdout {
            expect.check("stdout", &ran.stdout, &command);
        }
        ran
    }

    /// Runs `okr` as `run` does and parses its stdout as JSON.
    pub(crate) fn json(self) -> Value {
        let ran = self.run();
        serde_json::from_str(&ran.stdout)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", ran.stdout))
    }
}
