//! Browser smoke test: the real `stegvis` binary serves the built app (Trunk's `dist/`) and
//! headless Chromium, driven by ChromeDriver through the harness in `stegvis_tests::browser`,
//! shows that the wasm app runs (it renders something of its own into the page) and that the
//! page's origin reaches the server (`/api/v1/health` answers `ok` to a fetch from the page).
//!
//! Needs, from the environment or their defaults:
//! - `STEGVIS_BIN` (else `<workspace>/target/debug/stegvis`),
//! - `STEGVIS_DIST_DIR` (else `<workspace>/dist`), with an `index.html`,
//! - `CHROMEDRIVER` (else `/usr/bin/chromedriver`) and `/usr/bin/chromium`.
//!
//! `cargo xtask test` provides all of them; when one is missing this test fails and says so.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use serde_json::json;
use stegvis_tests::Server;
use stegvis_tests::browser::{self, Browser};

/// How long the page may take to load the wasm and render.
const PAGE_READY: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_loads_in_chromium_and_reaches_the_server() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    let server = Server::start_with_app().await;
    let page = Browser::start("smoke", server.base_url()).await;
    page.goto("/").await;

    // The wasm app has run once it rendered an element of its own: any element with a test id
    // (the field app's contract) or the first page's `#server-status`.
    page.wait_until("the wasm app to render", PAGE_READY, async || {
        let rendered = page
            .js("return document.querySelector('[data-testid], #server-status') !== null;")
            .await
            .as_bool()
            .unwrap_or(false);
        rendered.then_some(())
    })
    .await;

    let health = page
        .js_async(
            "const done = arguments[arguments.length - 1];
             fetch('/api/v1/health', { cache: 'no-store' })
               .then(r => r.json().then(body => done({ status: r.status, body })))
               .catch(e => done({ error: String(e) }));",
        )
        .await;
    assert_eq!(health, json!({"status": 200, "body": {"status": "ok"}}), "health from the page's origin");

    let title = page.client().title().await.unwrap_or_default();
    assert_eq!(title, "Stegvis", "page title");
    page.close().await;
}
