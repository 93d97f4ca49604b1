//! Reading single records: the history of versions and conflicts of one
//! record, for members of its program ("nothing acknowledged is lost").
//! An office or admin read is written to the access log (docs/OFFICE.md).

use axum::Json;
use axum::extract::State;
use shared::wire::{ErrorBody, RecordHistory};
use uuid::Uuid;

use shared::Role;

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::ApiPath;
use crate::http::office::log_reads;
use crate::state::AppState;
use crate::store::facts::facts_of;
use crate::store::office::AccessAction;

/// Every version of a record, oldest first, and both values of every conflict.
#[utoipa::path(get, path = "/api/v1/records/{id}/history", tag = "records", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = RecordHistory), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<RecordHistory>> {
    let history = state.store.record_history(id).await?.ok_or(ApiError::NotFound)?;
    let record = &history.record;
    if !actor.program_ids.contains(&record.program_id) {
        return Err(ApiError::NotFound);
    }
    // An office or admin read is logged: one row per participant the record is about (none for a site).
    if matches!(actor.role, Role::Office | Role::Admin) {
        let data = record.data.as_object().cloned().unwrap_or_default();
        let about = facts_of(record.id, record.kind, &data).participants;
        log_reads(&state, &actor, AccessAction::RecordHistory, record.program_id, &about).await?;
    }
    Ok(Json(history))
}
