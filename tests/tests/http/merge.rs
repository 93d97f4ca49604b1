//! API.md "Push", the merge rules: field-by-field merge against
//! `base_version`, disjoint edits from two devices both kept, same-field
//! conflicts won by the higher HLC and flagged `conflict: true`, `null` (or
//! an unknown) base counting as "every field changed", puts that change
//! nothing, and the one attendance record per placement and day.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use stegvis_tests::api::assert_data;
use stegvis_tests::mutation::with_hlc;
use stegvis_tests::records::{self, attendance_id, new_id};
use stegvis_tests::*;
use uuid::Uuid;

/// Office creates a participant; returns its id, version and data.
async fn new_participant(w: &World, device: &Device) -> (Uuid, i64, Value) {
    let id = new_id();
    let data = records::participant();
    let v = w.office.push_applied(device, &[device.create(w.program, "participant", id, data.clone())]).await[0];
    (id, v, data)
}

fn changed(data: &Value, field: &str, value: Value) -> Value {
    let mut d = data.clone();
    d[field] = value;
    d
}

#[tokio::test]
async fn disjoint_edits_from_two_devices_both_survive() {
    let w = fixture().await;
    let (phone, desk) = (Device::new(), Device::new());
    for higher_first in [false, true] {
        let (id, v1, data) = new_participant(&w, &desk).await;
        let t = now_ms();
        let (t_name, t_lang) = if higher_first { (t + 2000, t + 1000) } else { (t + 1000, t + 2000) };
        let name = with_hlc(
            phone.put(w.program, "participant", id, Some(v1), changed(&data, "display_name", json!("Amina Kh"))),
            phone.hlc_at(t_name),
        );
        let langs = with_hlc(
            desk.put(w.program, "participant", id, Some(v1), changed(&data, "languages", json!(["ar", "sv", "en"]))),
            desk.hlc_at(t_lang),
        );
        let va = w.coach.push_applied(&phone, &[name]).await[0];
        let vb = w.office.push_applied(&desk, &[langs]).await[0];
        assert!(v1 < va && va < vb);
        let r = w.office.pull_all(None).await.record(id).clone();
        assert_eq!(r["data"]["display_name"], json!("Amina Kh"), "higher_first={higher_first}: {r}");
        assert_eq!(r["data"]["languages"], json!(["ar", "sv", "en"]), "higher_first={higher_first}: {r}");
        assert_eq!(r["conflict"], json!(false), "disjoint edits are no conflict: {r}");
        assert_eq!(r["version"], json!(vb));
        assert_data(&r, &json!({"status": "active", "started_on": "2026-01-12", "needs_interpreter": false}));
    }
}

#[tokio::test]
async fn same_field_conflict_goes_to_the_higher_hlc_and_is_flagged() {
    let w = fixture().await;
    let (phone, desk) = (Device::new(), Device::new());
    for higher_first in [true, false] {
        let (id, v1, data) = new_participant(&w, &desk).await;
        let (bystander, _, _) = new_participant(&w, &desk).await;
        let t = now_ms();
        // The coach renames and sets the interpreter flag; the office renames
        // differently. The coach's clock is later.
        let mut coach_data = changed(&data, "display_name", json!("Coachens namn"));
        coach_data["needs_interpreter"] = json!(true);
        let coach_put = with_hlc(phone.put(w.program, "participant", id, Some(v1), coach_data), phone.hlc_at(t + 2000));
        let mut office_data = changed(&data, "display_name", json!("Kontorets namn"));
        office_data["status"] = json!("paused");
        let office_put = with_hlc(desk.put(w.program, "participant", id, Some(v1), office_data), desk.hlc_at(t + 1000));
        if higher_first {
            w.coach.push_applied(&phone, &[coach_put]).await;
            w.office.push_applied(&desk, &[office_put]).await;
        } else {
            w.office.push_applied(&desk, &[office_put]).await;
            w.coach.push_applied(&phone, &[coach_put]).await;
        }
        let pulled = w.pedagogue.pull_all(None).await;
        let r = pulled.record(id);
        assert_eq!(r["data"]["display_name"], json!("Coachens namn"), "higher_first={higher_first}: {r}");
        assert_eq!(r["conflict"], json!(true), "higher_first={higher_first}: {r}");
        // Fields changed on one side only keep that side's value.
        assert_eq!(r["data"]["needs_interpreter"], json!(true), "{r}");
        assert_eq!(r["data"]["status"], json!("paused"), "{r}");
        assert_eq!(pulled.record(bystander)["conflict"], json!(false));
    }
}

#[tokio::test]
async fn a_null_base_on_an_existing_record_counts_every_field_as_changed() {
    let w = fixture().await;
    let (phone, desk) = (Device::new(), Device::new());
    // Created at t+1000 by the office.
    let t = now_ms();
    let id = new_id();
    let data = records::participant();
    w.office
        .push_applied(
            &desk,
            &[with_hlc(desk.create(w.program, "participant", id, data.clone()), desk.hlc_at(t + 1000))],
        )
        .await;

    // An older put with a null base: the stored name (newer) stays, flagged.
    let older = with_hlc(
        phone.create(w.program, "participant", id, changed(&data, "display_name", json!("Äldre namn"))),
        phone.hlc_at(t),
    );
    w.coach.push_applied(&phone, &[older]).await;
    let r = w.office.pull_all(None).await.record(id).clone();
    assert_eq!(r["data"]["display_name"], json!("Amina K"), "{r}");
    assert_eq!(r["conflict"], json!(true), "{r}");

    // A newer one wins.
    let id2 = new_id();
    w.office
        .push_applied(
            &desk,
            &[with_hlc(desk.create(w.program, "participant", id2, data.clone()), desk.hlc_at(t + 1000))],
        )
        .await;
    let newer = with_hlc(
        phone.create(w.program, "participant", id2, changed(&data, "display_name", json!("Nyare namn"))),
        phone.hlc_at(t + 2000),
    );
    w.coach.push_applied(&phone, &[newer]).await;
    let r = w.office.pull_all(None).await.record(id2).clone();
    assert_eq!(r["data"]["display_name"], json!("Nyare namn"), "{r}");
    assert_eq!(r["conflict"], json!(true), "{r}");
}

#[tokio::test]
async fn a_base_version_unknown_to_the_server_counts_like_null() {
    let w = fixture().await;
    let (phone, desk) = (Device::new(), Device::new());
    let t = now_ms();
    let id = new_id();
    let data = records::participant();
    w.office
        .push_applied(
            &desk,
            &[with_hlc(desk.create(w.program, "participant", id, data.clone()), desk.hlc_at(t + 1000))],
        )
        .await;
    let stale = with_hlc(
        phone.put(
            w.program,
            "participant",
            id,
            Some(987_654_321),
            changed(&data, "display_name", json!("Påhittad bas")),
        ),
        phone.hlc_at(t),
    );
    w.coach.push_applied(&phone, &[stale]).await;
    let r = w.office.pull_all(None).await.record(id).clone();
    assert_eq!(r["data"]["display_name"], json!("Amina K"), "an older put must not win: {r}");
    assert_eq!(r["conflict"], json!(true), "{r}");
}

#[tokio::test]
async fn a_put_with_a_base_on_a_missing_record_creates_it() {
    let w = fixture().await;
    let device = Device::new();
    let id = new_id();
    let data = records::site();
    let v = w.office.push_applied(&device, &[device.put(w.program, "site", id, Some(42), data.clone())]).await[0];
    let r = w.office.pull_all(None).await.record(id).clone();
    assert_eq!(r["version"], json!(v));
    assert_eq!(r["deleted"], json!(false));
    assert_data(&r, &data);
}

#[tokio::test]
async fn a_put_that_changes_nothing_answers_the_current_version() {
    let w = fixture().await;
    let device = Device::new();
    let (id, v1, data) = new_participant(&w, &device).await;
    let before = w.office.pull_all(None).await;
    let results = w.coach.push_ok(&device, &[device.put(w.program, "participant", id, Some(v1), data)]).await;
    assert_eq!(assert_applied(&results[0]), v1, "no change, no new version");
    let after = w.office.pull_all(Some(&before.cursor)).await;
    assert!(after.records.is_empty(), "{:?}", after.records);
}

#[tokio::test]
async fn sequential_edits_on_the_latest_base_are_no_conflict() {
    let w = fixture().await;
    let device = Device::new();
    let (id, v1, data) = new_participant(&w, &device).await;
    let d2 = changed(&data, "display_name", json!("Amina Kh"));
    let v2 = w.coach.push_applied(&device, &[device.put(w.program, "participant", id, Some(v1), d2.clone())]).await[0];
    let d3 = changed(&d2, "status", json!("paused"));
    let v3 = w.office.push_applied(&device, &[device.put(w.program, "participant", id, Some(v2), d3.clone())]).await[0];
    assert!(v1 < v2 && v2 < v3);
    let r = w.office.pull_all(None).await.record(id).clone();
    assert_eq!(r["conflict"], json!(false), "{r}");
    assert_eq!(r["version"], json!(v3));
    assert_data(&r, &d3);
    assert_eq!(uuid_of(&r["updated_by"]), w.office.user_id());
}

#[tokio::test]
async fn two_devices_marking_the_same_day_make_one_merged_record() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let (phone_a, phone_b) = (Device::new(), Device::new());
    let coach_b = w.login("coach", "second phone").await;
    let date = "2026-03-12";
    let id = attendance_id(refs.placement, date);
    let t = now_ms();
    let a = with_hlc(
        phone_a.create(w.program, "attendance", id, records::attendance(refs.placement, refs.participant, date)),
        phone_a.hlc_at(t + 1000),
    );
    let mut late = records::attendance(refs.placement, refs.participant, date);
    late["status"] = json!("late");
    late["note"] = json!("kom 20 min sent, bussen");
    let b = with_hlc(phone_b.create(w.program, "attendance", id, late), phone_b.hlc_at(t + 2000));
    assert_applied(&w.coach.push_ok(&phone_a, &[a]).await[0]);
    assert_applied(&coach_b.push_ok(&phone_b, &[b]).await[0]);

    let pulled = w.office.pull_all(None).await;
    let attendance: Vec<&Value> = pulled.records.iter().filter(|r| r["kind"] == json!("attendance")).collect();
    assert_eq!(attendance.len(), 1, "one record per placement and day: {attendance:?}");
    let r = pulled.record(id);
    assert_eq!(r["data"]["status"], json!("late"), "the later clock wins: {r}");
    assert_eq!(r["data"]["note"], json!("kom 20 min sent, bussen"), "{r}");
    assert_eq!(r["data"]["hours"].as_f64(), Some(4.5), "{r}");
    assert_eq!(r["conflict"], json!(true), "different marks of one day are flagged: {r}");

    // Nothing lost: the history holds both versions and the losing value.
    let h = w.office.get(&format!("/api/v1/records/{id}/history")).await;
    let history = h.expect(StatusCode::OK);
    let versions = history["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{h}");
    assert_eq!(versions[0]["data"]["status"], json!("present"), "{h}");
    assert_eq!(versions[1]["data"]["status"], json!("late"), "{h}");
    let conflicts = history["conflicts"].as_array().unwrap();
    let status = conflicts.iter().find(|c| c["field"] == json!("status")).unwrap();
    assert_eq!((&status["kept"], &status["lost"]), (&json!("late"), &json!("present")), "{h}");
    assert_eq!(history["record"]["version"], r["version"], "{h}");
    // Another organisation cannot even learn that the record exists.
    w.other_office.get(&format!("/api/v1/records/{id}/history")).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    w.office
        .get(&format!("/api/v1/records/{}/history", Uuid::now_v7()))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn disjoint_edits_of_one_attendance_day_merge_without_conflict() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let (phone, desk) = (Device::new(), Device::new());
    let date = "2026-03-13";
    let id = attendance_id(refs.placement, date);
    let data = records::attendance(refs.placement, refs.participant, date);
    let v1 = w.coach.push_applied(&phone, &[phone.create(w.program, "attendance", id, data.clone())]).await[0];
    let hours = changed(&data, "hours", json!(3));
    let note = changed(&data, "note", json!("gick hem tidigare"));
    let t = now_ms();
    w.office
        .push_applied(&desk, &[with_hlc(desk.put(w.program, "attendance", id, Some(v1), note), desk.hlc_at(t + 2000))])
        .await;
    w.coach
        .push_applied(
            &phone,
            &[with_hlc(phone.put(w.program, "attendance", id, Some(v1), hours), phone.hlc_at(t + 1000))],
        )
        .await;
    let r = w.office.pull_all(None).await.record(id).clone();
    assert_eq!(r["data"]["hours"].as_f64(), Some(3.0), "{r}");
    assert_eq!(r["data"]["note"], json!("gick hem tidigare"), "{r}");
    assert_eq!(r["data"]["status"], json!("present"), "{r}");
    assert_eq!(r["conflict"], json!(false), "{r}");
}

#[tokio::test]
async fn a_device_editing_its_own_unsynced_record_again_is_no_conflict() {
    // Created offline and edited offline before any sync: both mutations carry
    // a null base (the device never heard a version). The device saw its own
    // first write, so the second is an edit, not a conflict.
    let w = fixture().await;
    let phone = Device::new();
    let (id, data) = (new_id(), records::participant());
    let first = phone.create(w.program, "participant", id, data.clone());
    let second = phone.create(w.program, "participant", id, changed(&data, "needs_interpreter", json!(true)));
    w.coach.push_applied(&phone, &[first, second]).await;
    let r = w.office.pull_all(None).await.record(id).clone();
    assert_eq!(r["data"]["needs_interpreter"], json!(true), "{r}");
    assert_eq!(r["conflict"], json!(false), "one device's own edits never conflict: {r}");

    // The same null-base edit from another device is a real conflict.
    let tablet = Device::new();
    let third = tablet.create(w.program, "participant", id, changed(&data, "needs_interpreter", json!(false)));
    w.office.push_applied(&tablet, &[third]).await;
    let r = w.office.pull_all(None).await.record(id).clone();
    assert_eq!(r["conflict"], json!(true), "{r}");
}

/// Two coaches' devices set the same attendance day differently: a conflict.
/// Returns the record id and its current version.
async fn attendance_conflict(w: &World, refs: &Refs) -> (Uuid, i64, Value) {
    let (phone_a, phone_b) = (Device::new(), Device::new());
    let date = records::day(0);
    let id = attendance_id(refs.placement, &date);
    let base = records::attendance(refs.placement, refs.participant, &date);
    let v1 = w.coach.push_applied(&phone_a, &[phone_a.create(w.program, "attendance", id, base.clone())]).await[0];
    let t = now_ms();
    let a = with_hlc(
        phone_a.put(w.program, "attendance", id, Some(v1), changed(&base, "status", json!("late"))),
        phone_a.hlc_at(t + 1000),
    );
    let b = with_hlc(
        phone_b.put(w.program, "attendance", id, Some(v1), changed(&base, "status", json!("absent_sick"))),
        phone_b.hlc_at(t + 2000),
    );
    w.coach.push_applied(&phone_a, &[a]).await;
    let v = w.coach.push_applied(&phone_b, &[b]).await[0];
    let r = w.office.pull_all(None).await.record(id).clone();
    assert_eq!(r["conflict"], json!(true), "{r}");
    assert_eq!(r["data"]["status"], json!("absent_sick"), "{r}");
    (id, v, r["data"].clone())
}

#[tokio::test]
async fn an_office_put_from_the_current_version_resolves_the_conflict_and_the_history_keeps_all() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let desk = Device::new();

    // The office picks the losing value.
    let (id, v, data) = attendance_conflict(&w, &refs).await;
    let resolution = desk.put(w.program, "attendance", id, Some(v), changed(&data, "status", json!("late")));
    let vr = w.office.push_applied(&desk, &[resolution]).await[0];
    assert!(vr > v);
    let r = w.coach.pull_all(None).await.record(id).clone();
    assert_eq!(r["conflict"], json!(false), "resolved: {r}");
    assert_eq!(r["data"]["status"], json!("late"), "{r}");
    let h = w.office.get(&format!("/api/v1/records/{id}/history")).await;
    let h = h.expect(StatusCode::OK);
    let statuses: Vec<&Value> = h["versions"].as_array().unwrap().iter().map(|v| &v["data"]["status"]).collect();
    assert_eq!(statuses, [&json!("present"), &json!("late"), &json!("absent_sick"), &json!("late")], "{h}");
    assert_eq!(h["conflicts"][0]["lost"], json!("late"), "{h}");

    // Keeping the value the merge kept still makes a new version without the flag.
    let refs2 = w.seed(w.program).await;
    let (id2, v2, data2) = attendance_conflict(&w, &refs2).await;
    let keep = desk.put(w.program, "attendance", id2, Some(v2), data2.clone());
    let vk = w.office.push_applied(&desk, &[keep]).await[0];
    assert!(vk > v2, "a resolution is a new version every device pulls");
    let r2 = w.coach.pull_all(None).await.record(id2).clone();
    assert_eq!((r2["conflict"].clone(), r2["data"]["status"].clone()), (json!(false), json!("absent_sick")), "{r2}");
}

#[tokio::test]
async fn a_conflict_stays_flagged_for_a_stale_office_put_and_for_coaches() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let (id, v, data) = attendance_conflict(&w, &refs).await;
    let desk = Device::new();

    // A coach's edit from the current version does not resolve it.
    let note = changed(&data, "note", json!("kom efter lunch"));
    let vc = w.coach.push_applied(&desk, &[desk.put(w.program, "attendance", id, Some(v), note.clone())]).await[0];
    let r = w.office.pull_all(None).await.record(id).clone();
    assert_eq!(r["conflict"], json!(true), "only the office resolves: {r}");

    // An office put from an older version (it has not seen the latest) does not either.
    let stale = desk.put(w.program, "attendance", id, Some(v), changed(&note, "hours", json!(3)));
    w.office.push_applied(&desk, &[stale]).await;
    let r = w.office.pull_all(None).await.record(id).clone();
    assert_eq!(r["conflict"], json!(true), "a put from version {v} < {vc} resolves nothing: {r}");
    assert_eq!(r["data"]["hours"], json!(3), "{r}");
}

#[tokio::test]
async fn after_a_resolution_a_new_clash_is_flagged_again() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let (id, v, data) = attendance_conflict(&w, &refs).await;
    let desk = Device::new();
    let vr = w
        .office
        .push_applied(&desk, &[desk.put(w.program, "attendance", id, Some(v), changed(&data, "status", json!("late")))])
        .await[0];
    // Two more phones clash on top of the resolution.
    let (c, d) = (Device::new(), Device::new());
    let t = now_ms();
    let put_c = with_hlc(
        c.put(w.program, "attendance", id, Some(vr), changed(&data, "status", json!("present"))),
        c.hlc_at(t + 1000),
    );
    let put_d = with_hlc(
        d.put(w.program, "attendance", id, Some(vr), changed(&data, "status", json!("absent_excused"))),
        d.hlc_at(t + 2000),
    );
    let vc = w.coach.push_applied(&c, &[put_c]).await[0];
    let vd = w.coach.push_applied(&d, &[put_d]).await[0];
    assert!(vr < vc && vc < vd, "{vr} {vc} {vd}");
    let r = w.office.pull_all(None).await.record(id).clone();
    assert_eq!(r["conflict"], json!(true), "{r}");
    assert_eq!(r["data"]["status"], json!("absent_excused"), "{r}");
}
