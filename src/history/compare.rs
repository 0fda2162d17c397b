//! `okr diff`: takes the revision arguments as git reads them (or two
//! periods), gives the rendered semantic diff between the two sides, how
//! many changes it holds, and the files left out because they do not parse.

use super::files::Pair;
use super::paths::PathFilter;
use super::repo::{current_folder, Repo};
use super::revisions::Point;
use super::{changes_between, period_point, period_sides, HistoryError, Unparsed};
use crate::diff::render::{self, DiffFormat, DiffView, PeriodView};
use crate::diff::{self, review, Mode};
use crate::model::period::Period;
use crate::workspace::Scope;
use chrono::NaiveDate;
use std::path::PathBuf;

/// What to compare, as `okr diff` was asked.
pub struct Request<'a> {
    /// Nothing: HEAD against the working tree. `REV`: REV against the
    /// working tree. `REV REV` or `A..B`: A against B. `A...B`: B against
    /// its merge base with A. `PERIOD PERIOD`: each period's goals as of its
    /// last day.
    pub revisions: &'a [String],
    /// Only these files or folders.
    pub paths: &'a [PathBuf],
    /// For a period diff: the revision whose first-parent history is read.
    pub at: Option<&'a str>,
    /// The day scores and statuses are computed for (`--today`).
    pub today: NaiveDate,
    /// Human, Markdown or JSON.
    pub format: DiffFormat,
    /// Whether the human format is coloured.
    pub color: bool,
}

/// The rendered diff, how many changes it holds, and the files left out.
pub struct Compared {
    /// The diff in the format asked for.
    pub text: String,
    /// How many changes it lists (`--exit-code` fails when there are any).
    pub changes: usize,
    /// Files that did not parse on one side, and were left out of both.
    pub unparsed: Vec<Unparsed>,
}

/// What the arguments ask to compare.
enum Plan {
    Points(Point, Point),
    Periods(Period, Period),
}

/// The diff `request` asks for, in the repository holding the current folder.
pub fn compare(request: &Request<'_>) -> Result<Compared, HistoryError> {
    let cwd = current_folder()?;
    let mut repo = Repo::discover(&cwd)?;
    let filter = repo.path_filter(&cwd, request.paths)?;
    match plan(&repo, request.revisions)? {
        Plan::Points(..) if request.at.is_some() => Err(HistoryError::AtWithoutPeriods),
        Plan::Points(old, new) => {
            let (changes, unparsed) = changes_between(&repo, &old, &new, &filter)?;
            let view = DiffView::of_points(&old, &new, &changes);
            let text = if request.format == DiffFormat::Md {
                let sides = [
                    texts_at(&repo, &old, &filter)?,
                    texts_at(&repo, &new, &filter)?,
                ];
                let scope = Scope::of(request.paths);
                let review = review::review_texts(&sides, scope, request.today);
                render::review_markdown(&view, &review)
            } else {
                render::diff(&view, request.format, request.color)
            };
            let count = changes.len();
            // The process ends next: let the OS take the memory back instead
            // of freeing every parsed file one by one.
            std::mem::forget((changes, repo));
            Ok(Compared {
                text,
                changes: count,
                unparsed,
            })
        }
        Plan::Periods(first, second) => periods(&mut repo, [&first, &second], &filter, request),
    }
}

fn periods(
    repo: &mut Repo,
    periods: [&Period; 2],
    filter: &PathFilter,
    request: &Request<'_>,
) -> Result<Compared, HistoryError> {
    let today = request.today;
    let at = request.at.map(|rev| repo.resolve(rev)).transpose()?;
    let old = period_point(repo, periods[0], today, at.as_ref())?;
    let new = period_point(repo, periods[1], today, at.as_ref())?;
    let sides = period_sides(repo, periods, [&old, &new], filter)?;
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
    let text = render::diff(&view, request.format, request.color);
    Ok(Compared {
        text,
        changes: changes.len(),
        unparsed: sides.unparsed,
    })
}

/// Every goal file at `point` with its text: what a pull-request review
/// checks on each side (SPEC §8.7).
fn texts_at(
    repo: &Repo,
    point: &Point,
    filter: &PathFilter,
) -> Result<Vec<(String, String)>, HistoryError> {
    let pairs: Vec<Pair> = repo
        .files(point, filter)?
        .into_iter()
        .map(|(path, source)| Pair {
            path,
            old: None,
            new: Some(source),
        })
        .collect();
    Ok(repo
        .read_pairs(&pairs)?
        .into_iter()
        .filter_map(|file| {
            let (_, bytes) = file.new?;
            // Not UTF-8 is a syntax error `okr check` reports on both sides alike.
            let text = String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            Some((file.path.shown().to_string(), text))
        })
        .collect())
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
