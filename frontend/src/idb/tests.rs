//! The storage layer in headless Chromium: acknowledgements leave the outbox
//! (ranged or one by one) and their versions are read through `meta` until
//! the last page of a complete pull folds them away.

use shared::Kind;
use shared::wire::ErrorInfo;
use uuid::Uuid;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use super::*;

const PROGRAM: Uuid = Uuid::from_u128(9);

fn row(id: Uuid, version: Option<i64>) -> RecordRow {
    RecordRow {
        id,
        kind: Kind::MentorNote,
        program_id: PROGRAM,
        version,
        deleted: false,
        conflict: false,
        sealed: vec![1, 2, 3],
    }
}

/// Saves a local edit of `record` (its row keeps `version`); returns the mutation id.
async fn queue(db: &Db, record: Uuid, version: Option<i64>, seq: u64) -> Uuid {
    let mutation = Uuid::now_v7();
    let entry = OutboxRow {
        id: mutation,
        seq,
        record_id: record,
        kind: Kind::MentorNote,
        program_id: PROGRAM,
        state: OutboxState::Pending,
        error: None,
        sealed: vec![4, 5, 6],
    };
    db.save_with_outbox(&row(record, version), &entry, &[]).await.expect("save");
    mutation
}

fn ack(mutation_id: Uuid, record_id: Uuid, version: i64) -> Ack {
    Ack { mutation_id, record_id, version: Some(version) }
}

async fn version_of(db: &Db, id: Uuid) -> Option<i64> {
    db.record(id).await.expect("record").expect("row").version
}

async fn acked_entries(db: &Db) -> usize {
    let dump = db.dump().await.expect("dump");
    dump.iter()
        .filter(|(store, key, _)| store == META && key.as_string().is_some_and(|k| k.starts_with("acked:")))
        .count()
}

/// A wiped database with three records edited once each, then the record at
/// `again` a second time: the records and the four mutation ids, in order.
async fn four_edits_of_three_records(again: usize) -> (Db, [Uuid; 3], [Uuid; 4]) {
    let db = Db::open().await.expect("open");
    db.wipe().await.expect("wipe");
    let records = [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()];
    let mut mutations = [Uuid::nil(); 4];
    for (seq, record) in records.iter().chain([&records[again]]).enumerate() {
        mutations[seq] = queue(&db, *record, None, seq as u64 + 1).await;
    }
    (db, records, mutations)
}

#[wasm_bindgen_test]
async fn acknowledged_versions_are_read_through_meta_and_folded_by_a_complete_pull() {
    // The fourth is a second edit of `a`, made while the first was on its way.
    let (db, [a, b, c], [m1, m2, m3, m4]) = four_edits_of_three_records(0).await;

    db.apply_results(&[ack(m1, a, 7), ack(m2, b, 8), ack(m3, c, 9)], &[]).await.expect("apply");
    let left: Vec<Uuid> = db.outbox().await.expect("outbox").iter().map(|r| r.id).collect();
    assert_eq!(left, vec![m4], "the three acknowledged entries left the outbox (one ranged delete)");
    assert_eq!(acked_entries(&db).await, 1, "one meta entry for the batch");
    assert_eq!((version_of(&db, a).await, version_of(&db, b).await), (Some(7), Some(8)));
    let all = db.records().await.expect("records");
    assert!(all.iter().all(|r| r.version.is_some()), "every row reads its acknowledged version: {all:?}");

    // A middle page of a pull leaves them; the last one folds them: `b` came
    // back newer from the server, `a` is queued again (its row stays local
    // and takes version 7 into the row itself), `c` came back as 9.
    db.store_page(&[row(b, Some(10))], &[], "cursor", "c1", AckedVersions::Keep).await.expect("page");
    assert_eq!(acked_entries(&db).await, 1);
    db.store_page(&[row(a, Some(7)), row(c, Some(9))], &[], "cursor", "c2", AckedVersions::Fold)
        .await
        .expect("last page");
    assert_eq!(acked_entries(&db).await, 0, "folded away");
    assert_eq!(version_of(&db, a).await, Some(7), "the queued row took its acknowledged version");
    assert_eq!(version_of(&db, b).await, Some(10));
    assert_eq!(version_of(&db, c).await, Some(9));
    db.wipe().await.expect("wipe");
}

#[wasm_bindgen_test]
async fn a_rejected_entry_between_acknowledged_ones_stays_with_its_error() {
    let (db, [a, _, c], [m1, m2, m3, m4]) = four_edits_of_three_records(2).await;
    let refused = ErrorInfo::new("forbidden", "not a member of the program");
    db.apply_results(&[ack(m1, a, 3), ack(m3, c, 4), ack(m4, c, 5)], &[(m2, refused.clone())]).await.expect("apply");
    let left = db.outbox().await.expect("outbox");
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!((left[0].id, left[0].state, left[0].error.clone()), (m2, OutboxState::Rejected, Some(refused)));
    assert_eq!(version_of(&db, c).await, Some(5), "the higher of two acknowledged versions");

    // A catch-up after a server restore drops them as they are.
    db.store_page(&[], &[], "cursor", "c1", AckedVersions::Drop).await.expect("page");
    assert_eq!(acked_entries(&db).await, 0);
    assert_eq!(version_of(&db, a).await, None, "dropped, not folded into the row");
    db.wipe().await.expect("wipe");
}

#[wasm_bindgen_test]
fn keys_sort_as_mutation_ids_do() {
    let ids: Vec<Uuid> = (0..50).map(|_| Uuid::now_v7()).collect();
    let keys: Vec<String> = ids.iter().filter_map(|id| key(*id).as_string()).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "time-ordered ids give ordered keys");
    assert_eq!(JsValue::from_str(&keys[0]), key(ids[0]));
}
