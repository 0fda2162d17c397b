//! `okr report`: the scoreboard as Markdown, one self-contained HTML page, or JSON.

use super::{fail, load, Outcome, Today};
use crate::diagnostic::render::{self, Style};
use crate::diagnostic::{Code, Severity};
use crate::report::render::{render, render_file, Format};
use crate::report::templates::Templates;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
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
    today: Today,
}

pub fn run(args: Args) -> Outcome {
    let mut workspace = match load(&args.paths) {
        Ok(workspace) => workspace,
        Err(outcome) => return outcome,
    };
    let today = args.today.date();
    let diagnostics = crate::check::check(&workspace, today, &[]);
    // A file that does not parse would be reported half-read: say why instead.
    if diagnostics.iter().any(|d| d.code == Code::Syntax) {
        let broken: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.code == Code::Syntax)
            .cloned()
            .collect();
        eprint!(
            "{}",
            render::diagnostics(
                &workspace,
                &broken,
                render::Format::Human,
                Style {
                    color: false,
                    width: 100
                }
            )
        );
        eprintln!("error: the report needs every file to parse; fix the syntax errors above");
        return Outcome::Findings;
    }
    let templates = match args.format.template() {
        None => None,
        Some(_) => match Templates::load(args.templates.as_deref()) {
            Ok(templates) => Some(templates),
            Err(error) => return fail(error),
        },
    };
    let templates = templates.as_ref();
    let built = match &args.output {
        // Streamed to the file: a 2,000-team page is never held in memory whole.
        Some(path) => render_file(
            path,
            &mut workspace,
            &diagnostics,
            today,
            args.format,
            templates,
        )
        .map(Some)
        .map_err(fail),
        // Streamed to standard output too: a 2,000-team JSON report is
        // 144 MB. A closed pipe (`okr report | head`) ends quietly.
        None => {
            let mut out = Stdout {
                inner: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
                closed: false,
            };
            let rendered = render(
                &mut workspace,
                &diagnostics,
                today,
                args.format,
                templates,
                &mut out,
            );
            let flushed = out.flush();
            match (rendered, flushed) {
                _ if out.closed => Ok(None),
                (Err(error), _) => Err(fail(error)),
                (Ok(_), Err(error)) => Err(fail(format!("cannot write the output: {error}"))),
                (Ok(built), Ok(())) => Ok(Some(built)),
            }
        }
    };
    match built {
        // The process ends next: leave the large structures to the OS.
        Ok(built) => std::mem::forget(built),
        Err(outcome) => return outcome,
    }
    std::mem::forget(workspace);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
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
