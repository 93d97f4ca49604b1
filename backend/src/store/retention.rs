//! Retention (*gallring*) in storage: the [`RetentionStore`] trait every
//! [`super::Store`] also implements. One run loads the organisation's
//! candidates from the report tables, lets [`crate::retention::select`]
//! choose, and (unless it is a dry run) destroys the chosen records in the
//! same transaction, holding the version counter like a push.
//!
//! Both backends share one body of SQL (`retention_sql.rs`).

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::StoreResult;
use crate::retention::{Outcome, Rule};

/// Who destroys, and when (the tombstones' `updated_by` and `updated_at`,
/// the access log's user and time).
#[derive(Clone, Copy, Debug)]
pub struct Destroyer {
    pub admin_id: Uuid,
    pub now: OffsetDateTime,
}

/// One run of the rules over an organisation's programs.
#[derive(Clone, Debug)]
pub struct RetentionRun {
    pub org_id: Uuid,
    pub rules: Vec<Rule>,
    /// The day the rules are measured from.
    pub today: Date,
    /// `None`: a dry run, read in one snapshot, nothing written.
    pub apply: Option<Destroyer>,
}

#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// Selects (and, with `apply`, destroys) in one transaction.
    ///
    /// Destroying a record: a new version (from the counter, so devices pull
    /// it) that is a tombstone with empty `data` and no conflict, by the
    /// admin from [`crate::retention::RETENTION_DEVICE`]; every earlier
    /// version keeps its metadata but loses its data (`{}`); its
    /// `record_conflicts` rows are deleted; its report-table rows go. One
    /// `retention` row per affected participant goes to the access log.
    async fn retention(&self, run: &RetentionRun) -> StoreResult<Outcome>;
}
