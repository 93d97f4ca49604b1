//! The one error type at the HTTP edge and its mapping to API.md's JSON error
//! body. Causes are logged here and never sent to the client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use shared::wire::{ErrorBody, ErrorInfo};

use crate::store::StoreError;

/// Every way a request can fail, as the client sees it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request cannot be read (syntax, content type, query, cursor).
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// 422: a field holds a value the contract does not allow; the message names it.
    #[error("{0}")]
    InvalidField(String),
    /// 401 with a code (`unauthorized`, `invalid_credentials`).
    #[error("{message}")]
    Unauthorized { code: &'static str, message: String },
    /// 403: the role or scope forbids it.
    #[error("{0}")]
    Forbidden(String),
    /// 404: unknown, or not visible to the caller.
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409 on admin objects.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 429: too many attempts; retry after the given seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// 408: the request took longer than the server allows.
    #[error("request timed out")]
    Timeout,
    /// 413 with a code (`payload_too_large`, `too_many_mutations`).
    #[error("{message}")]
    TooLarge { code: &'static str, message: String },
    /// 500 or 503: the cause is logged, the client gets a generic message.
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest { code, message: message.into() }
    }

    pub fn invalid(field: &str, message: impl std::fmt::Display) -> ApiError {
        ApiError::InvalidField(format!("{field}: {message}"))
    }

    pub fn unauthorized() -> ApiError {
        ApiError::Unauthorized { code: "unauthorized", message: "a valid bearer token is required".into() }
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::Forbidden(message.into())
    }

    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            ApiError::BadRequest { code, message } => (StatusCode::BAD_REQUEST, code, message.clone()),
            ApiError::InvalidField(message) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message.clone()),
            ApiError::Unauthorized { code, message } => (StatusCode::UNAUTHORIZED, code, message.clone()),
            ApiError::Forbidden(message) => (StatusCode::FORBIDDEN, "forbidden", message.clone()),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", "not found".into()),
            ApiError::MethodNotAllowed => {
                (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "method not allowed on this path".into())
            }
            ApiError::Conflict { code, message } => (StatusCode::CONFLICT, code, message.clone()),
            ApiError::TooLarge { code, message } => (StatusCode::PAYLOAD_TOO_LARGE, code, message.clone()),
            ApiError::TooManyRequests { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!("too many failed attempts; try again in {retry_after_secs} s"),
            ),
            ApiError::Timeout => {
                (StatusCode::REQUEST_TIMEOUT, "timeout", "the request took too long; nothing was stored".into())
            }
            ApiError::Store(e) if e.is_unavailable() => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database is unavailable; nothing was stored, try again later".into(),
            ),
            ApiError::Store(_) | ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error; nothing was stored".into())
            }
        }
    }
}

/// The JSON error response for a status, code and message.
pub fn error_response(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = ErrorBody { error: ErrorInfo::new(code, message) };
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::TOO_MANY_REQUESTS {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = error_response(status, code, message);
        if let ApiError::TooManyRequests { retry_after_secs } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
