//! Deterministic record ids: the UUID v5 rule that makes one attendance record
//! per placement and date, whichever device creates it.

use time::Date;
use uuid::Uuid;

/// Namespace of attendance ids (PRODUCT.md, "attendance").
pub const ATTENDANCE_NAMESPACE: Uuid = Uuid::from_u128(0x5b0c8a52_6d1e_4f3a_9c7b_2e8f4a1d6c30);

/// The id of the attendance record of `placement_id` on `date`: UUID v5 of
/// `"<placement_id>/<YYYY-MM-DD>"`.
pub fn attendance_id(placement_id: Uuid, date: Date) -> Uuid {
    // The text of time's `[year]-[month]-[day]`: a sign only below year 0, the year's
    // digits padded to four, month and day to two (formatted by hand: no format machinery
    // in the wasm).
    let year = date.year();
    let sign = if year < 0 { "-" } else { "" };
    let day = format!("{sign}{:04}-{:02}-{:02}", year.unsigned_abs(), u8::from(date.month()), date.day());
    Uuid::new_v5(&ATTENDANCE_NAMESPACE, format!("{placement_id}/{day}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn same_placement_and_day_gives_same_id() {
        let p = Uuid::from_u128(1);
        assert_eq!(attendance_id(p, date!(2026 - 11 - 23)), attendance_id(p, date!(2026 - 11 - 23)));
        assert_ne!(attendance_id(p, date!(2026 - 11 - 23)), attendance_id(p, date!(2026 - 11 - 24)));
    }

    #[test]
    fn matches_the_documented_name() {
        let p: Uuid = "0192f0c4-7a4e-7cc2-9a51-3c1f1e0b1a2d".parse().unwrap_or_default();
        let expected = Uuid::new_v5(&ATTENDANCE_NAMESPACE, b"0192f0c4-7a4e-7cc2-9a51-3c1f1e0b1a2d/2026-01-05");
        assert_eq!(attendance_id(p, date!(2026 - 01 - 05)), expected);
        assert_eq!(ATTENDANCE_NAMESPACE.to_string(), "5b0c8a52-6d1e-4f3a-9c7b-2e8f4a1d6c30");
    }

    /// The hand-written date text is exactly what time's `[year]-[month]-[day]` gave
    /// (the previous implementation), over the whole range `Date` allows.
    #[test]
    fn date_text_matches_time_format_description() {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let p = Uuid::from_u128(7);
        for year in [-9999, -1000, -1, 0, 1, 99, 999, 1900, 2026, 9999] {
            for (month, day) in [(time::Month::January, 1), (time::Month::February, 28), (time::Month::December, 31)] {
                let date = Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN);
                let text = date.format(&format).unwrap_or_default();
                let expected = Uuid::new_v5(&ATTENDANCE_NAMESPACE, format!("{p}/{text}").as_bytes());
                assert_eq!(attendance_id(p, date), expected, "{text}");
            }
        }
    }
}
