//! `okr::checkin-order`, `okr::date-outside-period`, `okr::stale-checkin`
//! and `okr::initiative-overdue`.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::edit::checkin;
use crate::model::goals::{Goals, Initiative, InitiativeStatus, KeyResult, Objective};
use crate::model::period::Period;
use crate::span::{Span, Spanned};
use chrono::{Duration, NaiveDate};

use crate::model::period::GRACE_DAYS;
use crate::score;

pub(super) fn check(goals: &Goals, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(period) = goals.period.as_ref().map(|period| &period.value) else {
        return;
    };
    let file = goals.file;
    let outside = |date: &Spanned<NaiveDate>, what: &str, out: &mut Vec<Diagnostic>| {
        let late = period.end + Duration::days(GRACE_DAYS);
        let message = if date.value < period.start {
            format!(
                "this {what} is before the period {period} starts ({})",
                period.start
            )
        } else if date.value > late {
            format!(
                "this {what} is more than {GRACE_DAYS} days after the period {period} ends ({})",
                period.end
            )
        } else {
            return;
        };
        out.push(
            Diagnostic::new(Code::DateOutsidePeriod, file, date.span, message)
                .label(format!("outside {} … {}", period.start, late))
                .help(format!("goals for {period} run {} to {}; move this to the file for the period it belongs to", period.start, period.end)),
        );
    };
    let today = context.today;
    for objective in &goals.objectives {
        for initiative in &objective.initiatives {
            if let Some(due) = &initiative.due {
                outside(due, "due date", out);
                overdue(goals, initiative, due, today, out);
            }
        }
        for kr in &objective.key_results {
            if let Some(due) = &kr.due {
                outside(due, "due date", out);
            }
            let mut previous: Option<&Spanned<NaiveDate>> = None;
            for checkin in &kr.checkins {
                outside(&checkin.date, "check-in", out);
                if let Some(previous) =
                    previous.filter(|previous| checkin.date.value <= previous.value)
                {
                    let relation = if checkin.date.value == previous.value {
                        "repeats"
                    } else {
                        "comes before"
                    };
                    out.push(
                        Diagnostic::new(Code::CheckinOrder, file, checkin.date.span, format!("this check-in {relation} the one above it ({})", previous.value))
                            .label("out of order")
                            .related(file, previous.span, "the earlier line")
                            .help("check-ins under a KR go one per date, oldest first; merge or reorder them"),
                    );
                }
                previous = Some(&checkin.date);
            }
            stale(goals, context, period, objective, kr, out);
        }
    }
}

/// `okr::stale-checkin`, on the KRs the scores mark stale (a done KR never is).
fn stale(
    goals: &Goals,
    context: &Context<'_>,
    period: &Period,
    objective: &Objective,
    kr: &KeyResult,
    out: &mut Vec<Diagnostic>,
) {
    let today = context.today;
    let Some(since) = score::stale_since(kr, period, goals.cadence(), today) else {
        return;
    };
    if score::score_kr(kr, period, goals.cadence(), today).status == score::Status::Done {
        return;
    }
    let last = kr
        .checkins
        .iter()
        .any(|checkin| checkin.date.value <= today)
        .then_some(since);
    let age = (today - since).num_days();
    let message = match last {
        Some(last) => format!(
            "`{}` was last checked in {age} days ago ({last})",
            kr.id.value
        ),
        None => format!(
            "`{}` has had no check-in in the {age} days since the period started",
            kr.id.value
        ),
    };
    let diagnostic = Diagnostic::new(Code::StaleCheckin, goals.file, kr.id.span, message)
        .label(format!("no check-in since {since}"))
        .help(format!(
            "add this week's reading with `okr checkin {}/{}.{} VALUE`; the cadence is every {} days",
            goals.team_id().unwrap_or("team"),
            objective.id.value,
            kr.id.value,
            goals.cadence().days()
        ));
    out.push(match context.files.get(goals.file) {
        Some(source) => {
            let (at, line) = checkin::placeholder(source, objective, kr, today);
            diagnostic.fix(
                format!("Add a check-in for {today} (then write its reading)"),
                vec![(Span::new(at, at), line)],
            )
        }
        None => diagnostic,
    });
}

/// `okr::initiative-overdue`: the due date has passed and the initiative is
/// still `planned` (the default) or `active`.
fn overdue(
    goals: &Goals,
    initiative: &Initiative,
    due: &Spanned<NaiveDate>,
    today: NaiveDate,
    out: &mut Vec<Diagnostic>,
) {
    let status = initiative
        .status
        .as_ref()
        .map_or(InitiativeStatus::Planned, |status| status.value);
    if due.value >= today || !matches!(status, InitiativeStatus::Planned | InitiativeStatus::Active)
    {
        return;
    }
    let name = initiative.id.as_ref().map_or_else(
        || format!("\"{}\"", initiative.title.value),
        |id| format!("`{}`", id.value),
    );
    let days = (today - due.value).num_days();
    let overdue = if days == 1 {
        "1 day".to_string()
    } else {
        format!("{days} days")
    };
    out.push(
        Diagnostic::new(
            Code::InitiativeOverdue,
            goals.file,
            due.span,
            format!(
                "initiative {name} was due {} ({overdue} ago) and is still {}",
                due.value,
                status.as_str()
            ),
        )
        .label("past due")
        .help(
            "mark it `status done` or `status dropped`, or give it the new date it is expected by",
        ),
    );
}
