//! The PostgreSQL implementation of [`Store`], for regions that run several
//! server instances on one database.
//!
//! Pushes serialise on the `version_counter` row (`SELECT ... FOR UPDATE`),
//! which every instance shares, so versions are handed out in commit order;
//! pulls read in one `REPEATABLE READ` snapshot. JSON columns are JSONB and
//! are read back as text, so the row mappings are the SQLite ones.

use std::time::Duration;

use async_trait::async_trait;
use rand::RngCore;
use shared::wire::{Agreement, MutationResult, RecordHistory};
use sqlx::postgres::PgPoolOptions;
use sqlx::{AssertSqlSafe, PgConnection, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::rows::{
    ConflictDb, CredentialsDb, ProgramDb, RecordDb, SessionDb, StoredDb, UserDb, VersionAtDb, VersionDb, convert,
};
use super::{
    Credentials, Loaded, NewSession, NewUser, ProgramRow, PullPage, PushContext, SeenMutation, SessionRow, Store,
    StoreError, StoreResult, SyncTx, UserRow, Wanted, Writes, recheck_membership, to_millis,
};
use crate::sync::apply::{PreparedItem, apply_batch};
use crate::sync::cursor::Positions;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

pub struct PostgresStore {
    pub(super) pool: PgPool,
}

impl PostgresStore {
    pub async fn connect(url: &str) -> StoreResult<PostgresStore> {
        let pool =
            PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(30)).connect(url).await?;
        // sqlx takes an advisory lock here, so instances starting together
        // migrate once.
        MIGRATOR.run(&pool).await?;
        let mut key = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        sqlx::query("INSERT INTO server_secrets (id, cursor_key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
            .bind(key)
            .execute(&pool)
            .await?;
        let store = PostgresStore { pool };
        super::postgres_office::rebuild_facts(&store).await?;
        Ok(store)
    }
}

const USER_SELECT: &str = "SELECT u.id, u.org_id, u.username, u.display_name, u.role, u.disabled";
const SESSION_SELECT: &str = "SELECT s.id AS session_id, s.device_name, s.created_at, s.last_seen_at, s.expires_at, \
     s.revoked_at, u.id, u.org_id, u.username, u.display_name, u.role, u.disabled \
     FROM sessions s JOIN users u ON u.id = s.user_id";

#[async_trait]
impl Store for PostgresStore {
    async fn create_org(&self, name: &str) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO orgs (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(name)
            .bind(to_millis(OffsetDateTime::now_utc()))
            .execute(&self.pool)
            .await?;
        Ok(id)
    }

    async fn org_exists(&self, id: Uuid) -> StoreResult<bool> {
        Ok(sqlx::query("SELECT 1 FROM orgs WHERE id = $1").bind(id).fetch_optional(&self.pool).await?.is_some())
    }

    async fn org_by_name(&self, name: &str) -> StoreResult<Option<Uuid>> {
        Ok(sqlx::query_scalar("SELECT id FROM orgs WHERE name = $1 ORDER BY created_at LIMIT 1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn create_user(&self, user: &NewUser) -> StoreResult<UserRow> {
        let id = Uuid::now_v7();
        let result = sqlx::query(
            "INSERT INTO users (id, org_id, username, display_name, role, password_hash, disabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7)",
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
        let sql = format!("{USER_SELECT} FROM users u WHERE u.id = $1");
        let row: Option<UserDb> = sqlx::query_as(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.map(UserDb::into_user).transpose()
    }

    async fn credentials(&self, username: &str) -> StoreResult<Option<Credentials>> {
        let sql = format!("{USER_SELECT}, u.password_hash FROM users u WHERE u.username = $1");
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
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
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
        let sql = format!("{SESSION_SELECT} WHERE s.token_hash = $1");
        let row: Option<SessionDb> =
            sqlx::query_as(AssertSqlSafe(sql)).bind(token_hash).fetch_optional(&self.pool).await?;
        row.map(SessionDb::into_session).transpose()
    }

    async fn touch_session(&self, id: Uuid, now: OffsetDateTime, expires_at: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3")
            .bind(to_millis(now))
            .bind(to_millis(expires_at))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn live_session(&self, id: Uuid, now: OffsetDateTime) -> StoreResult<Option<SessionRow>> {
        let sql = format!("{SESSION_SELECT} WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2");
        let row: Option<SessionDb> =
            sqlx::query_as(AssertSqlSafe(sql)).bind(id).bind(to_millis(now)).fetch_optional(&self.pool).await?;
        row.map(SessionDb::into_session).transpose()
    }

    async fn sessions_of_user(&self, user_id: Uuid, now: OffsetDateTime) -> StoreResult<Vec<SessionRow>> {
        let sql = format!(
            "{SESSION_SELECT} WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 ORDER BY s.created_at"
        );
        let rows: Vec<SessionDb> =
            sqlx::query_as(AssertSqlSafe(sql)).bind(user_id).bind(to_millis(now)).fetch_all(&self.pool).await?;
        convert(rows, SessionDb::into_session)
    }

    async fn sessions_of_org(&self, org_id: Uuid, now: OffsetDateTime) -> StoreResult<Vec<SessionRow>> {
        let sql = format!(
            "{SESSION_SELECT} WHERE u.org_id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 ORDER BY s.created_at"
        );
        let rows: Vec<SessionDb> =
            sqlx::query_as(AssertSqlSafe(sql)).bind(org_id).bind(to_millis(now)).fetch_all(&self.pool).await?;
        convert(rows, SessionDb::into_session)
    }

    async fn delete_session(&self, id: Uuid) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    async fn revoke_session(&self, id: Uuid, by: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
        let done =
            sqlx::query("UPDATE sessions SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL")
                .bind(to_millis(now))
                .bind(by)
                .bind(id)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn create_program(&self, org_id: Uuid, name: &str) -> StoreResult<ProgramRow> {
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO programs (id, org_id, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(org_id)
            .bind(name)
            .bind(to_millis(OffsetDateTime::now_utc()))
            .execute(&self.pool)
            .await?;
        Ok(ProgramRow { id, org_id, name: name.to_owned() })
    }

    async fn program(&self, id: Uuid) -> StoreResult<Option<ProgramRow>> {
        let row: Option<ProgramDb> = sqlx::query_as("SELECT id, org_id, name FROM programs WHERE id = $1")
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
            sqlx::query_as("SELECT id, org_id, name FROM programs WHERE org_id = $1 ORDER BY name")
                .bind(org_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(ProgramRow::from).collect())
    }

    async fn has_agreement(&self, program_id: Uuid, org_id: Uuid) -> StoreResult<bool> {
        let row = sqlx::query("SELECT 1 FROM agreements WHERE program_id = $1 AND partner_org_id = $2")
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
            "INSERT INTO agreements (id, program_id, partner_org_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
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
        sqlx::query(
            "INSERT INTO program_members (program_id, user_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(program_id)
        .bind(user_id)
        .bind(to_millis(OffsetDateTime::now_utc()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn remove_member(&self, program_id: Uuid, user_id: Uuid) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM program_members WHERE program_id = $1 AND user_id = $2")
            .bind(program_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn is_member(&self, program_id: Uuid, user_id: Uuid) -> StoreResult<bool> {
        let row = sqlx::query("SELECT 1 FROM program_members WHERE program_id = $1 AND user_id = $2")
            .bind(program_id)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    async fn users_of_org(&self, org_id: Uuid) -> StoreResult<Vec<UserRow>> {
        let sql = format!("{USER_SELECT} FROM users u WHERE u.org_id = $1 ORDER BY u.display_name, u.id");
        let rows: Vec<UserDb> = sqlx::query_as(AssertSqlSafe(sql)).bind(org_id).fetch_all(&self.pool).await?;
        convert(rows, UserDb::into_user)
    }

    async fn memberships_of_org(&self, org_id: Uuid) -> StoreResult<Vec<(Uuid, Uuid)>> {
        Ok(sqlx::query_as(
            "SELECT m.user_id, m.program_id FROM program_members m JOIN users u ON u.id = m.user_id \
             WHERE u.org_id = $1 ORDER BY m.program_id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn disable_user(&self, id: Uuid, by: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE users SET disabled = TRUE WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("UPDATE sessions SET revoked_at = $1, revoked_by = $2 WHERE user_id = $3 AND revoked_at IS NULL")
            .bind(to_millis(now))
            .bind(by)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn enable_user(&self, id: Uuid) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE users SET disabled = FALSE WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    async fn program_members(&self, program_id: Uuid) -> StoreResult<Vec<UserRow>> {
        let sql = format!(
            "{USER_SELECT} FROM program_members m JOIN users u ON u.id = m.user_id \
             WHERE m.program_id = $1 ORDER BY u.display_name, u.id"
        );
        let rows: Vec<UserDb> = sqlx::query_as(AssertSqlSafe(sql)).bind(program_id).fetch_all(&self.pool).await?;
        convert(rows, UserDb::into_user)
    }

    async fn agreements_of_org(&self, org_id: Uuid) -> StoreResult<Vec<Agreement>> {
        let rows: Vec<(Uuid, Uuid, Uuid)> = sqlx::query_as(
            "SELECT a.id, a.program_id, a.partner_org_id FROM agreements a JOIN programs p ON p.id = a.program_id \
             WHERE p.org_id = $1 OR a.partner_org_id = $2 ORDER BY a.created_at, a.id",
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
        let mut tx = self.pool.begin().await?;
        // The row lock is held until commit: the next pusher, on any
        // instance, takes its versions only after this batch is visible.
        let counter: i64 =
            sqlx::query_scalar("SELECT value FROM version_counter WHERE id = 1 FOR UPDATE").fetch_one(&mut *tx).await?;
        // Membership is read again inside the write transaction, so a member
        // removed a moment ago cannot write through a stale list.
        let live_programs = program_ids_of(&mut *tx, ctx.user_id).await?;
        let ctx = PushContext { program_ids: live_programs, ..ctx.clone() };
        let items = recheck_membership(items, &ctx.program_ids);
        let mut next_version = counter + 1;
        let results = {
            let mut sync_tx = PgSyncTx { conn: &mut tx };
            apply_batch(&mut sync_tx, &ctx, items, &mut next_version).await?
        };
        if next_version > counter + 1 {
            sqlx::query("UPDATE version_counter SET value = $1 WHERE id = 1")
                .bind(next_version - 1)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(results)
    }

    async fn pull(&self, user_id: Uuid, positions: &Positions, limit: u32) -> StoreResult<PullPage> {
        // One snapshot: the counter, memberships and rows agree.
        let mut tx = self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
        let high_water: i64 =
            sqlx::query_scalar("SELECT value FROM version_counter WHERE id = 1").fetch_one(&mut *tx).await?;
        let program_ids = program_ids_of(&mut *tx, user_id).await?;
        let mut records = Vec::new();
        let mut has_more = false;
        if !program_ids.is_empty() {
            // Per program, the next rows after its position (index range
            // scans), merged by version.
            let part = "(SELECT id, kind, program_id, version, deleted, conflict, updated_at, updated_by, \
                        data::text AS data FROM records WHERE program_id = ? AND version > ? ORDER BY version LIMIT ?)";
            let union = vec![part; program_ids.len()].join(" UNION ALL ");
            let sql = numbered(&format!("SELECT * FROM ({union}) AS page ORDER BY version LIMIT ?"));
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
            "SELECT id, kind, program_id, version, deleted, conflict, updated_at, updated_by, data::text AS data \
             FROM records WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let versions: Vec<VersionDb> = sqlx::query_as(
            "SELECT version, deleted, conflict, updated_at, updated_by, device_id, mutation_id, hlc, \
             data::text AS data FROM record_versions WHERE record_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let conflicts: Vec<ConflictDb> = sqlx::query_as(
            "SELECT version, field, kept::text AS kept, kept_hlc, lost::text AS lost, lost_hlc FROM record_conflicts \
             WHERE record_id = $1 ORDER BY version, field",
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
    E: sqlx::Executor<'e, Database = sqlx::Postgres>,
{
    Ok(sqlx::query_scalar("SELECT program_id FROM program_members WHERE user_id = $1 ORDER BY program_id")
        .bind(user_id)
        .fetch_all(executor)
        .await?)
}

/// Numbers the `?` placeholders of a generated query as PostgreSQL's `$1, $2, ...`.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// [`SyncTx`] over an open PostgreSQL transaction holding the counter lock
/// (also retention's write path).
pub(super) struct PgSyncTx<'a> {
    pub(super) conn: &'a mut PgConnection,
}

super::sync_sql::sync_sql! {
    db = sqlx::Postgres,
    conn = PgConnection,
    json = "::jsonb",
    office = postgres_office,
}

#[async_trait]
impl SyncTx for PgSyncTx<'_> {
    async fn load(&mut self, wanted: &Wanted) -> StoreResult<Loaded> {
        // One statement each, the ids as one array parameter.
        let mut loaded = Loaded::default();
        if !wanted.mutation_ids.is_empty() {
            let rows: Vec<(Uuid, Uuid, i64)> =
                sqlx::query_as("SELECT id, user_id, version FROM mutations WHERE id = ANY($1)")
                    .bind(&wanted.mutation_ids)
                    .fetch_all(&mut *self.conn)
                    .await?;
            loaded
                .mutations
                .extend(rows.into_iter().map(|(id, user_id, version)| (id, SeenMutation { user_id, version })));
        }
        if !wanted.record_ids.is_empty() {
            let rows: Vec<StoredDb> = sqlx::query_as(
                "SELECT id, program_id, kind, version, deleted, conflict, data::text AS data, stamps::text AS stamps \
                 FROM records WHERE id = ANY($1)",
            )
            .bind(&wanted.record_ids)
            .fetch_all(&mut *self.conn)
            .await?;
            for row in rows {
                let r = row.into_stored()?;
                loaded.records.insert(r.id, r);
            }
        }
        if !wanted.versions.is_empty() {
            let (ids, versions): (Vec<Uuid>, Vec<i64>) = wanted.versions.iter().copied().unzip();
            let rows: Vec<VersionAtDb> = sqlx::query_as(
                "SELECT rv.record_id, rv.version, rv.data::text AS data, rv.deleted \
                 FROM UNNEST($1::uuid[], $2::bigint[]) AS w(record_id, version) \
                 JOIN record_versions rv ON rv.record_id = w.record_id AND rv.version = w.version",
            )
            .bind(&ids)
            .bind(&versions)
            .fetch_all(&mut *self.conn)
            .await?;
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
