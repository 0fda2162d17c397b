//! `okr merge-file BASE OURS THEIRS [-o OUT]`: the three-way goal merge for
//! tools that do not run git's drivers (jj, editors' merge tools).

use super::{write_stdout, Error, Outcome};
use crate::merge::{files, DEFAULT_MARKER_SIZE};
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// The common ancestor's version.
    base: PathBuf,
    /// Ours: the version merged into.
    ours: PathBuf,
    /// Theirs: the version merged in.
    theirs: PathBuf,
    /// Write the merge to this file (atomically) instead of stdout; it may be OURS.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// The length of conflict markers, as git's `merge-file --marker-size`.
    #[arg(long, default_value_t = DEFAULT_MARKER_SIZE, value_name = "N")]
    marker_size: usize,
}

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    let merged = files::merge_paths(&args.base, &args.ours, &args.theirs, args.marker_size)?;
    match &args.output {
        Some(output) => files::write(output, &merged)?,
        None => write_stdout(&merged.bytes)?,
    }
    let name = args.output.as_ref().unwrap_or(&args.ours);
    eprint!("{}", files::notes(&name.display().to_string(), &merged));
    Ok(if merged.is_clean() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
