//! Which column holds what: a mapping file in TOML, in the spirit of
//! hledger's CSV rules (`docs/import.md`), or one of the built-in presets,
//! which are mapping files too (`src/import/presets/`).

use super::values::PercentNumbers;
use std::collections::BTreeMap;

/// What a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The team's id or name (one `.okr` file per team and period).
    Team,
    /// The team's display name, when `team` holds its id.
    TeamName,
    /// The period: `2026-Q3`, `Q3 2026`, `FY2026 Q3`, `2026`.
    Period,
    /// The objective's title (one row per KR).
    Objective,
    /// The objective's id, when the sheet has one.
    ObjectiveId,
    /// The objective's owners, when not the KR's.
    ObjectiveOwner,
    /// `committed` or `aspirational`.
    ObjectiveType,
    /// References the objective aligns to, in the language's form.
    Aligns,
    /// The KR's title (one row per KR).
    Kr,
    /// The KR's id, when the sheet has one.
    KrId,
    /// A row's title where a `type` column says what the row is.
    Title,
    /// `Objective`, `Key Result` (others, such as initiatives, are left out).
    Type,
    /// A row's own reference, which `parent` cells name.
    Reference,
    /// The reference (or the title) of the row's parent objective.
    Parent,
    /// Owners: handles, names or e-mail addresses.
    Owner,
    /// `%`, a currency, `number`, or the count's unit word.
    Unit,
    /// A currency code, when apart from `unit`.
    Currency,
    /// The value at the start.
    Baseline,
    /// The target: a number, or a target in the language (`<= 2%`, `hold >= 99.9%`, `milestone`).
    Target,
    /// The latest value, checked in.
    Current,
    /// The day of the latest value.
    Date,
    /// How sure the owner is: `60%`.
    Confidence,
    /// The KR's due date.
    Due,
    /// The KR's weight.
    Weight,
    /// A check-in's note.
    Note,
    /// Who checked in.
    By,
    /// `okr checkin --from`: a metric's name, mapped to a KR under `[metrics]`.
    Metric,
    /// `okr checkin --from`: the reading.
    Value,
}

/// One header name, or several a sheet may use.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(untagged)]
pub enum Names {
    /// `objective = "Objective"`.
    One(String),
    /// `objective = ["Objective", "Objectives"]`.
    Many(Vec<String>),
}

impl Names {
    /// Every spelling, one or many.
    pub(super) fn all(&self) -> &[String] {
        match self {
            Names::One(name) => std::slice::from_ref(name),
            Names::Many(names) => names,
        }
    }
}

/// A mapping file.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// A preset this file changes: its columns and options, then these.
    #[serde(default)]
    pub preset: Option<String>,
    /// Field → the header (or headers) of its column.
    #[serde(default)]
    pub columns: BTreeMap<Field, Names>,
    /// How cells are read.
    #[serde(default)]
    pub options: Options,
    /// `okr checkin --from`: metric name → the KR it checks in (`team/objective.kr`).
    #[serde(default)]
    pub metrics: BTreeMap<String, String>,
}

/// How cells are read.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Fields whose blank cell repeats the row above (a title written once
    /// for the KRs under it, as a merged cell shows it).
    pub fill_down: Vec<Field>,
    /// chrono formats tried after `YYYY-MM-DD` and Excel serial numbers.
    pub date_formats: Vec<String>,
    /// `1.200,50`: the comma is the decimal mark.
    pub decimal_comma: bool,
    /// How a bare number reads in a percent KR.
    pub percent_numbers: PercentNumbers,
    /// An owner cell such as `Marketing / Dana` names the team before this.
    pub owner_team_separator: Option<String>,
    /// A number target below the baseline is to go down (`target <= …`).
    pub direction_from_baseline: bool,
    /// `type` cells that mean an objective (compared without case).
    pub objective_types: Vec<String>,
    /// `type` cells that mean a KR.
    pub kr_types: Vec<String>,
    /// The team of rows without one.
    pub team: Option<String>,
    /// The period of rows without one (`--period` wins).
    pub period: Option<String>,
    /// Headers that are dates (`2026-07-14`) hold dated check-ins.
    pub dated_columns: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            fill_down: vec![
                Field::Team,
                Field::Period,
                Field::Objective,
                Field::ObjectiveId,
            ],
            date_formats: ["%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %b %Y", "%b %d, %Y"]
                .map(String::from)
                .to_vec(),
            decimal_comma: false,
            percent_numbers: PercentNumbers::Auto,
            owner_team_separator: None,
            direction_from_baseline: true,
            objective_types: vec!["objective".into()],
            kr_types: ["key result", "keyresult", "key_result", "kr"]
                .map(String::from)
                .to_vec(),
            team: None,
            period: None,
            dated_columns: true,
        }
    }
}

/// The built-in presets: name, what it reads, its mapping file.
pub const PRESETS: &[(&str, &str, &str)] = &[
    (
        "okr",
        "okr's own export (`okr export csv|xlsx`)",
        include_str!("presets/okr.toml"),
    ),
    (
        "spreadsheet",
        "a common OKR spreadsheet template (Objective, Key Result, Owner, Start, Target, Current)",
        include_str!("presets/spreadsheet.toml"),
    ),
    (
        "viva-goals",
        "a Viva Goals export or import template (rows linked by OKR Reference → Parent OKR)",
        include_str!("presets/viva-goals.toml"),
    ),
    (
        "burningokr",
        "BurningOKR's XLSX export",
        include_str!("presets/burningokr.toml"),
    ),
    (
        "okr-tracker",
        "okr-tracker's CSV export",
        include_str!("presets/okr-tracker.toml"),
    ),
];

/// Why a mapping could not be used.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    /// Not a mapping file.
    #[error("the mapping is not valid: {0}")]
    Toml(#[from] toml::de::Error),
    /// No preset by that name.
    #[error("no preset `{name}`; the presets are: {}", PRESETS.iter().map(|p| p.0).collect::<Vec<_>>().join(", "))]
    UnknownPreset {
        /// The name given.
        name: String,
    },
}

impl Mapping {
    /// The preset called `name`.
    pub fn preset(name: &str) -> Result<Mapping, MappingError> {
        let (_, _, text) = PRESETS
            .iter()
            .find(|(known, _, _)| *known == name)
            .ok_or_else(|| MappingError::UnknownPreset {
                name: name.to_string(),
            })?;
        Ok(toml::from_str(text)?)
    }

    /// A mapping file's text, over its `preset` when it names one.
    pub fn parse(text: &str) -> Result<Mapping, MappingError> {
        let mine: Mapping = toml::from_str(text)?;
        let Some(preset) = mine.preset.as_deref() else {
            return Ok(mine);
        };
        let mut base = Mapping::preset(preset)?;
        base.columns.extend(mine.columns);
        base.metrics.extend(mine.metrics);
        // Options given in the file replace the preset's one by one.
        let given: toml::Table = toml::from_str(text)?;
        if let Some(toml::Value::Table(options)) = given.get("options") {
            let mut merged: toml::Table = toml::from_str::<toml::Table>(preset_text(preset))?
                .get("options")
                .and_then(|o| o.as_table().cloned())
                .unwrap_or_default();
            merged.extend(options.clone());
            base.options = toml::Value::Table(merged).try_into()?;
        }
        Ok(base)
    }

    /// Where each field's column is in `headers` (matched without case or
    /// extra spaces); the first name found wins.
    pub fn locate(&self, headers: &[String]) -> BTreeMap<Field, usize> {
        let normal = |text: &str| {
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let headers: Vec<String> = headers.iter().map(|h| normal(h)).collect();
        self.columns
            .iter()
            .filter_map(|(field, names)| {
                names
                    .all()
                    .iter()
                    .find_map(|name| headers.iter().position(|h| *h == normal(name)))
                    .map(|at| (*field, at))
            })
            .collect()
    }
}

fn preset_text(name: &str) -> &'static str {
    PRESETS
        .iter()
        .find(|(known, _, _)| *known == name)
        .map_or("", |(_, _, text)| text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_reads() {
        for (name, _, _) in PRESETS {
            assert!(Mapping::preset(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn a_file_changes_its_preset() {
        let mapping = Mapping::parse(
            "preset = \"spreadsheet\"\n[columns]\nkr = \"Outcome\"\n[options]\ndecimal_comma = true\n",
        )
        .unwrap();
        assert!(mapping.options.decimal_comma);
        assert!(mapping.columns.contains_key(&Field::Objective));
        let at = mapping.locate(&["  OUTCOME ".into()]);
        assert_eq!(at.get(&Field::Kr), Some(&0));
    }

    #[test]
    fn an_unknown_field_is_an_error() {
        assert!(Mapping::parse("[columns]\nobjectiv = \"O\"\n").is_err());
    }
}
