//! `okr`: goals as code.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`syntax`]: source text → lines with typed statements and byte spans (pest).
//! 2. [`model`]: lines → one file's [`model::goals::Goals`] (nesting from
//!    indentation), and references resolved across every file read.
//! 3. Analyses: [`check`] (the lints of the spec's §5), [`score`] (progress,
//!    status, forecast), [`funnel`] (funnel plans), [`diff`] (goals compared by
//!    `team/objective.kr` id), and [`review`] (the weekly digest, from the
//!    others and git history).
//! 4. Output, beside each feature: [`diagnostic::render`] (human, short, JSON
//!    or GitHub), [`funnel::render`], [`diff::render`], and [`report`] (the
//!    scoreboard as JSON, Markdown or HTML from templates); the JSON
//!    documents they write are declared once, in [`document`]; every piece
//!    of user text passes through [`escape`] on its way out.
//!
//! Around the pipeline: [`workspace`] finds and loads files, [`history`] reads
//! goals from git revisions (git2), [`edit`] changes files without losing a
//! byte (`fmt`, `checkin`, `new`), [`init`] writes a new goals repository
//! (`okr init`), [`watch`] re-runs on file events, [`serve`] serves the
//! scoreboard as live local pages, and
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

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod document;
pub mod edit;
pub mod escape;
pub mod export;
pub mod funnel;
pub mod history;
pub mod import;
pub mod init;
pub mod lfs;
pub mod lsp;
pub mod merge;
pub mod model;
pub mod report;
pub mod review;
pub mod score;
pub mod serve;
pub mod source;
pub mod span;
pub mod syntax;
pub mod watch;
pub mod workspace;
pub mod write;
