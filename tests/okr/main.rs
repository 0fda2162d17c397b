//! Integration tests: the real `okr` binary on files under `tests/fixtures`.

mod action;
mod action_precommit;
mod browser;
mod check;
mod codes;
mod common;
mod corpus;
mod edit;
mod explain;
mod funnel;
mod history;
mod hostile;
mod precision;
mod properties;
mod report;
mod review;
mod safety_history;
mod safety_limits;
mod safety_markup;
mod safety_writes;
mod sarif;
mod schema;
mod watch;
