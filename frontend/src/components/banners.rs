//! The banners under the header: a new version (only on screens without a
//! form being filled in and with no save in flight), a storage error, a
//! vanished database, "log in again" (401), a wrong clock.

use yew::prelude::*;
use yew_router::prelude::*;

use super::relogin::Relogin;
use crate::app::Route;
use crate::i18n::use_texts;
use crate::platform;
use crate::state::{UiAction, use_ctx};
use crate::sync::SyncState;

/// Activates the new version and reloads. Pending records live in
/// IndexedDB, so nothing is lost; the button is only offered while no save
/// is in flight and no form is open.
fn reload() {
    wasm_bindgen_futures::spawn_local(async {
        if platform::skip_waiting_and_reload().await.is_err()
            && let Some(window) = web_sys::window()
        {
            let _ = window.location().reload();
        }
    });
}

#[component]
pub fn Banners() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let route = use_route::<Route>();
    let Some(ctx) = ctx else {
        return html! {};
    };
    let ui = &ctx.ui;
    let on_form = route.as_ref().is_some_and(Route::is_form);
    let state = ctx.sync.status.as_ref().map(|s| s.state);
    let clock_skew = state == Some(SyncState::ClockSkew);
    let needs_login = state == Some(SyncState::NeedsLogin);
    let safe_to_reload = !on_form && ui.saves_in_flight == 0;
    let dismiss = {
        let ui = ui.clone();
        Callback::from(move |_: MouseEvent| ui.dispatch(UiAction::DismissStorageError))
    };
    html! {
        <div class="banners">
            if ui.update_ready && safe_to_reload {
                <div class="banner banner-info" data-testid="update-banner" role="status">
                    <span>{ texts.update_available }</span>
                    <button type="button" class="primary" data-testid="update-reload"
                        onclick={Callback::from(|_: MouseEvent| reload())}>
                        { texts.update_reload }
                    </button>
                </div>
            }
            if let Some(message) = &ui.storage_error {
                <div class="banner banner-error" data-testid="storage-error" role="alert">
                    <p><strong>{ texts.storage_error }</strong>{ ": " }{ message.clone() }</p>
                    <button type="button" onclick={dismiss}>{ texts.storage_error_dismiss }</button>
                </div>
            }
            if ui.db_vanished {
                <div class="banner banner-warn" data-testid="db-vanished" role="status">
                    <p>{ texts.db_vanished }</p>
                </div>
            }
            if needs_login { <Relogin /> }
            if clock_skew {
                <div class="banner banner-warn" data-testid="clock-banner" role="alert">
                    <p>{ texts.clock_banner }</p>
                </div>
            }
        </div>
    }
}
