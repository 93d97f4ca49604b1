//! API.md "Pull", completeness under load: six devices push many 25-record
//! batches at once while a seventh client pulls in a loop with its cursor;
//! once the pushes have ended and it has pulled until `has_more` is false,
//! it holds every acknowledged record. Prints push and pull throughput.
//!
//! `STEGVIS_CONCURRENCY_BATCHES` sets the batches per pusher (default 40).
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use stegvis_tests::records::{self, new_id};
use stegvis_tests::*;
use uuid::Uuid;

const PUSHERS: usize = 6;
const BATCH: usize = 25;

fn batches_per_pusher() -> usize {
    std::env::var("STEGVIS_CONCURRENCY_BATCHES").ok().and_then(|s| s.parse().ok()).unwrap_or(40)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pulling_client_misses_nothing_while_six_devices_push() {
    let w = fixture().await;
    let batches = batches_per_pusher();
    for i in 0..PUSHERS {
        create_user(&w.admin, &format!("pusher-{i}"), if i % 2 == 0 { "coach" } else { "office" }, &[w.program]).await;
    }
    let names: Vec<String> = (0..PUSHERS).map(|i| format!("pusher-{i}")).collect();
    let pushers: Vec<Api> =
        futures::future::join_all(names.iter().map(|n| Api::login(w.base_url(), n, PASSWORD, "phone"))).await;
    let program = w.program;

    let done = Arc::new(AtomicBool::new(false));
    let puller = {
        let api = w.office.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let mut cursor: Option<String> = None;
            let mut seen: HashSet<Uuid> = HashSet::new();
            let (mut pulls, mut pulled) = (0usize, 0usize);
            loop {
                // Read the flag before pulling: the last loop's pull started
                // after every push had been answered.
                let pushes_over = done.load(Ordering::SeqCst);
                let page = api.pull_page(cursor.as_deref(), Some(1000)).await;
                pulls += 1;
                pulled += page.records.len();
                seen.extend(page.records.iter().map(record_id));
                cursor = Some(page.cursor);
                if pushes_over && !page.has_more {
                    break;
                }
                assert!(pulls < 200_000, "the puller never caught up");
                assert!(started.elapsed() < Duration::from_secs(1200), "the puller ran too long");
            }
            (seen, pulls, pulled, started.elapsed())
        })
    };

    let push_started = Instant::now();
    let tasks: Vec<_> = pushers
        .into_iter()
        .map(|api| {
            tokio::spawn(async move {
                let device = Device::new();
                let mut acked = Vec::new();
                let mut versions = Vec::new();
                for b in 0..batches {
                    let mutations: Vec<Value> = (0..BATCH)
                        .map(|i| {
                            let mut data = records::participant();
                            data["display_name"] = json!(format!("P {b}-{i}"));
                            device.create(program, "participant", new_id(), data)
                        })
                        .collect();
                    let results = api.push_ok(&device, &mutations).await;
                    for (m, r) in mutations.iter().zip(&results) {
                        versions.push(assert_applied(r));
                        acked.push(uuid_of(&m["record_id"]));
                    }
                }
                (acked, versions)
            })
        })
        .collect();
    let mut acked: Vec<Uuid> = Vec::new();
    let mut versions: Vec<i64> = Vec::new();
    for t in tasks {
        let (ids, vs) = t.await.unwrap();
        acked.extend(ids);
        versions.extend(vs);
    }
    let push_elapsed = push_started.elapsed();
    done.store(true, Ordering::SeqCst);
    let (seen, pulls, pulled, pull_elapsed) = puller.await.unwrap();

    assert_eq!(acked.len(), PUSHERS * batches * BATCH);
    let distinct: HashSet<i64> = versions.iter().copied().collect();
    assert_eq!(distinct.len(), versions.len(), "two changes got the same version");
    let missing: Vec<&Uuid> = acked.iter().filter(|id| !seen.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "the puller misses {} of {} acknowledged records, e.g. {:?}",
        missing.len(),
        acked.len(),
        &missing[..missing.len().min(5)]
    );
    let acked_set: HashSet<Uuid> = acked.iter().copied().collect();
    assert!(seen.is_subset(&acked_set), "pulled records nobody pushed");

    // A fresh device pulling everything afterwards.
    let fresh_started = Instant::now();
    let fresh = w.login("office", "fresh desktop").await.pull_all_with(None, Some(5000)).await;
    let fresh_elapsed = fresh_started.elapsed();
    assert_eq!(fresh.ids().len(), acked.len());
    assert_eq!(fresh.records.len(), acked.len(), "each record once");

    let rate = |n: usize, d: Duration| n as f64 / d.as_secs_f64().max(1e-9);
    eprintln!(
        "push: {} records in {} batches of {BATCH} from {PUSHERS} devices in {:.2?} = {:.0} records/s",
        acked.len(),
        PUSHERS * batches,
        push_elapsed,
        rate(acked.len(), push_elapsed)
    );
    eprintln!(
        "concurrent pull: {pulled} records in {pulls} pulls over {:.2?} ({:.0} records/s)",
        pull_elapsed,
        rate(pulled, pull_elapsed)
    );
    eprintln!(
        "fresh full pull: {} records in {} pages in {:.2?} = {:.0} records/s",
        fresh.records.len(),
        fresh.pages,
        fresh_elapsed,
        rate(fresh.records.len(), fresh_elapsed)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_puts_to_the_same_days_end_with_the_highest_clock() {
    // Six devices mark the same eight attendance days over and over, at
    // once, each put with a null base (every field changed). Whatever the
    // arrival order, each field ends with the value of the highest HLC: a
    // lost update under concurrency would leave another value.
    const DAYS: i64 = 8;
    const ROUNDS: usize = 12;
    let statuses = ["present", "late", "absent_sick", "absent_excused", "absent_unexcused"];
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let base_ms = now_ms() - 200_000;
    let mut per_device: Vec<(Api, Device, Vec<Vec<Value>>)> = Vec::new();
    for p in 0..PUSHERS {
        let api = w.login(if p % 2 == 0 { "coach" } else { "office" }, "phone").await;
        let device = Device::new();
        let mut rounds = Vec::new();
        for round in 0..ROUNDS {
            let batch: Vec<Value> = (0..DAYS)
                .map(|d| {
                    let k = (p * ROUNDS + round) as i64 * DAYS + d;
                    let date = records::day(d);
                    let mut data = records::attendance(refs.placement, refs.participant, &date);
                    data["status"] = json!(statuses[(k % 5) as usize]);
                    data["hours"] = json!(k % 8 + 1);
                    data["note"] = json!(format!("k{k}"));
                    let m = device.create(w.program, "attendance", records::attendance_id(refs.placement, &date), data);
                    // Clocks scattered over the last 200 s, unique per k.
                    stegvis_tests::with_hlc(m, device.hlc_at(base_ms + (k * 7919) % 199_999))
                })
                .collect();
            rounds.push(batch);
        }
        per_device.push((api, device, rounds));
    }
    let mut winners: std::collections::HashMap<Value, Value> = std::collections::HashMap::new();
    for (_, _, rounds) in &per_device {
        for m in rounds.iter().flatten() {
            let entry = winners.entry(m["record_id"].clone()).or_insert_with(|| m.clone());
            if m["hlc"].as_str() > entry["hlc"].as_str() {
                *entry = m.clone();
            }
        }
    }
    let tasks: Vec<_> = per_device
        .into_iter()
        .map(|(api, device, rounds)| {
            tokio::spawn(async move {
                for batch in rounds {
                    api.push_applied(&device, &batch).await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let pulled = w.office.pull_all(None).await;
    let attendance: Vec<&Value> = pulled.records.iter().filter(|r| r["kind"] == json!("attendance")).collect();
    assert_eq!(attendance.len(), DAYS as usize, "one record per day");
    for (id, winner) in &winners {
        let r = pulled.record(uuid_of(id));
        for field in ["status", "note", "hours"] {
            let got = &r["data"][field];
            let want = &winner["data"][field];
            let same = got == want || (got.as_f64().is_some() && got.as_f64() == want.as_f64());
            assert!(same, "{field}: expected {want} (hlc {}), got {got}: {r}", winner["hlc"]);
        }
        assert_eq!(r["conflict"], json!(true), "{r}");
    }
}
