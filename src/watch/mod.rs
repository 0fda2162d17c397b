//! Stage 6, watching: takes the session built from `okr watch`'s arguments
//! and gives the runs it re-checks (and re-renders the report) on every change.
//!
//! A [`Session`] keeps each file's parsed goals and re-reads only the files
//! whose events arrived or whose size, time or inode changed, so one save in a
//! 2,000-team organisation parses one file. Each file's own lints are kept
//! too, and re-run only for the files a save can affect: the saved file and
//! those whose references read its team (`resolve::teams_read`); the
//! cross-file checks run on the whole workspace, as `okr check` does.
//! [`watch`] turns file-system events into runs: it batches them (a run starts
//! 20 ms after the last event, or 500 ms after the first), watches folders rather than files so that editors'
//! saves by rename and deleted-then-recreated files keep being seen, re-watches
//! a root that was removed or renamed once it is back, and ignores the report
//! it writes itself.
//!
//! `session.rs` holds the [`Session`] and what a run reports; `events.rs` holds
//! the notify [`Watcher`], the batching loop and the printing of each run.

mod events;
mod session;

pub use events::{absolute, run_until_stopped, start, watch, Message, WatchError, Watcher};
pub use session::{Checked, ReportStatus, ReportTarget, RunSummary, Session};
