//! Writing files without ever leaving one half-written: a temporary file in
//! the same folder, flushed to disk, then renamed over the target. A file
//! being edited is locked first, so two okr processes never both read the
//! old text and each write back their own change.

use std::fs::{self, File, Metadata, OpenOptions, Permissions, TryLockError};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a writer waits for another okr that is editing the same file.
const LOCK_TIMEOUT: Duration = Duration::from_secs(5);
/// How often it looks again meanwhile.
const LOCK_POLL: Duration = Duration::from_millis(10);

/// An exclusive advisory lock on a file being edited: every okr that edits a
/// goals file (`checkin`, `fmt`) takes it before reading the text it will
/// change, and holds it until the new text is in place. Released when dropped,
/// or by the system when the process ends, however it ends.
#[derive(Debug)]
pub struct EditLock {
    _file: File,
}

/// Locks the file at `path` (through a symbolic link, the file it points to)
/// for editing, waiting up to 5 seconds for another okr to finish with it.
///
/// The lock is on the file itself, not on a file beside it: nothing is left
/// in the folder. Since every writer replaces the file by a rename, the file
/// locked may no longer be the one at `path` once the lock is ours; then the
/// new one is locked instead.
pub fn lock_for_edit(path: &Path) -> io::Result<EditLock> {
    let path = fs::canonicalize(path)?;
    let deadline = Instant::now() + LOCK_TIMEOUT;
    loop {
        let file = File::open(&path)?;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(LOCK_POLL);
                }
                Err(TryLockError::WouldBlock) => return Err(busy()),
                Err(TryLockError::Error(error)) => return Err(error),
            }
        }
        let locked = file.metadata()?;
        let now = fs::metadata(&path)?;
        if (now.dev(), now.ino()) == (locked.dev(), locked.ino()) {
            return Ok(EditLock { _file: file });
        }
        if Instant::now() >= deadline {
            return Err(busy());
        }
    }
}

fn busy() -> io::Error {
    io::Error::new(
        io::ErrorKind::WouldBlock,
        format!(
            "another okr has been writing it for {} seconds; nothing was written (run the command again)",
            LOCK_TIMEOUT.as_secs()
        ),
    )
}

/// Replaces `path` with `contents` atomically; an existing file keeps its
/// permissions and, where the system allows, its owner and group.
pub fn atomic_write(path: &Path, contents: &[u8]) -> io::Result<()> {
    atomic_write_with(path, |out| out.write_all(contents))
}

/// Writes a new file at `path` atomically, failing with
/// [`io::ErrorKind::AlreadyExists`] if anything is there, even if it appeared
/// a moment ago: a new file never replaces one.
pub fn create_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temporary = filled_temporary(path, None, |out| out.write_all(contents))?;
    temporary
        .persist_noclobber(path)
        .map_err(|error| error.error)?;
    Ok(())
}

/// Replaces `path` atomically with what `fill` writes, streamed to the
/// temporary file (a large report need not be held in memory first). If
/// `fill` fails, `path` is left as it was. A symbolic link keeps pointing at
/// the new file; a device or a pipe is written to in place.
///
/// An existing file is refused (left as it is) when nobody may write it,
/// when this user may not, or when it has other hard links (replacing it
/// would leave them holding the old text).
pub fn atomic_write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // Through a symbolic link, the file it points to is replaced: the link stays.
    let real = fs::canonicalize(path).ok();
    let path = real.as_deref().unwrap_or(path);
    let existing = fs::metadata(path).ok();
    if let Some(metadata) = &existing {
        let kind = metadata.file_type();
        // A device or a pipe (`-o /dev/stdout`) is written to, never replaced.
        if !kind.is_file() && !kind.is_dir() {
            let file = OpenOptions::new().write(true).open(path)?;
            let mut out = io::BufWriter::new(file);
            fill(&mut out)?;
            return out.flush();
        }
        if kind.is_file() {
            check_replaceable(path, metadata)?;
        }
    }
    let temporary = filled_temporary(path, existing.as_ref(), fill)?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// A temporary file beside `path` holding what `fill` wrote, flushed to
/// disk, with the owner and mode `path` should end with: those of `existing`,
/// or for a new file 0666 less the umask, as any program's new file.
fn filled_temporary(
    path: &Path,
    existing: Option<&Metadata>,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<tempfile::NamedTempFile> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".okr-").suffix(".tmp");
    if existing.is_none() {
        // The system applies the umask to the mode a file is created with;
        // an existing file's replacement stays 0600 until it has that file's mode.
        builder.permissions(Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(folder)?;
    let mut out = io::BufWriter::new(temporary.as_file_mut());
    fill(&mut out)?;
    out.flush()?;
    drop(out);
    if let Some(metadata) = existing {
        keep_owner_and_mode(temporary.as_file(), metadata)?;
    }
    temporary.as_file().sync_all()?;
    Ok(temporary)
}

/// Why the regular file at `path` must not be replaced, if it must not.
fn check_replaceable(path: &Path, metadata: &Metadata) -> io::Result<()> {
    // Root may write anything, so the bits are read too: a file nobody may
    // write was made read-only on purpose (editors and `sed -i` warn too).
    if metadata.mode() & 0o222 == 0 {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "it is read-only (no write permission is set); make it writable (`chmod u+w`) if it should change",
        ));
    }
    // The system's own answer for this user; opening changes no byte.
    OpenOptions::new().write(true).open(path)?;
    if metadata.nlink() > 1 {
        return Err(io::Error::other(format!(
            "it has {} other hard link(s); replacing it would leave them holding the old text (copy the file to cut the link, or edit it by hand)",
            metadata.nlink() - 1
        )));
    }
    Ok(())
}

/// Gives the replacement the old file's owner, group and mode. Only root may
/// give a file to another user; anyone may keep the group if they are in it;
/// what the system does not allow is skipped, as `cp -p` does.
fn keep_owner_and_mode(file: &File, old: &Metadata) -> io::Result<()> {
    let new = file.metadata()?;
    if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
        let owner = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
        if owner.is_err() {
            // Not permitted: the group alone may still be.
            let _ = std::os::unix::fs::fchown(file, None, Some(old.gid()));
        }
    }
    // After the owner: changing it clears the set-user-id bits.
    file.set_permissions(old.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        std::fs::write(&path, "old").unwrap();
        atomic_write(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_symbolic_link_stays_and_its_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.okr");
        let link = dir.path().join("link.okr");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        atomic_write(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn a_pipe_is_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        assert!(made.is_ok_and(|status| status.success()), "mkfifo");
        let reading = pipe.clone();
        let reader = std::thread::spawn(move || std::fs::read_to_string(reading).unwrap());
        atomic_write(&pipe, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
        assert!(std::fs::metadata(&pipe).unwrap().file_type().is_fifo());
    }

    #[test]
    fn a_failed_write_leaves_the_original_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-folder").join("report.html");
        assert!(atomic_write(&missing, b"new").is_err());
    }
}
