//! One body of SQL for the batched sync write on both databases:
//! [`sync_sql!`] expands, inside `sqlite.rs` and `postgres.rs`, into the
//! flush of a batch's [`super::Writes`]: multi-row statements (sqlx's
//! `QueryBuilder`, which numbers its own placeholders), chunked by bound
//! parameters, so a push of 500 mutations writes each table with one. The
//! one difference is the macro's parameter: the cast a JSON value is bound
//! with (PostgreSQL's JSONB columns take text with `::jsonb`).
//!
//! Order: records (final states, upserted) before their versions,
//! conflicts, stamps-only updates and mutations; the report tables last.

/// Expands to `flush(conn, writes)` of one backend; see the module doc.
macro_rules! sync_sql {
    (
        db = $db:ty,
        conn = $conn:ty,
        json = $json:literal,
        office = $office:ident $(,)?
    ) => {
        /// Writes everything one batch decided, in the caller's transaction.
        pub(super) async fn flush(conn: &mut $conn, w: &$crate::store::Writes) -> $crate::store::StoreResult<()> {
            use sqlx::QueryBuilder;
            use $crate::store::office_sql::{FactSource, rows_per};
            use $crate::store::rows::to_json;
            use $crate::store::to_millis;

            let versions = w.versions();
            let data: Vec<String> = versions.iter().map(|v| to_json(&v.data)).collect::<Result<_, _>>()?;
            let latest: Vec<(usize, String)> = w
                .latest()
                .map(|i| Ok((i, to_json(&versions[i].stamps)?)))
                .collect::<$crate::store::StoreResult<_>>()?;

            for chunk in latest.chunks(rows_per(10)) {
                let mut qb = QueryBuilder::<$db>::new(
                    "INSERT INTO records (id, program_id, kind, version, deleted, conflict, data, stamps, updated_at, \
                     updated_by) ",
                );
                qb.push_values(chunk, |mut b, (i, stamps)| {
                    let v = &versions[*i];
                    b.push_bind(v.id)
                        .push_bind(v.program_id)
                        .push_bind(v.kind.as_str())
                        .push_bind(v.version)
                        .push_bind(v.deleted)
                        .push_bind(v.conflict)
                        .push_bind(data[*i].as_str())
                        .push_unseparated($json)
                        .push_bind(stamps.as_str())
                        .push_unseparated($json)
                        .push_bind(to_millis(v.updated_at))
                        .push_bind(v.updated_by);
                });
                qb.push(
                    " ON CONFLICT (id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, \
                     conflict = excluded.conflict, data = excluded.data, stamps = excluded.stamps, \
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                );
                qb.build().execute(&mut *conn).await?;
            }

            let indexed: Vec<usize> = (0..versions.len()).collect();
            for chunk in indexed.chunks(rows_per(12)) {
                let mut qb = QueryBuilder::<$db>::new(
                    "INSERT INTO record_versions (record_id, version, program_id, kind, deleted, conflict, data, \
                     updated_at, updated_by, device_id, mutation_id, hlc) ",
                );
                qb.push_values(chunk, |mut b, i| {
                    let v = &versions[*i];
                    b.push_bind(v.id)
                        .push_bind(v.version)
                        .push_bind(v.program_id)
                        .push_bind(v.kind.as_str())
                        .push_bind(v.deleted)
                        .push_bind(v.conflict)
                        .push_bind(data[*i].as_str())
                        .push_unseparated($json)
                        .push_bind(to_millis(v.updated_at))
                        .push_bind(v.updated_by)
                        .push_bind(v.device_id)
                        .push_bind(v.mutation_id)
                        .push_bind(v.hlc.as_str());
                });
                qb.build().execute(&mut *conn).await?;
            }

            let mut conflicts = Vec::new();
            for v in versions {
                for c in &v.conflicts {
                    conflicts.push((
                        v.id,
                        v.version,
                        c.field.as_str(),
                        to_json(&c.kept)?,
                        c.kept_hlc.to_string(),
                        to_json(&c.lost)?,
                        c.lost_hlc.to_string(),
                    ));
                }
            }
            for chunk in conflicts.chunks(rows_per(7)) {
                let mut qb = QueryBuilder::<$db>::new(
                    "INSERT INTO record_conflicts (record_id, version, field, kept, kept_hlc, lost, lost_hlc) ",
                );
                qb.push_values(chunk, |mut b, (id, version, field, kept, kept_hlc, lost, lost_hlc)| {
                    b.push_bind(*id)
                        .push_bind(*version)
                        .push_bind(*field)
                        .push_bind(kept.as_str())
                        .push_unseparated($json)
                        .push_bind(kept_hlc.as_str())
                        .push_bind(lost.as_str())
                        .push_unseparated($json)
                        .push_bind(lost_hlc.as_str());
                });
                qb.build().execute(&mut *conn).await?;
            }

            let stamps: Vec<(uuid::Uuid, String)> =
                w.stamp_updates().map(|(id, s)| Ok((*id, to_json(s)?))).collect::<$crate::store::StoreResult<_>>()?;
            for chunk in stamps.chunks(rows_per(2)) {
                // `VALUES` names its columns column1, column2 on both databases.
                let mut qb = QueryBuilder::<$db>::new("UPDATE records SET stamps = v.column2");
                qb.push($json).push(" FROM (");
                qb.push_values(chunk, |mut b, (id, stamps)| {
                    b.push_bind(*id).push_bind(stamps.as_str());
                });
                qb.push(") AS v WHERE records.id = v.column1");
                qb.build().execute(&mut *conn).await?;
            }

            for chunk in w.mutations().chunks(rows_per(6)) {
                let mut qb = QueryBuilder::<$db>::new(
                    "INSERT INTO mutations (id, user_id, device_id, record_id, version, received_at) ",
                );
                qb.push_values(chunk, |mut b, m| {
                    b.push_bind(m.id)
                        .push_bind(m.user_id)
                        .push_bind(m.device_id)
                        .push_bind(m.record_id)
                        .push_bind(m.version)
                        .push_bind(to_millis(m.received_at));
                });
                qb.build().execute(&mut *conn).await?;
            }

            // The report tables, in the same transaction as the records.
            let sources: Vec<FactSource<'_>> = latest.iter().map(|(i, _)| FactSource::from(&versions[*i])).collect();
            super::$office::write_facts(&mut *conn, &sources, &|id| w.replaces(&id)).await?;
            Ok(())
        }
    };
}
pub(super) use sync_sql;
