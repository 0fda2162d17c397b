//! `textDocument/inlayHint`: each KR's progress at the end of its line (the
//! report's number), and each stage's planned volume after it (`okr
//! funnel`'s plan).

use super::hover::{kr_scores, kr_text, planned_volumes};
use super::protocol;
use super::protocol::types::{InlayHint, InlayHintLabel, InlayHintParams};
use super::server::{Answer, State};
use crate::model::quantity::group_thousands;
use crate::span::Span;

/// The hints in the requested range.
pub(crate) fn hints(state: &State, params: &InlayHintParams) -> Answer {
    let Some(id) = state.documents.id(&params.text_document.uri) else {
        return Ok(serde_json::Value::Null);
    };
    let workspace = &state.documents.workspace;
    let (goals, file) = (&workspace.goals[id], &workspace.files[id]);
    let wanted = protocol::span(file, params.range, state.encoding);
    let inside = |span: Span| span.start() >= wanted.start() && span.start() <= wanted.end();
    let mut hints = Vec::new();
    let mut hint = |span: Span, label: String| {
        // After the statement, before any comment.
        hints.push(InlayHint {
            position: protocol::position(file, span.end(), state.encoding),
            label: InlayHintLabel::String(label),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    };
    let scores = kr_scores(goals, state.documents.today());
    for (objective, scored) in goals.objectives.iter().zip(&scores) {
        for (kr, scored) in objective.key_results.iter().zip(scored) {
            if !inside(kr.span) {
                continue;
            }
            if let Some(progress) = kr_text(kr, scored).progress {
                hint(kr.span, format!("progress {progress}"));
            }
        }
    }
    for (at, funnel) in goals.funnels.iter().enumerate() {
        if !funnel.stages.iter().any(|stage| inside(stage.span)) {
            continue;
        }
        let volumes = planned_volumes(&workspace.goals, id, at);
        for (stage, volume) in funnel.stages.iter().zip(volumes) {
            if let (true, Some(volume)) = (inside(stage.span), volume) {
                hint(stage.span, format!("plan {}", group_thousands(volume)));
            }
        }
    }
    Ok(serde_json::to_value(hints).unwrap_or_default())
}
