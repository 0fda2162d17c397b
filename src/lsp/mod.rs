//! `okr lsp`: a language server over stdio for editors, on the library the
//! command line uses, so that it never re-implements a rule: diagnostics
//! come from `check::check`'s parts (equal to `okr check --format json`),
//! formatting from `okr fmt`, numbers from the report's scores and the
//! funnel's plans. One file per concern:
//!
//! - `server`: the loop, the handshake and the dispatch of each method;
//! - `transport`: JSON-RPC framing on stdin and stdout;
//! - `protocol`: the pinned `lsp-types`, and positions (UTF-16 or UTF-8);
//! - `documents`: the workspace with open documents over the disk, and
//!   the incremental re-check of an edit;
//! - `formatting`, `symbols`, `navigation` (definition, references,
//!   rename), `completion`, `hover`, `actions` (quick fixes) and `hints`
//!   (inlay hints). The behaviour is described in `docs/lsp.md`.

mod actions;
mod completion;
mod documents;
mod formatting;
mod hints;
mod hover;
mod navigation;
mod protocol;
mod server;
mod symbols;
mod transport;

use chrono::NaiveDate;

/// Why the server stopped before its client said `exit`.
#[derive(Debug, thiserror::Error)]
#[error("the language server stopped: {0}")]
pub struct LspError(String);

/// Serves the client on stdin and stdout until it exits or closes stdin.
/// `today` fixes the day checks and scores are for (`--today`).
pub fn run_stdio(today: Option<NaiveDate>) -> Result<(), LspError> {
    let (connection, threads) = transport::stdio();
    let served = server::serve(&connection, today);
    drop(connection);
    threads.join();
    served.map_err(LspError)
}

/// Serves the client at the other end of `connection` (in-memory in
/// tests: `lsp_server::Connection::memory()`) until it exits.
pub fn serve(
    connection: &lsp_server::Connection,
    today: Option<NaiveDate>,
) -> Result<(), LspError> {
    server::serve(connection, today).map_err(LspError)
}
