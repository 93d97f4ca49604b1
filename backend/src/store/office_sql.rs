//! One body of SQL for the office on both databases: [`office_sql!`]
//! expands, inside `sqlite_office.rs` and `postgres_office.rs`, into the
//! fact writer of the push transaction, one batch of the start-up rebuild
//! and the [`super::office::OfficeStore`] implementation.
//!
//! The SQL is portable: `$n` placeholders (sqlx binds them by number on
//! SQLite too), `TRUE`/`FALSE`, `CAST(... AS BIGINT)`, `ON CONFLICT ...
//! excluded`; dynamic filters go through `sqlx::QueryBuilder`, which numbers
//! its own placeholders. The few differences are the macro's parameters:
//! reading JSON as text, the byte-order collation, the substring function
//! and the snapshot a read transaction opens with.

use std::collections::HashMap;

use shared::Kind;
use shared::merge::Fields;
use shared::office::InboxItem;
use uuid::Uuid;

use super::{StoreError, StoreResult, from_millis};

/// Ids per `IN (...)` list: well within every database's bound-parameter limit.
pub const ID_CHUNK: usize = 900;

/// Bound parameters per multi-row statement (SQLite's limit is 32,766,
/// PostgreSQL's 65,535): a push of 500 mutations writes each table in one.
pub const MAX_BINDS: usize = 30_000;

/// Rows of `columns` columns per multi-row statement.
pub const fn rows_per(columns: usize) -> usize {
    MAX_BINDS / columns
}

/// The record whose facts are written.
#[derive(Clone, Copy, Debug)]
pub struct FactSource<'a> {
    pub id: Uuid,
    pub program_id: Uuid,
    pub kind: Kind,
    pub version: i64,
    pub deleted: bool,
    pub data: &'a Fields,
}

impl<'a> From<&'a super::RecordWrite> for FactSource<'a> {
    fn from(w: &'a super::RecordWrite) -> Self {
        FactSource {
            id: w.id,
            program_id: w.program_id,
            kind: w.kind,
            version: w.version,
            deleted: w.deleted,
            data: &w.data,
        }
    }
}

/// Columns: `id, kind, program_id, version, deleted, conflict, updated_at, updated_by` of `records`.
#[derive(sqlx::FromRow)]
pub struct InboxRowDb {
    id: Uuid,
    kind: String,
    program_id: Uuid,
    version: i64,
    deleted: bool,
    conflict: bool,
    updated_at: i64,
    updated_by: Uuid,
}

impl InboxRowDb {
    /// The item, named after its participant when it is about exactly one.
    pub fn into_item(self, about: &HashMap<Uuid, Vec<(Uuid, Option<String>)>>) -> StoreResult<InboxItem> {
        let (participant_id, participant_name) = match about.get(&self.id).map(Vec::as_slice) {
            Some([(id, name)]) => (Some(*id), name.clone()),
            _ => (None, None),
        };
        Ok(InboxItem {
            record_id: self.id,
            kind: self.kind.parse().map_err(|_| StoreError::Corrupt(format!("unknown kind {:?}", self.kind)))?,
            program_id: self.program_id,
            version: self.version,
            deleted: self.deleted,
            conflict: self.conflict,
            updated_at: from_millis(self.updated_at)?,
            updated_by: self.updated_by,
            participant_id,
            participant_name,
        })
    }
}

/// Columns of a `participant_facts` row joined with its record's `conflict, version`.
#[derive(sqlx::FromRow)]
pub struct SummaryDb {
    id: Uuid,
    program_id: Uuid,
    display_name: String,
    status: String,
    coach_id: Option<Uuid>,
    started_on: String,
    exit_date: Option<String>,
    exit_outcome: Option<String>,
    conflict: bool,
    version: i64,
}

impl From<SummaryDb> for shared::office::ParticipantSummary {
    fn from(r: SummaryDb) -> Self {
        shared::office::ParticipantSummary {
            id: r.id,
            program_id: r.program_id,
            display_name: r.display_name,
            status: r.status,
            coach_id: r.coach_id,
            started_on: r.started_on,
            exit_date: r.exit_date,
            exit_outcome: r.exit_outcome,
            conflict: r.conflict,
            version: r.version,
        }
    }
}

/// Columns of `access_log`.
#[derive(sqlx::FromRow)]
pub struct AccessLogDb {
    id: i64,
    at: i64,
    user_id: Uuid,
    org_id: Uuid,
    action: String,
    program_id: Option<Uuid>,
    participant_id: Option<Uuid>,
}

impl AccessLogDb {
    pub fn into_entry(self) -> StoreResult<shared::office::AccessLogEntry> {
        Ok(shared::office::AccessLogEntry {
            id: self.id,
            at: from_millis(self.at)?,
            user_id: self.user_id,
            org_id: self.org_id,
            action: self.action,
            program_id: self.program_id,
            participant_id: self.participant_id,
        })
    }
}

/// Columns of one access-log summary group.
#[derive(sqlx::FromRow)]
pub struct SummaryRowDb {
    user_id: Uuid,
    user_name: String,
    participant_id: Option<Uuid>,
    participant_name: String,
    reads: i64,
    first_at: i64,
    last_at: i64,
}

impl SummaryRowDb {
    pub fn into_row(self) -> StoreResult<shared::office::AccessLogSummaryRow> {
        Ok(shared::office::AccessLogSummaryRow {
            user_id: self.user_id,
            user_name: self.user_name,
            participant_id: self.participant_id,
            participant_name: self.participant_name,
            reads: self.reads,
            first_at: from_millis(self.first_at)?,
            last_at: from_millis(self.last_at)?,
        })
    }
}

/// Groups `(record_id, participant_id, name)` rows by record.
pub fn about_map(rows: Vec<(Uuid, Uuid, Option<String>)>) -> HashMap<Uuid, Vec<(Uuid, Option<String>)>> {
    let mut map: HashMap<Uuid, Vec<(Uuid, Option<String>)>> = HashMap::new();
    for (record, participant, name) in rows {
        map.entry(record).or_default().push((participant, name));
    }
    map
}

/// The columns of `records` the office reads, JSON as text via `$text`.
macro_rules! record_columns {
    ($text:literal) => {
        concat!(
            "r.id, r.kind, r.program_id, r.version, r.deleted, r.conflict, r.updated_at, r.updated_by, r.data",
            $text,
            " AS data"
        )
    };
}
pub(super) use record_columns;

/// Expands to the office SQL of one backend; see the module doc.
macro_rules! office_sql {
    (
        store = $store:ty,
        db = $db:ty,
        conn = $conn:ty,
        text = $text:literal,
        collate = $collate:literal,
        instr = $instr:literal,
        read_begin = $read_begin:literal $(,)?
    ) => {
        use async_trait::async_trait;
        use shared::office::{
            AccessLogPage, AccessLogSummary, Inbox, InboxCount, ParticipantFile, ParticipantList, Person, SiteRef,
        };
        use sqlx::QueryBuilder;
        use uuid::Uuid;

        use $crate::store::facts::{KindFact, REBUILD_BATCH, facts_of, table_of};
        use $crate::store::office::{
            AccessLogQuery, AccessWrite, AttendanceMonth, ExitRow, Exits, FollowUpRow, InboxQuery, MarkSeen,
            OfficeStore, ParticipantQuery, PlacementMonth,
        };
        use $crate::store::office_sql::{
            AccessLogDb, FactSource, InboxRowDb, SummaryDb, SummaryRowDb, about_map, record_columns,
        };
        use $crate::store::rows::{RecordDb, StoredDb, convert};
        use $crate::store::{StoreError, StoreResult, to_millis};

        type Qb = QueryBuilder<$db>;

        use $crate::store::sql::push_ids;

        /// Writes the report-table rows of `sources` (one entry per record),
        /// in the caller's transaction, with a few multi-row statements: the
        /// rows of the records `replace` names are deleted first (one
        /// `DELETE ... IN` per table), then every new row is inserted.
        pub(crate) async fn write_facts(
            conn: &mut $conn,
            sources: &[FactSource<'_>],
            replace: &(dyn Fn(Uuid) -> bool + Sync),
        ) -> StoreResult<()> {
            use $crate::store::office_sql::{ID_CHUNK, rows_per};

            let mut old: Vec<(&'static str, Vec<Uuid>)> = Vec::new();
            let mut about_old = Vec::new();
            for s in sources.iter().filter(|s| replace(s.id)) {
                if let Some(table) = table_of(s.kind) {
                    match old.iter_mut().find(|(t, _)| *t == table) {
                        Some((_, ids)) => ids.push(s.id),
                        None => old.push((table, vec![s.id])),
                    }
                }
                about_old.push(s.id);
            }
            old.push(("record_participants", about_old));
            for (table, ids) in &old {
                for chunk in ids.chunks(ID_CHUNK) {
                    let mut qb = Qb::new(format!("DELETE FROM {table} WHERE record_id IN"));
                    push_ids(&mut qb, chunk);
                    qb.build().execute(&mut *conn).await?;
                }
            }

            let (mut participants, mut placements, mut attendance, mut follow_ups, mut sites) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
            let mut about = Vec::new();
            for s in sources {
                let facts = facts_of(s.id, s.kind, s.data);
                match facts.row {
                    Some(KindFact::Participant(f)) => participants.push((s, f)),
                    Some(KindFact::Placement(f)) => placements.push((s, f)),
                    Some(KindFact::Attendance(f)) => attendance.push((s, f)),
                    Some(KindFact::FollowUp(f)) => follow_ups.push((s, f)),
                    Some(KindFact::Site(f)) => sites.push((s, f)),
                    None => {}
                }
                about.extend(facts.participants.into_iter().map(|p| (s.id, p)));
            }
            for chunk in participants.chunks(rows_per(10)) {
                let mut qb = Qb::new(
                    "INSERT INTO participant_facts (record_id, program_id, display_name, name_lower, status, \
                     coach_id, started_on, exit_date, exit_outcome, deleted) ",
                );
                qb.push_values(chunk, |mut b, (s, p)| {
                    b.push_bind(s.id)
                        .push_bind(s.program_id)
                        .push_bind(p.display_name.as_str())
                        .push_bind(p.name_lower.as_str())
                        .push_bind(p.status)
                        .push_bind(p.coach_id)
                        .push_bind(p.started_on.as_str())
                        .push_bind(p.exit_date.as_deref())
                        .push_bind(p.exit_outcome)
                        .push_bind(s.deleted);
                });
                qb.build().execute(&mut *conn).await?;
            }
            for chunk in placements.chunks(rows_per(9)) {
                let mut qb = Qb::new(
                    "INSERT INTO placement_facts (record_id, program_id, participant_id, site_id, starts_on, \
                     ends_on, weekdays, hours_per_day, deleted) ",
                );
                qb.push_values(chunk, |mut b, (s, p)| {
                    b.push_bind(s.id)
                        .push_bind(s.program_id)
                        .push_bind(p.participant_id)
                        .push_bind(p.site_id)
                        .push_bind(p.starts_on.as_str())
                        .push_bind(p.ends_on.as_deref())
                        .push_bind(p.weekdays.as_str())
                        .push_bind(p.hours_per_day)
                        .push_bind(s.deleted);
                });
                qb.build().execute(&mut *conn).await?;
            }
            for chunk in attendance.chunks(rows_per(8)) {
                let mut qb = Qb::new(
                    "INSERT INTO attendance_facts (record_id, program_id, placement_id, participant_id, date, \
                     status, hours, deleted) ",
                );
                qb.push_values(chunk, |mut b, (s, a)| {
                    b.push_bind(s.id)
                        .push_bind(s.program_id)
                        .push_bind(a.placement_id)
                        .push_bind(a.participant_id)
                        .push_bind(a.date.as_str())
                        .push_bind(a.status)
                        .push_bind(a.hours)
                        .push_bind(s.deleted);
                });
                qb.build().execute(&mut *conn).await?;
            }
            for chunk in follow_ups.chunks(rows_per(7)) {
                let mut qb = Qb::new(
                    "INSERT INTO follow_up_facts (record_id, program_id, participant_id, months_after_exit, \
                     status, version, deleted) ",
                );
                qb.push_values(chunk, |mut b, (s, f)| {
                    b.push_bind(s.id)
                        .push_bind(s.program_id)
                        .push_bind(f.participant_id)
                        .push_bind(f.months_after_exit)
                        .push_bind(f.status)
                        .push_bind(s.version)
                        .push_bind(s.deleted);
                });
                qb.build().execute(&mut *conn).await?;
            }
            for chunk in sites.chunks(rows_per(4)) {
                let mut qb = Qb::new("INSERT INTO site_facts (record_id, program_id, employer, deleted) ");
                qb.push_values(chunk, |mut b, (s, f)| {
                    b.push_bind(s.id).push_bind(s.program_id).push_bind(f.employer.as_str()).push_bind(s.deleted);
                });
                qb.build().execute(&mut *conn).await?;
            }
            for chunk in about.chunks(rows_per(2)) {
                let mut qb = Qb::new("INSERT INTO record_participants (record_id, participant_id) ");
                qb.push_values(chunk, |mut b, (record, participant)| {
                    b.push_bind(*record).push_bind(*participant);
                });
                qb.build().execute(&mut *conn).await?;
            }
            Ok(())
        }

        /// Projects the next batch of records after version `after`, in the
        /// caller's transaction: the last version done and how many, `None` when none was left.
        pub(crate) async fn rebuild_batch(conn: &mut $conn, after: i64) -> StoreResult<Option<(i64, usize)>> {
            let rows: Vec<StoredDb> = sqlx::query_as(concat!(
                "SELECT id, program_id, kind, version, deleted, conflict, data",
                $text,
                " AS data, stamps",
                $text,
                " AS stamps FROM records WHERE version > $1 ORDER BY version LIMIT $2"
            ))
            .bind(after)
            .bind(REBUILD_BATCH)
            .fetch_all(&mut *conn)
            .await?;
            let count = rows.len();
            let records = convert(rows, StoredDb::into_stored)?;
            let sources: Vec<FactSource<'_>> = records
                .iter()
                .map(|r| FactSource {
                    id: r.id,
                    program_id: r.program_id,
                    kind: r.kind,
                    version: r.version,
                    deleted: r.deleted,
                    data: &r.data,
                })
                .collect();
            write_facts(&mut *conn, &sources, &|_| true).await?;
            let last = records.last().map(|r| r.version);
            Ok(last.map(|v| (v, count)))
        }

        /// The projection version the database's report tables were built by.
        pub(crate) async fn projection_version(conn: &mut $conn) -> StoreResult<i64> {
            Ok(sqlx::query_scalar("SELECT version FROM projection_state WHERE id = 1").fetch_one(&mut *conn).await?)
        }

        pub(crate) async fn set_projection_version(conn: &mut $conn, version: i64) -> StoreResult<()> {
            sqlx::query("UPDATE projection_state SET version = $1 WHERE id = 1")
                .bind(version)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        fn push_inbox_filter(qb: &mut Qb, q: &InboxQuery) {
            qb.push(" WHERE r.program_id IN");
            push_ids(qb, &q.program_ids);
            if let Some(kind) = q.kind {
                qb.push(" AND r.kind = ").push_bind(kind.as_str());
            }
            if let Some(by) = q.updated_by {
                qb.push(" AND r.updated_by = ").push_bind(by);
            }
        }

        fn push_participant_filter(qb: &mut Qb, q: &ParticipantQuery) {
            qb.push(" WHERE pf.deleted = FALSE AND pf.program_id IN");
            push_ids(qb, &q.program_ids);
            if let Some(coach) = q.coach_id {
                qb.push(" AND pf.coach_id = ").push_bind(coach);
            }
            if let Some(status) = q.status {
                qb.push(" AND pf.status = ").push_bind(status);
            }
            if let Some(text) = &q.q {
                qb.push(concat!(" AND ", $instr, "(pf.name_lower, ")).push_bind(text.clone()).push(") > 0");
            }
            if let Some(site) = q.site_id {
                qb.push(
                    " AND EXISTS (SELECT 1 FROM placement_facts pl WHERE pl.participant_id = pf.record_id \
                     AND pl.deleted = FALSE AND pl.site_id = ",
                )
                .push_bind(site)
                .push(")");
            }
        }

        fn push_access_filter(qb: &mut Qb, q: &AccessLogQuery) {
            qb.push(" WHERE l.org_id = ").push_bind(q.org_id);
            if let Some(user) = q.user_id {
                qb.push(" AND l.user_id = ").push_bind(user);
            }
            if let Some(participant) = q.participant_id {
                qb.push(" AND l.participant_id = ").push_bind(participant);
            }
            if let Some(action) = q.action {
                qb.push(" AND l.action = ").push_bind(action.as_str());
            }
            if let Some(from) = q.from_ms {
                qb.push(" AND l.at >= ").push_bind(from);
            }
            if let Some(to) = q.to_ms {
                qb.push(" AND l.at < ").push_bind(to);
            }
        }

        #[async_trait]
        impl OfficeStore for $store {
            async fn people_of_programs(&self, program_ids: &[Uuid]) -> StoreResult<Vec<Person>> {
                if program_ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut qb = Qb::new(
                    "SELECT u.id, u.display_name, u.role FROM users u WHERE u.id IN \
                     (SELECT m.user_id FROM program_members m WHERE m.program_id IN",
                );
                push_ids(&mut qb, program_ids);
                qb.push(concat!(") ORDER BY u.display_name", $collate, ", u.id"));
                let rows: Vec<(Uuid, String, String)> = qb.build_query_as().fetch_all(&self.pool).await?;
                rows.into_iter()
                    .map(|(id, display_name, role)| {
                        let role = shared::Role::parse(&role)
                            .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?;
                        Ok(Person { id, display_name, role })
                    })
                    .collect()
            }

            async fn sites_of_programs(&self, program_ids: &[Uuid]) -> StoreResult<Vec<SiteRef>> {
                if program_ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut qb = Qb::new(
                    "SELECT s.record_id, s.program_id, s.employer FROM site_facts s \
                     WHERE s.deleted = FALSE AND s.program_id IN",
                );
                push_ids(&mut qb, program_ids);
                qb.push(concat!(" ORDER BY s.employer", $collate, ", s.record_id"));
                let rows: Vec<(Uuid, Uuid, String)> = qb.build_query_as().fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(|(id, program_id, employer)| SiteRef { id, program_id, employer }).collect())
            }

            async fn inbox(&self, q: &InboxQuery) -> StoreResult<Inbox> {
                let mut tx = self.pool.begin_with($read_begin).await?;
                let high_water: i64 = sqlx::query_scalar("SELECT value FROM version_counter WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?;
                let seen_version: i64 = sqlx::query_scalar("SELECT seen_version FROM inbox_marks WHERE user_id = $1")
                    .bind(q.user_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .unwrap_or(0);

                let mut qb = Qb::new("SELECT r.program_id, r.updated_by, r.kind, COUNT(*) FROM records r");
                push_inbox_filter(&mut qb, q);
                qb.push(" AND r.version > ").push_bind(seen_version);
                qb.push(" GROUP BY r.program_id, r.updated_by, r.kind ORDER BY r.program_id, r.updated_by, r.kind");
                let groups: Vec<(Uuid, Uuid, String, i64)> = qb.build_query_as().fetch_all(&mut *tx).await?;
                let mut counts = Vec::with_capacity(groups.len());
                let mut total = 0;
                for (program_id, updated_by, kind, count) in groups {
                    let kind = kind.parse().map_err(|_| StoreError::Corrupt(format!("unknown kind {kind:?}")))?;
                    total += count;
                    counts.push(InboxCount { program_id, updated_by, kind, count });
                }

                let columns = "SELECT r.id, r.kind, r.program_id, r.version, r.deleted, r.conflict, r.updated_at, \
                               r.updated_by FROM records r";
                let mut qb = Qb::new(columns);
                push_inbox_filter(&mut qb, q);
                qb.push(" AND r.version > ").push_bind(seen_version);
                qb.push(" ORDER BY r.version DESC LIMIT ").push_bind(q.limit).push(" OFFSET ").push_bind(q.offset);
                let items: Vec<InboxRowDb> = qb.build_query_as().fetch_all(&mut *tx).await?;

                let mut qb = Qb::new(columns);
                push_inbox_filter(&mut qb, q);
                qb.push(" AND r.conflict = TRUE ORDER BY r.version DESC");
                let conflicts: Vec<InboxRowDb> = qb.build_query_as().fetch_all(&mut *tx).await?;

                let ids: Vec<Uuid> = items.iter().chain(&conflicts).map(|r| r.id()).collect();
                let about = if ids.is_empty() {
                    about_map(Vec::new())
                } else {
                    let mut qb = Qb::new(
                        "SELECT rp.record_id, rp.participant_id, pf.display_name FROM record_participants rp \
                         LEFT JOIN participant_facts pf ON pf.record_id = rp.participant_id WHERE rp.record_id IN",
                    );
                    push_ids(&mut qb, &ids);
                    qb.push(" ORDER BY rp.record_id, rp.participant_id");
                    about_map(qb.build_query_as().fetch_all(&mut *tx).await?)
                };
                tx.commit().await?;
                Ok(Inbox {
                    seen_version,
                    high_water,
                    counts,
                    conflicts: convert(conflicts, |r| r.into_item(&about))?,
                    items: convert(items, |r| r.into_item(&about))?,
                    total,
                })
            }

            async fn mark_seen(&self, user_id: Uuid, version: i64) -> StoreResult<MarkSeen> {
                // The counter only grows, so a version at or below it now stays valid.
                let high_water: i64 = sqlx::query_scalar("SELECT value FROM version_counter WHERE id = 1")
                    .fetch_one(&self.pool)
                    .await?;
                if version > high_water {
                    return Ok(MarkSeen::AboveHighWater(high_water));
                }
                sqlx::query(
                    "INSERT INTO inbox_marks (user_id, seen_version) VALUES ($1, $2) \
                     ON CONFLICT (user_id) DO UPDATE SET seen_version = CASE \
                     WHEN excluded.seen_version > inbox_marks.seen_version THEN excluded.seen_version \
                     ELSE inbox_marks.seen_version END",
                )
                .bind(user_id)
                .bind(version)
                .execute(&self.pool)
                .await?;
                Ok(MarkSeen::Marked)
            }

            async fn participants(&self, q: &ParticipantQuery) -> StoreResult<ParticipantList> {
                let mut tx = self.pool.begin_with($read_begin).await?;
                let mut qb = Qb::new("SELECT COUNT(*) FROM participant_facts pf");
                push_participant_filter(&mut qb, q);
                let total: i64 = qb.build_query_scalar().fetch_one(&mut *tx).await?;
                let mut qb = Qb::new(
                    "SELECT pf.record_id AS id, pf.program_id, pf.display_name, pf.status, pf.coach_id, \
                     pf.started_on, pf.exit_date, pf.exit_outcome, r.conflict, r.version \
                     FROM participant_facts pf JOIN records r ON r.id = pf.record_id",
                );
                push_participant_filter(&mut qb, q);
                qb.push(concat!(" ORDER BY pf.name_lower", $collate, ", pf.display_name", $collate, ", pf.record_id"));
                qb.push(" LIMIT ").push_bind(q.limit).push(" OFFSET ").push_bind(q.offset);
                let rows: Vec<SummaryDb> = qb.build_query_as().fetch_all(&mut *tx).await?;
                tx.commit().await?;
                Ok(ParticipantList { participants: rows.into_iter().map(Into::into).collect(), total })
            }

            async fn participant_file(&self, id: Uuid) -> StoreResult<Option<ParticipantFile>> {
                let mut tx = self.pool.begin_with($read_begin).await?;
                let participant: Option<RecordDb> = sqlx::query_as(concat!(
                    "SELECT ",
                    record_columns!($text),
                    " FROM records r WHERE r.id = $1 AND r.kind = 'participant' AND r.deleted = FALSE"
                ))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(participant) = participant else {
                    return Ok(None);
                };
                let records: Vec<RecordDb> = sqlx::query_as(concat!(
                    "SELECT ",
                    record_columns!($text),
                    " FROM record_participants rp JOIN records r ON r.id = rp.record_id \
                     WHERE rp.participant_id = $1 AND r.id <> $1 AND r.deleted = FALSE ORDER BY r.version"
                ))
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                let sites: Vec<RecordDb> = sqlx::query_as(concat!(
                    "SELECT ",
                    record_columns!($text),
                    " FROM records r WHERE r.kind = 'site' AND r.deleted = FALSE AND r.id IN \
                     (SELECT pl.site_id FROM placement_facts pl WHERE pl.participant_id = $1 AND pl.deleted = FALSE) \
                     ORDER BY r.version"
                ))
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Some(ParticipantFile {
                    participant: participant.into_record()?,
                    records: convert(records, RecordDb::into_record)?,
                    sites: convert(sites, RecordDb::into_record)?,
                }))
            }

            async fn attendance_month(
                &self,
                program_id: Uuid,
                first: &str,
                last: &str,
            ) -> StoreResult<AttendanceMonth> {
                let mut tx = self.pool.begin_with($read_begin).await?;
                let rows: Vec<PlacementMonth> = sqlx::query_as(concat!(
                    "SELECT pl.record_id AS placement_id, pl.participant_id, pf.display_name AS participant_name, \
                     pl.site_id, COALESCE(sf.employer, '') AS site_name, pl.starts_on, pl.ends_on, pl.weekdays, \
                     pl.hours_per_day, \
                     CAST(COALESCE(SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END), 0) AS BIGINT) AS present, \
                     CAST(COALESCE(SUM(CASE WHEN a.status = 'late' THEN 1 ELSE 0 END), 0) AS BIGINT) AS late, \
                     CAST(COALESCE(SUM(CASE WHEN a.status = 'absent_sick' THEN 1 ELSE 0 END), 0) AS BIGINT) \
                     AS absent_sick, \
                     CAST(COALESCE(SUM(CASE WHEN a.status = 'absent_excused' THEN 1 ELSE 0 END), 0) AS BIGINT) \
                     AS absent_excused, \
                     CAST(COALESCE(SUM(CASE WHEN a.status = 'absent_unexcused' THEN 1 ELSE 0 END), 0) AS BIGINT) \
                     AS absent_unexcused, \
                     CAST(COALESCE(SUM(CASE WHEN a.status IN ('present', 'late') \
                     THEN COALESCE(a.hours, pl.hours_per_day) ELSE 0 END), 0) AS DOUBLE PRECISION) AS hours \
                     FROM placement_facts pl \
                     JOIN participant_facts pf ON pf.record_id = pl.participant_id AND pf.deleted = FALSE \
                     LEFT JOIN site_facts sf ON sf.record_id = pl.site_id \
                     LEFT JOIN attendance_facts a ON a.placement_id = pl.record_id AND a.deleted = FALSE \
                     AND a.date >= $2 AND a.date <= $3 \
                     WHERE pl.program_id = $1 AND pl.deleted = FALSE AND pl.starts_on <= $3 \
                     AND (pl.ends_on IS NULL OR pl.ends_on >= $2) \
                     GROUP BY pl.record_id, pl.participant_id, pf.display_name, pf.name_lower, pl.site_id, \
                     sf.employer, pl.starts_on, pl.ends_on, pl.weekdays, pl.hours_per_day \
                     ORDER BY pf.name_lower",
                    $collate,
                    ", pf.display_name",
                    $collate,
                    ", COALESCE(sf.employer, '')",
                    $collate,
                    ", pl.record_id"
                ))
                .bind(program_id)
                .bind(first)
                .bind(last)
                .fetch_all(&mut *tx)
                .await?;
                let marked: Vec<(Uuid, String)> = sqlx::query_as(
                    "SELECT a.placement_id, a.date FROM attendance_facts a \
                     WHERE a.program_id = $1 AND a.deleted = FALSE AND a.date >= $2 AND a.date <= $3",
                )
                .bind(program_id)
                .bind(first)
                .bind(last)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(AttendanceMonth { rows, marked })
            }

            async fn exits(&self, program_id: Uuid, from: &str, to: &str) -> StoreResult<Exits> {
                let mut tx = self.pool.begin_with($read_begin).await?;
                let exited: Vec<ExitRow> = sqlx::query_as(
                    "SELECT pf.record_id AS participant_id, pf.started_on, pf.exit_date, pf.exit_outcome \
                     FROM participant_facts pf WHERE pf.program_id = $1 AND pf.deleted = FALSE \
                     AND pf.status = 'exited' AND pf.exit_date >= $2 AND pf.exit_date <= $3 \
                     AND pf.exit_outcome IS NOT NULL ORDER BY pf.record_id",
                )
                .bind(program_id)
                .bind(from)
                .bind(to)
                .fetch_all(&mut *tx)
                .await?;
                let follow_ups: Vec<FollowUpRow> = sqlx::query_as(
                    "SELECT f.participant_id, f.months_after_exit, f.status, f.version FROM follow_up_facts f \
                     JOIN participant_facts pf ON pf.record_id = f.participant_id \
                     WHERE pf.program_id = $1 AND pf.deleted = FALSE AND pf.status = 'exited' \
                     AND pf.exit_date >= $2 AND pf.exit_date <= $3 AND f.deleted = FALSE \
                     ORDER BY f.participant_id, f.months_after_exit, f.version",
                )
                .bind(program_id)
                .bind(from)
                .bind(to)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Exits { exited, follow_ups })
            }

            async fn log_access(&self, entries: &[AccessWrite]) -> StoreResult<()> {
                if entries.is_empty() {
                    return Ok(());
                }
                // Every row of the read, or none: one transaction, multi-row
                // inserts of at most 1,000 rows (SQLite binds at most 32,766
                // values a statement; an export of a large program exceeds it).
                let mut tx = self.pool.begin().await?;
                for chunk in entries.chunks(1000) {
                    let mut qb =
                        Qb::new("INSERT INTO access_log (at, user_id, org_id, action, program_id, participant_id) ");
                    qb.push_values(chunk, |mut row, e| {
                        row.push_bind(to_millis(e.at))
                            .push_bind(e.user_id)
                            .push_bind(e.org_id)
                            .push_bind(e.action.as_str())
                            .push_bind(e.program_id)
                            .push_bind(e.participant_id);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn access_log(&self, q: &AccessLogQuery) -> StoreResult<AccessLogPage> {
                let mut tx = self.pool.begin_with($read_begin).await?;
                let mut qb = Qb::new("SELECT COUNT(*) FROM access_log l");
                push_access_filter(&mut qb, q);
                let total: i64 = qb.build_query_scalar().fetch_one(&mut *tx).await?;
                let mut qb = Qb::new(
                    "SELECT l.id, l.at, l.user_id, l.org_id, l.action, l.program_id, l.participant_id \
                     FROM access_log l",
                );
                push_access_filter(&mut qb, q);
                qb.push(" ORDER BY l.at DESC, l.id DESC LIMIT ").push_bind(q.limit);
                qb.push(" OFFSET ").push_bind(q.offset);
                let rows: Vec<AccessLogDb> = qb.build_query_as().fetch_all(&mut *tx).await?;
                tx.commit().await?;
                Ok(AccessLogPage { entries: convert(rows, AccessLogDb::into_entry)?, total })
            }

            async fn access_log_summary(
                &self,
                org_id: Uuid,
                month: &str,
                from_ms: i64,
                to_ms: i64,
            ) -> StoreResult<AccessLogSummary> {
                let rows: Vec<SummaryRowDb> = sqlx::query_as(concat!(
                    "SELECT l.user_id, COALESCE(u.display_name, '') AS user_name, l.participant_id, \
                     COALESCE(pf.display_name, '') AS participant_name, COUNT(*) AS reads, \
                     MIN(l.at) AS first_at, MAX(l.at) AS last_at \
                     FROM access_log l LEFT JOIN users u ON u.id = l.user_id \
                     LEFT JOIN participant_facts pf ON pf.record_id = l.participant_id \
                     WHERE l.org_id = $1 AND l.at >= $2 AND l.at < $3 \
                     GROUP BY l.user_id, u.display_name, l.participant_id, pf.display_name \
                     ORDER BY COALESCE(u.display_name, '')",
                    $collate,
                    ", l.user_id, COUNT(*) DESC, COALESCE(pf.display_name, '')",
                    $collate,
                    ", l.participant_id"
                ))
                .bind(org_id)
                .bind(from_ms)
                .bind(to_ms)
                .fetch_all(&self.pool)
                .await?;
                Ok(AccessLogSummary { month: month.to_owned(), rows: convert(rows, SummaryRowDb::into_row)? })
            }
        }
    };
}
pub(super) use office_sql;

impl InboxRowDb {
    pub fn id(&self) -> Uuid {
        self.id
    }
}
