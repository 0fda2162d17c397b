//! The JSON report (SPEC §6), its teams serialized on every thread a batch
//! at a time and written in order: on one thread, serializing the teams
//! was most of `okr report --format json` (the check-ins of 2,000 teams are
//! 163 MB of text). The bytes are those of `serde_json`'s pretty printer
//! writing the whole document: each team is printed by it at the depth it
//! has in the document, and the list around them is laid out as it lays
//! one out.

use super::build;
use super::render::ReportError;
use crate::diagnostic::Diagnostic;
use crate::document::check::DiagnosticEntry;
use crate::document::report::ReportDocument;
use crate::document::VERSION;
use crate::score::TeamScore;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::io::Write;

/// Teams serialized together before any is written: enough to keep every
/// thread busy, few enough that their text (about 80 KB a team at 2,000
/// teams) stays small beside the goals (32 cost 4 MB more peak memory
/// than 8, for no more speed on two cores).
const BATCH: usize = 8;

/// Stands for the teams in the document printed without them, to be
/// replaced by their list. A NUL cannot be in a date or the version (the
/// fields before the teams), so the first place it is printed is this one.
const TEAMS_HERE: &str = "\u{0}okr: the teams go here\u{0}";

/// Writes the JSON report of `workspace` scored `scores`, with `okr
/// check`'s `diagnostics`, into `out`, with a final newline. Files without
/// scores, a team or a period are left out.
pub(super) fn write(
    workspace: &Workspace,
    scores: &[Option<TeamScore>],
    diagnostics: &[Diagnostic],
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let around = serde_json::to_vec_pretty(&ReportDocument {
        version: VERSION,
        today: today.to_string(),
        teams: TEAMS_HERE,
        diagnostics: DiagnosticEntry::all(workspace, diagnostics),
    })?;
    let marker = serde_json::to_vec(TEAMS_HERE)?;
    let at = memchr::memmem::find(&around, &marker).ok_or_else(misprinted)?;
    out.write_all(&around[..at])?;
    write_teams(workspace, scores, out)?;
    out.write_all(&around[at + marker.len()..])?;
    writeln!(out)?;
    Ok(())
}

/// The list of teams, as the pretty printer lays out a list that is the
/// value of a key of the document: `[]` when empty, else each entry on its
/// own line, indented two levels, the closing bracket on a line indented one.
fn write_teams(
    workspace: &Workspace,
    scores: &[Option<TeamScore>],
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let files: Vec<usize> = (0..workspace.goals.len())
        .filter(|&file| scores.get(file).is_some_and(Option::is_some))
        .collect();
    out.write_all(b"[")?;
    let mut first = true;
    for batch in files.chunks(BATCH) {
        let printed: Vec<Option<Vec<u8>>> = batch
            .par_iter()
            .map(|&file| team_at_depth_two(workspace, scores, file))
            .collect::<Result<_, _>>()?;
        for team in printed.iter().flatten() {
            out.write_all(if first { b"\n    " } else { b",\n    " })?;
            out.write_all(&team[OPEN.len()..team.len() - CLOSE.len()])?;
            first = false;
        }
    }
    out.write_all(if first { b"]" } else { b"\n  ]" })?;
    Ok(())
}

/// How a team printed inside two lists starts and ends: the brackets and
/// indentation cut off to leave it as printed two levels deep.
const OPEN: &[u8] = b"[\n  [\n    ";
const CLOSE: &[u8] = b"\n  ]\n]";

/// File `file`'s team printed as the pretty printer prints it two levels
/// deep (an entry of the document's list of teams): printed inside two
/// lists, between [`OPEN`] and [`CLOSE`] (checked here, cut off when
/// written). None for a file without scores, a team or a period.
fn team_at_depth_two(
    workspace: &Workspace,
    scores: &[Option<TeamScore>],
    file: usize,
) -> Result<Option<Vec<u8>>, ReportError> {
    let (Some(goals), Some(Some(score))) = (workspace.goals.get(file), scores.get(file)) else {
        return Ok(None);
    };
    let Some(team) = build::json_team(workspace, goals, score) else {
        return Ok(None);
    };
    let nested = serde_json::to_vec_pretty(&[[team]])?;
    if nested.len() < OPEN.len() + CLOSE.len()
        || !nested.starts_with(OPEN)
        || !nested.ends_with(CLOSE)
    {
        return Err(misprinted());
    }
    Ok(Some(nested))
}

/// The pretty printer printed something else than it does (a bug in okr).
fn misprinted() -> ReportError {
    ReportError::Output(std::io::Error::other(
        "the JSON report's teams could not be put in place",
    ))
}
