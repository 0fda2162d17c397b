//! Takes paths as git stores them (bytes) and as the user gives them
//! (`-- PATHS`, relative to the current folder), and gives `RepoPath`, a
//! repository-relative path that keeps its real bytes, and `PathFilter`,
//! which `*.okr` files a command asks about.

use super::repo::Repo;
use super::HistoryError;
use std::path::{Component, Path, PathBuf};

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
    /// A path from a tree or index entry's raw bytes.
    pub fn new(bytes: Vec<u8>) -> RepoPath {
        let shown = crate::source::display_bytes(&bytes);
        RepoPath { bytes, shown }
    }

    /// The path's raw bytes, as git stores them.
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

impl Repo {
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
            let relative =
                absolute
                    .strip_prefix(&root)
                    .map_err(|_| HistoryError::OutsideRepository {
                        path: path.clone(),
                        root: root.clone(),
                    })?;
            prefixes.push(slash_path(relative));
        }
        Ok(PathFilter { prefixes })
    }
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
