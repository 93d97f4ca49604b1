//! Security headers on every response: a strict Content-Security-Policy (the
//! app's only inline scripts, Trunk's wasm loaders of the field app and of the
//! desk, are allowed by their SHA-256, computed from the served `index.html` and
//! `desk/index.html`), `nosniff`, no referrer, no framing.

use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// For the API's JSON answers: nothing may load from them.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The CSP of the app pages, remembered per modification times of `index.html`
/// and `desk/index.html`.
#[derive(Debug, Default)]
pub struct AppCsp {
    cached: Mutex<Option<(PageTimes, HeaderValue)>>,
}

type PageTimes = (SystemTime, Option<SystemTime>);

impl AppCsp {
    fn for_index(&self, dist_dir: &Path) -> HeaderValue {
        let index = dist_dir.join("index.html");
        let desk_index = dist_dir.join("desk").join("index.html");
        let desk_modified = std::fs::metadata(&desk_index).and_then(|m| m.modified()).ok();
        let modified = std::fs::metadata(&index).and_then(|m| m.modified()).ok().map(|at| (at, desk_modified));
        if let (Some(modified), Ok(cached)) = (modified, self.cached.lock())
            && let Some((at, value)) = cached.as_ref()
            && *at == modified
        {
            return value.clone();
        }
        let mut html = std::fs::read_to_string(&index).unwrap_or_default();
        // The desk's page (`/desk/`, built in the same run) has a loader of its own.
        html.push_str(&std::fs::read_to_string(&desk_index).unwrap_or_default());
        let value = HeaderValue::from_str(&app_policy(&html)).unwrap_or_else(|_| HeaderValue::from_static(API_CSP));
        if let (Some(modified), Ok(mut cached)) = (modified, self.cached.lock()) {
            *cached = Some((modified, value.clone()));
        }
        value
    }
}

/// The policy for an HTML page whose inline scripts are those of `html`.
pub fn app_policy(html: &str) -> String {
    let hashes: String = inline_scripts(html)
        .map(|script| format!(" 'sha256-{}'", STANDARD.encode(Sha256::digest(script.as_bytes()))))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// The bodies of the `<script>` elements without `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attrs, after) = rest.split_once('>')?;
        if attrs.contains("src=") {
            return None;
        }
        after.split_once("</script>").map(|(body, _)| body)
    })
}

/// Whether the client reached us over TLS: Stegvis runs behind a TLS proxy,
/// so only a trusted proxy's `X-Forwarded-Proto: https` says so.
fn arrived_over_tls(state: &AppState, request: &Request) -> bool {
    let peer = request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    peer.is_some_and(|ip| state.trusted_proxies.contains(&ip))
        && request
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

pub async fn add_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // Decided by path, not by the answer's content type: a 304 for the page
    // has none, and the service worker script (`/sw.js`) is governed by its
    // own response's policy, so it needs the app's (`connect-src 'self'`).
    let is_api = request.uri().path().starts_with("/api/") || request.uri().path() == "/api";
    let over_tls = arrived_over_tls(&state, &request);
    let mut response = next.run(request).await;
    let csp = if is_api { HeaderValue::from_static(API_CSP) } else { state.app_csp.for_index(&state.dist_dir) };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if over_tls {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    if is_api {
        // Answers about people must not linger in browser or proxy caches.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<head><script type="module">boot()</script><script src="/x.js"></script></head>"#;
        let policy = app_policy(html);
        let expected = STANDARD.encode(Sha256::digest(b"boot()"));
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert_eq!(policy.matches("sha256-").count(), 1);
        assert!(policy.contains("object-src 'none'") && policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
    }
}
