//! Takes two points (commits or the working tree) and gives the `*.okr`
//! files that differ between them (`Pair`), or every `*.okr` file at one
//! point, each with where its bytes come from (`Source`). Two commits are
//! compared by `trees`; the working tree through libgit2's diff.

use super::paths::{PathFilter, RepoPath};
use super::repo::Repo;
use super::revisions::Point;
use super::trees::{self, RawTree};
use super::HistoryError;
use git2::{Delta, DiffOptions, FileMode, Oid, Tree};
use std::collections::HashMap;
use std::path::PathBuf;

/// Where a file's bytes come from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// A blob in a commit's tree.
    Blob(Oid),
    /// A file in the working tree (absolute path).
    Disk(PathBuf),
}

/// A `*.okr` path whose content differs between two points.
#[derive(Clone, Debug)]
pub struct Pair {
    /// Where the file sits in the repository.
    pub path: RepoPath,
    /// The old side's content; `None` where the file is absent.
    pub old: Option<Source>,
    /// The new side's content; `None` where the file is absent.
    pub new: Option<Source>,
}

impl Repo {
    /// The `*.okr` files that differ between two commits' trees (either may
    /// be absent: an empty side), in path order.
    pub fn tree_changes(
        &self,
        old: Option<&[u8]>,
        new: Option<&[u8]>,
        filter: &PathFilter,
    ) -> Result<Vec<Pair>, HistoryError> {
        trees::changes(&self.repo, old, new, filter).map_err(|e| self.missing_history(e))
    }

    /// The bytes of a commit's tree object (none for the empty side of an
    /// unborn history), for `tree_changes`.
    pub fn raw_tree(&self, commit: Oid) -> Result<Option<RawTree>, HistoryError> {
        if commit.is_zero() {
            return Ok(None);
        }
        let tree = self
            .repo
            .find_commit(commit)
            .map(|commit| commit.tree_id())
            .map_err(|e| self.missing_history(e))?;
        trees::read(&self.repo, tree)
            .map(Some)
            .map_err(|e| self.missing_history(e))
    }

    /// The `*.okr` files that differ between two points, in path order.
    pub fn changed(
        &self,
        old: &Point,
        new: &Point,
        filter: &PathFilter,
    ) -> Result<Vec<Pair>, HistoryError> {
        if let (Point::Commit { id: old, .. }, Point::Commit { id: new, .. }) = (old, new) {
            let (old, new) = (self.raw_tree(*old)?, self.raw_tree(*new)?);
            return self.tree_changes(old.as_deref(), new.as_deref(), filter);
        }
        let old_tree = self.tree(old)?;
        let root = self.workdir()?.to_path_buf();
        let mut options = DiffOptions::new();
        options
            .ignore_submodules(true)
            .include_untracked(true)
            .recurse_untracked_dirs(true);
        let diff = self
            .repo
            .diff_tree_to_workdir_with_index(old_tree.as_ref(), Some(&mut options))
            .map_err(|e| self.missing_history(e))?;
        let mut pairs = Vec::new();
        for delta in diff.deltas() {
            let (old_file, new_file) = (delta.old_file(), delta.new_file());
            // The real bytes, not a lossy string: the file is opened by them
            // and matched with tree entries by them.
            let Some(path) = new_file.path_bytes().or(old_file.path_bytes()) else {
                continue;
            };
            if !filter.matches(path) {
                continue;
            }
            let path = RepoPath::new(path.to_vec());
            let is_text = |mode: FileMode| trees::is_file(u32::from(mode));
            let old_source = (!matches!(delta.status(), Delta::Added | Delta::Untracked)
                && is_text(old_file.mode()))
            .then(|| Source::Blob(old_file.id()));
            let new_source = (delta.status() != Delta::Deleted && is_text(new_file.mode()))
                .then(|| Source::Disk(path.under(&root)));
            if old_source.is_some() || new_source.is_some() {
                pairs.push(Pair {
                    path,
                    old: old_source,
                    new: new_source,
                });
            }
        }
        pairs.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(pairs)
    }

    /// Every `*.okr` file at a point, in path order. A commit's files are its
    /// tree against nothing (`trees`, which keeps names as bytes); the
    /// working tree's are HEAD's with the working tree's changes laid over
    /// them, matched by their bytes.
    pub fn files(
        &self,
        point: &Point,
        filter: &PathFilter,
    ) -> Result<Vec<(RepoPath, Source)>, HistoryError> {
        let base = match point {
            Point::Commit { .. } => Some(point.clone()),
            Point::WorkingTree => self.head().ok(),
        };
        let tree = match &base {
            Some(Point::Commit { id, .. }) => self.raw_tree(*id)?,
            _ => None,
        };
        let mut files: HashMap<RepoPath, Source> = self
            .tree_changes(None, tree.as_deref(), filter)?
            .into_iter()
            .filter_map(|pair| Some((pair.path, pair.new?)))
            .collect();
        if *point == Point::WorkingTree {
            for pair in self.changed_from(base.as_ref(), filter)? {
                match pair.new {
                    Some(source) => files.insert(pair.path, source),
                    None => files.remove(&pair.path),
                };
            }
        }
        let mut files: Vec<(RepoPath, Source)> = files.into_iter().collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    }

    /// The working tree against `start` (or against nothing when HEAD is unborn).
    fn changed_from(
        &self,
        start: Option<&Point>,
        filter: &PathFilter,
    ) -> Result<Vec<Pair>, HistoryError> {
        if let Some(start) = start {
            self.changed(start, &Point::WorkingTree, filter)
        } else {
            let empty = Point::Commit {
                label: String::new(),
                id: Oid::zero(),
            };
            self.changed(&empty, &Point::WorkingTree, filter)
        }
    }

    /// The tree of a commit (none for the empty side of an unborn history).
    pub fn tree(&self, point: &Point) -> Result<Option<Tree<'_>>, HistoryError> {
        match point {
            Point::Commit { id, .. } if id.is_zero() => Ok(None),
            Point::Commit { id, .. } => {
                let commit = self
                    .repo
                    .find_commit(*id)
                    .map_err(|e| self.missing_history(e))?;
                commit.tree().map(Some).map_err(|e| self.missing_history(e))
            }
            Point::WorkingTree => self.head().and_then(|head| self.tree(&head)),
        }
    }
}
