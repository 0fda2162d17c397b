//! `okr diff`: the semantic diff of goals between two git revisions, a
//! revision and the working tree, or two periods as of their ends.

use super::{fail, write_stdout, Outcome, Today};
use crate::diff::render::{self as render, DiffFormat, DiffView, PeriodView};
use crate::diff::{self, Mode};
use crate::escape::terminal;
use crate::history::paths::PathFilter;
use crate::history::repo::Repo;
use crate::history::revisions::Point;
use crate::history::{self, HistoryError};
use crate::model::period::Period;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
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

/// What the arguments ask to compare.
enum Plan {
    Points(Point, Point),
    Periods(Period, Period),
}

pub fn run(args: Args, color: bool) -> Outcome {
    match compare(&args, color) {
        Ok((text, changes, unparsed)) => {
            if let Err(outcome) = write_stdout(&text) {
                return outcome;
            }
            if !unparsed.is_empty() {
                for problem in &unparsed {
                    eprintln!("error: {}", terminal(&problem.to_string()));
                }
                return Outcome::Failed;
            }
            if args.exit_code && changes > 0 {
                Outcome::Findings
            } else {
                Outcome::Clean
            }
        }
        Err(error) => fail(error),
    }
}

/// The rendered diff, how many changes it holds, and the files left out.
fn compare(
    args: &Args,
    color: bool,
) -> Result<(String, usize, Vec<history::Unparsed>), HistoryError> {
    let cwd = crate::history::repo::current_folder()?;
    let mut repo = Repo::discover(&cwd)?;
    let filter = repo.path_filter(&cwd, &args.paths)?;
    match plan(&repo, &args.revisions)? {
        Plan::Points(..) if args.at.is_some() => Err(HistoryError::AtWithoutPeriods),
        Plan::Points(old, new) => {
            let (changes, unparsed) = history::changes_between(&repo, &old, &new, &filter)?;
            let view = DiffView::of_points(&old, &new, &changes);
            let text = render::diff(&view, args.format, color);
            let count = changes.len();
            // The process ends next: let the OS take the memory back instead
            // of freeing every parsed file one by one.
            std::mem::forget((changes, repo));
            Ok((text, count, unparsed))
        }
        Plan::Periods(first, second) => periods(&mut repo, [&first, &second], &filter, args, color),
    }
}

fn periods(
    repo: &mut Repo,
    periods: [&Period; 2],
    filter: &PathFilter,
    args: &Args,
    color: bool,
) -> Result<(String, usize, Vec<history::Unparsed>), HistoryError> {
    let today = args.today.date();
    let at = args
        .at
        .as_deref()
        .map(|rev| repo.resolve(rev))
        .transpose()?;
    let old = history::period_point(repo, periods[0], today, at.as_ref())?;
    let new = history::period_point(repo, periods[1], today, at.as_ref())?;
    let sides = history::period_sides(repo, periods, [&old, &new], filter)?;
    let changes = sides.changes(Mode::Periods);
    let (before, after) = sides.goals();
    let carried_over = diff::carried_over(&before, &after);
    let scores = diff::final_scores(&before, today);
    let view = DiffView {
        from: &periods[0].label,
        to: &periods[1].label,
        from_commit: old.commit(),
        to_commit: new.commit(),
        changes: &changes,
        periods: Some(PeriodView {
            as_of: [old.describe(), new.describe()],
            carried_over: &carried_over,
            scores: &scores,
        }),
    };
    let text = render::diff(&view, args.format, color);
    Ok((text, changes.len(), sides.unparsed))
}

/// Reads the revision arguments the way git does, plus two periods.
fn plan(repo: &Repo, revisions: &[String]) -> Result<Plan, HistoryError> {
    match revisions {
        [] => Ok(Plan::Points(repo.head()?, Point::WorkingTree)),
        [one] => {
            if let Some((a, b)) = one.split_once("...") {
                let (a, b) = (side(repo, a)?, side(repo, b)?);
                Ok(Plan::Points(repo.merge_base(&a, &b)?, b))
            } else if let Some((a, b)) = one.split_once("..") {
                Ok(Plan::Points(side(repo, a)?, side(repo, b)?))
            } else {
                Ok(Plan::Points(repo.resolve(one)?, Point::WorkingTree))
            }
        }
        [a, b] => match (Period::parse(a), Period::parse(b)) {
            (Ok(first), Ok(second)) => Ok(Plan::Periods(first, second)),
            _ => Ok(Plan::Points(repo.resolve(a)?, repo.resolve(b)?)),
        },
        _ => Err(HistoryError::TooManyRevisions),
    }
}

/// One end of `A..B` or `A...B`; an empty end means HEAD, as in git.
fn side(repo: &Repo, revision: &str) -> Result<Point, HistoryError> {
    if revision.is_empty() {
        repo.head()
    } else {
        repo.resolve(revision)
    }
}
