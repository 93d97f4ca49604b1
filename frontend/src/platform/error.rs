//! `AppError`: the one error type of the core (`platform`, `crypto`, `idb`,
//! `api`, `repo`, `sync`). Messages name what failed, never a participant's data.

use wasm_bindgen::{JsCast, JsValue};

/// Everything the core can fail with. `Clone + PartialEq` so the UI can keep it in state.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// The password does not open the vault (the data key could not be unwrapped).
    #[error("wrong password")]
    WrongPassword,
    /// The operation needs the unlocked vault.
    #[error("the app is locked")]
    Locked,
    /// No device session: log in online first.
    #[error("not logged in on this device")]
    NotLoggedIn,
    /// Login refused (`401 invalid_credentials`).
    #[error("wrong username or password")]
    InvalidCredentials,
    /// `401 session_expired` or `401 unauthorized`: log in again; the outbox is kept.
    #[error("the session has expired: log in again")]
    SessionExpired,
    /// `401 session_revoked`: the device session was cut off; the device wipes its data.
    #[error("this device's session was revoked")]
    SessionRevoked,
    /// The request never got an HTTP answer (no network, server down).
    #[error("no connection to the server")]
    Offline,
    /// `429`: try again later (`Retry-After` seconds when given).
    #[error("too many requests")]
    RateLimited { retry_after_secs: Option<u32> },
    /// Any other HTTP error answer, with the code and message of its error body.
    #[error("server answered {status} {code}: {message}")]
    Http { status: u16, code: String, message: String },
    /// An answer we could not read.
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
    /// IndexedDB failed (quota exceeded, connection lost, …).
    #[error("storage error: {0}")]
    Storage(String),
    /// WebCrypto failed for another reason than a wrong password.
    #[error("crypto error: {0}")]
    Crypto(String),
    /// A value the core refuses (e.g. an attendance id that breaks the id rule).
    #[error("invalid: {0}")]
    Invalid(String),
    /// No such record / outbox entry on this device.
    #[error("not found on this device")]
    NotFound,
    /// A browser API is missing or failed.
    #[error("browser error: {0}")]
    Browser(String),
}

impl AppError {
    /// A `Browser` error from a JS exception.
    pub fn browser(context: &str, err: &JsValue) -> AppError {
        AppError::Browser(format!("{context}: {}", js_message(err)))
    }

    /// A `Storage` error from a JS exception.
    pub fn storage(context: &str, err: &JsValue) -> AppError {
        AppError::Storage(format!("{context}: {}", js_message(err)))
    }

    /// Whether the error means the network or server was unreachable.
    pub fn is_offline(&self) -> bool {
        matches!(self, AppError::Offline)
    }

    /// Whether the error came from IndexedDB.
    pub fn is_storage(&self) -> bool {
        matches!(self, AppError::Storage(_))
    }

    /// Whether the storage quota is exhausted (`QuotaExceededError`).
    pub fn is_quota_exceeded(&self) -> bool {
        matches!(self, AppError::Storage(message) if message.contains("QuotaExceeded"))
    }
}

/// The `name: message` of a JS error (DOMException or Error), or its string form.
pub fn js_message(err: &JsValue) -> String {
    if let Some(exception) = err.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", exception.name(), exception.message());
    }
    if let Some(error) = err.dyn_ref::<js_sys::Error>() {
        return format!("{}: {}", String::from(error.name()), String::from(error.message()));
    }
    err.as_string().unwrap_or_else(|| format!("{err:?}"))
}
