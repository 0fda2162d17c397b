//! `okr log`: the commits that changed an objective or KR, oldest first,
//! with what changed in each.

use super::{parse_period, write_stdout, Error, Outcome};
use crate::diff::render::{self as render, DiffFormat};
use crate::history::log;
use crate::model::period::Period;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// The goal to follow: `team/objective` or `team/objective.kr`
    /// (or a whole `team`).
    #[arg(value_name = "REFERENCE")]
    reference: String,
    /// Only the goals of this period, when the team has files for several.
    #[arg(long, value_name = "PERIOD", value_parser = parse_period)]
    period: Option<Period>,
    /// Only these files or folders (after `--`).
    #[arg(last = true, value_name = "PATHS")]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,
}

pub(super) fn run(args: Args, color: bool) -> Result<Outcome, Error> {
    let story = log::follow(&args.reference, &args.paths, args.period.as_ref())?;
    write_stdout(render::log(&story, args.format, color))?;
    if story.unparsed.is_empty() {
        Ok(Outcome::Clean)
    } else {
        Err(Error::Unparsed {
            unparsed: story.unparsed,
        })
    }
}
