//! Writing files without ever leaving one half-written: a temporary file in
//! the same folder, flushed to disk, then renamed over the target.

use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `contents` atomically; an existing file keeps its permissions.
pub fn atomic_write(path: &Path, contents: &[u8]) -> io::Result<()> {
    atomic_write_with(path, |out| out.write_all(contents))
}

/// Replaces `path` atomically with what `fill` writes, streamed to the
/// temporary file (a large report need not be held in memory first). If
/// `fill` fails, `path` is left as it was. A symbolic link keeps pointing at
/// the new file; a device or a pipe is written to in place.
pub fn atomic_write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // Through a symbolic link, the file it points to is replaced: the link stays.
    let real = std::fs::canonicalize(path).ok();
    let path = real.as_deref().unwrap_or(path);
    // A device or a pipe (`-o /dev/stdout`) is written to, never replaced.
    if let Ok(metadata) = std::fs::metadata(path) {
        let kind = metadata.file_type();
        if !kind.is_file() && !kind.is_dir() {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            let mut out = io::BufWriter::new(file);
            fill(&mut out)?;
            return out.flush();
        }
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".okr-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    let mut out = io::BufWriter::new(temporary.as_file_mut());
    fill(&mut out)?;
    out.flush()?;
    drop(out);
    // Keep an existing file's permissions; a new one is readable by all, as
    // `File::create` would make it under the usual umask (the temporary file is 0600).
    let permissions = match std::fs::metadata(path) {
        Ok(metadata) => metadata.permissions(),
        Err(_) => std::os::unix::fs::PermissionsExt::from_mode(0o644),
    };
    temporary.as_file().set_permissions(permissions)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
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
