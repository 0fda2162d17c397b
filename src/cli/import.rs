//! `okr import`: goals from a spreadsheet or another OKR tool's export,
//! one `.okr` file per team and period, checked as `okr check` checks them.

use super::{show, write_stdout, Error, Outcome, Today};
use crate::diagnostic::Severity;
use crate::import::{import, load_mapping, read_table, Failure, Settings};
use crate::model::period::Period;
use crate::workspace::Workspace;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// The spreadsheet: a CSV file (`,` `;` or tab) or an XLSX workbook.
    file: PathBuf,
    /// A mapping file (TOML) saying which column holds what (docs/import.md).
    #[arg(long, value_name = "MAP.toml", conflicts_with = "preset")]
    map: Option<PathBuf>,
    /// A built-in layout: okr, spreadsheet, viva-goals, burningokr, okr-tracker (default: spreadsheet).
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// The XLSX sheet to read (default: the first).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// The period of rows that name none, e.g. 2026-Q3.
    #[arg(long, value_name = "PERIOD", value_parser = super::parse_period)]
    period: Option<Period>,
    /// Write the files into DIR (without it, they are printed: a dry run).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Print what would be written, even with -o.
    #[arg(long)]
    dry_run: bool,
    /// Replace files that exist in DIR.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    today: Today,
}

pub(super) fn run(args: Args, color: bool) -> Result<Outcome, Error> {
    let today = args.today.date();
    let table = read_table(&args.file, args.sheet.as_deref())?;
    let mapping = load_mapping(
        args.map.as_deref(),
        Some(args.preset.as_deref().unwrap_or("spreadsheet")).filter(|_| args.map.is_none()),
        "",
    )?;
    let team = args.file.file_stem().map_or_else(
        || "team".into(),
        |stem| crate::import::ids::slug(&stem.to_string_lossy(), "team"),
    );
    let settings = Settings {
        mapping: &mapping,
        period: args.period,
        today,
        team,
    };
    let imported = import(&table, &settings).map_err(Failure::from)?;
    let shown = args.file.display().to_string();
    let problems: String = imported.problems.iter().map(|p| p.render(&shown)).collect();
    eprint!("{problems}");
    let folder = args.output.as_ref().filter(|_| !args.dry_run);
    let paths: Vec<PathBuf> = imported
        .files
        .iter()
        .map(|file| folder.map_or_else(|| PathBuf::from(&file.name), |dir| dir.join(&file.name)))
        .collect();
    match folder {
        None => {
            let mut out = String::new();
            for file in &imported.files {
                out.push_str(&format!("# ---- {} (dry run: not written)\n", file.name));
                out.push_str(&file.text);
            }
            write_stdout(out)?;
        }
        Some(dir) => write(dir, &paths, &imported.files, args.force)?,
    }
    // The files as `okr check` would see them, with its diagnostics.
    let workspace = Workspace::from_texts(
        paths
            .iter()
            .zip(&imported.files)
            .map(|(path, file)| (path.to_str().unwrap_or(&file.name), file.text.as_str())),
    );
    let diagnostics = crate::check::check(&workspace, today, &[]);
    show(&workspace, &diagnostics, |_| true, color);
    let objectives: usize = workspace.goals.iter().map(|g| g.objectives.len()).sum();
    let krs: usize = workspace
        .goals
        .iter()
        .flat_map(|g| &g.objectives)
        .map(|o| o.key_results.len())
        .sum();
    eprintln!(
        "{} {objectives} objective(s) and {krs} key result(s) in {} file(s); {} row problem(s)",
        if folder.is_some() {
            "imported"
        } else {
            "would import"
        },
        imported.files.len(),
        imported.problems.len()
    );
    let failed =
        !imported.problems.is_empty() || diagnostics.iter().any(|d| d.severity == Severity::Error);
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Writes every file into `dir`, each atomically; refuses before writing
/// any when one exists and `force` is not given.
fn write(
    dir: &std::path::Path,
    paths: &[PathBuf],
    files: &[crate::import::GoalFile],
    force: bool,
) -> Result<(), Failure> {
    let cannot = |path: &PathBuf| {
        let path = path.display().to_string();
        move |source| Failure::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(cannot(&dir.to_path_buf()))?;
    if !force {
        if let Some(there) = paths.iter().find(|path| path.exists()) {
            return Err(Failure::Exists {
                path: there.display().to_string(),
            });
        }
    }
    // Each file is flushed to disk before its rename, which waits on the
    // disk: 2,000 teams are written by 16 threads at once, not one by one.
    let jobs: Vec<(&PathBuf, &crate::import::GoalFile)> = paths.iter().zip(files).collect();
    let chunk = jobs.len().div_ceil(16).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    for (path, file) in part {
                        let written = if force {
                            crate::write::atomic_write(path, file.text.as_bytes())
                        } else {
                            crate::write::create_new(path, file.text.as_bytes())
                        };
                        written.map_err(cannot(path))?;
                    }
                    Ok::<(), Failure>(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|handle| {
            handle.join().unwrap_or_else(|_| {
                Err(Failure::Write {
                    path: dir.display().to_string(),
                    source: std::io::Error::other("a writing thread stopped"),
                })
            })
        })
    })?;
    Ok(())
}
