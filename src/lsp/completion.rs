//! `textDocument/completion`, from the line before the cursor: references
//! after `aligns`, `stage` and `segment` (ids with their titles), handles
//! after `@` (the owners written anywhere in the workspace), the words a
//! keyword takes (`cadence weekly`), units after a number where a quantity
//! goes, keywords at the start of a line and after a KR's target, and
//! today's date where a check-in line starts.

use super::navigation;
use super::protocol;
use super::protocol::types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionTextEdit, Range, TextEdit,
};
use super::server::{Answer, State};
use crate::model::goals::{CheckIn, Goals, ReferenceText};
use crate::model::resolve::Index;
use crate::source::FileId;
use crate::span::Span;
use crate::syntax::errors::STATEMENTS;
use std::collections::BTreeSet;

/// What may follow a KR's target on its line.
const KR_ATTRIBUTES: &[&str] = &["baseline", "weight", "owner", "stage", "due"];

/// The words a keyword takes.
fn words_after(keyword: &str) -> &'static [&'static str] {
    match keyword {
        "cadence" => &["weekly", "biweekly", "monthly"],
        "type" => &["committed", "aspirational"],
        "status" => &["planned", "active", "done", "dropped"],
        "target" => &["milestone", ">=", "<=", ">", "<", "+", "$", "€", "£", "¥"],
        "hold" => &[">=", "<=", ">", "<"],
        "baseline" => &["unknown", "$", "€", "£", "¥"],
        "size" | "value" => &["$", "€", "£", "¥"],
        _ => &[],
    }
}

/// Whether a quantity follows `keyword` (or a comparison before one).
fn takes_quantity(keyword: &str) -> bool {
    matches!(
        keyword,
        "target"
            | "hold"
            | "baseline"
            | "over"
            | "size"
            | "value"
            | "conversion"
            | ">="
            | "<="
            | ">"
            | "<"
    )
}

/// A byte of the token being completed: a reference, a handle or a word.
fn in_token(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'/' | b'.' | b'@')
}

/// `textDocument/completion`.
pub(crate) fn complete(state: &State, params: &CompletionParams) -> Answer {
    let Some((id, offset)) = navigation::at(state, &params.text_document_position) else {
        return Ok(serde_json::Value::Null);
    };
    let file = &state.documents.workspace.files[id];
    let line = file.line_span(offset);
    let prefix = &file.text[line.start()..offset];
    let token_len = prefix.bytes().rev().take_while(|&b| in_token(b)).count();
    let (before, token) = prefix.split_at(prefix.len() - token_len);
    let replaced = protocol::range(file, Span::new(offset - token_len, offset), state.encoding);
    let indent = prefix.len() - prefix.trim_start_matches(' ').len();
    let first_word = prefix.split_whitespace().next().unwrap_or_default();
    let keyword = before.split_whitespace().last().unwrap_or_default();
    let goals = &state.documents.workspace.goals[id];
    let mut items = Completions {
        range: replaced,
        items: Vec::new(),
    };
    if token.starts_with('@') {
        for handle in handles(&state.documents.workspace.goals) {
            items.add(handle, None, CompletionItemKind::TEXT);
        }
    } else if keyword == "aligns" || (first_word == "aligns" && before.trim_end().ends_with(',')) {
        goal_references(state, goals, token, &mut items);
    } else if keyword == "stage" && !(first_word == "stage" && under_funnel(state, id, offset)) {
        stage_references(state, goals, token, &mut items);
    } else if keyword == "segment" && indent > 0 {
        for segment in &goals.segments {
            items.add(
                segment.id.value.clone(),
                Some(segment.name.value.clone()),
                CompletionItemKind::REFERENCE,
            );
        }
    } else if before.trim().is_empty() {
        if indent > 0 {
            // Where a check-in line starts: today's reading comes first.
            let today = state.documents.today().to_string();
            items.add(
                today,
                Some("today: a check-in".into()),
                CompletionItemKind::VALUE,
            );
        }
        for keyword in STATEMENTS {
            items.add((*keyword).to_string(), None, CompletionItemKind::KEYWORD);
        }
    } else if token.starts_with(|c: char| c.is_ascii_digit()) && takes_quantity(keyword) {
        // A number being typed: the units and magnitudes it may take.
        for unit in ["%", "pp", "k", "M"] {
            items.add(format!("{token}{unit}"), None, CompletionItemKind::UNIT);
        }
    } else if !words_after(keyword).is_empty() {
        for word in words_after(keyword) {
            items.add((*word).to_string(), None, CompletionItemKind::KEYWORD);
        }
    } else if first_word == "kr" && (before.contains(" target ") || before.contains(" hold ")) {
        for attribute in KR_ATTRIBUTES {
            items.add((*attribute).to_string(), None, CompletionItemKind::KEYWORD);
        }
    }
    Ok(serde_json::to_value(items.items).unwrap_or_default())
}

/// The items so far, each replacing the token before the cursor.
struct Completions {
    range: Range,
    items: Vec<CompletionItem>,
}

impl Completions {
    fn add(&mut self, text: String, detail: Option<String>, kind: CompletionItemKind) {
        let sort = format!("{:05}", self.items.len());
        self.items.push(CompletionItem {
            label: text.clone(),
            kind: Some(kind),
            detail,
            sort_text: Some(sort),
            filter_text: Some(text.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(self.range, text))),
            ..CompletionItem::default()
        });
    }
}

/// Whether the line at `offset` is inside a funnel (a stage definition):
/// the nearest line above indented less starts with `funnel`.
fn under_funnel(state: &State, id: FileId, offset: usize) -> bool {
    let file = &state.documents.workspace.files[id];
    let indent_of = |text: &str| text.len() - text.trim_start_matches(' ').len();
    let here = file.line_index(offset);
    let line = file.line_range(here);
    let indent = indent_of(&file.text[line.start()..line.end()]);
    (0..here).rev().find_map(|above| {
        let span = file.line_range(above);
        let text = &file.text[span.start()..span.end()];
        (!text.trim().is_empty() && indent_of(text) < indent)
            .then(|| text.trim_start().starts_with("funnel"))
    }) == Some(true)
}

/// Every handle written in the workspace, in order.
fn handles(all: &[Goals]) -> BTreeSet<String> {
    let mut handles = BTreeSet::new();
    for goals in all {
        handles.extend(goals.owners.iter().map(|o| o.value.clone()));
        for objective in &goals.objectives {
            handles.extend(objective.owners.iter().map(|o| o.value.clone()));
            for kr in &objective.key_results {
                handles.extend(kr.owners.iter().map(|o| o.value.clone()));
                handles.extend(
                    kr.checkins
                        .iter()
                        .filter_map(CheckIn::by)
                        .map(|by| by.value.clone()),
                );
            }
            for initiative in &objective.initiatives {
                handles.extend(initiative.owners.iter().map(|o| o.value.clone()));
            }
        }
    }
    handles
}

/// After `aligns`: `team/` for each team and this team's objectives; after
/// `team/`, that team's objectives; after `team/objective.`, its KRs.
fn goal_references(state: &State, from: &Goals, token: &str, items: &mut Completions) {
    let all = &state.documents.workspace.goals;
    let index = Index::new(all);
    let Some((team, rest)) = token.split_once('/') else {
        for team in index.teams() {
            items.add(format!("{team}/"), None, CompletionItemKind::MODULE);
        }
        for objective in &from.objectives {
            items.add(
                objective.id.value.clone(),
                Some(objective.title.value.clone()),
                CompletionItemKind::REFERENCE,
            );
        }
        return;
    };
    for goals in index.overlapping(from, Some(team)) {
        match rest.split_once('.') {
            None => {
                for objective in &goals.objectives {
                    let text = ReferenceText::new(team, &objective.id.value).to_string();
                    items.add(
                        text,
                        Some(objective.title.value.clone()),
                        CompletionItemKind::REFERENCE,
                    );
                }
            }
            Some((objective, _)) => {
                for kr in goals
                    .objective(objective)
                    .iter()
                    .flat_map(|o| &o.key_results)
                {
                    let text = ReferenceText::new(team, objective)
                        .child(&kr.id.value)
                        .to_string();
                    items.add(
                        text,
                        Some(kr.title.value.clone()),
                        CompletionItemKind::REFERENCE,
                    );
                }
            }
        }
    }
}

/// After a KR's `stage`: `funnel.stage` of this team's funnels, or of
/// `team/`'s.
fn stage_references(state: &State, from: &Goals, token: &str, items: &mut Completions) {
    let all = &state.documents.workspace.goals;
    let index = Index::new(all);
    let team = token.split_once('/').map(|(team, _)| team);
    for goals in index.overlapping(from, team) {
        for funnel in &goals.funnels {
            for stage in &funnel.stages {
                let reference = match team {
                    Some(team) => ReferenceText::new(team, &funnel.id.value),
                    None => ReferenceText {
                        team: None,
                        id: &funnel.id.value,
                        child: None,
                    },
                };
                let text = reference.child(&stage.id.value).to_string();
                items.add(
                    text,
                    Some(stage.title.value.clone()),
                    CompletionItemKind::REFERENCE,
                );
            }
        }
    }
}
