//! The pest parser generated from `grammar/okr.pest`.

#[derive(pest_derive::Parser)]
#[grammar = "grammar/okr.pest"]
pub(super) struct OkrParser;
