//! The new site form: the employer and its supervisor.

use shared::{FieldError, Kind, RecordData};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::link::go;
use crate::components::{FormError, Input, Select, SubmitBar};
use crate::i18n::use_texts;
use crate::pages::form::{error_at, object, opt_text, program_options, save, setter, summary, text};
use crate::repo::new_record_id;
use crate::state::use_ctx;

const FIELDS: [&str; 4] = ["employer", "address", "supervisor_name", "supervisor_phone"];

#[component]
pub fn SiteForm() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let navigator = use_navigator();
    let employer = use_state(String::new);
    let address = use_state(String::new);
    let supervisor = use_state(String::new);
    let phone = use_state(String::new);
    let program = use_state(String::new);
    let error = use_state(|| None::<FieldError>);
    let busy = use_state(|| false);

    let Some(ctx) = ctx else {
        return html! {};
    };
    if !ctx.may_write(Kind::Site) {
        return html! { <p class="notice">{ texts.not_allowed }</p> };
    }
    let programs = ctx.user.user.program_ids.clone();
    let chosen_program: Option<Uuid> =
        Uuid::try_parse(&program).ok().filter(|p| programs.contains(p)).or_else(|| programs.first().copied());

    let onsubmit = {
        let (ctx, navigator, error, busy) = (ctx.clone(), navigator.clone(), error.clone(), busy.clone());
        let (employer, address, supervisor, phone) =
            (employer.clone(), address.clone(), supervisor.clone(), phone.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let data = object(vec![
                ("employer", text(&employer)),
                ("address", opt_text(&address)),
                ("supervisor_name", opt_text(&supervisor)),
                ("supervisor_phone", opt_text(&phone)),
            ]);
            let data = match RecordData::parse(Kind::Site, &data) {
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
                let saved = save(&ctx, program_id, new_record_id(), data).await;
                busy.set(false);
                if saved.is_ok()
                    && let Some(navigator) = &navigator
                {
                    go(navigator, &Route::Participants, None);
                }
            });
        })
    };

    let err = |field: &str| error_at(texts, &error, field);
    html! {
        <form class="record-form" onsubmit={onsubmit} novalidate=true aria-labelledby="form-title">
            <h1 id="form-title">{ texts.site_title }</h1>
            <FormError message={summary(texts, &error, &FIELDS)} />
            if programs.len() > 1 {
                <Select id="program-select" testid="program-select" label={texts.program}
                    value={chosen_program.map(|p| p.to_string()).unwrap_or_default()} onchange={setter(&program)}
                    options={program_options(texts, &ctx)} error={err("program")} />
            }
            <Input id="site-employer" testid="site-employer" label={texts.site_employer_label}
                value={(*employer).clone()} oninput={setter(&employer)} autocomplete="organization"
                error={err("employer")} />
            <Input id="site-address" testid="site-address" label={texts.site_address_label} value={(*address).clone()}
                oninput={setter(&address)} optional=true autocomplete="street-address" error={err("address")} />
            <Input id="site-supervisor-name" testid="site-supervisor-name" label={texts.site_supervisor_name_label}
                value={(*supervisor).clone()} oninput={setter(&supervisor)} optional=true autocomplete="off"
                error={err("supervisor_name")} />
            <Input id="site-supervisor-phone" testid="site-supervisor-phone" label={texts.site_supervisor_phone_label}
                input_type="tel" value={(*phone).clone()} oninput={setter(&phone)} optional=true autocomplete="off"
                error={err("supervisor_phone")} />
            <SubmitBar testid="site-submit" busy={*busy} />
        </form>
    }
}
