//! Stage 5, editing: `okr checkin`, one check-in line added under a KR.
//!
//! The line goes after the KR's last check-in (or after its attribute lines,
//! or the KR line), indented like the check-ins around it, with the file's
//! line ending; no other byte of the file changes. Everything that would make
//! the goals wrong is refused before anything is written.

use super::{line_ending, parse};
use crate::diagnostic::{suggest, Code};
use crate::model::goals::{KeyResult, Objective, Reading, ReferenceText, Target};
use crate::model::quantity::{is_chance, Quantity, Unit};
use crate::source::{FileId, SourceFile};
use crate::syntax::{atoms, parse_quantity};
use crate::workspace::{LoadError, Workspace};
use chrono::{Duration, NaiveDate};

use crate::model::period::GRACE_DAYS;

/// What to check in, as given on the command line.
#[derive(Clone, Debug)]
pub struct Request {
    /// `team/objective.kr`, or `objective.kr` when only one file has it.
    pub reference: String,
    /// The reading as written: a quantity, `done` or `pending`.
    pub value: String,
    /// The day of the reading.
    pub date: NaiveDate,
    /// `--confidence`, as written.
    pub confidence: Option<String>,
    /// `--note`, as written.
    pub note: Option<String>,
    /// `--by`, as written.
    pub by: Option<String>,
}

/// Why a check-in was not added; the file is untouched.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The request itself is wrong: an unknown reference, a value that does
    /// not read, a file that does not parse.
    #[error("{0}")]
    Usage(String),
    /// The reference names no KR of the files read (a usage error too, told
    /// apart for `okr checkin --from`'s `okr::import::unknown-kr`).
    #[error("{0}")]
    UnknownKr(String),
    /// The check-in would be an error in the goals, with that diagnostic's code.
    #[error("{message}")]
    Goals {
        /// The code of the error the check-in would cause.
        code: Code,
        /// That error's message.
        message: String,
    },
}

/// Why [`add`] wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum CheckinError {
    /// The request was refused before anything was written.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The file could not be read again under its lock.
    #[error(transparent)]
    Reload(#[from] LoadError),
    /// The file could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file's path.
        path: String,
        /// Why it could not be written.
        source: std::io::Error,
    },
    /// Another writer moved the KR to another file meanwhile.
    #[error("`{path}` changed while the check-in was being added; nothing was written (run the command again)")]
    Changed {
        /// The file the KR was planned in.
        path: String,
    },
}

/// The edit to make: the file's new text and where the line went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The workspace file the line goes into.
    pub file: FileId,
    /// The added line, without indentation or line ending.
    pub line: String,
    /// One-based number of the added line.
    pub line_number: usize,
    /// The file's whole new text.
    pub text: String,
}

/// Plans the check-in of `request` in `workspace`.
pub fn plan(workspace: &Workspace, request: &Request) -> Result<Edit, Refusal> {
    let (file, objective, kr) = find(workspace, request)?;
    let goals = &workspace.goals[file];
    let source = &workspace.files[file];
    if workspace
        .diagnostics
        .iter()
        .any(|d| d.file == file && d.code == Code::Syntax)
    {
        return Err(Refusal::Usage(format!(
            "`{}` has syntax errors; fix them first (`okr check {}`)",
            source.path, source.path
        )));
    }
    let reading = read_value(kr, &request.value)?;
    check_date(source, goals, kr, request.date)?;
    let line = checkin_line(request, &reading)?;
    let (at, indent) = insertion_point(source, objective, kr);
    let text = insert_line_after(&source.text, at, &format!("{indent}{line}"));
    verify(&text, objective, kr, request.date)?;
    Ok(Edit {
        file,
        line_number: source.line_index(at) + 2,
        line,
        text,
    })
}

/// Adds the check-in of `request` to its file, written atomically. Planned
/// once to find the file (and refuse early), then again under the file's
/// lock on its text as it is now: another okr may have added a line since
/// it was read, and that line must stay.
pub fn add(workspace: &mut Workspace, request: &Request) -> Result<Edit, CheckinError> {
    let file = plan(workspace, request)?.file;
    let path = workspace.files[file].path.clone();
    let cannot_write = |source| CheckinError::Write {
        path: path.clone(),
        source,
    };
    let _lock =
        crate::write::lock_for_edit(workspace.files[file].disk_path()).map_err(cannot_write)?;
    workspace.reload(file)?;
    let edit = plan(workspace, request)?;
    if edit.file != file {
        return Err(CheckinError::Changed { path });
    }
    crate::write::atomic_write(workspace.files[file].disk_path(), edit.text.as_bytes())
        .map_err(cannot_write)?;
    Ok(edit)
}

/// `text` with `line` added after the line that ends (before its line
/// ending) at `at`. The new line ends as that line does, after its ending, so
/// no byte of the file changes, even where line endings are mixed. After a
/// last line without an ending, the new line gets the file's line ending
/// before it, and none after, as the file had.
fn insert_line_after(text: &str, at: usize, line: &str) -> String {
    let rest = &text[at..];
    let ending = if rest.starts_with("\r\n") {
        "\r\n"
    } else if rest.starts_with('\n') {
        "\n"
    } else {
        ""
    };
    if ending.is_empty() {
        let eol = line_ending(text);
        return format!("{}{eol}{line}{rest}", &text[..at]);
    }
    let at = at + ending.len();
    format!("{}{line}{ending}{}", &text[..at], &text[at..])
}

/// The one KR the reference names: `(file, objective, kr)`.
fn find<'w>(
    workspace: &'w Workspace,
    request: &Request,
) -> Result<(FileId, &'w Objective, &'w KeyResult), Refusal> {
    let reference = request.reference.trim();
    let (team, objective_id, Some(kr_id)) = atoms::split_reference(reference) else {
        return Err(Refusal::UnknownKr(format!(
            "`{reference}` names no KR; write `team/objective.kr` (or `objective.kr`)"
        )));
    };
    let mut found = Vec::new();
    for goals in &workspace.goals {
        if team.is_some_and(|team| goals.team_id() != Some(team)) {
            continue;
        }
        let Some(objective) = goals.objective(objective_id) else {
            continue;
        };
        if let Some(kr) = objective.key_results.iter().find(|kr| kr.id.value == kr_id) {
            found.push((goals.file, objective, kr));
        }
    }
    if found.len() > 1 {
        // A team with a file per period: the file whose period takes the date.
        let in_date: Vec<_> = found
            .iter()
            .copied()
            .filter(|(file, _, _)| {
                workspace.goals[*file]
                    .period
                    .as_ref()
                    .is_some_and(|period| in_period(&period.value, request.date))
            })
            .collect();
        if !in_date.is_empty() {
            found = in_date;
        }
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(Refusal::UnknownKr(unknown(workspace, reference))),
        several => Err(Refusal::Usage(format!(
            "`{reference}` is ambiguous: it names a KR in {}; write it as `team/objective.kr`",
            several
                .iter()
                .map(|(file, _, _)| format!("`{}`", workspace.files[*file].path))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn unknown(workspace: &Workspace, reference: &str) -> String {
    let broken = workspace
        .files
        .iter()
        .enumerate()
        .filter(|(id, _)| {
            workspace
                .diagnostics
                .iter()
                .any(|d| d.file == *id && d.code == Code::Syntax)
        })
        .count();
    let mut message = format!(
        "no KR `{reference}` in the {} file(s) read",
        workspace.files.len()
    );
    // The KRs, spelled as the reference is: with its team, or without.
    let with_team = atoms::split_reference(reference).0.is_some();
    let mut known = Vec::new();
    for goals in &workspace.goals {
        let team = goals.team_id().unwrap_or("?");
        for objective in &goals.objectives {
            for kr in &objective.key_results {
                let text = ReferenceText {
                    team: with_team.then_some(team),
                    id: &objective.id.value,
                    child: Some(&kr.id.value),
                };
                known.push(text.to_string());
            }
        }
    }
    if let Some(near) = suggest::nearest(reference, known.iter().map(String::as_str)) {
        message.push_str(&format!("; {}", suggest::did_you_mean(near)));
    }
    if broken > 0 {
        message.push_str(&format!(
            " ({broken} of them have syntax errors: run `okr check`)"
        ));
    }
    message
}

fn in_period(period: &crate::model::period::Period, date: NaiveDate) -> bool {
    period.start <= date && date <= period.end + Duration::days(GRACE_DAYS)
}

/// The value as the KR's target needs it, or why it does not fit.
fn read_value(kr: &KeyResult, value: &str) -> Result<Reading, Refusal> {
    let value = value.trim();
    let example = match &kr.target.value {
        Target::Milestone => return read_milestone(kr, value),
        Target::Hold(band) => band
            .min
            .as_ref()
            .or(band.max.as_ref())
            .map(|bound| bound.value.clone()),
        Target::Move(_) => kr.target_quantity().or_else(|| kr.start()),
    };
    let shown = match kr.target.value.quantity() {
        Some(level) => level.to_string(),
        None => kr.target.value.to_string(),
    };
    if matches!(value, "done" | "pending") {
        return Err(mismatch(
            kr,
            example.as_ref(),
            &shown,
            value,
            "a milestone state",
        ));
    }
    let quantity = parse_quantity(value).map_err(|_| {
        Refusal::Usage(format!(
            "`{value}` is not a quantity; write it in the target's unit, like `{shown}`"
        ))
    })?;
    // A relative target with an unknown baseline takes its unit from the
    // first check-in: until then any quantity is one.
    let Some(example) = example else {
        return Ok(Reading::Value(quantity));
    };
    if quantity.unit != example.unit {
        return Err(mismatch(
            kr,
            Some(&example),
            &shown,
            value,
            &quantity.unit.describe(),
        ));
    }
    if let Some(word) = quantity.word.as_deref() {
        if example.word.as_deref() != Some(word) {
            return Err(mismatch(
                kr,
                Some(&example),
                &shown,
                value,
                &format!("counted in {word}"),
            ));
        }
    }
    Ok(Reading::Value(quantity))
}

/// `done`, `pending`, or the share complete (`40%`).
fn read_milestone(kr: &KeyResult, value: &str) -> Result<Reading, Refusal> {
    let refuse = || {
        Refusal::Goals {
        code: Code::UnitMismatch,
        message: format!(
            "`{}` is a milestone: check in `done`, `pending` or the share complete such as `40%`, not `{value}`",
            kr.id.value
        ),
    }
    };
    match value {
        "done" => Ok(Reading::Done),
        "pending" => Ok(Reading::Pending),
        _ => match parse_quantity(value) {
            Ok(share) if share.unit == Unit::Percent && is_chance(share.amount) => {
                Ok(Reading::Value(share))
            }
            _ => Err(refuse()),
        },
    }
}

fn mismatch(
    kr: &KeyResult,
    example: Option<&Quantity>,
    shown: &str,
    value: &str,
    what: &str,
) -> Refusal {
    let wanted = match example {
        Some(Quantity {
            unit,
            word: Some(word),
            ..
        }) => format!("{} ({word})", unit.describe()),
        Some(quantity) => quantity.unit.describe(),
        None => "a number".to_string(),
    };
    Refusal::Goals {
        code: Code::UnitMismatch,
        message: format!(
            "`{value}` is {what}, but `{}` has a target in {wanted}: `{shown}`",
            kr.id.value
        ),
    }
}

/// A check-in must come after the latest one (wherever it is written: the
/// check-ins may be out of order) and fall in the period (or its 14 days of
/// grace).
fn check_date(
    source: &SourceFile,
    goals: &crate::model::goals::Goals,
    kr: &KeyResult,
    date: NaiveDate,
) -> Result<(), Refusal> {
    let line_of =
        |checkin: &crate::model::goals::CheckIn| source.line_index(checkin.span.start()) + 1;
    // The first of the latest-dated check-ins, so an out-of-order one after it shows.
    let latest = kr
        .checkins
        .iter()
        .rev()
        .max_by_key(|checkin| checkin.date.value);
    if let Some(latest) = latest {
        if date <= latest.date.value {
            let mut message = format!(
                "`{}` was last checked in on {} (line {}); a new check-in must be dated after it, not {date}",
                kr.id.value,
                latest.date.value,
                line_of(latest)
            );
            let out_of_order = kr
                .checkins
                .windows(2)
                .find(|pair| pair[1].date.value <= pair[0].date.value);
            if let Some(pair) = out_of_order {
                message.push_str(&format!(
                    " (its check-ins are out of order: line {} is dated {}, not after line {}'s {})",
                    line_of(&pair[1]),
                    pair[1].date.value,
                    line_of(&pair[0]),
                    pair[0].date.value
                ));
            }
            return Err(Refusal::Goals {
                code: Code::CheckinOrder,
                message,
            });
        }
    }
    if let Some(period) = goals.period.as_ref().map(|period| &period.value) {
        if !in_period(period, date) {
            return Err(Refusal::Goals {
                code: Code::DateOutsidePeriod,
                message: format!(
                    "{date} is outside the period {period} ({} to {}, with {GRACE_DAYS} days of grace); pass `--date` or check in to the file for that period",
                    period.start, period.end
                ),
            });
        }
    }
    Ok(())
}

/// `DATE VALUE [confidence P] ["note"] [@handle]`.
fn checkin_line(request: &Request, reading: &Reading) -> Result<String, Refusal> {
    let value = match reading {
        Reading::Done => "done".to_string(),
        Reading::Pending => "pending".to_string(),
        Reading::Value(_) => request
            .value
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    };
    let mut line = format!("{} {value}", request.date);
    if let Some(confidence) = &request.confidence {
        line.push_str(&format!(" confidence {}", confidence_text(confidence)?));
    }
    if let Some(note) = &request.note {
        line.push_str(&format!(" {}", quote(note)?));
    }
    if let Some(by) = &request.by {
        line.push_str(&format!(" {}", handle(by)?));
    }
    Ok(line)
}

fn confidence_text(text: &str) -> Result<String, Refusal> {
    let text = text.trim();
    match parse_quantity(text) {
        Ok(quantity)
            if quantity.unit == crate::model::quantity::Unit::Percent
                && is_chance(quantity.amount) =>
        {
            Ok(text.to_string())
        }
        _ => Err(Refusal::Usage(format!(
            "--confidence: `{text}` is not a percent from 0% to 100%, e.g. `70%`"
        ))),
    }
}

/// A note as a string literal: `"` and `\` escaped; one line only.
fn quote(note: &str) -> Result<String, Refusal> {
    if note.contains(['\n', '\r']) {
        return Err(Refusal::Usage(
            "--note: a note is one line; it cannot hold a line break".into(),
        ));
    }
    Ok(format!(
        "\"{}\"",
        note.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// `@sam`, or `sam` given without its `@`.
fn handle(by: &str) -> Result<String, Refusal> {
    let name = by.trim().trim_start_matches('@');
    if !atoms::is_handle_name(name) {
        return Err(Refusal::Usage(format!(
            "--by: `{by}` is not a handle; write `@` and letters, digits, `_`, `.` or `-`, e.g. `@sam`"
        )));
    }
    Ok(format!("@{name}"))
}

/// A check-in line for `today` under `kr`, where `okr checkin` would put
/// it: `(offset, text)` to insert, the text starting with the file's line
/// ending. Its reading repeats the latest one (or the start, or zero in the
/// target's unit), a placeholder for the writer to correct: the
/// `stale-checkin` quick fix.
pub fn placeholder(
    source: &SourceFile,
    objective: &Objective,
    kr: &KeyResult,
    today: NaiveDate,
) -> (usize, String) {
    let reading = match kr.checkins.last().map(|last| &last.reading.value) {
        Some(Reading::Value(value)) => value.to_string(),
        Some(Reading::Done) => "done".to_string(),
        Some(Reading::Pending) => "pending".to_string(),
        None if kr.target.value == Target::Milestone => "pending".to_string(),
        None => kr
            .start()
            .or_else(|| {
                kr.target_quantity().map(|target| Quantity {
                    amount: rust_decimal::Decimal::ZERO,
                    ..target
                })
            })
            .map_or_else(|| "0".to_string(), |start| start.to_string()),
    };
    let (at, indent) = insertion_point(source, objective, kr);
    let eol = line_ending(&source.text);
    (at, format!("{eol}{indent}{today} {reading}"))
}

/// Where the line goes (the end of the line it follows, before its line
/// ending) and how far it is indented.
fn insertion_point(source: &SourceFile, objective: &Objective, kr: &KeyResult) -> (usize, String) {
    let indent_of = |line: usize| {
        let span = source.line_range(line);
        let text = &source.text[span.start()..span.end()];
        text.len() - text.trim_start_matches(' ').len()
    };
    let kr_line = source.line_index(kr.span.start());
    if let Some(last) = kr.checkins.last() {
        let line = source.line_index(last.span.start());
        return (source.line_range(line).end(), " ".repeat(indent_of(line)));
    }
    let attribute_lines = [
        kr.baseline.as_ref().map(|a| a.span),
        kr.weight.as_ref().map(|a| a.span),
        kr.owners.first().map(|a| a.span),
        kr.grade.as_ref().map(|a| a.span),
        kr.stage.as_ref().map(|a| a.span),
        kr.due.as_ref().map(|a| a.span),
    ]
    .into_iter()
    .flatten()
    .map(|span| source.line_index(span.start()))
    .filter(|&line| line > kr_line);
    let last = attribute_lines.max();
    let indent = if let Some(line) = last {
        indent_of(line)
    } else {
        let kr_indent = indent_of(kr_line);
        let step = kr_indent.saturating_sub(indent_of(source.line_index(objective.span.start())));
        kr_indent + step.max(1)
    };
    let line = last.unwrap_or(kr_line);
    (source.line_range(line).end(), " ".repeat(indent))
}

/// The new text parses, and the KR has the new check-in last.
fn verify(
    text: &str,
    objective: &Objective,
    kr: &KeyResult,
    date: NaiveDate,
) -> Result<(), Refusal> {
    let parsed = parse(text);
    let added = parsed
        .goals
        .objective(&objective.id.value)
        .and_then(|o| o.key_results.iter().find(|k| k.id.value == kr.id.value))
        .filter(|k| k.checkins.len() == kr.checkins.len() + 1)
        .and_then(|k| k.checkins.last())
        .is_some_and(|checkin| checkin.date.value == date);
    if parsed.has_syntax_errors() || !added {
        return Err(Refusal::Usage(
            "the check-in could not be placed safely (the file is left as it was); please report this".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "period 2026-Q3\nteam m\nobjective o \"O\"\n  kr v \"V\" target 60,000 customers\n    2026-07-14 44,100 # first\n    # note\n  kr p \"P\" target 35% baseline 30%\n    owner @sam\n  kr q \"Q\" target $5k\n  kr done \"D\" milestone\n";

    fn request(reference: &str, value: &str, date: &str) -> Request {
        Request {
            reference: reference.into(),
            value: value.into(),
            date: crate::model::period::parse_date(date).unwrap(),
            confidence: None,
            note: None,
            by: None,
        }
    }

    fn plan_in(text: &str, request: &Request) -> Result<Edit, Refusal> {
        plan(&Workspace::from_texts([("m.okr", text)]), request)
    }

    #[test]
    fn goes_after_the_last_checkin() {
        let mut r = request("m/o.v", "45k", "2026-07-21");
        r.note = Some("said \"hi\" \\o/".into());
        r.confidence = Some("70%".into());
        r.by = Some("dana".into());
        let edit = plan_in(FILE, &r).unwrap();
        assert_eq!(edit.line_number, 6);
        assert_eq!(
            edit.text,
            FILE.replace(
                "# first\n",
                "# first\n    2026-07-21 45k confidence 70% \"said \\\"hi\\\" \\\\o/\" @dana\n"
            )
        );
    }

    #[test]
    fn goes_after_attribute_lines_or_the_kr_line() {
        let edit = plan_in(FILE, &request("o.p", "31%", "2026-07-21")).unwrap();
        assert!(edit
            .text
            .contains("    owner @sam\n    2026-07-21 31%\n  kr q"));
        let edit = plan_in(FILE, &request("o.q", "$1.2k", "2026-07-21")).unwrap();
        assert!(edit.text.contains("target $5k\n    2026-07-21 $1.2k\n"));
        let edit = plan_in(FILE, &request("o.done", "done", "2026-07-21")).unwrap();
        assert!(edit.text.ends_with("milestone\n    2026-07-21 done\n"));
    }

    #[test]
    fn keeps_crlf() {
        let text = FILE.replace('\n', "\r\n");
        let edit = plan_in(&text, &request("o.q", "$1", "2026-07-21")).unwrap();
        assert!(edit
            .text
            .contains("target $5k\r\n    2026-07-21 $1\r\n  kr done"));
    }

    #[test]
    fn refusals() {
        let refused = |reference: &str, value: &str, date: &str| {
            plan_in(FILE, &request(reference, value, date)).unwrap_err()
        };
        // An unknown reference is a usage error of its own kind.
        assert!(matches!(
            refused("o.nope", "1", "2026-07-21"),
            Refusal::UnknownKr(_)
        ));
        assert!(matches!(
            refused("x/o.v", "1", "2026-07-21"),
            Refusal::UnknownKr(_)
        ));
        for (value, date, code) in [
            ("45%", "2026-07-21", Code::UnitMismatch),
            ("$45", "2026-07-21", Code::UnitMismatch),
            ("45 teams", "2026-07-21", Code::UnitMismatch),
            ("done", "2026-07-21", Code::UnitMismatch),
            ("45", "2026-07-14", Code::CheckinOrder),
            ("45", "2026-10-15", Code::DateOutsidePeriod),
        ] {
            match refused("o.v", value, date) {
                Refusal::Goals { code: found, .. } => assert_eq!(found, code, "{value} {date}"),
                other => panic!("{value} {date}: {other:?}"),
            }
        }
        assert!(plan_in(FILE, &request("o.v", "45 customers", "2026-10-14")).is_ok());
    }
}
