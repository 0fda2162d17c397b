//! `okr fmt`: rewrite files in the canonical layout, or with `--check` show
//! the unified diff of what would change and exit 1.

use super::{fail, write_stdout, Outcome};
use crate::diagnostic::render::{self, Style};
use crate::diagnostic::{Code, Diagnostic};
use crate::edit::fmt::{format, FormatError};
use crate::escape::terminal;
use crate::source::SourceFile;
use crate::workspace::Workspace;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders to format (default: every *.okr below, honouring .gitignore).
    paths: Vec<PathBuf>,
    /// Change nothing: print a unified diff of what would change and exit 1 if anything would.
    #[arg(long)]
    check: bool,
}

/// What happened to one file.
enum FileOutcome {
    Unchanged,
    Changed,
    Refused,
}

pub fn run(args: Args, color: bool) -> Outcome {
    // The goals are not kept: each file is read again as it is formatted.
    let workspace = match Workspace::load_without_goals(&args.paths) {
        Ok(workspace) => workspace,
        Err(error) => return fail(error),
    };
    let mut changed = 0;
    let mut refused = 0;
    for (id, file) in workspace.files.iter().enumerate() {
        let syntax: Vec<Diagnostic> = workspace
            .diagnostics
            .iter()
            .filter(|d| d.file == id && d.code == Code::Syntax)
            .cloned()
            .collect();
        let outcome = if syntax.is_empty() {
            format_file(file, args.check)
        } else {
            refuse(&workspace, &file.path, &syntax, color)
        };
        match outcome {
            Ok(FileOutcome::Unchanged) => {}
            Ok(FileOutcome::Changed) => changed += 1,
            Ok(FileOutcome::Refused) => refused += 1,
            Err(outcome) => return outcome,
        }
    }
    if refused > 0 || (args.check && changed > 0) {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// Formats one file: writes it (atomically), or with `check` prints its diff.
/// A file to rewrite is locked and read again first, so a check-in another
/// okr added since it was loaded is formatted too, not lost.
fn format_file(file: &SourceFile, check: bool) -> Result<FileOutcome, Outcome> {
    let path = file.path.as_str();
    let Some(mut formatted) = format_or_say(path, &file.text) else {
        return Ok(FileOutcome::Refused);
    };
    if formatted == file.text {
        return Ok(FileOutcome::Unchanged);
    }
    if check {
        write_diff(path, &file.text, &formatted)?;
        return Ok(FileOutcome::Changed);
    }
    let disk = file.disk_path();
    let _lock = crate::write::lock_for_edit(disk)
        .map_err(|error| fail(format!("cannot write `{path}`: {error}")))?;
    let now =
        std::fs::read(disk).map_err(|error| fail(format!("cannot read `{path}`: {error}")))?;
    if now != file.text.as_bytes() {
        let Ok(text) = String::from_utf8(now) else {
            eprintln!("error: `{path}` is no longer UTF-8 text; it was not formatted");
            return Ok(FileOutcome::Refused);
        };
        formatted = match format_or_say(path, &text) {
            None => return Ok(FileOutcome::Refused),
            Some(again) if again == text => return Ok(FileOutcome::Unchanged),
            Some(again) => again,
        };
    }
    crate::write::atomic_write(disk, formatted.as_bytes())
        .map_err(|error| fail(format!("cannot write `{path}`: {error}")))?;
    write_stdout(format!("formatted {path}\n"))?;
    Ok(FileOutcome::Changed)
}

/// `text` in the canonical layout, or `None` (and why, on stderr).
fn format_or_say(path: &str, text: &str) -> Option<String> {
    match format(text) {
        Ok(formatted) => Some(formatted),
        Err(FormatError::Syntax(_)) => {
            eprintln!("error: `{path}` has syntax errors; it was not formatted");
            None
        }
        Err(FormatError::MeaningChanged) => {
            eprintln!("error: formatting `{path}` would change what it says (a bug in okr fmt); the file was left as it is");
            None
        }
    }
}

/// Writes the unified diff from the file as it is to the file formatted,
/// streamed to standard output (the diff of a large file can be twice its
/// size), each line's text through the terminal escaper so a goal's text
/// cannot steer the terminal of whoever runs `--check`. A file with a great
/// many changes gets a coarser (still correct) diff after a second, rather
/// than minutes of searching for the smallest one.
fn write_diff(path: &str, before: &str, after: &str) -> Result<(), Outcome> {
    use std::io::Write;
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_secs(1))
        .diff_lines(before, after);
    let mut unified = diff.unified_diff();
    unified
        .context_radius(3)
        .header(path, &format!("{path} (formatted)"));
    let mut out = EscapedLines {
        out: std::io::BufWriter::new(std::io::stdout().lock()),
        line: Vec::new(),
    };
    match unified.to_writer(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(fail(format!("cannot write the output: {error}"))),
    }
}

/// A writer that passes text on a line at a time, the line's text (not its
/// ending) shown as [`terminal`] shows it.
struct EscapedLines<W: std::io::Write> {
    out: W,
    line: Vec<u8>,
}

impl<W: std::io::Write> EscapedLines<W> {
    fn emit(&mut self) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(&self.line);
        let body = text.trim_end_matches(['\r', '\n']);
        self.out.write_all(terminal(body).as_bytes())?;
        self.out.write_all(&text.as_bytes()[body.len()..])?;
        self.line.clear();
        Ok(())
    }
}

impl<W: std::io::Write> std::io::Write for EscapedLines<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for piece in bytes.split_inclusive(|&byte| byte == b'\n') {
            self.line.extend_from_slice(piece);
            if piece.ends_with(b"\n") {
                self.emit()?;
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            self.emit()?;
        }
        self.out.flush()
    }
}

/// A file that does not parse is left untouched; its errors go to stderr.
fn refuse(
    workspace: &Workspace,
    path: &str,
    syntax: &[Diagnostic],
    color: bool,
) -> Result<FileOutcome, Outcome> {
    eprint!(
        "{}",
        render::diagnostics(
            workspace,
            syntax,
            render::Format::Human,
            Style { color, width: 100 }
        )
    );
    eprintln!("error: `{path}` has syntax errors; it was not formatted");
    Ok(FileOutcome::Refused)
}
