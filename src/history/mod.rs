//! Stage 1b, goals in git history: two sets of goals read from revisions, the
//! working tree or two periods' ends (`repo`, `revisions`, `paths`, `files`,
//! `blobs`), `okr diff`'s arguments read as git reads them (`compare`), and
//! an objective's or KR's story across commits (`log`); git's own `git diff`
//! set up to show goal changes (`setup`, `driver`). The comparison itself is
//! `crate::diff`.

pub mod blobs;
pub mod compare;
pub mod driver;
mod error;
pub mod files;
mod groups;
pub mod log;
pub mod paths;
pub mod repo;
pub mod revisions;
pub mod setup;
mod team_index;
mod trees;

use crate::diff::FileGoals;
use crate::model::period::Period;
use blobs::Loaded;
use chrono::NaiveDate;
use paths::{PathFilter, RepoPath};
use repo::Repo;
use revisions::Point;

pub use error::{HistoryError, NotAGoal};

/// A file that does not parse at one point: left out of the comparison on
/// both sides (half-read goals would show as removed), and reported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{path}` does not parse at {at} ({error}); its goals are left out, the rest is compared")]
pub struct Unparsed {
    /// The file, relative to the repository.
    pub path: RepoPath,
    /// The point, as a message names it: `HEAD~1 (3f2a9c1)`.
    pub at: String,
    /// `line N: message`.
    pub error: String,
}

/// The two sides of a diff, ready for `crate::diff`.
#[derive(Debug, Default)]
pub struct Sides {
    /// The files at the old point.
    pub old: Vec<Loaded>,
    /// The files at the new point.
    pub new: Vec<Loaded>,
    /// Files that did not parse on one side, left out of both.
    pub unparsed: Vec<Unparsed>,
}

impl Sides {
    /// The files both sides keep, as the diff takes them.
    pub fn goals(&self) -> (Vec<FileGoals<'_>>, Vec<FileGoals<'_>>) {
        (file_goals(&self.old), file_goals(&self.new))
    }

    /// The changes from the old side to the new.
    pub fn changes(&self, mode: crate::diff::Mode) -> Vec<crate::diff::Change> {
        let (old, new) = self.goals();
        crate::diff::diff(&old, &new, mode)
    }

    /// Drops every file that failed to parse, recording why. With `both`
    /// (revisions: a path is the same file on both sides) the path is dropped
    /// from both sides, so its half-read goals do not show as removed.
    pub(crate) fn settle(mut self, old: &Point, new: &Point, both: bool) -> Sides {
        for (files, point) in [(&self.old, old), (&self.new, new)] {
            for file in files {
                if let Some(error) = &file.parsed.error {
                    self.unparsed.push(Unparsed {
                        path: file.path.clone(),
                        at: point.describe(),
                        error: error.clone(),
                    });
                }
            }
        }
        if both {
            let bad: Vec<RepoPath> = self.unparsed.iter().map(|u| u.path.clone()).collect();
            self.old.retain(|file| !bad.contains(&file.path));
            self.new.retain(|file| !bad.contains(&file.path));
        } else {
            self.old.retain(|file| file.parsed.error.is_none());
            self.new.retain(|file| file.parsed.error.is_none());
        }
        self
    }
}

fn file_goals(files: &[Loaded]) -> Vec<FileGoals<'_>> {
    files
        .iter()
        .map(|file| FileGoals {
            path: file.path.shown(),
            goals: &file.parsed.goals,
        })
        .collect()
}

/// What `okr diff A B` says: the changes between two points, and the files
/// that did not parse. Only the `*.okr` files that differ are read (files the
/// same on both sides cannot differ in goals), group by group (`groups`).
pub fn changes_between(
    repo: &Repo,
    old: &Point,
    new: &Point,
    filter: &PathFilter,
) -> Result<(Vec<crate::diff::Change>, Vec<Unparsed>), HistoryError> {
    let pairs = repo.changed(old, new, filter)?;
    let files = repo.read_pairs(&pairs)?;
    Ok(groups::changes(&files, old, new))
}

/// The goals of both sides of some changed files.
pub fn revision_sides_of(
    repo: &mut Repo,
    pairs: &[files::Pair],
    old: &Point,
    new: &Point,
) -> Result<Sides, HistoryError> {
    let (old_files, new_files) = repo.load_pairs(pairs)?;
    let sides = Sides {
        old: old_files,
        new: new_files,
        unparsed: Vec::new(),
    };
    Ok(sides.settle(old, new, true))
}

/// Where a period's goals are read: the last commit on or before its last
/// day on the first-parent line of `at` (HEAD when none is given), or, while
/// the period has not ended, the working tree (`at` itself when given).
pub fn period_point(
    repo: &Repo,
    period: &Period,
    today: NaiveDate,
    at: Option<&Point>,
) -> Result<Point, HistoryError> {
    let tip = match at {
        Some(point) => point.clone(),
        None if today <= period.end => return Ok(Point::WorkingTree),
        None => repo.head()?,
    };
    let Point::Commit { id, label } = &tip else {
        return Ok(tip);
    };
    if today <= period.end {
        return Ok(tip);
    }
    match repo.commit_as_of(*id, period.end)? {
        Some(point) => Ok(point),
        None => Err(HistoryError::NoCommitByPeriodEnd {
            tip: label.clone(),
            end: period.end,
            period: period.label.clone(),
            shallow: repo.is_shallow(),
        }),
    }
}

/// Each period's goals as of that period's end (SPEC §7): every file at its
/// point whose `period` covers the same days.
pub fn period_sides(
    repo: &mut Repo,
    periods: [&Period; 2],
    points: [&Point; 2],
    filter: &PathFilter,
) -> Result<Sides, HistoryError> {
    let mut sides = Vec::new();
    for (period, point) in periods.iter().zip(points) {
        let files = repo.files(point, filter)?;
        let loaded = repo.load(&files)?;
        let in_period = loaded
            .into_iter()
            .filter(|file| {
                file.parsed.error.is_some()
                    || file
                        .parsed
                        .goals
                        .period
                        .as_ref()
                        .is_some_and(|p| p.value.same_range(period))
            })
            .collect();
        sides.push(in_period);
    }
    let new = sides.pop().unwrap_or_default();
    let old = sides.pop().unwrap_or_default();
    let sides = Sides {
        old,
        new,
        unparsed: Vec::new(),
    };
    Ok(sides.settle(points[0], points[1], false))
}
