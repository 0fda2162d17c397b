//! Takes file-system events (and Ctrl-C) and gives runs of a [`Session`]:
//! the notify [`Watcher`] on folders, batching, re-watching roots that come
//! back, ignoring the report it writes, and printing each run.

use super::session::{RunSummary, Session};
use notify::{EventKind, RecursiveMode, Watcher as _};
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// A run starts this long after the last event of a burst…
const QUIET: Duration = Duration::from_millis(20);
/// …or this long after its first, whichever comes first.
const CAP: Duration = Duration::from_millis(500);
/// How often a root that is missing is looked for again.
const RETRY: Duration = Duration::from_secs(1);

/// What reaches the event loop: a file-system event, or Ctrl-C.
pub enum Message {
    /// A file-system event (or notify's error) under a watched root.
    Fs(notify::Result<notify::Event>),
    /// Ctrl-C: finish quietly.
    Stop,
}

/// `path` made absolute without touching the disk, as event paths are.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The notify watcher and the roots it watches.
pub struct Watcher {
    inner: notify::RecommendedWatcher,
    roots: Vec<Root>,
    report: Option<PathBuf>,
}

/// A root as given, what is watched for it, and the inode it had then (a
/// folder renamed away and another put in its place must be watched anew).
struct Root {
    given: PathBuf,
    watching: Option<(PathBuf, u64)>,
}

impl Watcher {
    /// Watches the `roots` that exist now through `inner` (the rest are looked for again later); `report` is the report file, whose writes are not changes.
    pub fn new(
        inner: notify::RecommendedWatcher,
        roots: &[PathBuf],
        report: Option<&Path>,
    ) -> Watcher {
        let mut watcher = Watcher {
            inner,
            roots: roots
                .iter()
                .map(|root| Root {
                    given: root.clone(),
                    watching: None,
                })
                .collect(),
            report: report.map(absolute),
        };
        watcher.refresh();
        watcher
    }

    /// Watches roots that appeared or were replaced; true when any was.
    /// A folder is watched with everything under it; a file through its
    /// folder, since an editor's save by rename replaces the file, and a
    /// watch on the file itself would end there.
    pub fn refresh(&mut self) -> bool {
        use std::os::unix::fs::MetadataExt;
        let mut changed = false;
        for root in &mut self.roots {
            let path = absolute(&root.given);
            let (target, mode) = if path.is_dir() {
                (path, RecursiveMode::Recursive)
            } else {
                match path.parent() {
                    Some(parent) => (parent.to_path_buf(), RecursiveMode::NonRecursive),
                    None => continue,
                }
            };
            let inode = std::fs::metadata(&target).ok().map(|m| m.ino());
            if let Some((watched, old)) = &root.watching {
                if watched == &target && inode == Some(*old) {
                    continue;
                }
                let _ = self.inner.unwatch(watched);
                root.watching = None;
                changed = true;
            }
            let Some(inode) = inode else {
                continue;
            };
            if self.inner.watch(&target, mode).is_ok() {
                root.watching = Some((target, inode));
                changed = true;
            }
        }
        changed
    }

    /// Whether an event can change what a run sees: an `.okr` file written,
    /// created, removed or renamed, or a folder created, removed or renamed.
    /// Reads (ours included) and the report we write are not.
    pub fn relevant(&self, event: &notify::Event) -> Vec<PathBuf> {
        use notify::event::{AccessKind, AccessMode};
        let kind = event.kind;
        if matches!(kind, EventKind::Access(access) if access != AccessKind::Close(AccessMode::Write))
        {
            return Vec::new();
        }
        event
            .paths
            .iter()
            .filter(|path| Some(path.as_path()) != self.report.as_deref())
            .filter(|path| {
                let is_okr = path.extension().is_some_and(|ext| ext == "okr");
                let renamed_or_removed = matches!(
                    kind,
                    EventKind::Remove(_) | EventKind::Modify(notify::event::ModifyKind::Name(_))
                );
                let folder_event =
                    (renamed_or_removed && path.extension().is_none()) || path.is_dir();
                is_okr || folder_event || event.need_rescan()
            })
            .cloned()
            .collect()
    }
}

/// Calls `on_change` with `session` and the paths changed (none at first)
/// now and after every batch of relevant events, until `Message::Stop`
/// arrives, the channel closes, or `on_change` returns false (its output
/// went away).
pub fn watch(
    session: &mut Session,
    watcher: &mut Watcher,
    events: &Receiver<Message>,
    mut on_change: impl FnMut(&mut Session, &HashSet<PathBuf>) -> bool,
) {
    let mut changed = HashSet::new();
    loop {
        if !on_change(session, &changed) {
            return;
        }
        changed.clear();
        if !wait_for_change(watcher, events, &mut changed) {
            return;
        }
        if !batch(watcher, events, &mut changed) {
            return;
        }
        watcher.refresh();
    }
}

/// Waits for the first relevant event (or a root coming back); false on stop.
fn wait_for_change(
    watcher: &mut Watcher,
    events: &Receiver<Message>,
    changed: &mut HashSet<PathBuf>,
) -> bool {
    loop {
        match events.recv_timeout(RETRY) {
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return false,
            Ok(Message::Fs(Ok(event))) => {
                let paths = watcher.relevant(&event);
                if !paths.is_empty() {
                    changed.extend(paths);
                    return true;
                }
            }
            // The watcher lost track (an overflowing queue): look at everything.
            Ok(Message::Fs(Err(_))) => return true,
            Err(RecvTimeoutError::Timeout) => {
                if watcher.refresh() {
                    return true;
                }
            }
        }
    }
}

/// Gathers the events that follow within the quiet time, up to the cap;
/// false on stop.
fn batch(watcher: &Watcher, events: &Receiver<Message>, changed: &mut HashSet<PathBuf>) -> bool {
    let first = Instant::now();
    loop {
        let left = CAP.saturating_sub(first.elapsed());
        if left.is_zero() {
            return true;
        }
        match events.recv_timeout(QUIET.min(left)) {
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return false,
            Ok(Message::Fs(Ok(event))) => changed.extend(watcher.relevant(&event)),
            Ok(Message::Fs(Err(_))) => {}
            Err(RecvTimeoutError::Timeout) => return true,
        }
    }
}

/// Why the watch could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("cannot handle Ctrl-C: {0}")]
    /// Installing the Ctrl-C handler failed.
    CtrlC(#[source] ctrlc::Error),
    #[error("cannot watch files: {0}")]
    /// The file-system watcher could not start.
    Notify(#[source] notify::Error),
}

/// `okr watch` once its session is built: wires Ctrl-C and the notify watcher
/// to one channel, prints every run to stdout until stopped, then `stopped`.
/// Err when Ctrl-C or the file watcher cannot be set up.
pub fn run_until_stopped(mut session: Session) -> Result<(), WatchError> {
    let (mut watcher, events) = start(&session)?;
    let terminal = std::io::stdout().is_terminal();
    watch(&mut session, &mut watcher, &events, |session, changed| {
        print_run(&session.run(changed), terminal)
    });
    let _ = writeln!(std::io::stdout(), "stopped");
    Ok(())
}

/// The watcher on `session`'s roots and the channel its events, Ctrl-C
/// and SIGTERM arrive on. Err when either cannot be set up.
pub fn start(session: &Session) -> Result<(Watcher, Receiver<Message>), WatchError> {
    let (sender, events) = mpsc::channel();
    let stop = sender.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    })
    .map_err(WatchError::CtrlC)?;
    let inner = notify::recommended_watcher(move |event| {
        let _ = sender.send(Message::Fs(event));
    })
    .map_err(WatchError::Notify)?;
    Ok((
        Watcher::new(inner, session.roots(), session.report_path()),
        events,
    ))
}

/// Prints a run: on a terminal the screen is cleared first, so what shows is
/// the current state; piped output gets each run in turn. False once stdout
/// is gone (a closed pipe), which ends the watch.
fn print_run(run: &RunSummary, terminal: bool) -> bool {
    let mut out = std::io::stdout().lock();
    let clear = if terminal { "\x1b[2J\x1b[3J\x1b[H" } else { "" };
    writeln!(out, "{clear}{}{}", run.output, run.status_line())
        .and_then(|()| out.flush())
        .is_ok()
}
