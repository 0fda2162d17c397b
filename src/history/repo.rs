//! Takes the current folder and gives `Repo`: the git repository holding it,
//! opened with libgit2 (git2, no network: `okr` never runs `git`), its
//! folders, and the message for history that is not there. What a `Repo`
//! does is in the files beside this one: `revisions`, `paths`, `files`,
//! `blobs`.

use super::blobs::Parsed;
use super::HistoryError;
use git2::{ErrorCode, Oid, Repository};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

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
        let repo = Repository::discover(from).map_err(|error| {
            if error.code() == ErrorCode::NotFound {
                HistoryError::new(format!(
                    "`{}` is not inside a git repository: `okr diff` and `okr log` read goals from git history; run them in a clone of your goals repository",
                    from.display()
                ))
            } else {
                HistoryError::git("cannot open the git repository", &error)
            }
        })?;
        Ok(Repo {
            repo,
            parsed: HashMap::new(),
        })
    }

    /// Another handle on the same repository, for a worker thread (a libgit2
    /// handle is not shared between threads), with caches of its own.
    pub fn open_again(git_dir: &Path) -> Result<Repo, HistoryError> {
        let repo = Repository::open(git_dir)
            .map_err(|e| HistoryError::git("cannot open the git repository", &e))?;
        Ok(Repo {
            repo,
            parsed: HashMap::new(),
        })
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
        self.repo.workdir().ok_or_else(|| {
            HistoryError::new(
                "this is a bare repository: it has no working tree to compare; name two revisions, e.g. `okr diff HEAD~1 HEAD`",
            )
        })
    }

    /// Whether the clone is shallow (for explaining missing history).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// An object that should be there and is not: usually a shallow clone.
    pub fn missing_history(&self, error: &git2::Error) -> HistoryError {
        let mut message = format!("cannot read the git history: {}", error.message());
        if self.repo.is_shallow() {
            message.push_str(SHALLOW_HELP);
        }
        HistoryError::new(message)
    }
}

/// Said whenever history is missing in a shallow clone.
pub const SHALLOW_HELP: &str = "\n  help: this is a shallow clone, so older commits are not there; fetch the whole history (`git fetch --unshallow`, or in GitHub Actions `actions/checkout` with `fetch-depth: 0`)";
