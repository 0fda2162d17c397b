//! `okr init`: takes a team id, a period and a funnel, gives the skeleton
//! of a goals repository (the team's goals file with a funnel, a README,
//! the CI workflow, git's attributes), rendered from `templates/init/`,
//! and writes it into a folder that has none of its files. Like `cargo
//! new`, it makes a git repository unless the folder is already in one,
//! and sets it up as `okr git setup` does.

use crate::history::setup::{setup_in, SetupError};
use crate::model::period::Period;
use crate::source::display_path;
use crate::syntax::atoms::{is_identifier, MAX_IDENTIFIER_LEN};
use chrono::{Datelike, NaiveDate};
use minijinja::{context, AutoEscape, Environment, UndefinedBehavior};
use std::path::Path;

/// The skeleton's templates: (template, file written). Their values are
/// identifiers, periods and dates okr made or checked, so nothing is escaped.
const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "team.okr",
        include_str!("../templates/init/team.okr.j2"),
        "{team}.okr",
    ),
    (
        "README.md",
        include_str!("../templates/init/README.md.j2"),
        "README.md",
    ),
    (
        "okr.yml",
        include_str!("../templates/init/okr.yml.j2"),
        ".github/workflows/okr.yml",
    ),
    (
        "gitattributes",
        include_str!("../templates/init/gitattributes"),
        ".gitattributes",
    ),
];

/// The funnel a new goals file starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Funnel {
    /// Marketing and sales led: visitors, leads, MQLs, SQLs, customers won.
    Inbound,
    /// Product led: visitors, signups, activated accounts, paying customers.
    Plg,
    /// No funnel: a volume KR and a quality KR on their own.
    None,
}

impl Funnel {
    /// The name the template tests.
    fn name(self) -> &'static str {
        match self {
            Funnel::Inbound => "inbound",
            Funnel::Plg => "plg",
            Funnel::None => "none",
        }
    }
}

/// Why `okr init` wrote nothing (or stopped at git).
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// `--team` is not an identifier: it is written into the goals file.
    #[error("`{}` is not a team id: write lower-case letters, digits, `-` and `_`, starting with a letter, at most {MAX_IDENTIFIER_LEN} characters (e.g. `growth`)", .text.escape_debug())]
    BadTeam {
        /// The id as given.
        text: String,
    },
    /// The folder's name gives no identifier (`2026`).
    #[error(
        "cannot make a team id from the folder's name `{name}`; name the team with `--team ID`"
    )]
    NoTeam {
        /// The folder's name.
        name: String,
    },
    /// Files of the skeleton already there.
    #[error("{} already exist{}; `okr init` never overwrites a file, and wrote nothing:\n{}", if taken.len() == 1 { "a file" } else { "files" }, if taken.len() == 1 { "s" } else { "" }, taken.iter().map(|path| format!("  {path}")).collect::<Vec<_>>().join("\n"))]
    Exists {
        /// Their paths.
        taken: Vec<String>,
    },
    /// A template that did not render (a bug in `templates/init/`).
    #[error("template `{name}`: {source:#}")]
    Template {
        /// The template's name.
        name: &'static str,
        /// The engine's error.
        source: minijinja::Error,
    },
    /// A file or folder that could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file or folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// `git init` failed.
    #[error("cannot make a git repository in `{path}`: {}", .source.message())]
    GitInit {
        /// The folder.
        path: String,
        /// libgit2's error.
        source: git2::Error,
    },
    /// `okr git setup` failed.
    #[error("the files are written, but git is not set up: {0}")]
    Setup(#[source] SetupError),
}

/// The files of a goals repository, rendered, not yet written.
#[derive(Debug)]
pub struct Skeleton {
    /// (path in the folder, text), in the order they are listed.
    pub files: Vec<(String, String)>,
}

impl Skeleton {
    /// The skeleton for `team` (an identifier) in `period`. When `today` is
    /// in the period, each KR gets a reading dated today equal to its
    /// baseline: without one, a KR is stale as soon as a cadence has passed
    /// since the period started.
    pub fn new(
        team: &str,
        period: &Period,
        funnel: Funnel,
        today: NaiveDate,
    ) -> Result<Skeleton, InitError> {
        if !is_identifier(team) {
            return Err(InitError::BadTeam { text: team.into() });
        }
        let mut env = Environment::new();
        env.set_keep_trailing_newline(true);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // `.yml` would otherwise get JSON escaping.
        env.set_auto_escape_callback(|_| AutoEscape::None);
        let values = context! {
            team,
            name => display_name(team),
            period => period.label,
            funnel => funnel.name(),
            checkin => period.contains(today).then(|| today.to_string()),
            file => format!("{team}.okr"),
        };
        let mut files = Vec::new();
        for (name, text, path) in TEMPLATES {
            let rendered = env
                .template_from_named_str(name, text)
                .and_then(|template| template.render(&values))
                .map_err(|source| InitError::Template { name, source })?;
            files.push((path.replace("{team}", team), rendered));
        }
        Ok(Skeleton { files })
    }

    /// Writes the files into `dir` (made if missing), or none of them if
    /// any is there already.
    pub fn write_into(&self, dir: &Path) -> Result<(), InitError> {
        let taken: Vec<String> = self
            .files
            .iter()
            .map(|(path, _)| dir.join(path))
            .filter(|path| path.symlink_metadata().is_ok())
            .map(|path| display_path(&path))
            .collect();
        if !taken.is_empty() {
            return Err(InitError::Exists { taken });
        }
        for (path, text) in &self.files {
            write_new(&dir.join(path), text)?;
        }
        Ok(())
    }
}

/// The team id a folder's name gives: lower-cased, each run of other
/// characters a `-`, from its first letter (`Growth Team` → `growth-team`).
pub fn team_from_folder(dir: &Path) -> Result<String, InitError> {
    let absolute = dir
        .canonicalize()
        .or_else(|_| std::path::absolute(dir))
        .unwrap_or_else(|_| dir.to_path_buf());
    let name = absolute
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let team = identifier_from(&name);
    if team.is_empty() {
        return Err(InitError::NoTeam { name });
    }
    Ok(team)
}

/// `name` made an identifier, or empty when it has no ASCII letter.
fn identifier_from(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_lowercase() || (!id.is_empty() && c.is_ascii_digit()) {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') && (c != '_' || !id.ends_with('_')) {
            id.push(if c == '_' { '_' } else { '-' });
        }
    }
    id.truncate(MAX_IDENTIFIER_LEN);
    id.trim_end_matches(['-', '_']).to_string()
}

/// The calendar quarter holding `day`, as a period (`2026-Q4`): the
/// default period of a new goals file.
pub fn quarter_of(day: NaiveDate) -> Period {
    let start = NaiveDate::from_ymd_opt(day.year(), day.month0() / 3 * 3 + 1, 1).unwrap_or(day);
    let end = start
        .checked_add_months(chrono::Months::new(3))
        .and_then(|next| next.pred_opt())
        .unwrap_or(day);
    Period {
        label: format!("{}-Q{}", day.year(), day.month0() / 3 + 1),
        start,
        end,
    }
}

/// The team's display name: its id with spaces, capitalised (`growth-team`
/// → `Growth team`).
fn display_name(team: &str) -> String {
    let spaced = team.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Writes a new file, making its folder; never replaces one.
fn write_new(path: &Path, text: &str) -> Result<(), InitError> {
    let failed = |source| InitError::Write {
        path: display_path(path),
        source,
    };
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder).map_err(failed)?;
    }
    crate::write::create_new(path, text.as_bytes()).map_err(failed)
}

/// Makes `dir` a git repository unless it is in one already, as `cargo
/// new` does, and sets that repository up (`okr git setup`, this okr as
/// its drivers). True when it made the repository.
pub fn set_up_git(dir: &Path) -> Result<bool, InitError> {
    let made = git2::Repository::discover(dir).is_err();
    if made {
        git2::Repository::init(dir).map_err(|source| InitError::GitInit {
            path: display_path(dir),
            source,
        })?;
    }
    setup_in(dir, None).map_err(InitError::Setup)?;
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;
    use proptest::prelude::*;

    fn funnel() -> impl Strategy<Value = Funnel> {
        prop_oneof![Just(Funnel::Inbound), Just(Funnel::Plg), Just(Funnel::None)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Whatever the team, funnel and day (this quarter or one to come),
        /// the goals file has no finding at all and is in `okr fmt`'s layout.
        #[test]
        fn every_goals_file_checks_clean_and_is_formatted(
            team in "[a-z][a-z0-9_-]{0,63}",
            funnel in funnel(),
            days in 0_i64..3_650,
            ahead in any::<bool>(),
        ) {
            let today = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(days.unsigned_abs());
            let this = quarter_of(today);
            let period = if ahead { quarter_of(this.end + chrono::Days::new(1)) } else { this };
            let skeleton = Skeleton::new(&team, &period, funnel, today).unwrap();
            let (path, text) = &skeleton.files[0];
            let workspace = Workspace::from_texts([(path.as_str(), text.as_str())]);
            prop_assert!(workspace.diagnostics.is_empty(), "{:?}\n{}", workspace.diagnostics, text);
            let found = crate::check::check(&workspace, today, &[]);
            prop_assert!(found.is_empty(), "{:?}\n{}", found, text);
            prop_assert_eq!(crate::edit::fmt::format(text).unwrap(), text.clone());
        }
    }

    #[test]
    fn folder_names_become_identifiers() {
        for (name, id) in [
            ("Growth Team", "growth-team"),
            ("goals", "goals"),
            ("2026 Sales--EMEA", "sales-emea"),
            ("my_goals__v2", "my_goals_v2"),
            ("Ünïcode team!", "n-code-team"),
            ("---", ""),
            ("2026", ""),
        ] {
            assert_eq!(identifier_from(name), id, "{name}");
            assert!(id.is_empty() || is_identifier(id), "{id}");
        }
        let long = identifier_from(&"a-".repeat(100));
        assert!(is_identifier(&long), "{long}");
    }

    #[test]
    fn the_default_period_is_the_quarter_holding_today() {
        for (day, label, start, end) in [
            ("2026-01-01", "2026-Q1", "2026-01-01", "2026-03-31"),
            ("2026-08-15", "2026-Q3", "2026-07-01", "2026-09-30"),
            ("2026-12-31", "2026-Q4", "2026-10-01", "2026-12-31"),
        ] {
            let day: NaiveDate = day.parse().unwrap();
            let quarter = quarter_of(day);
            let parsed = Period::parse(label).unwrap();
            assert_eq!(quarter.label, label);
            assert_eq!((quarter.start, quarter.end), (parsed.start, parsed.end));
            assert_eq!(quarter.start.to_string(), start);
            assert_eq!(quarter.end.to_string(), end);
        }
    }

    #[test]
    fn a_team_that_is_no_identifier_renders_nothing() {
        let period = Period::parse("2026-Q3").unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
        let error = Skeleton::new("a\"\nb", &period, Funnel::None, today).unwrap_err();
        assert!(matches!(error, InitError::BadTeam { .. }), "{error}");
        let skeleton = Skeleton::new("b", &period, Funnel::None, today).unwrap();
        let paths: Vec<&str> = skeleton
            .files
            .iter()
            .map(|(path, _)| path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "b.okr",
                "README.md",
                ".github/workflows/okr.yml",
                ".gitattributes"
            ]
        );
    }
}
