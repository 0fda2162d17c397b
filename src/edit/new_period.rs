//! Stage 5, editing: `okr new`, the next period's file scaffolded from this one.
//!
//! Objectives that are not done carry over with their comments; done ones
//! are left behind; check-in lines are dropped; each KR's baseline becomes its
//! last check-in's value; due dates before the new period are removed; the
//! `period` line names the new period. Like `okr fmt`, it edits the text line
//! by line, so every comment and layout choice of what carries over stays.

use super::{bom, line_ending, parse, Parsed};
use crate::diagnostic::Diagnostic;
use crate::model::goals::{Goals, Reading};
use crate::model::period::Period;
use crate::score::{score_team, Status};
use crate::span::Span;
use crate::syntax::ast::Statement;
use chrono::{Duration, NaiveDate};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::model::period::GRACE_DAYS;

/// The new file's text and what happened to each objective.
#[derive(Debug)]
pub struct Scaffold {
    pub text: String,
    pub carried: Vec<String>,
    /// Objectives left behind because they are done.
    pub done: Vec<String>,
}

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
    let done = done_objectives(goals, &old.value);
    let mut dropped: HashSet<usize> = HashSet::new();
    let mut carried = Vec::new();
    for (index, objective) in goals.objectives.iter().enumerate() {
        if done.contains(&index) {
            drop_block(&parsed, line_of(objective.span.start()), &mut dropped);
        } else {
            carried.push(objective.id.value.clone());
        }
    }
    for (number, line) in parsed.lines.iter().enumerate() {
        if matches!(line.statement, Statement::CheckIn(_)) {
            dropped.insert(number);
        }
    }
    let mut edits = vec![(old.span, period.label.clone())];
    for (index, objective) in goals.objectives.iter().enumerate() {
        if !done.contains(&index) {
            for kr in &objective.key_results {
                edits.extend(baseline_edit(text, kr));
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
    let text = assemble(text, &parsed, &dropped, &edits, &line_of);
    let again = parse(&text);
    if again.has_syntax_errors() || again.goals.period.map(|p| p.value) != Some(period.clone()) {
        return Err(NewError::Internal);
    }
    Ok(Scaffold {
        text,
        carried,
        done: done
            .iter()
            .map(|&i| goals.objectives[i].id.value.clone())
            .collect(),
    })
}

/// The objectives (by index) that are done by the old period's end, with
/// its days of grace: they do not carry over.
fn done_objectives(goals: &Goals, old: &Period) -> Vec<usize> {
    let as_of = old.end + Duration::days(GRACE_DAYS);
    score_team(goals, as_of).map_or_else(Vec::new, |score| {
        score
            .objectives
            .iter()
            .enumerate()
            .filter(|(_, objective)| objective.status == Status::Done)
            .map(|(index, _)| index)
            .collect()
    })
}

/// Marks an objective's lines to drop: its line, everything indented under
/// it, the comments right above it, and one blank line so none double up.
fn drop_block(parsed: &Parsed, start: usize, dropped: &mut HashSet<usize>) {
    let lines = &parsed.lines;
    let is_blank =
        |n: usize| matches!(lines[n].statement, Statement::Blank) && lines[n].comment.is_none();
    let is_top_comment = |n: usize| {
        let line = &lines[n];
        matches!(line.statement, Statement::Blank)
            && line
                .comment
                .is_some_and(|comment| comment.start() == line.span.start())
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
            _ => line.indent > 0,
        };
        if !inside {
            break;
        }
        last = end;
        end += 1;
    }
    let mut first = start;
    while first > 0 && is_top_comment(first - 1) {
        first -= 1;
    }
    dropped.extend(first..=last);
    let blank_above = first == 0 || is_blank(first - 1);
    if blank_above && last + 1 < lines.len() && is_blank(last + 1) {
        dropped.insert(last + 1);
    }
}

/// The KR's baseline becomes the value of its last check-in: replaced where
/// it is written, or added at the end of the KR line.
fn baseline_edit(text: &str, kr: &crate::model::goals::KeyResult) -> Option<(Span, String)> {
    let last = kr.checkins.last()?;
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
            "# Goals\nperiod 2026-Q4 # this quarter\nteam m\n\n# still going\nobjective go \"Go\"\n  kr v \"V\" target 60,000 baseline 51,200 # from Q2\n    # slow week\n  kr p \"P\" target 35% weight 2 baseline 31%\n  kr m \"M\" milestone\n  initiative \"I\" status active # owner later\n"
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
