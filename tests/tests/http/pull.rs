//! API.md "Pull": shape, ascending version order with each record once in
//! its newest state, paging with `limit` and `has_more`, cursors yielding
//! only later changes and bound to their user, the limit's default and cap,
//! and `revoked_program_ids` after a member is removed.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use serde_json::{Value, json};
use stegvis_tests::records::{self, new_id};
use stegvis_tests::*;
use uuid::Uuid;

async fn push_sites(api: &Api, device: &Device, program: Uuid, n: usize) -> Vec<Uuid> {
    let mut ids = Vec::new();
    let mut left = n;
    while left > 0 {
        let batch = left.min(500);
        let mutations: Vec<Value> = (0..batch)
            .map(|_| {
                let id = new_id();
                ids.push(id);
                device.create(program, "site", id, records::site())
            })
            .collect();
        api.push_applied(device, &mutations).await;
        left -= batch;
    }
    ids
}

#[tokio::test]
async fn a_pull_has_the_contract_shape() {
    let w = fixture().await;
    let r = w.coach.pull(None, None).await;
    let body = r.expect(StatusCode::OK);
    let keys: BTreeSet<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["cursor", "has_more", "records", "revoked_program_ids"].into(), "{r}");
    assert_eq!(body["records"], json!([]));
    assert_eq!(body["has_more"], json!(false));
    assert_eq!(body["revoked_program_ids"], json!([]));
    assert!(!body["cursor"].as_str().unwrap().is_empty(), "{r}");

    let refs = w.seed(w.program).await;
    let page = w.coach.pull_page(None, None).await;
    assert_eq!(page.records.len(), 3);
    assert!(!page.has_more);
    let ids: Vec<Uuid> = page.records.iter().map(record_id).collect();
    assert_eq!(ids, vec![refs.participant, refs.site, refs.placement], "in version (push) order");
}

#[tokio::test]
async fn records_come_in_version_order_once_each_in_their_newest_state() {
    let w = fixture().await;
    let device = Device::new();
    let ids = push_sites(&w.office, &device, w.program, 5).await;
    let pulled = w.office.pull_all(None).await;
    // Edit the second and the fourth, in reverse order.
    let mut edited = Vec::new();
    for i in [3, 1] {
        let base = pulled.record(ids[i])["version"].as_i64();
        let mut data = records::site();
        data["employer"] = json!(format!("Omdöpt {i}"));
        let v = w.coach.push_applied(&device, &[device.put(w.program, "site", ids[i], base, data)]).await[0];
        edited.push((ids[i], v));
    }
    let all = w.pedagogue.pull_all(None).await;
    assert_eq!(all.records.len(), 5, "each record once: {:?}", all.records);
    let order: Vec<Uuid> = all.records.iter().map(record_id).collect();
    assert_eq!(order, vec![ids[0], ids[2], ids[4], ids[3], ids[1]], "ascending version order");
    for (id, v) in edited {
        let r = all.record(id);
        assert_eq!(r["version"], json!(v));
        assert!(r["data"]["employer"].as_str().unwrap().starts_with("Omdöpt"), "{r}");
    }
}

#[tokio::test]
async fn limit_pages_and_has_more_cover_everything_once() {
    let w = fixture().await;
    let device = Device::new();
    let ids = push_sites(&w.office, &device, w.program, 25).await;
    let p1 = w.coach.pull_page(None, Some(10)).await;
    assert_eq!((p1.records.len(), p1.has_more), (10, true));
    let p2 = w.coach.pull_page(Some(&p1.cursor), Some(10)).await;
    assert_eq!((p2.records.len(), p2.has_more), (10, true));
    let p3 = w.coach.pull_page(Some(&p2.cursor), Some(10)).await;
    assert_eq!(p3.records.len(), 5);
    assert!(!p3.has_more);
    let got: Vec<Uuid> = [p1.records, p2.records, p3.records].concat().iter().map(record_id).collect();
    assert_eq!(got, ids, "pages in order, nothing skipped or repeated");
    // limit=1 works too.
    let one = w.coach.pull_all_with(None, Some(1)).await;
    assert_eq!(one.records.len(), 25);
    assert!(one.pages >= 25);
}

#[tokio::test]
async fn a_cursor_yields_only_what_changed_after_it() {
    let w = fixture().await;
    let device = Device::new();
    let old = push_sites(&w.office, &device, w.program, 4).await;
    let first = w.coach.pull_all(None).await;

    let new = push_sites(&w.office, &device, w.program, 3).await;
    let mut data = records::site();
    data["employer"] = json!("Ny arbetsgivare");
    let base = first.record(old[0])["version"].as_i64();
    w.office.push_applied(&device, &[device.put(w.program, "site", old[0], base, data)]).await;
    let base = first.record(old[1])["version"].as_i64();
    w.office.push_applied(&device, &[device.delete(w.program, "site", old[1], base)]).await;

    let since = w.coach.pull_all(Some(&first.cursor)).await;
    let got: BTreeSet<Uuid> = since.ids();
    let want: BTreeSet<Uuid> = new.iter().copied().chain([old[0], old[1]]).collect();
    assert_eq!(got, want);
    assert_eq!(since.records.len(), 5);
    assert_eq!(since.record(old[0])["data"]["employer"], json!("Ny arbetsgivare"));
    assert_eq!(since.record(old[1])["deleted"], json!(true));

    // The old cursor can be used again (a lost response), with the same answer.
    let again = w.coach.pull_all(Some(&first.cursor)).await;
    assert_eq!(again.ids(), want);
    // Nothing after the newest cursor.
    let page = w.coach.pull_page(Some(&since.cursor), None).await;
    assert!(page.records.is_empty() && !page.has_more, "{:?}", page.records);
    let page = w.coach.pull_page(Some(&page.cursor), None).await;
    assert!(page.records.is_empty());
}

#[tokio::test]
async fn limit_below_one_is_invalid() {
    let w = fixture().await;
    for limit in [0, -1] {
        let r = w.coach.pull(None, Some(limit)).await;
        let msg = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        assert!(msg.contains("limit"), "message must name `limit`: {msg}");
    }
}

#[tokio::test]
async fn limit_defaults_to_1000_and_is_capped_at_5000() {
    let w = fixture().await;
    let device = Device::new();
    let start = std::time::Instant::now();
    push_sites(&w.office, &device, w.program, 5003).await;
    eprintln!("pushed 5003 records in {:?}", start.elapsed());

    let default = w.coach.pull_page(None, None).await;
    assert_eq!(default.records.len(), 1000);
    assert!(default.has_more);
    let capped = w.coach.pull_page(None, Some(6000)).await;
    assert_eq!(capped.records.len(), 5000, "limit above 5000 is taken as 5000");
    assert!(capped.has_more);
    let rest = w.coach.pull_page(Some(&capped.cursor), Some(6000)).await;
    assert_eq!(rest.records.len(), 3);
    assert!(!rest.has_more);
    let exact = w.coach.pull_page(None, Some(5000)).await;
    assert_eq!(exact.records.len(), 5000);
}

#[tokio::test]
async fn a_cursor_is_bound_to_its_user() {
    let w = fixture().await;
    w.seed(w.program).await;
    let coach_cursor = w.coach.pull_all(None).await.cursor;

    // Another user of the same program, of another org: 400 bad_cursor.
    for api in [&w.office, &w.pedagogue, &w.other_coach] {
        let r = api.pull(Some(&coach_cursor), None).await;
        r.expect_error(StatusCode::BAD_REQUEST, "bad_cursor");
    }
    // The same user on another device: fine.
    let tablet = w.login("coach", "tablet").await;
    let page = tablet.pull_page(Some(&coach_cursor), None).await;
    assert!(page.records.is_empty());

    // Malformed cursors.
    let mut tampered = coach_cursor.clone();
    tampered.push('x');
    for bad in ["garbage", "0", "-1", "%%%", "eyJ2IjoxfQ", tampered.as_str()] {
        let r = w.coach.pull(Some(bad), None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "cursor {bad:?}: {r}");
        r.expect_error(StatusCode::BAD_REQUEST, "bad_cursor");
    }
}

#[tokio::test]
async fn a_removed_member_gets_the_program_revoked_and_its_records_stop() {
    let w = fixture().await;
    add_member(&w.admin, w.program2, w.coach.user_id()).await;
    let p1 = w.seed(w.program).await;
    let p2 = w.seed(w.program2).await;
    let before = w.coach.pull_all(None).await;
    assert!(before.contains(p1.participant) && before.contains(p2.participant));
    assert!(before.revoked_program_ids.is_empty());

    remove_member(&w.admin, w.program, w.coach.user_id()).await;
    let device = Device::new();
    let (late1, late2) = (new_id(), new_id());
    w.office
        .push_applied(
            &device,
            &[
                device.create(w.program, "site", late1, records::site()),
                device.create(w.program2, "site", late2, records::site()),
            ],
        )
        .await;

    let since = w.coach.pull_all(Some(&before.cursor)).await;
    assert_eq!(since.revoked_program_ids, vec![w.program], "{since:?}");
    assert!(!since.contains(late1), "a record of the revoked program was pulled");
    assert!(since.contains(late2), "the other program still syncs");
    for r in &since.records {
        assert_eq!(uuid_of(&r["program_id"]), w.program2, "{r}");
    }
    // From the new cursor it is not revoked again.
    let next = w.coach.pull_page(Some(&since.cursor), None).await;
    assert!(next.revoked_program_ids.is_empty(), "{next:?}");
    // From the beginning: none of the program's records.
    let all = w.coach.pull_all(None).await;
    for id in [p1.participant, p1.site, p1.placement, late1] {
        assert!(!all.contains(id), "revoked program's record {id} still pulled");
    }
    assert!(all.contains(p2.participant));
    // And no more writing there.
    let (visit, data) = p1.sample("visit", 0);
    let r = w.coach.push_ok(&device, &[device.create(w.program, "visit", visit, data)]).await;
    assert_rejected(&r[0], "forbidden");
}

#[tokio::test]
async fn a_program_joined_later_arrives_whole_from_an_old_cursor() {
    // Completeness: records created before the user joined a program were
    // never sent to the device; its next pull from an old cursor brings them.
    let w = fixture().await;
    let p2 = w.seed(w.program2).await;
    let cursor = w.coach.pull_all(None).await.cursor;
    add_member(&w.admin, w.program2, w.coach.user_id()).await;
    let since = w.coach.pull_all(Some(&cursor)).await;
    for id in [p2.participant, p2.site, p2.placement] {
        assert!(since.contains(id), "record {id} of the newly joined program is missing");
    }
    assert!(since.revoked_program_ids.is_empty());
}

#[tokio::test]
async fn a_program_regained_after_revocation_is_sent_again() {
    // The device deleted the program's records when it was revoked; when
    // the user is a member again, the next pull brings them all back.
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let first = w.coach.pull_all(None).await;
    remove_member(&w.admin, w.program, w.coach.user_id()).await;
    let revoked = w.coach.pull_all(Some(&first.cursor)).await;
    assert_eq!(revoked.revoked_program_ids, vec![w.program]);
    add_member(&w.admin, w.program, w.coach.user_id()).await;
    let back = w.coach.pull_all(Some(&revoked.cursor)).await;
    for id in [refs.participant, refs.site, refs.placement] {
        assert!(back.contains(id), "record {id} of the regained program is missing");
    }
    assert!(back.revoked_program_ids.is_empty(), "{back:?}");
}

#[tokio::test]
async fn removed_and_re_added_between_two_pulls_misses_nothing() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let first = w.coach.pull_all(None).await;
    remove_member(&w.admin, w.program, w.coach.user_id()).await;
    let device = Device::new();
    let (goal, data) = refs.sample("plan_goal", 0);
    w.office.push_applied(&device, &[device.create(w.program, "plan_goal", goal, data)]).await;
    add_member(&w.admin, w.program, w.coach.user_id()).await;
    let since = w.coach.pull_all(Some(&first.cursor)).await;
    assert!(since.contains(goal), "a change made while the user was out is missing");
    if since.revoked_program_ids.contains(&w.program) {
        // If the server reports the revocation, the device deletes the
        // program's records, so they must all come again.
        for id in [refs.participant, refs.site, refs.placement] {
            assert!(since.contains(id), "revoked then not resent: {id}");
        }
    }
}

async fn remaining(api: &Api, cursor: Option<&str>) -> u64 {
    let path = match cursor {
        Some(c) => format!("/api/v1/sync/remaining?cursor={c}"),
        None => "/api/v1/sync/remaining".to_owned(),
    };
    let r = api.get(&path).await;
    let body = r.expect(StatusCode::OK);
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["records"], "{r}");
    body["records"].as_u64().unwrap()
}

/// `GET /api/v1/sync/remaining` (docs/API-DECISIONS.md): what a pull from
/// the cursor would bring now, only in the user's programs; the same cursor
/// rules as the pull.
#[tokio::test]
async fn remaining_counts_what_a_pull_from_the_cursor_would_bring() {
    let w = fixture().await;
    let device = Device::new();
    assert_eq!(remaining(&w.coach, None).await, 0);
    push_sites(&w.coach, &device, w.program, 25).await;
    // Another program and another organisation do not count for the coach.
    push_sites(&w.admin, &device, w.program2, 7).await;
    push_sites(&w.other_coach, &device, w.other_program, 5).await;
    assert_eq!(remaining(&w.coach, None).await, 25);
    assert_eq!(remaining(&w.admin, None).await, 32);

    let page = w.coach.pull_page(None, Some(10)).await;
    assert!(page.has_more);
    // Cursors are URL-safe base64: no escaping needed.
    let cursor = page.cursor.clone();
    assert_eq!(remaining(&w.coach, Some(&cursor)).await, 15, "25 less the 10 pulled");
    let rest = w.coach.pull_all(Some(&page.cursor)).await;
    assert_eq!(rest.records.len(), 15);
    assert_eq!(remaining(&w.coach, Some(&rest.cursor)).await, 0);

    // The pull's cursor rules: another user's cursor or garbage is 400 bad_cursor; no token is 401.
    let r = w.pedagogue.get(&format!("/api/v1/sync/remaining?cursor={cursor}")).await;
    r.expect_error(StatusCode::BAD_REQUEST, "bad_cursor");
    let r = w.coach.get("/api/v1/sync/remaining?cursor=not-a-cursor").await;
    r.expect_error(StatusCode::BAD_REQUEST, "bad_cursor");
    let r = w.coach.without_token().get("/api/v1/sync/remaining").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{r}");
}

/// A client that accepts gzip gets a compressed pull (the pages are JSON of
/// repetitive records: about six times smaller on a phone's network).
#[tokio::test]
async fn a_pull_is_gzipped_for_clients_that_accept_it() {
    let w = fixture().await;
    let device = Device::new();
    push_sites(&w.coach, &device, w.program, 200).await;
    let url = format!("{}/api/v1/sync/pull", w.server.base_url());
    let get = |encoding: Option<&'static str>| {
        let mut request = reqwest::Client::new().get(&url).bearer_auth(w.coach.token());
        if let Some(encoding) = encoding {
            request = request.header("accept-encoding", encoding);
        }
        request.send()
    };
    let plain = get(None).await.unwrap();
    assert_eq!(plain.headers().get("content-encoding"), None);
    let plain_len = plain.bytes().await.unwrap().len();
    let zipped = get(Some("gzip")).await.unwrap();
    assert_eq!(zipped.headers().get("content-encoding").unwrap(), "gzip");
    let zipped_len = zipped.bytes().await.unwrap().len();
    assert!(zipped_len * 4 < plain_len, "gzip {zipped_len} bytes, plain {plain_len}");
}
