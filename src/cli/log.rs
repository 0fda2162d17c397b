//! `okr log`: the commits that changed an objective or KR, oldest first,
//! with what changed in each.

use super::{fail, write_stdout, Outcome};
use crate::diff::render::{self as render, DiffFormat};
use crate::escape::terminal;
use crate::history::log::{self, Subject};
use crate::history::repo::Repo;
use crate::history::HistoryError;
use crate::model::period::Period;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
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

pub fn run(args: Args, color: bool) -> Outcome {
    let story = match follow(&args) {
        Ok(story) => story,
        Err(error) => return fail(error),
    };
    if let Err(outcome) = write_stdout(render::log(&story, args.format, color)) {
        return outcome;
    }
    if story.unparsed.is_empty() {
        Outcome::Clean
    } else {
        for problem in &story.unparsed {
            eprintln!("error: {}", terminal(&problem.to_string()));
        }
        Outcome::Failed
    }
}

fn follow(args: &Args) -> Result<log::Log, HistoryError> {
    let subject = Subject::parse(&args.reference)?;
    let cwd = crate::history::repo::current_folder()?;
    let mut repo = Repo::discover(&cwd)?;
    let filter = if args.paths.is_empty() {
        Default::default()
    } else {
        repo.path_filter(&cwd, &args.paths)?
    };
    log::log(&mut repo, &subject, &filter, args.period.as_ref())
}

fn parse_period(text: &str) -> Result<Period, String> {
    Period::parse(text).map_err(|_| {
        format!("`{text}` is not a period: write 2026-Q3, 2026-H2, 2026 or 2026-02-01..2026-04-30")
    })
}
