//! Login, logout and device sessions (API.md, "Auth").

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use shared::wire::{ErrorBody, LoginRequest, LoginResponse, SessionInfo, SessionList, UserInfo};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::{Actor, password, token};
use crate::error::{ApiError, ApiResult};
use crate::http::client_addr::ClientAddr;
use crate::http::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::{NewSession, SessionRow};

const MAX_DEVICE_NAME_CHARS: usize = 100;
const MAX_USERNAME_CHARS: usize = 64;

fn invalid_credentials() -> ApiError {
    ApiError::Unauthorized { code: "invalid_credentials", message: "wrong username or password".into() }
}

/// Logs in and opens a device session.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, description = "invalid_credentials", body = ErrorBody),
              (status = 422, body = ErrorBody),
              (status = 429, description = "too_many_requests, with Retry-After", body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let device_name = req.device_name.trim();
    if device_name.is_empty() || device_name.chars().count() > MAX_DEVICE_NAME_CHARS {
        return Err(ApiError::invalid("device_name", format!("must be 1 to {MAX_DEVICE_NAME_CHARS} characters")));
    }
    let started = std::time::Instant::now();
    if let Err(wait) = state.login_throttle.check(&req.username, client, started) {
        tracing::warn!(%client, "login throttled");
        return Err(ApiError::TooManyRequests { retry_after_secs: wait.as_secs().max(1) });
    }
    let too_long = req.username.chars().count() > MAX_USERNAME_CHARS
        || req.password.chars().count() > password::MAX_PASSWORD_CHARS;
    let credentials = if too_long { None } else { state.store.credentials(req.username.trim()).await? };
    // Verify against a real hash even for unknown users: same time, same answer.
    let (phc, user) = match credentials {
        Some(c) if !c.user.disabled => (c.password_hash, Some(c.user)),
        _ => (state.dummy_hash.to_string(), None),
    };
    let matches = password::verify(req.password, phc).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let user = match user {
        Some(user) if matches => user,
        _ => {
            state.login_throttle.record_failure(&req.username, client, started);
            tracing::info!(%client, "login failed");
            return Err(invalid_credentials());
        }
    };
    state.login_throttle.record_success(&req.username);
    let now = OffsetDateTime::now_utc();
    let token = token::generate();
    let session = NewSession {
        id: Uuid::now_v7(),
        user_id: user.id,
        token_hash: token::hash(&token),
        device_name: device_name.to_owned(),
        now,
        expires_at: now + state.session_idle,
    };
    state.store.create_session(&session).await?;
    let program_ids = state.store.program_ids_of(user.id).await?;
    tracing::info!(user_id = %user.id, session_id = %session.id, "logged in");
    Ok(Json(LoginResponse {
        token,
        user: UserInfo {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            org_id: user.org_id,
            program_ids,
        },
        expires_at: session.expires_at,
    }))
}

/// Ends the calling session at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, actor: Actor) -> ApiResult<StatusCode> {
    state.store.delete_session(actor.session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn session_info(row: SessionRow, current: Uuid) -> SessionInfo {
    SessionInfo {
        id: row.id,
        user_id: row.user.id,
        username: row.user.username,
        device_name: row.device_name,
        created_at: row.created_at,
        last_seen_at: row.last_seen_at,
        expires_at: row.expires_at,
        current: row.id == current,
    }
}

/// The caller's own device sessions; for an admin, every session of their organisation.
#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = SessionList), (status = 401, body = ErrorBody)))]
pub async fn list_sessions(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<SessionList>> {
    let now = OffsetDateTime::now_utc();
    let rows = if actor.role == shared::Role::Admin {
        state.store.sessions_of_org(actor.org_id, now).await?
    } else {
        state.store.sessions_of_user(actor.user_id, now).await?
    };
    Ok(Json(SessionList { sessions: rows.into_iter().map(|r| session_info(r, actor.session_id)).collect() }))
}

/// Cuts off a device session: the caller's own, or (admin) one of their organisation's users'.
#[utoipa::path(delete, path = "/api/v1/auth/sessions/{id}", tag = "auth", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_session(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    let session = state.store.live_session(id, OffsetDateTime::now_utc()).await?.ok_or(ApiError::NotFound)?;
    let allowed =
        session.user.id == actor.user_id || (actor.role == shared::Role::Admin && session.user.org_id == actor.org_id);
    if !allowed {
        return Err(ApiError::NotFound);
    }
    if id == actor.session_id {
        // Cutting off the session in hand is a logout.
        state.store.delete_session(id).await?;
    } else {
        state.store.revoke_session(id, actor.user_id, OffsetDateTime::now_utc()).await?;
    }
    tracing::info!(session_id = %id, by = %actor.user_id, "session revoked");
    Ok(StatusCode::NO_CONTENT)
}
