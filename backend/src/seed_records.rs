//! The demo program's records, so the desk has something to show after
//! `cargo xtask run`: three sites, eight participants (two of them exited,
//! one followed up), placements since two months ago with attendance on every
//! planned day up to yesterday, a visit, a note and a plan goal. DEMO ONLY.
//!
//! Written through the ordinary push path (`sync::prepare` then
//! `Store::push`) as the demo office user, so history and report tables are
//! exactly what a device's sync would have made. Ids derive from fixed names
//! (UUID v5), so a second run finds the first site and writes nothing.

use serde_json::{Value, json};
use shared::Role;
use shared::calendar::{is_holiday, iso_weekday};
use shared::ids::attendance_id;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::store::{PushContext, Store, StoreError, to_millis};
use crate::sync::prepare::{PrepareContext, prepare};

/// Namespace of the demo's record ids.
const DEMO_NAMESPACE: Uuid = Uuid::from_u128(0x6f1e_2c2a_8b0d_4f55_9a7e_5d3c_1b2a_0c91);

fn demo_id(name: &str) -> Uuid {
    Uuid::new_v5(&DEMO_NAMESPACE, name.as_bytes())
}

fn day(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// (name, languages, interpreter, weekdays, hours, site index, exit: (days ago, outcome))
type Person = (&'static str, &'static [&'static str], bool, &'static [u8], f64, usize, Option<(i64, &'static str)>);

const SITES: [&str; 3] = ["Coop Logistik Jordbro", "Restaurang Solsidan", "Haninge Bygg AB"];
const PEOPLE: [Person; 8] = [
    ("Amina K", &["so", "sv"], true, &[1, 2, 3, 4, 5], 6.0, 0, None),
    ("Bilal S", &["ar", "sv"], false, &[1, 3, 5], 4.5, 1, None),
    ("Cecilia R", &["es", "sv"], false, &[1, 2, 3, 4], 6.0, 2, None),
    ("Dawit T", &["ti", "sv"], true, &[1, 2, 3, 4, 5], 4.0, 0, None),
    ("Elif Y", &["tr", "sv"], false, &[2, 4], 5.0, 1, None),
    ("Farah N", &["fa", "sv"], false, &[1, 2, 3, 4, 5], 6.0, 2, None),
    ("Goran P", &["bs", "sv"], false, &[1, 2, 3, 4, 5], 6.0, 0, Some((100, "job"))),
    ("Hodan A", &["so", "sv"], true, &[1, 2, 3], 4.0, 1, Some((40, "studies"))),
];

/// A mark for participant `p` on planned day number `k`: mostly present.
fn status_of(p: usize, k: usize) -> &'static str {
    match (p * 7 + k * 13) % 29 {
        0 => "absent_sick",
        1 => "late",
        2 => "absent_excused",
        3 if p == 3 => "absent_unexcused",
        _ => "present",
    }
}

/// Writes the demo records into `program` as `office` unless they exist;
/// returns how many records it wrote.
pub async fn seed_records(store: &dyn Store, program: Uuid, office: Uuid, coach: Uuid) -> Result<usize, StoreError> {
    if store.record_history(demo_id("site/0")).await?.is_some() {
        return Ok(0);
    }
    let now = OffsetDateTime::now_utc();
    let today = now.date();
    let start = today - Duration::days(60);
    let device = demo_id("device/office");
    let mut data: Vec<(&str, Uuid, Value)> = Vec::new();
    for (i, employer) in SITES.iter().enumerate() {
        data.push(("site", demo_id(&format!("site/{i}")), json!({"employer": employer, "address": "Haninge"})));
    }
    for (p, (name, languages, interpreter, weekdays, hours, site, exit)) in PEOPLE.iter().enumerate() {
        let participant = demo_id(&format!("participant/{p}"));
        let placement = demo_id(&format!("placement/{p}"));
        let exit_day = exit.map(|(ago, outcome)| (today - Duration::days(ago), outcome));
        let mut person = json!({"display_name": name, "languages": languages, "needs_interpreter": interpreter,
            "coach_id": coach, "status": "active", "started_on": day(start - Duration::days(120))});
        if let Some((date, outcome)) = exit_day {
            person["status"] = json!("exited");
            person["exit"] = json!({"date": day(date), "outcome": outcome});
        }
        data.push(("participant", participant, person));
        let placement_start = exit_day.map_or(start, |(d, _)| d - Duration::days(60));
        let placement_end = exit_day.map(|(d, _)| d);
        data.push((
            "placement",
            placement,
            json!({"participant_id": participant, "site_id": demo_id(&format!("site/{site}")),
                   "starts_on": day(placement_start), "ends_on": placement_end.map(day),
                   "weekdays": weekdays, "hours_per_day": hours}),
        ));
        let until = placement_end.unwrap_or(today - Duration::days(1));
        let mut d = placement_start;
        let mut k = 0;
        while d <= until {
            if weekdays.contains(&iso_weekday(d)) && !is_holiday(d) {
                data.push((
                    "attendance",
                    attendance_id(placement, d),
                    json!({"placement_id": placement, "participant_id": participant, "date": day(d),
                           "status": status_of(p, k)}),
                ));
                k += 1;
            }
            d += Duration::days(1);
        }
    }
    let amina = demo_id("participant/0");
    let yesterday = now - Duration::days(1);
    let at = yesterday.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    data.push((
        "visit",
        demo_id("visit/0"),
        json!({"participant_id": amina, "site_id": demo_id("site/0"), "at": at, "type": "check_in", "wellbeing": 4,
               "note": "Trivs bra i lagret, vill gå truckkurs.", "next_step": "Boka truckkurs"}),
    ));
    data.push((
        "mentor_note",
        demo_id("note/0"),
        json!({"participant_id": amina, "at": at, "category": "language", "text": "Använder yrkesorden självständigt."}),
    ));
    data.push((
        "plan_goal",
        demo_id("goal/0"),
        json!({"participant_id": amina, "text": "Truckkort A+B", "status": "open", "target_date": day(today + Duration::days(45))}),
    ));
    data.push((
        "follow_up",
        demo_id("follow_up/6/3"),
        json!({"participant_id": demo_id("participant/6"), "months_after_exit": 3, "status": "job",
               "note": "Kvar hos arbetsgivaren."}),
    ));

    let millis = u64::try_from(to_millis(now)).unwrap_or_default();
    let programs = [program];
    let ctx = PrepareContext { device_id: device, role: Role::Office, program_ids: &programs, now_millis: millis };
    let push = PushContext { user_id: office, role: Role::Office, device_id: device, program_ids: vec![program], now };
    let written = data.len();
    for (n, chunk) in data.chunks(shared::wire::MAX_MUTATIONS_PER_PUSH).enumerate() {
        let items = chunk
            .iter()
            .enumerate()
            .map(|(i, (kind, record_id, data))| {
                let counter = n * shared::wire::MAX_MUTATIONS_PER_PUSH + i;
                let mutation = json!({"id": Uuid::now_v7(), "record_id": record_id, "kind": kind,
                    "program_id": program, "op": "put", "base_version": null,
                    "hlc": format!("{millis:013}:{counter:05}:{device}"), "data": data});
                prepare(mutation, &ctx)
            })
            .collect();
        let results = store.push(&push, items).await?;
        if let Some(refused) = results.iter().find(|r| r.error.is_some()) {
            return Err(StoreError::Corrupt(format!("a demo record was refused: {:?}", refused.error)));
        }
    }
    Ok(written)
}
