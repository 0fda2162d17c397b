//! `okr report`: the scoreboard as Markdown, one self-contained HTML page, or JSON.

use super::{fail, load, write_stdout, Outcome, Today};
use okr::diagnostic::{Code, Severity};
use okr::render::{self, Style};
use okr::report::{self, templates::Templates, History};
use okr::workspace::Workspace;
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// GitHub-flavoured Markdown, for a pull request or a wiki.
    Md,
    /// One self-contained page: inline CSS and SVG, no script, no request.
    Html,
    /// The machine interface of SPEC §6.
    Json,
}

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
    let workspace = match load(&args.paths) {
        Ok(workspace) => workspace,
        Err(outcome) => return outcome,
    };
    let today = args.today.date();
    let diagnostics = okr::check::check(&workspace, today, &[]);
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
    let templates = match args.format {
        Format::Json => None,
        _ => match Templates::load(args.templates.as_deref()) {
            Ok(templates) => Some(templates),
            Err(error) => return fail(error),
        },
    };
    let render = |out: &mut dyn Write| {
        render_report(
            &workspace,
            &diagnostics,
            today,
            args.format,
            templates.as_ref(),
            out,
        )
    };
    let written = match &args.output {
        // Streamed to the file: a 2,000-team page is never held in memory whole.
        Some(path) => {
            let mut failed = None;
            let written = okr::write::atomic_write_with(path, |out| {
                render(out).map_err(|error| {
                    failed = Some(error);
                    std::io::Error::other("the report could not be rendered")
                })
            });
            match (failed, written) {
                (Some(error), _) => Err(fail(error)),
                (None, Err(error)) => {
                    Err(fail(format!("cannot write `{}`: {error}", path.display())))
                }
                (None, Ok(())) => Ok(()),
            }
        }
        None => {
            let mut text = Vec::new();
            match render(&mut text) {
                Ok(()) => write_stdout(&String::from_utf8_lossy(&text)),
                Err(error) => Err(fail(error)),
            }
        }
    };
    if let Err(outcome) = written {
        return outcome;
    }
    std::mem::forget(workspace);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// Writes the report into `out`; `templates` are loaded unless it is JSON.
fn render_report(
    workspace: &Workspace,
    diagnostics: &[okr::diagnostic::Diagnostic],
    today: chrono::NaiveDate,
    format: Format,
    templates: Option<&Templates>,
    out: &mut dyn Write,
) -> Result<(), String> {
    let scores = report::scores(workspace, today);
    let history = if format == Format::Json {
        History::All
    } else {
        History::Latest
    };
    let view = report::build(workspace, &scores, diagnostics, today, history);
    let rendered = match templates {
        None => serde_json::to_writer_pretty(&mut *out, &view)
            .map_err(|error| error.to_string())
            .and_then(|()| writeln!(out).map_err(|error| error.to_string())),
        Some(templates) => {
            let context = minijinja::Value::from_serialize(report::template_context(
                workspace, &scores, &view, today,
            ));
            let name = if format == Format::Md {
                "report.md.j2"
            } else {
                "report.html.j2"
            };
            let rendered = templates.render_to(name, &context, out);
            std::mem::forget(context);
            rendered
        }
    };
    // The process ends next: leave the large structures to the OS.
    std::mem::forget((view, scores));
    rendered
}
