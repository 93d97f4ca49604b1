//! The desk's login (online only: no vault, no offline unlock). Office and
//! admin users usually arrive from the field app's login with the session
//! handed over (`crate::handoff`); this form is for a reload after logout,
//! lock or a revoked session, or a bookmark of `/desk/`. The test ids are the
//! field app's (`login-*`, `revoked-notice`).

use yew::prelude::*;

use super::DeskSession;
use crate::api;
use crate::components::Input;
use crate::handoff;
use crate::i18n::{use_desk_texts, use_texts};
use crate::pages::form::setter;
use crate::platform::AppError;

#[derive(Properties, PartialEq)]
pub struct DeskLoginProps {
    pub on_signed_in: Callback<DeskSession>,
    #[prop_or_default]
    pub revoked: bool,
}

#[component]
pub fn DeskLogin(props: &DeskLoginProps) -> Html {
    let texts = use_texts();
    let t = use_desk_texts();
    let username = use_state(String::new);
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let field_account = use_state(|| false);

    let onsubmit = {
        let (username, password, busy, error, field_account) =
            (username.clone(), password.clone(), busy.clone(), error.clone(), field_account.clone());
        let on_signed_in = props.on_signed_in.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            field_account.set(false);
            let (user, pass) = ((*username).clone(), (*password).clone());
            let (busy, error, field_account, on_signed_in) =
                (busy.clone(), error.clone(), field_account.clone(), on_signed_in.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::login(user.trim(), &pass, texts.device_name).await {
                    Ok(login) if handoff::is_desk_role(login.user.role) => {
                        on_signed_in.emit(DeskSession::start(login.token, login.user));
                    }
                    Ok(login) => {
                        // A coach's or pedagogue's account: their app is the field app,
                        // which keeps its own (sealed) session; this one is not kept.
                        let _ = api::logout(&login.token).await;
                        field_account.set(true);
                        error.set(Some(t.field_account.to_owned()));
                        busy.set(false);
                    }
                    Err(err) => {
                        let message = match err {
                            AppError::InvalidCredentials | AppError::WrongPassword => texts.login_failed.to_owned(),
                            AppError::Offline => texts.login_offline.to_owned(),
                            other => other.to_string(),
                        };
                        error.set(Some(message));
                        busy.set(false);
                    }
                }
            });
        })
    };

    html! {
        <main id="main" class="page auth-page">
            <h1>{ texts.login_title }{ " · " }{ t.desk_title }</h1>
            if props.revoked {
                <div class="banner banner-warn" role="status" data-testid="revoked-notice"><p>{ texts.revoked_notice }</p></div>
            }
            <p>{ t.login_intro }</p>
            <form onsubmit={onsubmit} novalidate=true>
                <Input id="login-username" testid="login-username" label={texts.username} value={(*username).clone()}
                    oninput={setter(&username)} autocomplete="username" />
                <Input id="login-password" testid="login-password" label={texts.password} input_type="password"
                    value={(*password).clone()} oninput={setter(&password)} autocomplete="current-password" />
                <div class="form-error" role="alert" aria-live="assertive">
                    if let Some(message) = &*error { <p data-testid="login-error">{ message.clone() }</p> }
                    if *field_account { <p><a href="/">{ t.field_app_link }</a></p> }
                </div>
                <div class="submit-bar">
                    <button type="submit" class="primary big" data-testid="login-submit" disabled={*busy}>
                        { if *busy { texts.login_busy } else { texts.login_submit } }
                    </button>
                </div>
            </form>
        </main>
    }
}
