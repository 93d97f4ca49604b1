//! End-to-end tests of the desk (issue 4): the built app served by the real
//! server, office and admin users at a 1280x900 desk in headless Chromium,
//! coaches on 390x844 phones, driven by the `data-testid` contract
//! (docs/DESK.md).
//!
//! - Two coaches' phones mark the same day differently offline; the office
//!   user finds the conflict in the inbox, picks the losing value on the
//!   resolve screen, and the first phone receives the resolution.
//! - The monthly attendance report renders the server's figures and its CSV
//!   downloads, byte for byte the export, with a byte-order mark.
//! - An admin cuts off a phone's session on the administration screen; the
//!   phone is logged out and wiped on its next sync.
//! - The desk is its own page (`/desk/`, issue 6): its own wasm, not in the
//!   field app's precache, nothing in IndexedDB; its session lives in the
//!   tab (a reload keeps it), locking ends it on the server, and the desk's
//!   own login brings it back (a coach is sent to the field app).
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use stegvis_tests::browser::{self, Browser, tid, tid_in};
use stegvis_tests::field::*;
use stegvis_tests::records::attendance_id;
use stegvis_tests::{Api, Device, PASSWORD, StatusCode, record_id};
use time::OffsetDateTime;
use uuid::Uuid;

/// A desk screen.
const DESK: (u32, u32) = (1280, 900);

/// Log in at the desk from a fresh profile (on the field app's login page,
/// which hands over to `/desk/`); wait for the desk layout, and check that it
/// is the desk's own page: its own wasm, nothing of it in the field app's
/// precache, no vault or other data in IndexedDB.
async fn desk_login(b: &Browser, username: &str) {
    login_to(b, username, "desk").await;
    let path = b.js("return location.pathname;").await;
    assert!(path.as_str().unwrap_or_default().starts_with("/desk"), "the desk is its own page: {path}");
    let wasm = b
        .js("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.wasm'));")
        .await;
    let wasm: Vec<&str> = wasm.as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(
        !wasm.is_empty() && wasm.iter().all(|url| url.contains("/desk/desk-")),
        "the desk page loads the desk's wasm only: {wasm:?}"
    );
    let sw = b
        .js_async(
            "const done = arguments[arguments.length - 1];
             fetch('/sw.js', { cache: 'no-store' }).then(r => r.text()).then(done, e => done('error: ' + e));",
        )
        .await;
    let precache =
        sw.as_str().unwrap_or_default().lines().find(|l| l.starts_with("const PRECACHE")).unwrap_or_default();
    assert!(
        precache.contains(".wasm") && !precache.contains("/desk/"),
        "the field app never precaches the desk: {precache}"
    );
    let stored = b
        .js_async(
            "const done = arguments[arguments.length - 1];
             const req = indexedDB.open('stegvis');
             req.onerror = () => done(-1);
             req.onsuccess = () => {
               const db = req.result;
               const stores = Array.from(db.objectStoreNames);
               if (stores.length === 0) { db.close(); done(0); return; }
               const tx = db.transaction(stores);
               let total = 0, left = stores.length;
               for (const name of stores) {
                 const count = tx.objectStore(name).count();
                 count.onsuccess = () => { total += count.result; if (--left === 0) { db.close(); done(total); } };
                 count.onerror = () => done(-1);
               }
             };",
        )
        .await;
    assert_eq!(stored, json!(0), "a desk user gets no vault and nothing else in IndexedDB");
}

fn with_id(testid: &str, attr: &str, id: impl std::fmt::Display) -> String {
    format!("{}[{attr}=\"{id}\"]", tid(testid))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_office_resolves_a_conflict_and_the_phone_receives_it() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    bounded(async {
        let mut field = seed(&[0]).await;
        let base = field.server.base_url().to_owned();
        let p = field.people[0].clone();

        // Two phones mark the same day differently while the server is away.
        let Clash { a, b, today } = two_phones_clash_offline(&mut field, &p).await;
        b.close().await;
        let id = attendance_id(p.placement, &today);
        let before = field.office_pull().await.into_iter().find(|r| record_id(r) == id).unwrap();
        assert_eq!(before["conflict"], json!(true), "{before}");
        assert_eq!(before["data"]["status"], json!("absent_sick"), "the later mark wins for now: {before}");

        // The office user sees it on top of the inbox and resolves it.
        let desk = Browser::start_sized("office-desk", &base, DESK).await;
        desk_login(&desk, "office").await;
        desk.click("desk-nav-inbox").await;
        desk.wait_for_sel(&with_id("inbox-conflict", "data-record-id", id)).await;
        desk.click_sel(&with_id("inbox-conflict", "data-record-id", id)).await;
        desk.wait_for_sel(&with_id("participant-file", "data-participant-id", p.id)).await;
        desk.click_sel(&with_id("resolve-conflict", "data-record-id", id)).await;
        let field_sel = with_id("conflict-field", "data-field", "status");
        desk.wait_for_sel(&field_sel).await;
        let shown = desk.wait_for_sel(&field_sel).await.text().await.unwrap_or_default();
        for who in ["coach", "coach2"] {
            assert!(shown.contains(&display_name(who)), "the conflict names {who}'s value: {shown:?}");
        }
        desk.click_sel(&tid_in(&field_sel, "choose-lost")).await;
        desk.screenshot("desk-resolve-conflict").await;
        desk.click("resolve-save").await;
        desk.wait_for_attr_timeout("resolve-result", "data-status", "applied", Duration::from_secs(20)).await;

        let after = field.office_pull().await.into_iter().find(|r| record_id(r) == id).unwrap();
        assert_eq!(after["conflict"], json!(false), "resolved: {after}");
        assert_eq!(after["data"]["status"], json!("present"), "the office picked the losing value: {after}");
        let history = field.office.get(&format!("/api/v1/records/{id}/history")).await;
        let history = history.expect(StatusCode::OK);
        assert!(history["versions"].as_array().unwrap().len() >= 3, "every version kept: {history}");
        let status = history["conflicts"].as_array().unwrap().iter().find(|c| c["field"] == json!("status")).unwrap();
        assert_eq!(status["lost"], json!("present"), "both values kept: {history}");

        // Phone A receives the resolution on its next sync.
        a.click("sync-status").await;
        wait_synced_by(&a, Instant::now() + SYNC_BOUND).await;
        let present = tid_in(&row(p.id), "attendance-present");
        a.wait_for_attr_sel_timeout(&present, "aria-pressed", "true", Duration::from_secs(20)).await;
        a.click_sel(&tid_in(&row(p.id), "today-participant")).await;
        let item = format!("{}[data-record-id=\"{id}\"]", tid("timeline-item"));
        a.wait_for_sel(&item).await;
        assert_eq!(a.count_sel(&tid_in(&item, "conflict-badge")).await, 0, "no conflict badge after resolution");

        desk.close().await;
        a.close().await;
    })
    .await;
}

fn display_name(username: &str) -> String {
    stegvis_tests::fixture::display_name(username)
}

/// The numbers of a report row as the page shows them.
async fn shown_counts(b: &Browser, row_selector: &str) -> Vec<f64> {
    let mut out = Vec::new();
    for cell in [
        "cell-planned",
        "cell-present",
        "cell-late",
        "cell-absent-sick",
        "cell-absent-excused",
        "cell-absent-unexcused",
        "cell-unmarked",
        "cell-hours",
    ] {
        let el = b.wait_for_sel(&tid_in(row_selector, cell)).await;
        let text = el.text().await.unwrap_or_default();
        let number: String =
            text.chars().take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.' || *c == ' ').collect();
        let value = number.replace(' ', "").replace(',', ".").parse::<f64>();
        match value {
            Ok(v) => out.push(v),
            Err(_) => b.fail(&format!("{cell} of {row_selector} shows {text:?}, not a number")).await,
        }
    }
    out
}

fn json_counts(counts: &Value) -> Vec<f64> {
    ["planned_days", "present", "late", "absent_sick", "absent_excused", "absent_unexcused", "unmarked", "hours"]
        .iter()
        .map(|k| counts[*k].as_f64().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_monthly_attendance_report_renders_and_its_csv_downloads() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    bounded(async {
        let field = seed(&[0, 0]).await;
        let base = field.server.base_url().to_owned();
        // Marks on three days of the month of four days ago.
        let day0 = OffsetDateTime::now_utc().date() - time::Duration::days(4);
        let month = format!("{:04}-{:02}", day0.year(), u8::from(day0.month()));
        let device = Device::new();
        let mut marks = Vec::new();
        for (i, person) in field.people.iter().enumerate() {
            for (k, status) in ["present", "absent_sick", "late"].iter().enumerate() {
                let day = day0 - time::Duration::days(k as i64);
                if day.month() != day0.month() {
                    continue;
                }
                let date = date_string(day);
                let hours = if i == 0 && k == 0 { json!(2.5) } else { Value::Null };
                marks.push(device.create(
                    field.program,
                    "attendance",
                    attendance_id(person.placement, &date),
                    json!({"placement_id": person.placement, "participant_id": person.id, "date": date,
                           "status": status, "hours": hours}),
                ));
            }
        }
        field.office.push_applied(&device, &marks).await;
        let path = format!("/api/v1/reports/attendance?program_id={}&month={month}", field.program);
        let expected = field.office.get(&path).await.expect(StatusCode::OK).clone();
        assert_eq!(expected["rows"].as_array().unwrap().len(), 2, "{expected}");

        let desk = Browser::start_sized("office-report", &base, DESK).await;
        desk_login(&desk, "office").await;
        desk.click("desk-nav-attendance").await;
        desk.select("report-program", &field.program.to_string()).await;
        desk.fill("report-month", &month).await;
        desk.click("report-run").await;
        desk.wait_for_attr_timeout("report-status", "data-state", "ready", Duration::from_secs(30)).await;
        for row in expected["rows"].as_array().unwrap() {
            let sel = format!(
                "{}[data-participant-id=\"{}\"][data-placement-id=\"{}\"]",
                tid("attendance-row"),
                row["participant_id"].as_str().unwrap(),
                row["placement_id"].as_str().unwrap()
            );
            assert_eq!(shown_counts(&desk, &sel).await, json_counts(&row["counts"]), "row {row}");
        }
        assert_eq!(shown_counts(&desk, &tid("attendance-totals")).await, json_counts(&expected["totals"]));
        // A print stylesheet is in place for the A4 page.
        let print_rules = desk
            .js("return Array.from(document.styleSheets).flatMap(s => { try { return Array.from(s.cssRules); } catch (e) { return []; } }).filter(r => r.media && Array.from(r.media).includes('print')).length;")
            .await;
        assert!(print_rules.as_u64().unwrap_or(0) > 0, "an @media print stylesheet: {print_rules}");
        desk.screenshot("desk-attendance-report").await;

        desk.click("report-export-csv").await;
        let (file, bytes) = desk.wait_for_download(".csv").await;
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.contains(&month), "the file is named for the month: {name}");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a byte-order mark");
        let export = reqwest::Client::new()
            .get(format!("{base}/api/v1/reports/attendance/export?program_id={}&month={month}", field.program))
            .bearer_auth(field.office.token())
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), StatusCode::OK);
        let served = export.bytes().await.unwrap();
        assert_eq!(bytes, served.to_vec(), "the download is the export");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        for p in &field.people {
            assert!(text.contains(p.name), "{} is in the CSV: {text}", p.name);
        }

        // The outcomes of the year: two exits this year, one job, one studies.
        let year_start = format!("{:04}-01-01", day0.year());
        let exit_day = date_string(day0);
        let exits: Vec<Value> = [("Jonna E", "job"), ("Karim F", "studies")]
            .iter()
            .map(|(name, outcome)| {
                device.create(
                    field.program,
                    "participant",
                    Uuid::now_v7(),
                    json!({"display_name": name, "languages": ["sv"], "needs_interpreter": false, "status": "exited",
                           "started_on": year_start, "exit": {"date": exit_day, "outcome": outcome}}),
                )
            })
            .collect();
        field.office.push_applied(&device, &exits).await;
        desk.click("desk-nav-outcomes").await;
        desk.select("outcomes-program", &field.program.to_string()).await;
        desk.fill("outcomes-from", &year_start).await;
        desk.fill("outcomes-to", &date_string(OffsetDateTime::now_utc().date())).await;
        desk.click("outcomes-run").await;
        desk.wait_for_attr_timeout("outcomes-status", "data-state", "ready", Duration::from_secs(30)).await;
        desk.wait_for_attr("outcome-job", "data-percent", "50").await;
        desk.wait_for_attr("outcome-studies", "data-percent", "50").await;
        desk.wait_for_attr("outcome-other", "data-percent", "0").await;
        let chart = desk.attr("outcomes-chart", "aria-label").await.unwrap_or_default();
        assert!(chart.contains("50"), "the chart says its figures to a screen reader: {chart:?}");
        desk.screenshot("desk-outcomes").await;
        desk.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_admin_cuts_off_a_phone_and_it_is_logged_out_on_its_next_sync() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    bounded(async {
        let field = seed(&[0, 0]).await;
        let base = field.server.base_url().to_owned();
        let phone = Browser::start("phone", &base).await;
        login(&phone, "coach").await;
        wait_rows(&phone, 2).await;

        let admin_api = Api::login(&base, "admin", PASSWORD, "admin api").await;
        let sessions = admin_api.sessions().await;
        let coach_sessions: Vec<&Value> = sessions.iter().filter(|s| s["username"] == json!("coach")).collect();
        assert_eq!(coach_sessions.len(), 1, "{sessions:?}");
        let session: Uuid = coach_sessions[0]["id"].as_str().unwrap().parse().unwrap();

        let desk = Browser::start_sized("admin-desk", &base, DESK).await;
        desk_login(&desk, "admin").await;
        desk.click("desk-nav-admin").await;
        let row = with_id("session-row", "data-session-id", session);
        desk.wait_for_sel(&row).await;
        desk.click_sel(&tid_in(&row, "session-revoke")).await;
        desk.click_sel(&tid_in(&row, "session-revoke-confirm")).await;
        desk.wait_until("the session to leave the list", Duration::from_secs(20), async || {
            (desk.count_sel(&row).await == 0).then_some(())
        })
        .await;
        let left = admin_api.sessions().await;
        assert!(!left.iter().any(|s| s["id"] == json!(session)), "the session is cut off: {left:?}");

        // The phone's next contact logs it out and wipes it.
        phone.click("sync-status").await;
        phone.wait_for_timeout("revoked-notice", SYNC_BOUND).await;
        phone.wait_for("login-username").await;
        let page = phone.js("return document.body.innerText;").await;
        for p in &field.people {
            assert!(!page.as_str().unwrap_or_default().contains(p.name), "{} is still on screen", p.name);
        }
        desk.close().await;
        phone.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_desk_keeps_its_session_over_a_reload_and_locking_ends_it() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    bounded(async {
        let field = seed(&[0]).await;
        let base = field.server.base_url().to_owned();
        let desk = Browser::start_sized("office-session", &base, DESK).await;
        desk_login(&desk, "office").await;

        // A reload keeps the tab's session (sessionStorage), and a deep link works.
        desk.goto("/desk/participants").await;
        desk.wait_for_timeout("register-status-line", Duration::from_secs(30)).await;
        desk.wait_for("desk").await;

        // Locking ends the session: the server forgets the token and the desk shows its own login.
        let token = desk.js("return JSON.parse(sessionStorage.getItem('stegvis.desk.session')).token;").await;
        let token = token.as_str().unwrap().to_owned();
        desk.click("desk-lock").await;
        desk.wait_for("login-username").await;
        let gone = desk.js("return sessionStorage.getItem('stegvis.desk.session');").await;
        assert_eq!(gone, Value::Null, "nothing of the session is left in the tab");
        desk.wait_until("the locked token to be refused", Duration::from_secs(10), async || {
            let status = reqwest::Client::new()
                .get(format!("{base}/api/v1/office/directory"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .status();
            (status == StatusCode::UNAUTHORIZED).then_some(())
        })
        .await;

        // The desk's own login (online only) brings it back; a coach is sent to the field app.
        desk.fill("login-username", "coach").await;
        desk.fill("login-password", PASSWORD).await;
        desk.click("login-submit").await;
        desk.wait_for("login-error").await;
        desk.fill("login-username", "office").await;
        desk.fill("login-password", PASSWORD).await;
        desk.click("login-submit").await;
        desk.wait_for_timeout("desk", LOGIN_WAIT).await;
        desk.click("desk-nav-participants").await;
        desk.wait_for_timeout("register-row", Duration::from_secs(30)).await;
        desk.close().await;
    })
    .await;
}
