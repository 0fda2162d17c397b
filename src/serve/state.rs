//! Takes each run of the watch session; gives what every page reads until
//! the next one ([`State`]): the report kept live, or (while a file does not
//! parse or cannot be read) only the diagnostics, and the generation that
//! event streams announce ([`Hub`]).

use crate::diagnostic::Code;
use crate::document::check::{DiagnosticEntry, Summary};
use crate::report::live::Live;
use crate::score::Status;
use crate::score::{roll_up, score_team, TeamScore};
use crate::watch::{Checked, Session};
use crate::workspace::{shown_files, Workspace};
use chrono::NaiveDate;
use minijinja::Value;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::path::PathBuf;
use std::sync::{Condvar, Mutex, PoisonError, RwLock};
use std::time::Duration;

/// What the pages show between two runs.
pub(super) struct State {
    /// Announced on the event stream and written in every page, so that a
    /// page made before a change reloads as soon as its stream connects.
    pub generation: String,
    /// Every diagnostic, placed (as `okr check --format json` gives them).
    pub diagnostics: Value,
    /// How many diagnostics there are of each severity.
    pub counts: Summary,
    /// The goals scored, or `None` while a file does not parse or cannot
    /// be read: numbers half-read would mislead.
    pub live: Option<Live>,
    /// Why there is no report: the roots missing, files unreadable.
    pub unreadable: Vec<String>,
    /// Each team's row of the overview, in the order files were read.
    pub rows: Vec<Row>,
    /// Every period label, in order, and those shown by default (the
    /// periods containing today, as `okr report` picks them).
    pub periods: Vec<String>,
    pub current: Vec<String>,
}

/// A team in one period, as the overview lists and filters it.
#[derive(Serialize)]
pub(super) struct Row {
    pub file: usize,
    pub id: String,
    pub name: String,
    pub period: String,
    pub score: String,
    pub fraction: String,
    /// Each objective's status, in order.
    pub statuses: Vec<&'static str>,
    /// Every owner named on the team, its objectives and KRs, without `@`.
    #[serde(skip)]
    pub owners: HashSet<String>,
}

impl State {
    /// The state before the first run: nothing read yet.
    pub(super) fn empty() -> State {
        State {
            generation: String::new(),
            diagnostics: Value::from(Vec::<Value>::new()),
            counts: Summary::default(),
            live: None,
            unreadable: vec!["the goals are being read".into()],
            rows: Vec::new(),
            periods: Vec::new(),
            current: Vec::new(),
        }
    }

    /// The file of team `id` in `period`, or (no period) in a period shown
    /// by default, else its latest.
    pub(super) fn team_file(&self, id: &str, period: Option<&str>) -> Option<usize> {
        let rows = self.rows.iter().filter(|row| row.id == id);
        if let Some(period) = period {
            return rows
                .into_iter()
                .find(|row| row.period == period)
                .map(|row| row.file);
        }
        let rows: Vec<&Row> = rows.collect();
        rows.iter()
            .find(|row| self.current.contains(&row.period))
            .or_else(|| rows.iter().max_by(|a, b| a.period.cmp(&b.period)))
            .map(|row| row.file)
    }

    /// Whether the pages show numbers.
    pub(super) fn broken(&self) -> bool {
        self.live.is_none()
    }
}

/// Runs `session` for the paths `changed` and puts its result in `state`:
/// the workspace the last state held goes back to the session first, so
/// only what changed is read again. Returns the run's status line.
pub(super) fn update(
    state: &RwLock<State>,
    session: &mut Session,
    changed: &HashSet<PathBuf>,
    serial: &mut u64,
    scored_files: &mut Scored,
) -> String {
    let started = std::time::Instant::now();
    let mut state = state.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(workspace) = state.live.take().and_then(Live::into_workspace) {
        session.give_back(workspace);
    }
    let Checked {
        workspace,
        diagnostics,
        today,
        mut summary,
    } = session.check(changed);
    *serial += 1;
    let mut unreadable: Vec<String> = summary
        .missing
        .iter()
        .map(|root| format!("`{root}` does not exist"))
        .collect();
    unreadable.extend(summary.unreadable.iter().cloned());
    let syntax = diagnostics.iter().any(|d| d.code == Code::Syntax);
    let entries = Value::from_serialize(DiagnosticEntry::all(&workspace, &diagnostics));
    let counts = Summary {
        files: summary.files,
        errors: summary.errors,
        warnings: summary.warnings,
        advice: summary.advice,
    };
    let (rows, periods, current) = rows(&workspace, today);
    let live = if syntax || !unreadable.is_empty() {
        session.give_back(workspace);
        None
    } else {
        let scores = scored_files.scores(&workspace, today);
        Some(Live::new(workspace, scores, diagnostics, today))
    };
    let rows = match &live {
        Some(live) => scored(rows, live),
        None => rows,
    };
    *state = State {
        generation: format!("{}-{serial}", std::process::id()),
        diagnostics: entries,
        counts,
        live,
        unreadable,
        rows,
        periods,
        current,
    };
    // From the lock taken to the new state in place.
    summary.elapsed = started.elapsed();
    let mut line = summary.status_line();
    if syntax {
        line.push_str("; pages show the syntax errors until they are fixed");
    }
    line
}

/// Each file's own scores (before the roll-up, which crosses files) as of
/// a day, by path, with a hash of the text they were made from: a save
/// re-scores its file only, as the session re-reads it only.
#[derive(Default)]
pub(super) struct Scored {
    day: Option<NaiveDate>,
    files: HashMap<String, (u64, Option<TeamScore>)>,
    hasher: foldhash::quality::RandomState,
}

impl Scored {
    /// Every file's scores as [`crate::report::scores`] gives them.
    fn scores(&mut self, workspace: &Workspace, today: NaiveDate) -> Vec<Option<TeamScore>> {
        if self.day != Some(today) {
            self.files.clear();
            self.day = Some(today);
        }
        let own: Vec<(u64, Option<TeamScore>)> = workspace
            .files
            .par_iter()
            .zip(&workspace.goals)
            .map(|(file, goals)| {
                let hash = self.hasher.hash_one(&file.text);
                let score = match self.files.get(&file.path) {
                    Some((known, score)) if *known == hash => score.clone(),
                    _ => score_team(goals, today),
                };
                (hash, score)
            })
            .collect();
        self.files = workspace
            .files
            .iter()
            .zip(&own)
            .map(|(file, (hash, score))| (file.path.clone(), (*hash, score.clone())))
            .collect();
        let mut scores: Vec<Option<TeamScore>> = own.into_iter().map(|(_, score)| score).collect();
        roll_up(&workspace.goals, &mut scores, today);
        scores
    }
}

/// Each team's row (scores filled in by [`scored`]), the period labels and
/// those shown by default.
fn rows(workspace: &Workspace, today: NaiveDate) -> (Vec<Row>, Vec<String>, Vec<String>) {
    let shown = shown_files(&workspace.goals, None, today);
    let mut periods = Vec::new();
    let mut current = Vec::new();
    let mut rows = Vec::new();
    for (file, goals) in workspace.goals.iter().enumerate() {
        let (Some(team), Some(period)) = (&goals.team, &goals.period) else {
            continue;
        };
        let label = period.value.label.clone();
        if !periods.contains(&label) {
            periods.push(label.clone());
        }
        if shown.get(file).copied().unwrap_or(false) && !current.contains(&label) {
            current.push(label.clone());
        }
        let mut owners: HashSet<String> = HashSet::new();
        let mut add = |list: &[crate::span::Spanned<String>]| {
            for owner in list {
                owners.insert(owner.value.trim_start_matches('@').to_lowercase());
            }
        };
        add(&goals.owners);
        for objective in &goals.objectives {
            add(&objective.owners);
            for kr in &objective.key_results {
                add(&kr.owners);
            }
        }
        rows.push(Row {
            file,
            id: team.id.value.clone(),
            name: team
                .name
                .as_ref()
                .map_or_else(|| team.id.value.clone(), |name| name.value.clone()),
            period: label,
            score: String::new(),
            fraction: String::new(),
            statuses: Vec::new(),
            owners,
        });
    }
    periods.sort();
    (rows, periods, current)
}

/// The rows with their teams' scores and objectives' statuses.
fn scored(rows: Vec<Row>, live: &Live) -> Vec<Row> {
    rows.into_iter()
        .filter_map(|mut row| {
            let score = live.scores().get(row.file)?.as_ref()?;
            row.score = crate::model::quantity::share(score.score);
            row.fraction = score.score.to_string();
            row.statuses = score
                .objectives
                .iter()
                .map(|objective| objective.status.as_str())
                .collect();
            Some(row)
        })
        .collect()
}

/// Whether `status` is a status's name (`on-track`…).
pub(super) fn is_status(status: &str) -> bool {
    Status::parse(status).is_some()
}

/// Tells event streams that a new generation is out (or that the server stops).
pub(super) struct Hub {
    inner: Mutex<(String, bool)>,
    changed: Condvar,
}

/// How often a stream with nothing to say sends a comment, which finds
/// clients that went away.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

impl Hub {
    pub(super) fn new() -> Hub {
        Hub {
            inner: Mutex::new((String::new(), false)),
            changed: Condvar::new(),
        }
    }

    /// Announces `generation` to every stream.
    pub(super) fn publish(&self, generation: &str) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        generation.clone_into(&mut inner.0);
        self.changed.notify_all();
    }

    /// Ends every stream.
    pub(super) fn stop(&self) {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
        self.changed.notify_all();
    }

    /// Waits for a generation other than `seen`: `Some(Some(new))`,
    /// `Some(None)` after [`KEEP_ALIVE`] without one, `None` once stopped.
    pub(super) fn next(&self, seen: &str) -> Option<Option<String>> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let (inner, _) = self
            .changed
            .wait_timeout_while(inner, KEEP_ALIVE, |(generation, stopped)| {
                !*stopped && generation == seen
            })
            .unwrap_or_else(PoisonError::into_inner);
        if inner.1 {
            return None;
        }
        Some((inner.0 != seen).then(|| inner.0.clone()))
    }
}
