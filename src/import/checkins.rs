//! `okr checkin --from FILE.csv`: many check-ins from a metrics export,
//! all or nothing. Every row is planned first, each on the text the rows
//! before it made; one refused row writes nothing and every refused row is
//! reported. Then the files touched are locked, read again, planned again
//! (another okr may have written meanwhile) and each replaced atomically.

use super::mapping::{Field, Mapping};
use super::problem::{RowCode, RowProblem};
use super::rows::Fields;
use super::table::Table;
use crate::edit::checkin::{plan, Refusal, Request};
use crate::source::FileId;
use crate::workspace::{LoadError, Workspace};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The columns a check-in file has when no mapping is given.
pub const DEFAULT_MAPPING: &str = r#"
[columns]
kr = ["kr", "key result", "reference", "okr"]
metric = ["metric", "metric name", "name"]
date = ["date", "day"]
value = ["value", "reading", "current"]
note = ["note", "comment"]
confidence = ["confidence"]
by = ["by", "author", "who"]

[options]
fill_down = []
dated_columns = false
"#;

/// One row's check-in, as `okr checkin` takes it.
#[derive(Clone, Debug)]
pub struct Row {
    /// The row's number in the file.
    pub row: usize,
    /// The check-in.
    pub request: Request,
}

/// The check-ins of a file's rows, or the problems of the rows that have none.
pub fn requests(table: &Table, mapping: &Mapping, today: NaiveDate) -> (Vec<Row>, Vec<RowProblem>) {
    let fields = Fields::new(table, mapping);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (at, row) in fields.rows() {
        let number = row.number;
        let problem = |code, field, message: String| {
            RowProblem::new(code, number, fields.header(field), message)
        };
        let reference = match (fields.text(at, Field::Kr), fields.text(at, Field::Metric)) {
            (Some(kr), _) => kr.to_string(),
            (None, Some(metric)) => {
                let Some(kr) = mapping.metrics.get(metric) else {
                    problems.push(problem(
                        RowCode::UnknownKr,
                        Field::Metric,
                        format!("the metric `{metric}` is not mapped to a KR (add it under [metrics] in the mapping)"),
                    ));
                    continue;
                };
                kr.clone()
            }
            (None, None) => {
                problems.push(problem(
                    RowCode::UnknownKr,
                    Field::Kr,
                    "the row names no KR and no metric".into(),
                ));
                continue;
            }
        };
        let Some(value) = fields.text(at, Field::Value) else {
            problems.push(problem(
                RowCode::BadNumber,
                Field::Value,
                "the row has no value".into(),
            ));
            continue;
        };
        let date = match fields.text(at, Field::Date) {
            None => today,
            Some(text) => {
                let Some(date) = super::values::date(text, &mapping.options.date_formats) else {
                    problems.push(problem(
                        RowCode::BadDate,
                        Field::Date,
                        format!("`{text}` is not a date (write 2026-07-14)"),
                    ));
                    continue;
                };
                date
            }
        };
        // `1.200,5` is `1200.5` where the comma is the decimal mark.
        let value = match super::values::amount(&super::values::Cell::text(value), true) {
            Some(amount) if mapping.options.decimal_comma && amount.unit.is_none() => {
                amount.number.normalize().to_string()
            }
            _ => value.to_string(),
        };
        rows.push(Row {
            row: number,
            request: Request {
                reference,
                value,
                date,
                confidence: fields.text(at, Field::Confidence).map(str::to_string),
                note: fields.text(at, Field::Note).map(str::to_string),
                by: fields.text(at, Field::By).map(str::to_string),
            },
        });
    }
    (rows, problems)
}

/// One check-in line added.
#[derive(Clone, Debug)]
pub struct Added {
    /// The file it went into.
    pub file: FileId,
    /// Its one-based line number in the new text.
    pub line_number: usize,
    /// The line, without indentation.
    pub line: String,
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    /// Rows that would be refused; nothing was written.
    #[error("{} row(s) were refused; nothing was written", .0.len())]
    Refused(Vec<RowProblem>),
    /// A file could not be read again under its lock.
    #[error(transparent)]
    Reload(#[from] LoadError),
    /// A file could not be locked or written (the files written before it
    /// were put back as they were).
    #[error("cannot write `{path}`: {source}; nothing was written")]
    Write {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Another writer changed which files the rows go into.
    #[error("the goal files changed while the check-ins were being added; nothing was written (run the command again)")]
    Changed,
}

/// Plans every row on `workspace`'s texts, each on the text the rows before
/// it made (rows in date order, so a KR's readings go in oldest first).
fn plan_all(
    workspace: &mut Workspace,
    rows: &[Row],
) -> (Vec<Added>, BTreeMap<FileId, String>, Vec<RowProblem>) {
    let mut order: Vec<&Row> = rows.iter().collect();
    order.sort_by_key(|row| row.request.date);
    let mut added = Vec::new();
    let mut texts = BTreeMap::new();
    let mut problems = Vec::new();
    for row in order {
        match plan(workspace, &row.request) {
            Ok(edit) => {
                replace_text(workspace, edit.file, edit.text.clone());
                texts.insert(edit.file, edit.text);
                added.push(Added {
                    file: edit.file,
                    line_number: edit.line_number,
                    line: edit.line,
                });
            }
            Err(refusal) => {
                let (code, message) = match &refusal {
                    Refusal::UnknownKr(message) => (RowCode::UnknownKr, message.clone()),
                    Refusal::Usage(message) => (RowCode::RefusedCheckin, message.clone()),
                    Refusal::Goals { code, message } => {
                        (RowCode::RefusedCheckin, format!("{message} ({code})"))
                    }
                };
                problems.push(RowProblem::new(code, row.row, "", message));
            }
        }
    }
    problems.sort_by_key(|problem| problem.row);
    // A line added later above an earlier one moves it down.
    for later in 1..added.len() {
        let (before, after) = added.split_at_mut(later);
        let moved = &after[0];
        for earlier in before.iter_mut() {
            if earlier.file == moved.file && moved.line_number <= earlier.line_number {
                earlier.line_number += 1;
            }
        }
    }
    (added, texts, problems)
}

/// Puts `text` in the workspace as file `id`'s, as if read from its disk.
fn replace_text(workspace: &mut Workspace, id: FileId, text: String) {
    let path = workspace.files[id].disk_path().to_path_buf();
    let shown = workspace.files[id].path.clone();
    let (mut file, goals, diagnostics) = crate::workspace::read_text(id, &path, text);
    file.path = shown;
    workspace.replace(id, (file, goals, diagnostics));
}

/// The problems of the rows `okr checkin --from` would refuse, each
/// planned on the text the rows before it made.
pub fn refusals(workspace: &mut Workspace, rows: &[Row]) -> Vec<RowProblem> {
    plan_all(workspace, rows).2
}

/// Adds every row's check-in, or none: see the module's doc.
pub fn add_all(workspace: &mut Workspace, rows: &[Row]) -> Result<Vec<Added>, BulkError> {
    // Planned on the texts in memory; the files touched are read again under their locks.
    let (_, texts, problems) = plan_all(workspace, rows);
    if !problems.is_empty() {
        return Err(BulkError::Refused(problems));
    }
    let files: Vec<FileId> = texts.keys().copied().collect();
    let mut locks = Vec::with_capacity(files.len());
    // In path order, so two bulk check-ins never wait on each other.
    let mut by_path: Vec<FileId> = files.clone();
    by_path.sort_by(|a, b| {
        workspace.files[*a]
            .disk_path()
            .cmp(workspace.files[*b].disk_path())
    });
    for &file in &by_path {
        let lock =
            crate::write::lock_for_edit(workspace.files[file].disk_path()).map_err(|source| {
                BulkError::Write {
                    path: workspace.files[file].path.clone(),
                    source,
                }
            })?;
        locks.push(lock);
        workspace.reload(file)?;
    }
    let originals: BTreeMap<FileId, String> = files
        .iter()
        .map(|&f| (f, workspace.files[f].text.clone()))
        .collect();
    let (added, texts, problems) = plan_all(workspace, rows);
    if !problems.is_empty() {
        return Err(BulkError::Refused(problems));
    }
    if texts.keys().copied().collect::<Vec<_>>() != files {
        return Err(BulkError::Changed);
    }
    let mut written: Vec<FileId> = Vec::new();
    for (&file, text) in &texts {
        let path = workspace.files[file].disk_path().to_path_buf();
        if let Err(source) = crate::write::atomic_write(&path, text.as_bytes()) {
            // Put back what was written: all or nothing.
            for &done in &written {
                let _ = crate::write::atomic_write(
                    workspace.files[done].disk_path(),
                    originals[&done].as_bytes(),
                );
            }
            return Err(BulkError::Write {
                path: workspace.files[file].path.clone(),
                source,
            });
        }
        written.push(file);
    }
    drop(locks);
    Ok(added)
}
