//! The sync engine against a real `stegvis` server, in headless Chromium:
//! log in online, save offline-style (outbox), `sync_once` pushes and pulls,
//! and another device sees the records through the API.
//!
//! `cargo xtask test` starts the server (demo users, CORS allowed for this
//! test page's fixed origin) and passes its address at build time in
//! `STEGVIS_TEST_SERVER`; without it this test fails and says so.

use frontend::repo::{Repo, new_record_id};
use frontend::sync::sync_once;
use serde_json::json;
use shared::{Kind, RecordData};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Set by `cargo xtask test` for this build.
const SERVER: Option<&str> = option_env!("STEGVIS_TEST_SERVER");
/// The public demo login that `stegvis admin seed-demo` creates.
const COACH: (&str, &str) = ("coach", "demo-coach-2026");

#[wasm_bindgen_test]
async fn the_engine_pushes_the_outbox_and_pulls_from_a_real_server() {
    let server =
        SERVER.expect("STEGVIS_TEST_SERVER is unset: run `cargo xtask test`, which starts a server for this test");
    frontend::api::set_server_origin(server);
    let (repo, _) = Repo::boot().await.expect("boot");
    repo.wipe_device().await.expect("wipe");
    let session = repo.login_online(COACH.0, COACH.1, "wasm test").await.expect("login against the real server");
    let program = *session.user.program_ids.first().expect("the demo coach is in a program");
    sync_once(&repo, &|_| {}).await.expect("first sync");

    let name = format!("Wasmira {}", js_sys::Date::now() as u64 % 100_000);
    let participant = new_record_id();
    let data = RecordData::parse(
        Kind::Participant,
        &json!({"display_name": name, "languages": ["ti"], "needs_interpreter": true,
                "status": "active", "started_on": "2026-11-02"}),
    )
    .expect("valid");
    repo.save(program, participant, data).await.expect("save");
    let note = new_record_id();
    let data = RecordData::parse(
        Kind::MentorNote,
        &json!({"participant_id": participant, "at": "2026-11-23T08:00:00Z", "category": "progress", "text": "Första dagen"}),
    )
    .expect("valid");
    repo.save(program, note, data).await.expect("save");
    assert!(repo.has_unsynced().await.expect("outbox"));

    let started = js_sys::Date::now();
    let report = sync_once(&repo, &|_| {}).await.expect("sync against the real server");
    console_log!("sync_once (push 2, pull): {:.0} ms, {report:?}", js_sys::Date::now() - started);
    assert_eq!(report.acknowledged, 2, "{report:?}");
    assert_eq!(report.rejected, 0, "{report:?}");
    assert!(!repo.has_unsynced().await.expect("outbox"), "the outbox is empty once acknowledged");
    let records = repo.records().await.expect("records");
    for id in [participant, note] {
        let r = records.iter().find(|r| r.id == id).expect("still on the device");
        assert!(r.version.is_some() && !r.pending, "acknowledged with a server version: {r:?}");
    }

    // Another device of the same user pulls them from the server.
    let other = frontend::api::login(COACH.0, COACH.1, "second device").await.expect("login");
    let mut cursor = None;
    let mut pulled = Vec::new();
    loop {
        let page = frontend::api::pull(&other.token, cursor.as_deref(), 1000).await.expect("pull");
        pulled.extend(page.records);
        cursor = Some(page.cursor);
        if !page.has_more {
            break;
        }
    }
    let p = pulled.iter().find(|r| r.id == participant).expect("the server has the participant");
    assert_eq!(p.data["display_name"], json!(name));
    assert!(pulled.iter().any(|r| r.id == note), "the server has the note");
    repo.wipe_device().await.expect("wipe");
}
