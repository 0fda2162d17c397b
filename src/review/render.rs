//! Stage 4, output of `okr review`: human text for a terminal, Markdown for
//! a chat post or a weekly issue (the `templates/review/` template, its
//! lists shortened until it fits the cap), and the JSON of
//! `crate::document::review`. Goal text goes out through `crate::escape`.

use super::changes::Turn;
use super::state::{Behind, FunnelActual, Overdue};
use super::window::From;
use super::Review;
use crate::diff::render::movement;
use crate::diff::Change;
use crate::document::{self, review as doc, Num};
use crate::escape::{markdown_code, markdown_html, terminal};
use crate::model::quantity::{figure, share};
use crate::report::templates::{format_value, MARKDOWN};
use minijinja::value::Value;
use minijinja::Environment;
use serde::Serialize;
use std::fmt::Write;

/// How `okr review` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    /// Text for a terminal.
    Human,
    /// Markdown for a chat post or an issue, details folded.
    Md,
    /// The JSON document (docs/json.md).
    Json,
}

/// Slack cuts a message at 4,000 characters, and a Teams post or an issue
/// read at a glance should be no longer.
pub const MARKDOWN_CAP: usize = 4000;

/// The template, embedded.
const TEMPLATE: &str = include_str!("../../templates/review/review.md.j2");

/// Why the Markdown could not be rendered (a bug in the template: the
/// embedded one is tested).
#[derive(Debug, thiserror::Error)]
#[error("the review template: {0:#}")]
pub struct RenderError(#[from] minijinja::Error);

/// `review` in `format`; `full` lifts the Markdown's cap.
pub fn render(review: &Review, format: ReviewFormat, full: bool) -> Result<String, RenderError> {
    match format {
        ReviewFormat::Human => Ok(human(review)),
        ReviewFormat::Md => markdown(review, (!full).then_some(MARKDOWN_CAP)),
        ReviewFormat::Json => Ok(document::pretty(&json(review))),
    }
}

// ---------------------------------------------------------------- shared text

/// `12 check-ins · 1 target lowered · …`: what a reader takes in first.
fn summary(review: &Review) -> String {
    let mut parts = Vec::new();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if let Some(changes) = &review.changes {
        parts.push(count(changes.checkins.len(), "check-in", "check-ins"));
        for flag in crate::diff::Flag::ALL {
            let n = changes
                .moved
                .iter()
                .filter(|c| c.flags.contains(&flag))
                .count();
            if n > 0 {
                parts.push(format!("{n} {}", flag.as_str()));
            }
        }
        let turned = changes
            .turned
            .iter()
            .filter(|t| t.verb() == "turned")
            .count();
        let recovered = changes
            .turned
            .iter()
            .filter(|t| t.verb() == "recovered")
            .count();
        if turned > 0 {
            parts.push(count(turned, "KR turned worse", "KRs turned worse"));
        }
        if recovered > 0 {
            parts.push(count(recovered, "KR recovered", "KRs recovered"));
        }
    }
    parts.push(count(review.behind.len(), "KR behind", "KRs behind"));
    let owing = review.owed.len();
    if owing > 0 {
        parts.push(count(owing, "owner owes check-ins", "owners owe check-ins"));
    }
    if !review.overdue.is_empty() {
        parts.push(count(
            review.overdue.len(),
            "initiative overdue",
            "initiatives overdue",
        ));
    }
    parts.join(" · ")
}

fn flags(change: &Change) -> String {
    change
        .flags
        .iter()
        .map(|flag| flag.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `42% of 55% expected`, and why when it is only stale.
fn progress(behind: &Behind) -> String {
    let mut text = share(behind.score);
    if let Some(expected) = behind.expected {
        let _ = write!(text, " of {} expected", share(expected));
    }
    if behind.stale {
        text.push_str(", no recent check-in");
    }
    text
}

fn last_text(owed: &super::owed::Owed) -> String {
    match &owed.last {
        Some((day, reading)) => format!("last {reading} on {day}"),
        None => format!("no check-in since {}", owed.since),
    }
}

fn overdue_title(overdue: &Overdue) -> String {
    match &overdue.id {
        Some(id) => format!("{id} \"{}\"", overdue.title),
        None => format!("\"{}\"", overdue.title),
    }
}

fn funnel_name(funnel: &FunnelActual) -> String {
    let mut name = format!("{}/{}", funnel.team, funnel.id);
    if let Some(title) = &funnel.title {
        let _ = write!(name, " — {title}");
    }
    name
}

fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "–".into())
}

/// A conversion so far below the plan's: the leak to look at.
fn leaks(stage: &super::state::StageActual) -> bool {
    matches!((stage.actual, stage.planned), (Some(actual), Some(planned)) if actual < planned)
}

// ---------------------------------------------------------------- human

fn human(review: &Review) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Weekly review of {} — {} to {}",
        teams_text(review, |team| terminal(team).into_owned()),
        review.window.since,
        review.today
    );
    match &review.window.from {
        From::Commit(point) => {
            let _ = writeln!(out, "Changes since {}", terminal(&point.describe()));
        }
        From::Unavailable(why) => {
            let _ = writeln!(
                out,
                "Changes unavailable: {}; where things stand only",
                terminal(why)
            );
        }
    }
    let _ = writeln!(out, "{}", summary(review));
    if let Some(changes) = &review.changes {
        section(&mut out, "Check-ins added", &changes.checkins, human_change);
        section(
            &mut out,
            "Targets and confidence that moved",
            &changes.moved,
            human_change,
        );
        section(&mut out, "Status changes", &changes.turned, |t: &Turn| {
            format!(
                "{} {} {}: {} → {}  {}",
                t.to.icon(),
                terminal(&t.reference),
                t.verb(),
                t.from.as_str(),
                t.to.as_str(),
                terminal(&t.title)
            )
        });
    }
    if !review.owed.is_empty() {
        let _ = writeln!(out, "\nCheck-ins owed ({})", review.owed.len());
        for owner in &review.owed {
            let _ = writeln!(out, "  {}", terminal(&owner.handle));
            for owed in &owner.key_results {
                let _ = writeln!(
                    out,
                    "    {} {} — {}\n      {}",
                    terminal(&owed.reference),
                    terminal(&owed.title),
                    terminal(&last_text(owed)),
                    terminal(&owed.command)
                );
            }
        }
    }
    section(&mut out, "Behind today", &review.behind, |b: &Behind| {
        format!(
            "{} {} {}: {}  {}",
            b.status.icon(),
            terminal(&b.reference),
            b.status.as_str(),
            progress(b),
            terminal(&b.title)
        )
    });
    section(
        &mut out,
        "Initiatives overdue",
        &review.overdue,
        |i: &Overdue| {
            let mut line = format!(
                "{} {} — {}, due {}",
                terminal(&i.objective),
                terminal(&overdue_title(i)),
                i.status.as_str(),
                i.due
            );
            if !i.owners.is_empty() {
                let _ = write!(line, ", {}", terminal(&i.owners.join(" ")));
            }
            line
        },
    );
    if !review.funnels.is_empty() {
        let _ = writeln!(out, "\nFunnels against the plan");
        for funnel in &review.funnels {
            let _ = writeln!(out, "  {}", terminal(&funnel_name(funnel)));
            for stage in &funnel.stages {
                let _ = writeln!(
                    out,
                    "    {:<16} so far {:>10}  plan needs {:>10}  conversion {:>7} (plan {}){}",
                    terminal(&stage.id),
                    or_dash(stage.volume.map(figure)),
                    or_dash(stage.needed.map(figure)),
                    or_dash(stage.actual.map(share)),
                    or_dash(stage.planned.map(share)),
                    if leaks(stage) { "  below plan" } else { "" }
                );
            }
        }
    }
    out
}

/// `growth`, `3 teams`.
fn teams_text(review: &Review, show: impl Fn(&str) -> String) -> String {
    match review.teams.as_slice() {
        [one] => show(one),
        teams => format!("{} teams", teams.len()),
    }
}

fn section<T>(out: &mut String, title: &str, items: &[T], line: impl Fn(&T) -> String) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title} ({})", items.len());
    for item in items {
        let _ = writeln!(out, "  {}", line(item));
    }
}

fn human_change(change: &Change) -> String {
    let mut line = format!("{} {}", change.kind.sign(), terminal(&change.reference));
    if let Some(detail) = &change.detail {
        let _ = write!(line, " {}", terminal(detail));
    }
    let _ = write!(line, ": {}", terminal(&movement(change)));
    if !change.flags.is_empty() {
        let _ = write!(line, "  [{}]", flags(change));
    }
    line
}

// ---------------------------------------------------------------- Markdown

/// A list as the template shows it: the first items, and how many more.
#[derive(Serialize)]
struct Shown<T> {
    total: usize,
    items: Vec<T>,
    more: usize,
}

fn shown<'a, T: 'a, U>(
    items: impl ExactSizeIterator<Item = &'a T>,
    limit: usize,
    view: impl Fn(&T) -> U,
) -> Shown<U> {
    let total = items.len();
    let items: Vec<U> = items.take(limit).map(view).collect();
    Shown {
        total,
        more: total - items.len(),
        items,
    }
}

#[derive(Serialize)]
struct ChangeView {
    #[serde(rename = "ref")]
    reference: String,
    kind: &'static str,
    detail: String,
    text: String,
    flags: String,
}

fn change_view(change: &Change) -> ChangeView {
    ChangeView {
        reference: change.reference.clone(),
        kind: change.kind.as_str(),
        detail: change.detail.clone().unwrap_or_default(),
        text: movement(change),
        flags: flags(change),
    }
}

/// The Markdown, its lists shortened until it fits `cap` characters.
fn markdown(review: &Review, cap: Option<usize>) -> Result<String, RenderError> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| MARKDOWN);
    env.set_formatter(format_value);
    env.set_keep_trailing_newline(true);
    env.add_filter("code", |text: String| {
        Value::from_safe_string(markdown_code(&text))
    });
    env.add_filter("html", |text: String| {
        Value::from_safe_string(markdown_html(&text).into_owned())
    });
    env.add_template("review.md.j2", TEMPLATE)?;
    let template = env.get_template("review.md.j2")?;
    let Some(cap) = cap else {
        return Ok(template.render(context(review, usize::MAX, None))?);
    };
    // A digest of thousands of items is never under the cap whole: it is
    // not rendered whole to find that out.
    let items = review
        .changes
        .as_ref()
        .map_or(0, |c| c.checkins.len() + c.moved.len() + c.turned.len())
        + review.owed.len()
        + review.behind.len()
        + review.overdue.len()
        + review.funnels.len();
    let first = if items > 200 { 1 } else { 0 };
    let mut text = String::new();
    for limit in [usize::MAX, 25, 10, 5, 3, 1, 0].into_iter().skip(first) {
        let cut = (limit != usize::MAX).then_some(cap);
        text = template.render(context(review, limit, cut))?;
        if text.chars().count() <= cap {
            return Ok(text);
        }
    }
    // Even the headings alone are too long (thousands of teams named in
    // a line): cut at a line, and say so.
    let note = "\n… cut short; run `okr review --full` for everything.\n";
    let mut end = 0;
    for (at, _) in text.match_indices('\n') {
        if text[..at].chars().count() + note.chars().count() > cap {
            break;
        }
        end = at;
    }
    text.truncate(end);
    text.push_str(note);
    Ok(text)
}

fn context(review: &Review, limit: usize, cut: Option<usize>) -> Value {
    let changes = review.changes.as_ref();
    let (from, unavailable) = match &review.window.from {
        From::Commit(point) => (Some(point.describe()), None),
        From::Unavailable(why) => (None, Some(why.clone())),
    };
    minijinja::context! {
        team => (review.teams.len() == 1).then(|| review.teams[0].clone()),
        since => review.window.since.to_string(),
        today => review.today.to_string(),
        from => from,
        unavailable => unavailable,
        summary => summary(review),
        checkins => changes.map(|c| shown(c.checkins.iter(), limit, change_view)),
        moved => changes.map(|c| shown(c.moved.iter(), limit, change_view)),
        turned => changes.map(|c| shown(c.turned.iter(), limit, |t: &Turn| minijinja::context! {
            icon => Value::from_safe_string(t.to.icon().into()),
            ref => t.reference.clone(),
            verb => t.verb(),
            from => t.from.as_str(),
            to => t.to.as_str(),
            title => t.title.clone(),
        })),
        owed => shown(review.owed.iter(), limit, |o| minijinja::context! {
            owner => o.handle.clone(),
            krs => shown(o.key_results.iter(), limit, |k| minijinja::context! {
                ref => k.reference.clone(),
                title => k.title.clone(),
                last => last_text(k),
                command => k.command.clone(),
            }),
        }),
        behind => shown(review.behind.iter(), limit, |b| minijinja::context! {
            icon => Value::from_safe_string(b.status.icon().into()),
            ref => b.reference.clone(),
            status => b.status.as_str(),
            progress => progress(b),
            title => b.title.clone(),
        }),
        overdue => shown(review.overdue.iter(), limit, |i| minijinja::context! {
            objective => i.objective.clone(),
            title => overdue_title(i),
            status => i.status.as_str(),
            due => i.due.to_string(),
            owners => i.owners.join(" "),
        }),
        funnels => shown(review.funnels.iter(), limit, |f| minijinja::context! {
            name => funnel_name(f),
            stages => f.stages.iter().map(|s| minijinja::context! {
                id => s.id.clone(),
                volume => or_dash(s.volume.map(figure)),
                needed => or_dash(s.needed.map(figure)),
                actual => or_dash(s.actual.map(share)),
                planned => or_dash(s.planned.map(share)),
                leak => leaks(s),
            }).collect::<Vec<_>>(),
        }),
        cut => cut,
    }
}

// ---------------------------------------------------------------- JSON

/// The diff's entries for `list`.
fn entries(list: &[Change]) -> Vec<document::diff::Change<'_>> {
    list.iter().map(document::diff::Change::of).collect()
}

fn json(review: &Review) -> doc::ReviewDocument<'_> {
    let changes = review.changes.as_ref();
    let (from, unavailable) = match &review.window.from {
        From::Commit(point) => (
            Some(doc::From {
                revision: point.label(),
                commit: point.commit().unwrap_or_default(),
            }),
            None,
        ),
        From::Unavailable(why) => (None, Some(why.as_str())),
    };
    doc::ReviewDocument {
        version: document::VERSION,
        today: review.today.to_string(),
        since: review.window.since.to_string(),
        from,
        changes_unavailable: unavailable,
        teams: &review.teams,
        checkins: changes.map(|c| entries(&c.checkins)),
        moved: changes.map(|c| entries(&c.moved)),
        turned: changes.map(|c| {
            c.turned
                .iter()
                .map(|t| doc::Turn {
                    reference: &t.reference,
                    title: &t.title,
                    change: t.verb(),
                    from: t.from.as_str(),
                    to: t.to.as_str(),
                })
                .collect()
        }),
        other_changes: changes.map(|c| c.other),
        owed: review
            .owed
            .iter()
            .map(|o| doc::Owner {
                owner: &o.handle,
                key_results: o
                    .key_results
                    .iter()
                    .map(|k| doc::Owed {
                        reference: &k.reference,
                        title: &k.title,
                        last_checkin: k.last.as_ref().map(|(day, _)| day.to_string()),
                        stale_since: k.since.to_string(),
                        command: &k.command,
                    })
                    .collect(),
            })
            .collect(),
        behind: review
            .behind
            .iter()
            .map(|b| doc::Behind {
                reference: &b.reference,
                title: &b.title,
                status: b.status.as_str(),
                score: Num(b.score),
                expected: b.expected.map(Num),
                stale: b.stale,
            })
            .collect(),
        overdue: review
            .overdue
            .iter()
            .map(|i| doc::Overdue {
                objective: &i.objective,
                id: i.id.as_deref(),
                title: &i.title,
                status: i.status.as_str(),
                owners: &i.owners,
                due: i.due.to_string(),
            })
            .collect(),
        funnels: review
            .funnels
            .iter()
            .map(|f| doc::Funnel {
                team: &f.team,
                id: &f.id,
                title: f.title.as_deref(),
                stages: f
                    .stages
                    .iter()
                    .map(|s| doc::Stage {
                        id: &s.id,
                        planned_conversion: s.planned.map(Num),
                        actual_conversion: s.actual.map(Num),
                        volume: s.volume.map(Num),
                        needed: s.needed.map(Num),
                    })
                    .collect(),
            })
            .collect(),
    }
}
