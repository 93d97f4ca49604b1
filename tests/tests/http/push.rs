//! API.md "Push" and PRODUCT.md "Records": every kind accepted in one
//! ordered batch, the result shape, the role and organisation walls, each
//! kind of bad input rejected alone with its field named and nothing stored,
//! references, attendance ids, tombstones, idempotent retries, clock skew,
//! the version sequence and the 413 limits.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use serde_json::{Value, json};
use stegvis_tests::api::assert_data;
use stegvis_tests::mutation::{hlc, with_hlc};
use stegvis_tests::raw;
use stegvis_tests::records::{self, attendance_id, day, new_id};
use stegvis_tests::*;
use uuid::Uuid;

#[tokio::test]
async fn every_kind_in_one_ordered_batch_is_applied_and_pulled_as_sent() {
    let w = fixture().await;
    let device = Device::new();
    let (participant, site, placement) = (new_id(), new_id(), new_id());
    let date = "2026-03-04";
    let refs = Refs { program: w.program, participant, site, placement };
    let mut mutations = vec![
        device.create(w.program, "participant", participant, records::exited_participant()),
        device.create(w.program, "site", site, records::site()),
        device.create(w.program, "placement", placement, records::placement(participant, site)),
        device.create(
            w.program,
            "attendance",
            attendance_id(placement, date),
            records::attendance(placement, participant, date),
        ),
    ];
    let mut expected: Vec<(Uuid, String, Value)> = mutations
        .iter()
        .map(|m| (uuid_of(&m["record_id"]), m["kind"].as_str().unwrap().to_owned(), m["data"].clone()))
        .collect();
    for kind in ["visit", "mentor_note", "lesson", "plan_goal"] {
        let (id, data) = refs.sample(kind, 0);
        mutations.push(device.create(w.program, kind, id, data.clone()));
        expected.push((id, kind.to_owned(), data));
    }
    let before = time::OffsetDateTime::now_utc() - time::Duration::seconds(5);
    let versions = w.office.push_applied(&device, &mutations).await;
    for pair in versions.windows(2) {
        assert!(pair[0] < pair[1], "versions must increase in mutation order: {versions:?}");
    }

    let pulled = w.coach.pull_all(None).await;
    for ((id, kind, data), version) in expected.iter().zip(&versions) {
        let r = pulled.record(*id);
        assert_eq!(r["kind"], json!(kind), "{r}");
        assert_eq!(uuid_of(&r["program_id"]), w.program, "{r}");
        assert_eq!(r["version"], json!(version), "{r}");
        assert_eq!(r["deleted"], json!(false), "{r}");
        assert_eq!(r["conflict"], json!(false), "{r}");
        assert_eq!(uuid_of(&r["updated_by"]), w.office.user_id(), "{r}");
        assert!(assert_rfc3339_utc(&r["updated_at"], "updated_at") >= before, "{r}");
        assert_data(r, data);
    }
    assert_eq!(pulled.record(participant)["data"]["exit"]["outcome"], json!("job"));
    assert_eq!(pulled.record(participant)["data"]["exit"]["date"], json!("2026-05-29"));
}

#[tokio::test]
async fn optional_fields_may_be_omitted_or_null() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let minimal = [
        (
            "participant",
            json!({"display_name": "Ali B", "languages": [], "needs_interpreter": true,
                               "status": "paused", "started_on": "2026-01-05"}),
        ),
        ("site", json!({"employer": "Lager AB", "address": null})),
        (
            "placement",
            json!({"participant_id": refs.participant, "site_id": refs.site,
                             "starts_on": "2026-03-02", "weekdays": [5], "hours_per_day": 8}),
        ),
        (
            "visit",
            json!({"participant_id": refs.participant, "at": "2026-03-02T09:30:00Z",
                         "type": "phone"}),
        ),
        (
            "lesson",
            json!({"site_id": refs.site, "at": "2026-03-03T13:00:00Z", "duration_min": 45,
                          "topic": "Lagret", "attendees": []}),
        ),
        ("plan_goal", json!({"participant_id": refs.participant, "text": "CV", "status": "done"})),
    ];
    let mut mutations: Vec<Value> =
        minimal.iter().map(|(kind, data)| device.create(w.program, kind, new_id(), data.clone())).collect();
    let date = day(40);
    mutations.push(device.create(
        w.program,
        "attendance",
        attendance_id(refs.placement, &date),
        json!({"placement_id": refs.placement, "participant_id": refs.participant, "date": date,
               "status": "absent_sick"}),
    ));
    let results = w.office.push_ok(&device, &mutations).await;
    for (m, r) in mutations.iter().zip(&results) {
        assert_eq!(r["status"], json!("applied"), "{} {}: {r}", m["kind"], m["data"]);
    }
}

#[tokio::test]
async fn each_role_writes_exactly_its_kinds() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let may_write = |role: &str, kind: &str| match role {
        "coach" => kind != "lesson",
        "pedagogue" => kind == "lesson" || kind == "mentor_note",
        "office" | "admin" => true,
        _ => unreachable!(),
    };
    let mut problems = Vec::new();
    let mut stored = Vec::new();
    let mut not_stored = Vec::new();
    for (n, (role, api)) in
        [("coach", &w.coach), ("pedagogue", &w.pedagogue), ("office", &w.office), ("admin", &w.admin)]
            .into_iter()
            .enumerate()
    {
        let device = Device::new();
        let mutations: Vec<Value> = records::KINDS
            .iter()
            .map(|kind| {
                let (id, data) = refs.sample(kind, n as i64);
                device.create(w.program, kind, id, data)
            })
            .collect();
        let results = api.push_ok(&device, &mutations).await;
        for (m, r) in mutations.iter().zip(&results) {
            let kind = m["kind"].as_str().unwrap();
            let id = uuid_of(&m["record_id"]);
            let want = if may_write(role, kind) { "applied" } else { "rejected" };
            if r["status"] != json!(want) || (want == "rejected" && r["error"]["code"] != json!("forbidden")) {
                problems.push(format!("{role} writing {kind}: expected {want}, got {r}"));
            }
            if want == "applied" { stored.push(id) } else { not_stored.push(id) }
        }
    }
    let pulled = w.office.pull_all(None).await;
    for id in &not_stored {
        if pulled.contains(*id) {
            problems.push(format!("forbidden record {id} was stored"));
        }
    }
    for id in &stored {
        if !pulled.contains(*id) {
            problems.push(format!("applied record {id} was not pulled"));
        }
    }
    assert!(problems.is_empty(), "role walls:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn a_role_may_not_delete_or_edit_a_kind_it_may_not_write() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let (lesson, lesson_data) = refs.sample("lesson", 0);
    let (visit, visit_data) = refs.sample("visit", 0);
    let v = w
        .office
        .push_applied(
            &device,
            &[
                device.create(w.program, "lesson", lesson, lesson_data.clone()),
                device.create(w.program, "visit", visit, visit_data.clone()),
            ],
        )
        .await;
    let pulled = w.office.pull_all(None).await;
    let participant_version = pulled.record(refs.participant)["version"].as_i64();

    let results = w
        .pedagogue
        .push_ok(
            &device,
            &[
                device.delete(w.program, "participant", refs.participant, participant_version),
                device.delete(w.program, "visit", visit, Some(v[1])),
                {
                    let mut d = visit_data.clone();
                    d["note"] = json!("ändrad av pedagogen");
                    device.put(w.program, "visit", visit, Some(v[1]), d)
                },
            ],
        )
        .await;
    for r in &results {
        assert_rejected(r, "forbidden");
    }
    let results = w.coach.push_ok(&device, &[device.delete(w.program, "lesson", lesson, Some(v[0]))]).await;
    assert_rejected(&results[0], "forbidden");

    let after = w.office.pull_all(Some(&pulled.cursor)).await;
    assert!(after.records.is_empty(), "forbidden mutations changed records: {:?}", after.records);
}

#[tokio::test]
async fn organisations_cannot_read_or_write_each_others_records() {
    let w = fixture().await;
    let a = w.seed(w.program).await;
    let b = w.seed(w.other_program).await;
    let device = Device::new();

    // B's coach writing into A's program: forbidden, nothing stored.
    let (visit, data) = a.sample("visit", 0);
    let stray = new_id();
    let results = w
        .other_coach
        .push_ok(
            &device,
            &[
                device.create(w.program, "visit", visit, data),
                device.create(w.program, "participant", stray, records::participant()),
            ],
        )
        .await;
    assert_rejected(&results[0], "forbidden");
    assert_rejected(&results[1], "forbidden");

    // B reads only B; A reads only A.
    let b_sees = w.other_coach.pull_all(None).await;
    let a_sees = w.coach.pull_all(None).await;
    for id in [a.participant, a.site, a.placement, visit, stray] {
        assert!(!b_sees.contains(id), "B's coach pulled A's record {id}");
    }
    assert!(b_sees.contains(b.participant));
    for id in [b.participant, b.site, b.placement] {
        assert!(!a_sees.contains(id), "A's coach pulled B's record {id}");
    }
    for r in b_sees.records.iter().chain(&w.other_office.pull_all(None).await.records) {
        assert_eq!(uuid_of(&r["program_id"]), w.other_program, "{r}");
    }
    assert!(!a_sees.contains(visit) && !a_sees.contains(stray), "forbidden writes were stored");

    // B cannot take over A's record ids, by put or delete, in either program.
    let before = w.office.pull_all(None).await;
    let mut hijack = records::participant();
    hijack["display_name"] = json!("Kapad");
    let results = w
        .other_coach
        .push_ok(
            &device,
            &[
                device.put(w.other_program, "participant", a.participant, None, hijack.clone()),
                device.put(w.other_program, "participant", a.participant, Some(1), hijack.clone()),
                device.put(w.program, "participant", a.participant, None, hijack),
                device.delete(w.other_program, "site", a.site, None),
                device.delete(w.program, "site", a.site, None),
            ],
        )
        .await;
    for r in &results {
        assert_rejected(r, "forbidden");
    }
    let results =
        w.other_office.push_ok(&device, &[device.delete(w.other_program, "placement", a.placement, None)]).await;
    assert_rejected(&results[0], "forbidden");
    let after = w.office.pull_all(Some(&before.cursor)).await;
    assert!(after.records.is_empty(), "A's records changed: {:?}", after.records);
    assert!(!w.other_coach.pull_all(None).await.contains(a.participant));
}

#[tokio::test]
async fn a_program_the_user_is_not_a_member_of_is_invisible_and_closed() {
    let w = fixture().await;
    let p2 = w.seed(w.program2).await; // office and admin only
    let device = Device::new();
    let (visit, data) = p2.sample("visit", 0);
    let results = w.coach.push_ok(&device, &[device.create(w.program2, "visit", visit, data)]).await;
    assert_rejected(&results[0], "forbidden");
    let coach_sees = w.coach.pull_all(None).await;
    for id in [p2.participant, p2.site, p2.placement, visit] {
        assert!(!coach_sees.contains(id), "coach pulled program2 record {id}");
    }
    assert!(w.office.pull_all(None).await.contains(p2.participant));
    // Office and admin see only their own programs too.
    let b = w.seed(w.other_program).await;
    assert!(!w.office.pull_all(None).await.contains(b.participant));
    assert!(!w.admin.pull_all(None).await.contains(b.participant));
    // Unknown program: forbidden too.
    let results = w.office.push_ok(&device, &[device.create(Uuid::new_v4(), "site", new_id(), records::site())]).await;
    assert_rejected(&results[0], "forbidden");
}

#[tokio::test]
async fn a_record_id_in_another_visible_program_is_a_program_mismatch() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let before = w.office.pull_all(None).await;
    let v = before.record(refs.participant)["version"].as_i64();
    let mut moved = records::participant();
    moved["display_name"] = json!("Flyttad P");
    let results = w
        .office
        .push_ok(
            &device,
            &[
                device.put(w.program2, "participant", refs.participant, v, moved.clone()),
                device.put(w.program2, "participant", refs.participant, None, moved),
                device.delete(w.program2, "site", refs.site, None),
            ],
        )
        .await;
    for r in &results {
        assert_rejected(r, "program_mismatch");
    }
    let after = w.office.pull_all(Some(&before.cursor)).await;
    assert!(after.records.is_empty(), "{:?}", after.records);
}

#[tokio::test]
async fn references_must_name_a_record_of_that_kind_in_the_same_program() {
    let w = fixture().await;
    let a = w.seed(w.program).await;
    let p2 = w.seed(w.program2).await;
    let b = w.seed(w.other_program).await;
    let device = Device::new();
    let other_participant = new_id();
    w.office
        .push_applied(&device, &[device.create(w.program, "participant", other_participant, records::participant())])
        .await;
    let before = w.office.pull_all(None).await;

    type Case = (&'static str, &'static str, Uuid, Value);
    let att = |placement: Uuid, participant: Uuid, n: i64| {
        let date = day(n);
        (attendance_id(placement, &date), records::attendance(placement, participant, &date))
    };
    let mut cases: Vec<Case> = vec![
        ("placement: participant of program2", "placement", new_id(), records::placement(p2.participant, a.site)),
        ("placement: site of program2", "placement", new_id(), records::placement(a.participant, p2.site)),
        ("placement: participant_id is a site", "placement", new_id(), records::placement(a.site, a.site)),
        (
            "placement: site_id is a participant",
            "placement",
            new_id(),
            records::placement(a.participant, a.participant),
        ),
        ("placement: unknown participant", "placement", new_id(), records::placement(Uuid::new_v4(), a.site)),
        ("visit: other organisation's participant", "visit", new_id(), records::visit(b.participant, a.site)),
        ("visit: other organisation's site", "visit", new_id(), records::visit(a.participant, b.site)),
        ("mentor_note: participant_id is a placement", "mentor_note", new_id(), records::mentor_note(a.placement)),
        ("plan_goal: participant of program2", "plan_goal", new_id(), records::plan_goal(p2.participant)),
        ("lesson: site of program2", "lesson", new_id(), records::lesson(p2.site, a.participant)),
        ("lesson: attendee of program2", "lesson", new_id(), records::lesson(a.site, p2.participant)),
    ];
    let (id, data) = att(a.placement, other_participant, 1);
    cases.push(("attendance: participant is not the placement's", "attendance", id, data));
    let (id, data) = att(p2.placement, p2.participant, 2);
    cases.push(("attendance: placement of program2", "attendance", id, data));
    let unknown = Uuid::new_v4();
    let (id, data) = att(unknown, a.participant, 3);
    cases.push(("attendance: unknown placement", "attendance", id, data));
    let (id, data) = att(a.participant, a.participant, 4);
    cases.push(("attendance: placement_id is a participant", "attendance", id, data));

    let mut problems = Vec::new();
    let mut good_ids = Vec::new();
    for (label, kind, id, data) in &cases {
        let good = new_id();
        good_ids.push(good);
        let mutations = [
            device.create(w.program, "site", good, records::site()),
            device.create(w.program, kind, *id, data.clone()),
        ];
        let results = w.office.push_ok(&device, &mutations).await;
        if results[0]["status"] != json!("applied") {
            problems.push(format!("{label}: the valid sibling was not applied: {}", results[0]));
        }
        if results[1]["status"] != json!("rejected") || results[1]["error"]["code"] != json!("bad_reference") {
            problems.push(format!("{label}: expected rejected bad_reference, got {}", results[1]));
        }
    }
    let after = w.office.pull_all(Some(&before.cursor)).await;
    for (label, _, id, _) in &cases {
        if after.contains(*id) {
            problems.push(format!("{label}: the rejected record was stored"));
        }
    }
    for id in good_ids {
        if !after.contains(id) {
            problems.push(format!("valid sibling {id} missing"));
        }
    }
    assert!(problems.is_empty(), "references:\n{}", problems.join("\n"));
}

/// One bad mutation of the invalid-input table.
struct Bad {
    label: String,
    mutation: Value,
    /// The field path the message must start with.
    path: &'static str,
}

/// The message starts with the field path; for an unknown field, a message
/// that starts with its parent's path and names the field also does.
fn names_path(msg: &str, path: &str) -> bool {
    if msg.starts_with(path) {
        return true;
    }
    match path.rsplit_once('.') {
        Some((parent, leaf)) if UNKNOWN_FIELDS.contains(&leaf) => msg.starts_with(parent) && msg.contains(leaf),
        _ => false,
    }
}

/// The made-up field names of the table's unknown-field cases.
const UNKNOWN_FIELDS: [&str; 2] = ["favourite_colour", "visitor"];

fn long_text(n: usize) -> String {
    "å".repeat(n)
}

fn invalid_input_cases(device: &Device, refs: &Refs) -> Vec<Bad> {
    let program = refs.program;
    let mut cases = Vec::new();
    let mut data_case = |kind: &str, path: &'static str, label: &str, change: &dyn Fn(&mut Value)| {
        let (id, mut data) = refs.sample(kind, 60);
        change(&mut data);
        let id =
            if kind == "attendance" { attendance_id(refs.placement, data["date"].as_str().unwrap_or("x")) } else { id };
        cases.push(Bad { label: format!("{kind}: {label}"), mutation: device.create(program, kind, id, data), path });
    };
    // participant
    data_case("participant", "data.favourite_colour", "unknown field", &|d| d["favourite_colour"] = json!("blå"));
    data_case("participant", "data.started_on", "2026-02-30", &|d| d["started_on"] = json!("2026-02-30"));
    data_case("participant", "data.started_on", "not ISO", &|d| d["started_on"] = json!("02/03/2026"));
    data_case("participant", "data.status", "unknown status", &|d| d["status"] = json!("retired"));
    data_case("participant", "data.exit", "exited without exit", &|d| d["status"] = json!("exited"));
    data_case("participant", "data.exit", "exited with exit null", &|d| {
        d["status"] = json!("exited");
        d["exit"] = Value::Null;
    });
    data_case("participant", "data.exit.outcome", "unknown outcome", &|d| {
        d["status"] = json!("exited");
        d["exit"] = json!({"date": "2026-05-29", "outcome": "lottery"});
    });
    data_case("participant", "data.exit.date", "exit date 2026-13-01", &|d| {
        d["status"] = json!("exited");
        d["exit"] = json!({"date": "2026-13-01", "outcome": "studies"});
    });
    data_case("participant", "data.exit", "unknown field in exit", &|d| {
        d["status"] = json!("exited");
        d["exit"] = json!({"date": "2026-05-29", "outcome": "other", "why": "x"});
    });
    data_case("participant", "data.needs_interpreter", "string bool", &|d| d["needs_interpreter"] = json!("yes"));
    data_case("participant", "data.display_name", "missing", &|d| {
        d.as_object_mut().unwrap().remove("display_name");
    });
    data_case("participant", "data.languages", "not an array", &|d| d["languages"] = json!("ar"));
    data_case("participant", "data.coach_id", "not a uuid", &|d| d["coach_id"] = json!("nope"));
    // site
    data_case("site", "data.employer", "missing", &|d| {
        d.as_object_mut().unwrap().remove("employer");
    });
    data_case("site", "data.employer", "a number", &|d| d["employer"] = json!(123));
    // placement
    data_case("placement", "data.weekdays", "day 0", &|d| d["weekdays"] = json!([0, 1]));
    data_case("placement", "data.weekdays", "day 8", &|d| d["weekdays"] = json!([1, 8]));
    data_case("placement", "data.hours_per_day", "a string", &|d| d["hours_per_day"] = json!("four"));
    data_case("placement", "data.starts_on", "2026-02-29", &|d| d["starts_on"] = json!("2026-02-29"));
    data_case("placement", "data.ends_on", "a word", &|d| d["ends_on"] = json!("tomorrow"));
    data_case("placement", "data.participant_id", "not a uuid", &|d| d["participant_id"] = json!("not-a-uuid"));
    // attendance
    data_case("attendance", "data.status", "unknown status", &|d| d["status"] = json!("maybe"));
    data_case("attendance", "data.date", "2026-02-30", &|d| d["date"] = json!("2026-02-30"));
    data_case("attendance", "data.hours", "a string", &|d| d["hours"] = json!("many"));
    data_case("attendance", "data.note", "10,001 characters", &|d| d["note"] = json!(long_text(10_001)));
    // visit
    data_case("visit", "data.type", "unknown type", &|d| d["type"] = json!("coffee"));
    data_case("visit", "data.wellbeing", "6", &|d| d["wellbeing"] = json!(6));
    data_case("visit", "data.wellbeing", "0", &|d| d["wellbeing"] = json!(0));
    data_case("visit", "data.at", "not RFC 3339", &|d| d["at"] = json!("2026-03-02 09:30"));
    data_case("visit", "data.note", "10,001 characters", &|d| d["note"] = json!(long_text(10_001)));
    data_case("visit", "data.next_visit_on", "2026-04-31", &|d| d["next_visit_on"] = json!("2026-04-31"));
    data_case("visit", "data.visitor", "unknown field", &|d| d["visitor"] = json!("x"));
    // mentor_note
    data_case("mentor_note", "data.category", "unknown category", &|d| d["category"] = json!("gossip"));
    data_case("mentor_note", "data.text", "10,001 characters", &|d| d["text"] = json!(long_text(10_001)));
    data_case("mentor_note", "data.text", "missing", &|d| {
        d.as_object_mut().unwrap().remove("text");
    });
    // lesson
    data_case("lesson", "data.duration_min", "not an integer", &|d| d["duration_min"] = json!(1.5));
    data_case("lesson", "data.attendees", "unknown attendee status", &|d| {
        d["attendees"][0]["status"] = json!("sleeping");
    });
    data_case("lesson", "data.attendees", "not an array", &|d| d["attendees"] = json!("all"));
    data_case("lesson", "data.at", "missing", &|d| {
        d.as_object_mut().unwrap().remove("at");
    });
    // plan_goal
    data_case("plan_goal", "data.status", "unknown status", &|d| d["status"] = json!("maybe"));
    data_case("plan_goal", "data.target_date", "month 00", &|d| d["target_date"] = json!("2026-00-10"));
    data_case("plan_goal", "data.text", "10,001 characters", &|d| d["text"] = json!(long_text(10_001)));

    // The mutation itself.
    let mut mutation_case = |label: &str, path: &'static str, change: &dyn Fn(&mut Value)| {
        let (id, data) = refs.sample("site", 0);
        let mut m = device.create(program, "site", id, data);
        change(&mut m);
        cases.push(Bad { label: format!("mutation: {label}"), mutation: m, path });
    };
    mutation_case("unknown kind", "kind", &|m| m["kind"] = json!("diary"));
    mutation_case("unknown op", "op", &|m| m["op"] = json!("upsert"));
    mutation_case("hlc not a clock", "hlc", &|m| m["hlc"] = json!("yesterday"));
    let id = device.id;
    mutation_case("hlc with 12-digit ms", "hlc", &|m| {
        m["hlc"] = json!(format!("{:012}:00000:{id}", now_ms() / 10));
    });
    mutation_case("hlc of another device", "hlc", &|m| m["hlc"] = json!(hlc(now_ms(), 0, Uuid::new_v4())));
    mutation_case("put without data", "data", &|m| {
        m.as_object_mut().unwrap().remove("data");
    });
    mutation_case("data not an object", "data", &|m| m["data"] = json!([1, 2]));
    mutation_case("record_id not a uuid", "record_id", &|m| m["record_id"] = json!("nope"));
    mutation_case("base_version not an integer", "base_version", &|m| m["base_version"] = json!("x"));
    cases
}

#[tokio::test]
async fn each_kind_of_bad_input_is_rejected_alone_with_its_field_named() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let before = w.office.pull_all(None).await;
    let cases = invalid_input_cases(&device, &refs);
    let mut problems = Vec::new();
    let mut good_ids = Vec::new();
    let mut bad_ids = Vec::new();
    for case in &cases {
        let good = new_id();
        good_ids.push(good);
        if let Some(id) = case.mutation["record_id"].as_str().and_then(|s| Uuid::parse_str(s).ok()) {
            bad_ids.push(id);
        }
        let mutations = [device.create(w.program, "site", good, records::site()), case.mutation.clone()];
        let resp = w.office.push(&device, &mutations).await;
        if resp.status != StatusCode::OK {
            problems.push(format!("{}: the whole push failed: {resp}", case.label));
            continue;
        }
        let results = Api::check_push(&resp, &mutations);
        if results[0]["status"] != json!("applied") {
            problems.push(format!("{}: the valid sibling was not applied: {}", case.label, results[0]));
        }
        let r = &results[1];
        let msg = r["error"]["message"].as_str().unwrap_or("");
        if r["status"] != json!("rejected") || r["error"]["code"] != json!("invalid_field") {
            problems.push(format!("{}: expected rejected invalid_field, got {r}", case.label));
        } else if !names_path(msg, case.path) {
            problems.push(format!("{}: message should start with `{}`: {msg:?}", case.label, case.path));
        } else if r["version"] != Value::Null {
            problems.push(format!("{}: rejected with a version: {r}", case.label));
        }
    }
    let after = w.office.pull_all(Some(&before.cursor)).await;
    for id in &bad_ids {
        if after.contains(*id) {
            problems.push(format!("rejected record {id} was stored: {}", after.record(*id)));
        }
    }
    for id in &good_ids {
        if !after.contains(*id) {
            problems.push(format!("valid sibling {id} was not stored"));
        }
    }
    assert!(problems.is_empty(), "{} problems in {} cases:\n{}", problems.len(), cases.len(), problems.join("\n"));
}

#[tokio::test]
async fn text_of_exactly_10000_characters_is_accepted() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let (id, mut data) = refs.sample("mentor_note", 0);
    data["text"] = json!(long_text(10_000));
    let (visit, mut vdata) = refs.sample("visit", 0);
    vdata["note"] = json!(long_text(10_000));
    w.coach
        .push_applied(
            &device,
            &[
                device.create(w.program, "mentor_note", id, data.clone()),
                device.create(w.program, "visit", visit, vdata.clone()),
            ],
        )
        .await;
    let pulled = w.office.pull_all(None).await;
    assert_data(pulled.record(id), &data);
    assert_data(pulled.record(visit), &vdata);
}

#[tokio::test]
async fn a_rejected_update_changes_nothing() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let before = w.office.pull_all(None).await;
    let original = before.record(refs.participant).clone();
    let mut data = original["data"].clone();
    data["status"] = json!("retired");
    data["display_name"] = json!("Ny N");
    let results = w
        .coach
        .push_ok(&device, &[device.put(w.program, "participant", refs.participant, original["version"].as_i64(), data)])
        .await;
    let msg = assert_rejected(&results[0], "invalid_field");
    assert!(msg.starts_with("data.status"), "{msg}");
    let after = w.office.pull_all(Some(&before.cursor)).await;
    assert!(after.records.is_empty(), "{:?}", after.records);
    assert_eq!(w.office.pull_all(None).await.record(refs.participant), &original);
}

#[tokio::test]
async fn attendance_ids_are_the_v5_of_placement_and_date() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let date = "2026-03-10";
    let data = records::attendance(refs.placement, refs.participant, date);
    let ns = Uuid::parse_str(records::ATTENDANCE_NAMESPACE).unwrap();
    let wrong_ids = [
        ("a v7 id", new_id()),
        ("the v5 of another date", attendance_id(refs.placement, "2026-03-11")),
        ("the v5 of date/placement", Uuid::new_v5(&ns, format!("{date}/{}", refs.placement).as_bytes())),
        (
            "the v5 under another namespace",
            Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("{}/{date}", refs.placement).as_bytes()),
        ),
    ];
    let mut mutations: Vec<Value> =
        wrong_ids.iter().map(|(_, id)| device.create(w.program, "attendance", *id, data.clone())).collect();
    let right = attendance_id(refs.placement, date);
    mutations.push(device.create(w.program, "attendance", right, data.clone()));
    let results = w.coach.push_ok(&device, &mutations).await;
    for ((label, _), r) in wrong_ids.iter().zip(&results) {
        assert_eq!(r["error"]["code"], json!("bad_id"), "{label}: {r}");
        assert_rejected(r, "bad_id");
    }
    assert_applied(&results[4]);
    let pulled = w.office.pull_all(None).await;
    for (_, id) in &wrong_ids {
        assert!(!pulled.contains(*id));
    }
    assert_data(pulled.record(right), &data);
    let attendance: Vec<&Value> = pulled.records.iter().filter(|r| r["kind"] == json!("attendance")).collect();
    assert_eq!(attendance.len(), 1);
}

#[tokio::test]
async fn a_delete_is_a_tombstone_that_keeps_its_data() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let (goal, data) = refs.sample("plan_goal", 0);
    let v = w.coach.push_applied(&device, &[device.create(w.program, "plan_goal", goal, data.clone())]).await[0];
    let before = w.office.pull_all(None).await;
    let deleted = w.coach.push_applied(&device, &[device.delete(w.program, "plan_goal", goal, Some(v))]).await[0];
    assert!(deleted > v);

    let since = w.office.pull_all(Some(&before.cursor)).await;
    assert_eq!(since.records.len(), 1, "{:?}", since.records);
    let r = since.record(goal);
    assert_eq!(r["deleted"], json!(true), "{r}");
    assert_eq!(r["version"], json!(deleted), "{r}");
    assert_eq!(uuid_of(&r["updated_by"]), w.coach.user_id());
    assert_data(r, &data);
    // From the beginning too, once, as a tombstone.
    let all = w.pedagogue.pull_all(None).await;
    assert_eq!(all.counts()[&goal], 1);
    assert_eq!(all.record(goal)["deleted"], json!(true));
}

#[tokio::test]
async fn deleting_an_unknown_record_is_not_found() {
    let w = fixture().await;
    let device = Device::new();
    let ghost = new_id();
    let results = w
        .office
        .push_ok(
            &device,
            &[
                device.delete(w.program, "participant", ghost, None),
                device.delete(w.program, "site", new_id(), Some(3)),
            ],
        )
        .await;
    assert_rejected(&results[0], "not_found");
    assert_rejected(&results[1], "not_found");
    assert!(!w.office.pull_all(None).await.contains(ghost));
}

#[tokio::test]
async fn a_retried_mutation_is_a_duplicate_with_its_first_version() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let (visit, data) = refs.sample("visit", 0);
    let (note, note_data) = refs.sample("mentor_note", 0);
    let batch = vec![
        device.create(w.program, "visit", visit, data.clone()),
        device.create(w.program, "mentor_note", note, note_data),
    ];
    let first = w.coach.push_applied(&device, &batch).await;
    let pulled = w.office.pull_all(None).await;

    // The same batch again: duplicates, same versions, nothing new.
    let again = w.coach.push_ok(&device, &batch).await;
    assert_eq!(assert_duplicate(&again[0]), first[0]);
    assert_eq!(assert_duplicate(&again[1]), first[1]);
    // The same mutation id with other content (a confused client) changes
    // nothing either, even from another session of the same user.
    let mut tampered = batch[0].clone();
    tampered["data"]["note"] = json!("ändrad");
    tampered["hlc"] = json!(device.hlc());
    let tablet = w.login("coach", "tablet").await;
    let r = tablet.push_ok(&device, &[tampered]).await;
    assert_eq!(assert_duplicate(&r[0]), first[0]);

    let after = w.office.pull_all(Some(&pulled.cursor)).await;
    assert!(after.records.is_empty(), "a retry changed records: {:?}", after.records);
    assert_data(pulled.record(visit), &data);
    assert_eq!(pulled.record(visit)["version"], json!(first[0]));

    // The same id twice in one batch: the second is the duplicate.
    let site = new_id();
    let twice = device.create(w.program, "site", site, records::site());
    let r = w.coach.push_ok(&device, &[twice.clone(), twice]).await;
    let v = assert_applied(&r[0]);
    assert_eq!(assert_duplicate(&r[1]), v);
    let after = w.office.pull_all(Some(&after.cursor)).await;
    assert_eq!(after.ids(), [site].into(), "{:?}", after.records);

    // A later mutation still gets a newer version.
    let later = w.coach.push_applied(&device, &[device.create(w.program, "site", new_id(), records::site())]).await;
    assert!(later[0] > first[1]);
}

#[tokio::test]
async fn a_clock_more_than_five_minutes_ahead_is_clock_skew() {
    let w = fixture().await;
    let device = Device::new();
    let (ahead6, ahead4, old) = (new_id(), new_id(), new_id());
    let results = w
        .office
        .push_ok(
            &device,
            &[
                with_hlc(
                    device.create(w.program, "site", ahead6, records::site()),
                    device.hlc_at(now_ms() + 6 * 60 * 1000),
                ),
                with_hlc(
                    device.create(w.program, "site", ahead4, records::site()),
                    device.hlc_at(now_ms() + 4 * 60 * 1000),
                ),
                // Offline for three days is normal.
                with_hlc(
                    device.create(w.program, "site", old, records::site()),
                    device.hlc_at(now_ms() - 3 * 24 * 3600 * 1000),
                ),
            ],
        )
        .await;
    assert_rejected(&results[0], "clock_skew");
    assert_applied(&results[1]);
    assert_applied(&results[2]);
    let pulled = w.office.pull_all(None).await;
    assert!(!pulled.contains(ahead6), "a skewed mutation was stored");
    assert!(pulled.contains(ahead4) && pulled.contains(old));
    // Once the clock is fixed the same change goes through.
    let results = w.office.push_ok(&device, &[device.create(w.program, "site", ahead6, records::site())]).await;
    assert_applied(&results[0]);
}

#[tokio::test]
async fn versions_increase_strictly_across_all_changes() {
    let w = fixture().await;
    let a = w.seed(w.program).await;
    let device = Device::new();
    let mut versions = Vec::new();
    let mut last: std::collections::HashMap<Uuid, i64> = std::collections::HashMap::new();
    for round in 0..4i64 {
        // Org A: a new visit and an edit of the participant.
        let (visit, vd) = a.sample("visit", round);
        let v = w.coach.push_applied(&device, &[device.create(w.program, "visit", visit, vd)]).await[0];
        versions.push(v);
        last.insert(visit, v);
        let mut pd = records::participant();
        pd["display_name"] = json!(format!("Namn {round}"));
        let base = last.get(&a.participant).copied();
        let v =
            w.office.push_applied(&device, &[device.put(w.program, "participant", a.participant, base, pd)]).await[0];
        versions.push(v);
        last.insert(a.participant, v);
        // Org B, another program: a site.
        let site = new_id();
        let v = w
            .other_office
            .push_applied(&device, &[device.create(w.other_program, "site", site, records::site())])
            .await[0];
        versions.push(v);
        last.insert(site, v);
        // A delete.
        let v =
            w.coach.push_applied(&device, &[device.delete(w.program, "visit", visit, last.get(&visit).copied())]).await
                [0];
        versions.push(v);
        last.insert(visit, v);
    }
    for pair in versions.windows(2) {
        assert!(pair[0] < pair[1], "versions must strictly increase in commit order: {versions:?}");
    }
    let pulled_a = w.office.pull_all(None).await;
    let pulled_b = w.other_office.pull_all(None).await;
    for (id, v) in &last {
        let r = pulled_a.get(*id).or_else(|| pulled_b.get(*id)).unwrap();
        assert_eq!(r["version"], json!(v), "pulled version is the last change's: {r}");
    }
    // Each changed record is pulled once, with its newest state.
    for counts in [pulled_a.counts(), pulled_b.counts()] {
        assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    }
    assert_eq!(pulled_a.record(a.participant)["data"]["display_name"], json!("Namn 3"));
}

#[tokio::test]
async fn five_hundred_mutations_pass_and_five_hundred_and_one_are_413() {
    let w = fixture().await;
    let device = Device::new();
    let sites = |n: usize| -> Vec<Value> {
        (0..n).map(|_| device.create(w.program, "site", new_id(), records::site())).collect()
    };
    let too_many = sites(501);
    let r = w.office.push(&device, &too_many).await;
    r.expect_error(StatusCode::PAYLOAD_TOO_LARGE, "too_many_mutations");
    let pulled = w.office.pull_all(None).await;
    assert!(pulled.records.is_empty(), "a 413 push stored {} records", pulled.records.len());

    let ok = sites(500);
    let versions = w.office.push_applied(&device, &ok).await;
    assert_eq!(versions.len(), 500);
    assert_eq!(w.office.pull_all(None).await.records.len(), 500);
}

#[tokio::test]
async fn a_body_over_4_mib_is_413_and_one_under_is_fine() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let before = w.office.pull_all(None).await;
    const LIMIT: usize = 4 * 1024 * 1024;
    let note = |i: usize| {
        let (_, mut d) = refs.sample("mentor_note", 0);
        d["text"] = json!(format!("{i:05} {}", "x".repeat(9_990)));
        device.create(w.program, "mentor_note", new_id(), d)
    };
    let size = |ms: &[Value]| serde_json::to_vec(&json!({"device_id": device.id, "mutations": ms})).unwrap().len();

    // Every note mutation serialises to the same length (fixed-width parts).
    let per = serde_json::to_vec(&note(0)).unwrap().len() + 1;
    let empty = size(&[]);

    // Valid mutations, fewer than 500, but more than 4 MiB together.
    let n_over = (LIMIT + 64 * 1024 - empty) / per + 1;
    let big: Vec<Value> = (0..n_over).map(note).collect();
    assert!(size(&big) > LIMIT + 32 * 1024, "{}", size(&big));
    assert!(big.len() < 500);
    let r = w.office.push(&device, &big).await;
    r.expect_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    let after = w.office.pull_all(Some(&before.cursor)).await;
    assert!(after.records.is_empty(), "a 413 push stored {} records", after.records.len());

    // Just under the limit is accepted.
    let n_under = (LIMIT - 16 * 1024 - empty) / per;
    let fresh: Vec<Value> = (0..n_under).map(note).collect();
    assert!(size(&fresh) < LIMIT, "{}", size(&fresh));
    let versions = w.office.push_applied(&device, &fresh).await;
    assert_eq!(versions.len(), fresh.len());

    let ids: HashSet<Uuid> = big.iter().map(|m| uuid_of(&m["record_id"])).collect();
    let pulled = w.office.pull_all(Some(&before.cursor)).await;
    assert_eq!(pulled.records.len(), fresh.len());
    assert!(pulled.records.iter().all(|r| !ids.contains(&record_id(r))));
}

#[tokio::test]
async fn a_chunked_body_over_4_mib_is_413_as_well() {
    // No Content-Length to check up front: the limit must hold while reading.
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let before = w.office.pull_all(None).await;
    let mutations: Vec<Value> = (0..440)
        .map(|_| {
            let (id, mut d) = refs.sample("mentor_note", 0);
            d["text"] = json!("y".repeat(9_990));
            device.create(w.program, "mentor_note", id, d)
        })
        .collect();
    let body = serde_json::to_vec(&json!({"device_id": device.id, "mutations": mutations})).unwrap();
    assert!(body.len() > 4 * 1024 * 1024 + 64 * 1024, "{}", body.len());
    let authority = raw::authority(w.base_url());
    let auth = format!("Bearer {}", w.office.token());
    let mut request = raw::head(
        "POST",
        "/api/v1/sync/push",
        &authority,
        &[("Authorization", &auth), ("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")],
    );
    request.extend(raw::chunked(&body, 64 * 1024));
    let (status, answer) =
        raw::exchange(&authority, &request).await.expect("no complete answer to a chunked 4.5 MiB push");
    assert_eq!(status, 413, "{answer}");
    assert_error_body(&answer, "payload_too_large", &answer.to_string());
    let after = w.office.pull_all(Some(&before.cursor)).await;
    assert!(after.records.is_empty(), "a 413 push stored {} records", after.records.len());
}

#[tokio::test]
async fn times_with_an_offset_come_back_in_utc_or_are_refused() {
    // Times are RFC 3339 UTC on the wire: a time sent with an offset is
    // either refused (naming the field) or stored as the same instant in UTC.
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let (id, mut data) = refs.sample("visit", 0);
    data["at"] = json!("2026-03-02T10:30:00+01:00");
    let results = w.coach.push_ok(&device, &[device.create(w.program, "visit", id, data)]).await;
    if results[0]["status"] == json!("rejected") {
        let msg = assert_rejected(&results[0], "invalid_field");
        assert!(msg.starts_with("data.at"), "{msg}");
    } else {
        assert_applied(&results[0]);
        let pulled = w.office.pull_all(None).await;
        let at = assert_rfc3339_utc(&pulled.record(id)["data"]["at"], "data.at");
        let want = time::OffsetDateTime::parse("2026-03-02T09:30:00Z", &time::format_description::well_known::Rfc3339)
            .unwrap();
        assert_eq!(at, want, "the same instant");
    }
}

#[tokio::test]
async fn a_put_cannot_change_a_records_kind() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let before = w.office.pull_all(None).await;
    let v = before.record(refs.participant)["version"].as_i64();
    let results = w
        .office
        .push_ok(
            &device,
            &[
                device.put(w.program, "site", refs.participant, v, records::site()),
                device.delete(w.program, "site", refs.participant, v),
            ],
        )
        .await;
    for r in &results {
        assert_eq!(r["status"], json!("rejected"), "a participant id written as a site: {r}");
    }
    let after = w.office.pull_all(Some(&before.cursor)).await;
    assert!(after.records.is_empty(), "{:?}", after.records);
}
