//! The field app's end-to-end vocabulary, shared by the browser suites
//! (`tests/field_app.rs`, `tests/desk_app.rs`): a seeded program with
//! coaches and participants placed every day, logging in from a fresh
//! profile, one-tap attendance, waiting for sync, and the bounds of every wait.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::browser::{self, Browser, tid, tid_in};
use crate::{Api, Device, PASSWORD, Server, create_program, create_user, record_id};

/// The whole of one test, whatever happens.
pub const TEST_BOUND: Duration = Duration::from_secs(600);
/// Wasm load, login (PBKDF2 with 600,000 iterations) and the first sync.
pub const LOGIN_WAIT: Duration = Duration::from_secs(90);
/// After the server is back, each profile must be synced within this.
pub const SYNC_BOUND: Duration = Duration::from_secs(40);
/// The service worker must be active (app shell cached) within this.
pub const SW_WAIT: Duration = Duration::from_secs(60);

/// Fails the test if `body` runs longer than [`TEST_BOUND`] (dropping it
/// kills the browsers and the server).
pub async fn bounded(body: impl Future<Output = ()>) {
    if tokio::time::timeout(TEST_BOUND, body).await.is_err() {
        panic!("the test ran longer than {TEST_BOUND:?}");
    }
}

pub fn ms(d: Duration) -> u128 {
    d.as_millis()
}

// ---------------------------------------------------------------- the world

/// A participant seeded by the office, with a placement every day of the week.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: Uuid,
    pub name: &'static str,
    pub placement: Uuid,
    pub site: Uuid,
}

/// A server with the app, one program and its people, seeded through the API.
pub struct Field {
    pub server: Server,
    pub program: Uuid,
    pub office: Api,
    pub coach: Uuid,
    pub coach2: Uuid,
    pub pedagogue: Uuid,
    /// (id, employer)
    pub sites: Vec<(Uuid, &'static str)>,
    pub people: Vec<Person>,
}

pub const NAMES: [&str; 3] = ["Zelmira Q", "Oswindor T", "Ilvyana B"];
pub const EMPLOYERS: [&str; 2] = ["Verkstaden Brandbergen AB", "Lagret Jordbro AB"];

pub fn date_string(date: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// Start the server with the app and seed, as an office user pushing records:
/// two sites, `coaches_of.len()` participants whose coach is the given user
/// (index into [coach, coach2]), placed at site `i % 2` (so P1 and P3 share
/// site A), every weekday,
/// 6 hours, from 30 days ago with no end (so "today" matches in any zone).
pub async fn seed(coaches_of: &[usize]) -> Field {
    let server = Server::start_with_app().await;
    let base = server.base_url().to_owned();
    let org = server.create_org("Haninge kommun").await;
    server.create_admin(org, "admin", PASSWORD).await;
    let admin = Api::login(&base, "admin", PASSWORD, "admin laptop").await;
    let program = create_program(&admin, org, "Etableringscentrum").await;
    let coach = create_user(&admin, "coach", "coach", &[program]).await;
    let coach2 = create_user(&admin, "coach2", "coach", &[program]).await;
    let pedagogue = create_user(&admin, "pedagogue", "pedagogue", &[program]).await;
    create_user(&admin, "office", "office", &[program]).await;
    let office = Api::login(&base, "office", PASSWORD, "office desktop").await;

    let today_utc = OffsetDateTime::now_utc().date();
    let starts_on = date_string(today_utc - time::Duration::days(30));
    let started_on = date_string(today_utc - time::Duration::days(60));
    let device = Device::new();
    let mut mutations = Vec::new();
    let sites: Vec<(Uuid, &'static str)> = EMPLOYERS.iter().map(|e| (Uuid::now_v7(), *e)).collect();
    for (id, employer) in &sites {
        mutations.push(device.create(
            program,
            "site",
            *id,
            json!({"employer": employer, "address": "Industrivägen 4", "supervisor_name": "Per L"}),
        ));
    }
    let mut people = Vec::new();
    for (i, coach_index) in coaches_of.iter().enumerate() {
        let person = Person { id: Uuid::now_v7(), name: NAMES[i], placement: Uuid::now_v7(), site: sites[i % 2].0 };
        let coach_id = [coach, coach2][*coach_index];
        mutations.push(device.create(
            program,
            "participant",
            person.id,
            json!({
                "display_name": person.name, "languages": ["ar", "sv"], "needs_interpreter": false,
                "coach_id": coach_id, "status": "active", "started_on": started_on,
            }),
        ));
        mutations.push(device.create(
            program,
            "placement",
            person.placement,
            json!({
                "participant_id": person.id, "site_id": person.site, "starts_on": starts_on,
                "weekdays": [1, 2, 3, 4, 5, 6, 7], "hours_per_day": 6, "focus": "branschskola: lager",
            }),
        ));
        people.push(person);
    }
    office.push_applied(&device, &mutations).await;
    Field { server, program, office, coach, coach2, pedagogue, sites, people }
}

impl Field {
    pub fn seeded_ids(&self) -> BTreeSet<Uuid> {
        let mut ids: BTreeSet<Uuid> = self.sites.iter().map(|(id, _)| *id).collect();
        for p in &self.people {
            ids.insert(p.id);
            ids.insert(p.placement);
        }
        ids
    }

    /// Everything the office user pulls, from the beginning.
    pub async fn office_pull(&self) -> Vec<Value> {
        let pulled = self.office.pull_all(None).await;
        // The newest state of each record.
        let mut last: BTreeMap<Uuid, Value> = BTreeMap::new();
        for r in pulled.records {
            last.insert(record_id(&r), r);
        }
        last.into_values().collect()
    }
}

// ------------------------------------------------------------ app helpers

pub fn row(participant: Uuid) -> String {
    format!("{}[data-participant-id=\"{participant}\"]", tid("today-row"))
}

/// The browser's local date (`YYYY-MM-DD`): what the app calls "today".
pub async fn browser_today(b: &Browser) -> String {
    let v = b
        .js("const d = new Date(); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');")
        .await;
    v.as_str().unwrap().to_owned()
}

/// Log in online from a fresh profile; wait for Today and `synced`.
pub async fn login(b: &Browser, username: &str) {
    login_to(b, username, "today").await;
    b.wait_for_attr_timeout("sync-status", "data-state", "synced", LOGIN_WAIT).await;
}

/// Log in online from a fresh profile and wait for the screen with the
/// test id `landing` (`today` on a phone, `desk` for office and admin), or
/// fail with the login error the page shows.
pub async fn login_to(b: &Browser, username: &str, landing: &str) {
    b.goto("/").await;
    b.wait_for_timeout("login-username", LOGIN_WAIT).await;
    b.fill("login-username", username).await;
    b.fill("login-password", PASSWORD).await;
    b.click("login-submit").await;
    let outcome = b
        .wait_until(&format!("{landing} or a login error after login-submit"), LOGIN_WAIT, async || {
            if b.probe(landing).await.displayed {
                return Some(Ok(()));
            }
            let err = b.probe("login-error").await;
            (err.displayed && !err.text.trim().is_empty()).then_some(Err(err.text))
        })
        .await;
    if let Err(text) = outcome {
        b.fail(&format!("login as {username} failed: login-error says {text:?}")).await;
    }
}

/// Wait until `n` Today rows are shown.
pub async fn wait_rows(b: &Browser, n: usize) {
    b.wait_until(&format!("{n} today-row elements"), Duration::from_secs(30), async || {
        (b.count_sel(&tid("today-row")).await == n).then_some(())
    })
    .await;
}

/// Wait until the page's service worker is active, so the app opens offline.
pub async fn wait_service_worker(b: &Browser) {
    let script = "const done = arguments[arguments.length - 1];
        if (!('serviceWorker' in navigator)) { done('unsupported'); return; }
        navigator.serviceWorker.getRegistration()
          .then(r => done(r ? (r.active ? r.active.state : (r.installing || r.waiting ? 'installing' : 'none')) : 'no-registration'))
          .catch(e => done('error: ' + e));";
    let deadline = Instant::now() + SW_WAIT;
    loop {
        let state = b.js_async(script).await;
        let last = state.as_str().unwrap_or("?").to_owned();
        if last == "activated" {
            return;
        }
        if Instant::now() >= deadline {
            b.fail(&format!(
                "the app's service worker is not active within {SW_WAIT:?} (last: {last}); \
                 the app cannot open offline"
            ))
            .await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Reload with the server down; returns (reload → unlock form usable,
/// in-page navigation → unlock usable, unlock click → Today with `rows` rows).
pub async fn reload_and_unlock(b: &Browser, rows: usize) -> (Duration, f64, Duration) {
    let t0 = Instant::now();
    b.reload().await;
    b.wait_until("the unlock form to be usable (app opened offline)", Duration::from_secs(60), async || {
        let pw = b.probe("unlock-password").await;
        let submit = b.probe("unlock-submit").await;
        (pw.displayed && pw.enabled && submit.displayed && submit.enabled).then_some(())
    })
    .await;
    let reload_to_unlock = t0.elapsed();
    let in_page = b.js("return performance.now();").await.as_f64().unwrap_or(-1.0);
    b.fill("unlock-password", PASSWORD).await;
    let t1 = Instant::now();
    b.click("unlock-submit").await;
    let outcome = b
        .wait_until("Today or an unlock error after unlock-submit", Duration::from_secs(60), async || {
            if b.probe("today").await.displayed {
                return Some(Ok(()));
            }
            let err = b.probe("unlock-error").await;
            (err.displayed && !err.text.trim().is_empty()).then_some(Err(err.text))
        })
        .await;
    if let Err(text) = outcome {
        b.fail(&format!("offline unlock failed: unlock-error says {text:?}")).await;
    }
    wait_rows(b, rows).await;
    (reload_to_unlock, in_page, t1.elapsed())
}

/// One-tap attendance in a participant's Today row; returns click → `attendance-saved`.
pub async fn mark_attendance(b: &Browser, participant: Uuid, status: &str) -> Duration {
    let row = row(participant);
    b.wait_for_sel(&row).await;
    let button = tid_in(&row, &format!("attendance-{status}"));
    let t = Instant::now();
    b.click_sel(&button).await;
    b.wait_for_sel(&tid_in(&row, "attendance-saved")).await;
    let took = t.elapsed();
    b.wait_for_attr_sel_timeout(&button, "aria-pressed", "true", Duration::from_secs(10)).await;
    took
}

/// Click `submit` and wait for a (new) `saved-toast`; returns click → toast.
pub async fn submit_and_wait_saved(b: &Browser, submit: &str) -> Duration {
    // A toast of an earlier save must not count: wait (bounded) for it to
    // go, and mark whatever is left so only a new one counts.
    let deadline = Instant::now() + Duration::from_secs(10);
    while b.probe("saved-toast").await.displayed && Instant::now() < deadline {
        tokio::time::sleep(browser::POLL).await;
    }
    b.js("document.querySelectorAll('[data-testid=\"saved-toast\"]').forEach(e => e.setAttribute('data-e2e-seen', '1'));")
        .await;
    let fresh = format!("{}:not([data-e2e-seen])", tid("saved-toast"));
    let t = Instant::now();
    b.click(submit).await;
    let took = b
        .wait_until(&format!("saved-toast after {submit}"), Duration::from_secs(30), async || {
            if b.probe_sel(&fresh).await.displayed {
                return Some(Ok(()));
            }
            let err = b.probe("field-error").await;
            (err.displayed && !err.text.trim().is_empty()).then_some(Err(err.text))
        })
        .await;
    let elapsed = t.elapsed();
    if let Err(text) = took {
        b.fail(&format!("{submit} was refused: field-error says {text:?}")).await;
    }
    elapsed
}

/// Go to Today through the navigation (works offline: no page load).
pub async fn nav_today(b: &Browser) {
    b.click("nav-today").await;
    b.wait_for("today").await;
}

/// Today row → visit form, filled; returns the form (not yet submitted).
pub async fn open_visit_form(b: &Browser, participant: Uuid, note: &str, next_step: &str) {
    b.click_sel(&tid_in(&row(participant), "today-visit")).await;
    b.wait_for("visit-submit").await;
    b.select("visit-type", "check_in").await;
    b.select("visit-wellbeing", "4").await;
    b.fill("visit-note", note).await;
    b.fill("visit-next-step", next_step).await;
}

/// Today row → participant page (waits for the name).
pub async fn open_participant(b: &Browser, person: &Person) {
    b.click_sel(&tid_in(&row(person.id), "today-participant")).await;
    let el = b.wait_for("participant-name").await;
    let shown = el.text().await.unwrap_or_default();
    if !shown.contains(person.name) {
        b.fail(&format!("participant-name shows {shown:?}, expected {:?}", person.name)).await;
    }
}

/// From the participant page: a mentor note; returns submit → saved.
pub async fn add_note(b: &Browser, category: &str, text: &str) -> Duration {
    b.click("participant-add-note").await;
    b.wait_for("note-submit").await;
    b.select("note-category", category).await;
    b.fill("note-text", text).await;
    submit_and_wait_saved(b, "note-submit").await
}

/// `sync-status` shows pending work (not synced, a pending count > 0);
/// returns (state, pending).
pub async fn assert_pending(b: &Browser) -> (String, u64) {
    b.wait_until("sync-status to show pending work while offline", Duration::from_secs(20), async || {
        let state = b.attr("sync-status", "data-state").await?;
        let pending: u64 = b.attr("sync-status", "data-pending").await?.trim().parse().ok()?;
        (matches!(state.as_str(), "pending" | "offline" | "error") && pending > 0).then_some((state, pending))
    })
    .await
}

/// Wait until `sync-status` is `synced` (at most until `deadline`); returns when.
pub async fn wait_synced_by(b: &Browser, deadline: Instant) -> Instant {
    let left = deadline.saturating_duration_since(Instant::now());
    b.wait_for_attr_timeout("sync-status", "data-state", "synced", left).await;
    let at = Instant::now();
    let pending = b.attr("sync-status", "data-pending").await;
    if pending.as_deref().map(str::trim) != Some("0") {
        b.fail(&format!("sync-status is synced but data-pending is {pending:?}")).await;
    }
    at
}

/// A screenshot of the page from its top, once no toast covers it.
pub async fn page_shot(b: &Browser, name: &str) -> std::path::PathBuf {
    let deadline = Instant::now() + Duration::from_secs(10);
    while b.probe("saved-toast").await.displayed && Instant::now() < deadline {
        tokio::time::sleep(browser::POLL).await;
    }
    b.js("window.scrollTo(0, 0); if (document.activeElement) document.activeElement.blur();").await;
    b.screenshot(name).await
}

pub fn records_of<'a>(records: &'a [Value], kind: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["kind"] == json!(kind)).collect()
}

pub fn assert_time_between(value: &Value, from: OffsetDateTime, to: OffsetDateTime, what: &str) {
    let s = value.as_str().unwrap_or_else(|| panic!("{what} is not a string: {value}"));
    let t = OffsetDateTime::parse(s, &Rfc3339).unwrap_or_else(|e| panic!("{what} is not RFC 3339 ({s:?}): {e}"));
    let slack = time::Duration::minutes(2);
    assert!(t >= from - slack && t <= to + slack, "{what} = {s} is not within the test's run ({from} .. {to})");
}

/// Two coaches' phones on a clash: what [`two_phones_clash_offline`] leaves.
pub struct Clash {
    /// Coach A's phone (`coach`), which marked "present" first.
    pub a: Browser,
    /// Coach B's phone (`coach2`), which marked "absent_sick" after.
    pub b: Browser,
    /// The browsers' local date, the day both marked.
    pub today: String,
}

/// Coach A (`coach`) and coach B (`coach2`) log in on two phones; while the
/// server is away A marks `person` present and then B marks them sick
/// (later wall clock, so the higher HLC); both show pending work; the server
/// comes back on the same port and both phones sync by themselves.
/// Prints the click-to-saved and restart-to-synced times.
pub async fn two_phones_clash_offline(field: &mut Field, person: &Person) -> Clash {
    let base = field.server.base_url().to_owned();
    let a = Browser::start("coach-a", &base).await;
    login(&a, "coach").await;
    wait_rows(&a, 1).await;
    let b = Browser::start("coach-b", &base).await;
    login(&b, "coach2").await;
    wait_rows(&b, 1).await;
    let today = browser_today(&a).await;

    field.server.kill().await;
    let a_ms = mark_attendance(&a, person.id, "present").await;
    let b_ms = mark_attendance(&b, person.id, "absent_sick").await;
    eprintln!("field_app timing: conflict attendance_click_to_saved_ms a={} b={}", ms(a_ms), ms(b_ms));
    assert_pending(&a).await;
    assert_pending(&b).await;

    let restarted = Instant::now();
    field.server.restart_on_same_port().await;
    let deadline = Instant::now() + SYNC_BOUND;
    let a_synced = wait_synced_by(&a, deadline).await;
    let b_synced = wait_synced_by(&b, deadline).await;
    eprintln!(
        "field_app timing: conflict restart_to_synced_ms a={} b={}",
        ms(a_synced - restarted),
        ms(b_synced - restarted)
    );
    Clash { a, b, today }
}
