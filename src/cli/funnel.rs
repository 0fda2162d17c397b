//! `okr funnel`: takes the paths, the funnel's name, `--target` and
//! `--what-if`; gives the plan from [`crate::funnel::plan`] on stdout, or its
//! error on stderr.

use super::{write_stdout, Error, Outcome, Shown, Today};
use crate::funnel::plan::plan_text;
use crate::workspace::Workspace;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// Files or folders to read (default: every *.okr below, honouring .gitignore).
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,
    /// The funnel to plan: `inbound`, or `team/inbound` when several teams have one by that name.
    #[arg(value_name = "FUNNEL", required = true)]
    funnel: String,
    /// Plan for this volume or revenue at a stage instead of the KRs' target,
    /// e.g. `customers=1,400` or `customers=$16.8M`.
    #[arg(long, value_name = "STAGE=QUANTITY")]
    target: Option<String>,
    /// Compare the plan with a stage's conversion changed (repeatable), e.g. `mqls=50%`.
    #[arg(long = "what-if", value_name = "STAGE=PERCENT")]
    what_if: Vec<String>,
    #[command(flatten)]
    shown: Shown,
    #[command(flatten)]
    today: Today,
}

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    let (workspace, _) = args
        .shown
        .narrow(Workspace::load(&args.paths)?, args.today.date());
    write_stdout(plan_text(
        &workspace,
        &args.funnel,
        args.target.as_deref(),
        &args.what_if,
    )?)?;
    Ok(Outcome::Clean)
}
