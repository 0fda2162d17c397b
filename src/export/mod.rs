//! Stage 4, data out: `okr export csv|xlsx`, one row per KR with the
//! numbers of `okr report --format json` (the same scores, from
//! [`crate::report::scores`]), in columns `okr import --preset okr` reads
//! back.

use crate::model::goals;
use crate::model::quantity::Unit;
use crate::report::scores;
use crate::score::TeamScore;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::io::Write;

/// The header row, in order.
pub const COLUMNS: &[&str] = &[
    "team",
    "team_name",
    "period",
    "objective_id",
    "objective",
    "objective_owners",
    "objective_type",
    "aligns",
    "kr_id",
    "kr",
    "owners",
    "unit",
    "currency",
    "target_text",
    "baseline",
    "target",
    "current",
    "progress",
    "expected",
    "score",
    "status",
    "forecast",
    "confidence",
    "last_checkin",
    "last_value",
    "due",
    "weight",
];

/// One cell: text, an exact number, or nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Text as the goals write it.
    Text(String),
    /// A number exactly as the JSON report has it (percents as fractions).
    Number(Decimal),
    /// No value.
    Empty,
}

fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

fn number(value: Option<Decimal>) -> Value {
    value.map_or(Value::Empty, |n| Value::Number(n.normalize()))
}

/// The unit column: a count's word (`readers`) rather than `count`, so an
/// import writes its values with the word and its check-ins still match.
fn unit_column(unit: Option<Unit>, word: Option<Box<str>>) -> String {
    match (unit, word) {
        (Some(Unit::Count), Some(word)) => word.into(),
        (unit, _) => unit.map_or("", Unit::kind).to_string(),
    }
}

fn handles(owners: &[crate::span::Spanned<String>]) -> String {
    owners
        .iter()
        .map(|owner| owner.value.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every KR's row, in the order of the files and of their goals, scored as
/// of `today` as the report scores them.
pub fn rows(workspace: &Workspace, today: NaiveDate) -> Vec<Vec<Value>> {
    let scores = scores(workspace, today);
    let mut rows = Vec::new();
    for (goals, score) in workspace.goals.iter().zip(&scores) {
        let (Some(score), Some(team), Some(period)) = (score, &goals.team, &goals.period) else {
            continue;
        };
        team_rows(goals, team, &period.value.label, score, &mut rows);
    }
    rows
}

fn team_rows(
    goals: &goals::Goals,
    team: &goals::Team,
    period: &str,
    score: &TeamScore,
    rows: &mut Vec<Vec<Value>>,
) {
    for (objective, scored) in goals.objectives.iter().zip(&score.objectives) {
        let owners = if objective.owners.is_empty() {
            &goals.owners
        } else {
            &objective.owners
        };
        let aligns: Vec<String> = objective
            .aligns
            .iter()
            .map(|a| a.value.to_string())
            .collect();
        for (kr, kr_score) in objective.key_results.iter().zip(&scored.key_results) {
            let unit = kr.unit();
            let last = kr.checkins.last();
            rows.push(vec![
                text(&team.id.value),
                text(team.name.as_ref().map_or("", |name| name.value.as_str())),
                text(period),
                text(&objective.id.value),
                text(&objective.title.value),
                text(handles(owners)),
                text(objective.kind().as_str()),
                text(aligns.join(", ")),
                text(&kr.id.value),
                text(&kr.title.value),
                text(handles(&kr.owners)),
                text(unit_column(unit, kr.word())),
                text(
                    unit.and_then(Unit::currency)
                        .map_or(String::new(), |c| c.code().to_string()),
                ),
                text(crate::document::target_text(&kr.target.value)),
                number(kr_score.baseline),
                number(kr_score.target),
                number(kr_score.current),
                number(kr_score.progress),
                number(kr_score.expected),
                number(Some(kr_score.score)),
                text(kr_score.status.as_str()),
                number(kr_score.forecast),
                number(kr_score.confidence),
                last.map_or(Value::Empty, |c| text(c.date.value.to_string())),
                last.map_or(Value::Empty, |c| text(c.reading.value.to_string())),
                kr.due
                    .as_ref()
                    .map_or(Value::Empty, |d| text(d.value.to_string())),
                number(Some(kr.weight())),
            ]);
        }
    }
}

/// Writes `rows` as CSV: text cells neutralised against formulas
/// ([`crate::escape::csv_cell`]), numbers as exact decimals.
pub fn write_csv(rows: &[Vec<Value>], out: impl Write) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    let mut record: Vec<String> = Vec::with_capacity(COLUMNS.len());
    for row in rows {
        record.clear();
        record.extend(row.iter().map(|value| match value {
            Value::Text(text) => crate::escape::csv_cell(text).into_owned(),
            Value::Number(number) => number.to_string(),
            Value::Empty => String::new(),
        }));
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}

/// `rows` as an XLSX workbook: one sheet, numbers as numbers, text as
/// text (a cell written as a string is never a formula in XLSX).
pub fn xlsx(rows: &[Vec<Value>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_decimal::prelude::ToPrimitive;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("okr")?;
    for (column, name) in (0u16..).zip(COLUMNS) {
        sheet.write_string(0, column, *name)?;
    }
    for (row, values) in (1u32..).zip(rows) {
        for (column, value) in (0u16..).zip(values) {
            match value {
                Value::Text(text) if !text.is_empty() => {
                    sheet.write_string(row, column, text)?;
                }
                Value::Number(number) => {
                    sheet.write_number(row, column, number.to_f64().unwrap_or_default())?;
                }
                Value::Text(_) | Value::Empty => {}
            }
        }
    }
    workbook.save_to_buffer()
}
