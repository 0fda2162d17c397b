//! A report kept in memory between changes (`okr serve`): the goals and
//! their scores, from which each page makes the templates' values it
//! shows (one team's, not the organisation's), with the same templates and
//! values as `okr report --format html`.

use super::context::{periods, team_context, team_value, Shared};
use super::json;
use super::render::ReportError;
use crate::diagnostic::Diagnostic;
use crate::score::TeamScore;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use minijinja::Value;
use std::io::Write;
use std::sync::Arc;

/// The report of a workspace, scored, ready to render any of its pages.
pub struct Live {
    shared: Arc<Shared>,
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

    /// What team `file`'s section reads besides `team` (`charts`,
    /// `aligned_to`, `funnel_plans`, as `docs/templates.md` describes them),
    /// made for that team only.
    pub fn team_context(&self, file: usize) -> Value {
        team_context(&self.shared, file)
    }

    /// The context's `periods`: each period read and how far into it the day is.
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
        json::write(
            &self.shared.workspace,
            &scores,
            &diagnostics,
            self.shared.today,
            out,
        )?;
        Ok(())
    }

    /// The workspace back, once no page holds the report (none while one
    /// does, which the caller's lock rules out: the files are then read anew).
    pub fn into_workspace(self) -> Option<Workspace> {
        Arc::try_unwrap(self.shared)
            .ok()
            .map(|shared| shared.workspace)
    }
}
