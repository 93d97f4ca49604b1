//! API.md "Push", idempotency across a crash: a 400-mutation push is sent,
//! the server is SIGKILLed while it is in flight, restarted on the same
//! database, and the same batch (same mutation ids) is retried. Afterwards
//! every result is `applied` or `duplicate` and a pull holds exactly the 400
//! records, each once. Run at a few kill delays after the request is sent,
//! as fractions of how long such a push takes on this machine.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use serde_json::{Value, json};
use stegvis_tests::raw;
use stegvis_tests::records::{self, new_id};
use stegvis_tests::*;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use uuid::Uuid;

const MUTATIONS: usize = 400;

/// POST the push over a raw connection, signal once the whole request is
/// written, then read the answer; `None` if the connection died first.
async fn raw_push(base_url: String, token: String, body: Vec<u8>, sent: oneshot::Sender<()>) -> Option<(u16, Value)> {
    let authority = raw::authority(&base_url);
    let mut stream = TcpStream::connect(&authority).await.unwrap();
    let auth = format!("Bearer {token}");
    let length = body.len().to_string();
    let mut request = raw::head(
        "POST",
        "/api/v1/sync/push",
        &authority,
        &[("Authorization", &auth), ("Content-Type", "application/json"), ("Content-Length", &length)],
    );
    request.extend(body);
    let written = async {
        stream.write_all(&request).await?;
        stream.flush().await
    }
    .await;
    let _ = sent.send(());
    written.ok()?;
    raw::read_response(&mut stream).await
}

/// 400 participant mutations into `program`.
fn batch(device: &Device, program: Uuid) -> Vec<Value> {
    (0..MUTATIONS)
        .map(|i| {
            let mut data = records::participant();
            data["display_name"] = json!(format!("Deltagare {i:03}"));
            device.create(program, "participant", new_id(), data)
        })
        .collect()
}

/// Time one 400-mutation push (into program2, which the coach, who checks
/// the outcome, cannot see), then crash the real one `fraction` of that
/// time after it is sent: 0 is at once, above 1 is most likely after it
/// completed.
async fn crash_mid_push_then_retry(fraction: f64) {
    let mut w = fixture().await;
    let timing = Device::new();
    let started = std::time::Instant::now();
    w.office.push_applied(&timing, &batch(&timing, w.program2)).await;
    let kill_delay = started.elapsed().mul_f64(fraction);

    let device = Device::new();
    let mutations = batch(&device, w.program);
    let ids: BTreeSet<Uuid> = mutations.iter().map(|m| uuid_of(&m["record_id"])).collect();
    let body = serde_json::to_vec(&json!({"device_id": device.id, "mutations": mutations})).unwrap();

    let (sent_tx, sent_rx) = oneshot::channel();
    let push = tokio::spawn(raw_push(w.base_url().to_owned(), w.office.token().to_owned(), body, sent_tx));
    sent_rx.await.unwrap();
    // Timing the crash, not waiting for anything to be ready.
    tokio::time::sleep(kill_delay).await;
    w.server.kill().await;
    let first = push.await.unwrap();
    let first_results: Option<Vec<Value>> = match &first {
        Some((200, body)) => Some(body["results"].as_array().unwrap().clone()),
        Some((status, body)) => panic!("the interrupted push answered {status}: {body}"),
        None => None,
    };
    eprintln!(
        "kill after {kill_delay:?}: the first push {}",
        if first_results.is_some() { "completed before the kill" } else { "was cut off" }
    );

    w.restart().await;
    let results = w.office.push_ok(&device, &mutations).await;
    let mut counts = std::collections::BTreeMap::new();
    for r in &results {
        let status = r["status"].as_str().unwrap().to_owned();
        assert!(status == "applied" || status == "duplicate", "retry result {r}");
        *counts.entry(status).or_insert(0) += 1;
    }
    eprintln!("retry after restart: {counts:?}");
    if let Some(first) = first_results {
        for (a, b) in first.iter().zip(&results) {
            assert_eq!(assert_duplicate(b), assert_applied(a), "a duplicate answers the first version");
        }
    }

    let pulled = w.coach.pull_all(None).await;
    assert_eq!(pulled.records.len(), MUTATIONS, "exactly the pushed records, each once");
    assert_eq!(pulled.ids(), ids);
    for m in &mutations {
        let r = pulled.record(uuid_of(&m["record_id"]));
        assert_eq!(r["data"]["display_name"], m["data"]["display_name"], "{r}");
        assert_eq!(r["deleted"], json!(false));
    }
    // And the versions of a retry's duplicates are those the records carry.
    for (m, r) in mutations.iter().zip(&results) {
        let rec = pulled.record(uuid_of(&m["record_id"]));
        assert_eq!(rec["version"], r["version"], "{rec} vs {r}");
    }
}

#[tokio::test]
async fn sigkill_right_after_the_request_is_sent() {
    crash_mid_push_then_retry(0.0).await;
}

#[tokio::test]
async fn sigkill_halfway_through_the_push() {
    crash_mid_push_then_retry(0.5).await;
}

#[tokio::test]
async fn sigkill_near_the_end_of_the_push() {
    crash_mid_push_then_retry(0.9).await;
}

#[tokio::test]
async fn sigkill_after_the_push_most_likely_answered() {
    crash_mid_push_then_retry(1.5).await;
}
