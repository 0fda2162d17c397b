//! `okr watch`: re-check, and re-render the report, on every change, until Ctrl-C.

use super::{fail, Outcome, Today};
use okr::diagnostic::render::Style;
use okr::report::render as report;
use okr::report::templates::Templates;
use okr::watch::{watch, Message, ReportTarget, RunSummary, Session, Watcher};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// GitHub-flavoured Markdown.
    Md,
    /// One self-contained HTML page.
    Html,
}

#[derive(clap::Args)]
pub struct Args {
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
    today: Today,
}

pub fn run(args: Args, color: bool) -> Outcome {
    let report = match (args.report, args.output) {
        (Some(format), Some(path)) => match Templates::load(args.templates.as_deref()) {
            Ok(templates) => Some(ReportTarget {
                path,
                format: match format {
                    Format::Md => report::Format::Md,
                    Format::Html => report::Format::Html,
                },
                templates,
            }),
            Err(error) => return fail(error),
        },
        _ => None,
    };
    let (sender, events) = mpsc::channel();
    let stop = sender.clone();
    if let Err(error) = ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    }) {
        return fail(format!("cannot handle Ctrl-C: {error}"));
    }
    let inner = match notify::recommended_watcher(move |event| {
        let _ = sender.send(Message::Fs(event));
    }) {
        Ok(inner) => inner,
        Err(error) => return fail(format!("cannot watch files: {error}")),
    };
    let mut session = Session::new(
        args.paths,
        report,
        args.today.today,
        Style { color, width: 100 },
    );
    let mut watcher = Watcher::new(inner, session.roots(), session.report_path());
    let terminal = std::io::stdout().is_terminal();
    watch(&mut session, &mut watcher, &events, |run| {
        print_run(run, terminal)
    });
    let _ = writeln!(std::io::stdout(), "stopped");
    Outcome::Clean
}

/// Prints a run: on a terminal the screen is cleared first, so what shows is
/// the current state; piped output gets each run in turn. False once stdout
/// is gone (a closed pipe), which ends the watch.
fn print_run(run: &RunSummary, terminal: bool) -> bool {
    let mut out = std::io::stdout().lock();
    let clear = if terminal { "\x1b[2J\x1b[3J\x1b[H" } else { "" };
    writeln!(out, "{clear}{}{}", run.output, run.status_line())
        .and_then(|()| out.flush())
        .is_ok()
}
