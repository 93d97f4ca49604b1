//! Applies a batch of prepared mutations inside one write transaction:
//! idempotency, the record walls, references, field-level merge, history.
//! Database-agnostic: it talks to the store only through [`SyncTx`].

use std::collections::HashMap;

use serde_json::Value;
use shared::hlc::Hlc;
use shared::merge::{self, Base, Change, Stored};
use shared::records::RecordData;
use shared::wire::{ErrorInfo, MutationResult, Op};
use shared::{Kind, Role};
use uuid::Uuid;

use crate::store::{PushContext, RecordWrite, StoreResult, StoredRecord, SyncTx};
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
pub async fn apply_batch(
    tx: &mut dyn SyncTx,
    ctx: &PushContext,
    items: Vec<PreparedItem>,
    next_version: &mut i64,
) -> StoreResult<Vec<MutationResult>> {
    let mut results = Vec::with_capacity(items.len());
    let mut targets = RefTargets::default();
    for item in items {
        if let Some(id) = item.id
            && let Some(seen) = tx.seen_mutation(id).await?
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
        results.push(match apply_one(tx, ctx, prepared, next_version, &mut targets).await? {
            Ok(version) => MutationResult::applied(id, version),
            Err(error) => MutationResult::rejected(Some(id), error),
        });
    }
    Ok(results)
}

/// The version the mutation is acknowledged with, or why it is rejected.
type Outcome = Result<i64, ErrorInfo>;

async fn apply_one(
    tx: &mut dyn SyncTx,
    ctx: &PushContext,
    p: Prepared,
    next_version: &mut i64,
    targets: &mut RefTargets,
) -> StoreResult<Outcome> {
    let current = tx.record(p.record_id).await?;
    if let Some(cur) = &current {
        if cur.program_id != p.program_id {
            return Ok(Err(if ctx.program_ids.contains(&cur.program_id) {
                rejection("program_mismatch", "program_id: this record belongs to another program; records cannot move")
            } else {
                rejection("forbidden", "record_id: this id cannot be used")
            }));
        }
        if cur.kind != p.kind {
            return Ok(Err(rejection("invalid_field", format!("kind: this record is a {}", cur.kind))));
        }
        // Retention destroyed its content: no write may bring any back.
        if crate::retention::is_destroyed(cur.deleted, &cur.data) {
            return Ok(Err(rejection("gone", "record_id: this record was removed by retention (gallring)")));
        }
    }
    let change = match (&p.op, &p.data) {
        (Op::Put, Some(data)) => {
            if let Err(e) = check_references(tx, &p, data, targets).await? {
                return Ok(Err(e));
            }
            match data.to_value() {
                Value::Object(fields) => Change::Put(fields),
                _ => return Ok(Err(rejection("invalid_field", "data: must be an object"))),
            }
        }
        (Op::Delete, _) if current.is_none() => {
            return Ok(Err(rejection("not_found", "record_id: no record with this id")));
        }
        _ => Change::Delete,
    };

    let base_data = match (p.base_version, &current) {
        (Some(b), Some(cur)) if b <= cur.version => tx.record_at(p.record_id, b).await?,
        _ => None,
    };
    let base = match (&base_data, p.base_version) {
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
    if !merged.changed && !resolves {
        let cur_version = current.as_ref().map_or(0, |c| c.version);
        if current.as_ref().is_some_and(|c| c.stamps != merged.stamps) {
            tx.write_stamps(p.record_id, &merged.stamps).await?;
        }
        tx.remember_mutation(p.id, ctx.user_id, ctx.device_id, p.record_id, cur_version, ctx.now).await?;
        return Ok(Ok(cur_version));
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
    tx.write_record(&write).await?;
    targets.learn(&write);
    tx.remember_mutation(p.id, ctx.user_id, ctx.device_id, p.record_id, version, ctx.now).await?;
    *next_version += 1;
    Ok(Ok(version))
}

/// Every id the record points at must name a record of the right kind in the
/// same program; an attendance's participant must be its placement's.
async fn check_references(
    tx: &mut dyn SyncTx,
    p: &Prepared,
    data: &RecordData,
    targets: &mut RefTargets,
) -> StoreResult<Result<(), ErrorInfo>> {
    for reference in data.references() {
        let target = targets.get(tx, reference.id).await?;
        let fits = target.as_ref().is_some_and(|t| t.program_id == p.program_id && t.kind == reference.kind);
        if !fits {
            return Ok(Err(rejection(
                "bad_reference",
                format!("data.{}: no {} with this id in the program", reference.field, reference.kind),
            )));
        }
        if let (RecordData::Attendance(attendance), Some(placement)) = (data, &target)
            && reference.kind == Kind::Placement
            && placement.participant_id.as_deref() != Some(attendance.participant_id.to_string().as_str())
        {
            return Ok(Err(rejection(
                "bad_reference",
                "data.participant_id: does not match the placement's participant",
            )));
        }
    }
    Ok(Ok(()))
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

/// Reference targets looked up during one batch: a batch of attendance
/// marks points at the same few placements and participants again and
/// again, and each lookup would be a query. Every write in the batch goes
/// through [`RefTargets::learn`], so the cache stays exact.
#[derive(Debug, Default)]
struct RefTargets {
    known: HashMap<Uuid, Option<RefTarget>>,
}

impl RefTargets {
    async fn get(&mut self, tx: &mut dyn SyncTx, id: Uuid) -> StoreResult<Option<RefTarget>> {
        if let Some(known) = self.known.get(&id) {
            return Ok(known.clone());
        }
        let found: Option<StoredRecord> = tx.record(id).await?;
        // A record retention destroyed cannot be pointed at any more.
        let found = found.filter(|r| !crate::retention::is_destroyed(r.deleted, &r.data));
        let target = found.map(|r| RefTarget::of(r.program_id, r.kind, &r.data));
        self.known.insert(id, target.clone());
        Ok(target)
    }

    fn learn(&mut self, write: &RecordWrite) {
        self.known.insert(write.id, Some(RefTarget::of(write.program_id, write.kind, &write.data)));
    }
}
