//! The device settings the UI owns: language and auto-lock minutes, kept in
//! `localStorage` (neither says anything about a person).

use std::rc::Rc;

use gloo::storage::{LocalStorage, Storage};
use yew::prelude::*;

use crate::i18n::Lang;

const LANG_KEY: &str = "stegvis.lang";
const AUTOLOCK_KEY: &str = "stegvis.autolock_min";
/// Auto-lock after this many minutes without a touch or key, unless changed.
pub const DEFAULT_AUTOLOCK_MIN: u32 = 15;
pub const AUTOLOCK_RANGE: std::ops::RangeInclusive<u32> = 1..=240;

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub lang: Lang,
    pub autolock_min: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { lang: Lang::Sv, autolock_min: DEFAULT_AUTOLOCK_MIN }
    }
}

impl Settings {
    /// The stored settings, defaults for anything missing or odd.
    pub fn load() -> Settings {
        let lang = LocalStorage::get::<String>(LANG_KEY).ok().and_then(|c| Lang::from_code(&c)).unwrap_or_default();
        let autolock_min = LocalStorage::get::<u32>(AUTOLOCK_KEY)
            .ok()
            .filter(|m| AUTOLOCK_RANGE.contains(m))
            .unwrap_or(DEFAULT_AUTOLOCK_MIN);
        Settings { lang, autolock_min }
    }
}

pub enum SettingsAction {
    SetLang(Lang),
    SetAutolock(u32),
}

impl Reducible for Settings {
    type Action = SettingsAction;

    fn reduce(self: Rc<Self>, action: SettingsAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            SettingsAction::SetLang(lang) => {
                next.lang = lang;
                // A full storage only loses the preference, never a record.
                let _ = LocalStorage::set(LANG_KEY, lang.code());
            }
            SettingsAction::SetAutolock(minutes) => {
                next.autolock_min = minutes.clamp(*AUTOLOCK_RANGE.start(), *AUTOLOCK_RANGE.end());
                let _ = LocalStorage::set(AUTOLOCK_KEY, next.autolock_min);
            }
        }
        Rc::new(next)
    }
}
