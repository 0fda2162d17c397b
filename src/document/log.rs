//! `okr log REFERENCE --format json` (SPEC §7), version 2: one goal's story across
//! commits, for a tool that shows how a goal moved and who moved it.

use super::diff::Change;
use serde::Serialize;

/// The story; entries are oldest first, and hold only the commits that
/// changed the goal.
#[derive(Serialize)]
pub struct LogDocument<'a> {
    /// [`super::VERSION`], as its changes are the diff's.
    pub version: u32,
    /// The goal followed, as `team/objective.kr`, `team/objective` or `team`.
    #[serde(rename = "ref")]
    pub reference: &'a str,
    /// The commits that changed it, oldest first.
    pub entries: Vec<LogEntry<'a>>,
}

/// A commit and what it changed in the goal, in the diff's change entries.
#[derive(Serialize)]
pub struct LogEntry<'a> {
    /// The commit's full id.
    pub commit: &'a str,
    /// The author date, in UTC: `2026-07-14T10:02:00Z`.
    pub date: &'a str,
    /// The author's name.
    pub author: &'a str,
    /// The first line of the commit message.
    pub summary: &'a str,
    /// What the commit changed in the goal.
    pub changes: Vec<Change<'a>>,
}
