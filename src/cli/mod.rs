//! Argument parsing and dispatch to one module per command.

mod check;
mod checkin;
mod diff;
mod explain;
mod fmt;
mod funnel;
mod git;
mod log;
mod new;
mod report;
mod watch;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "okr",
    version,
    about = "Goals as code: check, score, plan and report OKRs kept in git",
    after_help = "Run `okr explain CODE` for what a diagnostic means and how to fix it."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour output: by default only on a terminal, and never with NO_COLOR or TERM=dumb.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and lint goal files (every *.okr under the current folder by default).
    Check(check::Args),
    /// Explain a diagnostic code: what it means, why it matters, how to fix it.
    Explain(explain::Args),
    /// Plan a funnel backwards from its target and show which conversion to improve.
    Funnel(funnel::Args),
    /// The scoreboard: scores, status, forecasts, funnels and alignment, as Markdown, HTML or JSON.
    Report(report::Args),
    /// Semantic diff of goals between git revisions, the working tree, or two periods.
    Diff(diff::Args),
    /// The commits that changed an objective or KR, oldest first.
    Log(log::Args),
    /// Git integration: `okr git setup` makes `git diff` show goal changes.
    Git(git::Args),
    /// Rewrite goal files in the canonical layout, keeping every comment; `--check` shows the diff.
    Fmt(fmt::Args),
    /// Add a check-in under a KR, in place, changing no other byte of the file.
    Checkin(checkin::Args),
    /// Scaffold the next period's file: open objectives carried over, baselines from the last check-ins.
    New(new::Args),
    /// Re-check (and re-render the report) on every change, until Ctrl-C.
    Watch(watch::Args),
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether stdout gets colour, honouring NO_COLOR and TERM=dumb in `auto`.
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
                    && std::env::var("TERM").map_or(true, |term| term != "dumb")
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// The outcome of a command, as an exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing that fails the run.
    Clean,
    /// Errors (or denied warnings) in the goals.
    Findings,
    /// A usage or I/O error.
    Failed,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(match outcome {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Failed => 2,
        })
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let color = cli.color.enabled();
    let outcome = match cli.command {
        Command::Check(args) => check::run(args, color),
        Command::Explain(args) => explain::run(args),
        Command::Funnel(args) => funnel::run(args),
        Command::Report(args) => report::run(args),
        Command::Diff(args) => diff::run(args, color),
        Command::Log(args) => log::run(args, color),
        Command::Git(args) => git::run(args, color),
        Command::Fmt(args) => fmt::run(args, color),
        Command::Checkin(args) => checkin::run(args),
        Command::New(args) => new::run(args, color),
        Command::Watch(args) => watch::run(args, color),
    };
    outcome.into()
}

/// Writes a command's output. A closed pipe (`okr check | head`) ends
/// quietly; any other write error (a full disk) is an I/O error.
fn write_stdout(text: impl AsRef<[u8]>) -> Result<(), Outcome> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_ref()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(fail(format!("cannot write the output: {error}"))),
    }
}

/// The workspace of `paths`, or the failure (status 2) naming what could not be read.
fn load(paths: &[std::path::PathBuf]) -> Result<crate::workspace::Workspace, Outcome> {
    crate::workspace::Workspace::load(paths).map_err(fail)
}

/// Prints a usage or I/O error to stderr and fails with status 2. Messages
/// repeat what was typed or read (names, values), so they are escaped.
fn fail(message: impl std::fmt::Display) -> Outcome {
    eprintln!(
        "error: {}",
        crate::escape::terminal_lines(&message.to_string())
    );
    Outcome::Failed
}

/// `--today DATE` or `OKR_TODAY`, else the system date.
#[derive(clap::Args)]
struct Today {
    /// The date figures are computed for (YYYY-MM-DD), so CI output is reproducible.
    #[arg(long, env = "OKR_TODAY", value_name = "DATE", value_parser = parse_today)]
    today: Option<NaiveDate>,
}

impl Today {
    fn date(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

fn parse_today(text: &str) -> Result<NaiveDate, String> {
    // An empty OKR_TODAY (a CI variable left unset) means the system date.
    if text.is_empty() {
        return Ok(chrono::Local::now().date_naive());
    }
    crate::model::period::parse_date(text).map_err(|_| crate::model::period::explain_bad_date(text))
}
