//! Retention on PostgreSQL: the shared retention SQL (`retention_sql.rs`) in
//! PostgreSQL's spelling; a real run locks the version counter's row like a push.

use async_trait::async_trait;

use super::postgres::{PgSyncTx, PostgresStore};
use super::retention::RetentionStore;

super::retention_sql::retention_sql! {
    db = sqlx::Postgres,
    conn = sqlx::PgConnection,
    text = "::text",
    json_at = "(r.data->>'at')",
    sync_tx = PgSyncTx,
}

#[async_trait]
impl RetentionStore for PostgresStore {
    async fn retention(&self, run: &RetentionRun) -> StoreResult<Outcome> {
        let Some(who) = run.apply else {
            // A dry run: one read snapshot.
            let mut tx = self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
            let outcome = plan(&mut tx, run).await?;
            tx.commit().await?;
            return Ok(outcome);
        };
        let mut tx = self.pool.begin().await?;
        // The row lock every push takes first, on every instance: versions
        // stay in commit order and the selection cannot go stale under us.
        sqlx::query("SELECT value FROM version_counter WHERE id = 1 FOR UPDATE").execute(&mut *tx).await?;
        let mut outcome = plan(&mut tx, run).await?;
        destroy(&mut tx, run, who, &mut outcome).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}
