//! Names across files: where each team, objective, KR, funnel, stage and
//! segment is defined and referred to (`aligns`, `stage FUNNEL.STAGE`,
//! `segment`, `team/…`), resolved by the model's `Index` as the checks
//! resolve them; go to definition, find references and rename on top.

use super::protocol::types::{
    GotoDefinitionParams, GotoDefinitionResponse, Location, PrepareRenameResponse, ReferenceParams,
    RenameParams, TextDocumentPositionParams, TextEdit, Url, WorkspaceEdit,
};
use super::protocol::{self, Converter};
use super::server::{Answer, Failure, State};
use crate::model::goals::{Goals, Reference};
use crate::model::resolve::{GoalRef, Index, Resolution};
use crate::source::{FileId, SourceFile};
use crate::span::Span;
use crate::syntax::atoms;
use std::collections::HashMap;

/// What a name names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Name {
    /// A team, by id (every file of it defines it).
    Team(String),
    /// An objective, or one of its KRs.
    Goal(GoalRef),
    /// A funnel: its file and index there.
    Funnel(FileId, usize),
    /// A stage: its funnel's file and index, and its own index.
    Stage(FileId, usize, usize),
    /// A segment: its file and index there.
    Segment(FileId, usize),
}

/// One place a name is written.
#[derive(Clone, Debug)]
pub(crate) struct Occurrence {
    /// The file it is written in.
    pub(crate) file: FileId,
    /// The name's own text (one part of a reference).
    pub(crate) span: Span,
    /// What it names.
    pub(crate) name: Name,
    /// Whether this is where the name is defined.
    pub(crate) definition: bool,
}

/// Every name written in `goals` (file `source`), resolved through `index`.
pub(crate) fn occurrences(
    index: &Index<'_>,
    goals: &Goals,
    source: &SourceFile,
) -> Vec<Occurrence> {
    let file = goals.file;
    let mut out = Vec::new();
    let mut push = |span: Span, name: Name, definition: bool| {
        out.push(Occurrence {
            file,
            span,
            name,
            definition,
        });
    };
    if let Some(team) = &goals.team {
        push(team.id.span, Name::Team(team.id.value.clone()), true);
    }
    let segment = |id: &str| goals.segments.iter().position(|s| s.id.value == id);
    for (at, defined) in goals.segments.iter().enumerate() {
        push(defined.id.span, Name::Segment(file, at), true);
    }
    for (f, funnel) in goals.funnels.iter().enumerate() {
        push(funnel.id.span, Name::Funnel(file, f), true);
        for (s, stage) in funnel.stages.iter().enumerate() {
            push(stage.id.span, Name::Stage(file, f, s), true);
        }
        if let Some(used) = &funnel.segment {
            if let Some(at) = segment(&used.value) {
                push(used.span, Name::Segment(file, at), false);
            }
        }
    }
    for (o, objective) in goals.objectives.iter().enumerate() {
        let here = GoalRef {
            file,
            objective: o,
            kr: None,
        };
        push(objective.id.span, Name::Goal(here), true);
        if let Some(used) = &objective.segment {
            if let Some(at) = segment(&used.value) {
                push(used.span, Name::Segment(file, at), false);
            }
        }
        for aligns in &objective.aligns {
            let parts = Parts::of(source, aligns.span);
            if let (Some(team), Some(span)) = (&aligns.value.team, parts.team) {
                push(span, Name::Team(team.clone()), false);
            }
            let parent = Reference {
                child: None,
                ..aligns.value.clone()
            };
            if let Resolution::Found(goal) = index.goal(goals, &parent) {
                push(parts.id, Name::Goal(goal), false);
            }
            if let (Some(span), Resolution::Found(goal)) =
                (parts.child, index.goal(goals, &aligns.value))
            {
                push(span, Name::Goal(goal), false);
            }
        }
        for (k, kr) in objective.key_results.iter().enumerate() {
            push(
                kr.id.span,
                Name::Goal(GoalRef {
                    kr: Some(k),
                    ..here
                }),
                true,
            );
            let Some(stage) = &kr.stage else { continue };
            let parts = Parts::of(source, stage.span);
            if let (Some(team), Some(span)) = (&stage.value.team, parts.team) {
                push(span, Name::Team(team.clone()), false);
            }
            if let Resolution::Found((home, funnel, at)) = index.stage(goals, &stage.value) {
                let f = home
                    .funnels
                    .iter()
                    .position(|other| std::ptr::eq(other, funnel))
                    .unwrap_or_default();
                push(parts.id, Name::Funnel(home.file, f), false);
                if let Some(span) = parts.child {
                    push(span, Name::Stage(home.file, f, at), false);
                }
            }
        }
    }
    out
}

/// The spans of a reference's parts: `team/`, the id, `.child`.
struct Parts {
    team: Option<Span>,
    id: Span,
    child: Option<Span>,
}

impl Parts {
    fn of(source: &SourceFile, span: Span) -> Parts {
        let text = source
            .text
            .get(span.start()..span.end())
            .unwrap_or_default();
        let (team, id, child) = atoms::split_reference(text);
        let start = span.start();
        let team_span = team.map(|team| Span::new(start, start + team.len()));
        let id_start = team.map_or(start, |team| start + team.len() + 1);
        let id_span = Span::new(id_start, id_start + id.len());
        let child_span =
            child.map(|child| Span::new(id_span.end() + 1, id_span.end() + 1 + child.len()));
        Parts {
            team: team_span,
            id: id_span,
            child: child_span,
        }
    }
}

/// The file and byte offset a request's position points at.
pub(crate) fn at(state: &State, position: &TextDocumentPositionParams) -> Option<(FileId, usize)> {
    let id = state.documents.id(&position.text_document.uri)?;
    let file = &state.documents.workspace.files[id];
    Some((
        id,
        protocol::offset(file, position.position, state.encoding),
    ))
}

/// The name written at `offset` in file `id`, if any.
pub(crate) fn name_at(state: &State, id: FileId, offset: usize) -> Option<Occurrence> {
    let workspace = &state.documents.workspace;
    let index = Index::new(&workspace.goals);
    occurrences(&index, &workspace.goals[id], &workspace.files[id])
        .into_iter()
        .filter(|o| o.span.start() <= offset && offset <= o.span.end())
        .min_by_key(|o| o.span.len())
}

/// Where `name` is defined.
pub(crate) fn definitions(state: &State, name: &Name) -> Vec<(FileId, Span)> {
    let goals = &state.documents.workspace.goals;
    let one =
        |file: FileId, span: Option<Span>| span.map(|span| vec![(file, span)]).unwrap_or_default();
    match name {
        Name::Team(team) => goals
            .iter()
            .filter_map(|g| {
                g.team
                    .as_ref()
                    .filter(|t| t.id.value == *team)
                    .map(|t| (g.file, t.id.span))
            })
            .collect(),
        Name::Goal(goal) => {
            let objective = goals
                .get(goal.file)
                .and_then(|g| g.objectives.get(goal.objective));
            let span = match goal.kr {
                None => objective.map(|o| o.id.span),
                Some(kr) => objective
                    .and_then(|o| o.key_results.get(kr))
                    .map(|kr| kr.id.span),
            };
            one(goal.file, span)
        }
        Name::Funnel(file, f) => one(
            *file,
            goals
                .get(*file)
                .and_then(|g| g.funnels.get(*f))
                .map(|f| f.id.span),
        ),
        Name::Stage(file, f, s) => one(
            *file,
            goals
                .get(*file)
                .and_then(|g| g.funnels.get(*f))
                .and_then(|f| f.stages.get(*s))
                .map(|s| s.id.span),
        ),
        Name::Segment(file, at) => one(
            *file,
            goals
                .get(*file)
                .and_then(|g| g.segments.get(*at))
                .map(|s| s.id.span),
        ),
    }
}

/// Every place `name` is written, definitions included, file by file.
pub(crate) fn all_occurrences(state: &State, name: &Name) -> Vec<Occurrence> {
    let workspace = &state.documents.workspace;
    let index = Index::new(&workspace.goals);
    workspace
        .goals
        .iter()
        .zip(&workspace.files)
        .flat_map(|(goals, source)| occurrences(&index, goals, source))
        .filter(|o| o.name == *name)
        .collect()
}

fn locations(
    converter: &Converter<'_>,
    places: impl IntoIterator<Item = (FileId, Span)>,
) -> Vec<Location> {
    places
        .into_iter()
        .filter_map(|(file, span)| converter.location(file, span))
        .collect()
}

/// `textDocument/definition`.
pub(crate) fn definition(state: &State, params: &GotoDefinitionParams) -> Answer {
    let Some((id, offset)) = at(state, &params.text_document_position_params) else {
        return Ok(serde_json::Value::Null);
    };
    let Some(found) = name_at(state, id, offset) else {
        return Ok(serde_json::Value::Null);
    };
    let places = locations(&state.converter(), definitions(state, &found.name));
    Ok(serde_json::to_value(GotoDefinitionResponse::Array(places)).unwrap_or_default())
}

/// `textDocument/references`.
pub(crate) fn references(state: &State, params: &ReferenceParams) -> Answer {
    let Some((id, offset)) = at(state, &params.text_document_position) else {
        return Ok(serde_json::Value::Null);
    };
    let Some(found) = name_at(state, id, offset) else {
        return Ok(serde_json::Value::Null);
    };
    let with_definition = params.context.include_declaration;
    let places = all_occurrences(state, &found.name)
        .into_iter()
        .filter(|o| with_definition || !o.definition)
        .map(|o| (o.file, o.span));
    Ok(serde_json::to_value(locations(&state.converter(), places)).unwrap_or_default())
}

/// The objective or KR id at the position, which rename may change.
fn renamable(state: &State, position: &TextDocumentPositionParams) -> Result<Occurrence, Failure> {
    let found = at(state, position).and_then(|(id, offset)| name_at(state, id, offset));
    match found {
        Some(found) if matches!(found.name, Name::Goal(_)) => Ok(found),
        _ => Err(Failure::refused(
            "only an objective's or a key result's id can be renamed",
        )),
    }
}

/// `textDocument/prepareRename`: the id's range, or why it cannot be renamed.
pub(crate) fn prepare_rename(state: &State, params: &TextDocumentPositionParams) -> Answer {
    let found = renamable(state, params)?;
    let file = &state.documents.workspace.files[found.file];
    let range = protocol::range(file, found.span, state.encoding);
    Ok(serde_json::to_value(PrepareRenameResponse::Range(range)).unwrap_or_default())
}

/// `textDocument/rename`: the id and every reference to it, across files;
/// refused for a name that is not an identifier or is taken.
pub(crate) fn rename(state: &State, params: &RenameParams) -> Answer {
    let found = renamable(state, &params.text_document_position)?;
    let Name::Goal(goal) = found.name else {
        return Err(Failure::refused(
            "only an objective's or a key result's id can be renamed",
        ));
    };
    let new = params.new_name.trim();
    if !atoms::is_identifier(new) {
        return Err(Failure::refused(format!(
            "`{new}` is not an id: ids are lower-case letters, digits, `_` and `-`, starting with a letter"
        )));
    }
    let goals = &state.documents.workspace.goals[goal.file];
    let objective = goals.objectives.get(goal.objective);
    let taken = match goal.kr {
        None => goals.objectives.iter().any(|o| o.id.value == new),
        Some(_) => objective.is_some_and(|o| o.key_results.iter().any(|kr| kr.id.value == new)),
    };
    if taken {
        let what = if goal.kr.is_some() {
            "a key result of this objective"
        } else {
            "an objective in this file"
        };
        return Err(Failure::refused(format!(
            "`{new}` is already the id of {what}"
        )));
    }
    let converter = state.converter();
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for occurrence in all_occurrences(state, &Name::Goal(goal)) {
        if let Some(location) = converter.location(occurrence.file, occurrence.span) {
            changes
                .entry(location.uri)
                .or_default()
                .push(TextEdit::new(location.range, new.to_string()));
        }
    }
    let edit = WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    };
    Ok(serde_json::to_value(edit).unwrap_or_default())
}
