//! `okr init [DIR]`: the skeleton of a goals repository written into DIR
//! (`crate::init`), git made or found and set up, and what was done said.

use super::{parse_period, write_stdout, Error, Outcome, Today};
use crate::init::{quarter_of, set_up_git, team_from_folder, Funnel, Skeleton};
use crate::model::period::Period;
use crate::source::display_path;
use std::fmt::Write;
use std::path::PathBuf;

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

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    let dir = args.dir;
    let team = match args.team {
        Some(team) => team,
        None => team_from_folder(&dir)?,
    };
    let today = args.today.date();
    let period = args.period.unwrap_or_else(|| quarter_of(today));
    let skeleton = Skeleton::new(&team, &period, args.funnel, today)?;
    skeleton.write_into(&dir)?;
    let mut said = format!("wrote a goals repository in {}:\n", display_path(&dir));
    for (path, _) in &skeleton.files {
        let _ = writeln!(said, "  {path}");
    }
    if !args.no_git {
        if set_up_git(&dir)? {
            said.push_str("made a git repository (`git init`)\n");
        }
        said.push_str("set up git for *.okr files (`okr git setup`): `git diff` shows goal changes, `git merge` merges goals\n");
    }
    let _ = writeln!(
        said,
        "next: `okr check` there, then replace @owner and the targets in {team}.okr"
    );
    write_stdout(said)?;
    Ok(Outcome::Clean)
}
