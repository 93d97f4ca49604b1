//! Only in a `--features bench` build, which `cargo xtask bench` makes into
//! its own dist directory (the shipped app has none of this):
//! `window.stegvisBench`, so the benchmark can make thousands of records
//! "offline" through the app's own save path (a person would need ten
//! thousand taps) and start a sync without polling the page.
//!
//! - `createAttendance(count, firstDay)`: `count` attendance marks, spread
//!   over the device's placements from `firstDay` days after 2024-01-01, each
//!   saved by `Repo::save` (sealed, queued in the outbox). Syncing is held
//!   back while they are made. Resolves to the number saved.
//! - `syncNow()`: what a tap on the sync status does.

use futures::future::join_all;
use serde_json::{Value, json};
use shared::Kind;
use shared::records::RecordData;
use time::{Date, Duration, Month};
use uuid::Uuid;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

use crate::platform::AppError;
use crate::repo::{Repo, attendance_record_id};
use crate::state::core::Core;

/// Saves made at once (each is its own IndexedDB transaction).
const CONCURRENT_SAVES: usize = 64;

const NOTE: &str = "Kom i tid och arbetade med varumottagning och inventering; handledaren är nöjd. \
                    Fortsätter med truckutbildningen nästa vecka enligt planen.";

async fn create_attendance(repo: Repo, count: u32, first_day: u32) -> Result<u32, AppError> {
    let placements: Vec<(Uuid, Uuid, Value)> = repo
        .records()
        .await?
        .into_iter()
        .filter(|r| r.kind == Kind::Placement && !r.deleted)
        .filter_map(|r| {
            let data = r.data.to_value();
            let participant = data.get("participant_id")?.as_str()?.parse().ok()?;
            Some((r.program_id, r.id, participant))
        })
        .map(|(program, placement, participant): (Uuid, Uuid, Uuid)| (program, placement, json!(participant)))
        .collect();
    if placements.is_empty() {
        return Err(AppError::Invalid("no placements on this device".into()));
    }
    let start = Date::from_calendar_date(2024, Month::January, 1).map_err(|e| AppError::Invalid(e.to_string()))?;
    let mut saved = 0;
    let ids: Vec<u32> = (0..count).collect();
    for chunk in ids.chunks(CONCURRENT_SAVES) {
        let saves = chunk.iter().map(|i| {
            let (program, placement, participant) = &placements[*i as usize % placements.len()];
            let day = first_day + i / placements.len() as u32;
            let date = start + Duration::days(i64::from(day));
            let data = json!({
                "placement_id": placement,
                "participant_id": participant,
                "date": date.to_string(),
                "status": "present",
                "hours": 6.5,
                "note": NOTE,
            });
            let repo = repo.clone();
            let (program, record_id) = (*program, attendance_record_id(*placement, date));
            async move {
                let data = RecordData::parse(Kind::Attendance, &data)
                    .map_err(|e| AppError::Invalid(format!("{}: {}", e.field, e.message)))?;
                repo.save(program, record_id, data).await
            }
        });
        for result in join_all(saves).await {
            result?;
            saved += 1;
        }
    }
    Ok(saved)
}

/// Puts `window.stegvisBench` in place for this unlocked session.
pub fn install(core: Core) {
    let Some(window) = web_sys::window() else { return };
    let hook = js_sys::Object::new();
    let create = {
        let core = core.clone();
        Closure::<dyn Fn(u32, u32) -> js_sys::Promise>::new(move |count: u32, first_day: u32| {
            let repo = core.repo.clone();
            wasm_bindgen_futures::future_to_promise(async move {
                // Hold syncing back, as if there were no signal.
                while !repo.begin_sync() {
                    gloo::timers::future::TimeoutFuture::new(50).await;
                }
                let result = create_attendance(repo.clone(), count, first_day).await;
                repo.end_sync();
                result.map(|n| JsValue::from_f64(f64::from(n))).map_err(|e| JsValue::from_str(&e.to_string()))
            })
        })
    };
    let sync_now = Closure::<dyn Fn()>::new(move || core.sync_now());
    let _ = js_sys::Reflect::set(&hook, &JsValue::from_str("createAttendance"), create.as_ref());
    let _ = js_sys::Reflect::set(&hook, &JsValue::from_str("syncNow"), sync_now.as_ref());
    let _ = js_sys::Reflect::set(&window, &JsValue::from_str("stegvisBench"), &hook);
    // The hook lives as long as the page.
    create.forget();
    sync_now.forget();
}
