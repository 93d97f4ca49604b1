//! Deterministic record ids: the UUID v5 rule that makes one attendance record
//! per placement and date, whichever device creates it.

use time::Date;
use time::macros::format_description;
use uuid::Uuid;

/// Namespace of attendance ids (PRODUCT.md, "attendance").
pub const ATTENDANCE_NAMESPACE: Uuid = Uuid::from_u128(0x5b0c8a52_6d1e_4f3a_9c7b_2e8f4a1d6c30);

/// The id of the attendance record of `placement_id` on `date`: UUID v5 of
/// `"<placement_id>/<YYYY-MM-DD>"`.
pub fn attendance_id(placement_id: Uuid, date: Date) -> Uuid {
    let format = format_description!("[year]-[month]-[day]");
    // Formatting a valid `Date` with a fixed numeric description cannot fail;
    // fall back to the ISO form that yields the same text for years 0..=9999.
    let day = date
        .format(&format)
        .unwrap_or_else(|_| format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()));
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
}
