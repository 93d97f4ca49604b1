//! The desk: what office and admin users get instead of the field app
//! (issue 4, docs/DESK.md), built into its own bundle (`src/desk_main.rs`,
//! served at `/desk/`), so phones never download it. Online-only: every
//! screen reads the server's office endpoints with the session's bearer token
//! (`api::office`); no sync scheduler, no vault, no IndexedDB, and nothing
//! about participants is stored on the device. Holds the desk's routes, its
//! shell (header, navigation, re-login, auto-lock) and `DeskCtx`, the context
//! the desk pages use; `app` is the page's root, `login` its login form.

pub mod access_log;
pub mod admin;
pub mod app;
pub mod attendance;
pub mod common;
pub mod file;
pub mod inbox;
pub mod login;
pub mod outcomes;
pub mod register;
pub mod resolve;
pub mod session;

use std::rc::Rc;

use shared::Role;
use shared::office::Directory;
use shared::wire::UserInfo;
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::AutoLock;
use crate::i18n::{DeskTexts, Lang, use_desk_texts, use_texts};
use crate::platform::AppError;
use crate::state::{Settings, SettingsAction};
use common::{DeskLink, error_text};
pub use session::DeskSession;

/// The desk's screens (docs/DESK.md).
#[derive(Debug, Clone, PartialEq, Routable)]
pub enum DeskRoute {
    #[at("/")]
    Root,
    #[at("/desk/")]
    Home,
    #[at("/desk")]
    Inbox,
    #[at("/desk/participants")]
    Participants,
    #[at("/desk/participant/:id")]
    Participant { id: String },
    #[at("/desk/record/:id/resolve")]
    Resolve { id: String },
    #[at("/desk/reports/attendance")]
    Attendance,
    #[at("/desk/reports/outcomes")]
    Outcomes,
    #[at("/desk/access-log")]
    AccessLog,
    #[at("/desk/admin")]
    Admin,
    #[not_found]
    #[at("/desk/404")]
    NotFound,
}

impl DeskRoute {
    /// The navigation item the screen belongs to.
    fn section(&self) -> u8 {
        match self {
            DeskRoute::Root | DeskRoute::Home | DeskRoute::Inbox | DeskRoute::Resolve { .. } | DeskRoute::NotFound => 0,
            DeskRoute::Participants | DeskRoute::Participant { .. } => 1,
            DeskRoute::Attendance => 2,
            DeskRoute::Outcomes => 3,
            DeskRoute::AccessLog => 4,
            DeskRoute::Admin => 5,
        }
    }
}

/// What the desk pages get from context.
#[derive(Clone, PartialEq)]
pub struct DeskCtx {
    pub session: DeskSession,
    pub user: Rc<UserInfo>,
    /// Programs, people and sites; `None` until loaded.
    pub directory: Option<Rc<Directory>>,
    /// Bumped after a re-login: pages fetch again.
    pub reload: u32,
    /// Reports an error of a request, so that the shell can react to a 401.
    pub on_error: Callback<AppError>,
    /// The language in use (for texts made outside components).
    pub lang: Lang,
}

impl DeskCtx {
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// The bearer token.
    pub fn token(&self) -> Result<String, AppError> {
        self.session.token()
    }

    /// A person's display name from the directory, else a short id.
    pub fn person_name(&self, id: Uuid) -> String {
        self.directory
            .as_ref()
            .and_then(|d| d.people.iter().find(|p| p.id == id).map(|p| p.display_name.clone()))
            .unwrap_or_else(|| common::short_id(id))
    }

    pub fn program_name(&self, id: Uuid) -> String {
        self.directory
            .as_ref()
            .and_then(|d| d.programs.iter().find(|p| p.id == id).map(|p| p.name.clone()))
            .unwrap_or_else(|| common::short_id(id))
    }

    pub fn site_name(&self, id: Uuid) -> String {
        self.directory
            .as_ref()
            .and_then(|d| d.sites.iter().find(|s| s.id == id).map(|s| s.employer.clone()))
            .unwrap_or_else(|| common::short_id(id))
    }

    /// `(id, name)` of the programs, by name.
    pub fn program_options(&self) -> Vec<(AttrValue, AttrValue)> {
        let mut programs: Vec<_> = self.directory.as_ref().map(|d| d.programs.clone()).unwrap_or_default();
        programs.sort_by(|a, b| a.name.cmp(&b.name));
        programs.into_iter().map(|p| (AttrValue::from(p.id.to_string()), AttrValue::from(p.name))).collect()
    }

    /// `(id, name)` of the people (optionally of some roles), by name.
    pub fn people_options(&self, roles: &[Role]) -> Vec<(AttrValue, AttrValue)> {
        let mut people: Vec<_> = self
            .directory
            .as_ref()
            .map(|d| d.people.iter().filter(|p| roles.is_empty() || roles.contains(&p.role)).cloned().collect())
            .unwrap_or_default();
        people.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        people.dedup_by_key(|p| p.id);
        people.into_iter().map(|p| (AttrValue::from(p.id.to_string()), AttrValue::from(p.display_name))).collect()
    }
}

/// The desk's context (`None` outside the desk).
#[hook]
pub fn use_desk() -> Option<DeskCtx> {
    use_context::<DeskCtx>()
}

fn switch(route: DeskRoute) -> Html {
    match route {
        DeskRoute::Root | DeskRoute::Home | DeskRoute::NotFound => {
            html! { <Redirect<DeskRoute> to={DeskRoute::Inbox} /> }
        }
        DeskRoute::Inbox => html! { <inbox::InboxPage /> },
        DeskRoute::Participants => html! { <register::RegisterPage /> },
        DeskRoute::Participant { id } => html! { <file::FilePage id={id} /> },
        DeskRoute::Resolve { id } => html! { <resolve::ResolvePage id={id} /> },
        DeskRoute::Attendance => html! { <attendance::AttendancePage /> },
        DeskRoute::Outcomes => html! { <outcomes::OutcomesPage /> },
        DeskRoute::AccessLog => html! { <access_log::AccessLogPage /> },
        DeskRoute::Admin => html! { <admin::AdminPage /> },
    }
}

#[derive(Properties, PartialEq)]
pub struct DeskShellProps {
    pub session: DeskSession,
    pub settings: UseReducerHandle<Settings>,
    /// The session ended here (logout, lock, auto-lock; `true`: revoked by an admin).
    pub on_signed_out: Callback<bool>,
}

/// The signed-in desk: header with navigation, the screen, re-login when the
/// server asks for it, auto-lock. Never starts the sync scheduler.
#[component]
pub fn DeskShell(props: &DeskShellProps) -> Html {
    let t = use_desk_texts();
    let directory = use_state(|| None::<Rc<Directory>>);
    let directory_error = use_state(|| None::<String>);
    let reload = use_state(|| 0_u32);
    let needs_login = use_state(|| false);
    let user = use_memo(props.session.clone(), |session| session.user());

    let on_error = {
        let (session, signed_out, needs_login) =
            (props.session.clone(), props.on_signed_out.clone(), needs_login.clone());
        Callback::from(move |err: AppError| match err {
            AppError::SessionRevoked => {
                session.forget();
                signed_out.emit(true);
            }
            AppError::SessionExpired => needs_login.set(true),
            _ => {}
        })
    };

    {
        let (session, directory, directory_error, on_error) =
            (props.session.clone(), directory.clone(), directory_error.clone(), on_error.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let result = match session.token() {
                    Ok(token) => api::office::directory(&token).await,
                    Err(err) => Err(err),
                };
                match result {
                    Ok(d) => {
                        directory.set(Some(Rc::new(d)));
                        directory_error.set(None);
                    }
                    Err(err) => {
                        directory_error.set(Some(error_text(t, &err)));
                        on_error.emit(err);
                    }
                }
            });
        });
    }

    // A new screen: move focus to the page so screen readers start there.
    let path = use_location().map(|l| l.path().to_owned());
    use_effect_with(path, |_| {
        let main = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main"));
        if let Some(main) = main.and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok()) {
            let _ = main.focus();
        }
    });

    let ctx = DeskCtx {
        session: props.session.clone(),
        user: user.clone(),
        directory: (*directory).clone(),
        reload: *reload,
        on_error,
        lang: props.settings.lang,
    };
    // No vault to lock into: locking (by hand or after inactivity) ends the
    // session on the server and here, and the desk shows its login.
    let on_lock = {
        let (session, signed_out) = (props.session.clone(), props.on_signed_out.clone());
        Callback::from(move |()| {
            let (session, signed_out) = (session.clone(), signed_out.clone());
            session.forget();
            signed_out.emit(false);
            wasm_bindgen_futures::spawn_local(async move {
                let _ = session.logout().await;
            });
        })
    };
    let on_relogged = {
        let (reload, needs_login) = (reload.clone(), needs_login.clone());
        Callback::from(move |()| {
            needs_login.set(false);
            reload.set(*reload + 1);
        })
    };

    html! {
        <ContextProvider<DeskCtx> context={ctx}>
            <div class="desk" data-testid="desk">
                <DeskHeader settings={props.settings.clone()} on_lock={on_lock.clone()}
                    on_signed_out={props.on_signed_out.clone()} />
                <main id="main" class="desk-main" tabindex="-1">
                    if *needs_login { <DeskRelogin on_done={on_relogged} /> }
                    if let Some(message) = &*directory_error {
                        <div class="banner banner-error" role="alert"><p>{ t.directory_failed }{ " " }{ message.clone() }</p></div>
                    }
                    <Switch<DeskRoute> render={switch} />
                </main>
                <AutoLock minutes={props.settings.autolock_min} on_lock={on_lock} />
            </div>
        </ContextProvider<DeskCtx>>
    }
}

#[derive(Properties, PartialEq)]
struct DeskHeaderProps {
    settings: UseReducerHandle<Settings>,
    on_lock: Callback<()>,
    on_signed_out: Callback<bool>,
}

/// App name, navigation, the user, language, lock and logout.
#[component]
fn DeskHeader(props: &DeskHeaderProps) -> Html {
    let texts = use_texts();
    let t = use_desk_texts();
    let desk = use_desk();
    let route = use_route::<DeskRoute>();
    let logging_out = use_state(|| false);
    let logout_error = use_state(|| None::<String>);
    let Some(desk) = desk else {
        return html! {};
    };
    let toggle = {
        let settings = props.settings.clone();
        Callback::from(move |_: MouseEvent| settings.dispatch(SettingsAction::SetLang(settings.lang.other())))
    };
    let on_logout = {
        let (session, signed_out, logging_out, logout_error) =
            (desk.session.clone(), props.on_signed_out.clone(), logging_out.clone(), logout_error.clone());
        Callback::from(move |_: MouseEvent| {
            logging_out.set(true);
            let (session, signed_out, logging_out, logout_error) =
                (session.clone(), signed_out.clone(), logging_out.clone(), logout_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // The desk keeps no outbox: logging out loses nothing.
                match session.logout().await {
                    Ok(()) => signed_out.emit(false),
                    Err(err) => {
                        logout_error.set(Some(err.to_string()));
                        logging_out.set(false);
                    }
                }
            });
        })
    };
    let on_lock = {
        let on_lock = props.on_lock.clone();
        Callback::from(move |_: MouseEvent| on_lock.emit(()))
    };
    let item = |to: DeskRoute, testid: &'static str, label: &'static str| {
        let current = route.as_ref().is_some_and(|r| r.section() == to.section());
        html! {
            <li>
                <DeskLink to={to} testid={testid} class={classes!("desk-nav-item", current.then_some("current"))}
                    aria_current={current.then(|| AttrValue::from("page"))}>{ label }</DeskLink>
            </li>
        }
    };
    let other = props.settings.lang.other();
    let user = &desk.user;
    html! {
        <header class="desk-header">
            <a class="skip-link" href="#main">{ texts.skip_to_content }</a>
            <div class="desk-topline">
                <span class="brand">{ texts.app_name }</span>
                <span class="desk-role">{ t.desk_title }</span>
                <span class="desk-user">{ user.display_name.clone() }{ " · " }{ (texts.role_name)(user.role) }</span>
                <button type="button" class="lang-toggle" data-testid="lang-toggle" onclick={toggle}
                    lang={other.code()} aria-label={texts.lang_toggle_label}>{ texts.lang_toggle }</button>
                <button type="button" class="desk-header-button" data-testid="desk-lock" onclick={on_lock}>
                    { texts.settings_lock }</button>
                <button type="button" class="desk-header-button" data-testid="desk-logout" onclick={on_logout}
                    disabled={*logging_out}>
                    { if *logging_out { texts.logout_busy } else { texts.settings_logout } }</button>
            </div>
            if let Some(message) = &*logout_error {
                <p class="desk-header-error" role="alert">{ message.clone() }</p>
            }
            <nav class="desk-nav" aria-label={texts.main_nav}>
                <ul>
                    { item(DeskRoute::Inbox, "desk-nav-inbox", t.nav_inbox) }
                    { item(DeskRoute::Participants, "desk-nav-participants", t.nav_participants) }
                    { item(DeskRoute::Attendance, "desk-nav-attendance", t.nav_attendance) }
                    { item(DeskRoute::Outcomes, "desk-nav-outcomes", t.nav_outcomes) }
                    if desk.is_admin() {
                        { item(DeskRoute::AccessLog, "desk-nav-access-log", t.nav_access_log) }
                        { item(DeskRoute::Admin, "desk-nav-admin", t.nav_admin) }
                    }
                </ul>
            </nav>
        </header>
    }
}

#[derive(Properties, PartialEq)]
struct DeskReloginProps {
    on_done: Callback<()>,
}

/// "Log in again": the server refused the token as expired.
#[component]
fn DeskRelogin(props: &DeskReloginProps) -> Html {
    let texts = use_texts();
    let t: &DeskTexts = use_desk_texts();
    let desk = use_desk();
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let Some(desk) = desk else {
        return html! {};
    };
    let oninput = {
        let password = password.clone();
        Callback::from(move |e: InputEvent| {
            password.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        let (desk, password, busy, error, done) =
            (desk.clone(), password.clone(), busy.clone(), error.clone(), props.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let pass = (*password).clone();
            let (desk, password, busy, error, done) =
                (desk.clone(), password.clone(), busy.clone(), error.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let username = desk.user.username.clone();
                match api::login(&username, &pass, texts.device_name).await {
                    Ok(login) => {
                        desk.session.replace_token(login.token);
                        password.set(String::new());
                        done.emit(());
                    }
                    Err(AppError::InvalidCredentials | AppError::WrongPassword) => {
                        error.set(Some(texts.wrong_password.to_owned()));
                    }
                    Err(other) => error.set(Some(error_text(t, &other))),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="banner banner-warn relogin" data-testid="desk-relogin" onsubmit={onsubmit} novalidate=true>
            <p><strong>{ t.relogin_title }</strong></p>
            <label for="desk-relogin-password">{ texts.password }</label>
            <input id="desk-relogin-password" type="password" autocomplete="current-password"
                value={(*password).clone()} oninput={oninput} />
            <button type="submit" class="primary" disabled={*busy}>{ texts.relogin_submit }</button>
            <p role="alert" class="field-error">{ (*error).clone().unwrap_or_default() }</p>
        </form>
    }
}
