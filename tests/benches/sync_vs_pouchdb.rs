//! Benchmark (issue 6): Stegvis's sync side by side with PouchDB replication,
//! in the same headless Chromium, on the same machine, in the same run.
//!
//! Data: N (10,000) generated attendance-shaped records per program (a site,
//! 20 participants, 20 placements, the rest attendance marks with a note;
//! about 550 bytes of JSON each as pulled). PouchDB's copy is the same
//! records as the Stegvis server returns them (`{_id, kind, program_id, data}`),
//! so both sides hold the same content.
//!
//! Paired and interleaved (ABBA: pair i runs A then B when i is even, B then
//! A when odd), `SYNC_BENCH_PAIRS` (5) pairs; min, median and the per-pair
//! ratio are printed, and written to docs/BENCHMARKS.md between the
//! `bench:sync_vs_pouchdb` markers:
//!
//! 1. Server push: N records over HTTP in batches of 500 into a fresh
//!    program (records/s) versus a raw SQLite insert of the same rows (one
//!    prepared INSERT per row, one transaction, WAL, as the server opens it).
//! 2. Initial pull into an empty browser: the built app's own sync engine
//!    (its `stegvis:sync` User Timing measure; login and first paint are not
//!    in it) versus `PouchDB.replicate.from` with the `indexeddb` adapter;
//!    and the floors in the same browser: one `fetch` of all N records plus
//!    one IndexedDB transaction, and N puts in one transaction.
//! 3. Push of N records made offline: the app (N attendance marks saved
//!    through `Repo::save` by the bench-only hook, then its `stegvis:push`
//!    measure) versus `replicate.to` of N docs.
//! 4. A small delta (200 changes on the server, 50 new on the device) and a
//!    no-op sync, both two-way.
//! 5. Saving one record: the note form's submit to its "saved" toast, timed
//!    in the page, versus one IndexedDB transaction with one put.
//! 6. Requests and body bytes on the wire, both ways; wasm and js sizes.
//!
//! Every timed run is checked: record counts and the content hash
//! (`shared::check`: SHA-256 of `id TAB data` lines) match on both sides,
//! and a re-sent batch creates nothing.
//!
//! Needs the bench build of the app (`STEGVIS_DIST_DIR`, with the `bench`
//! feature's hook), `node` and `bench/pouchdb/node_modules`: `cargo xtask
//! bench sync_vs_pouchdb` prepares all of it.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::str::FromStr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use stegvis_tests::browser::{self, Browser, tid};
use stegvis_tests::records::attendance_id;
use stegvis_tests::server::{TempDir, workspace_root};
use stegvis_tests::{Api, Device, PASSWORD, Server, create_program, create_user};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;

const PARTICIPANTS: usize = 20;
const PUSH_BATCH: usize = 500;
const SERVER_CHANGES: usize = 200;
const DEVICE_CHANGES: u32 = 50;
/// Saves compared per pair.
const SAVES_PER_PAIR: usize = 2;
const NOTE: &str = "Kom i tid och arbetade med varumottagning och inventering; handledaren är nöjd. \
                    Fortsätter med truckutbildningen nästa vecka enligt planen.";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

// ------------------------------------------------------------------ figures

/// Samples of one measured thing, in milliseconds.
#[derive(Debug, Default, Clone)]
struct Samples(Vec<f64>);

impl Samples {
    fn push(&mut self, ms: f64) {
        self.0.push(ms);
    }
    fn sorted(&self) -> Vec<f64> {
        let mut v = self.0.clone();
        v.sort_by(f64::total_cmp);
        v
    }
    fn min(&self) -> f64 {
        self.sorted().first().copied().unwrap_or(f64::NAN)
    }
    fn median(&self) -> f64 {
        let v = self.sorted();
        match v.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    }
}

/// Per-pair ratios a/b.
fn ratios(a: &Samples, b: &Samples) -> Samples {
    Samples(a.0.iter().zip(&b.0).map(|(x, y)| x / y).collect())
}

fn ratio_list(r: &Samples) -> String {
    r.0.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join(" ")
}

/// What the table is made of.
#[derive(Debug, Default)]
struct Results {
    server_push_ms: Samples,
    raw_insert_ms: Samples,
    stegvis_pull: Samples,
    pouch_pull: Samples,
    floor_fetch_tx: Samples,
    floor_puts: Samples,
    stegvis_push: Samples,
    pouch_push: Samples,
    stegvis_delta: Samples,
    pouch_delta: Samples,
    stegvis_noop: Samples,
    pouch_noop: Samples,
    app_save: Samples,
    /// The storage part of the same saves (the app's `stegvis:save` measure).
    app_save_storage: Samples,
    floor_save: Samples,
    /// (label, requests, bytes sent, bytes received) of one run each.
    wire: Vec<(String, u64, u64, u64)>,
}

// ------------------------------------------------------------------ data

fn day(n: usize) -> String {
    let d = time::Date::from_calendar_date(2024, time::Month::January, 1).unwrap() + time::Duration::days(n as i64);
    d.to_string()
}

/// Creates for a program: a site, 20 participants, 20 placements and
/// `n - 41` attendance marks (all of them when `marks` is true; else only
/// the 41 without marks).
fn dataset(program: Uuid, device: &Device, n: usize, marks: bool) -> Vec<Value> {
    let site = Uuid::now_v7();
    let mut out = vec![device.create(
        program,
        "site",
        site,
        json!({"employer": "Lagret Jordbro AB", "address": "Industrivägen 4, Jordbro", "supervisor_name": "Per L",
               "supervisor_phone": "+46 70 123 45 67"}),
    )];
    let mut placements = Vec::new();
    for i in 0..PARTICIPANTS {
        let participant = Uuid::now_v7();
        out.push(device.create(
            program,
            "participant",
            participant,
            json!({"display_name": format!("Deltagare {i:02}"), "languages": ["ar", "sv"], "needs_interpreter": false,
                   "coach_id": null, "status": "active", "started_on": "2024-01-02"}),
        ));
        let placement = Uuid::now_v7();
        out.push(device.create(
            program,
            "placement",
            placement,
            json!({"participant_id": participant, "site_id": site, "starts_on": "2024-01-01",
                   "weekdays": [1, 2, 3, 4, 5, 6, 7], "hours_per_day": 6.5, "focus": "lager och logistik"}),
        ));
        placements.push((placement, participant));
    }
    let base = out.len();
    if marks {
        for k in 0..n.saturating_sub(base) {
            let (placement, participant) = placements[k % PARTICIPANTS];
            let date = day(k / PARTICIPANTS);
            let hours = [6.5, 4.5, 7.25][k % 3];
            out.push(device.create(
                program,
                "attendance",
                attendance_id(placement, &date),
                json!({"placement_id": placement, "participant_id": participant, "date": date,
                       "status": "present", "hours": hours, "note": NOTE}),
            ));
        }
    }
    out
}

/// `(count, SHA-256 hex)` of `shared::check`'s text over `(id, data)`.
fn check_of<'a>(items: impl IntoIterator<Item = (Uuid, &'a Value)>) -> (usize, String) {
    let items: Vec<(Uuid, &Value)> = items.into_iter().collect();
    let text = shared::check::content_text(items.iter().copied());
    let hash = Sha256::digest(text.as_bytes());
    (items.len(), hash.iter().map(|b| format!("{b:02x}")).collect())
}

fn record_check(records: &[Value]) -> (usize, String) {
    check_of(records.iter().map(|r| (Uuid::parse_str(r["id"].as_str().unwrap()).unwrap(), &r["data"])))
}

// ------------------------------------------------------------------ the server side

/// A program with its own coach, seeded over HTTP; returns the push time.
struct Program {
    id: Uuid,
    coach: String,
}

async fn push_all(api: &Api, device: &Device, mutations: &[Value]) -> Duration {
    let t = Instant::now();
    for chunk in mutations.chunks(PUSH_BATCH) {
        let results = api.push_ok(device, chunk).await;
        for r in &results {
            assert_eq!(r["status"], "applied", "push refused a generated record: {r}");
        }
    }
    t.elapsed()
}

/// The raw-insert floor: the same rows into a `records` table of the same
/// shape, one prepared INSERT per row, one transaction.
async fn raw_insert(path: &Path, records: &[Value]) -> Duration {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .unwrap()
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    sqlx::query(
        "CREATE TABLE records (id BLOB PRIMARY KEY, program_id BLOB NOT NULL, kind TEXT NOT NULL, \
         version INTEGER NOT NULL, deleted INTEGER NOT NULL, conflict INTEGER NOT NULL, data TEXT NOT NULL, \
         stamps TEXT NOT NULL, updated_at INTEGER NOT NULL, updated_by BLOB NOT NULL)",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("CREATE INDEX records_program_version ON records(program_id, version)").execute(&pool).await.unwrap();
    let rows: Vec<(Uuid, Uuid, String, i64, String, Uuid)> = records
        .iter()
        .map(|r| {
            let id = |k: &str| Uuid::parse_str(r[k].as_str().unwrap()).unwrap();
            (
                id("id"),
                id("program_id"),
                r["kind"].as_str().unwrap().to_owned(),
                r["version"].as_i64().unwrap(),
                r["data"].to_string(),
                id("updated_by"),
            )
        })
        .collect();
    let t = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    for (id, program, kind, version, data, by) in &rows {
        sqlx::query("INSERT INTO records VALUES (?, ?, ?, ?, 0, 0, ?, '{}', 1790000000000, ?)")
            .bind(id)
            .bind(program)
            .bind(kind)
            .bind(version)
            .bind(data)
            .bind(by)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let took = t.elapsed();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records").fetch_one(&pool).await.unwrap();
    assert_eq!(count as usize, records.len(), "raw insert: row count");
    pool.close().await;
    took
}

// ------------------------------------------------------------------ PouchDB's server

struct PouchServer {
    _child: Child,
    base: String,
    dir: TempDir,
    http: reqwest::Client,
}

impl PouchServer {
    async fn start() -> PouchServer {
        let dir = TempDir::new();
        std::fs::create_dir_all(dir.path().join("files")).unwrap();
        let script = workspace_root().join("bench/pouchdb/server.js");
        assert!(
            workspace_root().join("bench/pouchdb/node_modules/pouchdb").is_dir(),
            "bench/pouchdb/node_modules is missing: `cargo xtask bench sync_vs_pouchdb` installs it (npm ci)"
        );
        let mut child = Command::new("node")
            .arg(&script)
            .args(["--port", "0", "--dir"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("cannot start node (is Node.js installed? `cargo xtask setup` installs it)");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(port) = line.strip_prefix("listening ") {
                    return port.trim().to_owned();
                }
            }
            panic!("the PouchDB server ended before listening");
        })
        .await
        .expect("the PouchDB server did not listen within 30 s");
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        PouchServer { _child: child, base: format!("http://127.0.0.1:{port}"), dir, http: reqwest::Client::new() }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join("files").join(name)
    }

    /// Creates database `db` holding `docs`; returns their revisions by id.
    async fn load(&self, db: &str, docs: &[Value]) {
        let r = self.http.put(format!("{}/db/{db}", self.base)).send().await.unwrap();
        assert!(r.status().is_success(), "PUT /db/{db}: {}", r.status());
        for chunk in docs.chunks(1000) {
            let r = self
                .http
                .post(format!("{}/db/{db}/_bulk_docs", self.base))
                .json(&json!({"docs": chunk}))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success(), "_bulk_docs into {db}: {}", r.status());
        }
    }

    async fn all_docs(&self, db: &str) -> Vec<Value> {
        let r: Value = self
            .http
            .get(format!("{}/db/{db}/_all_docs?include_docs=true", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["rows"].as_array().unwrap().iter().map(|row| row["doc"].clone()).collect()
    }

    async fn check(&self, db: &str) -> (usize, String) {
        let docs = self.all_docs(db).await;
        check_of(docs.iter().map(|d| (Uuid::parse_str(d["_id"].as_str().unwrap()).unwrap(), &d["data"])))
    }

    /// Changes the note of the first `n` docs of `db` on the server.
    async fn change(&self, db: &str, n: usize, note: &str) {
        let docs: Vec<Value> = self
            .all_docs(db)
            .await
            .into_iter()
            .filter(|d| d["kind"] == "attendance")
            .take(n)
            .map(|mut d| {
                d["data"]["note"] = json!(note);
                d
            })
            .collect();
        let r = self.http.post(format!("{}/db/{db}/_bulk_docs", self.base)).json(&json!({"docs": docs})).send().await;
        assert!(r.unwrap().status().is_success(), "server-side changes in {db}");
    }
}

/// A PouchDB run's requests and body bytes, for the wire table.
fn pouch_wire(what: &str, run: &Value) -> (String, u64, u64, u64) {
    let net = &run["net"];
    let n = |k: &str| net[k].as_u64().unwrap();
    (what.to_owned(), n("requests"), n("up"), n("down"))
}

fn pouch_doc(record: &Value) -> Value {
    json!({"_id": record["id"], "kind": record["kind"], "program_id": record["program_id"], "data": record["data"]})
}

// ------------------------------------------------------------------ browsers

/// Runs `body` (an async function body with `args`) in the page; polls for
/// its result, so a run may take longer than WebDriver's script timeout.
async fn job(b: &Browser, body: &str, args: Value) -> Value {
    let script = format!(
        "window.__jobResult = undefined; const args = arguments[0]; \
         (async () => {{ {body} }})().then(ok => {{ window.__jobResult = {{ ok }}; }}, \
         e => {{ window.__jobResult = {{ err: String((e && e.stack) || e) }}; }}); return true;"
    );
    b.js_with(&script, vec![args]).await;
    let deadline = Instant::now() + Duration::from_secs(900);
    loop {
        let r = b.js("return window.__jobResult === undefined ? null : window.__jobResult;").await;
        if !r.is_null() {
            if let Some(err) = r.get("err") {
                b.fail(&format!("in-page job failed: {err}\njob: {body}")).await;
            }
            return r["ok"].clone();
        }
        if Instant::now() > deadline {
            b.fail(&format!("in-page job still running after 900 s: {body}")).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn common_js() -> String {
    std::fs::read_to_string(workspace_root().join("bench/pouchdb/page/common.js")).unwrap()
}

/// The app in a fresh profile, logged in as `username`, its first sync done.
async fn app_device(server: &Server, name: &str, username: &str) -> Browser {
    let b = Browser::start(name, server.base_url()).await;
    b.goto("/").await;
    b.wait_for_timeout("login-username", Duration::from_secs(90)).await;
    b.js(&common_js()).await;
    b.js("benchNet.reset(); return true;").await;
    b.fill("login-username", username).await;
    b.fill("login-password", PASSWORD).await;
    b.click("login-submit").await;
    b.wait_for_timeout("today", Duration::from_secs(90)).await;
    b
}

/// The `index`-th (from 1) `name` measure: `(duration ms, detail)`.
async fn measure(b: &Browser, name: &str, index: usize) -> (f64, Value) {
    let script = format!("return performance.getEntriesByName('{name}').map(e => [e.duration, e.detail || null]);");
    let entries = b
        .wait_until(&format!("measure {name} #{index}"), Duration::from_secs(900), async || {
            let v = b.js(&script).await;
            v.as_array().filter(|a| a.len() >= index).cloned()
        })
        .await;
    let entry = &entries[index - 1];
    (entry[0].as_f64().unwrap(), entry[1].clone())
}

/// Every `stegvis:*` measure so far, by name: count and total milliseconds
/// (where the time of a sync goes).
async fn breakdown(b: &Browser) -> String {
    let v = b
        .js("const out = {}; for (const e of performance.getEntriesByType('measure')) { \
             if (!e.name.startsWith('stegvis:')) continue; \
             const o = out[e.name] || (out[e.name] = [0, 0]); o[0] += 1; o[1] += e.duration; } return out;")
        .await;
    let mut parts: Vec<String> = v
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, nv)| format!("{name}={}x{:.0}ms", nv[0], nv[1].as_f64().unwrap_or(0.0)))
        .collect();
    parts.sort();
    parts.join(" ")
}

async fn measures(b: &Browser, name: &str) -> usize {
    b.js(&format!("return performance.getEntriesByName('{name}').length;")).await.as_u64().unwrap() as usize
}

/// Syncs now and returns the new `stegvis:sync` measure (and `stegvis:push`'s).
async fn app_sync(b: &Browser) -> ((f64, Value), (f64, Value)) {
    let before = measures(b, "stegvis:sync").await;
    b.js("window.stegvisBench.syncNow(); return true;").await;
    let sync = measure(b, "stegvis:sync", before + 1).await;
    let push = measure(b, "stegvis:push", before + 1).await;
    assert_eq!(sync.1["ok"], json!(1), "the sync failed: {}", sync.1);
    (sync, push)
}

/// The app's own content check (settings): `(count, SHA-256)`.
async fn app_check(b: &Browser) -> (usize, String) {
    b.click("nav-settings").await;
    b.wait_for("check-local-data").await;
    b.click("check-local-data").await;
    let el = b.wait_for_timeout("local-data-check", Duration::from_secs(300)).await;
    let count = el.attr("data-count").await.unwrap().unwrap().parse().unwrap();
    let sha = el.attr("data-sha256").await.unwrap().unwrap();
    b.click("nav-today").await;
    b.wait_for("today").await;
    (count, sha)
}

async fn net(b: &Browser, url_part: &str) -> (u64, u64, u64) {
    let v = b.js(&format!("return benchNet.read('{url_part}');")).await;
    (v["requests"].as_u64().unwrap(), v["up"].as_u64().unwrap(), v["down"].as_u64().unwrap())
}

/// One note saved through the form, timed in the page from the submit
/// click to the new "saved" toast.
async fn app_save(b: &Browser, text: &str) -> (f64, f64) {
    b.click_sel(&tid("today-participant")).await;
    b.wait_for("participant-add-note").await;
    b.click("participant-add-note").await;
    b.wait_for("note-submit").await;
    b.select("note-category", "progress").await;
    b.fill("note-text", text).await;
    let script = r#"
        const done = arguments[arguments.length - 1];
        document.querySelectorAll('[data-testid="saved-toast"]').forEach(e => e.setAttribute('data-bench-seen', '1'));
        const fresh = () => document.querySelector('[data-testid="saved-toast"]:not([data-bench-seen])');
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
            if (fresh()) { observer.disconnect(); done(performance.now() - t0); }
        });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true });
        document.querySelector('[data-testid="note-submit"]').click();
        setTimeout(() => { observer.disconnect(); done(-1); }, 30000);
    "#;
    let saves = measures(b, "stegvis:save").await;
    let ms = b.js_async(script).await.as_f64().unwrap();
    assert!(ms >= 0.0, "no saved toast within 30 s of the note's submit");
    let (storage, _) = measure(b, "stegvis:save", saves + 1).await;
    b.click("nav-today").await;
    b.wait_for("today").await;
    (ms, storage)
}

// ------------------------------------------------------------------ the run

fn gz_size(path: &Path) -> u64 {
    let out = std::process::Command::new("gzip").args(["-9", "-c"]).arg(path).output().unwrap();
    out.stdout.len() as u64
}

fn sizes(dist: &Path) -> Vec<(String, u64, u64)> {
    let mut out = Vec::new();
    let mut visit = vec![dist.to_path_buf()];
    while let Some(dir) = visit.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit.push(path);
            } else if path.extension().is_some_and(|e| e == "wasm" || e == "js") {
                let name = path.strip_prefix(dist).unwrap().display().to_string();
                out.push((name, path.metadata().unwrap().len(), gz_size(&path)));
            }
        }
    }
    out.sort();
    out
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    browser::require_browser();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(run());
}

async fn run() {
    let n = env_usize("SYNC_BENCH_RECORDS", 10_000);
    let pairs = env_usize("SYNC_BENCH_PAIRS", 5);
    let load_before = loadavg();
    let started = Instant::now();
    println!("bench: sync_vs_pouchdb records={n} pairs={pairs} loadavg_before={load_before}");

    let server = Server::start_with_app().await;
    let org = server.create_org("Bänkkommunen").await;
    server.create_admin(org, "admin", PASSWORD).await;
    let admin = Api::login(server.base_url(), "admin", PASSWORD, "bench").await;
    let device = Device::new();
    let scratch = TempDir::new();
    let mut results = Results::default();

    // 1. Server push versus the raw insert; each pair's program is then pulled.
    let mut pull_programs = Vec::new();
    let mut expected = Vec::new();
    for pair in 0..pairs {
        let program = create_program(&admin, org, &format!("Pull {pair}")).await;
        let coach = format!("coach{pair}");
        create_user(&admin, &coach, "coach", &[program]).await;
        let api = Api::login(server.base_url(), &coach, PASSWORD, "bench-pusher").await;
        let mutations = dataset(program, &device, n, true);
        let mut push_ms = 0.0;
        let mut raw_ms = 0.0;
        let mut records = Vec::new();
        for step in if pair % 2 == 0 { ["push", "raw"] } else { ["raw", "push"] } {
            if step == "push" {
                push_ms = push_all(&api, &device, &mutations).await.as_secs_f64() * 1000.0;
                records = api.pull_all(None).await.records;
                assert_eq!(records.len(), n, "server push: records pulled back");
                // A re-sent batch creates nothing.
                let again = api.push_ok(&device, &mutations[..PUSH_BATCH]).await;
                assert!(again.iter().all(|r| r["status"] == "duplicate"), "a re-sent batch was not all duplicate");
                assert_eq!(api.pull_all(None).await.records.len(), n, "a re-sent batch changed the count");
            } else {
                let rows = if records.is_empty() {
                    // Raw first: insert the generated rows as the server would store them.
                    mutations
                        .iter()
                        .enumerate()
                        .map(|(i, m)| {
                            json!({"id": m["record_id"], "program_id": program, "kind": m["kind"],
                                   "version": i + 1, "data": m["data"], "updated_by": Uuid::nil()})
                        })
                        .collect()
                } else {
                    records.clone()
                };
                raw_ms = raw_insert(&scratch.path().join(format!("raw-{pair}.db")), &rows).await.as_secs_f64() * 1000.0;
            }
        }
        results.server_push_ms.push(push_ms);
        results.raw_insert_ms.push(raw_ms);
        println!(
            "bench: pair={pair} server_push_ms={push_ms:.1} ({:.0} records/s) raw_insert_ms={raw_ms:.1} ({:.0} rows/s)",
            n as f64 / push_ms * 1000.0,
            n as f64 / raw_ms * 1000.0
        );
        expected.push(record_check(&records));
        pull_programs.push((Program { id: program, coach }, records));
    }

    // PouchDB's server with the same records, one remote database per pair.
    let pouch = PouchServer::start().await;
    let floor_records: Vec<Value> = pull_programs[0].1.clone();
    std::fs::write(pouch.file("records.json"), serde_json::to_vec(&floor_records).unwrap()).unwrap();
    for (pair, (_, records)) in pull_programs.iter().enumerate() {
        let docs: Vec<Value> = records.iter().map(pouch_doc).collect();
        pouch.load(&format!("seed{pair}"), &docs).await;
        assert_eq!(pouch.check(&format!("seed{pair}")).await, expected[pair], "PouchDB seed {pair}: content");
    }
    std::fs::write(
        pouch.file("push-docs.json"),
        serde_json::to_vec(&pull_programs[0].1.iter().map(pouch_doc).collect::<Vec<_>>()).unwrap(),
    )
    .unwrap();
    let pb = Browser::start("pouchdb", &pouch.base).await;
    pb.goto("/page/index.html").await;
    pb.wait_for_sel("#ready").await;

    // Programs for the app's push: the 41 records without marks.
    let mut push_programs = Vec::new();
    for pair in 0..pairs {
        let program = create_program(&admin, org, &format!("Push {pair}")).await;
        let coach = format!("pusher{pair}");
        create_user(&admin, &coach, "coach", &[program]).await;
        let api = Api::login(server.base_url(), &coach, PASSWORD, "bench-seed").await;
        push_all(&api, &device, &dataset(program, &device, n, false)).await;
        push_programs.push((Program { id: program, coach }, api));
    }

    for pair in 0..pairs {
        let (program, _) = &pull_programs[pair];
        let order = if pair % 2 == 0 { ["stegvis", "pouchdb"] } else { ["pouchdb", "stegvis"] };
        let mut app: Option<Browser> = None;
        // 2. Initial pull.
        for side in order {
            if side == "stegvis" {
                let b = app_device(&server, &format!("app-{pair}"), &program.coach).await;
                let (ms, detail) = measure(&b, "stegvis:sync", 1).await;
                assert_eq!(detail["received"].as_u64(), Some(n as u64), "app pull: received {detail}");
                let wire = net(&b, "/api/v1/sync/").await;
                assert_eq!(app_check(&b).await, expected[pair], "app pull {pair}: count and content");
                results.stegvis_pull.push(ms);
                if pair == 0 {
                    results.wire.push(("Stegvis initial pull".into(), wire.0, wire.1, wire.2));
                }
                println!("bench: pair={pair} stegvis_pull_ms={ms:.1} requests={} down={}", wire.0, wire.2);
                println!("bench: pair={pair} stegvis_pull_breakdown {}", breakdown(&b).await);
                app = Some(b);
            } else {
                let r = job(
                    &pb,
                    "return pouchBench.pull(args.local, args.remote);",
                    json!({"local": format!("pull{pair}"), "remote": format!("seed{pair}")}),
                )
                .await;
                let check =
                    (r["check"]["count"].as_u64().unwrap() as usize, r["check"]["digest"].as_str().unwrap().to_owned());
                assert_eq!(check, expected[pair], "PouchDB pull {pair}: count and content");
                let ms = r["ms"].as_f64().unwrap();
                results.pouch_pull.push(ms);
                if pair == 0 {
                    results.wire.push(pouch_wire("PouchDB initial pull", &r));
                }
                println!("bench: pair={pair} pouchdb_pull_ms={ms:.1} requests={}", r["net"]["requests"]);
            }
        }
        // The floors, in the same browser.
        let f = job(&pb, "return benchFloor.fetchAndStore('/files/records.json', 'floor-fetch');", json!({})).await;
        assert_eq!(f["count"].as_u64(), Some(n as u64));
        results.floor_fetch_tx.push(f["ms"].as_f64().unwrap());
        let f = job(&pb, "return benchFloor.puts('/files/records.json', 'floor-puts');", json!({})).await;
        results.floor_puts.push(f["ms"].as_f64().unwrap());

        // 4. Delta and no-op, on the databases just pulled.
        let b = app.take().unwrap();
        let coach2 = format!("second{pair}");
        create_user(&admin, &coach2, "coach", &[program.id]).await;
        let other = Api::login(server.base_url(), &coach2, PASSWORD, "bench-office").await;
        let records = &pull_programs[pair].1;
        let changes: Vec<Value> = records
            .iter()
            .filter(|r| r["kind"] == "attendance")
            .take(SERVER_CHANGES)
            .map(|r| {
                let mut data = r["data"].clone();
                data["note"] = json!("Ändrad på kontoret.");
                device.put(
                    program.id,
                    "attendance",
                    Uuid::parse_str(r["id"].as_str().unwrap()).unwrap(),
                    r["version"].as_i64(),
                    data,
                )
            })
            .collect();
        other.push_ok(&device, &changes).await;
        pouch.change(&format!("seed{pair}"), SERVER_CHANGES, "Ändrad på kontoret.").await;
        let created =
            job(&b, "return stegvisBench.createAttendance(args.count, 1000);", json!({"count": DEVICE_CHANGES})).await;
        assert_eq!(created.as_u64(), Some(u64::from(DEVICE_CHANGES)));
        let device_docs: Vec<Value> = (0..DEVICE_CHANGES)
            .map(|i| {
                json!({"_id": Uuid::now_v7(), "kind": "attendance", "program_id": program.id,
                             "data": {"note": NOTE, "date": day(1000 + i as usize), "status": "present", "hours": 6.5}})
            })
            .collect();
        job(
            &pb,
            "return pouchBench.addOffline(args.local, args.docs);",
            json!({"local": format!("pull{pair}"), "docs": device_docs}),
        )
        .await;
        for side in order {
            if side == "stegvis" {
                b.js("benchNet.reset(); return true;").await;
                let ((ms, detail), _) = app_sync(&b).await;
                assert_eq!(detail["mutations"].as_u64(), Some(u64::from(DEVICE_CHANGES)), "delta: pushed {detail}");
                let wire = net(&b, "/api/v1/sync/").await;
                let server_view = record_check(
                    &Api::login(server.base_url(), &program.coach, PASSWORD, "check")
                        .await
                        .pull_all(None)
                        .await
                        .records,
                );
                assert_eq!(server_view.0, n + DEVICE_CHANGES as usize);
                assert_eq!(app_check(&b).await, server_view, "app delta {pair}: device equals server");
                results.stegvis_delta.push(ms);
                if pair == 0 {
                    results.wire.push(("Stegvis delta (200 down, 50 up)".into(), wire.0, wire.1, wire.2));
                }
                b.js("benchNet.reset(); return true;").await;
                let ((ms, detail), _) = app_sync(&b).await;
                let wire = net(&b, "/api/v1/sync/").await;
                assert_eq!(detail["received"].as_u64(), Some(0), "no-op: {detail}");
                results.stegvis_noop.push(ms);
                if pair == 0 {
                    results.wire.push(("Stegvis no-op sync".into(), wire.0, wire.1, wire.2));
                }
                println!("bench: pair={pair} stegvis_noop_ms={ms:.1} requests={}", wire.0);
            } else {
                let r = job(
                    &pb,
                    "return pouchBench.sync(args.local, args.remote);",
                    json!({"local": format!("pull{pair}"), "remote": format!("seed{pair}")}),
                )
                .await;
                let remote = pouch.check(&format!("seed{pair}")).await;
                let local =
                    (r["check"]["count"].as_u64().unwrap() as usize, r["check"]["digest"].as_str().unwrap().to_owned());
                assert_eq!(local, remote, "PouchDB delta {pair}: local equals remote");
                assert_eq!(remote.0, n + DEVICE_CHANGES as usize);
                results.pouch_delta.push(r["ms"].as_f64().unwrap());
                if pair == 0 {
                    results.wire.push(pouch_wire("PouchDB delta (200 down, 50 up)", &r));
                }
                let r = job(
                    &pb,
                    "return pouchBench.sync(args.local, args.remote);",
                    json!({"local": format!("pull{pair}"), "remote": format!("seed{pair}")}),
                )
                .await;
                assert_eq!(r["pulled"].as_u64(), Some(0));
                results.pouch_noop.push(r["ms"].as_f64().unwrap());
                if pair == 0 {
                    results.wire.push(pouch_wire("PouchDB no-op sync", &r));
                }
                println!("bench: pair={pair} pouchdb_noop_ms={:.1} requests={}", r["ms"], r["net"]["requests"]);
            }
        }

        // 5. Saving one record versus one transaction with one put.
        for k in 0..SAVES_PER_PAIR {
            let record = json!({"id": format!("save-{pair}-{k}"), "kind": "mentor_note", "data": {"category": "progress", "text": NOTE}});
            for side in order {
                if side == "stegvis" {
                    let (ms, storage) = app_save(&b, &format!("Anteckning {pair}-{k}: {NOTE}")).await;
                    results.app_save.push(ms);
                    results.app_save_storage.push(storage);
                } else {
                    let v = job(
                        &b,
                        "return benchFloor.savesOneByOne(args.record, 'floor-save', 1);",
                        json!({"record": record}),
                    )
                    .await;
                    results.floor_save.push(v[0].as_f64().unwrap());
                }
            }
        }
        println!("bench: pair={pair} app_breakdown {}", breakdown(&b).await);
        b.close().await;
        job(&pb, "return pouchBench.destroy(args.local);", json!({"local": format!("pull{pair}")})).await;

        // 3. Push of N records made offline.
        let (push_program, push_api) = &push_programs[pair];
        for side in order {
            if side == "stegvis" {
                let b = app_device(&server, &format!("push-{pair}"), &push_program.coach).await;
                measure(&b, "stegvis:sync", 1).await;
                let base = 1 + 2 * PARTICIPANTS;
                let created =
                    job(&b, "return stegvisBench.createAttendance(args.count, 0);", json!({"count": n})).await;
                assert_eq!(created.as_u64(), Some(n as u64));
                b.js("benchNet.reset(); return true;").await;
                let (_, (ms, detail)) = app_sync(&b).await;
                assert_eq!(detail["mutations"].as_u64(), Some(n as u64), "app push: {detail}");
                let wire = net(&b, "/api/v1/sync/push").await;
                let server_records = push_api.pull_all(None).await.records;
                assert_eq!(server_records.len(), n + base, "app push {pair}: records on the server");
                assert_eq!(app_check(&b).await, record_check(&server_records), "app push {pair}: device equals server");
                // Nothing left to send: a second sync pushes nothing.
                let ((_, again), _) = app_sync(&b).await;
                assert_eq!(again["mutations"].as_u64(), Some(0), "app push {pair}: sent again {again}");
                results.stegvis_push.push(ms);
                if pair == 0 {
                    results.wire.push((
                        "Stegvis push of the offline records".into(),
                        detail["requests"].as_u64().unwrap(),
                        wire.1,
                        wire.2,
                    ));
                }
                println!("bench: pair={pair} stegvis_push_ms={ms:.1} requests={}", detail["requests"]);
                println!("bench: pair={pair} stegvis_push_breakdown {}", breakdown(&b).await);
                b.close().await;
            } else {
                let local = format!("push{pair}");
                let remote = format!("target{pair}");
                let check = job(
                    &pb,
                    "return pouchBench.createOffline(args.local, '/files/push-docs.json');",
                    json!({"local": local}),
                )
                .await;
                assert_eq!(check["count"].as_u64(), Some(n as u64));
                let r = job(
                    &pb,
                    "return pouchBench.push(args.local, args.remote);",
                    json!({"local": local, "remote": remote}),
                )
                .await;
                assert_eq!(r["docs_written"].as_u64(), Some(n as u64), "PouchDB push: {r}");
                assert_eq!(pouch.check(&remote).await, expected[0], "PouchDB push {pair}: remote content");
                let again = job(
                    &pb,
                    "return pouchBench.push(args.local, args.remote);",
                    json!({"local": local, "remote": remote}),
                )
                .await;
                assert_eq!(again["docs_written"].as_u64(), Some(0), "PouchDB push sent again: {again}");
                results.pouch_push.push(r["ms"].as_f64().unwrap());
                if pair == 0 {
                    results.wire.push(pouch_wire("PouchDB push of the offline records", &r));
                }
                println!("bench: pair={pair} pouchdb_push_ms={:.1} requests={}", r["ms"], r["net"]["requests"]);
                job(&pb, "return pouchBench.destroy(args.local);", json!({"local": local})).await;
            }
        }
    }
    pb.close().await;

    let shipped =
        std::env::var_os("STEGVIS_SHIPPED_DIST_DIR").map_or_else(|| workspace_root().join("dist"), PathBuf::from);
    let table = report(&results, n, pairs, &sizes(&shipped), &load_before, started.elapsed());
    println!("{table}");
    write_section(&table);
}

fn row(out: &mut String, what: &str, a: &Samples, b: &Samples, target: &str) {
    let r = ratios(a, b);
    let _ = writeln!(
        out,
        "| {what} | {:.1} / {:.1} | {:.1} / {:.1} | {:.3} ({}) | {target} |",
        a.min(),
        a.median(),
        b.min(),
        b.median(),
        r.median(),
        ratio_list(&r)
    );
}

fn report(
    r: &Results,
    n: usize,
    pairs: usize,
    sizes: &[(String, u64, u64)],
    load_before: &str,
    took: Duration,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Run of `cargo xtask bench sync_vs_pouchdb` on {}: {n} records, {pairs} ABBA pairs, {} s; load average {load_before} before, {} after; {} cores.\n",
        time::OffsetDateTime::now_utc().date(),
        took.as_secs(),
        loadavg(),
        std::thread::available_parallelism().map_or(0, |p| p.get())
    );
    let _ =
        writeln!(out, "| measure (ms) | A: min / median | B: min / median | A/B per pair: median (each) | target |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    row(&mut out, "Initial pull: Stegvis (A) vs PouchDB (B)", &r.stegvis_pull, &r.pouch_pull, "≤ 0.25");
    row(
        &mut out,
        "Initial pull: Stegvis (A) vs fetch + one IndexedDB transaction (B)",
        &r.stegvis_pull,
        &r.floor_fetch_tx,
        "≤ 1.5",
    );
    row(
        &mut out,
        "Floor: fetch + one transaction (A) vs 10,000 puts in one transaction (B)",
        &r.floor_fetch_tx,
        &r.floor_puts,
        "",
    );
    row(&mut out, "Push of the offline records: Stegvis (A) vs PouchDB (B)", &r.stegvis_push, &r.pouch_push, "≤ 0.2");
    row(&mut out, "Delta, 200 down and 50 up: Stegvis (A) vs PouchDB (B)", &r.stegvis_delta, &r.pouch_delta, "");
    row(&mut out, "No-op sync: Stegvis (A) vs PouchDB (B)", &r.stegvis_noop, &r.pouch_noop, "");
    row(
        &mut out,
        "Save one record: app form to saved (A) vs one put in one transaction (B)",
        &r.app_save,
        &r.floor_save,
        "≤ 1.3",
    );
    row(
        &mut out,
        "Save one record: its storage part only (A) vs one put in one transaction (B)",
        &r.app_save_storage,
        &r.floor_save,
        "",
    );
    row(
        &mut out,
        "Server: push over HTTP (A) vs raw SQLite insert (B)",
        &r.server_push_ms,
        &r.raw_insert_ms,
        "rate ≥ 0.5, so time ≤ 2",
    );
    let rate = |s: &Samples| n as f64 / s.median() * 1000.0;
    let _ = writeln!(
        out,
        "\nServer push: median {:.0} records/s over HTTP (batches of {PUSH_BATCH}); raw insert median {:.0} rows/s; rate ratio {:.3} (target ≥ 0.5).\n",
        rate(&r.server_push_ms),
        rate(&r.raw_insert_ms),
        rate(&r.server_push_ms) / rate(&r.raw_insert_ms)
    );
    let _ = writeln!(out, "| on the wire (pair 0) | requests | body bytes sent | body bytes received |");
    let _ = writeln!(out, "| --- | --- | --- | --- |");
    for (what, requests, up, down) in &r.wire {
        let _ = writeln!(out, "| {what} | {requests} | {up} | {down} |");
    }
    let _ = writeln!(out, "\n| shipped file | bytes | gzip -9 |");
    let _ = writeln!(out, "| --- | --- | --- |");
    for (name, raw, gz) in sizes {
        let _ = writeln!(out, "| {name} | {raw} | {gz} |");
    }
    out
}

/// Puts `table` into docs/BENCHMARKS.md between the `bench:sync_vs_pouchdb` markers.
fn write_section(table: &str) {
    let path = workspace_root().join("docs/BENCHMARKS.md");
    let Ok(doc) = std::fs::read_to_string(&path) else { return };
    let (begin, end) = ("<!-- bench:sync_vs_pouchdb:begin -->", "<!-- bench:sync_vs_pouchdb:end -->");
    let section = format!("{begin}\n{table}\n{end}");
    let doc = match (doc.find(begin), doc.find(end)) {
        (Some(b), Some(e)) if b < e => format!("{}{section}{}", &doc[..b], &doc[e + end.len()..]),
        _ => format!("{doc}\n{section}\n"),
    };
    std::fs::write(&path, doc).unwrap();
    println!("bench: wrote the table to {}", path.display());
}
