//! `okr serve` over real HTTP: the binary runs on a copy of the examples
//! (and a file of payloads) in a temporary folder, on a port it picks, and
//! each test speaks HTTP to it on a raw socket, so that what is checked is
//! exactly what goes over the wire.

use crate::common::TODAY;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long a step waits: a guard against a hang on a busy machine, not a
/// measure of speed.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(120);

/// A running `okr serve`, its address and the lines it prints.
pub(crate) struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub(crate) address: String,
    lines: Receiver<String>,
    /// Every line printed so far.
    seen: Vec<String>,
}

impl Served {
    /// `okr serve --port 0 --today TODAY ARGS` in `dir`, once it has printed its URL.
    pub(crate) fn start(dir: &Path, args: &[&str]) -> Served {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("okr"))
            .current_dir(dir)
            .env_remove("OKR_TODAY")
            .env("NO_COLOR", "1")
            .args(["serve", "--port", "0", "--today", TODAY])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("okr serve starts");
        let (sender, lines) = mpsc::channel();
        for output in [
            Box::new(child.stdout.take().expect("piped stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("piped stderr")),
        ] {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(output).lines().map_while(Result::ok) {
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let mut served = Served {
            child,
            address: String::new(),
            lines,
            seen: Vec::new(),
        };
        let line = served.line("Serving http://");
        served.address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .expect("the URL is printed")
            .to_string();
        served
    }

    /// The server's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The first line printed containing `part`, waiting for it if need be.
    pub(crate) fn line(&mut self, part: &str) -> String {
        if let Some(line) = self.seen.iter().find(|line| line.contains(part)) {
            return line.clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = self.lines.recv_timeout(left) else {
                panic!("no line with `{part}` in {:?}", self.seen);
            };
            self.seen.push(line.clone());
            if line.contains(part) {
                return line;
            }
        }
    }

    /// `GET path`: (status, headers, body).
    pub(crate) fn get(&self, path: &str) -> (u16, String, String) {
        send(
            &self.address,
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes(),
        )
    }

    /// Sends SIGTERM and waits: the exit status.
    fn terminate(mut self) -> (Option<i32>, Vec<String>) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(killed.is_ok_and(|status| status.success()));
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                break status;
            }
            assert!(Instant::now() < deadline, "okr serve did not stop");
            std::thread::sleep(Duration::from_millis(20));
        };
        let printed = self.lines.try_iter().collect();
        (status.code(), printed)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `request` raw and reads the answer to its end: (status, head, body).
pub(crate) fn send(address: &str, request: &[u8]) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream.set_read_timeout(Some(TIMEOUT)).expect("a timeout");
    // The server may answer (and close) before it has read everything sent.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// The examples and a file of payloads, copied to a temporary folder.
pub(crate) fn organisation() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let goals = dir.path().join("goals");
    std::fs::create_dir(&goals).expect("a folder");
    for entry in std::fs::read_dir("examples").expect("examples") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|ext| ext == "okr") {
            std::fs::copy(&path, goals.join(path.file_name().expect("a name"))).expect("copied");
        }
    }
    std::fs::copy(
        "tests/fixtures/report/hostile.okr",
        goals.join("hostile.okr"),
    )
    .expect("copied");
    (dir, goals)
}

/// An event stream held open: each generation it announces.
pub(crate) struct Stream {
    reader: BufReader<TcpStream>,
    /// The last generation heard.
    last: String,
}

impl Stream {
    pub(crate) fn open(address: &str) -> Stream {
        let mut stream = TcpStream::connect(address).expect("connects");
        stream.set_read_timeout(Some(TIMEOUT)).expect("a timeout");
        stream
            .write_all(b"GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .expect("sent");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).expect("a status line");
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        Stream {
            reader,
            last: String::new(),
        }
    }

    /// The next generation announced.
    pub(crate) fn next(&mut self) -> String {
        loop {
            let mut line = String::new();
            let read = self
                .reader
                .read_line(&mut line)
                .expect("the stream is open");
            assert!(read > 0, "the stream ended");
            if let Some(generation) = line.strip_prefix("data: ") {
                generation.trim().clone_into(&mut self.last);
                return self.last.clone();
            }
        }
    }

    /// Waits until the stream has announced `generation` (at once if it has).
    pub(crate) fn hears(&mut self, generation: &str) {
        while self.last != generation {
            self.next();
        }
    }
}

/// The generation a page was rendered at.
pub(crate) fn generation(page: &str) -> String {
    page.split("data-generation=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page has its generation")
        .to_string()
}

/// Writes `text` over `path` by a rename, as editors save.
pub(crate) fn save(path: &Path, text: &str) {
    let temporary = path.with_extension("okr.tmp");
    std::fs::write(&temporary, text).expect("written");
    std::fs::rename(&temporary, path).expect("renamed");
}

#[test]
fn every_route_answers_with_its_status() {
    let (_dir, goals) = organisation();
    let served = Served::start(&goals, &[]);
    let (status, head, page) = served.get("/");
    assert_eq!(status, 200, "{page}");
    assert!(head.contains("Content-Type: text/html; charset=utf-8"));
    assert!(head.contains("Content-Security-Policy: default-src 'none';"));
    assert!(head.contains("script-src 'sha256-"), "{head}");
    for team in ["Acme Analytics", "Growth", "Marketing", "Sales"] {
        assert!(page.contains(&format!(">{team}</a>")), "{team} listed");
    }
    assert!(page.contains("href=\"/team/marketing/2026-Q3\""));

    let ok = [
        ("/team/marketing", "Unique website visitors"),
        ("/team/marketing/2026-Q3", "Unique website visitors"),
        ("/funnel/marketing/inbound", "Inbound demand waterfall"),
        ("/funnel/marketing/inbound?period=2026-Q3", "Trial signups"),
        ("/funnel/marketing/inbound", "class=\"num\">51,200</td>"),
        ("/diagnostics", "href=\"/explain/"),
        ("/explain/funnel-gap", "funnel-gap"),
        ("/explain/okr::funnel-gap", "funnel-gap"),
        ("/?team=sales", ">Sales</a>"),
        ("/?status=off-track", ">Marketing</a>"),
        ("/?owner=%40dana", ">Marketing</a>"),
        ("/?period=2026-Q3&page=1", ">Growth</a>"),
    ];
    for (path, text) in ok {
        let (status, _, page) = served.get(path);
        assert_eq!(status, 200, "{path}: {page}");
        assert!(page.contains(text), "{path} shows `{text}`");
    }
    // Filters leave out what they do not match.
    let (_, _, page) = served.get("/?team=sales");
    assert!(!page.contains(">Marketing</a>"));
    let (_, _, page) = served.get("/?status=off-track");
    assert!(
        !page.contains(">Sales</a>"),
        "Sales has no objective off track"
    );
    let (_, _, page) = served.get("/?owner=%40dana");
    assert!(
        !page.contains(">Sales</a>"),
        "only marketing.okr names @dana"
    );

    // A link to another team's objective goes through `/goal/ID` to its page.
    let (_, _, page) = served.get("/team/marketing");
    assert!(page.contains("href=\"/goal/2026-Q3--company-revenue\""));
    let (status, head, _) = served.get("/goal/2026-Q3--company-revenue");
    assert_eq!(status, 303);
    assert!(head.contains("Location: /team/company/2026-Q3#2026-Q3--company-revenue"));
    let (_, _, page) = served.get("/team/company/2026-Q3");
    assert!(page.contains("id=\"2026-Q3--company-revenue\""));

    let (status, head, json) = served.get("/report.json");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: application/json"));
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert!(json["version"].is_u64());
    assert!(json["teams"]
        .as_array()
        .is_some_and(|teams| teams.len() >= 5));

    let refused = [
        ("/team/nope", 404),
        ("/goal/2026-Q3--company-nope", 404),
        ("/team/marketing/2026-Q2", 404),
        ("/funnel/marketing/nope", 404),
        ("/funnel/nope/inbound", 404),
        ("/explain/no-such-code", 404),
        ("/nope", 404),
        ("/team", 404),
        ("/?page=99", 404),
        ("/?status=bogus", 400),
        ("/?page=0", 400),
        ("/?page=two", 400),
        ("/?period=2031-Q1", 400),
        ("/?what=1", 400),
        ("/?team=a&team=b", 400),
        ("/team/marketing?x=1", 400),
        ("/report.json?period=soon", 400),
        ("/events?x=1", 400),
    ];
    for (path, expected) in refused {
        let (status, _, page) = served.get(path);
        assert_eq!(status, expected, "{path}: {page}");
    }
    let (status, head, _) = send(
        &served.address,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!(status, 405);
    assert!(head.contains("Allow: GET, HEAD"));
    let (status, head, body) = send(
        &served.address,
        b"HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n",
    );
    assert_eq!((status, body.as_str()), (200, ""));
    assert!(head.contains("Content-Length: "));
    // Another site's name, as a DNS-rebinding page would send it, is refused.
    for host in [
        "evil.example",
        "evil.example:8470",
        "localhost.evil.example",
    ] {
        let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n");
        assert_eq!(send(&served.address, request.as_bytes()).0, 400, "{host}");
    }
    for host in ["127.0.0.1", "localhost:8470", "[::1]:1"] {
        let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n");
        assert_eq!(send(&served.address, request.as_bytes()).0, 200, "{host}");
    }
}

#[test]
fn hostile_text_is_escaped_on_every_page() {
    let (_dir, goals) = organisation();
    let served = Served::start(&goals, &[]);
    for path in ["/", "/team/evil", "/funnel/evil/leak", "/diagnostics"] {
        let (status, _, page) = served.get(path);
        assert_eq!(status, 200, "{path}");
        // The page's own reload script, and nothing else.
        assert_eq!(page.matches("<script").count(), 1, "{path}");
        for element in ["<img", "<iframe", "<svg onload", "<b>", "href=\"javascript"] {
            assert!(!page.contains(element), "{path}: `{element}` became markup");
        }
    }
    let (_, _, page) = served.get("/team/evil");
    assert!(page.contains("&lt;script&gt;document.title=&#x27;XSS&#x27;&lt;&#x2f;script&gt; Team"));
    // What the query says comes back in the form, escaped.
    let (status, _, page) = served.get("/?team=%22%3E%3Cscript%3Ealert(1)%3C/script%3E");
    assert_eq!(status, 200);
    assert!(page.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;&#x2f;script&gt;\""));
    assert_eq!(page.matches("<script").count(), 1);
}

#[test]
fn no_path_reaches_the_file_system() {
    let (_dir, goals) = organisation();
    let served = Served::start(&goals, &[]);
    for path in [
        "/team/..%2f..%2fetc%2fpasswd",
        "/team/../../etc/passwd",
        "/../../etc/passwd",
        "//etc/passwd",
        "/team/marketing/..%2f..%2fmarketing.okr",
        "/marketing.okr",
        "/goals/marketing.okr",
        "/explain/..%2f..%2fCargo.toml",
        "/funnel/marketing/..",
    ] {
        let (status, _, page) = served.get(path);
        assert!(matches!(status, 400 | 404), "{path}: {status}");
        assert!(!page.contains("root:"), "{path}");
        assert!(!page.contains("objective o1"), "{path} shows no goal file");
    }
}

#[test]
fn oversized_and_malformed_requests_are_refused() {
    let (_dir, goals) = organisation();
    let served = Served::start(&goals, &[]);
    let long_header = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    assert_eq!(send(&served.address, long_header.as_bytes()).0, 431);
    let long_target = format!("GET /?team={} HTTP/1.1\r\n\r\n", "a".repeat(1 << 20));
    assert_eq!(send(&served.address, long_target.as_bytes()).0, 431);
    let many_headers: String = (0..200).map(|i| format!("X-{i}: 1\r\n")).collect();
    let many = format!("GET / HTTP/1.1\r\n{many_headers}\r\n");
    assert_eq!(send(&served.address, many.as_bytes()).0, 431);
    let body = b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello";
    assert_eq!(send(&served.address, body).0, 413);
    let chunked = b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assert_eq!(send(&served.address, chunked).0, 413);
    assert_eq!(send(&served.address, b"\x00\x01garbage\r\n\r\n").0, 400);
    let query = format!("/?team={}", "a".repeat(2000));
    assert_eq!(served.get(&query).0, 400);
    // Still serving after all that.
    assert_eq!(served.get("/").0, 200);
}

#[test]
fn pages_follow_a_save_and_show_syntax_errors_instead_of_numbers() {
    let (_dir, goals) = organisation();
    let mut served = Served::start(&goals, &[]);
    let (_, _, page) = served.get("/team/marketing");
    let before = generation(&page);
    assert!(page.contains("51,200 of 60,000"));
    let mut stream = Stream::open(&served.address);
    assert_eq!(
        stream.next(),
        before,
        "a new stream hears the current generation"
    );

    let file = goals.join("marketing.okr");
    let text = std::fs::read_to_string(&file).expect("read");
    save(&file, &text.replace("51,200 \"Webinar", "57,300 \"Webinar"));
    let after = stream.next();
    assert_ne!(after, before);
    let (_, _, page) = served.get("/team/marketing");
    assert_eq!(generation(&page), after);
    assert!(page.contains("57,300 of 60,000"), "the page shows the save");

    // A file that stops parsing: its error on every page, no numbers.
    save(&file, &text.replace("objective", "objectiv"));
    stream.next();
    served.line("pages show the syntax errors");
    for path in [
        "/",
        "/team/marketing",
        "/team/sales",
        "/funnel/marketing/inbound",
    ] {
        let (status, _, page) = served.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(page.contains("A goal file does not parse"), "{path}");
        assert!(page.contains("marketing.okr:"), "{path} names the file");
        assert!(!page.contains("of 60,000"), "{path} shows no stale numbers");
        assert!(!page.contains("class=\"teamscore\""), "{path}");
    }
    assert_eq!(served.get("/report.json").0, 503);
    assert_eq!(served.get("/diagnostics").0, 200);

    // Fixed: the numbers are back.
    save(&file, &text);
    stream.next();
    let (_, _, page) = served.get("/team/marketing");
    assert!(page.contains("51,200 of 60,000"));
    assert!(!page.contains("does not parse"));
}

#[test]
fn sigterm_stops_it_cleanly_and_another_address_is_warned_about() {
    let (_dir, goals) = organisation();
    let served = Served::start(&goals, &[]);
    let stream = Stream::open(&served.address);
    let (status, printed) = served.terminate();
    assert_eq!(status, Some(0), "{printed:?}");
    drop(stream);

    let mut served = Served::start(&goals, &["--bind", "0.0.0.0"]);
    served.line("warning: serving on 0.0.0.0");
    let port = served
        .address
        .rsplit(':')
        .next()
        .expect("a port")
        .to_string();
    let (status, _, _) = send(
        &format!("127.0.0.1:{port}"),
        b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
    );
    assert_eq!(status, 200);
}
