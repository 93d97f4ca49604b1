//! The office reports (docs/OFFICE.md) against figures worked out by hand:
//! the monthly attendance report of May 2026 (two public holidays on
//! weekdays, a placement that starts mid-month, a participant absent sick
//! three days, a mark on a Saturday, a deleted mark, marks outside the
//! month) and the outcomes of January–April 2026 (two or more exits of each
//! outcome, follow-ups at 3 and 6 months), each also exported as CSV and
//! read back.
#![allow(clippy::unwrap_used)]

use reqwest::StatusCode;
use serde_json::{Value, json};
use stegvis_tests::records::{attendance_id, new_id};
use stegvis_tests::*;
use uuid::Uuid;

fn participant(name: &str, started_on: &str) -> Value {
    json!({"display_name": name, "languages": ["sv"], "needs_interpreter": false,
           "status": "active", "started_on": started_on})
}

fn exited(name: &str, started_on: &str, exit_date: &str, outcome: &str) -> Value {
    let mut p = participant(name, started_on);
    p["status"] = json!("exited");
    p["exit"] = json!({"date": exit_date, "outcome": outcome});
    p
}

fn placement(
    participant: Uuid,
    site: Uuid,
    starts_on: &str,
    ends_on: Option<&str>,
    weekdays: &[u8],
    hours: f64,
) -> Value {
    json!({"participant_id": participant, "site_id": site, "starts_on": starts_on, "ends_on": ends_on,
           "weekdays": weekdays, "hours_per_day": hours})
}

/// An attendance mutation (the id is the v5 of placement and date).
fn mark(
    d: &Device,
    program: Uuid,
    placement: Uuid,
    participant: Uuid,
    date: &str,
    status: &str,
    hours: Option<f64>,
) -> Value {
    let data = json!({"placement_id": placement, "participant_id": participant, "date": date,
                      "status": status, "hours": hours});
    d.create(program, "attendance", attendance_id(placement, date), data)
}

/// The raw bytes of a GET with the api's token (the CSV's byte-order mark must survive).
async fn get_bytes(api: &Api, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let resp = reqwest::Client::new()
        .get(format!("{}{}", api.base_url(), path))
        .bearer_auth(api.token())
        .send()
        .await
        .unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.bytes().await.unwrap().to_vec())
}

/// Parses a report CSV: checks the BOM, returns the rows (`;`-separated).
fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "the CSV starts with a UTF-8 byte-order mark");
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_reader(&bytes[3..]);
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

/// A decimal comma number of the CSV.
fn num(cell: &str) -> f64 {
    cell.replace(',', ".").parse().unwrap_or_else(|_| panic!("not a number: {cell:?}"))
}

fn counts(row: &Value) -> [i64; 7] {
    let c = &row["counts"];
    ["planned_days", "present", "late", "absent_sick", "absent_excused", "absent_unexcused", "unmarked"]
        .map(|k| c[k].as_i64().unwrap_or_else(|| panic!("{k} in {c}")))
}

fn hours(row: &Value) -> (f64, f64) {
    (row["counts"]["hours"].as_f64().unwrap(), row["counts"]["planned_hours"].as_f64().unwrap())
}

struct MayWorld {
    amina: Uuid,
    bilal: Uuid,
    pa: Uuid,
    pb: Uuid,
}

/// May 2026, worked out by hand. Weekdays: Fri 1, 4–8, 11–15, 18–22, 25–29
/// (21); holidays on weekdays: 1 May (Fri) and Ascension day (Thu 14 May).
///
/// Amina, Coop, Mon–Fri since 2 March, 6 h/day: planned 19 days (4–8,
/// 11–13, 15, 18–22, 25–29). Sick 5, 6, 7; late 11 (5 h); excused 19;
/// unexcused 20; 29 marked present then the mark deleted, so unmarked;
/// present on the other 12 planned days (4 May with 4 h, the rest without
/// hours: 6 h each) and on Saturday 16 May (3 h). Present 13, hours
/// 4 + 11 × 6 + 3 + 5 = 78, planned hours 19 × 6 = 114. Marks on 30 April
/// and 1 June are outside the month.
///
/// Bilal, Solsidan, Mon/Wed/Fri from Wed 13 to Fri 29 May, 4.5 h/day:
/// planned 13, 15, 18, 20, 22, 25, 27, 29 = 8 days. Present 13, 15, 18, 20
/// (no hours: 4.5 each) and 25 (3.5 h); sick 22; 27 and 29 unmarked. Hours
/// 4 × 4.5 + 3.5 = 21.5, planned 36.
///
/// Not in the report: Amina's second placement (starts in June), Bilal's
/// earlier placement (ended in April), a deleted participant's placement,
/// a deleted placement, and a placement in the office's other program.
async fn may_world(w: &World) -> MayWorld {
    let d = Device::new();
    let p = w.program;
    let (amina, bilal, gone) = (new_id(), new_id(), new_id());
    let (coop, solsidan) = (new_id(), new_id());
    let (pa, pa_june, pb, pb_april, p_gone, p_deleted) = (new_id(), new_id(), new_id(), new_id(), new_id(), new_id());
    w.office
        .push_applied(
            &d,
            &[
                d.create(p, "participant", amina, participant("Amina K", "2026-03-02")),
                d.create(p, "participant", bilal, participant("Bilal S", "2026-04-01")),
                d.create(p, "participant", gone, participant("Cecilia R", "2026-02-01")),
                d.create(p, "site", coop, json!({"employer": "Coop Logistik"})),
                d.create(p, "site", solsidan, json!({"employer": "Restaurang Solsidan"})),
                d.create(p, "placement", pa, placement(amina, coop, "2026-03-02", None, &[1, 2, 3, 4, 5], 6.0)),
                d.create(p, "placement", pa_june, placement(amina, solsidan, "2026-06-01", None, &[1, 2], 4.0)),
                d.create(
                    p,
                    "placement",
                    pb,
                    placement(bilal, solsidan, "2026-05-13", Some("2026-05-29"), &[1, 3, 5], 4.5),
                ),
                d.create(
                    p,
                    "placement",
                    pb_april,
                    placement(bilal, coop, "2026-04-01", Some("2026-04-30"), &[1, 2, 3, 4, 5], 6.0),
                ),
                d.create(p, "placement", p_gone, placement(gone, coop, "2026-05-04", None, &[1, 2, 3, 4, 5], 6.0)),
                d.create(p, "placement", p_deleted, placement(bilal, coop, "2026-05-04", None, &[1, 2], 6.0)),
            ],
        )
        .await;

    let mut marks = Vec::new();
    let present_days = [4, 8, 12, 13, 15, 18, 21, 22, 25, 26, 27, 28, 29];
    for day in present_days {
        let hours = if day == 4 { Some(4.0) } else { None };
        marks.push(mark(&d, p, pa, amina, &format!("2026-05-{day:02}"), "present", hours));
    }
    for day in [5, 6, 7] {
        marks.push(mark(&d, p, pa, amina, &format!("2026-05-{day:02}"), "absent_sick", None));
    }
    marks.push(mark(&d, p, pa, amina, "2026-05-11", "late", Some(5.0)));
    marks.push(mark(&d, p, pa, amina, "2026-05-16", "present", Some(3.0)));
    marks.push(mark(&d, p, pa, amina, "2026-05-19", "absent_excused", None));
    marks.push(mark(&d, p, pa, amina, "2026-05-20", "absent_unexcused", None));
    marks.push(mark(&d, p, pa, amina, "2026-04-30", "present", None));
    marks.push(mark(&d, p, pa, amina, "2026-06-01", "present", None));
    for day in [13, 15, 18, 20] {
        marks.push(mark(&d, p, pb, bilal, &format!("2026-05-{day:02}"), "present", None));
    }
    marks.push(mark(&d, p, pb, bilal, "2026-05-25", "present", Some(3.5)));
    marks.push(mark(&d, p, pb, bilal, "2026-05-22", "absent_sick", None));
    marks.push(mark(&d, p, pb_april, bilal, "2026-04-29", "present", None));
    marks.push(mark(&d, p, p_gone, gone, "2026-05-04", "present", None));
    marks.push(mark(&d, p, p_deleted, bilal, "2026-05-04", "present", None));
    let versions = w.office.push_applied(&d, &marks).await;

    // The mark of 29 May is withdrawn; the other participant, a placement go.
    let v29 = versions[present_days.len() - 1];
    let v_gone = w.office.pull_all(None).await.record(gone)["version"].as_i64().unwrap();
    let v_del = w.office.pull_all(None).await.record(p_deleted)["version"].as_i64().unwrap();
    w.office
        .push_applied(
            &d,
            &[
                d.delete(p, "attendance", attendance_id(pa, "2026-05-29"), Some(v29)),
                d.delete(p, "participant", gone, Some(v_gone)),
                d.delete(p, "placement", p_deleted, Some(v_del)),
            ],
        )
        .await;

    // A placement with marks in the office's other program.
    let (other_participant, other_site, other_placement) = (new_id(), new_id(), new_id());
    let p2 = w.program2;
    w.office
        .push_applied(
            &d,
            &[
                d.create(p2, "participant", other_participant, participant("Dana O", "2026-01-01")),
                d.create(p2, "site", other_site, json!({"employer": "Hemköp"})),
                d.create(
                    p2,
                    "placement",
                    other_placement,
                    placement(other_participant, other_site, "2026-05-01", None, &[1, 2, 3, 4, 5], 8.0),
                ),
                mark(&d, p2, other_placement, other_participant, "2026-05-04", "present", None),
            ],
        )
        .await;
    MayWorld { amina, bilal, pa, pb }
}

fn report_path(program: Uuid, month: &str) -> String {
    format!("/api/v1/reports/attendance?program_id={program}&month={month}")
}

#[tokio::test]
async fn monthly_attendance_report_matches_the_hand_count() {
    let w = fixture().await;
    let m = may_world(&w).await;

    let r = w.office.get(&report_path(w.program, "2026-05")).await;
    let report = r.expect(StatusCode::OK).clone();
    assert_eq!(report["month"], json!("2026-05"));
    assert_eq!(report["holidays"], json!(["2026-05-01", "2026-05-14"]), "{report}");
    assert_eq!(report["total_rows"], json!(2), "{report}");
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{report}");

    let (a, b) = (&rows[0], &rows[1]);
    assert_eq!(a["participant_id"], json!(m.amina));
    assert_eq!(a["placement_id"], json!(m.pa));
    assert_eq!(a["participant_name"], json!("Amina K"));
    assert_eq!(a["site_name"], json!("Coop Logistik"));
    // planned, present, late, sick, excused, unexcused, unmarked
    assert_eq!(counts(a), [19, 13, 1, 3, 1, 1, 1], "{a}");
    assert_eq!(hours(a), (78.0, 114.0), "{a}");

    assert_eq!(b["participant_id"], json!(m.bilal));
    assert_eq!(b["placement_id"], json!(m.pb));
    assert_eq!(b["site_name"], json!("Restaurang Solsidan"));
    assert_eq!(counts(b), [8, 5, 0, 1, 0, 0, 2], "{b}");
    assert_eq!(hours(b), (21.5, 36.0), "{b}");

    let totals = json!({"counts": report["totals"]});
    assert_eq!(counts(&totals), [27, 18, 1, 4, 1, 1, 3], "{report}");
    assert_eq!(hours(&totals), (99.5, 150.0));

    // Paging: one row a page, the totals still over all rows.
    let page2 = w.office.get(&format!("{}&limit=1&offset=1", report_path(w.program, "2026-05"))).await;
    let page2 = page2.expect(StatusCode::OK);
    assert_eq!(page2["rows"].as_array().unwrap().len(), 1);
    assert_eq!(page2["rows"][0]["participant_id"], json!(m.bilal));
    assert_eq!(page2["total_rows"], json!(2));
    assert_eq!(page2["totals"], report["totals"]);

    // June: only Amina's two placements (Bilal's ended in May); 1 June is a
    // Monday; Midsummer eve (Fri 19) and the National day (a Saturday).
    let june = w.office.get(&report_path(w.program, "2026-06")).await;
    let june = june.expect(StatusCode::OK);
    assert_eq!(june["holidays"], json!(["2026-06-19"]), "{june}");
    let june_rows = june["rows"].as_array().unwrap();
    assert_eq!(june_rows.len(), 2, "{june}");
    assert!(june_rows.iter().all(|r| r["participant_id"] == json!(m.amina)));
    // Mon–Fri in June 2026: 22 weekdays less midsummer eve = 21; one mark on 1 June.
    let coop = june_rows.iter().find(|r| r["placement_id"] == json!(m.pa)).unwrap();
    assert_eq!(counts(coop), [21, 1, 0, 0, 0, 0, 20], "{coop}");
    // Mon/Tue from 1 June: 1, 2, 8, 9, 15, 16, 22, 23, 29, 30 = 10 days at 4 h.
    let solsidan = june_rows.iter().find(|r| r["placement_id"] != json!(m.pa)).unwrap();
    assert_eq!(counts(solsidan), [10, 0, 0, 0, 0, 0, 10], "{solsidan}");
    assert_eq!(hours(solsidan), (0.0, 40.0));
}

#[tokio::test]
async fn attendance_csv_reads_back_as_the_report() {
    let w = fixture().await;
    let m = may_world(&w).await;
    let report = w.office.get(&report_path(w.program, "2026-05")).await.expect(StatusCode::OK).clone();

    let path = format!("/api/v1/reports/attendance/export?program_id={}&month=2026-05", w.program);
    let (status, headers, bytes) = get_bytes(&w.office, &path).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    let content_type = headers.get("content-type").unwrap().to_str().unwrap();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    assert!(content_type.contains("utf-8") || content_type.contains("UTF-8"), "{content_type}");
    let disposition = headers.get("content-disposition").unwrap().to_str().unwrap();
    assert!(disposition.starts_with("attachment") && disposition.contains("2026-05") && disposition.contains(".csv"));

    let rows = read_csv(&bytes);
    // A header, one line per report row, a totals line.
    assert_eq!(rows.len(), 4, "{rows:?}");
    let header = rows[0].join(";").to_lowercase();
    for word in ["deltagare", "planer", "närvar", "sjuk", "timmar"] {
        assert!(header.contains(word), "header {header:?} names {word}");
    }
    let col = |what: &str, fits: &dyn Fn(&str) -> bool| {
        rows[0]
            .iter()
            .position(|h| fits(&h.to_lowercase()))
            .unwrap_or_else(|| panic!("no {what} column in {:?}", rows[0]))
    };
    let name = col("participant", &|h| h.contains("deltagare"));
    let planned = col("planned days", &|h| h.contains("planer") && h.contains("dag"));
    let sick = col("sick", &|h| h.contains("sjuk"));
    let hours_col = col("hours", &|h| h.contains("timmar") && !h.contains("planer"));
    assert_eq!(rows[1][name], "Amina K");
    assert_eq!(rows[2][name], "Bilal S");
    // Every number of every line equals the JSON report's.
    for (line, row) in rows[1..3].iter().zip(report["rows"].as_array().unwrap()) {
        assert_eq!(num(&line[planned]) as i64, row["counts"]["planned_days"].as_i64().unwrap());
        assert_eq!(num(&line[sick]) as i64, row["counts"]["absent_sick"].as_i64().unwrap());
        assert_eq!(num(&line[hours_col]), row["counts"]["hours"].as_f64().unwrap());
    }
    assert_eq!(rows[3][0], "Totalt");
    assert_eq!(num(&rows[3][planned]) as i64, 27);
    assert_eq!(num(&rows[3][hours_col]), 99.5);
    // The decimal comma is used.
    assert_eq!(rows[2][hours_col], "21,5", "{rows:?}");

    // Each participant in the file is one access-log row of the export.
    let log = w.admin.get("/api/v1/admin/access-log?action=attendance_export").await;
    let log = log.expect(StatusCode::OK);
    let mut whom: Vec<String> =
        log["entries"].as_array().unwrap().iter().map(|e| e["participant_id"].as_str().unwrap().to_owned()).collect();
    whom.sort();
    let mut expected = vec![m.amina.to_string(), m.bilal.to_string()];
    expected.sort();
    assert_eq!(whom, expected, "{log}");
}

#[tokio::test]
async fn attendance_report_parameters_and_walls() {
    let w = fixture().await;
    may_world(&w).await;
    for (query, field) in [
        (format!("program_id={}&month=2026-13", w.program), "month"),
        (format!("program_id={}&month=May", w.program), "month"),
        (format!("program_id={}", w.program), "month"),
        ("month=2026-05".to_owned(), "program_id"),
        ("program_id=nope&month=2026-05".to_owned(), "program_id"),
    ] {
        let r = w.office.get(&format!("/api/v1/reports/attendance?{query}")).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::BAD_REQUEST, "{r}");
        assert!(r.body["error"]["message"].as_str().unwrap().contains(field), "{query}: {r}");
    }
    // Another municipality's office user, and a program the caller is not in: 404.
    let r = w.other_office.get(&report_path(w.program, "2026-05")).await;
    r.expect_error(StatusCode::NOT_FOUND, "not_found");
    let r = w.office.get(&report_path(w.other_program, "2026-05")).await;
    r.expect_error(StatusCode::NOT_FOUND, "not_found");
    let (status, _, _) = get_bytes(
        &w.other_office,
        &format!("/api/v1/reports/attendance/export?program_id={}&month=2026-05", w.program),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Coaches do not read reports.
    let r = w.coach.get(&report_path(w.program, "2026-05")).await;
    r.expect_error(StatusCode::FORBIDDEN, "forbidden");
}

struct Exits {
    ids: Vec<(Uuid, &'static str)>,
}

/// Exits of January–April 2026 (days from start to exit in brackets):
/// job: 12 Jan→12 Mar (59), 1 Sep→30 Apr (241), 1 Mar→31 Mar (30);
/// studies: 1 Feb→15 Apr (73), 15 Nov→20 Jan (66);
/// other: 5 Jan→5 Feb (31), 1 Jun 2025→1 Jan (214).
/// Sorted 30, 31, 59, 66, 73, 214, 241: median 66. Outside: a job exit on
/// 1 May, a deleted exited participant, one in the other program, two active.
async fn exits_world(w: &World) -> Exits {
    let d = Device::new();
    let p = w.program;
    let list: [(&str, &str, &str, &str); 7] = [
        ("Eva J", "2026-01-12", "2026-03-12", "job"),
        ("Farid M", "2025-09-01", "2026-04-30", "job"),
        ("Gunilla P", "2026-03-01", "2026-03-31", "job"),
        ("Hassan A", "2026-02-01", "2026-04-15", "studies"),
        ("Ida L", "2025-11-15", "2026-01-20", "studies"),
        ("Jamal K", "2026-01-05", "2026-02-05", "other"),
        ("Kerstin B", "2025-06-01", "2026-01-01", "other"),
    ];
    let mut ids = Vec::new();
    let mut muts = Vec::new();
    for (name, start, exit, outcome) in list {
        let id = new_id();
        ids.push((id, name));
        muts.push(d.create(p, "participant", id, exited(name, start, exit, outcome)));
    }
    let (may, deleted, active) = (new_id(), new_id(), new_id());
    muts.push(d.create(p, "participant", may, exited("Lars N", "2026-01-01", "2026-05-01", "job")));
    muts.push(d.create(p, "participant", deleted, exited("Maja O", "2026-01-01", "2026-02-01", "job")));
    muts.push(d.create(p, "participant", active, participant("Nils Q", "2026-01-01")));
    let versions = w.office.push_applied(&d, &muts).await;
    w.office.push_applied(&d, &[d.delete(p, "participant", deleted, Some(versions[8]))]).await;
    let other = new_id();
    w.office
        .push_applied(
            &d,
            &[d.create(w.program2, "participant", other, exited("Olle R", "2026-01-01", "2026-02-01", "job"))],
        )
        .await;
    Exits { ids }
}

fn follow_up(participant: Uuid, months: u8, status: &str) -> Value {
    json!({"participant_id": participant, "months_after_exit": months, "status": status})
}

fn outcome_counts(report: &Value) -> Vec<(String, i64, i64)> {
    report["by_outcome"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (o["outcome"].as_str().unwrap().to_owned(), o["count"].as_i64().unwrap(), o["percent"].as_i64().unwrap())
        })
        .collect()
}

fn follow_up_figures(report: &Value, months: i64) -> (i64, Vec<i64>, i64) {
    let f = report["follow_ups"].as_array().unwrap().iter().find(|f| f["months_after_exit"] == json!(months)).unwrap();
    let statuses: Vec<String> =
        f["by_status"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap().to_owned()).collect();
    assert_eq!(statuses, ["job", "studies", "other", "unknown"]);
    let by: Vec<i64> = f["by_status"].as_array().unwrap().iter().map(|s| s["count"].as_i64().unwrap()).collect();
    (f["due"].as_i64().unwrap(), by, f["missing"].as_i64().unwrap())
}

#[tokio::test]
async fn outcomes_report_matches_the_hand_count() {
    let w = fixture().await;
    let e = exits_world(&w).await;
    let id = |name: &str| e.ids.iter().find(|(_, n)| *n == name).unwrap().0;
    let d = Device::new();
    let p = w.program;

    // Follow-ups. 3 months: Eva job, Farid studies, Hassan studies, Jamal
    // unknown, Ida first "other" then corrected to "job" (the newest counts);
    // Gunilla and Kerstin have none. 6 months: Eva job; Farid's was deleted.
    let ida3 = new_id();
    let farid6 = new_id();
    let v = w
        .office
        .push_applied(
            &d,
            &[
                d.create(p, "follow_up", new_id(), follow_up(id("Eva J"), 3, "job")),
                d.create(p, "follow_up", new_id(), follow_up(id("Farid M"), 3, "studies")),
                d.create(p, "follow_up", new_id(), follow_up(id("Hassan A"), 3, "studies")),
                d.create(p, "follow_up", new_id(), follow_up(id("Jamal K"), 3, "unknown")),
                d.create(p, "follow_up", ida3, follow_up(id("Ida L"), 3, "other")),
                d.create(p, "follow_up", new_id(), follow_up(id("Eva J"), 6, "job")),
                d.create(p, "follow_up", farid6, follow_up(id("Farid M"), 6, "job")),
            ],
        )
        .await;
    w.office
        .push_applied(
            &d,
            &[
                d.put(p, "follow_up", ida3, Some(v[4]), follow_up(id("Ida L"), 3, "job")),
                d.delete(p, "follow_up", farid6, Some(v[6])),
            ],
        )
        .await;
    // Coaches may not write follow-ups.
    let m = d.create(p, "follow_up", new_id(), follow_up(id("Eva J"), 6, "job"));
    let results = w.coach.push_ok(&d, &[m]).await;
    stegvis_tests::api::assert_rejected(&results[0], "forbidden");

    let path = format!("/api/v1/reports/outcomes?program_id={p}&from=2026-01-01&to=2026-04-30");
    let report = w.office.get(&path).await.expect(StatusCode::OK).clone();
    assert_eq!(report["exited"], json!(7), "{report}");
    assert_eq!(
        outcome_counts(&report),
        [("job".to_owned(), 3, 43), ("studies".to_owned(), 2, 29), ("other".to_owned(), 2, 29)],
        "{report}"
    );
    assert_eq!(report["median_days_to_exit"], json!(66.0), "{report}");
    // Every exit is more than six months ago (the latest is 30 April 2026).
    assert_eq!(follow_up_figures(&report, 3), (7, vec![2, 2, 0, 1], 2), "{report}");
    assert_eq!(follow_up_figures(&report, 6), (7, vec![1, 0, 0, 0], 6), "{report}");

    // March only: Eva (59) and Gunilla (30), both jobs: median 44.5, 100 %.
    let march = w.office.get(&format!("/api/v1/reports/outcomes?program_id={p}&from=2026-03-01&to=2026-03-31")).await;
    let march = march.expect(StatusCode::OK);
    assert_eq!(march["exited"], json!(2));
    assert_eq!(outcome_counts(march)[0], ("job".to_owned(), 2, 100));
    assert_eq!(march["median_days_to_exit"], json!(44.5));

    // A period with nobody: zeros and no median.
    let none = w.office.get(&format!("/api/v1/reports/outcomes?program_id={p}&from=2025-01-01&to=2025-03-01")).await;
    let none = none.expect(StatusCode::OK);
    assert_eq!(none["exited"], json!(0));
    assert!(outcome_counts(none).iter().all(|(_, c, pct)| *c == 0 && *pct == 0));
    assert_eq!(none["median_days_to_exit"], Value::Null);

    // Bad periods name their parameter; other municipalities see nothing.
    let r = w.office.get(&format!("/api/v1/reports/outcomes?program_id={p}&from=2026-05-01&to=2026-04-01")).await;
    assert!(r.body["error"]["message"].as_str().unwrap_or_default().contains("to"), "{r}");
    let r = w.office.get(&format!("/api/v1/reports/outcomes?program_id={p}&from=2026-02-30&to=2026-04-01")).await;
    assert!(r.body["error"]["message"].as_str().unwrap_or_default().contains("from"), "{r}");
    w.other_office.get(&path).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    w.coach.get(&path).await.expect_error(StatusCode::FORBIDDEN, "forbidden");

    // The CSV says the same.
    let export = format!("/api/v1/reports/outcomes/export?program_id={p}&from=2026-01-01&to=2026-04-30");
    let (status, _, bytes) = get_bytes(&w.office, &export).await;
    assert_eq!(status, StatusCode::OK);
    let rows = read_csv(&bytes);
    let line = |label: &str| {
        rows.iter()
            .find(|r| r.first().is_some_and(|c| c.to_lowercase().starts_with(label)))
            .unwrap_or_else(|| panic!("no line {label:?} in {rows:?}"))
            .clone()
    };
    assert_eq!(num(&line("arbete")[1]) as i64, 3);
    assert_eq!(num(&line("studier")[1]) as i64, 2);
    assert_eq!(num(&line("annat")[1]) as i64, 2);
    assert!(line("arbete")[2].contains("43"), "{rows:?}");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("66"), "the median is in the file: {text}");
}

#[tokio::test]
async fn recent_exits_are_not_yet_due_for_follow_up() {
    let w = fixture().await;
    let d = Device::new();
    let today = time::OffsetDateTime::now_utc().date();
    let exit = today - time::Duration::days(10);
    let exit = format!("{:04}-{:02}-{:02}", exit.year(), u8::from(exit.month()), exit.day());
    w.office
        .push_applied(
            &d,
            &[d.create(w.program, "participant", new_id(), exited("Pia S", "2025-01-01", &exit, "studies"))],
        )
        .await;
    let report =
        w.office.get(&format!("/api/v1/reports/outcomes?program_id={}&from=2025-01-01&to={today}", w.program)).await;
    let report = report.expect(StatusCode::OK);
    assert_eq!(report["exited"], json!(1));
    assert_eq!(follow_up_figures(report, 3), (0, vec![0, 0, 0, 0], 0), "{report}");
    assert_eq!(follow_up_figures(report, 6), (0, vec![0, 0, 0, 0], 0), "{report}");
}

#[tokio::test]
async fn in_the_current_month_only_past_planned_days_count_as_unmarked() {
    let w = fixture().await;
    let d = Device::new();
    let today = time::OffsetDateTime::now_utc().date();
    let first = today.replace_day(1).unwrap();
    let iso = |d: time::Date| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    let (person, site, place) = (new_id(), new_id(), new_id());
    w.office
        .push_applied(
            &d,
            &[
                d.create(w.program, "participant", person, participant("Ronja L", "2025-01-01")),
                d.create(w.program, "site", site, json!({"employer": "Lagret"})),
                d.create(
                    w.program,
                    "placement",
                    place,
                    placement(person, site, &iso(first), None, &[1, 2, 3, 4, 5], 6.0),
                ),
            ],
        )
        .await;
    let month = format!("{:04}-{:02}", today.year(), u8::from(today.month()));
    let report = w.office.get(&report_path(w.program, &month)).await.expect(StatusCode::OK).clone();
    let holidays: Vec<String> =
        report["holidays"].as_array().unwrap().iter().map(|h| h.as_str().unwrap().to_owned()).collect();
    let workdays: Vec<time::Date> =
        std::iter::successors(Some(first), |d| d.next_day().filter(|n| n.month() == first.month()))
            .filter(|d| d.weekday().number_from_monday() <= 5 && !holidays.contains(&iso(*d)))
            .collect();
    let past = workdays.iter().filter(|d| **d < today).count() as i64;
    let row = &report["rows"][0];
    assert_eq!(row["counts"]["planned_days"], json!(workdays.len()), "{report}");
    assert_eq!(row["counts"]["unmarked"], json!(past), "the days still to come are planned, not missing: {report}");
}
