//! `textDocument/formatting`: the whole document in `okr fmt`'s layout
//! (`edit::fmt::formatted`, the same function), as one edit; a document
//! that does not parse is refused with `okr fmt`'s message.

use super::protocol;
use super::protocol::types::{DocumentFormattingParams, Position, Range, TextEdit};
use super::server::{Answer, Failure, State};
use crate::edit::fmt;
use serde_json::Value;

/// The edit that lays the document out; none when it already is.
pub(crate) fn format(state: &State, params: &DocumentFormattingParams) -> Answer {
    let Some(id) = state.documents.id(&params.text_document.uri) else {
        return Ok(Value::Null);
    };
    let file = &state.documents.workspace.files[id];
    let edits = match fmt::formatted(file) {
        Ok(None) => Vec::new(),
        Ok(Some(formatted)) => {
            let end = protocol::position(file, file.text.len(), state.encoding);
            vec![TextEdit::new(
                Range::new(Position::new(0, 0), end),
                formatted,
            )]
        }
        Err(refused) => return Err(Failure::refused(refused.to_string())),
    };
    Ok(serde_json::to_value(edits).unwrap_or_default())
}
