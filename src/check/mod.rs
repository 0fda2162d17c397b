//! Stage 3, analyses: the lints of SPEC §5 over a loaded workspace.
//! One file per family; each returns diagnostics as values.

mod dates;
mod funnels;
mod ids;
mod practice;
mod references;
mod units;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::goals::Goals;
use crate::model::resolve::Index;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use rayon::prelude::*;

/// What every check may consult.
pub struct Context<'w> {
    /// Every file's goals, by team, for references across files.
    pub index: Index<'w>,
    /// The day dates and staleness are judged against (`--today`).
    pub today: NaiveDate,
}

impl<'w> Context<'w> {
    /// The context for checking `workspace` as of `today`.
    pub fn new(workspace: &'w Workspace, today: NaiveDate) -> Self {
        Context {
            index: Index::new(&workspace.goals),
            today,
        }
    }
}

/// Every diagnostic of the workspace: syntax errors, then the lints, with
/// `--allow` codes and `# okr:allow(CODE)` lines filtered out, in file order.
pub fn check(workspace: &Workspace, today: NaiveDate, allowed: &[Code]) -> Vec<Diagnostic> {
    let context = Context::new(workspace, today);
    let lints = lint_files(workspace, &context, |_| None);
    finish(workspace, &context, lints.into_iter().flatten(), allowed)
}

/// Each file's own lints, by file id, taken from `known` where it has them
/// (a watcher keeps them between runs) and computed for the others. A file
/// with syntax errors gets none: lints on a half-read file mislead.
pub fn lint_files(
    workspace: &Workspace,
    context: &Context<'_>,
    known: impl Fn(usize) -> Option<Vec<Diagnostic>> + Sync,
) -> Vec<Vec<Diagnostic>> {
    let broken: std::collections::HashSet<usize> = workspace
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::Syntax)
        .map(|diagnostic| diagnostic.file)
        .collect();
    workspace
        .goals
        .par_iter()
        .enumerate()
        .map(|(file, goals)| {
            if broken.contains(&file) {
                return Vec::new();
            }
            known(file).unwrap_or_else(|| check_file(goals, context))
        })
        .collect()
}

/// The syntax errors, the files' `lints` and the lints across files, with
/// `--allow` codes and `# okr:allow(CODE)` lines filtered out, in file order.
pub fn finish(
    workspace: &Workspace,
    context: &Context<'_>,
    lints: impl Iterator<Item = Diagnostic>,
    allowed: &[Code],
) -> Vec<Diagnostic> {
    let mut diagnostics = workspace.diagnostics.clone();
    diagnostics.extend(lints);
    diagnostics.extend(ids::duplicate_teams(&workspace.goals));
    diagnostics.extend(references::alignment_cycles(context));
    diagnostics.retain(|diagnostic| {
        !allowed.contains(&diagnostic.code) && !allowed_on_line(workspace, diagnostic)
    });
    diagnostics.sort_by(|a, b| {
        (a.file, a.span.start(), a.code, &a.message).cmp(&(
            b.file,
            b.span.start(),
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup();
    diagnostics
}

fn check_file(goals: &Goals, context: &Context<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    ids::check(goals, &mut diagnostics);
    references::check(goals, context, &mut diagnostics);
    units::check(goals, &mut diagnostics);
    dates::check(goals, context, &mut diagnostics);
    practice::check(goals, &mut diagnostics);
    funnels::check(goals, context, &mut diagnostics);
    diagnostics
}

/// Whether a `# okr:allow(CODE)` comment on the diagnostic's line silences it.
fn allowed_on_line(workspace: &Workspace, diagnostic: &Diagnostic) -> bool {
    let Some(goals) = workspace.goals.get(diagnostic.file) else {
        return false;
    };
    if goals.allows.is_empty() {
        return false;
    }
    let line = workspace.files[diagnostic.file].line_index(diagnostic.span.start());
    goals
        .allows
        .iter()
        .any(|(allowed_line, codes)| *allowed_line == line && codes.contains(&diagnostic.code))
}
