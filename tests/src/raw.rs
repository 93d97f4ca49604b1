//! Raw HTTP/1.1 over TCP, for what a normal client hides: a chunked body of
//! a chosen size (no `Content-Length` for the server to check up front), and
//! knowing the instant a request has been written (the crash test).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `host:port` of a `http://host:port` base URL.
pub fn authority(base_url: &str) -> String {
    base_url.trim_start_matches("http://").trim_end_matches('/').to_owned()
}

/// The head of a request that closes the connection after the answer.
/// `headers` come after `Host`; end them with the framing header
/// (`Content-Length` or `Transfer-Encoding: chunked`).
pub fn head(method: &str, path: &str, authority: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// `body` in chunked transfer encoding, `chunk` bytes a chunk.
pub fn chunked(body: &[u8], chunk: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / chunk * 12 + 16);
    for part in body.chunks(chunk) {
        out.extend(format!("{:x}\r\n", part.len()).as_bytes());
        out.extend(part);
        out.extend(b"\r\n");
    }
    out.extend(b"0\r\n\r\n");
    out
}

/// Write `request` to `authority` and read the answer to the end. A write
/// error (the server answered early and closed) is not fatal: the answer is
/// still read. `None` if no complete response came.
pub async fn exchange(authority: &str, request: &[u8]) -> Option<(u16, Value)> {
    let mut stream = TcpStream::connect(authority).await.unwrap();
    let _ = stream.write_all(request).await;
    read_response(&mut stream).await
}

/// Read a response to the end (bounded to two minutes) and parse it.
pub async fn read_response(stream: &mut TcpStream) -> Option<(u16, Value)> {
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(120), async {
        let mut chunk = [0u8; 65536];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                // A reset after the answer arrived still leaves the answer.
                Err(_) => break,
            }
        }
    })
    .await;
    read.ok()?;
    parse_response(&buf)
}

/// A complete HTTP/1.1 response: status and JSON body (`Content-Length` or
/// chunked); `None` when cut short or not JSON.
pub fn parse_response(buf: &[u8]) -> Option<(u16, Value)> {
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&buf[..split]).ok()?;
    let status: u16 = head.split_whitespace().nth(1)?.parse().ok()?;
    let mut rest = buf[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        let mut out = Vec::new();
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).ok()?.trim(), 16).ok()?;
            if size == 0 {
                break;
            }
            out.extend_from_slice(rest.get(line_end + 2..line_end + 2 + size)?);
            rest = rest.get(line_end + 4 + size..)?.to_vec();
        }
        rest = out;
    }
    Some((status, serde_json::from_slice(&rest).ok()?))
}
