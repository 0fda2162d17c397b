//! `okr git`: git integration. `setup` makes `git diff` show semantic goal
//! changes for `*.okr` files; `diff-driver` is what git then runs.

use super::{fail, write_stdout, Outcome};
use crate::diff::render::{self as render, DiffFormat, DiffView};
use crate::diff::{self, FileGoals, Mode};
use crate::history::blobs;
use crate::history::paths::RepoPath;
use crate::history::repo::Repo;
use crate::syntax::LineMemo;
use std::ffi::{OsStr, OsString};
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: GitCommand,
}

#[derive(clap::Subcommand)]
enum GitCommand {
    /// Make `git diff` show semantic changes for *.okr files in this repository:
    /// adds `*.okr diff=okr` to .gitattributes and sets `diff.okr.command` in
    /// the repository's git config (run it in every clone: git config is not
    /// versioned).
    Setup {
        /// The okr program git should run (default: this executable's full path).
        #[arg(long)]
        program: Option<String>,
    },
    /// git's external diff driver: git runs it as
    /// `okr git diff-driver PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`.
    DiffDriver {
        /// The arguments git passes (7, 9 for a rename, or 1 for an unmerged path).
        /// Kept as the OS gives them: a file name need not be UTF-8.
        #[arg(num_args = 1.., allow_hyphen_values = true, value_name = "ARGS")]
        args: Vec<OsString>,
    },
}

/// The line `setup` writes to `.gitattributes`.
pub const ATTRIBUTES_LINE: &str = "*.okr diff=okr";

pub fn run(args: Args, color: bool) -> Outcome {
    match args.command {
        GitCommand::Setup { program } => setup(program.as_deref()),
        GitCommand::DiffDriver { args } => driver(&args, color),
    }
}

/// What git runs as `diff.okr.command`. git runs it through `sh` with its
/// arguments appended, wherever `git diff` runs (an IDE often has another
/// PATH than the terminal), so it names this very executable by its full
/// path (or the `--program` given), then tries `okr` on PATH, and when
/// neither is there prints a one-line note and the plain text diff instead
/// of failing: a failing driver stops git's whole diff (exit 128).
fn driver_command(program: Option<&str>) -> Result<String, String> {
    let program = match program {
        Some(program) => program.to_string(),
        None => std::env::current_exe()
            .map(|exe| exe.display().to_string())
            .map_err(|error| {
                format!("cannot find the path of this okr executable ({error}); name it with `--program PATH`")
            })?,
    };
    let program = shell_quote(&program);
    Ok(format!(
        "okr_diff() {{ for okr in {program} okr; do if command -v \"$okr\" >/dev/null 2>&1; then \"$okr\" git diff-driver \"$@\"; return 0; fi; done; echo \"okr: {note}\"; git diff --no-index --no-ext-diff -- \"$2\" \"$5\"; return 0; }}; okr_diff",
        note = DRIVER_MISSING.replace('`', "'"),
    ))
}

/// The note git's diff shows when the recorded okr is gone.
const DRIVER_MISSING: &str =
    "okr is not where `okr git setup` found it nor on PATH; plain text diff (run `okr git setup` again)";

/// One word for `sh`, whatever it holds.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// Refuses to write through a symbolic link: the file it points to may be
/// outside the repository, and git ignores a `.gitattributes` that is a link,
/// so setup would report success while nothing works.
fn refuse_link(path: &Path, name: &str) -> Result<(), String> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::read_link(path)
                .map(|target| format!(" to `{}`", target.display()))
                .unwrap_or_default();
            Err(format!(
                "`{name}` is a symbolic link{target}: okr will not write through it (the file may be outside the repository, and git does not follow a linked .gitattributes); replace it with a regular file and run `okr git setup` again"
            ))
        }
        _ => Ok(()),
    }
}

fn setup(program: Option<&str>) -> Outcome {
    let cwd = match crate::history::repo::current_folder() {
        Ok(cwd) => cwd,
        Err(error) => return fail(error),
    };
    let repo = match Repo::discover(&cwd) {
        Ok(repo) => repo,
        Err(error) => return fail(error),
    };
    let root = match repo.workdir() {
        Ok(root) => root.to_path_buf(),
        Err(error) => return fail(error),
    };
    let attributes_path = root.join(".gitattributes");
    let config_path = repo.common_dir().join("config");
    for (path, name) in [
        (&attributes_path, ".gitattributes"),
        (&config_path, ".git/config"),
    ] {
        if let Err(message) = refuse_link(path, name) {
            return fail(message);
        }
    }
    let command = match driver_command(program) {
        Ok(command) => command,
        Err(message) => return fail(message),
    };
    let attributes = match add_attributes_line(&attributes_path) {
        Ok(true) => format!("added `{ATTRIBUTES_LINE}` to .gitattributes (commit it)"),
        Ok(false) => format!(".gitattributes already has `{ATTRIBUTES_LINE}`"),
        Err(error) => return fail(format!("cannot update .gitattributes: {error}")),
    };
    let configured = repo
        .inner()
        .config()
        .and_then(|config| config.open_level(git2::ConfigLevel::Local))
        .and_then(|mut config| config.set_str("diff.okr.command", &command));
    if let Err(error) = configured {
        return fail(format!(
            "cannot write the repository's git config: {}",
            error.message()
        ));
    }
    let text = format!(
        "{attributes}\nset diff.okr.command in this repository's git config: git runs this okr, else `okr` on PATH, else shows the text diff with a note\n`git diff` now shows goal changes for *.okr files (`git diff --no-ext-diff` for text); run `okr git setup` in every clone\n"
    );
    match write_stdout(&text) {
        Ok(()) => Outcome::Clean,
        Err(outcome) => outcome,
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

/// Prints the semantic diff of the two files git hands over. It always exits
/// 0: a non-zero status makes git stop the whole `git diff`.
fn driver(args: &[OsString], color: bool) -> Outcome {
    let name = |arg: &OsStr| RepoPath::from_os(arg).shown().to_string();
    let text = match args {
        [path] => format!(
            "okr: `{}` is unmerged; resolve the conflict, then diff again\n",
            name(path)
        ),
        [path, old, old_hex, _, new, new_hex, _, rest @ ..] => {
            // A rename brings the new name (and git's similarity line) after the seven.
            let (old_name, new_name) = (name(path), name(rest.first().unwrap_or(path)));
            let names = Names {
                old: &old_name,
                new: &new_name,
            };
            let hexes = [old_hex, new_hex].map(|hex| hex.to_string_lossy());
            driver_text(&names, [old, new], [&hexes[0], &hexes[1]], color)
        }
        _ => {
            return fail(
                "`okr git diff-driver` is run by git with PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE; set it up with `okr git setup`",
            )
        }
    };
    match write_stdout(&text) {
        Ok(()) => Outcome::Clean,
        Err(outcome) => outcome,
    }
}

/// One side's goals, or the message that it does not parse.
fn parse_side<'t>(
    path: &str,
    bytes: Option<&'t [u8]>,
    hex: &str,
    memo: &mut LineMemo<'t>,
) -> Result<Option<blobs::Parsed>, String> {
    let Some(bytes) = bytes else {
        return Ok(None);
    };
    let parsed = blobs::parse_with(bytes, memo);
    match &parsed.error {
        Some(error) => Err(format!(
            "okr: `{path}` does not parse at {} ({error}); `git diff --no-ext-diff -- {path}` shows the text\n",
            short_hex(hex)
        )),
        None => Ok(Some(parsed)),
    }
}

/// A file's name on each side: two names for a renamed file.
struct Names<'a> {
    old: &'a str,
    new: &'a str,
}

fn driver_text(names: &Names<'_>, files: [&OsStr; 2], hexes: [&str; 2], color: bool) -> String {
    let read = |file: &OsStr| -> Result<Option<Vec<u8>>, String> {
        if file == "/dev/null" {
            return Ok(None);
        }
        std::fs::read(file)
            .map(Some)
            .map_err(|error| format!("cannot read {}: {error}", RepoPath::from_os(file).shown()))
    };
    let (old_bytes, new_bytes) = match (read(files[0]), read(files[1])) {
        (Ok(before), Ok(after)) => (before, after),
        (Err(message), _) | (_, Err(message)) => return message,
    };
    // The two versions share most lines: the second copies what the first parsed.
    let mut memo = LineMemo::default();
    let before = parse_side(names.old, old_bytes.as_deref(), hexes[0], &mut memo);
    let after = parse_side(names.new, new_bytes.as_deref(), hexes[1], &mut memo);
    let (before, after) = match (before, after) {
        (Ok(before), Ok(after)) => (before, after),
        (Err(message), _) | (_, Err(message)) => return message,
    };
    let old_side = side(names.old, &before);
    let new_side = side(names.new, &after);
    let changes = diff::diff(&old_side, &new_side, Mode::Revisions);
    let (from, to) = (format!("a/{}", names.old), format!("b/{}", names.new));
    let view = DiffView {
        from: &from,
        to: &to,
        from_commit: None,
        to_commit: None,
        changes: &changes,
        periods: None,
    };
    render::diff(&view, DiffFormat::Human, color)
}

/// One file's goals as a side of the diff; none for an added or deleted file.
fn side<'a>(path: &'a str, parsed: &'a Option<blobs::Parsed>) -> Vec<FileGoals<'a>> {
    parsed
        .iter()
        .map(|parsed| FileGoals {
            path,
            goals: &parsed.goals,
        })
        .collect()
}

/// `3f2a9c1`, or `the working tree` for git's all-zero or `.` id.
fn short_hex(hex: &str) -> String {
    if hex.is_empty() || hex == "." || hex.bytes().all(|b| b == b'0') {
        "the working tree".into()
    } else {
        hex.get(..7).unwrap_or(hex).to_string()
    }
}
