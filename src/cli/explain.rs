//! `okr explain CODE`.

use super::{fail, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// A diagnostic code, e.g. `okr::funnel-gap` or `funnel-gap`.
    code: String,
}

pub fn run(args: Args) -> Outcome {
    match okr::explain::explain(&args.code) {
        Ok(text) => {
            print!("{text}");
            Outcome::Clean
        }
        Err(error) => fail(error),
    }
}
