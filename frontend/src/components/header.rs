//! The fixed-height header: app name, sync status (when unlocked) and the
//! language toggle.

use yew::prelude::*;

use super::SyncStatusView;
use crate::i18n::{Lang, use_texts};
use crate::state::{Settings, SettingsAction};

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// Show the sync status (only while unlocked).
    #[prop_or_default]
    pub with_sync: bool,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let texts = use_texts();
    let settings = use_context::<UseReducerHandle<Settings>>();
    let lang = settings.as_ref().map(|s| s.lang).unwrap_or_default();
    let toggle = {
        let settings = settings.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(settings) = &settings {
                settings.dispatch(SettingsAction::SetLang(settings.lang.other()));
            }
        })
    };
    let other: Lang = lang.other();
    html! {
        <header class="app-header">
            <a class="skip-link" href="#main">{ texts.skip_to_content }</a>
            <span class="brand">{ texts.app_name }</span>
            if props.with_sync { <SyncStatusView /> } else { <span class="header-fill"></span> }
            <button type="button" class="lang-toggle" data-testid="lang-toggle" onclick={toggle}
                lang={other.code()} aria-label={texts.lang_toggle_label}>
                { texts.lang_toggle }
            </button>
        </header>
    }
}
