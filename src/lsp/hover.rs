//! `textDocument/hover`: a KR's numbers as `okr report` computes and prints
//! them (`score::score_team`, `report::kr_text`), a stage's planned volume
//! as `okr funnel` plans it (`funnel::FunnelKrs`), and the explanation of
//! the diagnostic codes under the cursor (`okr explain`'s pages).

use super::navigation::{self, Name};
use super::protocol::types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};
use super::server::{Answer, State};
use crate::document::report::KrText;
use crate::document::target_text;
use crate::funnel::{self, FunnelKrs};
use crate::model::goals::{Goals, KeyResult};
use crate::model::quantity::group_thousands;
use crate::model::resolve::{self, Index};
use crate::score::{self, KrScore};
use crate::source::FileId;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;

/// Every KR's score in `goals` as of `today`, by objective then KR (empty
/// without a period): the report's numbers.
pub(crate) fn kr_scores(goals: &Goals, today: NaiveDate) -> Vec<Vec<KrScore>> {
    score::score_team(goals, today)
        .map(|team| team.objectives.into_iter().map(|o| o.key_results).collect())
        .unwrap_or_default()
}

/// A KR's numbers as the report prints them.
pub(crate) fn kr_text(kr: &KeyResult, scored: &KrScore) -> KrText {
    crate::report::kr_text(kr, scored, target_text(&kr.target.value))
}

/// The volume `okr funnel` plans at each stage of funnel `at` of file
/// `home` (from its deepest volume KR), `None` where it plans none. Only
/// files that can refer to the funnel's team are read for its KRs.
pub(crate) fn planned_volumes(goals: &[Goals], home: FileId, at: usize) -> Vec<Option<Decimal>> {
    let Some(funnel) = goals.get(home).and_then(|g| g.funnels.get(at)) else {
        return Vec::new();
    };
    let team = goals[home].team_id().unwrap_or_default();
    let index = Index::new(goals);
    let links: Vec<_> = goals
        .iter()
        .filter(|file| file.file == home || resolve::teams_read(file).iter().any(|t| t == team))
        .flat_map(|file| {
            funnel::stage_krs(file, &index)
                .into_iter()
                .map(move |link| (file, link))
        })
        .collect();
    let plan = FunnelKrs::gather(funnel, &links).default_plan(funnel);
    match plan {
        Some(plan) => plan.needed,
        None => vec![None; funnel.stages.len()],
    }
}

/// The hover's Markdown for a KR.
fn kr_markdown(kr: &KeyResult, scored: &KrScore, source: &str) -> String {
    let text = kr_text(kr, scored);
    let mut rows = vec![("goal", text.goal.clone())];
    let mut row = |name: &'static str, value: Option<String>| {
        if let Some(value) = value {
            rows.push((name, value));
        }
    };
    row("baseline", text.baseline.clone());
    row("current", text.current.clone());
    row("progress", text.progress.clone());
    row("score", Some(text.score.clone()));
    row("expected", text.expected.clone());
    row("status", Some(scored.status.as_str().to_string()));
    row("forecast", text.forecast.clone());
    let last = scored.last_checkin.and_then(|at| kr.checkins.get(at));
    row(
        "last check-in",
        last.map(|checkin| {
            let reading = checkin.reading.span;
            let written = source
                .get(reading.start()..reading.end())
                .unwrap_or_default();
            format!("{} {written}", checkin.date.value)
        }),
    );
    row("confidence", text.confidence.clone());
    let mut markdown = format!(
        "**{}** · {}\n\n| | |\n|---|---|\n",
        kr.id.value,
        crate::escape::markdown(&kr.title.value)
    );
    for (name, value) in rows {
        markdown.push_str(&format!(
            "| {name} | {} |\n",
            crate::escape::markdown(&value)
        ));
    }
    markdown
}

/// `textDocument/hover`.
pub(crate) fn hover(state: &State, params: &HoverParams) -> Answer {
    let Some((id, offset)) = navigation::at(state, &params.text_document_position_params) else {
        return Ok(Value::Null);
    };
    let workspace = &state.documents.workspace;
    let mut parts = Vec::new();
    if let Some(found) = navigation::name_at(state, id, offset) {
        match found.name {
            Name::Goal(goal) => {
                if let Some(k) = goal.kr {
                    let goals = &workspace.goals[goal.file];
                    let scores = kr_scores(goals, state.documents.today());
                    let kr = goals
                        .objectives
                        .get(goal.objective)
                        .and_then(|o| o.key_results.get(k));
                    let scored = scores.get(goal.objective).and_then(|o| o.get(k));
                    if let (Some(kr), Some(scored)) = (kr, scored) {
                        parts.push(kr_markdown(kr, scored, &workspace.files[goal.file].text));
                    }
                }
            }
            Name::Stage(file, f, s) => {
                let stage = workspace.goals[file]
                    .funnels
                    .get(f)
                    .and_then(|funnel| funnel.stages.get(s));
                if let Some(stage) = stage {
                    let volume = planned_volumes(&workspace.goals, file, f)
                        .get(s)
                        .copied()
                        .flatten();
                    parts.push(match volume {
                        Some(volume) => format!(
                            "**{}** · {}\n\nplanned volume: {}",
                            stage.id.value,
                            crate::escape::markdown(&stage.title.value),
                            group_thousands(volume)
                        ),
                        None => format!(
                            "**{}** · {}\n\nno planned volume: the funnel has no volume KR below this stage, or a conversion is missing",
                            stage.id.value,
                            crate::escape::markdown(&stage.title.value)
                        ),
                    });
                }
            }
            _ => {}
        }
    }
    let mut codes: Vec<_> = state
        .documents
        .diagnostics_of(id)
        .filter(|d| d.span.start() <= offset && offset <= d.span.end())
        .map(|d| d.code)
        .collect();
    codes.extend(allowed_code_at(state, id, offset));
    codes.sort();
    codes.dedup();
    parts.extend(codes.into_iter().map(|code| code.explanation().to_string()));
    if parts.is_empty() {
        return Ok(Value::Null);
    }
    let hover = Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: None,
    };
    Ok(serde_json::to_value(hover).unwrap_or_default())
}

/// The code named in a `# okr:allow(CODE, …)` comment at `offset`.
fn allowed_code_at(state: &State, id: FileId, offset: usize) -> Option<crate::diagnostic::Code> {
    let file = &state.documents.workspace.files[id];
    let line = file.line_span(offset);
    let text = &file.text[line.start()..line.end()];
    let open = text.find("okr:allow(")? + "okr:allow(".len();
    let close = open + text[open..].find(')')?;
    let at = offset.checked_sub(line.start())?;
    if at < open || at > close {
        return None;
    }
    let mut start = open;
    text[open..close].split(',').find_map(|code| {
        let end = start + code.len();
        let hit = (start..=end).contains(&at);
        start = end + 1;
        hit.then(|| crate::diagnostic::Code::parse(code)).flatten()
    })
}
