//! The visit (check-in) form: type defaults to check-in and time to now, so
//! row → form → save is three taps.

use serde_json::Value;
use shared::records::VisitType;
use shared::{FieldError, Kind, RecordData};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::link::go;
use crate::components::{FormError, Input, Select, SubmitBar, TextArea};
use crate::i18n::use_texts;
use crate::pages::form::{
    error_at, number, object, opt_date, opt_text, save, setter, summary, time_input, use_query_id, use_query_param,
};
use crate::repo::new_record_id;
use crate::state::{clock, queries, use_ctx};

const FIELDS: [&str; 7] = ["participant_id", "at", "type", "wellbeing", "note", "next_step", "next_visit_on"];

#[component]
pub fn VisitForm() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let navigator = use_navigator();
    let participant_id = use_query_id("participant");
    let site_param = use_query_id("site");
    let back_today = use_query_param("back").as_deref() == Some("today");
    let visit_type = use_state(|| VisitType::CheckIn.as_str().to_owned());
    let at = use_state(clock::now_input);
    let wellbeing = use_state(String::new);
    let note = use_state(String::new);
    let next_step = use_state(String::new);
    let next_visit_on = use_state(String::new);
    let error = use_state(|| None::<FieldError>);
    let busy = use_state(|| false);

    let Some(ctx) = ctx else {
        return html! {};
    };
    if !ctx.may_write(Kind::Visit) {
        return html! { <p class="notice">{ texts.not_allowed }</p> };
    }
    let person = participant_id.and_then(|id| queries::participant(&ctx.records.list, id));
    let Some((person_record, person)) = person else {
        return html! { <p class="notice">{ texts.missing_participant }</p> };
    };
    let pid = person_record.id;
    let program_id = person_record.program_id;
    let name = person.display_name.as_str().to_owned();
    let site_id = site_param.or_else(|| queries::current_site(&ctx.records.list, pid, clock::today()));

    let onsubmit = {
        let (ctx, navigator, error, busy) = (ctx.clone(), navigator.clone(), error.clone(), busy.clone());
        let (visit_type, at, wellbeing, note, next_step, next_visit_on) =
            (visit_type.clone(), at.clone(), wellbeing.clone(), note.clone(), next_step.clone(), next_visit_on.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let data = object(vec![
                ("participant_id", Value::from(pid.to_string())),
                ("site_id", site_id.map(|s| Value::from(s.to_string())).unwrap_or(Value::Null)),
                ("at", time_input(&at)),
                ("type", Value::from((*visit_type).clone())),
                ("wellbeing", number(&wellbeing)),
                ("note", opt_text(&note)),
                ("next_step", opt_text(&next_step)),
                ("next_visit_on", opt_date(&next_visit_on)),
            ]);
            let data = match RecordData::parse(Kind::Visit, &data) {
                Ok(data) => data,
                Err(err) => {
                    error.set(Some(err));
                    return;
                }
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
                    if back_today {
                        go(navigator, &Route::Today, None);
                    } else {
                        go(navigator, &Route::Participant { id: pid.to_string() }, None);
                    }
                }
            });
        })
    };

    let type_options: Vec<(AttrValue, AttrValue)> =
        VisitType::ALL.iter().map(|t| (AttrValue::from(t.as_str()), AttrValue::from((texts.visit_type)(*t)))).collect();
    let wellbeing_options: Vec<(AttrValue, AttrValue)> =
        (1u8..=5).map(|n| (AttrValue::from(n.to_string()), AttrValue::from((texts.wellbeing_value)(n)))).collect();
    let err = |field: &str| error_at(texts, &error, field);

    html! {
        <form class="record-form" onsubmit={onsubmit} novalidate=true aria-labelledby="form-title">
            <h1 id="form-title">{ (texts.visit_title)(&name) }</h1>
            <FormError message={summary(texts, &error, &FIELDS)} />
            <Select id="visit-type" testid="visit-type" label={texts.visit_type_label} value={(*visit_type).clone()}
                onchange={setter(&visit_type)} options={type_options} error={err("type")} />
            <Input id="visit-at" testid="visit-at" label={texts.visit_at} input_type="datetime-local"
                value={(*at).clone()} oninput={setter(&at)} error={err("at")} />
            <Select id="visit-wellbeing" testid="visit-wellbeing" label={texts.wellbeing_label}
                value={(*wellbeing).clone()} onchange={setter(&wellbeing)} options={wellbeing_options}
                empty={AttrValue::from(texts.wellbeing_none)} optional=true error={err("wellbeing")} />
            <TextArea id="visit-note" testid="visit-note" label={texts.note_label} value={(*note).clone()}
                oninput={setter(&note)} optional=true error={err("note")} />
            <Input id="visit-next-step" testid="visit-next-step" label={texts.next_step_label}
                value={(*next_step).clone()} oninput={setter(&next_step)} optional=true error={err("next_step")} />
            <Input id="visit-next-visit-on" testid="visit-next-visit-on" label={texts.next_visit_on_label}
                input_type="date" value={(*next_visit_on).clone()} oninput={setter(&next_visit_on)} optional=true
                error={err("next_visit_on")} />
            <SubmitBar testid="visit-submit" busy={*busy} />
        </form>
    }
}
