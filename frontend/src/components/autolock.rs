//! `AutoLock`: calls `on_lock` after `minutes` without a pointer or key
//! event (checked every few seconds and whenever the page becomes visible).

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::state::clock;

const CHECK_MS: u32 = 5_000;

#[derive(Properties, PartialEq)]
pub struct AutoLockProps {
    pub minutes: u32,
    pub on_lock: Callback<()>,
}

#[component]
pub fn AutoLock(props: &AutoLockProps) -> Html {
    let minutes = props.minutes;
    let on_lock = props.on_lock.clone();
    use_effect_with(minutes, move |minutes| {
        let limit_ms = f64::from(*minutes) * 60_000.0;
        let last = Rc::new(Cell::new(clock::now_ms()));
        let mut listeners = Vec::new();
        if let Some(window) = web_sys::window() {
            for event in ["pointerdown", "keydown", "touchstart", "wheel"] {
                let last = last.clone();
                listeners.push(EventListener::new(&window, event, move |_| last.set(clock::now_ms())));
            }
        }
        let check = {
            let last = last.clone();
            move || {
                if clock::now_ms() - last.get() >= limit_ms {
                    on_lock.emit(());
                }
            }
        };
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let check = check.clone();
            listeners.push(EventListener::new(&document, "visibilitychange", move |_| check()));
        }
        let interval = Interval::new(CHECK_MS, check);
        move || {
            drop(interval);
            drop(listeners);
        }
    });
    html! {}
}
