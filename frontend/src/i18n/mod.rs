//! Every UI string, one file per language (`sv`, the default, and `en`), behind
//! one `Texts` table (and `DeskTexts` for the office desk); `format` shows dates and times the Swedish way.

mod desk;
mod en;
pub mod format;
mod sv;

pub use desk::DeskTexts;

use shared::records::{AttendanceStatus, FollowUpStatus, GoalStatus, NoteCategory, ParticipantStatus, VisitType};
use shared::{Kind, Role};
use yew::prelude::*;

/// The languages of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Swedish, the default.
    #[default]
    Sv,
    En,
}

impl Lang {
    /// The `lang` attribute value and the stored setting.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language (what the header toggle switches to).
    pub fn other(self) -> Lang {
        match self {
            Lang::Sv => Lang::En,
            Lang::En => Lang::Sv,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Sv => &sv::TEXTS,
            Lang::En => &en::TEXTS,
        }
    }

    /// The desk's texts (office and admin screens).
    pub fn desk(self) -> &'static DeskTexts {
        match self {
            Lang::Sv => &sv::DESK,
            Lang::En => &en::DESK,
        }
    }
}

/// The texts of the current language (from the `Lang` context; Swedish without one).
#[hook]
pub fn use_texts() -> &'static Texts {
    use_context::<Lang>().unwrap_or_default().texts()
}

/// The desk's texts of the current language (from the `Lang` context).
#[hook]
pub fn use_desk_texts() -> &'static DeskTexts {
    use_context::<Lang>().unwrap_or_default().desk()
}

/// All UI strings of one language. Plain fields are fixed strings; `fn`
/// fields build strings that contain numbers or names.
#[derive(Debug)]
pub struct Texts {
    pub app_name: &'static str,
    pub booting: &'static str,
    pub boot_failed: &'static str,
    pub reload: &'static str,
    pub skip_to_content: &'static str,

    // Login and unlock.
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub login_submit: &'static str,
    pub login_busy: &'static str,
    pub login_failed: &'static str,
    pub login_offline: &'static str,
    pub unlock_title: &'static str,
    pub unlock_intro: fn(&str) -> String,
    pub unlock_submit: &'static str,
    pub unlock_busy: &'static str,
    pub wrong_password: &'static str,
    pub device_name: &'static str,
    pub relogin_title: &'static str,
    pub relogin_intro: &'static str,
    pub relogin_submit: &'static str,

    // Header, navigation, banners, toasts.
    pub main_nav: &'static str,
    pub nav_today: &'static str,
    pub nav_participants: &'static str,
    pub nav_lesson: &'static str,
    pub nav_outbox: &'static str,
    pub nav_settings: &'static str,
    pub lang_toggle: &'static str,
    pub lang_toggle_label: &'static str,
    pub sync_synced: &'static str,
    pub sync_pending: fn(usize) -> String,
    pub sync_syncing: &'static str,
    pub sync_received: fn(u64, Option<u64>) -> String,
    pub sync_offline: &'static str,
    pub sync_error: &'static str,
    pub sync_needs_login: &'static str,
    pub sync_clock_skew: &'static str,
    pub sync_revoked: &'static str,
    pub sync_starting: &'static str,
    pub sync_last: fn(&str) -> String,
    pub sync_never: &'static str,
    pub sync_conflicts: fn(usize) -> String,
    pub sync_rejected: fn(usize) -> String,
    pub sync_now_hint: &'static str,
    pub update_available: &'static str,
    pub update_reload: &'static str,
    pub storage_error: &'static str,
    pub storage_error_dismiss: &'static str,
    pub db_vanished: &'static str,
    pub clock_banner: &'static str,
    pub revoked_notice: &'static str,
    pub saved: &'static str,
    pub close: &'static str,

    // Today.
    pub today_title: &'static str,
    pub today_empty: &'static str,
    pub today_hours: fn(f64) -> String,
    pub last_visit: fn(&str) -> String,
    pub today_at: fn(&str) -> String,
    pub no_visit_yet: &'static str,
    pub log_visit: &'static str,
    pub attendance_group: fn(&str) -> String,
    pub attendance_saved: &'static str,
    pub attendance_label: fn(AttendanceStatus) -> &'static str,
    pub no_site: &'static str,

    // Participants and the timeline.
    pub participants_title: &'static str,
    pub participants_empty: &'static str,
    pub sites_title: &'static str,
    pub sites_empty: &'static str,
    pub new_participant: &'static str,
    pub new_site: &'static str,
    pub participant_not_found: &'static str,
    pub languages_label: &'static str,
    pub interpreter_needed: &'static str,
    pub status_label: &'static str,
    pub participant_status: fn(ParticipantStatus) -> &'static str,
    pub add_visit: &'static str,
    pub add_note: &'static str,
    pub add_goal: &'static str,
    pub add_placement: &'static str,
    pub goals_title: &'static str,
    pub goals_empty: &'static str,
    pub goal_complete: &'static str,
    pub goal_status: fn(GoalStatus) -> &'static str,
    pub follow_up_status: fn(FollowUpStatus) -> &'static str,
    pub follow_up_months: fn(u8) -> String,
    pub goal_target: fn(&str) -> String,
    pub timeline_title: &'static str,
    pub timeline_empty: &'static str,
    pub conflict_badge: &'static str,
    pub pending_badge: &'static str,
    pub kind_name: fn(Kind) -> &'static str,
    pub visit_type: fn(VisitType) -> &'static str,
    pub note_category: fn(NoteCategory) -> &'static str,
    pub wellbeing_value: fn(u8) -> String,
    pub next_step: &'static str,
    pub next_visit: fn(&str) -> String,
    pub lesson_at_site: fn(&str) -> String,
    pub lesson_attended: &'static str,
    pub lesson_absent: &'static str,
    pub placement_at: fn(&str) -> String,
    pub placement_period: fn(&str, Option<&str>) -> String,
    pub unknown_site: &'static str,
    pub unknown_participant: &'static str,
    pub minutes: fn(u32) -> String,

    // Forms.
    pub form_errors: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub cancel: &'static str,
    pub optional: &'static str,
    pub choose: &'static str,
    pub program: &'static str,
    pub program_name: fn(usize) -> String,
    pub missing_participant: &'static str,
    pub not_allowed: &'static str,
    pub visit_title: fn(&str) -> String,
    pub visit_type_label: &'static str,
    pub visit_at: &'static str,
    pub wellbeing_label: &'static str,
    pub wellbeing_none: &'static str,
    pub note_label: &'static str,
    pub next_step_label: &'static str,
    pub next_visit_on_label: &'static str,
    pub note_title: fn(&str) -> String,
    pub note_category_label: &'static str,
    pub note_text_label: &'static str,
    pub goal_title: fn(&str) -> String,
    pub goal_text_label: &'static str,
    pub goal_target_label: &'static str,
    pub lesson_title: &'static str,
    pub lesson_site_label: &'static str,
    pub lesson_at_label: &'static str,
    pub lesson_duration_label: &'static str,
    pub lesson_topic_label: &'static str,
    pub lesson_vocabulary_label: &'static str,
    pub lesson_vocabulary_hint: &'static str,
    pub lesson_attendees_label: &'static str,
    pub lesson_no_attendees: &'static str,
    pub lesson_pick_site: &'static str,
    pub participant_title: &'static str,
    pub participant_name_label: &'static str,
    pub participant_name_hint: &'static str,
    pub participant_languages_label: &'static str,
    pub participant_languages_hint: &'static str,
    pub participant_interpreter_label: &'static str,
    pub participant_started_label: &'static str,
    pub site_title: &'static str,
    pub site_employer_label: &'static str,
    pub site_address_label: &'static str,
    pub site_supervisor_name_label: &'static str,
    pub site_supervisor_phone_label: &'static str,
    pub placement_title: fn(&str) -> String,
    pub placement_site_label: &'static str,
    pub placement_no_sites: &'static str,
    pub placement_starts_label: &'static str,
    pub placement_ends_label: &'static str,
    pub placement_weekdays_label: &'static str,
    pub placement_hours_label: &'static str,
    pub placement_focus_label: &'static str,
    pub weekday_short: fn(u8) -> &'static str,
    pub weekday_long: fn(u8) -> &'static str,
    pub month_long: fn(u8) -> &'static str,
    pub field_message: fn(&str) -> String,

    // Outbox.
    pub outbox_title: &'static str,
    pub outbox_empty: &'static str,
    pub outbox_intro: &'static str,
    pub outbox_pending: &'static str,
    pub outbox_rejected: &'static str,
    pub outbox_discard: &'static str,
    pub outbox_discard_confirm: &'static str,
    pub outbox_discard_question: &'static str,
    pub outbox_load_failed: &'static str,

    // Settings.
    pub settings_title: &'static str,
    pub settings_lang: &'static str,
    pub settings_autolock: &'static str,
    pub settings_autolock_hint: &'static str,
    pub settings_persist: &'static str,
    pub persist_granted: &'static str,
    pub persist_denied: &'static str,
    pub persist_unknown: &'static str,
    pub persist_asking: &'static str,
    pub settings_account: fn(&str, &str) -> String,
    pub role_name: fn(Role) -> &'static str,
    pub settings_lock: &'static str,
    pub settings_logout: &'static str,
    pub logout_unsynced: &'static str,
    pub logout_confirm: &'static str,
    pub logout_busy: &'static str,
    pub settings_version: fn(&str) -> String,
    pub settings_check: &'static str,
    pub settings_check_hint: &'static str,
    pub settings_check_run: &'static str,
    pub settings_check_busy: &'static str,
    pub settings_check_result: fn(usize) -> String,
    pub settings_sync_now: &'static str,
    pub not_found: &'static str,
    pub back_to_today: &'static str,
}
