//! Retention on SQLite: the shared retention SQL (`retention_sql.rs`) in
//! SQLite's spelling; a real run holds the writer lock like a push.

use async_trait::async_trait;

use super::retention::RetentionStore;
use super::sqlite::{SqliteStore, SqliteSyncTx};

super::retention_sql::retention_sql! {
    db = sqlx::Sqlite,
    conn = sqlx::SqliteConnection,
    text = "",
    json_at = "json_extract(r.data, '$.at')",
    sync_tx = SqliteSyncTx,
}

#[async_trait]
impl RetentionStore for SqliteStore {
    async fn retention(&self, run: &RetentionRun) -> StoreResult<Outcome> {
        let Some(who) = run.apply else {
            // A dry run: one read snapshot.
            let mut tx = self.pool.begin().await?;
            let outcome = plan(&mut tx, run).await?;
            tx.commit().await?;
            return Ok(outcome);
        };
        // Taken like a push: the in-process mutex, then the database's write lock.
        let _writer = self.write_lock.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut outcome = plan(&mut tx, run).await?;
        destroy(&mut tx, run, who, &mut outcome).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}
