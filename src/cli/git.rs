//! `okr git`: git integration. `setup` makes `git diff` show semantic goal
//! changes for `*.okr` files; `diff-driver` is what git then runs.

use super::{write_stdout, Error, Outcome};
use crate::history::driver::driver;
use crate::history::setup::{setup, ATTRIBUTES_LINE};
use std::ffi::OsString;

#[derive(clap::Args)]
pub(super) struct Args {
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

pub(super) fn run(args: Args, color: bool) -> Result<Outcome, Error> {
    let text = match args.command {
        GitCommand::Setup { program } => {
            let attributes = if setup(program.as_deref())? {
                format!("added `{ATTRIBUTES_LINE}` to .gitattributes (commit it)")
            } else {
                format!(".gitattributes already has `{ATTRIBUTES_LINE}`")
            };
            format!(
                "{attributes}\nset diff.okr.command in this repository's git config: git runs this okr, else `okr` on PATH, else shows the text diff with a note\n`git diff` now shows goal changes for *.okr files (`git diff --no-ext-diff` for text); run `okr git setup` in every clone\n"
            )
        }
        // Always exits 0 once git's arguments read: a non-zero status
        // makes git stop the whole `git diff`.
        GitCommand::DiffDriver { args } => driver(&args, color)?,
    };
    write_stdout(&text)?;
    Ok(Outcome::Clean)
}
