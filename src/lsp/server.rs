//! The server loop: the `initialize` handshake, then one message at a time
//! (requests answered in order, edits re-checked at once), until `exit` or
//! the client's end of the connection closes. Nothing a client sends stops
//! it: an unknown method, bad parameters or a failed request is logged on
//! stderr and answered with an error.

use super::documents::{Changed, Documents};
use super::protocol::types::{
    self as lsp, notification::Notification as _, request::Request as _, InitializeParams,
    ServerCapabilities, Url,
};
use super::protocol::{Converter, Encoding, ExplainLinks};
use super::{actions, completion, formatting, hints, hover, navigation, symbols};
use chrono::NaiveDate;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::PathBuf;

/// What every request reads: the files and how to speak to this client.
pub(crate) struct State {
    /// The workspace and its diagnostics.
    pub(crate) documents: Documents,
    /// How the client counts columns.
    pub(crate) encoding: Encoding,
    /// Where `okr explain` pages are linked.
    pub(crate) links: ExplainLinks,
}

impl State {
    /// Conversions to LSP types over the current files.
    pub(crate) fn converter(&self) -> Converter<'_> {
        Converter {
            files: &self.documents.workspace.files,
            urls: &self.documents.urls,
            encoding: self.encoding,
            links: &self.links,
        }
    }
}

/// Why a request got no result: answered as a JSON-RPC error.
#[derive(Debug)]
pub(crate) struct Failure {
    code: ErrorCode,
    message: String,
}

impl Failure {
    /// The request was understood but cannot be done (a document that
    /// does not parse, a name already taken): the message says why.
    pub(crate) fn refused(message: impl Into<String>) -> Failure {
        Failure {
            code: ErrorCode::RequestFailed,
            message: message.into(),
        }
    }

    fn invalid_params(message: impl Into<String>) -> Failure {
        Failure {
            code: ErrorCode::InvalidParams,
            message: message.into(),
        }
    }
}

/// A request's answer.
pub(crate) type Answer = Result<Value, Failure>;

/// The options a client may pass in `initializationOptions`.
#[derive(Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    /// The day to check and score for (`YYYY-MM-DD`), like `--today`.
    today: Option<String>,
    /// Where the `okr explain` pages are published (`BASE/CODE.md`).
    explain_base_url: Option<String>,
}

/// Serves one client on `connection` until it exits. `today` (`--today`)
/// fixes the day; the client's `today` option wins over it.
pub(crate) fn serve(connection: &Connection, today: Option<NaiveDate>) -> Result<(), String> {
    // A client gone before the handshake ends is an end, not an error.
    let (id, params) = match connection.initialize_start() {
        Ok(started) => started,
        Err(error) if error.channel_is_disconnected() => return Ok(()),
        Err(error) => return Err(error.to_string()),
    };
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_else(|error| {
        eprintln!("okr lsp: unreadable initialize parameters ({error}); using defaults");
        InitializeParams::default()
    });
    let options: Options = params
        .initialization_options
        .clone()
        .and_then(|options| serde_json::from_value(options).ok())
        .unwrap_or_default();
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_deref()),
    );
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": { "name": "okr", "version": env!("CARGO_PKG_VERSION") },
    });
    match connection.initialize_finish(id, result) {
        Ok(()) => {}
        Err(error) if error.channel_is_disconnected() => return Ok(()),
        Err(error) => return Err(error.to_string()),
    }
    if can_watch_files(&params) {
        watch_okr_files(connection);
    }
    let mut state = State {
        documents: Documents::new(
            roots(&params),
            option_today(options.today.as_deref()).or(today),
        ),
        encoding,
        links: ExplainLinks::new(options.explain_base_url),
    };
    let everything = state.documents.check(&Changed::Everything);
    publish(connection, &state, &everything);
    let mut shutting_down = false;
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if shutting_down {
                    let answer = Response::new_err(
                        request.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    );
                    send(connection, answer.into());
                    continue;
                }
                if request.method == lsp::request::Shutdown::METHOD {
                    shutting_down = true;
                    send(connection, Response::new_ok(request.id, ()).into());
                    continue;
                }
                let id = request.id.clone();
                let answer = match guarded(|| answer(&state, request)) {
                    Ok(Ok(value)) => Response::new_ok(id, value),
                    Ok(Err(failure)) => {
                        eprintln!("okr lsp: {}", failure.message);
                        Response::new_err(id, failure.code as i32, failure.message)
                    }
                    Err(why) => Response::new_err(id, ErrorCode::InternalError as i32, why),
                };
                send(connection, answer.into());
            }
            Message::Notification(notification) => {
                if notification.method == lsp::notification::Exit::METHOD {
                    // LSP: an exit without a shutdown first is a failure.
                    return if shutting_down {
                        Ok(())
                    } else {
                        Err("the client sent `exit` before `shutdown`".into())
                    };
                }
                if let Err(why) = guarded(|| notify(connection, &mut state, notification)) {
                    eprintln!("okr lsp: {why}");
                }
            }
            Message::Response(_) => {}
        }
    }
    // The client's end closed without `exit`.
    Ok(())
}

/// The `today` option as a date; a malformed one is logged and ignored.
fn option_today(text: Option<&str>) -> Option<NaiveDate> {
    let text = text?;
    text.parse()
        .map_err(|_| eprintln!("okr lsp: the `today` option `{text}` is not a YYYY-MM-DD date"))
        .ok()
}

/// Runs `work`, turning a panic (a bug) into a logged error, so one bad
/// request cannot end the session.
fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|why| (*why).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let message = format!("internal error (a bug in okr lsp): {why}");
        eprintln!("okr lsp: {message}");
        message
    })
}

fn send(connection: &Connection, message: Message) {
    if connection.sender.send(message).is_err() {
        eprintln!("okr lsp: the client has gone");
    }
}

/// Whether the client can watch files for the server.
fn can_watch_files(params: &InitializeParams) -> bool {
    let watching = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref());
    watching.and_then(|w| w.dynamic_registration) == Some(true)
}

/// Asks the client to report changes to `*.okr` files made outside it.
fn watch_okr_files(connection: &Connection) {
    let options = lsp::DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![lsp::FileSystemWatcher {
            glob_pattern: lsp::GlobPattern::String("**/*.okr".into()),
            kind: None,
        }],
    };
    let registration = lsp::Registration {
        id: "okr-files".into(),
        method: lsp::notification::DidChangeWatchedFiles::METHOD.into(),
        register_options: serde_json::to_value(options).ok(),
    };
    let params = lsp::RegistrationParams {
        registrations: vec![registration],
    };
    let method = lsp::request::RegisterCapability::METHOD.to_string();
    send(
        connection,
        Request::new("okr-watch".to_string().into(), method, params).into(),
    );
}

/// What the server can do.
fn capabilities(encoding: Encoding) -> ServerCapabilities {
    use lsp::{OneOf, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions};
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp::WorkDoneProgressOptions::default(),
        })),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["@".into(), "/".into(), ".".into(), " ".into()]),
            ..lsp::CompletionOptions::default()
        }),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..lsp::CodeActionOptions::default()
            },
        )),
        inlay_hint_provider: Some(OneOf::Left(true)),
        workspace: Some(lsp::WorkspaceServerCapabilities {
            workspace_folders: Some(lsp::WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// The client's folders (or its root), as absolute paths.
fn roots(params: &InitializeParams) -> Vec<PathBuf> {
    let folders = params.workspace_folders.iter().flatten().map(|f| &f.uri);
    #[allow(deprecated)] // `rootUri`: older clients send only it.
    let root = params.root_uri.iter();
    let mut roots: Vec<PathBuf> = folders.filter_map(super::protocol::path).collect();
    if roots.is_empty() {
        roots.extend(root.filter_map(super::protocol::path));
    }
    roots
}

/// The parameters of a request or notification, as `P`.
fn params<P: DeserializeOwned>(method: &str, value: Value) -> Result<P, Failure> {
    serde_json::from_value(value)
        .map_err(|error| Failure::invalid_params(format!("bad parameters for `{method}`: {error}")))
}

/// A notification's parameters as `P`; unreadable ones are logged.
fn read<P: DeserializeOwned>(method: &str, value: Value) -> Option<P> {
    params(method, value)
        .map_err(|failure| eprintln!("okr lsp: {}", failure.message))
        .ok()
}

/// The answer to one request.
fn answer(state: &State, request: Request) -> Answer {
    use lsp::request as r;
    let Request {
        method,
        params: value,
        ..
    } = request;
    let method = method.as_str();
    match method {
        r::Formatting::METHOD => formatting::format(state, &params(method, value)?),
        r::DocumentSymbolRequest::METHOD => symbols::document(state, &params(method, value)?),
        r::WorkspaceSymbolRequest::METHOD => symbols::workspace(state, &params(method, value)?),
        r::GotoDefinition::METHOD => navigation::definition(state, &params(method, value)?),
        r::References::METHOD => navigation::references(state, &params(method, value)?),
        r::PrepareRenameRequest::METHOD => {
            navigation::prepare_rename(state, &params(method, value)?)
        }
        r::Rename::METHOD => navigation::rename(state, &params(method, value)?),
        r::HoverRequest::METHOD => hover::hover(state, &params(method, value)?),
        r::Completion::METHOD => completion::complete(state, &params(method, value)?),
        r::CodeActionRequest::METHOD => actions::actions(state, &params(method, value)?),
        r::InlayHintRequest::METHOD => hints::hints(state, &params(method, value)?),
        _ => Err(Failure {
            code: ErrorCode::MethodNotFound,
            message: format!("okr lsp does not handle `{method}`"),
        }),
    }
}

/// Applies one notification; edits are checked and published at once.
fn notify(connection: &Connection, state: &mut State, notification: Notification) {
    use lsp::notification as n;
    let Notification {
        method,
        params: value,
    } = notification;
    let method = method.as_str();
    let (changed, edited): (Changed, Option<Url>) = match method {
        n::DidOpenTextDocument::METHOD => {
            let Some(opened) = read::<lsp::DidOpenTextDocumentParams>(method, value) else {
                return;
            };
            let url = opened.text_document.uri;
            (
                state.documents.set_text(&url, opened.text_document.text),
                Some(url),
            )
        }
        n::DidChangeTextDocument::METHOD => {
            let Some(change) = read::<lsp::DidChangeTextDocumentParams>(method, value) else {
                return;
            };
            let url = change.text_document.uri;
            let changed = state
                .documents
                .edit(&url, change.content_changes, state.encoding);
            (changed, Some(url))
        }
        n::DidSaveTextDocument::METHOD => {
            let Some(saved) = read::<lsp::DidSaveTextDocumentParams>(method, value) else {
                return;
            };
            let url = saved.text_document.uri;
            let Some(path) = super::protocol::path(&url) else {
                return;
            };
            (state.documents.refresh(&path), Some(url))
        }
        n::DidCloseTextDocument::METHOD => {
            let Some(closed) = read::<lsp::DidCloseTextDocumentParams>(method, value) else {
                return;
            };
            (state.documents.close(&closed.text_document.uri), None)
        }
        n::DidChangeWatchedFiles::METHOD => {
            let Some(_) = read::<lsp::DidChangeWatchedFilesParams>(method, value) else {
                return;
            };
            state.documents.reload();
            (Changed::Everything, None)
        }
        n::DidChangeWorkspaceFolders::METHOD => {
            let Some(change) = read::<lsp::DidChangeWorkspaceFoldersParams>(method, value) else {
                return;
            };
            state.documents.change_roots(
                change
                    .event
                    .added
                    .iter()
                    .filter_map(|f| super::protocol::path(&f.uri)),
                change
                    .event
                    .removed
                    .iter()
                    .filter_map(|f| super::protocol::path(&f.uri)),
            );
            (Changed::Everything, None)
        }
        // `initialized`, `$/cancelRequest`, `$/setTrace`…: nothing to do.
        _ => return,
    };
    let mut files = state.documents.check(&changed);
    if let Some(id) = edited.as_ref().and_then(|url| state.documents.id(url)) {
        // The edited file is always answered, changed or not.
        if !files.contains(&id) {
            files.push(id);
        }
    }
    // Files that went away take their diagnostics with them.
    for url in state.documents.take_gone() {
        clear(connection, &url);
    }
    publish(connection, state, &files);
}

/// Sends the diagnostics of `files` (ids into the current workspace).
fn publish(connection: &Connection, state: &State, files: &[usize]) {
    let converter = state.converter();
    for &id in files {
        let Some(Some(uri)) = state.documents.urls.get(id) else {
            continue;
        };
        let diagnostics = state
            .documents
            .diagnostics_of(id)
            .filter_map(|diagnostic| converter.diagnostic(diagnostic))
            .collect();
        let params = lsp::PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version: None,
        };
        let method = lsp::notification::PublishDiagnostics::METHOD.to_string();
        send(connection, Notification::new(method, params).into());
    }
}

/// Sends an empty list for `url`: a file no longer read.
fn clear(connection: &Connection, url: &Url) {
    let params = lsp::PublishDiagnosticsParams {
        uri: url.clone(),
        diagnostics: Vec::new(),
        version: None,
    };
    let method = lsp::notification::PublishDiagnostics::METHOD.to_string();
    send(connection, Notification::new(method, params).into());
}
