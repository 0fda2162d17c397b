//! Rows → teams, objectives and KRs, every value in the language's form.
//! A row whose cells do not read is left out with a [`RowProblem`]; the
//! others are imported.

use super::ids::{slug, Ids};
use super::mapping::Field;
use super::problem::{RowCode, RowProblem};
use super::rows::Fields;
use super::table::Table;
use super::values::{self, Amount, Cell};
use super::{ImportError, Settings};
use crate::model::goals::Reference;
use crate::model::period::Period;
use crate::model::quantity::{Currency, Unit};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One team's goals for one period: one `.okr` file.
#[derive(Clone, Debug)]
pub struct Team {
    /// The team's id.
    pub id: String,
    /// Its name as the sheet writes it, when that is not the id.
    pub name: Option<String>,
    /// The period.
    pub period: Period,
    /// Its objectives, in row order.
    pub objectives: Vec<Objective>,
    ids: Ids,
    keys: HashMap<String, usize>,
}

/// An objective and its KRs.
#[derive(Clone, Debug)]
pub struct Objective {
    /// Its id, unique in its file.
    pub id: String,
    /// Its title, untrusted.
    pub title: String,
    /// The row it came from.
    pub row: usize,
    /// Its owners, as handles.
    pub owners: Vec<String>,
    /// `committed` or `aspirational`, when the sheet says.
    pub kind: Option<&'static str>,
    /// References it aligns to, in the language's form.
    pub aligns: Vec<String>,
    /// Its KRs, in row order.
    pub key_results: Vec<KeyResult>,
    kr_ids: Ids,
}

/// A KR, its values already in the language's form.
#[derive(Clone, Debug)]
pub struct KeyResult {
    /// Its id, unique in its objective.
    pub id: String,
    /// Its title, untrusted.
    pub title: String,
    /// The row it came from.
    pub row: usize,
    /// `target 60,000`, `hold < 0.3%`, `milestone`.
    pub target: String,
    /// `41,000`, `unknown`.
    pub baseline: Option<String>,
    /// Its owners, as handles, when not its objective's.
    pub owners: Vec<String>,
    /// Its due date.
    pub due: Option<NaiveDate>,
    /// Its weight.
    pub weight: Option<String>,
    /// Its check-ins, oldest first: date, reading, confidence.
    pub checkins: Vec<(NaiveDate, String, Option<String>)>,
}

/// Reads every row of `table`.
pub fn read(
    table: &Table,
    settings: &Settings<'_>,
) -> Result<(Vec<Team>, Vec<RowProblem>), ImportError> {
    let fields = Fields::new(table, settings.mapping);
    let items = fields.has(Field::Title) && fields.has(Field::Type);
    if !items && !fields.has(Field::Objective) {
        let wanted = [Field::Objective, Field::Title]
            .iter()
            .filter_map(|field| settings.mapping.columns.get(field))
            .flat_map(|names| match names {
                super::mapping::Names::One(name) => vec![name.clone()],
                super::mapping::Names::Many(names) => names.clone(),
            })
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let found = table
            .headers
            .iter()
            .map(|header| format!("`{}`", crate::escape::terminal(header)))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(ImportError::NoTitles { wanted, found });
    }
    let default_period = match &settings.period {
        Some(period) => Some(period.clone()),
        None => settings
            .mapping
            .options
            .period
            .as_deref()
            .and_then(period_of),
    };
    let mut reader = Reader {
        fields,
        settings,
        default_period,
        teams: Vec::new(),
        team_index: HashMap::new(),
        references: HashMap::new(),
        titles: HashMap::new(),
        parents: Vec::new(),
        last_objective: None,
        problems: Vec::new(),
    };
    let rows: Vec<(usize, usize)> = reader
        .fields
        .rows()
        .map(|(at, row)| (at, row.number))
        .collect();
    for (at, number) in rows {
        if let Err(problem) = reader.row(at, number, items) {
            reader.problems.push(*problem);
        }
    }
    reader.resolve_parents();
    Ok((reader.teams, reader.problems))
}

type Found<T> = Result<T, Box<RowProblem>>;

/// Where an objective is: its team's index and its own.
type At = (usize, usize);

struct Reader<'s, 't> {
    fields: Fields<'t>,
    settings: &'s Settings<'s>,
    default_period: Option<Period>,
    teams: Vec<Team>,
    team_index: HashMap<(String, String), usize>,
    /// A row's own reference (`OKR Reference`) → its objective.
    references: HashMap<String, At>,
    /// An objective's title, lowercase → the first objective with it.
    titles: HashMap<String, At>,
    /// Parents to find once every row is read: the child, the text, its row.
    parents: Vec<(At, String, usize)>,
    last_objective: Option<At>,
    problems: Vec<RowProblem>,
}

impl Reader<'_, '_> {
    fn problem(&self, code: RowCode, row: usize, field: Field, message: String) -> Box<RowProblem> {
        Box::new(RowProblem::new(
            code,
            row,
            self.fields.header(field),
            message,
        ))
    }

    fn row(&mut self, at: usize, number: usize, items: bool) -> Found<()> {
        if !items {
            let objective = self.objective(at, number, Field::Objective)?;
            if self.fields.text(at, Field::Kr).is_some() {
                self.key_result(at, number, objective, Field::Kr)?;
            }
            return Ok(());
        }
        let kind = self
            .fields
            .text(at, Field::Type)
            .unwrap_or_default()
            .to_lowercase();
        let options = &self.settings.mapping.options;
        if options
            .objective_types
            .iter()
            .any(|t| t.to_lowercase() == kind)
        {
            let objective = self.objective(at, number, Field::Title)?;
            self.last_objective = Some(objective);
        } else if options.kr_types.iter().any(|t| t.to_lowercase() == kind) {
            let objective = match self.fields.text(at, Field::Parent) {
                Some(parent) => *self.references.get(parent).ok_or_else(|| {
                    self.problem(
                        RowCode::UnknownParent,
                        number,
                        Field::Parent,
                        format!("no objective above has the reference `{parent}`"),
                    )
                })?,
                None => self.last_objective.ok_or_else(|| {
                    self.problem(
                        RowCode::UnknownParent,
                        number,
                        Field::Parent,
                        "a key result before any objective, and no parent named".into(),
                    )
                })?,
            };
            self.key_result(at, number, objective, Field::Title)?;
        }
        // Other items (initiatives, projects) are not goals: left out.
        Ok(())
    }

    /// The team and period of row `at`: its file.
    fn team(&mut self, at: usize, number: usize) -> Found<usize> {
        let options = &self.settings.mapping.options;
        let owner_team = options
            .owner_team_separator
            .as_deref()
            .and_then(|separator| {
                let owner = self.fields.text(at, Field::Owner)?;
                owner
                    .split_once(separator)
                    .map(|(team, _)| team.trim().to_string())
            });
        let written = self
            .fields
            .text(at, Field::Team)
            .map(str::to_string)
            .or(owner_team)
            .or_else(|| options.team.clone())
            .unwrap_or_else(|| self.settings.team.clone());
        let written = written
            .split([',', ';'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        let id = if crate::syntax::atoms::is_identifier(&written) {
            written.clone()
        } else {
            slug(&written, "team")
        };
        let name = self
            .fields
            .text(at, Field::TeamName)
            .map(str::to_string)
            .or_else(|| (id != written).then_some(written));
        let period = match self.fields.text(at, Field::Period) {
            Some(text) => period_of(text).ok_or_else(|| {
                self.problem(
                    RowCode::BadDate,
                    number,
                    Field::Period,
                    format!("`{text}` is not a period (write 2026-Q3, Q3 2026, 2026-H2 or 2026)"),
                )
            })?,
            None => self.default_period.clone().ok_or_else(|| {
                self.problem(
                    RowCode::BadDate,
                    number,
                    Field::Period,
                    "the row names no period; give one with --period".into(),
                )
            })?,
        };
        let key = (id.clone(), period.label.clone());
        if let Some(&index) = self.team_index.get(&key) {
            return Ok(index);
        }
        self.teams.push(Team {
            id,
            name,
            period,
            objectives: Vec::new(),
            ids: Ids::default(),
            keys: HashMap::new(),
        });
        self.team_index.insert(key, self.teams.len() - 1);
        Ok(self.teams.len() - 1)
    }

    /// The objective row `at` names (made on its first row).
    fn objective(&mut self, at: usize, number: usize, title_field: Field) -> Found<At> {
        let title = self.fields.text(at, title_field).ok_or_else(|| {
            self.problem(
                RowCode::MissingTitle,
                number,
                title_field,
                "the row has no objective title".into(),
            )
        })?;
        let title = title.to_string();
        let team = self.team(at, number)?;
        let given_id = self.fields.text(at, Field::ObjectiveId).map(str::to_string);
        let reference = self.fields.text(at, Field::Reference).map(str::to_string);
        // One objective per title (or id) in flat sheets; one per row of items.
        let key = match (&given_id, title_field) {
            (Some(id), _) => id.clone(),
            (None, Field::Title) => format!("row {number}"),
            (None, _) => title.to_lowercase(),
        };
        if let Some(&index) = self.teams[team].keys.get(&key) {
            return Ok((team, index));
        }
        if let Some(reference) = &reference {
            if self.references.contains_key(reference) {
                return Err(self.problem(
                    RowCode::DuplicateId,
                    number,
                    Field::Reference,
                    format!("the reference `{reference}` is given to an earlier row too"),
                ));
            }
        }
        let id = match &given_id {
            Some(id) if crate::syntax::atoms::is_identifier(id) => {
                if !self.teams[team].ids.take(id) {
                    return Err(self.problem(
                        RowCode::DuplicateId,
                        number,
                        Field::ObjectiveId,
                        format!("the id `{id}` is taken by another objective of the team"),
                    ));
                }
                id.clone()
            }
            Some(id) => self.teams[team].ids.unique(slug(id, "objective")),
            None => self.teams[team].ids.unique(slug(&title, "objective")),
        };
        let owners = match self.fields.text(at, Field::ObjectiveOwner) {
            Some(text) => values::handles(text),
            None if !self.fields.has(Field::ObjectiveOwner) => self.owners(at),
            None => Vec::new(),
        };
        let kind = match self
            .fields
            .text(at, Field::ObjectiveType)
            .map(str::to_lowercase)
            .as_deref()
        {
            Some("committed") => Some("committed"),
            Some("aspirational") => Some("aspirational"),
            _ => None,
        };
        let mut aligns = Vec::new();
        if let Some(text) = self.fields.text(at, Field::Aligns) {
            for part in text
                .split(',')
                .map(str::trim)
                .filter(|part| !part.is_empty())
            {
                if part.parse::<Reference>().is_err() {
                    return Err(self.problem(
                        RowCode::UnknownParent,
                        number,
                        Field::Aligns,
                        format!("`{part}` is not a reference (write `team/objective`)"),
                    ));
                }
                aligns.push(part.to_string());
            }
        }
        let objectives = &mut self.teams[team].objectives;
        objectives.push(Objective {
            id,
            title: title.clone(),
            row: number,
            owners,
            kind,
            aligns,
            key_results: Vec::new(),
            kr_ids: Ids::default(),
        });
        let index = objectives.len() - 1;
        self.teams[team].keys.insert(key, index);
        if let Some(reference) = reference {
            self.references.insert(reference, (team, index));
        }
        self.titles
            .entry(title.to_lowercase())
            .or_insert((team, index));
        if title_field == Field::Title || self.fields.has(Field::Parent) {
            if let Some(parent) = self.fields.text(at, Field::Parent) {
                // In a sheet of KR rows, `parent` is the objective's parent.
                self.parents
                    .push(((team, index), parent.to_string(), number));
            }
        }
        Ok((team, index))
    }

    /// The owners of row `at`, as handles (after the team, when the
    /// mapping splits it off).
    fn owners(&self, at: usize) -> Vec<String> {
        let Some(text) = self.fields.text(at, Field::Owner) else {
            return Vec::new();
        };
        let text = self
            .settings
            .mapping
            .options
            .owner_team_separator
            .as_deref()
            .and_then(|separator| text.split_once(separator).map(|(_, owner)| owner))
            .unwrap_or(text);
        values::handles(text)
    }

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
    fn key_result(
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
        let id = match &given_id {
            Some(id) if crate::syntax::atoms::is_identifier(id) => {
                if !objective.kr_ids.take(id) {
                    return Err(duplicate);
                }
                id.clone()
            }
            Some(id) => objective.kr_ids.unique(slug(id, "result")),
            None => objective.kr_ids.unique(slug(&title, "result")),
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

    /// Aligns each child to the parent its row names: by reference, by
    /// title, or as a reference to goals outside the sheet.
    fn resolve_parents(&mut self) {
        let parents = std::mem::take(&mut self.parents);
        for ((team, objective), text, row) in parents {
            let found = self
                .references
                .get(&text)
                .or_else(|| self.titles.get(&text.to_lowercase()))
                .copied();
            let reference = match found {
                Some(at) if at == (team, objective) => continue,
                Some((parent_team, parent)) => {
                    let parent_goals = &self.teams[parent_team];
                    let id = &parent_goals.objectives[parent].id;
                    if parent_goals.id == self.teams[team].id {
                        id.clone()
                    } else {
                        format!("{}/{id}", parent_goals.id)
                    }
                }
                None if text.parse::<Reference>().is_ok() => text.clone(),
                None => {
                    let column = self.fields.header(Field::Parent).to_string();
                    self.problems.push(RowProblem::new(
                        RowCode::UnknownParent,
                        row,
                        &column,
                        format!(
                            "no objective has the reference or title `{text}`; imported without it"
                        ),
                    ));
                    continue;
                }
            };
            let aligns = &mut self.teams[team].objectives[objective].aligns;
            if !aligns.contains(&reference) {
                aligns.push(reference);
            }
        }
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

/// A period as sheets write it: `2026-Q3`, `Q3 2026`, `FY2026 Q3`,
/// `2026 H2`, `2026`, or a range the language reads.
pub fn period_of(text: &str) -> Option<Period> {
    let text = text.trim();
    if let Ok(period) = Period::parse(text) {
        return Some(period);
    }
    let upper = text.to_uppercase();
    let tokens: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let year = tokens.iter().find_map(|token| {
        let digits = token.strip_prefix("FY").unwrap_or(token);
        match digits.len() {
            4 if digits.bytes().all(|b| b.is_ascii_digit()) => Some(digits.to_string()),
            2 if token.starts_with("FY") && digits.bytes().all(|b| b.is_ascii_digit()) => {
                Some(format!("20{digits}"))
            }
            _ => None,
        }
    })?;
    let part = tokens.iter().find(|token| {
        token.len() == 2 && matches!(token.as_bytes(), [b'Q', b'1'..=b'4'] | [b'H', b'1'..=b'2'])
    });
    let label = match part {
        Some(part) => format!("{year}-{part}"),
        None => year,
    };
    Period::parse(&label).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_as_sheets_write_them() {
        for (text, label) in [
            ("2026-Q3", "2026-Q3"),
            ("Q3 2026", "2026-Q3"),
            ("FY26 Q3", "2026-Q3"),
            ("2026 H2", "2026-H2"),
            ("2026", "2026"),
        ] {
            assert_eq!(
                period_of(text).map(|p| p.label),
                Some(label.to_string()),
                "{text}"
            );
        }
        assert!(period_of("next quarter").is_none());
    }

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
