//! The page for an address the app does not know.

use yew::prelude::*;

use crate::app::Route;
use crate::components::RouteLink;
use crate::i18n::use_texts;

#[component]
pub fn NotFound() -> Html {
    let texts = use_texts();
    html! {
        <section>
            <h1>{ texts.not_found }</h1>
            <RouteLink to={Route::Today} class="button">{ texts.back_to_today }</RouteLink>
        </section>
    }
}
