//! Which `*.okr` blobs differ between two commits' trees.
//!
//! Both trees' entries are walked side by side in git's order, descending
//! only into folders whose ids differ, as git's own tree diff does. The walk
//! reads each tree object's bytes (`MODE NAME\0ID` entries) itself: libgit2's
//! diff builds an iterator frame and a path for every entry of both trees,
//! and even its tree parsing (every mode through `strtol`) and entry
//! accessors cost more than the walk. On a 2,000-file folder they were most
//! of `okr log`'s time after the blobs.

use super::files::{Pair, Source};
use super::paths::{PathFilter, RepoPath};
use git2::{ObjectType, Oid, Repository};
use std::cmp::Ordering;
use std::rc::Rc;

/// A mode's file type, as git reads it (the permission bits aside).
const TYPE: u32 = 0o170000;

fn is_folder(mode: u32) -> bool {
    mode & TYPE == 0o040000
}

/// A regular file (`100644`, `100755`, or an old `100664`); not a link or
/// a submodule.
pub(super) fn is_file(mode: u32) -> bool {
    mode & TYPE == 0o100000
}

/// A tree object's bytes.
pub(super) type RawTree = Vec<u8>;

/// The bytes of the tree `id`.
pub(super) fn read(repo: &Repository, id: Oid) -> Result<RawTree, git2::Error> {
    let odb = repo.odb()?;
    let object = odb.read(id)?;
    if object.kind() != ObjectType::Tree {
        return Err(git2::Error::from_str(&format!("{id} is not a tree")));
    }
    Ok(object.data().to_vec())
}

/// The files under `old` and `new` (either may be absent: an empty side)
/// whose blobs differ, limited by `filter`, in path order. Folders are
/// visited from a work list, not by recursion, so very deep folders cannot
/// overflow the stack; a forged object store (hashes are not re-checked, see
/// `Repo::discover`) could make a tree contain itself, which is refused, as
/// is nesting deeper than git's own limit.
pub(super) fn changes(
    repo: &Repository,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    filter: &PathFilter,
) -> Result<Vec<Pair>, git2::Error> {
    let mut pairs = Vec::new();
    let mut folders: Vec<Folder> = Vec::new();
    compare(old, new, b"", None, filter, &mut pairs, &mut folders)?;
    while let Some(folder) = folders.pop() {
        let read = |id: Option<Oid>| id.map(|id| read(repo, id)).transpose();
        let (old, new) = (read(folder.ids[0])?, read(folder.ids[1])?);
        let path = folder.path.clone();
        compare(
            old.as_deref(),
            new.as_deref(),
            &path,
            Some(Rc::new(folder)),
            filter,
            &mut pairs,
            &mut folders,
        )?;
    }
    pairs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(pairs)
}

/// As deep as git itself lets folders nest (`core.maxTreeDepth`).
const MAX_DEPTH: usize = 4096;

/// A subfolder still to compare: its two versions' ids, its path with a
/// trailing `/` (its real bytes), and the folder it sits in.
struct Folder {
    ids: [Option<Oid>; 2],
    path: Vec<u8>,
    depth: usize,
    parent: Option<Rc<Folder>>,
}

impl Folder {
    /// Whether a folder with `ids` would sit inside itself under this one.
    fn contains_itself(self: &Rc<Self>, ids: [Option<Oid>; 2]) -> bool {
        let mut folder = Some(self);
        while let Some(above) = folder {
            let same = |side: usize| ids[side].is_some() && ids[side] == above.ids[side];
            if same(0) || same(1) {
                return true;
            }
            folder = above.parent.as_ref();
        }
        false
    }
}

/// One entry of a tree object.
#[derive(Clone, Copy)]
struct Entry<'t> {
    mode: u32,
    name: &'t [u8],
    id: &'t [u8],
}

/// Compares one folder's two versions: files that differ go to `pairs`,
/// subfolders that differ to `folders`.
fn compare(
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    folder: &[u8],
    parent: Option<Rc<Folder>>,
    filter: &PathFilter,
    pairs: &mut Vec<Pair>,
    folders: &mut Vec<Folder>,
) -> Result<(), git2::Error> {
    let (mut old, mut new) = (Entries::of(old), Entries::of(new));
    let (mut a, mut b) = (old.next(), new.next());
    while a.is_some() || b.is_some() {
        let order = match (&a, &b) {
            (Some(a), Some(b)) => git_order(a, b),
            (Some(_), None) => Ordering::Less,
            (None, _) => Ordering::Greater,
        };
        let (before, after) = match order {
            Ordering::Less => (a, None),
            Ordering::Greater => (None, b),
            Ordering::Equal => (a, b),
        };
        if order != Ordering::Greater {
            a = old.next();
        }
        if order != Ordering::Less {
            b = new.next();
        }
        if before.map(identity) == after.map(identity) {
            continue;
        }
        let name = before.or(after).map_or(&[][..], |entry| entry.name);
        let path = [folder, name].concat();
        let subfolder = |entry: Option<Entry<'_>>| {
            entry
                .filter(|entry| is_folder(entry.mode))
                .map(|entry| Oid::from_bytes(entry.id))
                .transpose()
        };
        let ids = [subfolder(before)?, subfolder(after)?];
        if ids != [None, None] {
            let depth = parent.as_ref().map_or(1, |parent| parent.depth + 1);
            if parent
                .as_ref()
                .is_some_and(|parent| parent.contains_itself(ids))
            {
                return Err(git2::Error::from_str(&format!(
                    "the tree at `{}` contains itself",
                    RepoPath::new(path)
                )));
            }
            if depth > MAX_DEPTH {
                return Err(git2::Error::from_str(&format!(
                    "folders are nested more than {MAX_DEPTH} deep at `{}`",
                    RepoPath::new(path)
                )));
            }
            folders.push(Folder {
                ids,
                path: [&path[..], b"/"].concat(),
                depth,
                parent: parent.clone(),
            });
        }
        if !filter.matches(&path) {
            continue;
        }
        let (old_blob, new_blob) = (text(before)?, text(after)?);
        if old_blob != new_blob {
            pairs.push(Pair {
                path: RepoPath::new(path),
                old: old_blob,
                new: new_blob,
            });
        }
    }
    if old.malformed || new.malformed {
        return Err(git2::Error::from_str("a tree object is malformed"));
    }
    Ok(())
}

/// What makes two entries the same: their object and mode.
fn identity<'t>(entry: Entry<'t>) -> (&'t [u8], u32) {
    (entry.id, entry.mode)
}

/// The entries of a tree object, in the order it stores them (git's); a
/// malformed entry ends them and is remembered.
struct Entries<'t> {
    rest: &'t [u8],
    malformed: bool,
}

impl<'t> Entries<'t> {
    fn of(raw: Option<&'t [u8]>) -> Self {
        Entries {
            rest: raw.unwrap_or_default(),
            malformed: false,
        }
    }

    /// `MODE NAME\0ID` at the start of `raw`, and what follows it. (Plain
    /// loops: names are short, and this runs for every entry of both trees.)
    fn split(raw: &'t [u8]) -> Option<(Entry<'t>, &'t [u8])> {
        let mut mode = 0u32;
        let mut at = 0;
        loop {
            match *raw.get(at)? {
                b' ' if at > 0 => break,
                digit @ b'0'..=b'7' if at < 7 => mode = mode * 8 + u32::from(digit - b'0'),
                _ => return None,
            }
            at += 1;
        }
        let name = raw.get(at + 1..)?;
        let nul = name.iter().position(|&b| b == 0)?;
        let id = name.get(nul + 1..nul + 21)?;
        let entry = Entry {
            mode,
            name: &name[..nul],
            id,
        };
        Some((entry, &name[nul + 21..]))
    }
}

impl<'t> Iterator for Entries<'t> {
    type Item = Entry<'t>;

    fn next(&mut self) -> Option<Entry<'t>> {
        if self.rest.is_empty() {
            return None;
        }
        let Some((entry, rest)) = Self::split(self.rest) else {
            self.malformed = true;
            self.rest = &[];
            return None;
        };
        self.rest = rest;
        Some(entry)
    }
}

/// A regular or executable file's blob; a folder, link or submodule has none.
fn text(entry: Option<Entry<'_>>) -> Result<Option<Source>, git2::Error> {
    entry
        .filter(|entry| is_file(entry.mode))
        .map(|entry| Oid::from_bytes(entry.id).map(Source::Blob))
        .transpose()
}

/// Git sorts a folder's entries by name, a subfolder's name read as if it
/// ended in `/`.
fn git_order(a: &Entry<'_>, b: &Entry<'_>) -> Ordering {
    let common = a.name.len().min(b.name.len());
    a.name[..common].cmp(&b.name[..common]).then_with(|| {
        // One name starts the other: the next byte decides, a folder's `/`.
        let next = |entry: &Entry<'_>| {
            (entry.name.get(common).copied()).or(is_folder(entry.mode).then_some(b'/'))
        };
        next(a).cmp(&next(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::{FileMode, Oid, Tree};

    /// A tree from `(path, content, mode)` entries, folders made as needed.
    fn tree(repo: &Repository, files: &[(&str, &str, FileMode)]) -> Oid {
        fn build(repo: &Repository, files: &[(Vec<&str>, &str, FileMode)]) -> Oid {
            let mut builder = repo.treebuilder(None).unwrap();
            let mut folders: Vec<&str> = Vec::new();
            for (parts, content, mode) in files {
                if let [name] = parts.as_slice() {
                    let blob = repo.blob(content.as_bytes()).unwrap();
                    builder.insert(name, blob, (*mode).into()).unwrap();
                } else if !folders.contains(&parts[0]) {
                    folders.push(parts[0]);
                }
            }
            for folder in folders {
                let inner: Vec<_> = files
                    .iter()
                    .filter(|(parts, ..)| parts.len() > 1 && parts[0] == folder)
                    .map(|(parts, content, mode)| (parts[1..].to_vec(), *content, *mode))
                    .collect();
                builder
                    .insert(folder, build(repo, &inner), FileMode::Tree.into())
                    .unwrap();
            }
            builder.write().unwrap()
        }
        let files: Vec<_> = files
            .iter()
            .map(|(path, content, mode)| (path.split('/').collect(), *content, *mode))
            .collect();
        build(repo, &files)
    }

    /// libgit2's own tree diff, the walk's reference.
    fn by_libgit2(repo: &Repository, old: &Tree<'_>, new: &Tree<'_>) -> Vec<String> {
        let mut options = git2::DiffOptions::new();
        options.ignore_submodules(true);
        let diff = repo
            .diff_tree_to_tree(Some(old), Some(new), Some(&mut options))
            .unwrap();
        let mut paths: Vec<String> = diff
            .deltas()
            .filter(|delta| delta.old_file().id() != delta.new_file().id())
            .map(|delta| {
                let file = delta.new_file().path().or(delta.old_file().path());
                file.unwrap().to_string_lossy().replace('\\', "/")
            })
            .filter(|path| path.ends_with(".okr"))
            .collect();
        // It tells a file turned into a link as a deletion and an addition.
        paths.sort();
        paths.dedup();
        paths
    }

    #[test]
    fn the_walk_finds_what_libgit2_finds_in_git_order() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init_bare(dir.path()).unwrap();
        let (blob, exec, link) = (FileMode::Blob, FileMode::BlobExecutable, FileMode::Link);
        // `a-b.okr` < `a.okr` < the folder `a` (read as `a/`) in git's order.
        let old = tree(
            &repo,
            &[
                ("a-b.okr", "1", blob),
                ("a.okr", "2", blob),
                ("a/x.okr", "3", blob),
                ("a/z.txt", "4", blob),
                ("b/c/d.okr", "5", blob),
                ("b/c/same.okr", "6", blob),
                ("gone/e.okr", "7", blob),
                ("link.okr", "8", blob),
            ],
        );
        let new = tree(
            &repo,
            &[
                ("a-b.okr", "1", exec),
                ("a/x.okr", "3 changed", blob),
                ("a/y.okr", "new", blob),
                ("a/z.txt", "4 changed", blob),
                ("b/c/d.okr", "5 changed", blob),
                ("b/c/same.okr", "6", blob),
                ("link.okr", "target", link),
                ("new/f.okr", "9", blob),
            ],
        );
        let (old_raw, new_raw) = (read(&repo, old).unwrap(), read(&repo, new).unwrap());
        let (old, new) = (repo.find_tree(old).unwrap(), repo.find_tree(new).unwrap());
        let pairs = changes(
            &repo,
            Some(&old_raw),
            Some(&new_raw),
            &PathFilter::default(),
        )
        .unwrap();
        let paths: Vec<&str> = pairs.iter().map(|pair| pair.path.shown()).collect();
        assert_eq!(
            paths,
            [
                "a.okr",
                "a/x.okr",
                "a/y.okr",
                "b/c/d.okr",
                "gone/e.okr",
                "link.okr",
                "new/f.okr"
            ]
        );
        assert_eq!(paths, by_libgit2(&repo, &old, &new));
        let sides = |path: &str| {
            let pair = pairs.iter().find(|pair| pair.path.shown() == path).unwrap();
            (pair.old.is_some(), pair.new.is_some())
        };
        assert_eq!(sides("a.okr"), (true, false));
        assert_eq!(sides("a/y.okr"), (false, true));
        assert_eq!(sides("a/x.okr"), (true, true));
        // A file turned into a link has no text on its new side.
        assert_eq!(sides("link.okr"), (true, false));
        let everything = changes(&repo, None, Some(&new_raw), &PathFilter::default()).unwrap();
        assert_eq!(everything.len(), 6);
    }

    #[test]
    fn a_folder_is_known_by_its_type_bits_whatever_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init_bare(dir.path()).unwrap();
        let blob = FileMode::Blob;
        let old = tree(&repo, &[("a.okr", "1", blob)]);
        let new = tree(&repo, &[("a.okr", "2", blob)]);
        let root = |sub: Oid| [&b"40755 goals\0"[..], sub.as_bytes()].concat();
        let pairs = changes(
            &repo,
            Some(&root(old)),
            Some(&root(new)),
            &PathFilter::default(),
        )
        .unwrap();
        let paths: Vec<&str> = pairs.iter().map(|pair| pair.path.shown()).collect();
        assert_eq!(paths, ["goals/a.okr"]);
        let group_writable = [&b"100664 a.okr\0"[..], Oid::zero().as_bytes()].concat();
        let pairs = changes(&repo, None, Some(&group_writable), &PathFilter::default()).unwrap();
        assert_eq!(pairs.len(), 1, "an old 100664 file is a file");
    }

    #[test]
    fn a_folder_inside_itself_or_too_deep_is_refused() {
        let id = |byte: u8| Some(Oid::from_bytes(&[byte; 20]).unwrap());
        let root = Rc::new(Folder {
            ids: [id(1), id(2)],
            path: b"a/".to_vec(),
            depth: 1,
            parent: None,
        });
        let child = Rc::new(Folder {
            ids: [id(3), None],
            path: b"a/b/".to_vec(),
            depth: 2,
            parent: Some(Rc::clone(&root)),
        });
        assert!(child.contains_itself([id(1), id(9)]), "old side");
        assert!(child.contains_itself([None, id(2)]), "new side");
        assert!(
            !child.contains_itself([id(2), id(1)]),
            "sides are not mixed"
        );
        assert!(!child.contains_itself([None, None]));

        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init_bare(dir.path()).unwrap();
        let nested = |depth: usize| {
            let mut id = tree(&repo, &[("a.okr", "1", FileMode::Blob)]);
            for _ in 0..depth {
                let mut builder = repo.treebuilder(None).unwrap();
                builder.insert("d", id, FileMode::Tree.into()).unwrap();
                id = builder.write().unwrap();
            }
            read(&repo, id).unwrap()
        };
        let filter = PathFilter::default();
        assert_eq!(
            changes(&repo, None, Some(&nested(MAX_DEPTH)), &filter)
                .unwrap()
                .len(),
            1
        );
        let too_deep = changes(&repo, None, Some(&nested(MAX_DEPTH + 1)), &filter);
        assert!(too_deep.unwrap_err().message().contains("nested more than"));
    }

    #[test]
    fn a_malformed_tree_is_an_error_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init_bare(dir.path()).unwrap();
        let good = b"100644 a.okr\0aaaaaaaaaaaaaaaaaaaa".to_vec();
        for bad in [
            &b"100644 a.okr\0short"[..],
            b"100644 no-nul",
            b"10064x a.okr\0aaaaaaaaaaaaaaaaaaaa",
            b" a.okr\0aaaaaaaaaaaaaaaaaaaa",
            b"12345678 a.okr\0aaaaaaaaaaaaaaaaaaaa",
            b"\xff\xfe",
        ] {
            let result = changes(&repo, Some(&good), Some(bad), &PathFilter::default());
            assert!(result.is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
