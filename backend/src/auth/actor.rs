//! The authenticated caller of a request: the `Actor` extractor checks the
//! bearer token against the stored sessions and loads the user's programs.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use shared::Role;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// How long an unused session stays valid, unless configured otherwise.
pub const DEFAULT_SESSION_IDLE: Duration = Duration::days(30);
/// How often a session's last-seen time is written at most (not on every request).
const TOUCH_EVERY: Duration = Duration::minutes(1);

#[derive(Clone, Debug)]
pub struct Actor {
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub role: Role,
    pub program_ids: Vec<Uuid>,
}

impl Actor {
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.role == Role::Admin { Ok(()) } else { Err(ApiError::forbidden("this needs the admin role")) }
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
        let now = OffsetDateTime::now_utc();
        let session =
            state.store.session_by_token(&crate::auth::token::hash(token)).await?.ok_or_else(ApiError::unauthorized)?;
        // A disabled user's sessions were all revoked when they were disabled;
        // one opened by a login racing the disabling is cut off the same way.
        if session.revoked_at.is_some() || session.user.disabled {
            return Err(ApiError::Unauthorized {
                code: "session_revoked",
                message: "this device's session was cut off; its local data must be wiped".into(),
            });
        }
        if session.expires_at <= now {
            return Err(ApiError::Unauthorized {
                code: "session_expired",
                message: "the session expired; log in again (unsynced changes are kept)".into(),
            });
        }
        if now - session.last_seen_at >= TOUCH_EVERY.min(state.session_idle / 2) {
            state.store.touch_session(session.id, now, now + state.session_idle).await?;
        }
        let program_ids = state.store.program_ids_of(session.user.id).await?;
        Ok(Actor {
            session_id: session.id,
            user_id: session.user.id,
            org_id: session.user.org_id,
            role: session.user.role,
            program_ids,
        })
    }
}
