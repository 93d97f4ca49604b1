//! The bottom navigation, within thumb reach: Today, Participants, Lesson
//! (only for roles that may write lessons), Outbox, Settings.

use shared::Kind;
use yew::prelude::*;
use yew_router::prelude::*;

use super::RouteLink;
use crate::app::Route;
use crate::i18n::use_texts;
use crate::state::use_ctx;

#[component]
pub fn BottomNav() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let route = use_route::<Route>();
    let may_lesson = ctx.as_ref().is_some_and(|c| c.may_write(Kind::Lesson));
    let pending = ctx.as_ref().and_then(|c| c.sync.status.as_ref().map(|s| s.pending + s.rejected)).unwrap_or(0);
    let item = |to: Route, testid: &'static str, icon: &'static str, label: &'static str, badge: Option<usize>| {
        let current = route.as_ref().is_some_and(|r| r.nav_section() == to.nav_section());
        html! {
            <li>
                <RouteLink to={to} testid={testid} class={classes!("nav-item", current.then_some("current"))}
                    aria_current={current.then(|| AttrValue::from("page"))}>
                    <span class="nav-icon" aria-hidden="true">{ icon }</span>
                    <span class="nav-label">{ label }</span>
                    if let Some(n) = badge.filter(|n| *n > 0) {
                        <span class="nav-badge">{ n.to_string() }</span>
                    }
                </RouteLink>
            </li>
        }
    };
    html! {
        <nav class="bottom-nav" aria-label={texts.main_nav}>
            <ul>
                { item(Route::Today, "nav-today", "◉", texts.nav_today, None) }
                { item(Route::Participants, "nav-participants", "☰", texts.nav_participants, None) }
                if may_lesson { { item(Route::NewLesson, "nav-lesson", "✎", texts.nav_lesson, None) } }
                { item(Route::Outbox, "nav-outbox", "⇪", texts.nav_outbox, Some(pending)) }
                { item(Route::Settings, "nav-settings", "⚙", texts.nav_settings, None) }
            </ul>
        </nav>
    }
}
