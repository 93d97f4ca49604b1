//! The "log in again" banner: shown while the server wants a new login
//! (`401 session_expired`); the outbox is kept and syncs after the login.

use yew::prelude::*;

use crate::i18n::use_texts;
use crate::repo::AppError;
use crate::state::use_ctx;

#[component]
pub fn Relogin() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let Some(ctx) = ctx else {
        return html! {};
    };
    let oninput = {
        let password = password.clone();
        Callback::from(move |e: InputEvent| {
            password.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value());
        })
    };
    let onsubmit = {
        let (ctx, password, busy, error) = (ctx.clone(), password.clone(), busy.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let pass = (*password).clone();
            let (ctx, password, busy, error) = (ctx.clone(), password.clone(), busy.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let username = ctx.user.user.username.clone();
                match ctx.core.repo.login_online(&username, &pass, texts.device_name).await {
                    Ok(_) => {
                        password.set(String::new());
                        ctx.core.sync_now();
                    }
                    Err(err) => error.set(Some(match err {
                        AppError::InvalidCredentials | AppError::WrongPassword => texts.wrong_password.to_owned(),
                        AppError::Offline => texts.login_offline.to_owned(),
                        other => other.to_string(),
                    })),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="banner banner-warn relogin" data-testid="relogin" onsubmit={onsubmit} novalidate=true>
            <p><strong>{ texts.relogin_title }</strong><br />{ texts.relogin_intro }</p>
            <label for="relogin-password" class="visually-hidden">{ texts.password }</label>
            <input id="relogin-password" type="password" data-testid="relogin-password" autocomplete="current-password"
                value={(*password).clone()} oninput={oninput}
                aria-describedby={error.as_ref().map(|_| "relogin-error")} />
            <button type="submit" class="primary" data-testid="relogin-submit" disabled={*busy}>
                { texts.relogin_submit }
            </button>
            if let Some(message) = &*error {
                <p id="relogin-error" class="field-error" role="alert">{ message.clone() }</p>
            }
        </form>
    }
}
