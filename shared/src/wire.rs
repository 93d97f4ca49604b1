//! The wire types of API.md: auth, admin objects, records, push and pull.
//!
//! Both the server and the field app (de)serialize exactly these; the
//! `wire_format_is_frozen` test pins their JSON shape.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::records::Kind;
use crate::roles::Role;

/// Most mutations one push may carry.
pub const MAX_MUTATIONS_PER_PUSH: usize = 500;
/// Largest push body in bytes (4 MiB).
pub const MAX_PUSH_BYTES: usize = 4 * 1024 * 1024;
/// Page size of a pull when the client names none.
pub const DEFAULT_PULL_LIMIT: u32 = 1000;
/// Largest page a pull returns; a larger `limit` is taken as this.
pub const MAX_PULL_LIMIT: u32 = 5000;
/// How far ahead of the server's clock a mutation's HLC may be.
pub const MAX_CLOCK_SKEW_MS: u64 = 5 * 60 * 1000;

/// The error body of every non-2xx answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub error: ErrorInfo,
}

/// A machine-readable code and a human-readable message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
}

impl ErrorInfo {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> ErrorInfo {
        ErrorInfo { code: code.into(), message: message.into() }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    pub device_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub token: String,
    pub user: UserInfo,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: OffsetDateTime,
}

/// The logged-in user, as login returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserInfo {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: Uuid,
    pub program_ids: Vec<Uuid>,
}

/// One device session of a user (`GET /api/v1/auth/sessions`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub id: Uuid,
    pub user_id: Uuid,
    pub username: String,
    pub device_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub last_seen_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: OffsetDateTime,
    /// Whether this is the session making the request.
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    pub sessions: Vec<SessionInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateProgram {
    pub name: String,
    pub org_id: Uuid,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Program {
    pub id: Uuid,
    pub name: String,
    pub org_id: Uuid,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramList {
    pub programs: Vec<Program>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub username: String,
    pub password: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub program_ids: Vec<Uuid>,
}

/// A user as admin endpoints return it (never a password or its hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: Uuid,
    pub program_ids: Vec<Uuid>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    pub user_id: Uuid,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateAgreement {
    pub program_id: Uuid,
    pub partner_org_id: Uuid,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agreement {
    pub id: Uuid,
    pub program_id: Uuid,
    pub partner_org_id: Uuid,
}

/// A record as the server holds it and pull returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Record {
    pub id: Uuid,
    pub kind: Kind,
    pub program_id: Uuid,
    pub version: i64,
    pub deleted: bool,
    pub conflict: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: OffsetDateTime,
    pub updated_by: Uuid,
    /// The kind-specific fields (PRODUCT.md, "Records").
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Put,
    Delete,
}

/// One change sent by a device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    /// Idempotency key, unique per change.
    pub id: Uuid,
    pub record_id: Uuid,
    pub kind: Kind,
    pub program_id: Uuid,
    pub op: Op,
    /// The version the device last saw; `null` for a record new to it.
    pub base_version: Option<i64>,
    /// `"<unix ms, 13 digits>:<counter, 5 digits>:<device id>"`.
    pub hlc: String,
    /// Full data for a put; omitted for a delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub data: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub device_id: Uuid,
    pub mutations: Vec<Mutation>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MutationStatus {
    Applied,
    Duplicate,
    Rejected,
}

/// The answer to one mutation, in the order they were sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MutationResult {
    /// The mutation's id; `null` only when the mutation had no readable id.
    pub id: Option<Uuid>,
    pub status: MutationStatus,
    pub version: Option<i64>,
    pub error: Option<ErrorInfo>,
}

impl MutationResult {
    pub fn applied(id: Uuid, version: i64) -> MutationResult {
        MutationResult { id: Some(id), status: MutationStatus::Applied, version: Some(version), error: None }
    }

    pub fn duplicate(id: Uuid, version: i64) -> MutationResult {
        MutationResult { id: Some(id), status: MutationStatus::Duplicate, version: Some(version), error: None }
    }

    pub fn rejected(id: Option<Uuid>, error: ErrorInfo) -> MutationResult {
        MutationResult { id, status: MutationStatus::Rejected, version: None, error: Some(error) }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<MutationResult>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub server_time: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub records: Vec<Record>,
    /// Opaque; pass it back to get only what changed after this page.
    pub cursor: String,
    pub has_more: bool,
    /// Programs the user lost access to since the cursor: delete their records locally.
    pub revoked_program_ids: Vec<Uuid>,
}

/// `GET /api/v1/sync/remaining?cursor=C` (a Stegvis extension, docs/API-DECISIONS.md):
/// how many records a pull from the cursor would bring now, so a long first
/// sync can show "records received of total".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemainingResponse {
    pub records: u64,
}

/// One stored version of a record (`GET /api/v1/records/{id}/history`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordVersion {
    pub version: i64,
    pub deleted: bool,
    pub conflict: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: OffsetDateTime,
    pub updated_by: Uuid,
    pub device_id: Uuid,
    pub mutation_id: Uuid,
    pub hlc: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: Value,
}

/// Both values of a field that two sides changed concurrently.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldConflictEntry {
    /// The version the conflict was detected in.
    pub version: i64,
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub kept: Value,
    pub kept_hlc: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub lost: Value,
    pub lost_hlc: String,
}

/// A record with every version it had and every conflict it went through.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordHistory {
    pub record: Record,
    /// Oldest first.
    pub versions: Vec<RecordVersion>,
    pub conflicts: Vec<FieldConflictEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The JSON shape of the protocol must not change silently: this test
    /// pins it. Changing it means a new API version.
    #[test]
    fn wire_format_is_frozen() {
        let id = Uuid::from_u128(1);
        let result = MutationResult::applied(id, 7);
        assert_eq!(
            serde_json::to_value(&result).ok(),
            Some(json!({"id": id, "status": "applied", "version": 7, "error": null}))
        );
        let rejected = MutationResult::rejected(Some(id), ErrorInfo::new("bad_id", "no"));
        assert_eq!(
            serde_json::to_value(&rejected).ok(),
            Some(json!({"id": id, "status": "rejected", "version": null,
                        "error": {"code": "bad_id", "message": "no"}}))
        );
        let mutation = json!({
            "id": id, "record_id": id, "kind": "mentor_note", "program_id": id,
            "op": "delete", "base_version": 3,
            "hlc": "1764000000000:00000:00000000-0000-0000-0000-000000000001"
        });
        let parsed: Result<Mutation, _> = serde_json::from_value(mutation.clone());
        assert_eq!(parsed.as_ref().map(|m| m.op).ok(), Some(Op::Delete));
        assert_eq!(parsed.ok().and_then(|m| serde_json::to_value(m).ok()), Some(mutation));
        let record = Record {
            id,
            kind: Kind::Site,
            program_id: id,
            version: 12,
            deleted: false,
            conflict: true,
            updated_at: time::macros::datetime!(2026-11-22 09:30 UTC),
            updated_by: id,
            data: json!({"employer": "ICA Maxi"}),
        };
        assert_eq!(
            serde_json::to_value(&record).ok(),
            Some(json!({"id": id, "kind": "site", "program_id": id, "version": 12,
                        "deleted": false, "conflict": true,
                        "updated_at": "2026-11-22T09:30:00Z", "updated_by": id,
                        "data": {"employer": "ICA Maxi"}}))
        );
        let body = ErrorBody { error: ErrorInfo::new("not_found", "x") };
        assert_eq!(serde_json::to_value(&body).ok(), Some(json!({"error": {"code": "not_found", "message": "x"}})));
    }
}
