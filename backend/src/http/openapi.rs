//! The OpenAPI 3 document of the whole API, served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
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
        sync::push, sync::pull,
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
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
