//! The office desk (docs/OFFICE.md) over HTTP: the inbox (counts, conflicts
//! on top, the mark), the participant register and its filters, the
//! participant file, the access log (exactly one row per participant per
//! read, never content; the database refuses to change it), the report
//! tables rebuilt at start, and the walls of every new endpoint: another
//! municipality's office user gets 404, coaches and pedagogues 403, bad
//! parameters 422 naming the parameter. The report figures themselves are
//! in `reports.rs`.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use serde_json::{Value, json};
use stegvis_tests::db::Db;
use stegvis_tests::records::{self, attendance_id, new_id};
use stegvis_tests::*;
use uuid::Uuid;

fn participant(name: &str) -> Value {
    json!({"display_name": name, "languages": ["sv"], "needs_interpreter": false,
           "status": "active", "started_on": "2026-01-12"})
}

fn ids(list: &Value, key: &str) -> Vec<Uuid> {
    list.as_array().unwrap_or_else(|| panic!("not an array: {list}")).iter().map(|v| uuid_of(&v[key])).collect()
}

fn names(list: &Value) -> Vec<String> {
    list["participants"].as_array().unwrap().iter().map(|p| p["display_name"].as_str().unwrap().to_owned()).collect()
}

/// `message` is a 422 naming `field`.
#[track_caller]
fn assert_names(r: &Resp, field: &str) {
    let message = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(message.starts_with(field), "the message names {field}: {r}");
}

/// The organisation's access-log entries as the admin sees them (newest first).
async fn access_log(admin: &Api, query: &str) -> Vec<Value> {
    let r = admin.get(&format!("/api/v1/admin/access-log?{query}")).await;
    let body = r.expect(StatusCode::OK);
    let entries = body["entries"].as_array().unwrap().clone();
    assert!(body["total"].as_i64().unwrap() as usize >= entries.len(), "{r}");
    entries
}

async fn inbox(api: &Api, query: &str) -> Value {
    let r = api.get(&format!("/api/v1/office/inbox?{query}")).await;
    r.expect(StatusCode::OK).clone()
}

#[tokio::test]
async fn inbox_counts_changes_puts_conflicts_on_top_and_keeps_a_mark() {
    let w = fixture().await;
    let refs = w.seed_with(&w.coach, w.program).await;
    let (a, b) = (Device::new(), Device::new());
    let v = w.coach.pull_all(None).await.record(refs.participant)["version"].as_i64().unwrap();
    // Two phones edit the name from the same version: a conflict.
    w.coach
        .push_applied(&a, &[a.put(w.program, "participant", refs.participant, Some(v), participant("Amina A"))])
        .await;
    w.coach
        .push_applied(&b, &[b.put(w.program, "participant", refs.participant, Some(v), participant("Amina B"))])
        .await;
    let (note, tablet) = (new_id(), Device::new());
    let create_note = tablet.create(w.program, "mentor_note", note, records::mentor_note(refs.participant));
    w.pedagogue.push_applied(&tablet, &[create_note]).await;

    let body = inbox(&w.office, "").await;
    assert_eq!(body["seen_version"], json!(0), "{body}");
    let high_water = body["high_water"].as_i64().unwrap();
    // Participant, site, placement (coach) and a note (pedagogue): newest first.
    assert_eq!(body["total"], json!(4), "{body}");
    let items = body["items"].as_array().unwrap();
    assert_eq!(ids(&body["items"], "record_id"), vec![note, refs.participant, refs.placement, refs.site], "{body}");
    let versions: Vec<i64> = items.iter().map(|i| i["version"].as_i64().unwrap()).collect();
    assert!(versions.windows(2).all(|p| p[0] > p[1]) && versions[0] == high_water, "{body}");
    assert_eq!(items[0]["kind"], json!("mentor_note"));
    assert_eq!(uuid_of(&items[0]["participant_id"]), refs.participant, "the note is about the participant");
    assert_eq!(uuid_of(&items[2]["participant_id"]), refs.participant, "so is the placement");
    assert_eq!(items[3]["participant_id"], Value::Null, "a site is about nobody");
    assert!(items[0]["participant_name"].as_str().unwrap().starts_with("Amina"), "{body}");
    assert!(items.iter().all(|i| i.get("data").is_none()), "the inbox carries no record text: {body}");
    // Counts by program, writer and kind over all pages.
    let mut counts: Vec<(Uuid, String, i64)> = body["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(uuid_of(&c["program_id"]), w.program);
            (uuid_of(&c["updated_by"]), c["kind"].as_str().unwrap().to_owned(), c["count"].as_i64().unwrap())
        })
        .collect();
    counts.sort();
    let mut expected = vec![
        (w.coach.user_id(), "participant".to_owned(), 1),
        (w.coach.user_id(), "site".to_owned(), 1),
        (w.coach.user_id(), "placement".to_owned(), 1),
        (w.pedagogue.user_id(), "mentor_note".to_owned(), 1),
    ];
    expected.sort();
    assert_eq!(counts, expected, "{body}");
    // The conflict is on top, whatever the mark.
    assert_eq!(ids(&body["conflicts"], "record_id"), vec![refs.participant], "{body}");
    assert_eq!(body["conflicts"][0]["conflict"], json!(true));

    // Filters: kind, writer, program, paging.
    let notes = inbox(&w.office, "kind=mentor_note").await;
    assert_eq!((notes["total"].clone(), ids(&notes["items"], "record_id")), (json!(1), vec![note]));
    assert_eq!(notes["conflicts"], json!([]), "filters apply to the conflicts too: {notes}");
    let by_pedagogue = inbox(&w.office, &format!("updated_by={}", w.pedagogue.user_id())).await;
    assert_eq!(ids(&by_pedagogue["items"], "record_id"), vec![note]);
    let program2 = inbox(&w.office, &format!("program_id={}", w.program2)).await;
    assert_eq!((program2["total"].clone(), program2["conflicts"].clone()), (json!(0), json!([])));
    let page = inbox(&w.office, "limit=2&offset=1").await;
    assert_eq!(ids(&page["items"], "record_id"), vec![refs.participant, refs.placement]);
    assert_eq!(page["total"], json!(4));

    // Marked seen: nothing new, the conflict stays; the mark is the caller's own.
    w.office.post("/api/v1/office/inbox/seen", &json!({"version": high_water})).await.expect(StatusCode::NO_CONTENT);
    let seen = inbox(&w.office, "").await;
    assert_eq!(seen["seen_version"], json!(high_water));
    assert_eq!(
        (seen["total"].clone(), seen["items"].clone(), seen["counts"].clone()),
        (json!(0), json!([]), json!([]))
    );
    assert_eq!(ids(&seen["conflicts"], "record_id"), vec![refs.participant]);
    assert_eq!(inbox(&w.admin, "").await["total"], json!(4), "another user's inbox is untouched");
    // Never lowered; above the high-water mark is refused.
    w.office.post("/api/v1/office/inbox/seen", &json!({"version": 1})).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(inbox(&w.office, "").await["seen_version"], json!(high_water));
    let r = w.office.post("/api/v1/office/inbox/seen", &json!({"version": high_water + 1})).await;
    assert_names(&r, "version");
    assert_names(&w.office.post("/api/v1/office/inbox/seen", &json!({"version": -1})).await, "version");
    assert_names(&w.office.post("/api/v1/office/inbox/seen", &json!({"version": "x"})).await, "version");

    // Resolving the conflict from the desk (a put from the current version) clears it.
    let current = w.office.pull_all(None).await.record(refs.participant)["version"].as_i64().unwrap();
    let desk = Device::new();
    w.office
        .push_applied(
            &desk,
            &[desk.put(w.program, "participant", refs.participant, Some(current), participant("Amina K"))],
        )
        .await;
    let after = inbox(&w.office, "").await;
    assert_eq!(after["conflicts"], json!([]), "{after}");
    assert_eq!(ids(&after["items"], "record_id"), vec![refs.participant], "a change after the mark is new: {after}");
    assert_eq!(after["items"][0]["participant_name"], json!("Amina K"));

    // Bad parameters name themselves.
    for (query, field) in [
        ("kind=poem", "kind"),
        ("updated_by=nobody", "updated_by"),
        ("program_id=42", "program_id"),
        ("limit=0", "limit"),
        ("limit=many", "limit"),
        ("offset=-1", "offset"),
    ] {
        assert_names(&w.office.get(&format!("/api/v1/office/inbox?{query}")).await, field);
    }
    // A huge limit is taken as 500.
    inbox(&w.office, "limit=100000").await;
}

#[tokio::test]
async fn register_filters_by_program_coach_status_site_and_name() {
    let w = fixture().await;
    let d = Device::new();
    let p = w.program;
    let (amina, amir, bertil, dana, gone, site, other_site, placement) =
        (new_id(), new_id(), new_id(), new_id(), new_id(), new_id(), new_id(), new_id());
    let mut amina_data = participant("Amina K");
    amina_data["coach_id"] = json!(w.coach.user_id());
    let mut bertil_data = participant("Bertil Åström");
    bertil_data["status"] = json!("paused");
    let mut amir_data = participant("amir Z");
    amir_data["status"] = json!("exited");
    amir_data["exit"] = json!({"date": "2026-05-29", "outcome": "studies"});
    let v = w
        .office
        .push_applied(
            &d,
            &[
                d.create(p, "participant", amina, amina_data),
                d.create(p, "participant", amir, amir_data),
                d.create(p, "participant", bertil, bertil_data),
                d.create(p, "participant", gone, participant("Cecilia Gone")),
                d.create(w.program2, "participant", dana, participant("Dana O")),
                d.create(p, "site", site, records::site()),
                d.create(p, "site", other_site, json!({"employer": "Hemköp"})),
                d.create(p, "placement", placement, records::placement(amina, site)),
                d.create(p, "placement", new_id(), records::placement(bertil, other_site)),
            ],
        )
        .await;
    w.office.push_applied(&d, &[d.delete(p, "participant", gone, Some(v[3]))]).await;
    // Another organisation's participant is never listed.
    w.seed(w.other_program).await;

    let list = |query: String| {
        let office = w.office.clone();
        async move {
            let r = office.get(&format!("/api/v1/office/participants?{query}")).await;
            r.expect(StatusCode::OK).clone()
        }
    };
    let all = list(String::new()).await;
    // By name, case-insensitively ("amina k" < "amir z").
    assert_eq!(names(&all), ["Amina K", "amir Z", "Bertil Åström", "Dana O"].map(String::from).to_vec(), "{all}");
    assert_eq!(all["total"], json!(4));
    let first = &all["participants"][0];
    assert_eq!(uuid_of(&first["id"]), amina);
    assert_eq!(uuid_of(&first["program_id"]), p);
    assert_eq!(uuid_of(&first["coach_id"]), w.coach.user_id());
    assert_eq!((first["status"].clone(), first["started_on"].clone()), (json!("active"), json!("2026-01-12")));
    assert_eq!((first["conflict"].clone(), first["version"].clone()), (json!(false), json!(v[0])));
    let amir_row = &all["participants"][1];
    assert_eq!(
        (amir_row["exit_date"].clone(), amir_row["exit_outcome"].clone()),
        (json!("2026-05-29"), json!("studies"))
    );

    assert_eq!(names(&list(format!("program_id={p}")).await).len(), 3);
    assert_eq!(names(&list(format!("program_id={}", w.program2)).await), ["Dana O"]);
    assert_eq!(names(&list(format!("coach_id={}", w.coach.user_id())).await), ["Amina K"]);
    assert_eq!(names(&list("status=paused".into()).await), ["Bertil Åström"]);
    assert_eq!(names(&list("status=exited".into()).await), ["amir Z"]);
    assert_eq!(names(&list(format!("site_id={site}")).await), ["Amina K"]);
    assert_eq!(names(&list(format!("site_id={other_site}&status=paused")).await), ["Bertil Åström"]);
    assert_eq!(names(&list("q=AMI".into()).await), ["Amina K", "amir Z"], "case-insensitive substring");
    assert_eq!(names(&list("q=%C3%85STR".into()).await), ["Bertil Åström"], "ÅSTR matches åström");
    assert_eq!(names(&list("q=nobody".into()).await), Vec::<String>::new());
    let page = list("limit=2&offset=1".into()).await;
    assert_eq!(names(&page), ["amir Z", "Bertil Åström"]);
    assert_eq!(page["total"], json!(4), "the total counts every page");

    for (query, field) in [
        ("status=gone".to_owned(), "status"),
        ("coach_id=coach".to_owned(), "coach_id"),
        ("site_id=1".to_owned(), "site_id"),
        ("program_id=x".to_owned(), "program_id"),
        (format!("q={}", "a".repeat(201)), "q"),
        ("limit=-5".to_owned(), "limit"),
        ("offset=x".to_owned(), "offset"),
    ] {
        assert_names(&w.office.get(&format!("/api/v1/office/participants?{query}")).await, field);
    }
}

#[tokio::test]
async fn participant_file_has_every_live_record_about_them_and_each_read_is_logged_once() {
    let w = fixture().await;
    let refs = w.seed_with(&w.coach, w.program).await;
    let d = Device::new();
    let p = w.program;
    let other = new_id();
    let (attendance_date, visit, note, goal, lesson, follow_up, deleted_note) =
        ("2026-03-03", new_id(), new_id(), new_id(), new_id(), new_id(), new_id());
    w.coach
        .push_applied(
            &d,
            &[
                d.create(p, "participant", other, participant("Other Person")),
                d.create(
                    p,
                    "attendance",
                    attendance_id(refs.placement, attendance_date),
                    records::attendance(refs.placement, refs.participant, attendance_date),
                ),
                d.create(p, "visit", visit, records::visit(refs.participant, refs.site)),
                d.create(p, "mentor_note", note, records::mentor_note(refs.participant)),
                d.create(p, "plan_goal", goal, records::plan_goal(refs.participant)),
                d.create(p, "mentor_note", new_id(), records::mentor_note(other)),
            ],
        )
        .await;
    let mut lesson_data = records::lesson(refs.site, refs.participant);
    lesson_data["attendees"] = json!([{"participant_id": refs.participant, "status": "present"},
                                      {"participant_id": other, "status": "absent"}]);
    w.pedagogue.push_applied(&d, &[d.create(p, "lesson", lesson, lesson_data)]).await;
    let v = w
        .office
        .push_applied(
            &d,
            &[
                d.create(p, "follow_up", follow_up, records::follow_up(refs.participant, 3, "unknown")),
                d.create(p, "mentor_note", deleted_note, records::mentor_note(refs.participant)),
            ],
        )
        .await;
    w.office.push_applied(&d, &[d.delete(p, "mentor_note", deleted_note, Some(v[1]))]).await;
    // A follow-up syncs like every kind: the coach's phone pulls it.
    assert_eq!(w.coach.pull_all(None).await.record(follow_up)["kind"], json!("follow_up"));

    let path = format!("/api/v1/office/participants/{}", refs.participant);
    let r = w.office.get(&path).await;
    let file = r.expect(StatusCode::OK);
    assert_eq!(uuid_of(&file["participant"]["id"]), refs.participant);
    assert_eq!(file["participant"]["kind"], json!("participant"));
    let got: BTreeSet<Uuid> = ids(&file["records"], "id").into_iter().collect();
    let expected: BTreeSet<Uuid> =
        [refs.placement, attendance_id(refs.placement, attendance_date), visit, note, goal, lesson, follow_up]
            .into_iter()
            .collect();
    assert_eq!(got, expected, "every live record about them, no one else's, no deleted one: {r}");
    let versions: Vec<i64> =
        file["records"].as_array().unwrap().iter().map(|r| r["version"].as_i64().unwrap()).collect();
    assert!(versions.windows(2).all(|p| p[0] < p[1]), "ascending version: {versions:?}");
    assert_eq!(ids(&file["sites"], "id"), vec![refs.site]);
    assert_eq!(file["records"][0]["data"]["participant_id"], json!(refs.participant), "records come whole");

    // Exactly one access-log row per read, the right action, participant and program, no content.
    let entries = access_log(&w.admin, "action=participant_file").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let e = &entries[0];
    let keys: BTreeSet<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["id", "at", "user_id", "org_id", "action", "program_id", "participant_id"]),
        "never content: {e}"
    );
    assert_eq!(uuid_of(&e["user_id"]), w.office.user_id());
    assert_eq!(uuid_of(&e["org_id"]), w.org);
    assert_eq!(uuid_of(&e["participant_id"]), refs.participant);
    assert_eq!(uuid_of(&e["program_id"]), p);
    assert_rfc3339_utc(&e["at"], "at");
    w.office.get(&path).await.expect(StatusCode::OK);
    w.admin.get(&path).await.expect(StatusCode::OK);
    let entries = access_log(&w.admin, &format!("participant_id={}", refs.participant)).await;
    assert_eq!(entries.len(), 3, "one row per read: {entries:?}");
    assert_eq!(uuid_of(&entries[0]["user_id"]), w.admin.user_id(), "newest first");
    let by_office = access_log(&w.admin, &format!("user_id={}", w.office.user_id())).await;
    assert_eq!(by_office.len(), 2);

    // The history of a lesson is about both attendees: two rows; of a site, none;
    // a coach's reads are not logged.
    w.office.get(&format!("/api/v1/records/{lesson}/history")).await.expect(StatusCode::OK);
    let rows = access_log(&w.admin, "action=record_history").await;
    let mut whom: Vec<Uuid> = rows.iter().map(|r| uuid_of(&r["participant_id"])).collect();
    whom.sort();
    let mut both = vec![refs.participant, other];
    both.sort();
    assert_eq!(whom, both, "{rows:?}");
    w.office.get(&format!("/api/v1/records/{}/history", refs.site)).await.expect(StatusCode::OK);
    w.office.get(&format!("/api/v1/records/{}/history", refs.participant)).await.expect(StatusCode::OK);
    w.coach.get(&format!("/api/v1/records/{note}/history")).await.expect(StatusCode::OK);
    let rows = access_log(&w.admin, "action=record_history").await;
    assert_eq!(rows.len(), 3, "site: none; participant: itself; coach: not logged: {rows:?}");
    assert_eq!(uuid_of(&rows[0]["participant_id"]), refs.participant);

    // The attendance report logs each participant of the page once (two rows of
    // one participant are one read); the outcomes report is aggregate.
    w.coach
        .push_applied(&d, &[d.create(p, "placement", new_id(), records::placement(refs.participant, refs.site))])
        .await;
    let r = w.office.get(&format!("/api/v1/reports/attendance?program_id={p}&month=2026-03")).await;
    assert_eq!(r.expect(StatusCode::OK)["rows"].as_array().unwrap().len(), 2, "{r}");
    let rows = access_log(&w.admin, "action=attendance_report").await;
    assert_eq!(ids(&json!(rows), "participant_id"), vec![refs.participant]);
    w.office
        .get(&format!("/api/v1/reports/outcomes?program_id={p}&from=2026-01-01&to=2026-12-31"))
        .await
        .expect(StatusCode::OK);
    w.office
        .get(&format!("/api/v1/reports/outcomes/export?program_id={p}&from=2026-01-01&to=2026-12-31"))
        .await
        .expect(StatusCode::OK);
    let rows = access_log(&w.admin, "action=outcomes_export").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["participant_id"], Value::Null);
    assert_eq!(uuid_of(&rows[0]["program_id"]), p);
    assert_eq!(access_log(&w.admin, "").await.len(), 3 + 3 + 1 + 1, "nothing else was logged");

    // The monthly summary: who looked at whom, how often.
    let month = time::OffsetDateTime::now_utc().date();
    let month = format!("{:04}-{:02}", month.year(), u8::from(month.month()));
    let r = w.admin.get(&format!("/api/v1/admin/access-log/summary?month={month}")).await;
    let summary = r.expect(StatusCode::OK);
    assert_eq!(summary["month"], json!(month));
    let office_reads = summary["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| uuid_of(&r["user_id"]) == w.office.user_id() && r["participant_id"] == json!(refs.participant))
        .unwrap_or_else(|| panic!("{summary}"));
    // Two file reads, two histories (lesson, participant), one attendance report.
    assert_eq!(office_reads["reads"], json!(5), "{summary}");
    assert_eq!(office_reads["user_name"], json!("office (test)"));
    assert!(office_reads["participant_name"].as_str().unwrap().starts_with("Amina"), "{summary}");
    assert!(
        assert_rfc3339_utc(&office_reads["first_at"], "first_at")
            <= assert_rfc3339_utc(&office_reads["last_at"], "last_at")
    );
    let empty = w.admin.get("/api/v1/admin/access-log/summary?month=2020-01").await;
    assert_eq!(empty.expect(StatusCode::OK)["rows"], json!([]));

    // Unknown ids, and records that are not a live participant, are not found.
    w.office
        .get(&format!("/api/v1/office/participants/{}", new_id()))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    w.office
        .get(&format!("/api/v1/office/participants/{}", refs.site))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    w.office.get("/api/v1/office/participants/not-a-uuid").await.expect_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(access_log(&w.admin, "action=participant_file").await.len(), 3, "failed reads are not logged");

    // The access log's own parameters.
    for (query, field) in [
        ("action=peek", "action"),
        ("user_id=me", "user_id"),
        ("participant_id=x", "participant_id"),
        ("from=2026-02-30", "from"),
        ("from=2026-05-01&to=2026-04-01", "to"),
        ("limit=0", "limit"),
    ] {
        assert_names(&w.admin.get(&format!("/api/v1/admin/access-log?{query}")).await, field);
    }
    let today = time::OffsetDateTime::now_utc().date();
    let today = format!("{:04}-{:02}-{:02}", today.year(), u8::from(today.month()), today.day());
    assert_eq!(access_log(&w.admin, &format!("from={today}&to={today}")).await.len(), 8);
    assert_eq!(access_log(&w.admin, "to=2020-01-01").await.len(), 0);
    assert_eq!(access_log(&w.admin, "limit=2&offset=7").await.len(), 1);
    for query in ["", "month=2026-13", "month=May"] {
        assert_names(&w.admin.get(&format!("/api/v1/admin/access-log/summary?{query}")).await, "month");
    }
}

#[tokio::test]
async fn the_database_refuses_to_change_or_remove_access_log_rows() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    w.office.get(&format!("/api/v1/office/participants/{}", refs.participant)).await.expect(StatusCode::OK);
    let db = Db::connect(w.server.db_url()).await;
    assert_eq!(db.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM access_log").await, 1);
    // No content columns: who, when, what, which program, whom.
    assert_eq!(
        db.columns("access_log").await,
        ["id", "at", "user_id", "org_id", "action", "program_id", "participant_id"].map(String::from).to_vec()
    );
    for sql in [
        "UPDATE access_log SET action = 'record_history'",
        "UPDATE access_log SET participant_id = NULL",
        "DELETE FROM access_log",
    ] {
        let err = db.execute(sql).await.expect_err(sql);
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    if matches!(db, Db::Postgres(_)) {
        let err = db.execute("TRUNCATE access_log").await.expect_err("truncate");
        assert!(err.contains("append-only"), "{err}");
    }
    assert_eq!(db.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM access_log").await, 1);
    // Still appendable.
    w.office.get(&format!("/api/v1/office/participants/{}", refs.participant)).await.expect(StatusCode::OK);
    assert_eq!(db.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM access_log").await, 2);
    db.close().await;
}

#[tokio::test]
async fn report_tables_are_rebuilt_at_start_when_the_projection_is_older() {
    let mut w = fixture().await;
    let refs = w.seed_with(&w.coach, w.program).await;
    let d = Device::new();
    let date = "2026-03-03";
    w.coach
        .push_applied(
            &d,
            &[d.create(
                w.program,
                "attendance",
                attendance_id(refs.placement, date),
                records::attendance(refs.placement, refs.participant, date),
            )],
        )
        .await;
    let report = format!("/api/v1/reports/attendance?program_id={}&month=2026-03", w.program);
    let before = w.office.get(&report).await.expect(StatusCode::OK).clone();
    let register = w.office.get("/api/v1/office/participants").await.expect(StatusCode::OK).clone();
    assert_eq!(register["total"], json!(1));

    // An older database: no facts, projection version 0.
    let db = Db::connect(w.server.db_url()).await;
    for table in [
        "participant_facts",
        "placement_facts",
        "attendance_facts",
        "site_facts",
        "follow_up_facts",
        "record_participants",
    ] {
        db.execute(&format!("DELETE FROM {table}")).await.unwrap();
    }
    db.execute("UPDATE projection_state SET version = 0").await.unwrap();
    db.close().await;
    assert_eq!(w.office.get("/api/v1/office/participants").await.expect(StatusCode::OK)["total"], json!(0));

    w.restart().await;
    assert_eq!(w.office.get("/api/v1/office/participants").await.expect(StatusCode::OK), &register);
    let after = w.office.get(&report).await.expect(StatusCode::OK).clone();
    assert_eq!(after, before, "the same report from the rebuilt tables");
    let file = w.office.get(&format!("/api/v1/office/participants/{}", refs.participant)).await;
    assert_eq!(file.expect(StatusCode::OK)["records"].as_array().unwrap().len(), 2, "{file}");
    let db = Db::connect(w.server.db_url()).await;
    assert!(db.scalar("SELECT CAST(version AS BIGINT) FROM projection_state").await >= 1);
    db.close().await;
}

#[tokio::test]
async fn every_office_endpoint_keeps_the_walls() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let p = w.program;
    let participant_path = format!("/api/v1/office/participants/{}", refs.participant);
    let program_scoped = [
        format!("/api/v1/office/inbox?program_id={p}"),
        format!("/api/v1/office/participants?program_id={p}"),
        participant_path.clone(),
        format!("/api/v1/reports/attendance?program_id={p}&month=2026-03"),
        format!("/api/v1/reports/attendance/export?program_id={p}&month=2026-03"),
        format!("/api/v1/reports/outcomes?program_id={p}&from=2026-01-01&to=2026-12-31"),
        format!("/api/v1/reports/outcomes/export?program_id={p}&from=2026-01-01&to=2026-12-31"),
        format!("/api/v1/records/{}/history", refs.participant),
    ];
    // Another municipality's office user (and admin): as if nothing existed.
    for api in [&w.other_office, &w.other_admin] {
        for path in &program_scoped {
            api.get(path).await.expect_error(StatusCode::NOT_FOUND, "not_found");
        }
    }
    // The same organisation's office user outside the program too (program2 only).
    let outsider_id = create_user(&w.admin, "office2", "office", &[w.program2]).await;
    let outsider = w.login("office2", "desk").await;
    assert_eq!(outsider.user_id(), outsider_id);
    for path in &program_scoped {
        outsider.get(path).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    }
    // Their unfiltered lists hold nothing of the program.
    for api in [&w.other_office, &outsider] {
        let list = api.get("/api/v1/office/participants").await;
        assert_eq!(list.expect(StatusCode::OK)["total"], json!(0), "{list}");
        let inbox = api.get("/api/v1/office/inbox").await;
        let inbox = inbox.expect(StatusCode::OK);
        assert_eq!((inbox["total"].clone(), inbox["conflicts"].clone()), (json!(0), json!([])));
        let dir = api.get("/api/v1/office/directory").await;
        let dir = dir.expect(StatusCode::OK);
        assert!(!ids(&dir["programs"], "id").contains(&p), "{dir}");
        assert!(!ids(&dir["sites"], "id").contains(&refs.site), "{dir}");
        assert!(!ids(&dir["people"], "id").contains(&w.coach.user_id()), "{dir}");
    }
    // An office user of no program: empty lists, not an error.
    create_user(&w.admin, "office3", "office", &[]).await;
    let nowhere = w.login("office3", "desk").await;
    for path in ["/api/v1/office/participants", "/api/v1/office/inbox"] {
        assert_eq!(nowhere.get(path).await.expect(StatusCode::OK)["total"], json!(0));
    }
    let dir = nowhere.get("/api/v1/office/directory").await;
    assert_eq!(dir.expect(StatusCode::OK), &json!({"programs": [], "people": [], "sites": []}));

    // Other organisations' admins see none of this organisation's access log.
    w.office.get(&participant_path).await.expect(StatusCode::OK);
    let theirs = w.other_admin.get("/api/v1/admin/access-log").await;
    assert_eq!(theirs.expect(StatusCode::OK)["total"], json!(0), "{theirs}");
    let month = time::OffsetDateTime::now_utc().date();
    let month = format!("{:04}-{:02}", month.year(), u8::from(month.month()));
    let theirs = w.other_admin.get(&format!("/api/v1/admin/access-log/summary?month={month}")).await;
    assert_eq!(theirs.expect(StatusCode::OK)["rows"], json!([]));

    // Coaches and pedagogues may use none of the desk; office may not read the access log.
    let desk = [
        "/api/v1/office/directory".to_owned(),
        "/api/v1/office/inbox".to_owned(),
        "/api/v1/office/participants".to_owned(),
        participant_path.clone(),
        format!("/api/v1/reports/attendance?program_id={p}&month=2026-03"),
        format!("/api/v1/reports/attendance/export?program_id={p}&month=2026-03"),
        format!("/api/v1/reports/outcomes?program_id={p}&from=2026-01-01&to=2026-12-31"),
        format!("/api/v1/reports/outcomes/export?program_id={p}&from=2026-01-01&to=2026-12-31"),
        "/api/v1/admin/access-log".to_owned(),
        format!("/api/v1/admin/access-log/summary?month={month}"),
    ];
    for api in [&w.coach, &w.pedagogue, &w.other_coach] {
        for path in &desk {
            api.get(path).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
        }
        let r = api.post("/api/v1/office/inbox/seen", &json!({"version": 0})).await;
        r.expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    for path in &desk[8..] {
        w.office.get(path).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    // Without a token: 401.
    for path in &desk {
        w.anon().get(path).await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    }

    // The directory of a member: programs, their members and sites.
    let dir = w.office.get("/api/v1/office/directory").await;
    let dir = dir.expect(StatusCode::OK);
    let programs: BTreeSet<Uuid> = ids(&dir["programs"], "id").into_iter().collect();
    assert_eq!(programs, BTreeSet::from([w.program, w.program2]));
    let people = ids(&dir["people"], "id");
    for user in [w.coach.user_id(), w.pedagogue.user_id(), w.office.user_id(), w.admin.user_id(), outsider_id] {
        assert!(people.contains(&user), "{dir}");
    }
    assert!(!people.contains(&w.other_office.user_id()));
    let coach = dir["people"].as_array().unwrap().iter().find(|p| uuid_of(&p["id"]) == w.coach.user_id()).unwrap();
    assert_eq!((coach["role"].clone(), coach["display_name"].clone()), (json!("coach"), json!("coach (test)")));
    assert_eq!(dir["sites"], json!([{"id": refs.site, "program_id": p, "employer": "Restaurang Solsidan AB"}]));
}

#[tokio::test]
async fn the_openapi_document_describes_the_office() {
    let w = fixture().await;
    let doc = w.anon().get("/api/v1/openapi.json").await;
    let doc = doc.expect(StatusCode::OK);
    for path in [
        "/api/v1/office/directory",
        "/api/v1/office/inbox",
        "/api/v1/office/inbox/seen",
        "/api/v1/office/participants",
        "/api/v1/office/participants/{id}",
        "/api/v1/reports/attendance",
        "/api/v1/reports/attendance/export",
        "/api/v1/reports/outcomes",
        "/api/v1/reports/outcomes/export",
        "/api/v1/admin/access-log",
        "/api/v1/admin/access-log/summary",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing from the OpenAPI document");
    }
    for schema in [
        "Directory",
        "Inbox",
        "InboxItem",
        "MarkSeen",
        "ParticipantList",
        "ParticipantFile",
        "AttendanceReport",
        "OutcomesReport",
        "AccessLogPage",
        "AccessLogSummary",
        "FollowUp",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "schema {schema} missing");
    }
    let kinds = &doc["components"]["schemas"]["Kind"]["enum"];
    assert!(kinds.as_array().is_some_and(|k| k.contains(&json!("follow_up"))), "{kinds}");
}
