//! Benchmark: the office reports on a program of 500 participants with a
//! year of daily attendance (issue 4, "Done when").
//!
//! Seeds the real server over HTTP (pushes of 500 mutations, as devices do):
//! 500 participants, 50 sites, one Monday–Friday placement each from
//! 1 December 2025 to 30 November 2026, an attendance mark on every planned
//! day (about 125,000), 150 exits spread over the year and follow-ups. Then
//! times, over several runs: the monthly attendance report (JSON, all 500
//! rows in one page), its CSV export, and the outcomes report of the year.
//!
//! Run with `cargo xtask bench` (release server); on PostgreSQL set
//! `STEGVIS_TEST_POSTGRES_URL`. Prints one `bench:` line per figure.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use stegvis_tests::records::attendance_id;
use stegvis_tests::{Api, Device, PASSWORD, Server, StatusCode, create_program, create_user};
use time::{Date, Month, Weekday};
use uuid::Uuid;

const PARTICIPANTS: usize = 500;
const SITES: usize = 50;
const EXITS: usize = 150;
const RUNS: usize = 15;

fn date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A cheap deterministic spread (no RNG needed for a fixed data set).
fn spread(a: usize, b: usize) -> usize {
    (a.wrapping_mul(2_654_435_761) ^ b.wrapping_mul(40_503)) % 100
}

fn status_of(p: usize, day: usize) -> &'static str {
    match spread(p, day) {
        0..=84 => "present",
        85..=89 => "late",
        90..=94 => "absent_sick",
        95..=97 => "absent_excused",
        _ => "absent_unexcused",
    }
}

async fn push_all(api: &Api, device: &Device, mutations: Vec<Value>) -> (usize, Duration) {
    let t = Instant::now();
    let n = mutations.len();
    for chunk in mutations.chunks(500) {
        let results = api.push_ok(device, chunk).await;
        assert!(results.iter().all(|r| r["status"] == json!("applied")), "a seed mutation was not applied");
    }
    (n, t.elapsed())
}

fn stats(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(samples[samples.len() / 2]);
    let p95 = ms(samples[(samples.len() * 95 / 100).min(samples.len() - 1)]);
    format!("median_ms={median:.1} p95_ms={p95:.1} min_ms={:.1} runs={}", ms(samples[0]), samples.len())
}

async fn time_get(api: &Api, path: &str) -> (Duration, Vec<Duration>, usize) {
    let t = Instant::now();
    let first = api.get(path).await;
    assert_eq!(first.status, StatusCode::OK, "{first}");
    let cold = t.elapsed();
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = api.get(path).await;
        assert_eq!(r.status, StatusCode::OK);
        runs.push(t.elapsed());
    }
    (cold, runs, first.text.len())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = Server::start().await;
    let base = server.base_url().to_owned();
    let org = server.create_org("Haninge kommun").await;
    server.create_admin(org, "admin", PASSWORD).await;
    let admin = Api::login(&base, "admin", PASSWORD, "bench").await;
    let program = create_program(&admin, org, "Etableringscentrum").await;
    create_user(&admin, "office", "office", &[program]).await;
    let office = Api::login(&base, "office", PASSWORD, "bench").await;
    let device = Device::new();

    let first = Date::from_calendar_date(2025, Month::December, 1).unwrap();
    let last = Date::from_calendar_date(2026, Month::November, 30).unwrap();
    let sites: Vec<Uuid> = (0..SITES).map(|_| Uuid::now_v7()).collect();
    let mut base_records = Vec::new();
    for (i, site) in sites.iter().enumerate() {
        base_records.push(device.create(program, "site", *site, json!({"employer": format!("Arbetsplats {i:02} AB")})));
    }
    let mut people = Vec::new();
    for p in 0..PARTICIPANTS {
        let (id, placement) = (Uuid::now_v7(), Uuid::now_v7());
        let exit = (p < EXITS).then(|| {
            let exit_day = first + time::Duration::days(30 + (p as i64 * 2));
            let outcome = ["job", "studies", "other"][spread(p, 7) % 3];
            (exit_day, outcome)
        });
        let mut data = json!({"display_name": format!("Deltagare {p:03}"), "languages": ["sv"],
                              "needs_interpreter": false, "status": "active", "started_on": "2025-11-03"});
        if let Some((exit_day, outcome)) = exit {
            data["status"] = json!("exited");
            data["exit"] = json!({"date": date(exit_day), "outcome": outcome});
        }
        base_records.push(device.create(program, "participant", id, data));
        let ends_on = exit.map_or(date(last), |(d, _)| date(d));
        base_records.push(device.create(
            program,
            "placement",
            placement,
            json!({"participant_id": id, "site_id": sites[p % SITES], "starts_on": date(first), "ends_on": ends_on,
                   "weekdays": [1, 2, 3, 4, 5], "hours_per_day": 6}),
        ));
        if p < EXITS / 2 {
            let status = ["job", "studies", "other", "unknown"][p % 4];
            base_records.push(device.create(
                program,
                "follow_up",
                Uuid::now_v7(),
                json!({"participant_id": id, "months_after_exit": 3, "status": status}),
            ));
        }
        people.push((id, placement, exit.map(|(d, _)| d).unwrap_or(last)));
    }
    let (n, took) = push_all(&office, &device, base_records).await;
    println!("bench: seed participants_sites_placements records={n} secs={:.1}", took.as_secs_f64());

    let mut marks = Vec::new();
    for (p, (id, placement, until)) in people.iter().enumerate() {
        let mut day = first;
        let mut k = 0;
        while day <= *until {
            if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
                let status = status_of(p, k);
                marks.push(device.create(
                    program,
                    "attendance",
                    attendance_id(*placement, &date(day)),
                    json!({"placement_id": placement, "participant_id": id, "date": date(day), "status": status}),
                ));
            }
            day = day.next_day().unwrap();
            k += 1;
        }
    }
    let (n, took) = push_all(&office, &device, marks).await;
    println!(
        "bench: seed attendance records={n} secs={:.1} records_per_sec={:.0}",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );

    let report = format!("/api/v1/reports/attendance?program_id={program}&month=2026-05&limit=500");
    let (cold, runs, bytes) = time_get(&office, &report).await;
    println!("bench: attendance_report month=2026-05 rows=500 cold_ms={:.1} {} bytes={bytes}", ms(cold), stats(runs));
    let export = format!("/api/v1/reports/attendance/export?program_id={program}&month=2026-05");
    let (cold, runs, bytes) = time_get(&office, &export).await;
    println!("bench: attendance_export month=2026-05 cold_ms={:.1} {} bytes={bytes}", ms(cold), stats(runs));
    let outcomes = format!("/api/v1/reports/outcomes?program_id={program}&from=2025-12-01&to=2026-11-30");
    let (cold, runs, _) = time_get(&office, &outcomes).await;
    println!("bench: outcomes_report year exited={EXITS} cold_ms={:.1} {}", ms(cold), stats(runs));
    let r = office.get(&outcomes).await;
    println!("bench: outcomes_report body {}", r.text);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
