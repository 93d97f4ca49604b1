//! The `meta` entries the repo keeps: device id, vault header (with the user's name,
//! shown on the lock screen), the sealed session, the clock, the cursor, the last
//! sync time and the UI's settings; and their JS encoding.

use js_sys::{Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use shared::wire::UserInfo;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

use crate::crypto::VaultHeader;
use crate::idb::Db;
use crate::platform::AppError;

pub const DEVICE_ID: &str = "device_id";
pub const VAULT: &str = "vault";
pub const SESSION: &str = "session";
pub const CLOCK: &str = "clock";
pub const CURSOR: &str = "cursor";
pub const LAST_SYNC_MS: &str = "last_sync_ms";
pub const SETTINGS: &str = "settings";

/// What is sealed as the session: the bearer token and the user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionPayload {
    pub token: String,
    pub user: UserInfo,
}

/// The vault header plus the names the lock screen shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredVault {
    pub username: String,
    pub display_name: String,
    pub header: VaultHeader,
}

fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), AppError> {
    Reflect::set(object, &JsValue::from_str(key), value).map(|_| ()).map_err(|e| AppError::storage("encode", &e))
}

fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn get_bytes(object: &JsValue, key: &str) -> Option<Vec<u8>> {
    get(object, key)?.dyn_into::<Uint8Array>().ok().map(|a| a.to_vec())
}

impl StoredVault {
    pub fn to_js(&self) -> Result<JsValue, AppError> {
        let object = Object::new();
        set(&object, "username", &self.username.as_str().into())?;
        set(&object, "display_name", &self.display_name.as_str().into())?;
        set(&object, "salt", &Uint8Array::from(self.header.salt.as_slice()))?;
        set(&object, "iterations", &self.header.iterations.into())?;
        set(&object, "wrapped_key", &Uint8Array::from(self.header.wrapped_key.as_slice()))?;
        set(&object, "wrap_iv", &Uint8Array::from(self.header.wrap_iv.as_slice()))?;
        Ok(object.into())
    }

    pub fn from_js(value: &JsValue) -> Option<StoredVault> {
        Some(StoredVault {
            username: get(value, "username")?.as_string()?,
            display_name: get(value, "display_name")?.as_string()?,
            header: VaultHeader {
                salt: get_bytes(value, "salt")?,
                iterations: get(value, "iterations")?.as_f64()? as u32,
                wrapped_key: get_bytes(value, "wrapped_key")?,
                wrap_iv: get_bytes(value, "wrap_iv")?,
            },
        })
    }
}

/// The persisted clock: the last HLC issued and the next outbox sequence number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredClock {
    pub last_hlc: Option<String>,
    pub next_seq: u64,
}

impl StoredClock {
    pub fn to_js(&self) -> Result<JsValue, AppError> {
        let object = Object::new();
        if let Some(hlc) = &self.last_hlc {
            set(&object, "last_hlc", &hlc.as_str().into())?;
        }
        set(&object, "next_seq", &(self.next_seq as f64).into())?;
        Ok(object.into())
    }

    pub fn from_js(value: &JsValue) -> StoredClock {
        StoredClock {
            last_hlc: get(value, "last_hlc").and_then(|v| v.as_string()),
            next_seq: get(value, "next_seq").and_then(|v| v.as_f64()).map_or(0, |n| n as u64),
        }
    }
}

pub async fn vault(db: &Db) -> Result<Option<StoredVault>, AppError> {
    Ok(db.meta(VAULT).await?.and_then(|v| StoredVault::from_js(&v)))
}

pub async fn device_id(db: &Db) -> Result<Option<Uuid>, AppError> {
    Ok(db.meta(DEVICE_ID).await?.and_then(|v| v.as_string()).and_then(|s| s.parse().ok()))
}

pub async fn bytes(db: &Db, name: &str) -> Result<Option<Vec<u8>>, AppError> {
    Ok(db.meta(name).await?.and_then(|v| v.dyn_into::<Uint8Array>().ok()).map(|a| a.to_vec()))
}

pub async fn string(db: &Db, name: &str) -> Result<Option<String>, AppError> {
    Ok(db.meta(name).await?.and_then(|v| v.as_string()))
}

pub async fn number(db: &Db, name: &str) -> Result<Option<f64>, AppError> {
    Ok(db.meta(name).await?.and_then(|v| v.as_f64()))
}
