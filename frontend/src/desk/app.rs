//! The desk page's root (`src/desk_main.rs`, served at `/desk/`): the
//! settings and language, the session this tab holds (handed over by the
//! field app's login, or from the desk's own login), and either the desk or
//! its login. No service worker, no IndexedDB.

use yew::prelude::*;
use yew_router::prelude::*;

use super::login::DeskLogin;
use super::{DeskSession, DeskShell};
use crate::components::Header;
use crate::i18n::Lang;
use crate::state::Settings;

#[component]
pub fn DeskApp() -> Html {
    let settings = use_reducer(Settings::load);
    let session = use_state(DeskSession::load);
    let revoked = use_state(|| false);

    {
        let lang = settings.lang;
        use_effect_with(lang, move |lang| {
            if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                let _ = root.set_attribute("lang", lang.code());
            }
        });
    }
    let on_signed_in = {
        let (session, revoked) = (session.clone(), revoked.clone());
        Callback::from(move |signed_in: DeskSession| {
            revoked.set(false);
            session.set(Some(signed_in));
        })
    };
    let on_signed_out = {
        let (session, revoked) = (session.clone(), revoked.clone());
        Callback::from(move |was_revoked: bool| {
            if let Some(current) = &*session {
                current.forget();
            }
            revoked.set(was_revoked);
            session.set(None);
        })
    };

    html! {
        <ContextProvider<Lang> context={settings.lang}>
            <ContextProvider<UseReducerHandle<Settings>> context={settings.clone()}>
                <BrowserRouter>
                    if let Some(current) = &*session {
                        <DeskShell session={current.clone()} settings={settings.clone()} on_signed_out={on_signed_out} />
                    } else {
                        <div class="shell shell-auth">
                            <Header />
                            <DeskLogin on_signed_in={on_signed_in} revoked={*revoked} />
                        </div>
                    }
                </BrowserRouter>
            </ContextProvider<UseReducerHandle<Settings>>>
        </ContextProvider<Lang>>
    }
}
