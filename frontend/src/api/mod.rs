//! The HTTP client of API.md: relative `/api/v1/...` URLs, the wire types of
//! `shared::wire`, and errors mapped by status and error code. A request that got
//! no HTTP answer at all is `AppError::Offline`, distinct from every HTTP error.

use gloo::net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use shared::wire::{
    ErrorBody, LoginRequest, LoginResponse, PullResponse, PushRequest, PushResponse, RemainingResponse,
};

use crate::platform::AppError;

pub mod office;

/// Prefix of every API path.
pub const API: &str = "/api/v1";

thread_local! {
    /// The server's origin. Empty in the app, which talks to the server that
    /// served it (relative URLs); in-browser tests of the sync engine set it
    /// to a real server on another port (which then has to allow that origin).
    static ORIGIN: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Points the client at another server (tests only; the app never calls it).
#[doc(hidden)]
pub fn set_server_origin(origin: &str) {
    ORIGIN.with(|o| *o.borrow_mut() = origin.trim_end_matches('/').to_owned());
}

/// The URL of an API path, e.g. `url("/sync/push")`.
pub(crate) fn url(path: &str) -> String {
    ORIGIN.with(|o| format!("{}{API}{path}", o.borrow()))
}

pub(crate) fn authorized(builder: RequestBuilder, token: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Bearer {token}"))
}

/// Sends a request; a transport failure means offline.
pub(crate) async fn send(request: Result<Request, gloo::net::Error>) -> Result<Response, AppError> {
    let request = request.map_err(|e| AppError::Protocol(format!("building the request: {e}")))?;
    request.send().await.map_err(|_| AppError::Offline)
}

/// The error an HTTP answer that is not 2xx stands for.
pub(crate) async fn error_of(response: &Response) -> AppError {
    let status = response.status();
    let body = response.json::<ErrorBody>().await.ok();
    let (code, message) =
        body.map_or_else(|| (String::new(), response.status_text()), |b| (b.error.code, b.error.message));
    match (status, code.as_str()) {
        (401, "invalid_credentials") => AppError::InvalidCredentials,
        (401, "session_revoked") => AppError::SessionRevoked,
        // `session_expired`, `unauthorized`, or a 401 without a readable body: log in again.
        (401, _) => AppError::SessionExpired,
        (429, _) => AppError::RateLimited {
            retry_after_secs: response.headers().get("Retry-After").and_then(|v| v.trim().parse().ok()),
        },
        // A gateway answering for a server that is down counts as offline.
        (502..=504, "") => AppError::Offline,
        _ => AppError::Http { status, code, message },
    }
}

pub(crate) async fn json_of<T: DeserializeOwned>(response: Response) -> Result<T, AppError> {
    if !response.ok() {
        return Err(error_of(&response).await);
    }
    response.json::<T>().await.map_err(|e| AppError::Protocol(e.to_string()))
}

/// `POST /auth/login`.
pub async fn login(username: &str, password: &str, device_name: &str) -> Result<LoginResponse, AppError> {
    let body = LoginRequest {
        username: username.to_owned(),
        password: password.to_owned(),
        device_name: device_name.to_owned(),
    };
    json_of(send(Request::post(&url("/auth/login")).json(&body)).await?).await
}

/// `POST /auth/logout` (204).
pub async fn logout(token: &str) -> Result<(), AppError> {
    let response = send(authorized(Request::post(&url("/auth/logout")), token).build()).await?;
    if response.ok() { Ok(()) } else { Err(error_of(&response).await) }
}

/// `POST /sync/push`.
pub async fn push(token: &str, body: &PushRequest) -> Result<PushResponse, AppError> {
    json_of(send(authorized(Request::post(&url("/sync/push")), token).json(body)).await?).await
}

/// `GET /sync/pull?cursor=C&limit=N`.
pub async fn pull(token: &str, cursor: Option<&str>, limit: u32) -> Result<PullResponse, AppError> {
    let limit = limit.to_string();
    let mut params = vec![("limit", limit.as_str())];
    if let Some(cursor) = cursor {
        params.push(("cursor", cursor));
    }
    let builder = authorized(Request::get(&url("/sync/pull")), token).query(params);
    json_of(send(builder.build()).await?).await
}

/// `GET /sync/remaining?cursor=C`: how many records a pull from `cursor` would
/// bring now (a Stegvis extension, docs/API-DECISIONS.md).
pub async fn remaining(token: &str, cursor: &str) -> Result<RemainingResponse, AppError> {
    let builder = authorized(Request::get(&url("/sync/remaining")), token).query([("cursor", cursor)]);
    json_of(send(builder.build()).await?).await
}

/// `GET /health`: whether the server answers.
pub async fn health() -> bool {
    match Request::get(&url("/health")).send().await {
        Ok(response) => response.ok(),
        Err(_) => false,
    }
}
