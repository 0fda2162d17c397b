//! `okr explain CODE`.

use super::{fail, write_stdout, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// A diagnostic code, e.g. `crate::funnel-gap` or `funnel-gap`.
    code: String,
}

pub fn run(args: Args) -> Outcome {
    match crate::diagnostic::explain::explain(&args.code) {
        Ok(text) => match write_stdout(text) {
            Ok(()) => Outcome::Clean,
            Err(outcome) => outcome,
        },
        Err(error) => fail(error),
    }
}
