//! `okr serve` in a real browser: headless Chromium, driven over its
//! developer-tools protocol on a pipe (`--remote-debugging-pipe`: no port, no
//! websocket), opens the overview; the test saves a goal file and reads the
//! page's DOM until it shows the change. Nothing navigates or reloads the
//! page but its own script, so the change seen is the live reload, with the
//! script allowed by the page's Content-Security-Policy. Skipped where
//! chromium is missing; `.ci/run` installs it.

use crate::browser::chromium_or_skip;
use crate::serve::{organisation, save, Served, TIMEOUT};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// Chromium with its developer-tools pipe on our stdin and stdout (its fds 3 and
/// 4, set up by the shell: the test needs no `unsafe` to place them).
struct Browser {
    child: Child,
    commands: ChildStdin,
    replies: Receiver<Value>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(chromium: &std::path::Path) -> Browser {
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(
                "exec \"$0\" --headless --no-sandbox --disable-gpu --no-first-run \
                 --disable-background-networking --disable-component-update --disable-sync \
                 --user-data-dir=\"$1\" --remote-debugging-pipe about:blank \
                 3<&0 4>&1 0</dev/null 1>/dev/null 2>/dev/null",
            )
            .arg(chromium)
            .arg(profile.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        let commands = child.stdin.take().expect("piped stdin");
        let output = child.stdout.take().expect("piped stdout");
        let (sender, replies) = mpsc::channel();
        std::thread::spawn(move || {
            let mut output = BufReader::new(output);
            loop {
                let mut message = Vec::new();
                match output.read_until(0, &mut message) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
                message.pop();
                if let Ok(value) = serde_json::from_slice::<Value>(&message) {
                    if sender.send(value).is_err() {
                        break;
                    }
                }
            }
        });
        Browser {
            child,
            commands,
            replies,
            next_id: 0,
            _profile: profile,
        }
    }

    /// Sends a developer-tools command (to a page's session when given) and waits
    /// for its result.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).expect("JSON");
        bytes.push(0);
        self.commands.write_all(&bytes).expect("sent to chromium");
        self.commands.flush().expect("flushed");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let reply = self.replies.recv_timeout(left).expect("chromium answers");
            if reply["id"] == json!(id) {
                assert!(reply.get("error").is_none(), "{method}: {reply}");
                return reply["result"].clone();
            }
        }
    }

    /// Evaluates `expression` in the page: its value.
    fn evaluate(&mut self, session: &str, expression: &str) -> Value {
        let result = self.call(
            Some(session),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        result["result"]["value"].clone()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The overview's table as the page shows it now.
const ROWS: &str = "[...document.querySelectorAll('table.teams tbody tr')]\
    .map(row => row.innerText.replace(/\\s+/g, ' ')).join('\\n')";

#[test]
fn the_overview_follows_a_save_in_a_real_browser() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let (_dir, goals) = organisation();
    let served = Served::start(&goals, &[]);
    let mut browser = Browser::start(&chromium);
    let target = browser.call(
        None,
        "Target.createTarget",
        json!({ "url": format!("http://{}/", served.address) }),
    );
    let attached = browser.call(
        None,
        "Target.attachToTarget",
        json!({ "targetId": target["targetId"], "flatten": true }),
    );
    let session = attached["sessionId"]
        .as_str()
        .expect("a session")
        .to_string();
    let wait_for = |browser: &mut Browser, what: &str, test: &dyn Fn(&str) -> bool| {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let rows = browser.evaluate(&session, ROWS);
            let rows = rows.as_str().unwrap_or_default().to_string();
            if test(&rows) {
                return rows;
            }
            assert!(Instant::now() < deadline, "{what}: the page shows {rows}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let before = wait_for(&mut browser, "the overview loads", &|rows| {
        rows.contains("Marketing 2026-Q3 21%")
    });
    let generation = browser.evaluate(&session, "document.documentElement.dataset.generation");

    // Marketing's visitors reach their target: its score moves.
    let file = goals.join("marketing.okr");
    let text = std::fs::read_to_string(&file).expect("read");
    save(&file, &text.replace("51,200 \"Webinar", "60,000 \"Webinar"));
    let after = wait_for(&mut browser, "the save shows", &|rows| {
        rows.contains("Marketing") && !rows.contains("Marketing 2026-Q3 21%")
    });
    assert_ne!(before, after);
    assert!(
        after.contains("Sales 2026-Q3 56%"),
        "other rows stay: {after}"
    );
    assert_ne!(
        browser.evaluate(&session, "document.documentElement.dataset.generation"),
        generation,
        "the page was reloaded by its script"
    );
}
