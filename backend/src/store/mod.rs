//! The storage layer: one [`Store`] trait the routes use, one implementation
//! per database, chosen by the URL scheme in [`connect`].
//!
//! The sync write path is shared: each backend opens a write transaction,
//! hands a [`SyncTx`] to [`crate::sync::apply::apply_batch`] (which owns the
//! merge and reference rules: it reads what the batch needs with
//! [`SyncTx::load`], applies in memory, writes with [`SyncTx::flush`]) and
//! commits. So a new backend writes SQL, not rules; the flush SQL is shared
//! too (`sync_sql.rs`).

pub mod facts;
pub mod office;
mod office_sql;
pub mod postgres;
mod postgres_office;
mod postgres_retention;
pub mod remaining;
pub mod retention;
mod retention_sql;
mod rows;
mod sql;
pub mod sqlite;
mod sqlite_office;
mod sqlite_retention;
mod sync_sql;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_trait::async_trait;
use shared::merge::{FieldConflict, Fields, Stamps};
use shared::wire::{Agreement, MutationResult, Record, RecordHistory};
use shared::{Kind, Role};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::sync::apply::PreparedItem;
use crate::sync::cursor::Positions;

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("the username is taken")]
    UsernameTaken,
    #[error("an agreement for this program and organisation exists")]
    AgreementExists,
    #[error("unsupported database URL scheme {0:?}: use sqlite://path/to/file.db or postgres://...")]
    UnsupportedUrl(String),
}

impl StoreError {
    /// Whether the database is unreachable, busy, full or read-only (503),
    /// as opposed to a bug (500).
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(e) => match e {
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
                sqlx::Error::Database(db) => {
                    let msg = db.message().to_ascii_lowercase();
                    ["locked", "busy", "full", "readonly", "read-only", "disk i/o"].iter().any(|m| msg.contains(m))
                }
                _ => false,
            },
            _ => false,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A user as stored, without the password hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
}

/// What login needs to check a password.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub user: UserRow,
    pub password_hash: String,
}

#[derive(Clone, Debug)]
pub struct NewUser {
    pub org_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
}

impl NewUser {
    /// The stored user once inserted under `id`.
    pub fn created(&self, id: Uuid) -> UserRow {
        UserRow {
            id,
            org_id: self.org_id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            disabled: false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct NewSession {
    pub id: Uuid,
    pub user_id: Uuid,
    pub token_hash: Vec<u8>,
    pub device_name: String,
    pub now: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// A device session with its owner.
#[derive(Clone, Debug)]
pub struct SessionRow {
    pub id: Uuid,
    pub user: UserRow,
    pub device_name: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    /// When the session was cut off (by an admin, or its user elsewhere).
    pub revoked_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
}

/// A record as the sync path reads it.
#[derive(Clone, Debug)]
pub struct StoredRecord {
    pub id: Uuid,
    pub program_id: Uuid,
    pub kind: Kind,
    pub version: i64,
    pub deleted: bool,
    pub conflict: bool,
    pub data: Fields,
    pub stamps: Stamps,
}

/// One new version of a record, with everything the history keeps.
#[derive(Clone, Debug)]
pub struct RecordWrite {
    pub id: Uuid,
    pub program_id: Uuid,
    pub kind: Kind,
    pub version: i64,
    pub deleted: bool,
    pub conflict: bool,
    pub data: Fields,
    pub stamps: Stamps,
    pub updated_at: OffsetDateTime,
    pub updated_by: Uuid,
    pub device_id: Uuid,
    pub mutation_id: Uuid,
    pub hlc: String,
    pub conflicts: Vec<FieldConflict>,
}

/// A mutation the server has acknowledged, for idempotent retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeenMutation {
    pub user_id: Uuid,
    pub version: i64,
}

/// An acknowledged mutation to remember (a row of `mutations`).
#[derive(Clone, Debug)]
pub struct MutationRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub record_id: Uuid,
    pub version: i64,
    pub received_at: OffsetDateTime,
}

/// What a batch may look at, read before it is applied (each list without repeats).
#[derive(Clone, Debug, Default)]
pub struct Wanted {
    pub mutation_ids: Vec<Uuid>,
    /// The records written and every record they point at.
    pub record_ids: Vec<Uuid>,
    /// `(record_id, version)` of every base version named.
    pub versions: Vec<(Uuid, i64)>,
}

/// What the database holds of a [`Wanted`]: only what exists.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub mutations: HashMap<Uuid, SeenMutation>,
    pub records: HashMap<Uuid, StoredRecord>,
    /// The data and tombstone state of each record version found.
    pub versions: HashMap<(Uuid, i64), (Fields, bool)>,
}

/// Everything one batch writes, collected in memory and flushed at once
/// ([`SyncTx::flush`]): every new version (the history keeps them all), the
/// final state of each record written (a record written twice in a batch is
/// upserted once), stamps-only updates and the mutations to remember.
#[derive(Clone, Debug, Default)]
pub struct Writes {
    versions: Vec<RecordWrite>,
    /// Record id → index in `versions` of its last write.
    latest: HashMap<Uuid, usize>,
    /// Stamps-only updates of records the batch writes no version of.
    stamps: HashMap<Uuid, Stamps>,
    mutations: Vec<MutationRow>,
    /// Records that existed before the batch: their report rows are replaced
    /// (a record the batch creates has none yet).
    replaced: HashSet<Uuid>,
}

impl Writes {
    /// A new version of a record; `existed`: the record was there before this write.
    pub fn put(&mut self, write: RecordWrite, existed: bool) {
        if existed && !self.latest.contains_key(&write.id) {
            self.replaced.insert(write.id);
        }
        // The new state carries the stamps learnt so far.
        self.stamps.remove(&write.id);
        self.latest.insert(write.id, self.versions.len());
        self.versions.push(write);
    }

    /// Only the stamps of a record change (a later clock learnt, no new version).
    pub fn set_stamps(&mut self, id: Uuid, stamps: Stamps) {
        match self.latest.get(&id) {
            // `record_versions` keeps no stamps: the final state takes them.
            Some(&i) => self.versions[i].stamps = stamps,
            None => {
                self.stamps.insert(id, stamps);
            }
        }
    }

    pub fn remember(&mut self, mutation: MutationRow) {
        self.mutations.push(mutation);
    }

    /// Every new version, in version order.
    pub fn versions(&self) -> &[RecordWrite] {
        &self.versions
    }

    /// The indices in [`Writes::versions`] of each written record's final state.
    pub fn latest(&self) -> impl Iterator<Item = usize> + '_ {
        self.versions.iter().enumerate().filter(|(i, w)| self.latest.get(&w.id) == Some(i)).map(|(i, _)| i)
    }

    /// Stamps-only updates, of records with no new version in the batch.
    pub fn stamp_updates(&self) -> impl Iterator<Item = (&Uuid, &Stamps)> {
        self.stamps.iter()
    }

    pub fn mutations(&self) -> &[MutationRow] {
        &self.mutations
    }

    /// Whether `id` existed before the batch (so it may have report rows to replace).
    pub fn replaces(&self, id: &Uuid) -> bool {
        self.replaced.contains(id)
    }

    pub fn is_empty(&self) -> bool {
        self.versions.is_empty() && self.stamps.is_empty() && self.mutations.is_empty()
    }
}

/// The transaction-scoped operations of the sync write path: one set read
/// before a batch is applied, one flush of everything it decided after. Each
/// is a handful of statements however many mutations the batch holds.
#[async_trait]
pub trait SyncTx: Send {
    /// Reads the mutations, records and record versions named, with a few set queries.
    async fn load(&mut self, wanted: &Wanted) -> StoreResult<Loaded>;
    /// Writes the batch with multi-row statements: records (final states),
    /// versions, conflicts, stamps, mutations, the report tables.
    async fn flush(&mut self, writes: &Writes) -> StoreResult<()>;
}

/// Who pushes, from which device.
#[derive(Clone, Debug)]
pub struct PushContext {
    pub user_id: Uuid,
    /// The pusher's role: an office or admin write from the current version resolves a conflict.
    pub role: Role,
    pub device_id: Uuid,
    /// Programs the user is a member of (checked again inside the transaction by the store).
    pub program_ids: Vec<Uuid>,
    pub now: OffsetDateTime,
}

/// One page of a pull.
#[derive(Clone, Debug)]
pub struct PullPage {
    pub records: Vec<Record>,
    pub has_more: bool,
    /// The highest version committed when the page was read.
    pub high_water: i64,
    /// The user's programs when the page was read.
    pub program_ids: Vec<Uuid>,
}

/// Everything the server stores, whatever the database (the office's reads
/// and the access log are in [`office::OfficeStore`], retention in
/// [`retention::RetentionStore`]).
#[async_trait]
pub trait Store:
    office::OfficeStore + retention::RetentionStore + remaining::RemainingStore + Send + Sync + 'static
{
    // Organisations and users.
    async fn create_org(&self, name: &str) -> StoreResult<Uuid>;
    async fn org_exists(&self, id: Uuid) -> StoreResult<bool>;
    async fn org_by_name(&self, name: &str) -> StoreResult<Option<Uuid>>;
    async fn create_user(&self, user: &NewUser) -> StoreResult<UserRow>;
    async fn user(&self, id: Uuid) -> StoreResult<Option<UserRow>>;
    async fn credentials(&self, username: &str) -> StoreResult<Option<Credentials>>;
    async fn program_ids_of(&self, user_id: Uuid) -> StoreResult<Vec<Uuid>>;

    // Device sessions.
    async fn create_session(&self, session: &NewSession) -> StoreResult<()>;
    /// The session with this token hash, with its user, expired or revoked included.
    async fn session_by_token(&self, token_hash: &[u8]) -> StoreResult<Option<SessionRow>>;
    async fn touch_session(&self, id: Uuid, now: OffsetDateTime, expires_at: OffsetDateTime) -> StoreResult<()>;
    /// A session that is neither revoked nor expired at `now`.
    async fn live_session(&self, id: Uuid, now: OffsetDateTime) -> StoreResult<Option<SessionRow>>;
    async fn sessions_of_user(&self, user_id: Uuid, now: OffsetDateTime) -> StoreResult<Vec<SessionRow>>;
    async fn sessions_of_org(&self, org_id: Uuid, now: OffsetDateTime) -> StoreResult<Vec<SessionRow>>;
    /// Ends a session the device itself logged out of: the row goes.
    async fn delete_session(&self, id: Uuid) -> StoreResult<bool>;
    /// Cuts off a session: the token stops working and answers `session_revoked`.
    async fn revoke_session(&self, id: Uuid, by: Uuid, now: OffsetDateTime) -> StoreResult<bool>;

    // Programs, members, agreements.
    async fn create_program(&self, org_id: Uuid, name: &str) -> StoreResult<ProgramRow>;
    async fn program(&self, id: Uuid) -> StoreResult<Option<ProgramRow>>;
    async fn programs(&self, ids: &[Uuid]) -> StoreResult<Vec<ProgramRow>>;
    async fn programs_of_org(&self, org_id: Uuid) -> StoreResult<Vec<ProgramRow>>;
    async fn has_agreement(&self, program_id: Uuid, org_id: Uuid) -> StoreResult<bool>;
    async fn create_agreement(
        &self,
        id: Uuid,
        program_id: Uuid,
        partner_org_id: Uuid,
        created_by: Uuid,
    ) -> StoreResult<()>;
    /// Adds a member; adding an existing member changes nothing.
    async fn add_member(&self, program_id: Uuid, user_id: Uuid) -> StoreResult<()>;
    async fn remove_member(&self, program_id: Uuid, user_id: Uuid) -> StoreResult<bool>;
    async fn is_member(&self, program_id: Uuid, user_id: Uuid) -> StoreResult<bool>;

    // Administration (docs/OFFICE.md): the lists an admin's desk shows, and disabling users.
    /// The users of an organisation, by display name.
    async fn users_of_org(&self, org_id: Uuid) -> StoreResult<Vec<UserRow>>;
    /// `(user_id, program_id)` of every membership of the organisation's users, by program id.
    async fn memberships_of_org(&self, org_id: Uuid) -> StoreResult<Vec<(Uuid, Uuid)>>;
    /// Disables a user and, in the same transaction, revokes every session of
    /// theirs not revoked yet (each device then gets `session_revoked`).
    /// `false`: no such user.
    async fn disable_user(&self, id: Uuid, by: Uuid, now: OffsetDateTime) -> StoreResult<bool>;
    /// Lets a disabled user log in again (their revoked sessions stay revoked). `false`: no such user.
    async fn enable_user(&self, id: Uuid) -> StoreResult<bool>;
    /// The members of a program, whatever their organisation, by display name.
    async fn program_members(&self, program_id: Uuid) -> StoreResult<Vec<UserRow>>;
    /// Agreements on the organisation's programs and those naming it as partner, oldest first.
    async fn agreements_of_org(&self, org_id: Uuid) -> StoreResult<Vec<Agreement>>;
    /// Every organisation's id and name, by name.
    async fn orgs(&self) -> StoreResult<Vec<(Uuid, String)>>;

    // Sync.
    /// Applies a batch in one transaction: all results are durable when this returns.
    async fn push(&self, ctx: &PushContext, items: Vec<PreparedItem>) -> StoreResult<Vec<MutationResult>>;
    /// Reads one page for `user_id` from `positions`, in one consistent snapshot.
    async fn pull(&self, user_id: Uuid, positions: &Positions, limit: u32) -> StoreResult<PullPage>;
    /// A record with all its versions and conflicts (`None`: no such record).
    async fn record_history(&self, id: Uuid) -> StoreResult<Option<RecordHistory>>;
    /// The key that signs cursors, the same for every server instance on this database.
    async fn cursor_key(&self) -> StoreResult<Vec<u8>>;
}

/// Opens the database named by `url` and runs its migrations.
pub async fn connect(url: &str) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PostgresStore::connect(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.split(':').next().unwrap_or_default().to_owned()))
    }
}

/// A mutation prepared against a membership list read before the
/// transaction must not pass if the user lost that program meanwhile.
pub fn recheck_membership(items: Vec<PreparedItem>, live: &[Uuid]) -> Vec<PreparedItem> {
    items
        .into_iter()
        .map(|mut item| {
            if let Ok(p) = &item.outcome
                && !live.contains(&p.program_id)
            {
                item.outcome = Err(crate::sync::prepare::rejection(
                    "forbidden",
                    "program_id: you are not a member of this program",
                ));
            }
            item
        })
        .collect()
}

/// Milliseconds since the epoch, the storage form of every timestamp.
pub fn to_millis(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

pub fn from_millis(ms: i64) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map_err(|e| StoreError::Corrupt(format!("timestamp {ms}: {e}")))
}
