//! A report kept in memory between changes (`okr serve`): the goals and
//! their scores, the templates' context made once per change when a page
//! first needs it, and each page rendered from them on request, with the
//! same templates and values as `okr report --format html`.

use super::build;
use super::context::{periods, team_value, template_context, Shared};
use super::render::ReportError;
use crate::diagnostic::Diagnostic;
use crate::score::TeamScore;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use minijinja::Value;
use std::io::Write;
use std::sync::{Arc, OnceLock};

/// The report of a workspace, scored, ready to render any of its pages.
pub struct Live {
    shared: Arc<Shared>,
    /// The templates' context (`docs/templates.md`), which holds `shared`:
    /// its charts' index, alignment tree and funnel plans cover the whole
    /// organisation, made by the first page that needs them, not by every
    /// change.
    context: OnceLock<Value>,
    diagnostics: Vec<Diagnostic>,
}

impl Live {
    /// The report of `workspace` with its `scores` as of `today` (as
    /// [`super::scores`] gives them) and `okr check`'s `diagnostics`.
    pub fn new(
        workspace: Workspace,
        scores: Vec<Option<TeamScore>>,
        diagnostics: Vec<Diagnostic>,
        today: NaiveDate,
    ) -> Live {
        let shared = Arc::new(Shared {
            workspace,
            scores,
            today,
        });
        Live {
            shared,
            context: OnceLock::new(),
            diagnostics,
        }
    }

    /// The goals read.
    pub fn workspace(&self) -> &Workspace {
        &self.shared.workspace
    }

    /// Each file's scores, by file id (none for a file without a team or period).
    pub fn scores(&self) -> &[Option<TeamScore>] {
        &self.shared.scores
    }

    /// The day the goals are scored for.
    pub fn today(&self) -> NaiveDate {
        self.shared.today
    }

    /// The context `report.html.j2` renders, to merge a page's own values
    /// into; made on the first call (which the others wait for).
    pub fn context(&self) -> &Value {
        self.context
            .get_or_init(|| template_context(&self.shared, &self.diagnostics).0)
    }

    /// The context's `periods` alone (for pages that show no team), without
    /// making the rest.
    pub fn periods(&self) -> Value {
        Value::from_serialize(periods(&self.shared.workspace, self.shared.today))
    }

    /// File `file`'s team as an entry of `report.teams`.
    pub fn team(&self, file: usize) -> Option<Value> {
        team_value(&self.shared, file)
    }

    /// The JSON report (`okr report --format json`) of the files `shown`
    /// marks, into `out`.
    pub fn write_json(&self, shown: &[bool], out: &mut dyn Write) -> Result<(), ReportError> {
        let scores: Vec<Option<TeamScore>> = self
            .shared
            .scores
            .iter()
            .zip(shown)
            .map(|(score, &shown)| score.clone().filter(|_| shown))
            .collect();
        let diagnostics: Vec<Diagnostic> = self
            .diagnostics
            .iter()
            .filter(|d| shown.get(d.file).copied().unwrap_or(false))
            .cloned()
            .collect();
        let report = build::json(
            &self.shared.workspace,
            &scores,
            &diagnostics,
            self.shared.today,
        );
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        Ok(())
    }

    /// The workspace back, once no page holds the report (none while one
    /// does, which the caller's lock rules out: the files are then read anew).
    pub fn into_workspace(self) -> Option<Workspace> {
        drop(self.context);
        Arc::try_unwrap(self.shared)
            .ok()
            .map(|shared| shared.workspace)
    }
}
