//! Valid `data` for every record kind (PRODUCT.md, "Records"), the
//! attendance id rule (UUID v5 of `"<placement_id>/<date>"`), and small date
//! helpers, so tests start from something valid and break one thing.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use time::{Date, Month};
use uuid::Uuid;

/// Every record kind of the contract.
pub const KINDS: [&str; 8] =
    ["participant", "site", "placement", "attendance", "visit", "mentor_note", "lesson", "plan_goal"];

/// Kinds beyond API.md's eight: `follow_up` (docs/OFFICE.md), written by office and admin only.
pub const OFFICE_KINDS: [&str; 1] = ["follow_up"];

/// Namespace of attendance ids.
pub const ATTENDANCE_NAMESPACE: &str = "5b0c8a52-6d1e-4f3a-9c7b-2e8f4a1d6c30";

/// The one id of the attendance of `placement` on `date` (`YYYY-MM-DD`).
pub fn attendance_id(placement: Uuid, date: &str) -> Uuid {
    let ns = Uuid::parse_str(ATTENDANCE_NAMESPACE).unwrap();
    Uuid::new_v5(&ns, format!("{placement}/{date}").as_bytes())
}

/// `2026-03-02` plus `n` days, as `YYYY-MM-DD`.
pub fn day(n: i64) -> String {
    let d = Date::from_calendar_date(2026, Month::March, 2).unwrap() + time::Duration::days(n);
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A fresh record id (v7, as clients are asked to make them).
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

pub fn participant() -> Value {
    json!({
        "display_name": "Amina K",
        "languages": ["ar", "sv"],
        "needs_interpreter": false,
        "coach_id": null,
        "status": "active",
        "started_on": "2026-01-12",
    })
}

/// A participant who left for a job.
pub fn exited_participant() -> Value {
    let mut p = participant();
    p["status"] = json!("exited");
    p["exit"] = json!({"date": "2026-05-29", "outcome": "job", "reason": "anställd som kockbiträde"});
    p
}

pub fn site() -> Value {
    json!({
        "employer": "Restaurang Solsidan AB",
        "address": "Storgatan 1, Haninge",
        "supervisor_name": "Per L",
        "supervisor_phone": "+46 70 123 45 67",
    })
}

pub fn placement(participant: Uuid, site: Uuid) -> Value {
    json!({
        "participant_id": participant,
        "site_id": site,
        "starts_on": "2026-03-02",
        "ends_on": "2026-06-30",
        "weekdays": [1, 2, 3, 4],
        "hours_per_day": 4.5,
        "focus": "branschskola: restaurang",
    })
}

pub fn attendance(placement: Uuid, participant: Uuid, date: &str) -> Value {
    json!({
        "placement_id": placement,
        "participant_id": participant,
        "date": date,
        "status": "present",
        "hours": 4.5,
        "note": null,
    })
}

pub fn visit(participant: Uuid, site: Uuid) -> Value {
    json!({
        "participant_id": participant,
        "site_id": site,
        "at": "2026-03-02T09:30:00Z",
        "type": "check_in",
        "wellbeing": 4,
        "note": "Trivs i köket, vill lära sig kassan.",
        "next_step": "Prata med handledaren om kassautbildning",
        "next_visit_on": "2026-03-09",
    })
}

pub fn mentor_note(participant: Uuid) -> Value {
    json!({
        "participant_id": participant,
        "at": "2026-03-02T10:15:00Z",
        "category": "progress",
        "text": "Kommer i tid varje dag.",
    })
}

pub fn lesson(site: Uuid, participant: Uuid) -> Value {
    json!({
        "site_id": site,
        "at": "2026-03-03T13:00:00Z",
        "duration_min": 30,
        "topic": "Köket: redskap",
        "vocabulary": "kniv, skärbräda, stekpanna",
        "attendees": [{"participant_id": participant, "status": "present"}],
        "note": null,
    })
}

pub fn plan_goal(participant: Uuid) -> Value {
    json!({
        "participant_id": participant,
        "text": "Ta hygienkörkort",
        "target_date": "2026-04-30",
        "status": "open",
    })
}

/// A follow-up `months` (3 or 6) after the participant's exit.
pub fn follow_up(participant: Uuid, months: u8, status: &str) -> Value {
    json!({"participant_id": participant, "months_after_exit": months, "status": status})
}

/// The records a program needs before anything else can reference them.
#[derive(Debug, Clone, Copy)]
pub struct Refs {
    pub program: Uuid,
    pub participant: Uuid,
    pub site: Uuid,
    pub placement: Uuid,
}

impl Refs {
    /// A fresh record of `kind` referencing these records: its id and valid
    /// data. Attendance uses `day(n)`, so vary `n` to get distinct days.
    pub fn sample(&self, kind: &str, n: i64) -> (Uuid, Value) {
        let data = match kind {
            "participant" => participant(),
            "site" => site(),
            "placement" => placement(self.participant, self.site),
            "attendance" => {
                let date = day(n);
                return (attendance_id(self.placement, &date), attendance(self.placement, self.participant, &date));
            }
            "visit" => visit(self.participant, self.site),
            "mentor_note" => mentor_note(self.participant),
            "lesson" => lesson(self.site, self.participant),
            "plan_goal" => plan_goal(self.participant),
            other => panic!("unknown kind {other}"),
        };
        (new_id(), data)
    }
}
