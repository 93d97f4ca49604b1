//! Form fields with a visible label, an optional hint and the field's
//! validation error next to it (`field-error`, linked by `aria-describedby`).

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::use_texts;
use crate::state::{UiAction, use_ctx};

/// `aria-describedby` of a field: its hint and its error, when shown.
fn described_by(id: &str, hint: bool, error: bool) -> Option<AttrValue> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| AttrValue::from(ids.join(" ")))
}

/// The label text, with "(optional)" when the field may stay empty.
fn label_html(label: &AttrValue, optional: bool, optional_word: &str) -> Html {
    html! {
        <>
            { label.clone() }
            if optional { <span class="optional">{ format!(" ({optional_word})") }</span> }
        </>
    }
}

fn hint_and_error(id: &str, hint: &Option<AttrValue>, error: &Option<AttrValue>) -> Html {
    html! {
        <>
            if let Some(hint) = hint { <p id={format!("{id}-hint")} class="hint">{ hint.clone() }</p> }
            if let Some(error) = error {
                <p id={format!("{id}-error")} class="field-error" data-testid="field-error">{ error.clone() }</p>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct InputProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub testid: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// `text`, `date`, `datetime-local`, `number`, `tel`, `password`.
    #[prop_or(AttrValue::from("text"))]
    pub input_type: AttrValue,
    #[prop_or_default]
    pub optional: bool,
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub min: Option<AttrValue>,
    #[prop_or_default]
    pub max: Option<AttrValue>,
    #[prop_or_default]
    pub step: Option<AttrValue>,
    #[prop_or_default]
    pub maxlength: Option<AttrValue>,
}

#[component]
pub fn Input(props: &InputProps) -> Html {
    let texts = use_texts();
    let oninput = {
        let cb = props.oninput.clone();
        Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    // Some changes come without an `input` event (autofill, a driver's clear).
    let onchange = {
        let cb = props.oninput.clone();
        Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let id = props.id.as_str();
    html! {
        <div class={classes!("field", props.error.is_some().then_some("has-error"))}>
            <label for={props.id.clone()}>{ label_html(&props.label, props.optional, texts.optional) }</label>
            <input id={props.id.clone()} name={props.id.clone()} type={props.input_type.clone()}
                data-testid={props.testid.clone()} value={props.value.clone()} oninput={oninput} onchange={onchange}
                required={!props.optional}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={described_by(id, props.hint.is_some(), props.error.is_some())}
                inputmode={props.inputmode.clone()} autocomplete={props.autocomplete.clone()}
                min={props.min.clone()} max={props.max.clone()} step={props.step.clone()}
                maxlength={props.maxlength.clone()} />
            { hint_and_error(id, &props.hint, &props.error) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct TextAreaProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub testid: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub optional: bool,
    #[prop_or(4)]
    pub rows: u32,
}

#[component]
pub fn TextArea(props: &TextAreaProps) -> Html {
    let texts = use_texts();
    let oninput = {
        let cb = props.oninput.clone();
        Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let onchange = {
        let cb = props.oninput.clone();
        Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let id = props.id.as_str();
    html! {
        <div class={classes!("field", props.error.is_some().then_some("has-error"))}>
            <label for={props.id.clone()}>{ label_html(&props.label, props.optional, texts.optional) }</label>
            <textarea id={props.id.clone()} name={props.id.clone()} data-testid={props.testid.clone()}
                value={props.value.clone()} oninput={oninput} onchange={onchange} rows={props.rows.to_string()}
                required={!props.optional}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={described_by(id, props.hint.is_some(), props.error.is_some())} />
            { hint_and_error(id, &props.hint, &props.error) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub testid: AttrValue,
    pub value: AttrValue,
    pub onchange: Callback<String>,
    /// `(value, label)` in order.
    pub options: Vec<(AttrValue, AttrValue)>,
    /// A first option with an empty value and this label.
    #[prop_or_default]
    pub empty: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub optional: bool,
}

#[component]
pub fn Select(props: &SelectProps) -> Html {
    let texts = use_texts();
    let onchange = {
        let cb = props.onchange.clone();
        Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let id = props.id.as_str();
    html! {
        <div class={classes!("field", props.error.is_some().then_some("has-error"))}>
            <label for={props.id.clone()}>{ label_html(&props.label, props.optional, texts.optional) }</label>
            <select id={props.id.clone()} name={props.id.clone()} data-testid={props.testid.clone()}
                onchange={onchange} required={!props.optional}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={described_by(id, props.hint.is_some(), props.error.is_some())}>
                if let Some(empty) = &props.empty {
                    <option value="" selected={props.value.is_empty()}>{ empty.clone() }</option>
                }
                { for props.options.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={*value == props.value}>{ label.clone() }</option>
                }) }
            </select>
            { hint_and_error(id, &props.hint, &props.error) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckboxProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub testid: AttrValue,
    pub checked: bool,
    pub onchange: Callback<bool>,
    #[prop_or_default]
    pub data_participant_id: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[component]
pub fn Checkbox(props: &CheckboxProps) -> Html {
    let onchange = {
        let cb = props.onchange.clone();
        Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let id = props.id.as_str();
    html! {
        <div class={classes!("check", props.error.is_some().then_some("has-error"))}>
            <input id={props.id.clone()} type="checkbox" data-testid={props.testid.clone()}
                data-participant-id={props.data_participant_id.clone()}
                checked={props.checked} onchange={onchange}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={described_by(id, false, props.error.is_some())} />
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            { hint_and_error(id, &None, &props.error) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FormErrorProps {
    /// An error that belongs to no single field (or to a field the form lacks).
    #[prop_or_default]
    pub message: Option<AttrValue>,
}

/// The form's error summary: an `aria-live` region announcing the problem.
/// A new problem hides an earlier "saved" toast.
#[component]
pub fn FormError(props: &FormErrorProps) -> Html {
    let ctx = use_ctx();
    use_effect_with(props.message.clone(), move |message| {
        if let (Some(_), Some(ctx)) = (message, ctx) {
            ctx.ui.dispatch(UiAction::ClearToast);
        }
    });
    html! {
        <div class="form-error" role="alert" aria-live="assertive">
            if let Some(message) = &props.message { <p>{ message.clone() }</p> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SubmitBarProps {
    pub testid: AttrValue,
    pub busy: bool,
    #[prop_or_default]
    pub disabled: bool,
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// The form's primary action, low on the screen within thumb reach.
#[component]
pub fn SubmitBar(props: &SubmitBarProps) -> Html {
    let texts = use_texts();
    let label = props.label.clone().unwrap_or_else(|| AttrValue::from(texts.save));
    html! {
        <div class="submit-bar">
            <button type="submit" class="primary big" data-testid={props.testid.clone()}
                disabled={props.busy || props.disabled} aria-busy={props.busy.then_some("true")}>
                { if props.busy { AttrValue::from(texts.saving) } else { label } }
            </button>
        </div>
    }
}
