//! `attendance`: one day of one placement, present or absent. Its record id
//! is derived from the placement and the date, so every device that marks
//! that day edits the same record.

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::error::from_data;
use super::fields::{self, Hours, IsoDate, JsonObject, LongText};
use super::macros::closed_enum;
use super::{FieldError, Kind, Reference};

closed_enum! {
    /// How a participant attended a scheduled day.
    pub enum AttendanceStatus (field = "status") {
        Present = "present",
        Late = "late",
        AbsentSick = "absent_sick",
        AbsentExcused = "absent_excused",
        AbsentUnexcused = "absent_unexcused",
    }
}

impl AttendanceStatus {
    /// Whether the participant came at all (`present` or `late`).
    pub fn attended(self) -> bool {
        matches!(self, AttendanceStatus::Present | AttendanceStatus::Late)
    }
}

/// One day of a placement (`data` of kind `attendance`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(deny_unknown_fields))]
pub struct Attendance {
    pub placement_id: Uuid,
    pub participant_id: Uuid,
    pub date: IsoDate,
    pub status: AttendanceStatus,
    /// Hours actually attended, 0 to 24.
    pub hours: Option<Hours>,
    pub note: Option<LongText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(deserialize_with = "fields::id")]
    placement_id: Uuid,
    #[serde(deserialize_with = "fields::id")]
    participant_id: Uuid,
    date: IsoDate,
    status: AttendanceStatus,
    #[serde(default)]
    hours: Option<Hours>,
    #[serde(default, deserialize_with = "fields::optional_text")]
    note: Option<LongText>,
}

impl Attendance {
    /// Parses the `data` of an attendance record.
    pub fn parse(data: &Value) -> Result<Self, FieldError> {
        let raw: Raw = from_data(data)?;
        Ok(Attendance {
            placement_id: raw.placement_id,
            participant_id: raw.participant_id,
            date: raw.date,
            status: raw.status,
            hours: raw.hours,
            note: raw.note,
        })
    }

    /// The canonical JSON of this attendance record's `data`.
    pub fn to_value(&self) -> Value {
        JsonObject::new()
            .field("placement_id", &self.placement_id)
            .field("participant_id", &self.participant_id)
            .field("date", &self.date)
            .field("status", &self.status)
            .optional("hours", &self.hours)
            .optional("note", &self.note)
            .build()
    }

    /// The placement and the participant.
    pub fn references(&self) -> Vec<Reference> {
        vec![
            Reference::new("placement_id", Kind::Placement, self.placement_id),
            Reference::new("participant_id", Kind::Participant, self.participant_id),
        ]
    }

    /// The one record id this day of this placement may have: UUID v5 of
    /// `"<placement_id>/<date>"` (a push under another id is `bad_id`).
    pub fn expected_id(&self) -> Uuid {
        crate::ids::attendance_id(self.placement_id, self.date.date())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PLACEMENT: &str = "0192f5a4-3333-7d3e-8f40-123456789abc";
    const PARTICIPANT: &str = "0192f5a4-1b2c-7d3e-8f40-123456789abc";

    fn valid() -> Value {
        json!({
            "placement_id": PLACEMENT,
            "participant_id": PARTICIPANT,
            "date": "2026-11-23",
            "status": "late",
            "hours": 5.5,
            "note": "Bussen var sen."
        })
    }

    fn with(mut data: Value, key: &str, value: Value) -> Value {
        data[key] = value;
        data
    }

    fn field_of(data: &Value) -> String {
        Attendance::parse(data).expect_err("should be rejected").field
    }

    #[test]
    fn valid_attendance_parses() {
        let a = Attendance::parse(&valid()).expect("valid");
        assert_eq!(a.status, AttendanceStatus::Late);
        assert!(a.status.attended());
        assert_eq!(a.references().len(), 2);
        assert_eq!(a.references()[0].kind, Kind::Placement);
        assert_eq!(a.references()[1].field, "participant_id");
    }

    #[test]
    fn expected_id_is_v5_of_placement_and_date() {
        let a = Attendance::parse(&valid()).expect("valid");
        let namespace: Uuid = "5b0c8a52-6d1e-4f3a-9c7b-2e8f4a1d6c30".parse().expect("uuid");
        let name = format!("{PLACEMENT}/2026-11-23");
        assert_eq!(a.expected_id(), Uuid::new_v5(&namespace, name.as_bytes()));
        assert_eq!(a.expected_id().get_version_num(), 5);
    }

    #[test]
    fn wire_format_is_frozen() {
        let data = json!({
            "status": "absent_sick",
            "date": "2026-11-24",
            "participant_id": PARTICIPANT,
            "placement_id": PLACEMENT,
            "hours": 0,
            "note": null
        });
        let a = Attendance::parse(&data).expect("valid");
        assert_eq!(
            serde_json::to_string(&a.to_value()).expect("json"),
            r#"{"date":"2026-11-24","hours":0,"participant_id":"0192f5a4-1b2c-7d3e-8f40-123456789abc","placement_id":"0192f5a4-3333-7d3e-8f40-123456789abc","status":"absent_sick"}"#
        );
        assert_eq!(Attendance::parse(&a.to_value()), Ok(a));
    }

    #[test]
    fn rules_name_their_field() {
        assert_eq!(field_of(&with(valid(), "hours", json!(-0.5))), "hours");
        assert_eq!(field_of(&with(valid(), "hours", json!(25))), "hours");
        assert_eq!(field_of(&with(valid(), "status", json!("absent"))), "status");
        assert_eq!(field_of(&with(valid(), "date", json!("2026-11-31"))), "date");
        assert_eq!(field_of(&with(valid(), "placement_id", json!(7))), "placement_id");
        assert_eq!(field_of(&with(valid(), "note", json!("x".repeat(10_001)))), "note");
        assert_eq!(
            Attendance::parse(&with(valid(), "signed_by", json!("x"))),
            Err(FieldError::new("signed_by", "unknown field"))
        );
        let mut data = valid();
        data.as_object_mut().expect("object").remove("date");
        assert_eq!(Attendance::parse(&data), Err(FieldError::new("date", "is required")));
        assert!(Attendance::parse(&with(valid(), "hours", json!(24))).is_ok());
        assert!(Attendance::parse(&with(valid(), "hours", Value::Null)).is_ok());
    }

    #[test]
    fn status_error_lists_the_choices() {
        let err = Attendance::parse(&with(valid(), "status", json!("absent"))).expect_err("bad");
        assert_eq!(
            err.message,
            "must be one of `present`, `late`, `absent_sick`, `absent_excused`, `absent_unexcused`"
        );
    }
}
