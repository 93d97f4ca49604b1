//! `sync_once`: push the pending outbox in batches (≤ 500 mutations, < 4 MiB), apply
//! the answers, then pull with the cursor until `has_more` is false, storing each
//! page with its cursor in one transaction and deleting revoked programs' records.
//! The stages overlap: a page is stored while the next one is fetched and
//! sealed, and while a batch is sent the next is opened and the answers of
//! the one before are written.
//! When there is more than one page, the count of what remains is asked for
//! alongside, so progress reads "records received of total".
//! A server restored from an older backup (pull answers `server_restored`) is
//! caught up again: see `recover_after_restore`.

use std::collections::{HashMap, HashSet};

use futures::future::join_all;
use shared::wire::{
    ErrorInfo, MAX_MUTATIONS_PER_PUSH, MAX_PUSH_BYTES, Mutation, MutationStatus, PushRequest, PushResponse, Record,
};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use crate::api;
use crate::crypto::{Sealed, Vault};
use crate::idb::{Ack, AckedVersions, OutboxRow, OutboxState, RecordRow};
use crate::platform::{self, AppError};
use crate::repo::meta;
use crate::repo::{RecordPayload, Repo, record_row};
use crate::sync::timing;

/// Page size of a pull: about 1 MB of JSON, so 10,000 records take five
/// requests and progress moves every few hundred milliseconds.
pub const PULL_LIMIT: u32 = 2000;
/// Room left in a push body for the envelope.
const PUSH_BYTES_BUDGET: usize = MAX_PUSH_BYTES - 64 * 1024;

/// What one sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Mutations acknowledged (applied or duplicate).
    pub acknowledged: usize,
    /// Mutations newly rejected.
    pub rejected: usize,
    /// A mutation was refused for `clock_skew` (kept queued).
    pub clock_skew: bool,
    /// Records received by the pull.
    pub received: u64,
    /// Whether local records changed (the UI should reload them).
    pub changed: bool,
    /// Another sync was already running; nothing was done.
    pub skipped: bool,
    /// HTTP requests made.
    pub requests: u32,
}

/// How far a pull has come: records received, of the total when known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub received: u64,
    pub total: Option<u64>,
}

/// Pushes, then pulls. `on_progress` is called after each stored page.
pub async fn sync_once(repo: &Repo, on_progress: &dyn Fn(Progress)) -> Result<SyncReport, AppError> {
    let mut report = SyncReport::default();
    sync_into(repo, &mut report, on_progress).await.map(|()| report)
}

/// As `sync_once`, filling `report` as it goes (so a failure half-way still tells
/// what changed).
pub async fn sync_into(repo: &Repo, report: &mut SyncReport, on_progress: &dyn Fn(Progress)) -> Result<(), AppError> {
    if !repo.begin_sync() {
        report.skipped = true;
        return Ok(());
    }
    let started = timing::now();
    let result = async {
        push(repo, report).await?;
        let pushed = timing::now();
        timing::measure(
            "stegvis:push",
            started,
            &[("mutations", (report.acknowledged + report.rejected) as f64), ("requests", f64::from(report.requests))],
        );
        let requests = report.requests;
        pull(repo, report, on_progress).await?;
        timing::measure(
            "stegvis:pull",
            pushed,
            &[("received", report.received as f64), ("requests", f64::from(report.requests - requests))],
        );
        repo.db().put_meta(&[(meta::LAST_SYNC_MS, JsValue::from_f64(platform::now_ms()))]).await
    }
    .await;
    repo.end_sync();
    timing::measure(
        "stegvis:sync",
        started,
        &[
            ("ok", f64::from(u8::from(result.is_ok()))),
            ("mutations", (report.acknowledged + report.rejected) as f64),
            ("received", report.received as f64),
            ("requests", f64::from(report.requests)),
        ],
    );
    result
}

async fn open_mutations(vault: &Vault, rows: &[OutboxRow]) -> Result<Vec<Mutation>, AppError> {
    join_all(rows.iter().map(|row| async move { vault.open_json::<Mutation>(&Sealed::from_bytes(&row.sealed)?).await }))
        .await
        .into_iter()
        .collect()
}

/// Splits outbox rows into pushes within the count and size limits. A row's
/// sealed length (IV, the mutation's JSON, tag) is a little more than the
/// JSON it opens to, so the sizes are known before anything is opened.
fn batches(rows: Vec<OutboxRow>) -> Vec<Vec<OutboxRow>> {
    let mut out: Vec<Vec<OutboxRow>> = Vec::new();
    let mut current = Vec::new();
    let mut bytes = 0;
    for row in rows {
        let size = row.sealed.len() + 1;
        if !current.is_empty() && (current.len() >= MAX_MUTATIONS_PER_PUSH || bytes + size > PUSH_BYTES_BUDGET) {
            out.push(std::mem::take(&mut current));
            bytes = 0;
        }
        bytes += size;
        current.push(row);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Opens a batch's mutations. Mutations stamped while the clock ran fast get
/// fresh stamps once it is right again; while it is still fast, the server
/// keeps refusing them.
async fn open_batch(
    repo: &Repo,
    vault: &Vault,
    rows: Option<Vec<OutboxRow>>,
) -> Result<Option<Vec<Mutation>>, AppError> {
    let Some(rows) = rows else { return Ok(None) };
    let opening = timing::now();
    let mut mutations = open_mutations(vault, &rows).await?;
    repo.restamp_opened(&rows, &mut mutations).await?;
    timing::measure("stegvis:push:open", opening, &[("mutations", mutations.len() as f64)]);
    Ok(Some(mutations))
}

/// Pushes the pending outbox in three overlapping stages: while a batch is
/// sent, the next one is opened and the answers of the one before are written.
async fn push(repo: &Repo, report: &mut SyncReport) -> Result<(), AppError> {
    let (token, device_id) = repo.credentials()?;
    let vault = repo.vault()?;
    let pending: Vec<OutboxRow> =
        repo.db().outbox().await?.into_iter().filter(|row| row.state == OutboxState::Pending).collect();
    let mut batches = batches(pending).into_iter();
    let mut opened = open_batch(repo, &vault, batches.next()).await?;
    let mut answered: Option<(PushRequest, PushResponse)> = None;
    while opened.is_some() || answered.is_some() {
        let acks = answered.take().map(|(request, response)| answers(&request, response, report)).transpose()?;
        let ack = async {
            let Some((acks, rejected)) = &acks else { return Ok(()) };
            let acking = timing::now();
            let written = repo.db().apply_results(acks, rejected).await;
            timing::measure("stegvis:push:ack", acking, &[]);
            written
        };
        let to_send = opened.take();
        let sending = to_send.is_some();
        let send = async {
            match to_send {
                Some(mutations) => Some(send_batch(&token, device_id, mutations).await),
                None => None,
            }
        };
        let open = async { if sending { open_batch(repo, &vault, batches.next()).await } else { Ok(None) } };
        let (written, sent, next) = futures::join!(ack, send, open);
        written?;
        if let Some((acks, rejected)) = acks {
            report.acknowledged += acks.len();
            report.rejected += rejected.len();
            report.changed |= !acks.is_empty() || !rejected.is_empty();
        }
        report.requests += u32::from(sending);
        answered = sent.transpose()?;
        opened = next?;
    }
    Ok(())
}

/// Sends one batch; the request (for matching the answers) and the answer.
async fn send_batch(
    token: &str,
    device_id: Uuid,
    mutations: Vec<Mutation>,
) -> Result<(PushRequest, PushResponse), AppError> {
    let request = PushRequest { device_id, mutations };
    let sent = timing::now();
    let response = api::push(token, &request).await?;
    timing::measure("stegvis:push:send", sent, &[]);
    Ok((request, response))
}

/// A batch's acknowledged mutations, and its rejected ones with their errors.
type Answers = (Vec<Ack>, Vec<(Uuid, ErrorInfo)>);

/// The acknowledgements and rejections of a batch's answers (a
/// `clock_skew` rejection stays queued and is only reported).
fn answers(request: &PushRequest, response: PushResponse, report: &mut SyncReport) -> Result<Answers, AppError> {
    let mut acks = Vec::new();
    let mut rejected = Vec::new();
    for (mutation, result) in request.mutations.iter().zip(response.results) {
        if result.id.is_some_and(|id| id != mutation.id) {
            return Err(AppError::Protocol("push results out of order".into()));
        }
        match result.status {
            MutationStatus::Applied | MutationStatus::Duplicate => {
                acks.push(Ack { mutation_id: mutation.id, record_id: mutation.record_id, version: result.version })
            }
            MutationStatus::Rejected => {
                let error = result.error.unwrap_or_else(|| ErrorInfo::new("rejected", "rejected"));
                if error.code == "clock_skew" {
                    report.clock_skew = true;
                } else {
                    rejected.push((mutation.id, error));
                }
            }
        }
    }
    Ok((acks, rejected))
}

async fn seal_record(vault: &Vault, record: Record) -> Result<RecordRow, AppError> {
    let payload =
        RecordPayload { data: record.data, updated_at: Some(record.updated_at), updated_by: Some(record.updated_by) };
    let sealed = vault.seal_json(&payload).await?;
    Ok(record_row(
        record.id,
        record.kind,
        record.program_id,
        Some(record.version),
        (record.deleted, record.conflict),
        &sealed,
    ))
}

/// Seals a page's records for storage (the encryptions run concurrently).
async fn seal_page(vault: &Vault, records: Vec<Record>) -> Result<Vec<RecordRow>, AppError> {
    join_all(records.into_iter().map(|r| seal_record(vault, r))).await.into_iter().collect()
}

/// A pulled page with its records sealed for storage.
struct SealedPage {
    rows: Vec<RecordRow>,
    cursor: String,
    has_more: bool,
    revoked: Vec<Uuid>,
}

/// Fetches the page after `cursor` and seals its records.
async fn fetch_sealed(token: &str, vault: &Vault, cursor: Option<String>) -> Result<SealedPage, AppError> {
    let asked = timing::now();
    let page = api::pull(token, cursor.as_deref(), PULL_LIMIT).await?;
    let sealing = timing::now();
    timing::measure("stegvis:pull:fetch", asked, &[]);
    let rows = seal_page(vault, page.records).await?;
    timing::measure("stegvis:pull:seal", sealing, &[]);
    Ok(SealedPage { rows, cursor: page.cursor, has_more: page.has_more, revoked: page.revoked_program_ids })
}

/// Pulls until `has_more` is false, in three overlapping stages: while a
/// page is stored, the next is fetched and sealed (and, the first time, the
/// count of what remains is asked for).
async fn pull(repo: &Repo, report: &mut SyncReport, on_progress: &dyn Fn(Progress)) -> Result<(), AppError> {
    let (token, _) = repo.credentials()?;
    let vault = repo.vault()?;
    let mut total = None;
    report.requests += 1;
    let mut next = fetch_sealed(&token, &vault, meta::string(repo.db(), meta::CURSOR).await?).await;
    loop {
        let page = match next {
            Err(AppError::Http { code, .. }) if code == "server_restored" => {
                recover_after_restore(repo, report).await?;
                report.requests += 1;
                next = fetch_sealed(&token, &vault, meta::string(repo.db(), meta::CURSOR).await?).await;
                continue;
            }
            other => other?,
        };
        let count = page.rows.len() as u64;
        let store = async {
            let storing = timing::now();
            // The last page of a complete pull settles the acknowledged versions.
            let acked = if page.has_more { AckedVersions::Keep } else { AckedVersions::Fold };
            let stored = repo.db().store_page(&page.rows, &page.revoked, meta::CURSOR, &page.cursor, acked).await;
            timing::measure("stegvis:pull:store", storing, &[]);
            stored
        };
        let following = async {
            if page.has_more { Some(fetch_sealed(&token, &vault, Some(page.cursor.clone())).await) } else { None }
        };
        let remaining = async {
            match (page.has_more, total) {
                (true, None) => api::remaining(&token, &page.cursor).await.ok().map(|r| r.records),
                _ => None,
            }
        };
        let (stored, following, remaining) = futures::join!(store, following, remaining);
        report.requests += u32::from(page.has_more) + u32::from(page.has_more && total.is_none());
        let changed = stored?;
        report.changed |= changed > 0;
        report.received += count;
        if let Some(remaining) = remaining {
            total = Some(report.received + remaining);
        }
        on_progress(Progress { received: report.received, total: total.map(|t| t.max(report.received)) });
        match following {
            Some(page) => next = page,
            None => return Ok(()),
        }
    }
}

/// The server went back to an older backup (its data ends before this
/// device's cursor): pull everything it holds from the beginning, queue
/// again every record this device has in a version the server no longer
/// has (on top of the server's version, so only what was lost counts as
/// changed), store the server's other records with the fresh cursor, and
/// push. Records never acknowledged are in the outbox already.
async fn recover_after_restore(repo: &Repo, report: &mut SyncReport) -> Result<(), AppError> {
    let (token, _) = repo.credentials()?;
    let vault = repo.vault()?;
    let mut held: HashMap<Uuid, Record> = HashMap::new();
    let mut cursor = None;
    loop {
        report.requests += 1;
        let page = api::pull(&token, cursor.as_deref(), PULL_LIMIT).await?;
        held.extend(page.records.into_iter().map(|r| (r.id, r)));
        cursor = Some(page.cursor);
        if !page.has_more {
            break;
        }
    }
    let mut lost = HashSet::new();
    for record in repo.records().await? {
        let Some(version) = record.version else { continue };
        let server_version = held.get(&record.id).map(|r| r.version);
        let gone = server_version.is_none_or(|v| v < version);
        // A tombstone the server never had needs nothing.
        if gone && !(record.deleted && server_version.is_none()) {
            repo.requeue_lost(&record, server_version).await?;
            lost.insert(record.id);
        }
    }
    let rows = seal_page(&vault, held.into_values().filter(|r| !lost.contains(&r.id)).collect()).await?;
    let cursor = cursor.as_deref().unwrap_or_default();
    repo.db().store_page(&rows, &[], meta::CURSOR, cursor, AckedVersions::Drop).await?;
    report.changed = true;
    push(repo, report).await
}
