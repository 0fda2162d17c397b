//! Stage 3, analyses: the lints of SPEC §5 and §8.5 over a loaded workspace.
//! One file per family; each returns diagnostics as values.

mod activity;
mod confidence;
mod dates;
mod funnels;
mod ids;
mod practice;
mod references;
mod units;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::goals::Goals;
use crate::model::resolve::Index;
use crate::source::SourceFile;
use crate::workspace::{Scope, Workspace};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashSet;

/// What every check may consult.
pub struct Context<'w> {
    /// Every file's goals, by team, for references across files.
    pub index: Index<'w>,
    /// Every file's text, by file id: what a fix needs to keep the bytes
    /// it does not change (indentation, string literals as written).
    pub files: &'w [SourceFile],
    /// The day dates and staleness are judged against (`--today`).
    pub today: NaiveDate,
    /// Whether a folder was read (a team no file declares is an error) or
    /// files named one by one (it may be a file not passed).
    pub scope: Scope,
}

impl<'w> Context<'w> {
    /// The context for checking `workspace` as of `today`.
    pub fn new(workspace: &'w Workspace, today: NaiveDate) -> Self {
        Context {
            index: Index::new(&workspace.goals),
            files: &workspace.files,
            today,
            scope: workspace.scope,
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
    let broken = broken_files(workspace);
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

/// Whether a file's own lints from an earlier run still hold after the
/// files of the `touched` teams changed: none of the teams it reads
/// (`read`, from `resolve::teams_read`) was touched, and none of its lints
/// names a team no file declares (offered the nearest declared team, which
/// any file may change). What `okr watch` and `okr lsp` re-lint by.
pub fn lints_still_hold(lints: &[Diagnostic], read: &[String], touched: &HashSet<String>) -> bool {
    !read.iter().any(|team| touched.contains(team)) && !lints.iter().any(names_an_unknown_team)
}

/// Whether a lint is about a team no file declares.
fn names_an_unknown_team(diagnostic: &Diagnostic) -> bool {
    diagnostic.code == Code::UnknownTeam
        || (diagnostic.code == Code::UnresolvedRef
            && diagnostic.message.starts_with("no file declares team"))
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
    let broken = broken_files(workspace);
    diagnostics.extend(
        practice::no_key_results(context)
            .into_iter()
            .filter(|diagnostic| !broken.contains(&diagnostic.file)),
    );
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

/// The files whose lines were not all read (a syntax error): lints on a
/// half-read file mislead. A tab in the indentation is read as spaces, so
/// it alone does not make a file broken.
fn broken_files(workspace: &Workspace) -> HashSet<usize> {
    workspace
        .diagnostics
        .iter()
        .filter(|diagnostic| {
            diagnostic.code == Code::Syntax
                && !crate::syntax::errors::is_tab_in_indentation(diagnostic)
        })
        .map(|diagnostic| diagnostic.file)
        .collect()
}

fn check_file(goals: &Goals, context: &Context<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    ids::check(goals, &mut diagnostics);
    references::check(goals, context, &mut diagnostics);
    units::check(goals, context, &mut diagnostics);
    dates::check(goals, context, &mut diagnostics);
    practice::check(goals, context, &mut diagnostics);
    confidence::check(goals, context, &mut diagnostics);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 8, 15).unwrap_or_default()
    }

    /// The (line, code, severity) of every diagnostic on `texts`, as read
    /// in `scope` (but `stale-checkin`: the texts have no check-ins).
    fn found(texts: &[(&str, &str)], scope: Scope) -> Vec<(usize, Code, Severity)> {
        let mut workspace = Workspace::from_texts(texts.iter().copied());
        workspace.scope = scope;
        check(&workspace, today(), &[Code::StaleCheckin])
            .into_iter()
            .map(|d| {
                let line = workspace.files[d.file].line_index(d.span.start()) + 1;
                (line, d.code, d.severity)
            })
            .collect()
    }

    const HEAD: &str = "period 2026-Q3\nteam marketing\nowner @dana\n";

    #[test]
    fn missing_baseline_by_kind_of_target() {
        let text = format!(
            "{HEAD}objective o \"O\"\n\
             \x20 kr a \"A\" target +15%\n\
             \x20 kr b \"B\" target <= $85\n\
             \x20 kr c \"C\" target 35%\n\
             \x20 kr d \"D\" target 4,000\n\
             \x20 kr e \"E\" hold >= 95%\n\
             \x20 kr f \"F\" target <= 2% baseline unknown\n\
             \x20 kr g \"G\" target +15% over 1,000\n"
        );
        let baselines: Vec<(usize, Severity)> = found(&[("m.okr", &text)], Scope::Files)
            .into_iter()
            .filter(|(_, code, _)| *code == Code::MissingBaseline)
            .map(|(line, _, severity)| (line, severity))
            .collect();
        assert_eq!(
            baselines,
            [
                (5, Severity::Error),
                (6, Severity::Warning),
                (7, Severity::Advice)
            ]
        );
    }

    #[test]
    fn a_parent_or_a_graded_objective_needs_no_krs_of_its_own() {
        let company = "period 2026-Q3\nteam company\nowner @lee\nobjective revenue \"Revenue\"\nobjective brand \"Brand\"\nobjective old \"Old\"\n  grade 40%\n";
        let marketing =
            format!("{HEAD}objective o \"O\"\n  aligns company/revenue\n  kr a \"A\" target 5\n");
        let codes = found(
            &[("company.okr", company), ("marketing.okr", &marketing)],
            Scope::Folder,
        );
        // Only `brand`: `revenue` has a child in another file, `old` a grade.
        assert_eq!(codes, [(5, Code::NoKeyResults, Severity::Warning)]);
    }

    #[test]
    fn a_team_no_file_declares_depends_on_how_the_files_were_chosen() {
        let text =
            format!("{HEAD}objective o \"O\"\n  aligns compnay/revenue\n  kr a \"A\" target 5\n");
        let texts = [("m.okr", text.as_str())];
        assert_eq!(
            found(&texts, Scope::Files),
            [(5, Code::UnknownTeam, Severity::Warning)]
        );
        assert_eq!(
            found(&texts, Scope::Folder),
            [(5, Code::UnresolvedRef, Severity::Error)]
        );
    }

    #[test]
    fn unresolved_names_offer_the_nearest_declared_one() {
        let company = "period 2026-Q3\nteam company\nowner @lee\nobjective revenue \"Revenue\"\n  kr arr \"ARR\" target $10M\n";
        let marketing = format!(
            "{HEAD}segment smb \"SMB\" size 100\n\
             funnel inbound\n  segment smbb\n  stage visitors \"V\"\n  stage trials \"T\" conversion 5%\n\
             objective o \"O\"\n\
             \x20 aligns compnay/revenue\n\
             \x20 aligns company/revenu.ar\n\
             \x20 aligns company/profit\n\
             \x20 kr a \"A\" target 5 stage inbond.trails\n"
        );
        let mut workspace =
            Workspace::from_texts([("company.okr", company), ("marketing.okr", &marketing)]);
        workspace.scope = Scope::Folder;
        let helps: Vec<Option<String>> = check(&workspace, today(), &[])
            .into_iter()
            .filter(|d| d.code == Code::UnresolvedRef)
            .map(|d| d.help)
            .collect();
        let suggested = |text: &str| Some(format!("did you mean `{text}`?"));
        assert_eq!(
            helps,
            [
                suggested("smb"),
                suggested("company/revenue"),
                suggested("company/revenue.arr"),
                Some("check the spelling against `company`'s file".into()),
                suggested("inbound.trials"),
            ]
        );
    }

    #[test]
    fn a_tab_in_the_indentation_does_not_hide_the_other_findings() {
        let text = format!("{HEAD}objective o \"O\"\n\tkr a \"A\" target 25 baseline 20%\n");
        let codes = found(&[("m.okr", &text)], Scope::Files);
        assert_eq!(
            codes,
            [
                (5, Code::Syntax, Severity::Error),
                (5, Code::UnitMismatch, Severity::Error)
            ]
        );
    }

    #[test]
    fn no_owner_once_per_file_on_the_team_line() {
        let text = "period 2026-Q3\nteam marketing\nobjective a \"A\"\n  kr a \"A\" target 5\nobjective b \"B\"\n  kr b \"B\" target 5\n";
        let mut workspace = Workspace::from_texts([("m.okr", text)]);
        workspace.scope = Scope::Files;
        let owners: Vec<Diagnostic> = check(&workspace, today(), &[])
            .into_iter()
            .filter(|d| d.code == Code::NoOwner)
            .collect();
        assert_eq!(owners.len(), 1);
        assert_eq!(workspace.files[0].line_index(owners[0].span.start()), 1);
        assert_eq!(
            owners[0].message,
            "all 2 objectives have no owner, and the file names no team owner"
        );
        assert_eq!(owners[0].related.len(), 2);
    }

    /// `not-a-stretch` reads a met baseline as the score does: a strict
    /// target is met only by a baseline beyond it.
    #[test]
    fn a_strict_target_is_a_stretch_from_a_baseline_equal_to_it() {
        let fires = |kr: &str| {
            let text = format!("period 2026-Q3\nteam t\nowner @a\nobjective o \"O\"\n  {kr}\n");
            let workspace = Workspace::from_texts([("t.okr", text.as_str())]);
            check(&workspace, today(), &[])
                .iter()
                .any(|d| d.code == Code::NotAStretch)
        };
        assert!(!fires("kr k \"K\" target > 5 baseline 5"));
        assert!(fires("kr k \"K\" target > 5 baseline 6"));
        assert!(fires("kr k \"K\" target >= 5 baseline 5"));
        assert!(!fires("kr k \"K\" target < 5% baseline 5%"));
    }

    #[test]
    fn the_new_codes_can_be_allowed_on_their_line_and_everywhere() {
        let text = format!(
            "{HEAD}objective o \"O\"\n  type committed\n  kr a \"A\" target 5\n    2026-08-10 2 confidence 20%  # okr:allow(low-confidence)\n  initiative \"I\" due 2026-08-01\n"
        );
        let workspace = Workspace::from_texts([("m.okr", text.as_str())]);
        let codes: Vec<Code> = check(&workspace, today(), &[])
            .into_iter()
            .map(|d| d.code)
            .collect();
        assert_eq!(codes, [Code::InitiativeOverdue]);
        assert!(check(&workspace, today(), &[Code::InitiativeOverdue]).is_empty());
    }
}
