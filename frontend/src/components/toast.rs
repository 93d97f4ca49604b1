//! The saved toast: shown only after a write resolved, hidden after a few seconds.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::i18n::use_texts;
use crate::state::{UiAction, use_ctx};

const TOAST_MS: u32 = 4_000;

#[component]
pub fn Toast() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let toast = ctx.as_ref().and_then(|c| c.ui.toast);
    {
        let ui = ctx.as_ref().map(|c| c.ui.clone());
        use_effect_with(toast, move |toast| {
            let timer = match (toast, ui) {
                (Some(seq), Some(ui)) => {
                    let seq = *seq;
                    Some(Timeout::new(TOAST_MS, move || ui.dispatch(UiAction::HideToast(seq))))
                }
                _ => None,
            };
            move || drop(timer)
        });
    }
    html! {
        <div class="toast-region" aria-live="polite">
            if toast.is_some() {
                <div class="toast" data-testid="saved-toast" role="status">
                    <span aria-hidden="true">{ "✓ " }</span>{ texts.saved }
                </div>
            }
        </div>
    }
}
