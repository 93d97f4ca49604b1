//! `site`: an employer's workplace where participants do internships and
//! lessons are held.

use serde::Deserialize;
use serde_json::Value;

use super::error::from_data;
use super::fields::{self, Address, JsonObject, Phone, ShortText};
use super::{FieldError, Reference};

/// A workplace (`data` of kind `site`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), serde(deny_unknown_fields))]
pub struct Site {
    /// The employer's name.
    pub employer: ShortText,
    pub address: Option<Address>,
    /// The participants' supervisor (*handledare*) at the employer.
    pub supervisor_name: Option<ShortText>,
    pub supervisor_phone: Option<Phone>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    employer: ShortText,
    #[serde(default, deserialize_with = "fields::optional_text")]
    address: Option<Address>,
    #[serde(default, deserialize_with = "fields::optional_text")]
    supervisor_name: Option<ShortText>,
    #[serde(default, deserialize_with = "fields::optional_text")]
    supervisor_phone: Option<Phone>,
}

impl Site {
    /// Parses the `data` of a site.
    pub fn parse(data: &Value) -> Result<Self, FieldError> {
        let raw: Raw = from_data(data)?;
        Ok(Site {
            employer: raw.employer,
            address: raw.address,
            supervisor_name: raw.supervisor_name,
            supervisor_phone: raw.supervisor_phone,
        })
    }

    /// The canonical JSON of this site's `data`.
    pub fn to_value(&self) -> Value {
        JsonObject::new()
            .field("employer", &self.employer)
            .optional("address", &self.address)
            .optional("supervisor_name", &self.supervisor_name)
            .optional("supervisor_phone", &self.supervisor_phone)
            .build()
    }

    /// A site points at no other record.
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
            "employer": "Coop Logistik",
            "address": "Lagervägen 4, 136 50 Haninge",
            "supervisor_name": "Lena S.",
            "supervisor_phone": "070-123 45 67"
        })
    }

    fn field_of(data: &Value) -> String {
        Site::parse(data).expect_err("should be rejected").field
    }

    fn with(mut data: Value, key: &str, value: Value) -> Value {
        data[key] = value;
        data
    }

    #[test]
    fn valid_site_parses() {
        let site = Site::parse(&valid()).expect("valid");
        assert_eq!(site.employer.as_str(), "Coop Logistik");
        assert!(site.references().is_empty());
        assert!(Site::parse(&json!({"employer": "Ica"})).is_ok());
    }

    #[test]
    fn wire_format_is_frozen() {
        let data = json!({
            "supervisor_phone": "+46 8 123 456",
            "employer": " Restaurang Nova ",
            "address": "Storgatan 1\n231 42 Trelleborg",
            "supervisor_name": null
        });
        let site = Site::parse(&data).expect("valid");
        assert_eq!(
            serde_json::to_string(&site.to_value()).expect("json"),
            r#"{"address":"Storgatan 1\n231 42 Trelleborg","employer":"Restaurang Nova","supervisor_phone":"+46 8 123 456"}"#
        );
        assert_eq!(Site::parse(&site.to_value()), Ok(site));
    }

    #[test]
    fn blank_optional_text_means_absent() {
        let site = Site::parse(&with(valid(), "address", json!("  "))).expect("valid");
        assert_eq!(site.address, None);
    }

    #[test]
    fn rules_name_their_field() {
        assert_eq!(Site::parse(&json!({})), Err(FieldError::new("employer", "is required")));
        assert_eq!(field_of(&with(valid(), "employer", json!(""))), "employer");
        assert_eq!(field_of(&with(valid(), "employer", json!(12))), "employer");
        assert_eq!(field_of(&with(valid(), "address", json!("a".repeat(501)))), "address");
        assert_eq!(field_of(&with(valid(), "supervisor_name", json!("a".repeat(201)))), "supervisor_name");
        assert_eq!(field_of(&with(valid(), "supervisor_phone", json!("1".repeat(41)))), "supervisor_phone");
        assert_eq!(
            Site::parse(&with(valid(), "colour", json!("red"))),
            Err(FieldError::new("colour", "unknown field"))
        );
    }

    proptest! {
        #[test]
        fn round_trips(employer in "\\PC{1,50}", address in proptest::option::of("\\PC{0,80}")) {
            let data = json!({"employer": employer, "address": address});
            if let Ok(site) = Site::parse(&data) {
                prop_assert_eq!(Site::parse(&site.to_value()), Ok(site.clone()));
            }
        }
    }
}
