//! Resolution of references (`aligns`, `stage`, `segment`) across every file read.

use super::goals::{Funnel, Goals, KeyResult, Objective, Reference};
use crate::source::FileId;
use foldhash::HashMap;

/// Where a reference leads, or why it leads nowhere.
#[derive(Debug)]
pub enum Resolution<T> {
    /// The one thing the reference names.
    Found(T),
    /// No file read declares the team.
    UnknownTeam(String),
    /// The team is known but has nothing by that name.
    Missing,
    /// The team has files, but none for a period overlapping the referring
    /// file's: their period labels.
    OtherPeriods(Vec<String>),
    /// Several of the team's files for overlapping periods have it: those files.
    Ambiguous(Vec<FileId>),
}

/// An objective, or one of its KRs, found through a reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GoalRef {
    /// The file holding the objective.
    pub file: FileId,
    /// Index of the objective in that file's objectives.
    pub objective: usize,
    /// Index of the KR in the objective's key results, for a reference to a KR.
    pub kr: Option<usize>,
}

/// The teams whose files a lookup from `goals` may read: its own team and
/// every team its references name. Every lookup goes through
/// `Index::candidates` with one of these, so lints of `goals` cannot change
/// while the files of these teams do not (what `okr watch` relies on to
/// re-lint only what a save can affect).
pub fn teams_read(goals: &Goals) -> Vec<String> {
    let mut teams: Vec<String> = goals.team_id().map(str::to_string).into_iter().collect();
    let references = goals.objectives.iter().flat_map(|objective| {
        let aligns = objective.aligns.iter().map(|aligns| &aligns.value);
        let stages = objective
            .key_results
            .iter()
            .filter_map(|kr| kr.stage.as_ref().map(|stage| &stage.value));
        aligns.chain(stages)
    });
    for team in references.filter_map(|reference| reference.team.as_deref()) {
        if !teams.iter().any(|known| known == team) {
            teams.push(team.to_string());
        }
    }
    teams
}

/// Whether a file for `goals` may be meant from a file for `period`: their
/// periods overlap, or either has none.
fn overlaps(period: Option<&super::period::Period>, goals: &Goals) -> bool {
    match (period, &goals.period) {
        (Some(period), Some(other)) => period.overlaps(&other.value),
        _ => true,
    }
}

/// Looks goals up by team across the workspace.
pub struct Index<'w> {
    goals: &'w [Goals],
    by_team: HashMap<&'w str, Vec<FileId>>,
}

impl<'w> Index<'w> {
    /// An index of `goals` by team, for resolving references across files.
    pub fn new(goals: &'w [Goals]) -> Self {
        let mut by_team: HashMap<&str, Vec<FileId>> = HashMap::default();
        for (file, goals) in goals.iter().enumerate() {
            if let Some(team) = goals.team_id() {
                by_team.entry(team).or_default().push(file);
            }
        }
        Index { goals, by_team }
    }

    /// The goals of file `file`.
    pub fn goals(&self, file: FileId) -> &'w Goals {
        &self.goals[file]
    }

    /// How many files the index covers.
    pub fn len(&self) -> usize {
        self.goals.len()
    }

    /// Whether the index covers no file.
    pub fn is_empty(&self) -> bool {
        self.goals.is_empty()
    }

    /// Every team some file declares, sorted.
    pub fn teams(&self) -> Vec<&'w str> {
        let mut teams: Vec<&str> = self.by_team.keys().copied().collect();
        teams.sort_unstable();
        teams
    }

    /// The files a reference from `from` to `team` (`None`: `from`'s own
    /// team) looks in: the team's files whose period overlaps `from`'s.
    pub fn overlapping(&self, from: &Goals, team: Option<&str>) -> Vec<&'w Goals> {
        match self.candidates(from, team) {
            Resolution::Found(candidates) => candidates,
            _ => Vec::new(),
        }
    }

    /// The files declaring `team`, in the order read.
    pub fn files_of(&self, team: &str) -> &[FileId] {
        self.by_team.get(team).map_or(&[], Vec::as_slice)
    }

    /// The files of `team` a reference from `from` may mean: those whose
    /// period overlaps `from`'s (every one when either has no period).
    fn candidates(&self, from: &Goals, team: Option<&str>) -> Resolution<Vec<&'w Goals>> {
        let Some(team) = team.or(from.team_id()) else {
            return Resolution::Missing;
        };
        let files = self.files_of(team);
        if files.is_empty() {
            return Resolution::UnknownTeam(team.to_string());
        }
        let period = from.period.as_ref().map(|period| &period.value);
        let all = files.iter().map(|&file| &self.goals[file]);
        let candidates: Vec<&Goals> = all
            .clone()
            .filter(|goals| overlaps(period, goals))
            .collect();
        if candidates.is_empty() {
            let periods = all
                .filter_map(|goals| {
                    goals
                        .period
                        .as_ref()
                        .map(|period| period.value.label.clone())
                })
                .collect();
            return Resolution::OtherPeriods(periods);
        }
        Resolution::Found(candidates)
    }

    /// An objective (`team/objective`) or a KR (`team/objective.kr`).
    pub fn goal(&self, from: &Goals, reference: &Reference) -> Resolution<GoalRef> {
        self.first_match(from, reference, |goals| {
            let objective = goals
                .objectives
                .iter()
                .position(|objective| objective.id.value == reference.id)?;
            let kr = match &reference.child {
                None => None,
                Some(child) => Some(
                    goals.objectives[objective]
                        .key_results
                        .iter()
                        .position(|kr| &kr.id.value == child)?,
                ),
            };
            Some(GoalRef {
                file: goals.file,
                objective,
                kr,
            })
        })
    }

    /// A funnel stage (`funnel.stage`, or `team/funnel.stage`).
    /// Found: the file defining the funnel, the funnel, and the stage's index.
    pub fn stage(
        &self,
        from: &Goals,
        reference: &Reference,
    ) -> Resolution<(&'w Goals, &'w Funnel, usize)> {
        self.first_match(from, reference, |goals| {
            let funnel = goals.funnel(&reference.id)?;
            let stage = funnel.stage_index(reference.child.as_deref()?)?;
            Some((goals, funnel, stage))
        })
    }

    /// The one file among the team's candidates where `find` succeeds. When
    /// several do, the one for exactly `from`'s period wins; otherwise the
    /// reference is ambiguous.
    ///
    /// Every KR's `stage` and every `aligns` is resolved by several lints,
    /// so the common case (one match) allocates nothing; several matches
    /// take `all_matches`.
    fn first_match<T>(
        &self,
        from: &Goals,
        reference: &Reference,
        find: impl Fn(&'w Goals) -> Option<T>,
    ) -> Resolution<T> {
        let Some(team) = reference.team.as_deref().or(from.team_id()) else {
            return Resolution::Missing;
        };
        let period = from.period.as_ref().map(|period| &period.value);
        let mut overlapping = false;
        let mut found = None;
        for &file in self.files_of(team) {
            let goals = &self.goals[file];
            if !overlaps(period, goals) {
                continue;
            }
            overlapping = true;
            if let Some(value) = find(goals) {
                if found.is_some() {
                    return self.all_matches(from, reference, find);
                }
                found = Some(value);
            }
        }
        match found {
            Some(found) => Resolution::Found(found),
            None if overlapping => Resolution::Missing,
            None => self.all_matches(from, reference, find),
        }
    }

    /// `first_match` when several files match, or none overlaps: every
    /// candidate is gathered to tell which, or why none.
    fn all_matches<T>(
        &self,
        from: &Goals,
        reference: &Reference,
        find: impl Fn(&'w Goals) -> Option<T>,
    ) -> Resolution<T> {
        let candidates = match self.candidates(from, reference.team.as_deref()) {
            Resolution::Found(candidates) => candidates,
            Resolution::UnknownTeam(team) => return Resolution::UnknownTeam(team),
            Resolution::Missing => return Resolution::Missing,
            Resolution::OtherPeriods(periods) => return Resolution::OtherPeriods(periods),
            Resolution::Ambiguous(files) => return Resolution::Ambiguous(files),
        };
        let mut found: Vec<(&Goals, T)> = candidates
            .into_iter()
            .filter_map(|goals| find(goals).map(|found| (goals, found)))
            .collect();
        if found.len() > 1 {
            let period = from.period.as_ref().map(|period| &period.value);
            let same = |goals: &Goals| matches!((period, &goals.period), (Some(period), Some(other)) if period.same_range(&other.value));
            if found.iter().filter(|(goals, _)| same(goals)).count() == 1 {
                found.retain(|(goals, _)| same(goals));
            } else {
                return Resolution::Ambiguous(found.iter().map(|(goals, _)| goals.file).collect());
            }
        }
        found
            .pop()
            .map_or(Resolution::Missing, |(_, found)| Resolution::Found(found))
    }

    /// The objective `goal` points at.
    pub fn objective(&self, goal: GoalRef) -> &'w Objective {
        &self.goals[goal.file].objectives[goal.objective]
    }

    /// The KR `goal` points at, if it points at one.
    pub fn key_result(&self, goal: GoalRef) -> Option<&'w KeyResult> {
        goal.kr.map(|kr| &self.objective(goal).key_results[kr])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    const COMPANY_Q3: &str = "period 2026-Q3\nteam company\nobjective revenue \"Revenue\"\n";
    const COMPANY_Q4: &str =
        "period 2026-Q4\nteam company\nobjective revenue \"Revenue\"\nobjective brand \"Brand\"\n";

    /// Where `aligns company/ID` leads from a marketing file for `period`.
    fn resolve(period: &str, id: &str) -> Resolution<GoalRef> {
        let marketing =
            format!("period {period}\nteam marketing\nobjective o \"O\"\n  aligns company/{id}\n");
        let workspace = Workspace::from_texts([
            ("company-q3.okr", COMPANY_Q3),
            ("company-q4.okr", COMPANY_Q4),
            ("marketing.okr", marketing.as_str()),
        ]);
        let index = Index::new(&workspace.goals);
        let from = &workspace.goals[2];
        index.goal(from, &from.objectives[0].aligns[0].value)
    }

    #[test]
    fn references_read_the_file_of_an_overlapping_period() {
        // Q3 overlaps only the Q3 file: found there, although Q4 has it too.
        assert!(matches!(
            resolve("2026-Q3", "revenue"),
            Resolution::Found(GoalRef { file: 0, .. })
        ));
        // Only the Q4 file has `brand`; a Q3 file cannot see it.
        assert!(matches!(resolve("2026-Q3", "brand"), Resolution::Missing));
        // The year overlaps both quarters, and both name `revenue`.
        assert!(
            matches!(resolve("2026", "revenue"), Resolution::Ambiguous(files) if files == [0, 1])
        );
        // …but only Q4 names `brand`.
        assert!(matches!(
            resolve("2026", "brand"),
            Resolution::Found(GoalRef { file: 1, .. })
        ));
        // No company file overlaps 2027-Q1.
        assert!(
            matches!(resolve("2027-Q1", "revenue"), Resolution::OtherPeriods(periods) if periods == ["2026-Q3", "2026-Q4"])
        );
    }

    /// Several overlapping files name it: the one for exactly the referring
    /// file's period wins (the path that gathers every match); an unknown
    /// team is told apart from a missing objective.
    #[test]
    fn the_same_period_wins_and_an_unknown_team_is_named() {
        let year = "period 2026\nteam company\nobjective revenue \"Revenue\"\n";
        let marketing = "period 2026-Q3\nteam marketing\nobjective o \"O\"\n  aligns company/revenue\n  aligns sales/revenue\n";
        let workspace = Workspace::from_texts([
            ("company.okr", year),
            ("company-q3.okr", COMPANY_Q3),
            ("marketing.okr", marketing),
        ]);
        let index = Index::new(&workspace.goals);
        let from = &workspace.goals[2];
        let aligns = &from.objectives[0].aligns;
        assert!(matches!(
            index.goal(from, &aligns[0].value),
            Resolution::Found(GoalRef { file: 1, .. })
        ));
        assert!(
            matches!(index.goal(from, &aligns[1].value), Resolution::UnknownTeam(team) if team == "sales")
        );
    }
}
