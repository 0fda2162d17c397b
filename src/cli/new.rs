//! `okr new`: scaffold the next period's file from this one; never overwrites.

use super::{fail, write_stdout, Outcome};
use okr::edit::new_period::{default_name, scaffold, NewError};
use okr::model::period::Period;
use okr::render::{self, Style};
use okr::workspace::Workspace;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The new period: `2026-Q4`, `2027-H1`, `2027` or `2027-02-01..2027-04-30`.
    period: String,
    /// The file to start from (default: the only *.okr file in the current folder).
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    /// The file to write (default: beside the old one, named for the period, e.g. `marketing-2026-Q4.okr`).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
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
    let workspace = match Workspace::load(std::slice::from_ref(&from)) {
        Ok(workspace) => workspace,
        Err(error) => return fail(error),
    };
    let Some(file) = workspace.files.first() else {
        return fail(format!("cannot read `{}`", from.display()));
    };
    let made = match scaffold(&file.text, &period) {
        Ok(made) => made,
        Err(NewError::Syntax(_)) => {
            eprint!(
                "{}",
                render::diagnostics(
                    &workspace,
                    &workspace.diagnostics,
                    render::Format::Human,
                    Style { color, width: 100 }
                )
            );
            eprintln!("error: `{}` has syntax errors; fix them first", file.path);
            return Outcome::Findings;
        }
        Err(NewError::NoPeriod) => return fail(format!("`{}` has no `period` line", file.path)),
        Err(NewError::Overlaps(old)) => {
            return fail(format!(
                "{} overlaps {old}, the period of `{}`; the next period starts after this one ends",
                period.label, file.path
            ))
        }
        Err(NewError::Internal) => {
            return fail("the new file would not parse (a bug in okr new); nothing was written")
        }
    };
    let old_label = workspace.goals[0]
        .period
        .as_ref()
        .map_or("", |p| p.value.label.as_str());
    let output = args
        .output
        .unwrap_or_else(|| default_name(Path::new(&file.path), old_label, &period.label));
    if output.exists() {
        return fail(format!(
            "`{}` already exists; `okr new` never overwrites a file (pass `-o` to name another)",
            output.display()
        ));
    }
    if let Err(error) = okr::write::atomic_write(&output, made.text.as_bytes()) {
        return fail(format!("cannot write `{}`: {error}", output.display()));
    }
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    };
    match write_stdout(format!(
        "wrote {} for {}\ncarried over: {}\nleft behind (done): {}\n",
        output.display(),
        period.label,
        list(&made.carried),
        list(&made.done)
    )) {
        Ok(()) => Outcome::Clean,
        Err(outcome) => outcome,
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
