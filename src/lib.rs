//! `okr`: goals as code.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`syntax`]: source text → lines with typed statements and byte spans (pest).
//! 2. [`model`]: lines → one file's [`model::goals::Goals`] (nesting from
//!    indentation), and references resolved across every file read.
//! 3. [`check`]: the lints of the spec's §5; [`funnel`]: funnel arithmetic.
//! 4. [`render`]: diagnostics as human (miette), short, JSON or GitHub output.
//!
//! [`history`] reads goals from git revisions (git2) and [`diff`] compares two
//! sets of goals by `team/objective.kr` id, for `okr diff` and `okr log`.
//!
//! [`workspace`] finds and loads files; the binary in `main.rs` wires the stages
//! to the command line.

pub mod check;
pub mod diagnostic;
pub mod diff;
pub mod edit;
pub mod explain;
pub mod funnel;
pub mod history;
pub mod model;
pub mod render;
pub mod report;
pub mod score;
pub mod source;
pub mod span;
pub mod syntax;
pub mod watch;
pub mod workspace;
pub mod write;
