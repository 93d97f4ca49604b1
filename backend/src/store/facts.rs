//! The report tables' rows of one record (docs/OFFICE.md, "Report tables"):
//! a pure function from a record's kind, data and tombstone to the typed
//! fact values, so both backends only write SQL.
//!
//! The push transaction writes them next to `records`; the start-up rebuild
//! writes them for every stored record when [`PROJECTION_VERSION`] is newer
//! than the database's `projection_state`.

use shared::Kind;
use shared::merge::Fields;
use shared::records::RecordData;
use uuid::Uuid;

/// The version of the projection code. Raise it whenever what the fact
/// tables hold changes: the next start rebuilds them from `records`.
pub const PROJECTION_VERSION: i64 = 1;

/// How many records one rebuild transaction reads and projects.
pub const REBUILD_BATCH: i64 = 500;

/// A row of `participant_facts`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParticipantFact {
    pub display_name: String,
    pub name_lower: String,
    pub status: &'static str,
    pub coach_id: Option<Uuid>,
    pub started_on: String,
    pub exit_date: Option<String>,
    pub exit_outcome: Option<&'static str>,
}

/// A row of `placement_facts`.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacementFact {
    pub participant_id: Uuid,
    pub site_id: Uuid,
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// `"1,2,3"`.
    pub weekdays: String,
    pub hours_per_day: f64,
}

/// A row of `attendance_facts`.
#[derive(Clone, Debug, PartialEq)]
pub struct AttendanceFact {
    pub placement_id: Uuid,
    pub participant_id: Uuid,
    pub date: String,
    pub status: &'static str,
    pub hours: Option<f64>,
}

/// A row of `follow_up_facts` (its `version` is the record's).
#[derive(Clone, Debug, PartialEq)]
pub struct FollowUpFact {
    pub participant_id: Uuid,
    pub months_after_exit: i64,
    pub status: &'static str,
}

/// A row of `site_facts`.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteFact {
    pub employer: String,
}

/// The typed row of the kind's own table, if the kind has one.
#[derive(Clone, Debug, PartialEq)]
pub enum KindFact {
    Participant(ParticipantFact),
    Placement(PlacementFact),
    Attendance(AttendanceFact),
    FollowUp(FollowUpFact),
    Site(SiteFact),
}

/// Everything the report tables hold about one record.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    /// The row of the kind's table; `None` for kinds without one, or data
    /// that no longer parses (then the stale row, if any, is removed).
    pub row: Option<KindFact>,
    /// `record_participants`: whom the record is about.
    pub participants: Vec<Uuid>,
}

/// The table holding facts of `kind`, if any (to clear a stale row).
pub fn table_of(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Participant => Some("participant_facts"),
        Kind::Placement => Some("placement_facts"),
        Kind::Attendance => Some("attendance_facts"),
        Kind::FollowUp => Some("follow_up_facts"),
        Kind::Site => Some("site_facts"),
        Kind::Visit | Kind::MentorNote | Kind::Lesson | Kind::PlanGoal => None,
    }
}

/// The facts of record `id` of `kind` with `data`. A tombstone keeps its
/// data, so it has the same facts (the tables' `deleted` column says it is
/// gone). Data that does not parse (it cannot come from a push) gives no row;
/// nor does a record retention destroyed (empty data): its rows go.
pub fn facts_of(id: Uuid, kind: Kind, data: &Fields) -> Facts {
    if data.is_empty() {
        return Facts { row: None, participants: Vec::new() };
    }
    let Ok(parsed) = RecordData::parse(kind, &serde_json::Value::Object(data.clone())) else {
        tracing::warn!(record_id = %id, %kind, "stored record data does not parse; no report facts");
        return Facts { row: None, participants: Vec::new() };
    };
    let mut participants = match &parsed {
        RecordData::Participant(_) => vec![id],
        other => other.participant_ids(),
    };
    participants.sort();
    participants.dedup();
    let row = match parsed {
        RecordData::Participant(p) => Some(KindFact::Participant(ParticipantFact {
            name_lower: p.display_name.as_str().to_lowercase(),
            display_name: p.display_name.as_str().to_owned(),
            status: p.status.as_str(),
            coach_id: p.coach_id,
            started_on: p.started_on.to_string(),
            exit_date: p.exit.as_ref().map(|e| e.date.to_string()),
            exit_outcome: p.exit.as_ref().map(|e| e.outcome.as_str()),
        })),
        RecordData::Placement(p) => Some(KindFact::Placement(PlacementFact {
            participant_id: p.participant_id,
            site_id: p.site_id,
            starts_on: p.starts_on.to_string(),
            ends_on: p.ends_on.map(|d| d.to_string()),
            weekdays: p.weekdays.as_slice().iter().map(|d| d.get().to_string()).collect::<Vec<_>>().join(","),
            hours_per_day: p.hours_per_day.get(),
        })),
        RecordData::Attendance(a) => Some(KindFact::Attendance(AttendanceFact {
            placement_id: a.placement_id,
            participant_id: a.participant_id,
            date: a.date.to_string(),
            status: a.status.as_str(),
            hours: a.hours.map(|h| h.get()),
        })),
        RecordData::FollowUp(f) => Some(KindFact::FollowUp(FollowUpFact {
            participant_id: f.participant_id,
            months_after_exit: i64::from(f.months_after_exit),
            status: f.status.as_str(),
        })),
        RecordData::Site(s) => Some(KindFact::Site(SiteFact { employer: s.employer.as_str().to_owned() })),
        RecordData::Visit(_) | RecordData::MentorNote(_) | RecordData::Lesson(_) | RecordData::PlanGoal(_) => None,
    };
    Facts { row, participants }
}

/// Parses a `weekdays` column (`"1,2,3"`) back into ISO weekday numbers.
pub fn parse_weekdays(text: &str) -> Vec<u8> {
    text.split(',').filter_map(|d| d.trim().parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn fields(v: Value) -> Fields {
        match v {
            Value::Object(m) => m,
            _ => Fields::new(),
        }
    }

    const P: &str = "0192f5a4-1b2c-7d3e-8f40-123456789abc";
    const S: &str = "0192f5a4-2222-7d3e-8f40-123456789abc";
    const PL: &str = "0192f5a4-3333-7d3e-8f40-123456789abc";

    fn id(s: &str) -> Uuid {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn participant_is_about_itself_with_lowercased_name() {
        let data = fields(json!({"display_name": "Åsa ÖBERG", "languages": ["sv"], "needs_interpreter": false,
            "status": "exited", "started_on": "2026-01-12",
            "exit": {"date": "2026-05-29", "outcome": "job"}}));
        let me = Uuid::now_v7();
        let facts = facts_of(me, Kind::Participant, &data);
        assert_eq!(facts.participants, vec![me]);
        let Some(KindFact::Participant(p)) = facts.row else { panic!("no participant fact") };
        assert_eq!(p.name_lower, "åsa öberg");
        assert_eq!(p.status, "exited");
        assert_eq!(p.exit_date.as_deref(), Some("2026-05-29"));
        assert_eq!(p.exit_outcome, Some("job"));
        assert_eq!(p.coach_id, None);
    }

    #[test]
    fn placement_attendance_follow_up_and_site() {
        let pl = facts_of(
            Uuid::now_v7(),
            Kind::Placement,
            &fields(json!({"participant_id": P, "site_id": S, "starts_on": "2026-03-02", "weekdays": [5, 1, 3],
                "hours_per_day": 4.5})),
        );
        assert_eq!(pl.participants, vec![id(P)]);
        let Some(KindFact::Placement(p)) = pl.row else { panic!("no placement fact") };
        assert_eq!((p.weekdays.as_str(), p.ends_on, p.hours_per_day), ("1,3,5", None, 4.5));
        assert_eq!(parse_weekdays(&p.weekdays), vec![1, 3, 5]);

        let a = facts_of(
            Uuid::now_v7(),
            Kind::Attendance,
            &fields(json!({"placement_id": PL, "participant_id": P, "date": "2026-03-02", "status": "late"})),
        );
        assert_eq!(
            a.row,
            Some(KindFact::Attendance(AttendanceFact {
                placement_id: id(PL),
                participant_id: id(P),
                date: "2026-03-02".into(),
                status: "late",
                hours: None
            }))
        );
        let f = facts_of(
            Uuid::now_v7(),
            Kind::FollowUp,
            &fields(json!({"participant_id": P, "months_after_exit": 6, "status": "studies"})),
        );
        assert_eq!(
            f.row,
            Some(KindFact::FollowUp(FollowUpFact { participant_id: id(P), months_after_exit: 6, status: "studies" }))
        );
        let s = facts_of(Uuid::now_v7(), Kind::Site, &fields(json!({"employer": "Coop"})));
        assert_eq!(s.row, Some(KindFact::Site(SiteFact { employer: "Coop".into() })));
        assert!(s.participants.is_empty());
    }

    #[test]
    fn lesson_is_about_every_attendee_and_has_no_row() {
        let other = "0192f5a4-0001-7d3e-8f40-123456789abc";
        let facts = facts_of(
            Uuid::now_v7(),
            Kind::Lesson,
            &fields(json!({"site_id": S, "at": "2026-03-03T13:00:00Z", "duration_min": 30, "topic": "Kök",
                "attendees": [{"participant_id": P, "status": "present"}, {"participant_id": other, "status": "absent"}]})),
        );
        assert_eq!(facts.row, None);
        assert_eq!(facts.participants, vec![id(other), id(P)]);
        assert_eq!(table_of(Kind::Lesson), None);
    }

    #[test]
    fn unreadable_data_gives_no_facts() {
        let facts = facts_of(Uuid::now_v7(), Kind::Placement, &fields(json!({"participant_id": "x"})));
        assert_eq!(facts, Facts { row: None, participants: Vec::new() });
        assert_eq!(table_of(Kind::Placement), Some("placement_facts"));
    }
}
