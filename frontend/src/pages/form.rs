//! What the forms share: reading `?participant=…` from the URL, turning
//! inputs into the JSON `RecordData::parse` checks, showing its `FieldError`
//! at the right field, and saving through the repo (toast only after the write).

use serde_json::Value;
use shared::{FieldError, RecordData};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::i18n::Texts;
use crate::repo::{AppError, LocalRecord};
use crate::state::{Ctx, RecordsAction, UiAction};

/// A query parameter of the current URL (`?participant=…&site=…`).
#[hook]
pub fn use_query_param(name: &'static str) -> Option<String> {
    let location = use_location();
    location.and_then(|l| query_param(l.query_str(), name))
}

/// `name`'s value in a query string (with or without the leading `?`).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query.trim_start_matches('?').split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name && !value.is_empty()).then(|| value.to_owned())
    })
}

/// A UUID query parameter.
#[hook]
pub fn use_query_id(name: &'static str) -> Option<Uuid> {
    use_query_param(name).and_then(|v| Uuid::try_parse(&v).ok())
}

/// Trimmed text, or `null` when empty (optional fields).
pub fn opt_text(text: &str) -> Value {
    let text = text.trim();
    if text.is_empty() { Value::Null } else { Value::from(text) }
}

/// Text as is; `parse` trims it and names the field if it is empty.
pub fn text(text: &str) -> Value {
    Value::from(text)
}

/// A number typed in a field (`7,5` or `7.5`); the text itself when it is
/// not a number (so `parse` names the field); `null` when empty.
pub fn number(text: &str) -> Value {
    let t = text.trim().replace(',', ".");
    if t.is_empty() {
        return Value::Null;
    }
    if let Ok(i) = t.parse::<i64>() {
        return Value::from(i);
    }
    match crate::platform::parse_decimal(&t) {
        Some(f) => Value::from(f),
        None => Value::from(text.trim()),
    }
}

/// A `datetime-local` field as an RFC 3339 time: `null` when empty.
pub fn time_input(text: &str) -> Value {
    if text.trim().is_empty() { Value::Null } else { Value::from(crate::state::clock::input_to_rfc3339(text)) }
}

/// A date field: `null` when empty.
pub fn opt_date(text: &str) -> Value {
    opt_text(text)
}

/// Builds a JSON object from `(key, value)` pairs, leaving out `null`s.
pub fn object(pairs: Vec<(&str, Value)>) -> Value {
    // Inserted one by one: collecting into the map would compile one more sort (issue 6).
    let mut map = serde_json::Map::new();
    for (key, value) in pairs {
        if !value.is_null() {
            map.insert(key.to_owned(), value);
        }
    }
    Value::Object(map)
}

/// Whether a `FieldError` path belongs to the input named `field`
/// (`exit.outcome` and `attendees[2].status` belong to `exit` and `attendees`).
pub fn belongs_to(error_field: &str, field: &str) -> bool {
    error_field == field
        || error_field.strip_prefix(field).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// The translated error to show at `field`, if the error is about it.
pub fn error_at(texts: &Texts, error: &Option<FieldError>, field: &str) -> Option<AttrValue> {
    error.as_ref().filter(|e| belongs_to(&e.field, field)).map(|e| AttrValue::from((texts.field_message)(&e.message)))
}

/// The form-level message: always the summary, plus the error itself when it
/// names a field this form has no input for.
pub fn summary(texts: &Texts, error: &Option<FieldError>, fields: &[&str]) -> Option<AttrValue> {
    let error = error.as_ref()?;
    if fields.iter().any(|f| belongs_to(&error.field, f)) {
        Some(AttrValue::from(texts.form_errors))
    } else {
        Some(AttrValue::from(format!("{} ({})", (texts.field_message)(&error.message), error.field)))
    }
}

/// The text of a save error, for the storage-error banner.
pub fn error_text(err: &AppError) -> String {
    err.to_string()
}

/// Saves `data` as `record_id` of `program_id` through the repo. Only after
/// the write resolved: the toast shows and the scheduler is nudged; once the
/// toast is on screen, the record goes into memory (with ten thousand records
/// on the phone, the pages that list them take longer to render than the save
/// took, and "saved" should not wait for them). An error shows the
/// storage-error banner.
pub async fn save(ctx: &Ctx, program_id: Uuid, record_id: Uuid, data: RecordData) -> Result<LocalRecord, AppError> {
    ctx.ui.dispatch(UiAction::Saving);
    match ctx.core.repo.save(program_id, record_id, data).await {
        Ok(record) => {
            ctx.ui.dispatch(UiAction::Saved);
            ctx.core.nudge();
            gloo::timers::future::TimeoutFuture::new(0).await;
            ctx.records.dispatch(RecordsAction::Upsert(record.clone()));
            Ok(record)
        }
        Err(err) => {
            ctx.ui.dispatch(UiAction::SaveFailed(error_text(&err)));
            Err(err)
        }
    }
}

/// Reads an input's `String` state setter as an `oninput` callback.
pub fn setter(state: &UseStateHandle<String>) -> Callback<String> {
    let state = state.clone();
    Callback::from(move |value: String| state.set(value))
}

/// The program choices of the user, `(id, label)`.
pub fn program_options(texts: &Texts, ctx: &Ctx) -> Vec<(AttrValue, AttrValue)> {
    ctx.user
        .user
        .program_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (AttrValue::from(id.to_string()), AttrValue::from((texts.program_name)(i + 1))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn reads_query_params() {
        assert_eq!(query_param("?participant=abc&site=x", "participant").as_deref(), Some("abc"));
        assert_eq!(query_param("participant=abc&site=x", "site").as_deref(), Some("x"));
        assert_eq!(query_param("?participant=", "participant"), None);
        assert_eq!(query_param("", "participant"), None);
    }

    #[wasm_bindgen_test]
    fn error_paths_belong_to_their_input() {
        assert!(belongs_to("exit.outcome", "exit"));
        assert!(belongs_to("attendees[2].status", "attendees"));
        assert!(belongs_to("note", "note"));
        assert!(!belongs_to("next_step", "next"));
    }

    #[wasm_bindgen_test]
    fn numbers_accept_a_decimal_comma() {
        assert_eq!(number("7,5"), Value::from(7.5));
        assert_eq!(number(" 6 "), Value::from(6));
        assert_eq!(number("sex"), Value::from("sex"));
        assert_eq!(number(""), Value::Null);
    }
}
