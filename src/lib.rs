//! `okr`: goals as code.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`syntax`]: source text → lines with typed statements and byte spans (pest).
//! 2. [`model`]: lines → one file's [`model::goals::Goals`] (nesting from
//!    indentation), and references resolved across every file read.
//! 3. Analyses: [`check`] (the lints of the spec's §5), [`score`] (progress,
//!    status, forecast), [`funnel`] (funnel plans), [`diff`] (goals compared by
//!    `team/objective.kr` id).
//! 4. Output, beside each feature: [`diagnostic::render`] (human, short, JSON
//!    or GitHub), [`funnel::render`], [`diff::render`], and [`report`] (the
//!    scoreboard as JSON, Markdown or HTML from templates); the JSON
//!    documents they write are declared once, in [`document`]; every piece
//!    of user text passes through [`escape`] on its way out.
//!
//! Around the pipeline: [`workspace`] finds and loads files, [`history`] reads
//! goals from git revisions (git2), [`edit`] changes files without losing a
//! byte (`fmt`, `checkin`, `new`), [`watch`] re-runs on file events, and
//! [`write`](mod@write) replaces files atomically. [`cli`] wires the stages
//! to the command line; the binary in `main.rs` only calls [`cli::run`].
//!
//! Errors are typed enums (`thiserror`), one per feature, each variant with
//! the message people read and, where there is one, the error underneath as
//! its source (`io`, `git2`, `minijinja`…); the command line wraps them in
//! one error type and maps it to stderr and the exit status.

// Nothing a user writes may crash okr: outside tests, the library has no
// `unwrap`, `expect` or `panic!` (an invariant the grammar guarantees is
// allowed where it is, with its reason).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

// Every public item says what it is for (benches, fuzz targets, tests and
// editors use the library): `missing_docs`, module by module as each is
// documented, until it covers the crate and moves to Cargo.toml's `[lints]`.

pub mod check;
#[warn(missing_docs)]
pub mod cli;
pub mod diagnostic;
#[warn(missing_docs)]
pub mod diff;
#[warn(missing_docs)]
pub mod document;
#[warn(missing_docs)]
pub mod edit;
#[warn(missing_docs)]
pub mod escape;
#[warn(missing_docs)]
pub mod funnel;
#[warn(missing_docs)]
pub mod history;
#[warn(missing_docs)]
pub mod lfs;
#[warn(missing_docs)]
pub mod model;
#[warn(missing_docs)]
pub mod report;
#[warn(missing_docs)]
pub mod score;
#[warn(missing_docs)]
pub mod source;
#[warn(missing_docs)]
pub mod span;
#[warn(missing_docs)]
pub mod syntax;
#[warn(missing_docs)]
pub mod watch;
#[warn(missing_docs)]
pub mod workspace;
#[warn(missing_docs)]
pub mod write;
