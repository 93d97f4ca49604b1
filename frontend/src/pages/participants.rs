//! The participants list (links to each page) and the sites, with the ways
//! to add a participant or a site.

use shared::Kind;
use yew::prelude::*;

use crate::app::Route;
use crate::components::RouteLink;
use crate::i18n::use_texts;
use crate::state::{queries, use_ctx};

#[component]
pub fn ParticipantsPage() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let Some(ctx) = ctx else {
        return html! {};
    };
    let records = ctx.records.list.clone();
    let people = queries::participants(&records);
    let sites = queries::sites(&records);
    html! {
        <section class="participants" aria-labelledby="participants-title">
            <h1 id="participants-title">{ texts.participants_title }</h1>
            <div class="actions">
                if ctx.may_write(Kind::Participant) {
                    <RouteLink to={Route::NewParticipant} testid="participant-new" class="button primary">
                        { texts.new_participant }</RouteLink>
                }
                if ctx.may_write(Kind::Site) {
                    <RouteLink to={Route::NewSite} testid="site-new" class="button">{ texts.new_site }</RouteLink>
                }
            </div>
            if people.is_empty() { <p class="muted">{ texts.participants_empty }</p> }
            <ul class="link-list">
                { for people.iter().map(|(r, p)| html! {
                    <li>
                        <RouteLink to={Route::Participant { id: r.id.to_string() }} testid="participant-link"
                            data_participant_id={AttrValue::from(r.id.to_string())}>
                            <span class="name">{ p.display_name.as_str().to_owned() }</span>
                            <span class="meta">{ (texts.participant_status)(p.status) }</span>
                        </RouteLink>
                    </li>
                }) }
            </ul>
            <h2>{ texts.sites_title }</h2>
            if sites.is_empty() { <p class="muted">{ texts.sites_empty }</p> }
            <ul class="plain-list">
                { for sites.iter().map(|(r, s)| html! {
                    <li data-site-id={r.id.to_string()}>
                        <span class="name">{ s.employer.as_str().to_owned() }</span>
                        if let Some(address) = &s.address { <span class="meta">{ address.as_str().to_owned() }</span> }
                    </li>
                }) }
            </ul>
        </section>
    }
}
