//! Field-level merge of a pushed change into the stored record (API.md, "Merge").
//!
//! Pure: the server loads the stored state and the data at the change's base
//! version, calls [`merge`], validates the result and writes it. The rules:
//! - only the fields a put changed relative to its base take part; a `null`
//!   (or unknown) base counts as older than every version: every field changed;
//! - a field changed on one side only takes that side's value;
//! - a field changed on both sides to different values is a conflict: the
//!   higher HLC wins, the losing value is reported in [`FieldConflict`] so the
//!   caller keeps it in the record's history, and the record is flagged;
//!   except when both writes come from one device (the device id in the
//!   HLC): a device saw its own earlier write, so the later one simply wins;
//! - a delete is the pseudo-field [`DELETED`] turning true, merged like any field.
//!
//! Merging is deterministic, so the same concurrent changes delivered in any
//! order give the same record (property-tested below).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::hlc::Hlc;

/// The data fields of a record.
pub type Fields = Map<String, Value>;

/// Stamp key of the tombstone pseudo-field.
pub const DELETED: &str = "$deleted";
/// Stamp of the latest write that asserted the whole record (a creation or
/// a put with an unknown base): it stands for every field that has no stamp
/// of its own, so "absent" written that way competes like any value.
pub const ALL: &str = "$all";

/// Which version last changed a field, and the HLC of the write it kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldStamp {
    pub version: i64,
    pub hlc: Hlc,
    /// More than one device wrote the value this field holds, so a later
    /// write of any one of them is not merely that device's own edit.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub joint: bool,
}

impl FieldStamp {
    pub fn new(version: i64, hlc: Hlc) -> FieldStamp {
        FieldStamp { version, hlc, joint: false }
    }
}

/// Per-field stamps of a stored record, keyed by field name (and [`DELETED`]).
pub type Stamps = BTreeMap<String, FieldStamp>;

/// A record as stored on the server.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub data: Fields,
    pub deleted: bool,
    pub stamps: Stamps,
}

/// What a mutation asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Put(Fields),
    Delete,
}

/// The state the device saw when it made the change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Base<'a> {
    /// `base_version: null`, or a version the server does not hold.
    Unknown,
    Known {
        version: i64,
        data: &'a Fields,
        deleted: bool,
    },
}

/// One field both sides changed to different values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldConflict {
    pub field: String,
    /// The value the record holds after the merge (`null` when absent).
    pub kept: Value,
    pub kept_hlc: Hlc,
    /// The value that lost; it must be kept in the history.
    pub lost: Value,
    pub lost_hlc: Hlc,
}

/// The result of a merge.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub data: Fields,
    pub deleted: bool,
    pub stamps: Stamps,
    pub conflicts: Vec<FieldConflict>,
    /// Whether data or the tombstone changed, or a conflict arose: when false
    /// the change is already contained in the record and needs no new version
    /// (but `stamps` may still have learnt a later clock: store them).
    pub changed: bool,
}

/// A field's value in a merge: absent fields and the tombstone flag included.
fn field_value(data: &Fields, deleted: bool, field: &str) -> Option<Value> {
    if field == DELETED { Some(Value::Bool(deleted)) } else { data.get(field).filter(|v| !v.is_null()).cloned() }
}

fn set_field(data: &mut Fields, deleted: &mut bool, field: &str, value: Option<Value>) {
    if field == DELETED {
        *deleted = matches!(value, Some(Value::Bool(true)));
    } else {
        match value {
            Some(v) => {
                data.insert(field.to_owned(), v);
            }
            None => {
                data.remove(field);
            }
        }
    }
}

/// Orders two writes of one field: higher HLC first; on an exact tie (one
/// device, one timestamp, two values: a broken client) the larger JSON text,
/// so that the outcome never depends on delivery order.
fn incoming_wins(incoming: (&Hlc, &Option<Value>), current: (&Hlc, &Option<Value>)) -> bool {
    match incoming.0.cmp(current.0) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => json_text(incoming.1) > json_text(current.1),
    }
}

fn json_text(v: &Option<Value>) -> String {
    v.as_ref().map(Value::to_string).unwrap_or_default()
}

/// Merges `change`, made at `hlc` against `base`, into `current` (`None`: the
/// record does not exist yet). `new_version` is the version the record gets if
/// anything changes.
pub fn merge(current: Option<&Stored>, change: &Change, base: Base<'_>, hlc: Hlc, new_version: i64) -> Merged {
    let stamp = FieldStamp::new(new_version, hlc);
    let Some(current) = current else {
        // A new record: every field it carries is this write's.
        let (data, deleted) = match change {
            Change::Put(fields) => (without_nulls(fields), false),
            Change::Delete => (Fields::new(), true),
        };
        let mut stamps: Stamps = data.keys().map(|k| (k.clone(), stamp)).collect();
        stamps.insert(DELETED.to_owned(), stamp);
        stamps.insert(ALL.to_owned(), stamp);
        return Merged { data, deleted, stamps, conflicts: Vec::new(), changed: true };
    };

    let (incoming_data, incoming_deleted) = match change {
        Change::Put(fields) => (Some(fields), false),
        Change::Delete => (None, true),
    };
    let mut fields: BTreeSet<&str> = BTreeSet::from([DELETED]);
    if let Some(data) = incoming_data {
        fields.extend(data.keys().map(String::as_str));
        fields.extend(current.data.keys().map(String::as_str));
        if let Base::Known { data: base_data, .. } = base {
            fields.extend(base_data.keys().map(String::as_str));
        }
    }

    let mut out = Merged {
        data: current.data.clone(),
        deleted: current.deleted,
        stamps: current.stamps.clone(),
        conflicts: Vec::new(),
        changed: false,
    };
    for field in fields {
        let ours = match incoming_data {
            Some(data) => field_value(data, incoming_deleted, field),
            None => Some(Value::Bool(true)),
        };
        let changed_here = match base {
            Base::Unknown => true,
            Base::Known { data, deleted, .. } => field_value(data, deleted, field) != ours,
        };
        if !changed_here {
            continue;
        }
        let theirs = field_value(&current.data, current.deleted, field);
        let their_stamp = effective_stamp(&current.stamps, field);
        let changed_there = match (base, their_stamp) {
            (_, None) => false,
            (Base::Unknown, Some(_)) => true,
            (Base::Known { version, .. }, Some(s)) => s.version > version,
        };
        if ours == theirs {
            // Already holds this value: keep the latest clock that wrote it.
            // A field nobody wrote yet gets version 0: older than any base.
            let s = out.stamps.entry(field.to_owned()).or_insert(FieldStamp::new(0, hlc));
            s.joint |= s.hlc.device() != hlc.device();
            s.hlc = s.hlc.max(hlc);
            continue;
        }
        match their_stamp.filter(|_| changed_there) {
            None => {
                set_field(&mut out.data, &mut out.deleted, field, ours);
                out.stamps.insert(field.to_owned(), stamp);
                out.changed = true;
            }
            Some(their_stamp) if their_stamp.hlc.device() == hlc.device() && !their_stamp.joint => {
                // The same device wrote both: its writes are causally ordered
                // (it saw its own earlier one), so this is an edit, not a
                // conflict, whatever base it was sent with. The later one wins.
                if incoming_wins((&hlc, &ours), (&their_stamp.hlc, &theirs)) {
                    set_field(&mut out.data, &mut out.deleted, field, ours);
                    out.stamps.insert(field.to_owned(), stamp);
                    out.changed = true;
                }
            }
            Some(their_stamp) => {
                out.changed = true;
                let conflict = if incoming_wins((&hlc, &ours), (&their_stamp.hlc, &theirs)) {
                    set_field(&mut out.data, &mut out.deleted, field, ours.clone());
                    out.stamps.insert(field.to_owned(), stamp);
                    FieldConflict {
                        field: field.to_owned(),
                        kept: ours.unwrap_or(Value::Null),
                        kept_hlc: hlc,
                        lost: theirs.unwrap_or(Value::Null),
                        lost_hlc: their_stamp.hlc,
                    }
                } else {
                    FieldConflict {
                        field: field.to_owned(),
                        kept: theirs.unwrap_or(Value::Null),
                        kept_hlc: their_stamp.hlc,
                        lost: ours.unwrap_or(Value::Null),
                        lost_hlc: hlc,
                    }
                };
                out.conflicts.push(conflict);
            }
        }
    }
    if matches!((change, base), (Change::Put(_), Base::Unknown)) {
        let all = out.stamps.entry(ALL.to_owned()).or_insert(stamp);
        all.joint |= all.hlc.device() != hlc.device();
        all.hlc = all.hlc.max(hlc);
        if out.changed {
            all.version = new_version;
        }
    }
    out
}

/// The latest write that spoke for `field`: its own stamp, or a later
/// whole-record write ([`ALL`]) that asserted it absent along with the rest.
fn effective_stamp(stamps: &Stamps, field: &str) -> Option<FieldStamp> {
    let own = stamps.get(field).copied();
    if field == DELETED {
        return own;
    }
    match (own, stamps.get(ALL).copied()) {
        (Some(o), Some(a)) => Some(FieldStamp {
            version: o.version.max(a.version),
            hlc: o.hlc.max(a.hlc),
            joint: o.joint || a.joint || o.hlc.device() != a.hlc.device(),
        }),
        (o, a) => o.or(a),
    }
}

/// Fallback when a field-by-field merge yields data that is invalid as a
/// whole (say `status: exited` from one side and `exit: null` from the
/// other): the side with the higher HLC keeps its whole record, and every
/// field where the other side differed is reported as a conflict.
pub fn merge_whole(current: &Stored, change: &Change, hlc: Hlc, new_version: i64) -> Merged {
    let stamp = FieldStamp::new(new_version, hlc);
    let (incoming_data, incoming_deleted) = match change {
        Change::Put(fields) => (without_nulls(fields), false),
        Change::Delete => (current.data.clone(), true),
    };
    let their_hlc = current.stamps.values().map(|s| s.hlc).max();
    let incoming_first = their_hlc.is_none_or(|theirs| hlc > theirs);
    let mut fields: BTreeSet<&str> = current.data.keys().map(String::as_str).collect();
    fields.extend(incoming_data.keys().map(String::as_str));
    fields.insert(DELETED);
    let mut conflicts = Vec::new();
    for field in fields {
        let ours = field_value(&incoming_data, incoming_deleted, field);
        let theirs = field_value(&current.data, current.deleted, field);
        if ours == theirs {
            continue;
        }
        let their_hlc = current.stamps.get(field).map(|s| s.hlc).or(their_hlc).unwrap_or(hlc);
        let (kept, kept_hlc, lost, lost_hlc) =
            if incoming_first { (ours, hlc, theirs, their_hlc) } else { (theirs, their_hlc, ours, hlc) };
        conflicts.push(FieldConflict {
            field: field.to_owned(),
            kept: kept.unwrap_or(Value::Null),
            kept_hlc,
            lost: lost.unwrap_or(Value::Null),
            lost_hlc,
        });
    }
    if !incoming_first {
        return Merged {
            data: current.data.clone(),
            deleted: current.deleted,
            stamps: current.stamps.clone(),
            changed: !conflicts.is_empty(),
            conflicts,
        };
    }
    let mut stamps: Stamps = incoming_data.keys().map(|k| (k.clone(), stamp)).collect();
    stamps.insert(DELETED.to_owned(), stamp);
    stamps.insert(ALL.to_owned(), stamp);
    Merged { data: incoming_data, deleted: incoming_deleted, stamps, changed: true, conflicts }
}

fn without_nulls(fields: &Fields) -> Fields {
    fields.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;
    use uuid::Uuid;

    fn hlc(ms: u64, device: u128) -> Hlc {
        Hlc::new(ms, 0, Uuid::from_u128(device)).unwrap_or_else(|| unreachable!())
    }

    fn fields(v: Value) -> Fields {
        match v {
            Value::Object(m) => m,
            _ => Fields::new(),
        }
    }

    fn created(data: Value, at: Hlc) -> Stored {
        let m = merge(None, &Change::Put(fields(data)), Base::Unknown, at, 1);
        Stored { data: m.data, deleted: m.deleted, stamps: m.stamps }
    }

    fn apply(stored: &Stored, m: &Merged) -> Stored {
        let _ = stored;
        Stored { data: m.data.clone(), deleted: m.deleted, stamps: m.stamps.clone() }
    }

    #[test]
    fn disjoint_edits_both_survive() {
        let base_data = json!({"status": "present", "note": "a", "hours": 8});
        let s1 = created(base_data.clone(), hlc(100, 1));
        let base = fields(base_data);
        let known = Base::Known { version: 1, data: &base, deleted: false };
        let a = merge(
            Some(&s1),
            &Change::Put(fields(json!({"status": "late", "note": "a", "hours": 8}))),
            known,
            hlc(200, 2),
            2,
        );
        assert!(a.conflicts.is_empty());
        let s2 = apply(&s1, &a);
        let b = merge(
            Some(&s2),
            &Change::Put(fields(json!({"status": "present", "note": "b", "hours": 8}))),
            known,
            hlc(150, 3),
            3,
        );
        assert!(b.conflicts.is_empty(), "{:?}", b.conflicts);
        assert_eq!(Value::Object(b.data), json!({"status": "late", "note": "b", "hours": 8}));
    }

    #[test]
    fn same_field_conflict_higher_hlc_wins_either_way() {
        let base_data = json!({"status": "present"});
        let s1 = created(base_data.clone(), hlc(100, 1));
        let base = fields(base_data);
        let known = Base::Known { version: 1, data: &base, deleted: false };
        let late = Change::Put(fields(json!({"status": "late"})));
        let sick = Change::Put(fields(json!({"status": "absent_sick"})));
        // Higher clock arrives first, lower second: the first value stays.
        let a = merge(Some(&s1), &late, known, hlc(300, 2), 2);
        let b = merge(Some(&apply(&s1, &a)), &sick, known, hlc(200, 3), 3);
        assert_eq!(b.data.get("status"), Some(&json!("late")));
        assert_eq!(b.conflicts.len(), 1);
        assert_eq!(b.conflicts[0].lost, json!("absent_sick"));
        // Reverse order: same record.
        let c = merge(Some(&s1), &sick, known, hlc(200, 3), 2);
        let d = merge(Some(&apply(&s1, &c)), &late, known, hlc(300, 2), 3);
        assert_eq!(d.data, b.data);
        assert_eq!(d.conflicts[0].lost, json!("absent_sick"));
    }

    #[test]
    fn null_base_on_existing_record_conflicts_on_every_differing_field() {
        let s1 = created(json!({"status": "present", "hours": 8}), hlc(100, 1));
        let m =
            merge(Some(&s1), &Change::Put(fields(json!({"status": "late", "hours": 8}))), Base::Unknown, hlc(50, 2), 2);
        assert_eq!(m.data.get("status"), Some(&json!("present")));
        assert_eq!(m.conflicts.len(), 1);
        assert!(m.changed);
    }

    #[test]
    fn one_device_editing_its_unsynced_record_twice_is_no_conflict() {
        // Created offline, then edited offline: both mutations carry a null
        // base, because the device never heard a server version.
        let s1 = created(json!({"text": "Mål", "status": "open"}), hlc(100, 1));
        let m = merge(
            Some(&s1),
            &Change::Put(fields(json!({"text": "Mål", "status": "done"}))),
            Base::Unknown,
            hlc(200, 1),
            2,
        );
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        assert_eq!(m.data.get("status"), Some(&json!("done")));
        // The same edit from another device is a real conflict.
        let other = merge(
            Some(&s1),
            &Change::Put(fields(json!({"text": "Mål", "status": "done"}))),
            Base::Unknown,
            hlc(200, 2),
            2,
        );
        assert_eq!(other.conflicts.len(), 1);
    }

    #[test]
    fn unchanged_put_changes_nothing() {
        let data = json!({"employer": "ICA"});
        let s1 = created(data.clone(), hlc(100, 1));
        let base = fields(data.clone());
        let m = merge(
            Some(&s1),
            &Change::Put(fields(data)),
            Base::Known { version: 1, data: &base, deleted: false },
            hlc(200, 1),
            2,
        );
        assert!(!m.changed);
        assert_eq!(m.data, s1.data);
    }

    #[test]
    fn delete_is_a_tombstone_and_edit_of_a_deleted_record_stays_visible() {
        let data = json!({"text": "x"});
        let s1 = created(data.clone(), hlc(100, 1));
        let base = fields(data);
        let known = Base::Known { version: 1, data: &base, deleted: false };
        let del = merge(Some(&s1), &Change::Delete, known, hlc(200, 2), 2);
        assert!(del.deleted && del.changed);
        assert_eq!(del.data, s1.data, "a tombstone keeps the data in history");
        let s2 = apply(&s1, &del);
        let edit = merge(Some(&s2), &Change::Put(fields(json!({"text": "y"}))), known, hlc(150, 3), 3);
        assert!(edit.deleted, "an edit made before seeing the delete does not resurrect");
        assert_eq!(edit.data.get("text"), Some(&json!("y")));
    }

    #[test]
    fn whole_record_fallback_keeps_the_later_side_and_reports_the_rest() {
        let s1 = created(json!({"status": "exited", "exit": {"date": "2026-01-01", "outcome": "job"}}), hlc(100, 1));
        let incoming = Change::Put(fields(json!({"status": "active"})));
        let m = merge_whole(&s1, &incoming, hlc(300, 2), 2);
        assert_eq!(Value::Object(m.data.clone()), json!({"status": "active"}));
        assert_eq!(m.conflicts.len(), 2);
        let older = merge_whole(&s1, &incoming, hlc(50, 2), 2);
        assert_eq!(older.data, s1.data);
        assert_eq!(older.conflicts.len(), 2);
    }

    /// One generated concurrent change, all made against the same base.
    #[derive(Clone, Debug)]
    struct Gen {
        delete: bool,
        values: Vec<Option<u8>>, // one per field; None = absent
        millis: u64,
        device: u8,
    }

    const FIELD_NAMES: [&str; 3] = ["a", "b", "c"];

    fn gen_change() -> impl Strategy<Value = Gen> {
        (prop::bool::weighted(0.15), prop::collection::vec(prop::option::of(0u8..3), 3), 0u64..50, 0u8..4)
            .prop_map(|(delete, values, millis, device)| Gen { delete, values, millis, device })
    }

    fn to_change(g: &Gen) -> Change {
        if g.delete {
            return Change::Delete;
        }
        let mut f = Fields::new();
        for (name, v) in FIELD_NAMES.iter().zip(&g.values) {
            if let Some(v) = v {
                f.insert((*name).to_owned(), json!(v));
            }
        }
        Change::Put(f)
    }

    fn run(base_data: &Fields, base_known: bool, order: &[Gen]) -> Stored {
        let mut state = created(Value::Object(base_data.clone()), hlc(10, 9));
        for (i, g) in order.iter().enumerate() {
            let base =
                if base_known { Base::Known { version: 1, data: base_data, deleted: false } } else { Base::Unknown };
            // Counter = position in the generated list keeps every HLC unique
            // per device, as a real device's clock does.
            let at =
                Hlc::new(100 + g.millis, 0, Uuid::from_u128(u128::from(g.device))).unwrap_or_else(|| unreachable!());
            let m = merge(Some(&state), &to_change(g), base, at, 2 + i as i64);
            state = apply(&state, &m);
        }
        state
    }

    fn unique_clocks(changes: Vec<Gen>) -> Vec<Gen> {
        // Two changes with the same (millis, device) cannot come from a real clock.
        let mut seen = BTreeSet::new();
        changes.into_iter().filter(|g| seen.insert((g.millis, g.device))).collect()
    }

    proptest! {
        #[test]
        fn any_delivery_order_converges(
            changes in prop::collection::vec(gen_change(), 1..7).prop_map(unique_clocks),
            base_known: bool,
            seed: u64,
        ) {
            let base_data = fields(json!({"a": 0, "b": 1}));
            let forward = run(&base_data, base_known, &changes);
            let mut reversed = changes.clone();
            reversed.reverse();
            let backward = run(&base_data, base_known, &reversed);
            let mut shuffled = changes.clone();
            let n = shuffled.len();
            for i in 0..n {
                let j = ((seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64)) % n as u64) as usize;
                shuffled.swap(i, j);
            }
            let third = run(&base_data, base_known, &shuffled);
            prop_assert_eq!(&forward.data, &backward.data);
            prop_assert_eq!(forward.deleted, backward.deleted);
            prop_assert_eq!(&forward.data, &third.data);
            prop_assert_eq!(forward.deleted, third.deleted);
        }

        #[test]
        fn applying_a_change_twice_changes_nothing(
            changes in prop::collection::vec(gen_change(), 1..5).prop_map(unique_clocks),
            base_known: bool,
        ) {
            let base_data = fields(json!({"a": 0, "b": 1}));
            let once = run(&base_data, base_known, &changes);
            let last = changes.last().cloned().unwrap_or_else(|| unreachable!());
            let mut twice = changes.clone();
            twice.push(last);
            let again = run(&base_data, base_known, &twice);
            prop_assert_eq!(once.data, again.data);
            prop_assert_eq!(once.deleted, again.deleted);
        }

        #[test]
        fn no_written_value_vanishes_without_a_trace(
            changes in prop::collection::vec(gen_change(), 1..6).prop_map(unique_clocks),
        ) {
            // Every value a put wrote is in the final record, or was reported
            // as a conflict's lost or kept value, or was superseded by a later
            // write of the same device (which saw it; the server keeps every
            // version in its history anyway).
            let base_data = fields(json!({"a": 0, "b": 1}));
            let mut state = created(Value::Object(base_data.clone()), hlc(10, 9));
            let mut traced: Vec<(String, Value)> = Vec::new();
            for (i, g) in changes.iter().enumerate() {
                let at = Hlc::new(100 + g.millis, 0, Uuid::from_u128(u128::from(g.device))).unwrap_or_else(|| unreachable!());
                let base = Base::Known { version: 1, data: &base_data, deleted: false };
                let m = merge(Some(&state), &to_change(g), base, at, 2 + i as i64);
                for c in &m.conflicts {
                    traced.push((c.field.clone(), c.lost.clone()));
                    traced.push((c.field.clone(), c.kept.clone()));
                }
                state = apply(&state, &m);
            }
            for g in changes.iter().filter(|g| !g.delete) {
                for (name, v) in FIELD_NAMES.iter().zip(&g.values) {
                    let written = v.map(|v| json!(v)).unwrap_or(Value::Null);
                    let base_value = base_data.get(*name).cloned().unwrap_or(Value::Null);
                    if written == base_value { continue; }
                    let in_final = state.data.get(*name).cloned().unwrap_or(Value::Null) == written;
                    let in_trace = traced.iter().any(|(f, val)| f == name && *val == written);
                    let superseded = changes.iter().any(|later| {
                        !later.delete && later.device == g.device && later.millis > g.millis
                    });
                    prop_assert!(in_final || in_trace || superseded, "{name}={written} lost");
                }
            }
        }
    }
}
