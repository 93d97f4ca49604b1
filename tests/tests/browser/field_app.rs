//! End-to-end tests of the field app (issue 3, "Tests"): the built app
//! (`cargo xtask build-app --release` → `dist/`) served by the real `stegvis`
//! server on a temp SQLite database, driven in headless Chromium through its
//! `data-testid` contract (docs/FIELD-APP.md).
//!
//! - An offline morning: log in online, stop the server, reload from the
//!   service worker, unlock, capture visits, attendance, a note and (second
//!   profile) a lesson; restart the server on the same port; both profiles
//!   sync by themselves and an office user's pull sees exactly those records.
//! - Two coaches mark the same participant's day differently offline: one
//!   attendance record, flagged as a conflict, the losing value kept.
//! - Nothing readable at rest: a raw dump of IndexedDB after locking holds no
//!   name and no note text.
//! - Screenshots of Today, a form and the participant page at 390x844 under
//!   `target/screenshots/`.
//!
//! Timings are printed as `field_app timing: name=value_ms ...`. A missing
//! build, Chromium or ChromeDriver fails the test with what to run
//! (`cargo xtask test` provides them); every wait is bounded, and every
//! process is killed on drop.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use stegvis_tests::browser::{self, Browser, png_size, tid, tid_in};
use stegvis_tests::field::*;
use stegvis_tests::records::attendance_id;
use stegvis_tests::{Api, PASSWORD, StatusCode, record_id, uuid_of};
use time::OffsetDateTime;
use uuid::Uuid;

// ------------------------------------------------------------------ tests

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn offline_morning_syncs_by_itself_and_the_office_sees_exactly_it() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    bounded(async {
        let started = OffsetDateTime::now_utc();
        let mut field = seed(&[0, 0, 0]).await;
        let base = field.server.base_url().to_owned();
        let [p1, p2, p3] = [field.people[0].clone(), field.people[1].clone(), field.people[2].clone()];
        let site_a = field.sites[0].0;

        // Online: the coach and the pedagogue log in, each on their own phone.
        let coach = Browser::start("coach", &base).await;
        login(&coach, "coach").await;
        wait_rows(&coach, 3).await;
        let today = browser_today(&coach).await;
        let pedagogue = Browser::start("pedagogue", &base).await;
        login(&pedagogue, "pedagogue").await;
        wait_service_worker(&coach).await;
        wait_service_worker(&pedagogue).await;

        // No signal.
        field.server.kill().await;

        let (coach_reload, coach_reload_in_page, coach_unlock) = reload_and_unlock(&coach, 3).await;
        let mut attendance_ms = Vec::new();
        for (person, status) in [(&p1, "present"), (&p2, "late"), (&p3, "absent_sick")] {
            attendance_ms.push(ms(mark_attendance(&coach, person.id, status).await));
        }
        coach.screenshot("field-app-offline-today").await;

        let mut visit_ms = Vec::new();
        for (person, note, next) in [
            (&p1, "Morgonbesok hos Zelmira: trivs i lagret", "Boka trepartssamtal"),
            (&p2, "Morgonbesok hos Oswindor: lar sig truck", "Ringa handledaren"),
        ] {
            open_visit_form(&coach, person.id, note, next).await;
            visit_ms.push(ms(submit_and_wait_saved(&coach, "visit-submit").await));
            nav_today(&coach).await;
        }

        open_participant(&coach, &p1).await;
        let note_text = "Zelmira ber om fler svenska ord for lagerarbete";
        let note_ms = ms(add_note(&coach, "language", note_text).await);
        let (coach_state, coach_pending) = assert_pending(&coach).await;

        // The pedagogue's lesson, offline, at site A (P1 and P3 placed there): P1 attends.
        let (ped_reload, ped_reload_in_page, ped_unlock) = reload_and_unlock(&pedagogue, 3).await;
        pedagogue.click("nav-lesson").await;
        pedagogue.wait_for("lesson-submit").await;
        pedagogue.select("lesson-site", &site_a.to_string()).await;
        let attendee = |p: &Person| format!("{}[data-participant-id=\"{}\"]", tid("lesson-attendee"), p.id);
        pedagogue.wait_for_sel(&attendee(&p1)).await;
        pedagogue.wait_for_sel(&attendee(&p3)).await;
        if pedagogue.count_sel(&attendee(&p2)).await != 0 {
            pedagogue.fail("lesson-attendee lists a participant of another site").await;
        }
        let checked = async |sel: &str| {
            pedagogue
                .js_with(
                    "const e = document.querySelector(arguments[0]);
                     const i = e.matches('input') ? e : e.querySelector('input[type=checkbox]');
                     return i ? i.checked : e.getAttribute('aria-checked') === 'true' || e.getAttribute('aria-pressed') === 'true';",
                    vec![json!(sel)],
                )
                .await
                .as_bool()
                .unwrap_or(false)
        };
        if !checked(&attendee(&p1)).await {
            pedagogue.click_sel(&attendee(&p1)).await;
        }
        if checked(&attendee(&p3)).await {
            pedagogue.click_sel(&attendee(&p3)).await;
        }
        assert!(checked(&attendee(&p1)).await && !checked(&attendee(&p3)).await, "attendee checkboxes did not toggle");
        let at_now = pedagogue.js("return document.querySelector('[data-testid=\"lesson-at\"]').value;").await;
        if at_now.as_str().unwrap_or("").is_empty() {
            let now_local = pedagogue
                .js("const d = new Date(); const p = n => String(n).padStart(2, '0'); return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());")
                .await;
            pedagogue.fill("lesson-at", now_local.as_str().unwrap()).await;
        }
        pedagogue.fill("lesson-duration", "45").await;
        pedagogue.fill("lesson-topic", "Lagret: truckar och pallar").await;
        pedagogue.fill("lesson-vocabulary", "pall, truck, plocklista").await;
        let lesson_ms = ms(submit_and_wait_saved(&pedagogue, "lesson-submit").await);
        let (ped_state, ped_pending) = assert_pending(&pedagogue).await;

        eprintln!(
            "field_app timing: reload_to_unlock_ms={} (in-page {:.0}) unlock_to_today_ms={} \
             pedagogue_reload_to_unlock_ms={} (in-page {:.0}) pedagogue_unlock_to_today_ms={}",
            ms(coach_reload),
            coach_reload_in_page,
            ms(coach_unlock),
            ms(ped_reload),
            ped_reload_in_page,
            ms(ped_unlock)
        );
        eprintln!(
            "field_app timing: visit_submit_to_saved_ms={visit_ms:?} note_submit_to_saved_ms={note_ms} \
             lesson_submit_to_saved_ms={lesson_ms} attendance_click_to_saved_ms={attendance_ms:?}"
        );
        eprintln!(
            "field_app offline sync-status: coach {coach_state} pending={coach_pending}; pedagogue {ped_state} pending={ped_pending}"
        );

        // Signal again: the same address; nobody touches "sync".
        let restarted = Instant::now();
        field.server.restart_on_same_port().await;
        let deadline = Instant::now() + SYNC_BOUND;
        let coach_synced = wait_synced_by(&coach, deadline).await;
        let ped_synced = wait_synced_by(&pedagogue, deadline).await;
        eprintln!(
            "field_app timing: restart_to_synced_ms coach={} pedagogue={}",
            ms(coach_synced - restarted),
            ms(ped_synced - restarted)
        );
        coach.screenshot("field-app-synced-today").await;

        // The office sees exactly what was captured.
        let ended = OffsetDateTime::now_utc();
        let records = field.office_pull().await;
        let seeded = field.seeded_ids();
        let new: Vec<Value> = records.iter().filter(|r| !seeded.contains(&record_id(r))).cloned().collect();
        let kinds: BTreeMap<String, usize> = new.iter().fold(BTreeMap::new(), |mut m, r| {
            *m.entry(r["kind"].as_str().unwrap_or("?").to_owned()).or_insert(0) += 1;
            m
        });
        let expected: BTreeMap<String, usize> =
            [("attendance", 3), ("lesson", 1), ("mentor_note", 1), ("visit", 2)].map(|(k, n)| (k.to_owned(), n)).into();
        assert_eq!(kinds, expected, "the records the office pulls besides the seeded ones: {new:#?}");
        for r in &records {
            assert_eq!(r["deleted"], json!(false), "deleted record: {r}");
            assert_eq!(r["conflict"], json!(false), "conflicted record: {r}");
            if seeded.contains(&record_id(r)) {
                assert_eq!(r["updated_by"], json!(field.office.user_id()), "a seeded record was changed: {r}");
            }
        }

        for (person, status) in [(&p1, "present"), (&p2, "late"), (&p3, "absent_sick")] {
            let id = attendance_id(person.placement, &today);
            let r = new
                .iter()
                .find(|r| record_id(r) == id)
                .unwrap_or_else(|| panic!("no attendance with the UUID v5 id {id} for {} on {today}: {new:#?}", person.name));
            assert_eq!(r["kind"], json!("attendance"));
            assert_eq!(r["program_id"], json!(field.program));
            assert_eq!(r["updated_by"], json!(field.coach), "attendance by the coach: {r}");
            let d = &r["data"];
            assert_eq!(d["placement_id"], json!(person.placement), "{r}");
            assert_eq!(d["participant_id"], json!(person.id), "{r}");
            assert_eq!(d["date"], json!(today), "{r}");
            assert_eq!(d["status"], json!(status), "{r}");
            if status == "present" {
                assert_eq!(d["hours"].as_f64(), Some(6.0), "present: hours prefilled from the placement: {r}");
            }
            eprintln!("field_app attendance {}: status={} hours={}", person.name, d["status"], d["hours"]);
        }

        let visits = records_of(&new, "visit");
        for (person, note, next) in [
            (&p1, "Morgonbesok hos Zelmira: trivs i lagret", "Boka trepartssamtal"),
            (&p2, "Morgonbesok hos Oswindor: lar sig truck", "Ringa handledaren"),
        ] {
            let r = visits
                .iter()
                .find(|r| r["data"]["participant_id"] == json!(person.id))
                .unwrap_or_else(|| panic!("no visit for {}: {visits:#?}", person.name));
            let d = &r["data"];
            assert_eq!(r["updated_by"], json!(field.coach), "{r}");
            assert_eq!(d["type"], json!("check_in"), "{r}");
            assert_eq!(d["wellbeing"], json!(4), "{r}");
            assert_eq!(d["note"], json!(note), "{r}");
            assert_eq!(d["next_step"], json!(next), "{r}");
            assert_time_between(&d["at"], started, ended, "visit.at");
            if !d["site_id"].is_null() {
                assert_eq!(d["site_id"], json!(person.site), "visit at the placement's site: {r}");
            }
        }

        let notes = records_of(&new, "mentor_note");
        let d = &notes[0]["data"];
        assert_eq!(notes[0]["updated_by"], json!(field.coach), "{}", notes[0]);
        assert_eq!(d["participant_id"], json!(p1.id), "{}", notes[0]);
        assert_eq!(d["category"], json!("language"), "{}", notes[0]);
        assert_eq!(d["text"], json!(note_text), "{}", notes[0]);
        assert_time_between(&d["at"], started, ended, "mentor_note.at");

        let lessons = records_of(&new, "lesson");
        let l = lessons[0];
        let d = &l["data"];
        assert_eq!(l["updated_by"], json!(field.pedagogue), "{l}");
        assert_eq!(d["site_id"], json!(site_a), "{l}");
        assert_eq!(d["duration_min"], json!(45), "{l}");
        assert_eq!(d["topic"], json!("Lagret: truckar och pallar"), "{l}");
        assert_eq!(d["vocabulary"], json!("pall, truck, plocklista"), "{l}");
        let attendees = d["attendees"].as_array().unwrap_or_else(|| panic!("lesson without attendees: {l}"));
        let present: BTreeSet<Uuid> =
            attendees.iter().filter(|a| a["status"] == json!("present")).map(|a| uuid_of(&a["participant_id"])).collect();
        assert_eq!(present, BTreeSet::from([p1.id]), "present attendees: {l}");
        for a in attendees {
            let who = uuid_of(&a["participant_id"]);
            assert!(who == p1.id || (who == p3.id && a["status"] == json!("absent")), "unexpected attendee {a} in {l}");
        }

        coach.close().await;
        pedagogue.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_coaches_mark_the_same_day_offline_one_record_conflict_nothing_lost() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    bounded(async {
        // P is coach A's participant; coach B has none of their own, so their
        // Today lists everyone in the program (FIELD-APP: "or everyone here
        // if none is theirs"): a colleague covering for A.
        let mut field = seed(&[0]).await;
        let p = field.people[0].clone();
        let Clash { a, b, today } = two_phones_clash_offline(&mut field, &p).await;

        let id = attendance_id(p.placement, &today);
        let records = field.office_pull().await;
        let attendance = records_of(&records, "attendance");
        assert_eq!(attendance.len(), 1, "exactly one attendance record for (placement, today): {attendance:#?}");
        let r = attendance[0];
        assert_eq!(record_id(r), id, "the attendance id is the UUID v5 of placement/date: {r}");
        assert_eq!(r["data"]["date"], json!(today), "{r}");
        assert_eq!(r["conflict"], json!(true), "the clash is flagged: {r}");
        assert_eq!(r["data"]["status"], json!("absent_sick"), "the later mark (higher HLC) wins: {r}");
        assert!(
            r["updated_by"] == json!(field.coach) || r["updated_by"] == json!(field.coach2),
            "updated by one of the coaches: {r}"
        );

        // Nothing lost: the losing value is in the record's history.
        let h = field.office.get(&format!("/api/v1/records/{id}/history")).await;
        if h.status == StatusCode::OK {
            let conflicts = h.body["conflicts"].as_array().unwrap_or_else(|| panic!("history without conflicts: {h}"));
            let status_conflict = conflicts
                .iter()
                .find(|c| c["field"] == json!("status"))
                .unwrap_or_else(|| panic!("no conflict on `status` in the history: {h}"));
            assert_eq!(status_conflict["kept"], json!("absent_sick"), "{h}");
            assert_eq!(status_conflict["lost"], json!("present"), "the losing value is kept: {h}");
            let (kept_hlc, lost_hlc) = (
                status_conflict["kept_hlc"].as_str().unwrap_or(""),
                status_conflict["lost_hlc"].as_str().unwrap_or(""),
            );
            assert!(kept_hlc > lost_hlc, "the kept value has the higher HLC: {h}");
            let versions = h.body["versions"].as_array().map_or(0, Vec::len);
            eprintln!("field_app conflict history: {versions} versions, status kept {kept_hlc} over lost {lost_hlc}");
        } else {
            eprintln!(
                "field_app conflict history: GET /api/v1/records/{id}/history answered {}: the losing value \
                 cannot be checked through the API; asserted one record, conflict flag and winner only",
                h.status
            );
        }

        // Coach A's phone, after its next start, shows the one merged record, flagged.
        let (_, _, _) = reload_and_unlock(&a, 1).await;
        a.wait_for_attr_timeout("sync-status", "data-state", "synced", SYNC_BOUND).await;
        let sick = tid_in(&row(p.id), "attendance-absent_sick");
        a.wait_for_attr_sel_timeout(&sick, "aria-pressed", "true", Duration::from_secs(20)).await;
        a.click_sel(&tid_in(&row(p.id), "today-participant")).await;
        a.wait_for("participant-name").await;
        let item = format!("{}[data-record-id=\"{id}\"]", tid("timeline-item"));
        a.wait_for_sel(&item).await;
        if a.count_sel(&item).await != 1 {
            a.fail("the attendance shows more than once in the timeline").await;
        }
        a.wait_for_sel(&tid_in(&item, "conflict-badge")).await;

        a.close().await;
        b.close().await;
    })
    .await;
}

/// Serialises every value of every object store of every IndexedDB
/// database of the page (byte arrays also as latin-1 text), and localStorage.
const DUMP_STORAGE: &str = r#"
const done = arguments[arguments.length - 1];
const bytes = u8 => { let s = ''; for (let i = 0; i < u8.length; i++) s += String.fromCharCode(u8[i]); return s; };
async function ser(v, depth) {
  if (depth > 40) return '(deep)';
  if (v === null || v === undefined) return v === null ? null : '(undefined)';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof ArrayBuffer) return { latin1: bytes(new Uint8Array(v)) };
  if (ArrayBuffer.isView(v)) return { latin1: bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
  if (typeof Blob !== 'undefined' && v instanceof Blob) return { blob: bytes(new Uint8Array(await v.arrayBuffer())) };
  if (v instanceof Date) return { date: v.toISOString() };
  if (typeof CryptoKey !== 'undefined' && v instanceof CryptoKey) return { cryptokey: v.algorithm.name, extractable: v.extractable };
  if (v instanceof Map) { const o = []; for (const [k, x] of v) o.push([await ser(k, depth + 1), await ser(x, depth + 1)]); return { map: o }; }
  if (v instanceof Set) { const o = []; for (const x of v) o.push(await ser(x, depth + 1)); return { set: o }; }
  if (Array.isArray(v)) { const o = []; for (const x of v) o.push(await ser(x, depth + 1)); return o; }
  if (typeof v === 'object') { const o = {}; for (const k of Object.keys(v)) o[k] = await ser(v[k], depth + 1); return o; }
  return String(v);
}
const req = r => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
(async () => {
  const out = { databases: [], values: 0, local_storage: {} };
  for (const info of await indexedDB.databases()) {
    const db = await req(indexedDB.open(info.name));
    const d = { name: info.name, version: info.version, stores: {} };
    for (const store of Array.from(db.objectStoreNames)) {
      const rows = [];
      const tx = db.transaction(store, 'readonly');
      const cursor = tx.objectStore(store).openCursor();
      await new Promise((ok, fail) => {
        const items = [];
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (c) { items.push([c.primaryKey, c.value]); c.continue(); } else { ok(items); }
        };
        cursor.onerror = () => fail(cursor.error);
      }).then(async items => { for (const [k, v] of items) rows.push({ key: await ser(k, 0), value: await ser(v, 0) }); });
      d.stores[store] = rows;
      out.values += rows.length;
    }
    db.close();
    out.databases.push(d);
  }
  for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); out.local_storage[k] = localStorage.getItem(k); }
  return out;
})().then(v => done({ ok: v }), e => done({ error: String(e) }));
"#;

/// `s` as UTF-16LE bytes read as latin-1 text.
fn utf16le_latin1(s: &str) -> String {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).map(char::from).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nothing_readable_in_indexeddb_after_locking() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    bounded(async {
        let field = seed(&[0, 0]).await;
        let base = field.server.base_url().to_owned();
        let p1 = field.people[0].clone();
        let new_name = "Quillonia X";
        let note_text = "Kvarnhjulet snurrar baklanges 4711";

        let b = Browser::start("at-rest", &base).await;
        login(&b, "coach").await;
        wait_rows(&b, 2).await;

        // A new participant, made in the field.
        b.click("nav-participants").await;
        b.click("participant-new").await;
        b.wait_for("participant-submit").await;
        b.fill("participant-name-input", new_name).await;
        b.select("participant-languages", "sv").await;
        let today = browser_today(&b).await;
        b.fill("participant-started-on", &today).await;
        let participant_ms = ms(submit_and_wait_saved(&b, "participant-submit").await);

        // A note with a distinctive text about a synced participant.
        nav_today(&b).await;
        open_participant(&b, &p1).await;
        let note_ms = ms(add_note(&b, "progress", note_text).await);
        eprintln!(
            "field_app timing: participant_submit_to_saved_ms={participant_ms} note_submit_to_saved_ms={note_ms}"
        );

        // Lock.
        b.click("nav-settings").await;
        b.click("settings-lock").await;
        b.wait_for("unlock-password").await;

        let dump = b.js_async(DUMP_STORAGE).await;
        if let Some(err) = dump.get("error") {
            b.fail(&format!("dumping IndexedDB failed: {err}")).await;
        }
        let dump = &dump["ok"];
        let text = dump.to_string();
        let values = dump["values"].as_u64().unwrap_or(0);
        let stores: Vec<String> = dump["databases"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|d| {
                let db = d["name"].as_str().unwrap_or("?").to_owned();
                d["stores"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(move |(s, rows)| format!("{db}.{s}: {}", rows.as_array().map_or(0, Vec::len)))
            })
            .collect();
        eprintln!("field_app at-rest dump: {values} values, {} bytes of JSON; stores: {stores:?}", text.len());
        assert!(
            values >= 5,
            "the IndexedDB dump holds only {values} values ({stores:?}): the check would prove nothing"
        );
        assert!(
            text.contains(&p1.id.to_string()),
            "the dump does not contain the id of a synced participant ({}), so it does not reach the records \
             (ids stay in clear by design); stores: {stores:?}",
            p1.id
        );

        let mut secrets: Vec<(&str, String)> =
            vec![("new participant name", new_name.to_owned()), ("note text", note_text.to_owned())];
        for p in &field.people {
            secrets.push(("seeded participant name", p.name.to_owned()));
        }
        for (_, employer) in &field.sites {
            secrets.push(("site employer", (*employer).to_owned()));
        }
        let mut found = Vec::new();
        for (what, secret) in &secrets {
            for (form, needle) in [("utf-8/latin-1", secret.clone()), ("utf-16le", utf16le_latin1(secret))] {
                // The JSON escapes control characters; compare on the escaped form too.
                let escaped = serde_json::to_string(&needle).unwrap();
                let escaped = &escaped[1..escaped.len() - 1];
                if text.contains(&needle) || text.contains(escaped) {
                    found.push(format!("{what} {secret:?} ({form})"));
                }
            }
        }
        if !found.is_empty() {
            let shot = b.screenshot("failure-at-rest").await;
            panic!("readable at rest after locking: {found:?}; stores: {stores:?}; screenshot {}", shot.display());
        }
        b.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn screenshots_of_today_a_form_and_the_participant_page() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    bounded(async {
        let field = seed(&[0, 0, 0]).await;
        let base = field.server.base_url().to_owned();
        let p1 = field.people[0].clone();
        let b = Browser::start("screens", &base).await;
        login(&b, "coach").await;
        wait_rows(&b, 3).await;
        let mut shots = Vec::new();
        shots.push(page_shot(&b, "field-app-today").await);

        open_visit_form(&b, p1.id, "Trivs, vill lara sig plocklistan", "Folja upp fredag").await;
        shots.push(page_shot(&b, "field-app-visit-form").await);
        submit_and_wait_saved(&b, "visit-submit").await;
        nav_today(&b).await;

        open_participant(&b, &p1).await;
        b.wait_for("timeline-item").await;
        shots.push(page_shot(&b, "field-app-participant").await);

        for path in &shots {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{} was not written: {e}", path.display()));
            assert_eq!(png_size(&bytes), Some(browser::VIEWPORT), "{} is not a 390x844 PNG", path.display());
            assert!(bytes.len() > 5_000, "{} is only {} bytes: a blank page?", path.display(), bytes.len());
            eprintln!("field_app screenshot: {} ({} bytes)", path.display(), bytes.len());
        }
        b.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_device_cut_off_by_the_admin_wipes_itself_on_its_next_contact() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    bounded(async {
        let field = seed(&[0, 0]).await;
        let base = field.server.base_url().to_owned();
        let b = Browser::start("lost-phone", &base).await;
        login(&b, "coach").await;
        wait_rows(&b, 2).await;
        let before = b.js_async(DUMP_STORAGE).await;
        assert!(before["ok"].to_string().contains(&field.people[0].id.to_string()), "the device holds the records");

        // The phone is lost: the admin cuts off its session.
        let admin = Api::login(&base, "admin", PASSWORD, "admin laptop").await;
        let sessions = admin.sessions().await;
        let phone: Vec<&Value> = sessions.iter().filter(|s| s["username"] == json!("coach")).collect();
        assert_eq!(phone.len(), 1, "{sessions:?}");
        admin
            .delete(&format!("/api/v1/auth/sessions/{}", phone[0]["id"].as_str().unwrap()))
            .await
            .expect(StatusCode::NO_CONTENT);

        // Its next contact with the server (a tap on the sync status here;
        // the scheduler would do it within a minute) wipes it.
        b.click("sync-status").await;
        b.wait_for_timeout("revoked-notice", SYNC_BOUND).await;
        b.wait_for("login-username").await;
        let after = b.js_async(DUMP_STORAGE).await;
        let text = after["ok"].to_string();
        for p in &field.people {
            assert!(!text.contains(&p.id.to_string()), "a record of {} is still on the device: {text}", p.name);
        }
        let page = b.js("return document.body.innerText;").await;
        for p in &field.people {
            assert!(!page.as_str().unwrap_or_default().contains(p.name), "{} still on screen", p.name);
        }
        b.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_version_is_offered_and_taken_without_losing_a_pending_record() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    bounded(async {
        let mut field = seed(&[0, 0]).await;
        let base = field.server.base_url().to_owned();
        let p1 = field.people[0].clone();
        let b = Browser::start("update", &base).await;
        login(&b, "coach").await;
        wait_rows(&b, 2).await;
        wait_service_worker(&b).await;

        // Offline, a record is saved and waits in the outbox.
        field.server.kill().await;
        mark_attendance(&b, p1.id, "late").await;
        assert_pending(&b).await;

        // Meanwhile the server got a new build of the app.
        let dist = field.server.served_dist_dir().expect("served with the app").to_owned();
        let sw = std::fs::read_to_string(dist.join("sw.js")).unwrap();
        let old_version = sw.lines().find(|l| l.starts_with("const VERSION")).unwrap().to_owned();
        std::fs::write(dist.join("sw.js"), sw.replace(&old_version, "const VERSION = \"next-build\";")).unwrap();
        field.server.restart_on_same_port().await;

        // Back online, the app syncs by itself, finds the new version in the
        // background and offers it; taking it reloads into the new version.
        wait_synced_by(&b, Instant::now() + SYNC_BOUND).await;
        b.wait_for_timeout("update-banner", SYNC_BOUND).await;
        b.click("update-reload").await;
        b.wait_until("the reload into the new version", Duration::from_secs(30), async || {
            b.probe("unlock-password").await.displayed.then_some(())
        })
        .await;
        let caches = b
            .js_async("const done = arguments[arguments.length - 1]; caches.keys().then(k => done(k.join(',')));")
            .await;
        assert_eq!(caches.as_str(), Some("stegvis-shell-next-build"), "the new version's cache replaced the old one");
        b.fill("unlock-password", PASSWORD).await;
        b.click("unlock-submit").await;
        wait_rows(&b, 2).await;
        let button = tid_in(&row(p1.id), "attendance-late");
        b.wait_for_attr_sel_timeout(&button, "aria-pressed", "true", Duration::from_secs(10)).await;

        // The record saved before the update reached the server.
        let today = browser_today(&b).await;
        let attendance: Vec<Value> = field
            .office_pull()
            .await
            .into_iter()
            .filter(|r| r["kind"] == json!("attendance") && r["data"]["date"] == json!(today))
            .collect();
        assert_eq!(attendance.len(), 1, "{attendance:?}");
        assert_eq!(attendance[0]["data"]["status"], json!("late"));
        b.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_the_server_is_restored_from_a_backup_the_phone_pushes_again_what_it_lost() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    bounded(async {
        let mut field = seed(&[0, 0]).await;
        let base = field.server.base_url().to_owned();
        let (p1, p2) = (field.people[0].clone(), field.people[1].clone());
        let b = Browser::start("restored-server", &base).await;
        login(&b, "coach").await;
        wait_rows(&b, 2).await;
        let today = browser_today(&b).await;

        // Last night's backup.
        field.server.kill().await;
        let backup = field.server.sqlite_backup();
        field.server.restart_on_same_port().await;

        // This morning's marks reach the server and the phone is synced.
        mark_attendance(&b, p1.id, "present").await;
        mark_attendance(&b, p2.id, "absent_sick").await;
        b.click("sync-status").await;
        wait_synced_by(&b, Instant::now() + SYNC_BOUND).await;
        let marks = |records: &[Value]| -> Vec<(String, String)> {
            let mut out: Vec<(String, String)> = records_of(records, "attendance")
                .iter()
                .map(|r| (r["data"]["participant_id"].as_str().unwrap().to_owned(), r["data"]["status"].to_string()))
                .collect();
            out.sort();
            out
        };
        let synced = marks(&field.office_pull().await);
        assert_eq!(synced.len(), 2, "{synced:?}");

        // The server's disk is lost; it comes back from last night's backup.
        field.server.kill().await;
        backup.restore();
        field.server.restart_on_same_port().await;
        assert!(marks(&field.office_pull().await).is_empty(), "the backup predates the marks");

        // The phone's next sync notices and pushes again what the server lost.
        // (The status already says "synced" and nothing is pending before that
        // sync starts, so the server itself is watched.)
        b.click("sync-status").await;
        let back = b
            .wait_until("the marks on the server again", SYNC_BOUND, async || {
                let back = field.office_pull().await;
                (marks(&back) == synced).then_some(back)
            })
            .await;
        wait_synced_by(&b, Instant::now() + SYNC_BOUND).await;
        for r in records_of(&back, "attendance") {
            assert_eq!(r["conflict"], json!(false), "{r}");
            assert_eq!(r["data"]["date"], json!(today), "{r}");
        }
        for p in [&p1, &p2] {
            let button =
                tid_in(&row(p.id), if p.id == p1.id { "attendance-present" } else { "attendance-absent_sick" });
            b.wait_for_attr_sel_timeout(&button, "aria-pressed", "true", Duration::from_secs(10)).await;
        }
        b.close().await;
    })
    .await;
}
