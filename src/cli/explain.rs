//! `okr explain CODE`.

use super::{write_stdout, Error, Outcome};

#[derive(clap::Args)]
pub(super) struct Args {
    /// A diagnostic code, e.g. `crate::funnel-gap` or `funnel-gap`.
    code: String,
}

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    write_stdout(crate::diagnostic::explain::explain(&args.code)?)?;
    Ok(Outcome::Clean)
}
