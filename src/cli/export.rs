//! `okr export csv|xlsx`: one row per KR with the report's numbers.

use super::{write_stdout, Error, Outcome, Today};
use crate::import::Failure;
use crate::workspace::Workspace;
use std::path::PathBuf;

/// The file formats.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(super) enum Format {
    /// Comma-separated values, UTF-8, formula-like cells neutralised.
    Csv,
    /// An Excel workbook of one sheet.
    Xlsx,
}

#[derive(clap::Args)]
pub(super) struct Args {
    /// csv or xlsx.
    #[arg(value_enum)]
    format: Format,
    /// Files or folders to read (default: every *.okr below, honouring .gitignore).
    paths: Vec<PathBuf>,
    /// Write to FILE (atomically) instead of standard output (needed for xlsx).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    today: Today,
}

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    let workspace = Workspace::load(&args.paths)?;
    if workspace
        .diagnostics
        .iter()
        .any(|d| d.code == crate::diagnostic::Code::Syntax)
    {
        super::show(
            &workspace,
            &workspace.diagnostics,
            |d| d.code == crate::diagnostic::Code::Syntax,
            false,
        );
        return Err(Failure::ExportSyntax.into());
    }
    let rows = crate::export::rows(&workspace, args.today.date());
    let bytes = match args.format {
        Format::Csv => {
            let mut out = Vec::with_capacity(rows.len() * 256);
            crate::export::write_csv(&rows, &mut out)
                .map_err(|e| Failure::Export(e.to_string()))?;
            out
        }
        Format::Xlsx => {
            if args.output.is_none() {
                return Err(Failure::Export(
                    "an XLSX workbook is binary: write it to a file with -o FILE.xlsx".into(),
                )
                .into());
            }
            crate::export::xlsx(&rows).map_err(|e| Failure::Export(e.to_string()))?
        }
    };
    match &args.output {
        Some(path) => {
            crate::write::atomic_write(path, &bytes).map_err(|source| Failure::Write {
                path: path.display().to_string(),
                source,
            })?;
        }
        None => write_stdout(bytes)?,
    }
    std::mem::forget(workspace);
    Ok(Outcome::Clean)
}
