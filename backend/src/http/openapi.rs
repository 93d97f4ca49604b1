//! The OpenAPI 3 document of the whole API, served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::http::{access_log, admin, auth, health, office, records, reports, sync};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The errors every operation of a kind can answer, whatever its handler says: 401 where a token
/// is needed (no, unknown, expired or revoked token); 400 (`malformed_json`, `bad_content_type`,
/// `bad_query`) and 422 (`invalid_field`) where a body or a query string is read; 413 where a
/// body is read. The API fuzz run (`cargo xtask api-fuzz`) found them answered but undocumented.
struct CommonErrors;

impl CommonErrors {
    fn add(operation: &mut Operation, status: &str, description: &str) {
        operation.responses.responses.entry(status.to_owned()).or_insert_with(|| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                )
                .build()
                .into()
        });
    }
}

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in [&mut item.get, &mut item.post, &mut item.put, &mut item.delete].into_iter().flatten() {
                let has_body = operation.request_body.is_some();
                let has_query =
                    operation.parameters.iter().flatten().any(|p| matches!(p.parameter_in, ParameterIn::Query));
                if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    Self::add(operation, "401", "unauthorized, session_expired or session_revoked");
                }
                if has_body || has_query {
                    Self::add(operation, "400", "malformed_json, bad_content_type or bad_query");
                    Self::add(operation, "422", "invalid_field: the message starts with the field's path");
                }
                if has_body {
                    Self::add(operation, "413", "payload_too_large");
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Stegvis API", version = "1", description = "The wire contract of Stegvis (API.md). Record `data` per kind: see the schemas named after each kind."),
    paths(
        health::health,
        auth::login, auth::logout, auth::list_sessions, auth::revoke_session,
        admin::create_program, admin::list_programs, admin::create_user, admin::add_member, admin::remove_member,
        admin::create_agreement,
        admin::list_users, admin::disable_user, admin::enable_user, admin::list_members, admin::list_agreements,
        admin::list_orgs,
        sync::push, sync::pull, sync::remaining,
        records::history,
        office::directory, office::inbox, office::mark_seen, office::participants, office::participant_file,
        reports::attendance, reports::attendance_export, reports::outcomes, reports::outcomes_export,
        access_log::list, access_log::summary,
    ),
    components(schemas(
        shared::records::Participant, shared::records::Site, shared::records::Placement,
        shared::records::Attendance, shared::records::Visit, shared::records::MentorNote,
        shared::records::Lesson, shared::records::PlanGoal, shared::records::FollowUp,
    )),
    modifiers(&BearerAuth, &CommonErrors),
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
