//! Applies a batch of prepared mutations inside one write transaction:
//! idempotency, the record walls, references, field-level merge, history.
//! Database-agnostic: it reads and writes only through [`SyncTx`], once each
//! per batch; the rules run in memory.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use shared::hlc::Hlc;
use shared::merge::{self, Base, Change, Fields, Stored};
use shared::records::RecordData;
use shared::wire::{ErrorInfo, MutationResult, Op};
use shared::{Kind, Role};
use uuid::Uuid;

use crate::store::{
    Loaded, MutationRow, PushContext, RecordWrite, SeenMutation, StoreResult, StoredRecord, SyncTx, Wanted, Writes,
};
use crate::sync::prepare::rejection;

/// A mutation that passed every check that needs no database.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub id: Uuid,
    pub record_id: Uuid,
    pub kind: Kind,
    pub program_id: Uuid,
    pub op: Op,
    pub base_version: Option<i64>,
    pub hlc: Hlc,
    pub data: Option<RecordData>,
}

/// One mutation of a push as it reaches the store: checked, or rejected.
#[derive(Clone, Debug)]
pub struct PreparedItem {
    pub id: Option<Uuid>,
    pub outcome: Result<Prepared, ErrorInfo>,
}

/// Applies `items` in order. `next_version` is the next free version; it is
/// advanced past every version used. A database error aborts the whole batch
/// (the caller rolls back, nothing is acknowledged).
///
/// Three phases, so a batch of hundreds of mutations costs a dozen
/// statements, not thousands: everything the batch may look at is read with
/// a few set queries ([`SyncTx::load`]); the rules run in memory, in mutation
/// order, over an overlay that lets each mutation see what the earlier ones
/// of the batch wrote; what they decided is written at once ([`SyncTx::flush`]).
pub async fn apply_batch(
    tx: &mut dyn SyncTx,
    ctx: &PushContext,
    items: Vec<PreparedItem>,
    next_version: &mut i64,
) -> StoreResult<Vec<MutationResult>> {
    let wanted = wanted(&items);
    let mut batch = Overlay::new(tx.load(&wanted).await?, &wanted);
    let mut writes = Writes::default();
    let mut results = Vec::with_capacity(items.len());
    for item in items {
        if let Some(id) = item.id
            && let Some(seen) = batch.mutations.get(&id)
        {
            results.push(if seen.user_id == ctx.user_id {
                MutationResult::duplicate(id, seen.version)
            } else {
                MutationResult::rejected(Some(id), rejection("bad_id", "id: this mutation id is already used"))
            });
            continue;
        }
        let prepared = match item.outcome {
            Ok(p) => p,
            Err(error) => {
                results.push(MutationResult::rejected(item.id, error));
                continue;
            }
        };
        let id = prepared.id;
        results.push(match apply_one(&mut batch, &mut writes, ctx, prepared, next_version) {
            Ok(version) => MutationResult::applied(id, version),
            Err(error) => MutationResult::rejected(Some(id), error),
        });
    }
    if !writes.is_empty() {
        tx.flush(&writes).await?;
    }
    Ok(results)
}

/// Every mutation id, record id, reference target and base version the
/// batch names (rejected items' ids too: a known id answers `duplicate`).
fn wanted(items: &[PreparedItem]) -> Wanted {
    let mut mutation_ids = HashSet::new();
    let mut record_ids = HashSet::new();
    let mut versions = HashSet::new();
    for item in items {
        if let Some(id) = item.id {
            mutation_ids.insert(id);
        }
        let Ok(p) = &item.outcome else { continue };
        record_ids.insert(p.record_id);
        if let Some(base) = p.base_version {
            versions.insert((p.record_id, base));
        }
        if let Some(data) = &p.data {
            record_ids.extend(data.references().into_iter().map(|r| r.id));
        }
    }
    Wanted {
        mutation_ids: mutation_ids.into_iter().collect(),
        record_ids: record_ids.into_iter().collect(),
        versions: versions.into_iter().collect(),
    }
}

/// The database as the batch has left it so far: what was loaded, with every
/// write of the batch applied on top.
struct Overlay {
    mutations: HashMap<Uuid, SeenMutation>,
    records: HashMap<Uuid, StoredRecord>,
    versions: HashMap<(Uuid, i64), (Fields, bool)>,
    /// The base versions some mutation names: only those of the batch's own
    /// writes need keeping.
    wanted_versions: HashSet<(Uuid, i64)>,
}

impl Overlay {
    fn new(loaded: Loaded, wanted: &Wanted) -> Overlay {
        Overlay {
            mutations: loaded.mutations,
            records: loaded.records,
            versions: loaded.versions,
            wanted_versions: wanted.versions.iter().copied().collect(),
        }
    }

    /// What a reference check needs of record `id`, if it may be pointed at.
    fn target(&self, id: Uuid) -> Option<RefTarget> {
        let r = self.records.get(&id)?;
        // A record retention destroyed cannot be pointed at any more.
        if crate::retention::is_destroyed(r.deleted, &r.data) {
            return None;
        }
        Some(RefTarget::of(r.program_id, r.kind, &r.data))
    }

    fn write(&mut self, w: &RecordWrite) {
        if self.wanted_versions.contains(&(w.id, w.version)) {
            self.versions.insert((w.id, w.version), (w.data.clone(), w.deleted));
        }
        self.records.insert(
            w.id,
            StoredRecord {
                id: w.id,
                program_id: w.program_id,
                kind: w.kind,
                version: w.version,
                deleted: w.deleted,
                conflict: w.conflict,
                data: w.data.clone(),
                stamps: w.stamps.clone(),
            },
        );
    }
}

/// The version the mutation is acknowledged with, or why it is rejected.
type Outcome = Result<i64, ErrorInfo>;

fn apply_one(
    batch: &mut Overlay,
    writes: &mut Writes,
    ctx: &PushContext,
    p: Prepared,
    next_version: &mut i64,
) -> Outcome {
    let current = batch.records.get(&p.record_id).cloned();
    if let Some(cur) = &current {
        if cur.program_id != p.program_id {
            return Err(if ctx.program_ids.contains(&cur.program_id) {
                rejection("program_mismatch", "program_id: this record belongs to another program; records cannot move")
            } else {
                rejection("forbidden", "record_id: this id cannot be used")
            });
        }
        if cur.kind != p.kind {
            return Err(rejection("invalid_field", format!("kind: this record is a {}", cur.kind)));
        }
        // Retention destroyed its content: no write may bring any back.
        if crate::retention::is_destroyed(cur.deleted, &cur.data) {
            return Err(rejection("gone", "record_id: this record was removed by retention (gallring)"));
        }
    }
    let change = match (&p.op, &p.data) {
        (Op::Put, Some(data)) => {
            check_references(batch, &p, data)?;
            match data.to_value() {
                Value::Object(fields) => Change::Put(fields),
                _ => return Err(rejection("invalid_field", "data: must be an object")),
            }
        }
        (Op::Delete, _) if current.is_none() => {
            return Err(rejection("not_found", "record_id: no record with this id"));
        }
        _ => Change::Delete,
    };

    let base_data = match (p.base_version, &current) {
        (Some(b), Some(cur)) if b <= cur.version => batch.versions.get(&(p.record_id, b)),
        _ => None,
    };
    let base = match (base_data, p.base_version) {
        (Some((data, deleted)), Some(version)) => Base::Known { version, data, deleted: *deleted },
        _ => Base::Unknown,
    };
    let stored =
        current.as_ref().map(|c| Stored { data: c.data.clone(), deleted: c.deleted, stamps: c.stamps.clone() });
    let version = *next_version;
    let mut merged = merge::merge(stored.as_ref(), &change, base, p.hlc, version);
    if let Some(stored) = &stored
        && RecordData::parse(p.kind, &Value::Object(merged.data.clone())).is_err()
    {
        merged = merge::merge_whole(stored, &change, p.hlc, version);
    }

    // The conflict flag stays until an office user resolves it: an office or
    // admin put made from the record's current version (they saw both values
    // in the history) that raises no new conflict. It makes a new version
    // even when the chosen value is the one already kept, so every device
    // learns that the conflict is settled.
    let resolves = current.as_ref().is_some_and(|c| c.conflict && p.base_version == Some(c.version))
        && matches!(ctx.role, Role::Office | Role::Admin)
        && p.op == Op::Put
        && merged.conflicts.is_empty();
    let remember = |version| MutationRow {
        id: p.id,
        user_id: ctx.user_id,
        device_id: ctx.device_id,
        record_id: p.record_id,
        version,
        received_at: ctx.now,
    };
    if !merged.changed && !resolves {
        let cur_version = current.as_ref().map_or(0, |c| c.version);
        if let Some(cur) = batch.records.get_mut(&p.record_id)
            && cur.stamps != merged.stamps
        {
            cur.stamps = merged.stamps.clone();
            writes.set_stamps(p.record_id, merged.stamps);
        }
        batch.mutations.insert(p.id, SeenMutation { user_id: ctx.user_id, version: cur_version });
        writes.remember(remember(cur_version));
        return Ok(cur_version);
    }
    let write = RecordWrite {
        id: p.record_id,
        program_id: p.program_id,
        kind: p.kind,
        version,
        deleted: merged.deleted,
        conflict: (current.as_ref().is_some_and(|c| c.conflict) && !resolves) || !merged.conflicts.is_empty(),
        data: merged.data,
        stamps: merged.stamps,
        updated_at: ctx.now,
        updated_by: ctx.user_id,
        device_id: ctx.device_id,
        mutation_id: p.id,
        hlc: p.hlc.to_string(),
        conflicts: merged.conflicts,
    };
    batch.write(&write);
    writes.put(write, current.is_some());
    batch.mutations.insert(p.id, SeenMutation { user_id: ctx.user_id, version });
    writes.remember(remember(version));
    *next_version += 1;
    Ok(version)
}

/// Every id the record points at must name a record of the right kind in the
/// same program (written before, or earlier in the batch); an attendance's
/// participant must be its placement's.
fn check_references(batch: &Overlay, p: &Prepared, data: &RecordData) -> Result<(), ErrorInfo> {
    for reference in data.references() {
        let target = batch.target(reference.id);
        let fits = target.as_ref().is_some_and(|t| t.program_id == p.program_id && t.kind == reference.kind);
        if !fits {
            return Err(rejection(
                "bad_reference",
                format!("data.{}: no {} with this id in the program", reference.field, reference.kind),
            ));
        }
        if let (RecordData::Attendance(attendance), Some(placement)) = (data, &target)
            && reference.kind == Kind::Placement
            && placement.participant_id.as_deref() != Some(attendance.participant_id.to_string().as_str())
        {
            return Err(rejection("bad_reference", "data.participant_id: does not match the placement's participant"));
        }
    }
    Ok(())
}

/// What a reference check needs of a record: its program and kind (which
/// never change once it exists) and, for a placement, its participant.
#[derive(Clone, Debug)]
struct RefTarget {
    program_id: Uuid,
    kind: Kind,
    participant_id: Option<String>,
}

impl RefTarget {
    fn of(program_id: Uuid, kind: Kind, data: &serde_json::Map<String, Value>) -> RefTarget {
        let participant_id = data.get("participant_id").and_then(Value::as_str).map(str::to_owned);
        RefTarget { program_id, kind, participant_id }
    }
}
