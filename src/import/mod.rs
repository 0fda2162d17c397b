//! Stage 0, data in: `okr import`, goals from a spreadsheet (CSV or XLSX)
//! or another OKR tool's export, and the rows of `okr checkin --from`.
//!
//! - `table`: bytes → a header and rows of cells;
//! - `mapping`: which column holds what (TOML; the presets in `presets/`);
//! - `rows`: the cells by field, blanks filled down;
//! - `values`: untrusted text → string literals, quantities, dates, handles;
//! - `ids`: identifiers from titles;
//! - `goals`: rows → teams and objectives, parents resolved;
//!   `key_results`: a KR row's values, target and check-ins; `text`: those
//!   → `.okr` files, formatted as `okr fmt` formats them;
//! - `checkins`: `okr checkin --from`, all rows or none;
//! - `problem`: a row left out, with its row, column and code.

pub mod checkins;
pub mod goals;
pub mod ids;
mod key_results;
pub mod mapping;
pub mod problem;
pub mod rows;
pub mod table;
mod text;
pub mod values;

pub use mapping::{Field, Mapping};
pub use problem::{RowCode, RowProblem};
pub use table::Table;

use crate::model::period::Period;
use chrono::NaiveDate;

/// What an import is told besides the sheet.
pub struct Settings<'a> {
    /// The columns and how cells read.
    pub mapping: &'a Mapping,
    /// `--period`: the period of rows without one.
    pub period: Option<Period>,
    /// The day a `current` value without a date is checked in (within the period).
    pub today: NaiveDate,
    /// The team of rows without one, when the mapping names none.
    pub team: String,
}

/// One `.okr` file to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalFile {
    /// Its file name: `TEAM-PERIOD.okr`.
    pub name: String,
    /// Its text, formatted as `okr fmt` writes it.
    pub text: String,
}

/// An import's result: the files, and the rows left out.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    /// One file per team and period, in the order teams first appear.
    pub files: Vec<GoalFile>,
    /// The rows left out (or imported in part), in row order.
    pub problems: Vec<RowProblem>,
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The mapping finds no column with titles.
    #[error("no column holds the titles: the mapping looks for {wanted}, and the header row has {found}; pick a --preset or write a --map file (docs/import.md)")]
    NoTitles {
        /// The headers the mapping looks for.
        wanted: String,
        /// The headers the sheet has.
        found: String,
    },
    /// No period anywhere.
    #[error("the rows name no period; give one with --period (e.g. --period 2026-Q3)")]
    NoPeriod,
    /// The generated text would not format (a bug in okr import).
    #[error("the goals made for `{0}` do not read back as the rows say (a bug in okr import); nothing was written")]
    NotReadable(String),
}

/// Imports `table` as `.okr` files.
pub fn import(table: &Table, settings: &Settings<'_>) -> Result<Imported, ImportError> {
    let (teams, mut problems) = goals::read(table, settings)?;
    let (files, more) = text::files(teams)?;
    problems.extend(more);
    problems.sort_by_key(|problem| problem.row);
    Ok(Imported { files, problems })
}

/// Why `okr import`, `okr export` or `okr checkin --from` stopped, as the
/// command line words it.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// A file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The spreadsheet is not one.
    #[error("`{path}`: {source}")]
    Table {
        /// The file.
        path: String,
        /// Why.
        source: table::TableError,
    },
    /// The mapping is not one.
    #[error(transparent)]
    Mapping(#[from] mapping::MappingError),
    /// Nothing could be imported.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// A file to write is there already.
    #[error("`{path}` exists; nothing was written (pass --force to replace it)")]
    Exists {
        /// The file.
        path: String,
    },
    /// A file could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The export could not be made.
    #[error("cannot write the export: {0}")]
    Export(String),
    /// A file to export does not parse (its errors are shown first).
    #[error("the export needs every file to parse; fix the syntax errors above")]
    ExportSyntax,
    /// Check-ins refused or not written.
    #[error(transparent)]
    Bulk(#[from] checkins::BulkError),
}

/// The spreadsheet at `path` (CSV or XLSX), its `sheet` or its first.
pub fn read_table(path: &std::path::Path, sheet: Option<&str>) -> Result<Table, Failure> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| Failure::Read {
        path: shown.clone(),
        source,
    })?;
    table::read(&bytes, sheet).map_err(|source| Failure::Table {
        path: shown,
        source,
    })
}

/// The mapping file at `path`, or the preset `preset`, or `fallback`'s text.
pub fn load_mapping(
    path: Option<&std::path::Path>,
    preset: Option<&str>,
    fallback: &str,
) -> Result<Mapping, Failure> {
    if let Some(path) = path {
        let text = std::fs::read_to_string(path).map_err(|source| Failure::Read {
            path: path.display().to_string(),
            source,
        })?;
        return Ok(Mapping::parse(&text)?);
    }
    Ok(match preset {
        Some(name) => Mapping::preset(name)?,
        None => Mapping::parse(fallback)?,
    })
}
