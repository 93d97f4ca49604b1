//! The browser suites: the built app (Trunk's `dist/`) served by the real `stegvis` binary and
//! driven in headless Chromium through ChromeDriver. One suite alone:
//! `cargo test -p stegvis-tests --test browser -- field_app::`.

mod browser_smoke;
mod desk_app;
mod field_app;
mod field_progress;
