//! Takes the commit a review starts from and the goals shown now; gives
//! what changed since: the check-ins added and the targets and confidence
//! that moved (the changes and reviewer flags of `crate::diff`, between
//! that commit and the working tree), and the KRs whose status crossed
//! into or out of at-risk and off-track (`crate::score` at each end).

use super::state::Scored;
use crate::diff::{Change, FileGoals, Kind, Mode};
use crate::history::files::{Pair, Source};
use crate::history::paths::{PathFilter, RepoPath};
use crate::history::repo::Repo;
use crate::history::revisions::Point;
use crate::history::{HistoryError, Sides, Unparsed};
use crate::model::goals::{Goals, KeyResult};
use crate::score::{score_kr_without_forecast, Status};
use crate::syntax::{KeptLines, LineMemo};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What changed in the window.
#[derive(Debug, Default)]
pub struct Changes {
    /// Check-ins added, in the diff's order (team, objective, KR, date).
    pub checkins: Vec<Change>,
    /// Targets and baselines changed, and every change a reviewer flag
    /// marks (a confidence drop, a past check-in rewritten, …).
    pub moved: Vec<Change>,
    /// KRs whose status crossed into or out of at-risk and off-track.
    pub turned: Vec<Turn>,
    /// How many other changes there were (titles, owners, initiatives, …).
    pub other: usize,
    /// Files that did not parse at one end, left out of the comparison.
    pub unparsed: Vec<Unparsed>,
}

/// A KR whose status crossed a line between the window's start and today.
#[derive(Clone, Debug, PartialEq)]
pub struct Turn {
    /// `team/objective.kr`.
    pub reference: String,
    /// The KR's title now.
    pub title: String,
    /// Its status on the window's first day, from the goals as they were.
    pub from: Status,
    /// Its status today.
    pub to: Status,
}

impl Turn {
    /// What happened, before the new status: `turned` (off-track),
    /// `improved` (to at-risk) or `recovered` (to on-track or done).
    pub fn verb(&self) -> &'static str {
        match (severity(self.from), severity(self.to)) {
            (_, 0) => "recovered",
            (before, after) if after < before => "improved",
            _ => "turned",
        }
    }
}

/// How bad a status is, for deciding what crossed a line: on track, done
/// and not started are 0 (nothing to act on), at-risk 1, off-track and
/// missed 2.
fn severity(status: Status) -> u8 {
    match status {
        Status::AtRisk => 1,
        Status::OffTrack | Status::Missed => 2,
        Status::Done | Status::OnTrack | Status::NotStarted => 0,
    }
}

/// A file's goals by what the diff matches them on: team and period.
type Key = (String, Option<(NaiveDate, NaiveDate)>);

fn key(goals: &Goals) -> Option<Key> {
    let period = goals.period.as_ref().map(|p| (p.value.start, p.value.end));
    Some((goals.team_id()?.to_string(), period))
}

/// The working tree's goals as the review read them, by absolute path: the
/// new side of the comparison, so no file is parsed twice; and the lines
/// pest parsed in each, which the same file's old side copies where they
/// did not change (most of a file in a week).
pub struct Current<'w> {
    workspace: &'w Workspace,
    by_path: HashMap<PathBuf, usize>,
    lines: Vec<KeptLines>,
}

impl<'w> Current<'w> {
    /// The files of `workspace`, whose paths are relative to `cwd`, with
    /// the lines kept when each was read (`lines[i]` of file `i`; none kept:
    /// every old side is parsed whole).
    pub fn new(workspace: &'w Workspace, lines: Vec<KeptLines>, cwd: &Path) -> Current<'w> {
        let by_path = workspace
            .files
            .iter()
            .enumerate()
            .map(|(index, file)| (absolute(cwd, file.disk_path()), index))
            .collect();
        Current {
            workspace,
            by_path,
            lines,
        }
    }

    fn index(&self, path: &Path) -> Option<usize> {
        self.by_path.get(&absolute(Path::new("/"), path)).copied()
    }

    fn get(&self, path: &Path) -> Option<&'w Goals> {
        self.index(path).map(|index| &self.workspace.goals[index])
    }

    /// The lines of the working copy `source` names (once: they are moved
    /// into the memo), for parsing another version of the file.
    fn memo(&mut self, source: Option<&Source>) -> LineMemo<'w> {
        let Some(Source::Disk(path)) = source else {
            return LineMemo::default();
        };
        match self.index(path) {
            Some(index) if index < self.lines.len() => LineMemo::of_text(
                &self.workspace.files[index].text,
                std::mem::take(&mut self.lines[index]),
            ),
            _ => LineMemo::default(),
        }
    }
}

/// `path` from `cwd`, with its `.` parts left out, as a map key.
fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    cwd.join(path).components().collect()
}

/// The changes from `from` to the working tree among the files `filter`
/// keeps, for the teams and periods of `shown`; `since` is the window's
/// first day. The old side of each changed file is read from git; the new
/// side is the goals `now` holds (a file it lacks is read from disk).
pub fn changes(
    repo: &mut Repo,
    from: &Point,
    filter: &PathFilter,
    mut now: Current<'_>,
    shown: &[Scored<'_>],
    since: NaiveDate,
) -> Result<Changes, HistoryError> {
    let pairs = repo.changed(from, &Point::WorkingTree, filter)?;
    let side = |source: fn(&Pair) -> Option<&Source>, wanted: &dyn Fn(&Source) -> bool| {
        pairs
            .iter()
            .filter_map(|pair| {
                Some((
                    pair.path.clone(),
                    source(pair).filter(|s| wanted(s))?.clone(),
                ))
            })
            .collect::<Vec<_>>()
    };
    // A file that does not parse at one end is left out at both: its
    // half-read goals would show as removed.
    // Each old side copies the lines it shares with the working copy.
    let old_files = pairs
        .iter()
        .filter_map(|pair| Some((&pair.path, pair.old.as_ref()?, now.memo(pair.new.as_ref()))))
        .collect();
    let Sides {
        old,
        new: unread,
        unparsed,
    } = Sides {
        old: repo.load_beside(old_files)?,
        new: repo.load(&side(|pair| pair.new.as_ref(), &|source| match source {
            Source::Disk(path) => now.get(path).is_none(),
            Source::Blob(_) => true,
        }))?,
        unparsed: Vec::new(),
    }
    .settle(from, &Point::WorkingTree, true);
    let parses = |path: &RepoPath| unparsed.iter().all(|u| &u.path != path);
    let old_side: Vec<FileGoals<'_>> = old
        .iter()
        .map(|file| FileGoals {
            path: file.path.shown(),
            goals: &file.parsed.goals,
        })
        .collect();
    let new_side: Vec<FileGoals<'_>> = pairs
        .iter()
        .filter(|pair| parses(&pair.path))
        .filter_map(|pair| {
            let goals = match pair.new.as_ref()? {
                Source::Disk(path) => now.get(path),
                Source::Blob(_) => None,
            }
            .or_else(|| {
                unread
                    .iter()
                    .find(|file| file.path == pair.path)
                    .map(|file| &file.parsed.goals)
            })?;
            Some(FileGoals {
                path: pair.path.shown(),
                goals,
            })
        })
        .collect();
    let wanted: HashSet<(String, String)> = shown
        .iter()
        .map(|file| file.goals)
        .filter_map(|goals| {
            Some((
                goals.team_id()?.to_string(),
                goals.period.as_ref()?.value.label.clone(),
            ))
        })
        .collect();
    let mut out = Changes {
        unparsed,
        ..Changes::default()
    };
    for change in crate::diff::diff(&old_side, &new_side, Mode::Revisions) {
        if !wanted.contains(&(change.team.clone(), change.period.clone())) {
            continue;
        }
        let moved = matches!(change.kind, Kind::TargetChanged | Kind::BaselineChanged)
            || !change.flags.is_empty();
        // A check-in that dropped the confidence is in both lists: what
        // came in, and what a reviewer must see.
        if change.kind == Kind::CheckinAdded {
            if moved {
                out.moved.push(change.clone());
            }
            out.checkins.push(change);
        } else if moved {
            out.moved.push(change);
        } else {
            out.other += 1;
        }
    }
    let before: HashMap<Key, &Goals> = old_side
        .iter()
        .filter_map(|file| Some((key(file.goals)?, file.goals)))
        .collect();
    let added: HashSet<Key> = new_side.iter().filter_map(|file| key(file.goals)).collect();
    // Every KR shown is scored again for the window's first day: in parallel.
    out.turned = shown
        .par_iter()
        .flat_map_iter(|file| {
            let file_key = key(file.goals)?;
            // A file the window did not touch was then what it is now.
            let then = match before.get(&file_key) {
                Some(then) => *then,
                None if added.contains(&file_key) => return None,
                None => file.goals,
            };
            Some(turns(then, file, since))
        })
        .flatten()
        .collect();
    Ok(out)
}

/// The KRs of `now` whose status crossed a line since `since`, when the
/// goals read `before`.
fn turns(before: &Goals, now: &Scored<'_>, since: NaiveDate) -> Vec<Turn> {
    let Some(old_period) = &before.period else {
        return Vec::new();
    };
    let mut turned = Vec::new();
    for (objective, kr, score) in now.key_results() {
        let Some(old_kr) = before
            .objective(&objective.id.value)
            .and_then(|o| find_kr(&o.key_results, &kr.id.value))
        else {
            continue;
        };
        let from =
            score_kr_without_forecast(old_kr, &old_period.value, before.cadence(), since).status;
        if severity(from) != severity(score.status) {
            turned.push(Turn {
                reference: now.reference(&objective.id.value, &kr.id.value),
                title: kr.title.value.clone(),
                from,
                to: score.status,
            });
        }
    }
    turned
}

fn find_kr<'g>(krs: &'g [KeyResult], id: &str) -> Option<&'g KeyResult> {
    krs.iter().find(|kr| kr.id.value == id)
}
