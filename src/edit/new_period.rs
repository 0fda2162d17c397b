//! Stage 5, editing: `okr new`, the next period's file scaffolded from this one.
//!
//! Objectives that are not done carry over with their comments; done ones,
//! and the done KRs of carried objectives, are left behind and listed in a
//! comment at the top; check-in and grade lines are dropped; a level's
//! baseline becomes its last reading, a running total starts again from zero
//! (no baseline), a hold is carried as it is; due dates before the new period
//! are removed; the `period` line names the new period. Like `okr fmt`, it
//! edits the text line by line, so every comment and layout choice of what
//! carries over stays.
//! From a folder, each team's latest file is a start ([`plan_files`]);
//! every new file is planned and named before any is written.

use super::{bom, line_ending, parse, Parsed};
use crate::diagnostic::Diagnostic;
use crate::model::goals::{Goals, KeyResult, Reading, ReferenceText, Target};
use crate::model::period::Period;
use crate::score::{score_team, Measure, Status};
use crate::source::{display_path, FileId};
use crate::span::Span;
use crate::syntax::ast::Statement;
use crate::workspace::Workspace;
use chrono::{Duration, NaiveDate};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::model::period::GRACE_DAYS;

/// The new file's text and what happened to each objective.
#[derive(Debug)]
pub struct Scaffold {
    /// The new file's text.
    pub text: String,
    /// Objectives carried over into the new period (`team/objective`).
    pub carried: Vec<String>,
    /// Objectives left behind because they are done.
    pub done: Vec<String>,
    /// Done KRs of carried objectives, left behind (`team/objective.kr`).
    pub done_krs: Vec<String>,
}

/// Why a file for the next period could not be made from the old one.
#[derive(Debug)]
pub enum NewError {
    /// The old file does not parse: these are its errors.
    Syntax(Vec<Diagnostic>),
    /// The old file has no `period` line to move on from.
    NoPeriod,
    /// The new period does not start after the old one ends (the old
    /// one's label given): it overlaps it, or lies before it.
    NotAfter(String),
    /// The scaffold did not parse (a bug in `okr new`); nothing is written.
    Internal,
}

/// The next period's file from `text`, for `period`.
pub fn scaffold(text: &str, period: &Period) -> Result<Scaffold, NewError> {
    let parsed = parse(text);
    if parsed.has_syntax_errors() {
        return Err(NewError::Syntax(parsed.errors));
    }
    let goals = &parsed.goals;
    let old = goals.period.as_ref().ok_or(NewError::NoPeriod)?;
    if period.start <= old.value.end {
        return Err(NewError::NotAfter(old.value.label.clone()));
    }
    let starts = parsed
        .lines
        .iter()
        .map(|line| line.span.start())
        .collect::<Vec<_>>();
    let line_of = |offset: usize| {
        starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    };
    let finished = finished(goals, &old.value);
    let mut dropped: HashSet<usize> = HashSet::new();
    let mut carried = Vec::new();
    for (index, objective) in goals.objectives.iter().enumerate() {
        if finished.objectives.contains(&index) {
            drop_block(&parsed, line_of(objective.span.start()), &mut dropped);
        } else {
            carried.push(objective.id.value.clone());
        }
    }
    for &(objective, kr) in &finished.key_results {
        let kr = &goals.objectives[objective].key_results[kr];
        drop_block(&parsed, line_of(kr.span.start()), &mut dropped);
    }
    for (number, line) in parsed.lines.iter().enumerate() {
        if matches!(line.statement, Statement::CheckIn(_) | Statement::Grade(_)) {
            dropped.insert(number);
        }
    }
    let mut edits = vec![(old.span, period.label.clone())];
    for (index, objective) in goals.objectives.iter().enumerate() {
        if !finished.objectives.contains(&index) {
            for kr in &objective.key_results {
                edits.extend(baseline_edit(text, kr, &old.value));
                edits.extend(kr.due.as_ref().and_then(|due| due_edit(text, due, period)));
            }
            for initiative in &objective.initiatives {
                edits.extend(
                    initiative
                        .due
                        .as_ref()
                        .and_then(|due| due_edit(text, due, period)),
                );
            }
        }
    }
    let team = goals.team_id().unwrap_or("");
    let done: Vec<String> = finished
        .objectives
        .iter()
        .map(|&i| goals.objectives[i].id.value.clone())
        .collect();
    let done_krs: Vec<String> = finished
        .key_results
        .iter()
        .map(|&(objective, kr)| {
            let objective = &goals.objectives[objective];
            ReferenceText::new(team, &objective.id.value)
                .child(&objective.key_results[kr].id.value)
                .to_string()
        })
        .collect();
    let eol = line_ending(text);
    let mut header = String::new();
    for reference in done
        .iter()
        .map(|id| ReferenceText::new(team, id).to_string())
        .chain(done_krs.iter().cloned())
    {
        header.push_str(&format!("# done in {}: {reference}{eol}", old.value.label));
    }
    let body = assemble(text, &parsed, &dropped, &edits, &line_of);
    // The byte-order mark stays first.
    let mark = bom(&body);
    let text = format!("{mark}{header}{}", &body[mark.len()..]);
    let again = parse(&text);
    if again.has_syntax_errors() || again.goals.period.map(|p| p.value) != Some(period.clone()) {
        return Err(NewError::Internal);
    }
    Ok(Scaffold {
        text,
        carried,
        done,
        done_krs,
    })
}

/// What is done by the old period's end, with its days of grace, and so
/// not carried over: objectives (by index), and the KRs (objective, KR) of
/// the others. A hold is carried even when it held all period.
struct Finished {
    objectives: Vec<usize>,
    key_results: Vec<(usize, usize)>,
}

fn finished(goals: &Goals, old: &Period) -> Finished {
    let mut finished = Finished {
        objectives: Vec::new(),
        key_results: Vec::new(),
    };
    let as_of = old.end + Duration::days(GRACE_DAYS);
    let Some(score) = score_team(goals, as_of) else {
        return finished;
    };
    for (index, (objective, scored)) in goals.objectives.iter().zip(&score.objectives).enumerate() {
        if scored.status == Status::Done {
            finished.objectives.push(index);
            continue;
        }
        for (at, (kr, scored)) in objective
            .key_results
            .iter()
            .zip(&scored.key_results)
            .enumerate()
        {
            if scored.status == Status::Done
                && !matches!(kr.target.value, Target::Hold(_))
                && scored.held.is_none()
            {
                finished.key_results.push((index, at));
            }
        }
    }
    finished
}

/// Marks a block's lines to drop (an objective's or a KR's): its line,
/// everything indented under it, the comments right above it at its
/// indentation, and one blank line so none double up.
fn drop_block(parsed: &Parsed, start: usize, dropped: &mut HashSet<usize>) {
    let lines = &parsed.lines;
    let base = lines[start].indent;
    let is_blank =
        |n: usize| matches!(lines[n].statement, Statement::Blank) && lines[n].comment.is_none();
    // A comment alone on a line at the block's depth (or shallower) leads
    // what follows it, not this block.
    let is_top_comment = |n: usize| {
        let line = &lines[n];
        matches!(line.statement, Statement::Blank)
            && line
                .comment
                .is_some_and(|comment| comment.start() <= line.span.start() + base)
    };
    let mut end = start + 1;
    let mut last = start;
    while end < lines.len() {
        let line = &lines[end];
        if is_blank(end) {
            end += 1;
            continue;
        }
        let inside = match line.statement {
            Statement::Blank => !is_top_comment(end),
            _ => line.indent > base,
        };
        if !inside {
            break;
        }
        last = end;
        end += 1;
    }
    let mut first = start;
    while first > 0 && is_top_comment(first - 1) && lines[first - 1].indent == base {
        first -= 1;
    }
    dropped.extend(first..=last);
    let blank_above = first == 0 || is_blank(first - 1);
    if blank_above && last + 1 < lines.len() && is_blank(last + 1) {
        dropped.insert(last + 1);
    }
}

/// A level's baseline becomes the value of its last check-in in the old
/// period: replaced where it is written (`unknown` too), or added at the end
/// of the KR line. A running total starts again from zero, and holds and
/// milestones have no baseline to move.
fn baseline_edit(text: &str, kr: &KeyResult, old: &Period) -> Option<(Span, String)> {
    if Measure::of(kr) != Some(Measure::Level) {
        return None;
    }
    let last = kr
        .checkins
        .iter()
        .rfind(|checkin| checkin.date.value <= old.end + Duration::days(GRACE_DAYS))?;
    if !matches!(last.reading.value, Reading::Value(_)) {
        return None;
    }
    let value = text
        .get(last.reading.span.start()..last.reading.span.end())?
        .to_string();
    Some(match &kr.baseline {
        Some(baseline) => (baseline.span, value),
        None => (
            Span::new(kr.span.end(), kr.span.end()),
            format!(" baseline {value}"),
        ),
    })
}

/// A due date before the new period is removed with its keyword.
fn due_edit(
    text: &str,
    due: &crate::span::Spanned<NaiveDate>,
    period: &Period,
) -> Option<(Span, String)> {
    if due.value >= period.start {
        return None;
    }
    let before = text.get(..due.span.start())?.trim_end_matches([' ', '\t']);
    let keyword = before.strip_suffix("due")?;
    let start = keyword.trim_end_matches([' ', '\t']).len();
    Some((Span::new(start, due.span.end()), String::new()))
}

/// The kept lines, edited, with the file's line ending and byte-order mark.
fn assemble(
    text: &str,
    parsed: &Parsed,
    dropped: &HashSet<usize>,
    edits: &[(Span, String)],
    line_of: &dyn Fn(usize) -> usize,
) -> String {
    let eol = line_ending(text);
    let mut by_line: Vec<Vec<&(Span, String)>> = vec![Vec::new(); parsed.lines.len()];
    for edit in edits {
        by_line[line_of(edit.0.start())].push(edit);
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(bom(text));
    let mut first = true;
    for (number, line) in parsed.lines.iter().enumerate() {
        if dropped.contains(&number) {
            continue;
        }
        let mut content = text[line.span.start()..line.span.end()].to_string();
        let mut edits = by_line[number].clone();
        edits.sort_by_key(|edit| std::cmp::Reverse(edit.0.start()));
        for (span, replacement) in edits {
            let (start, end) = (
                span.start() - line.span.start(),
                span.end() - line.span.start(),
            );
            if content.is_char_boundary(start)
                && content.is_char_boundary(end)
                && end <= content.len()
            {
                content.replace_range(start..end, replacement);
            }
        }
        if !edits_left_something(&content, line) {
            continue;
        }
        if !first {
            out.push_str(eol);
        }
        first = false;
        out.push_str(&content);
    }
    if text.ends_with('\n') && !first {
        out.push_str(eol);
    }
    out
}

/// A line emptied by removing its only attribute is dropped.
fn edits_left_something(content: &str, line: &crate::syntax::ast::Line) -> bool {
    !content.trim().is_empty() || matches!(line.statement, Statement::Blank)
}

/// `marketing.okr` → `marketing-2026-Q4.okr`; `marketing-2026-Q3.okr` →
/// `marketing-2026-Q4.okr`, beside the old file. The old name's bytes are
/// kept as they are, UTF-8 or not.
pub fn default_name(old: &Path, old_period: &str, new_period: &str) -> PathBuf {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let stem = old.file_stem().map_or(&[][..], |stem| stem.as_bytes());
    let old_suffix = format!("-{}", file_label(old_period));
    let base = stem.strip_suffix(old_suffix.as_bytes()).unwrap_or(stem);
    let mut name = base.to_vec();
    name.extend_from_slice(format!("-{}.okr", file_label(new_period)).as_bytes());
    old.with_file_name(std::ffi::OsString::from_vec(name))
}

/// A period label fit for a file name: `2026-02-01..2026-04-30` → `2026-02-01--2026-04-30`.
fn file_label(label: &str) -> String {
    label.replace("..", "--")
}

// ------------------------------------------------------------ files

/// Why `okr new` wrote nothing (or stopped after the files it names).
#[derive(Debug, thiserror::Error)]
pub enum NewFileError {
    /// The text given for the new period does not read as one.
    #[error(
        "`{text}` is not a period; write `2026-Q4`, `2027-H1`, `2027` or `2027-02-01..2027-04-30`"
    )]
    NotAPeriod {
        /// The text as given.
        text: String,
    },
    /// The current folder could not be listed to find the old file.
    #[error("cannot list the current folder: {0}")]
    ListCurrentFolder(#[source] std::io::Error),
    /// No `--from`, and no `*.okr` file in the current folder.
    #[error("no *.okr file here; name the old file with --from FILE")]
    NoFileHere,
    /// No `--from`, and several `*.okr` files in the current folder.
    #[error("several *.okr files here; name the old one with --from FILE")]
    SeveralFilesHere,
    /// `-o` with a folder in `--from` names something that is not a folder.
    #[error("with a folder in --from, -o names the folder to write the new files into")]
    OutputNotAFolder,
    /// A folder in `--from` without any `*.okr` file.
    #[error("no *.okr file in `{}`", display_path(from))]
    NoFileIn {
        /// The folder as given.
        from: PathBuf,
    },
    /// File `file` of the workspace does not parse; its diagnostics say why.
    #[error("`{path}` has syntax errors; fix them first")]
    Syntax {
        /// The file's path.
        path: String,
        /// The file in the workspace, to render its diagnostics.
        file: FileId,
    },
    /// The old file has no `period` line to move on from.
    #[error("`{path}` has no `period` line")]
    NoPeriod {
        /// The file's path.
        path: String,
    },
    /// The new period does not start after the old one ends.
    #[error("{new} does not start after {old}, the period of `{path}`, ends: the next period starts after this one ends")]
    NotAfter {
        /// The new period, as written.
        new: String,
        /// The old period, as written.
        old: String,
        /// The old file's path.
        path: String,
    },
    /// The scaffold did not parse: a bug, caught before writing.
    #[error("the new file would not parse (a bug in okr new); nothing was written")]
    Internal,
    /// Two old files would make the same new file.
    #[error("two files would be written to `{}`; nothing was written (pass files one at a time with -o)", display_path(output))]
    SameOutput {
        /// The path both would be written to.
        output: PathBuf,
    },
    /// The new file is there already: `okr new` never overwrites.
    #[error(
        "`{}` already exists; `okr new` never overwrites a file (pass `-o` to name another)",
        display_path(output)
    )]
    Exists {
        /// The path that exists.
        output: PathBuf,
    },
    /// The new file could not be written.
    #[error("cannot write `{}`: {source}", display_path(output))]
    Write {
        /// The path it was written to.
        output: PathBuf,
        /// Why it could not be written.
        source: std::io::Error,
    },
}

/// The one `*.okr` file in the current folder, when there is exactly one.
pub fn only_file() -> Result<PathBuf, NewFileError> {
    let entries = std::fs::read_dir(".").map_err(NewFileError::ListCurrentFolder)?;
    let files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "okr"))
        .collect();
    match files.as_slice() {
        [one] => Ok(one.strip_prefix(".").unwrap_or(one).to_path_buf()),
        [] => Err(NewFileError::NoFileHere),
        _ => Err(NewFileError::SeveralFilesHere),
    }
}

/// Where the new files go: `-o` is the file to write, or with a folder in
/// `--from` the folder to write into; without it, beside each old file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// Beside each old file, named for the new period.
    Beside,
    /// `-o FILE`: this one file.
    File(PathBuf),
    /// `-o FOLDER`: into this folder, each under its old file's name.
    Folder(PathBuf),
}

impl Destination {
    /// The destination of files made from `from` with `-o output`.
    pub fn of(from: &Path, output: Option<PathBuf>) -> Result<Destination, NewFileError> {
        match output {
            None => Ok(Destination::Beside),
            Some(output) if !from.is_dir() => Ok(Destination::File(output)),
            Some(folder) if folder.is_dir() => Ok(Destination::Folder(folder)),
            Some(_) => Err(NewFileError::OutputNotAFolder),
        }
    }

    /// Where the file named `named` beside its old one goes.
    fn place(&self, named: PathBuf) -> PathBuf {
        match self {
            Destination::Beside => named,
            Destination::File(output) => output.clone(),
            Destination::Folder(folder) => folder.join(named.file_name().unwrap_or_default()),
        }
    }
}

/// One new file to write: where, and what.
#[derive(Debug)]
pub struct Planned {
    /// Where to write the new file.
    pub output: PathBuf,
    /// Its text and what it carries over.
    pub made: Scaffold,
}

impl Planned {
    /// Writes the new file; never over one that is there.
    pub fn write(&self) -> Result<(), NewFileError> {
        crate::write::create_new(&self.output, self.made.text.as_bytes()).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                NewFileError::Exists {
                    output: self.output.clone(),
                }
            } else {
                NewFileError::Write {
                    output: self.output.clone(),
                    source,
                }
            }
        })
    }
}

/// The new files for `period` from the workspace read from `from`: one per
/// team, from its latest file. Every file is planned, and every name
/// checked, before any is written: one refusal leaves the folder as it was.
pub fn plan_files(
    workspace: &Workspace,
    from: &Path,
    destination: &Destination,
    period: &Period,
) -> Result<Vec<Planned>, NewFileError> {
    if workspace.files.is_empty() {
        return Err(NewFileError::NoFileIn {
            from: from.to_path_buf(),
        });
    }
    let mut planned: Vec<Planned> = Vec::new();
    for id in sources(workspace) {
        let file = &workspace.files[id];
        let made = scaffold(&file.text, period).map_err(|error| {
            let path = file.path.clone();
            match error {
                NewError::Syntax(_) => NewFileError::Syntax { path, file: id },
                NewError::NoPeriod => NewFileError::NoPeriod { path },
                NewError::NotAfter(old) => NewFileError::NotAfter {
                    new: period.label.clone(),
                    old,
                    path,
                },
                NewError::Internal => NewFileError::Internal,
            }
        })?;
        let old_label = workspace.goals[id]
            .period
            .as_ref()
            .map_or("", |p| p.value.label.as_str());
        let output = destination.place(default_name(file.disk_path(), old_label, &period.label));
        if planned.iter().any(|other| other.output == output) {
            return Err(NewFileError::SameOutput { output });
        }
        if output.symlink_metadata().is_ok() {
            return Err(NewFileError::Exists { output });
        }
        planned.push(Planned { output, made });
    }
    Ok(planned)
}

/// The files to start from: each team's latest file (the one whose period
/// starts last; a file without a team stands alone), in the order read.
/// Older periods of a team are history, not a start.
fn sources(workspace: &Workspace) -> Vec<FileId> {
    let mut latest: Vec<FileId> = Vec::new();
    for (id, goals) in workspace.goals.iter().enumerate() {
        let start = |id: FileId| workspace.goals[id].period.as_ref().map(|p| p.value.start);
        let team = goals.team_id();
        let same_team = latest
            .iter()
            .position(|&other| team.is_some() && workspace.goals[other].team_id() == team);
        match same_team {
            Some(at) if start(id) > start(latest[at]) => latest[at] = id,
            Some(_) => {}
            None => latest.push(id),
        }
    }
    latest
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "# Goals\nperiod 2026-Q3 # this quarter\nteam m\n\n# all done\nobjective won \"Won\"\n  kr a \"A\" target 5\n    2026-07-10 5\n\n# still going\nobjective go \"Go\"\n  kr v \"V\" target 60,000 baseline 41,000 # from Q2\n    2026-07-14 44,100\n    # slow week\n    2026-08-11 51,200 \"launch\" @sam\n  kr p \"P\" target 35% weight 2\n    2026-07-20 31%\n    due 2026-08-01\n  kr m \"M\" milestone\n  initiative \"I\" status active due 2026-08-31 # owner later\n";

    #[test]
    fn carries_what_is_not_done() {
        let q4 = Period::parse("2026-Q4").unwrap();
        let scaffold = scaffold(OLD, &q4).unwrap();
        assert_eq!(scaffold.carried, ["go"]);
        assert_eq!(scaffold.done, ["won"]);
        assert_eq!(
            scaffold.text,
            "# done in 2026-Q3: m/won\n# Goals\nperiod 2026-Q4 # this quarter\nteam m\n\n# still going\nobjective go \"Go\"\n  kr v \"V\" target 60,000 baseline 51,200 # from Q2\n    # slow week\n  kr p \"P\" target 35% weight 2 baseline 31%\n  kr m \"M\" milestone\n  initiative \"I\" status active # owner later\n"
        );
    }

    #[test]
    fn totals_restart_levels_move_holds_stay_done_krs_stay_behind() {
        let old = "period 2026-Q3\nteam d\n\nobjective grow \"Grow\"\n  # MQLs this quarter\n  kr mqls \"MQLs\" target 5,000\n    2026-09-20 4,100\n  kr arr \"ARR\" target $2M baseline $1.5M\n    2026-09-20 $1.7M\n  kr visits \"Visits\" target +10% baseline unknown\n    2026-07-05 900\n    2026-09-20 960\n  kr avail \"Availability\" hold >= 99.5%\n    2026-09-20 99.9%\n  kr trials \"Trials\" target 300\n    2026-09-01 320\n    grade 100%\n  kr site \"Site live\" milestone\n    2026-08-01 done\n";
        let q4 = Period::parse("2026-Q4").unwrap();
        let scaffold = scaffold(old, &q4).unwrap();
        assert_eq!(scaffold.done_krs, ["d/grow.trials", "d/grow.site"]);
        // The MQL total restarts from 0; ARR and visits are levels whose
        // last readings become baselines; the hold is carried as written.
        assert_eq!(
            scaffold.text,
            "# done in 2026-Q3: d/grow.trials\n# done in 2026-Q3: d/grow.site\nperiod 2026-Q4\nteam d\n\nobjective grow \"Grow\"\n  # MQLs this quarter\n  kr mqls \"MQLs\" target 5,000\n  kr arr \"ARR\" target $2M baseline $1.7M\n  kr visits \"Visits\" target +10% baseline 960\n  kr avail \"Availability\" hold >= 99.5%\n"
        );
    }

    #[test]
    fn overlapping_and_earlier_periods_are_refused() {
        for period in ["2026-07-15..2026-10-15", "2025-Q1", "2026"] {
            let period = Period::parse(period).unwrap();
            assert!(matches!(scaffold(OLD, &period), Err(NewError::NotAfter(_))));
        }
    }

    #[test]
    fn names() {
        assert_eq!(
            default_name(Path::new("g/marketing.okr"), "2026-Q3", "2026-Q4"),
            PathBuf::from("g/marketing-2026-Q4.okr")
        );
        assert_eq!(
            default_name(Path::new("marketing-2026-Q3.okr"), "2026-Q3", "2026-Q4"),
            PathBuf::from("marketing-2026-Q4.okr")
        );
        assert_eq!(
            default_name(Path::new("m.okr"), "2026", "2027-02-01..2028-01-31"),
            PathBuf::from("m-2027-02-01--2028-01-31.okr")
        );
        use std::os::unix::ffi::OsStrExt;
        let odd = |bytes: &[u8]| PathBuf::from(std::ffi::OsStr::from_bytes(bytes));
        assert_eq!(
            default_name(&odd(b"x\xff-2026-Q3.okr"), "2026-Q3", "2026-Q4"),
            odd(b"x\xff-2026-Q4.okr")
        );
    }
}
