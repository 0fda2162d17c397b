//! Rows → teams, objectives and KRs, every value in the language's form.
//! A row whose cells do not read is left out with a [`RowProblem`]; the
//! others are imported.

use super::ids::{slug, Ids};
use super::mapping::Field;
use super::problem::{RowCode, RowProblem};
use super::rows::Fields;
use super::table::Table;
use super::values;
use super::{ImportError, Settings};
use crate::model::goals::Reference;
use crate::model::period::Period;
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
    pub(super) kr_ids: Ids,
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
            .flat_map(super::mapping::Names::all)
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

pub(super) type Found<T> = Result<T, Box<RowProblem>>;

/// Where an objective is: its team's index and its own.
pub(super) type At = (usize, usize);

pub(super) struct Reader<'s, 't> {
    pub(super) fields: Fields<'t>,
    pub(super) settings: &'s Settings<'s>,
    pub(super) default_period: Option<Period>,
    pub(super) teams: Vec<Team>,
    pub(super) team_index: HashMap<(String, String), usize>,
    /// A row's own reference (`OKR Reference`) → its objective.
    pub(super) references: HashMap<String, At>,
    /// An objective's title, lowercase → the first objective with it.
    pub(super) titles: HashMap<String, At>,
    /// Parents to find once every row is read: the child, the text, its row.
    pub(super) parents: Vec<(At, String, usize)>,
    pub(super) last_objective: Option<At>,
    pub(super) problems: Vec<RowProblem>,
}

impl Reader<'_, '_> {
    pub(super) fn problem(
        &self,
        code: RowCode,
        row: usize,
        field: Field,
        message: String,
    ) -> Box<RowProblem> {
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
        let Some(id) = self.teams[team]
            .ids
            .assign(given_id.as_deref(), &title, "objective")
        else {
            return Err(self.problem(
                RowCode::DuplicateId,
                number,
                Field::ObjectiveId,
                format!(
                    "the id `{}` is taken by another objective of the team",
                    given_id.as_deref().unwrap_or_default()
                ),
            ));
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
    pub(super) fn owners(&self, at: usize) -> Vec<String> {
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
}
