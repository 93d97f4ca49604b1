//! The participant register (`/desk/participants`): search by name, filter by
//! program, coach, status and site, a table page by page; a row opens the file.

use shared::Role;
use shared::office::ParticipantList;
use shared::records::ParticipantStatus;
use yew::prelude::*;
use yew_router::prelude::*;

use super::common::{DeskLink, PAGE, Pager, input_setter, options, setter, status_of, use_loader};
use super::{DeskRoute, use_desk};
use crate::api::office::{self, Query};
use crate::i18n::{use_desk_texts, use_texts};

#[component]
pub fn RegisterPage() -> Html {
    let texts = use_texts();
    let t = use_desk_texts();
    let ctx = use_desk();
    let navigator = use_navigator();
    let q = use_state(String::new);
    let program = use_state(String::new);
    let coach = use_state(String::new);
    let status = use_state(String::new);
    let site = use_state(String::new);
    let offset = use_state(|| 0_i64);
    let loader = use_loader::<ParticipantList>();

    {
        let (ctx, loader, offset_handle) = (ctx.clone(), loader.clone(), offset.clone());
        let filters = ((*q).clone(), (*program).clone(), (*coach).clone(), (*status).clone(), (*site).clone());
        let reload = ctx.as_ref().map(|c| c.reload);
        // A new filter starts at the first page.
        use_effect_with((filters, reload), move |_| offset_handle.set(0));
        let filters = ((*q).clone(), (*program).clone(), (*coach).clone(), (*status).clone(), (*site).clone());
        use_effect_with((filters, *offset, reload), move |((q, program, coach, status, site), offset, _)| {
            if let Some(ctx) = ctx {
                let query = Query::new()
                    .with("q", q)
                    .with("program_id", program)
                    .with("coach_id", coach)
                    .with("status", status)
                    .with("site_id", site)
                    .with("limit", PAGE)
                    .with("offset", offset);
                loader.run(&ctx, move |token| async move { office::participants(&token, &query).await });
            }
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };

    let statuses: Vec<(AttrValue, AttrValue)> =
        [ParticipantStatus::Active, ParticipantStatus::Paused, ParticipantStatus::Exited]
            .into_iter()
            .map(|s| (AttrValue::from(s.as_str()), AttrValue::from((texts.participant_status)(s))))
            .collect();
    let mut sites: Vec<(AttrValue, AttrValue)> = ctx
        .directory
        .as_ref()
        .map(|d| {
            d.sites.iter().map(|s| (AttrValue::from(s.id.to_string()), AttrValue::from(s.employer.clone()))).collect()
        })
        .unwrap_or_default();
    sites.sort_by(|a, b| a.1.cmp(&b.1));
    let on_page = {
        let offset = offset.clone();
        Callback::from(move |o: i64| offset.set(o))
    };
    let list = loader.state.ready().cloned();

    html! {
        <section class="desk-page register" aria-labelledby="register-title">
            <h1 id="register-title">{ t.register_title }</h1>
            <form class="filters" role="search" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <div class="field field-wide">
                    <label for="register-search">{ t.search_label }</label>
                    <input id="register-search" type="search" data-testid="register-search" value={(*q).clone()}
                        oninput={input_setter(&q)} autocomplete="off" />
                </div>
                <div class="field">
                    <label for="register-program">{ t.col_program }</label>
                    <select id="register-program" data-testid="register-program" onchange={setter(&program)}>
                        { options(Some(t.all), &ctx.program_options(), &program) }
                    </select>
                </div>
                <div class="field">
                    <label for="register-coach">{ t.col_coach }</label>
                    <select id="register-coach" data-testid="register-coach" onchange={setter(&coach)}>
                        { options(Some(t.all), &ctx.people_options(&[Role::Coach]), &coach) }
                    </select>
                </div>
                <div class="field">
                    <label for="register-status">{ texts.status_label }</label>
                    <select id="register-status" data-testid="register-status" onchange={setter(&status)}>
                        { options(Some(t.all), &statuses, &status) }
                    </select>
                </div>
                <div class="field">
                    <label for="register-site">{ t.col_site }</label>
                    <select id="register-site" data-testid="register-site" onchange={setter(&site)}>
                        { options(Some(t.all), &sites, &site) }
                    </select>
                </div>
            </form>
            { status_of("register-status-line", &loader.state, list.as_ref().map(|l| (t.matches)(l.total))) }
            if let Some(list) = list {
                <div class="table-wrap">
                    <table class="desk-table register-table">
                        <caption class="visually-hidden">{ t.register_title }</caption>
                        <thead><tr>
                            <th scope="col">{ t.col_name }</th>
                            <th scope="col">{ texts.status_label }</th>
                            <th scope="col">{ t.col_coach }</th>
                            <th scope="col">{ t.col_program }</th>
                            <th scope="col">{ t.col_started }</th>
                            <th scope="col">{ t.col_exit }</th>
                        </tr></thead>
                        <tbody>
                            { for list.participants.iter().map(|p| {
                                let to = DeskRoute::Participant { id: p.id.to_string() };
                                let onclick = {
                                    let (navigator, to) = (navigator.clone(), to.clone());
                                    Callback::from(move |e: MouseEvent| {
                                        // The name is the link; a click elsewhere on the row does the same.
                                        let on_link = e.target_dyn_into::<web_sys::HtmlElement>()
                                            .is_some_and(|el| el.tag_name().eq_ignore_ascii_case("a"));
                                        if !on_link && let Some(navigator) = &navigator {
                                            navigator.push(&to);
                                        }
                                    })
                                };
                                let status = p.status.parse::<ParticipantStatus>().ok()
                                    .map_or_else(|| p.status.clone(), |s| (texts.participant_status)(s).to_owned());
                                let exit = match (&p.exit_date, &p.exit_outcome) {
                                    (Some(date), Some(outcome)) => format!("{date} · {}", (t.outcome_name)(outcome)),
                                    (Some(date), None) => date.clone(),
                                    _ => String::new(),
                                };
                                html! {
                                    <tr class="clickable" data-testid="register-row" data-participant-id={p.id.to_string()}
                                        onclick={onclick}>
                                        <th scope="row">
                                            <DeskLink to={to}>{ p.display_name.clone() }</DeskLink>
                                            if p.conflict { { " " }<span class="tag tag-conflict">{ texts.conflict_badge }</span> }
                                        </th>
                                        <td>{ status }</td>
                                        <td>{ p.coach_id.map(|id| ctx.person_name(id)).unwrap_or_default() }</td>
                                        <td>{ ctx.program_name(p.program_id) }</td>
                                        <td>{ p.started_on.clone() }</td>
                                        <td>{ exit }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
                if list.participants.is_empty() { <p>{ t.no_matches }</p> }
                <Pager total={list.total} offset={*offset} on_change={on_page} />
            }
        </section>
    }
}
