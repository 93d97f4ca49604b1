//! A client that trickles its request headers (slowloris) is cut off after the
//! header-read timeout, while other clients are served meanwhile.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use stegvis_tests::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let server = Server::start_with_env(&[("STEGVIS_HEADER_READ_TIMEOUT_SECS", "1")]).await;
    let addr = server.base_url().trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: stegvis\r\n").await.unwrap();
    let started = Instant::now();

    // Others are served while the slow client hangs on.
    let r = Api::anonymous(server.base_url()).get("/api/v1/health").await;
    r.expect(StatusCode::OK);

    // The server closes the slow connection (the wait is what is tested: the
    // read ends when the server gives up, bounded here at 10 s).
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the slow connection was still open after 10 s");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(900), "cut off only after the timeout, not at once: {waited:?}");
    let text = String::from_utf8_lossy(&buf);
    assert!(!text.contains("200 OK"), "the unfinished request was not served: {text}");
}
