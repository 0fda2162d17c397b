//! Takes the roots, the report to keep and the day; gives a [`Session`] that
//! keeps each file's parsed goals and lints between runs and re-checks only
//! what a change can affect, and the [`RunSummary`] of each run.

use super::absolute;
use crate::check;
use crate::diagnostic::render::{self, Style};
use crate::diagnostic::Diagnostic;
use crate::model::goals::Goals;
use crate::model::resolve;
use crate::report::{self, templates::Templates};
use crate::source::{display_path, SourceFile};
use crate::workspace::{self, Workspace};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// The report to keep up to date.
pub struct ReportTarget {
    /// The file `--output` names.
    pub path: PathBuf,
    /// Markdown or HTML.
    pub format: report::render::Format,
    /// The templates it is rendered with (built-in or `--templates`).
    pub templates: Templates,
    /// `--period`: the files the report shows (by default, the periods
    /// containing today).
    pub period: Option<crate::model::period::Period>,
}

/// One file as last read, and what told us it was unchanged since.
struct Loaded {
    stamp: Stamp,
    file: SourceFile,
    goals: Goals,
    diagnostics: Vec<Diagnostic>,
    /// `resolve::teams_read` of the goals: what the file's lints depend on.
    teams: Vec<String>,
    lints: Option<Lints>,
}

/// A file of one run: where it was found, its stamp, and the teams its lints read.
struct Key {
    path: PathBuf,
    stamp: Stamp,
    teams: Vec<String>,
}

/// A file's own lints as last run, and the day they were run for.
struct Lints {
    today: NaiveDate,
    diagnostics: Vec<Diagnostic>,
}

/// Size, modification time and inode: an editor's save changes at least one.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let metadata = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            inode: metadata.ino(),
        })
    }
}

/// What became of the report in a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportStatus {
    /// No `--output`: no report is kept.
    NotAsked,
    /// Rendered and written to this file.
    Written(PathBuf),
    /// Not rendered: a file has syntax errors; the last good report stays.
    KeptForSyntaxErrors,
    /// Not rendered: a path could not be read (or a root is missing), so the
    /// report would lack its goals; the last good report stays.
    KeptForUnreadable,
    /// Rendering or writing failed, with why.
    Failed(String),
}

/// What one run found.
pub struct RunSummary {
    /// Goals files found under the roots.
    pub files: usize,
    /// Files read and parsed in this run (the rest came from the cache).
    pub reread: usize,
    /// Files whose own lints came from the cache, not run again.
    pub lints_reused: usize,
    /// Error diagnostics found.
    pub errors: usize,
    /// Warning diagnostics found.
    pub warnings: usize,
    /// Advice diagnostics found.
    pub advice: usize,
    /// Roots that do not exist (yet, or any more).
    pub missing: Vec<String>,
    /// Files found but not readable (removed mid-save, say), with why.
    pub unreadable: Vec<String>,
    /// What became of the report.
    pub report: ReportStatus,
    /// The diagnostics, rendered for people.
    pub output: String,
    /// From the start of the run to the report written.
    pub elapsed: Duration,
}

impl RunSummary {
    /// The one status line a run prints: `[time] …`.
    pub fn status_line(&self) -> String {
        let time = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
        let mut line = format!(
            "[{time}] {} file{} ({} re-read): {} error{}, {} warning{}, {} advice",
            self.files,
            plural(self.files),
            self.reread,
            self.errors,
            plural(self.errors),
            self.warnings,
            plural(self.warnings),
            self.advice
        );
        for root in &self.missing {
            line.push_str(&format!("; waiting for `{root}`"));
        }
        for why in &self.unreadable {
            line.push_str(&format!("; {why}"));
        }
        match &self.report {
            ReportStatus::NotAsked => {}
            ReportStatus::Written(path) => {
                line.push_str(&format!("; report updated: {}", display_path(path)));
            }
            ReportStatus::KeptForSyntaxErrors => {
                line.push_str("; report not updated until the syntax errors are fixed");
            }
            ReportStatus::KeptForUnreadable => {
                line.push_str("; report not updated while goals cannot be read");
            }
            ReportStatus::Failed(why) => line.push_str(&format!("; report failed: {why}")),
        }
        line.push_str(&format!(" ({} ms)", self.elapsed.as_millis()));
        line
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// The watched workspace, kept between runs.
pub struct Session {
    roots: Vec<PathBuf>,
    cache: HashMap<PathBuf, Loaded>,
    report: Option<ReportTarget>,
    /// `--today`; `None` is the system date at each run.
    today: Option<NaiveDate>,
    style: Style,
    /// What putting a lent workspace back into the cache needs.
    lent: Option<Lent>,
}

/// A checked workspace lent out by [`Session::check`], its diagnostics, the
/// day it was checked for and the run's summary (its report `NotAsked`).
pub struct Checked {
    /// Every file found, read or from the cache.
    pub workspace: Workspace,
    /// Every diagnostic, as `okr check` finds them.
    pub diagnostics: Vec<Diagnostic>,
    /// The day the goals were checked for.
    pub today: NaiveDate,
    /// What the run found.
    pub summary: RunSummary,
}

/// The cache keys and lints of the workspace lent out.
struct Lent {
    keys: Vec<Key>,
    lints: Vec<Vec<Diagnostic>>,
    today: NaiveDate,
}

impl Session {
    /// A session over `roots` (the current folder when none), with nothing read yet.
    pub fn new(
        roots: Vec<PathBuf>,
        report: Option<ReportTarget>,
        today: Option<NaiveDate>,
        style: Style,
    ) -> Session {
        let roots = if roots.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            roots
        };
        Session {
            roots,
            cache: HashMap::new(),
            report,
            today,
            style,
            lent: None,
        }
    }

    /// The report file, which events must not trigger runs for.
    pub fn report_path(&self) -> Option<&Path> {
        self.report.as_ref().map(|target| target.path.as_path())
    }

    /// The roots watched, as given.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Checks the workspace, re-reading the files in `changed` (absolute
    /// paths) and those whose stamp moved; renders the report if asked.
    pub fn run(&mut self, changed: &HashSet<PathBuf>) -> RunSummary {
        let started = Instant::now();
        let Checked {
            mut workspace,
            diagnostics,
            today,
            mut summary,
        } = self.check(changed);
        summary.output =
            render::diagnostics(&workspace, &diagnostics, render::Format::Human, self.style);
        summary.report = if summary.missing.is_empty() && summary.unreadable.is_empty() {
            self.render_report(&mut workspace, &diagnostics, today)
        } else if self.report.is_some() {
            ReportStatus::KeptForUnreadable
        } else {
            ReportStatus::NotAsked
        };
        self.give_back(workspace);
        summary.elapsed = started.elapsed();
        summary
    }

    /// Checks the workspace as [`Session::run`] does, without the report,
    /// and lends it out (`okr serve` renders pages from it): the next run
    /// re-reads only what changed once it is handed back with
    /// [`Session::give_back`]; if it is not, every file is read again.
    pub fn check(&mut self, changed: &HashSet<PathBuf>) -> Checked {
        let started = Instant::now();
        let Loading {
            workspace,
            keys,
            reread,
            missing,
            unreadable,
            lints,
            touched,
        } = self.load(changed);
        let today = self
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let context = check::Context::new(&workspace, today);
        // A file's lints still hold when nothing they read has changed.
        let reused = AtomicUsize::new(0);
        let known = |file: usize| {
            let (lints, touched) = (lints[file].as_ref()?, touched.as_ref()?);
            let read = &keys[file].teams;
            let unaffected =
                lints.today == today && check::lints_still_hold(&lints.diagnostics, read, touched);
            unaffected.then(|| {
                reused.fetch_add(1, Ordering::Relaxed);
                lints.diagnostics.clone()
            })
        };
        let lints = check::lint_files(&workspace, &context, known);
        let diagnostics = check::finish(&workspace, &context, lints.iter().flatten().cloned(), &[]);
        drop(context);
        let counts = render::Summary::of(&workspace, &diagnostics);
        self.lent = Some(Lent { keys, lints, today });
        Checked {
            workspace,
            diagnostics,
            today,
            summary: RunSummary {
                files: counts.files,
                reread,
                lints_reused: reused.into_inner(),
                errors: counts.errors,
                warnings: counts.warnings,
                advice: counts.advice,
                missing,
                unreadable,
                report: ReportStatus::NotAsked,
                output: String::new(),
                elapsed: started.elapsed(),
            },
        }
    }

    /// Takes back the workspace [`Session::check`] lent, whole (as it was
    /// lent: a narrowed one must be rejoined first), for the next run to
    /// re-read only what changed.
    pub fn give_back(&mut self, workspace: Workspace) {
        if let Some(Lent { keys, lints, today }) = self.lent.take() {
            self.keep(workspace, keys, lints, today);
        }
    }

    /// The workspace from the cache, re-reading what changed; files are
    /// numbered afresh in the order `okr check` would read them.
    fn load(&mut self, changed: &HashSet<PathBuf>) -> Loading {
        let (present, missing): (Vec<PathBuf>, Vec<PathBuf>) =
            self.roots.iter().cloned().partition(|root| root.exists());
        let missing: Vec<String> = missing.iter().map(|root| display_path(root)).collect();
        let mut unreadable = Vec::new();
        let found = match workspace::discover(&present) {
            Ok(found) => found,
            Err(error) => {
                // A folder renamed mid-walk: this run sees nothing; the next event retries.
                unreadable.push(error.to_string());
                Vec::new()
            }
        };
        let mut workspace = Workspace {
            scope: workspace::Scope::of(&self.roots),
            ..Workspace::default()
        };
        let mut keys = Vec::with_capacity(found.len());
        let mut lints = Vec::with_capacity(found.len());
        let mut reread = 0;
        // The teams of the files re-read, before and after; `None` when files
        // came or went, which may change any lookup.
        let mut touched = Some(HashSet::new());
        let known_files = self.cache.len();
        // First what the cache still holds, then the rest read in parallel.
        let mut entries = Vec::with_capacity(found.len());
        for path in found {
            let stamp = Stamp::of(&path);
            let cached = self.cache.remove(&path);
            let was_cached = cached.is_some();
            let (fresh, stale) = match cached {
                Some(loaded)
                    if Some(loaded.stamp) == stamp
                        && (changed.is_empty() || !changed.contains(&absolute(&path))) =>
                {
                    (Some(loaded), None)
                }
                other => (None, other),
            };
            if let Some(teams) = &mut touched {
                if !was_cached {
                    touched = None;
                } else if let Some(team) = stale.as_ref().and_then(|s| s.goals.team_id()) {
                    teams.insert(team.to_string());
                }
            }
            entries.push((path, stamp, fresh));
        }
        let read: Vec<_> = entries
            .par_iter()
            .map(|(path, _, fresh)| fresh.is_none().then(|| workspace::read_file(0, path)))
            .collect();
        for ((path, stamp, fresh), read) in entries.into_iter().zip(read) {
            let mut loaded = match (fresh, stamp, read) {
                (Some(loaded), _, _) => loaded,
                (None, Some(stamp), Some(Ok((file, goals, diagnostics)))) => {
                    reread += 1;
                    if let (Some(teams), Some(team)) = (&mut touched, goals.team_id()) {
                        teams.insert(team.to_string());
                    }
                    Loaded {
                        stamp,
                        file,
                        teams: resolve::teams_read(&goals),
                        goals,
                        diagnostics,
                        lints: None,
                    }
                }
                (None, _, Some(Err(error))) => {
                    unreadable.push(error.to_string());
                    continue;
                }
                (None, _, _) => continue,
            };
            let id = workspace.files.len();
            keys.push(Key {
                path,
                stamp: loaded.stamp,
                teams: std::mem::take(&mut loaded.teams),
            });
            lints.push(push_renumbered(&mut workspace, loaded, id));
        }
        // Whatever was not found this time (deleted, renamed) is forgotten.
        if !self.cache.is_empty() || workspace.files.len() != known_files {
            touched = None;
        }
        self.cache.clear();
        Loading {
            workspace,
            keys,
            reread,
            missing,
            unreadable,
            lints,
            touched,
        }
    }

    /// Puts the files and their lints back into the cache for the next run.
    fn keep(
        &mut self,
        workspace: Workspace,
        keys: Vec<Key>,
        lints: Vec<Vec<Diagnostic>>,
        today: NaiveDate,
    ) {
        let mut diagnostics: HashMap<usize, Vec<Diagnostic>> = HashMap::new();
        for diagnostic in workspace.diagnostics {
            diagnostics
                .entry(diagnostic.file)
                .or_default()
                .push(diagnostic);
        }
        let parts = workspace.files.into_iter().zip(workspace.goals).zip(keys);
        for (id, (((file, goals), key), lints)) in parts.zip(lints).enumerate() {
            let lints = Lints {
                today,
                diagnostics: lints,
            };
            self.cache.insert(
                key.path,
                Loaded {
                    stamp: key.stamp,
                    file,
                    goals,
                    teams: key.teams,
                    diagnostics: diagnostics.remove(&id).unwrap_or_default(),
                    lints: Some(lints),
                },
            );
        }
    }

    fn render_report(
        &self,
        workspace: &mut Workspace,
        diagnostics: &[Diagnostic],
        today: NaiveDate,
    ) -> ReportStatus {
        let Some(target) = &self.report else {
            return ReportStatus::NotAsked;
        };
        if diagnostics
            .iter()
            .any(|d| d.code == crate::diagnostic::Code::Syntax)
        {
            return ReportStatus::KeptForSyntaxErrors;
        }
        // Scored whole, shown narrowed, then put back whole for the next run.
        let scores = report::scores(workspace, today);
        let shown = crate::workspace::shown_files(&workspace.goals, target.period.as_ref(), today);
        let (mut narrowed, hidden) = std::mem::take(workspace).split(&shown);
        let kept = hidden.kept();
        let written = report::render::render_file(
            &target.path,
            &mut narrowed,
            kept.keep(scores),
            &kept.diagnostics(diagnostics.to_vec()),
            today,
            target.format,
            Some(&target.templates),
        );
        *workspace = hidden.rejoin(narrowed);
        match written {
            Ok(_) => ReportStatus::Written(target.path.clone()),
            Err(why) => ReportStatus::Failed(why.to_string()),
        }
    }
}

/// The workspace of one run, and what the run reports about reading it.
struct Loading {
    workspace: Workspace,
    /// Each file's cache key, stamp and teams read, by file id.
    keys: Vec<Key>,
    reread: usize,
    missing: Vec<String>,
    unreadable: Vec<String>,
    /// Each file's lints from the last run, by file id (valid only with `touched`).
    lints: Vec<Option<Lints>>,
    /// The teams whose files were re-read; `None`: re-lint every file.
    touched: Option<HashSet<String>>,
}

/// Adds one file's parts to the workspace as file `id`; hands back its lints.
fn push_renumbered(workspace: &mut Workspace, loaded: Loaded, id: usize) -> Option<Lints> {
    let Loaded {
        file,
        mut goals,
        diagnostics,
        lints,
        ..
    } = loaded;
    goals.file = id;
    workspace.files.push(file);
    workspace.goals.push(goals);
    workspace.diagnostics.extend(
        diagnostics
            .into_iter()
            .map(|diagnostic| renumbered(diagnostic, id)),
    );
    // Lints are reused only when the files are those of the last run, in the
    // same order, so their ids are unchanged.
    lints
}

/// A diagnostic of file `id` (its related notes may point elsewhere).
fn renumbered(mut diagnostic: Diagnostic, id: usize) -> Diagnostic {
    let old = diagnostic.file;
    diagnostic.file = id;
    for related in &mut diagnostic.related {
        if related.file == old {
            related.file = id;
        }
    }
    diagnostic
}
