//! `okr fmt`: rewrite files in the canonical layout, or with `--check` show
//! the unified diff of what would change and exit 1.

use super::{output, say, show, write_stdout, Error, Outcome};
use crate::diagnostic::{Code, Diagnostic};
use crate::edit::fmt::{self, FileError};
use crate::source::FileId;
use crate::workspace::Workspace;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// Files or folders to format (default: every *.okr below, honouring .gitignore).
    paths: Vec<PathBuf>,
    /// Change nothing: print a unified diff of what would change and exit 1 if anything would.
    #[arg(long)]
    check: bool,
}

pub(super) fn run(args: Args, color: bool) -> Result<Outcome, Error> {
    // The goals are not kept: each file is read again as it is formatted.
    let workspace = Workspace::load_without_goals(&args.paths)?;
    let mut changed = 0;
    let mut refused = 0;
    for id in 0..workspace.files.len() {
        match format_file(&workspace, id, args.check, color) {
            Ok(true) => changed += 1,
            Ok(false) => {}
            // A file refused for what it holds is said, and the rest formatted.
            Err(error) if error.outcome() == Outcome::Findings => {
                say(&error);
                refused += 1;
            }
            Err(error) => return Err(error),
        }
    }
    Ok(if refused > 0 || (args.check && changed > 0) {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Formats file `id`: writes it, or with `check` prints its diff. True when
/// it changed (or would). A file that does not parse is left untouched, its
/// errors shown.
fn format_file(workspace: &Workspace, id: FileId, check: bool, color: bool) -> Result<bool, Error> {
    let file = &workspace.files[id];
    // A tab in the indentation alone does not stop it: the layout rewrites it.
    let syntax = |d: &Diagnostic| {
        d.file == id && d.code == Code::Syntax && !crate::syntax::errors::is_tab_in_indentation(d)
    };
    if workspace.diagnostics.iter().any(syntax) {
        show(workspace, &workspace.diagnostics, syntax, color);
        return Err(FileError::Syntax {
            path: file.path.clone(),
        }
        .into());
    }
    let Some(formatted) = fmt::formatted(file)? else {
        return Ok(false);
    };
    if check {
        let out = std::io::BufWriter::new(std::io::stdout().lock());
        output(fmt::write_diff(&file.path, &file.text, &formatted, out))?;
        return Ok(true);
    }
    if !fmt::rewrite(file, formatted)? {
        return Ok(false);
    }
    write_stdout(format!("formatted {}\n", file.path))?;
    Ok(true)
}
