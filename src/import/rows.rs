//! Rows read through a mapping: each row's cells by field, blanks filled
//! down where the mapping says, every value still untrusted text.

use super::mapping::{Field, Mapping};
use super::table::{Row, Table};
use super::values::Cell;
use std::collections::BTreeMap;

/// A table seen through a mapping.
pub struct Fields<'t> {
    table: &'t Table,
    /// Each mapped field's column.
    columns: BTreeMap<Field, usize>,
    /// Columns whose header is a date: dated check-ins.
    pub dated: Vec<(usize, chrono::NaiveDate)>,
    /// Fill-down values, replacing blank cells: `(row index, column)` → cell.
    filled: BTreeMap<(usize, usize), Cell>,
}

impl<'t> Fields<'t> {
    /// `table`'s columns located by `mapping`, blanks filled down.
    pub fn new(table: &'t Table, mapping: &Mapping) -> Self {
        let columns = mapping.locate(&table.headers);
        let dated = if mapping.options.dated_columns {
            let taken: Vec<usize> = columns.values().copied().collect();
            table
                .headers
                .iter()
                .enumerate()
                .filter(|(at, _)| !taken.contains(at))
                .filter_map(|(at, header)| {
                    let header = header.trim();
                    // Only a header written as a date, never a bare number.
                    let dated = header.len() >= 8 && header.contains(['-', '/', '.', ' ']);
                    dated
                        .then(|| super::values::date(header, &mapping.options.date_formats))
                        .flatten()
                        .map(|day| (at, day))
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut filled = BTreeMap::new();
        for field in &mapping.options.fill_down {
            let Some(&column) = columns.get(field) else {
                continue;
            };
            let mut last: Option<&Cell> = None;
            for (at, row) in table.rows.iter().enumerate() {
                match row.cells.get(column) {
                    Some(cell) if !cell.text.trim().is_empty() => last = Some(cell),
                    _ => {
                        if let Some(cell) = last {
                            filled.insert((at, column), cell.clone());
                        }
                    }
                }
            }
        }
        Fields {
            table,
            columns,
            dated,
            filled,
        }
    }

    /// Whether the mapping found a column for `field`.
    pub fn has(&self, field: Field) -> bool {
        self.columns.contains_key(&field)
    }

    /// The rows, with their index.
    pub fn rows(&self) -> impl Iterator<Item = (usize, &'t Row)> {
        self.table.rows.iter().enumerate()
    }

    /// Row `at`'s cell for `field` when it has text (trimmed text).
    pub fn get(&self, at: usize, field: Field) -> Option<&Cell> {
        let column = *self.columns.get(&field)?;
        self.cell(at, column)
    }

    /// Row `at`'s cell in `column` when it has text.
    pub fn cell(&self, at: usize, column: usize) -> Option<&Cell> {
        let own = self.table.rows.get(at)?.cells.get(column);
        let cell = match own {
            Some(cell) if !cell.text.trim().is_empty() => cell,
            _ => self.filled.get(&(at, column))?,
        };
        Some(cell)
    }

    /// Row `at`'s text for `field`, trimmed, when it has any.
    pub fn text(&self, at: usize, field: Field) -> Option<&str> {
        self.get(at, field).map(|cell| cell.text.trim())
    }

    /// The header of `field`'s column, for messages.
    pub fn header(&self, field: Field) -> &str {
        self.columns
            .get(&field)
            .and_then(|&at| self.table.headers.get(at))
            .map_or("", String::as_str)
    }

    /// The header of `column`.
    pub fn header_at(&self, column: usize) -> &str {
        self.table.headers.get(column).map_or("", String::as_str)
    }
}
