//! Which team each blob's header names, kept between runs of `okr log`.
//!
//! To be exact, `okr log` learns the team of every blob any commit changed
//! (a team can move to another file), and inflating those blobs is most of
//! its time: on a history of 4,000 changed blobs, more than `git log -p` of
//! one file takes in all. A blob never changes, so what its header says is
//! kept under its id in `.git/okr/blob-teams-v1`, like git's own
//! commit-graph: derived, never stale, safe to delete. The name carries the
//! scan's version; a file that cannot be read or written is ignored, and the
//! blobs are scanned again.
//!
//! The format is text, one blob a line: its hex id, then a space and the
//! team, or the id alone when the header names no team.

use git2::Oid;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const FILE: &str = "okr/blob-teams-v1";
const HEADING: &str = "# okr: the team each blob's header names (safe to delete)";

pub struct TeamIndex {
    path: PathBuf,
    teams: HashMap<Oid, Option<String>>,
    learned: bool,
}

impl TeamIndex {
    /// The index of the repository whose shared git folder is `git_dir`;
    /// empty when there is none yet or it cannot be read.
    pub fn open(git_dir: &Path) -> TeamIndex {
        let path = git_dir.join(FILE);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        TeamIndex {
            path,
            teams: parse(&text),
            learned: false,
        }
    }

    /// What the index knows of a blob: `Some(None)` when its header names no team.
    pub fn get(&self, id: &Oid) -> Option<&Option<String>> {
        self.teams.get(id)
    }

    /// Adds blobs scanned in this run.
    pub fn learn(&mut self, found: impl IntoIterator<Item = (Oid, Option<String>)>) {
        for (id, team) in found {
            self.learned |= self.teams.insert(id, team).is_none();
        }
    }

    /// Writes the index back (atomically) when this run learned something.
    /// A failure only costs the next run the scans, so it is not reported.
    pub fn save(&self) {
        if !self.learned {
            return;
        }
        let mut lines: Vec<String> = self
            .teams
            .iter()
            .map(|(id, team)| match team {
                Some(team) => format!("{id} {team}"),
                None => id.to_string(),
            })
            .collect();
        lines.sort();
        let text = format!("{HEADING}\n{}\n", lines.join("\n"));
        if let Some(folder) = self.path.parent() {
            let _ = std::fs::create_dir_all(folder);
        }
        let _ = crate::write::atomic_write(&self.path, text.as_bytes());
    }
}

/// The entries of an index file; a line that does not read as one is skipped.
fn parse(text: &str) -> HashMap<Oid, Option<String>> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (id, team) = match line.split_once(' ') {
                Some((id, team)) => (id, Some(team)),
                None => (line, None),
            };
            let is_team = |team: &str| {
                !team.is_empty()
                    && team
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            };
            if id.len() != 40 || team.is_some_and(|team| !is_team(team)) {
                return None;
            }
            Some((Oid::from_str(id).ok()?, team.map(String::from)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_reads_back_what_it_wrote_and_skips_what_it_cannot_read() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (
            Oid::from_bytes(&[1; 20]).unwrap(),
            Oid::from_bytes(&[2; 20]).unwrap(),
        );
        let mut index = TeamIndex::open(dir.path());
        assert!(index.get(&a).is_none());
        index.learn([(a, Some("growth".to_string())), (b, None)]);
        index.save();
        let again = TeamIndex::open(dir.path());
        assert_eq!(again.get(&a), Some(&Some("growth".to_string())));
        assert_eq!(again.get(&b), Some(&None));

        let garbage = format!("{HEADING}\nnot an id\n{a} two words\n{a}x growth\n{b} ok\n\u{0}\n");
        std::fs::write(dir.path().join(FILE), garbage).unwrap();
        let read = TeamIndex::open(dir.path());
        assert_eq!(read.teams.len(), 1);
        assert_eq!(read.get(&b), Some(&Some("ok".to_string())));
    }

    #[test]
    fn nothing_is_written_when_nothing_was_learned() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = TeamIndex::open(dir.path());
        index.learn([]);
        index.save();
        assert!(!dir.path().join(FILE).exists());
    }
}
