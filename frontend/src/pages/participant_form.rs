//! The new participant form (coaches create them in the field too).

use serde_json::Value;
use shared::{FieldError, Kind, RecordData, Role};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::link::go;
use crate::components::{Checkbox, FormError, Input, Select, SubmitBar};
use crate::i18n::use_texts;
use crate::pages::form::{error_at, object, program_options, save, setter, summary, text};
use crate::repo::new_record_id;
use crate::state::{clock, use_ctx};

const FIELDS: [&str; 6] = ["display_name", "languages", "needs_interpreter", "started_on", "status", "coach_id"];

/// `"arabiska, engelska"` → `["arabiska", "engelska"]`.
fn languages(text: &str) -> Value {
    Value::Array(text.split([',', ';']).map(str::trim).filter(|l| !l.is_empty()).map(Value::from).collect())
}

#[component]
pub fn ParticipantForm() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let navigator = use_navigator();
    let name = use_state(String::new);
    let langs = use_state(String::new);
    let interpreter = use_state(|| false);
    let started = use_state(clock::today_input);
    let program = use_state(String::new);
    let error = use_state(|| None::<FieldError>);
    let busy = use_state(|| false);

    let Some(ctx) = ctx else {
        return html! {};
    };
    if !ctx.may_write(Kind::Participant) {
        return html! { <p class="notice">{ texts.not_allowed }</p> };
    }
    let programs = ctx.user.user.program_ids.clone();
    let chosen_program: Option<Uuid> =
        Uuid::try_parse(&program).ok().filter(|p| programs.contains(p)).or_else(|| programs.first().copied());

    let onsubmit = {
        let (ctx, navigator, error, busy) = (ctx.clone(), navigator.clone(), error.clone(), busy.clone());
        let (name, langs, interpreter, started) = (name.clone(), langs.clone(), interpreter.clone(), started.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let me = &ctx.user.user;
            let coach = if me.role == Role::Coach { Value::from(me.id.to_string()) } else { Value::Null };
            let data = object(vec![
                ("display_name", text(&name)),
                ("languages", languages(&langs)),
                ("needs_interpreter", Value::from(*interpreter)),
                ("coach_id", coach),
                ("status", Value::from("active")),
                ("started_on", text(started.trim())),
            ]);
            let data = match RecordData::parse(Kind::Participant, &data) {
                Ok(data) => data,
                Err(err) => return error.set(Some(err)),
            };
            let Some(program_id) = chosen_program else {
                return error.set(Some(FieldError::new("program", "is required")));
            };
            error.set(None);
            busy.set(true);
            let (ctx, navigator, busy) = (ctx.clone(), navigator.clone(), busy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let id = new_record_id();
                let saved = save(&ctx, program_id, id, data).await;
                busy.set(false);
                if saved.is_ok()
                    && let Some(navigator) = &navigator
                {
                    go(navigator, &Route::Participant { id: id.to_string() }, None);
                }
            });
        })
    };

    let err = |field: &str| error_at(texts, &error, field);
    let on_interpreter = {
        let interpreter = interpreter.clone();
        Callback::from(move |checked: bool| interpreter.set(checked))
    };
    html! {
        <form class="record-form" onsubmit={onsubmit} novalidate=true aria-labelledby="form-title">
            <h1 id="form-title">{ texts.participant_title }</h1>
            <FormError message={summary(texts, &error, &FIELDS)} />
            if programs.len() > 1 {
                <Select id="program-select" testid="program-select" label={texts.program}
                    value={chosen_program.map(|p| p.to_string()).unwrap_or_default()} onchange={setter(&program)}
                    options={program_options(texts, &ctx)} error={err("program")} />
            }
            <Input id="participant-name-input" testid="participant-name-input" label={texts.participant_name_label}
                hint={AttrValue::from(texts.participant_name_hint)} value={(*name).clone()} oninput={setter(&name)}
                autocomplete="off" error={err("display_name")} />
            <Input id="participant-languages" testid="participant-languages" label={texts.participant_languages_label}
                hint={AttrValue::from(texts.participant_languages_hint)} value={(*langs).clone()}
                oninput={setter(&langs)} optional=true autocomplete="off" error={err("languages")} />
            <Checkbox id="participant-interpreter" testid="participant-interpreter"
                label={texts.participant_interpreter_label} checked={*interpreter} onchange={on_interpreter}
                error={err("needs_interpreter")} />
            <Input id="participant-started-on" testid="participant-started-on" label={texts.participant_started_label}
                input_type="date" value={(*started).clone()} oninput={setter(&started)} error={err("started_on")} />
            <SubmitBar testid="participant-submit" busy={*busy} />
        </form>
    }
}
