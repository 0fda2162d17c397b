//! `okr lsp`: the language server on stdio (`crate::lsp`, `docs/lsp.md`).

use super::{Error, Outcome, Today};

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    today: Today,
}

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    crate::lsp::run_stdio(args.today.today)?;
    Ok(Outcome::Clean)
}
