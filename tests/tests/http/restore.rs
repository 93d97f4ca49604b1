//! A database restored from an older backup (issue 5, "Faults"): a device
//! whose cursor is ahead of what the server now holds is told so (409
//! `server_restored`), pulls from the beginning and pushes again what the
//! server lost; afterwards the server holds everything again. The field
//! app's side of it (it does this by itself) is in `tests/field_app.rs`.
//!
//! The backup is a copy of the SQLite file taken while the server is
//! stopped, or on PostgreSQL a copy of the database (`CREATE DATABASE …
//! TEMPLATE …`), served again by a restarted server.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use serde_json::Value;
use stegvis_tests::db::Db;
use stegvis_tests::records::{self, new_id};
use stegvis_tests::server::{POSTGRES_ENV, SqliteBackup};
use stegvis_tests::*;
use uuid::Uuid;

fn participants(device: &Device, program: Uuid, n: usize) -> Vec<Value> {
    (0..n).map(|_| device.create(program, "participant", new_id(), records::participant())).collect()
}

fn ids_of(mutations: &[Value]) -> BTreeSet<Uuid> {
    mutations.iter().map(|m| m["record_id"].as_str().unwrap().parse().unwrap()).collect()
}

/// The backup of a stopped server's database: a way to serve it again later.
enum Backup {
    Files(SqliteBackup),
    Database(String),
}

async fn take_backup(server: &Server) -> Backup {
    let url = server.db_url().to_owned();
    if std::env::var(POSTGRES_ENV).is_ok_and(|v| !v.is_empty()) {
        let (base, name) = url.rsplit_once('/').unwrap();
        let backup = format!("{name}_backup");
        let admin = Db::connect(&format!("{base}/postgres")).await;
        admin.execute(&format!("CREATE DATABASE {backup} TEMPLATE {name}")).await.unwrap();
        Backup::Database(format!("{base}/{backup}"))
    } else {
        Backup::Files(server.sqlite_backup())
    }
}

/// Serves the backup again: the SQLite files are put back; on PostgreSQL
/// the server is pointed at the copy.
async fn restore(w: &mut World, backup: Backup) {
    w.server.kill().await;
    match backup {
        Backup::Files(files) => {
            files.restore();
            w.server.restart().await;
        }
        Backup::Database(url) => {
            let mut restored = Server::stopped_on(&url);
            restored.restart().await;
            w.server = restored;
        }
    }
    w.rebase();
}

#[tokio::test]
async fn after_a_restore_the_device_is_told_and_what_was_lost_is_pushed_again() {
    let mut w = fixture().await;
    let device = Device::new();
    let before = participants(&device, w.program, 3);
    w.coach.push_applied(&device, &before).await;
    let early = w.coach.pull_all(None).await;

    // Nightly backup.
    w.server.kill().await;
    let backup = take_backup(&w.server).await;
    w.server.restart().await;
    w.rebase();

    // The next morning's work is acknowledged, then the database is lost
    // and restored from the backup.
    let after = participants(&device, w.program, 2);
    w.coach.push_applied(&device, &after).await;
    let late = w.coach.pull_all(Some(&early.cursor)).await;
    assert_eq!(late.ids(), ids_of(&after));
    restore(&mut w, backup).await;

    // The device's cursor is ahead of the server: it is told, in the contract's shape.
    let resp = w.coach.pull(Some(&late.cursor), None).await;
    let message = resp.expect_error(StatusCode::CONFLICT, "server_restored");
    assert!(message.contains("cursor"), "{message}");
    // A cursor from before the backup is still good, and sees nothing new.
    assert!(w.coach.pull_all(Some(&early.cursor)).await.records.is_empty());

    // The device pulls from the beginning, finds what the server lost and pushes it again.
    let server_now = w.coach.pull_all(None).await;
    assert_eq!(server_now.ids(), ids_of(&before), "the backup holds the early records only");
    let lost: Vec<Value> = after
        .iter()
        .filter(|m| !server_now.contains(m["record_id"].as_str().unwrap().parse().unwrap()))
        .cloned()
        .collect();
    assert_eq!(lost.len(), 2);
    let again: Vec<Value> = lost
        .iter()
        .map(|m| {
            device.create(
                w.program,
                "participant",
                m["record_id"].as_str().unwrap().parse().unwrap(),
                m["data"].clone(),
            )
        })
        .collect();
    w.coach.push_applied(&device, &again).await;
    let all = w.office.pull_all(None).await;
    let want: BTreeSet<Uuid> = ids_of(&before).union(&ids_of(&after)).copied().collect();
    assert_eq!(all.ids(), want, "everything is on the server again");
    for r in &all.records {
        assert_eq!(r["conflict"], serde_json::json!(false), "a re-push of lost work is no conflict: {r}");
    }
}
