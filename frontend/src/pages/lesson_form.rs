//! The lesson form (pedagogues): site, time, duration, topic, the words of
//! the trade, and a checklist of the site's participants (ticked: present).

use std::collections::BTreeSet;

use serde_json::Value;
use shared::{FieldError, Kind, RecordData};
use uuid::Uuid;
use yew::prelude::*;

use crate::components::{Checkbox, FormError, Input, Select, SubmitBar, TextArea};
use crate::i18n::use_texts;
use crate::pages::form::{error_at, number, object, opt_text, save, setter, summary, text, time_input};
use crate::repo::new_record_id;
use crate::state::{clock, queries, use_ctx};

const FIELDS: [&str; 7] = ["site_id", "at", "duration_min", "topic", "vocabulary", "attendees", "note"];
const DEFAULT_MINUTES: &str = "45";

#[component]
pub fn LessonForm() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let site = use_state(String::new);
    let at = use_state(clock::now_input);
    let duration = use_state(|| DEFAULT_MINUTES.to_owned());
    let topic = use_state(String::new);
    let vocabulary = use_state(String::new);
    let present = use_state(BTreeSet::<Uuid>::new);
    let error = use_state(|| None::<FieldError>);
    let busy = use_state(|| false);

    let Some(ctx) = ctx else {
        return html! {};
    };
    if !ctx.may_write(Kind::Lesson) {
        return html! { <p class="notice">{ texts.not_allowed }</p> };
    }
    let records = ctx.records.list.clone();
    let sites = queries::sites(&records);
    let site_id = Uuid::try_parse(&site).ok();
    let site_record = site_id.and_then(|id| queries::site(&records, id));
    let people = site_id.map(|id| queries::site_participants(&records, id)).unwrap_or_default();

    let onsubmit = {
        let (ctx, error, busy) = (ctx.clone(), error.clone(), busy.clone());
        let (site, at, duration, topic, vocabulary, present) =
            (site.clone(), at.clone(), duration.clone(), topic.clone(), vocabulary.clone(), present.clone());
        let people: Vec<Uuid> = people.iter().map(|(id, _)| *id).collect();
        let program_id = site_record.map(|(r, _)| r.program_id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let attendees: Vec<Value> = people
                .iter()
                .map(|id| {
                    let status = if present.contains(id) { "present" } else { "absent" };
                    serde_json::json!({"participant_id": id.to_string(), "status": status})
                })
                .collect();
            let data = object(vec![
                ("site_id", opt_text(&site)),
                ("at", time_input(&at)),
                ("duration_min", number(&duration)),
                ("topic", text(&topic)),
                ("vocabulary", opt_text(&vocabulary)),
                ("attendees", Value::Array(attendees)),
            ]);
            let data = match RecordData::parse(Kind::Lesson, &data) {
                Ok(data) => data,
                Err(err) => return error.set(Some(err)),
            };
            let Some(program_id) = program_id else {
                return error.set(Some(FieldError::new("site_id", "is required")));
            };
            error.set(None);
            busy.set(true);
            let (ctx, busy, topic, vocabulary, present) =
                (ctx.clone(), busy.clone(), topic.clone(), vocabulary.clone(), present.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let saved = save(&ctx, program_id, new_record_id(), data).await;
                busy.set(false);
                if saved.is_ok() {
                    // Ready for the next lesson at the same site.
                    topic.set(String::new());
                    vocabulary.set(String::new());
                    present.set(BTreeSet::new());
                }
            });
        })
    };

    let site_options: Vec<(AttrValue, AttrValue)> = sites
        .iter()
        .map(|(r, s)| (AttrValue::from(r.id.to_string()), AttrValue::from(s.employer.as_str().to_owned())))
        .collect();
    let on_site = {
        let (site, present) = (site.clone(), present.clone());
        Callback::from(move |value: String| {
            site.set(value);
            present.set(BTreeSet::new());
        })
    };
    let err = |field: &str| error_at(texts, &error, field);
    let attendee_error = err("attendees");

    html! {
        <form class="record-form" onsubmit={onsubmit} novalidate=true aria-labelledby="form-title">
            <h1 id="form-title">{ texts.lesson_title }</h1>
            <FormError message={summary(texts, &error, &FIELDS)} />
            <Select id="lesson-site" testid="lesson-site" label={texts.lesson_site_label} value={(*site).clone()}
                onchange={on_site} options={site_options} empty={AttrValue::from(texts.choose)} error={err("site_id")} />
            <Input id="lesson-at" testid="lesson-at" label={texts.lesson_at_label} input_type="datetime-local"
                value={(*at).clone()} oninput={setter(&at)} error={err("at")} />
            <Input id="lesson-duration" testid="lesson-duration" label={texts.lesson_duration_label}
                input_type="number" inputmode="numeric" min="1" max="600" value={(*duration).clone()}
                oninput={setter(&duration)} error={err("duration_min")} />
            <Input id="lesson-topic" testid="lesson-topic" label={texts.lesson_topic_label} value={(*topic).clone()}
                oninput={setter(&topic)} error={err("topic")} />
            <TextArea id="lesson-vocabulary" testid="lesson-vocabulary" label={texts.lesson_vocabulary_label}
                hint={AttrValue::from(texts.lesson_vocabulary_hint)} value={(*vocabulary).clone()}
                oninput={setter(&vocabulary)} optional=true rows={5} error={err("vocabulary")} />
            <fieldset class="checklist" aria-describedby={attendee_error.as_ref().map(|_| "lesson-attendees-error")}>
                <legend>{ texts.lesson_attendees_label }</legend>
                if site_id.is_none() {
                    <p class="muted">{ texts.lesson_pick_site }</p>
                } else if people.is_empty() {
                    <p class="muted">{ texts.lesson_no_attendees }</p>
                }
                { for people.iter().map(|(id, name)| {
                    let id = *id;
                    let onchange = {
                        let present = present.clone();
                        Callback::from(move |checked: bool| {
                            let mut next = (*present).clone();
                            if checked { next.insert(id); } else { next.remove(&id); }
                            present.set(next);
                        })
                    };
                    html! {
                        <Checkbox id={format!("lesson-attendee-{id}")} testid="lesson-attendee" label={name.clone()}
                            checked={present.contains(&id)} onchange={onchange}
                            data_participant_id={AttrValue::from(id.to_string())} />
                    }
                }) }
                if let Some(message) = attendee_error {
                    <p id="lesson-attendees-error" class="field-error" data-testid="field-error">{ message }</p>
                }
            </fieldset>
            <SubmitBar testid="lesson-submit" busy={*busy} />
        </form>
    }
}
