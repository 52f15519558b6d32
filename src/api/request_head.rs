//! Request heads too large for the HTTP parser. actix-http refuses a request target longer
//! than 64 KiB (400) and a head longer than 128 KiB (431) before any service sees the request,
//! with an empty body. [`HeadGuard`] sits between the socket and the parser and turns such a
//! request into one for a path of this service, which answers with the JSON error body like
//! any other error:
//!
//! - a complete head of at most [`MAX_HEAD`] bytes whose target is longer than
//!   [`MAX_TARGET`] gets its target replaced by [`URI_TOO_LONG_PATH`] (414); the connection
//!   stays open;
//! - a head longer than [`MAX_HEAD`] is read to its end (at most [`MAX_DRAIN`] bytes) and
//!   dropped, and replaced by a request for [`URI_TOO_LONG_PATH`] (its request line was too
//!   long) or [`HEAD_TOO_LARGE_PATH`] (431) that closes the connection.
//!
//! To know where each request head starts on a kept-alive connection, the guard follows the
//! framing of HTTP/1.1 bodies (`Content-Length`, chunked); anything it does not follow (an
//! upgrade, conflicting lengths, which the parser refuses anyway) passes unchanged.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Longest request target (path and query string) passed to the parser, in bytes.
pub const MAX_TARGET: usize = 8 * 1024;

/// Longest request head (request line and headers) passed to the parser, in bytes.
pub const MAX_HEAD: usize = 64 * 1024;

/// Most bytes of an oversized head read (and dropped) to find its end before answering.
pub const MAX_DRAIN: usize = 1024 * 1024;

/// The path a request with a too long target is sent to.
pub const URI_TOO_LONG_PATH: &str = "/__kohtaamo/uri-too-long";

/// The path a request with a too large head is sent to.
pub const HEAD_TOO_LARGE_PATH: &str = "/__kohtaamo/head-too-large";

/// The headers of a request made up in place of an oversized one: HTTP/1.1 needs a host, and
/// the connection closes after the answer.
const SYNTHETIC_HEADERS: &str = "host: localhost\r\nconnection: close\r\n";

/// Where the reading side of a connection is.
#[derive(Debug, Clone, PartialEq)]
enum State {
    /// Gathering a request head.
    Head,
    /// Passing a body: this many bytes are left.
    Body(u64),
    /// Passing a chunked body.
    Chunked(Chunk),
    /// Reading an oversized head to its end, dropping it.
    Oversized(Oversized),
    /// Passing everything unchanged.
    Through,
    /// Dropping everything: the connection closes after the answer.
    Discard,
}

/// Where in a chunked body.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Chunk {
    /// The chunk size line: hex digits, then maybe `;extensions`.
    Size { size: u64, in_extension: bool },
    /// The `\n` after the size line's `\r`.
    SizeLf(u64),
    /// Chunk data: this many bytes are left.
    Data(u64),
    /// The `\r\n` after the data.
    DataCr,
    /// The `\n` after the data.
    DataLf,
    /// Trailer lines after the last chunk, until an empty one; `line` bytes of this one seen.
    Trailer { line: usize },
}

/// An oversized head being read to its end.
#[derive(Debug, Clone, PartialEq)]
struct Oversized {
    /// Bytes read.
    seen: usize,
    /// Length of the request line, once it ended.
    request_line: Option<usize>,
    /// 1 after a `\n`, 2 after a `\n\r`: an empty line ends the head.
    newline: u8,
}

/// A socket, as the HTTP parser reads it: oversized request heads are replaced (see the
/// module documentation); everything else, and everything written, passes unchanged.
pub struct HeadGuard<IO> {
    io: IO,
    state: State,
    /// Bytes read but not yet passed on (the start of a head being gathered).
    pending: Vec<u8>,
    /// How much of `pending` was searched for the end of the head (so a head sent a byte at a
    /// time is searched once, not once per byte).
    searched: usize,
    /// Bytes to pass on, from `ready_at`.
    ready: Vec<u8>,
    ready_at: usize,
    scratch: Box<[u8]>,
    eof: bool,
}

impl<IO> HeadGuard<IO> {
    /// Guards the reading side of `io`.
    pub fn new(io: IO) -> Self {
        Self {
            io,
            state: State::Head,
            pending: Vec::new(),
            searched: 0,
            ready: Vec::new(),
            ready_at: 0,
            scratch: vec![0; 16 * 1024].into_boxed_slice(),
            eof: false,
        }
    }

    /// Classifies the pending bytes, moving what may pass to `ready`.
    fn process(&mut self) {
        while !self.pending.is_empty() {
            match &mut self.state {
                State::Through => {
                    self.ready.append(&mut self.pending);
                }
                State::Discard => self.pending.clear(),
                State::Body(left) => {
                    let n = (*left).min(self.pending.len() as u64);
                    *left -= n;
                    if *left == 0 {
                        self.state = State::Head;
                    }
                    self.ready.extend(self.pending.drain(..n as usize));
                }
                State::Chunked(chunk) => {
                    let (passed, next) = follow_chunks(*chunk, &self.pending);
                    self.ready.extend(self.pending.drain(..passed));
                    self.state = next;
                }
                State::Oversized(o) => {
                    let (used, end) = o.follow(&self.pending);
                    self.pending.drain(..used);
                    if end || o.seen > MAX_DRAIN {
                        let path = match o.request_line {
                            Some(len) if len <= MAX_TARGET => HEAD_TOO_LARGE_PATH,
                            _ => URI_TOO_LONG_PATH,
                        };
                        self.ready.extend_from_slice(
                            format!("GET {path} HTTP/1.1\r\n{SYNTHETIC_HEADERS}\r\n").as_bytes(),
                        );
                        self.state = State::Discard;
                    }
                }
                State::Head => {
                    // Empty lines between requests pass (the parser skips them).
                    let blank = self
                        .pending
                        .iter()
                        .take_while(|&&b| b == b'\r' || b == b'\n')
                        .count();
                    if blank > 0 {
                        self.ready.extend(self.pending.drain(..blank));
                        continue;
                    }
                    // The last two bytes searched may start the empty line.
                    let from = self.searched.saturating_sub(2);
                    self.searched = self.pending.len();
                    match head_end(&self.pending, from) {
                        Some(end) if end <= MAX_HEAD => {
                            self.searched = 0;
                            let head: Vec<u8> = self.pending.drain(..end).collect();
                            let (head, next) = examine(head);
                            self.ready.extend(head);
                            self.state = next;
                        }
                        None if self.pending.len() <= MAX_HEAD => return,
                        _ => {
                            self.searched = 0;
                            self.state = State::Oversized(Oversized {
                                seen: 0,
                                request_line: None,
                                newline: 0,
                            })
                        }
                    }
                }
            }
        }
    }
}

impl Oversized {
    /// Reads `bytes` until the head ends; returns the bytes used and whether it ended.
    fn follow(&mut self, bytes: &[u8]) -> (usize, bool) {
        for (i, &b) in bytes.iter().enumerate() {
            self.seen += 1;
            if b == b'\n' && self.request_line.is_none() {
                self.request_line = Some(self.seen - 1);
            }
            self.newline = match (b, self.newline) {
                (b'\n', 1 | 2) => return (i + 1, true),
                (b'\n', _) => 1,
                (b'\r', 1) => 2,
                _ => 0,
            };
            if self.seen > MAX_DRAIN {
                return (i + 1, false);
            }
        }
        (bytes.len(), false)
    }
}

/// The end (exclusive) of the head at the start of `bytes`: after its first empty line,
/// searched from `from` on.
fn head_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(p) = bytes[i..].iter().position(|&b| b == b'\n') {
        let at = i + p;
        match (bytes.get(at + 1), bytes.get(at + 2)) {
            (Some(b'\n'), _) => return Some(at + 2),
            (Some(b'\r'), Some(b'\n')) => return Some(at + 3),
            _ => i = at + 1,
        }
    }
    None
}

/// Replaces a too long target of a complete head, and reads how its body is framed.
fn examine(head: Vec<u8>) -> (Vec<u8>, State) {
    let line_end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let line = &head[..line_end];
    let mut parts = line.splitn(3, |&b| b == b' ');
    let (method, target, rest) = (parts.next(), parts.next(), parts.next());
    let next = framing(method.unwrap_or_default(), &head[line_end..]);
    match (method, target, rest) {
        (Some(method), Some(target), Some(rest)) if target.len() > MAX_TARGET => {
            let mut out = Vec::with_capacity(head.len() - target.len() + 32);
            out.extend_from_slice(method);
            out.push(b' ');
            out.extend_from_slice(URI_TOO_LONG_PATH.as_bytes());
            out.push(b' ');
            out.extend_from_slice(rest);
            out.extend_from_slice(&head[line_end..]);
            (out, next)
        }
        _ => (head, next),
    }
}

/// How the body after a head with these header lines is framed.
fn framing(method: &[u8], headers: &[u8]) -> State {
    if method.eq_ignore_ascii_case(b"CONNECT") {
        return State::Through;
    }
    let mut length: Option<u64> = None;
    let mut chunked = false;
    let mut encoded = false;
    for line in headers.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = line[..colon].trim_ascii();
        let value = line[colon + 1..].trim_ascii();
        if name.eq_ignore_ascii_case(b"content-length") {
            let parsed = std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.parse::<u64>().ok());
            match (parsed, length) {
                (Some(n), None) => length = Some(n),
                (Some(n), Some(m)) if n == m => {}
                // Unreadable or conflicting: the parser refuses the request and closes.
                _ => return State::Through,
            }
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            encoded = true;
            chunked = value
                .rsplit(|&b| b == b',')
                .next()
                .is_some_and(|last| last.trim_ascii().eq_ignore_ascii_case(b"chunked"));
        } else if name.eq_ignore_ascii_case(b"upgrade") {
            return State::Through;
        }
    }
    match (encoded, chunked, length) {
        (true, true, None) => State::Chunked(Chunk::Size {
            size: 0,
            in_extension: false,
        }),
        // Not chunked last, or both a length and an encoding: the parser refuses it.
        (true, _, _) => State::Through,
        (false, _, Some(n)) if n > 0 => State::Body(n),
        _ => State::Head,
    }
}

/// Follows a chunked body through `bytes`: the bytes that belong to it, and the state after.
fn follow_chunks(mut chunk: Chunk, bytes: &[u8]) -> (usize, State) {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        chunk = match chunk {
            Chunk::Data(left) => {
                let n = left.min((bytes.len() - i) as u64);
                i += n as usize;
                let left = left - n;
                if left > 0 {
                    return (i, State::Chunked(Chunk::Data(left)));
                }
                Chunk::DataCr
            }
            Chunk::Size { size, in_extension } => {
                i += 1;
                match b {
                    b'\r' => Chunk::SizeLf(size),
                    b'\n' => after_size(size),
                    _ if in_extension => Chunk::Size { size, in_extension },
                    b';' => Chunk::Size {
                        size,
                        in_extension: true,
                    },
                    _ => match (b as char).to_digit(16) {
                        Some(d) if size >> 60 == 0 => Chunk::Size {
                            size: size * 16 + u64::from(d),
                            in_extension,
                        },
                        _ => return (i, State::Through),
                    },
                }
            }
            Chunk::SizeLf(size) => {
                i += 1;
                match b {
                    b'\n' => after_size(size),
                    _ => return (i, State::Through),
                }
            }
            Chunk::DataCr => {
                i += 1;
                match b {
                    b'\r' => Chunk::DataLf,
                    b'\n' => next_size(),
                    _ => return (i, State::Through),
                }
            }
            Chunk::DataLf => {
                i += 1;
                match b {
                    b'\n' => next_size(),
                    _ => return (i, State::Through),
                }
            }
            Chunk::Trailer { line } => {
                i += 1;
                match b {
                    b'\n' if line == 0 => return (i, State::Head),
                    b'\n' => Chunk::Trailer { line: 0 },
                    b'\r' => Chunk::Trailer { line },
                    _ => Chunk::Trailer { line: line + 1 },
                }
            }
        };
    }
    (i, State::Chunked(chunk))
}

fn next_size() -> Chunk {
    Chunk::Size {
        size: 0,
        in_extension: false,
    }
}

fn after_size(size: u64) -> Chunk {
    if size == 0 {
        Chunk::Trailer { line: 0 }
    } else {
        Chunk::Data(size)
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for HeadGuard<IO> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if this.ready_at < this.ready.len() {
                let n = buf.remaining().min(this.ready.len() - this.ready_at);
                buf.put_slice(&this.ready[this.ready_at..this.ready_at + n]);
                this.ready_at += n;
                if this.ready_at == this.ready.len() {
                    this.ready.clear();
                    this.ready_at = 0;
                }
                return Poll::Ready(Ok(()));
            }
            if this.eof || buf.remaining() == 0 {
                return Poll::Ready(Ok(()));
            }
            let mut read = ReadBuf::new(&mut this.scratch);
            ready!(Pin::new(&mut this.io).poll_read(cx, &mut read))?;
            if read.filled().is_empty() {
                // The connection ended: an unfinished head goes to the parser as it is, which
                // sees the request cut short.
                this.eof = true;
                if this.state == State::Head {
                    this.ready.append(&mut this.pending);
                }
                continue;
            }
            this.pending.extend_from_slice(read.filled());
            this.process();
        }
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for HeadGuard<IO> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the parser reads when the client sends `chunks` one after another.
    fn through(chunks: &[&[u8]]) -> Vec<u8> {
        let mut guard = HeadGuard::new(());
        for chunk in chunks {
            guard.pending.extend_from_slice(chunk);
            guard.process();
        }
        guard.ready
    }

    fn through_bytewise(input: &[u8]) -> Vec<u8> {
        let chunks: Vec<&[u8]> = input.chunks(1).collect();
        through(&chunks)
    }

    #[test]
    fn ordinary_requests_pass_unchanged_however_they_arrive() {
        let input: &[u8] = b"GET /a?x=1 HTTP/1.1\r\nhost: h\r\n\r\n\
POST /b HTTP/1.1\r\ncontent-length: 5\r\n\r\nhello\
\r\nPOST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nt: v\r\n\r\n\
GET /d HTTP/1.1\n\n";
        assert_eq!(through(&[input]), input);
        assert_eq!(through_bytewise(input), input);
    }

    #[test]
    fn a_body_that_looks_like_a_long_request_is_not_touched() {
        let body = format!("GET /{} HTTP/1.1\r\n\r\n", "x".repeat(MAX_TARGET * 2));
        let input = format!(
            "POST /a HTTP/1.1\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        assert_eq!(through(&[input.as_bytes()]), input.as_bytes());
        let chunked = format!(
            "POST /a HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
            body.len()
        );
        assert_eq!(through(&[chunked.as_bytes()]), chunked.as_bytes());
    }

    #[test]
    fn a_long_target_goes_to_the_uri_too_long_path_and_the_next_request_is_kept() {
        let long = format!(
            "GET /api/v1/search?q={} HTTP/1.1\r\nhost: h\r\n\r\nGET /health HTTP/1.1\r\n\r\n",
            "a".repeat(MAX_TARGET)
        );
        let out = String::from_utf8(through(&[long.as_bytes()])).unwrap();
        assert_eq!(
            out,
            format!(
                "GET {URI_TOO_LONG_PATH} HTTP/1.1\r\nhost: h\r\n\r\nGET /health HTTP/1.1\r\n\r\n"
            )
        );
    }

    #[test]
    fn an_oversized_head_is_dropped_and_answered_on_a_closing_connection() {
        let huge_target = format!(
            "GET /?q={} HTTP/1.1\r\nhost: h\r\n\r\n",
            "a".repeat(100_000)
        );
        let out = String::from_utf8(through_bytewise(huge_target.as_bytes())).unwrap();
        assert_eq!(
            out,
            format!("GET {URI_TOO_LONG_PATH} HTTP/1.1\r\n{SYNTHETIC_HEADERS}\r\n")
        );
        let huge_header = format!(
            "GET / HTTP/1.1\r\ncookie: {}\r\n\r\nGET /again HTTP/1.1\r\n\r\n",
            "c".repeat(MAX_HEAD)
        );
        let out = String::from_utf8(through(&[huge_header.as_bytes()])).unwrap();
        assert_eq!(
            out,
            format!("GET {HEAD_TOO_LARGE_PATH} HTTP/1.1\r\n{SYNTHETIC_HEADERS}\r\n")
        );
    }

    #[test]
    fn endless_heads_are_cut_off() {
        let mut guard = HeadGuard::new(());
        let junk = vec![b'x'; 64 * 1024];
        for _ in 0..((MAX_DRAIN + MAX_HEAD) / junk.len() + 2) {
            guard.pending.extend_from_slice(&junk);
            guard.process();
        }
        assert_eq!(guard.state, State::Discard);
        assert!(guard
            .ready
            .starts_with(format!("GET {URI_TOO_LONG_PATH}").as_bytes()));
    }

    #[test]
    fn what_the_guard_cannot_follow_passes_unchanged() {
        for input in [
            &b"GET /ws HTTP/1.1\r\nupgrade: websocket\r\n\r\n\x81\x05hello"[..],
            b"POST / HTTP/1.1\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nabcdef",
            b"POST / HTTP/1.1\r\ntransfer-encoding: gzip\r\n\r\nzzz",
        ] {
            assert_eq!(through(&[input]), input);
        }
    }
}
