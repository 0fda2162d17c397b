//! git's external diff driver (`okr git diff-driver`, set up by
//! [`super::setup`]): takes the arguments git passes, gives the semantic
//! diff of the two versions of a file, or a one-line note. Never an error
//! for git: a failing driver stops the whole `git diff`.

use super::blobs;
use super::paths::RepoPath;
use crate::diff::render::{self, DiffFormat, DiffView};
use crate::diff::{self, FileGoals, Mode};
use crate::syntax::LineMemo;
use std::ffi::{OsStr, OsString};

/// Arguments that are not what git passes: the driver run by hand.
#[derive(Debug, thiserror::Error)]
#[error("`okr git diff-driver` is run by git with PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE; set it up with `okr git setup`")]
pub struct NotFromGit;

/// What the driver prints for git's `args`: `PATH OLD-FILE OLD-HEX OLD-MODE
/// NEW-FILE NEW-HEX NEW-MODE`, two more for a rename (the new name and
/// git's similarity line), or the path alone for an unmerged file.
pub fn driver(args: &[OsString], color: bool) -> Result<String, NotFromGit> {
    let name = |arg: &OsStr| RepoPath::from_os(arg).shown().to_string();
    match args {
        [path] => Ok(format!(
            "okr: `{}` is unmerged; resolve the conflict, then diff again\n",
            name(path)
        )),
        [path, old, old_hex, _, new, new_hex, _, rest @ ..] => {
            let (old_name, new_name) = (name(path), name(rest.first().unwrap_or(path)));
            let names = Names {
                old: &old_name,
                new: &new_name,
            };
            let hexes = [old_hex, new_hex].map(|hex| hex.to_string_lossy());
            Ok(driver_text(
                &names,
                [old, new],
                [&hexes[0], &hexes[1]],
                color,
            ))
        }
        _ => Err(NotFromGit),
    }
}

/// A file's name on each side: two names for a renamed file.
struct Names<'a> {
    old: &'a str,
    new: &'a str,
}

/// The diff of the two files, or the note that says why there is none.
fn driver_text(names: &Names<'_>, files: [&OsStr; 2], hexes: [&str; 2], color: bool) -> String {
    let mut bytes: [Option<Vec<u8>>; 2] = [None, None];
    for (read, file) in bytes.iter_mut().zip(files) {
        if file == "/dev/null" {
            continue;
        }
        match std::fs::read(file) {
            Ok(file_bytes) => *read = Some(file_bytes),
            Err(error) => {
                return format!("cannot read {}: {error}", RepoPath::from_os(file).shown())
            }
        }
    }
    // The two versions share most lines: the second copies what the first parsed.
    let mut memo = LineMemo::default();
    let mut parsed: [Option<blobs::Parsed>; 2] = [None, None];
    for (index, (path, hex)) in [(names.old, hexes[0]), (names.new, hexes[1])]
        .into_iter()
        .enumerate()
    {
        let Some(file_bytes) = &bytes[index] else {
            continue;
        };
        let one = blobs::parse_with(file_bytes, &mut memo);
        if let Some(error) = &one.error {
            return format!(
                "okr: `{path}` does not parse at {} ({error}); `git diff --no-ext-diff -- {path}` shows the text\n",
                short_hex(hex)
            );
        }
        parsed[index] = Some(one);
    }
    let old_side = side(names.old, &parsed[0]);
    let new_side = side(names.new, &parsed[1]);
    let changes = diff::diff(&old_side, &new_side, Mode::Revisions);
    let (from, to) = (format!("a/{}", names.old), format!("b/{}", names.new));
    let view = DiffView {
        from: &from,
        to: &to,
        from_commit: None,
        to_commit: None,
        changes: &changes,
        periods: None,
    };
    render::diff(&view, DiffFormat::Human, color)
}

/// One file's goals as a side of the diff; none for an added or deleted file.
fn side<'a>(path: &'a str, parsed: &'a Option<blobs::Parsed>) -> Vec<FileGoals<'a>> {
    parsed
        .iter()
        .map(|parsed| FileGoals {
            path,
            goals: &parsed.goals,
        })
        .collect()
}

/// `3f2a9c1`, or `the working tree` for git's all-zero or `.` id.
fn short_hex(hex: &str) -> String {
    if hex.is_empty() || hex == "." || hex.bytes().all(|b| b == b'0') {
        "the working tree".into()
    } else {
        hex.get(..7).unwrap_or(hex).to_string()
    }
}
