//! Outlines: a document's objectives → KRs → check-ins and funnels →
//! stages (`textDocument/documentSymbol`), and every team, objective, KR,
//! funnel and stage of the workspace by name (`workspace/symbol`).

use super::protocol::types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolInformation, SymbolKind,
    WorkspaceSymbolParams,
};
use super::protocol::{self, Converter, Encoding};
use super::server::{Answer, State};
use crate::model::goals::{Goals, KeyResult, Objective, ReferenceText};
use crate::source::SourceFile;
use crate::span::Span;

/// One symbol: its name, kind, whole text and the name's own text.
#[allow(deprecated)] // `deprecated`: a required field, left unset.
fn symbol(
    file: &SourceFile,
    encoding: Encoding,
    (name, detail, kind): (String, Option<String>, SymbolKind),
    whole: Span,
    own: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: protocol::range(file, whole, encoding),
        selection_range: protocol::range(file, own, encoding),
        children: (!children.is_empty()).then_some(children),
    }
}

/// From the start of `first` to the end of the furthest of `rest`.
fn covering(first: Span, rest: impl IntoIterator<Item = Span>) -> Span {
    let end = rest
        .into_iter()
        .map(Span::end)
        .fold(first.end(), usize::max);
    Span::new(first.start(), end)
}

fn kr_span(kr: &KeyResult) -> Span {
    covering(kr.span, kr.checkins.iter().map(|checkin| checkin.span))
}

fn objective_span(objective: &Objective) -> Span {
    let krs = objective.key_results.iter().map(kr_span);
    let initiatives = objective.initiatives.iter().map(|i| i.span);
    let lines = objective.aligns.iter().map(|a| a.span);
    covering(objective.span, krs.chain(initiatives).chain(lines))
}

/// The outline of one file.
fn outline(goals: &Goals, file: &SourceFile, encoding: Encoding) -> Vec<DocumentSymbol> {
    let mut symbols = Vec::new();
    for funnel in &goals.funnels {
        let stages = funnel
            .stages
            .iter()
            .map(|stage| {
                let name = (
                    stage.id.value.clone(),
                    Some(stage.title.value.clone()),
                    SymbolKind::ENUM_MEMBER,
                );
                symbol(file, encoding, name, stage.span, stage.id.span, Vec::new())
            })
            .collect();
        let whole = covering(funnel.span, funnel.stages.iter().map(|stage| stage.span));
        let title = funnel.title.as_ref().map(|title| title.value.clone());
        let name = (funnel.id.value.clone(), title, SymbolKind::ENUM);
        symbols.push(symbol(file, encoding, name, whole, funnel.id.span, stages));
    }
    for objective in &goals.objectives {
        let krs = objective
            .key_results
            .iter()
            .map(|kr| {
                let checkins = kr
                    .checkins
                    .iter()
                    .map(|checkin| {
                        let name = (checkin.date.value.to_string(), None, SymbolKind::EVENT);
                        symbol(
                            file,
                            encoding,
                            name,
                            checkin.span,
                            checkin.date.span,
                            Vec::new(),
                        )
                    })
                    .collect();
                let name = (
                    kr.id.value.clone(),
                    Some(kr.title.value.clone()),
                    SymbolKind::FIELD,
                );
                symbol(file, encoding, name, kr_span(kr), kr.id.span, checkins)
            })
            .collect();
        let name = (
            objective.id.value.clone(),
            Some(objective.title.value.clone()),
            SymbolKind::CLASS,
        );
        symbols.push(symbol(
            file,
            encoding,
            name,
            objective_span(objective),
            objective.id.span,
            krs,
        ));
    }
    symbols
}

/// `textDocument/documentSymbol`.
pub(crate) fn document(state: &State, params: &DocumentSymbolParams) -> Answer {
    let Some(id) = state.documents.id(&params.text_document.uri) else {
        return Ok(serde_json::Value::Null);
    };
    let workspace = &state.documents.workspace;
    let symbols = outline(&workspace.goals[id], &workspace.files[id], state.encoding);
    Ok(serde_json::to_value(DocumentSymbolResponse::Nested(symbols)).unwrap_or_default())
}

/// The most symbols a workspace search returns: enough to pick from.
const MAX_RESULTS: usize = 500;

/// `workspace/symbol`: names whose `team/objective.kr` reference or title
/// contains the query (any case).
pub(crate) fn workspace(state: &State, params: &WorkspaceSymbolParams) -> Answer {
    let query = params.query.to_lowercase();
    let converter = state.converter();
    let mut found = Vec::new();
    for goals in &state.documents.workspace.goals {
        named(goals, &mut |name, title, kind, span| {
            if found.len() < MAX_RESULTS
                && (name.to_lowercase().contains(&query) || title.to_lowercase().contains(&query))
            {
                if let Some(found_symbol) = information(&converter, goals.file, name, kind, span) {
                    found.push(found_symbol);
                }
            }
        });
    }
    Ok(serde_json::to_value(found).unwrap_or_default())
}

#[allow(deprecated)] // `deprecated`: a required field, left unset.
fn information(
    converter: &Converter<'_>,
    file: usize,
    name: String,
    kind: SymbolKind,
    span: Span,
) -> Option<SymbolInformation> {
    Some(SymbolInformation {
        name,
        kind,
        tags: None,
        deprecated: None,
        location: converter.location(file, span)?,
        container_name: None,
    })
}

/// Calls `each` with every name `goals` defines: its full reference, its
/// title, its kind and where its id is written.
fn named(goals: &Goals, each: &mut dyn FnMut(String, &str, SymbolKind, Span)) {
    let Some(team) = goals.team.as_ref() else {
        return;
    };
    let team_id = team.id.value.as_str();
    let team_name = team.name.as_ref().map_or("", |name| name.value.as_str());
    each(
        team_id.to_string(),
        team_name,
        SymbolKind::NAMESPACE,
        team.id.span,
    );
    for funnel in &goals.funnels {
        let title = funnel
            .title
            .as_ref()
            .map_or("", |title| title.value.as_str());
        each(
            ReferenceText::new(team_id, &funnel.id.value).to_string(),
            title,
            SymbolKind::ENUM,
            funnel.id.span,
        );
        for stage in &funnel.stages {
            let name = ReferenceText::new(team_id, &funnel.id.value).child(&stage.id.value);
            each(
                name.to_string(),
                &stage.title.value,
                SymbolKind::ENUM_MEMBER,
                stage.id.span,
            );
        }
    }
    for objective in &goals.objectives {
        let reference = ReferenceText::new(team_id, &objective.id.value);
        each(
            reference.to_string(),
            &objective.title.value,
            SymbolKind::CLASS,
            objective.id.span,
        );
        for kr in &objective.key_results {
            let name = reference.child(&kr.id.value).to_string();
            each(name, &kr.title.value, SymbolKind::FIELD, kr.id.span);
        }
    }
}
