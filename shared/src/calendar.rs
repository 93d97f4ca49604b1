//! The Swedish working calendar of the attendance report: public holidays
//! (and the de facto holidays midsummer eve, Christmas eve and New Year's
//! eve, on which internships do not plan work) and the planned days of a
//! placement in a month.

use time::{Date, Duration, Month, Weekday};

/// A month, `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: Month,
}

impl YearMonth {
    /// Parses `YYYY-MM` (years 2000–2199).
    pub fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u8 = m.parse().ok()?;
        if !(2000..=2199).contains(&year) {
            return None;
        }
        Some(YearMonth { year, month: Month::try_from(month).ok()? })
    }

    pub fn first_day(self) -> Date {
        // Day 1 exists in every month.
        Date::from_calendar_date(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        let days = self.month.length(self.year);
        Date::from_calendar_date(self.year, self.month, days).unwrap_or(Date::MIN)
    }

    pub fn days(self) -> impl Iterator<Item = Date> {
        let (first, last) = (self.first_day(), self.last_day());
        std::iter::successors(Some(first), move |d| d.next_day().filter(|n| *n <= last))
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, u8::from(self.month))
    }
}

/// Easter Sunday of `year` (Gregorian; the anonymous algorithm).
pub fn easter_sunday(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let month = Month::try_from(u8::try_from(month).unwrap_or(4)).unwrap_or(Month::April);
    Date::from_calendar_date(year, month, u8::try_from(day).unwrap_or(1)).unwrap_or(Date::MIN)
}

/// Whether `date` is a Swedish public holiday or a de facto holiday eve on
/// which no work is planned: New Year's day, Epiphany, Good Friday, Easter
/// Sunday and Monday, 1 May, Ascension day, Whitsunday, the National day
/// (6 June), midsummer eve and day, All Saints' day, Christmas eve and day,
/// Boxing day and New Year's eve.
pub fn is_holiday(date: Date) -> bool {
    let (year, month, day) = (date.year(), date.month(), date.day());
    let fixed = matches!(
        (month, day),
        (Month::January, 1 | 6) | (Month::May, 1) | (Month::June, 6) | (Month::December, 24 | 25 | 26 | 31)
    );
    if fixed {
        return true;
    }
    let easter = easter_sunday(year);
    let movable = [-2, 0, 1, 39, 49].iter().any(|offset| easter + Duration::days(*offset) == date);
    if movable {
        return true;
    }
    // Midsummer eve: the Friday between 19 and 25 June; midsummer day the Saturday after.
    if month == Month::June {
        let eve = (19..=25).any(|d| d == day && date.weekday() == Weekday::Friday);
        let midsummer = (20..=26).any(|d| d == day && date.weekday() == Weekday::Saturday);
        if eve || midsummer {
            return true;
        }
    }
    // All Saints' day: the Saturday between 31 October and 6 November.
    date.weekday() == Weekday::Saturday
        && ((month == Month::October && day == 31) || (month == Month::November && day <= 6))
}

/// ISO weekday number, 1 = Monday … 7 = Sunday (the placement's `weekdays`).
pub fn iso_weekday(date: Date) -> u8 {
    date.weekday().number_from_monday()
}

/// The days of `month` on which a placement with these `weekdays` plans work:
/// between `starts_on` and `ends_on` (inclusive; `None` = open-ended), on one
/// of its weekdays, and not a holiday.
pub fn planned_days(weekdays: &[u8], starts_on: Date, ends_on: Option<Date>, month: YearMonth) -> Vec<Date> {
    month
        .days()
        .filter(|d| *d >= starts_on && ends_on.is_none_or(|end| *d <= end))
        .filter(|d| weekdays.contains(&iso_weekday(*d)))
        .filter(|d| !is_holiday(*d))
        .collect()
}

/// The holidays of `month` that fall on Monday–Friday.
pub fn weekday_holidays(month: YearMonth) -> Vec<Date> {
    month.days().filter(|d| iso_weekday(*d) <= 5 && is_holiday(*d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn easter_matches_the_almanac() {
        assert_eq!(easter_sunday(2024), date!(2024 - 03 - 31));
        assert_eq!(easter_sunday(2025), date!(2025 - 04 - 20));
        assert_eq!(easter_sunday(2026), date!(2026 - 04 - 05));
        assert_eq!(easter_sunday(2027), date!(2027 - 03 - 28));
    }

    #[test]
    fn swedish_holidays_of_2026() {
        for d in [
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 06),
            date!(2026 - 04 - 03), // Good Friday
            date!(2026 - 04 - 06), // Easter Monday
            date!(2026 - 05 - 01),
            date!(2026 - 05 - 14), // Ascension
            date!(2026 - 06 - 06),
            date!(2026 - 06 - 19), // midsummer eve
            date!(2026 - 06 - 20),
            date!(2026 - 10 - 31), // All Saints' day
            date!(2026 - 12 - 24),
            date!(2026 - 12 - 25),
            date!(2026 - 12 - 26),
            date!(2026 - 12 - 31),
        ] {
            assert!(is_holiday(d), "{d}");
        }
        for d in [date!(2026 - 04 - 07), date!(2026 - 06 - 18), date!(2026 - 11 - 23), date!(2026 - 05 - 13)] {
            assert!(!is_holiday(d), "{d}");
        }
    }

    #[test]
    fn planned_days_of_may_2026_mon_to_fri() {
        // May 2026: 21 weekdays; 1 May (Fri) and Ascension (Thu 14) are holidays.
        let month = YearMonth::parse("2026-05").expect("a month");
        let days = planned_days(&[1, 2, 3, 4, 5], date!(2026 - 01 - 01), None, month);
        assert_eq!(days.len(), 19);
        assert_eq!(weekday_holidays(month), vec![date!(2026 - 05 - 01), date!(2026 - 05 - 14)]);
    }

    #[test]
    fn a_placement_starting_mid_month_plans_from_its_start() {
        // Mon/Wed/Fri from Wed 13 May to Fri 29 May 2026: 13, 15, 18, 20, 22, 25, 27, 29 = 8.
        let month = YearMonth::parse("2026-05").expect("a month");
        let days = planned_days(&[1, 3, 5], date!(2026 - 05 - 13), Some(date!(2026 - 05 - 29)), month);
        assert_eq!(days.len(), 8);
    }

    #[test]
    fn months_parse_strictly() {
        assert_eq!(YearMonth::parse("2026-02").map(|m| m.last_day()), Some(date!(2026 - 02 - 28)));
        assert_eq!(YearMonth::parse("2026-11").map(|m| m.to_string()), Some("2026-11".to_owned()));
        for bad in ["2026-13", "2026-1", "26-01", "2026/01", "", "1999-01"] {
            assert_eq!(YearMonth::parse(bad), None, "{bad}");
        }
    }
}
