//! `okr new`: scaffold the next period's file from this one (or one per team
//! from a folder); never overwrites.

use super::{fail, write_stdout, Outcome};
use crate::diagnostic::render::{self, Style};
use crate::edit::new_period::{default_name, scaffold, NewError, Scaffold};
use crate::model::period::Period;
use crate::source::{display_path, FileId};
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The new period: `2026-Q4`, `2027-H1`, `2027` or `2027-02-01..2027-04-30`.
    period: String,
    /// The file to start from, or a folder: one new file per team in it (default: the only *.okr file in the current folder).
    #[arg(long, value_name = "FILE|FOLDER")]
    from: Option<PathBuf>,
    /// The file to write (default: beside the old one, named for the period, e.g. `marketing-2026-Q4.okr`); with a folder in --from, the folder to write into.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// One new file to write: where, and what.
struct Planned {
    output: PathBuf,
    made: Scaffold,
}

pub fn run(args: Args, color: bool) -> Outcome {
    let period = match Period::parse(args.period.trim()) {
        Ok(period) => period,
        Err(_) => {
            return fail(format!(
            "`{}` is not a period; write `2026-Q4`, `2027-H1`, `2027` or `2027-02-01..2027-04-30`",
            args.period
        ))
        }
    };
    let from = match args.from {
        Some(from) => from,
        None => match only_file() {
            Ok(from) => from,
            Err(message) => return fail(message),
        },
    };
    let from_folder = from.is_dir();
    if from_folder && args.output.as_ref().is_some_and(|output| !output.is_dir()) {
        return fail("with a folder in --from, -o names the folder to write the new files into");
    }
    let workspace = match Workspace::load(std::slice::from_ref(&from)) {
        Ok(workspace) => workspace,
        Err(error) => return fail(error),
    };
    if workspace.files.is_empty() {
        return fail(format!("no *.okr file in `{}`", display_path(&from)));
    }
    // Every file is planned, and every name checked, before any is written:
    // one refusal leaves the folder as it was.
    let mut planned: Vec<Planned> = Vec::new();
    for id in sources(&workspace) {
        let made = match plan(&workspace, id, &period, color) {
            Ok(made) => made,
            Err(outcome) => return outcome,
        };
        let file = &workspace.files[id];
        let old_label = workspace.goals[id]
            .period
            .as_ref()
            .map_or("", |p| p.value.label.as_str());
        let named = default_name(file.disk_path(), old_label, &period.label);
        let output = match (&args.output, from_folder) {
            (Some(output), false) => output.clone(),
            (Some(folder), true) => folder.join(named.file_name().unwrap_or_default()),
            (None, _) => named,
        };
        if planned.iter().any(|other| other.output == output) {
            return fail(format!(
                "two files would be written to `{}`; nothing was written (pass files one at a time with -o)",
                display_path(&output)
            ));
        }
        if output.symlink_metadata().is_ok() {
            return fail(exists(&output));
        }
        planned.push(Planned { output, made });
    }
    for Planned { output, made } in planned {
        let shown = display_path(&output);
        if let Err(error) = crate::write::create_new(&output, made.text.as_bytes()) {
            return fail(if error.kind() == std::io::ErrorKind::AlreadyExists {
                exists(&output)
            } else {
                format!("cannot write `{shown}`: {error}")
            });
        }
        let list = |ids: &[String]| {
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        };
        if let Err(outcome) = write_stdout(format!(
            "wrote {shown} for {}\ncarried over: {}\nleft behind (done): {}\n",
            period.label,
            list(&made.carried),
            list(&made.done)
        )) {
            return outcome;
        }
    }
    Outcome::Clean
}

fn exists(output: &Path) -> String {
    format!(
        "`{}` already exists; `okr new` never overwrites a file (pass `-o` to name another)",
        display_path(output)
    )
}

/// The files to start from: each team's latest file (the one whose period
/// starts last; a file without a team stands alone), in the order read.
/// Older periods of a team are history, not a start.
fn sources(workspace: &Workspace) -> Vec<FileId> {
    let mut latest: Vec<FileId> = Vec::new();
    for (id, goals) in workspace.goals.iter().enumerate() {
        let start = |id: FileId| workspace.goals[id].period.as_ref().map(|p| p.value.start);
        let team = goals.team_id();
        let same_team = latest
            .iter()
            .position(|&other| team.is_some() && workspace.goals[other].team_id() == team);
        match same_team {
            Some(at) if start(id) > start(latest[at]) => latest[at] = id,
            Some(_) => {}
            None => latest.push(id),
        }
    }
    latest
}

/// The new file from file `id`, or why not (printed).
fn plan(
    workspace: &Workspace,
    id: FileId,
    period: &Period,
    color: bool,
) -> Result<Scaffold, Outcome> {
    let file = &workspace.files[id];
    match scaffold(&file.text, period) {
        Ok(made) => Ok(made),
        Err(NewError::Syntax(_)) => {
            let own: Vec<_> = workspace
                .diagnostics
                .iter()
                .filter(|d| d.file == id)
                .cloned()
                .collect();
            eprint!(
                "{}",
                render::diagnostics(
                    workspace,
                    &own,
                    render::Format::Human,
                    Style { color, width: 100 }
                )
            );
            eprintln!("error: `{}` has syntax errors; fix them first", file.path);
            Err(Outcome::Findings)
        }
        Err(NewError::NoPeriod) => Err(fail(format!("`{}` has no `period` line", file.path))),
        Err(NewError::NotAfter(old)) => Err(fail(format!(
            "{} does not start after {old}, the period of `{}`, ends: the next period starts after this one ends",
            period.label, file.path
        ))),
        Err(NewError::Internal) => Err(fail(
            "the new file would not parse (a bug in okr new); nothing was written",
        )),
    }
}

/// The one `*.okr` file in the current folder, when there is exactly one.
fn only_file() -> Result<PathBuf, String> {
    let entries = std::fs::read_dir(".")
        .map_err(|error| format!("cannot list the current folder: {error}"))?;
    let files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "okr"))
        .collect();
    match files.as_slice() {
        [one] => Ok(one.strip_prefix(".").unwrap_or(one).to_path_buf()),
        [] => Err("no *.okr file here; name the old file with --from FILE".into()),
        _ => Err("several *.okr files here; name the old one with --from FILE".into()),
    }
}
