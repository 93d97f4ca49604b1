//! The record kinds of PRODUCT.md as typed, validated values.
//!
//! INTERFACE (used by the server and the app; keep these signatures):
//! - `Kind`: the nine kinds, serde `snake_case`, `Kind::ALL`, `as_str()`, `FromStr`.
//! - `FieldError { field, message }`: `field` is the path inside `data`
//!   (`"display_name"`, `"exit.outcome"`, `"attendees[2].status"`).
//! - `RecordData::parse(kind, &serde_json::Value) -> Result<RecordData, FieldError>`:
//!   parse, don't validate. Unknown fields are rejected naming the field.
//! - `RecordData::references()`: the ids this record points at, with the kind
//!   each must be, so the server can check they live in the same program.
//! - `RecordData::to_value()`: the canonical JSON (optional fields that are
//!   `None` are omitted; times in RFC 3339 UTC).
//!
//! Beyond that interface: each kind has its own struct (`Participant`, …,
//! `PlanGoal`) with `parse`, `to_value` and `references`; the closed
//! vocabularies (`ParticipantStatus`, `AttendanceStatus`, …) have `as_str`
//! and serde `snake_case`; `fields` holds the shared field types and the
//! length limits as consts. Rules beyond the field types (exit iff exited,
//! ends_on ≥ starts_on, unique attendees) are checked by `parse`, so build
//! records through `parse`; the fields are public for reading.
//! A `FieldError` for `data` that is not an object has an empty `field`
//! (`prefixed("data")` makes it `"data"`).

mod attendance;
mod error;
pub mod fields;
mod follow_up;
mod kind;
mod lesson;
mod macros;
mod mentor_note;
mod participant;
mod placement;
mod plan_goal;
mod site;
mod visit;

pub use attendance::{Attendance, AttendanceStatus};
pub use error::FieldError;
pub use fields::{
    Address, DisplayName, DurationMin, Hours, HoursPerDay, IsoDate, Language, Languages, LongText, Paragraph, Phone,
    ShortText, Timestamp, Weekday, Weekdays, Wellbeing,
};
pub use follow_up::{FOLLOW_UP_MONTHS, FollowUp, FollowUpStatus};
pub use kind::Kind;
pub use lesson::{Attendee, AttendeeStatus, Lesson};
pub use mentor_note::{MentorNote, NoteCategory};
pub use participant::{Exit, ExitOutcome, Participant, ParticipantStatus};
pub use placement::Placement;
pub use plan_goal::{GoalStatus, PlanGoal};
pub use site::Site;
pub use visit::{Visit, VisitType};

use serde_json::Value;

/// The validated `data` of a record, by kind.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordData {
    Participant(Participant),
    Site(Site),
    Placement(Placement),
    Attendance(Attendance),
    Visit(Visit),
    MentorNote(MentorNote),
    Lesson(Lesson),
    PlanGoal(PlanGoal),
    FollowUp(FollowUp),
}

/// A reference from a record's `data` to another record: the field that
/// holds it (a path, e.g. `attendees[0].participant_id`), the kind the other
/// record must be, and its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub field: String,
    pub kind: Kind,
    pub id: uuid::Uuid,
}

impl Reference {
    pub fn new(field: impl Into<String>, kind: Kind, id: uuid::Uuid) -> Self {
        Reference { field: field.into(), kind, id }
    }
}

/// Calls `$body` with the inner record bound to `$rec`, whatever its kind.
macro_rules! each_kind {
    ($data:expr, $rec:ident => $body:expr) => {
        match $data {
            RecordData::Participant($rec) => $body,
            RecordData::Site($rec) => $body,
            RecordData::Placement($rec) => $body,
            RecordData::Attendance($rec) => $body,
            RecordData::Visit($rec) => $body,
            RecordData::MentorNote($rec) => $body,
            RecordData::Lesson($rec) => $body,
            RecordData::PlanGoal($rec) => $body,
            RecordData::FollowUp($rec) => $body,
        }
    };
}

impl RecordData {
    /// Parses `data` as a record of `kind`. Every rejection names the field.
    pub fn parse(kind: Kind, data: &Value) -> Result<RecordData, FieldError> {
        Ok(match kind {
            Kind::Participant => RecordData::Participant(Participant::parse(data)?),
            Kind::Site => RecordData::Site(Site::parse(data)?),
            Kind::Placement => RecordData::Placement(Placement::parse(data)?),
            Kind::Attendance => RecordData::Attendance(Attendance::parse(data)?),
            Kind::Visit => RecordData::Visit(Visit::parse(data)?),
            Kind::MentorNote => RecordData::MentorNote(MentorNote::parse(data)?),
            Kind::Lesson => RecordData::Lesson(Lesson::parse(data)?),
            Kind::PlanGoal => RecordData::PlanGoal(PlanGoal::parse(data)?),
            Kind::FollowUp => RecordData::FollowUp(FollowUp::parse(data)?),
        })
    }

    pub fn kind(&self) -> Kind {
        match self {
            RecordData::Participant(_) => Kind::Participant,
            RecordData::Site(_) => Kind::Site,
            RecordData::Placement(_) => Kind::Placement,
            RecordData::Attendance(_) => Kind::Attendance,
            RecordData::Visit(_) => Kind::Visit,
            RecordData::MentorNote(_) => Kind::MentorNote,
            RecordData::Lesson(_) => Kind::Lesson,
            RecordData::PlanGoal(_) => Kind::PlanGoal,
            RecordData::FollowUp(_) => Kind::FollowUp,
        }
    }

    /// The records this one points at, each with the kind it must be.
    pub fn references(&self) -> Vec<Reference> {
        each_kind!(self, rec => rec.references())
    }

    /// The participants this record is about (a lesson: its attendees). A
    /// participant record is about itself, which only its id can say: empty here.
    pub fn participant_ids(&self) -> Vec<uuid::Uuid> {
        match self {
            RecordData::Participant(_) | RecordData::Site(_) => Vec::new(),
            RecordData::Placement(p) => vec![p.participant_id],
            RecordData::Attendance(a) => vec![a.participant_id],
            RecordData::Visit(v) => vec![v.participant_id],
            RecordData::MentorNote(n) => vec![n.participant_id],
            RecordData::Lesson(l) => l.attendees.iter().map(|a| a.participant_id).collect(),
            RecordData::PlanGoal(g) => vec![g.participant_id],
            RecordData::FollowUp(f) => vec![f.participant_id],
        }
    }

    /// The canonical JSON object: keys sorted, `None` optionals omitted,
    /// texts trimmed, ids lowercase, times in UTC, whole hours as integers.
    /// `RecordData::parse(kind, &x.to_value()) == Ok(x)`.
    pub fn to_value(&self) -> Value {
        each_kind!(self, rec => rec.to_value())
    }
}

/// Serializes records as their canonical JSON (`to_value`).
macro_rules! serialize_as_value {
    ($($ty:ty),+ $(,)?) => {$(
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&self.to_value(), serializer)
            }
        }
    )+};
}

serialize_as_value!(
    RecordData,
    Participant,
    Site,
    Placement,
    Attendance,
    Visit,
    MentorNote,
    Lesson,
    PlanGoal,
    FollowUp
);

/// The `data` schema: one of the nine record schemas (which one is told
/// by the record's `kind`).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for RecordData {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::ToSchema;
        use utoipa::openapi::schema::{OneOfBuilder, Ref};
        let names = [
            Participant::name(),
            Site::name(),
            Placement::name(),
            Attendance::name(),
            Visit::name(),
            MentorNote::name(),
            Lesson::name(),
            PlanGoal::name(),
            FollowUp::name(),
        ];
        let one_of = names
            .into_iter()
            .fold(OneOfBuilder::new(), |b, name| b.item(Ref::from_schema_name(name)))
            .description(Some("The record's `data`; its shape is chosen by `kind`."));
        utoipa::openapi::RefOr::T(one_of.build().into())
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for RecordData {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        fn add<T: utoipa::ToSchema>(
            schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>,
        ) {
            schemas.push((T::name().into_owned(), T::schema()));
            T::schemas(schemas);
        }
        add::<Participant>(schemas);
        add::<Site>(schemas);
        add::<Placement>(schemas);
        add::<Attendance>(schemas);
        add::<Visit>(schemas);
        add::<MentorNote>(schemas);
        add::<Lesson>(schemas);
        add::<PlanGoal>(schemas);
        add::<FollowUp>(schemas);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const P: &str = "0192f5a4-1b2c-7d3e-8f40-123456789abc";
    const S: &str = "0192f5a4-2222-7d3e-8f40-123456789abc";
    const PL: &str = "0192f5a4-3333-7d3e-8f40-123456789abc";

    /// One valid `data` per kind.
    fn examples() -> Vec<(Kind, Value)> {
        vec![
            (
                Kind::Participant,
                json!({"display_name": "Amina K.", "languages": ["somaliska"], "needs_interpreter": true,
                       "status": "active", "started_on": "2026-09-01"}),
            ),
            (Kind::Site, json!({"employer": "Coop Logistik"})),
            (
                Kind::Placement,
                json!({"participant_id": P, "site_id": S, "starts_on": "2026-09-07",
                       "weekdays": [1, 2, 3], "hours_per_day": 6}),
            ),
            (
                Kind::Attendance,
                json!({"placement_id": PL, "participant_id": P, "date": "2026-09-07", "status": "present"}),
            ),
            (Kind::Visit, json!({"participant_id": P, "at": "2026-09-07T10:00:00Z", "type": "start"})),
            (
                Kind::MentorNote,
                json!({"participant_id": P, "at": "2026-09-07T10:00:00Z", "category": "progress", "text": "Bra start."}),
            ),
            (
                Kind::Lesson,
                json!({"site_id": S, "at": "2026-09-08T10:00:00Z", "duration_min": 40, "topic": "Hälsa på kunder",
                       "attendees": [{"participant_id": P, "status": "present"}]}),
            ),
            (Kind::PlanGoal, json!({"participant_id": P, "text": "Truckkort", "status": "open"})),
            (Kind::FollowUp, json!({"participant_id": P, "months_after_exit": 6, "status": "studies"})),
        ]
    }

    #[test]
    fn every_kind_parses_and_round_trips() {
        let examples = examples();
        assert_eq!(examples.len(), Kind::ALL.len());
        for (kind, data) in examples {
            let rec = RecordData::parse(kind, &data).unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(rec.kind(), kind);
            assert_eq!(RecordData::parse(kind, &rec.to_value()), Ok(rec.clone()));
            assert_eq!(serde_json::to_value(&rec).expect("serializes"), rec.to_value());
        }
    }

    #[test]
    fn data_of_one_kind_is_not_another() {
        let examples = examples();
        for (kind, data) in &examples {
            for other in Kind::ALL {
                if other != *kind {
                    assert!(RecordData::parse(other, data).is_err(), "{kind} as {other}");
                }
            }
        }
    }

    #[test]
    fn unknown_field_is_named_for_every_kind() {
        for (kind, mut data) in examples() {
            data["colour"] = json!("red");
            assert_eq!(RecordData::parse(kind, &data), Err(FieldError::new("colour", "unknown field")), "{kind}");
        }
    }

    #[test]
    fn non_object_data_is_rejected_at_the_root() {
        for kind in Kind::ALL {
            for data in [json!(null), json!("x"), json!([]), json!(3)] {
                let err = RecordData::parse(kind, &data).expect_err("not an object");
                assert_eq!(err.field, "");
                assert!(err.message.starts_with("must be an object"), "{}", err.message);
                assert_eq!(err.prefixed("data").field, "data");
            }
        }
    }

    #[test]
    fn references_by_kind() {
        let refs: Vec<(Kind, Vec<(String, Kind)>)> = examples()
            .into_iter()
            .map(|(kind, data)| {
                let rec = RecordData::parse(kind, &data).expect("valid");
                (kind, rec.references().into_iter().map(|r| (r.field, r.kind)).collect())
            })
            .collect();
        let p = || ("participant_id".to_owned(), Kind::Participant);
        let s = || ("site_id".to_owned(), Kind::Site);
        assert_eq!(
            refs,
            vec![
                (Kind::Participant, vec![]),
                (Kind::Site, vec![]),
                (Kind::Placement, vec![p(), s()]),
                (Kind::Attendance, vec![("placement_id".to_owned(), Kind::Placement), p()]),
                (Kind::Visit, vec![p()]),
                (Kind::MentorNote, vec![p()]),
                (Kind::Lesson, vec![s(), ("attendees[0].participant_id".to_owned(), Kind::Participant)]),
                (Kind::PlanGoal, vec![p()]),
                (Kind::FollowUp, vec![p()]),
            ]
        );
    }

    #[test]
    fn enums_spell_as_serde_does() {
        fn check<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug + Copy>(
            all: &[T],
            as_str: fn(T) -> &'static str,
        ) {
            for v in all {
                assert_eq!(serde_json::to_value(v).expect("ser"), json!(as_str(*v)));
                assert_eq!(serde_json::from_value::<T>(json!(as_str(*v))).expect("de"), *v);
            }
        }
        check(&Kind::ALL, Kind::as_str);
        check(&ParticipantStatus::ALL, ParticipantStatus::as_str);
        check(&ExitOutcome::ALL, ExitOutcome::as_str);
        check(&AttendanceStatus::ALL, AttendanceStatus::as_str);
        check(&VisitType::ALL, VisitType::as_str);
        check(&NoteCategory::ALL, NoteCategory::as_str);
        check(&AttendeeStatus::ALL, AttendeeStatus::as_str);
        check(&GoalStatus::ALL, GoalStatus::as_str);
    }

    /// Any JSON value.
    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "\\PC{0,20}".prop_map(Value::from),
            Just(Value::from(P)),
            Just(Value::from("2026-09-07")),
        ];
        leaf.prop_recursive(3, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map("[a-z_]{1,16}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn arbitrary_json_never_panics(kind in proptest::sample::select(Kind::ALL.to_vec()), data in any_json()) {
            match RecordData::parse(kind, &data) {
                Ok(rec) => prop_assert_eq!(RecordData::parse(kind, &rec.to_value()), Ok(rec.clone())),
                Err(err) => prop_assert!(!err.message.is_empty()),
            }
        }

        #[test]
        fn mutated_examples_never_panic(
            pick in 0usize..8,
            key in proptest::sample::select(vec!["display_name", "languages", "status", "weekdays",
                "hours_per_day", "hours", "at", "type", "wellbeing", "attendees", "duration_min",
                "text", "exit", "ends_on", "site_id"]),
            value in any_json(),
        ) {
            let (kind, mut data) = examples().swap_remove(pick);
            data[key] = value;
            match RecordData::parse(kind, &data) {
                Ok(rec) => prop_assert_eq!(RecordData::parse(kind, &rec.to_value()), Ok(rec.clone())),
                Err(err) => prop_assert!(!err.message.is_empty()),
            }
        }
    }
}

#[cfg(all(test, feature = "openapi"))]
mod openapi_tests {
    use super::*;
    use utoipa::{PartialSchema, ToSchema};

    fn components() -> serde_json::Map<String, Value> {
        let mut schemas = Vec::new();
        RecordData::schemas(&mut schemas);
        schemas.into_iter().map(|(name, schema)| (name, serde_json::to_value(schema).expect("schema json"))).collect()
    }

    #[test]
    fn every_kind_has_a_closed_schema() {
        let components = components();
        let data = serde_json::to_value(RecordData::schema()).expect("json");
        let one_of = data["oneOf"].as_array().expect("oneOf");
        assert_eq!(one_of.len(), Kind::ALL.len());
        for name in [
            "Participant",
            "Site",
            "Placement",
            "Attendance",
            "Visit",
            "MentorNote",
            "Lesson",
            "PlanGoal",
            "Exit",
            "Attendee",
        ] {
            let schema = &components[name];
            assert_eq!(schema["additionalProperties"], Value::Bool(false), "{name}");
        }
        let participant = &components["Participant"];
        let required = participant["required"].as_array().expect("required");
        assert!(required.contains(&Value::from("display_name")));
        assert!(!required.contains(&Value::from("coach_id")));
        assert!(components["Visit"]["properties"].get("type").is_some());
        assert_eq!(
            components["Lesson"]["properties"]["attendees"]["maxItems"],
            Value::from(fields::ATTENDEES_MAX_ITEMS)
        );
        assert_eq!(components["LongText"]["maxLength"], Value::from(fields::LONG_TEXT_MAX));
        assert_eq!(components["ParticipantStatus"]["enum"], serde_json::json!(["active", "paused", "exited"]));
    }
}
