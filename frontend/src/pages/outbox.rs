//! The outbox: what the server has not accepted yet. Rejected changes show
//! their error and can be discarded (after a confirmation).

use shared::RecordData;
use uuid::Uuid;
use yew::prelude::*;

use crate::i18n::{Texts, use_texts};
use crate::repo::{LocalRecord, OutboxItem};
use crate::state::{Ctx, UiAction, queries, use_ctx};

/// A few words naming the record of an outbox item (never its free text).
fn describe(texts: &Texts, records: &[LocalRecord], record_id: Uuid) -> Option<String> {
    let record = records.iter().find(|r| r.id == record_id)?;
    let person = |id: Uuid| queries::participant_name(records, id);
    match &record.data {
        RecordData::Participant(p) => Some(p.display_name.as_str().to_owned()),
        RecordData::Site(s) => Some(s.employer.as_str().to_owned()),
        RecordData::Placement(p) => person(p.participant_id),
        RecordData::Attendance(a) => {
            person(a.participant_id).map(|name| format!("{name} · {}", (texts.attendance_label)(a.status)))
        }
        RecordData::Visit(v) => person(v.participant_id),
        RecordData::MentorNote(n) => person(n.participant_id),
        RecordData::Lesson(l) => Some(l.topic.as_str().to_owned()),
        RecordData::PlanGoal(g) => person(g.participant_id),
        RecordData::FollowUp(f) => person(f.participant_id),
    }
}

fn reload(ctx: &Ctx, items: &UseStateHandle<Option<Result<Vec<OutboxItem>, String>>>) {
    let (repo, items) = (ctx.core.repo.clone(), items.clone());
    wasm_bindgen_futures::spawn_local(async move {
        items.set(Some(repo.outbox().await.map_err(|e| e.to_string())));
    });
}

#[component]
pub fn OutboxPage() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let items = use_state(|| None::<Result<Vec<OutboxItem>, String>>);
    let confirming = use_state(|| None::<Uuid>);
    // Reload whenever the sync status changes (a push acknowledged or rejected something).
    let status_key = ctx.as_ref().and_then(|c| c.sync.status.clone()).map(|s| (s.pending, s.rejected, s.state));
    {
        let (ctx, items) = (ctx.clone(), items.clone());
        use_effect_with(status_key, move |_| {
            if let Some(ctx) = &ctx {
                reload(ctx, &items);
            }
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };
    let records = ctx.records.list.clone();

    let list = match &*items {
        None => html! { <p class="muted">{ texts.booting }</p> },
        Some(Err(message)) => html! {
            <p class="notice" role="alert">{ texts.outbox_load_failed }{ " " }{ message.clone() }</p>
        },
        Some(Ok(list)) if list.is_empty() => html! { <p class="empty">{ texts.outbox_empty }</p> },
        Some(Ok(list)) => html! {
            <ul class="outbox-list">
                { for list.iter().map(|item| {
                    let state = if item.rejected.is_some() { "rejected" } else { "pending" };
                    let mutation = item.mutation_id;
                    let ask = {
                        let confirming = confirming.clone();
                        Callback::from(move |_: MouseEvent| confirming.set(Some(mutation)))
                    };
                    let cancel = {
                        let confirming = confirming.clone();
                        Callback::from(move |_: MouseEvent| confirming.set(None))
                    };
                    let discard = {
                        let (ctx, items, confirming) = (ctx.clone(), items.clone(), confirming.clone());
                        Callback::from(move |_: MouseEvent| {
                            let (ctx, items, confirming) = (ctx.clone(), items.clone(), confirming.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                if let Err(err) = ctx.core.repo.discard_rejected(mutation).await {
                                    ctx.ui.dispatch(UiAction::StorageError(err.to_string()));
                                }
                                confirming.set(None);
                                reload(&ctx, &items);
                                ctx.core.sync_now();
                            });
                        })
                    };
                    html! {
                        <li class={classes!("outbox-item", format!("outbox-{state}"))} data-testid="outbox-item"
                            data-state={state} data-record-id={item.record_id.to_string()}>
                            <div class="item-head">
                                <span class="kind">{ (texts.kind_name)(item.kind) }</span>
                                <span class="state">{ if item.rejected.is_some() { texts.outbox_rejected } else { texts.outbox_pending } }</span>
                            </div>
                            if let Some(what) = describe(texts, &records, item.record_id) { <p>{ what }</p> }
                            if let Some(error) = &item.rejected {
                                <p class="outbox-error" data-testid="outbox-error">
                                    <code>{ error.code.clone() }</code>{ ": " }{ error.message.clone() }
                                </p>
                                if *confirming == Some(mutation) {
                                    <div class="confirm" role="alertdialog" aria-label={texts.outbox_discard}>
                                        <p>{ texts.outbox_discard_question }</p>
                                        <button type="button" class="danger" data-testid="outbox-discard-confirm"
                                            onclick={discard}>{ texts.outbox_discard_confirm }</button>
                                        <button type="button" onclick={cancel}>{ texts.cancel }</button>
                                    </div>
                                } else {
                                    <button type="button" class="danger-outline" data-testid="outbox-discard" onclick={ask}>
                                        { texts.outbox_discard }</button>
                                }
                            }
                        </li>
                    }
                }) }
            </ul>
        },
    };

    html! {
        <section class="outbox" aria-labelledby="outbox-title">
            <h1 id="outbox-title">{ texts.outbox_title }</h1>
            <p class="muted">{ texts.outbox_intro }</p>
            { list }
        </section>
    }
}
