//! Retention (*gallring*, docs/SECURITY.md): the rules that say when a
//! record's content is destroyed, which records they select, and the report
//! the `stegvis admin retention` command prints. Pure: the store loads the
//! candidates (`store/retention_sql.rs`) and writes the tombstones.
//!
//! A rule is `KIND:ANCHOR:PERIOD`:
//! - `participant:after-exit:5y`: an exited participant and every record
//!   about them, once the exit date is at least the period ago;
//! - `attendance|visit|mentor_note|lesson:after-date:2y`: records of that kind
//!   whose own date (attendance `date`, the others' `at`) is that old;
//! - `plan_goal|follow_up|site:after-update:3y`: records of that kind last
//!   changed that long ago (a site still used by a live placement stays).
//!
//! The period is a whole number of years (`5y`) or months (`18m`). A record
//! is due on the day the period has passed (`date <= today - period`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use shared::Kind;
use shared::merge::Fields;
use time::{Date, Month};
use uuid::Uuid;

/// The device id of the tombstones retention writes (their HLC, their
/// history rows): `00000000-0000-0000-6761-6c6c72696e67`, "gallring" in ASCII.
pub const RETENTION_DEVICE: Uuid = Uuid::from_u128(0x6761_6c6c_7269_6e67);

/// The rule used when none is given.
pub const DEFAULT_RULE: &str = "participant:after-exit:5y";

/// Whether a stored record is a retention tombstone: deleted, its content
/// gone. An ordinary delete keeps the data, and every put needs some, so
/// nothing else looks like this. Such a record takes no more writes.
pub fn is_destroyed(deleted: bool, data: &Fields) -> bool {
    deleted && data.is_empty()
}

/// What a rule's period counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The participant's exit date.
    AfterExit,
    /// The record's own date (attendance `date`, visit/mentor_note/lesson `at`).
    AfterDate,
    /// The record's last change on the server.
    AfterUpdate,
}

impl Anchor {
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::AfterExit => "after-exit",
            Anchor::AfterDate => "after-date",
            Anchor::AfterUpdate => "after-update",
        }
    }

    /// The one anchor a kind's rules use (`None`: the kind has no rule of its own).
    pub fn of(kind: Kind) -> Option<Anchor> {
        match kind {
            Kind::Participant => Some(Anchor::AfterExit),
            Kind::Attendance | Kind::Visit | Kind::MentorNote | Kind::Lesson => Some(Anchor::AfterDate),
            Kind::PlanGoal | Kind::FollowUp | Kind::Site => Some(Anchor::AfterUpdate),
            Kind::Placement => None,
        }
    }
}

/// How long a record is kept after its anchor date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Years(u32),
    Months(u32),
}

impl Period {
    fn months(self) -> u32 {
        match self {
            Period::Years(n) => n * 12,
            Period::Months(n) => n,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Years(n) => write!(f, "{n}y"),
            Period::Months(n) => write!(f, "{n}m"),
        }
    }
}

/// One retention rule; see the module doc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub kind: Kind,
    pub anchor: Anchor,
    pub period: Period,
}

/// Longest period accepted (a typo like `500y` is an error, not a no-op).
const MAX_YEARS: u32 = 100;

impl Rule {
    /// Parses `KIND:ANCHOR:PERIOD`; the error says what is wrong and what would do.
    pub fn parse(text: &str) -> Result<Rule, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.split(':').collect();
        let [kind, anchor, period] = parts.as_slice() else {
            return Err(format!(
                "rule `{text}`: expected KIND:ANCHOR:PERIOD, e.g. participant:after-exit:5y or attendance:after-date:2y"
            ));
        };
        let kind = Kind::from_name(kind).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            format!("rule `{text}`: unknown kind `{kind}` (one of {})", names.join(", "))
        })?;
        let anchor = match *anchor {
            "after-exit" => Anchor::AfterExit,
            "after-date" => Anchor::AfterDate,
            "after-update" => Anchor::AfterUpdate,
            other => {
                return Err(format!(
                    "rule `{text}`: unknown anchor `{other}` (one of after-exit, after-date, after-update)"
                ));
            }
        };
        match Anchor::of(kind) {
            None => {
                return Err(format!(
                    "rule `{text}`: {kind} has no rule of its own; it goes with its participant \
                     (participant:after-exit:PERIOD)"
                ));
            }
            Some(expected) if expected != anchor => {
                let why = match expected {
                    Anchor::AfterExit => "a participant is counted from the exit date",
                    Anchor::AfterDate => "its own date counts",
                    Anchor::AfterUpdate => "it has no date of its own; its last change counts",
                };
                return Err(format!("rule `{text}`: {why}: use {kind}:{}:{period}", expected.as_str()));
            }
            Some(_) => {}
        }
        let period = parse_period(period).map_err(|e| format!("rule `{text}`: period `{period}`: {e}"))?;
        Ok(Rule { kind, anchor, period })
    }

    /// The latest anchor date that is due on `today`: `today - period`
    /// (the 29th of February of a year without one becomes the 28th).
    pub fn cutoff(&self, today: Date) -> Date {
        minus_months(today, self.period.months())
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.kind, self.anchor.as_str(), self.period)
    }
}

fn parse_period(text: &str) -> Result<Period, String> {
    let usage = "expected a whole number of years or months, e.g. 5y or 18m";
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(usage.to_owned());
    }
    let n: u32 = number.parse().map_err(|_| format!("too long ({usage})"))?;
    let period = match unit {
        "y" => Period::Years(n),
        "m" => Period::Months(n),
        _ => return Err(usage.to_owned()),
    };
    if n == 0 {
        return Err("must be at least 1 (0 would destroy everything at once)".to_owned());
    }
    if period.months() > MAX_YEARS * 12 {
        return Err(format!("at most {MAX_YEARS} years"));
    }
    Ok(period)
}

fn minus_months(date: Date, months: u32) -> Date {
    let index = date.year() * 12 + i32::from(u8::from(date.month())) - 1 - months as i32;
    let year = index.div_euclid(12);
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1)).unwrap_or(Month::January);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

/// `YYYY-MM-DD`, the form of every date in the report tables.
pub fn iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// A participant of the organisation as the report tables hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParticipantCandidate {
    pub id: Uuid,
    pub program_id: Uuid,
    pub status: String,
    /// `YYYY-MM-DD`.
    pub exit_date: Option<String>,
}

/// One `record_participants` row of a record about a due participant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct About {
    pub record_id: Uuid,
    pub kind: Kind,
    pub program_id: Uuid,
    pub participant_id: Uuid,
}

/// A record of a kind some rule names, with its anchor date (`YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dated {
    pub id: Uuid,
    pub kind: Kind,
    pub program_id: Uuid,
    pub date: String,
}

/// What the store loaded for a run (content never: ids, kinds, dates).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inventory {
    /// The organisation's participants not yet destroyed.
    pub participants: Vec<ParticipantCandidate>,
    /// Every participant of every record about a due participant.
    pub about: Vec<About>,
    /// Candidates of the kind rules.
    pub dated: Vec<Dated>,
    /// `(site_id, placement_id)` of every live placement of the organisation.
    pub site_uses: Vec<(Uuid, Uuid)>,
}

/// A record a run destroys, and the first rule (index) that selected it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chosen {
    pub id: Uuid,
    pub kind: Kind,
    pub program_id: Uuid,
    pub rule: usize,
}

/// The participants due under the participant rules, with the first rule that made each due.
pub fn due_participants(rules: &[Rule], today: Date, participants: &[ParticipantCandidate]) -> BTreeMap<Uuid, usize> {
    let mut due = BTreeMap::new();
    for (i, rule) in rules.iter().enumerate().filter(|(_, r)| r.anchor == Anchor::AfterExit) {
        let cutoff = iso(rule.cutoff(today));
        for p in participants {
            let exited = p.status == "exited" && p.exit_date.as_deref().is_some_and(|d| d <= cutoff.as_str());
            if exited {
                due.entry(p.id).or_insert(i);
            }
        }
    }
    due
}

/// Every record the rules select, by id. A record about several
/// participants (a lesson) goes only when all of them are due; a site stays
/// while a live placement that is not going uses it. A record several rules
/// select counts under the first of them.
pub fn select(rules: &[Rule], today: Date, inventory: &Inventory) -> Vec<Chosen> {
    let due = due_participants(rules, today, &inventory.participants);
    let mut chosen: BTreeMap<Uuid, Chosen> = BTreeMap::new();
    let mut offer = |id: Uuid, kind: Kind, program_id: Uuid, rule: usize| {
        let entry = chosen.entry(id).or_insert(Chosen { id, kind, program_id, rule });
        entry.rule = entry.rule.min(rule);
    };
    for p in &inventory.participants {
        if let Some(&rule) = due.get(&p.id) {
            offer(p.id, Kind::Participant, p.program_id, rule);
        }
    }
    let mut records: BTreeMap<Uuid, (Kind, Uuid, Vec<Uuid>)> = BTreeMap::new();
    for a in &inventory.about {
        records.entry(a.record_id).or_insert((a.kind, a.program_id, Vec::new())).2.push(a.participant_id);
    }
    for (id, (kind, program_id, participants)) in records {
        // The rule that made the last of its participants due.
        let rules_of: Option<Vec<usize>> = participants.iter().map(|p| due.get(p).copied()).collect();
        if let Some(rule) = rules_of.and_then(|r| r.into_iter().max()) {
            offer(id, kind, program_id, rule);
        }
    }
    for (i, rule) in rules.iter().enumerate().filter(|(_, r)| r.anchor != Anchor::AfterExit) {
        let cutoff = iso(rule.cutoff(today));
        for d in inventory.dated.iter().filter(|d| d.kind == rule.kind && d.date.as_str() <= cutoff.as_str()) {
            offer(d.id, d.kind, d.program_id, i);
        }
    }
    let used: BTreeSet<Uuid> = inventory
        .site_uses
        .iter()
        .filter(|(_, placement)| !chosen.contains_key(placement))
        .map(|(site, _)| *site)
        .collect();
    chosen.retain(|id, c| c.kind != Kind::Site || !used.contains(id));
    chosen.into_values().collect()
}

/// Whom the chosen records are about, for the access log: `(program,
/// participant)` from their `record_participants` rows (`about`: `(record,
/// participant)`), and `(program, None)` for a program with chosen records
/// about nobody (sites).
pub fn affected(chosen: &[Chosen], about: &[(Uuid, Uuid)]) -> Vec<(Uuid, Option<Uuid>)> {
    let mut by_record: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for (record, participant) in about {
        by_record.entry(*record).or_default().push(*participant);
    }
    let mut out = BTreeSet::new();
    for c in chosen {
        match by_record.get(&c.id) {
            Some(participants) => out.extend(participants.iter().map(|p| (c.program_id, Some(*p)))),
            None => {
                out.insert((c.program_id, None));
            }
        }
    }
    out.into_iter().collect()
}

/// What a run found and, when it was applied, the versions of its tombstones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub chosen: Vec<Chosen>,
    pub affected: Vec<(Uuid, Option<Uuid>)>,
    /// First and last version written (`None`: a dry run, or nothing was due).
    pub versions: Option<(i64, i64)>,
}

fn kind_counts<'a>(chosen: impl Iterator<Item = &'a Chosen>) -> String {
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut total = 0;
    for c in chosen {
        *counts.entry(c.kind).or_default() += 1;
        total += 1;
    }
    let mut out = format!("{total} record{}", if total == 1 { "" } else { "s" });
    if total > 0 {
        let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = write!(out, " ({})", parts.join(", "));
    }
    out
}

/// The command's report: per rule and in total, the records by kind; the
/// participants affected (ids only: never a name or any content).
pub fn render(org_id: Uuid, rules: &[Rule], today: Date, outcome: &Outcome, applied_by: Option<&str>) -> String {
    let mut out = String::new();
    let mode = match (applied_by, outcome.versions) {
        (None, _) => "dry run, nothing was changed".to_owned(),
        (Some(admin), Some((first, last))) => format!("applied by {admin}, tombstones at versions {first} to {last}"),
        (Some(admin), None) => format!("applied by {admin}, nothing was due"),
    };
    let _ = writeln!(out, "retention (gallring) for organisation {org_id} as of {}: {mode}", iso(today));
    for (i, rule) in rules.iter().enumerate() {
        let label = match rule.anchor {
            Anchor::AfterExit => "exit",
            Anchor::AfterDate => "date",
            Anchor::AfterUpdate => "last change",
        };
        let counts = kind_counts(outcome.chosen.iter().filter(|c| c.rule == i));
        let _ = writeln!(out, "rule {rule} ({label} on or before {}): {counts}", iso(rule.cutoff(today)));
    }
    let _ = writeln!(out, "total: {}", kind_counts(outcome.chosen.iter()));
    let participants: BTreeSet<Uuid> = outcome.affected.iter().filter_map(|(_, p)| *p).collect();
    let _ = writeln!(out, "participants affected: {}", participants.len());
    for p in participants {
        let _ = writeln!(out, "participant {p}");
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use time::macros::date;

    fn rule(s: &str) -> Rule {
        Rule::parse(s).unwrap()
    }

    fn err(s: &str) -> String {
        Rule::parse(s).unwrap_err()
    }

    #[test]
    fn parses_every_kind_with_its_anchor() {
        assert_eq!(
            rule("participant:after-exit:5y"),
            Rule { kind: Kind::Participant, anchor: Anchor::AfterExit, period: Period::Years(5) }
        );
        assert_eq!(rule(" attendance:after-date:18m ").period, Period::Months(18));
        for kind in ["attendance", "visit", "mentor_note", "lesson"] {
            assert_eq!(rule(&format!("{kind}:after-date:2y")).anchor, Anchor::AfterDate);
        }
        for kind in ["plan_goal", "follow_up", "site"] {
            assert_eq!(rule(&format!("{kind}:after-update:3y")).anchor, Anchor::AfterUpdate);
        }
        assert_eq!(rule(DEFAULT_RULE).to_string(), DEFAULT_RULE);
        assert_eq!(rule("visit:after-date:6m").to_string(), "visit:after-date:6m");
    }

    #[test]
    fn bad_rules_say_what_would_do() {
        assert!(err("participant:5y").contains("expected KIND:ANCHOR:PERIOD"), "{}", err("participant:5y"));
        assert!(err("person:after-exit:5y").contains("unknown kind `person`"));
        assert!(err("participant:after-death:5y").contains("unknown anchor `after-death`"));
        assert!(err("participant:after-date:5y").contains("use participant:after-exit:5y"));
        assert!(err("plan_goal:after-date:3y").contains("use plan_goal:after-update:3y"));
        assert!(err("attendance:after-update:2y").contains("use attendance:after-date:2y"));
        assert!(err("visit:after-exit:2y").contains("use visit:after-date:2y"));
        assert!(err("placement:after-date:2y").contains("goes with its participant"));
        for bad in ["5", "y", "5w", "-5y", "5.5y", "five years", "", "99999999999y"] {
            let e = err(&format!("participant:after-exit:{bad}"));
            assert!(e.contains("period"), "{bad}: {e}");
        }
        assert!(err("participant:after-exit:0y").contains("at least 1"));
        assert!(err("participant:after-exit:101y").contains("at most 100 years"));
        assert!(Rule::parse("participant:after-exit:100y").is_ok());
    }

    #[test]
    fn cutoff_is_today_minus_the_period() {
        assert_eq!(rule("participant:after-exit:5y").cutoff(date!(2031 - 06 - 15)), date!(2026 - 06 - 15));
        assert_eq!(rule("attendance:after-date:18m").cutoff(date!(2031 - 06 - 15)), date!(2029 - 12 - 15));
        assert_eq!(rule("attendance:after-date:1m").cutoff(date!(2031 - 01 - 10)), date!(2030 - 12 - 10));
        // A day the target month lacks becomes its last day.
        assert_eq!(rule("participant:after-exit:1y").cutoff(date!(2028 - 02 - 29)), date!(2027 - 02 - 28));
        assert_eq!(rule("visit:after-date:1m").cutoff(date!(2031 - 03 - 31)), date!(2031 - 02 - 28));
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    const PROGRAM: u128 = 900;

    fn participant(n: u128, status: &str, exit: Option<&str>) -> ParticipantCandidate {
        ParticipantCandidate {
            id: id(n),
            program_id: id(PROGRAM),
            status: status.into(),
            exit_date: exit.map(Into::into),
        }
    }

    fn about(record: u128, kind: Kind, participant: u128) -> About {
        About { record_id: id(record), kind, program_id: id(PROGRAM), participant_id: id(participant) }
    }

    fn dated(n: u128, kind: Kind, date: &str) -> Dated {
        Dated { id: id(n), kind, program_id: id(PROGRAM), date: date.into() }
    }

    fn ids(chosen: &[Chosen]) -> Vec<u128> {
        chosen.iter().map(|c| c.id.as_u128()).collect()
    }

    #[test]
    fn an_exited_participant_goes_with_everything_about_them_on_the_anniversary() {
        let inventory = Inventory {
            participants: vec![
                participant(1, "exited", Some("2025-06-01")), // exactly 5 years: due
                participant(2, "exited", Some("2025-06-02")), // a day short
                participant(3, "active", None),
                participant(4, "paused", Some("2020-01-01")), // not exited: never by this rule
            ],
            about: vec![
                about(1, Kind::Participant, 1),
                about(10, Kind::Placement, 1),
                about(11, Kind::Attendance, 1),
                about(12, Kind::MentorNote, 1),
                about(13, Kind::Lesson, 1),
                about(13, Kind::Lesson, 3), // shared with an active participant: stays
                about(14, Kind::Lesson, 1),
            ],
            dated: Vec::new(),
            site_uses: vec![(id(50), id(10))],
        };
        let rules = [rule(DEFAULT_RULE)];
        let chosen = select(&rules, date!(2030 - 06 - 01), &inventory);
        assert_eq!(ids(&chosen), vec![1, 10, 11, 12, 14]);
        assert!(chosen.iter().all(|c| c.rule == 0 && c.program_id == id(PROGRAM)));
        assert_eq!(chosen[0].kind, Kind::Participant);
        // A day earlier nothing is due.
        assert!(select(&rules, date!(2030 - 05 - 31), &inventory).is_empty());
    }

    #[test]
    fn kind_rules_use_their_own_date_and_the_first_rule_counts() {
        let inventory = Inventory {
            participants: vec![participant(1, "exited", Some("2020-01-01"))],
            about: vec![about(1, Kind::Participant, 1), about(11, Kind::Attendance, 1)],
            dated: vec![
                dated(11, Kind::Attendance, "2020-01-01"),
                dated(20, Kind::Attendance, "2028-06-01"),
                dated(21, Kind::Attendance, "2028-06-02"),
                dated(22, Kind::Visit, "2028-06-01"),
                dated(23, Kind::PlanGoal, "2027-01-01"),
            ],
            site_uses: Vec::new(),
        };
        let rules = [rule("attendance:after-date:2y"), rule("participant:after-exit:5y")];
        let chosen = select(&rules, date!(2030 - 06 - 01), &inventory);
        let got: Vec<(u128, usize)> = chosen.iter().map(|c| (c.id.as_u128(), c.rule)).collect();
        assert_eq!(got, vec![(1, 1), (11, 0), (20, 0)]);
    }

    #[test]
    fn a_site_stays_while_a_live_placement_that_stays_uses_it() {
        let inventory = Inventory {
            participants: vec![participant(1, "exited", Some("2020-01-01")), participant(2, "active", None)],
            about: vec![about(1, Kind::Participant, 1), about(10, Kind::Placement, 1), about(11, Kind::Placement, 2)],
            dated: vec![dated(50, Kind::Site, "2020-01-01"), dated(51, Kind::Site, "2020-01-01")],
            site_uses: vec![(id(50), id(10)), (id(51), id(10)), (id(51), id(11))],
        };
        let rules = [rule(DEFAULT_RULE), rule("site:after-update:3y")];
        let chosen = select(&rules, date!(2030 - 06 - 01), &inventory);
        // Site 50 was used only by the placement that goes; 51 also by one that stays.
        assert_eq!(ids(&chosen), vec![1, 10, 50]);
    }

    #[test]
    fn affected_names_participants_or_the_program() {
        let chosen = vec![
            Chosen { id: id(1), kind: Kind::Participant, program_id: id(PROGRAM), rule: 0 },
            Chosen { id: id(10), kind: Kind::Placement, program_id: id(PROGRAM), rule: 0 },
            Chosen { id: id(50), kind: Kind::Site, program_id: id(PROGRAM), rule: 1 },
        ];
        let got = affected(&chosen, &[(id(1), id(1)), (id(10), id(1))]);
        assert_eq!(got, vec![(id(PROGRAM), None), (id(PROGRAM), Some(id(1)))]);
    }

    #[test]
    fn the_report_has_counts_and_ids_only() {
        let rules = [rule(DEFAULT_RULE), rule("attendance:after-date:2y")];
        let outcome = Outcome {
            chosen: vec![
                Chosen { id: id(1), kind: Kind::Participant, program_id: id(PROGRAM), rule: 0 },
                Chosen { id: id(11), kind: Kind::Attendance, program_id: id(PROGRAM), rule: 0 },
                Chosen { id: id(12), kind: Kind::Attendance, program_id: id(PROGRAM), rule: 0 },
            ],
            affected: vec![(id(PROGRAM), Some(id(1)))],
            versions: None,
        };
        let text = render(id(7), &rules, date!(2031 - 06 - 15), &outcome, None);
        assert!(text.contains("as of 2031-06-15: dry run, nothing was changed"), "{text}");
        assert!(
            text.contains(
                "rule participant:after-exit:5y (exit on or before 2026-06-15): 3 records (participant 1, attendance 2)"
            ),
            "{text}"
        );
        assert!(text.contains("rule attendance:after-date:2y (date on or before 2029-06-15): 0 records\n"), "{text}");
        assert!(text.contains("total: 3 records (participant 1, attendance 2)"), "{text}");
        assert!(text.contains(&format!("participants affected: 1\nparticipant {}\n", id(1))), "{text}");
        let applied = Outcome { versions: Some((40, 42)), ..outcome };
        let text = render(id(7), &rules, date!(2031 - 06 - 15), &applied, Some("admin"));
        assert!(text.contains("applied by admin, tombstones at versions 40 to 42"), "{text}");
    }

    #[test]
    fn destroyed_means_deleted_and_empty() {
        let mut data = Fields::new();
        assert!(is_destroyed(true, &data));
        assert!(!is_destroyed(false, &data));
        data.insert("text".into(), "x".into());
        assert!(!is_destroyed(true, &data));
    }
}
