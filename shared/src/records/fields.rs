//! The field types shared by the record kinds: bounded texts, ids, dates,
//! RFC 3339 times, weekdays, hours and small counts, each parsed once and
//! valid from then on; and the canonical JSON writer.
//!
//! Every type here deserializes with its own check, so a serde struct made of
//! them reports the offending field by path, and serializes to its canonical
//! form (the same JSON that `to_json` gives).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};
use serde_json::Value;
use uuid::Uuid;

use super::FieldError;

/// Longest `display_name`, `employer`, `supervisor_name`, `topic`, `focus`.
pub const SHORT_TEXT_MAX: usize = 200;
/// Longest `address`.
pub const ADDRESS_MAX: usize = 500;
/// Longest `supervisor_phone`.
pub const PHONE_MAX: usize = 40;
/// Longest `next_step` and `exit.reason`.
pub const PARAGRAPH_MAX: usize = 2_000;
/// Longest `note`, `text` and `vocabulary`.
pub const LONG_TEXT_MAX: usize = 10_000;
/// Longest entry of `languages`.
pub const LANGUAGE_MAX: usize = 60;
/// Most entries in `languages`.
pub const LANGUAGES_MAX_ITEMS: usize = 20;
/// Most entries in `lesson.attendees`.
pub const ATTENDEES_MAX_ITEMS: usize = 200;
/// Most hours in a day (`hours`, `hours_per_day`).
pub const HOURS_MAX: f64 = 24.0;
/// Shortest and longest lesson, in minutes.
pub const DURATION_MIN_RANGE: std::ops::RangeInclusive<u16> = 1..=600;
/// Lowest and highest `wellbeing`.
pub const WELLBEING_RANGE: std::ops::RangeInclusive<u8> = 1..=5;

// ---------------------------------------------------------------------------
// Canonical JSON

/// The canonical JSON of a field value.
pub trait ToJson {
    fn to_json(&self) -> Value;
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToJson for u8 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl ToJson for Uuid {
    fn to_json(&self) -> Value {
        Value::String(self.hyphenated().to_string())
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

/// Builds a JSON object with its keys in sorted order, whatever map type
/// serde_json was compiled with, leaving out absent optional fields.
#[derive(Default)]
pub(crate) struct JsonObject(Vec<(&'static str, Value)>);

impl JsonObject {
    pub(crate) fn new() -> Self {
        JsonObject::default()
    }

    pub(crate) fn field<T: ToJson + ?Sized>(mut self, key: &'static str, value: &T) -> Self {
        self.0.push((key, value.to_json()));
        self
    }

    pub(crate) fn optional<T: ToJson>(mut self, key: &'static str, value: &Option<T>) -> Self {
        if let Some(value) = value {
            self.0.push((key, value.to_json()));
        }
        self
    }

    pub(crate) fn build(mut self) -> Value {
        sort_small(&mut self.0, |a, b| a.0 > b.0);
        let mut map = serde_json::Map::new();
        for (key, value) in self.0 {
            map.insert(key.to_owned(), value);
        }
        Value::Object(map)
    }
}

/// Sorts a short list (a record's keys, weekdays, a lesson's attendees: at most a few
/// hundred items) by insertion, stably: `greater(a, b)` says `a` goes after `b`. Written
/// out because every `sort`/`sort_by` instantiation puts several KB of code into the app's
/// wasm (issue 6), and these lists are small.
pub fn sort_small<T>(items: &mut [T], greater: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && greater(&items[j - 1], &items[j]) {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Implements `Serialize` through `ToJson`, so both give the same JSON.
macro_rules! serialize_via_to_json {
    ($($ty:ty),+ $(,)?) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.to_json().serialize(serializer)
            }
        }
    )+};
}

/// Implements `utoipa::ToSchema` for a field type with a hand-built schema.
macro_rules! field_schema {
    ($ty:ty, $schema:expr) => {
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                #[allow(unused_imports)]
                use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
                let schema: utoipa::openapi::schema::Schema = $schema.build().into();
                utoipa::openapi::RefOr::T(schema)
            }
        }
        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $ty {}
    };
}

// ---------------------------------------------------------------------------
// Objects

/// Deserializes `T` (a derived serde struct) from a JSON object only.
///
/// Derived structs also accept a JSON array of their fields in order; the
/// wire format has objects only, so every struct is read through this.
pub(crate) struct Object<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
            }
        }
        deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData)).map(Object)
    }
}

// ---------------------------------------------------------------------------
// Texts

/// A text type: non-empty after trimming, stored trimmed, at most `MAX_CHARS`
/// characters (Unicode scalar values, not bytes), without control characters
/// (line breaks and tabs are allowed where `MULTILINE`).
pub trait Text: Sized {
    const MAX_CHARS: usize;
    const MULTILINE: bool;
    /// Wraps a string already checked by [`check_text`].
    fn from_checked(text: String) -> Self;
    /// A further check of the trimmed text, beyond length and characters.
    fn check_more(_text: &str) -> Result<(), String> {
        Ok(())
    }

    /// Parses a submitted string; the error is a message for the field.
    fn parse(text: &str) -> Result<Self, String> {
        let text = check_text(text, Self::MAX_CHARS, Self::MULTILINE)?;
        Self::check_more(&text)?;
        Ok(Self::from_checked(text))
    }
}

/// Trims `text` and checks it is non-empty, short enough and printable.
pub fn check_text(text: &str, max_chars: usize, multiline: bool) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("must not be empty".to_owned());
    }
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(format!("must be at most {max_chars} characters (is {chars})"));
    }
    let allowed = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(if multiline {
            "must not contain control characters other than line breaks and tabs".to_owned()
        } else {
            "must be one line without control characters".to_owned()
        });
    }
    Ok(text.to_owned())
}

/// Deserializes a `Text` from a JSON string.
fn deserialize_text<'de, T: Text, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    T::parse(&text).map_err(de::Error::custom)
}

/// For optional text fields (`#[serde(default, deserialize_with = ...)]`):
/// absent, `null` and blank all mean "no value".
pub(crate) fn optional_text<'de, T: Text, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(None),
        Some(text) => T::parse(&text).map(Some).map_err(de::Error::custom),
    }
}

macro_rules! text_type {
    (
        $(#[$meta:meta])*
        $name:ident, max = $max:expr, multiline = $multiline:expr
        $(, check = $check:path, rule = $rule:literal)?
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Parses a submitted string; the error is a message for the field.
            pub fn parse(text: &str) -> Result<Self, String> {
                <Self as Text>::parse(text)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Text for $name {
            const MAX_CHARS: usize = $max;
            const MULTILINE: bool = $multiline;
            fn from_checked(text: String) -> Self {
                $name(text)
            }
            $(
                fn check_more(text: &str) -> Result<(), String> {
                    $check(text)
                }
            )?
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ToJson for $name {
            fn to_json(&self) -> Value {
                Value::String(self.0.clone())
            }
        }

        serialize_via_to_json!($name);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_text(deserializer)
            }
        }

        field_schema!(
            $name,
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some($max))
                .description(Some(format!(
                    "Non-empty after trimming (stored trimmed); at most {} characters; {}.{}",
                    $max,
                    if $multiline { "line breaks allowed" } else { "one line" },
                    concat!("" $(, " ", $rule)?),
                )))
        );
    };
}

text_type!(
    /// A one-line name or label: `employer`, `supervisor_name`, `topic`, `focus`.
    ShortText, max = SHORT_TEXT_MAX, multiline = false
);

text_type!(
    /// A participant's display name: first name and initial. Never a
    /// personal identity number (PRODUCT: no national id on devices).
    DisplayName, max = SHORT_TEXT_MAX, multiline = false,
    check = reject_personnummer,
    rule = "Must not contain a personal identity number (personnummer)."
);

text_type!(
    /// A postal or visiting address (`site.address`).
    Address, max = ADDRESS_MAX, multiline = true
);

text_type!(
    /// A telephone number as written (`site.supervisor_phone`).
    Phone, max = PHONE_MAX, multiline = false
);

text_type!(
    /// A paragraph: `visit.next_step`, `participant.exit.reason`.
    Paragraph, max = PARAGRAPH_MAX, multiline = true
);

text_type!(
    /// A long free text: `note`, `mentor_note.text`, `plan_goal.text`,
    /// `lesson.vocabulary`.
    LongText, max = LONG_TEXT_MAX, multiline = true
);

text_type!(
    /// A language a participant speaks, as written ("arabiska", "Tigrinya").
    Language, max = LANGUAGE_MAX, multiline = false
);

/// Rejects text holding something shaped like a Swedish personal identity
/// number (*personnummer* or *samordningsnummer*): 10 or 12 digits in a row,
/// or 6 or 8 digits, a `-` or `+`, and 4 digits.
fn reject_personnummer(text: &str) -> Result<(), String> {
    if looks_like_personnummer(text) {
        Err("must not contain a personal identity number (personnummer); \
             use first name and initial"
            .to_owned())
    } else {
        Ok(())
    }
}

fn looks_like_personnummer(text: &str) -> bool {
    // Find the maximal runs of ASCII digits; a run of 10 or 12, or a run of
    // 6 or 8 followed by `-`/`+` and a run of exactly 4, is a match.
    let bytes = text.as_bytes();
    let mut runs: Vec<(usize, usize)> = Vec::new(); // (start, end) byte offsets
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    runs.iter().enumerate().any(|(n, &(start, end))| {
        let len = end - start;
        let split = (len == 6 || len == 8)
            && matches!(bytes.get(end), Some(b'-' | b'+'))
            && runs
                .get(n + 1)
                .is_some_and(|&(next_start, next_end)| next_start == end + 1 && next_end - next_start == 4);
        len == 10 || len == 12 || split
    })
}

/// `languages`: at most [`LANGUAGES_MAX_ITEMS`] languages, in the order given
/// (the first is the one the participant prefers). May be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Languages(Vec<Language>);

impl Languages {
    pub fn new(languages: Vec<Language>) -> Result<Self, String> {
        if languages.len() > LANGUAGES_MAX_ITEMS {
            return Err(format!("must have at most {LANGUAGES_MAX_ITEMS} items (has {})", languages.len()));
        }
        Ok(Languages(languages))
    }

    pub fn as_slice(&self) -> &[Language] {
        &self.0
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Language> {
        self.0.iter()
    }
}

impl ToJson for Languages {
    fn to_json(&self) -> Value {
        self.0.to_json()
    }
}

serialize_via_to_json!(Languages);

impl<'de> Deserialize<'de> for Languages {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let languages = Vec::<Language>::deserialize(deserializer)?;
        Languages::new(languages).map_err(de::Error::custom)
    }
}

field_schema!(
    Languages,
    ArrayBuilder::new().items(<Language as utoipa::PartialSchema>::schema()).max_items(Some(LANGUAGES_MAX_ITEMS))
);

// ---------------------------------------------------------------------------
// Ids

/// Parses an id: a UUID in its hyphenated form (any case; stored lowercase).
pub fn parse_id(text: &str) -> Result<Uuid, String> {
    const MESSAGE: &str = "must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)";
    if text.len() != 36 {
        return Err(MESSAGE.to_owned());
    }
    Uuid::try_parse(text).map_err(|_| MESSAGE.to_owned())
}

struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = Uuid;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a UUID string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Uuid, E> {
        parse_id(v).map_err(E::custom)
    }
}

/// For id fields (`#[serde(deserialize_with = "fields::id")]`).
pub(crate) fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Uuid, D::Error> {
    deserializer.deserialize_str(IdVisitor)
}

/// For optional id fields (`#[serde(default, deserialize_with = ...)]`).
pub(crate) fn optional_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Uuid>, D::Error> {
    struct OptionVisitor;
    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<Uuid>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a UUID string")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            id(d).map(Some)
        }
    }
    deserializer.deserialize_option(OptionVisitor)
}

// ---------------------------------------------------------------------------
// Dates and times

/// A calendar date, `YYYY-MM-DD`, that exists (2026-02-30 does not).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IsoDate(time::Date);

impl IsoDate {
    /// Parses exactly `YYYY-MM-DD` (four-digit year).
    pub fn parse(text: &str) -> Result<Self, String> {
        const SHAPE: &str = "must be a date written YYYY-MM-DD";
        let b = text.as_bytes();
        let digits_at = |range: std::ops::Range<usize>| range.clone().all(|i| b[i].is_ascii_digit());
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits_at(0..4) || !digits_at(5..7) || !digits_at(8..10) {
            return Err(SHAPE.to_owned());
        }
        let number =
            |range: std::ops::Range<usize>| b[range].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        let month = u8::try_from(month).ok().and_then(|m| time::Month::try_from(m).ok());
        let date = match (i32::try_from(year), month, u8::try_from(day)) {
            (Ok(year), Some(month), Ok(day)) => time::Date::from_calendar_date(year, month, day).ok(),
            _ => None,
        };
        date.map(IsoDate).ok_or_else(|| "must be a real calendar date".to_owned())
    }

    /// Wraps a date with a four-digit year (0000–9999).
    pub fn from_date(date: time::Date) -> Result<Self, String> {
        if (0..=9999).contains(&date.year()) {
            Ok(IsoDate(date))
        } else {
            Err("must have a four-digit year".to_owned())
        }
    }

    pub fn date(self) -> time::Date {
        self.0
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), u8::from(self.0.month()), self.0.day())
    }
}

impl ToJson for IsoDate {
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
}

serialize_via_to_json!(IsoDate);

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        IsoDate::parse(&text).map_err(de::Error::custom)
    }
}

field_schema!(
    IsoDate,
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .examples([serde_json::json!("2026-11-22")])
);

/// For optional date fields (`#[serde(default, deserialize_with = ...)]`).
pub(crate) fn optional_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<IsoDate>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) => IsoDate::parse(&text).map(Some).map_err(de::Error::custom),
    }
}

/// A moment in time. Accepts RFC 3339 with any offset; keeps it in UTC and
/// writes it `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (fraction without trailing
/// zeros, omitted when zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(time::OffsetDateTime);

impl Timestamp {
    pub fn parse(text: &str) -> Result<Self, String> {
        let parsed = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .map_err(|_| "must be an RFC 3339 time such as 2026-11-22T09:30:00Z".to_owned())?;
        Timestamp::from_offset_date_time(parsed)
    }

    /// Converts to UTC; the year in UTC must have four digits (0000–9999).
    pub fn from_offset_date_time(moment: time::OffsetDateTime) -> Result<Self, String> {
        let utc = moment
            .checked_to_offset(time::UtcOffset::UTC)
            .filter(|utc| (0..=9999).contains(&utc.year()))
            .ok_or_else(|| "must be a time between years 0000 and 9999 (UTC)".to_owned())?;
        Ok(Timestamp(utc))
    }

    pub fn offset_date_time(self) -> time::OffsetDateTime {
        self.0
    }

    /// The UTC calendar date of this moment.
    pub fn utc_date(self) -> IsoDate {
        IsoDate(self.0.date())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        write!(f, "{}T{:02}:{:02}:{:02}", IsoDate(t.date()), t.hour(), t.minute(), t.second())?;
        let nanos = t.nanosecond();
        if nanos != 0 {
            let fraction = format!("{nanos:09}");
            write!(f, ".{}", fraction.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl ToJson for Timestamp {
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
}

serialize_via_to_json!(Timestamp);

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(de::Error::custom)
    }
}

field_schema!(
    Timestamp,
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
        .description(Some("RFC 3339; any offset accepted, always written in UTC (`Z`)."))
        .examples([serde_json::json!("2026-11-22T09:30:00Z")])
);

// ---------------------------------------------------------------------------
// Numbers

/// Visits any JSON integer (signed or unsigned) as an `i128`.
struct IntegerVisitor;

impl Visitor<'_> for IntegerVisitor {
    type Value = i128;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i128, E> {
        Ok(i128::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i128, E> {
        Ok(i128::from(v))
    }
}

/// Visits any JSON number as an `f64`.
struct NumberVisitor;

impl Visitor<'_> for NumberVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    #[allow(clippy::cast_precision_loss)]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
}

/// A number of hours as canonical JSON: an integer when whole, else a float.
fn hours_json(hours: f64) -> Value {
    if hours.fract() == 0.0 && (0.0..=HOURS_MAX).contains(&hours) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let whole = hours as u64;
        Value::from(whole)
    } else {
        serde_json::Number::from_f64(hours).map_or(Value::Null, Value::Number)
    }
}

macro_rules! number_type {
    ($(#[$meta:meta])* $name:ident($inner:ty), visitor = $visitor:ident, to_json = $to_json:expr) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
        pub struct $name($inner);

        impl $name {
            pub fn get(self) -> $inner {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ToJson for $name {
            fn to_json(&self) -> Value {
                let to_json: fn($inner) -> Value = $to_json;
                to_json(self.0)
            }
        }

        serialize_via_to_json!($name);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = deserializer.deserialize_any($visitor)?;
                $name::parse(value).map_err(de::Error::custom)
            }
        }
    };
}

number_type!(
    /// `attendance.hours`: hours actually attended, 0 to 24.
    Hours(f64), visitor = NumberVisitor, to_json = hours_json
);

impl Hours {
    pub fn parse(hours: f64) -> Result<Self, String> {
        if hours.is_finite() && (0.0..=HOURS_MAX).contains(&hours) {
            // `-0.0` is stored as `0.0`.
            Ok(Hours(hours + 0.0))
        } else {
            Err("must be a number of hours from 0 to 24".to_owned())
        }
    }
}

field_schema!(Hours, ObjectBuilder::new().schema_type(Type::Number).minimum(Some(0.0)).maximum(Some(HOURS_MAX)));

number_type!(
    /// `placement.hours_per_day`: scheduled hours, more than 0 and at most 24.
    HoursPerDay(f64), visitor = NumberVisitor, to_json = hours_json
);

impl HoursPerDay {
    pub fn parse(hours: f64) -> Result<Self, String> {
        if hours.is_finite() && hours > 0.0 && hours <= HOURS_MAX {
            Ok(HoursPerDay(hours))
        } else {
            Err("must be a number of hours greater than 0 and at most 24".to_owned())
        }
    }
}

field_schema!(
    HoursPerDay,
    ObjectBuilder::new().schema_type(Type::Number).exclusive_minimum(Some(0.0)).maximum(Some(HOURS_MAX))
);

number_type!(
    /// `visit.wellbeing`: how the participant feels, 1 (bad) to 5 (good).
    Wellbeing(u8), visitor = IntegerVisitor, to_json = Value::from
);

impl Wellbeing {
    pub fn parse(value: i128) -> Result<Self, String> {
        u8::try_from(value)
            .ok()
            .filter(|v| WELLBEING_RANGE.contains(v))
            .map(Wellbeing)
            .ok_or_else(|| "must be an integer from 1 to 5".to_owned())
    }
}

field_schema!(
    Wellbeing,
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(f64::from(*WELLBEING_RANGE.start())))
        .maximum(Some(f64::from(*WELLBEING_RANGE.end())))
);

number_type!(
    /// `lesson.duration_min`: length of a lesson in minutes, 1 to 600.
    DurationMin(u16), visitor = IntegerVisitor, to_json = Value::from
);

impl DurationMin {
    pub fn parse(value: i128) -> Result<Self, String> {
        u16::try_from(value)
            .ok()
            .filter(|v| DURATION_MIN_RANGE.contains(v))
            .map(DurationMin)
            .ok_or_else(|| "must be an integer from 1 to 600 (minutes)".to_owned())
    }
}

field_schema!(
    DurationMin,
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(f64::from(*DURATION_MIN_RANGE.start())))
        .maximum(Some(f64::from(*DURATION_MIN_RANGE.end())))
);

/// A day of the week, ISO numbering: 1 = Monday … 7 = Sunday.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Weekday(u8);

impl Weekday {
    pub fn parse(value: i128) -> Result<Self, String> {
        u8::try_from(value)
            .ok()
            .filter(|v| (1..=7).contains(v))
            .map(Weekday)
            .ok_or_else(|| "must be a weekday from 1 (Monday) to 7 (Sunday)".to_owned())
    }

    pub fn get(self) -> u8 {
        self.0
    }

    pub fn to_time(self) -> time::Weekday {
        match self.0 {
            1 => time::Weekday::Monday,
            2 => time::Weekday::Tuesday,
            3 => time::Weekday::Wednesday,
            4 => time::Weekday::Thursday,
            5 => time::Weekday::Friday,
            6 => time::Weekday::Saturday,
            _ => time::Weekday::Sunday,
        }
    }
}

impl ToJson for Weekday {
    fn to_json(&self) -> Value {
        Value::from(self.0)
    }
}

serialize_via_to_json!(Weekday);

impl<'de> Deserialize<'de> for Weekday {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = deserializer.deserialize_any(IntegerVisitor)?;
        Weekday::parse(value).map_err(de::Error::custom)
    }
}

field_schema!(
    Weekday,
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1.0))
        .maximum(Some(7.0))
        .description(Some("ISO weekday: 1 = Monday … 7 = Sunday."))
);

/// `placement.weekdays`: a non-empty set of weekdays, stored ascending.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Weekdays(Vec<Weekday>);

impl Weekdays {
    /// Checks the days are non-empty and distinct; a duplicate is reported
    /// at its index (`"[2]"`, to be prefixed with the field name).
    pub fn new(days: &[Weekday]) -> Result<Self, FieldError> {
        if days.is_empty() {
            return Err(FieldError::new("", "must name at least one weekday"));
        }
        for (i, day) in days.iter().enumerate() {
            if days[..i].contains(day) {
                return Err(FieldError::new(format!("[{i}]"), format!("repeats weekday {}", day.get())));
            }
        }
        let mut days = days.to_vec();
        sort_small(&mut days, |a, b| a > b);
        Ok(Weekdays(days))
    }

    pub fn as_slice(&self) -> &[Weekday] {
        &self.0
    }

    pub fn contains(&self, day: time::Weekday) -> bool {
        self.0.iter().any(|d| d.to_time() == day)
    }
}

impl ToJson for Weekdays {
    fn to_json(&self) -> Value {
        self.0.to_json()
    }
}

serialize_via_to_json!(Weekdays);

field_schema!(
    Weekdays,
    ArrayBuilder::new()
        .items(<Weekday as utoipa::PartialSchema>::schema())
        .min_items(Some(1))
        .max_items(Some(7))
        .unique_items(true)
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// `sort_small` orders exactly as the standard library's stable sort.
        #[test]
        fn sort_small_is_a_stable_sort(items in proptest::collection::vec((0u8..8, any::<u16>()), 0..64)) {
            let mut ours = items.clone();
            sort_small(&mut ours, |a, b| a.0 > b.0);
            let mut std_sorted = items;
            std_sorted.sort_by_key(|item| item.0);
            prop_assert_eq!(ours, std_sorted);
        }
    }

    #[test]
    fn text_is_trimmed_bounded_and_printable() {
        assert_eq!(ShortText::parse("  Lager AB ").map(|t| t.into_string()), Ok("Lager AB".into()));
        assert!(ShortText::parse("   ").is_err());
        assert!(ShortText::parse(&"å".repeat(200)).is_ok(), "200 chars, 400 bytes");
        assert!(ShortText::parse(&"å".repeat(201)).is_err());
        assert!(ShortText::parse("two\nlines").is_err());
        assert!(LongText::parse("two\r\nlines\tand a tab").is_ok());
        assert!(LongText::parse("nul\u{0}byte").is_err());
        assert!(Phone::parse(&"1".repeat(41)).is_err());
        assert!(Address::parse(&"a".repeat(501)).is_err());
        assert!(Paragraph::parse(&"a".repeat(2001)).is_err());
        assert!(LongText::parse(&"a".repeat(10_000)).is_ok());
        assert!(LongText::parse(&"a".repeat(10_001)).is_err());
        assert!(Language::parse(&"a".repeat(61)).is_err());
    }

    #[test]
    fn display_name_rejects_personnummer_shapes() {
        for bad in [
            "Amina 8501021234",
            "Amina 198501021234",
            "Amina 850102-1234",
            "850102+1234 Amina",
            "Amina K. 19850102-1234",
        ] {
            let err = DisplayName::parse(bad).expect_err(bad);
            assert!(err.contains("personnummer"), "{err}");
        }
        for ok in ["Amina K.", "Amina K 2", "Jonas 85", "Ali 070-1234567", "Ali 1234567890123"] {
            assert!(DisplayName::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn ids_are_hyphenated_uuids() {
        let id = parse_id("0192F5A4-1B2C-7D3E-8F40-123456789ABC").expect("uuid");
        assert_eq!(id.to_json(), Value::from("0192f5a4-1b2c-7d3e-8f40-123456789abc"));
        assert!(parse_id("0192f5a41b2c7d3e8f40123456789abc").is_err());
        assert!(parse_id("urn:uuid:0192f5a4-1b2c-7d3e-8f40-123456789abc").is_err());
        assert!(parse_id("0192f5a4-1b2c-7d3e-8f40-123456789abz").is_err());
    }

    #[test]
    fn dates_are_real_and_strict() {
        assert_eq!(IsoDate::parse("2028-02-29").map(|d| d.to_string()), Ok("2028-02-29".into()));
        for bad in [
            "2026-02-30",
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "2026-01-01T00:00:00Z",
            " 2026-01-01",
            "+2026-01-01",
            "２０２６-01-01",
        ] {
            assert!(IsoDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_are_kept_in_utc() {
        let t = Timestamp::parse("2026-11-22T10:30:00+01:00").expect("time");
        assert_eq!(t.to_string(), "2026-11-22T09:30:00Z");
        let t = Timestamp::parse("2026-11-22T09:30:00.120Z").expect("time");
        assert_eq!(t.to_string(), "2026-11-22T09:30:00.12Z");
        let t = Timestamp::parse("2026-11-22T23:30:00-02:00").expect("time");
        assert_eq!(t.to_string(), "2026-11-23T01:30:00Z");
        assert_eq!(t.utc_date().to_string(), "2026-11-23");
        // RFC 3339 (5.6, note) lets applications use a space for the `T`.
        let t = Timestamp::parse("2026-11-22 09:30:00Z").expect("time");
        assert_eq!(t.to_string(), "2026-11-22T09:30:00Z");
        for bad in [
            "2026-11-22",
            "2026-11-22T09:30:00",
            "9:30",
            "2026-11-22T9:30:00Z",
            "2026-02-30T09:30:00Z",
            "0000-01-01T00:30:00+01:00",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hours_are_canonical() {
        assert_eq!(Hours::parse(8.0).map(|h| h.to_json()), Ok(Value::from(8)));
        assert_eq!(Hours::parse(7.5).map(|h| h.to_json()), Ok(Value::from(7.5)));
        assert_eq!(Hours::parse(-0.0).map(|h| h.to_json()), Ok(Value::from(0)));
        assert!(Hours::parse(24.5).is_err());
        assert!(Hours::parse(-1.0).is_err());
        assert!(Hours::parse(f64::NAN).is_err());
        assert!(HoursPerDay::parse(0.0).is_err());
        assert!(HoursPerDay::parse(f64::INFINITY).is_err());
        assert!(HoursPerDay::parse(24.0).is_ok());
    }

    #[test]
    fn weekdays_are_a_sorted_set() {
        let days: Vec<Weekday> = [5, 1, 3].iter().map(|d| Weekday::parse(*d).expect("day")).collect();
        let set = Weekdays::new(&days).expect("set");
        assert_eq!(set.to_json(), serde_json::json!([1, 3, 5]));
        assert!(set.contains(time::Weekday::Friday));
        let dup: Vec<Weekday> = [1, 2, 1].iter().map(|d| Weekday::parse(*d).expect("day")).collect();
        assert_eq!(Weekdays::new(&dup).map_err(|e| e.field), Err("[2]".to_owned()));
        assert!(Weekdays::new(&[]).is_err());
        assert!(Weekday::parse(0).is_err());
        assert!(Weekday::parse(8).is_err());
    }

    #[test]
    fn json_object_sorts_keys_and_skips_none() {
        let none: Option<bool> = None;
        let v = JsonObject::new().field("b", &true).optional("c", &none).optional("a", &Some(false)).build();
        assert_eq!(serde_json::to_string(&v).expect("json"), r#"{"a":false,"b":true}"#);
    }

    proptest! {
        #[test]
        fn text_parsers_never_panic_and_are_idempotent(s in any::<String>()) {
            if let Ok(t) = DisplayName::parse(&s) {
                prop_assert_eq!(DisplayName::parse(t.as_str()), Ok(t.clone()));
            }
            if let Ok(t) = LongText::parse(&s) {
                prop_assert_eq!(LongText::parse(t.as_str()), Ok(t.clone()));
            }
            let _ = parse_id(&s);
        }

        #[test]
        fn date_and_time_parsers_never_panic(s in "[0-9T:Z+.-]{0,40}") {
            if let Ok(d) = IsoDate::parse(&s) {
                prop_assert_eq!(IsoDate::parse(&d.to_string()), Ok(d));
            }
            if let Ok(t) = Timestamp::parse(&s) {
                prop_assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
            }
        }

        #[test]
        fn real_dates_round_trip(y in 0i32..=9999, ordinal in 1u16..=365) {
            let date = time::Date::from_ordinal_date(y, ordinal).expect("valid ordinal");
            let iso = IsoDate::from_date(date).expect("four-digit year");
            prop_assert_eq!(IsoDate::parse(&iso.to_string()), Ok(iso));
        }

        #[test]
        fn timestamps_round_trip(secs in -62_000_000_000i64..=253_000_000_000i64, nanos in 0u32..1_000_000_000) {
            let moment = time::OffsetDateTime::from_unix_timestamp(secs)
                .expect("in range")
                .replace_nanosecond(nanos)
                .expect("nanos");
            if let Ok(t) = Timestamp::from_offset_date_time(moment) {
                prop_assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
            }
        }
    }
}
