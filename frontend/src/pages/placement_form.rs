//! The new placement form: an internship of a participant at a site, on
//! some weekdays, so many hours a day.

use std::collections::BTreeSet;

use serde_json::Value;
use shared::{FieldError, Kind, RecordData};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::link::go;
use crate::components::{Checkbox, FormError, Input, RouteLink, Select, SubmitBar};
use crate::i18n::use_texts;
use crate::pages::form::{error_at, number, object, opt_date, opt_text, save, setter, summary, text, use_query_id};
use crate::repo::new_record_id;
use crate::state::{clock, queries, use_ctx};

const FIELDS: [&str; 7] = ["participant_id", "site_id", "starts_on", "ends_on", "weekdays", "hours_per_day", "focus"];

#[component]
pub fn PlacementForm() -> Html {
    let texts = use_texts();
    let ctx = use_ctx();
    let navigator = use_navigator();
    let participant_id = use_query_id("participant");
    let site = use_state(String::new);
    let starts = use_state(clock::today_input);
    let ends = use_state(String::new);
    // Monday to Friday, inserted one by one (collecting would compile a sort, issue 6).
    let weekdays = use_state(|| {
        let mut days = BTreeSet::new();
        for day in 1u8..=5 {
            days.insert(day);
        }
        days
    });
    let hours = use_state(String::new);
    let focus = use_state(String::new);
    let error = use_state(|| None::<FieldError>);
    let busy = use_state(|| false);

    let Some(ctx) = ctx else {
        return html! {};
    };
    if !ctx.may_write(Kind::Placement) {
        return html! { <p class="notice">{ texts.not_allowed }</p> };
    }
    let records = ctx.records.list.clone();
    let Some((person_record, person)) = participant_id.and_then(|id| queries::participant(&records, id)) else {
        return html! { <p class="notice">{ texts.missing_participant }</p> };
    };
    let (pid, program_id) = (person_record.id, person_record.program_id);
    let name = person.display_name.as_str().to_owned();
    // A placement's site must be in the participant's program.
    let sites: Vec<_> = queries::sites(&records).into_iter().filter(|(r, _)| r.program_id == program_id).collect();

    let onsubmit = {
        let (ctx, navigator, error, busy) = (ctx.clone(), navigator.clone(), error.clone(), busy.clone());
        let (site, starts, ends, weekdays, hours, focus) =
            (site.clone(), starts.clone(), ends.clone(), weekdays.clone(), hours.clone(), focus.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let days: Vec<Value> = weekdays.iter().map(|d| Value::from(*d)).collect();
            let data = object(vec![
                ("participant_id", Value::from(pid.to_string())),
                ("site_id", text(site.trim())),
                ("starts_on", text(starts.trim())),
                ("ends_on", opt_date(&ends)),
                ("weekdays", Value::Array(days)),
                ("hours_per_day", number(&hours)),
                ("focus", opt_text(&focus)),
            ]);
            let data = match RecordData::parse(Kind::Placement, &data) {
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

    let site_options: Vec<(AttrValue, AttrValue)> = sites
        .iter()
        .map(|(r, s)| (AttrValue::from(r.id.to_string()), AttrValue::from(s.employer.as_str().to_owned())))
        .collect();
    let err = |field: &str| error_at(texts, &error, field);
    let weekday_error = err("weekdays");
    html! {
        <form class="record-form" onsubmit={onsubmit} novalidate=true aria-labelledby="form-title">
            <h1 id="form-title">{ (texts.placement_title)(&name) }</h1>
            <FormError message={summary(texts, &error, &FIELDS)} />
            if sites.is_empty() {
                <p class="notice">
                    { texts.placement_no_sites }{ " " }
                    <RouteLink to={Route::NewSite} testid="site-new">{ texts.new_site }</RouteLink>
                </p>
            }
            <Select id="placement-site" testid="placement-site" label={texts.placement_site_label}
                value={(*site).clone()} onchange={setter(&site)} options={site_options}
                empty={AttrValue::from(texts.choose)} error={err("site_id")} />
            <Input id="placement-starts-on" testid="placement-starts-on" label={texts.placement_starts_label}
                input_type="date" value={(*starts).clone()} oninput={setter(&starts)} error={err("starts_on")} />
            <Input id="placement-ends-on" testid="placement-ends-on" label={texts.placement_ends_label}
                input_type="date" value={(*ends).clone()} oninput={setter(&ends)} optional=true error={err("ends_on")} />
            <fieldset class="weekdays" aria-describedby={weekday_error.as_ref().map(|_| "placement-weekdays-error")}>
                <legend>{ texts.placement_weekdays_label }</legend>
                <div class="weekday-grid">
                    { for (1u8..=7).map(|day| {
                        let onchange = {
                            let weekdays = weekdays.clone();
                            Callback::from(move |checked: bool| {
                                let mut next = (*weekdays).clone();
                                if checked { next.insert(day); } else { next.remove(&day); }
                                weekdays.set(next);
                            })
                        };
                        html! {
                            <Checkbox id={format!("placement-weekday-{day}")} testid={format!("placement-weekday-{day}")}
                                label={(texts.weekday_short)(day)} checked={weekdays.contains(&day)} onchange={onchange} />
                        }
                    }) }
                </div>
                if let Some(message) = weekday_error {
                    <p id="placement-weekdays-error" class="field-error" data-testid="field-error">{ message }</p>
                }
            </fieldset>
            <Input id="placement-hours" testid="placement-hours" label={texts.placement_hours_label}
                input_type="text" inputmode="decimal" value={(*hours).clone()} oninput={setter(&hours)}
                error={err("hours_per_day")} />
            <Input id="placement-focus" testid="placement-focus" label={texts.placement_focus_label}
                value={(*focus).clone()} oninput={setter(&focus)} optional=true error={err("focus")} />
            <SubmitBar testid="placement-submit" busy={*busy} />
        </form>
    }
}
