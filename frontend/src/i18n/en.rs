//! English texts.

use shared::records::{AttendanceStatus, FollowUpStatus, GoalStatus, NoteCategory, ParticipantStatus, VisitType};
use shared::{Kind, Role};

use super::{DeskTexts, Texts};

pub static TEXTS: Texts = Texts {
    app_name: "Stegvis",
    booting: "Starting Stegvis…",
    boot_failed: "The app could not open its local database.",
    reload: "Reload",
    skip_to_content: "Skip to content",

    login_title: "Log in",
    login_intro: "The first login needs a connection. After that you can unlock the app offline.",
    username: "Username",
    password: "Password",
    login_submit: "Log in",
    login_busy: "Logging in…",
    login_failed: "Login failed. Check your username and password.",
    login_offline: "The server cannot be reached. The first login needs a connection.",
    unlock_title: "Unlock",
    unlock_intro,
    unlock_submit: "Unlock",
    unlock_busy: "Unlocking…",
    wrong_password: "Wrong password.",
    device_name: "Stegvis phone",
    relogin_title: "Log in again to sync",
    relogin_intro: "The server wants you to log in again. Nothing you saved is lost.",
    relogin_submit: "Log in and sync",

    main_nav: "Main menu",
    nav_today: "Today",
    nav_participants: "Participants",
    nav_lesson: "Lesson",
    nav_outbox: "Outbox",
    nav_settings: "Settings",
    lang_toggle: "SV",
    lang_toggle_label: "Byt till svenska",
    sync_synced: "All synced",
    sync_pending,
    sync_syncing: "Syncing…",
    sync_received,
    sync_offline: "Offline",
    sync_error: "Sync error",
    sync_needs_login: "Log in again",
    sync_clock_skew: "Wrong clock",
    sync_revoked: "Device revoked",
    sync_starting: "Starting sync…",
    sync_last,
    sync_never: "never synced",
    sync_conflicts,
    sync_rejected,
    sync_now_hint: "Sync now",
    update_available: "New version",
    update_reload: "New version – reload",
    storage_error: "Could not save on the phone",
    storage_error_dismiss: "Close",
    db_vanished: "The local database had vanished (the browser cleared it). Log in and everything is fetched from the server again.",
    clock_banner: "The phone's clock is wrong. Fix the clock (automatic time) and what you saved will sync. Nothing is lost.",
    revoked_notice: "This device was revoked. Everything on it has been erased. Log in again.",
    saved: "Saved",
    close: "Close",

    today_title: "Today",
    today_empty: "None of your participants has a placement today.",
    today_hours,
    last_visit,
    today_at,
    no_visit_yet: "No visit yet",
    log_visit: "Visit",
    attendance_group,
    attendance_saved: "Attendance saved",
    attendance_label,
    no_site: "Unknown site",

    participants_title: "Participants",
    participants_empty: "No participants yet.",
    sites_title: "Sites",
    sites_empty: "No sites yet.",
    new_participant: "New participant",
    new_site: "New site",
    participant_not_found: "This participant is not on this phone.",
    languages_label: "Languages",
    interpreter_needed: "Needs an interpreter",
    status_label: "Status",
    participant_status,
    add_visit: "New visit",
    add_note: "New note",
    add_goal: "New goal",
    add_placement: "New placement",
    goals_title: "Plan goals",
    goals_empty: "No goals yet.",
    goal_complete: "Done",
    goal_status,
    follow_up_status,
    follow_up_months,
    goal_target,
    timeline_title: "Timeline",
    timeline_empty: "Nothing recorded yet.",
    conflict_badge: "Conflict",
    pending_badge: "Not synced",
    kind_name,
    visit_type,
    note_category,
    wellbeing_value,
    next_step: "Next step",
    next_visit,
    lesson_at_site,
    lesson_attended: "Attended",
    lesson_absent: "Absent",
    placement_at,
    placement_period,
    unknown_site: "Unknown site",
    unknown_participant: "Unknown participant",
    minutes,

    form_errors: "Fix the marked field.",
    save: "Save",
    saving: "Saving…",
    cancel: "Cancel",
    optional: "optional",
    choose: "Choose…",
    program: "Programme",
    program_name,
    missing_participant: "The participant does not exist. Go back and pick a participant.",
    not_allowed: "Your role may not record this.",
    visit_title,
    visit_type_label: "Type of visit",
    visit_at: "Time",
    wellbeing_label: "Wellbeing (1 = bad, 5 = good)",
    wellbeing_none: "Not given",
    note_label: "Note",
    next_step_label: "Next step",
    next_visit_on_label: "Next visit",
    note_title,
    note_category_label: "Category",
    note_text_label: "Text",
    goal_title,
    goal_text_label: "Goal",
    goal_target_label: "Target date",
    lesson_title: "New lesson",
    lesson_site_label: "Site",
    lesson_at_label: "Time",
    lesson_duration_label: "Duration (minutes)",
    lesson_topic_label: "Topic",
    lesson_vocabulary_label: "Words and phrases of the trade",
    lesson_vocabulary_hint: "One word or phrase per line.",
    lesson_attendees_label: "Participants present",
    lesson_no_attendees: "No participant has a placement at this site.",
    lesson_pick_site: "Choose a site first.",
    participant_title: "New participant",
    participant_name_label: "Name (first name and initial)",
    participant_name_hint: "For example Amina K. Never a personal identity number.",
    participant_languages_label: "Languages",
    participant_languages_hint: "Separate with commas, preferred first.",
    participant_interpreter_label: "Needs an interpreter",
    participant_started_label: "Start date",
    site_title: "New site",
    site_employer_label: "Employer",
    site_address_label: "Address",
    site_supervisor_name_label: "Supervisor",
    site_supervisor_phone_label: "Supervisor's phone",
    placement_title,
    placement_site_label: "Site",
    placement_no_sites: "There is no site yet. Add one first.",
    placement_starts_label: "Starts",
    placement_ends_label: "Ends",
    placement_weekdays_label: "Weekdays",
    placement_hours_label: "Hours per day",
    placement_focus_label: "Focus",
    weekday_short,
    weekday_long,
    month_long,
    field_message,

    outbox_title: "Outbox",
    outbox_empty: "The outbox is empty. Everything has been sent.",
    outbox_intro: "What the server has not accepted yet.",
    outbox_pending: "Waiting to be sent",
    outbox_rejected: "Rejected by the server",
    outbox_discard: "Discard",
    outbox_discard_confirm: "Yes, discard the change",
    outbox_discard_question: "The change is removed from the phone and never sent. Sure?",
    outbox_load_failed: "Could not read the outbox.",

    settings_title: "Settings",
    settings_lang: "Language",
    settings_autolock: "Lock automatically after (minutes)",
    settings_autolock_hint: "The app locks when the screen has not been touched for this long.",
    settings_persist: "Persistent storage",
    persist_granted: "Granted: the browser will not clear the app's data",
    persist_denied: "Not granted: the browser may clear data when space runs low",
    persist_unknown: "Not supported by the browser",
    persist_asking: "Asking…",
    settings_account,
    role_name,
    settings_lock: "Lock now",
    settings_logout: "Log out",
    logout_unsynced: "There are changes that have not synced. Logging out now erases them from the phone.",
    logout_confirm: "Log out anyway and erase",
    logout_busy: "Logging out…",
    settings_version,
    settings_check: "Check local data",
    settings_check_hint: "Counts and checksums the records on this device (SHA-256), to compare with the server in support.",
    settings_check_run: "Check",
    settings_check_busy: "Checking…",
    settings_check_result: |n| format!("{n} records on this device"),
    settings_sync_now: "Sync now",
    not_found: "This page does not exist.",
    back_to_today: "To Today",
};

fn unlock_intro(name: &str) -> String {
    format!("Hello {name}! Enter your password to unlock. It works offline.")
}
fn sync_pending(n: usize) -> String {
    format!("{n} pending")
}
fn sync_received(n: u64, total: Option<u64>) -> String {
    match total {
        Some(total) => format!("{n} of {total} received"),
        None => format!("{n} received"),
    }
}
fn sync_last(when: &str) -> String {
    format!("last {when}")
}
fn sync_conflicts(n: usize) -> String {
    if n == 1 { "1 conflict".to_owned() } else { format!("{n} conflicts") }
}
fn sync_rejected(n: usize) -> String {
    format!("{n} rejected")
}
fn today_hours(h: f64) -> String {
    format!("{} h", super::format::hours(h))
}
fn last_visit(when: &str) -> String {
    format!("Last visit: {when}")
}
fn today_at(time: &str) -> String {
    format!("today {time}")
}
fn attendance_group(name: &str) -> String {
    format!("Attendance of {name}")
}
fn attendance_label(s: AttendanceStatus) -> &'static str {
    match s {
        AttendanceStatus::Present => "Present",
        AttendanceStatus::Late => "Late",
        AttendanceStatus::AbsentSick => "Sick",
        AttendanceStatus::AbsentExcused => "Excused absence",
        AttendanceStatus::AbsentUnexcused => "Unexcused absence",
    }
}
fn participant_status(s: ParticipantStatus) -> &'static str {
    match s {
        ParticipantStatus::Active => "Active",
        ParticipantStatus::Paused => "Paused",
        ParticipantStatus::Exited => "Exited",
    }
}
fn goal_status(s: GoalStatus) -> &'static str {
    match s {
        GoalStatus::Open => "Open",
        GoalStatus::Done => "Done",
        GoalStatus::Dropped => "Dropped",
    }
}
fn goal_target(d: &str) -> String {
    format!("by {d}")
}
fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Participant => "Participant",
        Kind::Site => "Site",
        Kind::Placement => "Placement",
        Kind::Attendance => "Attendance",
        Kind::Visit => "Visit",
        Kind::MentorNote => "Note",
        Kind::Lesson => "Lesson",
        Kind::PlanGoal => "Goal",
        Kind::FollowUp => "Follow-up",
    }
}
fn visit_type(t: VisitType) -> &'static str {
    match t {
        VisitType::CheckIn => "Check-in",
        VisitType::FollowUp => "Follow-up",
        VisitType::ThreeParty => "Three-party meeting",
        VisitType::Start => "Placement start",
        VisitType::Phone => "Phone call",
    }
}
fn note_category(c: NoteCategory) -> &'static str {
    match c {
        NoteCategory::Progress => "Progress",
        NoteCategory::Concern => "Concern",
        NoteCategory::Language => "Language",
        NoteCategory::Practical => "Practical",
    }
}
fn wellbeing_value(n: u8) -> String {
    format!("Wellbeing {n} of 5")
}
fn next_visit(d: &str) -> String {
    format!("Next visit {d}")
}
fn lesson_at_site(site: &str) -> String {
    format!("Lesson at {site}")
}
fn placement_at(site: &str) -> String {
    format!("Placement at {site}")
}
fn placement_period(from: &str, to: Option<&str>) -> String {
    match to {
        Some(to) => format!("{from} – {to}"),
        None => format!("from {from}"),
    }
}
fn minutes(n: u32) -> String {
    format!("{n} min")
}
fn program_name(n: usize) -> String {
    format!("Programme {n}")
}
fn visit_title(name: &str) -> String {
    format!("Visit: {name}")
}
fn note_title(name: &str) -> String {
    format!("Note: {name}")
}
fn goal_title(name: &str) -> String {
    format!("New goal: {name}")
}
fn placement_title(name: &str) -> String {
    format!("New placement: {name}")
}
fn weekday_short(d: u8) -> &'static str {
    match d {
        1 => "Mon",
        2 => "Tue",
        3 => "Wed",
        4 => "Thu",
        5 => "Fri",
        6 => "Sat",
        _ => "Sun",
    }
}
fn weekday_long(d: u8) -> &'static str {
    match d {
        1 => "Monday",
        2 => "Tuesday",
        3 => "Wednesday",
        4 => "Thursday",
        5 => "Friday",
        6 => "Saturday",
        _ => "Sunday",
    }
}
fn month_long(m: u8) -> &'static str {
    match m {
        1 => "January",
        2 => "February",
        3 => "March",
        4 => "April",
        5 => "May",
        6 => "June",
        7 => "July",
        8 => "August",
        9 => "September",
        10 => "October",
        11 => "November",
        _ => "December",
    }
}
/// The validation messages of `shared` are English already: the technical
/// ones in plain words, the rest capitalised.
fn field_message(message: &str) -> String {
    let plain = [
        ("must be an RFC 3339 time", "Must be a date and time."),
        ("must be a UUID", "Choose an option."),
        ("must be a string, not null", "Is required."),
        ("must be a date written", "Must be a date (YYYY-MM-DD)."),
    ];
    for (prefix, text) in plain {
        if message.starts_with(prefix) {
            return text.to_owned();
        }
    }
    let mut chars = message.chars();
    match chars.next() {
        Some(_) => {
            let rest = chars.as_str();
            let first = &message[..message.len() - rest.len()];
            format!("{}{}.", crate::platform::uppercase(first), rest.trim_end_matches('.'))
        }
        None => String::new(),
    }
}
fn settings_account(name: &str, role: &str) -> String {
    format!("Logged in as {name} ({role})")
}
fn role_name(r: Role) -> &'static str {
    match r {
        Role::Coach => "coach",
        Role::Pedagogue => "language pedagogue",
        Role::Office => "office",
        Role::Admin => "admin",
    }
}
fn settings_version(v: &str) -> String {
    format!("Version {v}")
}
fn follow_up_status(s: FollowUpStatus) -> &'static str {
    match s {
        FollowUpStatus::Job => "Job",
        FollowUpStatus::Studies => "Studies",
        FollowUpStatus::Other => "Other",
        FollowUpStatus::Unknown => "Unknown",
    }
}
fn follow_up_months(m: u8) -> String {
    format!("Follow-up {m} months after exit")
}

pub static DESK: DeskTexts = DeskTexts {
    access_intro: "Every read of a participant's data and every export is logged: who, when and about whom, never the content.",
    access_title: "Access log",
    action_name: |action| {
        match action {
            "participant_file" => "Participant file",
            "record_history" => "History",
            "attendance_report" => "Attendance report",
            "attendance_export" => "Attendance export",
            "outcomes_export" => "Outcomes export",
            "retention" => "Retention (gallring)",
            other => other,
        }
        .to_owned()
    },
    add_follow_up: "Add a follow-up",
    add_member: "Add member",
    admin_only: "For administrators only.",
    admin_title: "Administration",
    aggregate: "(aggregate)",
    agreement_created: "The agreement was created.",
    agreements_title: "Cooperation agreements",
    all: "All",
    attendance_marks: |n| format!("Attendance marks ({n})"),
    attendance_title: "Monthly attendance report",
    back_to_file: "← Back to the participant file",
    back_to_register: "← Back to the register",
    cal_holiday: "Public holiday",
    cal_none: "No planned day",
    cal_planned: "Planned",
    cal_unmarked: "Planned, not marked",
    choose_partner: "Choose an organisation",
    choose_program: "Choose a program",
    choose_user: "Choose a user",
    col_absent_excused: "Absent, excused",
    col_absent_sick: "Absent, sick",
    col_absent_unexcused: "Absent, unexcused",
    col_action: "Action",
    col_actions: "Actions",
    col_coach: "Coach",
    col_count: "Count",
    col_created: "Logged in",
    col_device: "Device",
    col_exit: "Exit",
    col_first: "First",
    col_hours: "Hours / planned",
    col_id: "Id",
    col_kind: "Kind",
    col_last: "Last",
    col_last_seen: "Last seen",
    col_late: "Late",
    col_name: "Name",
    col_org: "Organisation",
    col_participant: "Participant",
    col_partner: "Partner organisation",
    col_planned: "Planned days",
    col_present: "Present",
    col_program: "Program",
    col_programs: "Programs",
    col_reads: "Reads",
    col_role: "Role",
    col_site: "Site",
    col_started: "Started",
    col_unmarked: "Unmarked",
    col_user: "User",
    col_when: "When",
    col_writer: "Written by",
    conflict_entries: |n| format!("{n} conflicting values kept in the history."),
    conflicts_title: "Conflicts",
    create_agreement: "Create agreement",
    create_program: "Create program",
    create_user: "Create user",
    created: "Created.",
    days: |d| format!("{} days", crate::i18n::format::hours(d)),
    deleted: "Deleted",
    desk_title: "Office",
    device_label: |id| format!("device {id}"),
    directory_failed: "Could not load programs and people.",
    disable: "Disable",
    disable_note: "Disabling a user cuts off every device of theirs at once and refuses new logins.",
    disable_user: |name| format!("Disable {name}"),
    display_name: "Display name",
    due: "Due",
    edit_hint: "Type a value of your own; it is saved instead.",
    edit_value: "Own value",
    enable: "Enable",
    enable_user: |name| format!("Enable {name}"),
    exited_count: |n| format!("{n} exited"),
    exited_of: |n| format!("Of {n} who exited:"),
    export_csv: "Export CSV",
    exported: "The file was downloaded.",
    exporting: "Downloading the file…",
    field_label: |field| match field {
        "status" => "Status (status)".to_owned(),
        "hours" => "Hours (hours)".to_owned(),
        "note" => "Note (note)".to_owned(),
        "text" => "Text (text)".to_owned(),
        "display_name" => "Name (display_name)".to_owned(),
        "coach_id" => "Coach (coach_id)".to_owned(),
        "$deleted" => "Deleted ($deleted)".to_owned(),
        other => format!("Field: {other}"),
    },
    file_title: "Participant file",
    follow_up_saved: "The follow-up was saved.",
    follow_up_months_label: "Months after exit",
    follow_ups_title: "Follow-ups",
    from_label: "From",
    history: "History",
    history_title: "Versions",
    holidays_label: "Public holidays on weekdays",
    inbox_counts_caption: "New since last time, by program, writer and kind",
    inbox_counts_title: "New by program, writer and kind",
    inbox_items_title: "Latest changes",
    inbox_nothing_new: "Nothing new since you last marked the inbox as read.",
    inbox_ready: |total, conflicts| format!("{total} new changes, {conflicts} conflicts."),
    inbox_title: "Inbox",
    interpreter: "Interpreter",
    kept_value: "Kept value",
    legend: "Legend",
    loading: "Loading…",
    lost_value: "Lost value",
    mark_seen: "Mark as read",
    marked_seen: "Everything is marked as read.",
    marking_seen: "Marking…",
    matches: |n| format!("{n} matches."),
    median_label: "Median time to exit",
    member_added: "The member was added.",
    member_removed: "The member was removed.",
    members_title: "Program members",
    missing: "Missing",
    month_label: "Month",
    nav_access_log: "Access log",
    nav_admin: "Administration",
    nav_attendance: "Attendance",
    nav_inbox: "Inbox",
    nav_outcomes: "Outcomes",
    nav_participants: "Participants",
    new_program_name: "New program's name",
    new_user_title: "New user",
    no: "No",
    no_conflicts: "No unresolved conflicts.",
    no_field_changes: "No field changed.",
    no_holidays: "No public holidays on weekdays this month.",
    no_matches: "No matches.",
    no_open_conflict: "The record has no unresolved conflict.",
    no_participant: "no participant",
    none_yet: "Nothing yet.",
    offline: "No connection to the server. The desk needs a connection.",
    outcome_name: |outcome| {
        match outcome {
            "job" => "Work",
            "studies" => "Studies",
            "other" => "Other",
            "unknown" => "Unknown",
            other => other,
        }
        .to_owned()
    },
    outcomes_title: "Outcomes",
    page_next: "Next",
    page_prev: "Previous",
    page_range: |first, last, total| format!("{first}–{last} of {total}"),
    pager_label: "Pages",
    people_count: |n| if n == 1 { "1 person".to_owned() } else { format!("{n} people") },
    pick_program_and_partner: "Choose a program and a partner organisation.",
    pick_program_and_user: "Choose a program and a user.",
    print: "Print",
    program_created: |name| format!("The program {name} was created."),
    programs_title: "Programs",
    rate_limited: "Too many requests. Wait a moment and try again.",
    ready: "Done.",
    record_not_found: "No such record.",
    register_title: "Participant register",
    relogin_title: "The server wants you to log in again.",
    login_intro: "The office screens need a connection. Nothing about participants is stored on this computer.",
    field_account: "This account uses the field app, not the office desk.",
    field_app_link: "Go to the field app",
    remove: "Remove",
    remove_member: |name| format!("Remove {name} from the program"),
    resolve_link: "Resolve the conflict",
    resolve_title: "Resolve a conflict",
    resolved: "The conflict is resolved",
    revoke: "Cut off the device",
    revoke_confirm: "Yes, cut it off",
    revoke_label: |device, name| format!("Cut off {device} ({name})"),
    revoke_question: |device, name| {
        format!("Cut off {device} ({name})? The device wipes everything it holds on its next contact with the server.")
    },
    rows_ready: |n| format!("{n} rows."),
    run_report: "Show",
    save_resolution: "Save resolution",
    search_label: "Search by name",
    section_attendance: "Attendance",
    section_follow_ups: "Follow-ups",
    section_goals: "Action plan goals",
    section_lessons: "Lessons",
    section_notes: "Notes",
    section_placements: "Placements",
    section_visits: "Visits",
    session_expired: "The session has expired. Log in again.",
    session_revoked: "This device has been cut off.",
    session_revoked_done: "The device was cut off.",
    sessions_title: "Devices (sessions)",
    summary_title: "Monthly summary: who looked at whom, how often",
    this_device: "this device",
    to_label: "To",
    totals_label: |n| format!("Total ({n} rows)"),
    unknown_participant: "Unknown participant",
    unknown_site: "Unknown site",
    unknown_writer: "Unknown",
    user_created: |name| format!("The user {name} was created."),
    user_disabled: |name| format!("{name} is disabled; every device of theirs is cut off."),
    user_enabled: |name| format!("{name} is enabled again."),
    user_state_active: "Active",
    user_state_disabled: "Disabled",
    users_title: "Users",
    version_label: |v| format!("Version {v}"),
    working: "Working…",
    written_by: |who, when| format!("{who}, {when}"),
    written_by_short: |who| format!("by {who}"),
    yes: "Yes",
};
