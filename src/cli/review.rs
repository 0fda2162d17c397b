//! `okr review`: the weekly digest of a team or all teams: what changed
//! since the last review, who owes a check-in, and where things stand.

use super::{show, write_stdout, Error, Outcome, Today};
use crate::diagnostic::{Code, Diagnostic};
use crate::escape::terminal;
use crate::review::render::{render, ReviewFormat};
use crate::review::window::Since;
use crate::review::{review, Request};
use crate::workspace::Workspace;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// Files or folders to read (default: every *.okr below, honouring .gitignore).
    paths: Vec<PathBuf>,
    /// Where the window starts: a date (compared from the last commit on or
    /// before it) or a git revision. Default: today minus the shortest
    /// cadence of the goals shown (7 days).
    #[arg(long, value_name = "DATE|REV")]
    since: Option<String>,
    /// Only this team's goals.
    #[arg(long, value_name = "ID")]
    team: Option<String>,
    #[arg(long, value_enum, default_value_t = ReviewFormat::Human)]
    format: ReviewFormat,
    /// Markdown: print every item instead of keeping under 4,000 characters.
    #[arg(long)]
    full: bool,
    #[command(flatten)]
    today: Today,
}

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    let today = args.today.date();
    let (workspace, lines) = Workspace::load_keeping_lines(&args.paths)?;
    let syntax = |d: &Diagnostic| d.code == Code::Syntax;
    if workspace.diagnostics.iter().any(syntax) {
        show(&workspace, &workspace.diagnostics, syntax, false);
        return Err(Error::ReportSyntax);
    }
    let request = Request {
        paths: &args.paths,
        since: args.since.as_deref().map(Since::parse),
        today,
        team: args.team.as_deref(),
    };
    let digest = review(&workspace, lines, &request)?;
    write_stdout(render(&digest, args.format, args.full)?)?;
    // A file that did not parse at the window's commit is left out of the
    // changes, and named; the digest is still worth reading.
    for unparsed in digest.changes.iter().flat_map(|c| &c.unparsed) {
        eprintln!("warning: {}", terminal(&unparsed.to_string()));
    }
    // The process ends next: let the OS take the memory back.
    std::mem::forget(workspace);
    Ok(Outcome::Clean)
}
