//! `okr git setup`: takes the repository and the okr program to run, gives
//! a repository whose `git diff` shows semantic goal changes for `*.okr`
//! files (`*.okr diff=okr` in `.gitattributes`, `diff.okr.command` in its
//! git config). What git then runs is [`super::driver`].

use super::repo::{current_folder, Repo};
use super::HistoryError;
use std::path::{Path, PathBuf};

/// The line `setup` writes to `.gitattributes`.
pub const ATTRIBUTES_LINE: &str = "*.okr diff=okr";

/// The note git's diff shows when the recorded okr is gone.
const DRIVER_MISSING: &str =
    "okr is not where `okr git setup` found it nor on PATH; plain text diff (run `okr git setup` again)";

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
    let repo = Repo::discover(&current_folder()?)?;
    let root = repo.workdir()?.to_path_buf();
    let attributes_path = root.join(".gitattributes");
    let config_path = repo.common_dir().join("config");
    for (path, name) in [
        (&attributes_path, ".gitattributes"),
        (&config_path, ".git/config"),
    ] {
        refuse_link(path, name)?;
    }
    let command = driver_command(program)?;
    let added = add_attributes_line(&attributes_path).map_err(SetupError::Attributes)?;
    repo.inner()
        .config()
        .and_then(|config| config.open_level(git2::ConfigLevel::Local))
        .and_then(|mut config| config.set_str("diff.okr.command", &command))
        .map_err(SetupError::Config)?;
    Ok(added)
}

/// What git runs as `diff.okr.command`. git runs it through `sh` with its
/// arguments appended, wherever `git diff` runs (an IDE often has another
/// PATH than the terminal), so it names this very executable by its full
/// path (or the `--program` given), then tries `okr` on PATH, and when
/// neither is there prints a one-line note and the plain text diff instead
/// of failing: a failing driver stops git's whole diff (exit 128).
fn driver_command(program: Option<&str>) -> Result<String, SetupError> {
    let program = match program {
        Some(program) => program.to_string(),
        None => std::env::current_exe()
            .map(|exe| exe.display().to_string())
            .map_err(SetupError::CurrentExe)?,
    };
    let program = shell_quote(&program);
    Ok(format!(
        "okr_diff() {{ for okr in {program} okr; do if command -v \"$okr\" >/dev/null 2>&1; then \"$okr\" git diff-driver \"$@\"; return 0; fi; done; echo \"okr: {note}\"; git diff --no-index --no-ext-diff -- \"$2\" \"$5\"; return 0; }}; okr_diff",
        note = DRIVER_MISSING.replace('`', "'"),
    ))
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

/// Appends the attributes line unless a line already says it; true if written.
fn add_attributes_line(path: &Path) -> std::io::Result<bool> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(error),
    };
    if existing.lines().any(|line| {
        line.split_whitespace().collect::<Vec<_>>()
            == ATTRIBUTES_LINE.split(' ').collect::<Vec<_>>()
    }) {
        return Ok(false);
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(ATTRIBUTES_LINE);
    text.push('\n');
    std::fs::write(path, text)?;
    Ok(true)
}
