//! The Stegvis field app: an offline-first Yew PWA. The core (`platform`,
//! `crypto`, `idb`, `api`, `repo`, `sync`) keeps records encrypted in
//! IndexedDB and syncs them; the UI (`state`, `pages`, `components`,
//! `i18n`, `app`) shows them. See docs/FIELD-APP.md for the boundaries.

// Core.
pub mod api;
#[cfg(feature = "bench")]
pub mod bench_hook;
pub mod crypto;
pub mod handoff;
pub mod idb;
pub mod platform;
pub mod repo;
pub mod sync;

// UI.
pub mod app;
pub mod components;
pub mod desk;
pub mod i18n;
pub mod pages;
pub mod state;
