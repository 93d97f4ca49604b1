//! Extractors that wrap axum's own so that malformed input gets the same JSON
//! error body as everything else (wrong syntax, content type, query, path).

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// `axum::Json` with API.md's errors: 400 `malformed_json`, 400
/// `bad_content_type`, 422 `invalid_field` naming the field, 413 past the limit.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(value)) => value,
            Err(rejection) => return Err(json_rejection(rejection)),
        };
        // Re-read through serde_path_to_error so the error names the field.
        serde_path_to_error::deserialize(bytes).map(ApiJson).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { "body".to_owned() } else { path };
            ApiError::invalid(&field, clean_serde_message(&e.inner().to_string()))
        })
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::bad_request("bad_content_type", "expected a request with Content-Type: application/json")
        }
        JsonRejection::JsonSyntaxError(e) => {
            ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {}", e.body_text()))
        }
        JsonRejection::JsonDataError(e) => ApiError::InvalidField(e.body_text()),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge {
            code: "payload_too_large",
            message: "the request body is larger than this endpoint accepts".into(),
        },
        other => ApiError::bad_request("malformed_json", other.body_text()),
    }
}

/// serde's messages mention Rust-ish details ("at line 1 column 5"): strip them.
pub fn clean_serde_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// `axum::extract::Query` with a 400 `bad_query` JSON error; a known parameter given more than
/// once is 422 `invalid_field` naming it (a value the contract does not allow, not an unreadable
/// query: the office endpoints promise a 422 naming the parameter, never a 400).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(repeated_parameter(&parts.uri).map_or_else(
                || ApiError::bad_request("bad_query", e.body_text()),
                |name| ApiError::invalid(&name, "given more than once"),
            )),
        }
    }
}

/// The first parameter name that occurs twice in a query string, if any.
fn repeated_parameter(uri: &axum::http::Uri) -> Option<String> {
    let axum::extract::Query(pairs) = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri).ok()?;
    let mut seen = std::collections::HashSet::new();
    pairs.into_iter().map(|(name, _)| name).find(|name| !seen.insert(name.clone()))
}

/// `axum::extract::Path` where an unreadable id is simply not found.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|_: PathRejection| ApiError::NotFound)
    }
}
