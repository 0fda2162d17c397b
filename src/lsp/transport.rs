//! JSON-RPC over stdin and stdout, framed by `Content-Length` headers.
//!
//! `lsp_server::Connection::stdio` stops reading at the first malformed
//! message; a server must instead answer it with a parse error and read on.
//! This transport does that, and hands the server the same `Connection`
//! (a pair of channels) its in-memory tests use.

use lsp_server::{Connection, Message};
use std::io::{BufRead, Read, Write};

/// The largest message read; a longer one is skipped with an error. Far
/// above a goals file as large as any tool produces (a 5 MB line is fine).
const MAX_MESSAGE: usize = 1 << 30;

/// A connection over stdio, and the threads to join at the end.
pub(crate) fn stdio() -> (Connection, Threads) {
    let (reader_sender, receiver) = crossbeam_channel::bounded::<Message>(0);
    let (sender, writer_receiver) = crossbeam_channel::bounded::<Message>(0);
    let writer = std::thread::spawn(move || {
        for message in writer_receiver {
            if let Err(error) = write_message(&message) {
                eprintln!("okr lsp: cannot write to the client: {error}");
                break;
            }
        }
    });
    let reader = std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            match read_frame(&mut input) {
                Ok(None) => break,
                Ok(Some(body)) => match serde_json::from_slice::<Message>(&body) {
                    Ok(message) => {
                        let exit =
                            matches!(&message, Message::Notification(n) if n.method == "exit");
                        if reader_sender.send(message).is_err() || exit {
                            break;
                        }
                    }
                    Err(error) => {
                        reply_parse_error(&format!("malformed JSON-RPC message: {error}"));
                    }
                },
                Err(Frame::Bad(why)) => reply_parse_error(&why),
                Err(Frame::Io(error)) => {
                    eprintln!("okr lsp: cannot read from the client: {error}");
                    break;
                }
            }
        }
    });
    (Connection { sender, receiver }, Threads { reader, writer })
}

/// The reader and writer threads.
pub(crate) struct Threads {
    reader: std::thread::JoinHandle<()>,
    writer: std::thread::JoinHandle<()>,
}

impl Threads {
    /// Waits for both to end (the connection's channels dropped first).
    /// The reader may still wait on stdin, which only the client can close:
    /// it is left to the process's exit.
    pub(crate) fn join(self) {
        drop(self.reader);
        if self.writer.join().is_err() {
            eprintln!("okr lsp: the writer thread failed");
        }
    }
}

/// Why a frame could not be read.
enum Frame {
    /// The input is not a frame; reading goes on after it.
    Bad(String),
    /// The input cannot be read at all.
    Io(std::io::Error),
}

/// One message's body; `None` at the end of the input.
fn read_frame(input: &mut impl BufRead) -> Result<Option<Vec<u8>>, Frame> {
    let mut length: Option<usize> = None;
    let mut header = Vec::new();
    let mut bad_header = None;
    loop {
        header.clear();
        let read = input.read_until(b'\n', &mut header).map_err(Frame::Io)?;
        if read == 0 {
            return Ok(None);
        }
        let line = String::from_utf8_lossy(&header);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            // A blank line before any header: nothing to end yet.
            if length.is_none() && bad_header.is_none() {
                continue;
            }
            break;
        }
        match line.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(value) => length = Some(value),
                    Err(_) => bad_header = Some(format!("bad Content-Length `{}`", value.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("not a header: `{}`", truncate(line))),
        }
    }
    if let Some(why) = bad_header {
        return Err(Frame::Bad(why));
    }
    let Some(length) = length else {
        return Err(Frame::Bad("a message without Content-Length".into()));
    };
    if length > MAX_MESSAGE {
        std::io::copy(&mut input.take(length as u64), &mut std::io::sink()).map_err(Frame::Io)?;
        return Err(Frame::Bad(format!(
            "a message of {length} bytes, over the limit"
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body).map_err(Frame::Io)?;
    Ok(Some(body))
}

fn truncate(line: &str) -> &str {
    let mut end = line.len().min(80);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

/// Logs `why` and answers with JSON-RPC's parse error, whose id is null
/// (the message's own could not be read).
fn reply_parse_error(why: &str) {
    eprintln!("okr lsp: {why}");
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": -32700, "message": why },
    });
    if let Err(error) = write_body(body.to_string().as_bytes()) {
        eprintln!("okr lsp: cannot write to the client: {error}");
    }
}

fn write_message(message: &Message) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct JsonRpc<'a> {
        jsonrpc: &'static str,
        #[serde(flatten)]
        message: &'a Message,
    }
    let body = serde_json::to_vec(&JsonRpc {
        jsonrpc: "2.0",
        message,
    })?;
    write_body(&body)
}

/// One frame, written whole under stdout's lock (two threads write).
fn write_body(body: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    write!(out, "Content-Length: {}\r\n\r\n", body.len())?;
    out.write_all(body)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_and_bad_ones_skipped() {
        let input =
            b"Content-Length: 2\r\n\r\n{}Content-Length: x\r\n\r\nContent-Length: 3\r\n\r\n[1]";
        let mut input = &input[..];
        assert_eq!(read_frame(&mut input).ok().flatten(), Some(b"{}".to_vec()));
        assert!(matches!(read_frame(&mut input), Err(Frame::Bad(_))));
        assert_eq!(read_frame(&mut input).ok().flatten(), Some(b"[1]".to_vec()));
        assert!(matches!(read_frame(&mut input), Ok(None)));
    }
}
