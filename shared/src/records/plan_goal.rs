//! `plan_goal`: one step of a participant's individual action plan.

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::error::from_data;
use super::fields::{self, IsoDate, JsonObject, LongText};
use super::macros::closed_enum;
use super::{FieldError, Kind, Reference};

closed_enum! {
    /// Where a plan step stands.
    pub enum GoalStatus (field = "status") {
        Open = "open",
        Done = "done",
        Dropped = "dropped",
    }
}

/// A plan step (`data` of kind `plan_goal`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(deny_unknown_fields))]
pub struct PlanGoal {
    pub participant_id: Uuid,
    pub text: LongText,
    pub target_date: Option<IsoDate>,
    pub status: GoalStatus,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(deserialize_with = "fields::id")]
    participant_id: Uuid,
    text: LongText,
    #[serde(default, deserialize_with = "fields::optional_date")]
    target_date: Option<IsoDate>,
    status: GoalStatus,
}

impl PlanGoal {
    /// Parses the `data` of a plan goal.
    pub fn parse(data: &Value) -> Result<Self, FieldError> {
        let raw: Raw = from_data(data)?;
        Ok(PlanGoal {
            participant_id: raw.participant_id,
            text: raw.text,
            target_date: raw.target_date,
            status: raw.status,
        })
    }

    /// The canonical JSON of this plan goal's `data`.
    pub fn to_value(&self) -> Value {
        JsonObject::new()
            .field("participant_id", &self.participant_id)
            .field("text", &self.text)
            .optional("target_date", &self.target_date)
            .field("status", &self.status)
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
            "text": "Ta truckkort A+B",
            "target_date": "2027-02-01",
            "status": "open"
        })
    }

    fn with(mut data: Value, key: &str, value: Value) -> Value {
        data[key] = value;
        data
    }

    fn field_of(data: &Value) -> String {
        PlanGoal::parse(data).expect_err("should be rejected").field
    }

    #[test]
    fn valid_goal_parses() {
        let g = PlanGoal::parse(&valid()).expect("valid");
        assert_eq!(g.status, GoalStatus::Open);
        assert_eq!(g.references()[0].kind, Kind::Participant);
    }

    #[test]
    fn wire_format_is_frozen() {
        let data = json!({
            "status": "done",
            "text": "Söka tre jobb i veckan",
            "participant_id": PARTICIPANT,
            "target_date": null
        });
        let g = PlanGoal::parse(&data).expect("valid");
        assert_eq!(
            serde_json::to_string(&g.to_value()).expect("json"),
            r#"{"participant_id":"0192f5a4-1b2c-7d3e-8f40-123456789abc","status":"done","text":"Söka tre jobb i veckan"}"#
        );
        assert_eq!(PlanGoal::parse(&g.to_value()), Ok(g));
    }

    #[test]
    fn rules_name_their_field() {
        assert_eq!(field_of(&with(valid(), "status", json!("closed"))), "status");
        assert_eq!(field_of(&with(valid(), "text", json!(""))), "text");
        assert_eq!(field_of(&with(valid(), "target_date", json!("2027-02-30"))), "target_date");
        assert_eq!(field_of(&with(valid(), "target_date", json!(""))), "target_date");
        assert_eq!(field_of(&with(valid(), "participant_id", json!(null))), "participant_id");
        assert_eq!(field_of(&with(valid(), "owner", json!("x"))), "owner");
    }
}
