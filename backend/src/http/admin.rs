//! Admin objects: programs, users, program members and agreements with
//! partner organisations (API.md, "Admin objects"), and the administration
//! lists and user disabling of docs/OFFICE.md. Admin role, own organisation
//! only; another organisation's objects are simply not found.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use shared::Role;
use shared::office::{AgreementList, Member, MemberList, Org, OrgList, UserAdmin, UserList};
use shared::wire::{
    AddMember, Agreement, CreateAgreement, CreateProgram, CreateUser, ErrorBody, Program, ProgramList, User,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::{Actor, password};
use crate::error::{ApiError, ApiResult};
use crate::http::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::{NewUser, ProgramRow, StoreError, UserRow};

const MAX_NAME_CHARS: usize = 200;
const MAX_USERNAME_CHARS: usize = 64;

fn program(row: ProgramRow) -> Program {
    Program { id: row.id, name: row.name, org_id: row.org_id }
}

/// A trimmed, non-empty name of at most `max` characters.
fn name_field(field: &str, value: &str, max: usize) -> ApiResult<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(ApiError::invalid(field, format!("must be 1 to {max} characters")));
    }
    Ok(value.to_owned())
}

/// The program, if the admin's organisation owns it or has it shared by agreement.
async fn manageable_program(state: &AppState, actor: &Actor, id: Uuid) -> ApiResult<ProgramRow> {
    let program = state.store.program(id).await?.ok_or(ApiError::NotFound)?;
    if program.org_id == actor.org_id || state.store.has_agreement(id, actor.org_id).await? {
        Ok(program)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Creates a program in the admin's own organisation.
#[utoipa::path(post, path = "/api/v1/programs", tag = "admin", security(("bearer" = [])), request_body = CreateProgram,
    responses((status = 201, body = Program), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_program(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(req): ApiJson<CreateProgram>,
) -> ApiResult<(StatusCode, Json<Program>)> {
    actor.require_admin()?;
    let name = name_field("name", &req.name, MAX_NAME_CHARS)?;
    if req.org_id != actor.org_id {
        return Err(ApiError::forbidden("org_id: an admin creates programs in their own organisation only"));
    }
    let row = state.store.create_program(actor.org_id, &name).await?;
    tracing::info!(program_id = %row.id, by = %actor.user_id, "program created");
    Ok((StatusCode::CREATED, Json(program(row))))
}

/// The programs the caller is a member of; an admin also sees every program of their organisation.
#[utoipa::path(get, path = "/api/v1/programs", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = ProgramList)))]
pub async fn list_programs(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<ProgramList>> {
    let mut rows = state.store.programs(&actor.program_ids).await?;
    if actor.role == Role::Admin {
        for row in state.store.programs_of_org(actor.org_id).await? {
            if !rows.iter().any(|r| r.id == row.id) {
                rows.push(row);
            }
        }
    }
    Ok(Json(ProgramList { programs: rows.into_iter().map(program).collect() }))
}

/// Creates a user in the admin's organisation, optionally as a member of programs.
#[utoipa::path(post, path = "/api/v1/users", tag = "admin", security(("bearer" = [])), request_body = CreateUser,
    responses((status = 201, body = User), (status = 409, description = "username_taken", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(req): ApiJson<CreateUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    actor.require_admin()?;
    let username = req.username.trim().to_owned();
    if username.is_empty()
        || username.chars().count() > MAX_USERNAME_CHARS
        || username.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(ApiError::invalid(
            "username",
            format!("must be 1 to {MAX_USERNAME_CHARS} characters without spaces"),
        ));
    }
    password::check_new_password(&req.password).map_err(|m| ApiError::invalid("password", m))?;
    let display_name = name_field("display_name", &req.display_name, MAX_NAME_CHARS)?;
    let mut program_ids = req.program_ids.clone();
    program_ids.sort();
    program_ids.dedup();
    for (i, id) in program_ids.iter().enumerate() {
        if manageable_program(&state, &actor, *id).await.is_err() {
            return Err(ApiError::invalid(&format!("program_ids[{i}]"), "no such program"));
        }
    }
    let password_hash = password::hash(req.password).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let new = NewUser { org_id: actor.org_id, username, display_name, role: req.role, password_hash };
    let user = match state.store.create_user(&new).await {
        Err(StoreError::UsernameTaken) => {
            return Err(ApiError::Conflict { code: "username_taken", message: "username: already taken".into() });
        }
        other => other?,
    };
    for id in &program_ids {
        state.store.add_member(*id, user.id).await?;
    }
    tracing::info!(user_id = %user.id, by = %actor.user_id, "user created");
    Ok((
        StatusCode::CREATED,
        Json(User {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            org_id: user.org_id,
            program_ids,
        }),
    ))
}

/// Adds a user of the admin's organisation to a program their organisation owns or shares.
#[utoipa::path(post, path = "/api/v1/programs/{id}/members", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = AddMember,
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn add_member(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(program_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<AddMember>,
) -> ApiResult<StatusCode> {
    actor.require_admin()?;
    manageable_program(&state, &actor, program_id).await?;
    let user = state.store.user(req.user_id).await?.ok_or(ApiError::NotFound)?;
    if user.org_id != actor.org_id {
        return Err(ApiError::NotFound);
    }
    state.store.add_member(program_id, user.id).await?;
    tracing::info!(%program_id, user_id = %user.id, by = %actor.user_id, "member added");
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a member: the program's owner may remove anyone, a partner's admin their own users.
#[utoipa::path(delete, path = "/api/v1/programs/{id}/members/{user_id}", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("user_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn remove_member(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((program_id, user_id)): ApiPath<(Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    actor.require_admin()?;
    let program = manageable_program(&state, &actor, program_id).await?;
    let user = state.store.user(user_id).await?.ok_or(ApiError::NotFound)?;
    if user.org_id != actor.org_id && program.org_id != actor.org_id {
        return Err(ApiError::NotFound);
    }
    state.store.remove_member(program_id, user_id).await?;
    tracing::info!(%program_id, %user_id, by = %actor.user_id, "member removed");
    Ok(StatusCode::NO_CONTENT)
}

/// Shares a program of the admin's organisation with a partner organisation.
#[utoipa::path(post, path = "/api/v1/agreements", tag = "admin", security(("bearer" = [])), request_body = CreateAgreement,
    responses((status = 201, body = Agreement), (status = 404, body = ErrorBody),
              (status = 409, description = "agreement_exists", body = ErrorBody)))]
pub async fn create_agreement(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(req): ApiJson<CreateAgreement>,
) -> ApiResult<(StatusCode, Json<Agreement>)> {
    actor.require_admin()?;
    let program = state.store.program(req.program_id).await?.ok_or(ApiError::NotFound)?;
    if program.org_id != actor.org_id {
        return Err(ApiError::NotFound);
    }
    if req.partner_org_id == actor.org_id {
        return Err(ApiError::invalid("partner_org_id", "must be another organisation"));
    }
    if !state.store.org_exists(req.partner_org_id).await? {
        return Err(ApiError::NotFound);
    }
    let id = Uuid::now_v7();
    match state.store.create_agreement(id, program.id, req.partner_org_id, actor.user_id).await {
        Err(StoreError::AgreementExists) => {
            return Err(ApiError::Conflict {
                code: "agreement_exists",
                message: "an agreement for this program and organisation exists".into(),
            });
        }
        other => other?,
    }
    tracing::info!(agreement_id = %id, by = %actor.user_id, "agreement created");
    Ok((StatusCode::CREATED, Json(Agreement { id, program_id: program.id, partner_org_id: req.partner_org_id })))
}

// ---------------------------------------------------------------- administration lists (docs/OFFICE.md)

fn user_admin(row: UserRow, program_ids: Vec<Uuid>) -> UserAdmin {
    UserAdmin {
        id: row.id,
        username: row.username,
        display_name: row.display_name,
        role: row.role,
        org_id: row.org_id,
        program_ids,
        disabled: row.disabled,
    }
}

/// The users of the admin's organisation, with their programs and whether they are disabled.
#[utoipa::path(get, path = "/api/v1/users", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = UserList), (status = 403, body = ErrorBody)))]
pub async fn list_users(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<UserList>> {
    actor.require_admin()?;
    let rows = state.store.users_of_org(actor.org_id).await?;
    let mut programs: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (user_id, program_id) in state.store.memberships_of_org(actor.org_id).await? {
        programs.entry(user_id).or_default().push(program_id);
    }
    let users = rows
        .into_iter()
        .map(|row| {
            let program_ids = programs.remove(&row.id).unwrap_or_default();
            user_admin(row, program_ids)
        })
        .collect();
    Ok(Json(UserList { users }))
}

/// A user of the admin's own organisation (another organisation's: not found).
async fn own_user(state: &AppState, actor: &Actor, id: Uuid) -> ApiResult<UserRow> {
    let user = state.store.user(id).await?.ok_or(ApiError::NotFound)?;
    if user.org_id == actor.org_id { Ok(user) } else { Err(ApiError::NotFound) }
}

/// Disables a user of the admin's organisation: every session of theirs is
/// revoked (their devices get `session_revoked` and wipe themselves) and
/// their logins are refused (`invalid_credentials`) until they are enabled.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "cannot_disable_self", body = ErrorBody)))]
pub async fn disable_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    actor.require_admin()?;
    let user = own_user(&state, &actor, id).await?;
    if user.id == actor.user_id {
        return Err(ApiError::Conflict {
            code: "cannot_disable_self",
            message: "an admin cannot disable themselves; ask another admin".into(),
        });
    }
    if !state.store.disable_user(user.id, actor.user_id, OffsetDateTime::now_utc()).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(user_id = %user.id, by = %actor.user_id, "user disabled, sessions revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// Lets a disabled user of the admin's organisation log in again; sessions revoked on disabling stay revoked.
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn enable_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    actor.require_admin()?;
    let user = own_user(&state, &actor, id).await?;
    if !state.store.enable_user(user.id).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(user_id = %user.id, by = %actor.user_id, "user enabled");
    Ok(StatusCode::NO_CONTENT)
}

/// The members of a program the admin's organisation owns or has shared with it by agreement.
#[utoipa::path(get, path = "/api/v1/programs/{id}/members", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = MemberList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_members(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(program_id): ApiPath<Uuid>,
) -> ApiResult<Json<MemberList>> {
    actor.require_admin()?;
    manageable_program(&state, &actor, program_id).await?;
    let members = state
        .store
        .program_members(program_id)
        .await?
        .into_iter()
        .map(|u| Member { user_id: u.id, display_name: u.display_name, role: u.role, org_id: u.org_id })
        .collect();
    Ok(Json(MemberList { members }))
}

/// Agreements on the admin's organisation's programs, and those naming it as partner.
#[utoipa::path(get, path = "/api/v1/agreements", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = AgreementList), (status = 403, body = ErrorBody)))]
pub async fn list_agreements(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<AgreementList>> {
    actor.require_admin()?;
    Ok(Json(AgreementList { agreements: state.store.agreements_of_org(actor.org_id).await? }))
}

/// Every organisation's id and name, to name a partner in an agreement.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = OrgList), (status = 403, body = ErrorBody)))]
pub async fn list_orgs(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<OrgList>> {
    actor.require_admin()?;
    let orgs = state.store.orgs().await?.into_iter().map(|(id, name)| Org { id, name }).collect();
    Ok(Json(OrgList { orgs }))
}
