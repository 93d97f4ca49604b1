//! How many records a pull from a cursor would bring now
//! (`GET /api/v1/sync/remaining`, a Stegvis extension): for each of the
//! user's programs, the records after its position, counted on the
//! `(program_id, version)` index. Kept apart from the pull itself, so a page
//! costs the same at ten thousand and at a million records; only a device
//! with more than one page to fetch asks for it, once.

use async_trait::async_trait;
use uuid::Uuid;

use super::postgres::PostgresStore;
use super::sqlite::SqliteStore;
use super::{Store, StoreResult};
use crate::sync::cursor::Positions;

#[async_trait]
pub trait RemainingStore {
    /// Records in `user_id`'s programs with a version after `positions`
    /// (a program missing from it counts from the beginning).
    async fn remaining(&self, user_id: Uuid, positions: &Positions) -> StoreResult<u64>;
}

const COUNT_AFTER: &str = "SELECT COUNT(*) FROM records WHERE program_id = $1 AND version > $2";

/// One implementation for both databases: the SQL is the same.
macro_rules! remaining_store {
    ($store:ty) => {
        #[async_trait]
        impl RemainingStore for $store {
            async fn remaining(&self, user_id: Uuid, positions: &Positions) -> StoreResult<u64> {
                let mut total = 0u64;
                for program in self.program_ids_of(user_id).await? {
                    let after = positions.get(&program).copied().unwrap_or(0);
                    let n: i64 =
                        sqlx::query_scalar(COUNT_AFTER).bind(program).bind(after).fetch_one(&self.pool).await?;
                    total += u64::try_from(n).unwrap_or(0);
                }
                Ok(total)
            }
        }
    };
}

remaining_store!(SqliteStore);
remaining_store!(PostgresStore);
