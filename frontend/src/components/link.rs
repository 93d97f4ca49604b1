//! `RouteLink`: an `<a>` to a route (with an optional query) that navigates
//! in the app, with classes and a `data-testid`.

use yew::prelude::*;
use yew_router::AnyRoute;
use yew_router::prelude::*;

use crate::app::Route;

#[derive(Properties, PartialEq)]
pub struct RouteLinkProps {
    pub to: Route,
    /// `participant=…`, without the `?`.
    #[prop_or_default]
    pub query: Option<String>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    #[prop_or_default]
    pub aria_label: Option<AttrValue>,
    #[prop_or_default]
    pub aria_current: Option<AttrValue>,
    #[prop_or_default]
    pub data_participant_id: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

/// The href of a route with an optional query.
pub fn href(to: &Route, query: Option<&str>) -> String {
    match query {
        Some(q) if !q.is_empty() => format!("{}?{q}", to.to_path()),
        _ => to.to_path(),
    }
}

#[component]
pub fn RouteLink(props: &RouteLinkProps) -> Html {
    let navigator = use_navigator();
    let target = href(&props.to, props.query.as_deref());
    let onclick = {
        let target = target.clone();
        Callback::from(move |e: MouseEvent| {
            if e.meta_key() || e.ctrl_key() || e.shift_key() || e.alt_key() {
                return;
            }
            if let Some(navigator) = &navigator {
                e.prevent_default();
                navigator.push(&AnyRoute::new(target.clone()));
            }
        })
    };
    html! {
        <a href={target} class={props.class.clone()} onclick={onclick}
           data-testid={props.testid.clone()} aria-label={props.aria_label.clone()}
           aria-current={props.aria_current.clone()}
           data-participant-id={props.data_participant_id.clone()}>
            { props.children.clone() }
        </a>
    }
}

/// Goes to `to` (with an optional query) inside the app.
pub fn go(navigator: &Navigator, to: &Route, query: Option<&str>) {
    navigator.push(&AnyRoute::new(href(to, query)));
}
