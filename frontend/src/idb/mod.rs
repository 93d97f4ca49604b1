//! All IndexedDB access (rexie): the schema of the `stegvis` database (`records`,
//! `outbox`, `meta`), one-transaction writes ("record and outbox entry", "pulled
//! page and cursor", "acknowledgements"), reads and the wipe. Errors become
//! `AppError::Storage`; a failed write reopens the connection and is retried once.
//! Nothing else in the app touches IndexedDB.
//!
//! Transactions issue only IndexedDB requests between their awaits (all sealing is
//! done before a transaction opens), so they never auto-commit half-way.

pub mod acked;
pub mod rows;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::collections::HashSet;
use std::future::Future;
use std::rc::Rc;

use futures::future::join_all;
use rexie::{Index, KeyRange, ObjectStore, Rexie, Store, Transaction, TransactionMode};
use shared::wire::ErrorInfo;
use uuid::Uuid;
use wasm_bindgen::JsValue;

pub use acked::AckedVersions;
pub use rows::{OutboxRow, OutboxState, RecordRow, key};

use crate::platform::AppError;

/// Database name.
pub const DB_NAME: &str = "stegvis";
/// Schema version. 3: `records` has no index at all (version 1 indexed
/// participant, site, placement, date, kind and program, version 2 kept the
/// program's): nothing reads by them but the rare deletion of a revoked
/// program's records, which scans instead, and every index made every put of
/// a pulled record dearer. Opening an older database drops them.
pub const DB_VERSION: u32 = 3;
/// Store of sealed records, keyed by record id.
pub const RECORDS: &str = "records";
/// Store of sealed mutations, keyed by mutation id.
pub const OUTBOX: &str = "outbox";
/// Store of device state (out-of-line string keys).
pub const META: &str = "meta";
/// Every store.
pub const ALL_STORES: [&str; 3] = [RECORDS, OUTBOX, META];

/// Maps a rexie error to `AppError::Storage`, keeping the DOMException name
/// (`QuotaExceededError`, `UnknownError`, `InvalidStateError`, …).
pub fn storage_error(err: impl std::fmt::Display) -> AppError {
    AppError::Storage(err.to_string())
}

/// An acknowledged mutation: its id, its record and the version the server gave it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ack {
    pub mutation_id: Uuid,
    pub record_id: Uuid,
    pub version: Option<i64>,
}

/// Counts for the sync status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub pending: usize,
    pub rejected: usize,
    pub conflicts: usize,
}

/// The connection; cheap to clone. Reopened after a failed write.
#[derive(Clone, Debug)]
pub struct Db {
    conn: Rc<RefCell<Rc<Rexie>>>,
}

async fn open_connection() -> Result<Rexie, AppError> {
    Rexie::builder(DB_NAME)
        .version(DB_VERSION)
        .add_object_store(ObjectStore::new(RECORDS).key_path("id"))
        .add_object_store(
            ObjectStore::new(OUTBOX)
                .key_path("id")
                .add_index(Index::new("seq", "seq"))
                .add_index(Index::new("record_id", "record_id"))
                .add_index(Index::new("state", "state")),
        )
        .add_object_store(ObjectStore::new(META))
        .build()
        .await
        .map_err(storage_error)
}

fn tx(db: &Rexie, stores: &[&str], mode: TransactionMode) -> Result<Transaction, AppError> {
    db.transaction(stores, mode).map_err(storage_error)
}

fn store(tx: &Transaction, name: &str) -> Result<Store, AppError> {
    tx.store(name).map_err(storage_error)
}

/// Waits for the transaction to commit; an abort is an error.
async fn finish(tx: Transaction) -> Result<(), AppError> {
    let result = tx.done().await.map_err(storage_error)?;
    if result.is_committed() { Ok(()) } else { Err(AppError::Storage("transaction aborted".into())) }
}

/// The record ids (hyphenated, as stored) of every outbox entry, inside a
/// transaction holding `outbox`: one read instead of one count per record.
async fn queued_record_ids(outbox: &Store) -> Result<HashSet<String>, AppError> {
    let values = outbox.get_all(None, None).await.map_err(storage_error)?;
    Ok(values
        .iter()
        .filter_map(|v| js_sys::Reflect::get(v, &JsValue::from_str("record_id")).ok()?.as_string())
        .collect())
}

/// Number of outbox entries of a record, inside a transaction holding `outbox`.
async fn outbox_count_for(outbox: &Store, record_id: Uuid) -> Result<u32, AppError> {
    let range = KeyRange::only(&key(record_id)).map_err(storage_error)?;
    outbox.index("record_id").map_err(storage_error)?.count(Some(range)).await.map_err(storage_error)
}

/// Deletes outbox entries inside a read-write transaction holding `outbox`.
/// Mutation ids are time-ordered, so a batch sent in order is usually every
/// entry between its lowest and highest key: then one count and one ranged
/// delete do it. Otherwise (a rejected or held-back entry in between) each
/// entry is deleted by its key, the requests issued together.
async fn delete_outbox_entries(outbox: &Store, mut ids: Vec<Uuid>) -> Result<(), AppError> {
    // By insertion: the ids are time-ordered, so usually sorted already (and no sort
    // instantiation of its own in the wasm, issue 6).
    shared::records::fields::sort_small(&mut ids, |a, b| a > b);
    if let (Some(first), Some(last), true) = (ids.first(), ids.last(), ids.len() > 2) {
        let range = KeyRange::bound(&key(*first), &key(*last), Some(false), Some(false)).map_err(storage_error)?;
        let in_range = outbox.count(Some(range.clone())).await.map_err(storage_error)?;
        if in_range as usize == ids.len() {
            return outbox.delete(range.into()).await.map_err(storage_error);
        }
    }
    join_all(ids.into_iter().map(|id| outbox.delete(key(id))))
        .await
        .into_iter()
        .collect::<Result<Vec<()>, _>>()
        .map(|_| ())
        .map_err(storage_error)
}

/// The last page of a complete pull: rows still queued (not overwritten by
/// the pull) take their acknowledged version, and the entries go.
async fn fold_acked(records: &Store, meta: &Store, queued: &HashSet<String>) -> Result<(), AppError> {
    let acked = acked::read(meta).await?;
    let keep: Vec<(Uuid, i64)> =
        acked.into_iter().filter(|(id, _)| queued.contains(&id.hyphenated().to_string())).collect();
    let rows = join_all(keep.iter().map(|(id, _)| records.get(key(*id)))).await;
    let mut puts = Vec::new();
    for ((_, version), value) in keep.iter().zip(rows) {
        let Some(value) = value.map_err(storage_error)?.filter(|v| !v.is_undefined()) else { continue };
        let mut row = RecordRow::from_js(value)?;
        if row.version.is_none_or(|v| v < *version) {
            row.version = Some(*version);
            puts.push((row.to_js()?, None));
        }
    }
    records.put_all(puts.into_iter()).await.map_err(storage_error)?;
    acked::clear(meta).await
}

impl Db {
    /// Opens (creating or upgrading) the database.
    pub async fn open() -> Result<Db, AppError> {
        Ok(Db { conn: Rc::new(RefCell::new(Rc::new(open_connection().await?))) })
    }

    fn conn(&self) -> Rc<Rexie> {
        self.conn.borrow().clone()
    }

    /// Opens a fresh connection in place of the current one.
    pub async fn reopen(&self) -> Result<(), AppError> {
        let fresh = Rc::new(open_connection().await?);
        let old = self.conn.replace(fresh);
        if let Ok(old) = Rc::try_unwrap(old) {
            old.close();
        }
        Ok(())
    }

    /// Runs a write; on a storage error reopens the connection and runs it once more.
    async fn write<T, F, Fut>(&self, op: F) -> Result<T, AppError>
    where
        F: Fn(Rc<Rexie>) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        match op(self.conn()).await {
            Err(err) if err.is_storage() => {
                web_sys::console::warn_1(&JsValue::from_str(&format!("IndexedDB write failed, retrying: {err}")));
                self.reopen().await?;
                op(self.conn()).await
            }
            other => other,
        }
    }

    /// Runs a read; on a storage error reopens the connection and reads once more.
    async fn read<T, F, Fut>(&self, op: F) -> Result<T, AppError>
    where
        F: Fn(Rc<Rexie>) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        self.write(op).await
    }

    // ---- meta ----

    /// A `meta` value.
    pub async fn meta(&self, name: &str) -> Result<Option<JsValue>, AppError> {
        self.read(|db| async move {
            let tx = tx(&db, &[META], TransactionMode::ReadOnly)?;
            let value = store(&tx, META)?.get(JsValue::from_str(name)).await.map_err(storage_error)?;
            Ok(value.filter(|v| !v.is_undefined()))
        })
        .await
    }

    /// Writes `meta` values in one transaction.
    pub async fn put_meta(&self, entries: &[(&str, JsValue)]) -> Result<(), AppError> {
        self.write(|db| async move {
            let tx = tx(&db, &[META], TransactionMode::ReadWrite)?;
            let meta = store(&tx, META)?;
            for (name, value) in entries {
                meta.put(value, Some(&JsValue::from_str(name))).await.map_err(storage_error)?;
            }
            finish(tx).await
        })
        .await
    }

    /// Whether the database holds nothing at all (fresh or cleared by the browser).
    pub async fn is_empty(&self) -> Result<bool, AppError> {
        self.read(|db| async move {
            let tx = tx(&db, &ALL_STORES, TransactionMode::ReadOnly)?;
            for name in ALL_STORES {
                if store(&tx, name)?.count(None).await.map_err(storage_error)? > 0 {
                    return Ok(false);
                }
            }
            Ok(true)
        })
        .await
    }

    // ---- records ----

    /// One record row, with its acknowledged version (see [`acked`]).
    pub async fn record(&self, id: Uuid) -> Result<Option<RecordRow>, AppError> {
        self.read(|db| async move {
            let tx = tx(&db, &[RECORDS, META], TransactionMode::ReadOnly)?;
            let (records, meta) = (store(&tx, RECORDS)?, store(&tx, META)?);
            let (value, acked) = futures::join!(records.get(key(id)), acked::read(&meta));
            let (value, acked) = (value.map_err(storage_error)?, acked?);
            let row = value.filter(|v| !v.is_undefined()).map(RecordRow::from_js).transpose()?;
            Ok(row.map(|row| RecordRow { version: acked::newest(row.version, acked.get(&row.id)), ..row }))
        })
        .await
    }

    /// Every record row, with their acknowledged versions (see [`acked`]).
    pub async fn records(&self) -> Result<Vec<RecordRow>, AppError> {
        self.read(|db| async move {
            let tx = tx(&db, &[RECORDS, META], TransactionMode::ReadOnly)?;
            let (records, meta) = (store(&tx, RECORDS)?, store(&tx, META)?);
            let (values, acked) = futures::join!(records.get_all(None, None), acked::read(&meta));
            let (values, acked) = (values.map_err(storage_error)?, acked?);
            values
                .into_iter()
                .map(|value| {
                    let row = RecordRow::from_js(value)?;
                    Ok(RecordRow { version: acked::newest(row.version, acked.get(&row.id)), ..row })
                })
                .collect()
        })
        .await
    }

    /// Writes a record, its outbox entry and meta values in one transaction; returns
    /// once it committed.
    pub async fn save_with_outbox(
        &self,
        record: &RecordRow,
        entry: &OutboxRow,
        meta: &[(&str, JsValue)],
    ) -> Result<(), AppError> {
        let record = record.to_js()?;
        let entry = entry.to_js()?;
        self.write(|db| {
            let (record, entry) = (record.clone(), entry.clone());
            async move {
                let tx = tx(&db, &ALL_STORES, TransactionMode::ReadWrite)?;
                store(&tx, RECORDS)?.put(&record, None).await.map_err(storage_error)?;
                store(&tx, OUTBOX)?.put(&entry, None).await.map_err(storage_error)?;
                let meta_store = store(&tx, META)?;
                for (name, value) in meta {
                    meta_store.put(value, Some(&JsValue::from_str(name))).await.map_err(storage_error)?;
                }
                finish(tx).await
            }
        })
        .await
    }

    /// Rewrites outbox entries (same ids and order) and meta values in one transaction.
    pub async fn replace_outbox_entries(
        &self,
        entries: &[OutboxRow],
        meta: &[(&str, JsValue)],
    ) -> Result<(), AppError> {
        let entries: Vec<JsValue> = entries.iter().map(OutboxRow::to_js).collect::<Result<_, _>>()?;
        self.write(|db| {
            let entries = entries.clone();
            async move {
                let tx = tx(&db, &[OUTBOX, META], TransactionMode::ReadWrite)?;
                let outbox = store(&tx, OUTBOX)?;
                for entry in &entries {
                    outbox.put(entry, None).await.map_err(storage_error)?;
                }
                let meta_store = store(&tx, META)?;
                for (name, value) in meta {
                    meta_store.put(value, Some(&JsValue::from_str(name))).await.map_err(storage_error)?;
                }
                finish(tx).await
            }
        })
        .await
    }

    /// Stores a pulled page and its cursor in one transaction. Records with an outbox
    /// entry keep their local row until the push is acknowledged; records of revoked
    /// programs are deleted; `acked_versions` says what becomes of the
    /// acknowledged versions (see [`acked`]). Returns how many rows were written or deleted.
    pub async fn store_page(
        &self,
        rows: &[RecordRow],
        revoked: &[Uuid],
        cursor_name: &str,
        cursor: &str,
        acked_versions: AckedVersions,
    ) -> Result<usize, AppError> {
        let values = rows.iter().map(|r| Ok((r.id, r.to_js()?))).collect::<Result<Vec<_>, AppError>>()?;
        self.write(|db| {
            let values = values.clone();
            async move {
                let tx = tx(&db, &ALL_STORES, TransactionMode::ReadWrite)?;
                let records = store(&tx, RECORDS)?;
                let outbox = store(&tx, OUTBOX)?;
                // The records with an outbox entry, in one read (the outbox is
                // small while pulling); then every put in one go, awaiting only the last.
                let queued = queued_record_ids(&outbox).await?;
                let puts: Vec<(JsValue, Option<JsValue>)> = values
                    .iter()
                    .filter(|(id, _)| !queued.contains(&id.hyphenated().to_string()))
                    .map(|(_, value)| (value.clone(), None))
                    .collect();
                let mut changed = puts.len();
                records.put_all(puts.into_iter()).await.map_err(storage_error)?;
                if !revoked.is_empty() {
                    // Rare (a membership ended): one scan of the store.
                    let revoked: HashSet<String> = revoked.iter().map(|p| p.hyphenated().to_string()).collect();
                    let keys: Vec<JsValue> = records
                        .get_all(None, None)
                        .await
                        .map_err(storage_error)?
                        .iter()
                        .filter(|row| {
                            js_sys::Reflect::get(row, &JsValue::from_str("program_id"))
                                .ok()
                                .and_then(|p| p.as_string())
                                .is_some_and(|p| revoked.contains(&p))
                        })
                        .filter_map(|row| js_sys::Reflect::get(row, &JsValue::from_str("id")).ok())
                        .collect();
                    changed += keys.len();
                    join_all(keys.into_iter().map(|k| records.delete(k)))
                        .await
                        .into_iter()
                        .collect::<Result<Vec<()>, _>>()
                        .map_err(storage_error)?;
                }
                let meta = store(&tx, META)?;
                match acked_versions {
                    AckedVersions::Keep => {}
                    AckedVersions::Fold => fold_acked(&records, &meta, &queued).await?,
                    AckedVersions::Drop => acked::clear(&meta).await?,
                }
                meta.put(&JsValue::from_str(cursor), Some(&JsValue::from_str(cursor_name)))
                    .await
                    .map_err(storage_error)?;
                finish(tx).await?;
                Ok(changed)
            }
        })
        .await
    }

    /// Deletes a record row (no outbox entry; used when a never-synced record is discarded).
    pub async fn delete_record(&self, id: Uuid) -> Result<(), AppError> {
        self.write(|db| async move {
            let tx = tx(&db, &[RECORDS], TransactionMode::ReadWrite)?;
            store(&tx, RECORDS)?.delete(key(id)).await.map_err(storage_error)?;
            finish(tx).await
        })
        .await
    }

    // ---- outbox ----

    /// Every outbox entry in push order.
    pub async fn outbox(&self) -> Result<Vec<OutboxRow>, AppError> {
        self.read(|db| async move {
            let tx = tx(&db, &[OUTBOX], TransactionMode::ReadOnly)?;
            let index = store(&tx, OUTBOX)?.index("seq").map_err(storage_error)?;
            let values = index.get_all(None, None).await.map_err(storage_error)?;
            values.into_iter().map(OutboxRow::from_js).collect()
        })
        .await
    }

    /// One outbox entry.
    pub async fn outbox_entry(&self, mutation_id: Uuid) -> Result<Option<OutboxRow>, AppError> {
        self.read(|db| async move {
            let tx = tx(&db, &[OUTBOX], TransactionMode::ReadOnly)?;
            let value = store(&tx, OUTBOX)?.get(key(mutation_id)).await.map_err(storage_error)?;
            value.filter(|v| !v.is_undefined()).map(OutboxRow::from_js).transpose()
        })
        .await
    }

    /// Number of outbox entries of a record.
    pub async fn outbox_count_for(&self, record_id: Uuid) -> Result<u32, AppError> {
        self.read(|db| async move {
            let tx = tx(&db, &[OUTBOX], TransactionMode::ReadOnly)?;
            outbox_count_for(&store(&tx, OUTBOX)?, record_id).await
        })
        .await
    }

    /// Number of outbox entries.
    pub async fn outbox_len(&self) -> Result<u32, AppError> {
        self.read(|db| async move {
            let tx = tx(&db, &[OUTBOX], TransactionMode::ReadOnly)?;
            store(&tx, OUTBOX)?.count(None).await.map_err(storage_error)
        })
        .await
    }

    /// Applies a push's answers in one transaction: acknowledged entries leave the
    /// outbox (one ranged delete when they are all the entries in their key
    /// range, as a batch sent in order is) and their versions go into one
    /// `meta` entry (see [`acked`]); rejected entries stay with their error.
    pub async fn apply_results(&self, acks: &[Ack], rejected: &[(Uuid, ErrorInfo)]) -> Result<(), AppError> {
        self.write(|db| async move {
            let tx = tx(&db, &[OUTBOX, META], TransactionMode::ReadWrite)?;
            let outbox = store(&tx, OUTBOX)?;
            let versions: Vec<(Uuid, i64)> =
                acks.iter().filter_map(|ack| ack.version.map(|v| (ack.record_id, v))).collect();
            let (deleted, entries) = futures::join!(
                delete_outbox_entries(&outbox, acks.iter().map(|ack| ack.mutation_id).collect()),
                join_all(rejected.iter().map(|(id, _)| outbox.get(key(*id)))),
            );
            deleted?;
            let mut puts = Vec::new();
            for ((_, error), value) in rejected.iter().zip(entries) {
                let Some(value) = value.map_err(storage_error)?.filter(|v| !v.is_undefined()) else { continue };
                let mut row = OutboxRow::from_js(value)?;
                row.state = OutboxState::Rejected;
                row.error = Some(error.clone());
                puts.push((row.to_js()?, None));
            }
            outbox.put_all(puts.into_iter()).await.map_err(storage_error)?;
            if let Some(first) = acks.first().filter(|_| !versions.is_empty()) {
                let (name, value) = acked::entry(first.mutation_id, &versions);
                store(&tx, META)?.put(&value, Some(&name)).await.map_err(storage_error)?;
            }
            finish(tx).await
        })
        .await
    }

    /// Removes an outbox entry. Returns the entry removed.
    pub async fn delete_outbox_entry(&self, mutation_id: Uuid) -> Result<(), AppError> {
        self.write(|db| async move {
            let tx = tx(&db, &[OUTBOX], TransactionMode::ReadWrite)?;
            store(&tx, OUTBOX)?.delete(key(mutation_id)).await.map_err(storage_error)?;
            finish(tx).await
        })
        .await
    }

    /// Pending and rejected outbox entries, and conflicted records.
    pub async fn counts(&self) -> Result<Counts, AppError> {
        self.read(|db| async move {
            let tx = tx(&db, &[RECORDS, OUTBOX], TransactionMode::ReadOnly)?;
            let states = store(&tx, OUTBOX)?.index("state").map_err(storage_error)?;
            let count_state = |state: &'static str| {
                let range = KeyRange::only(&JsValue::from_str(state));
                async { states.count(Some(range.map_err(storage_error)?)).await.map_err(storage_error) }
            };
            let pending = count_state("pending").await? as usize;
            let rejected = count_state("rejected").await? as usize;
            let rows = store(&tx, RECORDS)?.get_all(None, None).await.map_err(storage_error)?;
            let mut conflicts = 0;
            for value in rows {
                if js_sys::Reflect::get(&value, &JsValue::from_str("conflict")).ok().and_then(|v| v.as_bool())
                    == Some(true)
                {
                    conflicts += 1;
                }
            }
            Ok(Counts { pending, rejected, conflicts })
        })
        .await
    }

    /// Ids of records that have an outbox entry (pending or rejected).
    pub async fn records_with_outbox(&self) -> Result<HashSet<Uuid>, AppError> {
        Ok(self.outbox().await?.into_iter().map(|row| row.record_id).collect())
    }

    /// Empties every store in one transaction (logout, revoked session).
    pub async fn wipe(&self) -> Result<(), AppError> {
        self.write(|db| async move {
            let tx = tx(&db, &ALL_STORES, TransactionMode::ReadWrite)?;
            for name in ALL_STORES {
                store(&tx, name)?.clear().await.map_err(storage_error)?;
            }
            finish(tx).await
        })
        .await
    }

    /// Every value of every store, for tests that check what is stored in clear.
    pub async fn dump(&self) -> Result<Vec<(String, JsValue, JsValue)>, AppError> {
        self.read(|db| async move {
            let tx = tx(&db, &ALL_STORES, TransactionMode::ReadOnly)?;
            let mut out = Vec::new();
            for name in ALL_STORES {
                for (k, v) in store(&tx, name)?.scan(None, None, None, None).await.map_err(storage_error)? {
                    out.push((name.to_owned(), k, v));
                }
            }
            Ok(out)
        })
        .await
    }
}
