//! Teams → `.okr` files: each line written from values already in the
//! language's form (titles as string literals), then laid out by `okr
//! fmt`'s formatter. A line that would still not read is traced back to
//! its row, which is left out with a problem, and the file made again.

use super::goals::Team;
use super::problem::{RowCode, RowProblem};
use super::values::string_literal;
use super::{GoalFile, ImportError};
use crate::diagnostic::Code;
use crate::edit::fmt::{format, FormatError};
use rayon::prelude::*;
use std::fmt::Write;

/// Every team's file, formatted; rows whose lines would not read are
/// left out and reported.
pub(super) fn files(teams: Vec<Team>) -> Result<(Vec<GoalFile>, Vec<RowProblem>), ImportError> {
    let made: Vec<_> = teams.into_par_iter().map(file).collect();
    let mut files = Vec::with_capacity(made.len());
    let mut problems = Vec::new();
    for result in made {
        let (file, more) = result?;
        files.push(file);
        problems.extend(more);
    }
    Ok((files, problems))
}

/// What each line of a file came from: its row, and the objective and KR.
type Origin = (usize, usize, Option<usize>);

fn file(mut team: Team) -> Result<(GoalFile, Vec<RowProblem>), ImportError> {
    let name = format!("{}-{}.okr", team.id, team.period.label);
    let mut problems = Vec::new();
    loop {
        let (text, origins) = render(&team);
        match format(&text) {
            Ok(text) => return Ok((GoalFile { name, text }, problems)),
            Err(FormatError::MeaningChanged) => return Err(ImportError::NotReadable(name)),
            Err(FormatError::Syntax(errors)) => {
                let mut bad: Vec<Origin> = errors
                    .iter()
                    .filter(|error| error.code == Code::Syntax)
                    .filter_map(|error| {
                        let line = memchr::memchr_iter(
                            b'\n',
                            &text.as_bytes()[..error.span.start().min(text.len())],
                        )
                        .count();
                        origins.get(line).copied().flatten()
                    })
                    .collect();
                if bad.is_empty() {
                    return Err(ImportError::NotReadable(name));
                }
                // By objective, then KR: walked backwards, an objective goes after its KRs.
                bad.sort_unstable_by_key(|&(_, objective, kr)| (objective, kr));
                bad.dedup();
                // Later KRs first, so the indices of the others stay.
                for &(row, objective, kr) in bad.iter().rev() {
                    problems.push(RowProblem::new(
                        RowCode::Unreadable,
                        row,
                        "",
                        "the row's values do not make a valid line of goals; it was left out",
                    ));
                    match kr {
                        Some(kr) => {
                            team.objectives[objective].key_results.remove(kr);
                        }
                        None => {
                            team.objectives.remove(objective);
                        }
                    }
                }
            }
        }
    }
}

/// The file's text, and for each line the row it came from (none for the header).
fn render(team: &Team) -> (String, Vec<Option<Origin>>) {
    let mut out = String::with_capacity(256 + team.objectives.len() * 512);
    let mut origins = Vec::new();
    let mut line = |out: &mut String, origin: Option<Origin>, text: std::fmt::Arguments<'_>| {
        let _ = out.write_fmt(text);
        out.push('\n');
        origins.push(origin);
    };
    line(&mut out, None, format_args!("# Imported by okr import"));
    line(&mut out, None, format_args!("period {}", team.period.label));
    match &team.name {
        Some(name) => line(
            &mut out,
            None,
            format_args!("team {} {}", team.id, string_literal(name)),
        ),
        None => line(&mut out, None, format_args!("team {}", team.id)),
    }
    for (o, objective) in team.objectives.iter().enumerate() {
        let at = Some((objective.row, o, None));
        line(&mut out, None, format_args!(""));
        line(
            &mut out,
            at,
            format_args!(
                "objective {} {}",
                objective.id,
                string_literal(&objective.title)
            ),
        );
        if !objective.owners.is_empty() {
            line(
                &mut out,
                at,
                format_args!("  owner {}", objective.owners.join(" ")),
            );
        }
        if let Some(kind) = objective.kind {
            line(&mut out, at, format_args!("  type {kind}"));
        }
        if !objective.aligns.is_empty() {
            line(
                &mut out,
                at,
                format_args!("  aligns {}", objective.aligns.join(", ")),
            );
        }
        for (k, kr) in objective.key_results.iter().enumerate() {
            let at = Some((kr.row, o, Some(k)));
            let baseline = kr
                .baseline
                .as_ref()
                .map(|baseline| format!(" baseline {baseline}"))
                .unwrap_or_default();
            line(
                &mut out,
                at,
                format_args!(
                    "  kr {} {} {}{baseline}",
                    kr.id,
                    string_literal(&kr.title),
                    kr.target
                ),
            );
            if !kr.owners.is_empty() {
                line(
                    &mut out,
                    at,
                    format_args!("    owner {}", kr.owners.join(" ")),
                );
            }
            if let Some(weight) = &kr.weight {
                line(&mut out, at, format_args!("    weight {weight}"));
            }
            if let Some(due) = kr.due {
                line(&mut out, at, format_args!("    due {due}"));
            }
            for (day, reading, confidence) in &kr.checkins {
                let confidence = confidence
                    .as_ref()
                    .map(|c| format!(" confidence {c}"))
                    .unwrap_or_default();
                line(
                    &mut out,
                    at,
                    format_args!("    {day} {reading}{confidence}"),
                );
            }
        }
    }
    (out, origins)
}
