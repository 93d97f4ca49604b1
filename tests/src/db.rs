//! Direct access to a test server's database (SQLite file or PostgreSQL,
//! by the URL's scheme), for what the HTTP API must not be able to do: the
//! access log refusing `UPDATE` and `DELETE`, or taking the report tables
//! back to an older projection to see the server rebuild them at start.
#![allow(clippy::unwrap_used)]

use std::str::FromStr;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, PgPool, SqlitePool};

/// A connection pool on the database of `db_url`.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    /// Connects to `db_url` (`sqlite://...` or `postgres://...`).
    pub async fn connect(db_url: &str) -> Db {
        if db_url.starts_with("sqlite:") {
            let options =
                SqliteConnectOptions::from_str(db_url).unwrap().busy_timeout(std::time::Duration::from_secs(30));
            Db::Sqlite(SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap())
        } else {
            Db::Postgres(PgPoolOptions::new().max_connections(1).connect(db_url).await.unwrap())
        }
    }

    /// Runs one statement; the rows it changed, or the database's error message.
    pub async fn execute(&self, sql: &str) -> Result<u64, String> {
        let sql = AssertSqlSafe(sql.to_owned());
        match self {
            Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()),
            Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()),
        }
        .map_err(|e| e.to_string())
    }

    /// One integer (e.g. a `COUNT(*)`, cast to BIGINT on PostgreSQL).
    pub async fn scalar(&self, sql: &str) -> i64 {
        let sql = AssertSqlSafe(sql.to_owned());
        match self {
            Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
            Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        }
    }

    /// The column names of `table`, in order.
    pub async fn columns(&self, table: &str) -> Vec<String> {
        match self {
            Db::Sqlite(pool) => {
                let sql = AssertSqlSafe(format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"));
                sqlx::query_scalar(sql).fetch_all(pool).await.unwrap()
            }
            Db::Postgres(pool) => sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(pool)
            .await
            .unwrap(),
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}
