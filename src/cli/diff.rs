//! `okr diff`: the semantic diff of goals between two git revisions, a
//! revision and the working tree, or two periods as of their ends.

use super::{write_stdout, Error, Outcome, Today};
use crate::diff::render::DiffFormat;
use crate::history::compare::{compare, Request};
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// Nothing: HEAD against the working tree. `REV`: REV against the working
    /// tree. `REV REV` or `A..B`: A against B. `A...B`: B against its merge base
    /// with A (what a pull request changes). `PERIOD PERIOD` (e.g. `2026-Q2
    /// 2026-Q3`): each period's goals as of its last day.
    #[arg(value_name = "REV")]
    revisions: Vec<String>,
    /// Only these files or folders (after `--`, as with git).
    #[arg(last = true, value_name = "PATHS")]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,
    /// For a period diff: read each period's end from the first-parent
    /// history of this revision instead of HEAD (and a period not ended yet
    /// from the revision itself, not the working tree).
    #[arg(long, value_name = "REV")]
    at: Option<String>,
    /// Exit 1 when there are goal changes, 0 when there are none (as `git diff --exit-code`).
    #[arg(long)]
    exit_code: bool,
    #[command(flatten)]
    today: Today,
}

pub(super) fn run(args: Args, color: bool) -> Result<Outcome, Error> {
    let request = Request {
        revisions: &args.revisions,
        paths: &args.paths,
        at: args.at.as_deref(),
        today: args.today.date(),
        format: args.format,
        color,
    };
    let compared = compare(&request)?;
    write_stdout(&compared.text)?;
    if !compared.unparsed.is_empty() {
        return Err(Error::Unparsed {
            unparsed: compared.unparsed,
        });
    }
    Ok(if args.exit_code && compared.changes > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
