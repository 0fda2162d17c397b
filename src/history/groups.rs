//! `okr diff A B` without holding every changed file's goals at once.
//!
//! The changed files are grouped by the team their headers name (a file
//! whose header moves it to another team joins both teams' group), and each
//! group is parsed, compared and dropped on its own, the groups in parallel.
//! Holding the goals of 1,000 changed files on both sides cost 200 MB and
//! the page faults that came with them. The teams of different groups are
//! disjoint, so merging the groups' changes by team key says exactly what
//! one comparison of everything would; the header scan is a prefilter, so
//! when it cannot name a team, or a team turns up in two groups after
//! parsing, everything is compared as one group.

use super::blobs::{header_team, parse_versions, Loaded, PairBytes, Parsed};
use super::revisions::Point;
use super::{Sides, Unparsed};
use crate::diff::{self, Change, Mode, TeamKey};
use crate::syntax::LineMemo;
use git2::Oid;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The changes between the two sides of `files`, and the files that did
/// not parse (old side first, each side in path order, as `Sides` reports).
pub(super) fn changes(
    files: &[PairBytes],
    old: &Point,
    new: &Point,
) -> (Vec<Change>, Vec<Unparsed>) {
    let compared: Vec<Compared> = by_team(files)
        .par_iter()
        .map(|group| compare(files, group, old, new))
        .collect();
    merge(compared).unwrap_or_else(|| {
        let everything: Vec<usize> = (0..files.len()).collect();
        merge(vec![compare(files, &everything, old, new)]).unwrap_or_default()
    })
}

/// One group's changes by team, and its unparsed files on each side.
struct Compared {
    teams: Vec<(TeamKey, Vec<Change>)>,
    unparsed: [Vec<Unparsed>; 2],
}

/// Indices of `files` in groups that share no team; one group of all when a
/// header does not name its team.
fn by_team(files: &[PairBytes]) -> Vec<Vec<usize>> {
    let mut sets = TeamSets::default();
    let mut first_team = Vec::with_capacity(files.len());
    for file in files {
        let teams: Option<Vec<String>> = [&file.old, &file.new]
            .into_iter()
            .flatten()
            .map(|(_, bytes)| header_team(bytes))
            .collect();
        let Some(teams) = teams.filter(|teams| !teams.is_empty()) else {
            return vec![(0..files.len()).collect()];
        };
        let ids: Vec<usize> = teams.iter().map(|team| sets.id(team)).collect();
        for pair in ids.windows(2) {
            sets.join(pair[0], pair[1]);
        }
        first_team.push(ids[0]);
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for (index, team) in first_team.into_iter().enumerate() {
        groups.entry(sets.root(team)).or_default().push(index);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort();
    groups
}

/// Teams joined into sets (union–find).
#[derive(Default)]
struct TeamSets {
    ids: HashMap<String, usize>,
    parent: Vec<usize>,
}

impl TeamSets {
    fn id(&mut self, team: &str) -> usize {
        if let Some(&id) = self.ids.get(team) {
            return id;
        }
        let id = self.parent.len();
        self.parent.push(id);
        self.ids.insert(team.to_string(), id);
        id
    }

    fn root(&mut self, mut id: usize) -> usize {
        while self.parent[id] != id {
            self.parent[id] = self.parent[self.parent[id]];
            id = self.parent[id];
        }
        id
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        self.parent[a] = b;
    }
}

/// Parses one group's files (each distinct blob once, a file's two versions
/// sharing a line memo) and compares them.
fn compare(files: &[PairBytes], group: &[usize], old: &Point, new: &Point) -> Compared {
    let mut parsed: HashMap<Oid, Arc<Parsed>> = HashMap::new();
    let mut sides = Sides::default();
    for &index in group {
        let file = &files[index];
        let versions = [&file.old, &file.new].into_iter().flatten();
        parse_versions(
            LineMemo::default(),
            versions.map(|(id, bytes)| (*id, bytes.as_slice())),
            &mut parsed,
        );
        for (side, version) in [(&mut sides.old, &file.old), (&mut sides.new, &file.new)] {
            if let Some((id, _)) = version {
                side.push(Loaded {
                    path: file.path.clone(),
                    parsed: parsed.get(id).cloned().unwrap_or_default(),
                });
            }
        }
    }
    let old_errors = sides
        .old
        .iter()
        .filter(|file| file.parsed.error.is_some())
        .count();
    let mut sides = sides.settle(old, new, true);
    let new_unparsed = sides.unparsed.split_off(old_errors);
    let (before, after) = sides.goals();
    Compared {
        teams: diff::diff_teams(&before, &after, Mode::Revisions),
        unparsed: [std::mem::take(&mut sides.unparsed), new_unparsed],
    }
}

/// The groups' results as one comparison's; `None` when a team turned up in
/// two groups (the header scan was wrong about a file).
fn merge(compared: Vec<Compared>) -> Option<(Vec<Change>, Vec<Unparsed>)> {
    let mut teams = Vec::new();
    let mut unparsed: [Vec<Unparsed>; 2] = Default::default();
    for group in compared {
        teams.extend(group.teams);
        for (side, files) in unparsed.iter_mut().zip(group.unparsed) {
            side.extend(files);
        }
    }
    let mut seen = HashSet::new();
    if !teams.iter().all(|(key, _)| seen.insert(key.clone())) {
        return None;
    }
    teams.sort_by(|a, b| a.0.cmp(&b.0));
    let changes = teams.into_iter().flat_map(|(_, changes)| changes).collect();
    let [mut old, mut new] = unparsed;
    old.sort_by(|a, b| a.path.cmp(&b.path));
    new.sort_by(|a, b| a.path.cmp(&b.path));
    old.extend(new);
    Some((changes, old))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, old: Option<&str>, new: Option<&str>) -> PairBytes {
        let side = |text: Option<&str>| {
            text.map(|text| {
                (
                    Oid::hash_object(git2::ObjectType::Blob, text.as_bytes()).unwrap(),
                    text.as_bytes().to_vec(),
                )
            })
        };
        PairBytes {
            path: path.into(),
            old: side(old),
            new: side(new),
        }
    }

    #[test]
    fn a_file_that_changes_team_joins_both_teams_groups() {
        let files = [
            file("a.okr", Some("team a\n"), Some("team a\n# edited\n")),
            file("b.okr", Some("team b\n"), None),
            file("moved.okr", Some("team a\n"), Some("team c\n")),
            file("c.okr", None, Some("period 2026-Q3\nteam c\n")),
        ];
        assert_eq!(by_team(&files), vec![vec![0, 2, 3], vec![1]]);
    }

    #[test]
    fn a_header_the_scan_cannot_read_puts_everything_in_one_group() {
        let files = [
            file("a.okr", Some("team a\n"), Some("team a\n# edited\n")),
            file(
                "b.okr",
                Some("team b\n"),
                Some("objective o \"O\"\nteam b\n"),
            ),
        ];
        assert_eq!(by_team(&files), vec![vec![0, 1]]);
    }

    #[test]
    fn a_team_in_two_groups_is_refused_so_everything_is_compared_again() {
        let key: TeamKey = (None, "a".into());
        let group = |key: &TeamKey| Compared {
            teams: vec![(key.clone(), Vec::new())],
            unparsed: Default::default(),
        };
        assert!(merge(vec![group(&key), group(&(None, "b".into()))]).is_some());
        assert!(merge(vec![group(&key), group(&key)]).is_none());
    }
}
