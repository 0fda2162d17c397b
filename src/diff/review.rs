//! Pull-request review (SPEC §8.7): the diagnostics a change introduces and
//! those it resolves. Each side is checked exactly as `okr check` checks a
//! folder, and findings are matched by code and by the goal they are about,
//! never by line: a check-in added above a warning moves it down a line
//! without making it new.

use crate::check;
use crate::diagnostic::render::Position;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::goals::{Goals, ReferenceText};
use crate::source::SourceFile;
use crate::workspace::{Scope, Workspace};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;

/// A diagnostic as a review lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What kind of finding it is.
    pub code: Code,
    /// How serious it is.
    pub severity: Severity,
    /// The goal it is about (`team/objective.kr`, `team/objective`,
    /// `team/funnel.stage`, `team/segment`, `team`), or the file's path when
    /// the file declares no team: what findings are matched by.
    pub reference: String,
    /// The file it points into, on its side.
    pub file: String,
    /// Where it starts in that file, one-based.
    pub line: usize,
    /// What is wrong, in one sentence.
    pub message: String,
}

/// What a change did to the diagnostics.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Review {
    /// The newer side's findings the older side did not have.
    pub introduced: Vec<Finding>,
    /// The older side's findings the newer side no longer has.
    pub resolved: Vec<Finding>,
}

impl Review {
    /// How many findings of `severity` the change introduced.
    pub fn introduced_of(&self, severity: Severity) -> usize {
        self.introduced
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Reads both sides' files (`(path, text)`, old side first), each as
/// `okr check` reads a folder (`scope`), and compares their findings as of
/// `today`. Files are parsed in parallel, and a file the same on both sides
/// (most of them, in a pull request) is parsed once.
pub fn review_texts(sides: &[Vec<(String, String)>; 2], scope: Scope, today: NaiveDate) -> Review {
    let [old_texts, new_texts] = sides;
    let old: Vec<Parsed> = old_texts
        .par_iter()
        .map(|(path, text)| parse(path, text))
        .collect();
    let by_path: HashMap<&str, usize> = old_texts
        .iter()
        .enumerate()
        .map(|(index, (path, _))| (path.as_str(), index))
        .collect();
    let new: Vec<Parsed> = new_texts
        .par_iter()
        .map(|(path, text)| match by_path.get(path.as_str()) {
            Some(&index) if old_texts[index].1 == *text => old[index].clone(),
            _ => parse(path, text),
        })
        .collect();
    let (old, new) = rayon::join(
        || workspace(old_texts, old, scope),
        || workspace(new_texts, new, scope),
    );
    review(&old, &new, today)
}

/// One file's goals and parse diagnostics, as a workspace of that file
/// alone holds them.
type Parsed = (Goals, Vec<Diagnostic>);

fn parse(path: &str, text: &str) -> Parsed {
    let mut alone = Workspace::from_texts([(path, text)]);
    (alone.goals.pop().unwrap_or_default(), alone.diagnostics)
}

/// The workspace of `texts`, from their parsed goals, each file's id its
/// place in `texts` (path order, as `okr check` orders a folder).
fn workspace(texts: &[(String, String)], parsed: Vec<Parsed>, scope: Scope) -> Workspace {
    let mut workspace = Workspace {
        scope,
        ..Workspace::default()
    };
    for (id, ((path, text), (mut goals, diagnostics))) in texts.iter().zip(parsed).enumerate() {
        goals.file = id;
        workspace
            .diagnostics
            .extend(diagnostics.into_iter().map(|mut diagnostic| {
                diagnostic.file = id;
                for related in &mut diagnostic.related {
                    related.file = id;
                }
                diagnostic
            }));
        workspace
            .files
            .push(SourceFile::new(path.clone(), text.clone()));
        workspace.goals.push(goals);
    }
    workspace
}

/// Checks both sides as of `today` (`--allow` is not applied; a line's
/// `# okr:allow(CODE)` is, as in `okr check`) and compares their findings.
pub fn review(old: &Workspace, new: &Workspace, today: NaiveDate) -> Review {
    let (before, after) = rayon::join(|| findings(old, today), || findings(new, today));
    let mut review = Review {
        introduced: unmatched(&after, &before),
        resolved: unmatched(&before, &after),
    };
    // Errors first, then warnings, then advice; file order within each.
    for findings in [&mut review.introduced, &mut review.resolved] {
        findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    }
    review
}

fn findings(workspace: &Workspace, today: NaiveDate) -> Vec<Finding> {
    check::check(workspace, today, &[])
        .iter()
        .map(|diagnostic| finding(workspace, diagnostic))
        .collect()
}

fn finding(workspace: &Workspace, diagnostic: &Diagnostic) -> Finding {
    let file = &workspace.files[diagnostic.file];
    let reference = workspace
        .goals
        .get(diagnostic.file)
        .and_then(|goals| reference(goals, diagnostic.span.start()))
        .unwrap_or_else(|| file.path.clone());
    Finding {
        code: diagnostic.code,
        severity: diagnostic.severity,
        reference,
        file: file.path.clone(),
        line: Position::of(workspace, diagnostic).line,
        message: diagnostic.message.clone(),
    }
}

/// The goal whose block holds `offset`: the last objective, KR, initiative
/// (its objective), funnel, stage or segment whose statement starts at or
/// before it — statements only span their own line, and a block's lines
/// follow its statement. Before any of them, the team.
fn reference(goals: &Goals, offset: usize) -> Option<String> {
    let team = goals.team_id()?;
    let mut starts: Vec<(usize, String)> = Vec::new();
    for objective in &goals.objectives {
        let name = ReferenceText::new(team, &objective.id.value);
        starts.push((objective.span.start(), name.to_string()));
        for initiative in &objective.initiatives {
            starts.push((initiative.span.start(), name.to_string()));
        }
        for kr in &objective.key_results {
            starts.push((kr.span.start(), name.child(&kr.id.value).to_string()));
        }
    }
    for funnel in &goals.funnels {
        let name = ReferenceText::new(team, &funnel.id.value);
        starts.push((funnel.span.start(), name.to_string()));
        for stage in &funnel.stages {
            starts.push((stage.span.start(), name.child(&stage.id.value).to_string()));
        }
    }
    for segment in &goals.segments {
        let name = ReferenceText::new(team, &segment.id.value);
        starts.push((segment.span.start(), name.to_string()));
    }
    let owner = starts
        .into_iter()
        .filter(|(start, _)| *start <= offset)
        .max_by_key(|(start, _)| *start);
    Some(owner.map_or_else(|| team.to_string(), |(_, name)| name))
}

/// The findings of `side` that `other` does not have, matched by code and
/// reference as multisets: a KR that had one `checkin-order` error and now
/// has two has one introduced.
fn unmatched(side: &[Finding], other: &[Finding]) -> Vec<Finding> {
    let mut left: HashMap<(Code, &str), usize> = HashMap::new();
    for finding in other {
        *left
            .entry((finding.code, finding.reference.as_str()))
            .or_default() += 1;
    }
    side.iter()
        .filter(
            |finding| match left.get_mut(&(finding.code, finding.reference.as_str())) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    false
                }
                _ => true,
            },
        )
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "period 2026-Q3\nteam marketing\nowner @dana\n\nobjective engagement \"Grow engagement\"\n  kr visitors \"Visitors\" target 60,000 baseline 41,000\n    2026-07-14 44,100\n";

    fn of(old: &str, new: &str) -> Review {
        let today = NaiveDate::from_ymd_opt(2026, 7, 20).unwrap_or_default();
        let (old, new) = (
            Workspace::from_texts([("a.okr", old)]),
            Workspace::from_texts([("a.okr", new)]),
        );
        review(&old, &new, today)
    }

    fn names(findings: &[Finding]) -> Vec<(&str, &str)> {
        findings
            .iter()
            .map(|f| (f.code.name(), f.reference.as_str()))
            .collect()
    }

    #[test]
    fn a_finding_that_only_moved_is_neither_new_nor_resolved() {
        let moved = BASE.replace("owner @dana\n", "owner @dana\n# a comment\n\n");
        let review = of(BASE, &moved);
        assert_eq!(review, Review::default());
    }

    #[test]
    fn new_and_resolved_findings_are_named_by_goal() {
        let without_owner = BASE.replace("owner @dana\n", "");
        let review = of(BASE, &without_owner);
        assert_eq!(names(&review.introduced), [("no-owner", "marketing")]);
        assert!(review.resolved.is_empty());
        let back = of(&without_owner, BASE);
        assert_eq!(names(&back.resolved), [("no-owner", "marketing")]);
        assert_eq!(back.introduced_of(Severity::Warning), 0);
    }

    #[test]
    fn files_parsed_once_for_both_sides_review_as_a_whole_workspace_does() {
        let today = NaiveDate::from_ymd_opt(2026, 7, 20).unwrap_or_default();
        let sales = BASE.replace("team marketing", "team sales");
        let broken = "period 2026-Q3\nteam ops\nobjective\n";
        let side = |files: &[(&str, &str)]| -> Vec<(String, String)> {
            files
                .iter()
                .map(|(path, text)| (path.to_string(), text.to_string()))
                .collect()
        };
        let old = [("a.okr", BASE), ("b.okr", sales.as_str())];
        let new_marketing = BASE.replace("owner @dana\n", "");
        let new = [
            ("a.okr", new_marketing.as_str()),
            ("b.okr", sales.as_str()),
            ("c.okr", broken),
        ];
        let whole = |files: &[(&str, &str)]| Workspace {
            scope: Scope::Folder,
            ..Workspace::from_texts(files.iter().copied())
        };
        let expected = review(&whole(&old), &whole(&new), today);
        assert_eq!(
            review_texts(&[side(&old), side(&new)], Scope::Folder, today),
            expected
        );
        assert_eq!(
            names(&expected.introduced),
            [("syntax", "ops"), ("no-owner", "marketing")]
        );
    }

    #[test]
    fn findings_count_as_multisets() {
        let one = BASE.replace(
            "    2026-07-14 44,100\n",
            "    2026-07-14 44,100\n    2026-07-10 43,000\n",
        );
        let two = one.replace(
            "    2026-07-10 43,000\n",
            "    2026-07-10 43,000\n    2026-07-09 42,000\n",
        );
        let review = of(&one, &two);
        assert_eq!(
            names(&review.introduced),
            [("checkin-order", "marketing/engagement.visitors")]
        );
    }
}
