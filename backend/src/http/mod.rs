//! The HTTP edge: the router of `/api/v1` and the app shell at `/`.

pub mod access_log;
pub mod admin;
pub mod app_shell;
pub mod auth;
pub mod client_addr;
pub mod extract;
pub mod health;
pub mod office;
pub mod openapi;
pub mod records;
pub mod reports;
pub mod security;
pub mod sync;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};
use shared::wire::MAX_PUSH_BYTES;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::state::AppState;

/// Largest body of any API route but push.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

async fn api_not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Longest an API request may take; past it the answer is 408 and, for a
/// push, the transaction is rolled back (nothing acknowledged).
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

async fn time_limit(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => axum::response::IntoResponse::into_response(ApiError::Timeout),
    }
}

/// The whole application: `/api/v1/*` and the built app.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(health::health))
        .route("/openapi.json", get(openapi::openapi_json))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/sessions", get(auth::list_sessions))
        .route("/auth/sessions/{id}", delete(auth::revoke_session))
        .route("/programs", post(admin::create_program).get(admin::list_programs))
        .route("/programs/{id}/members", post(admin::add_member).get(admin::list_members))
        .route("/programs/{id}/members/{user_id}", delete(admin::remove_member))
        .route("/users", post(admin::create_user).get(admin::list_users))
        .route("/users/{id}/disable", post(admin::disable_user))
        .route("/users/{id}/enable", post(admin::enable_user))
        .route("/agreements", post(admin::create_agreement).get(admin::list_agreements))
        .route("/orgs", get(admin::list_orgs))
        .route("/sync/push", post(sync::push).layer(DefaultBodyLimit::max(MAX_PUSH_BYTES)))
        .route("/sync/pull", get(sync::pull))
        .route("/sync/remaining", get(sync::remaining))
        .route("/records/{id}/history", get(records::history))
        .route("/office/directory", get(office::directory))
        .route("/office/inbox", get(office::inbox))
        .route("/office/inbox/seen", post(office::mark_seen))
        .route("/office/participants", get(office::participants))
        .route("/office/participants/{id}", get(office::participant_file))
        .route("/reports/attendance", get(reports::attendance))
        .route("/reports/attendance/export", get(reports::attendance_export))
        .route("/reports/outcomes", get(reports::outcomes))
        .route("/reports/outcomes/export", get(reports::outcomes_export))
        .route("/admin/access-log", get(access_log::list))
        .route("/admin/access-log/summary", get(access_log::summary))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(time_limit));
    let cors = cors_layer(&state.cors_origins);
    let router = Router::new()
        .nest("/api/v1", api)
        .route("/api", get(api_not_found))
        .route("/api/{*rest}", get(api_not_found).post(api_not_found).put(api_not_found).delete(api_not_found))
        .fallback(app_shell::serve_app)
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::add_headers))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // gzip (fastest level) for clients that accept it: a pull page of
        // 2,000 records goes from about 1.2 MB to about 0.2 MB on a phone's
        // network. Bearer tokens, no cookies: no BREACH-style oracle.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    match cors {
        Some(cors) => router.layer(cors),
        None => router,
    }
}

/// CORS for the configured origins only; none configured, none sent.
fn cors_layer(origins: &[axum::http::HeaderValue]) -> Option<tower_http::cors::CorsLayer> {
    use axum::http::{Method, header};
    (!origins.is_empty()).then(|| {
        tower_http::cors::CorsLayer::new()
            .allow_origin(tower_http::cors::AllowOrigin::list(origins.iter().cloned()))
            .allow_methods([Method::GET, Method::POST, Method::DELETE])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
            .expose_headers([header::RETRY_AFTER])
    })
}
