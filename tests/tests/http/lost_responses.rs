//! Faults between device and server: a push whose response is lost after the
//! commit, resent whole and in reverse order (and a later half arriving
//! before an earlier one), ends in exactly the state of one in-order
//! delivery, and every resent mutation answers with its first version.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use serde_json::{Value, json};
use stegvis_tests::records::{self, new_id};
use stegvis_tests::*;
use uuid::Uuid;

/// One device's offline morning: ten participants, each created then edited
/// twice, in clock order (as the outbox holds them). The same mutation ids
/// and clocks for every server; only the program differs.
struct Morning {
    device: Device,
    records: Vec<Uuid>,
    mutation_ids: Vec<Uuid>,
}

impl Morning {
    fn new() -> Morning {
        let records = (0..10).map(|_| new_id()).collect();
        let mutation_ids = (0..30).map(|_| Uuid::now_v7()).collect();
        Morning { device: Device::new(), records, mutation_ids }
    }

    fn batch(&self, program: Uuid) -> Vec<Value> {
        let t = now_ms() - 60_000;
        let mut out = Vec::new();
        for (i, id) in self.records.iter().enumerate() {
            let mut data = records::participant();
            data["display_name"] = json!(format!("Deltagare {i}"));
            let mut edits = vec![data.clone()];
            data["needs_interpreter"] = json!(i % 2 == 0);
            edits.push(data.clone());
            data["display_name"] = json!(format!("Deltagare {i} B"));
            edits.push(data);
            for (k, d) in edits.into_iter().enumerate() {
                let n = i * 3 + k;
                let mut m = self.device.create(program, "participant", *id, d);
                m["id"] = json!(self.mutation_ids[n]);
                out.push(with_hlc(m, self.device.hlc_at(t + n as i64)));
            }
        }
        out
    }
}

/// The pulled state of the given records: (data, deleted, conflict) by id.
async fn state(api: &Api, ids: &[Uuid]) -> BTreeMap<Uuid, Value> {
    let pulled = api.pull_all(None).await;
    ids.iter()
        .map(|id| {
            let r = pulled.record(*id);
            (*id, json!({"data": r["data"], "deleted": r["deleted"], "conflict": r["conflict"]}))
        })
        .collect()
}

#[tokio::test]
async fn a_lost_response_and_a_reordered_resend_end_like_one_in_order_delivery() {
    let morning = Morning::new();

    // Reference: one in-order delivery.
    let reference = fixture().await;
    reference.coach.push_applied(&morning.device, &morning.batch(reference.program)).await;
    let expected = state(&reference.office, &morning.records).await;

    // The fault: the first half is committed but its answer never arrives.
    let w = fixture().await;
    let batch = morning.batch(w.program);
    let (first_half, second_half) = batch.split_at(batch.len() / 2);
    let lost = w.coach.push_ok(&morning.device, first_half).await;
    let first_versions: Vec<i64> = lost.iter().map(assert_applied).collect();
    // The device resends everything, the newest first.
    let mut resend: Vec<Value> = batch.clone();
    resend.reverse();
    let results = w.coach.push_ok(&morning.device, &resend).await;
    for (m, r) in resend.iter().zip(&results) {
        let n = morning.mutation_ids.iter().position(|id| json!(id) == m["id"]).unwrap();
        if n < first_half.len() {
            assert_eq!(r["status"], json!("duplicate"), "{r}");
            assert_eq!(r["version"], json!(first_versions[n]), "a duplicate names its first version: {r}");
        } else {
            assert_eq!(r["status"], json!("applied"), "{r}");
        }
    }
    // And once more, whole, in order: nothing changes.
    let again = w.coach.push_ok(&morning.device, &batch).await;
    assert!(again.iter().all(|r| r["status"] == json!("duplicate")), "{again:?}");
    assert_eq!(second_half.len() + first_half.len(), batch.len());

    let got = state(&w.office, &morning.records).await;
    assert_eq!(got, expected, "the same end state as one in-order delivery");
    for (id, s) in &got {
        assert_eq!(s["conflict"], json!(false), "one device's own edits are no conflict: {id}");
        assert!(s["data"]["display_name"].as_str().unwrap().ends_with(" B"), "the last edit wins: {s}");
    }
}
