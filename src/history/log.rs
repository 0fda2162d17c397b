//! Stage 1b, `okr log`: the commits that changed one objective or KR, oldest
//! first, each with its semantic changes — the goal's story.
//!
//! Each commit is compared with its parent, reading only the `*.okr` blobs
//! that differ; a blob whose header names another team is skipped after a
//! cheap scan (remembered between runs in `team_index`), and every blob
//! parsed is cached by id.

use super::files::{Pair, Source};
use super::paths::PathFilter;
use super::repo::{current_folder, Repo};
use super::revisions::{short, Point};
use super::team_index::TeamIndex;
use super::trees::RawTree;
use super::{revision_sides_of, HistoryError, NotAGoal, Unparsed};
use crate::diagnostic::suggest;
use crate::diff::{Change, Group, Mode};
use crate::model::goals::{Reference, ReferenceText};
use crate::model::period::Period;
use crate::syntax::atoms;
use chrono::DateTime;
use git2::Oid;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::PathBuf;

/// What `okr log` follows: a team, an objective or a KR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// The team followed.
    pub team: String,
    /// The objective followed, if any.
    pub objective: Option<String>,
    /// The KR of that objective followed, if any.
    pub kr: Option<String>,
}

impl Subject {
    /// `team/objective.kr`, `team/objective` or `team`. The team is required:
    /// outside a file there is no "this file's team".
    pub fn parse(text: &str) -> Result<Subject, HistoryError> {
        let bad = |why: NotAGoal| HistoryError::NotAGoalReference {
            text: text.to_string(),
            why,
        };
        if let (None, _, Some(_)) = atoms::split_reference(text) {
            return Err(bad(NotAGoal::NoTeam));
        }
        let reference: Reference = text.parse().map_err(|error| bad(NotAGoal::from(error)))?;
        Ok(match reference.team {
            Some(team) => Subject {
                team,
                objective: Some(reference.id),
                kr: reference.child,
            },
            None => Subject {
                team: reference.id,
                objective: None,
                kr: None,
            },
        })
    }

    /// The reference as written back: `marketing/engagement.visitors`.
    pub fn reference(&self) -> String {
        let Some(objective) = &self.objective else {
            return self.team.clone();
        };
        let reference = ReferenceText::new(&self.team, objective);
        match &self.kr {
            Some(kr) => reference.child(kr).to_string(),
            None => reference.to_string(),
        }
    }

    /// The goals of `goals` named as this subject is: teams, `team/objective`
    /// or `team/objective.kr`.
    pub fn names_in(&self, goals: &[crate::model::goals::Goals]) -> Vec<String> {
        let mut names = Vec::new();
        for file in goals {
            let Some(team) = file.team_id() else {
                continue;
            };
            if self.objective.is_none() {
                names.push(team.to_string());
                continue;
            }
            for objective in &file.objectives {
                let reference = ReferenceText::new(team, &objective.id.value);
                if self.kr.is_none() {
                    names.push(reference.to_string());
                    continue;
                }
                for kr in &objective.key_results {
                    names.push(reference.child(&kr.id.value).to_string());
                }
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// Whether a change is about this subject (a KR's log leaves out its
    /// siblings; an objective's log holds its KRs and initiatives).
    pub fn covers(&self, change: &Change) -> bool {
        if change.team != self.team {
            return false;
        }
        let Some(objective) = &self.objective else {
            return true;
        };
        if change.group != Group::Objective(objective.clone()) {
            return false;
        }
        match &self.kr {
            Some(_) => change.reference == self.reference(),
            None => true,
        }
    }
}

/// One commit of a goal's story.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The commit's full id.
    pub commit: String,
    /// The author date, in UTC: `2026-07-14T10:02:00Z`.
    pub date: String,
    /// The author's name.
    pub author: String,
    /// The first line of the commit message.
    pub summary: String,
    /// What the commit changed in the subject.
    pub changes: Vec<Change>,
}

/// A goal's story, and the files that could not be read along the way.
#[derive(Debug)]
pub struct Log {
    /// The subject as written back: `team`, `team/objective` or `team/objective.kr`.
    pub reference: String,
    /// The commits that changed it, oldest first.
    pub entries: Vec<Entry>,
    /// Files that did not parse at some commit, and were left out there.
    pub unparsed: Vec<Unparsed>,
}

/// A commit that may have changed the subject: each parent, with the
/// `*.okr` files that differ from it (one parent, or several for a merge).
struct Step {
    id: Oid,
    parents: Vec<(Oid, Vec<Pair>)>,
}

/// The story of the goal `reference` names (`team`, `team/objective` or
/// `team/objective.kr`) in the repository holding the current folder: only
/// in `paths` when some are given, and only the goals of `period` when one is.
pub fn follow(
    reference: &str,
    paths: &[PathBuf],
    period: Option<&Period>,
) -> Result<Log, HistoryError> {
    let subject = Subject::parse(reference)?;
    let cwd = current_folder()?;
    let mut repo = Repo::discover(&cwd)?;
    let filter = if paths.is_empty() {
        Default::default()
    } else {
        repo.path_filter(&cwd, paths)?
    };
    let story = log(&mut repo, &subject, &filter, period)?;
    if story.entries.is_empty() {
        // No commit changed it: fine when the working tree has it (not
        // committed yet), a mistake when nothing does.
        if let Ok(root) = repo.workdir() {
            let roots = if paths.is_empty() {
                vec![root.to_path_buf()]
            } else {
                paths.to_vec()
            };
            if let Ok(workspace) = crate::workspace::Workspace::load(&roots) {
                let names = subject.names_in(&workspace.goals);
                if !names.contains(&story.reference) {
                    let near = suggest::nearest(&story.reference, names.iter().map(String::as_str))
                        .map(String::from);
                    return Err(HistoryError::UnknownGoal {
                        subject: story.reference,
                        near,
                    });
                }
            }
        }
    }
    Ok(story)
}

/// Walks every commit reachable from HEAD, oldest first. A merge commit is
/// compared with each of its parents: its changes are those against the
/// first parent for the goals whose result differs from every parent (a
/// conflict resolved to a new value), not what a merged commit already told.
pub fn log(
    repo: &mut Repo,
    subject: &Subject,
    filter: &PathFilter,
    period: Option<&Period>,
) -> Result<Log, HistoryError> {
    if repo.is_shallow() {
        return Err(HistoryError::ShallowLog {
            subject: subject.reference(),
        });
    }
    let mut entries = Vec::new();
    let mut unparsed = Vec::new();
    for step in candidates(repo, subject, filter)? {
        let new = commit_point(step.id);
        let mut per_parent = Vec::with_capacity(step.parents.len());
        for (index, (parent, pairs)) in step.parents.iter().enumerate() {
            let sides = revision_sides_of(repo, pairs, &commit_point(*parent), &new)?;
            let changes: Vec<Change> = sides
                .changes(Mode::Revisions)
                .into_iter()
                .filter(|change| subject.covers(change))
                .filter(|change| period.is_none_or(|period| same_period(&change.period, period)))
                .collect();
            // The same file fails the same way against every parent: say it once.
            if index == 0 {
                unparsed.extend(sides.unparsed);
            }
            per_parent.push(changes);
        }
        let mut sides = per_parent.into_iter();
        let mut changes = sides.next().unwrap_or_default();
        for other in sides {
            changes.retain(|change| other.iter().any(|o| o.reference == change.reference));
        }
        if !changes.is_empty() {
            let (date, author, summary) = about(&repo.find_commit(step.id)?);
            entries.push(Entry {
                commit: step.id.to_string(),
                date,
                author,
                summary,
                changes,
            });
        }
    }
    Ok(Log {
        reference: subject.reference(),
        entries,
        unparsed,
    })
}

/// Each commit of `run` (oldest first) with the `*.okr` files it changed
/// against each parent. A commit's tree is kept to compare its child with.
fn changes_along(
    handle: &Repo,
    run: &[Oid],
    filter: &PathFilter,
) -> Result<Vec<Step>, HistoryError> {
    let mut changes = Vec::with_capacity(run.len());
    let mut last: Option<(Oid, Option<RawTree>)> = None;
    for &id in run {
        let commit = handle.find_commit(id)?;
        let mut parents: Vec<Oid> = commit.parent_ids().collect();
        if parents.is_empty() {
            parents.push(Oid::zero());
        }
        let new = handle.raw_tree(id)?;
        let mut steps = Vec::with_capacity(parents.len());
        for parent in parents {
            let read;
            let old = match &last {
                Some((seen, tree)) if *seen == parent => tree.as_deref(),
                _ => {
                    read = handle.raw_tree(parent)?;
                    read.as_deref()
                }
            };
            let pairs = handle.tree_changes(old, new.as_deref(), filter)?;
            steps.push((parent, pairs));
        }
        changes.push(Step { id, parents: steps });
        last = Some((id, new));
    }
    Ok(changes)
}

/// Each commit (oldest first) with its parents and the changed `*.okr`
/// files that may hold the subject's team; a merge only when it differs from
/// every parent in such a file. The tree diffs and the
/// header scans (every changed blob is read to learn its team) are most of a
/// log's time, so both run in parallel, each thread on its own handle of the
/// repository.
fn candidates(
    repo: &Repo,
    subject: &Subject,
    filter: &PathFilter,
) -> Result<Vec<Step>, HistoryError> {
    let git_dir = repo.git_dir().to_path_buf();
    let open = || Repo::open_again(&git_dir);
    let commits = repo.walk_oldest_first()?;
    // Contiguous runs, so that the tree a commit is read with is kept for its child.
    let run = commits
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(1);
    let commits: Vec<Vec<Step>> = commits
        .par_chunks(run)
        .map_init(open, |handle, run| {
            let handle = handle.get()?;
            changes_along(handle, run, filter)
        })
        .collect::<Result<_, HistoryError>>()?;
    let blobs: HashSet<Oid> = commits
        .iter()
        .flatten()
        .flat_map(|step| &step.parents)
        .flat_map(|(_, pairs)| pairs.iter().flat_map(|pair| [&pair.old, &pair.new]))
        .filter_map(|source| match source {
            Some(Source::Blob(id)) => Some(*id),
            _ => None,
        })
        .collect();
    // Blobs scanned by an earlier run are in the index; the others are read.
    let mut index = TeamIndex::open(repo.common_dir());
    let unknown: Vec<Oid> = blobs
        .into_iter()
        .filter(|id| index.get(id).is_none())
        .collect();
    let scanned: Vec<(Oid, Option<String>)> = unknown
        .into_par_iter()
        .map_init(open, |handle, id| {
            let handle = handle.get()?;
            Ok((id, handle.blob_team(id)?))
        })
        .collect::<Result<_, HistoryError>>()?;
    index.learn(scanned);
    index.save();
    // A file without a `team` line the scan can see is kept: parsing decides.
    let touches = |source: &Option<Source>| match source {
        Some(Source::Blob(id)) => index
            .get(id)
            .is_none_or(|team| team.as_ref().is_none_or(|team| *team == subject.team)),
        Some(Source::Disk(_)) => true,
        None => false,
    };
    Ok(commits
        .into_iter()
        .flatten()
        .filter_map(|mut step| {
            for (_, pairs) in &mut step.parents {
                pairs.retain(|pair| touches(&pair.old) || touches(&pair.new));
            }
            let differs = step.parents.iter().all(|(_, pairs)| !pairs.is_empty());
            differs.then_some(step)
        })
        .collect())
}

fn commit_point(id: Oid) -> Point {
    Point::Commit {
        label: short(id),
        id,
    }
}

fn same_period(label: &str, period: &Period) -> bool {
    Period::parse(label).is_ok_and(|p| p.same_range(period))
}

/// The author date (UTC), author name and summary line of a commit.
fn about(commit: &git2::Commit<'_>) -> (String, String, String) {
    let author = commit.author();
    let date = DateTime::from_timestamp(author.when().seconds(), 0)
        .map(|moment| moment.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default();
    let name = String::from_utf8_lossy(author.name_bytes()).into_owned();
    let summary = commit
        .summary_bytes()
        .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
        .unwrap_or_default();
    (date, name, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_need_a_team() {
        let kr = Subject::parse("marketing/engagement.visitors").unwrap();
        assert_eq!(kr.objective.as_deref(), Some("engagement"));
        assert_eq!(kr.kr.as_deref(), Some("visitors"));
        assert_eq!(kr.reference(), "marketing/engagement.visitors");
        assert_eq!(Subject::parse("marketing").unwrap().objective, None);
        assert!(Subject::parse("engagement.visitors").is_err());
        assert!(Subject::parse("Marketing/x").is_err());
        assert!(Subject::parse("a/b.").is_err());
    }
}
