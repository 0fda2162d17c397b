//! Takes the current folder and gives `Repo`: the git repository holding it,
//! opened with libgit2 (git2, no network: `okr` never runs `git`), its
//! folders, and the message for history that is not there. What a `Repo`
//! does is in the files beside this one: `revisions`, `paths`, `files`,
//! `blobs`.

use super::blobs::Parsed;
use super::HistoryError;
use git2::{ErrorCode, Oid, Repository};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const CANNOT_OPEN: &str = "cannot open the git repository";

/// The folder okr runs in, where the repository is looked for.
pub fn current_folder() -> Result<PathBuf, HistoryError> {
    std::env::current_dir().map_err(HistoryError::CurrentFolder)
}

/// An open repository and the goals parsed from it so far.
pub struct Repo {
    pub(super) repo: Repository,
    /// Blob id → parsed goals: each distinct blob is parsed once.
    pub(super) parsed: HashMap<Oid, Arc<Parsed>>,
}

impl Repo {
    /// The repository holding the current folder (searching upwards, as git does).
    pub fn discover(from: &Path) -> Result<Repo, HistoryError> {
        // libgit2 re-hashes every object it reads to verify it (git does not):
        // a tenth of `okr diff`'s time on a large history, for no new safety
        // on a local repository.
        git2::opts::strict_hash_verification(false);
        let repo = Repository::discover(from).map_err(|source| {
            if source.code() == ErrorCode::NotFound {
                HistoryError::NotARepository {
                    folder: from.to_path_buf(),
                    source,
                }
            } else {
                HistoryError::git(CANNOT_OPEN)(source)
            }
        })?;
        Ok(Repo {
            repo,
            parsed: HashMap::new(),
        })
    }

    /// Another handle on the same repository, for a worker thread (a libgit2
    /// handle is not shared between threads), with caches of its own.
    pub fn open_again(git_dir: &Path) -> Reopened {
        Reopened(Repository::open(git_dir).map(|repo| Repo {
            repo,
            parsed: HashMap::new(),
        }))
    }

    /// The git folder a repository's worktrees share (`.git`), where okr
    /// keeps what it derives from history (`team_index`).
    pub fn common_dir(&self) -> &Path {
        self.repo.commondir()
    }

    /// The repository's `.git` folder, for `Repo::open_again`.
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// Wraps a repository already open (for `okr git setup`).
    pub fn inner(&self) -> &Repository {
        &self.repo
    }

    /// The working tree's root; a bare repository has none.
    pub fn workdir(&self) -> Result<&Path, HistoryError> {
        self.repo.workdir().ok_or(HistoryError::Bare)
    }

    /// Whether the clone is shallow (for explaining missing history).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// An object that should be there and is not: usually a shallow clone.
    pub fn missing_history(&self, source: git2::Error) -> HistoryError {
        HistoryError::MissingHistory {
            source,
            shallow: self.repo.is_shallow(),
        }
    }
}

/// A worker thread's own handle from [`Repo::open_again`], or the error it
/// failed with, which every task handed to the worker then fails with.
pub struct Reopened(Result<Repo, git2::Error>);

impl Reopened {
    /// The handle, or the error it did not open with.
    pub fn get(&self) -> Result<&Repo, HistoryError> {
        self.0.as_ref().map_err(|error| {
            let source = git2::Error::new(error.code(), error.class(), error.message());
            HistoryError::git(CANNOT_OPEN)(source)
        })
    }
}
