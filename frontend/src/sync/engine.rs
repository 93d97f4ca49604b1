//! `sync_once`: push the pending outbox in batches (≤ 500 mutations, < 4 MiB), apply
//! the answers, then pull with the cursor until `has_more` is false, storing each
//! page with its cursor in one transaction and deleting revoked programs' records.
//! A server restored from an older backup (pull answers `server_restored`) is
//! caught up again: see `recover_after_restore`.

use std::collections::{HashMap, HashSet};

use futures::future::join_all;
use shared::wire::{MAX_MUTATIONS_PER_PUSH, MAX_PUSH_BYTES, Mutation, MutationStatus, PushRequest, Record};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use crate::api;
use crate::crypto::{Sealed, Vault};
use crate::idb::{Ack, OutboxRow, OutboxState, RecordRow};
use crate::platform::{self, AppError};
use crate::repo::meta;
use crate::repo::{RecordPayload, Repo, record_row};

/// Page size of a pull.
pub const PULL_LIMIT: u32 = 1000;
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
}

/// Pushes, then pulls. `on_progress(received)` is called after each stored page.
pub async fn sync_once(repo: &Repo, on_progress: &dyn Fn(u64)) -> Result<SyncReport, AppError> {
    let mut report = SyncReport::default();
    sync_into(repo, &mut report, on_progress).await.map(|()| report)
}

/// As `sync_once`, filling `report` as it goes (so a failure half-way still tells
/// what changed).
pub async fn sync_into(repo: &Repo, report: &mut SyncReport, on_progress: &dyn Fn(u64)) -> Result<(), AppError> {
    if !repo.begin_sync() {
        report.skipped = true;
        return Ok(());
    }
    let result = async {
        push(repo, report).await?;
        pull(repo, report, on_progress).await?;
        repo.db().put_meta(&[(meta::LAST_SYNC_MS, JsValue::from_f64(platform::now_ms()))]).await
    }
    .await;
    repo.end_sync();
    result
}

async fn open_mutations(vault: &Vault, rows: &[OutboxRow]) -> Result<Vec<Mutation>, AppError> {
    join_all(rows.iter().map(|row| async move { vault.open_json::<Mutation>(&Sealed::from_bytes(&row.sealed)?).await }))
        .await
        .into_iter()
        .collect()
}

/// Splits mutations into pushes within the count and size limits.
fn batches(mutations: Vec<Mutation>) -> Vec<Vec<Mutation>> {
    let mut out: Vec<Vec<Mutation>> = Vec::new();
    let mut current = Vec::new();
    let mut bytes = 0;
    for mutation in mutations {
        let size = serde_json::to_vec(&mutation).map_or(0, |v| v.len()) + 1;
        if !current.is_empty() && (current.len() >= MAX_MUTATIONS_PER_PUSH || bytes + size > PUSH_BYTES_BUDGET) {
            out.push(std::mem::take(&mut current));
            bytes = 0;
        }
        bytes += size;
        current.push(mutation);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

async fn push(repo: &Repo, report: &mut SyncReport) -> Result<(), AppError> {
    let (token, device_id) = repo.credentials()?;
    let vault = repo.vault()?;
    let pending: Vec<OutboxRow> =
        repo.db().outbox().await?.into_iter().filter(|row| row.state == OutboxState::Pending).collect();
    if pending.is_empty() {
        return Ok(());
    }
    let mut mutations = open_mutations(&vault, &pending).await?;
    // Mutations stamped while the clock ran fast get fresh stamps once it
    // is right again; while it is still fast, the server keeps refusing them.
    repo.restamp_opened(&pending, &mut mutations).await?;
    for batch in batches(mutations) {
        let request = PushRequest { device_id, mutations: batch };
        let response = api::push(&token, &request).await?;
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
                    let error = result.error.unwrap_or_else(|| shared::wire::ErrorInfo::new("rejected", "rejected"));
                    if error.code == "clock_skew" {
                        report.clock_skew = true;
                    } else {
                        rejected.push((mutation.id, error));
                    }
                }
            }
        }
        repo.db().apply_results(&acks, &rejected).await?;
        report.acknowledged += acks.len();
        report.rejected += rejected.len();
        report.changed |= !acks.is_empty() || !rejected.is_empty();
    }
    Ok(())
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
        &payload.data,
        &sealed,
    ))
}

async fn pull(repo: &Repo, report: &mut SyncReport, on_progress: &dyn Fn(u64)) -> Result<(), AppError> {
    let (token, _) = repo.credentials()?;
    let vault = repo.vault()?;
    let mut cursor = meta::string(repo.db(), meta::CURSOR).await?;
    loop {
        let page = match api::pull(&token, cursor.as_deref(), PULL_LIMIT).await {
            Err(AppError::Http { code, .. }) if code == "server_restored" => {
                recover_after_restore(repo, report).await?;
                cursor = meta::string(repo.db(), meta::CURSOR).await?;
                continue;
            }
            other => other?,
        };
        let count = page.records.len() as u64;
        let rows: Vec<RecordRow> = join_all(page.records.into_iter().map(|r| seal_record(&vault, r)))
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        let revoked: Vec<Uuid> = page.revoked_program_ids;
        let changed = repo.db().store_page(&rows, &revoked, meta::CURSOR, &page.cursor).await?;
        report.changed |= changed > 0;
        report.received += count;
        on_progress(report.received);
        cursor = Some(page.cursor);
        if !page.has_more {
            return Ok(());
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
    let rows: Vec<RecordRow> =
        join_all(held.into_values().filter(|r| !lost.contains(&r.id)).map(|r| seal_record(&vault, r)))
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
    repo.db().store_page(&rows, &[], meta::CURSOR, cursor.as_deref().unwrap_or_default()).await?;
    report.changed = true;
    push(repo, report).await
}
