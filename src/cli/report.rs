//! `okr report`: the scoreboard as Markdown, one self-contained HTML page, or JSON.

use super::{show, Error, Outcome, Shown, Today};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::report::render::{render, render_file, Format};
use crate::report::templates::Templates;
use crate::workspace::Workspace;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// Files or folders to read (default: every *.okr below, honouring .gitignore).
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Use `report.md.j2` / `report.html.j2` from DIR instead of the built-in templates.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    #[command(flatten)]
    shown: Shown,
    #[command(flatten)]
    today: Today,
}

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    let today = args.today.date();
    let mut workspace = Workspace::load(&args.paths)?;
    let diagnostics = crate::check::check(&workspace, today, &[]);
    // A file that does not parse would be reported half-read: say why instead.
    let syntax = |d: &Diagnostic| d.code == Code::Syntax;
    if diagnostics.iter().any(syntax) {
        show(&workspace, &diagnostics, syntax, false);
        return Err(Error::ReportSyntax);
    }
    workspace.keep_texts_for(&diagnostics);
    // Scored whole, shown narrowed: a parent keeps its children from
    // periods that are not shown.
    let scores = crate::report::scores(&workspace, today);
    let (mut workspace, kept) = args.shown.narrow(workspace, today);
    let (scores, diagnostics) = (kept.keep(scores), kept.diagnostics(diagnostics));
    let templates = args
        .format
        .template()
        .map(|_| Templates::load(args.templates.as_deref()))
        .transpose()?;
    let templates = templates.as_ref();
    #[allow(
        clippy::single_match_else,
        reason = "each of the two destinations is an arm with its comment"
    )]
    let built = match &args.output {
        // Streamed to the file: a 2,000-team page is never held in memory whole.
        Some(path) => Some(render_file(
            path,
            &mut workspace,
            scores,
            &diagnostics,
            today,
            args.format,
            templates,
        )?),
        // Streamed to standard output too: a 2,000-team JSON report is
        // 144 MB. A closed pipe (`okr report | head`) ends quietly.
        None => {
            let mut out = Stdout {
                inner: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
                closed: false,
            };
            let rendered = render(
                &mut workspace,
                scores,
                &diagnostics,
                today,
                args.format,
                templates,
                &mut out,
            );
            let flushed = out.flush();
            match (rendered, flushed) {
                _ if out.closed => None,
                (Err(error), _) => return Err(error.into()),
                (Ok(_), Err(error)) => return Err(Error::Output(error)),
                (Ok(built), Ok(())) => Some(built),
            }
        }
    };
    // The process ends next: leave the large structures to the OS.
    std::mem::forget(built);
    std::mem::forget(workspace);
    Ok(
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            Outcome::Findings
        } else {
            Outcome::Clean
        },
    )
}

/// Standard output, noting a closed pipe.
struct Stdout<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.inner.write(bytes).inspect_err(|error| {
            self.closed |= error.kind() == std::io::ErrorKind::BrokenPipe;
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().inspect_err(|error| {
            self.closed |= error.kind() == std::io::ErrorKind::BrokenPipe;
        })
    }
}
