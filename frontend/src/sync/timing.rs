//! User Timing measures of the sync engine (`performance.measure`): each
//! sync leaves `stegvis:push`, `stegvis:pull` and `stegvis:sync` measures
//! whose `detail` says what they moved, for the browser's performance panel
//! and `cargo xtask bench` (which reads them instead of polling the page).
//! A few calls per sync.

use wasm_bindgen::{JsCast, JsValue};

fn performance() -> Option<JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance")).ok().filter(|p| !p.is_undefined())
}

fn call(method: &str, args: &[JsValue]) -> Option<JsValue> {
    let performance = performance()?;
    let function: js_sys::Function =
        js_sys::Reflect::get(&performance, &JsValue::from_str(method)).ok()?.dyn_into().ok()?;
    let args: js_sys::Array = args.iter().collect();
    function.apply(&performance, &args).ok()
}

/// `performance.now()` (0 where there is none).
pub fn now() -> f64 {
    call("now", &[]).and_then(|v| v.as_f64()).unwrap_or(0.0)
}

/// A measure `name` from `start` (a [`now`]) to now, with `detail`.
/// Best effort: a browser without User Timing just has no measures.
pub fn measure(name: &str, start: f64, detail: &[(&str, f64)]) {
    let details = js_sys::Object::new();
    for (key, value) in detail {
        let _ = js_sys::Reflect::set(&details, &JsValue::from_str(key), &JsValue::from_f64(*value));
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("start"), &JsValue::from_f64(start));
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("detail"), &details);
    call("measure", &[JsValue::from_str(name), options.into()]);
}
