//! The command line: argument parsing, and one module per command that
//! calls the library. Every error a command stops on comes back here as an
//! `Error`, printed and turned into the exit status in one place.

mod check;
mod checkin;
mod completions;
mod diff;
mod explain;
mod export;
mod fmt;
mod funnel;
mod git;
mod import;
mod init;
mod log;
mod lsp;
mod man;
mod merge_file;
mod new;
mod report;
mod review;
mod serve;
mod watch;

use crate::diagnostic::explain::UnknownCode;
use crate::diagnostic::render::{self, Style};
use crate::diagnostic::Diagnostic;
use crate::edit::checkin::{CheckinError, Refusal};
use crate::edit::fmt::FileError;
use crate::edit::new_period::NewFileError;
use crate::escape::{terminal, terminal_lines};
use crate::funnel::plan::PlanError;
use crate::history::driver::NotFromGit;
use crate::history::setup::SetupError;
use crate::history::{HistoryError, Unparsed};
use crate::merge::files::MergeFileError;
use crate::report::render::ReportError;
use crate::report::templates::TemplateError;
use crate::watch::WatchError;
use crate::workspace::{shown_files, Kept, LoadError, Workspace};
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
    /// When to colour output: by default only on a terminal, and never with `NO_COLOR` or TERM=dumb.
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
    // The paths come before the funnel's name and may be left out.
    #[command(allow_missing_positional = true)]
    Funnel(funnel::Args),
    /// The scoreboard: scores, status, forecasts, funnels and alignment, as Markdown, HTML or JSON.
    Report(report::Args),
    /// Semantic diff of goals between git revisions, the working tree, or two periods.
    Diff(diff::Args),
    /// The weekly digest: check-ins added, targets moved, KRs that turned, who owes a check-in.
    Review(review::Args),
    /// The commits that changed an objective or KR, oldest first.
    Log(log::Args),
    /// Git integration: `okr git setup` makes `git diff` show goal changes and `git merge` merge goals.
    Git(git::Args),
    /// Three-way merge of one goal file by objective, KR and check-in date (for tools without git's drivers).
    MergeFile(merge_file::Args),
    /// Rewrite goal files in the canonical layout, keeping every comment; `--check` shows the diff.
    Fmt(fmt::Args),
    /// Add a check-in under a KR, in place, changing no other byte of the file.
    Checkin(checkin::Args),
    /// Goals from a spreadsheet or another OKR tool's export (CSV, XLSX), one file per team (docs/import.md).
    Import(import::Args),
    /// One row per KR with the report's numbers, as CSV or XLSX.
    Export(export::Args),
    /// Start a goals repository: a team's goals file with a funnel, a README, the CI workflow and git set up.
    Init(init::Args),
    /// Scaffold the next period's file: open objectives carried over, baselines from the last check-ins.
    New(new::Args),
    /// Re-check (and re-render the report) on every change, until Ctrl-C.
    Watch(watch::Args),
    /// A live scoreboard in the browser: local web pages that reload when goal files change.
    Serve(serve::Args),
    /// The language server for editors, on stdin and stdout (docs/lsp.md).
    Lsp(lsp::Args),
    /// Print a shell's completion script: `source <(okr completions bash)`.
    Completions(completions::Args),
    /// Print the manual page (roff), or write one per command into a folder.
    Man(man::Args),
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether stdout gets colour, honouring `NO_COLOR` and TERM=dumb in `auto`.
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

/// How a command ended, as an exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
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

/// Why a command stopped: the library's errors, and the few of the command
/// line's own. [`message`] words each, and [`Error::outcome`] is its exit
/// status.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    UnknownCode(#[from] UnknownCode),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Watch(#[from] WatchError),
    #[error(transparent)]
    Serve(#[from] crate::serve::ServeError),
    #[error(transparent)]
    Checkin(#[from] CheckinError),
    #[error(transparent)]
    Data(#[from] crate::import::Failure),
    #[error(transparent)]
    Format(#[from] FileError),
    #[error(transparent)]
    New(#[from] NewFileError),
    #[error(transparent)]
    Setup(#[from] SetupError),
    #[error(transparent)]
    Driver(#[from] NotFromGit),
    #[error(transparent)]
    Merge(#[from] MergeFileError),
    #[error(transparent)]
    Lsp(#[from] crate::lsp::LspError),
    #[error(transparent)]
    Init(#[from] crate::init::InitError),
    #[error(transparent)]
    Review(#[from] crate::review::ReviewError),
    #[error(transparent)]
    ReviewRender(#[from] crate::review::render::RenderError),
    #[error("cannot write `{path}`: {source}")]
    Page {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write the output: {0}")]
    Output(#[source] std::io::Error),
    /// The report needs every file to parse (their errors are shown first).
    #[error("the report needs every file to parse; fix the syntax errors above")]
    ReportSyntax,
    /// Files of a diff or a log that do not parse at one side: left out,
    /// the rest printed.
    #[error("{}", unparsed.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Unparsed { unparsed: Vec<Unparsed> },
}

impl Error {
    /// The exit status: errors in the goals are findings (1), the rest are
    /// usage or I/O errors (2).
    fn outcome(&self) -> Outcome {
        match self {
            Error::Checkin(CheckinError::Refused(Refusal::Goals { .. }))
            | Error::New(NewFileError::Syntax { .. })
            | Error::ReportSyntax
            | Error::Data(
                crate::import::Failure::ExportSyntax
                | crate::import::Failure::Bulk(crate::import::checkins::BulkError::Refused(_)),
            ) => Outcome::Findings,
            Error::Format(error) if error.is_refusal() => Outcome::Findings,
            _ => Outcome::Failed,
        }
    }
}

/// The `okr` command line: parses the arguments, runs the command, prints
/// its error if it fails, and gives the exit status (0 clean, 1 findings,
/// 2 usage or I/O).
pub fn run() -> ExitCode {
    let ran = match completions::references_asked() {
        Some(prefix) => completions::references(&prefix),
        None => execute(Cli::parse()),
    };
    let outcome = ran.unwrap_or_else(|error| {
        say(&error);
        error.outcome()
    });
    outcome.into()
}

/// Runs the command `cli` names.
fn execute(cli: Cli) -> Result<Outcome, Error> {
    let color = cli.color.enabled();
    match cli.command {
        Command::Check(args) => check::run(args, color),
        Command::Explain(args) => explain::run(args),
        Command::Funnel(args) => funnel::run(args),
        Command::Report(args) => report::run(args),
        Command::Diff(args) => diff::run(args, color),
        Command::Review(args) => review::run(args),
        Command::Log(args) => log::run(args, color),
        Command::Git(args) => git::run(args, color),
        Command::MergeFile(args) => merge_file::run(args),
        Command::Fmt(args) => fmt::run(args, color),
        Command::Checkin(args) => checkin::run(args),
        Command::Import(args) => import::run(args, color),
        Command::Export(args) => export::run(args),
        Command::New(args) => new::run(args, color),
        Command::Watch(args) => watch::run(args, color),
        Command::Serve(args) => serve::run(args, color),
        Command::Lsp(args) => lsp::run(args),
        Command::Init(args) => init::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// Prints `error` on stderr.
fn say(error: &Error) {
    eprint!("{}", message(error));
}

/// `error` as the user reads it on stderr, lines ended. Messages repeat
/// what was typed or read (names, values), so they are escaped.
fn message(error: &Error) -> String {
    match error {
        Error::Checkin(CheckinError::Refused(Refusal::Goals { code, message })) => {
            format!(
                "error[{code}]: {}\nnothing was written\n",
                terminal_lines(message)
            )
        }
        // One line each, whatever the file's error says.
        Error::Unparsed { unparsed } => unparsed
            .iter()
            .map(|problem| format!("error: {}\n", terminal(&problem.to_string())))
            .collect(),
        _ => format!("error: {}\n", terminal_lines(&error.to_string())),
    }
}

/// Writes a command's output. A closed pipe (`okr check | head`) ends
/// quietly; any other write error (a full disk) is an I/O error.
fn write_stdout(text: impl AsRef<[u8]>) -> Result<(), Error> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    output(out.write_all(text.as_ref()).and_then(|()| out.flush()))
}

/// The result of writing the output: a closed pipe is no error.
fn output(written: std::io::Result<()>) -> Result<(), Error> {
    match written {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output(error)),
        _ => Ok(()),
    }
}

/// Shows the diagnostics `which` picks from `diagnostics` on stderr: the
/// syntax errors that stop a command.
fn show(
    workspace: &Workspace,
    diagnostics: &[Diagnostic],
    which: impl Fn(&Diagnostic) -> bool,
    color: bool,
) {
    let shown: Vec<Diagnostic> = diagnostics.iter().filter(|d| which(d)).cloned().collect();
    eprint!(
        "{}",
        render::diagnostics(
            workspace,
            &shown,
            render::Format::Human,
            Style { color, width: 100 }
        )
    );
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

/// `--period PERIOD`: which files a report or a funnel plan shows.
#[derive(clap::Args)]
struct Shown {
    /// Show the goals of the files whose period overlaps PERIOD (e.g.
    /// 2026-Q3). By default: the periods containing today, or else the
    /// latest one that has ended.
    #[arg(long, value_name = "PERIOD", value_parser = parse_period)]
    period: Option<crate::model::period::Period>,
}

impl Shown {
    /// The workspace narrowed to the files shown, and how their ids moved.
    fn narrow(&self, workspace: Workspace, today: NaiveDate) -> (Workspace, Kept) {
        let shown = shown_files(&workspace.goals, self.period.as_ref(), today);
        workspace.narrow(&shown)
    }
}

fn parse_period(text: &str) -> Result<crate::model::period::Period, String> {
    crate::model::period::Period::parse(text).map_err(|_| {
        format!("`{text}` is not a period: write 2026-Q3, 2026-H2, 2026 or 2026-02-01..2026-04-30")
    })
}

fn parse_today(text: &str) -> Result<NaiveDate, String> {
    // An empty OKR_TODAY (a CI variable left unset) means the system date.
    if text.is_empty() {
        return Ok(chrono::Local::now().date_naive());
    }
    crate::model::period::parse_date(text).map_err(|_| crate::model::period::explain_bad_date(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use std::path::Path;

    const GOALS: &str = include_str!("../../examples/marketing.okr");

    /// Runs `okr ARGS…` as `run` does, up to printing: the command's outcome
    /// or its error.
    fn okr(args: &[&str]) -> Result<Outcome, Error> {
        let cli = Cli::try_parse_from(std::iter::once("okr").chain(args.iter().copied()));
        execute(cli.unwrap())
    }

    fn text(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn errors_in_the_goals_exit_1_and_the_rest_2() {
        let path = || "goals.okr".to_string();
        let findings = [
            Error::Checkin(CheckinError::Refused(Refusal::Goals {
                code: Code::UnitMismatch,
                message: "wrong unit".into(),
            })),
            Error::New(NewFileError::Syntax {
                path: path(),
                file: 0,
            }),
            Error::ReportSyntax,
            Error::Format(FileError::Syntax { path: path() }),
            Error::Format(FileError::MeaningChanged { path: path() }),
        ];
        for error in &findings {
            assert_eq!(error.outcome(), Outcome::Findings, "{error:?}");
        }
        let failures = [
            Error::Checkin(CheckinError::Refused(Refusal::Usage("no KR".into()))),
            Error::Checkin(CheckinError::Changed { path: path() }),
            Error::Format(FileError::Write {
                path: path(),
                source: std::io::Error::other("disk full"),
            }),
            Error::New(NewFileError::NoFileHere),
            Error::History(HistoryError::TooManyRevisions),
            Error::Output(std::io::ErrorKind::WriteZero.into()),
        ];
        for error in &failures {
            assert_eq!(error.outcome(), Outcome::Failed, "{error:?}");
        }
        assert_eq!(ExitCode::from(Outcome::Clean), ExitCode::from(0));
        assert_eq!(ExitCode::from(Outcome::Findings), ExitCode::from(1));
        assert_eq!(ExitCode::from(Outcome::Failed), ExitCode::from(2));
    }

    #[test]
    fn messages_are_escaped_and_a_refused_checkin_says_nothing_was_written() {
        let refused = Error::Checkin(CheckinError::Refused(Refusal::Goals {
            code: Code::UnitMismatch,
            message: "`5%` is a percent\u{1b}[2J".into(),
        }));
        assert_eq!(
            message(&refused),
            "error[okr::unit-mismatch]: `5%` is a percent\\u{1b}[2J\nnothing was written\n"
        );
        // Lines stay lines; what could steer the terminal is shown.
        let usage = Error::Checkin(CheckinError::Refused(Refusal::Usage(
            "no KR `a\u{7}`\n  help: look".into(),
        )));
        assert_eq!(message(&usage), "error: no KR `a\\u{7}`\n  help: look\n");
        let unparsed = |error: &str| Unparsed {
            path: crate::history::paths::RepoPath::from_os("a.okr".as_ref()),
            at: "HEAD".into(),
            error: error.into(),
        };
        assert_eq!(
            message(&Error::Unparsed {
                unparsed: vec![unparsed("line 1: x\ny"), unparsed("line 2: z")],
            }),
            "error: `a.okr` does not parse at HEAD (line 1: x\\ny); its goals are left out, the rest is compared\n\
             error: `a.okr` does not parse at HEAD (line 2: z); its goals are left out, the rest is compared\n"
        );
    }

    #[test]
    fn a_checkin_in_the_wrong_unit_is_a_finding_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("marketing.okr");
        std::fs::write(&file, GOALS).unwrap();
        let folder = dir.path().to_str().unwrap();
        let error = okr(&["checkin", "engagement.visitors", "5%", "--in", folder]).unwrap_err();
        assert_eq!(error.outcome(), Outcome::Findings);
        assert!(message(&error).starts_with("error[okr::unit-mismatch]: "));
        assert!(message(&error).ends_with("\nnothing was written\n"));
        assert_eq!(text(&file), GOALS);
        // A KR that is not there is a usage error, with the nearest KR there is.
        let error = okr(&["checkin", "engagement.nope", "5", "--in", folder]).unwrap_err();
        assert_eq!(error.outcome(), Outcome::Failed);
        assert_eq!(text(&file), GOALS);
        let error = okr(&[
            "checkin",
            "marketing/engagement.trails",
            "5",
            "--in",
            folder,
        ])
        .unwrap_err();
        assert_eq!(error.outcome(), Outcome::Failed);
        assert!(
            message(&error).contains("did you mean `marketing/engagement.trials`?"),
            "{}",
            message(&error)
        );
    }

    #[test]
    fn new_never_overwrites_and_refuses_before_writing_anything() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("marketing.okr");
        let taken = dir.path().join("marketing-2026-Q4.okr");
        std::fs::write(&old, GOALS).unwrap();
        std::fs::write(&taken, "mine").unwrap();
        let error = okr(&["new", "2026-Q4", "--from", old.to_str().unwrap()]).unwrap_err();
        assert!(matches!(error, Error::New(NewFileError::Exists { .. })));
        assert_eq!(error.outcome(), Outcome::Failed);
        assert!(message(&error).contains("already exists; `okr new` never overwrites a file"));
        assert_eq!(text(&taken), "mine");
        let error = okr(&["new", "2026-Q9", "--from", old.to_str().unwrap()]).unwrap_err();
        assert_eq!(
            message(&error),
            "error: `2026-Q9` is not a period; write `2026-Q4`, `2027-H1`, `2027` or `2027-02-01..2027-04-30`\n"
        );
    }

    #[test]
    fn fmt_refuses_a_file_with_syntax_errors_and_leaves_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let broken = dir.path().join("broken.okr");
        let tidy = dir.path().join("tidy.okr");
        let broken_text = "period 2026-Q3\nteam x\nobjective o \"O\n";
        let tidy_text = "period 2026-Q3\nteam y\n";
        std::fs::write(&broken, broken_text).unwrap();
        std::fs::write(&tidy, tidy_text).unwrap();
        let folder = dir.path().to_str().unwrap();
        assert_eq!(okr(&["fmt", folder]).unwrap(), Outcome::Findings);
        assert_eq!(okr(&["fmt", "--check", folder]).unwrap(), Outcome::Findings);
        assert_eq!(text(&broken), broken_text);
        assert_eq!(text(&tidy), tidy_text);
        std::fs::remove_file(&broken).unwrap();
        assert_eq!(okr(&["fmt", "--check", folder]).unwrap(), Outcome::Clean);
    }

    /// Every command's usage line: brackets that open and close in turn, and
    /// the funnel's paths before its name.
    #[test]
    fn every_usage_line_reads_correctly() {
        use clap::CommandFactory;
        fn well_formed(usage: &str) -> bool {
            let mut open: Vec<char> = Vec::new();
            for c in usage.chars() {
                match c {
                    '[' | '<' => {
                        // Nothing opens inside a placeholder.
                        if open.last() == Some(&'<') {
                            return false;
                        }
                        open.push(c);
                    }
                    ']' if open.pop() != Some('[') => return false,
                    '>' if open.pop() != Some('<') => return false,
                    _ => {}
                }
            }
            open.is_empty()
        }
        fn walk(command: &mut clap::Command, usages: &mut Vec<String>) {
            usages.push(command.render_usage().to_string());
            for sub in command.get_subcommands_mut() {
                walk(sub, usages);
            }
        }
        let mut cli = Cli::command();
        cli.build();
        let mut usages = Vec::new();
        walk(&mut cli, &mut usages);
        assert!(usages.len() > 12, "{usages:?}");
        for usage in &usages {
            assert!(well_formed(usage), "{usage}");
        }
        assert!(
            usages.contains(&"Usage: okr funnel [OPTIONS] [PATHS]... <FUNNEL>".to_string()),
            "{usages:#?}"
        );
    }

    #[test]
    fn funnel_takes_paths_then_the_funnel_and_suggests_near_names() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("marketing.okr");
        std::fs::write(&file, GOALS).unwrap();
        let path = file.to_str().unwrap();
        let folder = dir.path().to_str().unwrap();
        assert_eq!(
            okr(&["funnel", path, folder, "inbound"]).unwrap(),
            Outcome::Clean
        );
        let error = okr(&["funnel", path, "inbond"]).unwrap_err();
        assert_eq!(error.outcome(), Outcome::Failed);
        assert!(
            message(&error).contains("did you mean `inbound`?"),
            "{}",
            message(&error)
        );
        let error = okr(&["funnel", path, "inbound", "--what-if", "mql=50%"]).unwrap_err();
        assert!(
            message(&error).contains("did you mean `mqls`?"),
            "{}",
            message(&error)
        );
    }

    #[test]
    fn unknown_codes_and_unreadable_paths_are_usage_errors() {
        let error = okr(&["check", "--allow", "stale-chekin", "/nonexistent"]).unwrap_err();
        assert!(matches!(error, Error::UnknownCode(_)));
        assert!(message(&error).contains("did you mean `okr::stale-checkin`?"));
        let error = okr(&["check", "/nonexistent/goals.okr"]).unwrap_err();
        assert_eq!(error.outcome(), Outcome::Failed);
        assert_eq!(
            message(&error),
            "error: cannot read `/nonexistent/goals.okr`: No such file or directory (os error 2)\n"
        );
    }
}
