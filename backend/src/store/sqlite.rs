//! The SQLite implementation of [`Store`]: one file, WAL, foreign keys on.
//!
//! Writers are serialised twice over: an in-process mutex (so concurrent
//! pushes queue instead of spinning on SQLITE_BUSY) and `BEGIN IMMEDIATE`
//! (so an admin command in another process on the same file waits its turn).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use rand::RngCore;
use shared::wire::{Agreement, MutationResult, RecordHistory};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection, QueryBuilder, SqliteConnection, SqlitePool};
use time::OffsetDateTime;
use tokio::sync::Mutex;
use uuid::Uuid;

use super::office_sql::ID_CHUNK;
use super::rows::{
    ConflictDb, CredentialsDb, ProgramDb, RecordDb, SessionDb, StoredDb, UserDb, VersionAtDb, VersionDb, convert,
};
use super::sql::push_ids;
use super::{
    Credentials, Loaded, NewSession, NewUser, ProgramRow, PullPage, PushContext, SeenMutation, SessionRow, Store,
    StoreError, StoreResult, SyncTx, UserRow, Wanted, Writes, recheck_membership, to_millis,
};
use crate::sync::apply::{PreparedItem, apply_batch};
use crate::sync::cursor::Positions;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

pub struct SqliteStore {
    pub(super) pool: SqlitePool,
    pub(super) write_lock: Mutex<()>,
}

impl SqliteStore {
    pub async fn connect(url: &str) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        MIGRATOR.run(&pool).await?;
        let mut key = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        sqlx::query("INSERT OR IGNORE INTO server_secrets (id, cursor_key) VALUES (1, ?)")
            .bind(key)
            .execute(&pool)
            .await?;
        let store = SqliteStore { pool, write_lock: Mutex::new(()) };
        super::sqlite_office::rebuild_facts(&store).await?;
        Ok(store)
    }
}

const USER_SELECT: &str = "SELECT u.id, u.org_id, u.username, u.display_name, u.role, u.disabled";
const SESSION_SELECT: &str = "SELECT s.id AS session_id, s.device_name, s.created_at, s.last_seen_at, s.expires_at, \
     s.revoked_at, u.id, u.org_id, u.username, u.display_name, u.role, u.disabled \
     FROM sessions s JOIN users u ON u.id = s.user_id";

#[async_trait]
impl Store for SqliteStore {
    async fn create_org(&self, name: &str) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)")
            .bind(id)
            .bind(name)
            .bind(to_millis(OffsetDateTime::now_utc()))
            .execute(&self.pool)
            .await?;
        Ok(id)
    }

    async fn org_exists(&self, id: Uuid) -> StoreResult<bool> {
        Ok(sqlx::query("SELECT 1 FROM orgs WHERE id = ?").bind(id).fetch_optional(&self.pool).await?.is_some())
    }

    async fn org_by_name(&self, name: &str) -> StoreResult<Option<Uuid>> {
        Ok(sqlx::query_scalar("SELECT id FROM orgs WHERE name = ? ORDER BY created_at LIMIT 1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn create_user(&self, user: &NewUser) -> StoreResult<UserRow> {
        let id = Uuid::now_v7();
        let result = sqlx::query(
            "INSERT INTO users (id, org_id, username, display_name, role, password_hash, disabled, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
        )
        .bind(id)
        .bind(user.org_id)
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .bind(to_millis(OffsetDateTime::now_utc()))
        .execute(&self.pool)
        .await;
        match result {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::UsernameTaken),
            Err(e) => Err(e.into()),
            Ok(_) => Ok(user.created(id)),
        }
    }

    async fn user(&self, id: Uuid) -> StoreResult<Option<UserRow>> {
        let sql = format!("{USER_SELECT} FROM users u WHERE u.id = ?");
        let row: Option<UserDb> = sqlx::query_as(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.map(UserDb::into_user).transpose()
    }

    async fn credentials(&self, username: &str) -> StoreResult<Option<Credentials>> {
        let sql = format!("{USER_SELECT}, u.password_hash FROM users u WHERE u.username = ?");
        let row: Option<CredentialsDb> =
            sqlx::query_as(AssertSqlSafe(sql)).bind(username).fetch_optional(&self.pool).await?;
        row.map(|c| Ok(Credentials { user: c.user.into_user()?, password_hash: c.password_hash })).transpose()
    }

    async fn program_ids_of(&self, user_id: Uuid) -> StoreResult<Vec<Uuid>> {
        program_ids_of(&self.pool, user_id).await
    }

    async fn create_session(&self, s: &NewSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id, user_id, token_hash, device_name, created_at, last_seen_at, expires_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(s.id)
        .bind(s.user_id)
        .bind(&s.token_hash)
        .bind(&s.device_name)
        .bind(to_millis(s.now))
        .bind(to_millis(s.now))
        .bind(to_millis(s.expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session_by_token(&self, token_hash: &[u8]) -> StoreResult<Option<SessionRow>> {
        let sql = format!("{SESSION_SELECT} WHERE s.token_hash = ?");
        let row: Option<SessionDb> =
            sqlx::query_as(AssertSqlSafe(sql)).bind(token_hash).fetch_optional(&self.pool).await?;
        row.map(SessionDb::into_session).transpose()
    }

    async fn touch_session(&self, id: Uuid, now: OffsetDateTime, expires_at: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?")
            .bind(to_millis(now))
            .bind(to_millis(expires_at))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn live_session(&self, id: Uuid, now: OffsetDateTime) -> StoreResult<Option<SessionRow>> {
        let sql = format!("{SESSION_SELECT} WHERE s.id = ? AND s.revoked_at IS NULL AND s.expires_at > ?");
        let row: Option<SessionDb> =
            sqlx::query_as(AssertSqlSafe(sql)).bind(id).bind(to_millis(now)).fetch_optional(&self.pool).await?;
        row.map(SessionDb::into_session).transpose()
    }

    async fn sessions_of_user(&self, user_id: Uuid, now: OffsetDateTime) -> StoreResult<Vec<SessionRow>> {
        let sql = format!(
            "{SESSION_SELECT} WHERE s.user_id = ? AND s.revoked_at IS NULL AND s.expires_at > ? ORDER BY s.created_at"
        );
        let rows: Vec<SessionDb> =
            sqlx::query_as(AssertSqlSafe(sql)).bind(user_id).bind(to_millis(now)).fetch_all(&self.pool).await?;
        convert(rows, SessionDb::into_session)
    }

    async fn sessions_of_org(&self, org_id: Uuid, now: OffsetDateTime) -> StoreResult<Vec<SessionRow>> {
        let sql = format!(
            "{SESSION_SELECT} WHERE u.org_id = ? AND s.revoked_at IS NULL AND s.expires_at > ? ORDER BY s.created_at"
        );
        let rows: Vec<SessionDb> =
            sqlx::query_as(AssertSqlSafe(sql)).bind(org_id).bind(to_millis(now)).fetch_all(&self.pool).await?;
        convert(rows, SessionDb::into_session)
    }

    async fn delete_session(&self, id: Uuid) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM sessions WHERE id = ?").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    async fn revoke_session(&self, id: Uuid, by: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
        let done =
            sqlx::query("UPDATE sessions SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL")
                .bind(to_millis(now))
                .bind(by)
                .bind(id)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn create_program(&self, org_id: Uuid, name: &str) -> StoreResult<ProgramRow> {
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO programs (id, org_id, name, created_at) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(org_id)
            .bind(name)
            .bind(to_millis(OffsetDateTime::now_utc()))
            .execute(&self.pool)
            .await?;
        Ok(ProgramRow { id, org_id, name: name.to_owned() })
    }

    async fn program(&self, id: Uuid) -> StoreResult<Option<ProgramRow>> {
        let row: Option<ProgramDb> = sqlx::query_as("SELECT id, org_id, name FROM programs WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(ProgramRow::from))
    }

    async fn programs(&self, ids: &[Uuid]) -> StoreResult<Vec<ProgramRow>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(p) = self.program(*id).await? {
                out.push(p);
            }
        }
        Ok(out)
    }

    async fn programs_of_org(&self, org_id: Uuid) -> StoreResult<Vec<ProgramRow>> {
        let rows: Vec<ProgramDb> =
            sqlx::query_as("SELECT id, org_id, name FROM programs WHERE org_id = ? ORDER BY name")
                .bind(org_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(ProgramRow::from).collect())
    }

    async fn has_agreement(&self, program_id: Uuid, org_id: Uuid) -> StoreResult<bool> {
        let row = sqlx::query("SELECT 1 FROM agreements WHERE program_id = ? AND partner_org_id = ?")
            .bind(program_id)
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    async fn create_agreement(
        &self,
        id: Uuid,
        program_id: Uuid,
        partner_org_id: Uuid,
        created_by: Uuid,
    ) -> StoreResult<()> {
        let result = sqlx::query(
            "INSERT INTO agreements (id, program_id, partner_org_id, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(program_id)
        .bind(partner_org_id)
        .bind(created_by)
        .bind(to_millis(OffsetDateTime::now_utc()))
        .execute(&self.pool)
        .await;
        match result {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::AgreementExists),
            Err(e) => Err(e.into()),
            Ok(_) => Ok(()),
        }
    }

    async fn add_member(&self, program_id: Uuid, user_id: Uuid) -> StoreResult<()> {
        sqlx::query("INSERT OR IGNORE INTO program_members (program_id, user_id, added_at) VALUES (?, ?, ?)")
            .bind(program_id)
            .bind(user_id)
            .bind(to_millis(OffsetDateTime::now_utc()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn remove_member(&self, program_id: Uuid, user_id: Uuid) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM program_members WHERE program_id = ? AND user_id = ?")
            .bind(program_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn is_member(&self, program_id: Uuid, user_id: Uuid) -> StoreResult<bool> {
        let row = sqlx::query("SELECT 1 FROM program_members WHERE program_id = ? AND user_id = ?")
            .bind(program_id)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    async fn users_of_org(&self, org_id: Uuid) -> StoreResult<Vec<UserRow>> {
        let sql = format!("{USER_SELECT} FROM users u WHERE u.org_id = ? ORDER BY u.display_name, u.id");
        let rows: Vec<UserDb> = sqlx::query_as(AssertSqlSafe(sql)).bind(org_id).fetch_all(&self.pool).await?;
        convert(rows, UserDb::into_user)
    }

    async fn memberships_of_org(&self, org_id: Uuid) -> StoreResult<Vec<(Uuid, Uuid)>> {
        Ok(sqlx::query_as(
            "SELECT m.user_id, m.program_id FROM program_members m JOIN users u ON u.id = m.user_id \
             WHERE u.org_id = ? ORDER BY m.program_id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn disable_user(&self, id: Uuid, by: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let done = sqlx::query("UPDATE users SET disabled = 1 WHERE id = ?").bind(id).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("UPDATE sessions SET revoked_at = ?, revoked_by = ? WHERE user_id = ? AND revoked_at IS NULL")
            .bind(to_millis(now))
            .bind(by)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn enable_user(&self, id: Uuid) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE users SET disabled = 0 WHERE id = ?").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    async fn program_members(&self, program_id: Uuid) -> StoreResult<Vec<UserRow>> {
        let sql = format!(
            "{USER_SELECT} FROM program_members m JOIN users u ON u.id = m.user_id \
             WHERE m.program_id = ? ORDER BY u.display_name, u.id"
        );
        let rows: Vec<UserDb> = sqlx::query_as(AssertSqlSafe(sql)).bind(program_id).fetch_all(&self.pool).await?;
        convert(rows, UserDb::into_user)
    }

    async fn agreements_of_org(&self, org_id: Uuid) -> StoreResult<Vec<Agreement>> {
        let rows: Vec<(Uuid, Uuid, Uuid)> = sqlx::query_as(
            "SELECT a.id, a.program_id, a.partner_org_id FROM agreements a JOIN programs p ON p.id = a.program_id \
             WHERE p.org_id = ? OR a.partner_org_id = ? ORDER BY a.created_at, a.id",
        )
        .bind(org_id)
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, program_id, partner_org_id)| Agreement { id, program_id, partner_org_id })
            .collect())
    }

    async fn orgs(&self) -> StoreResult<Vec<(Uuid, String)>> {
        Ok(sqlx::query_as("SELECT id, name FROM orgs ORDER BY name, id").fetch_all(&self.pool).await?)
    }

    async fn push(&self, ctx: &PushContext, items: Vec<PreparedItem>) -> StoreResult<Vec<MutationResult>> {
        let _writer = self.write_lock.lock().await;
        let mut conn = self.pool.acquire().await?;
        let outcome = push_on(&mut conn, ctx, items).await;
        if outcome.is_err() {
            // SQLite rolls a transaction back by itself on some errors (a full
            // disk, an I/O error); the driver's own ROLLBACK then fails and
            // leaves the connection believing it is still in a transaction.
            // Such a connection must not go back to the pool.
            conn.close_on_drop();
        }
        outcome
    }

    async fn pull(&self, user_id: Uuid, positions: &Positions, limit: u32) -> StoreResult<PullPage> {
        // One read transaction: the counter, memberships and rows come from
        // one snapshot of the WAL.
        let mut tx = self.pool.begin().await?;
        let high_water: i64 =
            sqlx::query_scalar("SELECT value FROM version_counter WHERE id = 1").fetch_one(&mut *tx).await?;
        let program_ids = program_ids_of(&mut *tx, user_id).await?;
        let mut records = Vec::new();
        let mut has_more = false;
        if !program_ids.is_empty() {
            // Per program, the next rows after its position (index range
            // scans), merged by version.
            let part = "SELECT * FROM (SELECT id, kind, program_id, version, deleted, conflict, updated_at, \
                        updated_by, data FROM records WHERE program_id = ? AND version > ? ORDER BY version LIMIT ?)";
            let sql = vec![part; program_ids.len()].join(" UNION ALL ") + " ORDER BY version LIMIT ?";
            let fetch = i64::from(limit) + 1;
            let mut query = sqlx::query_as::<_, RecordDb>(AssertSqlSafe(sql));
            for p in &program_ids {
                query = query.bind(*p).bind(positions.get(p).copied().unwrap_or(0)).bind(fetch);
            }
            let mut rows = query.bind(fetch).fetch_all(&mut *tx).await?;
            has_more = rows.len() > limit as usize;
            rows.truncate(limit as usize);
            records = convert(rows, RecordDb::into_record)?;
        }
        tx.commit().await?;
        Ok(PullPage { records, has_more, high_water, program_ids })
    }

    async fn record_history(&self, id: Uuid) -> StoreResult<Option<RecordHistory>> {
        let mut tx = self.pool.begin().await?;
        let row: Option<RecordDb> = sqlx::query_as(
            "SELECT id, kind, program_id, version, deleted, conflict, updated_at, updated_by, data \
             FROM records WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let versions: Vec<VersionDb> = sqlx::query_as(
            "SELECT version, deleted, conflict, updated_at, updated_by, device_id, mutation_id, hlc, data \
             FROM record_versions WHERE record_id = ? ORDER BY version",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let conflicts: Vec<ConflictDb> = sqlx::query_as(
            "SELECT version, field, kept, kept_hlc, lost, lost_hlc FROM record_conflicts \
             WHERE record_id = ? ORDER BY version, field",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(RecordHistory {
            record: row.into_record()?,
            versions: convert(versions, VersionDb::into_version)?,
            conflicts: convert(conflicts, ConflictDb::into_conflict)?,
        }))
    }

    async fn cursor_key(&self) -> StoreResult<Vec<u8>> {
        Ok(sqlx::query_scalar("SELECT cursor_key FROM server_secrets WHERE id = 1").fetch_one(&self.pool).await?)
    }
}

async fn program_ids_of<'e, E>(executor: E, user_id: Uuid) -> StoreResult<Vec<Uuid>>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    Ok(sqlx::query_scalar("SELECT program_id FROM program_members WHERE user_id = ? ORDER BY program_id")
        .bind(user_id)
        .fetch_all(executor)
        .await?)
}

/// One push in one `BEGIN IMMEDIATE` transaction on `conn`: versions from
/// the locked counter, membership read again, every mutation applied, the
/// counter written last, then commit.
async fn push_on(
    conn: &mut SqliteConnection,
    ctx: &PushContext,
    items: Vec<PreparedItem>,
) -> StoreResult<Vec<MutationResult>> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let counter: i64 = sqlx::query_scalar("SELECT value FROM version_counter WHERE id = 1").fetch_one(&mut *tx).await?;
    // Membership is read again inside the write transaction, so a member
    // removed a moment ago cannot write through a stale list.
    let live_programs = program_ids_of(&mut *tx, ctx.user_id).await?;
    let ctx = PushContext { program_ids: live_programs, ..ctx.clone() };
    let items = recheck_membership(items, &ctx.program_ids);
    let mut next_version = counter + 1;
    let results = {
        let mut sync_tx = SqliteSyncTx { conn: &mut tx };
        apply_batch(&mut sync_tx, &ctx, items, &mut next_version).await?
    };
    if next_version > counter + 1 {
        sqlx::query("UPDATE version_counter SET value = ? WHERE id = 1")
            .bind(next_version - 1)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(results)
}

/// [`SyncTx`] over an open SQLite write transaction (also retention's write path).
pub(super) struct SqliteSyncTx<'a> {
    pub(super) conn: &'a mut SqliteConnection,
}

super::sync_sql::sync_sql! {
    db = sqlx::Sqlite,
    conn = SqliteConnection,
    json = "",
    office = sqlite_office,
}

type Qb = QueryBuilder<sqlx::Sqlite>;

#[async_trait]
impl SyncTx for SqliteSyncTx<'_> {
    async fn load(&mut self, wanted: &Wanted) -> StoreResult<Loaded> {
        let mut loaded = Loaded::default();
        for chunk in wanted.mutation_ids.chunks(ID_CHUNK) {
            let mut qb = Qb::new("SELECT id, user_id, version FROM mutations WHERE id IN");
            push_ids(&mut qb, chunk);
            let rows: Vec<(Uuid, Uuid, i64)> = qb.build_query_as().fetch_all(&mut *self.conn).await?;
            loaded
                .mutations
                .extend(rows.into_iter().map(|(id, user_id, version)| (id, SeenMutation { user_id, version })));
        }
        for chunk in wanted.record_ids.chunks(ID_CHUNK) {
            let mut qb = Qb::new(
                "SELECT id, program_id, kind, version, deleted, conflict, data, stamps FROM records WHERE id IN",
            );
            push_ids(&mut qb, chunk);
            let rows: Vec<StoredDb> = qb.build_query_as().fetch_all(&mut *self.conn).await?;
            for row in rows {
                let r = row.into_stored()?;
                loaded.records.insert(r.id, r);
            }
        }
        // A join against the wanted pairs: one primary-key probe each.
        for chunk in wanted.versions.chunks(ID_CHUNK / 2) {
            let mut qb = Qb::new("SELECT rv.record_id, rv.version, rv.data, rv.deleted FROM (");
            qb.push_values(chunk, |mut b, (id, version)| {
                b.push_bind(*id).push_bind(*version);
            });
            qb.push(") AS w JOIN record_versions rv ON rv.record_id = w.column1 AND rv.version = w.column2");
            let rows: Vec<VersionAtDb> = qb.build_query_as().fetch_all(&mut *self.conn).await?;
            for row in rows {
                let (key, base) = row.into_entry()?;
                loaded.versions.insert(key, base);
            }
        }
        Ok(loaded)
    }

    async fn flush(&mut self, writes: &Writes) -> StoreResult<()> {
        flush(&mut *self.conn, writes).await
    }
}
