//! `follow_up`: what became of a participant 3 or 6 months after they left,
//! written by office staff (the outcomes report counts these).

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::error::from_data;
use super::fields::{self, JsonObject, LongText};
use super::macros::closed_enum;
use super::{FieldError, Kind, Reference};

closed_enum! {
    /// Where the participant is at the follow-up.
    pub enum FollowUpStatus (field = "status") {
        Job = "job",
        Studies = "studies",
        Other = "other",
        Unknown = "unknown",
    }
}

/// The months after exit a follow-up may be made at.
pub const FOLLOW_UP_MONTHS: [u8; 2] = [3, 6];

/// A follow-up after exit (`data` of kind `follow_up`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(deny_unknown_fields))]
pub struct FollowUp {
    pub participant_id: Uuid,
    /// 3 or 6.
    pub months_after_exit: u8,
    pub status: FollowUpStatus,
    pub note: Option<LongText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(deserialize_with = "fields::id")]
    participant_id: Uuid,
    months_after_exit: u8,
    status: FollowUpStatus,
    #[serde(default)]
    note: Option<LongText>,
}

impl FollowUp {
    /// Parses the `data` of a follow-up.
    pub fn parse(data: &Value) -> Result<Self, FieldError> {
        let raw: Raw = from_data(data)?;
        if !FOLLOW_UP_MONTHS.contains(&raw.months_after_exit) {
            return Err(FieldError::new("months_after_exit", "must be 3 or 6"));
        }
        Ok(FollowUp {
            participant_id: raw.participant_id,
            months_after_exit: raw.months_after_exit,
            status: raw.status,
            note: raw.note,
        })
    }

    /// The canonical JSON of this follow-up's `data`.
    pub fn to_value(&self) -> Value {
        JsonObject::new()
            .field("participant_id", &self.participant_id)
            .field("months_after_exit", &self.months_after_exit)
            .field("status", &self.status)
            .optional("note", &self.note)
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
        json!({"participant_id": PARTICIPANT, "months_after_exit": 3, "status": "job", "note": "Fast anställd"})
    }

    fn with(mut data: Value, key: &str, value: Value) -> Value {
        data[key] = value;
        data
    }

    fn field_of(data: &Value) -> String {
        FollowUp::parse(data).expect_err("should be rejected").field
    }

    #[test]
    fn wire_format_is_frozen() {
        let f = FollowUp::parse(&with(valid(), "note", json!(null))).expect("valid");
        assert_eq!(
            serde_json::to_string(&f.to_value()).expect("json"),
            r#"{"months_after_exit":3,"participant_id":"0192f5a4-1b2c-7d3e-8f40-123456789abc","status":"job"}"#
        );
        assert_eq!(FollowUp::parse(&f.to_value()), Ok(f));
    }

    #[test]
    fn rules_name_their_field() {
        assert_eq!(field_of(&with(valid(), "months_after_exit", json!(4))), "months_after_exit");
        assert_eq!(field_of(&with(valid(), "months_after_exit", json!("3"))), "months_after_exit");
        assert_eq!(field_of(&with(valid(), "months_after_exit", json!(-3))), "months_after_exit");
        assert_eq!(field_of(&with(valid(), "status", json!("retired"))), "status");
        assert_eq!(field_of(&with(valid(), "note", json!(""))), "note");
        assert_eq!(field_of(&with(valid(), "participant_id", json!("x"))), "participant_id");
        assert_eq!(field_of(&with(valid(), "reason", json!("x"))), "reason");
        assert_eq!(FollowUp::parse(&valid()).expect("valid").status, FollowUpStatus::Job);
    }
}
