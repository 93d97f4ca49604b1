//! The office desk (docs/OFFICE.md): the directory, the inbox and its mark,
//! the participant register and the participant file (logged), for office
//! and admin users within their programs. Also the query-parameter rules
//! the report and access-log routes share: every bad parameter is a 422
//! naming it, paging is `limit` (default 100, at most 500) and `offset`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use shared::office::{
    DEFAULT_PAGE_LIMIT, Directory, Inbox, MAX_PAGE_LIMIT, MarkSeen, ParticipantFile, ParticipantList,
};
use shared::records::{IsoDate, ParticipantStatus};
use shared::wire::{ErrorBody, Program};
use shared::{Kind, Role};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use crate::store::office::{self, AccessAction, AccessWrite, InboxQuery, ParticipantQuery};

/// Longest `q` of the participant register.
const MAX_SEARCH_CHARS: usize = 200;

/// Office and admin only: coaches and pedagogues get 403.
pub(crate) fn require_desk(actor: &Actor) -> ApiResult<()> {
    match actor.role {
        Role::Office | Role::Admin => Ok(()),
        Role::Coach | Role::Pedagogue => Err(ApiError::forbidden("this needs the office or admin role")),
    }
}

/// A parameter that is present and not blank.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// An optional UUID parameter.
pub(crate) fn uuid_param(name: &str, value: &Option<String>) -> ApiResult<Option<Uuid>> {
    given(value).map(|v| Uuid::parse_str(v).map_err(|_| ApiError::invalid(name, "must be a UUID"))).transpose()
}

/// An optional `YYYY-MM-DD` parameter.
pub(crate) fn date_param(name: &str, value: &Option<String>) -> ApiResult<Option<Date>> {
    given(value).map(|v| IsoDate::parse(v).map(IsoDate::date).map_err(|e| ApiError::invalid(name, e))).transpose()
}

/// A required parameter.
pub(crate) fn required<T>(name: &str, value: Option<T>) -> ApiResult<T> {
    value.ok_or_else(|| ApiError::invalid(name, "is required"))
}

/// `program_id`, which must be one of the caller's programs (else 404);
/// `None` when not given.
pub(crate) fn program_param(actor: &Actor, value: &Option<String>) -> ApiResult<Option<Uuid>> {
    match uuid_param("program_id", value)? {
        Some(id) if actor.program_ids.contains(&id) => Ok(Some(id)),
        Some(_) => Err(ApiError::NotFound),
        None => Ok(None),
    }
}

/// `limit` (default 100; above 500 taken as 500) and `offset` (≥ 0).
pub(crate) fn page_params(limit: &Option<String>, offset: &Option<String>) -> ApiResult<(i64, i64)> {
    let limit = match given(limit) {
        None => i64::from(DEFAULT_PAGE_LIMIT),
        Some(v) => {
            let n: i64 = v.parse().map_err(|_| ApiError::invalid("limit", "must be a whole number"))?;
            if n < 1 {
                return Err(ApiError::invalid("limit", "must be at least 1"));
            }
            n.min(i64::from(MAX_PAGE_LIMIT))
        }
    };
    let offset = match given(offset) {
        None => 0,
        Some(v) => {
            let n: i64 = v.parse().map_err(|_| ApiError::invalid("offset", "must be a whole number"))?;
            if n < 0 {
                return Err(ApiError::invalid("offset", "must not be negative"));
            }
            n
        }
    };
    Ok((limit, offset))
}

/// Writes the access-log rows of a read before its answer goes out: if they
/// cannot be written, the read fails and nothing is shown.
pub(crate) async fn log_reads(
    state: &AppState,
    actor: &Actor,
    action: AccessAction,
    program_id: Uuid,
    participants: &[Uuid],
) -> ApiResult<()> {
    let at = OffsetDateTime::now_utc();
    let entries: Vec<AccessWrite> = participants
        .iter()
        .map(|p| AccessWrite {
            at,
            user_id: actor.user_id,
            org_id: actor.org_id,
            action,
            program_id: Some(program_id),
            participant_id: Some(*p),
        })
        .collect();
    state.store.log_access(&entries).await?;
    Ok(())
}

/// Programs, people and sites to name things and fill the desk's filters.
#[utoipa::path(get, path = "/api/v1/office/directory", tag = "office", security(("bearer" = [])),
    responses((status = 200, body = Directory), (status = 403, body = ErrorBody)))]
pub async fn directory(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Directory>> {
    require_desk(&actor)?;
    let mut programs = state.store.programs(&actor.program_ids).await?;
    if actor.role == Role::Admin {
        for row in state.store.programs_of_org(actor.org_id).await? {
            if !programs.iter().any(|p| p.id == row.id) {
                programs.push(row);
            }
        }
    }
    let program_ids: Vec<Uuid> = programs.iter().map(|p| p.id).collect();
    let people = state.store.people_of_programs(&program_ids).await?;
    // Sites are records: only those of the caller's own programs.
    let sites = state.store.sites_of_programs(&actor.program_ids).await?;
    let programs = programs.into_iter().map(|p| Program { id: p.id, name: p.name, org_id: p.org_id }).collect();
    Ok(Json(Directory { programs, people, sites }))
}

#[derive(Debug, Deserialize)]
pub struct InboxParams {
    program_id: Option<String>,
    kind: Option<String>,
    updated_by: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// What was synced since the caller's mark, newest first, and every unresolved conflict.
#[utoipa::path(get, path = "/api/v1/office/inbox", tag = "office", security(("bearer" = [])),
    params(
        ("program_id" = Option<Uuid>, Query, description = "one of the caller's programs (else 404)"),
        ("kind" = Option<Kind>, Query),
        ("updated_by" = Option<Uuid>, Query, description = "the writer"),
        ("limit" = Option<u32>, Query, description = "default 100, at most 500"),
        ("offset" = Option<u32>, Query),
    ),
    responses((status = 200, body = Inbox), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn inbox(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<InboxParams>,
) -> ApiResult<Json<Inbox>> {
    require_desk(&actor)?;
    let program = program_param(&actor, &params.program_id)?;
    let kind =
        given(&params.kind).map(|k| k.parse::<Kind>().map_err(|e| ApiError::invalid("kind", e.message))).transpose()?;
    let updated_by = uuid_param("updated_by", &params.updated_by)?;
    let (limit, offset) = page_params(&params.limit, &params.offset)?;
    let query = InboxQuery {
        user_id: actor.user_id,
        program_ids: program.map_or_else(|| actor.program_ids.clone(), |p| vec![p]),
        kind,
        updated_by,
        limit,
        offset,
    };
    Ok(Json(state.store.inbox(&query).await?))
}

/// Marks the inbox seen up to `version` (never lowered).
#[utoipa::path(post, path = "/api/v1/office/inbox/seen", tag = "office", security(("bearer" = [])),
    request_body = MarkSeen,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mark_seen(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(req): ApiJson<MarkSeen>,
) -> ApiResult<StatusCode> {
    require_desk(&actor)?;
    if req.version < 0 {
        return Err(ApiError::invalid("version", "must not be negative"));
    }
    match state.store.mark_seen(actor.user_id, req.version).await? {
        office::MarkSeen::Marked => Ok(StatusCode::NO_CONTENT),
        office::MarkSeen::AboveHighWater(high) => {
            Err(ApiError::invalid("version", format!("is above the highest version ({high})")))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ParticipantParams {
    program_id: Option<String>,
    coach_id: Option<String>,
    status: Option<String>,
    site_id: Option<String>,
    q: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// The live participants of the caller's programs, by display name.
#[utoipa::path(get, path = "/api/v1/office/participants", tag = "office", security(("bearer" = [])),
    params(
        ("program_id" = Option<Uuid>, Query, description = "one of the caller's programs (else 404)"),
        ("coach_id" = Option<Uuid>, Query),
        ("status" = Option<String>, Query, description = "`active`, `paused` or `exited`"),
        ("site_id" = Option<Uuid>, Query, description = "has a live placement at this site"),
        ("q" = Option<String>, Query, description = "case-insensitive substring of the display name"),
        ("limit" = Option<u32>, Query, description = "default 100, at most 500"),
        ("offset" = Option<u32>, Query),
    ),
    responses((status = 200, body = ParticipantList), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn participants(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<ParticipantParams>,
) -> ApiResult<Json<ParticipantList>> {
    require_desk(&actor)?;
    let program = program_param(&actor, &params.program_id)?;
    let coach_id = uuid_param("coach_id", &params.coach_id)?;
    let status = given(&params.status)
        .map(|s| ParticipantStatus::from_name(s).map(ParticipantStatus::as_str))
        .map(|s| s.ok_or_else(|| ApiError::invalid("status", "must be one of `active`, `paused`, `exited`")))
        .transpose()?;
    let site_id = uuid_param("site_id", &params.site_id)?;
    let q = match given(&params.q) {
        Some(q) if q.chars().count() > MAX_SEARCH_CHARS => {
            return Err(ApiError::invalid("q", format!("must be at most {MAX_SEARCH_CHARS} characters")));
        }
        q => q.map(str::to_lowercase),
    };
    let (limit, offset) = page_params(&params.limit, &params.offset)?;
    let query = ParticipantQuery {
        program_ids: program.map_or_else(|| actor.program_ids.clone(), |p| vec![p]),
        coach_id,
        status,
        site_id,
        q,
        limit,
        offset,
    };
    Ok(Json(state.store.participants(&query).await?))
}

/// A participant and every live record about them; the read is written to the access log.
#[utoipa::path(get, path = "/api/v1/office/participants/{id}", tag = "office", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ParticipantFile), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn participant_file(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ParticipantFile>> {
    require_desk(&actor)?;
    let file = state.store.participant_file(id).await?.ok_or(ApiError::NotFound)?;
    let program_id = file.participant.program_id;
    if !actor.program_ids.contains(&program_id) {
        return Err(ApiError::NotFound);
    }
    log_reads(&state, &actor, AccessAction::ParticipantFile, program_id, &[id]).await?;
    Ok(Json(file))
}
