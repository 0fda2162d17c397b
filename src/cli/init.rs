//! `okr init [DIR]`: a goals repository to start from (one team's goals
//! file with a funnel, a README, the CI workflow, git's attributes), from
//! the texts in `templates/init/`. Like `cargo new`, it makes a git
//! repository unless the folder is already in one, and sets it up as
//! `okr git setup` does. It never overwrites: a file already there stops it
//! before anything is written.

use super::{parse_period, write_stdout, Error, Outcome, Today};
use crate::history::setup::{setup_in, SetupError};
use crate::model::period::Period;
use crate::source::display_path;
use crate::syntax::atoms::{is_identifier, MAX_IDENTIFIER_LEN};
use chrono::{Datelike, NaiveDate};
use minijinja::{context, AutoEscape, Environment, UndefinedBehavior};
use std::path::{Path, PathBuf};

/// The skeleton's templates: (name, text). Their values are identifiers,
/// periods and dates okr made or checked, so nothing is escaped.
const TEMPLATES: &[(&str, &str)] = &[
    ("team.okr", include_str!("../../templates/init/team.okr.j2")),
    (
        "README.md",
        include_str!("../../templates/init/README.md.j2"),
    ),
    ("okr.yml", include_str!("../../templates/init/okr.yml.j2")),
    (
        "gitattributes",
        include_str!("../../templates/init/gitattributes"),
    ),
];

#[derive(clap::Args)]
pub(super) struct Args {
    /// The folder to start the goals repository in (made if missing).
    #[arg(default_value = ".", value_name = "DIR")]
    dir: PathBuf,
    /// The team's id (default: the folder's name made an identifier: `Growth Team` gives `growth-team`).
    #[arg(long, value_name = "ID")]
    team: Option<String>,
    /// The goals' period (default: the quarter containing today).
    #[arg(long, value_name = "PERIOD", value_parser = parse_period)]
    period: Option<Period>,
    /// The funnel the goals file starts with: inbound (visitors → leads → MQL → SQL → won), plg (visitors → signups → activated → paying) or none.
    #[arg(long, value_enum, default_value_t = Funnel::Inbound)]
    funnel: Funnel,
    /// Neither make a git repository nor set one up (`okr git setup`).
    #[arg(long)]
    no_git: bool,
    #[command(flatten)]
    today: Today,
}

/// The funnel a new goals file starts with.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Funnel {
    /// Marketing and sales led: visitors, leads, MQLs, SQLs, customers won.
    Inbound,
    /// Product led: visitors, signups, activated accounts, paying customers.
    Plg,
    /// No funnel: a volume KR and a quality KR on their own.
    None,
}

impl Funnel {
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
pub(crate) enum InitError {
    /// `--team` is not an identifier: it is written into the goals file.
    #[error("`{}` is not a team id: write lower-case letters, digits, `-` and `_`, starting with a letter, at most {MAX_IDENTIFIER_LEN} characters (e.g. `growth`)", .text.escape_debug())]
    BadTeam { text: String },
    /// The folder's name gives no identifier (`2026`, `…`).
    #[error(
        "cannot make a team id from the folder's name `{name}`; name the team with `--team ID`"
    )]
    NoTeam { name: String },
    /// Files of the skeleton already there.
    #[error("{} already exist{}; `okr init` never overwrites a file, and wrote nothing:\n{}", if taken.len() == 1 { "a file" } else { "files" }, if taken.len() == 1 { "s" } else { "" }, taken.iter().map(|path| format!("  {path}")).collect::<Vec<_>>().join("\n"))]
    Exists { taken: Vec<String> },
    /// A template that did not render (a bug in `templates/init/`).
    #[error("template `{name}`: {source:#}")]
    Template {
        name: &'static str,
        source: minijinja::Error,
    },
    /// A file or folder that could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    /// `git init` failed.
    #[error("cannot make a git repository in `{path}`: {}", .source.message())]
    GitInit { path: String, source: git2::Error },
    /// `okr git setup` failed.
    #[error("the files are written, but git is not set up: {0}")]
    Setup(#[source] SetupError),
}

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    let dir = args.dir;
    let team = match args.team {
        Some(team) if is_identifier(&team) => team,
        Some(text) => return Err(InitError::BadTeam { text }.into()),
        None => team_from_folder(&dir)?,
    };
    let today = args.today.date();
    let period = args.period.unwrap_or_else(|| quarter_of(today));
    let files = render(&team, &period, args.funnel, today)?;
    let taken: Vec<String> = files
        .iter()
        .map(|(path, _)| dir.join(path))
        .filter(|path| path.symlink_metadata().is_ok())
        .map(|path| display_path(&path))
        .collect();
    if !taken.is_empty() {
        return Err(InitError::Exists { taken }.into());
    }
    for (path, text) in &files {
        write_new(&dir.join(path), text)?;
    }
    let mut said = format!("wrote a goals repository in {}:\n", display_path(&dir));
    for (path, _) in &files {
        said.push_str(&format!("  {path}\n"));
    }
    if !args.no_git {
        said.push_str(&git(&dir)?);
    }
    said.push_str(&format!(
        "next: `okr check` there, then replace @owner and the targets in {team}.okr\n"
    ));
    write_stdout(said)?;
    Ok(Outcome::Clean)
}

/// The team id a folder's name gives: lower-cased, each run of other
/// characters a `-`, from its first letter (`Growth Team` → `growth-team`).
fn team_from_folder(dir: &Path) -> Result<String, InitError> {
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

/// The calendar quarter holding `day`, as a period (`2026-Q4`).
fn quarter_of(day: NaiveDate) -> Period {
    let label = format!("{}-Q{}", day.year(), day.month0() / 3 + 1);
    Period {
        label,
        start: first_day_of_quarter(day),
        end: last_day_of_quarter(day),
    }
}

fn first_day_of_quarter(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), day.month0() / 3 * 3 + 1, 1).unwrap_or(day)
}

fn last_day_of_quarter(day: NaiveDate) -> NaiveDate {
    first_day_of_quarter(day)
        .checked_add_months(chrono::Months::new(3))
        .and_then(|next| next.pred_opt())
        .unwrap_or(day)
}

/// The skeleton's files: (path in the folder, text).
fn render(
    team: &str,
    period: &Period,
    funnel: Funnel,
    today: NaiveDate,
) -> Result<Vec<(String, String)>, InitError> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    for (name, text) in TEMPLATES {
        env.add_template(name, text)
            .map_err(|source| InitError::Template { name, source })?;
    }
    let file = format!("{team}.okr");
    // A reading dated today makes the file current: without one, a KR is
    // stale as soon as the period is a cadence old.
    let checkin = period.contains(today).then(|| today.to_string());
    let values = context! {
        team,
        name => display_name(team),
        period => period.label,
        funnel => funnel.name(),
        checkin,
        file,
    };
    let mut files = Vec::new();
    for ((name, _), path) in TEMPLATES.iter().zip([
        file.as_str(),
        "README.md",
        ".github/workflows/okr.yml",
        ".gitattributes",
    ]) {
        let text = env
            .get_template(name)
            .and_then(|template| template.render(&values))
            .map_err(|source| InitError::Template { name, source })?;
        files.push((path.to_string(), text));
    }
    Ok(files)
}

/// The team's display name: its id with words capitalised (`growth-team`
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
/// new` does, and sets it up (`okr git setup`); says what it did.
fn git(dir: &Path) -> Result<String, InitError> {
    let made = if git2::Repository::discover(dir).is_ok() {
        String::new()
    } else {
        git2::Repository::init(dir).map_err(|source| InitError::GitInit {
            path: display_path(dir),
            source,
        })?;
        "made a git repository (`git init`)\n".to_string()
    };
    setup_in(dir, None).map_err(InitError::Setup)?;
    Ok(made
        + "set up git for *.okr files (`okr git setup`): `git diff` shows goal changes, `git merge` merges goals\n")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
