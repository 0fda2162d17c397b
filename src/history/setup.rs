//! `okr git setup`: takes the repository and the okr program to run, gives
//! a repository whose `git diff` shows semantic goal changes for `*.okr`
//! files and whose merges (`git merge`, `rebase`, `cherry-pick`) merge them
//! entity by entity (`*.okr diff=okr merge=okr` in `.gitattributes`,
//! `diff.okr.command` and `merge.okr.driver` in its git config). What git
//! then runs is [`super::driver`] and [`crate::merge`]. `okr git setup
//! --check` ([`check`]) says which of these this clone has.

use super::repo::{current_folder, Repo};
use super::HistoryError;
use std::path::{Path, PathBuf};

/// The line `setup` writes to `.gitattributes`.
pub const ATTRIBUTES_LINE: &str = "*.okr diff=okr merge=okr";

/// The pattern and the attributes of [`ATTRIBUTES_LINE`].
const PATTERN: &str = "*.okr";
const ATTRIBUTES: [&str; 2] = ["diff=okr", "merge=okr"];

/// The note git's diff shows when the recorded okr is gone.
const DRIVER_MISSING: &str =
    "okr is not where `okr git setup` found it nor on PATH; plain text diff (run `okr git setup` again)";

/// The warning a merge prints on stderr when the recorded okr is gone.
const MERGE_DRIVER_MISSING: &str =
    "okr is not where `okr git setup` found it nor on PATH; merging {path} line by line with git merge-file (run `okr git setup` again)";

/// The name git shows for the merge driver.
const MERGE_NAME: &str = "okr: goal files merged by objective, KR and check-in date";

/// Why the repository was not set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The repository could not be opened.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// `.gitattributes` or `.git/config` is a symbolic link: the file it
    /// points to may be outside the repository, and git ignores a
    /// `.gitattributes` that is a link, so setup would report success
    /// while nothing works.
    #[error("`{name}` is a symbolic link{}: okr will not write through it (the file may be outside the repository, and git does not follow a linked .gitattributes); replace it with a regular file and run `okr git setup` again", target.as_ref().map(|target| format!(" to `{}`", target.display())).unwrap_or_default())]
    Link {
        /// The file: `.gitattributes` or `.git/config`.
        name: &'static str,
        /// Where the link points, when it can be read.
        target: Option<PathBuf>,
    },
    /// The executable's own path, for the diff driver, is unknown.
    #[error("cannot find the path of this okr executable ({0}); name it with `--program PATH`")]
    CurrentExe(#[source] std::io::Error),
    /// `.gitattributes` could not be read or written.
    #[error("cannot update .gitattributes: {0}")]
    Attributes(#[source] std::io::Error),
    /// The diff driver could not be added to `.git/config`.
    #[error("cannot write the repository's git config: {}", .0.message())]
    Config(#[source] git2::Error),
}

/// Sets up the repository holding the current folder to run `program`
/// (default: this executable's full path) as its diff driver for `*.okr`
/// files. True when the attributes line was added, false when
/// `.gitattributes` had it.
pub fn setup(program: Option<&str>) -> Result<bool, SetupError> {
    setup_in(&current_folder()?, program)
}

/// [`setup`] for the repository holding `folder`: `okr init DIR` sets up
/// the repository it made or found, wherever okr runs.
pub fn setup_in(folder: &Path, program: Option<&str>) -> Result<bool, SetupError> {
    let repo = Repo::discover(folder)?;
    let root = repo.workdir()?.to_path_buf();
    let attributes_path = root.join(".gitattributes");
    let config_path = repo.common_dir().join("config");
    for (path, name) in [
        (&attributes_path, ".gitattributes"),
        (&config_path, ".git/config"),
    ] {
        refuse_link(path, name)?;
    }
    let program = program_path(program)?;
    let added = add_attributes_line(&attributes_path).map_err(SetupError::Attributes)?;
    repo.inner()
        .config()
        .and_then(|config| config.open_level(git2::ConfigLevel::Local))
        .and_then(|mut config| {
            config.set_str("diff.okr.command", &driver_command(&program))?;
            config.set_str("merge.okr.name", MERGE_NAME)?;
            config.set_str("merge.okr.driver", &merge_command(&program))
        })
        .map_err(SetupError::Config)?;
    Ok(added)
}

/// One thing `okr git setup` sets, and whether this clone has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// What it is: `*.okr merge=okr in .gitattributes`, `merge.okr.driver`.
    pub what: String,
    /// Whether git sees it as `okr git setup` sets it.
    pub set: bool,
    /// What is there instead, or what it runs.
    pub detail: String,
}

/// What `okr git setup` sets, as git sees it in the repository holding the
/// current folder: the attributes of a `*.okr` file (from any
/// attributes file git reads) and the drivers in its config (any level).
pub fn check() -> Result<Vec<Item>, SetupError> {
    let repo = Repo::discover(&current_folder()?)?;
    let git = repo.inner();
    let mut items = Vec::new();
    for (attribute, effect) in ATTRIBUTES.into_iter().zip([
        "`git diff` shows goal changes",
        "`git merge` merges goals by objective, KR and check-in date",
    ]) {
        let (name, value) = attribute.split_once('=').unwrap_or((attribute, ""));
        let seen = git
            .get_attr(
                Path::new("goals.okr"),
                name,
                git2::AttrCheckFlags::FILE_THEN_INDEX,
            )
            .ok()
            .flatten()
            .map(str::to_string);
        let set = seen.as_deref() == Some(value);
        items.push(Item {
            what: format!("{PATTERN} {attribute} in .gitattributes"),
            set,
            detail: match seen {
                _ if set => effect.to_string(),
                Some(seen) => format!("*.okr files have {name}={seen}"),
                None => format!("*.okr files have no `{name}` attribute"),
            },
        });
    }
    let config = git.config().map_err(SetupError::Config)?;
    for (key, runs) in [
        ("diff.okr.command", "git diff-driver"),
        ("merge.okr.driver", "git merge-driver"),
    ] {
        let value = config.get_string(key).ok();
        let set = value.as_deref().is_some_and(|value| value.contains(runs));
        items.push(Item {
            what: key.to_string(),
            set,
            detail: match (value, set) {
                (None, _) => "not set".to_string(),
                (Some(_), true) => format!("runs `okr {runs}`"),
                (Some(value), false) => format!("set to something else: {value}"),
            },
        });
    }
    Ok(items)
}

/// The okr git should run: `program`, or this executable's full path.
fn program_path(program: Option<&str>) -> Result<String, SetupError> {
    match program {
        Some(program) => Ok(program.to_string()),
        None => std::env::current_exe()
            .map(|exe| exe.display().to_string())
            .map_err(SetupError::CurrentExe),
    }
}

/// What git runs as `diff.okr.command`. git runs it through `sh` with its
/// arguments appended, wherever `git diff` runs (an IDE often has another
/// PATH than the terminal), so it names this very executable by its full
/// path (or the `--program` given), then tries `okr` on PATH, and when
/// neither is there prints a one-line note and the plain text diff instead
/// of failing: a failing driver stops git's whole diff (exit 128).
fn driver_command(program: &str) -> String {
    let program = shell_quote(program);
    format!(
        "okr_diff() {{ for okr in {program} okr; do if command -v \"$okr\" >/dev/null 2>&1; then \"$okr\" git diff-driver \"$@\"; return 0; fi; done; echo \"okr: {note}\"; git diff --no-index --no-ext-diff -- \"$2\" \"$5\"; return 0; }}; okr_diff",
        note = DRIVER_MISSING.replace('`', "'"),
    )
}

/// What git runs as `merge.okr.driver`, with its `%O %A %B %L %P`
/// (git quotes the paths). As the diff driver, it tries this executable,
/// then `okr` on PATH; when neither is there it warns on stderr and runs
/// git's own line merge on the same files, so a merge still works. Its
/// status is git's contract: 0 clean, 1 conflicts (never above 128, which
/// git reads as a crash).
fn merge_command(program: &str) -> String {
    let program = shell_quote(program);
    format!(
        "okr_merge() {{ for okr in {program} okr; do if command -v \"$okr\" >/dev/null 2>&1; then \"$okr\" git merge-driver \"$@\"; return $?; fi; done; echo \"okr: {note}\" >&2; git merge-file --marker-size=\"$4\" -L ours -L base -L theirs \"$2\" \"$1\" \"$3\" || return 1; }}; okr_merge %O %A %B %L %P",
        note = MERGE_DRIVER_MISSING
            .replace('`', "'")
            .replace("{path}", "$5"),
    )
}

/// One word for `sh`, whatever it holds.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// Refuses to write through a symbolic link ([`SetupError::Link`]).
fn refuse_link(path: &Path, name: &'static str) -> Result<(), SetupError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(SetupError::Link {
            name,
            target: std::fs::read_link(path).ok(),
        }),
        _ => Ok(()),
    }
}

/// Appends the attributes that no `*.okr` line has yet (all of them:
/// [`ATTRIBUTES_LINE`]); true if a line was written. A clone set up before
/// the merge driver existed gets `*.okr merge=okr` under its diff line.
fn add_attributes_line(path: &Path) -> std::io::Result<bool> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(error),
    };
    let missing: Vec<&str> = ATTRIBUTES
        .into_iter()
        .filter(|attribute| {
            !existing.lines().any(|line| {
                let mut words = line.split_whitespace();
                words.next() == Some(PATTERN) && words.any(|word| word == *attribute)
            })
        })
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!("{PATTERN} {}\n", missing.join(" ")));
    crate::write::atomic_write(path, text.as_bytes())?;
    Ok(true)
}
