//! The wire types of the office and admin endpoints (`docs/OFFICE.md`): the
//! inbox, the participant register and file, the attendance and outcomes
//! reports, the access log and the administration lists.
//!
//! The server serialises exactly these and the desk screens of the app read
//! them; every report figure is computed on the server.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::records::Kind;
use crate::roles::Role;
use crate::wire::Record;

/// Most rows one page of a list or report returns; a larger `limit` is taken as this.
pub const MAX_PAGE_LIMIT: u32 = 500;
/// Page size when the client names none.
pub const DEFAULT_PAGE_LIMIT: u32 = 100;

// ---------------------------------------------------------------- directory

/// Everything the desk needs to name things and fill its filters:
/// `GET /api/v1/office/directory`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Directory {
    /// The caller's programs (an admin: also every program of their organisation).
    pub programs: Vec<crate::wire::Program>,
    /// Members of those programs (coaches, pedagogues, office, admins).
    pub people: Vec<Person>,
    /// Sites of those programs.
    pub sites: Vec<SiteRef>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: Uuid,
    pub display_name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteRef {
    pub id: Uuid,
    pub program_id: Uuid,
    pub employer: String,
}

// ---------------------------------------------------------------- inbox

/// `GET /api/v1/office/inbox`: what was synced since the caller last marked
/// the inbox seen, conflicts first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inbox {
    /// The caller's mark: items have a higher version than this.
    pub seen_version: i64,
    /// The highest version the page was read at; `POST .../inbox/seen` with it marks everything seen.
    pub high_water: i64,
    /// New changes since the mark, counted by program, writer and kind (all pages).
    pub counts: Vec<InboxCount>,
    /// Every record of the caller's programs that has an unresolved conflict (whatever the mark).
    pub conflicts: Vec<InboxItem>,
    /// New changes since the mark, newest first, filtered as asked.
    pub items: Vec<InboxItem>,
    /// Total of `items` over all pages.
    pub total: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxCount {
    pub program_id: Uuid,
    /// Who wrote the change (the "coach" of the inbox grouping).
    pub updated_by: Uuid,
    pub kind: Kind,
    pub count: i64,
}

/// One record in the inbox: what it is and who touched it, never its text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxItem {
    pub record_id: Uuid,
    pub kind: Kind,
    pub program_id: Uuid,
    pub version: i64,
    pub deleted: bool,
    pub conflict: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: OffsetDateTime,
    pub updated_by: Uuid,
    /// The participant the record is about (the record itself for a participant), if any.
    pub participant_id: Option<Uuid>,
    pub participant_name: Option<String>,
}

/// `POST /api/v1/office/inbox/seen`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkSeen {
    pub version: i64,
}

// ---------------------------------------------------------------- register and file

/// `GET /api/v1/office/participants`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantList {
    pub participants: Vec<ParticipantSummary>,
    /// Matches over all pages.
    pub total: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantSummary {
    pub id: Uuid,
    pub program_id: Uuid,
    pub display_name: String,
    /// `active`, `paused` or `exited`.
    pub status: String,
    pub coach_id: Option<Uuid>,
    /// `YYYY-MM-DD`.
    pub started_on: String,
    pub exit_date: Option<String>,
    /// `job`, `studies` or `other`.
    pub exit_outcome: Option<String>,
    pub conflict: bool,
    pub version: i64,
}

/// `GET /api/v1/office/participants/{id}`: the participant and every live
/// record about them (placements, attendance, visits, notes, lessons they
/// are an attendee of, plan goals, follow-ups) and the sites of their
/// placements. Each read is written to the access log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantFile {
    pub participant: Record,
    /// Ascending version; deleted records are left out.
    pub records: Vec<Record>,
    pub sites: Vec<Record>,
}

// ---------------------------------------------------------------- attendance report

/// `GET /api/v1/reports/attendance?program_id=&month=YYYY-MM&limit=&offset=`
/// (`.../attendance/export` gives every row as CSV).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceReport {
    pub program_id: Uuid,
    /// `YYYY-MM`.
    pub month: String,
    /// Public holidays (and de facto holidays) of the month that fell on a weekday, `YYYY-MM-DD`.
    pub holidays: Vec<String>,
    /// One per participant and placement active in the month, by participant name then site.
    pub rows: Vec<AttendanceRow>,
    /// Rows over all pages.
    pub total_rows: i64,
    /// Sums over every row of the program (all pages).
    pub totals: AttendanceCounts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceRow {
    pub participant_id: Uuid,
    pub participant_name: String,
    pub placement_id: Uuid,
    pub site_id: Uuid,
    pub site_name: String,
    pub counts: AttendanceCounts,
}

/// The figures of one row, or the totals.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceCounts {
    /// Days the placement plans work in the month: its weekdays between its
    /// start and end, less public holidays.
    pub planned_days: i64,
    pub present: i64,
    pub late: i64,
    pub absent_sick: i64,
    pub absent_excused: i64,
    pub absent_unexcused: i64,
    /// Planned days before today with no attendance mark at all (days still to come are not missing).
    pub unmarked: i64,
    /// Planned days × hours per day.
    pub planned_hours: f64,
    /// Hours attended: each present or late mark's `hours`, or the placement's hours per day when it has none.
    pub hours: f64,
}

// ---------------------------------------------------------------- outcomes report

/// `GET /api/v1/reports/outcomes?program_id=&from=YYYY-MM-DD&to=YYYY-MM-DD`
/// (`.../outcomes/export` as CSV): participants who exited in the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomesReport {
    pub program_id: Uuid,
    pub from: String,
    pub to: String,
    pub exited: i64,
    /// Always the three outcomes, in the order job, studies, other.
    pub by_outcome: Vec<OutcomeCount>,
    /// Median days from `started_on` to the exit date; `None` when nobody exited.
    pub median_days_to_exit: Option<f64>,
    /// Always two entries: 3 and 6 months.
    pub follow_ups: Vec<FollowUpSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeCount {
    /// `job`, `studies` or `other`.
    pub outcome: String,
    pub count: i64,
    /// Of `exited`, rounded to a whole percent (0 when nobody exited).
    pub percent: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpSummary {
    /// 3 or 6.
    pub months_after_exit: i64,
    /// Participants of the report whose follow-up date (exit + months) is on or before today.
    pub due: i64,
    /// Recorded follow-ups by status (`job`, `studies`, `other`, `unknown`), always all four in that order.
    pub by_status: Vec<StatusCount>,
    /// Due participants with no follow-up recorded yet.
    pub missing: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
}

// ---------------------------------------------------------------- access log

/// `GET /api/v1/admin/access-log?user_id=&participant_id=&from=&to=&limit=&offset=` (admin).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessLogPage {
    /// Newest first.
    pub entries: Vec<AccessLogEntry>,
    pub total: i64,
}

/// One read of a participant's data or one export: who, when, whom. Never content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessLogEntry {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
    pub user_id: Uuid,
    pub org_id: Uuid,
    /// `participant_file`, `record_history`, `attendance_report`, `attendance_export`, `outcomes_export`;
    /// `retention` (not a read: `stegvis admin retention` destroyed records about the participant).
    pub action: String,
    pub program_id: Option<Uuid>,
    /// Whom the read was about; `None` for an aggregate export.
    pub participant_id: Option<Uuid>,
}

/// `GET /api/v1/admin/access-log/summary?month=YYYY-MM` (admin): who looked at whom, how often.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessLogSummary {
    pub month: String,
    /// By user, then by reads descending.
    pub rows: Vec<AccessLogSummaryRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessLogSummaryRow {
    pub user_id: Uuid,
    pub user_name: String,
    pub participant_id: Option<Uuid>,
    /// The participant's display name as the server holds it now (empty if unknown).
    pub participant_name: String,
    pub reads: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub first_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub last_at: OffsetDateTime,
}

// ---------------------------------------------------------------- administration

/// `GET /api/v1/users` (admin): the users of the admin's organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserList {
    pub users: Vec<UserAdmin>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserAdmin {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: Uuid,
    pub program_ids: Vec<Uuid>,
    pub disabled: bool,
}

/// `GET /api/v1/programs/{id}/members` (admin of the program's or a partner organisation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberList {
    pub members: Vec<Member>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub user_id: Uuid,
    pub display_name: String,
    pub role: Role,
    pub org_id: Uuid,
}

/// `GET /api/v1/agreements` (admin): agreements on the organisation's programs and those naming it as partner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementList {
    pub agreements: Vec<crate::wire::Agreement>,
}

/// `GET /api/v1/orgs` (admin): every organisation's id and name, to name a partner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgList {
    pub orgs: Vec<Org>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Org {
    pub id: Uuid,
    pub name: String,
}
