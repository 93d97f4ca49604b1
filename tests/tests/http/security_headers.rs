//! Security headers on every response: a strict CSP that still lets the wasm
//! app run (no inline script but the hashed loader, `object-src 'none'`,
//! `base-uri 'none'`, `frame-ancestors 'none'`), `nosniff`, no referrer, and
//! `Cache-Control: no-store` on the API.
#![allow(clippy::unwrap_used)]

use stegvis_tests::*;

fn header<'a>(r: &'a reqwest::Response, name: &str) -> &'a str {
    r.headers().get(name).unwrap_or_else(|| panic!("{} lacks {name}", r.url())).to_str().unwrap()
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let server = Server::start().await;
    let client = reqwest::Client::new();
    for path in ["/", "/some/app/route", "/api/v1/health", "/api/v1/nothing-here", "/api/v1/sync/pull"] {
        let r = client.get(format!("{}{path}", server.base_url())).send().await.unwrap();
        assert_eq!(header(&r, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(&r, "referrer-policy"), "no-referrer", "{path}");
        let csp = header(&r, "content-security-policy");
        for directive in ["frame-ancestors 'none'", "base-uri 'none'"] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"), "{path}: {csp}");
        if path.starts_with("/api/") {
            assert_eq!(header(&r, "cache-control"), "no-store", "{path}");
            assert!(csp.starts_with("default-src 'none'"), "{path}: {csp}");
        }
    }
    // The service worker script is governed by its own response's policy: it
    // must be the app's, which lets it fetch what it precaches.
    let sw = client.get(format!("{}/sw.js", server.base_url())).send().await.unwrap();
    assert!(header(&sw, "content-security-policy").contains("connect-src 'self'"));
    let page = client.get(format!("{}/", server.base_url())).send().await.unwrap();
    let csp = header(&page, "content-security-policy").to_owned();
    assert!(csp.contains("object-src 'none'") && csp.contains("script-src 'self'"), "{csp}");
    assert!(page.headers().get("access-control-allow-origin").is_none(), "no CORS unless configured");
}

#[tokio::test]
async fn cors_answers_only_for_configured_origins() {
    let allowed = "https://intranat.haninge.example";
    let server = Server::start_with_env(&[("STEGVIS_CORS_ORIGINS", allowed)]).await;
    let client = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        client
            .request(reqwest::Method::OPTIONS, format!("{}/api/v1/sync/push", server.base_url()))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization,content-type")
            .send()
    };
    let ok = preflight("https://intranat.haninge.example").await.unwrap();
    assert_eq!(header(&ok, "access-control-allow-origin"), allowed);
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none(), "another origin is not allowed");
    // Without the setting (the default), no origin is.
    let plain = Server::start().await;
    let r = client.get(format!("{}/api/v1/health", plain.base_url())).header("origin", allowed).send().await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn hsts_is_sent_when_a_trusted_proxy_says_the_client_came_over_tls() {
    let client = reqwest::Client::new();
    let behind_proxy = Server::start_with_env(&[("STEGVIS_TRUSTED_PROXIES", "127.0.0.1")]).await;
    let r = client
        .get(format!("{}/api/v1/health", behind_proxy.base_url()))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(header(&r, "strict-transport-security").starts_with("max-age="));
    let plain = client.get(format!("{}/api/v1/health", behind_proxy.base_url())).send().await.unwrap();
    assert!(plain.headers().get("strict-transport-security").is_none(), "plain HTTP gets no HSTS");
    // Without a trusted proxy, a client cannot claim TLS.
    let direct = Server::start().await;
    let r = client
        .get(format!("{}/api/v1/health", direct.base_url()))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("strict-transport-security").is_none());
}
