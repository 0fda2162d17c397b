//! Stage 4, output of `okr diff` and `okr log`: human (grouped by team and
//! objective, reviewer flags first), Markdown for a pull-request comment
//! (summary and flags on top, details folded, under GitHub's size limit) and
//! the JSON of SPEC §7.

use crate::diagnostic::Severity;
use crate::diff::review::{Finding, Review};
use crate::diff::{Change, FinalScore, Flag, Group, Kind, Tally, Value};
use crate::document::diff::{AsOf, DiffDocument, DiffSummary, ObjectiveScore};
use crate::document::log::{LogDocument, LogEntry};
use crate::document::{self, pretty, Lazy, Num};
use crate::escape::{
    markdown as md_escape, markdown_cell_code, markdown_code, markdown_html, terminal,
};
use crate::history::log::Log;
use crate::history::revisions::Point;
use crate::model::goals::{CheckIn, ReferenceText};
use rust_decimal::Decimal;
use std::fmt::Write;

/// How `okr diff` and `okr log` print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// For a terminal: grouped by team and objective, flags first.
    Human,
    /// For a pull-request comment on GitHub.
    Md,
    /// A versioned JSON document, for tools (docs/json.md).
    Json,
}

/// What a diff compared, and what it found.
#[derive(Debug)]
pub struct DiffView<'a> {
    /// The old side, as named: a revision, `working tree` or a period.
    pub from: &'a str,
    /// The new side, as named.
    pub to: &'a str,
    /// The old side's commit id, when it is a commit.
    pub from_commit: Option<String>,
    /// The new side's commit id, when it is a commit.
    pub to_commit: Option<String>,
    /// Every change found, in output order.
    pub changes: &'a [Change],
    /// Set for a period diff.
    pub periods: Option<PeriodView<'a>>,
}

impl<'a> DiffView<'a> {
    /// Two points compared (revisions, or one and the working tree).
    pub fn of_points(old: &'a Point, new: &'a Point, changes: &'a [Change]) -> Self {
        DiffView {
            from: old.label(),
            to: new.label(),
            from_commit: old.commit(),
            to_commit: new.commit(),
            changes,
            periods: None,
        }
    }

    /// The changes a reviewer must see, put first in every format.
    fn flagged(&self) -> Vec<&Change> {
        self.changes
            .iter()
            .filter(|c| !c.flags.is_empty())
            .collect()
    }
}

/// What only a period diff shows.
#[derive(Debug)]
pub struct PeriodView<'a> {
    /// Where each side's goals were read: `3f2a9c1 (last commit on or before 2026-06-30)`.
    pub as_of: [String; 2],
    /// Objectives in both periods (`team/objective`).
    pub carried_over: &'a [String],
    /// The earlier period's scores as of today (final once it has ended).
    pub scores: &'a [FinalScore],
}

/// GitHub refuses comments over 65,536 characters; keep a margin for the
/// marker a workflow adds.
pub const MD_LIMIT: usize = 65_000;

/// A diff in `format`, coloured for a terminal when `color` (human only).
pub fn diff(view: &DiffView<'_>, format: DiffFormat, color: bool) -> String {
    match format {
        DiffFormat::Human => human(view, color),
        DiffFormat::Md => markdown(view, None, MD_LIMIT),
        DiffFormat::Json => pretty(&diff_json(view)),
    }
}

/// The Markdown of a pull-request review: the diff, and what it did to the
/// diagnostics (SPEC §8.7), summed up in the opening line.
pub fn review_markdown(view: &DiffView<'_>, review: &Review) -> String {
    markdown(view, Some(review), MD_LIMIT)
}

/// `okr log`'s story of a goal in `format`, coloured for a terminal when `color` (human only).
pub fn log(log: &Log, format: DiffFormat, color: bool) -> String {
    match format {
        DiffFormat::Human => log_human(log, color),
        DiffFormat::Md => log_markdown(log),
        DiffFormat::Json => pretty(&log_json(log)),
    }
}

// ---------------------------------------------------------------- JSON

/// The document of SPEC §7, its changes written as they are made: a diff of
/// a large organisation holds tens of thousands.
fn diff_json<'a>(view: &'a DiffView<'a>) -> DiffDocument<'a, impl serde::Serialize + 'a> {
    let tally = Tally::of(view.changes);
    let periods = view.periods.as_ref();
    DiffDocument {
        version: document::VERSION,
        from: view.from,
        to: view.to,
        from_commit: view.from_commit.as_deref(),
        to_commit: view.to_commit.as_deref(),
        changes: Lazy(|| view.changes.iter().map(document::diff::Change::of)),
        summary: DiffSummary {
            changes: tally.changes,
            flagged: tally.flagged,
            teams: tally.teams,
        },
        as_of: periods.map(|p| AsOf {
            from: &p.as_of[0],
            to: &p.as_of[1],
        }),
        carried_over: periods.map(|p| p.carried_over),
        final_scores: periods.map(|p| p.scores.iter().map(final_score).collect()),
    }
}

fn final_score(team: &FinalScore) -> document::diff::FinalScore<'_> {
    document::diff::FinalScore {
        team: &team.team,
        period: &team.period,
        file: &team.file,
        score: Num(team.score.score),
        grade: grade_of_team(team),
        objectives: team
            .objectives
            .iter()
            .zip(&team.score.objectives)
            .map(|((reference, title), score)| ObjectiveScore {
                reference,
                title,
                score: Num(score.score),
                grade: score.grade.map(crate::score::Grade::as_str),
                missed_commitment: score.missed_commitment,
            })
            .collect(),
    }
}

fn log_json(log: &Log) -> LogDocument<'_> {
    LogDocument {
        version: document::VERSION,
        reference: &log.reference,
        entries: log
            .entries
            .iter()
            .map(|entry| LogEntry {
                commit: &entry.commit,
                date: &entry.date,
                author: &entry.author,
                summary: &entry.summary,
                changes: entry
                    .changes
                    .iter()
                    .map(document::diff::Change::of)
                    .collect(),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------- shared text

/// A value as people write it in a `.okr` file.
fn show(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "(none)".into();
    };
    match value {
        Value::Text(text) => text.clone(),
        Value::Quantity(quantity) => quantity.to_string(),
        Value::Number(amount) => amount.normalize().to_string(),
        Value::Target(target) => target.to_string(),
        Value::Stages(stages) => stages.join(" → "),
        Value::CheckIn(checkin) => show_checkin(checkin),
    }
}

/// A check-in without its date (the change's detail names the date).
fn show_checkin(checkin: &CheckIn) -> String {
    let mut text = checkin.reading.value.to_string();
    if let Some(confidence) = checkin.confidence() {
        let percent = (confidence.value * Decimal::ONE_HUNDRED).normalize();
        let _ = write!(text, " confidence {percent}%");
    }
    if let Some(note) = checkin.note() {
        let _ = write!(text, " \"{}\"", note.value);
    }
    if let Some(by) = checkin.by() {
        let _ = write!(text, " {}", by.value);
    }
    text
}

/// `from → to`, or only the side that exists.
pub fn movement(change: &Change) -> String {
    match (change.kind.sign(), &change.from, &change.to) {
        ('+', _, Some(to)) => show(Some(to)),
        ('-', Some(from), _) => show(Some(from)),
        (_, from, to) => format!("{} → {}", show(from.as_ref()), show(to.as_ref())),
    }
}

/// What inside the referenced entity changed, for places that print the
/// full reference beside it: `check-in 2026-07-14`, `initiative ads`.
fn detail(change: &Change) -> String {
    change.detail.clone().unwrap_or_default()
}

/// For a log: the detail when the change is about the followed goal itself,
/// else what inside it (a KR of the followed objective).
fn log_subject(log: &Log, change: &Change) -> String {
    if change.reference == log.reference {
        detail(change)
    } else {
        subject(change)
    }
}

/// What the change is about, within its group: a KR id, a stage, a
/// check-in's date, an initiative; empty for the group itself.
fn subject(change: &Change) -> String {
    let group_ref = match &change.group {
        Group::Team => change.team.clone(),
        Group::Funnel(id) | Group::Objective(id) => {
            ReferenceText::new(&change.team, id).to_string()
        }
    };
    let inner = change
        .reference
        .strip_prefix(&group_ref)
        .map_or("", |rest| rest.trim_start_matches('.'));
    match (inner.is_empty(), &change.detail) {
        (true, None) => String::new(),
        (true, Some(detail)) => detail.clone(),
        (false, None) => inner.to_string(),
        (false, Some(detail)) if detail.contains(inner) => detail.clone(),
        (false, Some(detail)) => format!("{inner} {detail}"),
    }
}

fn group_title(group: &Group) -> String {
    match group {
        Group::Team => "team".into(),
        Group::Funnel(id) => format!("funnel {id}"),
        Group::Objective(id) => format!("objective {id}"),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `6 changes in 2 teams, 2 flagged`.
fn headline(changes: &[Change]) -> String {
    let tally = Tally::of(changes);
    if tally.changes == 0 {
        return "no goal changes".into();
    }
    let mut text = format!(
        "{} in {}",
        plural(tally.changes, "change", "changes"),
        plural(tally.teams, "team", "teams")
    );
    if tally.flagged > 0 {
        let _ = write!(text, ", {} flagged for review", tally.flagged);
    }
    text
}

/// Consecutive changes of one team and period (the diff emits them so).
fn by_team(changes: &[Change]) -> Vec<&[Change]> {
    let mut groups = Vec::new();
    let mut start = 0;
    for index in 1..=changes.len() {
        let boundary = index == changes.len()
            || changes[index].team != changes[start].team
            || changes[index].period != changes[start].period;
        if boundary {
            groups.push(&changes[start..index]);
            start = index;
        }
    }
    groups.retain(|group| !group.is_empty());
    groups
}

/// One change as a human line: sign, kind, what changed, from → to, and the
/// reviewer flags, loud. `gap` follows the kind when there is no subject (the
/// log keeps its colon there, the diff's padded kind needs none).
fn change_line(paint: &Paint, change: &Change, kind: &str, what: &str, gap: &str) -> String {
    let mut line = format!("    {} {kind}", paint.sign(change.kind));
    if what.is_empty() {
        let _ = write!(line, "{gap}");
    } else {
        let _ = write!(line, " {}:", terminal(what));
    }
    let _ = write!(line, " {}", terminal(&movement(change)));
    if !change.flags.is_empty() {
        let _ = write!(
            line,
            "  {}",
            paint.loud(&format!("[{}]", flag_list(&change.flags)))
        );
    }
    line
}

fn flag_list(flags: &[Flag]) -> String {
    flags
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------- human

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn loud(&self, text: &str) -> String {
        self.wrap("1;31", text)
    }
    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
    fn sign(&self, kind: Kind) -> String {
        let sign = kind.sign().to_string();
        match kind.sign() {
            '+' => self.wrap("32", &sign),
            '-' => self.wrap("31", &sign),
            _ => self.wrap("33", &sign),
        }
    }
}

fn human(view: &DiffView<'_>, color: bool) -> String {
    let paint = Paint(color);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} → {}: {}",
        paint.bold("okr diff"),
        terminal(view.from),
        terminal(view.to),
        headline(view.changes)
    );
    if let Some(periods) = &view.periods {
        for (label, at) in [view.from, view.to].iter().zip(&periods.as_of) {
            let line = format!("{} as of {}", terminal(label), terminal(at));
            let _ = writeln!(out, "{}", paint.dim(&line));
        }
    }
    let flagged = view.flagged();
    if !flagged.is_empty() {
        let _ = writeln!(out, "\n{}", paint.loud("Flagged for review:"));
        for change in flagged {
            for flag in &change.flags {
                let _ = writeln!(
                    out,
                    "  {} {}  {}  {}",
                    paint.loud("⚠"),
                    paint.loud(&format!("{:<17}", flag.as_str())),
                    terminal(&change.reference),
                    terminal(&flagged_what(change))
                );
            }
        }
    }
    for team in by_team(view.changes) {
        human_team(&mut out, team, &paint);
    }
    if let Some(periods) = &view.periods {
        human_periods(&mut out, periods, &paint);
    }
    out
}

/// For the flag list: the kind and the movement, e.g. `target 60,000 → target 50,000`.
fn flagged_what(change: &Change) -> String {
    let what = detail(change);
    let kind = change.kind.as_str();
    if what.is_empty() {
        format!("{kind}: {}", movement(change))
    } else {
        format!("{kind} {what}: {}", movement(change))
    }
}

fn human_team(out: &mut String, changes: &[Change], paint: &Paint) {
    let first = &changes[0];
    let _ = writeln!(
        out,
        "\n{} {}",
        paint.bold(&terminal(&first.team)),
        paint.dim(&format!(
            "({}, {})",
            terminal(&first.period),
            terminal(&first.file)
        ))
    );
    let mut group: Option<&Group> = None;
    for change in changes {
        if group != Some(&change.group) {
            group = Some(&change.group);
            let title = group_title(&change.group);
            let _ = writeln!(out, "  {}", paint.bold(&terminal(&title)));
        }
        let kind = format!("{:<25}", change.kind.as_str());
        let _ = writeln!(
            out,
            "{}",
            change_line(paint, change, &kind, &subject(change), "")
        );
    }
}

fn human_periods(out: &mut String, periods: &PeriodView<'_>, paint: &Paint) {
    let _ = writeln!(
        out,
        "\n{} {}",
        paint.bold("Carried over:"),
        if periods.carried_over.is_empty() {
            "nothing".to_string()
        } else {
            terminal(&periods.carried_over.join(", ")).into_owned()
        }
    );
    for team in periods.scores {
        let _ = writeln!(
            out,
            "\n{} {}",
            paint.bold(&format!(
                "{} in {}:",
                terminal(&team.team),
                terminal(&team.period)
            )),
            score_text(team.score.score, grade_of_team(team))
        );
        for ((reference, title), score) in team.objectives.iter().zip(&team.score.objectives) {
            let missed = if score.missed_commitment {
                paint.loud("  missed commitment")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {} \"{}\" {}{missed}",
                terminal(reference),
                terminal(title),
                score_text(score.score, score.grade.map(crate::score::Grade::as_str))
            );
        }
    }
}

fn grade_of_team(team: &FinalScore) -> Option<&'static str> {
    let ended = team
        .score
        .objectives
        .first()
        .is_some_and(|o| o.grade.is_some());
    ended.then(|| crate::score::Grade::of(team.score.score).as_str())
}

/// `0.53 (yellow)`, or the score alone before the period has ended.
fn score_text(score: Decimal, grade: Option<&str>) -> String {
    let shown = score.round_dp(2).normalize();
    match grade {
        Some(grade) => format!("{shown} ({grade})"),
        None => format!("{shown}"),
    }
}

fn log_human(log: &Log, color: bool) -> String {
    let paint = Paint(color);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}",
        paint.bold(&terminal(&log.reference)),
        if log.entries.is_empty() {
            "no commit changed it".to_string()
        } else {
            plural(log.entries.len(), "commit", "commits")
        }
    );
    for entry in &log.entries {
        let _ = writeln!(
            out,
            "\n{} {} {}  {}",
            paint.wrap("33", &terminal(short_commit(&entry.commit))),
            terminal(entry.date.get(..10).unwrap_or(&entry.date)),
            paint.bold(&terminal(&entry.author)),
            terminal(&entry.summary)
        );
        for change in &entry.changes {
            let what = log_subject(log, change);
            let line = change_line(&paint, change, change.kind.as_str(), &what, ":");
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

// ---------------------------------------------------------------- Markdown

/// A commit's abbreviated id, as git shows it.
fn short_commit(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// Builds a document that never passes `limit` bytes (so never passes as
/// many characters), counting what had to be left out.
struct Budget {
    out: String,
    limit: usize,
    left_out: usize,
}

impl Budget {
    /// Adds `text` if it fits with `reserve` bytes kept free; says whether it did.
    fn push(&mut self, text: &str, reserve: usize) -> bool {
        if self.out.len() + text.len() + reserve <= self.limit {
            self.out.push_str(text);
            true
        } else {
            false
        }
    }
}

/// Room kept for closing a `<details>` block and the truncation note.
const RESERVE: usize = 400;

fn markdown(view: &DiffView<'_>, review: Option<&Review>, limit: usize) -> String {
    let tally = Tally::of(view.changes);
    // The diagnostics close the comment whatever the tables take: their
    // room is set aside first.
    let closing = review.map(|review| diagnostics_section(review, limit / 4));
    let mut doc = Budget {
        out: String::new(),
        limit: limit - closing.as_ref().map_or(0, String::len),
        left_out: 0,
    };
    let mut head = format!(
        "### Goal changes: {} → {}\n\n",
        markdown_code(view.from),
        markdown_code(view.to)
    );
    if let Some(summary) = review.and_then(|review| summary_line(view.changes, review)) {
        let _ = write!(head, "**{summary}**\n\n");
    }
    if tally.changes == 0 {
        head.push_str("No goal changes.\n");
    } else {
        let _ = write!(
            head,
            "**{}** in {}",
            plural(tally.changes, "change", "changes"),
            plural(tally.teams, "team", "teams")
        );
        if tally.flagged > 0 {
            let flags: Vec<String> = tally
                .flags
                .iter()
                .map(|(flag, n)| format!("`{}` ×{n}", flag.as_str()))
                .collect();
            let _ = write!(
                head,
                " · ⚠️ **{} flagged for review**: {}",
                tally.flagged,
                flags.join(", ")
            );
        }
        head.push_str("\n\n");
    }
    if let Some(periods) = &view.periods {
        let _ = write!(
            head,
            "_{} as of {}; {} as of {}._\n\n",
            md_escape(view.from),
            md_escape(&periods.as_of[0]),
            md_escape(view.to),
            md_escape(&periods.as_of[1])
        );
    }
    doc.push(&head, 0);
    let flagged = view.flagged();
    if !flagged.is_empty() {
        doc.push("#### ⚠️ Needs a reviewer's eye\n\n", RESERVE);
        for (index, change) in flagged.iter().enumerate() {
            let line = format!(
                "- **{}** {} — {}\n",
                flag_list(&change.flags),
                markdown_code(&change.reference),
                md_escape(&flagged_what(change))
            );
            if !doc.push(&line, RESERVE) {
                let note = format!("- … and {} more flagged\n", flagged.len() - index);
                doc.push(&note, 0);
                break;
            }
        }
        doc.push("\n", 0);
    }
    for team in by_team(view.changes) {
        markdown_team(&mut doc, team);
    }
    if let Some(periods) = &view.periods {
        markdown_periods(&mut doc, periods);
    }
    if doc.left_out > 0 {
        let note = format!(
            "\n> [!NOTE]\n> {} not shown: a GitHub comment holds at most 65,536 characters. Run `okr diff` with the same revisions for all of them, or `--format json`.\n",
            plural(doc.left_out, "more change is", "more changes are")
        );
        doc.out.push_str(&note);
    }
    if let Some(closing) = closing {
        if !doc.out.ends_with("\n\n") {
            doc.out.push('\n');
        }
        doc.out.push_str(&closing);
    }
    doc.out
}

/// What a phrase of the summary line counts.
enum Counted {
    /// Changes of these kinds.
    Kinds(&'static [Kind]),
    /// Target changes, lowered (`true`) or not.
    Targets(bool),
    /// Changes carrying this flag (whatever their kind, so also counted above).
    Flagged(Flag),
}

impl Counted {
    fn counts(&self, change: &Change) -> bool {
        match self {
            Counted::Kinds(kinds) => kinds.contains(&change.kind),
            Counted::Targets(lowered) => {
                change.kind == Kind::TargetChanged
                    && change.flags.contains(&Flag::TargetLowered) == *lowered
            }
            Counted::Flagged(flag) => change.flags.contains(flag),
        }
    }
}

/// The summary line's phrases about changes, in order: `(what, one, many)`.
/// Kinds not named here are counted as "other changes".
const PHRASES: [(Counted, &str, &str); 10] = [
    (
        Counted::Kinds(&[Kind::CheckinAdded]),
        "check-in",
        "check-ins",
    ),
    (Counted::Targets(true), "target lowered", "targets lowered"),
    (Counted::Targets(false), "target changed", "targets changed"),
    (
        Counted::Kinds(&[Kind::ObjectiveAdded]),
        "new objective",
        "new objectives",
    ),
    (Counted::Kinds(&[Kind::KrAdded]), "new KR", "new KRs"),
    (
        Counted::Kinds(&[Kind::ObjectiveRemoved]),
        "objective removed",
        "objectives removed",
    ),
    (
        Counted::Kinds(&[Kind::KrRemoved]),
        "KR removed",
        "KRs removed",
    ),
    (
        Counted::Kinds(&[Kind::CheckinEdited, Kind::CheckinRemoved]),
        "check-in rewritten",
        "check-ins rewritten",
    ),
    (
        Counted::Flagged(Flag::CommittedDropped),
        "commitment dropped",
        "commitments dropped",
    ),
    (
        Counted::Flagged(Flag::ConfidenceDropped),
        "confidence drop",
        "confidence drops",
    ),
];

/// `3 check-ins, 1 target lowered, 1 new warning`: what a reviewer reads
/// first, the changes that matter named, the rest counted; `None` when
/// nothing changed.
fn summary_line(changes: &[Change], review: &Review) -> Option<String> {
    let count = |what: &Counted| changes.iter().filter(|c| what.counts(c)).count();
    let named = |change: &Change| {
        PHRASES.iter().any(|(what, _, _)| match what {
            Counted::Flagged(_) => false,
            _ => what.counts(change),
        })
    };
    let others = changes.iter().filter(|c| !named(c)).count();
    let phrases = PHRASES
        .iter()
        .map(|(what, one, many)| (count(what), *one, *many))
        .chain([
            (others, "other change", "other changes"),
            (
                review.introduced_of(Severity::Error),
                "new error",
                "new errors",
            ),
            (
                review.introduced_of(Severity::Warning),
                "new warning",
                "new warnings",
            ),
            (
                review.introduced_of(Severity::Advice),
                "new advice",
                "new advice",
            ),
            (
                review.resolved.len(),
                "diagnostic resolved",
                "diagnostics resolved",
            ),
        ]);
    let parts: Vec<String> = phrases
        .filter(|&(n, _, _)| n > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// "Diagnostics introduced by this change" (and those resolved), each list
/// cut with a count of the rest so the section stays within `limit` bytes.
fn diagnostics_section(review: &Review, limit: usize) -> String {
    let mut out = String::from("#### Diagnostics introduced by this change\n\n");
    if review.introduced.is_empty() {
        out.push_str("None.\n");
    }
    let half = limit / 2;
    finding_list(&mut out, &review.introduced, half);
    if !review.resolved.is_empty() {
        out.push_str("\n#### Diagnostics resolved by this change\n\n");
        finding_list(&mut out, &review.resolved, limit);
    }
    out
}

/// Appends one line per finding while `out` stays under `limit` bytes
/// (keeping room for the closing count).
fn finding_list(out: &mut String, findings: &[Finding], limit: usize) {
    for (index, finding) in findings.iter().enumerate() {
        let icon = match finding.severity {
            Severity::Error => "❌",
            Severity::Warning => "⚠️",
            Severity::Advice => "💡",
        };
        let line = format!(
            "- {icon} {} {} {} — {} ({})\n",
            finding.severity.as_str(),
            markdown_code(&finding.code.to_string()),
            markdown_code(&finding.reference),
            md_escape(&finding.message),
            markdown_code(&format!("{}:{}", finding.file, finding.line))
        );
        if out.len() + line.len() + 100 > limit {
            let _ = writeln!(out, "- … and {} more", findings.len() - index);
            return;
        }
        out.push_str(&line);
    }
}

fn markdown_team(doc: &mut Budget, changes: &[Change]) {
    let first = &changes[0];
    let flagged = changes.iter().filter(|c| !c.flags.is_empty()).count();
    let mut summary = format!(
        "<details><summary><b>{}</b> ({}) — {}",
        markdown_html(&first.team),
        markdown_html(&first.period),
        plural(changes.len(), "change", "changes")
    );
    if flagged > 0 {
        let _ = write!(summary, ", ⚠️ {flagged} flagged");
    }
    let _ = write!(
        summary,
        "</summary>\n\n{}\n\n| | change | goal | from | to |\n| --- | --- | --- | --- | --- |\n",
        markdown_code(&first.file)
    );
    if !doc.push(&summary, RESERVE) {
        doc.left_out += changes.len();
        return;
    }
    for (index, change) in changes.iter().enumerate() {
        let mut kind = change.kind.as_str().to_string();
        if !change.flags.is_empty() {
            let _ = write!(kind, " ⚠️ **{}**", flag_list(&change.flags));
        }
        let what = detail(change);
        let goal = if what.is_empty() {
            markdown_cell_code(&change.reference)
        } else {
            format!(
                "{} {}",
                markdown_cell_code(&change.reference),
                md_escape(&what)
            )
        };
        let cell = |value: &Option<Value>| match value {
            Some(value) => md_escape(&show(Some(value))).into_owned(),
            None => String::new(),
        };
        let row = format!(
            "| {} | {kind} | {goal} | {} | {} |\n",
            change.kind.sign(),
            cell(&change.from),
            cell(&change.to)
        );
        if !doc.push(&row, RESERVE) {
            doc.left_out += changes.len() - index;
            break;
        }
    }
    doc.push("\n</details>\n\n", 0);
}

fn markdown_periods(doc: &mut Budget, periods: &PeriodView<'_>) {
    let carried = if periods.carried_over.is_empty() {
        "nothing".to_string()
    } else {
        periods
            .carried_over
            .iter()
            .map(|r| markdown_code(r))
            .collect::<Vec<_>>()
            .join(", ")
    };
    doc.push(&format!("**Carried over:** {carried}\n\n"), RESERVE);
    for team in periods.scores {
        let mut block = format!(
            "<details><summary><b>{}</b> {} score: {}</summary>\n\n| objective | score | |\n| --- | --- | --- |\n",
            markdown_html(&team.team),
            markdown_html(&team.period),
            score_text(team.score.score, grade_of_team(team))
        );
        for ((reference, title), score) in team.objectives.iter().zip(&team.score.objectives) {
            let missed = if score.missed_commitment {
                "⚠️ missed commitment"
            } else {
                ""
            };
            let _ = writeln!(
                block,
                "| {} {} | {} | {missed} |",
                markdown_cell_code(reference),
                md_escape(title),
                score_text(score.score, score.grade.map(crate::score::Grade::as_str))
            );
        }
        block.push_str("\n</details>\n\n");
        if !doc.push(&block, RESERVE) {
            break;
        }
    }
}

fn log_markdown(log: &Log) -> String {
    let mut out = format!("### History of {}\n\n", markdown_code(&log.reference));
    if log.entries.is_empty() {
        out.push_str("No commit changed it.\n");
        return out;
    }
    out.push_str(
        "| commit | date | author | change | from | to |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for entry in &log.entries {
        for (index, change) in entry.changes.iter().enumerate() {
            let (commit, date, author) = if index == 0 {
                (
                    format!(
                        "{} {}",
                        markdown_cell_code(short_commit(&entry.commit)),
                        md_escape(&entry.summary)
                    ),
                    md_escape(entry.date.get(..10).unwrap_or(&entry.date)),
                    md_escape(&entry.author),
                )
            } else {
                Default::default()
            };
            let mut kind = change.kind.as_str().to_string();
            let what = log_subject(log, change);
            if !what.is_empty() {
                let _ = write!(kind, " {}", md_escape(&what));
            }
            if !change.flags.is_empty() {
                let _ = write!(kind, " ⚠️ **{}**", flag_list(&change.flags));
            }
            let cell = |value: &Option<Value>| {
                value
                    .as_ref()
                    .map_or(String::new(), |v| md_escape(&show(Some(v))).into_owned())
            };
            let _ = writeln!(
                out,
                "| {commit} | {date} | {author} | {kind} | {} | {} |",
                cell(&change.from),
                cell(&change.to)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(index: usize) -> Change {
        Change {
            kind: Kind::TargetChanged,
            reference: format!("team{index:04}/objective.kr"),
            team: format!("team{index:04}"),
            period: "2026-Q3".into(),
            group: Group::Objective("objective".into()),
            file: format!("goals/team{index:04}.okr"),
            from: Some(Value::Number(Decimal::from(10))),
            to: Some(Value::Number(Decimal::from(5))),
            flags: vec![Flag::TargetLowered],
            detail: None,
        }
    }

    fn pull_request(changes: &[Change]) -> DiffView<'_> {
        DiffView {
            from: "origin/main",
            to: "HEAD",
            from_commit: None,
            to_commit: None,
            changes,
            periods: None,
        }
    }

    #[test]
    fn markdown_stays_under_the_limit_with_a_note() {
        let changes: Vec<Change> = (0..5_000).map(change).collect();
        let view = pull_request(&changes);
        let text = markdown(&view, None, MD_LIMIT);
        assert!(text.chars().count() <= 65_536, "{}", text.len());
        assert!(
            text.contains("more changes are not shown"),
            "{}",
            &text[text.len() - 500..]
        );
        assert!(text.starts_with("### Goal changes"));
        assert_eq!(
            text.matches("<details>").count(),
            text.matches("</details>").count()
        );
    }

    #[test]
    fn a_review_keeps_its_diagnostics_at_the_end_under_the_limit() {
        use crate::diagnostic::Code;
        let changes: Vec<Change> = (0..5_000).map(change).collect();
        let finding = |index: usize| Finding {
            code: Code::FunnelGap,
            severity: Severity::Warning,
            reference: format!("team{index:04}/objective.kr"),
            file: format!("goals/team{index:04}.okr"),
            line: 12,
            message: "asks for more than the funnel yields".into(),
        };
        let review = Review {
            introduced: (0..3_000).map(finding).collect(),
            resolved: (0..3_000).map(finding).collect(),
        };
        let view = pull_request(&changes);
        let text = markdown(&view, Some(&review), MD_LIMIT);
        assert!(text.len() <= MD_LIMIT, "{}", text.len());
        assert!(text.contains("more changes are not shown"));
        let closing = text
            .find("#### Diagnostics introduced by this change")
            .expect("the section");
        assert!(text[closing..].contains("#### Diagnostics resolved by this change"));
        assert!(
            text.trim_end().ends_with("more"),
            "{}",
            &text[text.len() - 200..]
        );
        assert!(text.starts_with("### Goal changes"));
        assert!(text.contains("**5000 targets lowered"), "{}", &text[..300]);
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(md_escape("a|b<script>\n"), "a\\|b&lt;script\\>\\\\n");
    }
}
