//! A spreadsheet as a header and rows of cells: CSV (any of `,` `;` tab,
//! with or without a byte-order mark) through the `csv` crate, XLSX
//! through `calamine`. Blank rows are skipped; a merged cell's value fills
//! every cell it covers.

use super::values::Cell;
use std::io::Cursor;

/// The first sheet's header and rows.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// The header row's cells, as written.
    pub headers: Vec<String>,
    /// The rows under it that have any text.
    pub rows: Vec<Row>,
}

/// One row under the header.
#[derive(Clone, Debug, Default)]
pub struct Row {
    /// Its number as the spreadsheet shows it (1 is the first line).
    pub number: usize,
    /// Its cells, one per header (missing ones blank).
    pub cells: Vec<Cell>,
}

/// Why a spreadsheet could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// Not CSV text.
    #[error("not a CSV file: {0}")]
    Csv(#[from] csv::Error),
    /// Not an XLSX workbook.
    #[error("not an XLSX workbook: {0}")]
    Xlsx(#[from] calamine::XlsxError),
    /// A workbook without sheets, or without the sheet asked for.
    #[error("the workbook has no sheet{}", .0.as_ref().map(|s| format!(" named `{s}`")).unwrap_or_default())]
    NoSheet(Option<String>),
    /// Nothing but blank rows.
    #[error("it has no header row (every row is blank)")]
    Empty,
}

/// Reads `bytes` as XLSX when they are a zip archive, else as CSV.
pub fn read(bytes: &[u8], sheet: Option<&str>) -> Result<Table, TableError> {
    if bytes.starts_with(b"PK\x03\x04") {
        xlsx(bytes, sheet)
    } else {
        csv_table(bytes)
    }
}

/// The separator the header line uses most: `,`, `;` or a tab (Excel
/// writes `;` where the decimal mark is a comma).
fn separator(text: &[u8]) -> u8 {
    let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for &byte in line {
        match byte {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let most = counts.iter().copied().max().unwrap_or(0);
    if most == 0 || counts[0] == most {
        b','
    } else if counts[1] == most {
        b';'
    } else {
        b'\t'
    }
}

fn csv_table(bytes: &[u8]) -> Result<Table, TableError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(bytes))
        .from_reader(bytes);
    let mut lines = Vec::new();
    let mut record = csv::StringRecord::new();
    // Invalid UTF-8 is an error of the file (csv's own), not of a row.
    while reader.read_record(&mut record)? {
        let number = record.position().map_or(lines.len() + 1, |p| {
            usize::try_from(p.line()).unwrap_or(usize::MAX)
        });
        // A `'` that `okr export` put before a formula-like cell is taken off.
        let cells = record
            .iter()
            .map(|text| Cell::text(crate::escape::csv_cell_unescaped(text)))
            .collect();
        lines.push(Row { number, cells });
    }
    table(lines)
}

/// The first row with text is the header; the blank rows are dropped.
fn table(rows: Vec<Row>) -> Result<Table, TableError> {
    let blank = |row: &Row| row.cells.iter().all(|cell| cell.text.trim().is_empty());
    let mut rows = rows.into_iter().filter(|row| !blank(row));
    let header = rows.next().ok_or(TableError::Empty)?;
    let headers: Vec<String> = header.cells.into_iter().map(|cell| cell.text).collect();
    let width = headers.len();
    let rows = rows
        .map(|mut row| {
            row.cells
                .resize(width.max(row.cells.len()), Cell::default());
            row
        })
        .collect();
    Ok(Table { headers, rows })
}

fn xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<Table, TableError> {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes))?;
    let name = match sheet {
        Some(name) => name.to_string(),
        None => workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or(TableError::NoSheet(None))?,
    };
    if !workbook.sheet_names().contains(&name) {
        return Err(TableError::NoSheet(Some(name)));
    }
    let range = workbook.worksheet_range(&name)?;
    let merged = workbook
        .merge_cells_by_sheet_name(&name)
        .unwrap_or_default();
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Row> = range
        .rows()
        .enumerate()
        .map(|(at, cells)| Row {
            number: usize::try_from(top).unwrap_or(0) + at + 1,
            cells: cells.iter().map(cell).collect(),
        })
        .collect();
    // A merged area shows its first cell's value in every cell it covers.
    for area in merged {
        let (Some(first_row), Some(first_col)) = (
            area.start.0.checked_sub(top),
            area.start.1.checked_sub(left),
        ) else {
            continue;
        };
        let at = |r: u32| usize::try_from(r).unwrap_or(usize::MAX);
        let Some(value) = rows
            .get(at(first_row))
            .and_then(|row| row.cells.get(at(first_col)))
            .cloned()
        else {
            continue;
        };
        for r in area.start.0..=area.end.0 {
            for c in area.start.1..=area.end.1 {
                let (r, c) = (at(r.saturating_sub(top)), at(c.saturating_sub(left)));
                if let Some(slot) = rows.get_mut(r).and_then(|row| row.cells.get_mut(c)) {
                    *slot = value.clone();
                }
            }
        }
    }
    return table(rows);

    fn cell(data: &Data) -> Cell {
        match data {
            Data::Empty => Cell::default(),
            Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
                Cell::text(text.clone())
            }
            Data::Int(n) => Cell {
                text: n.to_string(),
                numeric: true,
            },
            Data::Float(f) => Cell {
                text: float_text(*f),
                numeric: true,
            },
            Data::Bool(b) => Cell::text(b.to_string()),
            // An Excel date is its serial number, read as a date where a date is expected.
            Data::DateTime(date) => Cell {
                text: float_text(date.as_f64()),
                numeric: true,
            },
            Data::Error(error) => Cell::text(error.to_string()),
        }
    }
}

/// A float as its shortest decimal digits (`0.1`, not `0.1000000000000000055`).
fn float_text(f: f64) -> String {
    if f.is_finite() {
        format!("{f}")
    } else {
        String::from("not a number")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_semicolons_and_blank_rows() {
        let table = read(b"\xef\xbb\xbfObjective;Target\n;\nGrow;\"1,5\"\n", None).unwrap();
        assert_eq!(table.headers, ["Objective", "Target"]);
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].number, 3);
        assert_eq!(table.rows[0].cells[1].text, "1,5");
    }

    #[test]
    fn a_file_of_blank_rows_has_no_header() {
        assert!(matches!(read(b"\n,,\n", None), Err(TableError::Empty)));
    }
}
