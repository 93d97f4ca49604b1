//! Unlock: the password opens the device's vault offline.

use yew::prelude::*;

use crate::components::Input;
use crate::i18n::use_texts;
use crate::pages::form::setter;
use crate::repo::{AppError, Session};
use crate::state::Core;

#[derive(Properties, PartialEq)]
pub struct UnlockProps {
    pub core: Core,
    pub username: AttrValue,
    pub display_name: AttrValue,
    pub on_unlocked: Callback<Session>,
}

#[component]
pub fn UnlockPage(props: &UnlockProps) -> Html {
    let texts = use_texts();
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);

    let onsubmit = {
        let (password, busy, error) = (password.clone(), busy.clone(), error.clone());
        let core = props.core.clone();
        let on_unlocked = props.on_unlocked.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let pass = (*password).clone();
            let (password, busy, error, core, on_unlocked) =
                (password.clone(), busy.clone(), error.clone(), core.clone(), on_unlocked.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match core.repo.unlock(&pass).await {
                    Ok(session) => {
                        password.set(String::new());
                        on_unlocked.emit(session);
                    }
                    Err(err) => {
                        let message = match err {
                            AppError::WrongPassword => texts.wrong_password.to_owned(),
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
            <h1>{ texts.unlock_title }</h1>
            <p>{ (texts.unlock_intro)(&props.display_name) }</p>
            <form onsubmit={onsubmit} novalidate=true>
                <input type="text" class="visually-hidden" autocomplete="username" value={props.username.clone()}
                    readonly=true tabindex="-1" aria-hidden="true" />
                <Input id="unlock-password" testid="unlock-password" label={texts.password} input_type="password"
                    value={(*password).clone()} oninput={setter(&password)} autocomplete="current-password" />
                <div class="form-error" role="alert" aria-live="assertive">
                    if let Some(message) = &*error { <p data-testid="unlock-error">{ message.clone() }</p> }
                </div>
                <div class="submit-bar">
                    <button type="submit" class="primary big" data-testid="unlock-submit" disabled={*busy}>
                        { if *busy { texts.unlock_busy } else { texts.unlock_submit } }
                    </button>
                </div>
            </form>
        </main>
    }
}
