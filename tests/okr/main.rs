//! Integration tests: the real `okr` binary on files under `tests/fixtures`.

mod browser;
mod check;
mod codes;
mod common;
mod corpus;
mod edit;
mod editors;
mod explain;
mod funnel;
mod history;
mod hostile;
mod lsp;
mod lsp_bad_input;
mod lsp_neovim;
mod lsp_property;
mod merge;
mod merge_properties;
mod precision;
mod properties;
mod report;
mod safety_history;
mod safety_limits;
mod safety_markup;
mod safety_writes;
mod schema;
mod watch;
