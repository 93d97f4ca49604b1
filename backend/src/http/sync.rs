//! Push and pull (API.md, "Push" and "Pull").

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::Value;
use shared::wire::{
    DEFAULT_PULL_LIMIT, ErrorBody, MAX_MUTATIONS_PER_PUSH, MAX_PULL_LIMIT, PullResponse, PushRequest, PushResponse,
    RemainingResponse,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::{ApiJson, ApiQuery};
use crate::state::AppState;
use crate::store::{PushContext, to_millis};
use crate::sync::cursor::{self, CursorError, Positions};
use crate::sync::prepare::{PrepareContext, prepare};

/// The push body, read leniently per mutation so that one bad mutation is
/// rejected alone instead of failing the request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushEnvelope {
    device_id: Uuid,
    mutations: Vec<Value>,
}

/// Applies a batch of changes from one device; one result per mutation, in order.
#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", security(("bearer" = [])), request_body = PushRequest,
    responses((status = 200, body = PushResponse), (status = 400, body = ErrorBody),
              (status = 413, description = "payload_too_large or too_many_mutations", body = ErrorBody)))]
pub async fn push(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<PushEnvelope>,
) -> ApiResult<Json<PushResponse>> {
    if body.mutations.len() > MAX_MUTATIONS_PER_PUSH {
        return Err(ApiError::TooLarge {
            code: "too_many_mutations",
            message: format!("at most {MAX_MUTATIONS_PER_PUSH} mutations per push"),
        });
    }
    let now = OffsetDateTime::now_utc();
    let prepare_ctx = PrepareContext {
        device_id: body.device_id,
        role: actor.role,
        program_ids: &actor.program_ids,
        now_millis: u64::try_from(to_millis(now)).unwrap_or(0),
    };
    let count = body.mutations.len();
    let items: Vec<_> = body.mutations.into_iter().map(|m| prepare(m, &prepare_ctx)).collect();
    let ctx = PushContext {
        user_id: actor.user_id,
        role: actor.role,
        device_id: body.device_id,
        program_ids: actor.program_ids.clone(),
        now,
    };
    let results = state.store.push(&ctx, items).await?;
    let rejected = results.iter().filter(|r| r.error.is_some()).count();
    tracing::info!(user_id = %actor.user_id, device_id = %body.device_id, count, rejected, "push");
    Ok(Json(PushResponse { results, server_time: OffsetDateTime::now_utc() }))
}

/// The positions a cursor holds (none: from the beginning); `bad_cursor` for
/// a malformed cursor or another user's.
fn positions_of(state: &AppState, actor: &Actor, cursor: Option<&str>) -> ApiResult<Positions> {
    match cursor {
        None | Some("") => Ok(Positions::new()),
        Some(c) => cursor::decode(&state.cursor_key, actor.user_id, c).map_err(|e| match e {
            CursorError::Malformed => ApiError::bad_request("bad_cursor", "cursor: malformed"),
            CursorError::NotYours => ApiError::bad_request("bad_cursor", "cursor: not issued to this user"),
        }),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PullParams {
    /// Opaque cursor from the previous pull; omit to start from the beginning.
    cursor: Option<String>,
    /// Page size: default 1000, at most 5000.
    limit: Option<i64>,
}

/// Changes after the cursor in ascending version order, newest state of each record.
#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", security(("bearer" = [])), params(PullParams),
    responses((status = 200, body = PullResponse), (status = 400, description = "bad_cursor", body = ErrorBody),
              (status = 409, description = "server_restored: the cursor is ahead of the database", body = ErrorBody)))]
pub async fn pull(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<PullParams>,
) -> ApiResult<Json<PullResponse>> {
    let limit = match params.limit {
        None => DEFAULT_PULL_LIMIT,
        Some(n) if n < 1 => return Err(ApiError::invalid("limit", "must be at least 1")),
        Some(n) => u32::try_from(n).unwrap_or(MAX_PULL_LIMIT).min(MAX_PULL_LIMIT),
    };
    let positions = positions_of(&state, &actor, params.cursor.as_deref())?;
    let page = state.store.pull(actor.user_id, &positions, limit).await?;
    // A cursor past everything this database holds was issued before the
    // database was restored from an older backup: the device must learn
    // that the server went back, so it can push again what was lost.
    if positions.iter().any(|(program, position)| page.program_ids.contains(program) && *position > page.high_water) {
        tracing::warn!(user_id = %actor.user_id, high_water = page.high_water, "pull with a cursor ahead of the database");
        return Err(ApiError::Conflict {
            code: "server_restored",
            message: "cursor: ahead of this server's data (restored from a backup?); pull from the beginning and \
                      push again what the server no longer has"
                .into(),
        });
    }
    let reached = if page.has_more { page.records.last().map_or(0, |r| r.version) } else { page.high_water };
    let next: Positions =
        page.program_ids.iter().map(|p| (*p, positions.get(p).copied().unwrap_or(0).max(reached))).collect();
    let revoked_program_ids = positions.keys().filter(|p| !page.program_ids.contains(p)).copied().collect();
    Ok(Json(PullResponse {
        cursor: cursor::encode(&state.cursor_key, actor.user_id, &next),
        records: page.records,
        has_more: page.has_more,
        revoked_program_ids,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RemainingParams {
    /// Cursor from a pull; omit to count everything a first pull would bring.
    cursor: Option<String>,
}

/// How many records a pull from the cursor would bring now (a Stegvis
/// extension, docs/API-DECISIONS.md): a device with more than one page to
/// fetch asks once, to show "records received of total".
#[utoipa::path(get, path = "/api/v1/sync/remaining", tag = "sync", security(("bearer" = [])),
    params(RemainingParams),
    responses((status = 200, body = RemainingResponse), (status = 400, description = "bad_cursor", body = ErrorBody)))]
pub async fn remaining(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<RemainingParams>,
) -> ApiResult<Json<RemainingResponse>> {
    let positions = positions_of(&state, &actor, params.cursor.as_deref())?;
    let records = state.store.remaining(actor.user_id, &positions).await?;
    Ok(Json(RemainingResponse { records }))
}
