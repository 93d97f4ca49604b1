//! `mentor_note`: a dated free-text note about a participant, by a coach or
//! a language pedagogue.

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::error::from_data;
use super::fields::{self, JsonObject, LongText, Timestamp};
use super::macros::closed_enum;
use super::{FieldError, Kind, Reference};

closed_enum! {
    /// What a note is about.
    pub enum NoteCategory (field = "category") {
        Progress = "progress",
        Concern = "concern",
        Language = "language",
        Practical = "practical",
    }
}

/// A note (`data` of kind `mentor_note`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(deny_unknown_fields))]
pub struct MentorNote {
    pub participant_id: Uuid,
    pub at: Timestamp,
    pub category: NoteCategory,
    pub text: LongText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(deserialize_with = "fields::id")]
    participant_id: Uuid,
    at: Timestamp,
    category: NoteCategory,
    text: LongText,
}

impl MentorNote {
    /// Parses the `data` of a mentor note.
    pub fn parse(data: &Value) -> Result<Self, FieldError> {
        let raw: Raw = from_data(data)?;
        Ok(MentorNote { participant_id: raw.participant_id, at: raw.at, category: raw.category, text: raw.text })
    }

    /// The canonical JSON of this note's `data`.
    pub fn to_value(&self) -> Value {
        JsonObject::new()
            .field("participant_id", &self.participant_id)
            .field("at", &self.at)
            .field("category", &self.category)
            .field("text", &self.text)
            .build()
    }

    /// The participant.
    pub fn references(&self) -> Vec<Reference> {
        vec![Reference::new("participant_id", Kind::Participant, self.participant_id)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PARTICIPANT: &str = "0192f5a4-1b2c-7d3e-8f40-123456789abc";

    fn valid() -> Value {
        json!({
            "participant_id": PARTICIPANT,
            "at": "2026-11-22T13:05:00Z",
            "category": "language",
            "text": "Använder fler yrkesord i dag."
        })
    }

    fn with(mut data: Value, key: &str, value: Value) -> Value {
        data[key] = value;
        data
    }

    fn field_of(data: &Value) -> String {
        MentorNote::parse(data).expect_err("should be rejected").field
    }

    #[test]
    fn valid_note_parses() {
        let n = MentorNote::parse(&valid()).expect("valid");
        assert_eq!(n.category, NoteCategory::Language);
        assert_eq!(n.references()[0].field, "participant_id");
    }

    #[test]
    fn wire_format_is_frozen() {
        let data = json!({
            "text": "\n Oro: har inte kommit på tre dagar.\nRinger i morgon. \n",
            "category": "concern",
            "at": "2026-11-22T14:05:00+01:00",
            "participant_id": PARTICIPANT
        });
        let n = MentorNote::parse(&data).expect("valid");
        assert_eq!(
            serde_json::to_string(&n.to_value()).expect("json"),
            r#"{"at":"2026-11-22T13:05:00Z","category":"concern","participant_id":"0192f5a4-1b2c-7d3e-8f40-123456789abc","text":"Oro: har inte kommit på tre dagar.\nRinger i morgon."}"#
        );
        assert_eq!(MentorNote::parse(&n.to_value()), Ok(n));
    }

    #[test]
    fn rules_name_their_field() {
        assert_eq!(field_of(&with(valid(), "text", json!("  "))), "text");
        assert_eq!(field_of(&with(valid(), "text", Value::Null)), "text");
        assert_eq!(field_of(&with(valid(), "text", json!("å".repeat(10_001)))), "text");
        assert!(MentorNote::parse(&with(valid(), "text", json!("å".repeat(10_000)))).is_ok());
        assert_eq!(field_of(&with(valid(), "category", json!("Language"))), "category");
        assert_eq!(field_of(&with(valid(), "at", json!(1_700_000_000))), "at");
        assert_eq!(field_of(&with(valid(), "author", json!("x"))), "author");
    }
}
