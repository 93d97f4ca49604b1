//! A database that is full or read-only (issue 5, "Faults"): every write
//! answers 503 `unavailable` in the contract's error shape, nothing is
//! acknowledged that is not stored, and once the database is writable again
//! the same push applies and every acknowledged record is there.
//!
//! Full, on SQLite: the database lives on a small tmpfs the test mounts
//! (root, as in CI) and a ballast file fills it up. Read-only, on
//! PostgreSQL: the test database is switched to
//! `default_transaction_read_only` and the server's connections are ended,
//! so the pool reconnects into read-only sessions. (A filesystem in use
//! cannot be remounted read-only, so SQLite's read-only case is not staged;
//! `cargo xtask test` runs this file on both databases.)
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use stegvis_tests::db::Db;
use stegvis_tests::records::{self, new_id};
use stegvis_tests::server::{POSTGRES_ENV, TempDir};
use stegvis_tests::*;
use uuid::Uuid;

fn on_postgres() -> bool {
    std::env::var(POSTGRES_ENV).is_ok_and(|v| !v.is_empty())
}

/// A tmpfs of `size` mounted at `path`, unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(path: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(path).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .output()
            .unwrap_or_else(|e| panic!("cannot run mount: {e}"));
        assert!(
            out.status.success(),
            "mounting a tmpfs for the full-disk test failed (the test needs root, as CI runs): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs(path.to_owned())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

struct Setup {
    server: Server,
    coach: Api,
    program: Uuid,
}

async fn setup(server: Server) -> Setup {
    let base = server.base_url().to_owned();
    let org = server.create_org("Haninge kommun").await;
    server.create_admin(org, "admin", PASSWORD).await;
    let admin = Api::login(&base, "admin", PASSWORD, "admin laptop").await;
    let program = create_program(&admin, org, "Etableringscentrum").await;
    create_user(&admin, "coach", "coach", &[program]).await;
    let coach = Api::login(&base, "coach", PASSWORD, "coach phone").await;
    Setup { server, coach, program }
}

/// A batch of `n` participants with long names (to fill pages quickly).
fn batch(device: &Device, program: Uuid, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let mut data = records::participant();
            data["display_name"] = json!(format!("Deltagare {i} {}", "x".repeat(150)));
            device.create(program, "participant", new_id(), data)
        })
        .collect()
}

fn assert_unavailable(resp: &Resp) {
    assert_eq!(resp.status, StatusCode::SERVICE_UNAVAILABLE, "{resp}");
    assert_error_body(&resp.body, "unavailable", &resp.to_string());
}

/// Every acknowledged record of `acked` is in the coach's pull, and nothing else.
async fn assert_exactly(coach: &Api, acked: &[Uuid]) {
    let pulled = coach.pull_all(None).await;
    let mut ids: Vec<Uuid> = pulled.ids().into_iter().collect();
    ids.sort();
    let mut want = acked.to_vec();
    want.sort();
    assert_eq!(ids, want, "the server holds exactly the acknowledged records");
}

fn record_ids(mutations: &[Value]) -> Vec<Uuid> {
    mutations.iter().map(|m| m["record_id"].as_str().unwrap().parse().unwrap()).collect()
}

#[tokio::test]
async fn a_full_disk_answers_503_and_acknowledges_nothing_it_did_not_store() {
    if on_postgres() {
        eprintln!("unavailable: the full-disk case is SQLite's (a file on a full filesystem); see the read-only test");
        return;
    }
    let dir = TempDir::new();
    let fs = Tmpfs::mount(&dir.path().join("fs"), "3m");
    let db = fs.0.join("stegvis.db");
    let mut server = Server::stopped_on(&format!("sqlite://{}", db.display()));
    server.restart().await;
    let s = setup(server).await;
    let device = Device::new();

    // Ballast: leave about 200 KiB free.
    let free = fs2_free(&fs.0);
    std::fs::write(fs.0.join("ballast"), vec![0u8; free.saturating_sub(200 * 1024) as usize]).unwrap();

    let mut acked = Vec::new();
    let mut refused = None;
    for _ in 0..200 {
        let mutations = batch(&device, s.program, 50);
        let resp = s.coach.push(&device, &mutations).await;
        if resp.status == StatusCode::OK {
            let results = Api::check_push(&resp, &mutations);
            for (m, r) in mutations.iter().zip(&results) {
                assert_eq!(r["status"], json!("applied"), "{r}");
                acked.push(record_ids(std::slice::from_ref(m))[0]);
            }
        } else {
            assert_unavailable(&resp);
            refused = Some(mutations);
            break;
        }
    }
    let refused = refused.expect("the disk filled up within 200 pushes");
    assert!(!acked.is_empty(), "some pushes fit before the disk was full");
    // Reads still work, and hold exactly what was acknowledged.
    assert_exactly(&s.coach, &acked).await;

    // Room again: the same push applies, nothing was half-stored.
    std::fs::remove_file(fs.0.join("ballast")).unwrap();
    let results = s.coach.push_ok(&device, &refused).await;
    assert!(results.iter().all(|r| r["status"] == json!("applied")), "{results:?}");
    acked.extend(record_ids(&refused));
    assert_exactly(&s.coach, &acked).await;
    drop(s);
    drop(fs);
}

/// Free bytes on the filesystem of `path` (`df`).
fn fs2_free(path: &Path) -> u64 {
    let out = Command::new("df").args(["--output=avail", "-B1"]).arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().nth(1).unwrap().trim().parse().unwrap()
}

#[tokio::test]
async fn a_read_only_database_answers_503_and_recovers() {
    if !on_postgres() {
        eprintln!("unavailable: the read-only case is staged on PostgreSQL; see the full-disk test for SQLite");
        return;
    }
    let s = setup(Server::start().await).await;
    let db = Db::connect(s.server.db_url()).await;
    let device = Device::new();
    let first = batch(&device, s.program, 5);
    s.coach.push_applied(&device, &first).await;
    let mut acked = record_ids(&first);

    // The database goes read-only; the server's sessions are ended so its
    // pool reconnects into read-only sessions.
    let database = s.server.db_url().rsplit('/').next().unwrap().to_owned();
    let end_sessions = format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    );
    db.execute(&format!("ALTER DATABASE {database} SET default_transaction_read_only = on")).await.unwrap();
    db.execute(&end_sessions).await.unwrap();
    let refused = batch(&device, s.program, 5);
    for _ in 0..3 {
        let resp = s.coach.push(&device, &refused).await;
        assert_unavailable(&resp);
    }
    // Reads still work and hold exactly what was acknowledged.
    assert_exactly(&s.coach, &acked).await;

    // Writable again: the same push applies exactly once.
    db.execute(&format!("ALTER DATABASE {database} SET default_transaction_read_only = off")).await.unwrap();
    db.execute(&end_sessions).await.unwrap();
    let mut results = Vec::new();
    for _ in 0..5 {
        let resp = s.coach.push(&device, &refused).await;
        if resp.status == StatusCode::OK {
            results = Api::check_push(&resp, &refused);
            break;
        }
        assert_unavailable(&resp);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(results.iter().all(|r| r["status"] == json!("applied")), "{results:?}");
    acked.extend(record_ids(&refused));
    assert_exactly(&s.coach, &acked).await;
}
