//! `okr git`: git integration. `setup` makes `git diff` show semantic goal
//! changes for `*.okr` files; `diff-driver` is what git then runs.

use super::{fail, write_stdout, Outcome};
use okr::diff::{self, FileGoals, Mode};
use okr::history::repo::{self, Repo};
use okr::render::diff::{self as render, DiffFormat, DiffView};
use okr::syntax::LineMemo;
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
        /// The okr program git should run (a full path if okr is not on PATH).
        #[arg(long, default_value = "okr")]
        program: String,
    },
    /// git's external diff driver: git runs it as
    /// `okr git diff-driver PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`.
    DiffDriver {
        /// The arguments git passes (7, 9 for a rename, or 1 for an unmerged path).
        #[arg(num_args = 1.., allow_hyphen_values = true, value_name = "ARGS")]
        args: Vec<String>,
    },
}

/// The line `setup` writes to `.gitattributes`.
pub const ATTRIBUTES_LINE: &str = "*.okr diff=okr";

pub fn run(args: Args, color: bool) -> Outcome {
    match args.command {
        GitCommand::Setup { program } => setup(&program),
        GitCommand::DiffDriver { args } => driver(&args, color),
    }
}

/// `okr` when git will find it on PATH; otherwise this very executable's full
/// path, so `git diff` does not die with "okr: not found".
fn reachable_program(program: &str) -> String {
    let on_path = |name: &str| {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
    };
    if program != "okr" || on_path(program) {
        return program.to_string();
    }
    match std::env::current_exe() {
        Ok(exe) => {
            let exe = exe.display().to_string();
            eprintln!("note: `okr` is not on PATH; git will run {exe}");
            format!("'{}'", exe.replace('\'', "'\\''"))
        }
        Err(_) => program.to_string(),
    }
}

fn setup(program: &str) -> Outcome {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(error) => return fail(format!("cannot read the current folder: {error}")),
    };
    let repo = match Repo::discover(&cwd) {
        Ok(repo) => repo,
        Err(error) => return fail(error),
    };
    let root = match repo.workdir() {
        Ok(root) => root.to_path_buf(),
        Err(error) => return fail(error),
    };
    let attributes = match add_attributes_line(&root.join(".gitattributes")) {
        Ok(true) => format!("added `{ATTRIBUTES_LINE}` to .gitattributes (commit it)"),
        Ok(false) => format!(".gitattributes already has `{ATTRIBUTES_LINE}`"),
        Err(error) => return fail(format!("cannot update .gitattributes: {error}")),
    };
    let program = reachable_program(program);
    let command = format!("{program} git diff-driver");
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
        "{attributes}\nset diff.okr.command = \"{command}\" in this repository's git config\n`git diff` now shows goal changes for *.okr files (`git diff --no-ext-diff` for text); run `okr git setup` in every clone\n"
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
fn driver(args: &[String], color: bool) -> Outcome {
    let text = match args {
        [path] => format!("okr: `{path}` is unmerged; resolve the conflict, then diff again\n"),
        [path, old, old_hex, _, new, new_hex, _, ..] => driver_text(path, old, old_hex, new, new_hex, color),
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
) -> Result<Option<repo::Parsed>, String> {
    let Some(bytes) = bytes else {
        return Ok(None);
    };
    let parsed = repo::parse_with(bytes, memo);
    match &parsed.error {
        Some(error) => Err(format!(
            "okr: `{path}` does not parse at {} ({error}); `git diff --no-ext-diff -- {path}` shows the text\n",
            short_hex(hex)
        )),
        None => Ok(Some(parsed)),
    }
}

fn driver_text(
    path: &str,
    old: &str,
    old_hex: &str,
    new: &str,
    new_hex: &str,
    color: bool,
) -> String {
    let read = |file: &str| -> Result<Option<Vec<u8>>, String> {
        if file == "/dev/null" {
            return Ok(None);
        }
        std::fs::read(file)
            .map(Some)
            .map_err(|error| format!("cannot read {file}: {error}"))
    };
    let (old_bytes, new_bytes) = match (read(old), read(new)) {
        (Ok(before), Ok(after)) => (before, after),
        (Err(message), _) | (_, Err(message)) => return message,
    };
    // The two versions share most lines: the second copies what the first parsed.
    let mut memo = LineMemo::default();
    let before = parse_side(path, old_bytes.as_deref(), old_hex, &mut memo);
    let after = parse_side(path, new_bytes.as_deref(), new_hex, &mut memo);
    let (before, after) = match (before, after) {
        (Ok(before), Ok(after)) => (before, after),
        (Err(message), _) | (_, Err(message)) => return message,
    };
    let old_side = side(path, &before);
    let new_side = side(path, &after);
    let changes = diff::diff(&old_side, &new_side, Mode::Revisions);
    let (from, to) = (format!("a/{path}"), format!("b/{path}"));
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
fn side<'a>(path: &'a str, parsed: &'a Option<repo::Parsed>) -> Vec<FileGoals<'a>> {
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
