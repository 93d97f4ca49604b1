//! Rows as both databases return them (`FromRow`, generic over the backend)
//! and their conversion into the store's types. JSON columns are read as
//! text on both sides (PostgreSQL selects `data::text`), so one mapping serves.

use shared::merge::{Fields, Stamps};
use shared::wire::{FieldConflictEntry, Record, RecordVersion};
use shared::{Kind, Role};
use uuid::Uuid;

use super::{ProgramRow, SessionRow, StoreError, StoreResult, StoredRecord, UserRow, from_millis};

fn parse_role(s: &str) -> StoreResult<Role> {
    Role::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown role {s:?}")))
}

fn parse_kind(s: &str) -> StoreResult<Kind> {
    s.parse().map_err(|_| StoreError::Corrupt(format!("unknown kind {s:?}")))
}

pub fn parse_json<T: serde::de::DeserializeOwned>(s: &str) -> StoreResult<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("stored JSON: {e}")))
}

pub fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(format!("JSON: {e}")))
}

/// Columns: `u.id, u.org_id, u.username, u.display_name, u.role, u.disabled`.
#[derive(sqlx::FromRow)]
pub struct UserDb {
    id: Uuid,
    org_id: Uuid,
    username: String,
    display_name: String,
    role: String,
    disabled: bool,
}

impl UserDb {
    pub fn into_user(self) -> StoreResult<UserRow> {
        Ok(UserRow {
            id: self.id,
            org_id: self.org_id,
            username: self.username,
            display_name: self.display_name,
            role: parse_role(&self.role)?,
            disabled: self.disabled,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct CredentialsDb {
    #[sqlx(flatten)]
    pub user: UserDb,
    pub password_hash: String,
}

/// Columns: the user's plus `session_id, device_name, created_at, last_seen_at, expires_at, revoked_at`.
#[derive(sqlx::FromRow)]
pub struct SessionDb {
    session_id: Uuid,
    device_name: String,
    created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
    #[sqlx(flatten)]
    user: UserDb,
}

impl SessionDb {
    pub fn into_session(self) -> StoreResult<SessionRow> {
        Ok(SessionRow {
            id: self.session_id,
            user: self.user.into_user()?,
            device_name: self.device_name,
            created_at: from_millis(self.created_at)?,
            last_seen_at: from_millis(self.last_seen_at)?,
            expires_at: from_millis(self.expires_at)?,
            revoked_at: self.revoked_at.map(from_millis).transpose()?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ProgramDb {
    id: Uuid,
    org_id: Uuid,
    name: String,
}

impl From<ProgramDb> for ProgramRow {
    fn from(p: ProgramDb) -> ProgramRow {
        ProgramRow { id: p.id, org_id: p.org_id, name: p.name }
    }
}

/// Columns: `id, kind, program_id, version, deleted, conflict, updated_at, updated_by, data`.
#[derive(sqlx::FromRow)]
pub struct RecordDb {
    id: Uuid,
    kind: String,
    program_id: Uuid,
    version: i64,
    deleted: bool,
    conflict: bool,
    updated_at: i64,
    updated_by: Uuid,
    data: String,
}

impl RecordDb {
    pub fn into_record(self) -> StoreResult<Record> {
        Ok(Record {
            id: self.id,
            kind: parse_kind(&self.kind)?,
            program_id: self.program_id,
            version: self.version,
            deleted: self.deleted,
            conflict: self.conflict,
            updated_at: from_millis(self.updated_at)?,
            updated_by: self.updated_by,
            data: parse_json(&self.data)?,
        })
    }
}

/// Columns: `id, program_id, kind, version, deleted, conflict, data, stamps`.
#[derive(sqlx::FromRow)]
pub struct StoredDb {
    id: Uuid,
    program_id: Uuid,
    kind: String,
    version: i64,
    deleted: bool,
    conflict: bool,
    data: String,
    stamps: String,
}

impl StoredDb {
    pub fn into_stored(self) -> StoreResult<StoredRecord> {
        Ok(StoredRecord {
            id: self.id,
            program_id: self.program_id,
            kind: parse_kind(&self.kind)?,
            version: self.version,
            deleted: self.deleted,
            conflict: self.conflict,
            data: parse_json::<Fields>(&self.data)?,
            stamps: parse_json::<Stamps>(&self.stamps)?,
        })
    }
}

/// Columns: `record_id, version, data, deleted` of a record version.
#[derive(sqlx::FromRow)]
pub struct VersionAtDb {
    record_id: Uuid,
    version: i64,
    data: String,
    deleted: bool,
}

impl VersionAtDb {
    pub fn into_entry(self) -> StoreResult<((Uuid, i64), (Fields, bool))> {
        Ok(((self.record_id, self.version), (parse_json(&self.data)?, self.deleted)))
    }
}

/// Columns: `version, deleted, conflict, updated_at, updated_by, device_id, mutation_id, hlc, data`.
#[derive(sqlx::FromRow)]
pub struct VersionDb {
    version: i64,
    deleted: bool,
    conflict: bool,
    updated_at: i64,
    updated_by: Uuid,
    device_id: Uuid,
    mutation_id: Uuid,
    hlc: String,
    data: String,
}

impl VersionDb {
    pub fn into_version(self) -> StoreResult<RecordVersion> {
        Ok(RecordVersion {
            version: self.version,
            deleted: self.deleted,
            conflict: self.conflict,
            updated_at: from_millis(self.updated_at)?,
            updated_by: self.updated_by,
            device_id: self.device_id,
            mutation_id: self.mutation_id,
            hlc: self.hlc,
            data: parse_json(&self.data)?,
        })
    }
}

/// Columns: `version, field, kept, kept_hlc, lost, lost_hlc`.
#[derive(sqlx::FromRow)]
pub struct ConflictDb {
    version: i64,
    field: String,
    kept: String,
    kept_hlc: String,
    lost: String,
    lost_hlc: String,
}

impl ConflictDb {
    pub fn into_conflict(self) -> StoreResult<FieldConflictEntry> {
        Ok(FieldConflictEntry {
            version: self.version,
            field: self.field,
            kept: parse_json(&self.kept)?,
            kept_hlc: self.kept_hlc,
            lost: parse_json(&self.lost)?,
            lost_hlc: self.lost_hlc,
        })
    }
}

/// Converts every row, failing on the first corrupt one.
pub fn convert<T, U>(rows: Vec<T>, f: impl Fn(T) -> StoreResult<U>) -> StoreResult<Vec<U>> {
    rows.into_iter().map(f).collect()
}
