//! Dates, times and numbers as shown in the UI (Swedish style in both
//! languages: `2026-11-23`, `10:15`, 24-hour clock).

use time::{Date, OffsetDateTime};

use super::Texts;
use crate::state::clock;

/// `2026-11-23`.
pub fn date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `10:15` in local time.
pub fn time_of_day(moment: OffsetDateTime) -> String {
    let local = clock::to_local(moment);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// `2026-11-23 10:15` in local time; just `10:15` when it is today.
pub fn moment(moment: OffsetDateTime) -> String {
    let local = clock::to_local(moment);
    if local.date() == clock::today() {
        time_of_day(moment)
    } else {
        format!("{} {}", date(local.date()), time_of_day(moment))
    }
}

/// `idag 10:15` when it is today, else `2026-11-23 10:15` (local time).
pub fn moment_words(texts: &Texts, moment: OffsetDateTime) -> String {
    if clock::to_local(moment).date() == clock::today() {
        (texts.today_at)(&time_of_day(moment))
    } else {
        date_time(moment)
    }
}

/// `2026-11-23 10:15` in local time, always with the date.
pub fn date_time(moment: OffsetDateTime) -> String {
    let local = clock::to_local(moment);
    format!("{} {}", date(local.date()), time_of_day(moment))
}

/// `måndag 23 november`.
pub fn long_date(texts: &Texts, d: Date) -> String {
    let weekday = (texts.weekday_long)(d.weekday().number_from_monday());
    let month = (texts.month_long)(u8::from(d.month()));
    format!("{weekday} {} {month}", d.day())
}

/// A number of hours without trailing zeros: `6`, `7.5`. Rounded to two
/// decimals by the browser (`toFixed(2)`), which saves Rust's float
/// formatting in the wasm (issue 6).
pub fn hours(h: f64) -> String {
    let text: String = js_sys::Number::from(h).to_fixed(2).map(String::from).unwrap_or_default();
    if !text.contains('.') {
        return text;
    }
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
