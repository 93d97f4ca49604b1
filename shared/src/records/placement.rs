//! `placement`: an internship (*arbetspraktik*) of a participant at a site,
//! with its schedule.

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::error::from_data;
use super::fields::{self, HoursPerDay, IsoDate, JsonObject, ShortText, Weekday, Weekdays};
use super::{FieldError, Kind, Reference};

/// An internship (`data` of kind `placement`).
///
/// `ends_on`, when present, is not before `starts_on` (`Placement::parse`
/// enforces it).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(deny_unknown_fields))]
pub struct Placement {
    pub participant_id: Uuid,
    pub site_id: Uuid,
    pub starts_on: IsoDate,
    pub ends_on: Option<IsoDate>,
    /// The days of the week the participant is expected, ISO numbered.
    pub weekdays: Weekdays,
    pub hours_per_day: HoursPerDay,
    /// What the placement trains, e.g. "branschskola: restaurang".
    pub focus: Option<ShortText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(deserialize_with = "fields::id")]
    participant_id: Uuid,
    #[serde(deserialize_with = "fields::id")]
    site_id: Uuid,
    starts_on: IsoDate,
    #[serde(default, deserialize_with = "fields::optional_date")]
    ends_on: Option<IsoDate>,
    weekdays: Vec<Weekday>,
    hours_per_day: HoursPerDay,
    #[serde(default, deserialize_with = "fields::optional_text")]
    focus: Option<ShortText>,
}

impl Placement {
    /// Parses the `data` of a placement.
    pub fn parse(data: &Value) -> Result<Self, FieldError> {
        let raw: Raw = from_data(data)?;
        let weekdays = Weekdays::new(&raw.weekdays).map_err(|e| e.prefixed("weekdays"))?;
        if let Some(ends_on) = raw.ends_on
            && ends_on < raw.starts_on
        {
            return Err(FieldError::new("ends_on", format!("must not be before starts_on ({})", raw.starts_on)));
        }
        Ok(Placement {
            participant_id: raw.participant_id,
            site_id: raw.site_id,
            starts_on: raw.starts_on,
            ends_on: raw.ends_on,
            weekdays,
            hours_per_day: raw.hours_per_day,
            focus: raw.focus,
        })
    }

    /// The canonical JSON of this placement's `data`.
    pub fn to_value(&self) -> Value {
        JsonObject::new()
            .field("participant_id", &self.participant_id)
            .field("site_id", &self.site_id)
            .field("starts_on", &self.starts_on)
            .optional("ends_on", &self.ends_on)
            .field("weekdays", &self.weekdays)
            .field("hours_per_day", &self.hours_per_day)
            .optional("focus", &self.focus)
            .build()
    }

    /// The participant and the site.
    pub fn references(&self) -> Vec<Reference> {
        vec![
            Reference::new("participant_id", Kind::Participant, self.participant_id),
            Reference::new("site_id", Kind::Site, self.site_id),
        ]
    }

    /// Whether the participant is scheduled on `date`.
    pub fn is_scheduled(&self, date: IsoDate) -> bool {
        date >= self.starts_on
            && self.ends_on.is_none_or(|end| date <= end)
            && self.weekdays.contains(date.date().weekday())
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
            "starts_on": "2026-09-07",
            "ends_on": "2026-12-18",
            "weekdays": [1, 2, 3, 4],
            "hours_per_day": 6.5,
            "focus": "branschskola: restaurang"
        })
    }

    fn with(mut data: Value, key: &str, value: Value) -> Value {
        data[key] = value;
        data
    }

    fn field_of(data: &Value) -> String {
        Placement::parse(data).expect_err("should be rejected").field
    }

    #[test]
    fn valid_placement_parses() {
        let p = Placement::parse(&valid()).expect("valid");
        assert_eq!(p.hours_per_day.get(), 6.5);
        assert_eq!(
            p.references(),
            vec![
                Reference::new("participant_id", Kind::Participant, PARTICIPANT.parse().expect("uuid")),
                Reference::new("site_id", Kind::Site, SITE.parse().expect("uuid")),
            ]
        );
        let monday = IsoDate::parse("2026-09-14").expect("date");
        let friday = IsoDate::parse("2026-09-18").expect("date");
        assert!(p.is_scheduled(monday));
        assert!(!p.is_scheduled(friday));
    }

    #[test]
    fn wire_format_is_frozen() {
        let data = json!({
            "weekdays": [5, 1, 3],
            "hours_per_day": 8,
            "starts_on": "2026-09-07",
            "ends_on": null,
            "site_id": "0192F5A4-2222-7D3E-8F40-123456789ABC",
            "participant_id": PARTICIPANT
        });
        let p = Placement::parse(&data).expect("valid");
        assert_eq!(
            serde_json::to_string(&p.to_value()).expect("json"),
            r#"{"hours_per_day":8,"participant_id":"0192f5a4-1b2c-7d3e-8f40-123456789abc","site_id":"0192f5a4-2222-7d3e-8f40-123456789abc","starts_on":"2026-09-07","weekdays":[1,3,5]}"#
        );
        assert_eq!(Placement::parse(&p.to_value()), Ok(p));
    }

    #[test]
    fn rules_name_their_field() {
        assert_eq!(field_of(&with(valid(), "participant_id", json!("abc"))), "participant_id");
        assert_eq!(field_of(&with(valid(), "site_id", Value::Null)), "site_id");
        assert_eq!(field_of(&with(valid(), "weekdays", json!([]))), "weekdays");
        assert_eq!(field_of(&with(valid(), "weekdays", json!([1, 8]))), "weekdays[1]");
        assert_eq!(field_of(&with(valid(), "weekdays", json!([0]))), "weekdays[0]");
        assert_eq!(field_of(&with(valid(), "weekdays", json!([1, 2, 2]))), "weekdays[2]");
        assert_eq!(field_of(&with(valid(), "weekdays", json!([1.5]))), "weekdays[0]");
        assert_eq!(field_of(&with(valid(), "weekdays", json!("mon"))), "weekdays");
        assert_eq!(field_of(&with(valid(), "hours_per_day", json!(0))), "hours_per_day");
        assert_eq!(field_of(&with(valid(), "hours_per_day", json!(24.01))), "hours_per_day");
        assert_eq!(field_of(&with(valid(), "hours_per_day", json!(-3))), "hours_per_day");
        assert_eq!(field_of(&with(valid(), "hours_per_day", json!("8"))), "hours_per_day");
        assert_eq!(field_of(&with(valid(), "starts_on", json!("2026-9-7"))), "starts_on");
        assert_eq!(field_of(&with(valid(), "ends_on", json!("2026-09-06"))), "ends_on");
        assert_eq!(field_of(&with(valid(), "focus", json!("x".repeat(201)))), "focus");
        assert_eq!(field_of(&with(valid(), "rate", json!(1))), "rate");
        assert!(Placement::parse(&with(valid(), "ends_on", json!("2026-09-07"))).is_ok());
    }

    #[test]
    fn errors_read_well() {
        let err = Placement::parse(&with(valid(), "weekdays", json!([1, 2, 2]))).expect_err("dup");
        assert_eq!(err.to_string(), "weekdays[2]: repeats weekday 2");
        let err = Placement::parse(&with(valid(), "hours_per_day", json!("8"))).expect_err("str");
        assert_eq!(err.to_string(), "hours_per_day: must be a number, not a string");
        let err = Placement::parse(&with(valid(), "weekdays", json!([1.5]))).expect_err("float");
        assert_eq!(err.to_string(), "weekdays[0]: must be an integer, not a decimal number");
    }

    proptest! {
        #[test]
        fn round_trips(days in proptest::collection::vec(0i64..9, 0..9), hours in -1.0f64..30.0) {
            let data = with(with(valid(), "weekdays", json!(days)), "hours_per_day", json!(hours));
            if let Ok(p) = Placement::parse(&data) {
                prop_assert_eq!(Placement::parse(&p.to_value()), Ok(p.clone()));
            }
        }
    }
}
