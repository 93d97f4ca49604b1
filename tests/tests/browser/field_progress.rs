//! The field app's progress during a long first sync (issue 6): a coach
//! whose program holds 5,000 records logs in on an empty phone, and the sync
//! status counts "N av 5000 hämtade" as the pages arrive (the total comes
//! from `GET /sync/remaining`, asked once alongside the second page), then
//! says synced, and the device holds all 5,000 (the app's own content check
//! equals the server's records).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use serde_json::Value;
use stegvis_tests::browser::{self, Browser};
use stegvis_tests::field::{self, LOGIN_WAIT};
use stegvis_tests::records::{new_id, site};
use stegvis_tests::{Api, Device, PASSWORD, Server, create_program, create_user};

const RECORDS: usize = 5_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_first_sync_shows_records_received_of_total() {
    browser::require_browser();
    let _one_at_a_time = browser::exclusive().await;
    field::bounded(async {
        let server = Server::start_with_app().await;
        let org = server.create_org("Haninge kommun").await;
        server.create_admin(org, "admin", PASSWORD).await;
        let admin = Api::login(server.base_url(), "admin", PASSWORD, "laptop").await;
        let program = create_program(&admin, org, "Etableringscentrum").await;
        create_user(&admin, "coach", "coach", &[program]).await;
        let device = Device::new();
        let mutations: Vec<Value> = (0..RECORDS).map(|_| device.create(program, "site", new_id(), site())).collect();
        let coach = Api::login(server.base_url(), "coach", PASSWORD, "import").await;
        for batch in mutations.chunks(500) {
            coach.push_applied(&device, batch).await;
        }

        let b = Browser::start("progress", server.base_url()).await;
        b.goto("/").await;
        b.wait_for_timeout("login-username", LOGIN_WAIT).await;
        // Every text the status's first line shows, as it changes.
        b.js("window.__statusTexts = []; new MutationObserver(() => { \
               const el = document.querySelector('[data-testid=\"sync-status\"] .sync-first'); \
               if (el && window.__statusTexts[window.__statusTexts.length - 1] !== el.textContent) \
                 window.__statusTexts.push(el.textContent); \
             }).observe(document.body, { childList: true, subtree: true, characterData: true }); return true;")
            .await;
        b.fill("login-username", "coach").await;
        b.fill("login-password", PASSWORD).await;
        b.click("login-submit").await;
        b.wait_for_timeout("today", LOGIN_WAIT).await;
        b.wait_for_attr_timeout("sync-status", "data-state", "synced", Duration::from_secs(120)).await;

        let texts: Vec<String> = serde_json::from_value(b.js("return window.__statusTexts;").await).unwrap();
        let of_total: Vec<(u64, u64)> = texts
            .iter()
            .filter_map(|t| {
                let (n, rest) = t.split_once(" av ")?;
                let total = rest.strip_suffix(" hämtade")?;
                Some((n.parse().ok()?, total.parse().ok()?))
            })
            .collect();
        assert!(!of_total.is_empty(), "no 'N av TOTAL hämtade' among the status texts {texts:?}");
        assert!(of_total.iter().all(|(_, total)| *total == RECORDS as u64), "totals: {of_total:?}");
        assert!(of_total.windows(2).all(|w| w[0].0 < w[1].0), "the count must only grow: {of_total:?}");
        assert!(of_total.iter().all(|(n, _)| *n > 0 && *n <= RECORDS as u64), "{of_total:?}");

        // Everything arrived: the app's content check shows all of them.
        b.click("nav-settings").await;
        b.click("check-local-data").await;
        let check = b.wait_for_timeout("local-data-check", Duration::from_secs(60)).await;
        assert_eq!(check.attr("data-count").await.unwrap().as_deref(), Some("5000"));
        b.close().await;
    })
    .await;
}
