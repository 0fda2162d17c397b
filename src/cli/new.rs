//! `okr new`: scaffold the next period's file from this one (or one per team
//! from a folder); never overwrites.

use super::{show, write_stdout, Error, Outcome};
use crate::edit::new_period::{only_file, plan_files, Destination, NewFileError};
use crate::model::period::Period;
use crate::source::display_path;
use crate::workspace::Workspace;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// The new period: `2026-Q4`, `2027-H1`, `2027` or `2027-02-01..2027-04-30`.
    period: String,
    /// The file to start from, or a folder: one new file per team in it (default: the only *.okr file in the current folder).
    #[arg(long, value_name = "FILE|FOLDER")]
    from: Option<PathBuf>,
    /// The file to write (default: beside the old one, named for the period, e.g. `marketing-2026-Q4.okr`); with a folder in --from, the folder to write into.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(super) fn run(args: Args, color: bool) -> Result<Outcome, Error> {
    let period = Period::parse(args.period.trim()).map_err(|_| NewFileError::NotAPeriod {
        text: args.period.clone(),
    })?;
    let from = match args.from {
        Some(from) => from,
        None => only_file()?,
    };
    let destination = Destination::of(&from, args.output)?;
    let workspace = Workspace::load(std::slice::from_ref(&from))?;
    let planned = plan_files(&workspace, &from, &destination, &period).inspect_err(|error| {
        if let NewFileError::Syntax { file, .. } = error {
            show(
                &workspace,
                &workspace.diagnostics,
                |d| d.file == *file,
                color,
            );
        }
    })?;
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    };
    for planned in planned {
        planned.write()?;
        let left_behind: Vec<String> = planned
            .made
            .done
            .iter()
            .chain(&planned.made.done_krs)
            .cloned()
            .collect();
        write_stdout(format!(
            "wrote {} for {}\ncarried over: {}\nleft behind (done): {}\n",
            display_path(&planned.output),
            period.label,
            list(&planned.made.carried),
            list(&left_behind)
        ))?;
    }
    Ok(Outcome::Clean)
}
