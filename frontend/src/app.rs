//! The app shell: boot (`Repo::boot`) → login / unlock / "database vanished"
//! → the unlocked UI (header, banners, page, toast, bottom nav, auto-lock).
//! Holds the `Route`s and `switch`, and provides the state contexts.

use std::rc::Rc;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::{AutoLock, Banners, BottomNav, Header, Toast};
use crate::handoff;
use crate::i18n::Lang;
use crate::pages;
use crate::platform;
use crate::repo::{Repo, Session};
use crate::state::{
    Core, Ctx, Phase, RecordsAction, RecordsState, SessionAction, SessionState, Settings, SyncAction, SyncView,
    UiAction, UiState,
};
use crate::sync::{SyncState, SyncStatus};

/// The screens (FIELD-APP.md, "data-testid contract").
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Route {
    /// `/`
    Today,
    /// `/participants`
    Participants,
    /// `/participant/new`
    NewParticipant,
    /// `/participant/:id`
    Participant { id: String },
    /// `/site/new`
    NewSite,
    /// `/placement/new`
    NewPlacement,
    /// `/visit/new`
    NewVisit,
    /// `/note/new`
    NewNote,
    /// `/goal/new`
    NewGoal,
    /// `/lesson/new`
    NewLesson,
    /// `/outbox`
    Outbox,
    /// `/settings`
    Settings,
    /// `/404`
    #[default]
    NotFound,
}

/// `Routable` written out: the same paths and the same matching as
/// `#[derive(Routable)]` (a trailing and then a leading `/` ignored, static paths
/// before `/participant/:id`, the id percent-decoded, anything else `NotFound`), checked
/// against the derived router in `tests`; the derive's matcher (route-recognizer, built
/// in a thread local) costs the field wasm about 15 KB (issue 6).
/// Every path but `/participant/:id`, with its screen: the one table
/// `Routable` reads below.
const STATIC_ROUTES: [(&str, Route); 12] = [
    ("/", Route::Today),
    ("/participants", Route::Participants),
    ("/participant/new", Route::NewParticipant),
    ("/site/new", Route::NewSite),
    ("/placement/new", Route::NewPlacement),
    ("/visit/new", Route::NewVisit),
    ("/note/new", Route::NewNote),
    ("/goal/new", Route::NewGoal),
    ("/lesson/new", Route::NewLesson),
    ("/outbox", Route::Outbox),
    ("/settings", Route::Settings),
    ("/404", Route::NotFound),
];
const PARTICIPANT_PATTERN: &str = "/participant/:id";

/// The participant screen for a (still percent-encoded) id.
fn participant(encoded: &str) -> Option<Route> {
    let id = yew_router::__macro::decode_for_url(encoded).ok()?;
    Some(Route::Participant { id: id.into_owned() })
}

impl Routable for Route {
    fn from_path(path: &str, params: &std::collections::HashMap<&str, &str>) -> Option<Self> {
        if path == PARTICIPANT_PATTERN {
            return participant(params.get("id")?);
        }
        STATIC_ROUTES.iter().find(|(p, _)| *p == path).map(|(_, route)| route.clone())
    }

    fn to_path(&self) -> String {
        if let Route::Participant { id } = self {
            return format!("/participant/{}", yew_router::__macro::encode_for_url(id));
        }
        STATIC_ROUTES.iter().find(|(_, route)| route == self).map_or("/404", |(path, _)| path).to_owned()
    }

    fn routes() -> Vec<&'static str> {
        // In the derive's order: the pattern after the static participant path.
        let mut paths: Vec<&'static str> = STATIC_ROUTES.iter().map(|(path, _)| *path).collect();
        paths.insert(3, PARTICIPANT_PATTERN);
        paths
    }

    fn not_found_route() -> Option<Self> {
        Some(Route::NotFound)
    }

    fn recognize(pathname: &str) -> Option<Self> {
        let path = pathname.strip_suffix('/').unwrap_or(pathname);
        let path = path.strip_prefix('/').unwrap_or(path);
        // `/404` itself is only reached as "anything else".
        let found = STATIC_ROUTES
            .iter()
            .filter(|(_, route)| *route != Route::NotFound)
            .find(|(p, _)| &p[1..] == path)
            .map(|(_, route)| route.clone());
        Some(found.unwrap_or_else(|| match path.strip_prefix("participant/") {
            Some(id) if !id.is_empty() && !id.contains('/') => participant(id).unwrap_or(Route::NotFound),
            _ => Route::NotFound,
        }))
    }
}

impl Route {
    /// Whether the screen is a form (where a reload would lose typed text).
    pub fn is_form(&self) -> bool {
        matches!(
            self,
            Route::NewParticipant
                | Route::NewSite
                | Route::NewPlacement
                | Route::NewVisit
                | Route::NewNote
                | Route::NewGoal
                | Route::NewLesson
        )
    }

    /// The bottom-nav item the screen belongs to.
    pub fn nav_section(&self) -> u8 {
        match self {
            Route::Today | Route::NewVisit | Route::NotFound => 0,
            Route::Participants
            | Route::NewParticipant
            | Route::Participant { .. }
            | Route::NewSite
            | Route::NewPlacement
            | Route::NewNote
            | Route::NewGoal => 1,
            Route::NewLesson => 2,
            Route::Outbox => 3,
            Route::Settings => 4,
        }
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Today => html! { <pages::today::TodayPage /> },
        Route::Participants => html! { <pages::participants::ParticipantsPage /> },
        Route::NewParticipant => html! { <pages::participant_form::ParticipantForm /> },
        Route::Participant { id } => html! { <pages::participant::ParticipantPage id={id} /> },
        Route::NewSite => html! { <pages::site_form::SiteForm /> },
        Route::NewPlacement => html! { <pages::placement_form::PlacementForm /> },
        Route::NewVisit => html! { <pages::visit_form::VisitForm /> },
        Route::NewNote => html! { <pages::note_form::NoteForm /> },
        Route::NewGoal => html! { <pages::goal_form::GoalForm /> },
        Route::NewLesson => html! { <pages::lesson_form::LessonForm /> },
        Route::Outbox => html! { <pages::outbox::OutboxPage /> },
        Route::Settings => html! { <pages::settings::SettingsPage /> },
        Route::NotFound => html! { <pages::not_found::NotFound /> },
    }
}

/// The whole app: boots the repo, then shows what the session phase calls for.
#[component]
pub fn App() -> Html {
    let settings = use_reducer(Settings::load);
    let session = use_reducer(SessionState::default);
    let ui = use_reducer(UiState::default);
    let core = use_state(|| None::<Core>);

    {
        let (session, ui, core) = (session.dispatcher(), ui.dispatcher(), core.clone());
        use_effect_with((), move |_| {
            let updates = ui.clone();
            wasm_bindgen_futures::spawn_local(async move {
                // No service worker (plain http, old browser) only means no offline start.
                let _ = platform::register_service_worker(move || updates.dispatch(UiAction::UpdateReady)).await;
            });
            wasm_bindgen_futures::spawn_local(async move {
                match Repo::boot().await {
                    Ok((repo, state)) => {
                        if matches!(state, crate::repo::BootState::DatabaseVanished) {
                            ui.dispatch(UiAction::DbVanished(true));
                        }
                        core.set(Some(Core::new(repo)));
                        session.dispatch(SessionAction::Booted(state));
                    }
                    Err(err) => session.dispatch(SessionAction::BootFailed(err.to_string())),
                }
            });
        });
    }
    {
        let lang = settings.lang;
        use_effect_with(lang, move |lang| {
            if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                let _ = root.set_attribute("lang", lang.code());
            }
        });
    }

    let on_session = {
        let session = session.dispatcher();
        Callback::from(move |s: Session| session.dispatch(SessionAction::SignedIn(s)))
    };
    let texts = settings.lang.texts();
    let body = match (&session.phase, (*core).clone()) {
        (Phase::Booting, _) | (_, None) => match &session.phase {
            Phase::BootFailed(message) => html! {
                <main id="main" class="page auth-page">
                    <h1>{ texts.app_name }</h1>
                    <div class="banner banner-error" data-testid="storage-error" role="alert">
                        <p><strong>{ texts.boot_failed }</strong></p>
                        <p>{ message.clone() }</p>
                    </div>
                    <button type="button" class="primary big" onclick={Callback::from(|_: MouseEvent| {
                        if let Some(w) = web_sys::window() { let _ = w.location().reload(); }
                    })}>{ texts.reload }</button>
                </main>
            },
            _ => html! {
                <main id="main" class="page auth-page"><p class="booting" role="status">{ texts.booting }</p></main>
            },
        },
        (Phase::BootFailed(message), Some(_)) => html! {
            <main id="main" class="page"><p role="alert">{ message.clone() }</p></main>
        },
        (Phase::NeedsLogin { vanished, revoked }, Some(core)) => html! {
            <pages::login::LoginPage core={core} on_signed_in={on_session.clone()}
                vanished={*vanished || ui.db_vanished} revoked={*revoked} />
        },
        (Phase::Locked { username, display_name }, Some(core)) => html! {
            <pages::unlock::UnlockPage core={core} username={username.clone()} display_name={display_name.clone()}
                on_unlocked={on_session.clone()} />
        },
        // Office and admin get the desk, its own page (docs/DESK.md). Only a vault made
        // before the desk had one gets here: its session goes to the desk, the vault goes.
        (Phase::Unlocked(user), Some(core)) if handoff::is_desk_role(user.user.role) => html! {
            <ToDesk core={core} />
        },
        (Phase::Unlocked(user), Some(core)) => html! {
            <Shell core={core} user={user.clone()} session={session.clone()} ui={ui.clone()} settings={settings.clone()} />
        },
    };
    let unlocked = matches!(session.phase, Phase::Unlocked(_));

    html! {
        <ContextProvider<Lang> context={settings.lang}>
            <ContextProvider<UseReducerHandle<Settings>> context={settings.clone()}>
                <BrowserRouter>
                    if unlocked {
                        { body }
                    } else {
                        <div class="shell shell-auth">
                            <Header />
                            { body }
                        </div>
                    }
                </BrowserRouter>
            </ContextProvider<UseReducerHandle<Settings>>>
        </ContextProvider<Lang>>
    }
}

#[derive(Properties, PartialEq)]
struct ShellProps {
    core: Core,
    user: Rc<Session>,
    session: UseReducerHandle<SessionState>,
    ui: UseReducerHandle<UiState>,
    settings: UseReducerHandle<Settings>,
}

/// Reads every record into memory (after unlock and whenever sync changed them).
fn load_records(core: &Core, records: UseReducerDispatcher<RecordsState>, ui: UseReducerDispatcher<UiState>) {
    let repo = core.repo.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match repo.records().await {
            Ok(list) => records.dispatch(RecordsAction::Loaded(list)),
            Err(err) => ui.dispatch(UiAction::StorageError(err.to_string())),
        }
    });
}

/// The unlocked app: loads the records, runs the scheduler, locks after inactivity.
#[component]
fn Shell(props: &ShellProps) -> Html {
    let records = use_reducer(RecordsState::default);
    let sync = use_reducer(SyncView::default);

    {
        let (core, records, sync, ui) =
            (props.core.clone(), records.dispatcher(), sync.dispatcher(), props.ui.dispatcher());
        use_effect_with((), move |_| {
            load_records(&core, records.clone(), ui.clone());
            let on_status = Callback::from(move |status: SyncStatus| sync.dispatch(SyncAction::Status(status)));
            let on_changed = {
                let core = core.clone();
                Callback::from(move |()| load_records(&core, records.clone(), ui.clone()))
            };
            core.start_sync(on_status, on_changed);
            move || core.stop_sync()
        });
    }

    let ctx = Ctx {
        core: props.core.clone(),
        user: props.user.clone(),
        session: props.session.clone(),
        records: records.clone(),
        sync: sync.clone(),
        ui: props.ui.clone(),
        settings: props.settings.clone(),
    };

    // React to what the scheduler reports: a revoked device is wiped (by the
    // core) and back at login; a first good sync ends the "vanished" notice.
    let previous_state = use_mut_ref(|| None::<SyncState>);
    {
        let ctx = ctx.clone();
        let status = sync.status.clone();
        use_effect_with(status, move |status| {
            if let Some(status) = status {
                if status.state == SyncState::Revoked {
                    ctx.core.stop_sync();
                    ctx.records.dispatch(RecordsAction::Clear);
                    ctx.session.dispatch(SessionAction::SignedOut { revoked: true });
                } else if status.last_success_ms.is_some() && ctx.ui.db_vanished {
                    ctx.ui.dispatch(UiAction::DbVanished(false));
                }
                if status.state == SyncState::Synced {
                    // The server is reachable: look for a new app version too
                    // (browsers only check on navigation; a phone may stay open
                    // all day). Always just after coming back, else now and then.
                    // The banner offers the reload when it is safe.
                    let back_online = *previous_state.borrow() != Some(SyncState::Synced);
                    platform::check_for_update_now_and_then(back_online);
                }
                *previous_state.borrow_mut() = Some(status.state);
            }
        });
    }

    let on_lock = {
        let ctx = ctx.clone();
        Callback::from(move |()| ctx.lock())
    };

    // A new screen: move focus to the page so screen readers start there.
    let path = use_location().map(|l| l.path().to_owned());
    use_effect_with(path, |_| {
        let main = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main"));
        if let Some(main) = main.and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok()) {
            main.set_scroll_top(0);
            let _ = main.focus();
        }
    });

    html! {
        <ContextProvider<Ctx> context={ctx.clone()}>
            <div class="shell">
                <Header with_sync=true />
                <main id="main" class="page" tabindex="-1">
                    <Banners />
                    <Switch<Route> render={switch} />
                </main>
                <Toast />
                <BottomNav />
                <AutoLock minutes={props.settings.autolock_min} on_lock={on_lock} />
            </div>
        </ContextProvider<Ctx>>
    }
}

#[derive(Properties, PartialEq)]
struct ToDeskProps {
    core: Core,
}

/// Hands an unlocked office or admin session over to the desk and wipes the
/// vault it came from (the desk keeps nothing on the device).
#[component]
fn ToDesk(props: &ToDeskProps) -> Html {
    let texts = crate::i18n::use_texts();
    {
        let repo = props.core.repo.clone();
        use_effect_with((), move |_| {
            let handed = repo.token().ok().zip(repo.session());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = repo.wipe_device().await;
                if let Some((token, session)) = handed {
                    let _ = handoff::open_desk(token, session.user);
                }
            });
        });
    }
    html! {
        <main id="main" class="page auth-page"><p class="booting" role="status">{ texts.booting }</p></main>
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
    use yew_router::Routable;

    use super::Route;

    wasm_bindgen_test_configure!(run_in_browser);

    /// The routes as `#[derive(Routable)]` would have them: the written-out
    /// `Routable for Route` must match it path for path.
    #[derive(Debug, Clone, PartialEq, Routable)]
    enum Derived {
        #[at("/")]
        Today,
        #[at("/participants")]
        Participants,
        #[at("/participant/new")]
        NewParticipant,
        #[at("/participant/:id")]
        Participant { id: String },
        #[at("/site/new")]
        NewSite,
        #[at("/placement/new")]
        NewPlacement,
        #[at("/visit/new")]
        NewVisit,
        #[at("/note/new")]
        NewNote,
        #[at("/goal/new")]
        NewGoal,
        #[at("/lesson/new")]
        NewLesson,
        #[at("/outbox")]
        Outbox,
        #[at("/settings")]
        Settings,
        #[not_found]
        #[at("/404")]
        NotFound,
    }

    fn same(route: &Route) -> Derived {
        match route.clone() {
            Route::Today => Derived::Today,
            Route::Participants => Derived::Participants,
            Route::NewParticipant => Derived::NewParticipant,
            Route::Participant { id } => Derived::Participant { id },
            Route::NewSite => Derived::NewSite,
            Route::NewPlacement => Derived::NewPlacement,
            Route::NewVisit => Derived::NewVisit,
            Route::NewNote => Derived::NewNote,
            Route::NewGoal => Derived::NewGoal,
            Route::NewLesson => Derived::NewLesson,
            Route::Outbox => Derived::Outbox,
            Route::Settings => Derived::Settings,
            Route::NotFound => Derived::NotFound,
        }
    }

    #[wasm_bindgen_test]
    fn recognizes_what_the_derived_router_recognizes() {
        let mut paths: Vec<String> = Derived::routes().iter().map(|p| (*p).to_owned()).collect();
        paths.extend(
            [
                "",
                "/",
                "//",
                "///",
                "/participants/",
                "participants",
                "/participants//",
                "/Participants",
                "/participant",
                "/participant/",
                "/participant//",
                "/participant/new/",
                "/participant/new/x",
                "/participant/0192f5a4-1b2c-7d3e-8f40-123456789abc",
                "/participant/0192f5a4-1b2c/",
                "/participant/a.b",
                "/participant/a%20b",
                "/participant/%C3%A5",
                "/participant/%FF",
                "/participant/%",
                "/participant/a/b",
                "participant/x",
                "/404",
                "/404/",
                "/nope",
                "/settings/x",
                "/outbox?x=1",
                "/lesson/new//",
                "/visit",
                "/visit/new/",
                " /",
                "/ ",
            ]
            .iter()
            .map(|p| (*p).to_owned()),
        );
        for path in &paths {
            let ours = Route::recognize(path);
            let derived = Derived::recognize(path);
            assert_eq!(ours.as_ref().map(same), derived, "{path:?}");
        }
        for route in [
            Route::Today,
            Route::Participant { id: "0192f5a4-1b2c-7d3e-8f40-123456789abc".into() },
            Route::Participant { id: "a b/å?".into() },
            Route::NewLesson,
            Route::NotFound,
        ] {
            assert_eq!(route.to_path(), same(&route).to_path(), "{route:?}");
            assert_eq!(Route::recognize(&route.to_path()), Some(route.clone()), "{route:?}");
        }
        assert_eq!(Route::routes(), Derived::routes());
        assert_eq!(Route::not_found_route().as_ref().map(same), Derived::not_found_route());
        assert_eq!(same(&Route::default()), Derived::default());
    }
}
