//! The access log for the admin (docs/OFFICE.md, "The access log"): who
//! read whose data and when, within the admin's own organisation, as a
//! filtered page and as a monthly summary. Reading the log is not logged.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use shared::calendar::YearMonth;
use shared::office::{AccessLogPage, AccessLogSummary};
use shared::wire::ErrorBody;
use time::{Date, OffsetDateTime, Time};

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::ApiQuery;
use crate::http::office::{date_param, page_params, required, uuid_param};
use crate::state::AppState;
use crate::store::office::{AccessAction, AccessLogQuery};
use crate::store::to_millis;

/// One day in milliseconds.
const DAY_MS: i64 = 86_400_000;

/// Midnight UTC at the start of `date`, unix ms.
fn start_of(date: Date) -> i64 {
    to_millis(OffsetDateTime::new_utc(date, Time::MIDNIGHT))
}

#[derive(Debug, Deserialize)]
pub struct AccessLogParams {
    user_id: Option<String>,
    participant_id: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// The organisation's access-log entries, newest first.
#[utoipa::path(get, path = "/api/v1/admin/access-log", tag = "admin", security(("bearer" = [])),
    params(
        ("user_id" = Option<Uuid>, Query, description = "who read"),
        ("participant_id" = Option<Uuid>, Query, description = "whom the read was about"),
        ("action" = Option<String>, Query, description = "`participant_file`, `record_history`, \
            `attendance_report`, `attendance_export`, `outcomes_export` or `retention`"),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD (UTC), inclusive"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD (UTC), inclusive"),
        ("limit" = Option<u32>, Query, description = "default 100, at most 500"),
        ("offset" = Option<u32>, Query),
    ),
    responses((status = 200, body = AccessLogPage), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<AccessLogParams>,
) -> ApiResult<Json<AccessLogPage>> {
    actor.require_admin()?;
    let user_id = uuid_param("user_id", &params.user_id)?;
    let participant_id = uuid_param("participant_id", &params.participant_id)?;
    let action = match params.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => Some(AccessAction::parse(a).ok_or_else(|| {
            ApiError::invalid(
                "action",
                "must be one of `participant_file`, `record_history`, `attendance_report`, `attendance_export`, \
                 `outcomes_export`, `retention`",
            )
        })?),
    };
    let from = date_param("from", &params.from)?;
    let to = date_param("to", &params.to)?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(ApiError::invalid("to", "must not be before from"));
    }
    let (limit, offset) = page_params(&params.limit, &params.offset)?;
    let query = AccessLogQuery {
        org_id: actor.org_id,
        user_id,
        participant_id,
        action,
        from_ms: from.map(start_of),
        to_ms: to.map(|d| start_of(d) + DAY_MS),
        limit,
        offset,
    };
    Ok(Json(state.store.access_log(&query).await?))
}

#[derive(Debug, Deserialize)]
pub struct SummaryParams {
    month: Option<String>,
}

/// Who looked at whom in a month, and how often (the admin's organisation).
#[utoipa::path(get, path = "/api/v1/admin/access-log/summary", tag = "admin", security(("bearer" = [])),
    params(("month" = String, Query, description = "YYYY-MM (UTC)")),
    responses((status = 200, body = AccessLogSummary), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn summary(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<SummaryParams>,
) -> ApiResult<Json<AccessLogSummary>> {
    actor.require_admin()?;
    let text = required("month", params.month.as_deref().map(str::trim).filter(|m| !m.is_empty()))?;
    let month = YearMonth::parse(text).ok_or_else(|| ApiError::invalid("month", "must be a month written YYYY-MM"))?;
    let from = start_of(month.first_day());
    let to = start_of(month.last_day()) + DAY_MS;
    Ok(Json(state.store.access_log_summary(actor.org_id, &month.to_string(), from, to).await?))
}
