//! Swedish texts (the default language).

use shared::records::{AttendanceStatus, FollowUpStatus, GoalStatus, NoteCategory, ParticipantStatus, VisitType};
use shared::{Kind, Role};

use super::{DeskTexts, Texts};

pub static TEXTS: Texts = Texts {
    app_name: "Stegvis",
    booting: "Startar Stegvis…",
    boot_failed: "Appen kunde inte öppna sin lokala databas.",
    reload: "Ladda om",
    skip_to_content: "Hoppa till innehållet",

    login_title: "Logga in",
    login_intro: "Första inloggningen kräver uppkoppling. Sedan kan du låsa upp appen utan nät.",
    username: "Användarnamn",
    password: "Lösenord",
    login_submit: "Logga in",
    login_busy: "Loggar in…",
    login_failed: "Inloggningen misslyckades. Kontrollera användarnamn och lösenord.",
    login_offline: "Ingen kontakt med servern. Första inloggningen kräver uppkoppling.",
    unlock_title: "Lås upp",
    unlock_intro,
    unlock_submit: "Lås upp",
    unlock_busy: "Låser upp…",
    wrong_password: "Fel lösenord.",
    device_name: "Stegvis-telefon",
    relogin_title: "Logga in igen för att synka",
    relogin_intro: "Servern vill att du loggar in igen. Inget av det du sparat försvinner.",
    relogin_submit: "Logga in och synka",

    main_nav: "Huvudmeny",
    nav_today: "Idag",
    nav_participants: "Deltagare",
    nav_lesson: "Lektion",
    nav_outbox: "Utkorg",
    nav_settings: "Inställningar",
    lang_toggle: "EN",
    lang_toggle_label: "Switch to English",
    sync_synced: "Allt synkat",
    sync_pending,
    sync_syncing: "Synkar…",
    sync_received,
    sync_offline: "Offline",
    sync_error: "Synkfel",
    sync_needs_login: "Logga in igen",
    sync_clock_skew: "Fel klocka",
    sync_revoked: "Enheten spärrad",
    sync_starting: "Startar synk…",
    sync_last,
    sync_never: "aldrig synkat",
    sync_conflicts,
    sync_rejected,
    sync_now_hint: "Synka nu",
    update_available: "Ny version",
    update_reload: "Ny version – ladda om",
    storage_error: "Kunde inte spara på telefonen",
    storage_error_dismiss: "Stäng",
    db_vanished: "Den lokala databasen hade försvunnit (webbläsaren rensade den). Logga in så hämtas allt från servern igen.",
    clock_banner: "Telefonens klocka går fel. Ställ klockan rätt (automatisk tid) så synkas det du sparat. Inget har försvunnit.",
    revoked_notice: "Den här enheten har spärrats. Allt på den är raderat. Logga in igen.",
    saved: "Sparat",
    close: "Stäng",

    today_title: "Idag",
    today_empty: "Ingen av dina deltagare har praktik idag.",
    today_hours,
    last_visit,
    today_at,
    no_visit_yet: "Inget besök än",
    log_visit: "Besök",
    attendance_group,
    attendance_saved: "Närvaro sparad",
    attendance_label,
    no_site: "Okänd arbetsplats",

    participants_title: "Deltagare",
    participants_empty: "Inga deltagare än.",
    sites_title: "Arbetsplatser",
    sites_empty: "Inga arbetsplatser än.",
    new_participant: "Ny deltagare",
    new_site: "Ny arbetsplats",
    participant_not_found: "Deltagaren finns inte på den här telefonen.",
    languages_label: "Språk",
    interpreter_needed: "Behöver tolk",
    status_label: "Status",
    participant_status,
    add_visit: "Nytt besök",
    add_note: "Ny anteckning",
    add_goal: "Nytt mål",
    add_placement: "Ny praktik",
    goals_title: "Mål i planen",
    goals_empty: "Inga mål än.",
    goal_complete: "Klart",
    goal_status,
    follow_up_status,
    follow_up_months,
    goal_target,
    timeline_title: "Tidslinje",
    timeline_empty: "Inget registrerat än.",
    conflict_badge: "Konflikt",
    pending_badge: "Ej synkad",
    kind_name,
    visit_type,
    note_category,
    wellbeing_value,
    next_step: "Nästa steg",
    next_visit,
    lesson_at_site,
    lesson_attended: "Deltog",
    lesson_absent: "Frånvarande",
    placement_at,
    placement_period,
    unknown_site: "Okänd arbetsplats",
    unknown_participant: "Okänd deltagare",
    minutes,

    form_errors: "Rätta det markerade fältet.",
    save: "Spara",
    saving: "Sparar…",
    cancel: "Avbryt",
    optional: "valfritt",
    choose: "Välj…",
    program: "Program",
    program_name,
    missing_participant: "Deltagaren finns inte. Gå tillbaka och välj en deltagare.",
    not_allowed: "Din roll får inte registrera det här.",
    visit_title,
    visit_type_label: "Typ av besök",
    visit_at: "Tid",
    wellbeing_label: "Mående (1 = dåligt, 5 = bra)",
    wellbeing_none: "Inte angivet",
    note_label: "Anteckning",
    next_step_label: "Nästa steg",
    next_visit_on_label: "Nästa besök",
    note_title,
    note_category_label: "Kategori",
    note_text_label: "Text",
    goal_title,
    goal_text_label: "Mål",
    goal_target_label: "Klart senast",
    lesson_title: "Ny lektion",
    lesson_site_label: "Arbetsplats",
    lesson_at_label: "Tid",
    lesson_duration_label: "Längd (minuter)",
    lesson_topic_label: "Tema",
    lesson_vocabulary_label: "Ord och fraser i yrket",
    lesson_vocabulary_hint: "Ett ord eller en fras per rad.",
    lesson_attendees_label: "Närvarande deltagare",
    lesson_no_attendees: "Ingen deltagare har praktik på den här arbetsplatsen.",
    lesson_pick_site: "Välj arbetsplats först.",
    participant_title: "Ny deltagare",
    participant_name_label: "Namn (förnamn och initial)",
    participant_name_hint: "Till exempel Amina K. Aldrig personnummer.",
    participant_languages_label: "Språk",
    participant_languages_hint: "Skilj med komma, det viktigaste först.",
    participant_interpreter_label: "Behöver tolk",
    participant_started_label: "Startdatum",
    site_title: "Ny arbetsplats",
    site_employer_label: "Arbetsgivare",
    site_address_label: "Adress",
    site_supervisor_name_label: "Handledare",
    site_supervisor_phone_label: "Handledarens telefon",
    placement_title,
    placement_site_label: "Arbetsplats",
    placement_no_sites: "Det finns ingen arbetsplats än. Lägg till en först.",
    placement_starts_label: "Startar",
    placement_ends_label: "Slutar",
    placement_weekdays_label: "Veckodagar",
    placement_hours_label: "Timmar per dag",
    placement_focus_label: "Inriktning",
    weekday_short,
    weekday_long,
    month_long,
    field_message,

    outbox_title: "Utkorg",
    outbox_empty: "Utkorgen är tom. Allt är skickat.",
    outbox_intro: "Här är det som ännu inte tagits emot av servern.",
    outbox_pending: "Väntar på att skickas",
    outbox_rejected: "Avvisad av servern",
    outbox_discard: "Kasta",
    outbox_discard_confirm: "Ja, kasta ändringen",
    outbox_discard_question: "Ändringen tas bort från telefonen och skickas aldrig. Säker?",
    outbox_load_failed: "Kunde inte läsa utkorgen.",

    settings_title: "Inställningar",
    settings_lang: "Språk",
    settings_autolock: "Lås automatiskt efter (minuter)",
    settings_autolock_hint: "Appen låses när du inte rört skärmen så här länge.",
    settings_persist: "Beständig lagring",
    persist_granted: "Beviljad: webbläsaren rensar inte appens data",
    persist_denied: "Inte beviljad: webbläsaren kan rensa data vid platsbrist",
    persist_unknown: "Stöds inte av webbläsaren",
    persist_asking: "Frågar…",
    settings_account,
    role_name,
    settings_lock: "Lås nu",
    settings_logout: "Logga ut",
    logout_unsynced: "Det finns ändringar som inte är synkade. Loggar du ut nu raderas de från telefonen.",
    logout_confirm: "Logga ut ändå och radera",
    logout_busy: "Loggar ut…",
    settings_version,
    settings_check: "Kontrollera lokal data",
    settings_check_hint: "Räknar och kontrollsummerar posterna på enheten (SHA-256), för att jämföra med servern vid support.",
    settings_check_run: "Kontrollera",
    settings_check_busy: "Kontrollerar…",
    settings_check_result: |n| format!("{n} poster på enheten"),
    settings_sync_now: "Synka nu",
    not_found: "Sidan finns inte.",
    back_to_today: "Till Idag",
};

fn unlock_intro(name: &str) -> String {
    format!("Hej {name}! Skriv ditt lösenord för att låsa upp. Det fungerar utan nät.")
}
fn sync_pending(n: usize) -> String {
    format!("{n} väntar")
}
fn sync_received(n: u64, total: Option<u64>) -> String {
    match total {
        Some(total) => format!("{n} av {total} hämtade"),
        None => format!("{n} hämtade"),
    }
}
fn sync_last(when: &str) -> String {
    format!("senast {when}")
}
fn sync_conflicts(n: usize) -> String {
    if n == 1 { "1 konflikt".to_owned() } else { format!("{n} konflikter") }
}
fn sync_rejected(n: usize) -> String {
    format!("{n} avvisade")
}
fn today_hours(h: f64) -> String {
    format!("{} tim", super::format::hours(h))
}
fn last_visit(when: &str) -> String {
    format!("Senaste besök: {when}")
}
fn today_at(time: &str) -> String {
    format!("idag {time}")
}
fn attendance_group(name: &str) -> String {
    format!("Närvaro för {name}")
}
fn attendance_label(s: AttendanceStatus) -> &'static str {
    match s {
        AttendanceStatus::Present => "Närvarande",
        AttendanceStatus::Late => "Sen",
        AttendanceStatus::AbsentSick => "Sjuk",
        AttendanceStatus::AbsentExcused => "Giltig frånvaro",
        AttendanceStatus::AbsentUnexcused => "Ogiltig frånvaro",
    }
}
fn participant_status(s: ParticipantStatus) -> &'static str {
    match s {
        ParticipantStatus::Active => "Aktiv",
        ParticipantStatus::Paused => "Pausad",
        ParticipantStatus::Exited => "Avslutad",
    }
}
fn goal_status(s: GoalStatus) -> &'static str {
    match s {
        GoalStatus::Open => "Pågår",
        GoalStatus::Done => "Klart",
        GoalStatus::Dropped => "Struket",
    }
}
fn goal_target(d: &str) -> String {
    format!("senast {d}")
}
fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Participant => "Deltagare",
        Kind::Site => "Arbetsplats",
        Kind::Placement => "Praktik",
        Kind::Attendance => "Närvaro",
        Kind::Visit => "Besök",
        Kind::MentorNote => "Anteckning",
        Kind::Lesson => "Lektion",
        Kind::PlanGoal => "Mål",
        Kind::FollowUp => "Uppföljning",
    }
}
fn visit_type(t: VisitType) -> &'static str {
    match t {
        VisitType::CheckIn => "Avstämning",
        VisitType::FollowUp => "Uppföljning",
        VisitType::ThreeParty => "Trepartssamtal",
        VisitType::Start => "Praktikstart",
        VisitType::Phone => "Telefonsamtal",
    }
}
fn note_category(c: NoteCategory) -> &'static str {
    match c {
        NoteCategory::Progress => "Framsteg",
        NoteCategory::Concern => "Oro",
        NoteCategory::Language => "Språk",
        NoteCategory::Practical => "Praktiskt",
    }
}
fn wellbeing_value(n: u8) -> String {
    format!("Mående {n} av 5")
}
fn next_visit(d: &str) -> String {
    format!("Nästa besök {d}")
}
fn lesson_at_site(site: &str) -> String {
    format!("Lektion på {site}")
}
fn placement_at(site: &str) -> String {
    format!("Praktik på {site}")
}
fn placement_period(from: &str, to: Option<&str>) -> String {
    match to {
        Some(to) => format!("{from} – {to}"),
        None => format!("från {from}"),
    }
}
fn minutes(n: u32) -> String {
    format!("{n} min")
}
fn program_name(n: usize) -> String {
    format!("Program {n}")
}
fn visit_title(name: &str) -> String {
    format!("Besök: {name}")
}
fn note_title(name: &str) -> String {
    format!("Anteckning: {name}")
}
fn goal_title(name: &str) -> String {
    format!("Nytt mål: {name}")
}
fn placement_title(name: &str) -> String {
    format!("Ny praktik: {name}")
}
fn weekday_short(d: u8) -> &'static str {
    match d {
        1 => "mån",
        2 => "tis",
        3 => "ons",
        4 => "tor",
        5 => "fre",
        6 => "lör",
        _ => "sön",
    }
}
fn weekday_long(d: u8) -> &'static str {
    match d {
        1 => "måndag",
        2 => "tisdag",
        3 => "onsdag",
        4 => "torsdag",
        5 => "fredag",
        6 => "lördag",
        _ => "söndag",
    }
}
fn month_long(m: u8) -> &'static str {
    match m {
        1 => "januari",
        2 => "februari",
        3 => "mars",
        4 => "april",
        5 => "maj",
        6 => "juni",
        7 => "juli",
        8 => "augusti",
        9 => "september",
        10 => "oktober",
        11 => "november",
        _ => "december",
    }
}
/// The validation messages of `shared` in Swedish (the common ones; others as they are).
fn field_message(message: &str) -> String {
    let known = [
        ("is required", "Måste fyllas i."),
        ("must not be empty", "Får inte vara tomt."),
        ("must be a string, not null", "Måste fyllas i."),
        ("must be a date written", "Måste vara ett datum (ÅÅÅÅ-MM-DD)."),
        ("must be a real calendar date", "Måste vara ett riktigt datum."),
        ("must be an RFC 3339 time", "Måste vara en tid."),
        ("must be an integer from 1 to 600", "Ett heltal 1–600 (minuter)."),
        ("must be an integer from 1 to 5", "Ett heltal 1–5."),
        ("must be a number of hours greater than 0", "Fler än 0 och högst 24 timmar."),
        ("must be a number of hours from 0", "Mellan 0 och 24 timmar."),
        ("must name at least one weekday", "Välj minst en veckodag."),
        ("must not contain a personal identity number", "Får inte innehålla personnummer."),
        ("must be a UUID", "Välj ett alternativ."),
        ("must not be before starts_on", "Får inte vara före startdatum."),
        ("must be a number", "Måste vara ett tal."),
        ("must be an integer", "Måste vara ett heltal."),
    ];
    for (en, sv) in known {
        if message.starts_with(en) {
            return sv.to_owned();
        }
    }
    if message.starts_with("must be at most") && message.contains("characters") {
        return "Texten är för lång.".to_owned();
    }
    message.to_owned()
}
fn settings_account(name: &str, role: &str) -> String {
    format!("Inloggad som {name} ({role})")
}
fn role_name(r: Role) -> &'static str {
    match r {
        Role::Coach => "arbetskonsulent",
        Role::Pedagogue => "språkpedagog",
        Role::Office => "handläggare",
        Role::Admin => "administratör",
    }
}
fn settings_version(v: &str) -> String {
    format!("Version {v}")
}
fn follow_up_status(s: FollowUpStatus) -> &'static str {
    match s {
        FollowUpStatus::Job => "Arbete",
        FollowUpStatus::Studies => "Studier",
        FollowUpStatus::Other => "Annat",
        FollowUpStatus::Unknown => "Okänt",
    }
}
fn follow_up_months(m: u8) -> String {
    format!("Uppföljning {m} mån efter avslut")
}

pub static DESK: DeskTexts = DeskTexts {
    access_intro: "Varje läsning av en deltagares uppgifter och varje export loggas: vem, när och om vem, aldrig innehållet.",
    access_title: "Åtkomstlogg",
    action_name: |action| {
        match action {
            "participant_file" => "Deltagarakt",
            "record_history" => "Historik",
            "attendance_report" => "Närvarorapport",
            "attendance_export" => "Närvaroexport",
            "outcomes_export" => "Utfallsexport",
            "retention" => "Gallring",
            other => other,
        }
        .to_owned()
    },
    add_follow_up: "Lägg till uppföljning",
    add_member: "Lägg till medlem",
    admin_only: "Bara för administratörer.",
    admin_title: "Administration",
    aggregate: "(sammanställning)",
    agreement_created: "Avtalet är skapat.",
    agreements_title: "Samverkansavtal",
    all: "Alla",
    attendance_marks: |n| format!("Närvaromarkeringar ({n})"),
    attendance_title: "Närvarorapport per månad",
    back_to_file: "← Till deltagarakten",
    back_to_register: "← Till deltagarregistret",
    cal_holiday: "Helgdag",
    cal_none: "Ingen planerad dag",
    cal_planned: "Planerad",
    cal_unmarked: "Planerad, ej markerad",
    choose_partner: "Välj organisation",
    choose_program: "Välj program",
    choose_user: "Välj användare",
    col_absent_excused: "Frånvaro, giltig",
    col_absent_sick: "Frånvaro, sjuk",
    col_absent_unexcused: "Frånvaro, ogiltig",
    col_action: "Händelse",
    col_actions: "Åtgärder",
    col_coach: "Coach",
    col_count: "Antal",
    col_created: "Inloggad",
    col_device: "Enhet",
    col_exit: "Avslut",
    col_first: "Första",
    col_hours: "Timmar / planerat",
    col_id: "Id",
    col_kind: "Typ",
    col_last: "Senaste",
    col_last_seen: "Senast aktiv",
    col_late: "Sen",
    col_name: "Namn",
    col_org: "Organisation",
    col_participant: "Deltagare",
    col_partner: "Partnerorganisation",
    col_planned: "Planerade dagar",
    col_present: "Närvarande",
    col_program: "Program",
    col_programs: "Program",
    col_reads: "Läsningar",
    col_role: "Roll",
    col_site: "Arbetsplats",
    col_started: "Började",
    col_unmarked: "Ej markerade",
    col_user: "Användare",
    col_when: "När",
    col_writer: "Skrivet av",
    conflict_entries: |n| format!("{n} konfliktvärden sparade i historiken."),
    conflicts_title: "Konflikter",
    create_agreement: "Skapa avtal",
    create_program: "Skapa program",
    create_user: "Skapa användare",
    created: "Skapad.",
    days: |d| format!("{} dagar", crate::i18n::format::hours(d)),
    deleted: "Raderad",
    desk_title: "Kontor",
    device_label: |id| format!("enhet {id}"),
    directory_failed: "Kunde inte hämta program och personer.",
    disable: "Spärra",
    disable_note: "Att spärra en användare kopplar bort alla hens enheter direkt och stoppar nya inloggningar.",
    disable_user: |name| format!("Spärra {name}"),
    display_name: "Visningsnamn",
    due: "Ska följas upp",
    edit_hint: "Skriv ett eget värde; då sparas det i stället.",
    edit_value: "Eget värde",
    enable: "Aktivera",
    enable_user: |name| format!("Aktivera {name}"),
    exited_count: |n| format!("{n} avslutade"),
    exited_of: |n| format!("Av {n} som avslutades:"),
    export_csv: "Exportera CSV",
    exported: "Filen är hämtad.",
    exporting: "Hämtar filen…",
    field_label: |field| match field {
        "status" => "Status (status)".to_owned(),
        "hours" => "Timmar (hours)".to_owned(),
        "note" => "Anteckning (note)".to_owned(),
        "text" => "Text (text)".to_owned(),
        "display_name" => "Namn (display_name)".to_owned(),
        "coach_id" => "Coach (coach_id)".to_owned(),
        "$deleted" => "Raderad ($deleted)".to_owned(),
        other => format!("Fält: {other}"),
    },
    file_title: "Deltagarakt",
    follow_up_saved: "Uppföljningen är sparad.",
    follow_up_months_label: "Månader efter avslut",
    follow_ups_title: "Uppföljningar",
    from_label: "Från",
    history: "Historik",
    history_title: "Versioner",
    holidays_label: "Helgdagar på vardagar",
    inbox_counts_caption: "Nytt sedan senast, per program, skribent och typ",
    inbox_counts_title: "Nytt per program, skribent och typ",
    inbox_items_title: "Senaste ändringarna",
    inbox_nothing_new: "Inget nytt sedan du senast markerade som läst.",
    inbox_ready: |total, conflicts| format!("{total} nya ändringar, {conflicts} konflikter."),
    inbox_title: "Inkorg",
    interpreter: "Tolk",
    kept_value: "Behållet värde",
    legend: "Teckenförklaring",
    loading: "Hämtar…",
    lost_value: "Förlorat värde",
    mark_seen: "Markera som läst",
    marked_seen: "Allt är markerat som läst.",
    marking_seen: "Markerar…",
    matches: |n| format!("{n} träffar."),
    median_label: "Mediantid till avslut",
    member_added: "Medlemmen är tillagd.",
    member_removed: "Medlemmen är borttagen.",
    members_title: "Medlemmar i program",
    missing: "Saknas",
    month_label: "Månad",
    nav_access_log: "Åtkomstlogg",
    nav_admin: "Administration",
    nav_attendance: "Närvaro",
    nav_inbox: "Inkorg",
    nav_outcomes: "Utfall",
    nav_participants: "Deltagare",
    new_program_name: "Nytt programs namn",
    new_user_title: "Ny användare",
    no: "Nej",
    no_conflicts: "Inga olösta konflikter.",
    no_field_changes: "Inga fält ändrades.",
    no_holidays: "Inga helgdagar på vardagar den här månaden.",
    no_matches: "Inga träffar.",
    no_open_conflict: "Posten har ingen olöst konflikt.",
    no_participant: "ingen deltagare",
    none_yet: "Inget än.",
    offline: "Ingen kontakt med servern. Skrivbordet kräver uppkoppling.",
    outcome_name: |outcome| {
        match outcome {
            "job" => "Arbete",
            "studies" => "Studier",
            "other" => "Annat",
            "unknown" => "Okänt",
            other => other,
        }
        .to_owned()
    },
    outcomes_title: "Utfall",
    page_next: "Nästa",
    page_prev: "Föregående",
    page_range: |first, last, total| format!("{first}–{last} av {total}"),
    pager_label: "Sidor",
    people_count: |n| if n == 1 { "1 person".to_owned() } else { format!("{n} personer") },
    pick_program_and_partner: "Välj program och partnerorganisation.",
    pick_program_and_user: "Välj program och användare.",
    print: "Skriv ut",
    program_created: |name| format!("Programmet {name} är skapat."),
    programs_title: "Program",
    rate_limited: "För många förfrågningar. Vänta en stund och försök igen.",
    ready: "Klart.",
    record_not_found: "Posten finns inte.",
    register_title: "Deltagarregister",
    relogin_title: "Servern vill att du loggar in igen.",
    login_intro: "Kontorets skärmar kräver uppkoppling. Inget om deltagarna sparas på den här datorn.",
    field_account: "Det här kontot använder fältappen, inte kontoret.",
    field_app_link: "Till fältappen",
    remove: "Ta bort",
    remove_member: |name| format!("Ta bort {name} ur programmet"),
    resolve_link: "Lös konflikten",
    resolve_title: "Lös konflikt",
    resolved: "Konflikten är löst",
    revoke: "Koppla bort enheten",
    revoke_confirm: "Ja, koppla bort",
    revoke_label: |device, name| format!("Koppla bort {device} ({name})"),
    revoke_question: |device, name| {
        format!("Koppla bort {device} ({name})? Enheten raderar allt den har vid nästa kontakt med servern.")
    },
    rows_ready: |n| format!("{n} rader."),
    run_report: "Visa",
    save_resolution: "Spara lösning",
    search_label: "Sök på namn",
    section_attendance: "Närvaro",
    section_follow_ups: "Uppföljningar",
    section_goals: "Mål i handlingsplanen",
    section_lessons: "Lektioner",
    section_notes: "Anteckningar",
    section_placements: "Praktikplatser",
    section_visits: "Besök",
    session_expired: "Sessionen har gått ut. Logga in igen.",
    session_revoked: "Den här enheten har kopplats bort.",
    session_revoked_done: "Enheten är bortkopplad.",
    sessions_title: "Enheter (inloggningar)",
    summary_title: "Månadssammanställning: vem tittade på vem, hur ofta",
    this_device: "den här enheten",
    to_label: "Till",
    totals_label: |n| format!("Totalt ({n} rader)"),
    unknown_participant: "Okänd deltagare",
    unknown_site: "Okänd arbetsplats",
    unknown_writer: "Okänd",
    user_created: |name| format!("Användaren {name} är skapad."),
    user_disabled: |name| format!("{name} är spärrad; alla hens enheter är bortkopplade."),
    user_enabled: |name| format!("{name} är aktiverad igen."),
    user_state_active: "Aktiv",
    user_state_disabled: "Spärrad",
    users_title: "Användare",
    version_label: |v| format!("Version {v}"),
    working: "Arbetar…",
    written_by: |who, when| format!("{who}, {when}"),
    written_by_short: |who| format!("av {who}"),
    yes: "Ja",
};
