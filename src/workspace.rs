//! Finding and loading the files to read: paths given, or every `*.okr` under
//! the current folder honouring `.gitignore`; each file parsed and built in parallel.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::build::Builder;
use crate::model::goals::Goals;
use crate::model::period::Period;
use crate::source::{display_path, FileId, SourceFile};
use crate::span::{Span, MAX_FILE_LEN};
use crate::syntax::{self, ast::Line, KeptLines, LineMemo};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Every file read, its goals, and the syntax errors found while reading.
#[derive(Debug, Default)]
pub struct Workspace {
    /// The files read, in the order given and walked.
    pub files: Vec<SourceFile>,
    /// `goals[i]` are the goals of `files[i]`.
    pub goals: Vec<Goals>,
    /// Syntax errors and files that could not be decoded, found while reading.
    pub diagnostics: Vec<Diagnostic>,
    /// How the files were chosen: whether a team no file declares is a
    /// mistake or a file not passed.
    pub scope: Scope,
}

/// How the files read were chosen. A folder holds every team's file, so a
/// team no file declares is a mistake there; files named one by one may
/// simply leave another team's file out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// Files named one by one (and texts given in memory).
    #[default]
    Files,
    /// A folder: no paths given (the current folder), or a folder among them.
    Folder,
}

impl Scope {
    /// The scope of a command given `paths` (none: the current folder).
    pub fn of(paths: &[PathBuf]) -> Scope {
        if paths.is_empty() || paths.iter().any(|path| path.is_dir()) {
            Scope::Folder
        } else {
            Scope::Files
        }
    }
}

/// A path that could not be read: a usage or I/O error (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file or folder that cannot be opened or read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The path as given or found.
        path: String,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// A folder whose walk failed part way.
    #[error("cannot read `{path}`: {source}")]
    Walk {
        /// The folder given.
        path: String,
        /// Why the walk stopped.
        source: ignore::Error,
    },
    /// A file over [`MAX_FILE_LEN`] bytes, which spans cannot address.
    #[error("cannot read `{path}`: the file is over 4 GiB, too large for a goals file")]
    TooLarge {
        /// The file's path.
        path: String,
    },
    /// A FIFO or a device, which would block or never end.
    #[error("cannot read `{path}`: not a regular file")]
    NotAFile {
        /// The path as given or found.
        path: String,
    },
}

impl Workspace {
    /// Loads the `*.okr` files named by `paths` (files or folders; none: `.`).
    pub fn load(paths: &[PathBuf]) -> Result<Workspace, LoadError> {
        Workspace::load_keeping(paths, Keep::Goals).map(|(workspace, _)| workspace)
    }

    /// `load`, also keeping the lines pest parsed in each file (`lines[i]`
    /// of `files[i]`): for a command that reads another version of the same
    /// files next and copies the lines they share (`okr review`).
    pub fn load_keeping_lines(paths: &[PathBuf]) -> Result<(Workspace, Vec<KeptLines>), LoadError> {
        Workspace::load_keeping(paths, Keep::Lines)
    }

    /// `load`, keeping each file's text and diagnostics but not its goals
    /// (left empty): for commands that go file by file, like `okr fmt`, so a
    /// large file's goals are never held beside the work on it.
    pub fn load_without_goals(paths: &[PathBuf]) -> Result<Workspace, LoadError> {
        Workspace::load_keeping(paths, Keep::Diagnostics).map(|(workspace, _)| workspace)
    }

    fn load_keeping(
        paths: &[PathBuf],
        keep: Keep,
    ) -> Result<(Workspace, Vec<KeptLines>), LoadError> {
        let files = discover(paths)?;
        let loaded: Vec<Read> = files
            .into_par_iter()
            .enumerate()
            .map(|(id, path)| read_file_with(id, &path, keep))
            .collect::<Result<_, LoadError>>()?;
        let mut workspace = Workspace {
            scope: Scope::of(paths),
            ..Workspace::default()
        };
        let mut lines = Vec::new();
        for read in loaded {
            workspace.files.push(read.file);
            workspace.goals.push(read.goals);
            workspace.diagnostics.extend(read.diagnostics);
            if keep == Keep::Lines {
                lines.push(read.lines);
            }
        }
        Ok((workspace, lines))
    }

    /// Reads file `id` again from where it was read: another writer may have
    /// changed it since (an editor holds its lock while it re-reads).
    pub fn reload(&mut self, id: FileId) -> Result<(), LoadError> {
        let path = self.files[id].disk_path().to_path_buf();
        self.replace(id, read_file(id, &path)?);
        Ok(())
    }

    /// Puts a new reading of file `id` (from [`read_file`] or [`read_text`])
    /// in place of the old one, its diagnostics with it.
    pub fn replace(
        &mut self,
        id: FileId,
        (file, goals, diagnostics): (SourceFile, Goals, Vec<Diagnostic>),
    ) {
        self.files[id] = file;
        self.goals[id] = goals;
        self.diagnostics.retain(|diagnostic| diagnostic.file != id);
        self.diagnostics.extend(diagnostics);
    }

    /// The workspace narrowed to the files `shown` marks (see
    /// [`shown_files`]), with their diagnostics; file ids are renumbered,
    /// and the returned [`Kept`] carries other per-file lists across.
    pub fn narrow(self, shown: &[bool]) -> (Workspace, Kept) {
        let (narrowed, hidden) = self.split(shown);
        (narrowed, hidden.kept)
    }

    /// `narrow`, keeping what was left out so that [`Hidden::rejoin`] can
    /// put the whole workspace back as it was (for `okr watch`, whose
    /// workspace lives on between runs).
    pub fn split(self, shown: &[bool]) -> (Workspace, Hidden) {
        let mut next = 0;
        let kept = Kept(
            shown
                .iter()
                .map(|&keep| {
                    keep.then(|| {
                        next += 1;
                        next - 1
                    })
                })
                .collect(),
        );
        let Workspace {
            files,
            goals,
            diagnostics,
            scope,
        } = self;
        let mut narrowed = Workspace {
            scope,
            ..Workspace::default()
        };
        let mut left_out = Vec::new();
        for (old, (file, mut goals)) in files.into_iter().zip(goals).enumerate() {
            match kept.0.get(old).copied().flatten() {
                Some(id) => {
                    goals.file = id;
                    narrowed.files.push(file);
                    narrowed.goals.push(goals);
                }
                None => left_out.push((file, goals)),
            }
        }
        narrowed.diagnostics = kept.diagnostics(diagnostics.clone());
        let hidden = Hidden {
            left_out,
            diagnostics,
            kept,
        };
        (narrowed, hidden)
    }

    /// Frees the text of every file that none of `diagnostics` points at:
    /// once the checks are done, a report reads the goals, and a text only
    /// to place a diagnostic in it (a tenth of what the workspace holds).
    pub fn keep_texts_for(&mut self, diagnostics: &[Diagnostic]) {
        let mut placed = vec![false; self.files.len()];
        let places = diagnostics.iter().flat_map(|diagnostic| {
            std::iter::once(diagnostic.file).chain(diagnostic.related.iter().map(|r| r.file))
        });
        for file in places {
            if let Some(placed) = placed.get_mut(file) {
                *placed = true;
            }
        }
        for (file, placed) in self.files.iter_mut().zip(placed) {
            if !placed {
                file.text = String::new();
            }
        }
    }

    /// A workspace of in-memory texts, for tests and tools.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = (&'a str, &'a str)>) -> Workspace {
        let mut workspace = Workspace::default();
        for (id, (path, text)) in texts.into_iter().enumerate() {
            let read = read_source(
                id,
                SourceFile::new(path.into(), String::new()),
                text.as_bytes().to_vec(),
                Keep::Goals,
            );
            workspace.files.push(read.file);
            workspace.goals.push(read.goals);
            workspace.diagnostics.extend(read.diagnostics);
        }
        workspace
    }
}

/// What [`Workspace::split`] left out, to put back.
pub struct Hidden {
    /// The files left out, in their order, with their goals.
    left_out: Vec<(SourceFile, Goals)>,
    /// The whole workspace's diagnostics, as they were.
    diagnostics: Vec<Diagnostic>,
    kept: Kept,
}

impl Hidden {
    /// How the shown files' ids moved.
    pub fn kept(&self) -> &Kept {
        &self.kept
    }

    /// The whole workspace again, every file at its old id.
    pub fn rejoin(self, shown: Workspace) -> Workspace {
        let scope = shown.scope;
        let mut shown = shown.files.into_iter().zip(shown.goals);
        let mut left_out = self.left_out.into_iter();
        let mut whole = Workspace {
            scope,
            ..Workspace::default()
        };
        for (old, id) in self.kept.0.iter().enumerate() {
            let next = match id {
                Some(_) => shown.next(),
                None => left_out.next(),
            };
            if let Some((file, mut goals)) = next {
                goals.file = old;
                whole.files.push(file);
                whole.goals.push(goals);
            }
        }
        whole.diagnostics = self.diagnostics;
        whole
    }
}

/// How a narrowed workspace's files map from the whole one's: the new id
/// of each old file, `None` for one left out.
pub struct Kept(Vec<Option<FileId>>);

impl Kept {
    /// A per-file list (such as scores) with the left-out files' entries removed.
    pub fn keep<T>(&self, items: Vec<T>) -> Vec<T> {
        items
            .into_iter()
            .zip(&self.0)
            .filter_map(|(item, id)| id.map(|_| item))
            .collect()
    }

    /// The diagnostics of the kept files, pointing at their new ids;
    /// related places in left-out files are dropped.
    pub fn diagnostics(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut diagnostic| {
                diagnostic.file = (*self.0.get(diagnostic.file)?)?;
                diagnostic.related.retain_mut(|related| {
                    match self.0.get(related.file).copied().flatten() {
                        Some(id) => {
                            related.file = id;
                            true
                        }
                        None => false,
                    }
                });
                Some(diagnostic)
            })
            .collect()
    }
}

/// Which files a report or a funnel plan shows when files for several
/// periods are read: with `--period P`, those whose period overlaps P;
/// without, those whose period contains `today`, or else (none does) those
/// of the latest period that has ended, or else (every period is still to
/// come) all. A file without a period is always shown, for its diagnostics.
pub fn shown_files(goals: &[Goals], period: Option<&Period>, today: NaiveDate) -> Vec<bool> {
    fn period_of(goals: &Goals) -> Option<&Period> {
        goals.period.as_ref().map(|period| &period.value)
    }
    let periods = || goals.iter().filter_map(period_of);
    let current = periods().any(|any| any.contains(today));
    let latest_ended = periods()
        .map(|other| other.end)
        .filter(|end| *end < today)
        .max();
    let shown = |other: &Period| match period {
        Some(chosen) => chosen.overlaps(other),
        None if current => other.contains(today),
        None => latest_ended.is_none_or(|latest| other.end == latest),
    };
    goals
        .iter()
        .map(|goals| period_of(goals).is_none_or(shown))
        .collect()
}

/// Reads, parses and builds the file at `path` as file `id`: what a watcher
/// needs to re-read one changed file without reloading the workspace.
pub fn read_file(
    id: usize,
    path: &Path,
) -> Result<(SourceFile, Goals, Vec<Diagnostic>), LoadError> {
    read_file_with(id, path, Keep::Goals).map(Read::into_parts)
}

/// Parses and builds `text`, an editor's unsaved copy of the file at
/// `path`, as file `id`: what `read_file` gives for those bytes on disk.
pub fn read_text(id: usize, path: &Path, text: String) -> (SourceFile, Goals, Vec<Diagnostic>) {
    read_source(
        id,
        SourceFile::on_disk(path, String::new()),
        text.into_bytes(),
        Keep::Goals,
    )
    .into_parts()
}

/// What reading a file keeps besides its text and diagnostics.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Nothing: the goals are left empty and never held whole (`diagnostics_only`).
    Diagnostics,
    /// The goals.
    Goals,
    /// The goals and the lines pest parsed (`KeptLines`).
    Lines,
}

/// A file read: its text, goals and diagnostics, and the lines kept.
struct Read {
    file: SourceFile,
    goals: Goals,
    diagnostics: Vec<Diagnostic>,
    lines: KeptLines,
}

impl Read {
    fn into_parts(self) -> (SourceFile, Goals, Vec<Diagnostic>) {
        (self.file, self.goals, self.diagnostics)
    }
}

/// `read_file`, keeping what `keep` says.
fn read_file_with(id: usize, path: &Path, keep: Keep) -> Result<Read, LoadError> {
    use std::io::Read;
    let failed = |source| LoadError::Io {
        path: display_path(path),
        source,
    };
    let too_large = || LoadError::TooLarge {
        path: display_path(path),
    };
    let file = std::fs::File::open(path).map_err(failed)?;
    // The size is known before a byte is read: a 5 GB file is refused at
    // once, not after reading it all. A file growing meanwhile stops at the limit.
    let len = file.metadata().map_err(failed)?.len();
    if len > MAX_FILE_LEN as u64 {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(MAX_FILE_LEN));
    file.take(MAX_FILE_LEN as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if bytes.len() > MAX_FILE_LEN {
        return Err(too_large());
    }
    Ok(read_source(
        id,
        SourceFile::on_disk(path, String::new()),
        bytes,
        keep,
    ))
}

/// Parses and builds one file (`file`, its text still empty, says where it
/// is); text that is not UTF-8 is one syntax error.
fn read_source(id: usize, mut file: SourceFile, bytes: Vec<u8>, keep: Keep) -> Read {
    let empty = || Goals {
        file: id,
        ..Goals::default()
    };
    let unread = |file, diagnostic| Read {
        file,
        goals: empty(),
        diagnostics: vec![diagnostic],
        lines: KeptLines::default(),
    };
    if let Some(pointer) = crate::lfs::pointer_diagnostic(id, &bytes) {
        return unread(file, pointer);
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let mut lines = KeptLines::default();
            let (goals, diagnostics) = match keep {
                Keep::Diagnostics => (empty(), diagnostics_only(id, &text, |_| {})),
                Keep::Goals => build(id, &text, None, |_| {}),
                Keep::Lines => {
                    let mut memo = LineMemo::default();
                    let built = build(id, &text, Some(&mut memo), |_| {});
                    lines = memo.keep(&text);
                    built
                }
            };
            file.text = text;
            Read {
                file,
                goals,
                diagnostics,
                lines,
            }
        }
        Err(error) => {
            // Show no snippet: the bytes may be anything, terminal escapes included.
            let at = error.utf8_error().valid_up_to();
            let line = memchr::memchr_iter(b'\n', &error.as_bytes()[..at]).count() + 1;
            let diagnostic = Diagnostic::new(
                Code::Syntax,
                id,
                Span::new(0, 0),
                format!("this file is not valid UTF-8 text (the first invalid byte is on line {line}, at byte {at})"),
            )
            .label("not UTF-8")
            .help("save the file as UTF-8; `.okr` files are text");
            unread(file, diagnostic)
        }
    }
}

/// Parses and builds one file's text (with `memo`, copying the lines it
/// already knows): its goals and every syntax and structure error. `seen`
/// is shown each line first (the editors keep them).
pub fn build<'t>(
    id: usize,
    text: &'t str,
    memo: Option<&mut LineMemo<'t>>,
    mut seen: impl FnMut(&Line),
) -> (Goals, Vec<Diagnostic>) {
    let mut builder = Builder::new(id, text);
    let syntax_errors = syntax::parse_with(id, text, memo, |line| {
        seen(&line);
        builder.push(line);
    });
    let (goals, mut diagnostics) = builder.finish();
    diagnostics.extend(syntax_errors);
    (goals, diagnostics)
}

/// `build` without keeping the goals: every diagnostic `build` gives, in
/// the same order, holding one objective at a time rather than the file's
/// goals (each objective is dropped once the next one starts). `seen` is
/// shown each line first.
pub fn diagnostics_only(id: usize, text: &str, mut seen: impl FnMut(&Line)) -> Vec<Diagnostic> {
    let mut builder = Builder::new(id, text);
    let syntax_errors = syntax::parse(id, text, |line| {
        seen(&line);
        builder.push(line);
        builder.take_finished_objectives().for_each(drop);
    });
    let (_, mut diagnostics) = builder.finish();
    diagnostics.extend(syntax_errors);
    diagnostics
}

/// The files `paths` name: files as given, folders walked for `*.okr`
/// honouring `.gitignore`; each file once.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut found = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|source| LoadError::Io {
            path: display_path(path),
            source,
        })?;
        if metadata.is_dir() {
            walk(path, &mut found)?;
        } else if metadata.is_file() {
            found.push(path.clone());
        } else {
            // A FIFO or a device would block or never end: only files are read.
            return Err(LoadError::NotAFile {
                path: display_path(path),
            });
        }
    }
    // The same file named twice (`okr check . ./a.okr`) is read once.
    let mut seen = std::collections::HashSet::new();
    found.retain(|path| seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())));
    Ok(found)
}

/// Every `*.okr` file under `root`, honouring `.gitignore` even outside a repository.
fn walk(root: &Path, found: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let mut files = Vec::new();
    for entry in ignore::WalkBuilder::new(root).require_git(false).build() {
        let entry = entry.map_err(|source| LoadError::Walk {
            path: display_path(root),
            source,
        })?;
        let is_file = entry.file_type().is_some_and(|kind| kind.is_file());
        if is_file && entry.path().extension().is_some_and(|ext| ext == "okr") {
            files.push(entry.into_path());
        }
    }
    files.sort();
    found.extend(files);
    Ok(())
}
