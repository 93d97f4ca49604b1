//! Acknowledged versions, kept apart from the records they belong to.
//!
//! When a push is answered, each acknowledged record takes the version the
//! server gave it. Writing that into the record's row costs a read and a
//! write per record (the row is sealed, so it is read whole and put back
//! whole): 20,000 IndexedDB requests for a day's 10,000 marks. Instead a
//! batch's versions go into one `meta` entry (`acked:<first mutation id>`, a
//! string of `id=version` pairs), and every read of a row takes the higher
//! of its own version and an acknowledged one.
//!
//! The pull that follows a push brings every acknowledged record back in its
//! newest server version (API.md: a pull yields every change after the
//! cursor), so the last page of a complete pull folds the entries away: rows
//! with an outbox entry (kept local, not overwritten by the pull) take the
//! acknowledged version into the row, and the entries are deleted.

use std::collections::HashMap;

use rexie::{KeyRange, Store};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use super::storage_error;
use crate::platform::AppError;

/// Key prefix of the entries in `meta`.
const PREFIX: &str = "acked:";
/// Just after every key with [`PREFIX`] (`;` follows `:`).
const PREFIX_END: &str = "acked;";

/// What a stored page does with the acknowledged versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AckedVersions {
    /// A page in the middle of a pull: leave them.
    Keep,
    /// The last page of a complete pull: every acknowledged record came back
    /// with its server version, so rows still queued take theirs and the
    /// entries go.
    Fold,
    /// A catch-up after a server restore rewrote every row it needed to:
    /// the entries (versions the server may have lost) go as they are.
    Drop,
}

/// Record id → acknowledged version.
pub type Acked = HashMap<Uuid, i64>;

/// The key range of every entry.
pub fn range() -> Result<KeyRange, AppError> {
    KeyRange::bound(&JsValue::from_str(PREFIX), &JsValue::from_str(PREFIX_END), Some(false), Some(true))
        .map_err(storage_error)
}

/// The `meta` key and value of one batch's acknowledged versions.
pub fn entry(first_mutation: Uuid, versions: &[(Uuid, i64)]) -> (JsValue, JsValue) {
    let mut text = String::with_capacity(versions.len() * 48);
    for (i, (id, version)) in versions.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&id.hyphenated().to_string());
        text.push('=');
        text.push_str(&version.to_string());
    }
    (JsValue::from_str(&format!("{PREFIX}{}", first_mutation.hyphenated())), JsValue::from_str(&text))
}

/// Parses entries (unreadable pairs are skipped: they only ever make a
/// version older, never wrong).
pub fn parse(values: &[JsValue]) -> Acked {
    let mut acked = Acked::new();
    for text in values.iter().filter_map(JsValue::as_string) {
        for pair in text.split(',') {
            let Some((id, version)) = pair.split_once('=') else { continue };
            if let (Ok(id), Ok(version)) = (id.parse::<Uuid>(), version.parse::<i64>()) {
                let slot = acked.entry(id).or_insert(version);
                *slot = (*slot).max(version);
            }
        }
    }
    acked
}

/// Every entry, inside a transaction holding `meta`.
pub async fn read(meta: &Store) -> Result<Acked, AppError> {
    let values = meta.get_all(Some(range()?), None).await.map_err(storage_error)?;
    Ok(parse(&values))
}

/// Deletes every entry, inside a read-write transaction holding `meta`.
pub async fn clear(meta: &Store) -> Result<(), AppError> {
    meta.delete(range()?.into()).await.map_err(storage_error)
}

/// The newer of a row's version and its acknowledged one.
pub fn newest(version: Option<i64>, acked: Option<&i64>) -> Option<i64> {
    match (version, acked.copied()) {
        (Some(v), Some(a)) => Some(v.max(a)),
        (v, a) => v.or(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn entries_round_trip_and_keep_the_highest_version() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let (key, first) = entry(a, &[(a, 3), (b, 9)]);
        assert_eq!(key.as_string().as_deref(), Some(format!("acked:{a}").as_str()));
        let (_, second) = entry(b, &[(a, 5)]);
        let acked = parse(&[first, second, JsValue::from_str("garbage,=,x=1")]);
        assert_eq!(acked.len(), 2);
        assert_eq!(acked[&a], 5);
        assert_eq!(acked[&b], 9);
    }

    #[wasm_bindgen_test]
    fn the_newest_version_wins() {
        assert_eq!(newest(Some(4), Some(&7)), Some(7));
        assert_eq!(newest(Some(8), Some(&7)), Some(8));
        assert_eq!(newest(None, Some(&7)), Some(7));
        assert_eq!(newest(Some(4), None), Some(4));
        assert_eq!(newest(None, None), None);
    }
}
