//! The plan goal form: a step of the participant's plan, with a target date.

use serde_json::Value;
use shared::{FieldError, Kind, RecordData};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::link::go;
use crate::components::{FormError, Input, SubmitBar, TextArea};
use crate::i18n::use_texts;
use crate::pages::form::{error_at, object, opt_date, save, setter, summary, text, use_query_id};
use crate::repo::new_record_id;
use crate::state::{queries, use_ctx};

const FIELDS: [&str; 4] = ["participant_id", "text", "target_date", "status"];

#[component]
pub fn GoalForm() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let navigator = use_navigator();
    let participant_id = use_query_id("participant");
    let body = use_state(String::new);
    let target = use_state(String::new);
    let error = use_state(|| None::<FieldError>);
    let busy = use_state(|| false);

    let Some(ctx) = ctx else {
        return html! {};
    };
    if !ctx.may_write(Kind::PlanGoal) {
        return html! { <p class="notice">{ texts.not_allowed }</p> };
    }
    let Some((person_record, person)) = participant_id.and_then(|id| queries::participant(&ctx.records.list, id))
    else {
        return html! { <p class="notice">{ texts.missing_participant }</p> };
    };
    let (pid, program_id) = (person_record.id, person_record.program_id);
    let name = person.display_name.as_str().to_owned();

    let onsubmit = {
        let (ctx, navigator, error, busy, body, target) =
            (ctx.clone(), navigator.clone(), error.clone(), busy.clone(), body.clone(), target.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let data = object(vec![
                ("participant_id", Value::from(pid.to_string())),
                ("text", text(&body)),
                ("target_date", opt_date(&target)),
                ("status", Value::from("open")),
            ]);
            let data = match RecordData::parse(Kind::PlanGoal, &data) {
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

    let err = |field: &str| error_at(texts, &error, field);
    html! {
        <form class="record-form" onsubmit={onsubmit} novalidate=true aria-labelledby="form-title">
            <h1 id="form-title">{ (texts.goal_title)(&name) }</h1>
            <FormError message={summary(texts, &error, &FIELDS)} />
            <TextArea id="goal-text" testid="goal-text" label={texts.goal_text_label} value={(*body).clone()}
                oninput={setter(&body)} rows={3} error={err("text")} />
            <Input id="goal-target-date" testid="goal-target-date" label={texts.goal_target_label} input_type="date"
                value={(*target).clone()} oninput={setter(&target)} optional=true error={err("target_date")} />
            <SubmitBar testid="goal-submit" busy={*busy} />
        </form>
    }
}
