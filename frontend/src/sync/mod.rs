//! The sync engine (`engine`: push the outbox, then pull until `has_more` is false)
//! and the scheduler (`scheduler`: triggers, backoff with jitter, status for the UI).

pub mod engine;
pub mod scheduler;
pub(crate) mod timing;

pub use engine::{Progress, SyncReport, sync_once};
pub use scheduler::{SyncScheduler, SyncState, SyncStatus};
