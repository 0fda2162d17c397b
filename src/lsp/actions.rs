//! `textDocument/codeAction`: the quick fixes the checks attach to their
//! diagnostics (`Diagnostic::fixes`: raise or lower a target per
//! `funnel-gap`, `baseline unknown`, a KR turned into an initiative, a
//! check-in line for a stale KR). The server computes none itself.

use super::protocol;
use super::protocol::types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, TextEdit, WorkspaceEdit,
};
use super::server::{Answer, State};
use std::collections::HashMap;

/// The fixes of the diagnostics that touch the requested range.
pub(crate) fn actions(state: &State, params: &CodeActionParams) -> Answer {
    let Some(id) = state.documents.id(&params.text_document.uri) else {
        return Ok(serde_json::Value::Null);
    };
    let file = &state.documents.workspace.files[id];
    let asked = protocol::span(file, params.range, state.encoding);
    let converter = state.converter();
    let mut actions = Vec::new();
    for diagnostic in state.documents.diagnostics_of(id) {
        let touches =
            diagnostic.span.start() <= asked.end() && asked.start() <= diagnostic.span.end();
        if !touches {
            continue;
        }
        for fix in &diagnostic.fixes {
            let edits = fix
                .edits
                .iter()
                .map(|(span, text)| {
                    TextEdit::new(protocol::range(file, *span, state.encoding), text.clone())
                })
                .collect();
            let changes = HashMap::from([(params.text_document.uri.clone(), edits)]);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: converter.diagnostic(diagnostic).map(|d| vec![d]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(diagnostic.fixes.len() == 1),
                ..CodeAction::default()
            }));
        }
    }
    Ok(serde_json::to_value(actions).unwrap_or_default())
}
