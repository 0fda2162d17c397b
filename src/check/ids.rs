//! `okr::duplicate-id`: ids repeat within their scope, or a team+period repeats.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::goals::Goals;
use crate::span::Spanned;
use std::collections::HashMap;

pub(super) fn check(goals: &Goals, out: &mut Vec<Diagnostic>) {
    let file = goals.file;
    let mut report = |kind: &str, ids: &mut dyn Iterator<Item = &Spanned<String>>| {
        let mut seen: foldhash::HashMap<&str, &Spanned<String>> = foldhash::HashMap::default();
        for id in ids {
            match seen.get(id.value.as_str()) {
                Some(first) => out.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        file,
                        id.span,
                        format!("{kind} `{}` is defined twice", id.value),
                    )
                    .label("defined again here")
                    .related(file, first.span, "first defined here")
                    .help(format!("give each {kind} its own id, or merge the two")),
                ),
                None => {
                    seen.insert(&id.value, id);
                }
            }
        }
    };
    report("objective", &mut goals.objectives.iter().map(|o| &o.id));
    report("funnel", &mut goals.funnels.iter().map(|f| &f.id));
    report("segment", &mut goals.segments.iter().map(|s| &s.id));
    for objective in &goals.objectives {
        report(
            "key result",
            &mut objective.key_results.iter().map(|kr| &kr.id),
        );
        report(
            "initiative",
            &mut objective.initiatives.iter().filter_map(|i| i.id.as_ref()),
        );
    }
    for funnel in &goals.funnels {
        report("stage", &mut funnel.stages.iter().map(|s| &s.id));
    }
}

/// Two files declaring the same team for the same period.
pub(super) fn duplicate_teams(all: &[Goals]) -> Vec<Diagnostic> {
    let mut seen: HashMap<(&str, chrono::NaiveDate, chrono::NaiveDate), &Goals> = HashMap::new();
    let mut out = Vec::new();
    for goals in all {
        let (Some(team), Some(period)) = (&goals.team, &goals.period) else {
            continue;
        };
        let key = (team.id.value.as_str(), period.value.start, period.value.end);
        match seen.get(&key) {
            Some(first) => out.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    goals.file,
                    team.id.span,
                    format!(
                        "team `{}` already has goals for {}",
                        team.id.value, period.value
                    ),
                )
                .label("declared again here")
                .related(
                    first.file,
                    first.team.as_ref().map_or(team.span, |t| t.id.span),
                    "first declared here",
                )
                .help(
                    "keep one file per team and period, or change this file's `team` or `period`",
                ),
            ),
            None => {
                seen.insert(key, goals);
            }
        }
    }
    out
}
