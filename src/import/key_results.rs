//! One KR row → a [`KeyResult`]: its unit found, every value read in
//! it, its target, baseline and check-ins in the language's form.

use super::goals::{At, Found, KeyResult, Reader};
use super::mapping::Field;
use super::problem::{RowCode, RowProblem};
use super::values::{self, Amount, Cell};
use crate::model::quantity::{Currency, Unit};
use chrono::NaiveDate;

impl Reader<'_, '_> {
    /// Reads a number cell, or says why not.
    fn amount(&self, at: usize, number: usize, field: Field) -> Found<Option<Amount>> {
        let Some(cell) = self.fields.get(at, field) else {
            return Ok(None);
        };
        self.read_amount(cell, number, self.fields.header(field))
            .map(Some)
    }

    fn read_amount(&self, cell: &Cell, number: usize, column: &str) -> Found<Amount> {
        values::amount(cell, self.settings.mapping.options.decimal_comma).ok_or_else(|| {
            Box::new(RowProblem::new(
                RowCode::BadNumber,
                number,
                column,
                values::number_error(cell.text.trim()),
            ))
        })
    }

    fn date(&self, at: usize, number: usize, field: Field) -> Found<Option<NaiveDate>> {
        let Some(text) = self.fields.text(at, field) else {
            return Ok(None);
        };
        values::date(text, &self.settings.mapping.options.date_formats)
            .map(Some)
            .ok_or_else(|| {
                self.problem(
                    RowCode::BadDate,
                    number,
                    field,
                    format!("`{text}` is not a date (write 2026-07-14, or name its format under [options] date_formats)"),
                )
            })
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one KR's cells read in the order of its line; each step is a few lines"
    )]
    pub(super) fn key_result(
        &mut self,
        at: usize,
        number: usize,
        (team, objective): At,
        title_field: Field,
    ) -> Found<()> {
        let options = &self.settings.mapping.options;
        let title = self
            .fields
            .text(at, title_field)
            .ok_or_else(|| {
                self.problem(
                    RowCode::MissingTitle,
                    number,
                    title_field,
                    "the row has no key result title".into(),
                )
            })?
            .to_string();
        let target_text = self.fields.text(at, Field::Target).ok_or_else(|| {
            self.problem(
                RowCode::MissingTarget,
                number,
                Field::Target,
                format!("the key result `{title}` has no target"),
            )
        })?;
        // The KR's unit: the unit column, else the first value that says.
        let mut unit: Option<(Unit, Option<String>)> =
            self.fields.text(at, Field::Unit).and_then(values::unit_of);
        if let Some(code) = self.fields.text(at, Field::Currency) {
            let currency = Currency::parse(code).ok_or_else(|| {
                self.problem(
                    RowCode::UnitMismatch,
                    number,
                    Field::Currency,
                    format!("`{code}` is not a currency code (write USD, EUR…)"),
                )
            })?;
            unit = Some((Unit::Money(currency), None));
        }
        let milestone_unit = self.fields.text(at, Field::Unit).is_some_and(|u| {
            matches!(
                u.to_lowercase().as_str(),
                "milestone" | "binary" | "boolean" | "done"
            )
        });
        let expression = expression(target_text);
        let target_amount = match &expression {
            Some(_) => None,
            None if milestone_unit => None,
            None => self.amount(at, number, Field::Target)?,
        };
        if let Some(expression) = &expression {
            if !expression
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b" .,%$<>=+-_".contains(&b))
                && !expression.chars().any(|c| matches!(c, '€' | '£' | '¥'))
            {
                return Err(self.problem(
                    RowCode::BadNumber,
                    number,
                    Field::Target,
                    format!("`{expression}` is not a target (write a number, or a target such as `<= 2%` or `hold >= 99.9%`)"),
                ));
            }
        }
        let baseline_cell = self.fields.text(at, Field::Baseline);
        let baseline_unknown = baseline_cell.is_some_and(|b| b.eq_ignore_ascii_case("unknown"));
        let baseline = if baseline_unknown {
            None
        } else {
            self.amount(at, number, Field::Baseline)?
        };
        let current_cell = self.fields.get(at, Field::Current).cloned();
        let is_milestone = milestone_unit || expression.as_deref() == Some("milestone");
        let current_amount = match &current_cell {
            Some(cell) if !is_milestone => {
                Some(self.read_amount(cell, number, self.fields.header(Field::Current))?)
            }
            _ => None,
        };
        if unit.is_none() {
            unit = expression.as_deref().and_then(expression_unit).or_else(|| {
                [&target_amount, &baseline, &current_amount]
                    .into_iter()
                    .flatten()
                    .find_map(|amount| amount.unit.map(|unit| (unit, None)))
            });
        }
        let (unit, word) = unit.unwrap_or((Unit::Count, None));
        let word = word.or_else(|| {
            target_amount
                .as_ref()
                .and_then(|amount| amount.word.clone())
        });
        // Every value that names its unit names the KR's.
        for (amount, field) in [
            (&target_amount, Field::Target),
            (&baseline, Field::Baseline),
            (&current_amount, Field::Current),
        ] {
            if let Some(Amount {
                unit: Some(own), ..
            }) = amount
            {
                if *own != unit && !is_milestone {
                    return Err(self.problem(
                        RowCode::UnitMismatch,
                        number,
                        field,
                        format!(
                            "the value is {}, but the key result is {}",
                            own.describe(),
                            unit.describe()
                        ),
                    ));
                }
            }
        }
        let percent = options.percent_numbers;
        let text_of = |amount: &Amount, field: Field| -> Found<String> {
            values::quantity_text(&values::quantity(amount, unit, word.as_deref(), percent))
                .ok_or_else(|| {
                    self.problem(
                        RowCode::BadNumber,
                        number,
                        field,
                        "the number is too large or too precise for a goal".into(),
                    )
                })
        };
        let target = match (&expression, &target_amount) {
            (Some(expression), _)
                if expression.starts_with("hold")
                    || expression == "milestone"
                    || expression.starts_with("target") =>
            {
                expression.clone()
            }
            (Some(expression), _) => format!("target {expression}"),
            (None, _) if is_milestone => "milestone".to_string(),
            (None, Some(amount)) => {
                let text = text_of(amount, Field::Target)?;
                let down = options.direction_from_baseline
                    && baseline.as_ref().is_some_and(|base| {
                        let base = values::quantity(base, unit, None, percent).amount;
                        base > values::quantity(amount, unit, None, percent).amount
                    });
                if down {
                    format!("target <= {text}")
                } else {
                    format!("target {text}")
                }
            }
            (None, None) => {
                return Err(self.problem(
                    RowCode::MissingTarget,
                    number,
                    Field::Target,
                    format!("the key result `{title}` has no target"),
                ))
            }
        };
        let baseline = match &baseline {
            _ if baseline_unknown => Some("unknown".to_string()),
            Some(amount) => Some(text_of(amount, Field::Baseline)?),
            None => None,
        };
        let period = self.teams[team].period.clone();
        let mut checkins: Vec<(NaiveDate, String, Option<String>)> = Vec::new();
        let dated = self.fields.dated.clone();
        for (column, day) in dated {
            let Some(cell) = self.fields.cell(at, column).cloned() else {
                continue;
            };
            let header = self.fields.header_at(column).to_string();
            let reading = if is_milestone {
                milestone_reading(&cell.text).ok_or_else(|| {
                    Box::new(RowProblem::new(
                        RowCode::BadNumber,
                        number,
                        &header,
                        format!(
                            "`{}` is not a milestone state (done, pending or a percent)",
                            cell.text.trim()
                        ),
                    ))
                })?
            } else {
                let amount = self.read_amount(&cell, number, &header)?;
                text_of(&amount, Field::Current)?
            };
            checkins.push((day, reading, None));
        }
        checkins.sort_by_key(|checkin| checkin.0);
        if let Some(cell) = &current_cell {
            let reading = match &current_amount {
                Some(amount) => text_of(amount, Field::Current)?,
                None => milestone_reading(&cell.text).ok_or_else(|| {
                    self.problem(
                        RowCode::BadNumber,
                        number,
                        Field::Current,
                        format!(
                            "`{}` is not a milestone state (done, pending or a percent)",
                            cell.text.trim()
                        ),
                    )
                })?,
            };
            let day = match self.date(at, number, Field::Date)? {
                Some(day) => day,
                None => self.settings.today.clamp(period.start, period.end),
            };
            let confidence = match self.fields.get(at, Field::Confidence) {
                Some(cell) => Some(
                    values::confidence(cell, options.decimal_comma)
                        .map(|q| q.to_string())
                        .ok_or_else(|| {
                            self.problem(
                                RowCode::BadNumber,
                                number,
                                Field::Confidence,
                                format!(
                                    "`{}` is not a confidence from 0% to 100%",
                                    cell.text.trim()
                                ),
                            )
                        })?,
                ),
                None => None,
            };
            // A dated column of the same day or later says it already.
            if checkins.last().is_none_or(|last| last.0 < day) {
                checkins.push((day, reading, confidence));
            }
        }
        let due = self.date(at, number, Field::Due)?;
        let weight = match self.amount(at, number, Field::Weight)? {
            // 1 is every KR's weight: not written.
            Some(amount)
                if amount.unit.is_none() && amount.number == rust_decimal::Decimal::ONE =>
            {
                None
            }
            Some(amount)
                if amount.unit.is_none() && amount.number > rust_decimal::Decimal::ZERO =>
            {
                Some(amount.number.normalize().to_string())
            }
            Some(_) => {
                return Err(self.problem(
                    RowCode::BadNumber,
                    number,
                    Field::Weight,
                    "a weight is a number above 0".into(),
                ))
            }
            None => None,
        };
        let owners = self.owners(at);
        let explicit_owner = self.fields.has(Field::ObjectiveOwner);
        let given_id = self.fields.text(at, Field::KrId).map(str::to_string);
        let duplicate = self.problem(
            RowCode::DuplicateId,
            number,
            Field::KrId,
            format!(
                "the key result id `{}` is taken by another key result of the objective",
                given_id.as_deref().unwrap_or_default()
            ),
        );
        let objective = &mut self.teams[team].objectives[objective];
        let Some(id) = objective
            .kr_ids
            .assign(given_id.as_deref(), &title, "result")
        else {
            return Err(duplicate);
        };
        let owners = if !explicit_owner && owners == objective.owners {
            Vec::new()
        } else {
            owners
        };
        objective.key_results.push(KeyResult {
            id,
            title,
            row: number,
            target,
            baseline,
            owners,
            due,
            weight,
            checkins,
        });
        Ok(())
    }
}

/// A target written in the language (`<= 2%`, `hold >= 99.9%`,
/// `milestone`, `+25%`, `x2`), one line, trimmed; `None` for a number.
fn expression(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_lowercase();
    // `-5%` is a number in a sheet; `-2pp` only reads as a change.
    let written = text.starts_with(['>', '<', '+'])
        || lower.starts_with("hold")
        || lower == "milestone"
        || lower.starts_with("target ")
        || (lower.starts_with('x') && lower[1..].starts_with(|c: char| c.is_ascii_digit()))
        || (text.starts_with('-') && lower.ends_with("pp"));
    written.then(|| {
        let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if lower == "milestone" {
            "milestone".to_string()
        } else {
            one_line
        }
    })
}

/// The unit a target expression's level is in (`<= 2%` a percent,
/// `hold < $5` money, `>= 1,400 customers` a count of customers); none for
/// a relative change, whose unit is its baseline's.
fn expression_unit(expression: &str) -> Option<(Unit, Option<String>)> {
    let rest = expression
        .trim_start_matches("target")
        .trim_start_matches("hold")
        .trim()
        .trim_start_matches(['>', '<', '='])
        .trim();
    if rest.starts_with(['+', '-', 'x']) {
        return None;
    }
    let rest = rest.rsplit("..").next().unwrap_or(rest);
    let quantity = crate::syntax::parse_quantity(rest.trim()).ok()?;
    Some((quantity.unit, quantity.word.map(String::from)))
}

/// A milestone's state from a cell: `done`, `pending`, or the share complete.
fn milestone_reading(text: &str) -> Option<String> {
    let text = text.trim().to_lowercase();
    match text.as_str() {
        "done" | "complete" | "completed" | "yes" | "true" | "achieved" => Some("done".into()),
        "pending" | "no" | "false" | "not started" | "open" => Some("pending".into()),
        _ => {
            let amount = values::amount(&Cell::text(text.clone()), false)?;
            let quantity = match amount.unit {
                Some(Unit::Percent) => {
                    crate::model::quantity::Quantity::from_percent(amount.number)
                }
                None if amount.number <= rust_decimal::Decimal::ONE => {
                    crate::model::quantity::Quantity::percent(amount.number)
                }
                _ => return None,
            };
            crate::model::quantity::is_chance(quantity.amount).then(|| quantity.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_written_in_the_language() {
        assert_eq!(expression("<= 2%").as_deref(), Some("<= 2%"));
        assert_eq!(
            expression("hold  >= 99.9%").as_deref(),
            Some("hold >= 99.9%")
        );
        assert_eq!(expression("Milestone").as_deref(), Some("milestone"));
        assert_eq!(expression("+25%").as_deref(), Some("+25%"));
        assert_eq!(expression("-2pp").as_deref(), Some("-2pp"));
        assert_eq!(expression("-5%"), None);
        assert_eq!(expression("60,000"), None);
        assert_eq!(expression_unit("<= 2%").map(|u| u.0), Some(Unit::Percent));
        assert_eq!(expression_unit("+25%"), None);
    }

    #[test]
    fn milestone_states() {
        assert_eq!(milestone_reading("Done").as_deref(), Some("done"));
        assert_eq!(milestone_reading("0.4").as_deref(), Some("40%"));
        assert_eq!(milestone_reading("40%").as_deref(), Some("40%"));
        assert_eq!(milestone_reading("maybe"), None);
    }
}
