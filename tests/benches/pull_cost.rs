//! Benchmark: the cost of a pull as the database grows (issue 5): 10
//! thousand, 100 thousand and 1 million records.
//!
//! For each size N, a fresh server and database: program P gets N valid
//! participant records, bulk-inserted straight into the database (the push
//! path is measured elsewhere; here only the size matters) with versions
//! 1..N and the version counter moved past them. Program Q gets 1,000
//! participants pushed over HTTP. Then, over several runs:
//!
//! - `first_page`: a member of P pulls from no cursor, 1,000 records;
//! - `other_program_full`: a member of Q only pulls all of Q (1,000 records)
//!   while P's N records sit beside them;
//! - `tail`: that member, synced, pulls again after 10 new records in Q;
//! - `full_sync`: the member of P pulls all N+ records, page by page (5,000),
//!   once (records/s).
//!
//! Run with `cargo xtask bench` (release server); PostgreSQL with
//! `STEGVIS_TEST_POSTGRES_URL` (`cargo xtask bench --postgres`). `PULL_COST_SIZES`
//! (e.g. `10000,100000`) picks other sizes.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::json;
use stegvis_tests::db::Db;
use stegvis_tests::{Api, Device, PASSWORD, Server, StatusCode, create_program, create_user};
use uuid::Uuid;

const RUNS: usize = 15;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let median = ms(samples[samples.len() / 2]);
    let p95 = ms(samples[(samples.len() * 95 / 100).min(samples.len() - 1)]);
    format!("median_ms={median:.2} p95_ms={p95:.2} min_ms={:.2}", ms(samples[0]))
}

/// N participant records of `program` with versions 1..=N, written by `user`.
async fn bulk_insert(db: &Db, program: Uuid, user: Uuid, n: u64) {
    let data = "'{\"display_name\":\"Deltagare ' || x || '\",\"languages\":[\"sv\"],\"needs_interpreter\":false,\
                \"started_on\":\"2026-01-12\",\"status\":\"active\"}'";
    let columns = "id, program_id, kind, version, deleted, conflict, data, stamps, updated_at, updated_by";
    let sql = match db {
        Db::Sqlite(_) => {
            let hex = |id: Uuid| id.simple().to_string().to_uppercase();
            format!(
                "WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < {n}) \
                 INSERT INTO records ({columns}) SELECT randomblob(16), X'{}', 'participant', x, 0, 0, {data}, '{{}}', \
                 1790000000000, X'{}' FROM seq",
                hex(program),
                hex(user)
            )
        }
        Db::Postgres(_) => format!(
            "INSERT INTO records ({columns}) SELECT gen_random_uuid(), '{program}', 'participant', x, false, false, \
             ({data})::jsonb, '{{}}'::jsonb, 1790000000000, '{user}' FROM generate_series(1, {n}) AS x"
        ),
    };
    db.execute(&sql).await.unwrap();
    db.execute(&format!("UPDATE version_counter SET value = {n} WHERE id = 1")).await.unwrap();
    db.execute("ANALYZE").await.unwrap();
}

async fn timed_pull(api: &Api, cursor: Option<&str>, limit: i64) -> (Duration, usize, String, bool) {
    let t = Instant::now();
    let page = api.pull_page(cursor, Some(limit)).await;
    (t.elapsed(), page.records.len(), page.cursor, page.has_more)
}

async fn one_size(n: u64) {
    let server = Server::start().await;
    let base = server.base_url().to_owned();
    let org = server.create_org("Region Stockholm").await;
    server.create_admin(org, "admin", PASSWORD).await;
    let admin = Api::login(&base, "admin", PASSWORD, "bench").await;
    let big = create_program(&admin, org, "Stora programmet").await;
    let small = create_program(&admin, org, "Lilla programmet").await;
    let big_reader = create_user(&admin, "office-big", "office", &[big]).await;
    create_user(&admin, "coach-small", "coach", &[small]).await;
    let office = Api::login(&base, "office-big", PASSWORD, "bench").await;
    let coach = Api::login(&base, "coach-small", PASSWORD, "bench").await;

    let t = Instant::now();
    let db = Db::connect(server.db_url()).await;
    bulk_insert(&db, big, big_reader, n).await;
    println!("bench: pull_cost n={n} bulk_insert_secs={:.1}", t.elapsed().as_secs_f64());

    let device = Device::new();
    let mutations: Vec<_> = (0..1000)
        .map(|i| {
            device.create(
                small,
                "participant",
                Uuid::now_v7(),
                json!({"display_name": format!("Deltagare {i}"), "languages": ["sv"], "needs_interpreter": false,
                       "started_on": "2026-01-12", "status": "active"}),
            )
        })
        .collect();
    for chunk in mutations.chunks(500) {
        coach.push_ok(&device, chunk).await;
    }

    let mut first_page = Vec::new();
    for _ in 0..RUNS {
        let (took, count, _, has_more) = timed_pull(&office, None, 1000).await;
        assert_eq!(count, 1000);
        assert!(has_more);
        first_page.push(took);
    }
    println!("bench: pull_cost n={n} first_page records=1000 {}", stats(first_page));

    let mut other = Vec::new();
    let mut head = String::new();
    for _ in 0..RUNS {
        let (took, count, cursor, has_more) = timed_pull(&coach, None, 5000).await;
        assert_eq!((count, has_more), (1000, false));
        other.push(took);
        head = cursor;
    }
    println!("bench: pull_cost n={n} other_program_full records=1000 {}", stats(other));

    let mut tail = Vec::new();
    for _ in 0..RUNS {
        let batch: Vec<_> = (0..10)
            .map(|i| {
                device.create(
                    small,
                    "participant",
                    Uuid::now_v7(),
                    json!({"display_name": format!("Ny {i}"), "languages": ["sv"], "needs_interpreter": false,
                           "started_on": "2026-01-12", "status": "active"}),
                )
            })
            .collect();
        coach.push_ok(&device, &batch).await;
        let (took, count, cursor, has_more) = timed_pull(&coach, Some(&head), 1000).await;
        assert_eq!((count, has_more), (10, false));
        tail.push(took);
        head = cursor;
    }
    println!("bench: pull_cost n={n} tail records=10 {}", stats(tail));

    let t = Instant::now();
    let mut cursor: Option<String> = None;
    let mut total = 0usize;
    loop {
        let resp = office.pull(cursor.as_deref(), Some(5000)).await;
        assert_eq!(resp.status, StatusCode::OK, "{resp}");
        let page = Api::check_page(&resp);
        total += page.records.len();
        cursor = Some(page.cursor.clone());
        if !page.has_more {
            break;
        }
    }
    let took = t.elapsed();
    assert_eq!(total as u64, n);
    println!(
        "bench: pull_cost n={n} full_sync records={total} secs={:.1} records_per_sec={:.0}",
        took.as_secs_f64(),
        total as f64 / took.as_secs_f64()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sizes: Vec<u64> = std::env::var("PULL_COST_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
    let database = if std::env::var_os("STEGVIS_TEST_POSTGRES_URL").is_some() { "postgres" } else { "sqlite" };
    println!("bench: pull_cost database={database} sizes={sizes:?}");
    for n in sizes {
        one_size(n).await;
    }
}
