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
    pub index: Index<'w>,
    pub today: NaiveDate,
}

/// Every diagnostic of the workspace: syntax errors, then the lints, with
/// `--allow` codes and `# okr:allow(CODE)` lines filtered out, in file order.
pub fn check(workspace: &Workspace, today: NaiveDate, allowed: &[Code]) -> Vec<Diagnostic> {
    let context = Context {
        index: Index::new(&workspace.goals),
        today,
    };
    let mut diagnostics = workspace.diagnostics.clone();
    // A file with syntax errors gets those first: lints on a half-read file mislead.
    let broken: std::collections::HashSet<usize> = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::Syntax)
        .map(|diagnostic| diagnostic.file)
        .collect();
    diagnostics.par_extend(
        workspace
            .goals
            .par_iter()
            .filter(|goals| !broken.contains(&goals.file))
            .flat_map_iter(|goals| check_file(goals, &context)),
    );
    diagnostics.extend(ids::duplicate_teams(&workspace.goals));
    diagnostics.extend(references::alignment_cycles(&context));
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
