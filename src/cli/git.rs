//! `okr git`: git integration. `setup` makes `git diff` show semantic goal
//! changes for `*.okr` files and `git merge` merge them by entity;
//! `diff-driver` and `merge-driver` are what git then runs.

use super::{write_stdout, Error, Outcome};
use crate::history::driver::driver;
use crate::history::setup::{check, setup, ATTRIBUTES_LINE};
use crate::merge::{files, DEFAULT_MARKER_SIZE};
use std::ffi::OsString;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(subcommand)]
    command: GitCommand,
}

#[derive(clap::Subcommand)]
enum GitCommand {
    /// Make `git diff` show semantic changes and `git merge` merge by objective, KR
    /// and check-in date for *.okr files in this repository: adds
    /// `*.okr diff=okr merge=okr` to .gitattributes and sets `diff.okr.command` and
    /// `merge.okr.driver` in the repository's git config (run it in every clone:
    /// git config is not versioned).
    Setup {
        /// The okr program git should run (default: this executable's full path).
        #[arg(long, conflicts_with = "check")]
        program: Option<String>,
        /// Change nothing: say what is and is not set up in this clone, and exit 1
        /// when something is missing.
        #[arg(long)]
        check: bool,
    },
    /// git's external diff driver: git runs it as
    /// `okr git diff-driver PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`.
    DiffDriver {
        /// The arguments git passes (7, 9 for a rename, or 1 for an unmerged path).
        /// Kept as the OS gives them: a file name need not be UTF-8.
        #[arg(num_args = 1.., allow_hyphen_values = true, value_name = "ARGS")]
        args: Vec<OsString>,
    },
    /// git's merge driver: git runs it as `okr git merge-driver %O %A %B %L %P` and
    /// reads the merge from %A. Exits 0 when clean, 1 with conflicts.
    MergeDriver {
        /// The common ancestor's version (%O).
        base: PathBuf,
        /// Ours (%A): replaced by the merge.
        ours: PathBuf,
        /// Theirs (%B).
        theirs: PathBuf,
        /// The conflict marker size (%L).
        #[arg(default_value_t = DEFAULT_MARKER_SIZE)]
        marker_size: usize,
        /// The path of the file in the repository (%P), for messages.
        path: Option<OsString>,
    },
}

pub(super) fn run(args: Args, color: bool) -> Result<Outcome, Error> {
    let text = match args.command {
        GitCommand::Setup { check: true, .. } => return run_check(),
        GitCommand::Setup { program, .. } => {
            let attributes = if setup(program.as_deref())? {
                format!("added `{ATTRIBUTES_LINE}` to .gitattributes (commit it)")
            } else {
                format!(".gitattributes already has `{ATTRIBUTES_LINE}`")
            };
            format!(
                "{attributes}\nset diff.okr.command and merge.okr.driver in this repository's git config: git runs this okr, else `okr` on PATH, else its own text diff and merge with a note\n`git diff` now shows goal changes for *.okr files (`git diff --no-ext-diff` for text) and `git merge` merges them by objective, KR and check-in date; run `okr git setup` in every clone\n"
            )
        }
        // Always exits 0 once git's arguments read: a non-zero status
        // makes git stop the whole `git diff`.
        GitCommand::DiffDriver { args } => driver(&args, color)?,
        GitCommand::MergeDriver {
            base,
            ours,
            theirs,
            marker_size,
            path,
        } => {
            let merged = files::merge_paths(&base, &ours, &theirs, marker_size)?;
            files::write(&ours, &merged)?;
            let name = path.as_deref().unwrap_or(ours.as_os_str());
            eprint!("{}", files::notes(&name.to_string_lossy(), &merged));
            return Ok(if merged.is_clean() {
                Outcome::Clean
            } else {
                Outcome::Findings
            });
        }
    };
    write_stdout(&text)?;
    Ok(Outcome::Clean)
}

/// `okr git setup --check`: one line per setting, exit 1 when one is missing.
fn run_check() -> Result<Outcome, Error> {
    let items = check()?;
    let mut text = String::new();
    for item in &items {
        let state = if item.set { "ok" } else { "missing" };
        text.push_str(&format!(
            "{state:<8} {}: {}\n",
            item.what,
            crate::escape::terminal(&item.detail)
        ));
    }
    let complete = items.iter().all(|item| item.set);
    if !complete {
        text.push_str("run `okr git setup` to set up what is missing\n");
    }
    write_stdout(&text)?;
    Ok(if complete {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
