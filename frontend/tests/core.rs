//! Browser tests of the core (headless Chromium through wasm-bindgen-test-runner):
//! the vault round trip and wrong password, nothing readable in a raw IndexedDB
//! dump after locking, the outbox written with its record and read back, and
//! mutations made while the clock ran fast re-stamped once it is right.
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p frontend --target wasm32-unknown-unknown`

use frontend::crypto::Vault;
use frontend::repo::{AppError, Repo, new_record_id};
use js_sys::{Array, Object, Uint8Array};
use serde_json::json;
use shared::wire::UserInfo;
use shared::{Kind, RecordData, Role};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const PASSWORD: &str = "korrekt häst batteri";
const NAME: &str = "Amina Qorsheel";
const NOTE: &str = "Pratade om truckkortet och kvällsskiftet";

fn user() -> UserInfo {
    UserInfo {
        id: Uuid::from_u128(7),
        username: "coach.anna".into(),
        display_name: "Anna Coach".into(),
        role: Role::Coach,
        org_id: Uuid::from_u128(8),
        program_ids: vec![Uuid::from_u128(9)],
    }
}

/// A fresh, unlocked device (no server: the login answer is given).
async fn fresh_repo() -> Repo {
    let (repo, _) = Repo::boot().await.expect("boot");
    repo.wipe_device().await.expect("wipe");
    repo.adopt_login(PASSWORD, "token-abc".into(), user()).await.expect("login");
    repo
}

/// Every value as text; byte arrays decoded as (lossy) UTF-8.
fn text_of(value: &JsValue, out: &mut String) {
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        out.push_str(&String::from_utf8_lossy(&bytes.to_vec()));
    } else if let Some(array) = value.dyn_ref::<Array>() {
        array.iter().for_each(|v| text_of(&v, out));
    } else if value.is_object() {
        for entry in Object::entries(value.unchecked_ref()).iter() {
            let pair: Array = entry.unchecked_into();
            text_of(&pair.get(0), out);
            out.push('=');
            text_of(&pair.get(1), out);
            out.push(';');
        }
    } else if let Some(json) = js_sys::JSON::stringify(value).ok().and_then(|json| json.as_string()) {
        out.push_str(&json);
    }
}

async fn save_samples(repo: &Repo) -> (Uuid, Uuid) {
    let program = Uuid::from_u128(9);
    let participant = new_record_id();
    let data = RecordData::parse(
        Kind::Participant,
        &json!({"display_name": NAME, "languages": ["somaliska"], "needs_interpreter": true,
                "status": "active", "started_on": "2026-09-01"}),
    )
    .expect("valid participant");
    let started = js_sys::Date::now();
    repo.save(program, participant, data).await.expect("save participant");
    console_log!("save (seal + one IndexedDB transaction): {:.1} ms", js_sys::Date::now() - started);
    let note = new_record_id();
    let data = RecordData::parse(
        Kind::MentorNote,
        &json!({"participant_id": participant, "at": "2026-11-22T09:30:00Z", "category": "progress", "text": NOTE}),
    )
    .expect("valid note");
    repo.save(program, note, data).await.expect("save note");
    (participant, note)
}

#[wasm_bindgen_test]
async fn vault_round_trip_and_wrong_password() {
    let started = js_sys::Date::now();
    let (vault, header) = Vault::create(PASSWORD).await.expect("create");
    console_log!("vault create (PBKDF2 600k + wrap): {:.0} ms", js_sys::Date::now() - started);
    assert_eq!(header.iterations, 600_000);
    assert_eq!(header.salt.len(), 16);
    assert!(!vault.key_is_extractable(), "the data key in memory must be non-extractable");
    let sealed = vault.seal(NOTE.as_bytes()).await.expect("seal");
    assert!(!String::from_utf8_lossy(&sealed.ct).contains("truckkortet"));
    let again = vault.seal(NOTE.as_bytes()).await.expect("seal");
    assert_ne!(sealed.iv, again.iv, "a fresh IV per seal");
    drop(vault);

    let started = js_sys::Date::now();
    let reopened = Vault::unlock(PASSWORD, &header).await.expect("unlock");
    console_log!("unlock (PBKDF2 600k + unwrap): {:.0} ms", js_sys::Date::now() - started);
    assert_eq!(reopened.open(&sealed).await.expect("open"), NOTE.as_bytes());
    assert!(!reopened.key_is_extractable());

    match Vault::unlock("fel lösenord", &header).await {
        Err(AppError::WrongPassword) => {}
        other => panic!("expected WrongPassword, got {:?}", other.map(|_| ())),
    }
}

#[wasm_bindgen_test]
async fn nothing_readable_in_indexeddb_after_lock() {
    let repo = fresh_repo().await;
    let (participant, _) = save_samples(&repo).await;
    repo.lock();
    assert!(matches!(repo.records().await, Err(AppError::Locked)));

    let dump = repo.raw_dump().await.expect("dump");
    let mut text = String::new();
    for (store, key, value) in &dump {
        text.push_str(store);
        text_of(key, &mut text);
        text_of(value, &mut text);
    }
    assert!(dump.iter().any(|(store, _, _)| store == "records"), "records were stored");
    assert!(text.contains(&participant.to_string()), "ids stay in clear: {text:.200}");
    for secret in [NAME, "Amina", "Qorsheel", NOTE, "truckkortet", "somaliska", "token-abc"] {
        assert!(!text.contains(secret), "{secret:?} is readable in IndexedDB");
    }

    // Unlocking again gives everything back.
    let (repo, state) = Repo::boot().await.expect("boot");
    assert!(matches!(state, frontend::repo::BootState::Locked { .. }));
    assert!(matches!(repo.unlock("fel lösenord").await, Err(AppError::WrongPassword)));
    repo.unlock(PASSWORD).await.expect("unlock");
    let records = repo.records().await.expect("records");
    assert_eq!(records.len(), 2);
    let person = records.iter().find(|r| r.id == participant).expect("participant");
    assert!(matches!(&person.data, RecordData::Participant(p) if p.display_name.as_str() == NAME));
}

#[wasm_bindgen_test]
async fn outbox_is_written_with_the_record_and_read_back() {
    let repo = fresh_repo().await;
    assert!(!repo.has_unsynced().await.expect("unsynced"));
    let (participant, note) = save_samples(&repo).await;
    let outbox = repo.outbox().await.expect("outbox");
    assert_eq!(outbox.len(), 2);
    assert_eq!((outbox[0].record_id, outbox[0].kind), (participant, Kind::Participant));
    assert_eq!((outbox[1].record_id, outbox[1].kind), (note, Kind::MentorNote));
    assert!(outbox.iter().all(|item| item.rejected.is_none()));
    assert!(repo.has_unsynced().await.expect("unsynced"));
    let counts = repo.counts().await.expect("counts");
    assert_eq!((counts.pending, counts.rejected), (2, 0));
    assert!(repo.records().await.expect("records").iter().all(|r| r.pending && r.version.is_none()));
    // Only rejected changes can be discarded.
    assert!(matches!(repo.discard_rejected(outbox[0].mutation_id).await, Err(AppError::Invalid(_))));
    repo.delete(note).await.expect("delete");
    assert_eq!(repo.outbox().await.expect("outbox").len(), 3);
    let started = js_sys::Date::now();
    let records = repo.records().await.expect("records");
    console_log!("records() of {}: {:.1} ms", records.len(), js_sys::Date::now() - started);
    assert!(records.iter().any(|r| r.id == note && r.deleted));
}

#[wasm_bindgen_test]
async fn mutations_made_with_a_fast_clock_are_restamped_once_it_is_right() {
    let repo = fresh_repo().await;
    let device = repo.session().expect("unlocked").device_id;
    let now = js_sys::Date::now() as u64;
    // The phone's clock ran 30 minutes fast when these were saved.
    repo.observe_clock(shared::Hlc::new(now + 30 * 60_000, 0, device).expect("hlc"));
    let (_, _) = save_samples(&repo).await;
    let before = repo.pending_mutations().await.expect("outbox");
    assert_eq!(before.len(), 2);
    let millis = |m: &shared::wire::Mutation| m.hlc.parse::<shared::Hlc>().expect("hlc").millis();
    assert!(before.iter().all(|m| millis(m) >= now + 30 * 60_000), "{before:?}");

    // The clock is right again (it is: the browser's): the sync re-stamps them.
    assert_eq!(repo.restamp_mutations_from_a_fast_clock().await.expect("restamp"), 2);
    let after = repo.pending_mutations().await.expect("outbox");
    assert_eq!(after.iter().map(|m| m.id).collect::<Vec<_>>(), before.iter().map(|m| m.id).collect::<Vec<_>>());
    let later = js_sys::Date::now() as u64;
    for m in &after {
        assert!(millis(m) >= now && millis(m) <= later + 1000, "re-stamped to now: {}", m.hlc);
        assert_eq!(m.data, before.iter().find(|b| b.id == m.id).and_then(|b| b.data.clone()), "data unchanged");
    }
    assert!(after[0].hlc < after[1].hlc, "queue order kept");
    // Nothing left to fix; a new save sorts after the re-stamped ones.
    assert_eq!(repo.restamp_mutations_from_a_fast_clock().await.expect("restamp"), 0);
    save_samples(&repo).await;
    let all = repo.pending_mutations().await.expect("outbox");
    assert!(all.windows(2).all(|w| w[0].hlc < w[1].hlc), "clock strictly increasing");
}
