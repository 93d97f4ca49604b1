//! Several `stegvis` processes on one database (PostgreSQL in a region; the
//! same holds for SQLite files): devices pushing to either instance and
//! pulling from the other miss nothing, and one mutation sent to both at once
//! applies exactly once. Run on both backends by `cargo xtask test`.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};
use stegvis_tests::records::{self, new_id};
use stegvis_tests::*;
use uuid::Uuid;

const BATCH: usize = 25;
const BATCHES: usize = 12;

/// Pulls from `api` in a loop until `done` was set before a pull that had no more.
fn spawn_puller(api: Api, done: Arc<AtomicBool>) -> tokio::task::JoinHandle<HashSet<Uuid>> {
    tokio::spawn(async move {
        let mut cursor: Option<String> = None;
        let mut seen = HashSet::new();
        for _ in 0..100_000 {
            let over = done.load(Ordering::SeqCst);
            let page = api.pull_page(cursor.as_deref(), Some(500)).await;
            seen.extend(page.records.iter().map(record_id));
            cursor = Some(page.cursor);
            if over && !page.has_more {
                return seen;
            }
        }
        panic!("the puller never caught up");
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn devices_on_two_instances_see_every_change_of_the_other() {
    let w = fixture().await;
    let second = w.server.another_instance().await;
    let (a, b) = (w.base_url().to_owned(), second.base_url().to_owned());
    for i in 0..4 {
        create_user(&w.admin, &format!("twin-{i}"), "coach", &[w.program]).await;
    }
    let done = Arc::new(AtomicBool::new(false));
    // The office user pulls from both instances while devices push to both.
    let pull_a = spawn_puller(Api::login(&a, "office", PASSWORD, "desk A").await, done.clone());
    let pull_b = spawn_puller(Api::login(&b, "office", PASSWORD, "desk B").await, done.clone());
    let mut tasks = Vec::new();
    for i in 0..4 {
        let url = if i % 2 == 0 { a.clone() } else { b.clone() };
        let api = Api::login(&url, &format!("twin-{i}"), PASSWORD, "phone").await;
        let program = w.program;
        tasks.push(tokio::spawn(async move {
            let device = Device::new();
            let mut acked = Vec::new();
            for n in 0..BATCHES {
                let batch: Vec<Value> = (0..BATCH)
                    .map(|k| {
                        let mut data = records::participant();
                        data["display_name"] = json!(format!("T{i} {n}-{k}"));
                        device.create(program, "participant", new_id(), data)
                    })
                    .collect();
                for (m, r) in batch.iter().zip(api.push_ok(&device, &batch).await) {
                    assert_applied(&r);
                    acked.push(uuid_of(&m["record_id"]));
                }
            }
            acked
        }));
    }
    let mut acked = HashSet::new();
    for t in tasks {
        acked.extend(t.await.unwrap());
    }
    done.store(true, Ordering::SeqCst);
    let (seen_a, seen_b) = (pull_a.await.unwrap(), pull_b.await.unwrap());
    assert_eq!(acked.len(), 4 * BATCHES * BATCH);
    for (name, seen) in [("instance A", &seen_a), ("instance B", &seen_b)] {
        let missing = acked.difference(seen).count();
        assert_eq!(missing, 0, "the puller on {name} misses {missing} of {} acknowledged records", acked.len());
        assert!(seen.is_subset(&acked), "{name} returned records nobody pushed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_mutation_sent_to_both_instances_at_once_applies_once() {
    let w = fixture().await;
    let second = w.server.another_instance().await;
    let on_a = w.login("coach", "phone").await;
    let on_b = Api::login(second.base_url(), "coach", PASSWORD, "phone").await;
    let device = Device::new();
    for round in 0..10 {
        let mut data = records::participant();
        data["display_name"] = json!(format!("Twin {round}"));
        let m = device.create(w.program, "participant", new_id(), data);
        let (ra, rb) = tokio::join!(
            on_a.push_ok(&device, std::slice::from_ref(&m)),
            on_b.push_ok(&device, std::slice::from_ref(&m))
        );
        let statuses: HashSet<&str> = [ra[0]["status"].as_str().unwrap(), rb[0]["status"].as_str().unwrap()].into();
        assert_eq!(statuses, HashSet::from(["applied", "duplicate"]), "round {round}: {ra:?} / {rb:?}");
        assert_eq!(ra[0]["version"], rb[0]["version"], "both answers name the one version");
        let record = uuid_of(&m["record_id"]);
        let history = w.office.get(&format!("/api/v1/records/{record}/history")).await;
        let versions = history.expect(StatusCode::OK)["versions"].as_array().unwrap().len();
        assert_eq!(versions, 1, "round {round}: applied more than once: {history}");
    }
}
