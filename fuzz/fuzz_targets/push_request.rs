//! The server's push parsing path (`POST /api/v1/sync/push`, backend/src/http/sync.rs):
//! bytes → JSON → the push envelope (`backend::http::sync::PushEnvelope`, read as the route's
//! `ApiJson` reads it) → every mutation through `backend::sync::prepare::prepare`, for each
//! role. Rejections are fine; a panic is a crash, and so is a prepared change that breaks what
//! the write path relies on (its id, its device's clock within the skew, valid data).

#![no_main]

use backend::http::extract::clean_serde_message;
use backend::http::sync::PushEnvelope;
use backend::sync::prepare::{PrepareContext, prepare};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use shared::wire::{MAX_CLOCK_SKEW_MS, MAX_MUTATIONS_PER_PUSH};
use shared::{RecordData, Role};
use uuid::Uuid;

/// The server's clock for every run: 2026-09-21T12:00:00Z.
const NOW_MILLIS: u64 = 1_790_000_000_000;

fuzz_target!(|bytes: &[u8]| {
    // `ApiJson`: the body as a JSON value, then the envelope through serde_path_to_error.
    let Ok(body) = serde_json::from_slice::<Value>(bytes) else { return };
    if let Err(e) = serde_path_to_error::deserialize::<_, PushEnvelope>(body.clone()) {
        let _ = (e.path().to_string(), clean_serde_message(&e.inner().to_string()));
        return;
    }
    // The envelope's fields are private to the route: read the same two fields from the value
    // that `PushEnvelope` accepted.
    let device_id = body["device_id"].as_str().and_then(|s| Uuid::parse_str(s).ok()).expect("envelope has a device_id");
    let mutations = body["mutations"].as_array().expect("envelope has mutations");
    if mutations.len() > MAX_MUTATIONS_PER_PUSH {
        return;
    }
    // The pusher is a member of every program the mutations name, so the checks past the
    // program wall are reached.
    let program_ids: Vec<Uuid> = mutations
        .iter()
        .filter_map(|m| m.get("program_id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok()))
        .collect();
    for role in Role::ALL {
        let ctx = PrepareContext { device_id, role, program_ids: &program_ids, now_millis: NOW_MILLIS };
        for raw in mutations {
            let item = prepare(raw.clone(), &ctx);
            match item.outcome {
                Err(err) => {
                    assert!(!err.code.is_empty() && !err.message.is_empty(), "empty rejection: {err:?}");
                }
                Ok(p) => {
                    assert_eq!(item.id, Some(p.id), "a prepared change must be answerable by its id");
                    assert!(role.may_write(p.kind), "{role} may not write {}", p.kind);
                    assert!(program_ids.contains(&p.program_id));
                    assert_eq!(p.hlc.device(), device_id, "clock of another device accepted");
                    assert!(p.hlc.millis() <= NOW_MILLIS + MAX_CLOCK_SKEW_MS, "clock too far ahead accepted");
                    assert!(p.base_version.is_none_or(|v| v >= 0), "negative base_version accepted");
                    if let Some(data) = &p.data {
                        assert_eq!(data.kind(), p.kind);
                        assert_eq!(RecordData::parse(p.kind, &data.to_value()).as_ref(), Ok(data));
                    }
                }
            }
        }
    }
});
