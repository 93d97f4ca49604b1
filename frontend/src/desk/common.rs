//! What the desk screens share: loading a request into state (with the
//! loading / ready / error line screen readers hear), the pager, links to
//! desk routes, CSV downloads with the bearer token, and small formatters.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use serde_json::Value;
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{DeskCtx, DeskRoute};
use shared::Kind;
use shared::records::{AttendanceStatus, FollowUpStatus, GoalStatus, NoteCategory, ParticipantStatus, VisitType};

use crate::i18n::{DeskTexts, Texts, use_desk_texts};
use crate::repo::AppError;

/// Rows per page of the desk's lists and reports.
pub const PAGE: i64 = 100;

/// `0192f5a4…`: an id to show when no name is known.
pub fn short_id(id: Uuid) -> String {
    let text = id.to_string();
    format!("{}…", &text[..8])
}

/// What to tell the user about a failed request: the API's message when it sent one.
pub fn error_text(t: &DeskTexts, err: &AppError) -> String {
    match err {
        AppError::Http { message, .. } if !message.is_empty() => message.clone(),
        AppError::Offline => t.offline.to_owned(),
        AppError::SessionExpired => t.session_expired.to_owned(),
        AppError::SessionRevoked => t.session_revoked.to_owned(),
        AppError::RateLimited { .. } => t.rate_limited.to_owned(),
        other => other.to_string(),
    }
}

/// The state of one request.
#[derive(Debug, PartialEq)]
pub enum Load<T> {
    Idle,
    Loading,
    Ready(Rc<T>),
    Failed(String),
}

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        match self {
            Load::Idle => Load::Idle,
            Load::Loading => Load::Loading,
            Load::Ready(value) => Load::Ready(value.clone()),
            Load::Failed(message) => Load::Failed(message.clone()),
        }
    }
}

impl<T> Load<T> {
    pub fn ready(&self) -> Option<&Rc<T>> {
        match self {
            Load::Ready(value) => Some(value),
            _ => None,
        }
    }

    /// The `data-state` value: `idle`, `loading`, `ready` or `error`.
    pub fn state(&self) -> &'static str {
        match self {
            Load::Idle => "idle",
            Load::Loading => "loading",
            Load::Ready(_) => "ready",
            Load::Failed(_) => "error",
        }
    }
}

/// A request's state plus a generation counter, so that only the answer to
/// the latest request lands (a slow earlier search never overwrites a newer one).
pub struct Loader<T: 'static> {
    pub state: UseStateHandle<Load<T>>,
    generation: Rc<Cell<u64>>,
}

impl<T> Clone for Loader<T> {
    fn clone(&self) -> Self {
        Loader { state: self.state.clone(), generation: self.generation.clone() }
    }
}

#[hook]
pub fn use_loader<T: 'static>() -> Loader<T> {
    let state = use_state(|| Load::Idle);
    let generation = use_memo((), |_| Cell::new(0_u64));
    Loader { state, generation: Rc::clone(&generation) }
}

impl<T: 'static> Loader<T> {
    /// Runs `fetch` with the token; the state goes to loading, then ready or error
    /// (a 401 is also reported to the shell).
    pub fn run<F, Fut>(&self, ctx: &DeskCtx, fetch: F)
    where
        F: FnOnce(String) -> Fut + 'static,
        Fut: Future<Output = Result<T, AppError>> + 'static,
    {
        let t = ctx.lang.desk();
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        let token = match ctx.token() {
            Ok(token) => token,
            Err(err) => {
                self.state.set(Load::Failed(error_text(t, &err)));
                return;
            }
        };
        self.state.set(Load::Loading);
        let (state, current, on_error) = (self.state.clone(), self.generation.clone(), ctx.on_error.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let result = fetch(token).await;
            if current.get() != generation {
                return;
            }
            match result {
                Ok(value) => state.set(Load::Ready(Rc::new(value))),
                Err(err) => {
                    state.set(Load::Failed(error_text(t, &err)));
                    on_error.emit(err);
                }
            }
        });
    }
}

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub testid: AttrValue,
    /// `data-state` and the text come from it.
    pub state: &'static str,
    #[prop_or_default]
    pub error: Option<String>,
    /// Said when ready (e.g. "12 rows").
    #[prop_or_default]
    pub ready_text: Option<String>,
}

/// The line that says loading / ready / the error (`aria-live`).
#[component]
pub fn StatusLine(props: &StatusProps) -> Html {
    let t = use_desk_texts();
    let text = match props.state {
        "loading" => t.loading.to_owned(),
        "error" => props.error.clone().unwrap_or_default(),
        "ready" => props.ready_text.clone().unwrap_or_else(|| t.ready.to_owned()),
        _ => String::new(),
    };
    let class = classes!("desk-status", (props.state == "error").then_some("desk-status-error"));
    html! {
        <p class={class} data-testid={props.testid.clone()} data-state={props.state} role="status" aria-live="polite">
            { text }
        </p>
    }
}

/// `<StatusLine>` of a `Load`.
pub fn status_of<T>(testid: &'static str, load: &Load<T>, ready_text: Option<String>) -> Html {
    let error = match load {
        Load::Failed(message) => Some(message.clone()),
        _ => None,
    };
    html! { <StatusLine testid={testid} state={load.state()} error={error} ready_text={ready_text} /> }
}

#[derive(Properties, PartialEq)]
pub struct PagerProps {
    pub total: i64,
    pub offset: i64,
    #[prop_or(PAGE)]
    pub limit: i64,
    pub on_change: Callback<i64>,
}

/// "1–100 of 340" with previous / next buttons.
#[component]
pub fn Pager(props: &PagerProps) -> Html {
    let t = use_desk_texts();
    if props.total <= props.limit && props.offset == 0 {
        return html! {};
    }
    let first = if props.total == 0 { 0 } else { props.offset + 1 };
    let last = (props.offset + props.limit).min(props.total);
    let prev = {
        let (cb, offset, limit) = (props.on_change.clone(), props.offset, props.limit);
        Callback::from(move |_: MouseEvent| cb.emit((offset - limit).max(0)))
    };
    let next = {
        let (cb, offset, limit) = (props.on_change.clone(), props.offset, props.limit);
        Callback::from(move |_: MouseEvent| cb.emit(offset + limit))
    };
    html! {
        <nav class="pager" aria-label={t.pager_label}>
            <button type="button" data-testid="page-prev" onclick={prev} disabled={props.offset == 0}>
                { t.page_prev }</button>
            <span>{ (t.page_range)(first, last, props.total) }</span>
            <button type="button" data-testid="page-next" onclick={next} disabled={last >= props.total}>
                { t.page_next }</button>
        </nav>
    }
}

#[derive(Properties, PartialEq)]
pub struct DeskLinkProps {
    pub to: DeskRoute,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    #[prop_or_default]
    pub aria_current: Option<AttrValue>,
    #[prop_or_default]
    pub aria_label: Option<AttrValue>,
    #[prop_or_default]
    pub data_record_id: Option<AttrValue>,
    #[prop_or_default]
    pub data_participant_id: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

/// An `<a>` to a desk route that navigates in the app.
#[component]
pub fn DeskLink(props: &DeskLinkProps) -> Html {
    let navigator = use_navigator();
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |e: MouseEvent| {
            if e.meta_key() || e.ctrl_key() || e.shift_key() || e.alt_key() {
                return;
            }
            if let Some(navigator) = &navigator {
                e.prevent_default();
                navigator.push(&to);
            }
        })
    };
    html! {
        <a href={props.to.to_path()} class={props.class.clone()} data-testid={props.testid.clone()}
            aria-current={props.aria_current.clone()} aria-label={props.aria_label.clone()}
            data-record-id={props.data_record_id.clone()} data-participant-id={props.data_participant_id.clone()}
            onclick={onclick}>
            { props.children.clone() }
        </a>
    }
}

/// Offers `bytes` as a file download named `filename` (a temporary `<a download>`).
pub fn download(bytes: &[u8], filename: &str, mime: &str) -> Result<(), AppError> {
    let blob = gloo::file::Blob::new_with_options(bytes, Some(mime));
    let url = gloo::file::ObjectUrl::from(blob);
    let document =
        web_sys::window().and_then(|w| w.document()).ok_or_else(|| AppError::Browser("no document".into()))?;
    let anchor = document.create_element("a").map_err(|e| AppError::browser("download", &e))?;
    anchor.set_attribute("href", &url).map_err(|e| AppError::browser("download", &e))?;
    anchor.set_attribute("download", filename).map_err(|e| AppError::browser("download", &e))?;
    anchor.set_attribute("class", "visually-hidden").map_err(|e| AppError::browser("download", &e))?;
    let body = document.body().ok_or_else(|| AppError::Browser("no body".into()))?;
    let _ = body.append_child(&anchor);
    if let Ok(anchor) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(anchor.clone()) {
        anchor.click();
    }
    let _ = body.remove_child(&anchor);
    // Keep the object URL alive until the browser has started the download.
    gloo::timers::callback::Timeout::new(30_000, move || drop(url)).forget();
    Ok(())
}

/// A JSON value as plain text: strings without quotes, `–` for null.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Null => "–".to_owned(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Object(_) => value.to_string(),
    }
}

/// A field value as the desk shows it: the closed vocabularies (statuses,
/// visit types, note categories) in the user's language with the stored
/// word after it, everything else as [`value_text`].
pub fn field_value_text(texts: &Texts, kind: Kind, field: &str, value: &Value) -> String {
    let Some(word) = value.as_str() else {
        return value_text(value);
    };
    let label = match (kind, field) {
        (Kind::Attendance, "status") => word.parse::<AttendanceStatus>().ok().map(texts.attendance_label),
        (Kind::Participant, "status") => word.parse::<ParticipantStatus>().ok().map(texts.participant_status),
        (Kind::Visit, "type") => word.parse::<VisitType>().ok().map(texts.visit_type),
        (Kind::MentorNote, "category") => word.parse::<NoteCategory>().ok().map(texts.note_category),
        (Kind::PlanGoal, "status") => word.parse::<GoalStatus>().ok().map(texts.goal_status),
        (Kind::FollowUp, "status") => word.parse::<FollowUpStatus>().ok().map(texts.follow_up_status),
        _ => None,
    };
    match label {
        Some(label) => format!("{label} ({word})"),
        None => word.to_owned(),
    }
}

/// The fields of a record's `data` that differ between two versions (all of `new` when there is no `old`).
pub fn changed_fields(old: Option<&Value>, new: &Value) -> Vec<(String, Option<Value>, Option<Value>)> {
    let empty = serde_json::Map::new();
    let new_map = new.as_object().unwrap_or(&empty);
    let old_map = old.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = new_map.keys().chain(old_map.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| new_map.get(*k) != old_map.get(*k))
        .map(|k| ((*k).clone(), old_map.get(k).cloned(), new_map.get(k).cloned()))
        .collect()
}

/// `YYYY-MM` of today.
pub fn this_month() -> String {
    let today = crate::state::clock::today();
    format!("{:04}-{:02}", today.year(), u8::from(today.month()))
}

/// The device id of an HLC (`millis:counter:device`).
pub fn hlc_device(hlc: &str) -> String {
    hlc.rsplit(':').next().unwrap_or_default().to_owned()
}

/// The moment of an HLC, as local date and time.
pub fn hlc_time(hlc: &str) -> Option<String> {
    let millis: f64 = hlc.split(':').next()?.parse().ok()?;
    Some(crate::i18n::format::date_time(crate::state::clock::from_ms(millis)))
}

/// The value of a text input or select from its event.
pub fn input_value(e: &Event) -> String {
    if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
        input.value()
    } else if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
        select.value()
    } else if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
        area.value()
    } else {
        String::new()
    }
}

/// A callback that sets a string state from an `input`/`change` event.
pub fn setter(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| state.set(input_value(&e)))
}

/// A callback that sets a string state from an `input` event.
pub fn input_setter(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| state.set(input_value(&e)))
}

/// Options of a `<select>`: an optional empty first entry, then `(value, label)`.
pub fn options(empty: Option<&str>, items: &[(AttrValue, AttrValue)], selected: &str) -> Html {
    html! {
        <>
            if let Some(empty) = empty {
                <option value="" selected={selected.is_empty()}>{ empty.to_owned() }</option>
            }
            { for items.iter().map(|(value, label)| html! {
                <option value={value.clone()} selected={value.as_str() == selected}>{ label.clone() }</option>
            }) }
        </>
    }
}
