//! The rules behind every report figure (docs/OFFICE.md, "The attendance
//! report" and "The outcomes report") as pure functions over what the store
//! read: planned days per placement from the Swedish calendar, unmarked
//! days, totals, outcome shares, the median time to exit and the follow-ups
//! that are due. No I/O here; the HTTP layer pages, logs and formats.

use std::collections::{HashMap, HashSet};

use shared::calendar::{YearMonth, planned_days, weekday_holidays};
use shared::office::{AttendanceCounts, AttendanceRow, FollowUpSummary, OutcomeCount, OutcomesReport, StatusCount};
use shared::records::{ExitOutcome, FOLLOW_UP_MONTHS, FollowUpStatus, IsoDate};
use time::{Date, Month};
use uuid::Uuid;

use crate::store::facts::parse_weekdays;
use crate::store::office::{AttendanceMonth, Exits};

/// `YYYY-MM-DD`.
pub fn iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// A stored `YYYY-MM-DD` (a corrupt one is an error naming it).
fn stored_date(text: &str) -> Result<Date, String> {
    IsoDate::parse(text).map(IsoDate::date).map_err(|e| format!("stored date {text:?}: {e}"))
}

/// Sums of hours without binary-fraction noise (0.1 + 0.2 is 0.3).
fn tidy(hours: f64) -> f64 {
    (hours * 1_000_000.0).round() / 1_000_000.0
}

/// The weekday holidays of the month, `YYYY-MM-DD`.
pub fn holidays(month: YearMonth) -> Vec<String> {
    weekday_holidays(month).into_iter().map(iso).collect()
}

/// Every row of the attendance report of `month`, in the store's order
/// (participant name, site employer, placement id). `unmarked` counts the
/// planned days before `today` without a mark: in the current month the
/// days still to come are planned, not missing.
pub fn attendance_rows(month: YearMonth, data: &AttendanceMonth, today: Date) -> Result<Vec<AttendanceRow>, String> {
    let marked: HashSet<(Uuid, &str)> = data.marked.iter().map(|(p, d)| (*p, d.as_str())).collect();
    data.rows
        .iter()
        .map(|row| {
            let starts_on = stored_date(&row.starts_on)?;
            let ends_on = row.ends_on.as_deref().map(stored_date).transpose()?;
            let planned = planned_days(&parse_weekdays(&row.weekdays), starts_on, ends_on, month);
            let unmarked = planned
                .iter()
                .filter(|d| **d < today && !marked.contains(&(row.placement_id, iso(**d).as_str())))
                .count();
            let planned_days = i64::try_from(planned.len()).unwrap_or(i64::MAX);
            Ok(AttendanceRow {
                participant_id: row.participant_id,
                participant_name: row.participant_name.clone(),
                placement_id: row.placement_id,
                site_id: row.site_id,
                site_name: row.site_name.clone(),
                counts: AttendanceCounts {
                    planned_days,
                    present: row.present,
                    late: row.late,
                    absent_sick: row.absent_sick,
                    absent_excused: row.absent_excused,
                    absent_unexcused: row.absent_unexcused,
                    unmarked: i64::try_from(unmarked).unwrap_or(i64::MAX),
                    #[allow(clippy::cast_precision_loss)]
                    planned_hours: tidy(planned_days as f64 * row.hours_per_day),
                    hours: tidy(row.hours),
                },
            })
        })
        .collect()
}

/// The sums of every row.
pub fn totals(rows: &[AttendanceRow]) -> AttendanceCounts {
    let mut t = rows.iter().fold(AttendanceCounts::default(), |mut t, r| {
        let c = &r.counts;
        t.planned_days += c.planned_days;
        t.present += c.present;
        t.late += c.late;
        t.absent_sick += c.absent_sick;
        t.absent_excused += c.absent_excused;
        t.absent_unexcused += c.absent_unexcused;
        t.unmarked += c.unmarked;
        t.planned_hours += c.planned_hours;
        t.hours += c.hours;
        t
    });
    t.planned_hours = tidy(t.planned_hours);
    t.hours = tidy(t.hours);
    t
}

/// The participants of these rows, once each, in row order.
pub fn participants_of(rows: &[AttendanceRow]) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    rows.iter().map(|r| r.participant_id).filter(|p| seen.insert(*p)).collect()
}

/// `date` plus `months` calendar months; a day the target month lacks
/// becomes its last day (31 August + 6 months = 28 or 29 February).
pub fn add_months(date: Date, months: u8) -> Date {
    let zero_based = i32::from(u8::from(date.month())) - 1 + i32::from(months);
    let year = date.year() + zero_based.div_euclid(12);
    let month = u8::try_from(zero_based.rem_euclid(12) + 1).ok().and_then(|m| Month::try_from(m).ok());
    let Some(month) = month else {
        return date;
    };
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(mut values: Vec<i64>) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    #[allow(clippy::cast_precision_loss)]
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2] as f64),
        _ => Some((values[n / 2 - 1] as f64 + values[n / 2] as f64) / 2.0),
    }
}

/// round(100 × part / whole), 0 when `whole` is 0.
pub fn percent(part: i64, whole: i64) -> i64 {
    if whole == 0 {
        return 0;
    }
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let p = (100.0 * part as f64 / whole as f64).round() as i64;
    p
}

/// The outcomes report of the participants who exited in `[from, to]`, with
/// follow-ups due by `today` (the server's date, UTC).
pub fn outcomes(program_id: Uuid, from: Date, to: Date, data: &Exits, today: Date) -> Result<OutcomesReport, String> {
    let exited = i64::try_from(data.exited.len()).unwrap_or(i64::MAX);
    let by_outcome = ExitOutcome::ALL
        .iter()
        .map(|outcome| {
            let count = data.exited.iter().filter(|e| e.exit_outcome == outcome.as_str()).count();
            let count = i64::try_from(count).unwrap_or(i64::MAX);
            OutcomeCount { outcome: outcome.as_str().to_owned(), count, percent: percent(count, exited) }
        })
        .collect();
    let mut days = Vec::with_capacity(data.exited.len());
    let mut exit_dates = HashMap::with_capacity(data.exited.len());
    for e in &data.exited {
        let (start, exit) = (stored_date(&e.started_on)?, stored_date(&e.exit_date)?);
        days.push((exit - start).whole_days());
        exit_dates.insert(e.participant_id, exit);
    }
    // The newest live follow-up per participant and months.
    let mut newest: HashMap<(Uuid, i64), (i64, &str)> = HashMap::new();
    for f in &data.follow_ups {
        let key = (f.participant_id, f.months_after_exit);
        if newest.get(&key).is_none_or(|(v, _)| *v < f.version) {
            newest.insert(key, (f.version, f.status.as_str()));
        }
    }
    let follow_ups = FOLLOW_UP_MONTHS
        .iter()
        .map(|&months| {
            let due: Vec<Uuid> =
                exit_dates.iter().filter(|(_, exit)| add_months(**exit, months) <= today).map(|(p, _)| *p).collect();
            let recorded: Vec<&str> =
                due.iter().filter_map(|p| newest.get(&(*p, i64::from(months))).map(|(_, s)| *s)).collect();
            let by_status = FollowUpStatus::ALL
                .iter()
                .map(|status| StatusCount {
                    status: status.as_str().to_owned(),
                    count: i64::try_from(recorded.iter().filter(|s| **s == status.as_str()).count())
                        .unwrap_or(i64::MAX),
                })
                .collect();
            let due_count = i64::try_from(due.len()).unwrap_or(i64::MAX);
            FollowUpSummary {
                months_after_exit: i64::from(months),
                due: due_count,
                by_status,
                missing: due_count - i64::try_from(recorded.len()).unwrap_or(i64::MAX),
            }
        })
        .collect();
    Ok(OutcomesReport {
        program_id,
        from: iso(from),
        to: iso(to),
        exited,
        by_outcome,
        median_days_to_exit: median(days),
        follow_ups,
    })
}

/// Hours as Swedish spreadsheets read them: a decimal comma, at most two
/// decimals, no trailing zeros (`13,5`, `9`).
pub fn swedish_decimal(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    let text = if text == "-0" { "0" } else { text };
    text.replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::office::{ExitRow, FollowUpRow, PlacementMonth};
    use time::macros::date;

    fn month(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap_or(YearMonth { year: 2026, month: Month::January })
    }

    #[test]
    fn months_add_with_the_day_clamped() {
        assert_eq!(add_months(date!(2026 - 05 - 29), 3), date!(2026 - 08 - 29));
        assert_eq!(add_months(date!(2026 - 08 - 31), 6), date!(2027 - 02 - 28));
        assert_eq!(add_months(date!(2027 - 08 - 31), 6), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 11 - 30), 3), date!(2027 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 10 - 15), 3), date!(2027 - 01 - 15));
    }

    #[test]
    fn medians_and_percentages() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![30, 10, 20]), Some(20.0));
        assert_eq!(median(vec![40, 10, 20, 30]), Some(25.0));
        assert_eq!(median(vec![1, 2]), Some(1.5));
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(0, 0), 0);
    }

    #[test]
    fn swedish_decimals() {
        assert_eq!(swedish_decimal(13.5), "13,5");
        assert_eq!(swedish_decimal(9.0), "9");
        assert_eq!(swedish_decimal(0.0), "0");
        assert_eq!(swedish_decimal(7.25), "7,25");
        assert_eq!(swedish_decimal(85.5), "85,5");
        assert_eq!(swedish_decimal(100.0), "100");
    }

    #[test]
    fn a_row_counts_planned_unmarked_and_hours() {
        // Mon–Fri in May 2026 from 1 May: 19 planned days (1 May and Ascension are holidays).
        let p = Uuid::now_v7();
        let data = AttendanceMonth {
            rows: vec![PlacementMonth {
                placement_id: p,
                participant_id: Uuid::now_v7(),
                participant_name: "Amina".into(),
                site_id: Uuid::now_v7(),
                site_name: "Coop".into(),
                starts_on: "2026-01-01".into(),
                ends_on: None,
                weekdays: "1,2,3,4,5".into(),
                hours_per_day: 4.5,
                present: 2,
                late: 0,
                absent_sick: 1,
                absent_excused: 0,
                absent_unexcused: 0,
                hours: 9.0,
            }],
            // Two planned days marked, and a Saturday (not planned).
            marked: vec![(p, "2026-05-04".into()), (p, "2026-05-05".into()), (p, "2026-05-09".into())],
        };
        let rows = attendance_rows(month("2026-05"), &data, Date::MAX).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        let c = &rows[0].counts;
        assert_eq!((c.planned_days, c.unmarked, c.planned_hours, c.hours), (19, 17, 85.5, 9.0));
        assert_eq!(totals(&rows), c.clone());
        assert_eq!(holidays(month("2026-05")), vec!["2026-05-01", "2026-05-14"]);
    }

    #[test]
    fn outcomes_follow_ups_take_the_newest_record_of_due_participants() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let exit = |p, started: &str, date: &str, outcome: &str| ExitRow {
            participant_id: p,
            started_on: started.into(),
            exit_date: date.into(),
            exit_outcome: outcome.into(),
        };
        let data = Exits {
            exited: vec![
                exit(a, "2026-01-01", "2026-01-11", "job"),
                exit(b, "2026-01-01", "2026-01-21", "job"),
                exit(c, "2026-01-01", "2026-06-01", "studies"),
            ],
            follow_ups: vec![
                FollowUpRow { participant_id: a, months_after_exit: 3, status: "unknown".into(), version: 5 },
                FollowUpRow { participant_id: a, months_after_exit: 3, status: "job".into(), version: 9 },
                // c is not due yet on 2026-08-01: not counted.
                FollowUpRow { participant_id: c, months_after_exit: 3, status: "studies".into(), version: 7 },
            ],
        };
        let r = outcomes(Uuid::nil(), date!(2026 - 01 - 01), date!(2026 - 12 - 31), &data, date!(2026 - 08 - 01))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.exited, 3);
        assert_eq!(
            r.by_outcome.iter().map(|o| (o.outcome.as_str(), o.count, o.percent)).collect::<Vec<_>>(),
            vec![("job", 2, 67), ("studies", 1, 33), ("other", 0, 0)]
        );
        assert_eq!(r.median_days_to_exit, Some(20.0));
        let three = &r.follow_ups[0];
        assert_eq!((three.months_after_exit, three.due, three.missing), (3, 2, 1));
        assert_eq!(three.by_status.iter().map(|s| s.count).collect::<Vec<_>>(), vec![1, 0, 0, 0]);
        let six = &r.follow_ups[1];
        assert_eq!((six.months_after_exit, six.due, six.missing), (6, 2, 2));
    }
}
