//! The HTTP calls of the office and admin endpoints (`docs/OFFICE.md`) the
//! desk uses: directory, inbox, register and file, record history, reports
//! and their CSV exports, the access log and the administration lists. Same
//! relative URLs, bearer token and error mapping as the rest of `api`.

use gloo::net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::office::{
    AccessLogPage, AccessLogSummary, AgreementList, AttendanceReport, Directory, Inbox, MarkSeen, MemberList, OrgList,
    OutcomesReport, ParticipantFile, ParticipantList, UserList,
};
use shared::wire::{
    AddMember, Agreement, CreateAgreement, CreateProgram, CreateUser, Program, ProgramList, RecordHistory, SessionList,
    User,
};
use uuid::Uuid;

use super::{authorized, error_of, json_of, send, url};
use crate::platform::AppError;

/// Query parameters; empty values are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query(Vec<(&'static str, String)>);

impl Query {
    pub fn new() -> Query {
        Query::default()
    }

    /// Adds `name=value` unless the value is empty (after trimming).
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Query {
        let value = value.to_string();
        let value = value.trim();
        if !value.is_empty() {
            self.0.push((name, value.to_owned()));
        }
        self
    }

    /// Adds `name=value` when there is a value.
    pub fn opt(self, name: &'static str, value: Option<impl ToString>) -> Query {
        match value {
            Some(value) => self.with(name, value),
            None => self,
        }
    }

    fn apply(&self, builder: RequestBuilder) -> RequestBuilder {
        builder.query(self.0.iter().map(|(k, v)| (*k, v.as_str())))
    }
}

async fn get<T: DeserializeOwned>(token: &str, path: &str, query: &Query) -> Result<T, AppError> {
    let builder = query.apply(authorized(Request::get(&url(path)), token));
    json_of(send(builder.build()).await?).await
}

async fn post<B: Serialize, T: DeserializeOwned>(token: &str, path: &str, body: &B) -> Result<T, AppError> {
    json_of(send(authorized(Request::post(&url(path)), token).json(body)).await?).await
}

async fn no_content(response: Response) -> Result<(), AppError> {
    if response.ok() { Ok(()) } else { Err(error_of(&response).await) }
}

async fn post_empty<B: Serialize>(token: &str, path: &str, body: Option<&B>) -> Result<(), AppError> {
    let builder = authorized(Request::post(&url(path)), token);
    let request = match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    };
    no_content(send(request).await?).await
}

async fn delete(token: &str, path: &str) -> Result<(), AppError> {
    no_content(send(authorized(Request::delete(&url(path)), token).build()).await?).await
}

/// The bytes of a file answer (a CSV export), byte-order mark kept.
async fn bytes(token: &str, path: &str, query: &Query) -> Result<Vec<u8>, AppError> {
    let builder = query.apply(authorized(Request::get(&url(path)), token));
    let response = send(builder.build()).await?;
    if !response.ok() {
        return Err(error_of(&response).await);
    }
    response.binary().await.map_err(|e| AppError::Protocol(e.to_string()))
}

// ---------------------------------------------------------------- office

/// `GET /office/directory`.
pub async fn directory(token: &str) -> Result<Directory, AppError> {
    get(token, "/office/directory", &Query::new()).await
}

/// `GET /office/inbox?program_id=&kind=&updated_by=&limit=&offset=`.
pub async fn inbox(token: &str, query: &Query) -> Result<Inbox, AppError> {
    get(token, "/office/inbox", query).await
}

/// `POST /office/inbox/seen` (204).
pub async fn mark_seen(token: &str, version: i64) -> Result<(), AppError> {
    post_empty(token, "/office/inbox/seen", Some(&MarkSeen { version })).await
}

/// `GET /office/participants?program_id=&coach_id=&status=&site_id=&q=&limit=&offset=`.
pub async fn participants(token: &str, query: &Query) -> Result<ParticipantList, AppError> {
    get(token, "/office/participants", query).await
}

/// `GET /office/participants/{id}` (logged by the server).
pub async fn participant_file(token: &str, id: Uuid) -> Result<ParticipantFile, AppError> {
    get(token, &format!("/office/participants/{id}"), &Query::new()).await
}

/// `GET /records/{id}/history`.
pub async fn history(token: &str, record_id: Uuid) -> Result<RecordHistory, AppError> {
    get(token, &format!("/records/{record_id}/history"), &Query::new()).await
}

// ---------------------------------------------------------------- reports

/// `GET /reports/attendance?program_id=&month=&limit=&offset=`.
pub async fn attendance_report(token: &str, query: &Query) -> Result<AttendanceReport, AppError> {
    get(token, "/reports/attendance", query).await
}

/// `GET /reports/attendance/export?program_id=&month=` (CSV bytes).
pub async fn attendance_export(token: &str, query: &Query) -> Result<Vec<u8>, AppError> {
    bytes(token, "/reports/attendance/export", query).await
}

/// `GET /reports/outcomes?program_id=&from=&to=`.
pub async fn outcomes_report(token: &str, query: &Query) -> Result<OutcomesReport, AppError> {
    get(token, "/reports/outcomes", query).await
}

/// `GET /reports/outcomes/export?program_id=&from=&to=` (CSV bytes).
pub async fn outcomes_export(token: &str, query: &Query) -> Result<Vec<u8>, AppError> {
    bytes(token, "/reports/outcomes/export", query).await
}

// ---------------------------------------------------------------- access log (admin)

/// `GET /admin/access-log?user_id=&participant_id=&action=&from=&to=&limit=&offset=`.
pub async fn access_log(token: &str, query: &Query) -> Result<AccessLogPage, AppError> {
    get(token, "/admin/access-log", query).await
}

/// `GET /admin/access-log/summary?month=`.
pub async fn access_summary(token: &str, month: &str) -> Result<AccessLogSummary, AppError> {
    get(token, "/admin/access-log/summary", &Query::new().with("month", month)).await
}

// ---------------------------------------------------------------- administration (admin)

/// `GET /users`.
pub async fn users(token: &str) -> Result<UserList, AppError> {
    get(token, "/users", &Query::new()).await
}

/// `POST /users` (201 with the user).
pub async fn create_user(token: &str, body: &CreateUser) -> Result<User, AppError> {
    post(token, "/users", body).await
}

/// `POST /users/{id}/disable` or `…/enable` (204).
pub async fn set_user_disabled(token: &str, id: Uuid, disabled: bool) -> Result<(), AppError> {
    let action = if disabled { "disable" } else { "enable" };
    post_empty::<()>(token, &format!("/users/{id}/{action}"), None).await
}

/// `GET /programs`.
pub async fn programs(token: &str) -> Result<ProgramList, AppError> {
    get(token, "/programs", &Query::new()).await
}

/// `POST /programs` (201 with the program).
pub async fn create_program(token: &str, body: &CreateProgram) -> Result<Program, AppError> {
    post(token, "/programs", body).await
}

/// `GET /programs/{id}/members`.
pub async fn members(token: &str, program_id: Uuid) -> Result<MemberList, AppError> {
    get(token, &format!("/programs/{program_id}/members"), &Query::new()).await
}

/// `POST /programs/{id}/members` (204).
pub async fn add_member(token: &str, program_id: Uuid, user_id: Uuid) -> Result<(), AppError> {
    post_empty(token, &format!("/programs/{program_id}/members"), Some(&AddMember { user_id })).await
}

/// `DELETE /programs/{id}/members/{user_id}` (204).
pub async fn remove_member(token: &str, program_id: Uuid, user_id: Uuid) -> Result<(), AppError> {
    delete(token, &format!("/programs/{program_id}/members/{user_id}")).await
}

/// `GET /agreements`.
pub async fn agreements(token: &str) -> Result<AgreementList, AppError> {
    get(token, "/agreements", &Query::new()).await
}

/// `POST /agreements` (201 with the agreement).
pub async fn create_agreement(token: &str, body: &CreateAgreement) -> Result<Agreement, AppError> {
    post(token, "/agreements", body).await
}

/// `GET /orgs`.
pub async fn orgs(token: &str) -> Result<OrgList, AppError> {
    get(token, "/orgs", &Query::new()).await
}

/// `GET /auth/sessions` (an admin: every session of the organisation).
pub async fn sessions(token: &str) -> Result<SessionList, AppError> {
    get(token, "/auth/sessions", &Query::new()).await
}

/// `DELETE /auth/sessions/{id}` (204): cuts the device off.
pub async fn revoke_session(token: &str, id: Uuid) -> Result<(), AppError> {
    delete(token, &format!("/auth/sessions/{id}")).await
}
