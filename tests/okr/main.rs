//! Integration tests: the real `okr` binary on files under `tests/fixtures`.

mod check;
mod codes;
mod common;
mod explain;
mod funnel;
mod hostile;
mod properties;
