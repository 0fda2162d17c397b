//! The GitHub Action (`action.yml`) and its scripts (`scripts/action/`), run
//! here as the runner runs them, without network: `okr` is the binary under
//! test and `gh` a fake on PATH that records its calls and answers the
//! comment search as GitHub would.

use crate::history::Repo;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

/// The fake `gh`: each call's arguments on a line of `$FAKE_GH_LOG`, the
/// body file of a `-F body=@FILE` or `--body-file FILE` copied beside it,
/// and `$FAKE_GH_IDS` (the ids the `--jq` filter would select) printed for
/// the comment search and the issue search.
const FAKE_GH: &str = r#"#!/usr/bin/env bash
echo "$*" >> "$FAKE_GH_LOG"
previous=""
for arg in "$@"; do
    case "$arg" in
        body=@*) cp "${arg#body=@}" "$FAKE_GH_LOG.body" ;;
    esac
    [[ "$previous" == "--body-file" ]] && cp "$arg" "$FAKE_GH_LOG.body"
    previous="$arg"
done
case " $* " in
    *" --paginate "* | *" issue list "*) [[ -n "${FAKE_GH_IDS:-}" ]] && printf '%s\n' $FAKE_GH_IDS ;;
esac
exit 0
"#;

/// A temporary runner: a folder for `gh` and `$RUNNER_TEMP`.
pub(crate) struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    pub(crate) fn new() -> Runner {
        let runner = Runner {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        let bin = runner.dir.path().join("bin");
        std::fs::create_dir_all(&bin).expect("mkdir");
        let gh = bin.join("gh");
        std::fs::write(&gh, FAKE_GH).expect("write gh");
        make_executable(&gh);
        runner
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("gh.log")
    }

    pub(crate) fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.log())
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    }

    pub(crate) fn body(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("gh.log.body")).unwrap_or_default()
    }

    fn temp(&self) -> PathBuf {
        self.dir.path().join("runner-temp")
    }

    /// `scripts/action/SCRIPT` in `dir` with `env`: (status, stdout, stderr).
    pub(crate) fn run(
        &self,
        script: &str,
        dir: &Path,
        env: &[(&str, &str)],
    ) -> (i32, String, String) {
        let okr = PathBuf::from(env!("CARGO_BIN_EXE_okr"));
        let path = std::env::join_paths(
            [
                self.dir.path().join("bin"),
                okr.parent().expect("okr's folder").to_path_buf(),
            ]
            .into_iter()
            .chain(std::env::split_paths(
                &std::env::var_os("PATH").unwrap_or_default(),
            )),
        )
        .expect("a PATH");
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scripts/action")
            .join(script);
        let output = Command::new("bash")
            .arg(&script)
            .current_dir(dir)
            .env("PATH", path)
            .env("RUNNER_TEMP", self.temp())
            .env("FAKE_GH_LOG", self.log())
            .env("GITHUB_REPOSITORY", "acme/goals")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("OKR_TODAY")
            .env_remove("GITHUB_ACTION_PATH")
            .envs(env.iter().copied())
            .output()
            .expect("bash runs");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut permissions = std::fs::metadata(path).expect("stat").permissions();
    permissions.set_mode(0o755);
    std::fs::set_permissions(path, permissions).expect("chmod");
}

#[cfg(not(unix))]
fn make_executable(_: &Path) {}

const GOALS: &str = "period 2026-Q3\nteam marketing\nowner @dana\n\nobjective pipeline \"Fill the pipeline\"\n  type committed\n  kr visitors \"Unique visitors\" target 60,000 baseline 41,000\n    2026-07-06 44,100 confidence 80%\n  kr quality \"Visitor to lead rate\" target 35% baseline 30%\n";

/// A repository with a base commit and a pull request's head (a branch).
fn pull_request() -> (Repo, String, String) {
    let repo = Repo::new();
    repo.write("goals/marketing.okr", GOALS);
    let base = repo.commit("2026-07-06", "Q3 goals");
    repo.git(&["checkout", "-q", "-b", "weekly"]);
    let checked_in = GOALS.replace(
        "confidence 80%\n",
        "confidence 80%\n    2026-07-13 45,900 confidence 50%\n",
    );
    repo.write("goals/marketing.okr", &checked_in);
    let head = repo.commit("2026-07-13", "Weekly check-in");
    (repo, base, head)
}

/// `comment.sh` on a pull request, with `ids` the comments the search
/// finds: the runner, and the two calls to `gh` (search, then post or update).
fn comment(ids: &str) -> (Runner, Vec<String>) {
    let (repo, base, head) = pull_request();
    let runner = Runner::new();
    let env = [
        ("OKR_ACTION_BASE", base.as_str()),
        ("OKR_ACTION_HEAD", head.as_str()),
        ("OKR_ACTION_PR", "7"),
        ("OKR_ACTION_TODAY", "2026-07-15"),
        ("FAKE_GH_IDS", ids),
    ];
    let (status, stdout, stderr) = runner.run("comment.sh", repo.path(), &env);
    assert_eq!(status, 0, "{stdout}\n{stderr}");
    let calls = runner.calls();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    (runner, calls)
}

#[test]
fn the_first_run_posts_the_comment_with_its_marker() {
    let (runner, calls) = comment("");
    assert!(
        calls[0].starts_with("api --paginate repos/acme/goals/issues/7/comments --jq "),
        "{calls:#?}"
    );
    assert!(calls[0].contains("<!-- okr-diff -->"), "{calls:#?}");
    assert!(
        calls[1].starts_with("api --method POST repos/acme/goals/issues/7/comments -F body=@"),
        "{calls:#?}"
    );
    let body = runner.body();
    assert!(
        body.starts_with("<!-- okr-diff -->\n### Goal changes"),
        "{body}"
    );
    assert!(body.contains("**1 check-in, 1 confidence drop**"), "{body}");
    assert!(body.contains("confidence-dropped"), "{body}");
    assert!(
        body.contains("#### Diagnostics introduced by this change"),
        "{body}"
    );
}

#[test]
fn a_later_run_updates_the_comment_it_finds() {
    let (runner, calls) = comment("4242 99");
    assert!(
        calls[1].starts_with("api --method PATCH repos/acme/goals/issues/comments/4242 -F body=@"),
        "the first one found: {calls:#?}"
    );
    assert!(runner.body().starts_with("<!-- okr-diff -->\n"));
}

#[test]
fn the_comment_needs_its_pull_request() {
    let (repo, base, _) = pull_request();
    let runner = Runner::new();
    let (status, _, stderr) = runner.run("comment.sh", repo.path(), &[("OKR_ACTION_BASE", &base)]);
    assert_ne!(status, 0);
    assert!(stderr.contains("OKR_ACTION_HEAD"), "{stderr}");
    assert!(runner.calls().is_empty());
}

/// A folder with a clean team file and one with a warning (no owner).
fn checked_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(dir.path().join("goals")).expect("mkdir");
    std::fs::write(dir.path().join("goals/marketing.okr"), GOALS).expect("write");
    let unowned = GOALS
        .replace("team marketing\nowner @dana\n", "team sales\n")
        .replace("2026-07-06 44,100 confidence 80%", "2026-07-06 44,100");
    std::fs::write(dir.path().join("goals/sales.okr"), unowned).expect("write");
    dir
}

#[test]
fn check_annotates_and_fails_on_warnings_only_when_denied() {
    let dir = checked_folder();
    let runner = Runner::new();
    let today = ("OKR_ACTION_TODAY", "2026-07-08");
    let (status, stdout, _) = runner.run("check.sh", dir.path(), &[today]);
    assert_eq!(status, 0, "{stdout}");
    assert!(
        stdout.contains("::warning file=goals/sales.okr,line="),
        "{stdout}"
    );
    let denied = [today, ("OKR_ACTION_DENY_WARNINGS", "true")];
    assert_eq!(runner.run("check.sh", dir.path(), &denied).0, 1);
    let clean = [
        today,
        ("OKR_ACTION_DENY_WARNINGS", "true"),
        ("OKR_ACTION_PATHS", "goals/marketing.okr"),
    ];
    let (status, stdout, _) = runner.run("check.sh", dir.path(), &clean);
    assert_eq!((status, stdout.as_str()), (0, ""));
}

#[test]
fn paths_limit_the_check_and_the_report() {
    let dir = checked_folder();
    std::fs::write(
        dir.path().join("goals/broken.okr"),
        "period 2026-Q3\nteam x\nobjective\n",
    )
    .expect("write");
    let runner = Runner::new();
    let today = ("OKR_ACTION_TODAY", "2026-07-08");
    assert_eq!(runner.run("check.sh", dir.path(), &[today]).0, 1);
    let two = ("OKR_ACTION_PATHS", "goals/marketing.okr\n goals/sales.okr");
    let (status, stdout, _) = runner.run("check.sh", dir.path(), &[today, two]);
    assert_eq!(status, 0, "{stdout}");
    assert!(!stdout.contains("broken.okr"), "{stdout}");
    let (status, stdout, stderr) = runner.run("report.sh", dir.path(), &[today, two]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    let html = std::fs::read_to_string(runner.temp().join("okr-action/report/goals.html"))
        .expect("the report");
    assert!(html.contains("sales") && html.contains("marketing"));
    // The whole folder does not parse: no report, a warning, and still no failure.
    std::fs::remove_file(runner.temp().join("okr-action/report/goals.html")).expect("remove");
    let (status, stdout, _) = runner.run("report.sh", dir.path(), &[today]);
    assert_eq!(status, 0);
    assert!(stdout.contains("::warning title=okr report::"), "{stdout}");
}

#[test]
fn the_cache_key_follows_the_source() {
    let runner = Runner::new();
    let root = env!("CARGO_MANIFEST_DIR");
    let env = [("GITHUB_ACTION_PATH", root), ("RUNNER_OS", "Linux")];
    let (status, first, stderr) = runner.run("cache-key.sh", Path::new(root), &env);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        first.starts_with("key=okr-Linux-")
            && first.trim_end().len() == "key=okr-Linux-".len() + 32,
        "{first}"
    );
    assert_eq!(runner.run("cache-key.sh", Path::new(root), &env).1, first);
}

fn action() -> Yaml {
    let text = std::fs::read_to_string("action.yml").expect("action.yml");
    YamlLoader::load_from_str(&text)
        .expect("valid YAML")
        .remove(0)
}

#[test]
fn the_action_wires_its_inputs_to_the_scripts() {
    let action = action();
    let inputs: BTreeSet<&str> = action["inputs"]
        .as_hash()
        .expect("inputs")
        .keys()
        .filter_map(Yaml::as_str)
        .collect();
    assert_eq!(
        inputs,
        BTreeSet::from(["comment", "deny-warnings", "github-token", "paths", "today"])
    );
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let steps = action["runs"]["steps"].as_vec().expect("steps");
    let text = std::fs::read_to_string("action.yml").expect("action.yml");
    // Every input used is declared, and every declared one used.
    for used in text.split("inputs.").skip(1) {
        let name: String = used
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        assert!(
            inputs.contains(name.as_str()),
            "inputs.{name} is not declared"
        );
    }
    for input in &inputs {
        assert!(
            text.contains(&format!("inputs.{input} "))
                || text.contains(&format!("inputs.{input} }}")),
            "{input} unused"
        );
    }
    // Each script a step runs is there, and every script is run by a step.
    let mut run_scripts = BTreeSet::new();
    for step in steps {
        assert!(
            step["name"].as_str().is_some(),
            "every step is named: {step:?}"
        );
        if let Some(run) = step["run"].as_str() {
            assert_eq!(step["shell"].as_str(), Some("bash"), "{run}");
            if let Some(script) = run.split("scripts/action/").nth(1) {
                let script: String = script.chars().take_while(|c| *c != '"').collect();
                assert!(
                    Path::new("scripts/action").join(&script).is_file(),
                    "{script}"
                );
                run_scripts.insert(script);
            }
        }
    }
    assert_eq!(
        run_scripts,
        BTreeSet::from(["cache-key.sh", "check.sh", "comment.sh", "report.sh"].map(String::from))
    );
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert_eq!(uses, ["actions/cache@v4", "actions/upload-artifact@v4"]);
}

#[test]
fn the_example_workflow_is_a_three_line_use_of_the_action() {
    let text = std::fs::read_to_string("examples/ci/okr-pr.yml").expect("the example");
    let workflow = YamlLoader::load_from_str(&text)
        .expect("valid YAML")
        .remove(0);
    let steps = workflow["jobs"]["okr"]["steps"].as_vec().expect("steps");
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["uses"].as_str(), Some("actions/checkout@v4"));
    assert_eq!(steps[0]["with"]["fetch-depth"].as_i64(), Some(0));
    assert_eq!(steps[1]["uses"].as_str(), Some("OWNER/okr@REF"));
    let step_lines = text
        .lines()
        .skip_while(|line| !line.trim_start().starts_with("steps:"))
        .skip(1)
        .count();
    assert_eq!(step_lines, 3, "{text}");
}
