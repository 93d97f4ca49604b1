//! The office on SQLite: the shared office SQL (`office_sql.rs`) in SQLite's
//! spelling, and the start-up rebuild of the report tables.

use super::facts::PROJECTION_VERSION;
use super::sqlite::SqliteStore;

super::office_sql::office_sql! {
    store = SqliteStore,
    db = sqlx::Sqlite,
    conn = sqlx::SqliteConnection,
    text = "",
    collate = " COLLATE BINARY",
    instr = "instr",
    read_begin = "BEGIN",
}

/// Fills the report tables from `records` when the database's projection is
/// older than the code's: batches of records, each in one write transaction
/// taken like a push's (so no push interleaves within a batch, and a push
/// between batches writes its own facts). Idempotent; a crash midway redoes it.
pub(crate) async fn rebuild_facts(store: &SqliteStore) -> StoreResult<()> {
    let mut after = 0;
    let mut records = 0usize;
    loop {
        let _writer = store.write_lock.lock().await;
        let mut tx = store.pool.begin_with("BEGIN IMMEDIATE").await?;
        if projection_version(&mut tx).await? >= PROJECTION_VERSION {
            tx.commit().await?;
            return Ok(());
        }
        match rebuild_batch(&mut tx, after).await? {
            Some((last, done)) => {
                after = last;
                records += done;
                tx.commit().await?;
            }
            None => {
                set_projection_version(&mut tx, PROJECTION_VERSION).await?;
                tx.commit().await?;
                tracing::info!(records, version = PROJECTION_VERSION, "report tables rebuilt");
                return Ok(());
            }
        }
    }
}
