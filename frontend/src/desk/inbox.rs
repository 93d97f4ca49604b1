//! The inbox (`/desk`): what was synced since the user last marked it seen,
//! counted by program, writer and kind; unresolved conflicts on top; the
//! newest changes page by page; filters; "mark as seen".

use shared::Kind;
use shared::office::{Inbox, InboxItem};
use yew::prelude::*;
use yew_router::prelude::*;

use super::common::{DeskLink, Load, PAGE, Pager, error_text, options, setter, status_of, use_loader};
use super::{DeskCtx, DeskRoute, use_desk};
use crate::api::office::{self, Query};
use crate::i18n::{Texts, format, use_desk_texts, use_texts};

fn item_row(
    ctx: &DeskCtx,
    texts: &Texts,
    navigator: &Option<Navigator>,
    item: &InboxItem,
    testid: &'static str,
) -> Html {
    let t = ctx.lang.desk();
    // A click anywhere on the item opens the participant's file (a conflict
    // about no participant opens its resolution); its links work as links.
    let target = match item.participant_id {
        Some(id) => Some(DeskRoute::Participant { id: id.to_string() }),
        None if item.conflict => Some(DeskRoute::Resolve { id: item.record_id.to_string() }),
        None => None,
    };
    let onclick = {
        let (navigator, target) = (navigator.clone(), target.clone());
        Callback::from(move |e: MouseEvent| {
            let on_control =
                e.target_dyn_into::<web_sys::Element>().and_then(|el| el.closest("a, button").ok().flatten()).is_some();
            if let (false, Some(navigator), Some(target)) = (on_control, &navigator, &target) {
                navigator.push(target);
            }
        })
    };
    let participant = match (item.participant_id, &item.participant_name) {
        (Some(id), name) => html! {
            <DeskLink to={DeskRoute::Participant { id: id.to_string() }}
                data_participant_id={AttrValue::from(id.to_string())}>
                { name.clone().unwrap_or_else(|| t.unknown_participant.to_owned()) }
            </DeskLink>
        },
        (None, _) => html! { <span class="muted">{ t.no_participant }</span> },
    };
    html! {
        <li class={classes!("inbox-item", item.conflict.then_some("has-conflict"), target.is_some().then_some("clickable"))}
            data-testid={testid} data-record-id={item.record_id.to_string()} data-kind={item.kind.as_str()}
            onclick={onclick}>
            <div class="inbox-what">
                <strong>{ (texts.kind_name)(item.kind) }</strong>
                if item.deleted { { " · " }<span class="tag">{ t.deleted }</span> }
                if item.conflict { { " · " }<span class="tag tag-conflict">{ texts.conflict_badge }</span> }
                { " · " }{ participant }
            </div>
            <div class="inbox-who muted">
                { (t.written_by)(&ctx.person_name(item.updated_by), &format::date_time(item.updated_at)) }
                { " · " }{ ctx.program_name(item.program_id) }{ " · v" }{ item.version }
            </div>
            if item.conflict {
                <DeskLink to={DeskRoute::Resolve { id: item.record_id.to_string() }} class="button small"
                    data_record_id={AttrValue::from(item.record_id.to_string())}>{ t.resolve_link }</DeskLink>
            }
        </li>
    }
}

fn counts_table(ctx: &DeskCtx, texts: &Texts, inbox: &Inbox) -> Html {
    let t = ctx.lang.desk();
    if inbox.counts.is_empty() {
        return html! { <p>{ t.inbox_nothing_new }</p> };
    }
    let mut counts = inbox.counts.clone();
    counts.sort_by_key(|c| (ctx.program_name(c.program_id), ctx.person_name(c.updated_by), c.kind.as_str()));
    html! {
        <div class="table-wrap">
            <table class="desk-table">
                <caption>{ t.inbox_counts_caption }</caption>
                <thead><tr>
                    <th scope="col">{ t.col_program }</th>
                    <th scope="col">{ t.col_writer }</th>
                    <th scope="col">{ t.col_kind }</th>
                    <th scope="col" class="num">{ t.col_count }</th>
                </tr></thead>
                <tbody>
                    { for counts.iter().map(|c| html! {
                        <tr data-testid="inbox-count">
                            <td>{ ctx.program_name(c.program_id) }</td>
                            <td>{ ctx.person_name(c.updated_by) }</td>
                            <td>{ (texts.kind_name)(c.kind) }</td>
                            <td class="num">{ c.count }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn InboxPage() -> Html {
    let texts = use_texts();
    let t = use_desk_texts();
    let ctx = use_desk();
    let navigator = use_navigator();
    let program = use_state(String::new);
    let kind = use_state(String::new);
    let writer = use_state(String::new);
    let offset = use_state(|| 0_i64);
    let refresh = use_state(|| 0_u32);
    let loader = use_loader::<Inbox>();
    let seen = use_state(|| Load::<()>::Idle);

    {
        let (ctx, loader) = (ctx.clone(), loader.clone());
        let deps = ((*program).clone(), (*kind).clone(), (*writer).clone(), *offset, *refresh);
        let reload = ctx.as_ref().map(|c| c.reload);
        use_effect_with((deps, reload), move |((program, kind, writer, offset, _), _)| {
            if let Some(ctx) = ctx {
                let query = Query::new()
                    .with("program_id", program)
                    .with("kind", kind)
                    .with("updated_by", writer)
                    .with("limit", PAGE)
                    .with("offset", offset);
                loader.run(&ctx, move |token| async move { office::inbox(&token, &query).await });
            }
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };

    let reset_offset = |state: &UseStateHandle<String>| {
        let (state, offset) = (state.clone(), offset.clone());
        let set = setter(&state);
        Callback::from(move |e: Event| {
            offset.set(0);
            set.emit(e);
        })
    };
    let on_mark_seen = {
        let (ctx, loader, seen, refresh, offset) =
            (ctx.clone(), loader.clone(), seen.clone(), refresh.clone(), offset.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(inbox) = loader.state.ready() else {
                return;
            };
            let high_water = inbox.high_water;
            let token = match ctx.token() {
                Ok(token) => token,
                Err(err) => {
                    seen.set(Load::Failed(error_text(ctx.lang.desk(), &err)));
                    return;
                }
            };
            seen.set(Load::Loading);
            let (ctx, seen, refresh, offset) = (ctx.clone(), seen.clone(), refresh.clone(), offset.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match office::mark_seen(&token, high_water).await {
                    Ok(()) => {
                        seen.set(Load::Ready(std::rc::Rc::new(())));
                        offset.set(0);
                        refresh.set(*refresh + 1);
                    }
                    Err(err) => {
                        seen.set(Load::Failed(error_text(ctx.lang.desk(), &err)));
                        ctx.on_error.emit(err);
                    }
                }
            });
        })
    };
    let on_page = {
        let offset = offset.clone();
        Callback::from(move |o: i64| offset.set(o))
    };

    let kinds: Vec<(AttrValue, AttrValue)> =
        Kind::ALL.iter().map(|k| (AttrValue::from(k.as_str()), AttrValue::from((texts.kind_name)(*k)))).collect();
    let inbox = loader.state.ready().cloned();
    let seen_text = match &*seen {
        Load::Loading => t.marking_seen.to_owned(),
        Load::Ready(_) => t.marked_seen.to_owned(),
        Load::Failed(message) => message.clone(),
        Load::Idle => String::new(),
    };

    html! {
        <section class="desk-page inbox" aria-labelledby="inbox-title">
            <div class="page-head">
                <h1 id="inbox-title">{ t.inbox_title }</h1>
                <button type="button" class="primary" data-testid="inbox-mark-seen" onclick={on_mark_seen}
                    disabled={inbox.is_none() || matches!(*seen, Load::Loading)}>{ t.mark_seen }</button>
            </div>
            <p class="desk-status" role="status" aria-live="polite" data-testid="inbox-seen-status"
                data-state={seen.state()}>{ seen_text }</p>
            <form class="filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <div class="field">
                    <label for="inbox-program">{ t.col_program }</label>
                    <select id="inbox-program" data-testid="inbox-filter-program" onchange={reset_offset(&program)}>
                        { options(Some(t.all), &ctx.program_options(), &program) }
                    </select>
                </div>
                <div class="field">
                    <label for="inbox-writer">{ t.col_writer }</label>
                    <select id="inbox-writer" data-testid="inbox-filter-writer" onchange={reset_offset(&writer)}>
                        { options(Some(t.all), &ctx.people_options(&[]), &writer) }
                    </select>
                </div>
                <div class="field">
                    <label for="inbox-kind">{ t.col_kind }</label>
                    <select id="inbox-kind" data-testid="inbox-filter-kind" onchange={reset_offset(&kind)}>
                        { options(Some(t.all), &kinds, &kind) }
                    </select>
                </div>
            </form>
            { status_of("inbox-status", &loader.state, inbox.as_ref().map(|i| (t.inbox_ready)(i.total, i.conflicts.len()))) }
            if let Some(inbox) = inbox {
                <h2>{ t.conflicts_title }</h2>
                if inbox.conflicts.is_empty() {
                    <p>{ t.no_conflicts }</p>
                } else {
                    <ul class="inbox-list conflicts">
                        { for inbox.conflicts.iter().map(|item| item_row(&ctx, texts, &navigator, item, "inbox-conflict")) }
                    </ul>
                }
                <h2>{ t.inbox_counts_title }</h2>
                { counts_table(&ctx, texts, &inbox) }
                <h2>{ t.inbox_items_title }</h2>
                if inbox.items.is_empty() {
                    <p>{ t.inbox_nothing_new }</p>
                } else {
                    <ul class="inbox-list">
                        { for inbox.items.iter().map(|item| item_row(&ctx, texts, &navigator, item, "inbox-item")) }
                    </ul>
                }
                <Pager total={inbox.total} offset={*offset} on_change={on_page} />
            }
        </section>
    }
}
