//! `okr check`: load, lint, print; exit 1 on errors (or denied warnings).

use super::{write_stdout, Error, Outcome, Today};
use crate::diagnostic::explain::UnknownCode;
use crate::diagnostic::render::{self, Format, Style, Summary};
use crate::diagnostic::Code;
use crate::workspace::Workspace;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// Files or folders to check; folders are searched for *.okr files, honouring .gitignore.
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long, value_enum, value_name = "LEVEL")]
    deny: Vec<Deny>,
    /// Silence a diagnostic code everywhere (repeatable), e.g. `--allow stale-checkin`.
    #[arg(long, value_name = "CODE")]
    allow: Vec<String>,
    #[command(flatten)]
    today: Today,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    Warnings,
}

pub(super) fn run(args: Args, color: bool) -> Result<Outcome, Error> {
    let allowed = args
        .allow
        .iter()
        .map(|text| Code::parse(text).ok_or_else(|| UnknownCode { code: text.clone() }))
        .collect::<Result<Vec<Code>, UnknownCode>>()?;
    let workspace = Workspace::load(&args.paths)?;
    let diagnostics = crate::check::check(&workspace, args.today.date(), &allowed);
    let style = Style { color, width: 100 };
    write_stdout(render::diagnostics(
        &workspace,
        &diagnostics,
        args.format,
        style,
    ))?;
    let summary = Summary::of(&workspace, &diagnostics);
    // The process ends next: let the OS take the memory back instead of
    // freeing every node of a large organisation one by one.
    std::mem::forget(workspace);
    let denied = args.deny.contains(&Deny::Warnings) && summary.warnings > 0;
    Ok(if summary.errors > 0 || denied {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
