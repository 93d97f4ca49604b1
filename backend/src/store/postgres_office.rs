//! The office on PostgreSQL: the shared office SQL (`office_sql.rs`) in PostgreSQL's
//! spelling, and the start-up rebuild of the report tables.

use super::facts::PROJECTION_VERSION;
use super::postgres::PostgresStore;

super::office_sql::office_sql! {
    store = PostgresStore,
    db = sqlx::Postgres,
    conn = sqlx::PgConnection,
    text = "::text",
    collate = " COLLATE \"C\"",
    instr = "strpos",
    read_begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
}

/// Fills the report tables from `records` when the database's projection is
/// older than the code's: batches of records, each in one transaction
/// holding the counter lock like a push (so no push interleaves within a batch, and a push
/// between batches writes its own facts). Idempotent; a crash midway redoes it.
pub(crate) async fn rebuild_facts(store: &PostgresStore) -> StoreResult<()> {
    let mut after = 0;
    let mut records = 0usize;
    loop {
        let mut tx = store.pool.begin().await?;
        // The counter row lock is what pushes on every instance take first.
        sqlx::query("SELECT value FROM version_counter WHERE id = 1 FOR UPDATE").execute(&mut *tx).await?;
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
