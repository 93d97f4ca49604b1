//! Conflict resolution (`/desk/record/:id/resolve`): the open conflicts of a
//! record side by side per field, the kept and the lost value with who wrote
//! each, when and from which device; the user picks one or edits it, and
//! "Spara lösning" pushes one `put` from the record's current version (the
//! server then clears `conflict`, docs/OFFICE.md "Conflict resolution").

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::Value;
use shared::RecordData;
use shared::wire::{FieldConflictEntry, MutationStatus, RecordHistory};
use uuid::Uuid;
use yew::prelude::*;

use super::common::{
    DeskLink, Load, error_text, field_value_text, hlc_device, hlc_time, short_id, status_of, use_loader, value_text,
};
use super::{DeskCtx, DeskRoute, use_desk};
use crate::api::office;
use crate::i18n::{DeskTexts, Texts, format, use_desk_texts, use_texts};

#[derive(Properties, PartialEq)]
pub struct ResolveProps {
    pub id: AttrValue,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Kept,
    Lost,
    Edit,
}

/// The open conflicts: those after the last version without a conflict, the newest entry per field.
fn open_conflicts(history: &RecordHistory) -> Vec<FieldConflictEntry> {
    let last_clean = history.versions.iter().filter(|v| !v.conflict).map(|v| v.version).max().unwrap_or(0);
    let mut entries: Vec<&FieldConflictEntry> = history.conflicts.iter().filter(|c| c.version > last_clean).collect();
    if entries.is_empty() {
        entries = history.conflicts.iter().collect();
    }
    let mut by_field: BTreeMap<&str, &FieldConflictEntry> = BTreeMap::new();
    for entry in entries {
        let newer = by_field.get(entry.field.as_str()).is_none_or(|e| e.version <= entry.version);
        if newer {
            by_field.insert(entry.field.as_str(), entry);
        }
    }
    by_field.into_values().cloned().collect()
}

/// The value typed into the edit box: text for text fields, else JSON when it parses.
fn edited_value(entry: &FieldConflictEntry, text: &str) -> Value {
    let textual = |v: &Value| v.is_string() || v.is_null();
    if textual(&entry.kept) && textual(&entry.lost) {
        if text.trim().is_empty() { Value::Null } else { Value::from(text) }
    } else {
        serde_json::from_str(text.trim()).unwrap_or_else(|_| Value::from(text))
    }
}

/// Who wrote a value: the version with that HLC (name, time), else what the HLC says.
fn author(ctx: &DeskCtx, t: &DeskTexts, history: &RecordHistory, hlc: &str) -> Html {
    let device = hlc_device(hlc);
    let device_short = Uuid::try_parse(&device).map(short_id).unwrap_or(device.clone());
    match history.versions.iter().find(|v| v.hlc == hlc) {
        Some(v) => html! {
            <p class="author">
                <span data-testid="conflict-author">{ ctx.person_name(v.updated_by) }</span>{ " · " }
                <time>{ format::date_time(v.updated_at) }</time>{ " · " }
                <span title={device.clone()}>{ (t.device_label)(&device_short) }</span>
            </p>
        },
        None => html! {
            <p class="author">
                { t.unknown_writer }{ " · " }<time>{ hlc_time(hlc).unwrap_or_default() }</time>{ " · " }
                <span title={device.clone()}>{ (t.device_label)(&device_short) }</span>
            </p>
        },
    }
}

#[component]
pub fn ResolvePage(props: &ResolveProps) -> Html {
    let texts = use_texts();
    let t = use_desk_texts();
    let ctx = use_desk();
    let loader = use_loader::<RecordHistory>();
    let choices = use_state(BTreeMap::<String, (Choice, String)>::new);
    let result = use_state(|| Load::<String>::Idle);
    let refresh = use_state(|| 0_u32);
    let id = Uuid::try_parse(&props.id).ok();
    {
        let (ctx, loader) = (ctx.clone(), loader.clone());
        let reload = ctx.as_ref().map(|c| c.reload);
        use_effect_with((id, *refresh, reload), move |(id, _, _)| {
            if let (Some(ctx), Some(id)) = (ctx, *id) {
                loader.run(&ctx, move |token| async move { office::history(&token, id).await });
            }
        });
    }
    // A freshly loaded record: every field starts at the kept value.
    {
        let choices = choices.clone();
        let loaded = loader.state.ready().cloned();
        use_effect_with(loaded, move |loaded| {
            if let Some(history) = loaded {
                let initial = open_conflicts(history)
                    .into_iter()
                    .map(|c| {
                        let text = if c.kept.is_null() { String::new() } else { value_text(&c.kept) };
                        (c.field.clone(), (Choice::Kept, text))
                    })
                    .collect();
                choices.set(initial);
            }
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };
    if id.is_none() {
        return html! { <section class="desk-page"><p role="alert">{ t.record_not_found }</p></section> };
    };
    let history = loader.state.ready().cloned();
    let conflicts = history.as_ref().map(|h| open_conflicts(h)).unwrap_or_default();

    let on_save = {
        let (ctx, history, choices, result, refresh, conflicts) =
            (ctx.clone(), history.clone(), choices.clone(), result.clone(), refresh.clone(), conflicts.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(history) = history.clone() else {
                return;
            };
            if matches!(*result, Load::Loading) {
                return;
            }
            let t = ctx.lang.desk();
            let record = &history.record;
            let mut data = record.data.clone();
            if !data.is_object() {
                data = Value::Object(serde_json::Map::new());
            }
            for entry in &conflicts {
                if entry.field.starts_with('$') {
                    continue;
                }
                let (choice, text) = choices.get(&entry.field).cloned().unwrap_or((Choice::Kept, String::new()));
                let value = match choice {
                    Choice::Kept => entry.kept.clone(),
                    Choice::Lost => entry.lost.clone(),
                    Choice::Edit => edited_value(entry, &text),
                };
                if let Some(map) = data.as_object_mut() {
                    if value.is_null() {
                        map.remove(&entry.field);
                    } else {
                        map.insert(entry.field.clone(), value);
                    }
                }
            }
            if let Err(err) = RecordData::parse(record.kind, &data) {
                result.set(Load::Failed(format!("{}: {}", err.field, err.message)));
                return;
            }
            result.set(Load::Loading);
            let (ctx, result, refresh) = (ctx.clone(), result.clone(), refresh.clone());
            let (record_id, kind, program_id, version) = (record.id, record.kind, record.program_id, record.version);
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.session.push_direct(record_id, kind, program_id, Some(version), data).await {
                    Ok(r) if r.status == MutationStatus::Rejected => {
                        let message = r.error.map(|e| format!("{} ({})", e.message, e.code)).unwrap_or_default();
                        result.set(Load::Failed(message));
                    }
                    Ok(_) => {
                        result.set(Load::Ready(Rc::new(t.resolved.to_owned())));
                        refresh.set(*refresh + 1);
                    }
                    Err(err) => {
                        result.set(Load::Failed(error_text(t, &err)));
                        ctx.on_error.emit(err);
                    }
                }
            });
        })
    };

    let participant_id = history.as_ref().and_then(|h| {
        if h.record.kind == shared::Kind::Participant {
            Some(h.record.id)
        } else {
            h.record.data.get("participant_id").and_then(Value::as_str).and_then(|s| Uuid::try_parse(s).ok())
        }
    });
    let (result_text, result_state) = match &*result {
        Load::Idle => (String::new(), "idle"),
        Load::Loading => (texts.saving.to_owned(), "loading"),
        Load::Ready(message) => ((**message).clone(), "applied"),
        Load::Failed(message) => (message.clone(), "rejected"),
    };

    html! {
        <section class="desk-page resolve" aria-labelledby="resolve-title">
            if let Some(pid) = participant_id {
                <p class="breadcrumb"><DeskLink to={DeskRoute::Participant { id: pid.to_string() }}>
                    { t.back_to_file }</DeskLink></p>
            }
            <h1 id="resolve-title">{ t.resolve_title }</h1>
            { status_of("resolve-status", &loader.state, None) }
            if let Some(history) = &history {
                <p>{ (texts.kind_name)(history.record.kind) }{ " · " }{ ctx.program_name(history.record.program_id) }
                    { " · " }{ (t.version_label)(history.record.version) }</p>
                if !history.record.conflict {
                    <p class="banner banner-info" data-testid="resolve-none">{ t.no_open_conflict }</p>
                } else {
                    <form class="desk-form" onsubmit={on_save} novalidate=true>
                        { for conflicts.iter().map(|entry| field_block(&ctx, texts, t, history, entry, &choices)) }
                        <button type="submit" class="primary" data-testid="resolve-save"
                            disabled={matches!(*result, Load::Loading)}>{ t.save_resolution }</button>
                    </form>
                }
            }
            <p class={classes!("desk-status", (result_state == "rejected").then_some("desk-status-error"))}
                role="status" aria-live="polite" data-testid="resolve-result" data-status={result_state}>
                { result_text }</p>
        </section>
    }
}

fn field_block(
    ctx: &DeskCtx,
    texts: &Texts,
    t: &DeskTexts,
    history: &RecordHistory,
    entry: &FieldConflictEntry,
    choices: &UseStateHandle<BTreeMap<String, (Choice, String)>>,
) -> Html {
    let field = entry.field.clone();
    let (choice, text) = choices.get(&field).cloned().unwrap_or((Choice::Kept, String::new()));
    let pick = |c: Choice| {
        let (choices, field) = (choices.clone(), field.clone());
        Callback::from(move |_: Event| {
            let mut next = (*choices).clone();
            let entry = next.entry(field.clone()).or_insert((Choice::Kept, String::new()));
            entry.0 = c;
            choices.set(next);
        })
    };
    let on_edit = {
        let (choices, field) = (choices.clone(), field.clone());
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            let mut next = (*choices).clone();
            next.insert(field.clone(), (Choice::Edit, value));
            choices.set(next);
        })
    };
    let name = format!("choice-{field}");
    let id = |suffix: &str| format!("{name}-{suffix}");
    let shown = |value: &Value| field_value_text(texts, history.record.kind, &field, value);
    html! {
        <fieldset class="conflict-field" data-testid="conflict-field" data-field={field.clone()}>
            <legend>{ (t.field_label)(&field) }</legend>
            <div class="conflict-sides">
                <div class="conflict-side kept">
                    <input type="radio" id={id("kept")} name={name.clone()} data-testid="choose-kept"
                        checked={choice == Choice::Kept} onchange={pick(Choice::Kept)} />
                    <label for={id("kept")}>
                        <span class="side-title">{ t.kept_value }</span>
                        <span class="value" data-testid="kept-value">{ shown(&entry.kept) }</span>
                    </label>
                    { author(ctx, t, history, &entry.kept_hlc) }
                </div>
                <div class="conflict-side lost">
                    <input type="radio" id={id("lost")} name={name.clone()} data-testid="choose-lost"
                        checked={choice == Choice::Lost} onchange={pick(Choice::Lost)} />
                    <label for={id("lost")}>
                        <span class="side-title">{ t.lost_value }</span>
                        <span class="value" data-testid="lost-value">{ shown(&entry.lost) }</span>
                    </label>
                    { author(ctx, t, history, &entry.lost_hlc) }
                </div>
                <div class="conflict-side edit">
                    <input type="radio" id={id("edit-choice")} name={name.clone()} data-testid="choose-edit-radio"
                        aria-label={t.edit_value} checked={choice == Choice::Edit} onchange={pick(Choice::Edit)} />
                    <label for={id("edit")}>{ t.edit_value }</label>
                    <input type="text" id={id("edit")} data-testid="choose-edit" value={text} oninput={on_edit}
                        aria-describedby={id("edit-hint")} />
                    <p id={id("edit-hint")} class="hint">{ t.edit_hint }</p>
                </div>
            </div>
        </fieldset>
    }
}
