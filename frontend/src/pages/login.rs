//! Login (online, the first time on a device, or after the database vanished
//! or the device was revoked). Office and admin users go on to the desk's page.

use yew::prelude::*;

use crate::components::Input;
use crate::handoff;
use crate::i18n::use_texts;
use crate::pages::form::setter;
use crate::repo::{AppError, Session, SignIn};
use crate::state::Core;

#[derive(Properties, PartialEq)]
pub struct LoginProps {
    pub core: Core,
    pub on_signed_in: Callback<Session>,
    #[prop_or_default]
    pub vanished: bool,
    #[prop_or_default]
    pub revoked: bool,
}

#[component]
pub fn LoginPage(props: &LoginProps) -> Html {
    let texts = use_texts();
    let username = use_state(String::new);
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);

    let onsubmit = {
        let (username, password, busy, error) = (username.clone(), password.clone(), busy.clone(), error.clone());
        let core = props.core.clone();
        let on_signed_in = props.on_signed_in.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let (user, pass) = ((*username).clone(), (*password).clone());
            let (busy, error, core, on_signed_in) = (busy.clone(), error.clone(), core.clone(), on_signed_in.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = match core.repo.sign_in(user.trim(), &pass, texts.device_name).await {
                    // Office and admin: the desk's own page takes over (no vault here).
                    Ok(SignIn::Desk { token, user }) => handoff::open_desk(token, user).map(|()| None),
                    Ok(SignIn::Field(session)) => Ok(Some(session)),
                    Err(err) => Err(err),
                };
                match outcome {
                    Ok(Some(session)) => on_signed_in.emit(session),
                    Ok(None) => {}
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
            <h1>{ texts.login_title }</h1>
            if props.vanished {
                <div class="banner banner-warn" data-testid="db-vanished" role="status"><p>{ texts.db_vanished }</p></div>
            }
            if props.revoked {
                <div class="banner banner-warn" role="status" data-testid="revoked-notice"><p>{ texts.revoked_notice }</p></div>
            }
            <p>{ texts.login_intro }</p>
            <form onsubmit={onsubmit} novalidate=true>
                <Input id="login-username" testid="login-username" label={texts.username} value={(*username).clone()}
                    oninput={setter(&username)} autocomplete="username" />
                <Input id="login-password" testid="login-password" label={texts.password} input_type="password"
                    value={(*password).clone()} oninput={setter(&password)} autocomplete="current-password" />
                <div class="form-error" role="alert" aria-live="assertive">
                    if let Some(message) = &*error { <p data-testid="login-error">{ message.clone() }</p> }
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
