//! Thin browser interop for the core and the UI: the clock, online/offline and
//! visibility events, `navigator.storage.persist()`, the service worker
//! (registration, "a new version is waiting", skip-waiting-and-reload), the
//! `caches` wipe and the `localStorage` flag that tells a vanished database
//! from a new device. Also home of [`AppError`].

pub mod error;

use std::rc::Rc;

use gloo::events::EventListener;
use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub use error::AppError;

/// The `localStorage` key saying "this browser held Stegvis data".
const HAD_DATA_KEY: &str = "stegvis.had_data";
/// Where the service worker is served (`dist/sw.js`, written by `cargo xtask build-app`).
const SW_URL: &str = "/sw.js";

/// Wall-clock time in unix milliseconds.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn window() -> Result<web_sys::Window, AppError> {
    web_sys::window().ok_or_else(|| AppError::Browser("no window".into()))
}

/// `navigator.onLine` (true when unknown).
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Whether the page is visible (true when unknown).
pub fn is_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Calls `on_change(online)` on the window's `online` and `offline` events while the
/// returned listeners live.
pub fn on_online_change(on_change: impl Fn(bool) + 'static) -> Vec<EventListener> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    let on_change = Rc::new(on_change);
    let online = on_change.clone();
    vec![
        EventListener::new(&window, "online", move |_| online(true)),
        EventListener::new(&window, "offline", move |_| on_change(false)),
    ]
}

/// Calls `on_change(visible)` on the document's `visibilitychange` while the listener lives.
pub fn on_visibility_change(on_change: impl Fn(bool) + 'static) -> Option<EventListener> {
    let document = web_sys::window()?.document()?;
    Some(EventListener::new(&document, "visibilitychange", move |_| on_change(is_visible())))
}

/// `navigator.storage.persist()`: `Some(true)` if the browser keeps our data under
/// storage pressure, `None` if the API is missing or failed.
pub async fn persist_storage() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.persist().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// `navigator.storage.persisted()` without asking.
pub async fn storage_persisted() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.persisted().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// Deletes every cache of this origin (the service worker's app shell).
pub async fn wipe_caches() -> Result<(), AppError> {
    let caches = window()?.caches().map_err(|e| AppError::browser("caches", &e))?;
    let keys = JsFuture::from(caches.keys()).await.map_err(|e| AppError::browser("caches.keys", &e))?;
    for key in Array::from(&keys).iter() {
        if let Some(name) = key.as_string() {
            JsFuture::from(caches.delete(&name)).await.map_err(|e| AppError::browser("caches.delete", &e))?;
        }
    }
    Ok(())
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether the `localStorage` flag says this browser held Stegvis data.
pub fn had_data() -> bool {
    local_storage().and_then(|s| s.get_item(HAD_DATA_KEY).ok().flatten()).is_some_and(|v| v == "1")
}

/// Sets or clears the "held data" flag (set after login, cleared by a wipe).
pub fn set_had_data(had: bool) {
    if let Some(storage) = local_storage() {
        let _ = if had { storage.set_item(HAD_DATA_KEY, "1") } else { storage.remove_item(HAD_DATA_KEY) };
    }
}

/// Registers `/sw.js` and calls `on_update_waiting()` once a new version of the app is
/// installed and waiting (only when a previous version controls the page). Does
/// nothing where service workers are unavailable.
pub async fn register_service_worker(on_update_waiting: impl Fn() + 'static) -> Result<(), AppError> {
    let window = window()?;
    let navigator = window.navigator();
    if !Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return Ok(());
    }
    let container = navigator.service_worker();
    let registration = JsFuture::from(container.register(SW_URL))
        .await
        .map_err(|e| AppError::browser("serviceWorker.register", &e))?;
    let registration: web_sys::ServiceWorkerRegistration =
        registration.dyn_into().map_err(|e| AppError::browser("serviceWorker.register", &e))?;
    let notify: Rc<dyn Fn()> = Rc::new(on_update_waiting);
    let has_controller =
        move || web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some());
    if registration.waiting().is_some() && has_controller() {
        notify();
    }
    let reg = registration.clone();
    EventListener::new(&registration, "updatefound", move |_| {
        let Some(installing) = reg.installing() else { return };
        let worker = installing.clone();
        let notify = notify.clone();
        EventListener::new(&installing, "statechange", move |_| {
            if worker.state() == web_sys::ServiceWorkerState::Installed && has_controller() {
                notify();
            }
        })
        .forget();
    })
    .forget();
    Ok(())
}

/// Least time between two background update checks.
const UPDATE_CHECK_EVERY_MS: f64 = 5.0 * 60_000.0;

thread_local! {
    static LAST_UPDATE_CHECK_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(f64::NEG_INFINITY) };
}

/// Starts a background update check: always when `now_anyway` is set, otherwise
/// unless one ran in the last five minutes.
pub fn check_for_update_now_and_then(now_anyway: bool) {
    let now = now_ms();
    if !now_anyway && now - LAST_UPDATE_CHECK_MS.with(std::cell::Cell::get) < UPDATE_CHECK_EVERY_MS {
        return;
    }
    LAST_UPDATE_CHECK_MS.with(|last| last.set(now));
    wasm_bindgen_futures::spawn_local(async {
        let _ = check_for_update().await;
    });
}

/// Asks the browser to look for a new service-worker version now (it also does on navigation).
pub async fn check_for_update() -> Result<(), AppError> {
    let registration = registration().await?;
    if let Some(registration) = registration {
        let promise = registration.update().map_err(|e| AppError::browser("registration.update", &e))?;
        JsFuture::from(promise).await.map_err(|e| AppError::browser("registration.update", &e))?;
    }
    Ok(())
}

async fn registration() -> Result<Option<web_sys::ServiceWorkerRegistration>, AppError> {
    let window = window()?;
    let navigator = window.navigator();
    if !Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return Ok(None);
    }
    let found = JsFuture::from(navigator.service_worker().get_registration())
        .await
        .map_err(|e| AppError::browser("serviceWorker.getRegistration", &e))?;
    Ok(found.dyn_into().ok())
}

/// Activates the waiting service worker and reloads once it controls the page; just
/// reloads when nothing is waiting. Call it only when no save is in flight.
pub async fn skip_waiting_and_reload() -> Result<(), AppError> {
    let window = window()?;
    let waiting = registration().await?.and_then(|r| r.waiting());
    match waiting {
        Some(worker) => {
            let container = window.navigator().service_worker();
            EventListener::once(&container, "controllerchange", move |_| {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            })
            .forget();
            let message = js_sys::Object::new();
            Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into())
                .map_err(|e| AppError::browser("postMessage", &e))?;
            worker.post_message(&message).map_err(|e| AppError::browser("postMessage", &e))?;
        }
        None => window.location().reload().map_err(|e| AppError::browser("reload", &e))?,
    }
    Ok(())
}

/// Awaits a JS promise, mapping a rejection with `context`.
pub(crate) async fn await_promise(promise: Promise, context: &str) -> Result<JsValue, AppError> {
    JsFuture::from(promise).await.map_err(|e| AppError::browser(context, &e))
}

/// Fills a buffer with cryptographically random bytes.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let crypto = window()?.crypto().map_err(|e| AppError::browser("crypto", &e))?;
    let mut bytes = [0u8; N];
    crypto.get_random_values_with_u8_array(&mut bytes).map_err(|e| AppError::browser("getRandomValues", &e))?;
    Ok(bytes)
}

/// A random number in `[0, 1)`.
pub fn random_unit() -> f64 {
    js_sys::Math::random()
}

/// `s` in lower case, by the browser (`String.prototype.toLowerCase`): the same
/// Unicode mapping as `str::to_lowercase` without shipping Rust's case tables
/// in the wasm.
pub fn lowercase(s: &str) -> String {
    js_sys::JsString::from(s).to_lower_case().into()
}

/// `s` in upper case, by the browser (see [`lowercase`]).
pub fn uppercase(s: &str) -> String {
    js_sys::JsString::from(s).to_upper_case().into()
}

/// A decimal number as JavaScript's `Number()` reads it, for text made of
/// digits, one sign, a decimal point and an exponent only (so no `0x…`, no
/// `Infinity`); `None` otherwise or when not finite. Saves Rust's float
/// parser and its tables in the wasm.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let plain = !text.is_empty()
        && text.bytes().any(|b| b.is_ascii_digit())
        && text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !plain {
        return None;
    }
    // Unary `+`: what `Number(text)` gives (`NaN` for anything it cannot read).
    let value = JsValue::from_str(text).unchecked_into_f64();
    value.is_finite().then_some(value)
}
