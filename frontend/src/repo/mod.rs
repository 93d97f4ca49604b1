//! The local record store the pages use: login (online) and unlock (offline),
//! sealing and opening records, building mutations (base version, HLC from
//! `shared::hlc::HlcClock`, attendance ids from `shared::ids`), and writing
//! "record + outbox entry" in one IndexedDB transaction. The sync engine
//! (`crate::sync`) uses the crate-internal accessors at the bottom.

mod check;
pub mod meta;

pub use check::ContentCheck;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::future::join_all;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shared::hlc::{Hlc, HlcClock};
use shared::wire::{ErrorInfo, MAX_CLOCK_SKEW_MS, Mutation, Op, UserInfo};
use shared::{Kind, RecordData};
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use wasm_bindgen::JsValue;

pub use crate::platform::AppError;

use crate::crypto::{Sealed, Vault};
use crate::idb::{Counts, Db, OutboxRow, OutboxState, RecordRow};
use crate::{api, handoff, platform};
use meta::{SessionPayload, StoredClock, StoredVault};

/// A record as the pages see it: decrypted and valid.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalRecord {
    pub id: Uuid,
    pub kind: Kind,
    pub program_id: Uuid,
    /// `None`: never acknowledged by the server.
    pub version: Option<i64>,
    pub deleted: bool,
    pub conflict: bool,
    pub data: RecordData,
    pub updated_at: Option<OffsetDateTime>,
    /// Has an outbox entry not yet acknowledged (pending or rejected).
    pub pending: bool,
}

/// What the app finds at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BootState {
    /// Nothing on this device: log in online.
    NeedsLogin,
    /// A vault exists: unlock it with the password (works offline).
    Locked { username: String, display_name: String },
    /// This browser held our data but the database is gone (cleared by the browser):
    /// say so, log in again and pull everything.
    DatabaseVanished,
}

/// The logged-in user on this device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub user: UserInfo,
    pub device_id: Uuid,
}

/// What a login on the login page led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// A field user: the vault is open.
    Field(Session),
    /// An office or admin user: no vault; hand the session to the desk
    /// (`crate::handoff::open_desk`).
    Desk { token: String, user: UserInfo },
}

/// One outbox entry as the outbox page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxItem {
    pub mutation_id: Uuid,
    pub record_id: Uuid,
    pub kind: Kind,
    /// The server's refusal; `None` while pending.
    pub rejected: Option<ErrorInfo>,
}

/// What is sealed per record: the data and who changed it when.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct RecordPayload {
    pub data: Value,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub updated_by: Option<Uuid>,
}

/// The unlocked state: keys and token live only here.
struct Unlocked {
    vault: Vault,
    session: SessionPayload,
    device_id: Uuid,
    clock: HlcClock,
    next_seq: u64,
}

struct Inner {
    db: Db,
    unlocked: RefCell<Option<Unlocked>>,
    syncing: Cell<bool>,
}

/// The local store; cheap to clone (`Rc` inside). Equal when it is the same store.
#[derive(Clone)]
pub struct Repo {
    inner: Rc<Inner>,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo").field("unlocked", &self.is_unlocked()).finish()
    }
}

impl PartialEq for Repo {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

/// A new record id (UUID v7).
pub fn new_record_id() -> Uuid {
    Uuid::now_v7()
}

/// The id of the attendance record of a placement on a day (UUID v5, `shared::ids`).
pub fn attendance_record_id(placement_id: Uuid, date: Date) -> Uuid {
    shared::ids::attendance_id(placement_id, date)
}

/// A `records` row: the clear ids, version and flags, and the sealed payload.
pub(crate) fn record_row(
    id: Uuid,
    kind: Kind,
    program_id: Uuid,
    version: Option<i64>,
    flags: (bool, bool),
    sealed: &Sealed,
) -> RecordRow {
    RecordRow { id, kind, program_id, version, deleted: flags.0, conflict: flags.1, sealed: sealed.to_bytes() }
}

fn log_warning(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}

impl Repo {
    /// Opens the database and tells what the app should show first.
    pub async fn boot() -> Result<(Repo, BootState), AppError> {
        let db = Db::open().await?;
        let state = match meta::vault(&db).await? {
            Some(v) => BootState::Locked { username: v.username, display_name: v.display_name },
            None if platform::had_data() => BootState::DatabaseVanished,
            None => BootState::NeedsLogin,
        };
        let repo = Repo { inner: Rc::new(Inner { db, unlocked: RefCell::new(None), syncing: Cell::new(false) }) };
        Ok((repo, state))
    }

    /// Logs in online from the login page. A field user's login opens (or
    /// creates) the vault as [`Repo::login_online`] does; an office or admin
    /// user gets no vault: the session is handed over to the desk
    /// (`crate::handoff`), whose page the caller then opens.
    pub async fn sign_in(&self, username: &str, password: &str, device_name: &str) -> Result<SignIn, AppError> {
        let login = api::login(username, password, device_name).await?;
        if handoff::is_desk_role(login.user.role) {
            return Ok(SignIn::Desk { token: login.token, user: login.user });
        }
        Ok(SignIn::Field(self.adopt_login(password, login.token, login.user).await?))
    }

    /// Logs in online and unlocks. The same user keeps the local data (a re-login
    /// after `session_expired`); another user, or a password that no longer opens the
    /// vault, starts from an empty device.
    pub async fn login_online(&self, username: &str, password: &str, device_name: &str) -> Result<Session, AppError> {
        let login = api::login(username, password, device_name).await?;
        self.adopt_login(password, login.token, login.user).await
    }

    /// What `login_online` does once the server said yes: opens (same user) or creates
    /// the vault, stores the sealed session and unlocks. Public for the browser tests,
    /// which have no server; the app calls `login_online`.
    #[doc(hidden)]
    pub async fn adopt_login(&self, password: &str, token: String, user: UserInfo) -> Result<Session, AppError> {
        let db = &self.inner.db;
        let existing = meta::vault(db).await?;
        let (vault, stored) = match existing {
            Some(stored) if stored.username == user.username => match Vault::unlock(password, &stored.header).await {
                Ok(vault) => (vault, StoredVault { display_name: user.display_name.clone(), ..stored }),
                Err(AppError::WrongPassword) => {
                    log_warning("the password changed: the local data cannot be opened and is replaced");
                    db.wipe().await?;
                    self.new_vault(password, &user).await?
                }
                Err(other) => return Err(other),
            },
            Some(_) => {
                db.wipe().await?;
                self.new_vault(password, &user).await?
            }
            None => self.new_vault(password, &user).await?,
        };
        let device_id = match meta::device_id(db).await? {
            Some(id) => id,
            None => Uuid::new_v4(),
        };
        let session = SessionPayload { token, user };
        let sealed_session = vault.seal_json(&session).await?;
        db.put_meta(&[
            (meta::VAULT, stored.to_js()?),
            (meta::DEVICE_ID, JsValue::from_str(&device_id.to_string())),
            (meta::SESSION, js_sys::Uint8Array::from(sealed_session.to_bytes().as_slice()).into()),
        ])
        .await?;
        platform::set_had_data(true);
        self.finish_unlock(vault, session, device_id).await
    }

    async fn new_vault(&self, password: &str, user: &UserInfo) -> Result<(Vault, StoredVault), AppError> {
        let (vault, header) = Vault::create(password).await?;
        Ok((vault, StoredVault { username: user.username.clone(), display_name: user.display_name.clone(), header }))
    }

    /// Unlocks offline with the password; `AppError::WrongPassword` if it does not fit.
    pub async fn unlock(&self, password: &str) -> Result<Session, AppError> {
        let db = &self.inner.db;
        let stored = meta::vault(db).await?.ok_or(AppError::NotLoggedIn)?;
        let vault = Vault::unlock(password, &stored.header).await?;
        let sealed = meta::bytes(db, meta::SESSION).await?.ok_or(AppError::NotLoggedIn)?;
        let session: SessionPayload = vault.open_json(&Sealed::from_bytes(&sealed)?).await?;
        let device_id = meta::device_id(db).await?.ok_or(AppError::NotLoggedIn)?;
        self.finish_unlock(vault, session, device_id).await
    }

    async fn finish_unlock(&self, vault: Vault, session: SessionPayload, device_id: Uuid) -> Result<Session, AppError> {
        let db = &self.inner.db;
        let stored = db.meta(meta::CLOCK).await?.map(|v| StoredClock::from_js(&v)).unwrap_or_default();
        let last = stored.last_hlc.as_deref().and_then(|s| Hlc::parse_for_device(s, device_id).ok());
        let max_seq = db.outbox().await?.iter().map(|row| row.seq + 1).max().unwrap_or(0);
        let user = session.user.clone();
        *self.inner.unlocked.borrow_mut() = Some(Unlocked {
            vault,
            session,
            device_id,
            clock: HlcClock::resume(device_id, last),
            next_seq: stored.next_seq.max(max_seq),
        });
        Ok(Session { user, device_id })
    }

    /// Drops the keys and the token from memory.
    pub fn lock(&self) {
        self.inner.unlocked.borrow_mut().take();
    }

    /// Whether the vault is open.
    pub fn is_unlocked(&self) -> bool {
        self.inner.unlocked.borrow().is_some()
    }

    /// The session while unlocked.
    pub fn session(&self) -> Option<Session> {
        self.inner.unlocked.borrow().as_ref().map(|u| Session { user: u.session.user.clone(), device_id: u.device_id })
    }

    /// Every record on the device, decrypted (tombstones included: filter on `deleted`).
    pub async fn records(&self) -> Result<Vec<LocalRecord>, AppError> {
        let vault = self.vault()?;
        let rows = self.inner.db.records().await?;
        let with_outbox = self.inner.db.records_with_outbox().await?;
        let opened = join_all(rows.into_iter().map(|row| {
            let vault = vault.clone();
            let pending = with_outbox.contains(&row.id);
            async move { open_row(&vault, row, pending).await }
        }))
        .await;
        let mut records = Vec::with_capacity(opened.len());
        for result in opened {
            match result {
                Ok(Some(record)) => records.push(record),
                Ok(None) => {}
                Err(err) => return Err(err),
            }
        }
        Ok(records)
    }

    /// Saves a record (new or changed) and queues its mutation, in one transaction.
    /// Returns once the write committed.
    pub async fn save(&self, program_id: Uuid, record_id: Uuid, data: RecordData) -> Result<LocalRecord, AppError> {
        let started = crate::sync::timing::now();
        let kind = data.kind();
        if let RecordData::Attendance(attendance) = &data
            && attendance.expected_id() != record_id
        {
            return Err(AppError::Invalid("id: an attendance id is derived from its placement and date".into()));
        }
        let existing = self.inner.db.record(record_id).await?;
        let read = crate::sync::timing::now();
        crate::sync::timing::measure("stegvis:save:read", started, &[]);
        if let Some(row) = &existing {
            if row.program_id != program_id {
                return Err(AppError::Invalid("program_id: a record stays in its program".into()));
            }
            if row.kind != kind {
                return Err(AppError::Invalid("kind: a record keeps its kind".into()));
            }
        }
        let base_version = existing.as_ref().and_then(|row| row.version);
        let conflict = existing.as_ref().is_some_and(|row| row.conflict);
        let value = data.to_value();
        let now = OffsetDateTime::now_utc();
        let (vault, user_id, mutation, seq, clock) =
            self.next_mutation(record_id, kind, program_id, Op::Put, base_version, Some(value.clone()))?;
        let payload = RecordPayload { data: value.clone(), updated_at: Some(now), updated_by: Some(user_id) };
        let (sealed_record, sealed_mutation) = futures::join!(vault.seal_json(&payload), vault.seal_json(&mutation));
        let sealed = crate::sync::timing::now();
        crate::sync::timing::measure("stegvis:save:seal", read, &[]);
        let row = record_row(record_id, kind, program_id, base_version, (false, conflict), &sealed_record?);
        let entry = outbox_row(&mutation, seq, sealed_mutation?);
        self.inner.db.save_with_outbox(&row, &entry, &[(meta::CLOCK, clock.to_js()?)]).await?;
        crate::sync::timing::measure("stegvis:save:write", sealed, &[]);
        // The storage part of a save (read, two seals, one write), for the performance panel and the bench.
        crate::sync::timing::measure("stegvis:save", started, &[]);
        Ok(LocalRecord {
            id: record_id,
            kind,
            program_id,
            version: base_version,
            deleted: false,
            conflict,
            data,
            updated_at: Some(now),
            pending: true,
        })
    }

    /// Deletes a record (a tombstone, synced like any change).
    pub async fn delete(&self, record_id: Uuid) -> Result<(), AppError> {
        let existing = self.inner.db.record(record_id).await?.ok_or(AppError::NotFound)?;
        let (_, _, mutation, seq, clock) =
            self.next_mutation(record_id, existing.kind, existing.program_id, Op::Delete, existing.version, None)?;
        let vault = self.vault()?;
        let sealed = vault.seal_json(&mutation).await?;
        let row = RecordRow { deleted: true, ..existing };
        let entry = outbox_row(&mutation, seq, sealed);
        self.inner.db.save_with_outbox(&row, &entry, &[(meta::CLOCK, clock.to_js()?)]).await
    }

    /// Queues again a record the server no longer has in this version (it
    /// was restored from an older backup): a put of the device's data (a
    /// delete for a tombstone) on top of the version the server holds now
    /// (`None`: it has no such record), written with the record row in one
    /// transaction, so that only what the server lost is sent as changed.
    pub async fn requeue_lost(&self, record: &LocalRecord, server_version: Option<i64>) -> Result<(), AppError> {
        let row = self.inner.db.record(record.id).await?.ok_or(AppError::NotFound)?;
        let (op, data) = if record.deleted { (Op::Delete, None) } else { (Op::Put, Some(record.data.to_value())) };
        let (vault, _, mutation, seq, clock) =
            self.next_mutation(record.id, record.kind, record.program_id, op, server_version, data)?;
        let sealed = vault.seal_json(&mutation).await?;
        let row = RecordRow { version: server_version, ..row };
        let entry = outbox_row(&mutation, seq, sealed);
        self.inner.db.save_with_outbox(&row, &entry, &[(meta::CLOCK, clock.to_js()?)]).await
    }

    /// The bearer token while unlocked (handed to the desk when a vault of an
    /// office or admin user, made before the desk had its own page, is opened).
    pub fn token(&self) -> Result<String, AppError> {
        self.credentials().map(|(token, _)| token)
    }

    /// The pending mutations, decrypted, in push order (for diagnostics and tests).
    #[doc(hidden)]
    pub async fn pending_mutations(&self) -> Result<Vec<Mutation>, AppError> {
        let vault = self.vault()?;
        let mut out = Vec::new();
        for row in self.inner.db.outbox().await?.into_iter().filter(|row| row.state == OutboxState::Pending) {
            out.push(vault.open_json::<Mutation>(&Sealed::from_bytes(&row.sealed)?).await?);
        }
        Ok(out)
    }

    /// Folds a timestamp seen elsewhere into the device clock (tests use it to
    /// make the clock run fast).
    #[doc(hidden)]
    pub fn observe_clock(&self, seen: Hlc) {
        if let Some(unlocked) = self.inner.unlocked.borrow_mut().as_mut() {
            unlocked.clock.observe(seen);
        }
    }

    /// Re-stamps queued mutations whose clock is more than the server's
    /// tolerance ahead of the device's clock now: they were made while the
    /// clock ran fast, the server refused them (`clock_skew`), and the clock
    /// has since been put right. The device clock restarts from now and the
    /// mutations get fresh timestamps in their queue order (ids unchanged, so
    /// a retry stays idempotent). Returns how many were re-stamped.
    pub async fn restamp_mutations_from_a_fast_clock(&self) -> Result<usize, AppError> {
        let vault = self.vault()?;
        let rows: Vec<OutboxRow> =
            self.inner.db.outbox().await?.into_iter().filter(|row| row.state == OutboxState::Pending).collect();
        let mut mutations: Vec<Mutation> =
            join_all(rows.iter().map(|row| async { vault.open_json(&Sealed::from_bytes(&row.sealed)?).await }))
                .await
                .into_iter()
                .collect::<Result<_, AppError>>()?;
        self.restamp_opened(&rows, &mut mutations).await
    }

    /// [`Repo::restamp_mutations_from_a_fast_clock`] on an outbox the caller
    /// already opened (`rows[i]` holds `mutations[i]`), so a sync decrypts it
    /// once; the re-stamped mutations are updated in place.
    pub(crate) async fn restamp_opened(
        &self,
        rows: &[OutboxRow],
        mutations: &mut [Mutation],
    ) -> Result<usize, AppError> {
        let now = platform::now_ms().max(0.0) as u64;
        let limit = now.saturating_add(MAX_CLOCK_SKEW_MS);
        let (vault, device_id) = {
            let guard = self.inner.unlocked.borrow();
            let unlocked = guard.as_ref().ok_or(AppError::Locked)?;
            (unlocked.vault.clone(), unlocked.device_id)
        };
        let ahead: Vec<usize> = mutations
            .iter()
            .enumerate()
            .filter(|(_, m)| Hlc::parse_for_device(&m.hlc, device_id).is_ok_and(|h| h.millis() > limit))
            .map(|(i, _)| i)
            .collect();
        if ahead.is_empty() {
            return Ok(0);
        }
        let clock = {
            let mut guard = self.inner.unlocked.borrow_mut();
            let unlocked = guard.as_mut().ok_or(AppError::Locked)?;
            if unlocked.clock.last().is_some_and(|last| last.millis() > limit) {
                unlocked.clock = HlcClock::new(device_id);
            }
            for &i in &ahead {
                mutations[i].hlc = unlocked.clock.tick(now).to_string();
            }
            StoredClock { last_hlc: unlocked.clock.last().map(|h| h.to_string()), next_seq: unlocked.next_seq }
        };
        let mut fixed = Vec::with_capacity(ahead.len());
        for &i in &ahead {
            fixed.push(OutboxRow { sealed: vault.seal_json(&mutations[i]).await?.to_bytes(), ..rows[i].clone() });
        }
        self.inner.db.replace_outbox_entries(&fixed, &[(meta::CLOCK, clock.to_js()?)]).await?;
        Ok(fixed.len())
    }

    /// Ticks the clock and builds a mutation.
    #[allow(clippy::type_complexity)]
    fn next_mutation(
        &self,
        record_id: Uuid,
        kind: Kind,
        program_id: Uuid,
        op: Op,
        base_version: Option<i64>,
        data: Option<Value>,
    ) -> Result<(Vault, Uuid, Mutation, u64, StoredClock), AppError> {
        let mut guard = self.inner.unlocked.borrow_mut();
        let unlocked = guard.as_mut().ok_or(AppError::Locked)?;
        let now = platform::now_ms().max(0.0) as u64;
        let hlc = unlocked.clock.tick(now);
        let seq = unlocked.next_seq;
        unlocked.next_seq += 1;
        let mutation =
            Mutation { id: Uuid::now_v7(), record_id, kind, program_id, op, base_version, hlc: hlc.to_string(), data };
        let clock = StoredClock { last_hlc: Some(hlc.to_string()), next_seq: unlocked.next_seq };
        Ok((unlocked.vault.clone(), unlocked.session.user.id, mutation, seq, clock))
    }

    /// The outbox in push order.
    pub async fn outbox(&self) -> Result<Vec<OutboxItem>, AppError> {
        Ok(self
            .inner
            .db
            .outbox()
            .await?
            .into_iter()
            .map(|row| OutboxItem {
                mutation_id: row.id,
                record_id: row.record_id,
                kind: row.kind,
                rejected: (row.state == OutboxState::Rejected)
                    .then(|| row.error.unwrap_or_else(|| ErrorInfo::new("rejected", "rejected"))),
            })
            .collect())
    }

    /// Drops a rejected mutation. A record never acknowledged by the server and
    /// without other queued changes goes with it.
    pub async fn discard_rejected(&self, mutation_id: Uuid) -> Result<(), AppError> {
        let db = &self.inner.db;
        let entry = db.outbox_entry(mutation_id).await?.ok_or(AppError::NotFound)?;
        if entry.state != OutboxState::Rejected {
            return Err(AppError::Invalid("only a rejected change can be discarded".into()));
        }
        db.delete_outbox_entry(mutation_id).await?;
        if db.outbox_count_for(entry.record_id).await? == 0
            && let Some(row) = db.record(entry.record_id).await?
            && row.version.is_none()
        {
            db.delete_record(entry.record_id).await?;
        }
        Ok(())
    }

    /// Whether anything waits in the outbox (pending or rejected).
    pub async fn has_unsynced(&self) -> Result<bool, AppError> {
        Ok(self.inner.db.outbox_len().await? > 0)
    }

    /// Pending and rejected outbox entries and conflicted records.
    pub async fn counts(&self) -> Result<Counts, AppError> {
        self.inner.db.counts().await
    }

    /// Best-effort server logout, then wipes the device (IndexedDB, caches, flag).
    pub async fn logout(&self) -> Result<(), AppError> {
        let token = self.inner.unlocked.borrow().as_ref().map(|u| u.session.token.clone());
        if let Some(token) = token
            && let Err(err) = api::logout(&token).await
        {
            log_warning(&format!("server logout failed: {err}"));
        }
        self.wipe_device().await
    }

    /// Wipes everything on the device: IndexedDB, the service worker's caches, the
    /// "had data" flag, and the keys in memory.
    pub async fn wipe_device(&self) -> Result<(), AppError> {
        self.lock();
        platform::set_had_data(false);
        let wiped = self.inner.db.wipe().await;
        if let Err(err) = platform::wipe_caches().await {
            log_warning(&format!("clearing caches failed: {err}"));
        }
        wiped
    }

    /// `navigator.storage.persist()`.
    pub async fn persist_storage(&self) -> Option<bool> {
        platform::persist_storage().await
    }

    /// When the last sync completed (unix ms).
    pub async fn last_sync_ms(&self) -> Result<Option<f64>, AppError> {
        meta::number(&self.inner.db, meta::LAST_SYNC_MS).await
    }

    /// The UI's settings (stored in clear: language, auto-lock minutes; nothing personal).
    pub async fn settings(&self) -> Result<Option<Value>, AppError> {
        let value = self.inner.db.meta(meta::SETTINGS).await?;
        Ok(value.and_then(|v| serde_wasm_bindgen::from_value(v).ok()))
    }

    /// Stores the UI's settings.
    pub async fn save_settings(&self, settings: &Value) -> Result<(), AppError> {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let value = settings.serialize(&serializer).map_err(|e| AppError::Storage(e.to_string()))?;
        self.inner.db.put_meta(&[(meta::SETTINGS, value)]).await
    }

    // ---- for crate::sync and tests ----

    pub(crate) fn db(&self) -> &Db {
        &self.inner.db
    }

    pub(crate) fn vault(&self) -> Result<Vault, AppError> {
        self.inner.unlocked.borrow().as_ref().map(|u| u.vault.clone()).ok_or(AppError::Locked)
    }

    /// Token and device id while unlocked.
    pub(crate) fn credentials(&self) -> Result<(String, Uuid), AppError> {
        self.inner.unlocked.borrow().as_ref().map(|u| (u.session.token.clone(), u.device_id)).ok_or(AppError::Locked)
    }

    /// Marks a sync as running; false if one already is.
    pub(crate) fn begin_sync(&self) -> bool {
        !self.inner.syncing.replace(true)
    }

    pub(crate) fn end_sync(&self) {
        self.inner.syncing.set(false);
    }

    /// The raw IndexedDB content (store, key, value), for tests that check what is clear.
    pub async fn raw_dump(&self) -> Result<Vec<(String, JsValue, JsValue)>, AppError> {
        self.inner.db.dump().await
    }
}

fn outbox_row(mutation: &Mutation, seq: u64, sealed: Sealed) -> OutboxRow {
    OutboxRow {
        id: mutation.id,
        seq,
        record_id: mutation.record_id,
        kind: mutation.kind,
        program_id: mutation.program_id,
        state: OutboxState::Pending,
        error: None,
        sealed: sealed.to_bytes(),
    }
}

/// Opens a row; `None` (with a console warning) if its data does not parse.
async fn open_row(vault: &Vault, row: RecordRow, pending: bool) -> Result<Option<LocalRecord>, AppError> {
    let payload: RecordPayload = vault.open_json(&Sealed::from_bytes(&row.sealed)?).await?;
    match RecordData::parse(row.kind, &payload.data) {
        Ok(data) => Ok(Some(LocalRecord {
            id: row.id,
            kind: row.kind,
            program_id: row.program_id,
            version: row.version,
            deleted: row.deleted,
            conflict: row.conflict,
            data,
            updated_at: payload.updated_at,
            pending,
        })),
        // A tombstone retention emptied (docs/SECURITY.md): nothing to show or warn about.
        Err(_) if row.deleted => Ok(None),
        Err(err) => {
            log_warning(&format!("record {} does not parse ({}): skipped", row.id, err.field));
            Ok(None)
        }
    }
}
