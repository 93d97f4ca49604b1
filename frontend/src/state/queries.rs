//! What the pages ask of the records in memory: participants, sites,
//! today's list, a participant's timeline. Pure functions; deleted records
//! are skipped everywhere.

use std::collections::HashMap;

use shared::RecordData;
use shared::records::{AttendanceStatus, GoalStatus, IsoDate, Participant, ParticipantStatus, Placement, Site};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::platform::lowercase;
use crate::repo::LocalRecord;

/// `list` ordered by `key` (computed once per item; ties keep their order).
/// Every list here is sorted through the one `sort_by` on indices in
/// `sorted_indices`, so the wasm holds one copy of the sort instead of one
/// per list type (issue 6, the field app's size budget).
fn sorted_by<T, K: Ord>(list: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let keys: Vec<K> = list.iter().map(key).collect();
    let order = sorted_indices(keys.len(), &|a, b| keys[a].cmp(&keys[b]));
    let mut items: Vec<Option<T>> = list.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| items.get_mut(i).and_then(Option::take)).collect()
}

/// `0..n` stably sorted by `cmp` (not generic on purpose: see `sorted_by`).
fn sorted_indices(n: usize, cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| cmp(*a, *b));
    order
}

fn live(records: &[LocalRecord]) -> impl Iterator<Item = &LocalRecord> {
    records.iter().filter(|r| !r.deleted)
}

/// Every participant, by name.
pub fn participants(records: &[LocalRecord]) -> Vec<(&LocalRecord, &Participant)> {
    let list: Vec<_> = live(records)
        .filter_map(|r| match &r.data {
            RecordData::Participant(p) => Some((r, p)),
            _ => None,
        })
        .collect();
    sorted_by(list, |(_, p)| lowercase(p.display_name.as_str()))
}

/// Every site, by employer.
pub fn sites(records: &[LocalRecord]) -> Vec<(&LocalRecord, &Site)> {
    let list: Vec<_> = live(records)
        .filter_map(|r| match &r.data {
            RecordData::Site(s) => Some((r, s)),
            _ => None,
        })
        .collect();
    sorted_by(list, |(_, s)| lowercase(s.employer.as_str()))
}

pub fn participant(records: &[LocalRecord], id: Uuid) -> Option<(&LocalRecord, &Participant)> {
    live(records).find(|r| r.id == id).and_then(|r| match &r.data {
        RecordData::Participant(p) => Some((r, p)),
        _ => None,
    })
}

pub fn site(records: &[LocalRecord], id: Uuid) -> Option<(&LocalRecord, &Site)> {
    live(records).find(|r| r.id == id).and_then(|r| match &r.data {
        RecordData::Site(s) => Some((r, s)),
        _ => None,
    })
}

/// A participant's name, if the record is here.
pub fn participant_name(records: &[LocalRecord], id: Uuid) -> Option<String> {
    participant(records, id).map(|(_, p)| p.display_name.as_str().to_owned())
}

/// A site's employer name, if the record is here.
pub fn site_name(records: &[LocalRecord], id: Uuid) -> Option<String> {
    site(records, id).map(|(_, s)| s.employer.as_str().to_owned())
}

/// One participant on Today's list: a placement scheduled today.
#[derive(Debug, Clone, PartialEq)]
pub struct TodayRow {
    pub participant_id: Uuid,
    pub name: String,
    pub placement_id: Uuid,
    /// The placement's program: the attendance record goes there.
    pub program_id: Uuid,
    pub site_id: Uuid,
    pub hours_per_day: f64,
    /// The stored attendance of today, if any.
    pub attendance: Option<AttendanceStatus>,
    /// Whether today's attendance record is conflicted.
    pub conflict: bool,
    pub last_visit: Option<OffsetDateTime>,
}

/// Today's rows under one site.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteGroup {
    pub site_id: Uuid,
    pub site_name: Option<String>,
    pub rows: Vec<TodayRow>,
}

/// The participants with a placement scheduled on `today`, grouped by site:
/// the user's own (`coach_id` = `me`), or everyone here if none is theirs.
pub fn today_groups(records: &[LocalRecord], me: Uuid, today: Date) -> Vec<SiteGroup> {
    let Ok(day) = IsoDate::from_date(today) else {
        return Vec::new();
    };
    let people: Vec<(&LocalRecord, &Participant)> =
        participants(records).into_iter().filter(|(_, p)| p.status != ParticipantStatus::Exited).collect();
    let mine: Vec<_> = people.iter().filter(|(_, p)| p.coach_id == Some(me)).copied().collect();
    let people = if mine.is_empty() { people } else { mine };

    let mut attendance: HashMap<Uuid, (&LocalRecord, AttendanceStatus)> = HashMap::new();
    let mut last_visit: HashMap<Uuid, OffsetDateTime> = HashMap::new();
    for r in live(records) {
        match &r.data {
            RecordData::Attendance(a) if a.date == day => {
                attendance.insert(a.placement_id, (r, a.status));
            }
            RecordData::Visit(v) => {
                let at = v.at.offset_date_time();
                let entry = last_visit.entry(v.participant_id).or_insert(at);
                if at > *entry {
                    *entry = at;
                }
            }
            _ => {}
        }
    }

    let mut groups: Vec<SiteGroup> = Vec::new();
    for (precord, person) in people {
        for (plrecord, placement) in placements_of(records, precord.id) {
            if !placement.is_scheduled(day) {
                continue;
            }
            let stored = attendance.get(&plrecord.id);
            let row = TodayRow {
                participant_id: precord.id,
                name: person.display_name.as_str().to_owned(),
                placement_id: plrecord.id,
                program_id: plrecord.program_id,
                site_id: placement.site_id,
                hours_per_day: placement.hours_per_day.get(),
                attendance: stored.map(|(_, s)| *s),
                conflict: stored.is_some_and(|(r, _)| r.conflict),
                last_visit: last_visit.get(&precord.id).copied(),
            };
            match groups.iter_mut().find(|g| g.site_id == placement.site_id) {
                Some(group) => group.rows.push(row),
                None => groups.push(SiteGroup {
                    site_id: placement.site_id,
                    site_name: site_name(records, placement.site_id),
                    rows: vec![row],
                }),
            }
        }
    }
    sorted_by(groups, |g| lowercase(g.site_name.as_deref().unwrap_or_default()))
}

/// A participant's placements, newest start first.
pub fn placements_of(records: &[LocalRecord], participant_id: Uuid) -> Vec<(&LocalRecord, &Placement)> {
    let list: Vec<_> = live(records)
        .filter_map(|r| match &r.data {
            RecordData::Placement(p) if p.participant_id == participant_id => Some((r, p)),
            _ => None,
        })
        .collect();
    sorted_by(list, |(_, p)| std::cmp::Reverse(p.starts_on))
}

/// The participants with a placement at `site_id` (any time), by name.
pub fn site_participants(records: &[LocalRecord], site_id: Uuid) -> Vec<(Uuid, String)> {
    let ids: Vec<Uuid> = live(records)
        .filter_map(|r| match &r.data {
            RecordData::Placement(p) if p.site_id == site_id => Some(p.participant_id),
            _ => None,
        })
        .collect();
    let mut ids = sorted_by(ids, |id| *id);
    ids.dedup();
    let list: Vec<(Uuid, String)> =
        ids.into_iter().filter_map(|id| participant_name(records, id).map(|name| (id, name))).collect();
    sorted_by(list, |(_, name)| lowercase(name))
}

/// The site of a participant's placement that runs on `today`, if any.
pub fn current_site(records: &[LocalRecord], participant_id: Uuid, today: Date) -> Option<Uuid> {
    let day = IsoDate::from_date(today).ok()?;
    let placements = placements_of(records, participant_id);
    placements
        .iter()
        .find(|(_, p)| p.is_scheduled(day))
        .or_else(|| placements.iter().find(|(_, p)| p.starts_on <= day && p.ends_on.is_none_or(|end| day <= end)))
        .map(|(_, p)| p.site_id)
}

/// A participant's open goals.
pub fn open_goals(records: &[LocalRecord], participant_id: Uuid) -> Vec<&LocalRecord> {
    live(records)
        .filter(|r| matches!(&r.data, RecordData::PlanGoal(g) if g.participant_id == participant_id && g.status == GoalStatus::Open))
        .collect()
}

/// Whether `record` is about `participant_id` (lessons: listed as attendee).
fn concerns(record: &LocalRecord, participant_id: Uuid) -> bool {
    record.data.participant_ids().contains(&participant_id)
}

fn date_ms(date: IsoDate) -> i128 {
    date.date().midnight().assume_utc().unix_timestamp_nanos() / 1_000_000
}

/// When a record happened, for ordering the timeline (ms since the epoch).
fn when(record: &LocalRecord) -> i128 {
    let ms = |t: OffsetDateTime| t.unix_timestamp_nanos() / 1_000_000;
    match &record.data {
        RecordData::Visit(v) => ms(v.at.offset_date_time()),
        RecordData::MentorNote(n) => ms(n.at.offset_date_time()),
        RecordData::Lesson(l) => ms(l.at.offset_date_time()),
        RecordData::Attendance(a) => date_ms(a.date),
        RecordData::Placement(p) => date_ms(p.starts_on),
        RecordData::FollowUp(_) => record.updated_at.map(ms).unwrap_or_default(),
        RecordData::PlanGoal(g) => record.updated_at.map(ms).or_else(|| g.target_date.map(date_ms)).unwrap_or_default(),
        RecordData::Participant(_) | RecordData::Site(_) => record.updated_at.map(ms).unwrap_or_default(),
    }
}

/// Everything about a participant, newest first.
pub fn timeline(records: &[LocalRecord], participant_id: Uuid) -> Vec<&LocalRecord> {
    let list: Vec<&LocalRecord> = live(records).filter(|r| concerns(r, participant_id)).collect();
    sorted_by(list, |r| std::cmp::Reverse(when(r)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use shared::Kind;
    use time::macros::date;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    // The UI's unit tests run in the same headless Chromium as the core's.
    wasm_bindgen_test_configure!(run_in_browser);

    fn rec(id: u128, kind: Kind, data: serde_json::Value) -> LocalRecord {
        LocalRecord {
            id: Uuid::from_u128(id),
            kind,
            program_id: Uuid::from_u128(99),
            version: None,
            deleted: false,
            conflict: false,
            data: RecordData::parse(kind, &data).unwrap_or_else(|e| panic!("{e}")),
            updated_at: None,
            pending: true,
        }
    }

    fn sample() -> Vec<LocalRecord> {
        let p1 = Uuid::from_u128(1).to_string();
        let p2 = Uuid::from_u128(2).to_string();
        let s = Uuid::from_u128(10).to_string();
        vec![
            rec(
                1,
                Kind::Participant,
                json!({"display_name": "Amina K.", "languages": [], "needs_interpreter": false,
                "status": "active", "started_on": "2026-09-01"}),
            ),
            rec(
                2,
                Kind::Participant,
                json!({"display_name": "Bo L.", "languages": [], "needs_interpreter": false,
                "status": "active", "started_on": "2026-09-01"}),
            ),
            rec(10, Kind::Site, json!({"employer": "Coop"})),
            // Monday to Friday, from 2026-11-01.
            rec(
                20,
                Kind::Placement,
                json!({"participant_id": p1, "site_id": s, "starts_on": "2026-11-01",
                "weekdays": [1,2,3,4,5], "hours_per_day": 6}),
            ),
            rec(
                21,
                Kind::Placement,
                json!({"participant_id": p2, "site_id": s, "starts_on": "2026-11-01",
                "weekdays": [6], "hours_per_day": 4}),
            ),
            rec(30, Kind::Visit, json!({"participant_id": p1, "at": "2026-11-20T09:00:00Z", "type": "check_in"})),
            rec(31, Kind::Visit, json!({"participant_id": p1, "at": "2026-11-21T09:00:00Z", "type": "phone"})),
        ]
    }

    #[wasm_bindgen_test]
    fn today_lists_scheduled_placements_by_site() {
        // 2026-11-23 is a Monday.
        let groups = today_groups(&sample(), Uuid::from_u128(500), date!(2026 - 11 - 23));
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].site_name.as_deref(), Some("Coop"));
        assert_eq!(groups[0].rows.len(), 1);
        let row = &groups[0].rows[0];
        assert_eq!(row.name, "Amina K.");
        assert!((row.hours_per_day - 6.0).abs() < f64::EPSILON);
        assert_eq!(row.last_visit.map(|t| t.day()), Some(21));
        // Saturday: only Bo.
        let groups = today_groups(&sample(), Uuid::from_u128(500), date!(2026 - 11 - 28));
        assert_eq!(groups[0].rows[0].name, "Bo L.");
    }

    #[wasm_bindgen_test]
    fn timeline_is_newest_first() {
        let records = sample();
        let items = timeline(&records, Uuid::from_u128(1));
        let ids: Vec<u128> = items.iter().map(|r| r.id.as_u128()).collect();
        assert_eq!(ids, vec![31, 30, 20]);
        assert_eq!(site_participants(&records, Uuid::from_u128(10)).len(), 2);
    }
}
