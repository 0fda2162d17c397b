//! The workspace the server keeps: every `*.okr` under the client's folders,
//! read as `okr check` reads a folder, with the open documents' unsaved
//! texts laid over the disk (edits applied to them range by range). An edit re-reads the one file and re-lints only
//! it and the files whose references read its team, as `okr watch` does
//! (`check::lints_still_hold`); everything else comes from the last run.

use super::protocol::types::{TextDocumentContentChangeEvent, Url};
use super::protocol::{self, Encoding};
use crate::check;
use crate::diagnostic::Diagnostic;
use crate::model::resolve;
use crate::source::FileId;
use crate::workspace::{self, Scope, Workspace};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// The files, their goals and their diagnostics as of the last change.
pub(crate) struct Documents {
    /// The client's folders.
    roots: Vec<PathBuf>,
    /// `--today`; `None`: the system date at each check.
    today: Option<NaiveDate>,
    /// Every file read, by id; an open document with its unsaved text.
    pub(crate) workspace: Workspace,
    /// Each file's absolute path and URL, by id.
    pub(crate) paths: Vec<PathBuf>,
    /// Each file's URL, by id (`None` for a path no URL can name).
    pub(crate) urls: Vec<Option<Url>>,
    /// The open documents' texts, by path: they win over the disk.
    overlay: HashMap<PathBuf, String>,
    /// `resolve::teams_read` of each file: what its lints depend on.
    teams: Vec<Vec<String>>,
    /// Each file's own lints as last run, and the day they were run for.
    lints: Option<(NaiveDate, Vec<Vec<Diagnostic>>)>,
    /// Files no longer read since the last [`Documents::take_gone`].
    gone: Vec<Url>,
    /// Files re-read since their lints were made.
    dirty: HashSet<FileId>,
    /// Every diagnostic of the last check, with `check::finish`'s order.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// What changed since the last check: which files' lints must be made afresh.
pub(crate) enum Changed {
    /// These teams' files were re-read (their team before and after).
    Teams(HashSet<String>),
    /// Files came or went, or the day moved: everything is re-linted.
    Everything,
}

impl Documents {
    /// Reads every `*.okr` under `roots`; nothing is checked yet.
    pub(crate) fn new(roots: Vec<PathBuf>, today: Option<NaiveDate>) -> Documents {
        let mut documents = Documents {
            roots,
            today,
            workspace: Workspace::default(),
            paths: Vec::new(),
            urls: Vec::new(),
            overlay: HashMap::new(),
            teams: Vec::new(),
            lints: None,
            dirty: HashSet::new(),
            gone: Vec::new(),
            diagnostics: Vec::new(),
        };
        documents.reload();
        documents
    }

    /// The day checks and scores are for.
    pub(crate) fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Reads every file again, from the overlay or the disk (files came or
    /// went); a file that cannot be read is left out and logged.
    pub(crate) fn reload(&mut self) {
        // No folder (a lone file opened): only the open documents, not
        // whatever folder the server was started in.
        let discovered = if self.roots.is_empty() {
            Ok(Vec::new())
        } else {
            workspace::discover(&self.roots)
        };
        let discovered = discovered.unwrap_or_else(|error| {
            eprintln!("okr lsp: {error}");
            Vec::new()
        });
        let mut found: Vec<PathBuf> = discovered
            .into_iter()
            .filter_map(|path| std::path::absolute(path).ok())
            .collect();
        // Open documents outside the folders are checked with them.
        let known: HashSet<PathBuf> = found.iter().cloned().collect();
        let mut outside: Vec<PathBuf> = self
            .overlay
            .keys()
            .filter(|path| !known.contains(*path))
            .cloned()
            .collect();
        outside.sort();
        found.extend(outside);
        // Each file read as its place in `found`; one that cannot be read is
        // dropped and the rest read again, so ids stay in step.
        let read = loop {
            let read: Vec<_> = found
                .par_iter()
                .enumerate()
                .map(|(id, path)| self.read(id, path))
                .collect();
            if read.iter().all(Option::is_some) {
                break read;
            }
            let mut kept = read.iter().map(Option::is_some);
            found.retain(|_| kept.next().unwrap_or(false));
        };
        // Read as `okr check` reads a folder, or the files named one by one.
        let scope = if self.roots.is_empty() {
            Scope::Files
        } else {
            Scope::Folder
        };
        let mut workspace = Workspace {
            scope,
            ..Workspace::default()
        };
        let mut teams = Vec::with_capacity(found.len());
        for (file, goals, diagnostics) in read.into_iter().flatten() {
            teams.push(resolve::teams_read(&goals));
            workspace.files.push(file);
            workspace.goals.push(goals);
            workspace.diagnostics.extend(diagnostics);
        }
        let paths = found;
        let urls: Vec<Option<Url>> = paths.iter().map(|path| protocol::url(path)).collect();
        let kept: HashSet<&Url> = urls.iter().flatten().collect();
        self.gone.extend(
            self.urls
                .iter()
                .flatten()
                .filter(|url| !kept.contains(url))
                .cloned(),
        );
        self.urls = urls;
        self.workspace = workspace;
        self.paths = paths;
        self.teams = teams;
        self.lints = None;
        self.dirty.clear();
    }

    /// The URLs of the files dropped by reloads since the last call.
    pub(crate) fn take_gone(&mut self) -> Vec<Url> {
        std::mem::take(&mut self.gone)
    }

    /// Adds and removes client folders, and reads the files again.
    pub(crate) fn change_roots(
        &mut self,
        added: impl Iterator<Item = PathBuf>,
        removed: impl Iterator<Item = PathBuf>,
    ) {
        let removed: Vec<PathBuf> = removed.collect();
        self.roots.retain(|root| !removed.contains(root));
        self.roots.extend(added);
        self.reload();
    }

    /// One file's text, goals and syntax errors as file `id`: the open
    /// document's text, else the disk's; `None` when it cannot be read.
    fn read(
        &self,
        id: FileId,
        path: &PathBuf,
    ) -> Option<(
        crate::source::SourceFile,
        crate::model::goals::Goals,
        Vec<Diagnostic>,
    )> {
        if let Some(text) = self.overlay.get(path) {
            return Some(workspace::read_text(id, path, text.clone()));
        }
        match workspace::read_file(id, path) {
            Ok(read) => Some(read),
            Err(error) => {
                eprintln!("okr lsp: {error}");
                None
            }
        }
    }

    /// The id of the file at `url`, if it is read.
    pub(crate) fn id(&self, url: &Url) -> Option<FileId> {
        let path = protocol::path(url)?;
        self.paths.iter().position(|known| *known == path)
    }

    /// Lays `text` over the file at `url` (opened or edited): the file is
    /// read again from it. What must be re-linted comes back.
    pub(crate) fn set_text(&mut self, url: &Url, text: String) -> Changed {
        let Some(path) = protocol::path(url) else {
            return Changed::Teams(HashSet::new());
        };
        self.overlay.insert(path.clone(), text);
        self.refresh(&path)
    }

    /// Applies an open document's changes, in order (each a range
    /// replaced, or the whole text), then reads the file again from it.
    pub(crate) fn edit(
        &mut self,
        url: &Url,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Changed {
        let Some(path) = protocol::path(url) else {
            return Changed::Teams(HashSet::new());
        };
        // A change to a document never opened (a client's mistake) starts
        // from the text read, rather than being lost.
        let read = || {
            let id = self.paths.iter().position(|known| *known == path)?;
            eprintln!("okr lsp: a change to `{url}`, which is not open");
            Some(self.workspace.files[id].text.clone())
        };
        let Some(mut text) = self.overlay.remove(&path).or_else(read) else {
            eprintln!("okr lsp: a change to `{url}`, which is not read; ignored");
            return Changed::Teams(HashSet::new());
        };
        for change in changes {
            text = match change.range {
                Some(range) => protocol::replace(text, range, &change.text, encoding),
                None => change.text,
            };
        }
        self.overlay.insert(path.clone(), text);
        self.refresh(&path)
    }

    /// Drops the overlay of the file at `url` (closed): the disk's text
    /// counts again, or the file is gone if the disk has none.
    pub(crate) fn close(&mut self, url: &Url) -> Changed {
        let Some(path) = protocol::path(url) else {
            return Changed::Teams(HashSet::new());
        };
        self.overlay.remove(&path);
        self.refresh(&path)
    }

    /// Reads the file at `path` again (from the overlay or the disk); files
    /// that appear or disappear renumber the workspace: read again whole.
    pub(crate) fn refresh(&mut self, path: &PathBuf) -> Changed {
        let Some(id) = self.paths.iter().position(|known| known == path) else {
            self.reload();
            return Changed::Everything;
        };
        let exists = self.overlay.contains_key(path) || path.is_file();
        let Some((file, goals, diagnostics)) = exists.then(|| self.read(id, path)).flatten() else {
            self.reload();
            return Changed::Everything;
        };
        let mut touched = HashSet::new();
        touched.extend(self.workspace.goals[id].team_id().map(str::to_string));
        touched.extend(goals.team_id().map(str::to_string));
        self.teams[id] = resolve::teams_read(&goals);
        self.workspace.replace(id, (file, goals, diagnostics));
        self.dirty.insert(id);
        Changed::Teams(touched)
    }

    /// Checks the workspace: the files `changed` can affect are linted
    /// again, the others keep their lints; then the lints across files, as
    /// `okr check` runs them. Gives the ids of the files whose diagnostics
    /// changed.
    pub(crate) fn check(&mut self, changed: &Changed) -> Vec<FileId> {
        let today = self.today();
        let context = check::Context::new(&self.workspace, today);
        let previous = match (&self.lints, changed) {
            (Some((day, lints)), Changed::Teams(touched)) if *day == today => {
                Some((lints, touched))
            }
            _ => None,
        };
        let known = |file: usize| {
            let (lints, touched) = previous?;
            let own = lints.get(file)?;
            let fresh = !self.dirty.contains(&file)
                && check::lints_still_hold(own, &self.teams[file], touched);
            fresh.then(|| own.clone())
        };
        let lints = check::lint_files(&self.workspace, &context, known);
        let diagnostics = check::finish(
            &self.workspace,
            &context,
            lints.iter().flatten().cloned(),
            &[],
        );
        drop(context);
        let changed_files = changed_files(&self.diagnostics, &diagnostics, self.paths.len());
        self.lints = Some((today, lints));
        self.dirty.clear();
        self.diagnostics = diagnostics;
        changed_files
    }

    /// The diagnostics of file `id`, in order.
    pub(crate) fn diagnostics_of(&self, id: FileId) -> impl Iterator<Item = &Diagnostic> {
        let start = self.diagnostics.partition_point(|d| d.file < id);
        self.diagnostics[start..]
            .iter()
            .take_while(move |d| d.file == id)
    }
}

/// The files whose diagnostics differ between `before` and `after` (both
/// sorted by file), among `files` files.
fn changed_files(before: &[Diagnostic], after: &[Diagnostic], files: usize) -> Vec<FileId> {
    let of = |all: &[Diagnostic], id: FileId| {
        let start = all.partition_point(|d| d.file < id);
        let end = all.partition_point(|d| d.file <= id);
        (start, end)
    };
    (0..files)
        .filter(|&id| {
            let (a, b) = (of(before, id), of(after, id));
            before[a.0..a.1] != after[b.0..b.1]
        })
        .collect()
}
