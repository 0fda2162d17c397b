//! `okr watch`: re-check, and re-render the report, on every change, until Ctrl-C.

use super::{Error, Outcome, Shown, Today};
use crate::diagnostic::render::Style;
use crate::report::render as report;
use crate::report::templates::Templates;
use crate::watch::{ReportTarget, Session};
use std::path::PathBuf;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// GitHub-flavoured Markdown.
    Md,
    /// One self-contained HTML page.
    Html,
}

#[derive(clap::Args)]
pub(super) struct Args {
    /// Files or folders to watch (default: every *.okr below, honouring .gitignore).
    paths: Vec<PathBuf>,
    /// Also keep a report up to date, written atomically to the file given with `-o`.
    #[arg(long, value_enum, requires = "output", value_name = "FORMAT")]
    report: Option<Format>,
    /// Where the report goes.
    #[arg(short, long, value_name = "FILE", requires = "report")]
    output: Option<PathBuf>,
    /// Use `report.md.j2` / `report.html.j2` from DIR instead of the built-in templates.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    #[command(flatten)]
    shown: Shown,
    #[command(flatten)]
    today: Today,
}

pub(super) fn run(args: Args, color: bool) -> Result<Outcome, Error> {
    let report = match (args.report, args.output) {
        (Some(format), Some(path)) => Some(ReportTarget {
            path,
            format: match format {
                Format::Md => report::Format::Md,
                Format::Html => report::Format::Html,
            },
            templates: Templates::load(args.templates.as_deref())?,
            period: args.shown.period,
        }),
        _ => None,
    };
    let session = Session::new(
        args.paths,
        report,
        args.today.today,
        Style { color, width: 100 },
    );
    crate::watch::run_until_stopped(session)?;
    Ok(Outcome::Clean)
}
