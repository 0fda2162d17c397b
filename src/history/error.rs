//! Why goals could not be read from history: `HistoryError`, each variant
//! with its message for people and, where there is one, the git or I/O
//! error underneath.

use super::paths::RepoPath;
use std::path::PathBuf;

/// Said whenever history is missing in a shallow clone.
const SHALLOW_HELP: &str = "\n  help: this is a shallow clone, so older commits are not there; fetch the whole history (`git fetch --unshallow`, or in GitHub Actions `actions/checkout` with `fetch-depth: 0`)";

/// Said after an unknown revision in a full clone.
const REVISION_HELP: &str =
    "\n  help: a revision is anything `git rev-parse` accepts: a branch, a tag, a commit id, HEAD~3";

/// Anything that stops a history command: exit status 2, message on stderr.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot read the current folder: {0}")]
    CurrentFolder(#[source] std::io::Error),
    #[error("`{}` is not inside a git repository: `okr diff` and `okr log` read goals from git history; run them in a clone of your goals repository", folder.display())]
    NotARepository {
        folder: PathBuf,
        source: git2::Error,
    },
    /// libgit2 failed while `doing` something that needs no more words.
    #[error("{doing}: {}", source.message())]
    Git {
        doing: &'static str,
        source: git2::Error,
    },
    #[error("this is a bare repository: it has no working tree to compare; name two revisions, e.g. `okr diff HEAD~1 HEAD`")]
    Bare,
    /// An object that should be there and is not: usually a shallow clone.
    #[error("cannot read the git history: {}{}", source.message(), shallow_help(*shallow))]
    MissingHistory { source: git2::Error, shallow: bool },
    #[error("HEAD has no commits yet (the branch is unborn): commit your goals first, then `okr diff` compares against them")]
    Unborn,
    #[error("unknown revision `{revision}`: {}{}", source.message(), if *shallow { SHALLOW_HELP } else { REVISION_HELP })]
    UnknownRevision {
        revision: String,
        source: git2::Error,
        shallow: bool,
    },
    /// A revision that names a tree or a blob.
    #[error("`{revision}` names a {kind}, not a commit")]
    NotACommit {
        revision: String,
        kind: &'static str,
        source: git2::Error,
    },
    /// `A...B` with the working tree on one side.
    #[error("`A...B` takes two revisions")]
    MergeBaseNeedsCommits,
    #[error("`{left}` and `{right}` have no common ancestor, so `{left}...{right}` has no merge base{}", shallow_help(*shallow))]
    NoMergeBase {
        left: String,
        right: String,
        source: git2::Error,
        shallow: bool,
    },
    /// A period that ended before the first commit of the line read.
    #[error("no commit on the first-parent history of {tip} is dated on or before {end}, the last day of {period}: the history starts later{}", shallow_help(*shallow))]
    NoCommitByPeriodEnd {
        tip: String,
        end: chrono::NaiveDate,
        period: String,
        shallow: bool,
    },
    #[error("`{}` is outside the repository at `{}`", path.display(), root.display())]
    OutsideRepository { path: PathBuf, root: PathBuf },
    #[error("cannot read `{path}` in the working tree: {source}")]
    WorkingTreeFile {
        path: RepoPath,
        source: std::io::Error,
    },
    /// `okr log`'s subject is not `team`, `team/objective` or `team/objective.kr`.
    #[error("`{text}` is not a goal reference: {why}; write `team/objective` or `team/objective.kr`, e.g. `marketing/engagement.visitors`")]
    NotAGoalReference {
        text: String,
        #[source]
        why: NotAGoal,
    },
    /// `okr log`'s subject names nothing in the working tree, and no commit
    /// ever changed it; `near` is the nearest goal the working tree has.
    #[error("`{subject}` names no goal: no file in the working tree has it, and no commit changed it{}", near.as_ref().map_or(String::new(), |near| format!("; {}", crate::diagnostic::suggest::did_you_mean(near))))]
    UnknownGoal {
        subject: String,
        near: Option<String>,
    },
    #[error("this is a shallow clone: the commits before its cut-off are missing, so the story of `{subject}` would start in the middle{SHALLOW_HELP}")]
    ShallowLog { subject: String },
    #[error("`--at REV` is for period diffs (`okr diff 2026-Q2 2026-Q3 --at REV`); to compare revisions, name them")]
    AtWithoutPeriods,
    #[error("`okr diff` takes at most two revisions (or two periods); put paths after `--`")]
    TooManyRevisions,
}

/// Why a text is not a goal reference.
#[derive(Debug, thiserror::Error)]
pub enum NotAGoal {
    #[error("it has no team")]
    NoTeam,
    #[error(transparent)]
    Reference(#[from] crate::model::goals::ReferenceError),
}

impl HistoryError {
    /// The libgit2 error underneath, for `doing` this.
    pub fn git(doing: &'static str) -> impl FnOnce(git2::Error) -> HistoryError {
        move |source| HistoryError::Git { doing, source }
    }
}

fn shallow_help(shallow: bool) -> &'static str {
    if shallow {
        SHALLOW_HELP
    } else {
        ""
    }
}
