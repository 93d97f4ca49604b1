//! The mentor note form: category and text; the time is now.

use serde_json::Value;
use shared::records::NoteCategory;
use shared::{FieldError, Kind, RecordData};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::link::go;
use crate::components::{FormError, Select, SubmitBar, TextArea};
use crate::i18n::use_texts;
use crate::pages::form::{error_at, object, save, setter, summary, text, use_query_id};
use crate::repo::new_record_id;
use crate::state::{clock, queries, use_ctx};

const FIELDS: [&str; 4] = ["participant_id", "at", "category", "text"];

#[component]
pub fn NoteForm() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let navigator = use_navigator();
    let participant_id = use_query_id("participant");
    let category = use_state(|| NoteCategory::Progress.as_str().to_owned());
    let body = use_state(String::new);
    let error = use_state(|| None::<FieldError>);
    let busy = use_state(|| false);

    let Some(ctx) = ctx else {
        return html! {};
    };
    if !ctx.may_write(Kind::MentorNote) {
        return html! { <p class="notice">{ texts.not_allowed }</p> };
    }
    let Some((person_record, person)) = participant_id.and_then(|id| queries::participant(&ctx.records.list, id))
    else {
        return html! { <p class="notice">{ texts.missing_participant }</p> };
    };
    let (pid, program_id) = (person_record.id, person_record.program_id);
    let name = person.display_name.as_str().to_owned();

    let onsubmit = {
        let (ctx, navigator, error, busy, category, body) =
            (ctx.clone(), navigator.clone(), error.clone(), busy.clone(), category.clone(), body.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let at = clock::now().format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
            let data = object(vec![
                ("participant_id", Value::from(pid.to_string())),
                ("at", Value::from(at)),
                ("category", Value::from((*category).clone())),
                ("text", text(&body)),
            ]);
            let data = match RecordData::parse(Kind::MentorNote, &data) {
                Ok(data) => data,
                Err(err) => return error.set(Some(err)),
            };
            error.set(None);
            busy.set(true);
            let (ctx, navigator, busy) = (ctx.clone(), navigator.clone(), busy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let saved = save(&ctx, program_id, new_record_id(), data).await;
                busy.set(false);
                if saved.is_ok()
                    && let Some(navigator) = &navigator
                {
                    go(navigator, &Route::Participant { id: pid.to_string() }, None);
                }
            });
        })
    };

    let options: Vec<(AttrValue, AttrValue)> = NoteCategory::ALL
        .iter()
        .map(|c| (AttrValue::from(c.as_str()), AttrValue::from((texts.note_category)(*c))))
        .collect();
    let err = |field: &str| error_at(texts, &error, field);
    html! {
        <form class="record-form" onsubmit={onsubmit} novalidate=true aria-labelledby="form-title">
            <h1 id="form-title">{ (texts.note_title)(&name) }</h1>
            <FormError message={summary(texts, &error, &FIELDS)} />
            <Select id="note-category" testid="note-category" label={texts.note_category_label}
                value={(*category).clone()} onchange={setter(&category)} options={options} error={err("category")} />
            <TextArea id="note-text" testid="note-text" label={texts.note_text_label} value={(*body).clone()}
                oninput={setter(&body)} rows={8} error={err("text")} />
            <SubmitBar testid="note-submit" busy={*busy} />
        </form>
    }
}
