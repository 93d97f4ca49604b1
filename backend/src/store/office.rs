//! The office's reads over the report tables (docs/OFFICE.md): the
//! [`OfficeStore`] trait every [`super::Store`] also implements, the query
//! and row types it speaks, and the access log's writes and reads.
//!
//! Both backends implement it from one body of SQL (`office_sql.rs`); the
//! report rules themselves (planned days, medians, follow-ups) are pure Rust
//! in [`crate::reports`].

use async_trait::async_trait;
use shared::Kind;
use shared::office::{AccessLogPage, AccessLogSummary, Inbox, ParticipantFile, ParticipantList, Person, SiteRef};
use time::OffsetDateTime;
use uuid::Uuid;

use super::StoreResult;

/// `GET /office/inbox`, its walls already applied.
#[derive(Clone, Debug)]
pub struct InboxQuery {
    pub user_id: Uuid,
    /// The caller's programs, or the one asked for (never empty).
    pub program_ids: Vec<Uuid>,
    pub kind: Option<Kind>,
    pub updated_by: Option<Uuid>,
    pub limit: i64,
    pub offset: i64,
}

/// What `POST /office/inbox/seen` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkSeen {
    /// The mark is now at least the version asked for (never lowered).
    Marked,
    /// The version is above the high-water mark (given): nothing changed.
    AboveHighWater(i64),
}

/// `GET /office/participants`, its walls already applied.
#[derive(Clone, Debug)]
pub struct ParticipantQuery {
    /// The caller's programs, or the one asked for (never empty).
    pub program_ids: Vec<Uuid>,
    pub coach_id: Option<Uuid>,
    pub status: Option<&'static str>,
    pub site_id: Option<Uuid>,
    /// Lower-cased search text (a substring of the display name).
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// One live placement of a live participant overlapping a month, with its
/// attendance marks of that month counted in SQL.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct PlacementMonth {
    pub placement_id: Uuid,
    pub participant_id: Uuid,
    pub participant_name: String,
    pub site_id: Uuid,
    /// The site's employer (empty when the site is unknown).
    pub site_name: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// `"1,2,3"`.
    pub weekdays: String,
    pub hours_per_day: f64,
    pub present: i64,
    pub late: i64,
    pub absent_sick: i64,
    pub absent_excused: i64,
    pub absent_unexcused: i64,
    /// Present and late marks' hours, or the placement's hours per day where a mark has none.
    pub hours: f64,
}

/// Everything the attendance report of a program and month needs, in
/// report order (participant name, site employer, placement id).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AttendanceMonth {
    pub rows: Vec<PlacementMonth>,
    /// `(placement_id, date)` of every live attendance mark of the month.
    pub marked: Vec<(Uuid, String)>,
}

/// A live participant of the program who exited in the period.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ExitRow {
    pub participant_id: Uuid,
    pub started_on: String,
    pub exit_date: String,
    pub exit_outcome: String,
}

/// A live follow-up of one of those participants.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct FollowUpRow {
    pub participant_id: Uuid,
    pub months_after_exit: i64,
    pub status: String,
    pub version: i64,
}

/// What the outcomes report of a program and period needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exits {
    pub exited: Vec<ExitRow>,
    pub follow_ups: Vec<FollowUpRow>,
}

/// One access-log row to write. Never content: who, when, which action, whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessWrite {
    pub at: OffsetDateTime,
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub action: AccessAction,
    pub program_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
}

/// The reads the access log records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessAction {
    ParticipantFile,
    RecordHistory,
    AttendanceReport,
    AttendanceExport,
    OutcomesExport,
    /// Not a read: `stegvis admin retention` destroyed records about the
    /// participant (or, with no participant, sites of the program).
    Retention,
}

impl AccessAction {
    pub const ALL: [AccessAction; 6] = [
        AccessAction::ParticipantFile,
        AccessAction::RecordHistory,
        AccessAction::AttendanceReport,
        AccessAction::AttendanceExport,
        AccessAction::OutcomesExport,
        AccessAction::Retention,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessAction::ParticipantFile => "participant_file",
            AccessAction::RecordHistory => "record_history",
            AccessAction::AttendanceReport => "attendance_report",
            AccessAction::AttendanceExport => "attendance_export",
            AccessAction::OutcomesExport => "outcomes_export",
            AccessAction::Retention => "retention",
        }
    }

    pub fn parse(s: &str) -> Option<AccessAction> {
        AccessAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// `GET /admin/access-log`: the admin's organisation, filters applied.
#[derive(Clone, Debug)]
pub struct AccessLogQuery {
    pub org_id: Uuid,
    pub user_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
    pub action: Option<AccessAction>,
    /// Inclusive lower bound, unix ms.
    pub from_ms: Option<i64>,
    /// Exclusive upper bound, unix ms.
    pub to_ms: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// The office's reads and the access log, on every backend.
#[async_trait]
pub trait OfficeStore: Send + Sync {
    /// The distinct members of these programs, by display name.
    async fn people_of_programs(&self, program_ids: &[Uuid]) -> StoreResult<Vec<Person>>;
    /// The live sites of these programs, by employer.
    async fn sites_of_programs(&self, program_ids: &[Uuid]) -> StoreResult<Vec<SiteRef>>;
    /// The inbox, read in one snapshot (mark, high-water mark and rows agree).
    async fn inbox(&self, query: &InboxQuery) -> StoreResult<Inbox>;
    /// Raises the user's mark to `version` (never lowers it).
    async fn mark_seen(&self, user_id: Uuid, version: i64) -> StoreResult<MarkSeen>;
    /// Live participants matching the query, by display name; and the total.
    async fn participants(&self, query: &ParticipantQuery) -> StoreResult<ParticipantList>;
    /// A live participant's file (`None`: no live participant with this id).
    async fn participant_file(&self, id: Uuid) -> StoreResult<Option<ParticipantFile>>;
    /// The placements and marks of a program's month (dates `YYYY-MM-DD`, inclusive).
    async fn attendance_month(&self, program_id: Uuid, first: &str, last: &str) -> StoreResult<AttendanceMonth>;
    /// The participants who exited in `[from, to]` and their follow-ups.
    async fn exits(&self, program_id: Uuid, from: &str, to: &str) -> StoreResult<Exits>;
    /// Writes access-log rows in one transaction (all or none).
    async fn log_access(&self, entries: &[AccessWrite]) -> StoreResult<()>;
    /// A page of the organisation's access log, newest first, and the total.
    async fn access_log(&self, query: &AccessLogQuery) -> StoreResult<AccessLogPage>;
    /// Reads per user and participant in `[from_ms, to_ms)`.
    async fn access_log_summary(
        &self,
        org_id: Uuid,
        month: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> StoreResult<AccessLogSummary>;
}
