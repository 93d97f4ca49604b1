//! Reading single records: the history of versions and conflicts of one
//! record, for members of its program ("nothing acknowledged is lost").

use axum::Json;
use axum::extract::State;
use shared::wire::{ErrorBody, RecordHistory};
use uuid::Uuid;

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::ApiPath;
use crate::state::AppState;

/// Every version of a record, oldest first, and both values of every conflict.
#[utoipa::path(get, path = "/api/v1/records/{id}/history", tag = "records", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = RecordHistory), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<RecordHistory>> {
    let history = state.store.record_history(id).await?.ok_or(ApiError::NotFound)?;
    if !actor.program_ids.contains(&history.record.program_id) {
        return Err(ApiError::NotFound);
    }
    Ok(Json(history))
}
