//! `visit`: a coach's check-in with a participant, usually at the workplace.

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::error::from_data;
use super::fields::{self, IsoDate, JsonObject, LongText, Paragraph, Timestamp, Wellbeing};
use super::macros::closed_enum;
use super::{FieldError, Kind, Reference};

closed_enum! {
    /// What kind of visit it was.
    pub enum VisitType (field = "type") {
        CheckIn = "check_in",
        FollowUp = "follow_up",
        /// With the participant and the employer.
        ThreeParty = "three_party",
        /// The first day of a placement.
        Start = "start",
        Phone = "phone",
    }
}

/// A visit (`data` of kind `visit`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(deny_unknown_fields))]
pub struct Visit {
    pub participant_id: Uuid,
    pub site_id: Option<Uuid>,
    pub at: Timestamp,
    /// What kind of visit (`type` on the wire).
    #[cfg_attr(feature = "openapi", serde(rename = "type"))]
    pub visit_type: VisitType,
    /// How the participant feels, 1 (bad) to 5 (good).
    pub wellbeing: Option<Wellbeing>,
    pub note: Option<LongText>,
    pub next_step: Option<Paragraph>,
    pub next_visit_on: Option<IsoDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(deserialize_with = "fields::id")]
    participant_id: Uuid,
    #[serde(default, deserialize_with = "fields::optional_id")]
    site_id: Option<Uuid>,
    at: Timestamp,
    #[serde(rename = "type")]
    visit_type: VisitType,
    #[serde(default)]
    wellbeing: Option<Wellbeing>,
    #[serde(default, deserialize_with = "fields::optional_text")]
    note: Option<LongText>,
    #[serde(default, deserialize_with = "fields::optional_text")]
    next_step: Option<Paragraph>,
    #[serde(default, deserialize_with = "fields::optional_date")]
    next_visit_on: Option<IsoDate>,
}

impl Visit {
    /// Parses the `data` of a visit.
    pub fn parse(data: &Value) -> Result<Self, FieldError> {
        let raw: Raw = from_data(data)?;
        Ok(Visit {
            participant_id: raw.participant_id,
            site_id: raw.site_id,
            at: raw.at,
            visit_type: raw.visit_type,
            wellbeing: raw.wellbeing,
            note: raw.note,
            next_step: raw.next_step,
            next_visit_on: raw.next_visit_on,
        })
    }

    /// The canonical JSON of this visit's `data`.
    pub fn to_value(&self) -> Value {
        JsonObject::new()
            .field("participant_id", &self.participant_id)
            .optional("site_id", &self.site_id)
            .field("at", &self.at)
            .field("type", &self.visit_type)
            .optional("wellbeing", &self.wellbeing)
            .optional("note", &self.note)
            .optional("next_step", &self.next_step)
            .optional("next_visit_on", &self.next_visit_on)
            .build()
    }

    /// The participant, and the site when given.
    pub fn references(&self) -> Vec<Reference> {
        let mut refs = vec![Reference::new("participant_id", Kind::Participant, self.participant_id)];
        if let Some(site_id) = self.site_id {
            refs.push(Reference::new("site_id", Kind::Site, site_id));
        }
        refs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const PARTICIPANT: &str = "0192f5a4-1b2c-7d3e-8f40-123456789abc";
    const SITE: &str = "0192f5a4-2222-7d3e-8f40-123456789abc";

    fn valid() -> Value {
        json!({
            "participant_id": PARTICIPANT,
            "site_id": SITE,
            "at": "2026-11-22T09:30:00Z",
            "type": "check_in",
            "wellbeing": 4,
            "note": "Trivs bra, vill lära sig truck.",
            "next_step": "Boka truckkort.",
            "next_visit_on": "2026-12-06"
        })
    }

    fn with(mut data: Value, key: &str, value: Value) -> Value {
        data[key] = value;
        data
    }

    fn field_of(data: &Value) -> String {
        Visit::parse(data).expect_err("should be rejected").field
    }

    #[test]
    fn valid_visit_parses() {
        let v = Visit::parse(&valid()).expect("valid");
        assert_eq!(v.visit_type, VisitType::CheckIn);
        assert_eq!(v.wellbeing.map(Wellbeing::get), Some(4));
        let kinds: Vec<Kind> = v.references().iter().map(|r| r.kind).collect();
        assert_eq!(kinds, vec![Kind::Participant, Kind::Site]);
        let minimal = json!({"participant_id": PARTICIPANT, "at": "2026-11-22T09:30:00Z", "type": "phone"});
        assert_eq!(Visit::parse(&minimal).expect("valid").references().len(), 1);
    }

    #[test]
    fn wire_format_is_frozen() {
        let data = json!({
            "type": "three_party",
            "at": "2026-11-22T10:30:00.500+01:00",
            "participant_id": PARTICIPANT,
            "site_id": SITE,
            "wellbeing": 3,
            "note": "",
            "next_step": "Trepartssamtal igen i januari",
            "next_visit_on": "2027-01-11"
        });
        let v = Visit::parse(&data).expect("valid");
        assert_eq!(
            serde_json::to_string(&v.to_value()).expect("json"),
            r#"{"at":"2026-11-22T09:30:00.5Z","next_step":"Trepartssamtal igen i januari","next_visit_on":"2027-01-11","participant_id":"0192f5a4-1b2c-7d3e-8f40-123456789abc","site_id":"0192f5a4-2222-7d3e-8f40-123456789abc","type":"three_party","wellbeing":3}"#
        );
        assert_eq!(Visit::parse(&v.to_value()), Ok(v));
    }

    #[test]
    fn rules_name_their_field() {
        for bad in [json!(0), json!(6), json!(3.5), json!("4"), json!(-1)] {
            assert_eq!(field_of(&with(valid(), "wellbeing", bad)), "wellbeing");
        }
        assert_eq!(field_of(&with(valid(), "type", json!("visit"))), "type");
        assert_eq!(field_of(&with(valid(), "at", json!("2026-11-22 09:30"))), "at");
        assert_eq!(field_of(&with(valid(), "at", json!("2026-11-22"))), "at");
        assert_eq!(field_of(&with(valid(), "site_id", json!(""))), "site_id");
        assert_eq!(field_of(&with(valid(), "next_visit_on", json!("2026-02-29"))), "next_visit_on");
        assert_eq!(field_of(&with(valid(), "next_step", json!("x".repeat(2001)))), "next_step");
        assert_eq!(field_of(&with(valid(), "note", json!("x".repeat(10_001)))), "note");
        assert_eq!(field_of(&with(valid(), "visit_type", json!("phone"))), "visit_type");
        let err = Visit::parse(&with(valid(), "wellbeing", json!(6))).expect_err("range");
        assert_eq!(err.message, "must be an integer from 1 to 5");
    }

    proptest! {
        #[test]
        fn arbitrary_at_never_panics(at in "\\PC{0,40}", wellbeing in any::<i64>()) {
            let data = with(with(valid(), "at", json!(at)), "wellbeing", json!(wellbeing));
            if let Ok(v) = Visit::parse(&data) {
                prop_assert_eq!(Visit::parse(&v.to_value()), Ok(v.clone()));
            }
        }
    }
}
