//! Takes the files of one or two points (`Source`, `Pair`) and gives their
//! bytes and their goals: each blob read from git or disk, parsed once per
//! repository handle (a cache keyed by blob id), versions of one file
//! sharing a line memo; and the header scan that names a blob's team
//! without parsing it.

use super::files::{Pair, Source};
use super::paths::RepoPath;
use super::repo::Repo;
use super::HistoryError;
use crate::diagnostic::Code;
use crate::model::goals::Goals;
use crate::syntax::atoms;
use crate::syntax::LineMemo;
use crate::workspace;
use git2::{ObjectType, Oid};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// One file's goals, parsed, or why they could not be.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The goals read (empty when `error` is set).
    pub goals: Goals,
    /// The first syntax error (or missing `team`/`period`), as `line N: message`:
    /// such a file's goals are left out of a diff rather than half-read.
    pub error: Option<String>,
}

/// A file as one side of a diff holds it.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// Where the file sits in the repository.
    pub path: RepoPath,
    /// Its goals, shared by every point that holds the same blob.
    pub parsed: Arc<Parsed>,
}

impl Repo {
    /// Each file's goals, in the order given; a blob not seen before is read
    /// and parsed (in parallel), a blob seen before is not read again.
    pub fn load(&mut self, files: &[(RepoPath, Source)]) -> Result<Vec<Loaded>, HistoryError> {
        self.load_beside(
            files
                .iter()
                .map(|(path, source)| (path, source, LineMemo::default()))
                .collect(),
        )
    }

    /// `load`, each file parsed with its memo: the lines of another version
    /// of it the caller has read (`LineMemo::of_text`), copied where they
    /// are the same.
    pub fn load_beside<'t>(
        &mut self,
        files: Vec<(&RepoPath, &Source, LineMemo<'t>)>,
    ) -> Result<Vec<Loaded>, HistoryError> {
        let paths: Vec<&RepoPath> = files.iter().map(|(path, _, _)| *path).collect();
        let groups = files
            .into_iter()
            .map(|(path, source, memo)| (vec![(path, source)], memo))
            .collect();
        let keys = self.parse_groups(groups)?;
        Ok(paths
            .into_iter()
            .zip(keys.into_iter().flatten())
            .map(|(path, key)| self.loaded(path, key))
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
                let versions = [&pair.old, &pair.new]
                    .into_iter()
                    .flatten()
                    .map(|source| (&pair.path, source))
                    .collect();
                (versions, LineMemo::default())
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
    /// with its line memo, the tasks in parallel (each thread with its own
    /// handle on the repository: a libgit2 handle is not shared between
    /// threads, see `open_again`). Returns each source's key in the cache.
    fn parse_groups<'t>(
        &mut self,
        groups: Vec<(Vec<(&RepoPath, &Source)>, LineMemo<'t>)>,
    ) -> Result<Vec<Vec<Oid>>, HistoryError> {
        let mut keys = Vec::with_capacity(groups.len());
        // Per group, each blob to parse and its bytes when already read.
        type Todo<'t> = (Vec<(Oid, Option<Vec<u8>>)>, LineMemo<'t>);
        let mut todo: Vec<Todo<'t>> = Vec::new();
        let mut queued = std::collections::HashSet::new();
        for (group, memo) in groups {
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
                todo.push((group_todo, memo));
            }
        }
        let git_dir = self.repo.path().to_path_buf();
        let parsed: Vec<HashMap<Oid, Arc<Parsed>>> = todo
            .into_par_iter()
            .map_init(
                || Repo::open_again(&git_dir),
                |handle, (group, memo)| {
                    let handle = handle.get()?;
                    let texts = group
                        .into_iter()
                        .map(|(id, bytes)| handle.bytes(id, bytes).map(|bytes| (id, bytes)))
                        .collect::<Result<Vec<_>, HistoryError>>()?;
                    let mut parsed = HashMap::with_capacity(texts.len());
                    parse_versions(
                        memo,
                        texts.iter().map(|(id, bytes)| (*id, bytes.as_slice())),
                        &mut parsed,
                    );
                    Ok(parsed)
                },
            )
            .collect::<Result<_, HistoryError>>()?;
        for parsed in parsed {
            self.parsed.extend(parsed);
        }
        Ok(keys)
    }

    /// The team a blob's header declares, read without parsing it. `None`
    /// when the scan finds no `team` line (the caller parses to be sure).
    pub fn blob_team(&self, id: Oid) -> Result<Option<String>, HistoryError> {
        let blob = self
            .repo
            .find_blob(id)
            .map_err(|e| self.missing_history(e))?;
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
                    let handle = handle.get()?;
                    let read = |source: &Option<Source>| {
                        let Some(source) = source else {
                            return Ok(None);
                        };
                        let (id, bytes) = key_of(&pair.path, source)?;
                        Ok(Some((id, handle.bytes(id, bytes)?)))
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

    /// A source's bytes, the one way both `parse_groups` and `read_pairs`
    /// read them: those `key_of` already read (a working-tree file's), or
    /// the blob's from git.
    fn bytes(&self, id: Oid, read: Option<Vec<u8>>) -> Result<Vec<u8>, HistoryError> {
        if let Some(bytes) = read {
            return Ok(bytes);
        }
        let blob = self
            .repo
            .find_blob(id)
            .map_err(|e| self.missing_history(e))?;
        Ok(blob.content().to_vec())
    }
}

/// A source's key in the cache: a blob's id, or the blob id of a working-tree
/// file's bytes (read here, and handed back so they are not read twice).
fn key_of(path: &RepoPath, source: &Source) -> Result<(Oid, Option<Vec<u8>>), HistoryError> {
    match source {
        Source::Blob(id) => Ok((*id, None)),
        Source::Disk(file) => {
            let bytes = std::fs::read(file).map_err(|source| HistoryError::WorkingTreeFile {
                path: path.clone(),
                source,
            })?;
            let id = Oid::hash_object(ObjectType::Blob, &bytes)
                .map_err(HistoryError::git("cannot hash a working-tree file"))?;
            Ok((id, Some(bytes)))
        }
    }
}

/// A changed file's bytes on each side, with their blob ids (none where the
/// file is absent).
pub struct PairBytes {
    /// Where the file sits in the repository.
    pub path: RepoPath,
    /// The old side's blob id and bytes.
    pub old: Option<(Oid, Vec<u8>)>,
    /// The new side's blob id and bytes.
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

/// Parses the versions of one file, sharing one line memo (`memo`, which
/// may already hold another version's lines), into `cache`: a blob already
/// there is not parsed again. Both `Repo::load_pairs` (and
/// `load`) and `okr diff A B`'s groups (`groups`) parse through it; they keep
/// separate caches on purpose, a group's being dropped once it is compared.
pub fn parse_versions<'t>(
    mut memo: LineMemo<'t>,
    versions: impl IntoIterator<Item = (Oid, &'t [u8])>,
    cache: &mut HashMap<Oid, Arc<Parsed>>,
) {
    for (id, bytes) in versions {
        cache
            .entry(id)
            .or_insert_with(|| Arc::new(parse_with(bytes, &mut memo)));
    }
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
}
