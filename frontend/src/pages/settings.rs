//! Settings: language, auto-lock minutes, persistent storage, the local data
//! check (count and SHA-256 of what the device holds), lock now, logout
//! (with a warning when changes are unsynced), the app version.

use yew::prelude::*;

use crate::components::{Input, Select};
use crate::i18n::{Lang, use_texts};
use crate::state::settings::AUTOLOCK_RANGE;
use crate::state::{SessionAction, SettingsAction, use_ctx};

/// The app's version (the crate's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[component]
pub fn SettingsPage() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let persist = use_state(|| None::<Option<bool>>);
    let autolock_text = use_state(|| ctx.as_ref().map(|c| c.settings.autolock_min.to_string()).unwrap_or_default());
    let autolock_error = use_state(|| None::<AttrValue>);
    let unsynced_warning = use_state(|| false);
    let logging_out = use_state(|| false);
    let check = use_state(|| None::<Result<crate::repo::ContentCheck, String>>);
    let checking = use_state(|| false);
    let confirm_ref = use_node_ref();
    {
        // The warning appears below the buttons: bring its button into view and focus.
        let confirm_ref = confirm_ref.clone();
        use_effect_with(*unsynced_warning, move |shown| {
            if *shown && let Some(button) = confirm_ref.cast::<web_sys::HtmlElement>() {
                button.scroll_into_view();
                let _ = button.focus();
            }
        });
    }
    {
        let (ctx, persist) = (ctx.clone(), persist.clone());
        use_effect_with((), move |_| {
            if let Some(ctx) = ctx {
                wasm_bindgen_futures::spawn_local(async move {
                    persist.set(Some(ctx.core.repo.persist_storage().await));
                });
            }
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };

    let on_lang = {
        let settings = ctx.settings.clone();
        Callback::from(move |code: String| {
            if let Some(lang) = Lang::from_code(&code) {
                settings.dispatch(SettingsAction::SetLang(lang));
            }
        })
    };
    let on_autolock = {
        let (settings, autolock_text, autolock_error) =
            (ctx.settings.clone(), autolock_text.clone(), autolock_error.clone());
        Callback::from(move |value: String| {
            match value.trim().parse::<u32>() {
                Ok(minutes) if AUTOLOCK_RANGE.contains(&minutes) => {
                    settings.dispatch(SettingsAction::SetAutolock(minutes));
                    autolock_error.set(None);
                }
                _ => autolock_error.set(Some(AttrValue::from(format!(
                    "{}–{}",
                    AUTOLOCK_RANGE.start(),
                    AUTOLOCK_RANGE.end()
                )))),
            }
            autolock_text.set(value);
        })
    };
    let on_lock = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.lock())
    };
    let logout = {
        let (ctx, logging_out) = (ctx.clone(), logging_out.clone());
        move || {
            logging_out.set(true);
            let (ctx, logging_out) = (ctx.clone(), logging_out.clone());
            wasm_bindgen_futures::spawn_local(async move {
                ctx.core.stop_sync();
                match ctx.core.repo.logout().await {
                    Ok(()) => ctx.session.dispatch(SessionAction::SignedOut { revoked: false }),
                    Err(err) => {
                        ctx.ui.dispatch(crate::state::UiAction::StorageError(err.to_string()));
                        logging_out.set(false);
                    }
                }
            });
        }
    };
    let on_logout = {
        let (ctx, unsynced_warning, logout) = (ctx.clone(), unsynced_warning.clone(), logout.clone());
        Callback::from(move |_: MouseEvent| {
            let (ctx, unsynced_warning, logout) = (ctx.clone(), unsynced_warning.clone(), logout.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // When unsure, warn: an error reading the outbox counts as unsynced.
                let unsynced = ctx.core.repo.has_unsynced().await.unwrap_or(true);
                if unsynced {
                    unsynced_warning.set(true);
                } else {
                    logout();
                }
            });
        })
    };
    let on_confirm = {
        let logout = logout.clone();
        Callback::from(move |_: MouseEvent| logout())
    };
    let on_sync = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.core.sync_now())
    };
    let on_check = {
        let (ctx, check, checking) = (ctx.clone(), check.clone(), checking.clone());
        Callback::from(move |_: MouseEvent| {
            checking.set(true);
            let (ctx, check, checking) = (ctx.clone(), check.clone(), checking.clone());
            wasm_bindgen_futures::spawn_local(async move {
                check.set(Some(ctx.core.repo.content_check().await.map_err(|e| e.to_string())));
                checking.set(false);
            });
        })
    };
    let check_view = match &*check {
        None => html! {},
        Some(Ok(found)) => html! {
            <p data-testid="local-data-check" data-count={found.records.to_string()} data-sha256={found.sha256.clone()}>
                { (texts.settings_check_result)(found.records) }<br />
                <code class="digest">{ format!("SHA-256 {}", found.sha256) }</code>
            </p>
        },
        Some(Err(message)) => html! { <p class="field-error" role="alert">{ message.clone() }</p> },
    };
    let persist_text = match *persist {
        None => texts.persist_asking,
        Some(Some(true)) => texts.persist_granted,
        Some(Some(false)) => texts.persist_denied,
        Some(None) => texts.persist_unknown,
    };
    let persist_state = match *persist {
        None => "asking",
        Some(Some(true)) => "granted",
        Some(Some(false)) => "denied",
        Some(None) => "unsupported",
    };
    let user = &ctx.user.user;
    let lang_options =
        vec![(AttrValue::from("sv"), AttrValue::from("Svenska")), (AttrValue::from("en"), AttrValue::from("English"))];

    html! {
        <section class="settings" aria-labelledby="settings-title">
            <h1 id="settings-title">{ texts.settings_title }</h1>
            <p>{ (texts.settings_account)(&user.display_name, (texts.role_name)(user.role)) }</p>
            <Select id="settings-lang" testid="settings-lang" label={texts.settings_lang}
                value={ctx.settings.lang.code()} onchange={on_lang} options={lang_options} />
            <Input id="settings-autolock" testid="settings-autolock" label={texts.settings_autolock}
                input_type="number" inputmode="numeric" min={AUTOLOCK_RANGE.start().to_string()}
                max={AUTOLOCK_RANGE.end().to_string()} hint={AttrValue::from(texts.settings_autolock_hint)}
                value={(*autolock_text).clone()} oninput={on_autolock} error={(*autolock_error).clone()} />
            <div class="setting">
                <h2>{ texts.settings_persist }</h2>
                <p data-testid="settings-persist" data-state={persist_state}>{ persist_text }</p>
            </div>
            <div class="setting" aria-live="polite">
                <h2>{ texts.settings_check }</h2>
                <p class="hint">{ texts.settings_check_hint }</p>
                <button type="button" data-testid="check-local-data" onclick={on_check} disabled={*checking}>
                    { if *checking { texts.settings_check_busy } else { texts.settings_check_run } }
                </button>
                { check_view }
            </div>
            <div class="actions stacked">
                <button type="button" class="big" onclick={on_sync}>{ texts.settings_sync_now }</button>
                <button type="button" class="big" data-testid="settings-lock" onclick={on_lock}>{ texts.settings_lock }</button>
                <button type="button" class="big danger-outline" data-testid="settings-logout" onclick={on_logout}
                    disabled={*logging_out}>
                    { if *logging_out { texts.logout_busy } else { texts.settings_logout } }
                </button>
            </div>
            if *unsynced_warning {
                <div class="confirm" role="alertdialog" aria-labelledby="logout-warning">
                    <p id="logout-warning">{ texts.logout_unsynced }</p>
                    <button type="button" class="danger big" data-testid="logout-confirm" onclick={on_confirm} ref={confirm_ref}
                        disabled={*logging_out}>{ texts.logout_confirm }</button>
                    <button type="button" class="big" onclick={
                        let w = unsynced_warning.clone();
                        Callback::from(move |_: MouseEvent| w.set(false))
                    }>{ texts.cancel }</button>
                </div>
            }
            <p class="version" data-testid="settings-version">{ (texts.settings_version)(VERSION) }</p>
        </section>
    }
}
