//! What a client or a workspace may throw at `okr lsp`: bytes that are not
//! text, a 5 MB line, a document deleted while open, positions past the
//! end, unknown methods, bad parameters and malformed JSON-RPC. Each gets
//! a logged error and a valid answer, never a crash; the server exits
//! cleanly on `shutdown`/`exit` and when its input closes.

use super::common::okr;
use super::lsp::{copy_org, Client, ORG};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Stdio};

#[test]
fn bytes_that_are_not_text_are_one_finding_and_requests_on_them_answer() {
    let (_dir, root) = copy_org();
    std::fs::write(
        root.join("binary.okr"),
        b"period 2026-Q3\n\xff\xfe\x00\x01\x1b[2J",
    )
    .unwrap_or_default();
    let mut client = Client::start(&root, json!({}));
    let url = client.url("binary.okr");
    let codes = |client: &Client| -> Vec<Value> {
        let published = client.published[&url]
            .as_array()
            .cloned()
            .unwrap_or_default();
        published.iter().map(|d| d["code"].clone()).collect()
    };
    assert!(
        codes(&client).contains(&json!("okr::syntax")),
        "{:?}",
        codes(&client)
    );
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
    ] {
        let answer = client.at(method, "binary.okr", 1, 2, json!({}));
        assert!(answer.get("error").is_none(), "{method}: {answer}");
    }
    // The same bytes, opened in the editor (as it decoded them).
    client.open(
        "binary.okr",
        Some("period 2026-Q3\n\u{fffd}\u{0}\u{1}\u{1b}[2J"),
    );
    client.settle();
    assert!(
        codes(&client).contains(&json!("okr::syntax")),
        "{:?}",
        codes(&client)
    );
    client.stop();
}

#[test]
fn a_five_megabyte_line_is_checked_and_answered() {
    let mut client = Client::start(Path::new(ORG), json!({}));
    let long = format!(
        "period 2026-Q3\nteam big\nobjective o \"{}\"\n  kr k \"K\" target 5\n",
        "x".repeat(5 << 20)
    );
    client.open("big.okr", Some(&long));
    client.settle();
    let url = client.url("big.okr");
    assert!(client.published.contains_key(&url));
    let hover = client.at("textDocument/hover", "big.okr", 2, 4_000_000, json!({}));
    assert!(hover.get("error").is_none());
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": url } }),
    );
    // The objective's line ends 5 MB and 14 characters on.
    let line = 5 * (1 << 20) + 14;
    assert_eq!(
        symbols[0]["selectionRange"]["start"],
        json!({ "line": 2, "character": 10 })
    );
    let past = client.at(
        "textDocument/definition",
        "big.okr",
        2,
        line + 10,
        json!({}),
    );
    assert_eq!(past, Value::Null);
    client.stop();
}

#[test]
fn a_document_deleted_while_open_stays_until_closed() {
    let (_dir, root) = copy_org();
    let mut client = Client::start(&root, json!({}));
    client.open("marketing.okr", None);
    std::fs::remove_file(root.join("marketing.okr")).unwrap_or_default();
    let url = client.url("marketing.okr");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": url, "type": 3 }] }),
    );
    client.settle();
    // Still open: still checked and answered from the editor's text.
    assert!(!client.published[&url].as_array().is_none_or(Vec::is_empty));
    let hover = client.at("textDocument/hover", "marketing.okr", 12, 7, json!({}));
    assert!(hover["contents"]["value"]
        .as_str()
        .is_some_and(|text| text.contains("progress")));
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": url } }),
    );
    client.settle();
    assert_eq!(client.published[&url], json!([]), "its findings go with it");
    let gone = client.at("textDocument/hover", "marketing.okr", 12, 7, json!({}));
    assert_eq!(gone, Value::Null);
    client.stop();
}

#[test]
fn positions_past_the_end_and_bad_parameters_get_valid_answers() {
    let mut client = Client::start(Path::new(ORG), json!({}));
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
        "textDocument/prepareRename",
    ] {
        for (line, character) in [(999, 0), (0, 999), (u32::MAX, u32::MAX)] {
            let answer = client.at(method, "marketing.okr", line, character, json!({}));
            let refused = answer.get("code") == Some(&json!(-32803));
            assert!(
                answer.get("error").is_none() || refused,
                "{method} {line}:{character}: {answer}"
            );
        }
    }
    let references = client.at(
        "textDocument/references",
        "marketing.okr",
        999,
        999,
        json!({ "context": { "includeDeclaration": true } }),
    );
    assert_eq!(references, Value::Null);
    assert_eq!(
        client.request("textDocument/hover", json!({ "bogus": 1 }))["code"],
        json!(-32602)
    );
    assert_eq!(
        client.request("okr/unknown", json!({}))["code"],
        json!(-32601)
    );
    // A document no folder holds, under another scheme.
    let other = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "untitled:Untitled-1" }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(other, Value::Null);
    client.stop();
}

/// `okr lsp` as a process, talking JSON-RPC on its stdin and stdout.
struct Process {
    child: Child,
    output: BufReader<ChildStdout>,
}

impl Process {
    fn start() -> Process {
        let mut child = std::process::Command::new(okr().get_program())
            .args(["lsp", "--today", super::common::TODAY])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("okr lsp starts");
        let output = BufReader::new(child.stdout.take().expect("its stdout"));
        Process { child, output }
    }

    fn write(&mut self, bytes: &[u8]) {
        let input = self.child.stdin.as_mut().expect("its stdin");
        input.write_all(bytes).expect("written");
        input.flush().expect("flushed");
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.write(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    /// The next message with an `id` (answers), skipping notifications.
    fn answer(&mut self) -> Value {
        loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                self.output.read_line(&mut line).expect("a header");
                let line = line.trim();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length:") {
                    length = value.trim().parse().expect("a length");
                }
            }
            let mut body = vec![0; length];
            self.output.read_exact(&mut body).expect("a body");
            let message: Value = serde_json::from_slice(&body).expect("JSON");
            if message.get("id").is_some() {
                return message;
            }
        }
    }

    /// Waits for the exit; (status, stderr).
    fn finish(mut self) -> (Option<i32>, String) {
        drop(self.child.stdin.take());
        let output = self.child.wait_with_output().expect("it exits");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

fn initialize(process: &mut Process) {
    process.send(&json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }));
    assert_eq!(process.answer()["id"], 1);
    process.send(&json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
}

#[test]
fn malformed_json_rpc_is_answered_with_a_parse_error_and_the_session_goes_on() {
    let mut process = Process::start();
    initialize(&mut process);
    process.write(b"Content-Length: 9\r\n\r\n{\"id\": 2,");
    let error = process.answer();
    assert_eq!(error["id"], Value::Null);
    assert_eq!(error["error"]["code"], -32700);
    process.write(b"Content-Length: banana\r\n\r\n");
    assert_eq!(process.answer()["error"]["code"], -32700);
    process.send(&json!({ "jsonrpc": "2.0", "id": 3, "method": "okr/unknown" }));
    let unknown = process.answer();
    assert_eq!(
        (unknown["id"].clone(), unknown["error"]["code"].clone()),
        (json!(3), json!(-32601))
    );
    process.send(&json!({ "jsonrpc": "2.0", "id": 4, "method": "shutdown" }));
    assert_eq!(
        process.answer(),
        json!({ "jsonrpc": "2.0", "id": 4, "result": null })
    );
    process.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    let (status, stderr) = process.finish();
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stderr.contains("malformed JSON-RPC message"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_server_exits_cleanly_when_its_input_closes() {
    let mut process = Process::start();
    initialize(&mut process);
    let (status, stderr) = process.finish();
    assert_eq!(status, Some(0), "{stderr}");
    // Before the handshake, too.
    let (status, stderr) = Process::start().finish();
    assert_eq!(status, Some(0), "{stderr}");
    // `exit` without `shutdown` first: a non-zero status, as LSP asks.
    let mut process = Process::start();
    initialize(&mut process);
    process.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    let (status, stderr) = process.finish();
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("before `shutdown`"), "{stderr}");
}
