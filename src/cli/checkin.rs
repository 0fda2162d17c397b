//! `okr checkin`: add one check-in line under a KR, in place, written
//! atomically; refused (file untouched) when it would make the goals wrong.

use super::{fail, load, write_stdout, Outcome, Today};
use chrono::NaiveDate;
use crate::edit::checkin::{plan, Refusal, Request};
use crate::escape::terminal_lines;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
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

pub fn run(args: Args) -> Outcome {
    let mut workspace = match load(&args.paths) {
        Ok(workspace) => workspace,
        Err(outcome) => return outcome,
    };
    let request = Request {
        reference: args.reference,
        value: args.value,
        date: args.date.unwrap_or_else(|| args.today.date()),
        confidence: args.confidence,
        note: args.note,
        by: args.by,
    };
    // Planned once to find the file (and refuse early), then again under the
    // file's lock on its text as it is now: another okr may have added a
    // line since it was read, and that line must stay.
    let file = match plan(&workspace, &request) {
        Ok(edit) => edit.file,
        Err(refusal) => return refuse(refusal),
    };
    let path = workspace.files[file].path.clone();
    let _lock = match crate::write::lock_for_edit(workspace.files[file].disk_path()) {
        Ok(lock) => lock,
        Err(error) => return fail(format!("cannot write `{path}`: {error}")),
    };
    if let Err(error) = workspace.reload(file) {
        return fail(error);
    }
    let edit = match plan(&workspace, &request) {
        Ok(edit) if edit.file == file => edit,
        Ok(_) => {
            return fail(format!(
                "`{path}` changed while the check-in was being added; nothing was written (run the command again)"
            ))
        }
        Err(refusal) => return refuse(refusal),
    };
    let disk = workspace.files[file].disk_path();
    if let Err(error) = crate::write::atomic_write(disk, edit.text.as_bytes()) {
        return fail(format!("cannot write `{path}`: {error}"));
    }
    match write_stdout(format!("{path}:{}: {}\n", edit.line_number, edit.line)) {
        Ok(()) => Outcome::Clean,
        Err(outcome) => outcome,
    }
}

/// A check-in refused: a usage error (2), or an error in the goals (1).
fn refuse(refusal: Refusal) -> Outcome {
    match refusal {
        Refusal::Usage(message) => fail(message),
        Refusal::Goals { code, message } => {
            eprintln!("error[{code}]: {}", terminal_lines(&message));
            eprintln!("nothing was written");
            Outcome::Findings
        }
    }
}
