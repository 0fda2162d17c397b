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

use crate::syntax::atoms;
use git2::Oid;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

const FILE: &str = "okr/blob-teams-v1";
const HEADING: &str = "# okr: the team each blob's header names (safe to delete)";
/// An index this large is not okr's: about 50 bytes a blob.
const MAX_BYTES: u64 = 256 << 20;

pub(super) struct TeamIndex {
    path: PathBuf,
    teams: HashMap<Oid, Option<String>>,
    learned: bool,
}

impl TeamIndex {
    /// The index of the repository whose shared git folder is `git_dir`;
    /// empty when there is none yet or it cannot be read.
    pub(super) fn open(git_dir: &Path) -> TeamIndex {
        let path = git_dir.join(FILE);
        let readable = is_real_folder(path.parent())
            && std::fs::symlink_metadata(&path)
                .is_ok_and(|file| file.is_file() && file.len() <= MAX_BYTES);
        let text = if readable {
            std::fs::read_to_string(&path).unwrap_or_default()
        } else {
            String::new()
        };
        TeamIndex {
            path,
            teams: parse(&text),
            learned: false,
        }
    }

    /// What the index knows of a blob: `Some(None)` when its header names no team.
    pub(super) fn get(&self, id: &Oid) -> Option<&Option<String>> {
        self.teams.get(id)
    }

    /// Adds blobs scanned in this run.
    pub(super) fn learn(&mut self, found: impl IntoIterator<Item = (Oid, Option<String>)>) {
        for (id, team) in found {
            self.learned |= self.teams.insert(id, team).is_none();
        }
    }

    /// Writes the index back (atomically) when this run learned something.
    /// A failure only costs the next run the scans, so it is not reported.
    pub(super) fn save(&self) {
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
        let Some(folder) = self.path.parent() else {
            return;
        };
        if !is_real_folder(Some(folder)) && std::fs::create_dir(folder).is_err() {
            return;
        }
        // A new file renamed over the old one: a link or a pipe planted at
        // the index's name is replaced, never followed.
        let write = || -> std::io::Result<()> {
            let mut file = tempfile::NamedTempFile::new_in(folder)?;
            file.write_all(text.as_bytes())?;
            file.persist(&self.path)?;
            Ok(())
        };
        let _ = write();
    }
}

/// Whether `folder` is a folder itself, not a link to one elsewhere.
fn is_real_folder(folder: Option<&Path>) -> bool {
    folder.is_some_and(|folder| std::fs::symlink_metadata(folder).is_ok_and(|meta| meta.is_dir()))
}

/// The entries of an index file: none unless it starts with the heading;
/// a line that does not read as an entry, or is cut short (no line end), is
/// skipped.
fn parse(text: &str) -> HashMap<Oid, Option<String>> {
    let Some(entries) = text
        .strip_prefix(HEADING)
        .and_then(|rest| rest.strip_prefix('\n'))
    else {
        return HashMap::new();
    };
    entries
        .split_inclusive('\n')
        .filter_map(|line| line.strip_suffix('\n'))
        .filter_map(|line| {
            let (id, team) = match line.split_once(' ') {
                Some((id, team)) => (id, Some(team)),
                None => (line, None),
            };
            // What `header_team` can have written.
            let is_team = |team: &str| {
                !team.is_empty() && atoms::loose_identifier_len(team.as_bytes()) == team.len()
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

        let garbage =
            format!("{HEADING}\nnot an id\n{a} two words\n{a}x growth\n{b} ok\n\u{0}\n{a} cut");
        std::fs::write(dir.path().join(FILE), garbage).unwrap();
        let read = TeamIndex::open(dir.path());
        assert_eq!(read.teams.len(), 1, "a line without its end is not read");
        assert_eq!(read.get(&b), Some(&Some("ok".to_string())));

        std::fs::write(dir.path().join(FILE), format!("{b} ok\n")).unwrap();
        assert!(TeamIndex::open(dir.path()).teams.is_empty(), "no heading");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_index_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, format!("{HEADING}\n{} elsewhere\n", Oid::zero())).unwrap();
        std::fs::create_dir(dir.path().join("okr")).unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join(FILE)).unwrap();
        let mut index = TeamIndex::open(dir.path());
        assert!(index.get(&Oid::zero()).is_none(), "a link is not read");
        index.learn([(Oid::from_bytes(&[3; 20]).unwrap(), None)]);
        index.save();
        assert!(std::fs::read_to_string(&victim)
            .unwrap()
            .contains("elsewhere"));
        let written = std::fs::symlink_metadata(dir.path().join(FILE)).unwrap();
        assert!(written.is_file());
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
