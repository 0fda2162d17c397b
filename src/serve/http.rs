//! Takes TCP connections; gives each a thread that reads one bounded GET
//! request (`httparse`), answers it, and closes. Nothing else is read: no
//! body, no second request on the connection, no more than [`MAX_HEAD`]
//! bytes of head, and no more than [`MAX_CONNECTIONS`] connections at once
//! (the one after is answered 503 and closed). On a loopback address, a
//! request must name this machine in its `Host`: a web page whose domain an
//! attacker re-points at 127.0.0.1 (DNS rebinding) sends its own name there,
//! and is refused.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The most bytes a request line and its headers may take.
pub(super) const MAX_HEAD: usize = 8 * 1024;
/// Connections handled at once, event streams included.
pub(super) const MAX_CONNECTIONS: usize = 64;
/// Headers a request may have.
const MAX_HEADERS: usize = 48;
/// How long a client may take to send its request, or to take a write.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A request as the pages need it: its path and query, still encoded.
pub(super) struct Request {
    /// `HEAD` asks for the headers only.
    pub head_only: bool,
    pub path: String,
    pub query: String,
}

/// An answer: a status, a content type, extra headers and a body.
pub(super) struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A plain-text answer, for errors that come before any page.
    pub(super) fn text(status: u16, text: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            headers: Vec::new(),
            body: format!("{text}\n").into_bytes(),
        }
    }
}

/// What a handler does with a request: answer it, or keep the connection
/// as an event stream (the handler writes to it until it ends).
pub(super) enum Answer {
    Page(Response),
    Stream(Box<dyn FnOnce(TcpStream) + Send>),
}

/// Accepts connections on `listener` until `stop` is set (and a connection
/// wakes the accept), each handled on its own thread by `handle`;
/// `local_only`: refuse a `Host` other than this machine's names.
pub(super) fn serve(
    listener: &TcpListener,
    stop: &AtomicBool,
    local_only: bool,
    handle: Arc<dyn Fn(Request) -> Answer + Send + Sync>,
) {
    let open = Arc::new(AtomicUsize::new(0));
    let mut threads = Vec::new();
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(mut stream) = stream else {
            // Out of file descriptors, say: wait a little rather than spin.
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        // Threads that ended are joined as new ones start.
        threads.retain(|thread: &std::thread::JoinHandle<()>| !thread.is_finished());
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(TIMEOUT));
            let busy = Response::text(503, "too many connections; try again");
            let _ = write_response(&mut stream, &busy, false);
            continue;
        }
        let (held, handle) = (Arc::clone(&open), Arc::clone(&handle));
        let spawned = std::thread::Builder::new()
            .name("okr-serve".into())
            .spawn(move || {
                connection(stream, local_only, handle.as_ref());
                held.fetch_sub(1, Ordering::SeqCst);
            });
        match spawned {
            Ok(thread) => threads.push(thread),
            Err(_) => {
                open.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
    for thread in threads {
        let _ = thread.join();
    }
}

/// One connection: its request read, answered, and the connection closed.
fn connection(
    mut stream: TcpStream,
    local_only: bool,
    handle: &(dyn Fn(Request) -> Answer + Send + Sync),
) {
    let _ = stream.set_read_timeout(Some(TIMEOUT));
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    let answer = match read_request(&mut stream, local_only) {
        Ok(request) => {
            let head_only = request.head_only;
            match handle(request) {
                Answer::Page(response) => Some((response, head_only)),
                Answer::Stream(stream_to) => {
                    stream_to(stream);
                    return;
                }
            }
        }
        Err(Some(response)) => Some((response, false)),
        Err(None) => None,
    };
    if let Some((response, head_only)) = answer {
        let _ = write_response(&mut stream, &response, head_only);
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// Reads the request's head (up to the blank line), refusing what this
/// server does not take; `Err(None)` when the client went away or was silent.
fn read_request(stream: &mut TcpStream, local_only: bool) -> Result<Request, Option<Response>> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let read = stream.read(&mut chunk).map_err(|_| None)?;
        if read == 0 {
            return Err(None);
        }
        head.extend_from_slice(&chunk[..read]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&head) {
            Ok(httparse::Status::Complete(_)) => return request(&parsed, local_only),
            Ok(httparse::Status::Partial) if head.len() < MAX_HEAD => {}
            Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {
                return Err(Some(Response::text(431, "request headers too large")))
            }
            Err(_) => return Err(Some(Response::text(400, "malformed request"))),
        }
    }
}

/// The parsed head as a [`Request`], or the answer refusing it.
fn request(parsed: &httparse::Request, local_only: bool) -> Result<Request, Option<Response>> {
    let head_only = match parsed.method {
        Some("GET") => false,
        Some("HEAD") => true,
        _ => {
            let mut refused = Response::text(405, "only GET and HEAD are served");
            refused.headers.push(("Allow", "GET, HEAD".into()));
            return Err(Some(refused));
        }
    };
    // No request carries a body here: one announced is refused unread.
    let has_body = parsed.headers.iter().any(|header| {
        header.name.eq_ignore_ascii_case("transfer-encoding")
            || (header.name.eq_ignore_ascii_case("content-length")
                && header.value.iter().any(|&byte| byte != b'0'))
    });
    if has_body {
        return Err(Some(Response::text(413, "requests take no body")));
    }
    let host = parsed
        .headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case("host"))
        .map(|header| String::from_utf8_lossy(header.value));
    if local_only && host.is_some_and(|host| !is_local(&host)) {
        return Err(Some(Response::text(
            400,
            "this server answers requests for localhost only",
        )));
    }
    let target = parsed.path.unwrap_or("/");
    if !target.starts_with('/') {
        return Err(Some(Response::text(400, "malformed request target")));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Request {
        head_only,
        path: path.to_string(),
        query: query.to_string(),
    })
}

/// Whether a `Host` header names this machine: `localhost`, `127.0.0.1` or
/// `[::1]`, with or without a port.
fn is_local(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// Writes `response` (without its body for `HEAD`) with the headers every
/// answer carries.
pub(super) fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}Connection: close\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len(),
        SECURITY_HEADERS,
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// Headers on every answer: no sniffing a type, no framing by other
/// sites, no referrer sent on.
pub(super) const SECURITY_HEADERS: &str = "X-Content-Type-Options: nosniff\r\n\
    X-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\nCache-Control: no-store\r\n";

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        303 => "See Other",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}
