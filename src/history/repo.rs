//! Stage 1b, reading goals from git: opening the repository, resolving
//! revisions, listing the `*.okr` files that differ between two points, and
//! parsing each distinct blob once (a cache keyed by blob id).
//!
//! Only libgit2 (git2, no network) is used: `okr` never runs `git`.

use super::trees::{self, RawTree};
use super::HistoryError;
use crate::diagnostic::Code;
use crate::model::goals::Goals;
use crate::syntax::atoms;
use crate::syntax::LineMemo;
use crate::workspace;
use chrono::{DateTime, NaiveDate};
use git2::{Delta, DiffOptions, ErrorCode, FileMode, ObjectType, Oid, Repository, Tree};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// One side of a comparison: a commit, or the files on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Point {
    Commit {
        /// What the user wrote (`HEAD~1`), or how we name it (`merge base of …`).
        label: String,
        id: Oid,
    },
    /// HEAD plus what `git diff HEAD` and untracked, not ignored files show.
    WorkingTree,
}

impl Point {
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

/// Where a file's bytes come from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    Blob(Oid),
    /// A file in the working tree (absolute path).
    Disk(PathBuf),
}

/// A repository-relative path as git stores it: its real bytes (`/`
/// separators; a name need not be UTF-8), and how messages show it, bytes
/// that are not UTF-8 escaped (`x\xff.okr`). Two paths are the same when
/// their bytes are: names that would read the same are never merged, and a
/// file is always opened by its real name.
#[derive(Clone, Debug)]
pub struct RepoPath {
    bytes: Vec<u8>,
    shown: String,
}

impl RepoPath {
    pub fn new(bytes: Vec<u8>) -> RepoPath {
        let shown = crate::source::display_bytes(&bytes);
        RepoPath { bytes, shown }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The path as a message shows it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// A path as the OS gives it (git's arguments to a diff driver).
    pub fn from_os(path: &std::ffi::OsStr) -> RepoPath {
        RepoPath::new(os_bytes(path))
    }

    /// The file in a working tree whose root is `root`, by its real bytes.
    pub fn under(&self, root: &Path) -> PathBuf {
        root.join(os_path(&self.bytes))
    }
}

impl From<&str> for RepoPath {
    fn from(path: &str) -> RepoPath {
        RepoPath::new(path.as_bytes().to_vec())
    }
}

impl PartialEq for RepoPath {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for RepoPath {}

impl std::hash::Hash for RepoPath {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

impl PartialOrd for RepoPath {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RepoPath {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bytes.cmp(&other.bytes)
    }
}

impl std::fmt::Display for RepoPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// A path's real bytes as the OS takes them (on Unix any bytes; elsewhere
/// git's paths are UTF-8).
#[cfg(unix)]
fn os_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn os_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// The real bytes of a path part.
#[cfg(unix)]
fn os_bytes(part: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    part.as_bytes().to_vec()
}

#[cfg(not(unix))]
fn os_bytes(part: &std::ffi::OsStr) -> Vec<u8> {
    part.to_string_lossy().as_bytes().to_vec()
}

/// A `*.okr` path whose content differs between two points.
#[derive(Clone, Debug)]
pub struct Pair {
    pub path: RepoPath,
    pub old: Option<Source>,
    pub new: Option<Source>,
}

/// One file's goals, parsed, or why they could not be.
#[derive(Debug, Default)]
pub struct Parsed {
    pub goals: Goals,
    /// The first syntax error (or missing `team`/`period`), as `line N: message`:
    /// such a file's goals are left out of a diff rather than half-read.
    pub error: Option<String>,
}

/// A file as one side of a diff holds it.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub path: RepoPath,
    pub parsed: Arc<Parsed>,
}

/// Limits a diff or log to some paths, as `-- PATHS` does for git.
#[derive(Clone, Debug, Default)]
pub struct PathFilter {
    /// Repository-relative prefixes (a file or a folder), by their real
    /// bytes; empty: everything.
    prefixes: Vec<Vec<u8>>,
}

impl PathFilter {
    /// Whether `path` (repository-relative bytes) is a `*.okr` file the user
    /// asked about.
    pub fn matches(&self, path: &[u8]) -> bool {
        path.ends_with(b".okr")
            && (self.prefixes.is_empty()
                || self.prefixes.iter().any(|prefix| {
                    prefix.is_empty()
                        || path == prefix.as_slice()
                        || path
                            .strip_prefix(prefix.as_slice())
                            .is_some_and(|rest| rest.starts_with(b"/"))
                }))
    }
}

/// An open repository and the goals parsed from it so far.
pub struct Repo {
    repo: Repository,
    /// Blob id → parsed goals: each distinct blob is parsed once.
    parsed: HashMap<Oid, Arc<Parsed>>,
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

    /// `-- PATHS` given relative to `cwd`, as repository-relative prefixes.
    /// A bare repository has no working tree: there, as with git, paths are
    /// taken from the repository's root.
    pub fn path_filter(&self, cwd: &Path, paths: &[PathBuf]) -> Result<PathFilter, HistoryError> {
        let Some(root) = self.repo.workdir() else {
            let prefixes = paths
                .iter()
                .map(|path| slash_path(&normalize(path)))
                .collect();
            return Ok(PathFilter { prefixes });
        };
        let root = normalize(&root.canonicalize().unwrap_or_else(|_| root.to_path_buf()));
        let cwd = normalize(&cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf()));
        let mut prefixes = Vec::new();
        for path in paths {
            let absolute = normalize(&cwd.join(path));
            let relative = absolute.strip_prefix(&root).map_err(|_| {
                HistoryError::new(format!(
                    "`{}` is outside the repository at `{}`",
                    path.display(),
                    root.display()
                ))
            })?;
            prefixes.push(slash_path(relative));
        }
        Ok(PathFilter { prefixes })
    }

    /// The commit a revision names (anything `git rev-parse` takes).
    pub fn resolve(&self, revision: &str) -> Result<Point, HistoryError> {
        let object = self
            .repo
            .revparse_single(revision)
            .map_err(|error| self.unknown_revision(revision, &error))?;
        let commit = object.peel_to_commit().map_err(|_| {
            HistoryError::new(format!(
                "`{revision}` names a {}, not a commit",
                object.kind().map_or("git object", |kind| kind.str())
            ))
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
            return Err(HistoryError::new("`A...B` takes two revisions"));
        };
        let base = self.repo.merge_base(*one, *two).map_err(|_| {
            let mut message =
                format!("`{left}` and `{right}` have no common ancestor, so `{left}...{right}` has no merge base");
            if self.repo.is_shallow() {
                message.push_str(SHALLOW_HELP);
            }
            HistoryError::new(message)
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
            .map_err(|e| HistoryError::git("cannot walk the history", &e))?;
        walk.simplify_first_parent()
            .and_then(|()| walk.push(tip))
            .map_err(|e| HistoryError::git("cannot walk the history", &e))?;
        for id in walk {
            let id = id.map_err(|e| self.missing_history(&e))?;
            let commit = self
                .repo
                .find_commit(id)
                .map_err(|e| self.missing_history(&e))?;
            if committer_day(&commit) <= Some(day) {
                return Ok(Some(Point::Commit {
                    label: format!("{} (last commit on or before {day})", short(id)),
                    id,
                }));
            }
        }
        Ok(None)
    }

    /// Whether the clone is shallow (for explaining missing history).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The `*.okr` files that differ between two commits' trees (either may
    /// be absent: an empty side), in path order.
    pub fn tree_changes(
        &self,
        old: Option<&[u8]>,
        new: Option<&[u8]>,
        filter: &PathFilter,
    ) -> Result<Vec<Pair>, HistoryError> {
        trees::changes(&self.repo, old, new, filter).map_err(|e| self.missing_history(&e))
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
            .map_err(|e| self.missing_history(&e))?;
        trees::read(&self.repo, tree)
            .map(Some)
            .map_err(|e| self.missing_history(&e))
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
            .map_err(|e| self.missing_history(&e))?;
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
        match start {
            Some(start) => self.changed(start, &Point::WorkingTree, filter),
            None => {
                let empty = Point::Commit {
                    label: String::new(),
                    id: Oid::zero(),
                };
                self.changed(&empty, &Point::WorkingTree, filter)
            }
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
                    .map_err(|e| self.missing_history(&e))?;
                commit
                    .tree()
                    .map(Some)
                    .map_err(|e| self.missing_history(&e))
            }
            Point::WorkingTree => self.head().and_then(|head| self.tree(&head)),
        }
    }

    /// Each file's goals, in the order given; a blob not seen before is read
    /// and parsed (in parallel), a blob seen before is not read again.
    pub fn load(&mut self, files: &[(RepoPath, Source)]) -> Result<Vec<Loaded>, HistoryError> {
        let groups = files
            .iter()
            .map(|(path, source)| vec![(path, source)])
            .collect();
        let keys = self.parse_groups(groups)?;
        Ok(files
            .iter()
            .zip(keys.into_iter().flatten())
            .map(|((path, _), key)| self.loaded(path, key))
            .collect())
    }

    /// Both sides of changed files (old, new). The two versions of a path
    /// are parsed together, the second copying the lines it shares with the
    /// first (`syntax::LineMemo`).
    pub fn load_pairs(
        &mut self,
        pairs: &[Pair],
    ) -> Result<(Vec<Loaded>, Vec<Loaded>), HistoryError> {
        let groups = pairs
            .iter()
            .map(|pair| {
                [&pair.old, &pair.new]
                    .into_iter()
                    .flatten()
                    .map(|source| (&pair.path, source))
                    .collect()
            })
            .collect();
        let keys = self.parse_groups(groups)?;
        let (mut old, mut new) = (Vec::new(), Vec::new());
        for (pair, keys) in pairs.iter().zip(keys) {
            let mut keys = keys.into_iter();
            for (side, source) in [(&mut old, &pair.old), (&mut new, &pair.new)] {
                if let Some(key) = source.as_ref().and_then(|_| keys.next()) {
                    side.push(self.loaded(&pair.path, key));
                }
            }
        }
        Ok((old, new))
    }

    fn loaded(&self, path: &RepoPath, key: Oid) -> Loaded {
        Loaded {
            path: path.clone(),
            parsed: self.parsed.get(&key).cloned().unwrap_or_default(),
        }
    }

    /// Parses the sources of every group not parsed yet, a group in one task
    /// with one line memo, the tasks in parallel (each thread with its own
    /// handle on the repository: a libgit2 handle is not shared between
    /// threads, see `open_again`). Returns each source's key in the cache.
    fn parse_groups(
        &mut self,
        groups: Vec<Vec<(&RepoPath, &Source)>>,
    ) -> Result<Vec<Vec<Oid>>, HistoryError> {
        let mut keys = Vec::with_capacity(groups.len());
        // Per group, each blob to parse and its bytes when already read.
        let mut todo: Vec<Vec<(Oid, Option<Vec<u8>>)>> = Vec::new();
        let mut queued = std::collections::HashSet::new();
        for group in groups {
            let mut group_keys = Vec::with_capacity(group.len());
            let mut group_todo = Vec::new();
            for (path, source) in group {
                let (key, bytes) = key_of(path, source)?;
                group_keys.push(key);
                if !self.parsed.contains_key(&key) && queued.insert(key) {
                    group_todo.push((key, bytes));
                }
            }
            keys.push(group_keys);
            if !group_todo.is_empty() {
                todo.push(group_todo);
            }
        }
        let git_dir = self.repo.path().to_path_buf();
        let parsed: Vec<Vec<(Oid, Parsed)>> = todo
            .into_par_iter()
            .map_init(
                || Repo::open_again(&git_dir),
                |handle, group| {
                    let handle = handle.as_ref().map_err(|error| error.clone())?;
                    let texts = group
                        .into_iter()
                        .map(|(id, bytes)| match bytes {
                            Some(bytes) => Ok((id, bytes)),
                            None => handle.blob(id).map(|bytes| (id, bytes)),
                        })
                        .collect::<Result<Vec<_>, HistoryError>>()?;
                    let mut memo = LineMemo::default();
                    Ok(texts
                        .iter()
                        .map(|(id, bytes)| (*id, parse_with(bytes, &mut memo)))
                        .collect())
                },
            )
            .collect::<Result<_, HistoryError>>()?;
        for (id, parsed) in parsed.into_iter().flatten() {
            self.parsed.insert(id, Arc::new(parsed));
        }
        Ok(keys)
    }

    /// The team a blob's header declares, read without parsing it. `None`
    /// when the scan finds no `team` line (the caller parses to be sure).
    pub fn blob_team(&self, id: Oid) -> Result<Option<String>, HistoryError> {
        let blob = self
            .repo
            .find_blob(id)
            .map_err(|e| self.missing_history(&e))?;
        Ok(header_team(blob.content()))
    }

    /// Both sides' bytes of every pair, read in parallel, each thread on its
    /// own handle.
    pub fn read_pairs(&self, pairs: &[Pair]) -> Result<Vec<PairBytes>, HistoryError> {
        let git_dir = self.repo.path().to_path_buf();
        pairs
            .par_iter()
            .map_init(
                || Repo::open_again(&git_dir),
                |handle, pair| {
                    let handle = handle.as_ref().map_err(|error| error.clone())?;
                    let read = |source: &Option<Source>| {
                        let Some(source) = source else {
                            return Ok(None);
                        };
                        let (id, bytes) = key_of(&pair.path, source)?;
                        let bytes = match bytes {
                            Some(bytes) => bytes,
                            None => handle.blob(id)?,
                        };
                        Ok(Some((id, bytes)))
                    };
                    Ok(PairBytes {
                        path: pair.path.clone(),
                        old: read(&pair.old)?,
                        new: read(&pair.new)?,
                    })
                },
            )
            .collect()
    }

    fn blob(&self, id: Oid) -> Result<Vec<u8>, HistoryError> {
        let blob = self
            .repo
            .find_blob(id)
            .map_err(|e| self.missing_history(&e))?;
        Ok(blob.content().to_vec())
    }

    /// A revision that does not resolve: unknown, unborn, or cut off by a shallow clone.
    fn unknown_revision(&self, revision: &str, error: &git2::Error) -> HistoryError {
        if let Err(head) = self.repo.head() {
            if head.code() == ErrorCode::UnbornBranch {
                return HistoryError::new(
                    "HEAD has no commits yet (the branch is unborn): commit your goals first, then `okr diff` compares against them",
                );
            }
        }
        let mut message = format!("unknown revision `{revision}`: {}", error.message());
        if self.repo.is_shallow() {
            message.push_str(SHALLOW_HELP);
        } else {
            message.push_str(
                "\n  help: a revision is anything `git rev-parse` accepts: a branch, a tag, a commit id, HEAD~3",
            );
        }
        HistoryError::new(message)
    }

    /// An object that should be there and is not: usually a shallow clone.
    pub fn missing_history(&self, error: &git2::Error) -> HistoryError {
        let mut message = format!("cannot read the git history: {}", error.message());
        if self.repo.is_shallow() {
            message.push_str(SHALLOW_HELP);
        }
        HistoryError::new(message)
    }

    /// The commit behind a point, for `okr log`.
    pub fn find_commit(&self, id: Oid) -> Result<git2::Commit<'_>, HistoryError> {
        self.repo
            .find_commit(id)
            .map_err(|e| self.missing_history(&e))
    }

    /// Every commit reachable from HEAD, oldest first, parents before children.
    pub fn walk_oldest_first(&self) -> Result<Vec<Oid>, HistoryError> {
        self.head()?;
        let mut walk = self
            .repo
            .revwalk()
            .map_err(|e| HistoryError::git("cannot walk the history", &e))?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME | git2::Sort::REVERSE)
            .and_then(|()| walk.push_head())
            .map_err(|e| HistoryError::git("cannot walk the history", &e))?;
        walk.map(|id| id.map_err(|e| self.missing_history(&e)))
            .collect()
    }
}

/// Said whenever history is missing in a shallow clone.
pub const SHALLOW_HELP: &str = "\n  help: this is a shallow clone, so older commits are not there; fetch the whole history (`git fetch --unshallow`, or in GitHub Actions `actions/checkout` with `fetch-depth: 0`)";

/// The committer's calendar day, in the committer's own time zone.
pub fn committer_day(commit: &git2::Commit<'_>) -> Option<NaiveDate> {
    let time = commit.committer().when();
    let local = time.seconds() + i64::from(time.offset_minutes()) * 60;
    DateTime::from_timestamp(local, 0).map(|moment| moment.date_naive())
}

/// A source's key in the cache: a blob's id, or the blob id of a working-tree
/// file's bytes (read here, and handed back so they are not read twice).
fn key_of(path: &RepoPath, source: &Source) -> Result<(Oid, Option<Vec<u8>>), HistoryError> {
    match source {
        Source::Blob(id) => Ok((*id, None)),
        Source::Disk(file) => {
            let bytes = std::fs::read(file).map_err(|error| {
                HistoryError::new(format!("cannot read `{path}` in the working tree: {error}"))
            })?;
            let id = Oid::hash_object(ObjectType::Blob, &bytes)
                .map_err(|e| HistoryError::git("cannot hash a working-tree file", &e))?;
            Ok((id, Some(bytes)))
        }
    }
}

/// A changed file's bytes on each side, with their blob ids (none where the
/// file is absent).
pub struct PairBytes {
    pub path: RepoPath,
    pub old: Option<(Oid, Vec<u8>)>,
    pub new: Option<(Oid, Vec<u8>)>,
}

/// Parses one file's bytes; not UTF-8, a Git LFS pointer or not parsing is
/// recorded, not fatal.
/// Versions of one file share a `memo`: a line parsed in one is copied into
/// the others.
pub fn parse_with<'t>(bytes: &'t [u8], memo: &mut LineMemo<'t>) -> Parsed {
    if crate::lfs::is_pointer(bytes) {
        return Parsed {
            goals: Goals::default(),
            error: Some(crate::lfs::POINTER.into()),
        };
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Parsed {
            goals: Goals::default(),
            error: Some("the file is not valid UTF-8 text".into()),
        };
    };
    let (goals, diagnostics) = workspace::build(0, text, Some(memo), |_| {});
    let fatal = diagnostics.iter().find(|d| {
        matches!(
            d.code,
            Code::Syntax | Code::MissingTeam | Code::MissingPeriod
        )
    });
    let error = fatal.map(|d| {
        let before = text.get(..d.span.start()).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        format!("line {line}: {}", d.message)
    });
    Parsed { goals, error }
}

/// The id on the header's `team` line, found by a scan of the lines before
/// the first block. A prefilter only: whatever it says, a file that matters is
/// parsed in full. It reads the id with `atoms::loose_identifier_len`, which
/// on a well-formed `team` line is the identifier.
pub fn header_team(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for line in bytes.split(|&byte| byte == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(rest) = line.strip_prefix(b"team") else {
            let block = ["objective", "funnel", "segment"]
                .iter()
                .any(|word| line.starts_with(word.as_bytes()));
            if block {
                return None;
            }
            continue;
        };
        if !rest.first().is_some_and(|&b| b == b' ' || b == b'\t') {
            continue;
        }
        let start = rest
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .unwrap_or(rest.len());
        let id = &rest[start..start + atoms::loose_identifier_len(&rest[start..])];
        return String::from_utf8(id.to_vec())
            .ok()
            .filter(|id| !id.is_empty());
    }
    None
}

/// A repository path's real bytes with `/` separators, as git writes it.
fn slash_path(path: &Path) -> Vec<u8> {
    let parts: Vec<Vec<u8>> = path
        .components()
        .map(|part| os_bytes(part.as_os_str()))
        .collect();
    parts.join(&b'/')
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_scan_finds_the_team_or_gives_up_at_the_first_block() {
        assert_eq!(
            header_team(b"# x\nperiod 2026-Q3\nteam growth \"G\"\n").as_deref(),
            Some("growth")
        );
        assert_eq!(
            header_team(b"\xEF\xBB\xBFteam a-b_1\r\n").as_deref(),
            Some("a-b_1")
        );
        assert_eq!(
            header_team(b"period 2026-Q3\nobjective x \"y\"\nteam late\n"),
            None
        );
        assert_eq!(header_team(b"teams x\n"), None);
    }

    #[test]
    fn path_filters_match_files_and_folders() {
        let filter = PathFilter {
            prefixes: vec![b"goals".to_vec(), b"x.okr".to_vec()],
        };
        assert!(filter.matches(b"goals/a.okr"));
        assert!(filter.matches(b"x.okr"));
        assert!(!filter.matches(b"goalsx/a.okr"));
        assert!(!filter.matches(b"goals/a.txt"));
        assert!(PathFilter::default().matches(b"deep/down/a.okr"));
    }

    #[test]
    fn a_path_keeps_its_bytes_and_shows_the_ones_that_are_not_utf8_escaped() {
        let path = RepoPath::new(b"goals/x\xff\xfe.okr".to_vec());
        assert_eq!(path.shown(), "goals/x\\xff\\xfe.okr");
        assert_eq!(path.bytes(), b"goals/x\xff\xfe.okr");
        assert_ne!(path, RepoPath::from("goals/x\\xff\\xfe.okr"));
        assert_eq!(RepoPath::from("é.okr").shown(), "é.okr");
    }
}
