//! The report in one of its formats, written to any output: JSON straight
//! from the goals (SPEC §6), Markdown and HTML through the templates.

pub use super::build::scores;
use super::context::{template_context, Shared};
use super::json;
use super::templates::{TemplateError, Templates};
use crate::diagnostic::Diagnostic;
use crate::score::TeamScore;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The report's format, `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// GitHub-flavoured Markdown, for a pull request or a wiki.
    Md,
    /// One self-contained page: inline CSS and SVG, no script, no request.
    Html,
    /// The machine interface: a versioned JSON document (docs/json.md).
    Json,
}

impl Format {
    /// The built-in (or `--templates`) template for this format; none for JSON.
    pub fn template(self) -> Option<&'static str> {
        match self {
            Format::Md => Some("report.md.j2"),
            Format::Html => Some("report.html.j2"),
            Format::Json => None,
        }
    }
}

/// Why a report was not written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A template failed to load or render.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// Writing the JSON report failed.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    /// Writing to standard output failed.
    #[error("{0}")]
    Output(#[from] std::io::Error),
    /// A Markdown or HTML report asked for without loading the templates.
    #[error("template `{name}` needs templates loaded")]
    NoTemplates {
        /// The template asked for.
        name: &'static str,
    },
    /// A template kept a value that borrows the workspace (a bug in okr).
    #[error("the report's template values outlived it")]
    ValuesOutlived,
    /// The report file could not be written.
    #[error("cannot write `{}`: {source}", .path.display())]
    Write {
        /// The report file's path.
        path: PathBuf,
        /// Why it could not be written.
        source: std::io::Error,
    },
    /// The write finished without the report rendered into it (a bug in okr).
    #[error("`{}`: nothing was rendered", .path.display())]
    NothingRendered {
        /// The report file's path.
        path: PathBuf,
    },
}

/// What rendering built, handed back so that a process about to exit can
/// skip freeing it (`std::mem::forget`); dropping it frees it.
pub struct Built {
    _scores: Vec<Option<TeamScore>>,
}

/// Writes the report of `workspace`, scored `scores` (by [`scores`], on
/// this workspace or on a larger one it was narrowed from, so parents keep
/// children from periods not shown), into `out`. JSON lists every check-in;
/// the templates (required for Markdown and HTML) get each KR's latest, as
/// the charts draw the rest.
///
/// For a template, `workspace` is lent to the template's values (which
/// make each team, objective and chart when the template reads it, and must
/// own what they read) and put back before this returns.
pub fn render(
    workspace: &mut Workspace,
    scores: Vec<Option<TeamScore>>,
    diagnostics: &[Diagnostic],
    today: NaiveDate,
    format: Format,
    templates: Option<&Templates>,
    out: &mut dyn Write,
) -> Result<Built, ReportError> {
    match (format.template(), templates) {
        (None, _) => {
            // `serde_json` writes a few bytes at a time (each level of
            // indentation on its own): buffered here, each is a copy, not
            // a call through `out`.
            let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
            json::write(workspace, &scores, diagnostics, today, &mut buffered)?;
            buffered.flush()?;
            Ok(Built { _scores: scores })
        }
        (Some(name), Some(templates)) => {
            let shared = Arc::new(Shared {
                workspace: std::mem::take(workspace),
                scores,
                today,
            });
            let context = template_context(&shared, diagnostics);
            let rendered = templates.render_to(name, &context, out);
            // The context's teams and charts hold `shared`; the engine's
            // values are gone once the template has rendered.
            drop(context);
            let Shared {
                workspace: lent,
                scores,
                ..
            } = Arc::try_unwrap(shared).map_err(|_| ReportError::ValuesOutlived)?;
            *workspace = lent;
            rendered?;
            Ok(Built { _scores: scores })
        }
        (Some(name), None) => Err(ReportError::NoTemplates { name }),
    }
}

/// Writes the report to `path` atomically: streamed into a temporary file
/// that is renamed over `path`, which any failure leaves as it was.
pub fn render_file(
    path: &Path,
    workspace: &mut Workspace,
    scores: Vec<Option<TeamScore>>,
    diagnostics: &[Diagnostic],
    today: NaiveDate,
    format: Format,
    templates: Option<&Templates>,
) -> Result<Built, ReportError> {
    let mut rendered = None;
    let mut scores = Some(scores);
    let written = crate::write::atomic_write_with(path, |out| {
        let mut tracked = Tracked {
            inner: out,
            error: None,
        };
        let result = render(
            workspace,
            scores.take().unwrap_or_default(),
            diagnostics,
            today,
            format,
            templates,
            &mut tracked,
        );
        if let Some(error) = tracked.error {
            return Err(error);
        }
        let failed = result.is_err();
        rendered = Some(result);
        if failed {
            return Err(std::io::Error::other("the report could not be rendered"));
        }
        Ok(())
    });
    match (rendered, written) {
        (Some(Err(error)), _) => Err(error),
        (_, Err(source)) => Err(ReportError::Write {
            path: path.to_path_buf(),
            source,
        }),
        (Some(Ok(built)), Ok(())) => Ok(built),
        (None, Ok(())) => Err(ReportError::NothingRendered {
            path: path.to_path_buf(),
        }),
    }
}

/// Keeps the first write error: the template engine and `serde_json` report
/// one without the system's reason, which a full disk should show.
struct Tracked<'w> {
    inner: &'w mut dyn Write,
    error: Option<std::io::Error>,
}

impl Write for Tracked<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.inner.write(bytes).inspect_err(|error| {
            if self.error.is_none() {
                self.error = Some(std::io::Error::new(error.kind(), error.to_string()));
            }
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOALS: &str = include_str!("../../examples/marketing.okr");

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 8, 15).unwrap()
    }

    /// The workspace lent to a template's values comes back, whether the
    /// template renders or fails half-way, and renders the same again.
    #[test]
    fn a_template_report_gives_the_workspace_back() {
        let mut workspace = Workspace::from_texts([("marketing.okr", GOALS)]);
        let objectives = workspace.goals[0].objectives.len();
        assert!(objectives > 0);
        let templates = Templates::load(None).unwrap();
        let mut pages = Vec::new();
        for format in [Format::Html, Format::Md, Format::Html] {
            let mut page = Vec::new();
            let scores = scores(&workspace, today());
            let rendered = render(
                &mut workspace,
                scores,
                &[],
                today(),
                format,
                Some(&templates),
                &mut page,
            );
            assert!(rendered.is_ok(), "{format:?}");
            assert_eq!(workspace.files.len(), 1);
            assert_eq!(workspace.goals[0].objectives.len(), objectives);
            pages.push(page);
        }
        assert_eq!(pages[0], pages[2]);
        assert!(String::from_utf8_lossy(&pages[0]).contains("<svg class=\"chart\""));

        // A template failing inside the loop over the teams.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("report.md.j2"),
            "{% for team in report.teams %}{{ team.score + 'a' }}{% endfor %}",
        )
        .unwrap();
        let broken = Templates::load(Some(dir.path()));
        let mut page = Vec::new();
        let scored = scores(&workspace, today());
        let rendered = render(
            &mut workspace,
            scored,
            &[],
            today(),
            Format::Md,
            Some(&broken.unwrap()),
            &mut page,
        );
        assert!(rendered.is_err());
        assert_eq!(workspace.files.len(), 1);
        assert_eq!(workspace.goals[0].objectives.len(), objectives);
    }
}
