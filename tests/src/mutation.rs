//! Devices and their push mutations: a [`Device`] has an id and a hybrid
//! logical clock whose stamps are `"<unix ms, 13 digits>:<counter, 5
//! digits>:<device id>"`, and builds `put` and `delete` mutations with fresh
//! idempotency keys.
#![allow(clippy::unwrap_used)]

use std::sync::Mutex;

use serde_json::{Value, json};
use uuid::Uuid;

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// An HLC string for `ms`, `counter` and `device`.
pub fn hlc(ms: i64, counter: u32, device: Uuid) -> String {
    format!("{ms:013}:{counter:05}:{device}")
}

/// One device (phone, tablet, import script): its id and its clock.
#[derive(Debug)]
pub struct Device {
    pub id: Uuid,
    clock: Mutex<(i64, u32)>,
}

impl Default for Device {
    fn default() -> Self {
        Device::new()
    }
}

impl Device {
    pub fn new() -> Device {
        Device { id: Uuid::new_v4(), clock: Mutex::new((0, 0)) }
    }

    /// The next stamp of this device's clock: now, strictly after the last.
    pub fn hlc(&self) -> String {
        let mut clock = self.clock.lock().unwrap();
        let now = now_ms();
        if now > clock.0 {
            *clock = (now, 0);
        } else {
            clock.1 += 1;
        }
        hlc(clock.0, clock.1, self.id)
    }

    /// A stamp of this device at a chosen physical time.
    pub fn hlc_at(&self, ms: i64) -> String {
        hlc(ms, 0, self.id)
    }

    /// A `put` of `data` to `record_id` on top of `base_version`.
    pub fn put(&self, program: Uuid, kind: &str, record_id: Uuid, base_version: Option<i64>, data: Value) -> Value {
        json!({
            "id": Uuid::now_v7(),
            "record_id": record_id,
            "kind": kind,
            "program_id": program,
            "op": "put",
            "base_version": base_version,
            "hlc": self.hlc(),
            "data": data,
        })
    }

    /// A `put` creating a record (`base_version: null`).
    pub fn create(&self, program: Uuid, kind: &str, record_id: Uuid, data: Value) -> Value {
        self.put(program, kind, record_id, None, data)
    }

    /// A `delete` of `record_id` (no `data`).
    pub fn delete(&self, program: Uuid, kind: &str, record_id: Uuid, base_version: Option<i64>) -> Value {
        json!({
            "id": Uuid::now_v7(),
            "record_id": record_id,
            "kind": kind,
            "program_id": program,
            "op": "delete",
            "base_version": base_version,
            "hlc": self.hlc(),
        })
    }
}

/// The mutation with another `hlc`.
pub fn with_hlc(mut mutation: Value, hlc: String) -> Value {
    mutation["hlc"] = json!(hlc);
    mutation
}

/// A mutation's `id` (its idempotency key).
pub fn mutation_id(mutation: &Value) -> Uuid {
    Uuid::parse_str(mutation["id"].as_str().unwrap()).unwrap()
}
