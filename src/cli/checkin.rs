//! `okr checkin`: add one check-in line under a KR, in place, written
//! atomically; refused (file untouched) when it would make the goals wrong.

use super::{write_stdout, Error, Outcome, Today};
use crate::edit::checkin::{add, Request};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// The KR: `team/objective.kr`, or `objective.kr` when only one file has it.
    reference: String,
    /// The reading, in the target's unit: `52,000`, `38%`, `$1.2M`; `done` or `pending` for a milestone.
    #[arg(allow_hyphen_values = true)]
    value: String,
    /// The check-in's date (default: today).
    #[arg(long, value_name = "DATE", value_parser = super::parse_today)]
    date: Option<NaiveDate>,
    /// How sure you are of reaching the target, e.g. `70%`.
    #[arg(long, value_name = "PERCENT")]
    confidence: Option<String>,
    /// A note, e.g. "Webinar series launched" (quotes and backslashes are escaped for you).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// Who checked in, e.g. `@sam`.
    #[arg(long, value_name = "HANDLE")]
    by: Option<String>,
    /// Files or folders to look for the KR in (default: every *.okr below, honouring .gitignore).
    #[arg(long = "in", value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    today: Today,
}

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    let mut workspace = Workspace::load(&args.paths)?;
    let request = Request {
        reference: args.reference,
        value: args.value,
        date: args.date.unwrap_or_else(|| args.today.date()),
        confidence: args.confidence,
        note: args.note,
        by: args.by,
    };
    let edit = add(&mut workspace, &request)?;
    let path = &workspace.files[edit.file].path;
    write_stdout(format!("{path}:{}: {}\n", edit.line_number, edit.line))?;
    Ok(Outcome::Clean)
}
