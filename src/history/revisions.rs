//! Takes revisions as `git rev-parse` reads them and gives the commits they
//! name (`Point`): HEAD, merge bases, the last commit as of a day, and the
//! whole history oldest first; unknown revisions are explained.

use super::repo::Repo;
use super::HistoryError;
use chrono::{DateTime, NaiveDate};
use git2::{ErrorCode, Oid};

/// One side of a comparison: a commit, or the files on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Point {
    /// A commit, found from a revision.
    Commit {
        /// What the user wrote (`HEAD~1`), or how we name it (`merge base of …`).
        label: String,
        /// The commit's id.
        id: Oid,
    },
    /// HEAD plus what `git diff HEAD` and untracked, not ignored files show.
    WorkingTree,
}

impl Point {
    /// The point's name in messages and headings.
    pub fn label(&self) -> &str {
        match self {
            Point::Commit { label, .. } => label,
            Point::WorkingTree => "working tree",
        }
    }

    /// The commit's full hex id; none for the working tree.
    pub fn commit(&self) -> Option<String> {
        match self {
            Point::Commit { id, .. } => Some(id.to_string()),
            Point::WorkingTree => None,
        }
    }

    /// How a message names this point: `HEAD~1 (3f2a9c1)` or `the working tree`.
    pub fn describe(&self) -> String {
        match self {
            Point::Commit { label, id } => {
                let short = short(*id);
                if label.starts_with(&short) {
                    label.clone()
                } else {
                    format!("{label} ({short})")
                }
            }
            Point::WorkingTree => "the working tree".into(),
        }
    }
}

/// The seven-character abbreviation people know from `git log --oneline`.
pub fn short(id: Oid) -> String {
    let mut text = id.to_string();
    text.truncate(7);
    text
}

impl Repo {
    /// The commit a revision names (anything `git rev-parse` takes).
    pub fn resolve(&self, revision: &str) -> Result<Point, HistoryError> {
        let object = self
            .repo
            .revparse_single(revision)
            .map_err(|error| self.unknown_revision(revision, error))?;
        let commit = object
            .peel_to_commit()
            .map_err(|source| HistoryError::NotACommit {
                revision: revision.to_string(),
                kind: object.kind().map_or("git object", |kind| kind.str()),
                source,
            })?;
        Ok(Point::Commit {
            label: revision.to_string(),
            id: commit.id(),
        })
    }

    /// HEAD, or a clear error when the branch has no commit yet.
    pub fn head(&self) -> Result<Point, HistoryError> {
        self.resolve("HEAD")
    }

    /// The merge base of `a` and `b` (the `A` side of `A...B`).
    pub fn merge_base(&self, a: &Point, b: &Point) -> Result<Point, HistoryError> {
        let (
            Point::Commit {
                label: left,
                id: one,
            },
            Point::Commit {
                label: right,
                id: two,
            },
        ) = (a, b)
        else {
            return Err(HistoryError::MergeBaseNeedsCommits);
        };
        let base =
            self.repo
                .merge_base(*one, *two)
                .map_err(|source| HistoryError::NoMergeBase {
                    left: left.clone(),
                    right: right.clone(),
                    source,
                    shallow: self.repo.is_shallow(),
                })?;
        Ok(Point::Commit {
            label: format!("merge base of {left} and {right}"),
            id: base,
        })
    }

    /// The newest commit on the first-parent line of `tip` (the branch as it
    /// stood, not the side branches merged into it later) whose committer
    /// date (in the committer's own time zone) is on or before `day`.
    pub fn commit_as_of(&self, tip: Oid, day: NaiveDate) -> Result<Option<Point>, HistoryError> {
        let mut walk = self
            .repo
            .revwalk()
            .map_err(HistoryError::git("cannot walk the history"))?;
        walk.simplify_first_parent()
            .and_then(|()| walk.push(tip))
            .map_err(HistoryError::git("cannot walk the history"))?;
        for id in walk {
            let id = id.map_err(|e| self.missing_history(e))?;
            let commit = self
                .repo
                .find_commit(id)
                .map_err(|e| self.missing_history(e))?;
            if committer_day(&commit) <= Some(day) {
                return Ok(Some(Point::Commit {
                    label: format!("{} (last commit on or before {day})", short(id)),
                    id,
                }));
            }
        }
        Ok(None)
    }

    /// A revision that does not resolve: unknown, unborn, or cut off by a shallow clone.
    fn unknown_revision(&self, revision: &str, source: git2::Error) -> HistoryError {
        if let Err(head) = self.repo.head() {
            if head.code() == ErrorCode::UnbornBranch {
                return HistoryError::Unborn;
            }
        }
        HistoryError::UnknownRevision {
            revision: revision.to_string(),
            source,
            shallow: self.repo.is_shallow(),
        }
    }

    /// The commit behind a point, for `okr log`.
    pub fn find_commit(&self, id: Oid) -> Result<git2::Commit<'_>, HistoryError> {
        self.repo
            .find_commit(id)
            .map_err(|e| self.missing_history(e))
    }

    /// Every commit reachable from HEAD, oldest first, parents before children.
    pub fn walk_oldest_first(&self) -> Result<Vec<Oid>, HistoryError> {
        self.head()?;
        let mut walk = self
            .repo
            .revwalk()
            .map_err(HistoryError::git("cannot walk the history"))?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME | git2::Sort::REVERSE)
            .and_then(|()| walk.push_head())
            .map_err(HistoryError::git("cannot walk the history"))?;
        walk.map(|id| id.map_err(|e| self.missing_history(e)))
            .collect()
    }
}

/// The committer's calendar day, in the committer's own time zone.
pub fn committer_day(commit: &git2::Commit<'_>) -> Option<NaiveDate> {
    let time = commit.committer().when();
    let local = time.seconds() + i64::from(time.offset_minutes()) * 60;
    DateTime::from_timestamp(local, 0).map(|moment| moment.date_naive())
}
