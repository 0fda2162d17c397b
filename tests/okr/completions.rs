//! `okr completions`, `okr man` and the references the completion hooks
//! list (`okr __complete-refs`).

use crate::common::{Test, TODAY};
use std::path::Path;
use std::process::Command;

fn script(shell: &str) -> String {
    Test::new().args(["completions", shell]).run().stdout
}

/// Runs `script` in bash with `okr` (this build) first on PATH.
fn bash(dir: &Path, script: &str) -> String {
    shell("bash", &["-c"], dir, script)
}

/// Runs `script` with `program ARGS… SCRIPT` in `dir`, `okr` (this build)
/// first on PATH; its stdout, after it succeeded.
fn shell(program: &str, args: &[&str], dir: &Path, script: &str) -> String {
    let okr = assert_cmd::cargo::cargo_bin("okr");
    let bin = okr.parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new(program)
        .args(args)
        .arg(script)
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap_or_else(|error| panic!("{program} (installed by .ci/run): {error}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A folder with `okr init`'s goals for team `growth`.
fn goals() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    Test::new()
        .current_dir(dir.path())
        .args(["init", "--team", "growth", "--no-git", "--today", TODAY])
        .run();
    dir
}

#[test]
fn the_bash_script_parses_and_registers_okr() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("okr.bash");
    let text = script("bash");
    assert_eq!(text.matches("__complete-refs").count(), 1, "the hook only");
    std::fs::write(&file, text).unwrap();
    bash(dir.path(), "bash -n okr.bash");
    assert_eq!(
        bash(dir.path(), "source okr.bash && complete -p okr"),
        "complete -o bashdefault -o default -F _okr_references okr\n"
    );
}

#[test]
fn the_zsh_script_parses_and_registers_its_hook() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("_okr"), script("zsh")).unwrap();
    shell("zsh", &["-n"], dir.path(), "_okr");
    assert_eq!(
        shell(
            "zsh",
            &["-f", "-c"],
            dir.path(),
            "autoload -U compinit && compinit -u -D && source ./_okr && print ${_comps[okr]}"
        ),
        "_okr_references\n"
    );
}

#[test]
fn bash_completes_subcommands_and_references() {
    let dir = goals();
    std::fs::write(dir.path().join("okr.bash"), script("bash")).unwrap();
    let complete = |words: &str| {
        let line = format!(
            "source okr.bash; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
             _okr_references okr \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\" | sort"
        );
        bash(dir.path(), &line)
    };
    assert!(
        complete("okr ini").contains("init\n"),
        "{}",
        complete("okr ini")
    );
    assert_eq!(
        complete("okr checkin growth/customers."),
        "growth/customers.quality\ngrowth/customers.won\n"
    );
    assert_eq!(
        complete("okr log gr"),
        "growth/customers\ngrowth/customers.quality\ngrowth/customers.won\n"
    );
    assert!(!complete("okr report gr").contains("growth/"));
    // Only the command's first argument is a reference.
    assert!(!complete("okr checkin growth/customers.won ''").contains("growth/"));
    assert!(complete("okr checkin --in . growth/").contains("growth/customers.won\n"));
}

#[test]
fn every_shell_gets_a_script() {
    for (shell, marks) in [
        (
            "zsh",
            &[
                "#compdef okr",
                "compdef _okr_references okr",
                "__complete-refs",
            ][..],
        ),
        ("fish", &["complete -c okr"][..]),
        ("powershell", &["Register-ArgumentCompleter"][..]),
        ("elvish", &["edit:completion:arg-completer[okr]"][..]),
    ] {
        let text = script(shell);
        for mark in marks {
            assert!(text.contains(mark), "{shell}: no {mark:?}");
        }
        // The references' command is run by the hooks, never offered.
        let hooks = usize::from(shell == "zsh");
        assert_eq!(text.matches("__complete-refs").count(), hooks, "{shell}");
    }
    Test::new()
        .args(["completions", "tcsh"])
        .status(2)
        .stderr_has("invalid value 'tcsh'")
        .run();
}

#[test]
fn references_are_listed_from_the_goals_here() {
    let dir = goals();
    let refs = |prefix: &str| {
        Test::new()
            .current_dir(dir.path())
            .args(["__complete-refs", prefix])
            .run()
            .stdout
    };
    assert_eq!(
        refs(""),
        "growth/customers\ngrowth/customers.won\ngrowth/customers.quality\n"
    );
    assert_eq!(refs("growth/customers.q"), "growth/customers.quality\n");
    assert_eq!(refs("-x"), "");
    let empty = tempfile::tempdir().unwrap();
    Test::new()
        .current_dir(empty.path())
        .args(["__complete-refs", "g"])
        .stdout_is("")
        .run();
}

#[test]
fn man_prints_the_page_and_writes_one_per_command() {
    let page = Test::new().arg("man").run().stdout;
    assert!(page.contains(".TH okr 1"), "{page}");
    assert!(page.contains("okr\\-init(1)"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    Test::new()
        .args(["man", "--dir"])
        .arg(&pages)
        .stdout_has("manual pages in")
        .run();
    for name in [
        "okr.1",
        "okr-init.1",
        "okr-git-setup.1",
        "okr-completions.1",
    ] {
        assert!(pages.join(name).is_file(), "no {name}");
    }
    assert!(!pages.join("okr-__complete-refs.1").exists());
    let init = std::fs::read_to_string(pages.join("okr-init.1")).unwrap();
    assert!(init.contains(".TH okr-init 1"), "{init}");
}
