//! `okr checkin`: add one check-in line under a KR, in place, written
//! atomically; refused (file untouched) when it would make the goals wrong.
//! `--from FILE.csv` adds a metrics export's rows, all or nothing.

use super::{write_stdout, Error, Outcome, Today};
use crate::edit::checkin::{add, Request};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// The KR: `team/objective.kr`, or `objective.kr` when only one file has it.
    #[arg(required_unless_present = "from")]
    reference: Option<String>,
    /// The reading, in the target's unit: `52,000`, `38%`, `$1.2M`; `done` or `pending` for a milestone.
    #[arg(allow_hyphen_values = true, required_unless_present = "from")]
    value: Option<String>,
    /// Check in every row of a CSV (or XLSX) file: columns kr (or metric), date, value, and optionally note, confidence, by. All or nothing.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["reference", "value", "date", "confidence", "note", "by"])]
    from: Option<PathBuf>,
    /// With --from: a mapping file naming the columns and mapping metric names to KRs (docs/import.md).
    #[arg(long, value_name = "MAP.toml", requires = "from")]
    map: Option<PathBuf>,
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
    if let Some(from) = &args.from {
        return from_file(&mut workspace, from, args.map.as_deref(), args.today.date());
    }
    let request = Request {
        reference: args.reference.unwrap_or_default(),
        value: args.value.unwrap_or_default(),
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

/// `--from FILE`: every row's check-in, or none (the refused rows listed).
fn from_file(
    workspace: &mut Workspace,
    from: &std::path::Path,
    map: Option<&std::path::Path>,
    today: NaiveDate,
) -> Result<Outcome, Error> {
    use crate::import::checkins::{add_all, refusals, requests, BulkError, DEFAULT_MAPPING};
    use crate::import::{load_mapping, read_table, Failure};
    let table = read_table(from, None)?;
    let mapping = load_mapping(map, None, DEFAULT_MAPPING)?;
    let shown = from.display().to_string();
    let (rows, mut problems) = requests(&table, &mapping, today);
    let refused = |problems: &[crate::import::RowProblem]| {
        let text: String = problems.iter().map(|p| p.render(&shown)).collect();
        eprint!("{text}");
    };
    if !problems.is_empty() {
        // Every refused row is listed, the ones that read as well.
        problems.extend(refusals(workspace, &rows));
        problems.sort_by_key(|problem| problem.row);
        refused(&problems);
        return Err(Failure::Bulk(BulkError::Refused(problems)).into());
    }
    let added = match add_all(workspace, &rows) {
        Err(BulkError::Refused(problems)) => {
            refused(&problems);
            return Err(Failure::Bulk(BulkError::Refused(problems)).into());
        }
        other => other.map_err(Failure::from)?,
    };
    let mut out = String::new();
    for edit in &added {
        let path = &workspace.files[edit.file].path;
        out.push_str(&format!("{path}:{}: {}\n", edit.line_number, edit.line));
    }
    write_stdout(out)?;
    Ok(Outcome::Clean)
}
