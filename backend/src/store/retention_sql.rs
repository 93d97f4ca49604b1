//! One body of SQL for retention on both databases: [`retention_sql!`]
//! expands, inside `sqlite_retention.rs` and `postgres_retention.rs`, into
//! `plan` (load the candidates from the report tables, choose) and `destroy`
//! (write the tombstones through the backend's [`super::SyncTx`] in one flush, blank the
//! history, log). Each backend opens the transaction its own way (a
//! snapshot for a dry run; the version counter's lock for a real run).
//!
//! Portable SQL as in `office_sql.rs`; the differences are the macro's
//! parameters: reading JSON as text, and the JSON path of a record's `at`.

/// Expands to the retention SQL of one backend; see the module doc.
macro_rules! retention_sql {
    (
        db = $db:ty,
        conn = $conn:ty,
        text = $text:literal,
        json_at = $json_at:literal,
        sync_tx = $sync:ident $(,)?
    ) => {
        use shared::Kind;
        use shared::hlc::{Hlc, MAX_MILLIS};
        use shared::merge::{self, FieldStamp, Fields, Stamps};
        use sqlx::QueryBuilder;
        use uuid::Uuid;

        use $crate::retention::{
            self as rules, About, Anchor, Dated, Inventory, Outcome, ParticipantCandidate, RETENTION_DEVICE,
        };
        use $crate::store::office::AccessAction;
        use $crate::store::retention::{Destroyer, RetentionRun};
        use $crate::store::{RecordWrite, StoreError, StoreResult, SyncTx, Wanted, Writes, from_millis, to_millis};

        type Qb = QueryBuilder<$db>;

        /// Ids per `IN (...)` list (well below either database's parameter limit).
        const CHUNK: usize = 500;

        use $crate::store::sql::push_ids;

        fn kind_of(name: &str) -> StoreResult<Kind> {
            Kind::from_name(name).ok_or_else(|| StoreError::Corrupt(format!("unknown kind {name:?}")))
        }

        /// Loads the organisation's candidates and chooses, in the caller's
        /// transaction; `affected` is filled, `versions` left `None`.
        pub(super) async fn plan(conn: &mut $conn, run: &RetentionRun) -> StoreResult<Outcome> {
            let participants: Vec<(Uuid, Uuid, String, Option<String>)> = sqlx::query_as(
                "SELECT pf.record_id, pf.program_id, pf.status, pf.exit_date FROM participant_facts pf \
                 JOIN programs p ON p.id = pf.program_id WHERE p.org_id = $1 ORDER BY pf.record_id",
            )
            .bind(run.org_id)
            .fetch_all(&mut *conn)
            .await?;
            let mut inventory = Inventory {
                participants: participants
                    .into_iter()
                    .map(|(id, program_id, status, exit_date)| ParticipantCandidate {
                        id,
                        program_id,
                        status,
                        exit_date,
                    })
                    .collect(),
                ..Inventory::default()
            };

            // Every participant of every record about a due participant.
            let due: Vec<Uuid> =
                rules::due_participants(&run.rules, run.today, &inventory.participants).into_keys().collect();
            for chunk in due.chunks(CHUNK) {
                let mut qb = Qb::new(
                    "SELECT rp.record_id, r.kind, r.program_id, rp.participant_id FROM record_participants rp \
                     JOIN records r ON r.id = rp.record_id WHERE rp.record_id IN \
                     (SELECT x.record_id FROM record_participants x WHERE x.participant_id IN",
                );
                push_ids(&mut qb, chunk);
                qb.push(")");
                let rows: Vec<(Uuid, String, Uuid, Uuid)> = qb.build_query_as().fetch_all(&mut *conn).await?;
                for (record_id, kind, program_id, participant_id) in rows {
                    inventory.about.push(About { record_id, kind: kind_of(&kind)?, program_id, participant_id });
                }
            }
            inventory.about.sort_by_key(|a| (a.record_id, a.participant_id));
            inventory.about.dedup();

            // The kind rules' candidates, by each rule's cutoff.
            for rule in run.rules.iter().filter(|r| r.anchor != Anchor::AfterExit) {
                let cutoff = rule.cutoff(run.today);
                let rows: Vec<(Uuid, Uuid, String)> = match (rule.kind, rule.anchor) {
                    (Kind::Attendance, _) => {
                        sqlx::query_as(
                            "SELECT af.record_id, af.program_id, af.date FROM attendance_facts af \
                             JOIN programs p ON p.id = af.program_id WHERE p.org_id = $1 AND af.date <= $2",
                        )
                        .bind(run.org_id)
                        .bind(rules::iso(cutoff))
                        .fetch_all(&mut *conn)
                        .await?
                    }
                    (_, Anchor::AfterDate) => {
                        // A destroyed record has no `at`: NULL, never selected again.
                        sqlx::query_as(concat!(
                            "SELECT r.id, r.program_id, substr(",
                            $json_at,
                            ", 1, 10) AS day FROM records r JOIN programs p ON p.id = r.program_id \
                             WHERE p.org_id = $1 AND r.kind = $2 AND substr(",
                            $json_at,
                            ", 1, 10) <= $3"
                        ))
                        .bind(run.org_id)
                        .bind(rule.kind.as_str())
                        .bind(rules::iso(cutoff))
                        .fetch_all(&mut *conn)
                        .await?
                    }
                    _ => {
                        let before = to_millis(cutoff.next_day().unwrap_or(cutoff).midnight().assume_utc());
                        let rows: Vec<(Uuid, Uuid, i64)> = sqlx::query_as(concat!(
                            "SELECT r.id, r.program_id, r.updated_at FROM records r \
                             JOIN programs p ON p.id = r.program_id \
                             WHERE p.org_id = $1 AND r.kind = $2 AND r.updated_at < $3 AND r.data",
                            $text,
                            " <> '{}'"
                        ))
                        .bind(run.org_id)
                        .bind(rule.kind.as_str())
                        .bind(before)
                        .fetch_all(&mut *conn)
                        .await?;
                        rows.into_iter()
                            .map(|(id, program, at)| Ok((id, program, rules::iso(from_millis(at)?.date()))))
                            .collect::<StoreResult<_>>()?
                    }
                };
                inventory.dated.extend(rows.into_iter().map(|(id, program_id, date)| Dated {
                    id,
                    kind: rule.kind,
                    program_id,
                    date,
                }));
            }
            if run.rules.iter().any(|r| r.kind == Kind::Site) {
                inventory.site_uses = sqlx::query_as(
                    "SELECT pl.site_id, pl.record_id FROM placement_facts pl \
                     JOIN programs p ON p.id = pl.program_id WHERE p.org_id = $1 AND pl.deleted = FALSE",
                )
                .bind(run.org_id)
                .fetch_all(&mut *conn)
                .await?;
            }

            let chosen = rules::select(&run.rules, run.today, &inventory);
            let ids: Vec<Uuid> = chosen.iter().map(|c| c.id).collect();
            let mut about = Vec::new();
            for chunk in ids.chunks(CHUNK) {
                let mut qb =
                    Qb::new("SELECT rp.record_id, rp.participant_id FROM record_participants rp WHERE rp.record_id IN");
                push_ids(&mut qb, chunk);
                about.extend(qb.build_query_as::<(Uuid, Uuid)>().fetch_all(&mut *conn).await?);
            }
            let affected = rules::affected(&chosen, &about);
            Ok(Outcome { chosen, affected, versions: None })
        }

        /// Destroys the chosen records and logs it, in the caller's write
        /// transaction, which holds the version counter's lock.
        pub(super) async fn destroy(
            conn: &mut $conn,
            run: &RetentionRun,
            who: Destroyer,
            outcome: &mut Outcome,
        ) -> StoreResult<()> {
            if outcome.chosen.is_empty() {
                return Ok(());
            }
            let counter: i64 =
                sqlx::query_scalar("SELECT value FROM version_counter WHERE id = 1").fetch_one(&mut *conn).await?;
            let millis = u64::try_from(to_millis(who.now)).unwrap_or(0).min(MAX_MILLIS);
            let hlc = Hlc::new(millis, 0, RETENTION_DEVICE)
                .ok_or_else(|| StoreError::Corrupt(format!("no clock value for {millis} ms")))?;
            let mut tx = $sync { conn: &mut *conn };
            let wanted = Wanted { record_ids: outcome.chosen.iter().map(|c| c.id).collect(), ..Wanted::default() };
            let loaded = tx.load(&wanted).await?;
            let mut writes = Writes::default();
            let mut destroyed = Vec::new();
            let mut done = std::collections::HashSet::new();
            let mut version = counter;
            for c in &outcome.chosen {
                let Some(current) = loaded.records.get(&c.id) else {
                    continue;
                };
                if rules::is_destroyed(current.deleted, &current.data) || !done.insert(current.id) {
                    continue;
                }
                version += 1;
                let stamp = FieldStamp::new(version, hlc);
                let stamps: Stamps =
                    [(merge::DELETED.to_owned(), stamp), (merge::ALL.to_owned(), stamp)].into_iter().collect();
                writes.put(
                    RecordWrite {
                        id: current.id,
                        program_id: current.program_id,
                        kind: current.kind,
                        version,
                        deleted: true,
                        conflict: false,
                        data: Fields::new(),
                        stamps,
                        updated_at: who.now,
                        updated_by: who.admin_id,
                        device_id: RETENTION_DEVICE,
                        mutation_id: Uuid::now_v7(),
                        hlc: hlc.to_string(),
                        conflicts: Vec::new(),
                    },
                    true,
                );
                destroyed.push(current.id);
            }
            if !writes.is_empty() {
                tx.flush(&writes).await?;
            }
            // The history keeps who wrote when, from which device; not what.
            for chunk in destroyed.chunks(CHUNK) {
                let mut qb = Qb::new("UPDATE record_versions SET data = '{}' WHERE version <= ");
                qb.push_bind(counter).push(" AND record_id IN");
                push_ids(&mut qb, chunk);
                qb.build().execute(&mut *conn).await?;
                let mut qb = Qb::new("DELETE FROM record_conflicts WHERE record_id IN");
                push_ids(&mut qb, chunk);
                qb.build().execute(&mut *conn).await?;
            }
            if version > counter {
                sqlx::query("UPDATE version_counter SET value = $1 WHERE id = 1")
                    .bind(version)
                    .execute(&mut *conn)
                    .await?;
                outcome.versions = Some((counter + 1, version));
            }
            for chunk in outcome.affected.chunks(CHUNK) {
                let mut qb =
                    Qb::new("INSERT INTO access_log (at, user_id, org_id, action, program_id, participant_id) ");
                qb.push_values(chunk, |mut row, (program_id, participant_id)| {
                    row.push_bind(to_millis(who.now))
                        .push_bind(who.admin_id)
                        .push_bind(run.org_id)
                        .push_bind(AccessAction::Retention.as_str())
                        .push_bind(*program_id)
                        .push_bind(*participant_id);
                });
                qb.build().execute(&mut *conn).await?;
            }
            Ok(())
        }
    };
}
pub(super) use retention_sql;
