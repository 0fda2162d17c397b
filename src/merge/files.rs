//! The merge of three files on disk, for git's driver and `okr
//! merge-file`: read the three, merge, write the result atomically (a
//! failure leaves the output as it was), and the notes for stderr.

use super::{merge, Merged, Side};
use crate::escape::terminal;
use std::path::Path;

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum MergeFileError {
    /// One of the three versions could not be read.
    #[error("cannot read {side} (`{path}`): {source}")]
    Read {
        /// Which version.
        side: Side,
        /// Its path, as given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The merged file could not be written.
    #[error("cannot write the merged file `{path}`: {source}")]
    Write {
        /// The output's path, as given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Reads the three versions and merges them ([`merge`]).
pub fn merge_paths(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    marker: usize,
) -> Result<Merged, MergeFileError> {
    let read = |side, path: &Path| {
        std::fs::read(path).map_err(|source| MergeFileError::Read {
            side,
            path: path.display().to_string(),
            source,
        })
    };
    let (base, ours, theirs) = (
        read(Side::Base, base)?,
        read(Side::Ours, ours)?,
        read(Side::Theirs, theirs)?,
    );
    Ok(merge(&base, &ours, &theirs, marker))
}

/// Writes the merged file at `path` in one atomic rename.
pub fn write(path: &Path, merged: &Merged) -> Result<(), MergeFileError> {
    crate::write::atomic_write(path, &merged.bytes).map_err(|source| MergeFileError::Write {
        path: path.display().to_string(),
        source,
    })
}

/// What stderr says about the merge of `name`: the fallback to a line
/// merge, and each conflict with its line, one line each (goal text
/// escaped for the terminal).
pub fn notes(name: &str, merged: &Merged) -> String {
    let name = terminal(name);
    let mut notes = String::new();
    if let Some(fallback) = &merged.fallback {
        notes.push_str(&format!(
            "okr: {name}: {}\n",
            terminal(&fallback.to_string())
        ));
    }
    for conflict in &merged.conflicts {
        notes.push_str(&format!(
            "okr: {name}:{}: conflict: {}\n",
            conflict.line,
            terminal(&conflict.reason)
        ));
    }
    notes
}
