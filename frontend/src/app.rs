//! The app shell: boot (`Repo::boot`) → login / unlock / "database vanished"
//! → the unlocked UI (header, banners, page, toast, bottom nav, auto-lock).
//! Holds the `Route`s and `switch`, and provides the state contexts.

use std::rc::Rc;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::{AutoLock, Banners, BottomNav, Header, Toast};
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
#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
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
        // Office and admin get the desk: online-only, no sync scheduler (docs/DESK.md).
        (Phase::Unlocked(user), Some(core)) if crate::desk::is_desk_role(user.user.role) => html! {
            <crate::desk::DeskShell repo={core.repo.clone()} user={user.clone()} session={session.clone()}
                settings={settings.clone()} />
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
