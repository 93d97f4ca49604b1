//! The device's clock and time zone: now, today's local date, and the
//! conversions between `<input type="datetime-local">` values and UTC times.

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, UtcOffset};
use wasm_bindgen::JsValue;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The local UTC offset at `ms` (DST aware, from the browser).
fn offset_at(ms: f64) -> UtcOffset {
    let minutes_behind = js_sys::Date::new(&JsValue::from_f64(ms)).get_timezone_offset();
    #[allow(clippy::cast_possible_truncation)]
    let seconds = (-minutes_behind * 60.0) as i32;
    UtcOffset::from_whole_seconds(seconds).unwrap_or(UtcOffset::UTC)
}

/// A UTC moment from milliseconds since the epoch.
pub fn from_ms(ms: f64) -> OffsetDateTime {
    #[allow(clippy::cast_possible_truncation)]
    let nanos = (ms * 1_000_000.0) as i128;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Now, in UTC.
pub fn now() -> OffsetDateTime {
    from_ms(now_ms())
}

/// `moment` in the device's time zone.
pub fn to_local(moment: OffsetDateTime) -> OffsetDateTime {
    #[allow(clippy::cast_precision_loss)]
    let ms = (moment.unix_timestamp_nanos() / 1_000_000) as f64;
    moment.to_offset(offset_at(ms))
}

/// Milliseconds since the epoch of `moment`.
pub fn ms_of(moment: OffsetDateTime) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let ms = (moment.unix_timestamp_nanos() / 1_000_000) as f64;
    ms
}

/// Today's date on the device.
pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    let month = u8::try_from(d.get_month() + 1).ok().and_then(|m| Month::try_from(m).ok());
    let day = u8::try_from(d.get_date()).ok();
    #[allow(clippy::cast_possible_wrap)]
    let year = d.get_full_year() as i32;
    match (month, day) {
        (Some(month), Some(day)) => Date::from_calendar_date(year, month, day).unwrap_or_else(|_| now().date()),
        _ => now().date(),
    }
}

/// Now as a `datetime-local` value: `2026-11-23T10:15`.
pub fn now_input() -> String {
    let local = to_local(now());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// Today as a `date` input value.
pub fn today_input() -> String {
    crate::i18n::format::date(today())
}

/// A `datetime-local` value (local time) as an RFC 3339 UTC time; the text
/// itself when it is not a time, so that validation names the field.
pub fn input_to_rfc3339(value: &str) -> String {
    let value = value.trim();
    // `YYYY-MM-DDTHH:MM[:SS]` without an offset is local time to `Date.parse`.
    let looks_local = value.len() >= 16 && value.as_bytes().get(10) == Some(&b'T');
    if !looks_local {
        return value.to_owned();
    }
    let ms = js_sys::Date::parse(value);
    if ms.is_nan() {
        return value.to_owned();
    }
    from_ms(ms).format(&Rfc3339).unwrap_or_else(|_| value.to_owned())
}
