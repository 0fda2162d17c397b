//! Resolution of references (`aligns`, `stage`, `segment`) across every file read.

use super::goals::{Funnel, Goals, KeyResult, Objective, Reference};
use crate::source::FileId;
use std::collections::HashMap;

/// Where a reference leads, or why it leads nowhere.
#[derive(Debug)]
pub enum Resolution<T> {
    Found(T),
    /// No file read declares the team.
    UnknownTeam(String),
    /// The team is known but has nothing by that name.
    Missing,
}

/// An objective, or one of its KRs, found through a reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GoalRef {
    pub file: FileId,
    pub objective: usize,
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

/// Looks goals up by team across the workspace.
pub struct Index<'w> {
    goals: &'w [Goals],
    by_team: HashMap<&'w str, Vec<FileId>>,
}

impl<'w> Index<'w> {
    pub fn new(goals: &'w [Goals]) -> Self {
        let mut by_team: HashMap<&str, Vec<FileId>> = HashMap::new();
        for (file, goals) in goals.iter().enumerate() {
            if let Some(team) = goals.team_id() {
                by_team.entry(team).or_default().push(file);
            }
        }
        Index { goals, by_team }
    }

    pub fn goals(&self, file: FileId) -> &'w Goals {
        &self.goals[file]
    }

    /// How many files the index covers.
    pub fn len(&self) -> usize {
        self.goals.len()
    }

    pub fn is_empty(&self) -> bool {
        self.goals.is_empty()
    }

    /// The files declaring `team`, in the order read.
    pub fn files_of(&self, team: &str) -> &[FileId] {
        self.by_team.get(team).map_or(&[], Vec::as_slice)
    }

    /// The files of `team` a reference from `from` may mean, most likely
    /// first: the same period, then overlapping periods, then the rest.
    fn candidates(&self, from: &Goals, team: Option<&str>) -> Resolution<Vec<&'w Goals>> {
        let Some(team) = team.or(from.team_id()) else {
            return Resolution::Missing;
        };
        let files = self.files_of(team);
        if files.is_empty() {
            return Resolution::UnknownTeam(team.to_string());
        }
        let period = from.period.as_ref().map(|period| &period.value);
        let rank = |goals: &Goals| match (period, &goals.period) {
            (Some(period), Some(other)) if period.same_range(&other.value) => 0,
            (Some(period), Some(other)) if period.overlaps(&other.value) => 1,
            _ => 2,
        };
        let mut candidates: Vec<&Goals> = files.iter().map(|&file| &self.goals[file]).collect();
        candidates.sort_by_key(|goals| rank(goals));
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

    /// The first of the team's files, most likely first, where `find` succeeds.
    fn first_match<T>(
        &self,
        from: &Goals,
        reference: &Reference,
        find: impl Fn(&'w Goals) -> Option<T>,
    ) -> Resolution<T> {
        match self.candidates(from, reference.team.as_deref()) {
            Resolution::Found(candidates) => candidates
                .into_iter()
                .find_map(find)
                .map_or(Resolution::Missing, Resolution::Found),
            Resolution::UnknownTeam(team) => Resolution::UnknownTeam(team),
            Resolution::Missing => Resolution::Missing,
        }
    }

    pub fn objective(&self, goal: GoalRef) -> &'w Objective {
        &self.goals[goal.file].objectives[goal.objective]
    }

    pub fn key_result(&self, goal: GoalRef) -> Option<&'w KeyResult> {
        goal.kr.map(|kr| &self.objective(goal).key_results[kr])
    }
}
