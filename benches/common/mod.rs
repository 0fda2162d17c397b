//! What the `cargo bench` targets share: the generated organisation they read
//! (`benches/gen_org.py`, written once to `bench-data/org-200`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The allocator the `okr` binary uses (`src/main.rs`), so the benches time
/// what the commands do.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Teams in the organisation: 64,159 lines, 1.8 MB, so a run stays short.
pub(crate) const TEAMS: usize = 200;

/// The organisation's files, each with its name and text, in name order.
pub(crate) struct Org {
    pub files: Vec<(String, String)>,
}

impl Org {
    /// Reads every `*.okr` file of [`org_dir`].
    pub(crate) fn read() -> Org {
        let dir = org_dir();
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
            .map(|entry| entry.expect("a readable folder entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "okr"))
            .map(|path| {
                let name = path.file_name().expect("a file name").to_string_lossy();
                let text = std::fs::read_to_string(&path).expect("a UTF-8 goals file");
                (name.into_owned(), text)
            })
            .collect();
        files.sort();
        Org { files }
    }
}

/// `bench-data/org-200`, generated on first use. The generator writes to a
/// folder of its own that is renamed when it is done, so an interrupted run
/// leaves no half-written organisation behind.
pub(crate) fn org_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join(format!("bench-data/org-{TEAMS}"));
    if dir.is_dir() {
        return dir;
    }
    let partial = root.join(format!(
        "bench-data/org-{TEAMS}.partial-{}",
        std::process::id()
    ));
    let status = Command::new("python3")
        .arg(root.join("benches/gen_org.py"))
        .arg(&partial)
        .args(["--teams", &TEAMS.to_string()])
        .stdout(Stdio::null())
        .status()
        .expect("python3 runs benches/gen_org.py");
    assert!(status.success(), "benches/gen_org.py failed: {status}");
    if std::fs::rename(&partial, &dir).is_err() && dir.is_dir() {
        // Another bench generated it meanwhile: the same bytes.
        let _ = std::fs::remove_dir_all(&partial);
    }
    assert!(dir.is_dir(), "{} was not generated", dir.display());
    dir
}
