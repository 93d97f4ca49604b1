//! `lesson`: a language lesson given on site by a pedagogue, with the words
//! of the trade and who attended.

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use uuid::Uuid;

use super::error::from_data;
use super::fields::{
    self, ATTENDEES_MAX_ITEMS, DurationMin, JsonObject, LongText, Object, ShortText, Timestamp, ToJson,
};
use super::macros::closed_enum;
use super::{FieldError, Kind, Reference};

closed_enum! {
    /// Whether a participant was at a lesson.
    pub enum AttendeeStatus (field = "status") {
        Present = "present",
        Absent = "absent",
    }
}

/// A lesson (`data` of kind `lesson`).
///
/// `attendees` name each participant at most once and are kept sorted by
/// `participant_id` (`Lesson::parse` sees to both).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(deny_unknown_fields))]
pub struct Lesson {
    pub site_id: Uuid,
    pub at: Timestamp,
    pub duration_min: DurationMin,
    pub topic: ShortText,
    /// The words and phrases of the trade taught.
    pub vocabulary: Option<LongText>,
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub attendees: Vec<Attendee>,
    pub note: Option<LongText>,
}

/// One participant expected at a lesson (`lesson.attendees[i]`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(deny_unknown_fields))]
pub struct Attendee {
    pub participant_id: Uuid,
    pub status: AttendeeStatus,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttendee {
    #[serde(deserialize_with = "fields::id")]
    participant_id: Uuid,
    status: AttendeeStatus,
}

impl<'de> Deserialize<'de> for Attendee {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Object(raw) = Object::<RawAttendee>::deserialize(deserializer)?;
        Ok(Attendee { participant_id: raw.participant_id, status: raw.status })
    }
}

impl ToJson for Attendee {
    fn to_json(&self) -> Value {
        JsonObject::new().field("participant_id", &self.participant_id).field("status", &self.status).build()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(deserialize_with = "fields::id")]
    site_id: Uuid,
    at: Timestamp,
    duration_min: DurationMin,
    topic: ShortText,
    #[serde(default, deserialize_with = "fields::optional_text")]
    vocabulary: Option<LongText>,
    attendees: Vec<Attendee>,
    #[serde(default, deserialize_with = "fields::optional_text")]
    note: Option<LongText>,
}

impl Lesson {
    /// Parses the `data` of a lesson.
    pub fn parse(data: &Value) -> Result<Self, FieldError> {
        let raw: Raw = from_data(data)?;
        if raw.attendees.len() > ATTENDEES_MAX_ITEMS {
            return Err(FieldError::new(
                "attendees",
                format!("must have at most {ATTENDEES_MAX_ITEMS} items (has {})", raw.attendees.len()),
            ));
        }
        for (i, attendee) in raw.attendees.iter().enumerate() {
            if raw.attendees[..i].iter().any(|a| a.participant_id == attendee.participant_id) {
                return Err(FieldError::new(
                    format!("attendees[{i}].participant_id"),
                    "names a participant already listed",
                ));
            }
        }
        let mut attendees = raw.attendees;
        fields::sort_small(&mut attendees, |a, b| a.participant_id > b.participant_id);
        Ok(Lesson {
            site_id: raw.site_id,
            at: raw.at,
            duration_min: raw.duration_min,
            topic: raw.topic,
            vocabulary: raw.vocabulary,
            attendees,
            note: raw.note,
        })
    }

    /// The canonical JSON of this lesson's `data`.
    pub fn to_value(&self) -> Value {
        JsonObject::new()
            .field("site_id", &self.site_id)
            .field("at", &self.at)
            .field("duration_min", &self.duration_min)
            .field("topic", &self.topic)
            .optional("vocabulary", &self.vocabulary)
            .field("attendees", &self.attendees)
            .optional("note", &self.note)
            .build()
    }

    /// The site, and each attendee's participant.
    pub fn references(&self) -> Vec<Reference> {
        let mut refs = vec![Reference::new("site_id", Kind::Site, self.site_id)];
        refs.extend(self.attendees.iter().enumerate().map(|(i, a)| {
            Reference::new(format!("attendees[{i}].participant_id"), Kind::Participant, a.participant_id)
        }));
        refs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const SITE: &str = "0192f5a4-2222-7d3e-8f40-123456789abc";
    const P1: &str = "0192f5a4-0001-7d3e-8f40-123456789abc";
    const P2: &str = "0192f5a4-0002-7d3e-8f40-123456789abc";

    fn valid() -> Value {
        json!({
            "site_id": SITE,
            "at": "2026-11-22T10:00:00Z",
            "duration_min": 45,
            "topic": "Säkerhet i lagret",
            "vocabulary": "truck, pall, skyddsskor",
            "attendees": [
                {"participant_id": P2, "status": "present"},
                {"participant_id": P1, "status": "absent"}
            ],
            "note": null
        })
    }

    fn with(mut data: Value, key: &str, value: Value) -> Value {
        data[key] = value;
        data
    }

    fn field_of(data: &Value) -> String {
        Lesson::parse(data).expect_err("should be rejected").field
    }

    #[test]
    fn valid_lesson_parses_with_sorted_attendees() {
        let l = Lesson::parse(&valid()).expect("valid");
        assert_eq!(l.duration_min.get(), 45);
        assert_eq!(l.attendees[0].participant_id.to_string(), P1);
        let refs = l.references();
        assert_eq!(refs.len(), 3);
        assert_eq!(refs[0], Reference::new("site_id", Kind::Site, SITE.parse().expect("uuid")));
        assert_eq!(refs[2].field, "attendees[1].participant_id");
        assert_eq!(refs[2].kind, Kind::Participant);
        assert!(Lesson::parse(&with(valid(), "attendees", json!([]))).is_ok());
    }

    #[test]
    fn wire_format_is_frozen() {
        let data = json!({
            "topic": " Kök: knivar och hygien ",
            "duration_min": 30,
            "at": "2026-11-22T08:15:00-01:00",
            "site_id": SITE,
            "attendees": [
                {"status": "present", "participant_id": P2},
                {"status": "absent", "participant_id": P1}
            ],
            "vocabulary": "kniv\nskärbräda\nhandtvätt"
        });
        let l = Lesson::parse(&data).expect("valid");
        assert_eq!(
            serde_json::to_string(&l.to_value()).expect("json"),
            r#"{"at":"2026-11-22T09:15:00Z","attendees":[{"participant_id":"0192f5a4-0001-7d3e-8f40-123456789abc","status":"absent"},{"participant_id":"0192f5a4-0002-7d3e-8f40-123456789abc","status":"present"}],"duration_min":30,"site_id":"0192f5a4-2222-7d3e-8f40-123456789abc","topic":"Kök: knivar och hygien","vocabulary":"kniv\nskärbräda\nhandtvätt"}"#
        );
        assert_eq!(Lesson::parse(&l.to_value()), Ok(l));
    }

    #[test]
    fn rules_name_their_field() {
        for bad in [json!(0), json!(601), json!(45.5), json!("45"), json!(-5), json!(u64::MAX)] {
            assert_eq!(field_of(&with(valid(), "duration_min", bad)), "duration_min");
        }
        assert!(Lesson::parse(&with(valid(), "duration_min", json!(600))).is_ok());
        assert_eq!(field_of(&with(valid(), "topic", json!(""))), "topic");
        assert_eq!(field_of(&with(valid(), "topic", json!("x".repeat(201)))), "topic");
        assert_eq!(field_of(&with(valid(), "vocabulary", json!("x".repeat(10_001)))), "vocabulary");
        assert_eq!(field_of(&with(valid(), "note", json!("x".repeat(10_001)))), "note");
        assert_eq!(field_of(&with(valid(), "site_id", json!("site"))), "site_id");
        assert_eq!(field_of(&with(valid(), "attendees", Value::Null)), "attendees");

        let attendees = |list: Value| field_of(&with(valid(), "attendees", list));
        assert_eq!(
            attendees(
                json!([{"participant_id": P1, "status": "present"}, {"participant_id": "x", "status": "present"}])
            ),
            "attendees[1].participant_id"
        );
        assert_eq!(
            attendees(json!([{"participant_id": P1, "status": "present"}, {"participant_id": P2, "status": "late"}])),
            "attendees[1].status"
        );
        assert_eq!(attendees(json!([{"participant_id": P1}])), "attendees[0].status");
        assert_eq!(
            attendees(json!([{"participant_id": P1, "status": "present", "signed": true}])),
            "attendees[0].signed"
        );
        assert_eq!(attendees(json!(["P1"])), "attendees[0]");
        let many: Vec<Value> = (0..=ATTENDEES_MAX_ITEMS)
            .map(|i| json!({"participant_id": uuid::Uuid::from_u128(i as u128).to_string(), "status": "present"}))
            .collect();
        assert_eq!(attendees(Value::Array(many)), "attendees");
    }

    #[test]
    fn duplicate_attendee_is_named_at_its_index() {
        let list = json!([
            {"participant_id": P1, "status": "present"},
            {"participant_id": P2, "status": "present"},
            {"participant_id": P1, "status": "absent"}
        ]);
        let err = Lesson::parse(&with(valid(), "attendees", list)).expect_err("duplicate");
        assert_eq!(err.field, "attendees[2].participant_id");
    }

    proptest! {
        #[test]
        fn round_trips(ids in proptest::collection::vec(0u128..6, 0..6), minutes in -5i64..700) {
            let list: Vec<Value> = ids
                .iter()
                .map(|i| json!({"participant_id": uuid::Uuid::from_u128(*i).to_string(), "status": "present"}))
                .collect();
            let data = with(with(valid(), "attendees", Value::Array(list)), "duration_min", json!(minutes));
            if let Ok(l) = Lesson::parse(&data) {
                prop_assert_eq!(Lesson::parse(&l.to_value()), Ok(l.clone()));
            }
        }
    }
}
