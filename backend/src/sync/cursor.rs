//! The pull cursor: per-program positions, bound to a user and signed.
//!
//! A cursor records, for each program the user could see, the highest
//! version already delivered. Programs missing from it start at 0 (a newly
//! granted program is pulled from the beginning); programs in it that the user
//! no longer sees are reported as revoked. It is signed with a key kept in the
//! database, so every server instance accepts every other's cursors and a
//! client cannot forge or reuse another user's.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

/// Highest delivered version per program.
pub type Positions = BTreeMap<Uuid, i64>;

const TAG_LEN: usize = 16;

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Payload {
    /// Format version.
    v: u8,
    u: Uuid,
    p: Vec<(Uuid, i64)>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    #[error("the cursor is malformed")]
    Malformed,
    #[error("the cursor was not issued to this user")]
    NotYours,
}

fn tag(key: &[u8], payload: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return Vec::new(),
    };
    mac.update(payload);
    mac.finalize().into_bytes()[..TAG_LEN].to_vec()
}

/// Encodes `positions` for `user`.
pub fn encode(key: &[u8], user: Uuid, positions: &Positions) -> String {
    let payload = Payload { v: 1, u: user, p: positions.iter().map(|(k, v)| (*k, *v)).collect() };
    let json = serde_json::to_vec(&payload).unwrap_or_default();
    let mut bytes = tag(key, &json);
    bytes.extend_from_slice(&json);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes a cursor, checking its signature and owner.
pub fn decode(key: &[u8], user: Uuid, cursor: &str) -> Result<Positions, CursorError> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| CursorError::Malformed)?;
    if bytes.len() <= TAG_LEN {
        return Err(CursorError::Malformed);
    }
    let (given, json) = bytes.split_at(TAG_LEN);
    let expected = tag(key, json);
    // Constant-time comparison through the Mac API is overkill for a 16-byte
    // tag that guards no secret; a plain fold avoids early exit anyway.
    let diff = given.iter().zip(&expected).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff != 0 || expected.len() != TAG_LEN {
        return Err(CursorError::Malformed);
    }
    let payload: Payload = serde_json::from_slice(json).map_err(|_| CursorError::Malformed)?;
    if payload.v != 1 {
        return Err(CursorError::Malformed);
    }
    if payload.u != user {
        return Err(CursorError::NotYours);
    }
    Ok(payload.p.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_for_its_user_only() {
        let key = b"k".repeat(32);
        let user = Uuid::from_u128(7);
        let positions: Positions = [(Uuid::from_u128(1), 10), (Uuid::from_u128(2), 0)].into_iter().collect();
        let cursor = encode(&key, user, &positions);
        assert_eq!(decode(&key, user, &cursor), Ok(positions));
        assert_eq!(decode(&key, Uuid::from_u128(8), &cursor), Err(CursorError::NotYours));
        assert_eq!(decode(b"other", user, &cursor), Err(CursorError::Malformed));
    }

    #[test]
    fn rejects_garbage_and_tampering() {
        let key = b"k".repeat(32);
        let user = Uuid::from_u128(7);
        for bad in ["", "abc", "!!!!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
            assert_eq!(decode(&key, user, bad), Err(CursorError::Malformed), "{bad}");
        }
        let cursor = encode(&key, user, &Positions::new());
        let mut bytes = URL_SAFE_NO_PAD.decode(&cursor).unwrap_or_default();
        if let Some(last) = bytes.last_mut() {
            *last ^= 1;
        }
        assert_eq!(decode(&key, user, &URL_SAFE_NO_PAD.encode(bytes)), Err(CursorError::Malformed));
    }
}
