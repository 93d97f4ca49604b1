//! The rows of the `records` and `outbox` stores: clear ids, kind, versions and flags plus one sealed
//! blob (`sealed`: `iv || ciphertext` as a `Uint8Array`), and their JS conversion.

use js_sys::{Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use shared::Kind;
use shared::wire::ErrorInfo;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

use crate::platform::AppError;

/// Property holding the sealed bytes in every row.
const SEALED: &str = "sealed";

/// A row of `records`. Only ids, kind, version and flags are clear (rows of
/// schema version 1 also had participant/site/placement ids and the
/// attendance date; they are ignored when read and gone once rewritten).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordRow {
    pub id: Uuid,
    pub kind: Kind,
    pub program_id: Uuid,
    /// Server version; `None` while never acknowledged.
    #[serde(default)]
    pub version: Option<i64>,
    pub deleted: bool,
    pub conflict: bool,
    /// Sealed `RecordPayload` (repo).
    #[serde(skip)]
    pub sealed: Vec<u8>,
}

/// Whether an outbox entry still waits for the server or was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Pending,
    Rejected,
}

/// A row of `outbox`; the key is the mutation id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: Uuid,
    /// Push order.
    pub seq: u64,
    pub record_id: Uuid,
    pub kind: Kind,
    pub program_id: Uuid,
    pub state: OutboxState,
    /// Why the server refused it (its messages name fields, never values).
    #[serde(default)]
    pub error: Option<ErrorInfo>,
    /// Sealed `shared::wire::Mutation`.
    #[serde(skip)]
    pub sealed: Vec<u8>,
}

fn to_js<T: Serialize>(row: &T, sealed: &[u8]) -> Result<JsValue, AppError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    let value = row.serialize(&serializer).map_err(|e| AppError::Storage(format!("encode row: {e}")))?;
    Reflect::set(&value, &JsValue::from_str(SEALED), &Uint8Array::from(sealed))
        .map_err(|e| AppError::storage("encode row", &e))?;
    Ok(value)
}

fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue) -> Result<(T, Vec<u8>), AppError> {
    let sealed = Reflect::get(&value, &JsValue::from_str(SEALED))
        .ok()
        .and_then(|v| v.dyn_into::<Uint8Array>().ok())
        .map(|a| a.to_vec())
        .unwrap_or_default();
    let row = serde_wasm_bindgen::from_value(value).map_err(|e| AppError::Storage(format!("decode row: {e}")))?;
    Ok((row, sealed))
}

impl RecordRow {
    pub fn to_js(&self) -> Result<JsValue, AppError> {
        to_js(self, &self.sealed)
    }

    pub fn from_js(value: JsValue) -> Result<RecordRow, AppError> {
        let (mut row, sealed): (RecordRow, _) = from_js(value)?;
        row.sealed = sealed;
        Ok(row)
    }
}

impl OutboxRow {
    pub fn to_js(&self) -> Result<JsValue, AppError> {
        to_js(self, &self.sealed)
    }

    pub fn from_js(value: JsValue) -> Result<OutboxRow, AppError> {
        let (mut row, sealed): (OutboxRow, _) = from_js(value)?;
        row.sealed = sealed;
        Ok(row)
    }
}

/// A JS string key for an id.
pub fn key(id: Uuid) -> JsValue {
    JsValue::from_str(&id.hyphenated().to_string())
}
