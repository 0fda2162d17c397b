//! `okr lsp` in process: the server on one end of an in-memory connection,
//! a test client on the other, every request's answer snapshotted (file
//! URLs shown from the fixture folder, `ROOT/…`).

use super::common::TODAY;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The fixture organisation: a company, a marketing team with a funnel and
/// one finding of each fixable kind, and a sales team; non-ASCII titles.
pub(crate) const ORG: &str = "tests/fixtures/lsp/org";

/// A client talking to a server thread.
pub(crate) struct Client {
    connection: Connection,
    server: Option<std::thread::JoinHandle<Result<(), okr::lsp::LspError>>>,
    next: i32,
    /// The last diagnostics published for each URL.
    pub(crate) published: BTreeMap<String, Value>,
    /// Every URL published to, in order, since the last `take_published_order`.
    order: Vec<String>,
    root: String,
}

impl Client {
    /// A server on `root` (a folder, copied or not), initialized, with its
    /// first diagnostics received; `capabilities` are the client's.
    pub(crate) fn start(root: &Path, capabilities: Value) -> Client {
        let (server_end, connection) = Connection::memory();
        let today = TODAY.parse().ok();
        let server = std::thread::spawn(move || okr::lsp::serve(&server_end, today));
        let root = std::path::absolute(root).expect("an absolute path");
        let url = format!("file://{}", root.display());
        let mut client = Client {
            connection,
            server: Some(server),
            next: 0,
            published: BTreeMap::new(),
            order: Vec::new(),
            root: url.clone(),
        };
        client.request(
            "initialize",
            json!({
                "capabilities": capabilities,
                "rootUri": url,
                "workspaceFolders": [{ "uri": url, "name": "org" }],
                "initializationOptions": { "explainBaseUrl": "https://example.org/docs/diagnostics" },
            }),
        );
        client.notify("initialized", json!({}));
        client.settle();
        client
    }

    /// The URL of `file` in the root.
    pub(crate) fn url(&self, file: &str) -> String {
        format!("{}/{file}", self.root)
    }

    /// Sends a request and waits for its answer (`result`, or the error).
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        let request = Request::new(id.clone(), method.into(), params);
        self.connection
            .sender
            .send(request.into())
            .expect("the server is listening");
        loop {
            match self.receive() {
                Message::Response(response) if response.id == id => {
                    return match response.error {
                        Some(error) => json!({ "error": error.message, "code": error.code }),
                        None => response.result.unwrap_or(Value::Null),
                    };
                }
                _ => {}
            }
        }
    }

    /// Sends a notification.
    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        let notification = Notification::new(method.into(), params);
        self.connection
            .sender
            .send(notification.into())
            .expect("the server is listening");
    }

    /// The next message, keeping published diagnostics.
    fn receive(&mut self) -> Message {
        let message = self
            .connection
            .receiver
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the server answers");
        if let Message::Notification(notification) = &message {
            if notification.method == "textDocument/publishDiagnostics" {
                let uri = notification.params["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                self.order.push(uri.clone());
                self.published
                    .insert(uri, notification.params["diagnostics"].clone());
            }
        }
        message
    }

    /// Waits until every notification sent before now is handled: a
    /// request answered after them.
    pub(crate) fn settle(&mut self) {
        self.request("workspace/symbol", json!({ "query": "\u{0}" }));
    }

    /// The URLs published to since the last call, in order.
    pub(crate) fn take_published_order(&mut self) -> Vec<String> {
        std::mem::take(&mut self.order)
    }

    /// `value` as pretty JSON with the root's URL and path shown as `ROOT`, and
    /// object keys sorted (a workspace edit's files come in any order).
    pub(crate) fn show(&self, value: &Value) -> String {
        fn sorted(value: &Value) -> Value {
            match value {
                Value::Object(map) => {
                    let sorted: BTreeMap<&String, Value> =
                        map.iter().map(|(k, v)| (k, sorted(v))).collect();
                    json!(sorted)
                }
                Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
                other => other.clone(),
            }
        }
        serde_json::to_string_pretty(&sorted(value))
            .unwrap_or_default()
            .replace(&self.root, "ROOT")
            .replace(self.root.trim_start_matches("file://"), "ROOT")
    }

    /// `textDocument/didOpen` with the file's text on disk (or `text`).
    pub(crate) fn open(&mut self, file: &str, text: Option<&str>) {
        let path = self.root.trim_start_matches("file://").to_string() + "/" + file;
        let text = text.map_or_else(
            || std::fs::read_to_string(path).unwrap_or_default(),
            String::from,
        );
        let uri = self.url(file);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "okr", "version": 1, "text": text } }),
        );
    }

    /// `textDocument/didChange` with the whole new text.
    pub(crate) fn change(&mut self, file: &str, version: i32, text: &str) {
        let uri = self.url(file);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// `textDocument/didChange` replacing one range (zero-based lines and
    /// UTF-16 columns) with `text`.
    pub(crate) fn change_range(&mut self, file: &str, version: i32, range: [u32; 4], text: &str) {
        let uri = self.url(file);
        let [line, character, end_line, end_character] = range;
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{
                    "range": {
                        "start": { "line": line, "character": character },
                        "end": { "line": end_line, "character": end_character },
                    },
                    "text": text,
                }],
            }),
        );
    }

    /// A request at a position of `file`.
    pub(crate) fn at(
        &mut self,
        method: &str,
        file: &str,
        line: u32,
        character: u32,
        extra: Value,
    ) -> Value {
        let mut params = json!({
            "textDocument": { "uri": self.url(file) },
            "position": { "line": line, "character": character },
        });
        if let (Some(params), Some(extra)) = (params.as_object_mut(), extra.as_object()) {
            params.extend(extra.clone());
        }
        self.request(method, params)
    }

    /// Shuts the server down cleanly and waits for it.
    pub(crate) fn stop(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let server = self.server.take().expect("a server thread");
        let ended = server.join().expect("the server did not panic");
        assert!(ended.is_ok(), "{ended:?}");
    }
}

/// A copy of the fixture organisation in a temporary folder, for tests
/// that change files on disk.
pub(crate) fn copy_org() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for entry in std::fs::read_dir(ORG).expect("the fixture folder") {
        let entry = entry.expect("an entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("a copy");
    }
    let root = dir.path().to_path_buf();
    (dir, root)
}

fn started() -> Client {
    Client::start(Path::new(ORG), json!({}))
}

#[test]
fn initialize_announces_the_capabilities_and_publishes_the_findings() {
    let (server_end, connection) = Connection::memory();
    let server = std::thread::spawn(move || okr::lsp::serve(&server_end, TODAY.parse().ok()));
    let root = format!(
        "file://{}",
        std::path::absolute(ORG).expect("a path").display()
    );
    let request = Request::new(
        1.into(),
        "initialize".into(),
        json!({ "capabilities": {}, "rootUri": root }),
    );
    connection.sender.send(request.into()).expect("sent");
    let Ok(Message::Response(answer)) = connection.receiver.recv() else {
        panic!("no answer to initialize");
    };
    insta::assert_json_snapshot!("lsp-initialize", answer.result);
    drop(connection);
    assert!(
        server.join().expect("no panic").is_ok(),
        "the server ends when the client goes"
    );

    let client = started();
    let marketing = client.url("marketing.okr");
    insta::assert_snapshot!(
        "lsp-diagnostics",
        client.show(&client.published[&marketing])
    );
    assert_eq!(
        client.published.len(),
        1,
        "only files with findings: {:?}",
        client.published.keys()
    );
    client.stop();
}

#[test]
fn hover_shows_a_krs_numbers_a_stages_plan_and_a_codes_explanation() {
    let mut client = started();
    let kr = client.at("textDocument/hover", "marketing.okr", 12, 7, json!({}));
    insta::assert_snapshot!(
        "lsp-hover-kr",
        kr["contents"]["value"].as_str().unwrap_or_default()
    );
    let stage = client.at("textDocument/hover", "marketing.okr", 12, 80, json!({}));
    insta::assert_snapshot!(
        "lsp-hover-stage",
        stage["contents"]["value"].as_str().unwrap_or_default()
    );
    let code = client.at("textDocument/hover", "marketing.okr", 19, 14, json!({}));
    let text = code["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("# okr::activity-kr"), "{text}");
    // A KR named by a reference in another file shows the same numbers.
    let referred = client.at("textDocument/hover", "sales.okr", 5, 26, json!({}));
    assert!(referred["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .starts_with("**arr**"));
    assert_eq!(
        client.at("textDocument/hover", "marketing.okr", 3, 0, json!({})),
        Value::Null
    );
    client.stop();
}

#[test]
fn definition_and_references_follow_aligns_stage_and_team_ids() {
    let mut client = started();
    let mut answers = BTreeMap::new();
    for (name, file, line, character) in [
        ("aligns objective", "marketing.okr", 11, 20),
        ("aligns team", "marketing.okr", 11, 10),
        ("aligns kr", "sales.okr", 5, 26),
        ("stage", "marketing.okr", 12, 80),
        ("funnel", "marketing.okr", 12, 72),
    ] {
        answers.insert(
            name,
            client.at("textDocument/definition", file, line, character, json!({})),
        );
    }
    insta::assert_snapshot!("lsp-definition", client.show(&json!(answers)));
    let references = client.at(
        "textDocument/references",
        "company.okr",
        4,
        12,
        json!({ "context": { "includeDeclaration": true } }),
    );
    insta::assert_snapshot!("lsp-references", client.show(&references));
    client.stop();
}

#[test]
fn symbols_outline_a_document_and_search_the_workspace() {
    let mut client = started();
    let url = client.url("marketing.okr");
    let outline = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": url } }),
    );
    insta::assert_snapshot!("lsp-document-symbols", client.show(&outline));
    let found = client.request("workspace/symbol", json!({ "query": "revenue" }));
    insta::assert_snapshot!("lsp-workspace-symbols", client.show(&found));
    client.stop();
}

#[test]
fn completion_offers_references_handles_keywords_and_todays_date() {
    let mut client = started();
    let text = std::fs::read_to_string(Path::new(ORG).join("marketing.okr")).unwrap_or_default();
    // Lines being typed, each at the end of a new line 21.
    let cases = [
        ("aligns", "  aligns "),
        ("aligns team", "  aligns company/"),
        ("aligns kr", "  aligns company/revenue."),
        ("stage", "  kr x \"X\" target 5 stage "),
        ("handle", "  owner @"),
        ("checkin", "    "),
        ("cadence", "cadence "),
        ("after target", "  kr x \"X\" target 5 "),
        ("unit", "  kr x \"X\" target 25"),
    ];
    let mut answers = BTreeMap::new();
    client.open("marketing.okr", None);
    for (version, (name, line)) in (2..).zip(cases) {
        client.change("marketing.okr", version, &format!("{text}{line}"));
        let column = u32::try_from(line.len()).unwrap_or_default();
        let items = client.at(
            "textDocument/completion",
            "marketing.okr",
            21,
            column,
            json!({}),
        );
        let labels: Vec<Value> = items
            .as_array()
            .into_iter()
            .flatten()
            .map(|item| {
                json!(format!(
                    "{} {}",
                    item["label"].as_str().unwrap_or_default(),
                    item["detail"].as_str().unwrap_or_default()
                )
                .trim_end())
            })
            .collect();
        answers.insert(name, labels);
    }
    insta::assert_snapshot!("lsp-completion", client.show(&json!(answers)));
    client.stop();
}

#[test]
fn formatting_is_okr_fmt_and_refuses_a_document_that_does_not_parse() {
    let mut client = started();
    let formatting = |client: &mut Client, file: &str| {
        let url = client.url(file);
        client.request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": url }, "options": { "tabSize": 2, "insertSpaces": true } }),
        )
    };
    assert_eq!(formatting(&mut client, "company.okr"), json!([]));
    let edits = formatting(&mut client, "marketing.okr");
    let formatted = edits[0]["newText"].as_str().unwrap_or_default();
    let text = std::fs::read_to_string(Path::new(ORG).join("marketing.okr")).unwrap_or_default();
    assert_eq!(formatted, okr::edit::fmt::format(&text).unwrap_or_default());
    assert_eq!(
        edits[0]["range"]["end"],
        json!({ "line": 20, "character": 0 })
    );
    client.open("company.okr", None);
    client.change(
        "company.okr",
        2,
        "period 2026-Q3\nteam company\nobjective \"no id\"\n",
    );
    let refused = formatting(&mut client, "company.okr");
    insta::assert_snapshot!("lsp-formatting-refused", client.show(&refused));
    client.stop();
}

#[test]
fn code_actions_apply_the_fixes_the_checks_carry() {
    let mut client = started();
    let url = client.url("marketing.okr");
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": url },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 30, "character": 0 } },
            "context": { "diagnostics": [] },
        }),
    );
    let summary: Vec<Value> = actions
        .as_array()
        .into_iter()
        .flatten()
        .map(|action| json!({ "title": action["title"], "edits": action["edit"]["changes"][&url] }))
        .collect();
    insta::assert_snapshot!("lsp-code-actions", client.show(&json!(summary)));
    // Each fix, applied, clears its finding.
    let text = std::fs::read_to_string(Path::new(ORG).join("marketing.okr")).unwrap_or_default();
    let file = okr::source::SourceFile::new("m".into(), text.clone());
    client.open("marketing.okr", None);
    for (version, action) in (2..).zip(actions.as_array().into_iter().flatten()) {
        let code = action["diagnostics"][0]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut fixed = text.clone();
        let mut edits: Vec<(usize, usize, String)> = action["edit"]["changes"][&url]
            .as_array()
            .into_iter()
            .flatten()
            .map(|edit| {
                let offset = |at: &Value| {
                    let line = usize::try_from(at["line"].as_u64().unwrap_or_default())
                        .unwrap_or_default();
                    let column = usize::try_from(at["character"].as_u64().unwrap_or_default())
                        .unwrap_or_default();
                    let start = file.line_range(line).start();
                    // UTF-16 columns: these lines are ASCII.
                    start + column
                };
                (
                    offset(&edit["range"]["start"]),
                    offset(&edit["range"]["end"]),
                    edit["newText"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
        for (start, end, new) in edits {
            fixed.replace_range(start..end, &new);
        }
        client.change("marketing.okr", version, &fixed);
        client.settle();
        let title = action["title"].as_str().unwrap_or_default();
        let message = &action["diagnostics"][0]["message"];
        let still = client.published[&url]
            .as_array()
            .into_iter()
            .flatten()
            .any(|d| d["code"] == json!(code) && d["message"] == *message);
        assert!(!still, "{title} left its finding");
    }
    client.stop();
}

#[test]
fn rename_changes_every_reference_and_refuses_a_taken_or_invalid_id() {
    let mut client = started();
    let rename = |client: &mut Client, name: &str| {
        client.at(
            "textDocument/rename",
            "company.okr",
            4,
            12,
            json!({ "newName": name }),
        )
    };
    let renamed = rename(&mut client, "growth");
    insta::assert_snapshot!("lsp-rename", client.show(&renamed));
    let kr = client.at(
        "textDocument/rename",
        "company.okr",
        6,
        7,
        json!({ "newName": "recurring" }),
    );
    insta::assert_snapshot!("lsp-rename-kr", client.show(&kr));
    let refused = json!([
        rename(&mut client, "revenue"),
        rename(&mut client, "Not An Id"),
        client.at(
            "textDocument/rename",
            "company.okr",
            1,
            6,
            json!({ "newName": "x" })
        ),
    ]);
    insta::assert_snapshot!("lsp-rename-refused", client.show(&refused));
    let prepared = client.at("textDocument/prepareRename", "sales.okr", 5, 26, json!({}));
    assert_eq!(prepared["start"], json!({ "line": 5, "character": 25 }));
    client.stop();
}

#[test]
fn inlay_hints_show_progress_and_planned_volumes() {
    let mut client = started();
    let url = client.url("marketing.okr");
    let hints = client.request(
        "textDocument/inlayHint",
        json!({
            "textDocument": { "uri": url },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 30, "character": 0 } },
        }),
    );
    insta::assert_snapshot!("lsp-inlay-hints", client.show(&hints));
    client.stop();
}

#[test]
fn an_edit_republishes_the_file_and_the_files_that_read_its_team() {
    let mut client = started();
    let company = std::fs::read_to_string(Path::new(ORG).join("company.okr")).unwrap_or_default();
    client.open("company.okr", None);
    client.settle();
    client.take_published_order();
    // `revenue` renamed in the unsaved text: both referring files break.
    client.change(
        "company.okr",
        2,
        &company.replace("objective revenue", "objective income"),
    );
    client.settle();
    let order = client.take_published_order();
    let names: Vec<&str> = order
        .iter()
        .map(|url| url.rsplit('/').next().unwrap_or_default())
        .collect();
    assert_eq!(names, ["marketing.okr", "sales.okr", "company.okr"]);
    let sales = client.url("sales.okr");
    assert_eq!(client.published[&sales][0]["code"], "okr::unresolved-ref");
    // Closed unsaved: the disk's text counts again.
    let url = client.url("company.okr");
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": url } }),
    );
    client.settle();
    assert_eq!(client.published[&sales], json!([]));
    client.stop();
}

#[test]
fn positions_count_utf16_units_unless_the_client_offers_utf8() {
    // The target comes after `"Ké𝄞"`: 9 bytes, 6 UTF-16 units.
    let text = "period 2026-Q3\nteam t\nowner @a\nobjective o \"O\"\n  kr k \"Ké𝄞\" target 5%\n";
    let start = |capabilities: Value| {
        let mut client = Client::start(Path::new(ORG), capabilities);
        client.open("new.okr", Some(text));
        client.settle();
        let url = client.url("new.okr");
        let range = client.published[&url]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["code"] == "okr::missing-baseline")
            .map(|d| d["range"].clone())
            .unwrap_or_default();
        // A position inside the surrogate pair, and past the line's end.
        let inside = client.at("textDocument/hover", "new.okr", 4, 12, json!({}));
        let past = client.at("textDocument/definition", "new.okr", 4, 999, json!({}));
        client.stop();
        (range, inside, past)
    };
    let (utf16, _, past) = start(json!({}));
    assert_eq!(utf16["start"], json!({ "line": 4, "character": 14 }));
    assert_eq!(utf16["end"], json!({ "line": 4, "character": 23 }));
    assert_eq!(past, Value::Null);
    let (utf8, _, _) = start(json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }));
    assert_eq!(utf8["start"], json!({ "line": 4, "character": 17 }));
}

#[test]
fn incremental_changes_give_the_diagnostics_of_the_whole_text() {
    let mut client = started();
    let url = client.url("marketing.okr");
    let text = std::fs::read_to_string(Path::new(ORG).join("marketing.okr")).unwrap_or_default();
    client.open("marketing.okr", None);
    // `target 12%` → `target 12% baseline 9%`, then `Engagement 𝄞` → `Engagement ☂☂`
    // (a surrogate pair replaced: UTF-16 columns).
    client.change_range("marketing.okr", 2, [17, 42, 17, 42], " baseline 9%");
    client.change_range("marketing.okr", 3, [10, 33, 10, 35], "☂☂");
    client.settle();
    let incremental = client.published[&url].clone();
    let whole = text
        .replace("target 12%\n", "target 12% baseline 9%\n")
        .replace("Engagement 𝄞", "Engagement ☂☂");
    client.change("marketing.okr", 4, &whole);
    client.settle();
    assert_eq!(client.published[&url], incremental);
    let codes: Vec<&Value> = incremental
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| &d["code"])
        .collect();
    assert!(
        !codes.contains(&&json!("okr::missing-baseline")),
        "{codes:?}"
    );
    let outline = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": url } }),
    );
    assert_eq!(outline[1]["detail"], "Engagement ☂☂ matters");
    client.stop();
}

/// The fixes the checks attach, seen through the library: offered only
/// where the edit is exact.
#[test]
fn fixes_are_offered_only_where_they_are_exact() {
    let text = "period 2026-Q3\nteam t\nowner @a\n\
        funnel f \"F\"\n  stage a \"A\"\n  stage b \"B\" conversion 10% value $100\n\
        objective o \"O\"\n\
        \x20 kr up \"Up\" target 100 baseline 10 stage f.a\n    2026-08-10 50\n\
        \x20 kr down \"Down\" target $5,000 baseline $100 stage f.b\n    2026-08-10 $200\n\
        \x20 kr posts \"Publish posts\" target 5 baseline 0\n    2026-07-01 1\n\
        \x20 kr rel \"Rel\" target +10%\n    2026-08-10 3\n";
    let workspace = okr::workspace::Workspace::from_texts([("t.okr", text)]);
    let diagnostics = okr::check::check(&workspace, TODAY.parse().expect("a date"), &[]);
    let fixes = |code: &str| -> Vec<String> {
        diagnostics
            .iter()
            .filter(|d| d.code.name() == code)
            .flat_map(|d| d.fixes.iter().map(|fix| fix.title.clone()))
            .collect()
    };
    // The upstream count can be raised; the money target is left to the writer.
    assert_eq!(fixes("funnel-gap"), ["Raise `up` to 500"]);
    // A KR with check-ins is not turned into an initiative.
    assert!(diagnostics.iter().any(|d| d.code.name() == "activity-kr"));
    assert!(fixes("activity-kr").is_empty());
    assert_eq!(
        fixes("missing-baseline"),
        ["Add `baseline unknown` (start from the first check-in)"]
    );
}
