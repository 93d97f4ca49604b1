//! The first page of Stegvis: what the app is, and whether the server answers
//! (`GET /api/v1/health`), proving that the wasm app runs and reaches its server.

use gloo::net::http::Request;
use serde::Deserialize;
use yew::prelude::*;

/// Where the server says how it is.
const HEALTH_URL: &str = "/api/v1/health";

/// What we know about the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerStatus {
    /// The health request has not answered yet.
    Checking,
    /// `/api/v1/health` answered `{"status":"ok"}`.
    Ok,
    /// No answer, an error status or an unexpected body.
    Unreachable,
}

impl ServerStatus {
    /// The text shown to the user.
    pub fn text(self) -> &'static str {
        match self {
            Self::Checking => "Kontaktar servern…",
            Self::Ok => "Server: ok",
            Self::Unreachable => "Servern svarar inte",
        }
    }

    fn class(self) -> &'static str {
        match self {
            Self::Checking => "status status-checking",
            Self::Ok => "status status-ok",
            Self::Unreachable => "status status-down",
        }
    }
}

#[derive(Debug, Deserialize)]
struct Health {
    status: String,
}

/// Asks the server for its health.
async fn check_health() -> ServerStatus {
    let Ok(response) = Request::get(HEALTH_URL).send().await else {
        return ServerStatus::Unreachable;
    };
    if !response.ok() {
        return ServerStatus::Unreachable;
    }
    match response.json::<Health>().await {
        Ok(health) if health.status == "ok" => ServerStatus::Ok,
        _ => ServerStatus::Unreachable,
    }
}

/// The whole app, for now: a heading, what Stegvis is, and the server status.
#[component]
pub fn App() -> Html {
    let status = use_state(|| ServerStatus::Checking);
    {
        let status = status.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                status.set(check_health().await);
            });
        });
    }

    html! {
        <main class="page">
            <header>
                <h1>{ "Stegvis" }</h1>
            </header>
            <p class="lead">
                { "Fältlogg för arbetsmarknadsprogram – fungerar även utan uppkoppling." }
            </p>
            <p class="lead" lang="en">
                { "A field log for labour-market programmes that works offline." }
            </p>
            <p id="server-status" class={ status.class() } role="status" aria-live="polite">
                { status.text() }
            </p>
        </main>
    }
}
