//! `participant`: a person followed by the unit, from start to exit.

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use uuid::Uuid;

use super::error::from_data;
use super::fields::{self, DisplayName, IsoDate, JsonObject, Languages, Object, Paragraph, ToJson};
use super::macros::closed_enum;
use super::{FieldError, Reference};

closed_enum! {
    /// Where a participant stands in the programme.
    pub enum ParticipantStatus (field = "status") {
        Active = "active",
        Paused = "paused",
        /// Has left; `exit` says when and why.
        Exited = "exited",
    }
}

closed_enum! {
    /// Where a participant went on leaving: the basis of the outcome statistics.
    pub enum ExitOutcome (field = "outcome") {
        Job = "job",
        Studies = "studies",
        Other = "other",
    }
}

/// A participant (`data` of kind `participant`).
///
/// `exit` is present exactly when `status` is `exited` (`Participant::parse`
/// enforces it).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(deny_unknown_fields))]
pub struct Participant {
    /// First name and initial; never a personal identity number.
    pub display_name: DisplayName,
    /// Languages spoken, preferred first.
    pub languages: Languages,
    pub needs_interpreter: bool,
    /// The personal coach: a user id, not a record.
    pub coach_id: Option<Uuid>,
    pub status: ParticipantStatus,
    pub started_on: IsoDate,
    /// Required when `status` is `exited`, absent otherwise.
    pub exit: Option<Exit>,
}

/// How a participant left (`participant.exit`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(deny_unknown_fields))]
pub struct Exit {
    pub date: IsoDate,
    pub outcome: ExitOutcome,
    pub reason: Option<Paragraph>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExit {
    date: IsoDate,
    outcome: ExitOutcome,
    #[serde(default, deserialize_with = "fields::optional_text")]
    reason: Option<Paragraph>,
}

impl<'de> Deserialize<'de> for Exit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Object(raw) = Object::<RawExit>::deserialize(deserializer)?;
        Ok(Exit { date: raw.date, outcome: raw.outcome, reason: raw.reason })
    }
}

impl ToJson for Exit {
    fn to_json(&self) -> Value {
        JsonObject::new()
            .field("date", &self.date)
            .field("outcome", &self.outcome)
            .optional("reason", &self.reason)
            .build()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    display_name: DisplayName,
    languages: Languages,
    needs_interpreter: bool,
    #[serde(default, deserialize_with = "fields::optional_id")]
    coach_id: Option<Uuid>,
    status: ParticipantStatus,
    started_on: IsoDate,
    #[serde(default)]
    exit: Option<Exit>,
}

impl Participant {
    /// Parses the `data` of a participant.
    pub fn parse(data: &Value) -> Result<Self, FieldError> {
        let raw: Raw = from_data(data)?;
        match (raw.status, &raw.exit) {
            (ParticipantStatus::Exited, None) => {
                return Err(FieldError::new("exit", "is required when status is `exited`"));
            }
            (ParticipantStatus::Active | ParticipantStatus::Paused, Some(_)) => {
                return Err(FieldError::new("exit", "must be absent or null unless status is `exited`"));
            }
            _ => {}
        }
        Ok(Participant {
            display_name: raw.display_name,
            languages: raw.languages,
            needs_interpreter: raw.needs_interpreter,
            coach_id: raw.coach_id,
            status: raw.status,
            started_on: raw.started_on,
            exit: raw.exit,
        })
    }

    /// The canonical JSON of this participant's `data`.
    pub fn to_value(&self) -> Value {
        JsonObject::new()
            .field("display_name", &self.display_name)
            .field("languages", &self.languages)
            .field("needs_interpreter", &self.needs_interpreter)
            .optional("coach_id", &self.coach_id)
            .field("status", &self.status)
            .field("started_on", &self.started_on)
            .optional("exit", &self.exit)
            .build()
    }

    /// A participant points at no other record (`coach_id` is a user).
    pub fn references(&self) -> Vec<Reference> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn valid() -> Value {
        json!({
            "display_name": "Amina K.",
            "languages": ["arabiska", "engelska"],
            "needs_interpreter": false,
            "coach_id": "0192f5a4-1b2c-7d3e-8f40-123456789abc",
            "status": "active",
            "started_on": "2026-09-01"
        })
    }

    fn with(mut data: Value, key: &str, value: Value) -> Value {
        data[key] = value;
        data
    }

    fn field_of(data: &Value) -> String {
        Participant::parse(data).expect_err("should be rejected").field
    }

    #[test]
    fn valid_participant_parses() {
        let p = Participant::parse(&valid()).expect("valid");
        assert_eq!(p.display_name.as_str(), "Amina K.");
        assert_eq!(p.status, ParticipantStatus::Active);
        assert!(p.references().is_empty());
    }

    #[test]
    fn wire_format_is_frozen() {
        let data = json!({
            "status": "exited",
            "started_on": "2026-01-12",
            "display_name": "  Yonas T. ",
            "needs_interpreter": true,
            "languages": ["tigrinja"],
            "coach_id": null,
            "exit": {"outcome": "job", "date": "2026-10-30", "reason": " Anställd som lagerarbetare "}
        });
        let p = Participant::parse(&data).expect("valid");
        assert_eq!(
            serde_json::to_string(&p.to_value()).expect("json"),
            r#"{"display_name":"Yonas T.","exit":{"date":"2026-10-30","outcome":"job","reason":"Anställd som lagerarbetare"},"languages":["tigrinja"],"needs_interpreter":true,"started_on":"2026-01-12","status":"exited"}"#
        );
        assert_eq!(Participant::parse(&p.to_value()), Ok(p));
    }

    #[test]
    fn optional_fields_may_be_omitted_or_null() {
        let mut data = valid();
        data.as_object_mut().expect("object").remove("coach_id");
        assert!(Participant::parse(&data).is_ok());
        assert!(Participant::parse(&with(valid(), "exit", Value::Null)).is_ok());
    }

    #[test]
    fn required_fields_are_named() {
        for key in ["display_name", "languages", "needs_interpreter", "status", "started_on"] {
            let mut data = valid();
            data.as_object_mut().expect("object").remove(key);
            let err = Participant::parse(&data).expect_err(key);
            assert_eq!(err, FieldError::new(key, "is required"));
        }
        let err = Participant::parse(&with(valid(), "display_name", Value::Null)).expect_err("null");
        assert_eq!(err, FieldError::new("display_name", "must be a string, not null"));
    }

    #[test]
    fn unknown_fields_are_named() {
        let err = Participant::parse(&with(valid(), "colour", json!("red"))).expect_err("unknown");
        assert_eq!(err, FieldError::new("colour", "unknown field"));
        let data = with(
            with(valid(), "status", json!("exited")),
            "exit",
            json!({"date": "2026-10-01", "outcome": "job", "why": "x"}),
        );
        assert_eq!(field_of(&data), "exit.why");
    }

    #[test]
    fn field_rules_name_their_field() {
        assert_eq!(field_of(&with(valid(), "display_name", json!("   "))), "display_name");
        assert_eq!(field_of(&with(valid(), "display_name", json!("x".repeat(201)))), "display_name");
        assert_eq!(field_of(&with(valid(), "display_name", json!("Amina 19850102-1234"))), "display_name");
        assert_eq!(field_of(&with(valid(), "languages", json!("arabiska"))), "languages");
        assert_eq!(field_of(&with(valid(), "languages", json!(["ok", ""]))), "languages[1]");
        assert_eq!(field_of(&with(valid(), "languages", json!(["ok", "x".repeat(61)]))), "languages[1]");
        assert_eq!(field_of(&with(valid(), "languages", json!(vec!["sv"; 21]))), "languages");
        assert_eq!(field_of(&with(valid(), "needs_interpreter", json!("yes"))), "needs_interpreter");
        assert_eq!(field_of(&with(valid(), "coach_id", json!("nobody"))), "coach_id");
        assert_eq!(field_of(&with(valid(), "status", json!("left"))), "status");
        assert_eq!(field_of(&with(valid(), "started_on", json!("2026-02-30"))), "started_on");
    }

    #[test]
    fn exit_is_required_exactly_when_exited() {
        let exited = with(valid(), "status", json!("exited"));
        let err = Participant::parse(&exited).expect_err("no exit");
        assert_eq!(err.field, "exit");
        let err = Participant::parse(&with(exited.clone(), "exit", Value::Null)).expect_err("null exit");
        assert_eq!(err.field, "exit");

        let exit = json!({"date": "2026-10-01", "outcome": "studies"});
        assert!(Participant::parse(&with(exited.clone(), "exit", exit.clone())).is_ok());
        let paused = with(valid(), "status", json!("paused"));
        assert_eq!(field_of(&with(paused, "exit", exit)), "exit");

        let bad = |exit: Value| field_of(&with(exited.clone(), "exit", exit));
        assert_eq!(bad(json!({"date": "2026-10-01", "outcome": "pension"})), "exit.outcome");
        assert_eq!(bad(json!({"date": "2026-10-01"})), "exit.outcome");
        assert_eq!(bad(json!({"date": "2026-10-32", "outcome": "job"})), "exit.date");
        assert_eq!(bad(json!({"date": "2026-10-01", "outcome": "job", "reason": "x".repeat(2001)})), "exit.reason");
        assert_eq!(bad(json!("job")), "exit");
    }

    #[test]
    fn data_must_be_an_object() {
        let err = Participant::parse(&json!([1, 2])).expect_err("array");
        assert_eq!(err, FieldError::new("", "must be an object, not an array"));
    }

    proptest! {
        #[test]
        fn round_trips(
            name in "[A-Za-zÅÄÖåäö .]{1,40}",
            langs in proptest::collection::vec("[a-zåäö]{1,12}", 0..5),
            interp in any::<bool>(),
            status in proptest::sample::select(ParticipantStatus::ALL.to_vec()),
            outcome in proptest::sample::select(ExitOutcome::ALL.to_vec()),
            reason in proptest::option::of("[a-z \n]{0,30}"),
        ) {
            let mut data = with(valid(), "display_name", json!(name));
            data["languages"] = json!(langs);
            data["needs_interpreter"] = json!(interp);
            data["status"] = json!(status.as_str());
            if status == ParticipantStatus::Exited {
                data["exit"] = json!({"date": "2026-12-01", "outcome": outcome.as_str(), "reason": reason});
            }
            if let Ok(p) = Participant::parse(&data) {
                prop_assert_eq!(Participant::parse(&p.to_value()), Ok(p.clone()));
            } else {
                prop_assert!(name.trim().is_empty());
            }
        }
    }
}
