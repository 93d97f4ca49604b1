//! The access log (admin, `/desk/access-log`): who read whose data when,
//! filterable and page by page, and the month's summary "who looked at whom,
//! how often".

use std::collections::HashMap;
use std::rc::Rc;

use shared::office::{AccessLogPage as LogPage, AccessLogSummary, ParticipantList, UserList};
use uuid::Uuid;
use yew::prelude::*;

use super::common::{DeskLink, PAGE, Pager, options, setter, short_id, status_of, this_month, use_loader};
use super::{DeskRoute, use_desk};
use crate::api::office::{self, Query};
use crate::i18n::{format, use_desk_texts};

/// The actions the server logs (`retention`: records destroyed by `stegvis admin retention`).
const ACTIONS: [&str; 6] =
    ["participant_file", "record_history", "attendance_report", "attendance_export", "outcomes_export", "retention"];

#[component]
pub fn AccessLogPage() -> Html {
    let t = use_desk_texts();
    let ctx = use_desk();
    let user = use_state(String::new);
    let action = use_state(String::new);
    let from = use_state(String::new);
    let to = use_state(String::new);
    let participant = use_state(String::new);
    let offset = use_state(|| 0_i64);
    let month = use_state(this_month);
    let log = use_loader::<LogPage>();
    let summary = use_loader::<AccessLogSummary>();
    let users = use_loader::<UserList>();
    let names = use_loader::<ParticipantList>();

    // Names: the organisation's users and (up to 500) participants of the register.
    {
        let (ctx, users, names) = (ctx.clone(), users.clone(), names.clone());
        let reload = ctx.as_ref().map(|c| c.reload);
        use_effect_with(reload, move |_| {
            if let Some(ctx) = ctx {
                users.run(&ctx, |token| async move { office::users(&token).await });
                names.run(
                    &ctx,
                    |token| async move { office::participants(&token, &Query::new().with("limit", 500)).await },
                );
            }
        });
    }
    {
        let (ctx, log, offset_handle) = (ctx.clone(), log.clone(), offset.clone());
        let reload = ctx.as_ref().map(|c| c.reload);
        let filters = ((*user).clone(), (*action).clone(), (*from).clone(), (*to).clone(), (*participant).clone());
        use_effect_with((filters.clone(), reload), move |_| offset_handle.set(0));
        use_effect_with((filters, *offset, reload), move |((user, action, from, to, participant), offset, _)| {
            if let Some(ctx) = ctx {
                let query = Query::new()
                    .with("user_id", user)
                    .with("action", action)
                    .with("from", from)
                    .with("to", to)
                    .with("participant_id", participant)
                    .with("limit", PAGE)
                    .with("offset", offset);
                log.run(&ctx, move |token| async move { office::access_log(&token, &query).await });
            }
        });
    }
    {
        let (ctx, summary) = (ctx.clone(), summary.clone());
        let reload = ctx.as_ref().map(|c| c.reload);
        use_effect_with(((*month).clone(), reload), move |(month, _)| {
            if let Some(ctx) = ctx
                && month.len() == 7
            {
                let month = month.clone();
                summary.run(&ctx, move |token| async move { office::access_summary(&token, &month).await });
            }
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };
    if !ctx.is_admin() {
        return html! { <section class="desk-page"><p role="alert">{ t.admin_only }</p></section> };
    }

    let user_names: HashMap<Uuid, String> = users
        .state
        .ready()
        .map(|u| u.users.iter().map(|u| (u.id, u.display_name.clone())).collect())
        .unwrap_or_default();
    let participant_names: HashMap<Uuid, String> = names
        .state
        .ready()
        .map(|l| l.participants.iter().map(|p| (p.id, p.display_name.clone())).collect())
        .unwrap_or_default();
    let user_name = |id: Uuid| user_names.get(&id).cloned().unwrap_or_else(|| ctx.person_name(id));
    let mut user_options: Vec<(AttrValue, AttrValue)> =
        user_names.iter().map(|(id, name)| (AttrValue::from(id.to_string()), AttrValue::from(name.clone()))).collect();
    user_options.sort_by(|a, b| a.1.cmp(&b.1));
    let action_options: Vec<(AttrValue, AttrValue)> =
        ACTIONS.iter().map(|a| (AttrValue::from(*a), AttrValue::from((t.action_name)(a)))).collect();
    let on_page = {
        let offset = offset.clone();
        Callback::from(move |o: i64| offset.set(o))
    };
    let page: Option<Rc<LogPage>> = log.state.ready().cloned();
    let month_summary = summary.state.ready().cloned();

    html! {
        <section class="desk-page access-log" aria-labelledby="access-title">
            <h1 id="access-title">{ t.access_title }</h1>
            <p class="muted">{ t.access_intro }</p>
            <form class="filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <div class="field">
                    <label for="access-user">{ t.col_user }</label>
                    <select id="access-user" data-testid="access-filter-user" onchange={setter(&user)}>
                        { options(Some(t.all), &user_options, &user) }
                    </select>
                </div>
                <div class="field">
                    <label for="access-action">{ t.col_action }</label>
                    <select id="access-action" data-testid="access-filter-action" onchange={setter(&action)}>
                        { options(Some(t.all), &action_options, &action) }
                    </select>
                </div>
                <div class="field">
                    <label for="access-from">{ t.from_label }</label>
                    <input id="access-from" type="date" data-testid="access-filter-from" value={(*from).clone()}
                        onchange={setter(&from)} />
                </div>
                <div class="field">
                    <label for="access-to">{ t.to_label }</label>
                    <input id="access-to" type="date" data-testid="access-filter-to" value={(*to).clone()}
                        onchange={setter(&to)} />
                </div>
                <div class="field">
                    <label for="access-participant">{ t.col_participant }</label>
                    <select id="access-participant" data-testid="access-filter-participant" onchange={setter(&participant)}>
                        { options(Some(t.all), &{
                            let mut list: Vec<(AttrValue, AttrValue)> = participant_names.iter()
                                .map(|(id, name)| (AttrValue::from(id.to_string()), AttrValue::from(name.clone())))
                                .collect();
                            list.sort_by(|a, b| a.1.cmp(&b.1));
                            list
                        }, &participant) }
                    </select>
                </div>
            </form>
            { status_of("access-log-status", &log.state, page.as_ref().map(|p| (t.matches)(p.total))) }
            if let Some(page) = page {
                <div class="table-wrap">
                    <table class="desk-table">
                        <caption class="visually-hidden">{ t.access_title }</caption>
                        <thead><tr>
                            <th scope="col">{ t.col_when }</th>
                            <th scope="col">{ t.col_user }</th>
                            <th scope="col">{ t.col_action }</th>
                            <th scope="col">{ t.col_participant }</th>
                            <th scope="col">{ t.col_program }</th>
                        </tr></thead>
                        <tbody>
                            { for page.entries.iter().map(|e| html! {
                                <tr data-testid="access-log-row" data-user-id={e.user_id.to_string()}
                                    data-action={e.action.clone()}
                                    data-participant-id={e.participant_id.map(|p| p.to_string())}>
                                    <td><time>{ format::date_time(e.at) }</time></td>
                                    <td>{ user_name(e.user_id) }</td>
                                    <td>{ (t.action_name)(&e.action) }</td>
                                    <td>{ match e.participant_id {
                                        Some(pid) => html! {
                                            <DeskLink to={DeskRoute::Participant { id: pid.to_string() }}>
                                                { participant_names.get(&pid).cloned().unwrap_or_else(|| short_id(pid)) }
                                            </DeskLink>
                                        },
                                        None => html! { { "–" } },
                                    } }</td>
                                    <td>{ e.program_id.map(|p| ctx.program_name(p)).unwrap_or_default() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                if page.entries.is_empty() { <p>{ t.no_matches }</p> }
                <Pager total={page.total} offset={*offset} on_change={on_page} />
            }

            <h2 id="summary-title">{ t.summary_title }</h2>
            <div class="filters">
                <div class="field">
                    <label for="access-summary-month">{ t.month_label }</label>
                    <input id="access-summary-month" type="month" data-testid="access-summary-month"
                        value={(*month).clone()} onchange={setter(&month)} />
                </div>
            </div>
            { status_of("access-summary-status", &summary.state, None) }
            if let Some(s) = month_summary {
                <div class="table-wrap">
                    <table class="desk-table" aria-labelledby="summary-title">
                        <thead><tr>
                            <th scope="col">{ t.col_user }</th>
                            <th scope="col">{ t.col_participant }</th>
                            <th scope="col" class="num">{ t.col_reads }</th>
                            <th scope="col">{ t.col_first }</th>
                            <th scope="col">{ t.col_last }</th>
                        </tr></thead>
                        <tbody>
                            { for s.rows.iter().map(|r| html! {
                                <tr data-testid="access-summary-row" data-user-id={r.user_id.to_string()}
                                    data-participant-id={r.participant_id.map(|p| p.to_string())}>
                                    <th scope="row">{ r.user_name.clone() }</th>
                                    <td>{ if r.participant_name.is_empty() {
                                        r.participant_id.map_or_else(|| t.aggregate.to_owned(), short_id)
                                    } else { r.participant_name.clone() } }</td>
                                    <td class="num">{ r.reads }</td>
                                    <td><time>{ format::date_time(r.first_at) }</time></td>
                                    <td><time>{ format::date_time(r.last_at) }</time></td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                if s.rows.is_empty() { <p>{ t.no_matches }</p> }
            }
        </section>
    }
}
