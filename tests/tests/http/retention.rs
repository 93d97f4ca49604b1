//! Retention (*gallring*, docs/SECURITY.md) through the real command,
//! `stegvis admin retention`, while the server runs: a dry run reports and
//! changes nothing; the real run turns every record about a participant who
//! left long enough ago into a tombstone without content that phones pull,
//! leaves no content in the history, logs one `retention` row per
//! participant, and refuses later writes to what it destroyed; participants
//! who left recently, active ones, a lesson shared with an active
//! participant and a site still in use stay. The walls: another
//! organisation's run touches nothing here, another organisation's admin
//! cannot run it here, and a bad rule fails before anything changes.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::process::Output;

use serde_json::{Value, json};
use stegvis_tests::db::Db;
use stegvis_tests::records::{self, attendance_id, new_id};
use stegvis_tests::*;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// The device id retention's tombstones carry ("gallring" in ASCII).
const RETENTION_DEVICE: &str = "00000000-0000-0000-6761-6c6c72696e67";

/// Text that is only in the destroyed participant's records.
const SECRET_NAME: &str = "Gallrad G";
const SECRET_NOTE: &str = "Hemlig anteckning om hälsan";

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn ymd(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// About `years` years before today (whole days, so safe on any date).
fn years_ago(years: i64) -> Date {
    today() - Duration::days(years * 365 + years / 4 + 1)
}

fn exited(name: &str, exit: Date) -> Value {
    json!({"display_name": name, "languages": ["sv"], "needs_interpreter": false, "status": "exited",
           "started_on": ymd(exit - Duration::days(300)),
           "exit": {"date": ymd(exit), "outcome": "job", "reason": "anställd"}})
}

fn active(name: &str) -> Value {
    json!({"display_name": name, "languages": ["sv"], "needs_interpreter": false, "status": "active",
           "started_on": ymd(today() - Duration::days(30))})
}

fn placement(participant: Uuid, site: Uuid, from: Date) -> Value {
    json!({"participant_id": participant, "site_id": site, "starts_on": ymd(from),
           "ends_on": ymd(from + Duration::days(90)), "weekdays": [1, 2, 3, 4, 5], "hours_per_day": 4})
}

fn at(day: Date) -> String {
    format!("{}T09:00:00Z", ymd(day))
}

/// Runs `stegvis admin retention ARGS` against the world's database.
async fn retention(w: &World, args: &[&str]) -> Output {
    let mut all = vec!["admin", "retention"];
    all.extend_from_slice(args);
    w.server.cli(&all, None).await
}

#[track_caller]
fn stdout_ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "retention failed: {stdout} {}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// The organisation's `retention` rows of the access log.
async fn retention_log(admin: &Api) -> Vec<Value> {
    let r = admin.get("/api/v1/admin/access-log?action=retention&limit=500").await;
    r.expect(StatusCode::OK)["entries"].as_array().unwrap().clone()
}

/// Everything the coach's phone sees from the beginning, by id.
async fn snapshot(api: &Api) -> Vec<Value> {
    let mut records = api.pull_all(None).await.records;
    records.sort_by_key(|r| r["id"].as_str().unwrap().to_owned());
    records
}

/// A participant of `program` who left 6 years ago with a record of every
/// kind about them (one lesson about them alone, one shared with `other`, a
/// deleted visit, a mentor note with a conflict), and their ids.
struct Gone {
    participant: Uuid,
    /// Every record that must be destroyed, the participant included.
    records: BTreeSet<Uuid>,
    note: Uuid,
    shared_lesson: Uuid,
    site: Uuid,
}

async fn participant_who_left(w: &World, program: Uuid, other: Uuid, site: Uuid) -> Gone {
    let (coach, office, teacher) = if program == w.other_program {
        (&w.other_coach, &w.other_office, &w.other_office)
    } else {
        (&w.coach, &w.office, &w.pedagogue)
    };
    let exit = years_ago(6);
    let start = exit - Duration::days(200);
    let phone = Device::new();
    let (participant, place, visit, deleted_visit, note, goal) =
        (new_id(), new_id(), new_id(), new_id(), new_id(), new_id());
    let days: Vec<String> = (0..3).map(|n| ymd(start + Duration::days(n))).collect();
    let mut mutations = vec![
        phone.create(program, "participant", participant, exited(SECRET_NAME, exit)),
        phone.create(program, "placement", place, placement(participant, site, start)),
        phone.create(
            program,
            "visit",
            visit,
            json!({"participant_id": participant, "site_id": site, "at": at(start), "type": "check_in",
                   "note": SECRET_NOTE}),
        ),
        phone.create(
            program,
            "visit",
            deleted_visit,
            json!({"participant_id": participant, "at": at(start), "type": "phone", "note": SECRET_NOTE}),
        ),
        phone.create(
            program,
            "mentor_note",
            note,
            json!({"participant_id": participant, "at": at(start), "category": "concern", "text": SECRET_NOTE}),
        ),
        phone.create(
            program,
            "plan_goal",
            goal,
            json!({"participant_id": participant, "text": SECRET_NOTE, "status": "done"}),
        ),
    ];
    let mut records: BTreeSet<Uuid> = [participant, place, visit, deleted_visit, note, goal].into();
    for day in &days {
        let id = attendance_id(place, day);
        mutations.push(phone.create(program, "attendance", id, records::attendance(place, participant, day)));
        records.insert(id);
    }
    let versions = coach.push_applied(&phone, &mutations).await;
    // A deleted visit keeps its data in the tombstone until retention.
    coach.push_applied(&phone, &[phone.delete(program, "visit", deleted_visit, Some(versions[3]))]).await;
    // Two phones change the note from the same version: both values are in the history.
    let (a, b) = (Device::new(), Device::new());
    let base = versions[4];
    let text = |t: &str| json!({"participant_id": participant, "at": at(start), "category": "concern", "text": t});
    coach.push_applied(&a, &[a.put(program, "mentor_note", note, Some(base), text("Hemligt A"))]).await;
    coach.push_applied(&b, &[b.put(program, "mentor_note", note, Some(base), text("Hemligt B"))]).await;

    let (follow, lesson, shared_lesson) = (new_id(), new_id(), new_id());
    office
        .push_applied(&phone, &[phone.create(program, "follow_up", follow, records::follow_up(participant, 6, "job"))])
        .await;
    let attendee = |p: Uuid| json!({"participant_id": p, "status": "present"});
    let lesson_data = |attendees: Vec<Value>| {
        json!({"site_id": site, "at": at(start), "duration_min": 30, "topic": "Köket", "vocabulary": "kniv, skärbräda",
               "attendees": attendees})
    };
    teacher
        .push_applied(
            &phone,
            &[
                phone.create(program, "lesson", lesson, lesson_data(vec![attendee(participant)])),
                phone.create(
                    program,
                    "lesson",
                    shared_lesson,
                    lesson_data(vec![attendee(participant), attendee(other)]),
                ),
            ],
        )
        .await;
    records.extend([follow, lesson]);
    Gone { participant, records, note, shared_lesson, site }
}

/// An active participant, one who left 4 years ago, a site they share with
/// the one who left 6 years ago: records that must stay.
struct Stays {
    active: Uuid,
    recent: Uuid,
    records: BTreeSet<Uuid>,
}

async fn participants_who_stay(w: &World, program: Uuid, site: Uuid) -> Stays {
    let coach = if program == w.other_program { &w.other_coach } else { &w.coach };
    let phone = Device::new();
    let (active_id, recent, place, recent_place, note) = (new_id(), new_id(), new_id(), new_id(), new_id());
    let old = years_ago(6);
    let day = ymd(old);
    coach
        .push_applied(
            &phone,
            &[
                phone.create(program, "participant", active_id, active("Aktiv A")),
                phone.create(program, "participant", recent, exited("Nyss N", years_ago(4))),
                phone.create(program, "placement", place, placement(active_id, site, old)),
                phone.create(program, "placement", recent_place, placement(recent, site, years_ago(5))),
                phone.create(
                    program,
                    "attendance",
                    attendance_id(place, &day),
                    records::attendance(place, active_id, &day),
                ),
                phone.create(
                    program,
                    "mentor_note",
                    note,
                    json!({"participant_id": recent, "at": at(years_ago(5)), "category": "progress", "text": "Bra"}),
                ),
            ],
        )
        .await;
    let records = [active_id, recent, place, recent_place, attendance_id(place, &day), note, site].into();
    Stays { active: active_id, recent, records }
}

async fn site(w: &World, program: Uuid) -> Uuid {
    let coach = if program == w.other_program { &w.other_coach } else { &w.coach };
    let (phone, id) = (Device::new(), new_id());
    coach.push_applied(&phone, &[phone.create(program, "site", id, records::site())]).await;
    id
}

#[tokio::test]
async fn a_participant_who_left_long_ago_is_destroyed_everywhere_and_the_rest_stays() {
    let w = fixture().await;
    let (org, today) = (w.org.to_string(), ymd(today()));
    let site = site(&w, w.program).await;
    let stays = participants_who_stay(&w, w.program, site).await;
    let gone = participant_who_left(&w, w.program, stays.active, site).await;
    let before = w.coach.pull_all(None).await;
    let everything = snapshot(&w.coach).await;
    let db = Db::connect(w.server.db_url()).await;
    assert!(db.scalar("SELECT COUNT(*) FROM record_conflicts").await > 0, "the note has a conflict");

    // Dry run: the report, and nothing changed.
    let out = retention(&w, &["--org", &org, "--admin", "admin", "--dry-run", "--today", &today]).await;
    let report = stdout_ok(&out);
    assert!(report.contains("dry run, nothing was changed"), "{report}");
    let n = gone.records.len();
    let rule_line =
        report.lines().find(|l| l.starts_with("rule participant:after-exit:5y (exit on or before ")).unwrap();
    let counts = format!(
        "): {n} records (participant 1, placement 1, attendance 3, visit 2, mentor_note 1, lesson 1, plan_goal 1, \
         follow_up 1)"
    );
    assert!(rule_line.ends_with(&counts), "{report}");
    assert!(report.contains(&format!("total: {n} records (")), "{report}");
    assert!(report.contains(&format!("participants affected: 1\nparticipant {}\n", gone.participant)), "{report}");
    for secret in [SECRET_NAME, SECRET_NOTE, "Aktiv", "Nyss"] {
        assert!(!report.contains(secret), "the report names no one and holds no content: {report}");
    }
    assert_eq!(snapshot(&w.coach).await, everything, "a dry run changes nothing");
    assert!(w.coach.pull_all(Some(&before.cursor)).await.records.is_empty(), "nothing new to pull");
    assert!(retention_log(&w.admin).await.is_empty(), "a dry run logs nothing");

    // The real run.
    let out = retention(&w, &["--org", &org, "--admin", "admin", "--today", &today]).await;
    let report = stdout_ok(&out);
    assert!(report.contains("applied by admin, tombstones at versions"), "{report}");
    assert!(report.contains(&format!("total: {n} records (")), "{report}");

    // The coach's phone, from its earlier cursor, gets one tombstone per record, without content.
    let after = w.coach.pull_all(Some(&before.cursor)).await;
    assert_eq!(after.ids(), gone.records, "exactly the destroyed records are pulled");
    for r in &after.records {
        assert_eq!(r["deleted"], json!(true), "{r}");
        assert_eq!(r["data"], json!({}), "no content reaches the phone: {r}");
        assert_eq!(r["conflict"], json!(false), "{r}");
        assert_eq!(uuid_of(&r["updated_by"]), w.admin.user_id(), "the admin answers for it: {r}");
    }
    // A phone that starts over gets the tombstones too, and nothing of the content anywhere.
    let fresh = w.coach.pull_all(None).await;
    let text = serde_json::to_string(&fresh.records).unwrap();
    assert!(!text.contains(SECRET_NAME) && !text.contains(SECRET_NOTE) && !text.contains("Hemligt"), "{text}");
    for id in &stays.records {
        assert_eq!(fresh.record(*id)["deleted"], json!(false), "{id} stays");
        assert_eq!(fresh.record(*id), before.record(*id), "{id} is untouched");
    }
    assert_eq!(
        fresh.record(gone.shared_lesson),
        before.record(gone.shared_lesson),
        "a lesson with an active attendee stays"
    );
    assert_eq!(fresh.record(gone.site)["deleted"], json!(false), "a site in use stays");

    // The history keeps who and when, not what.
    for id in &gone.records {
        let r = w.admin.get(&format!("/api/v1/records/{id}/history")).await;
        let body = r.expect(StatusCode::OK);
        let text = body.to_string();
        assert!(!text.contains(SECRET_NAME) && !text.contains(SECRET_NOTE) && !text.contains("Hemligt"), "{text}");
        assert_eq!(body["conflicts"], json!([]), "{text}");
        let versions = body["versions"].as_array().unwrap();
        assert!(versions.iter().all(|v| v["data"] == json!({})), "{text}");
        let last = versions.last().unwrap();
        assert_eq!(last["deleted"], json!(true), "{text}");
        assert_eq!(last["device_id"], json!(RETENTION_DEVICE), "{text}");
        assert_eq!(uuid_of(&last["updated_by"]), w.admin.user_id(), "{text}");
        if *id == gone.note {
            assert!(versions.len() >= 4, "every earlier version is still listed: {text}");
        }
    }
    assert_eq!(db.scalar("SELECT COUNT(*) FROM record_conflicts").await, 0, "the losing values are gone too");

    // The access log keeps that it happened: one row for the participant, by the admin.
    let log = retention_log(&w.admin).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(uuid_of(&log[0]["participant_id"]), gone.participant);
    assert_eq!(uuid_of(&log[0]["program_id"]), w.program);
    assert_eq!(uuid_of(&log[0]["user_id"]), w.admin.user_id());

    // The desk and the reports no longer know them; the others are there.
    w.office.get(&format!("/api/v1/office/participants/{}", gone.participant)).await.expect(StatusCode::NOT_FOUND);
    let list = w.office.get(&format!("/api/v1/office/participants?program_id={}", w.program)).await;
    let listed: BTreeSet<Uuid> =
        list.expect(StatusCode::OK)["participants"].as_array().unwrap().iter().map(|p| uuid_of(&p["id"])).collect();
    assert_eq!(listed, [stays.active, stays.recent].into());

    // Nothing brings the content back: an offline phone's edit, or a new record about them.
    let phone = Device::new();
    let note =
        json!({"participant_id": gone.participant, "at": at(years_ago(6)), "category": "concern", "text": "igen"});
    let r = w.coach.push(&phone, &[phone.put(w.program, "mentor_note", gone.note, Some(1), note.clone())]).await;
    assert_rejected(&r.expect(StatusCode::OK)["results"][0], "gone");
    let r = w.coach.push(&phone, &[phone.create(w.program, "mentor_note", new_id(), note)]).await;
    assert_rejected(&r.expect(StatusCode::OK)["results"][0], "bad_reference");

    // Running again finds nothing left to do.
    let out = retention(&w, &["--org", &org, "--admin", "admin", "--today", &today]).await;
    let report = stdout_ok(&out);
    assert!(report.contains("nothing was due") && report.contains("total: 0 records"), "{report}");
    assert!(w.coach.pull_all(Some(&after.cursor)).await.records.is_empty());
    assert_eq!(retention_log(&w.admin).await.len(), 1);
    db.close().await;
}

#[tokio::test]
async fn kind_rules_destroy_by_their_own_date() {
    let w = fixture().await;
    let (org, today) = (w.org.to_string(), ymd(today()));
    let site = site(&w, w.program).await;
    let stays = participants_who_stay(&w, w.program, site).await;
    let before = w.coach.pull_all(None).await;
    // The active participant's attendance from 6 years ago goes under a 2-year attendance rule;
    // the note from 5 years ago under a 3-year note rule; the participants themselves stay.
    let out = retention(
        &w,
        &[
            "--org",
            &org,
            "--admin",
            "admin",
            "--today",
            &today,
            "--rule",
            "attendance:after-date:2y",
            "--rule",
            "mentor_note:after-date:3y",
            "--rule",
            "site:after-update:1m",
        ],
    )
    .await;
    let report = stdout_ok(&out);
    assert!(report.contains("rule attendance:after-date:2y"), "{report}");
    assert!(report.contains("total: 2 records (attendance 1, mentor_note 1)"), "{report}");
    let after = w.coach.pull_all(Some(&before.cursor)).await;
    assert_eq!(after.records.len(), 2, "{:?}", after.records);
    assert!(after.records.iter().all(|r| r["deleted"] == json!(true) && r["data"] == json!({})));
    let log = retention_log(&w.admin).await;
    let whom: BTreeSet<Uuid> = log.iter().map(|e| uuid_of(&e["participant_id"])).collect();
    assert_eq!(whom, [stays.active, stays.recent].into(), "{log:?}");
}

#[tokio::test]
async fn the_walls_and_bad_input_change_nothing() {
    let w = fixture().await;
    let (org, other_org, today) = (w.org.to_string(), w.other_org.to_string(), ymd(today()));
    let site_a = site(&w, w.program).await;
    let stays_a = participants_who_stay(&w, w.program, site_a).await;
    let gone_a = participant_who_left(&w, w.program, stays_a.active, site_a).await;
    let site_b = site(&w, w.other_program).await;
    let stays_b = participants_who_stay(&w, w.other_program, site_b).await;
    let gone_b = participant_who_left(&w, w.other_program, stays_b.active, site_b).await;
    let before_a = w.coach.pull_all(None).await;
    let before_b = w.other_coach.pull_all(None).await;
    let everything = snapshot(&w.coach).await;

    // Bad input: a clear error, a failure exit, nothing changed.
    for (args, message) in [
        (vec!["--rule", "participant:after-exit:0y"], "at least 1"),
        (vec!["--rule", "plan_goal:after-date:3y"], "use plan_goal:after-update:3y"),
        (vec!["--rule", "persons:after-exit:5y"], "unknown kind `persons`"),
        (vec!["--today", "2026-13-01"], "not a date"),
    ] {
        let mut all = vec!["--org", org.as_str(), "--admin", "admin"];
        all.extend(args);
        let out = retention(&w, &all).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{all:?} must fail");
        assert!(stderr.contains(message), "{all:?}: {stderr}");
    }
    let tomorrow = ymd(self::today() + Duration::days(1));
    for (args, message) in [
        (vec!["--org", other_org.as_str(), "--admin", "admin"], "not an enabled admin"),
        (vec!["--org", org.as_str(), "--admin", "other-admin"], "not an enabled admin"),
        (vec!["--org", org.as_str(), "--admin", "office"], "not an enabled admin"),
        (vec!["--org", org.as_str(), "--admin", "admin", "--today", tomorrow.as_str()], "after today"),
    ] {
        let out = retention(&w, &args).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} must fail");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    assert_eq!(snapshot(&w.coach).await, everything, "failed runs change nothing");

    // Organisation B's run destroys B's participant only.
    let out = retention(&w, &["--org", &other_org, "--admin", "other-admin", "--today", &today]).await;
    let report = stdout_ok(&out);
    assert!(report.contains(&format!("participant {}", gone_b.participant)), "{report}");
    assert!(!report.contains(&gone_a.participant.to_string()), "{report}");
    assert!(w.coach.pull_all(Some(&before_a.cursor)).await.records.is_empty(), "nothing of A changed");
    assert_eq!(snapshot(&w.coach).await, everything);
    assert!(retention_log(&w.admin).await.is_empty(), "A's log has no retention rows");
    assert_eq!(w.other_coach.pull_all(Some(&before_b.cursor)).await.ids(), gone_b.records);
    assert_eq!(retention_log(&w.other_admin).await.len(), 1);

    // A looking ahead with a dry run sees its own participant, and still changes nothing.
    let later = ymd(self::today() + Duration::days(3 * 366));
    let out = retention(&w, &["--org", &org, "--admin", "admin", "--dry-run", "--today", &later]).await;
    let report = stdout_ok(&out);
    assert!(report.contains(&format!("participant {}", gone_a.participant)), "{report}");
    assert!(report.contains(&format!("participant {}", stays_a.recent)), "4 + 3 years: due then: {report}");
    assert_eq!(snapshot(&w.coach).await, everything);
}
