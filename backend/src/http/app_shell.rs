//! Serves the built web app (Trunk's `dist/`) at `/`, with `index.html`
//! for client-side routes (`desk/index.html` for those under `/desk/`, the
//! office desk's own page), or a page that says how to build it.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::state::AppState;

const NOT_BUILT: &str = r#"<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stegvis</title></head><body>
<h1>Stegvis</h1>
<p>Appen är inte byggd än. Kör <code>cargo xtask run</code> i projektets katalog.</p>
<p lang="en">The app has not been built yet. Run <code>cargo xtask run</code> (or <code>cargo xtask build-app</code>) in the project directory. The API works regardless, under <code>/api/v1</code>.</p>
</body></html>"#;

pub async fn serve_app(State(state): State<AppState>, request: Request) -> Response {
    let index = state.dist_dir.join("index.html");
    if !tokio::fs::try_exists(&index).await.unwrap_or(false) {
        return (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], Html(NOT_BUILT)).into_response();
    }
    // The desk (office and admin) is its own page under `/desk/` (docs/DESK.md): its
    // client-side routes fall back to its index, every other route to the field app's.
    let path = request.uri().path();
    let fallback = if path == "/desk" || path.starts_with("/desk/") {
        let desk_index = state.dist_dir.join("desk").join("index.html");
        if tokio::fs::try_exists(&desk_index).await.unwrap_or(false) { desk_index } else { index }
    } else {
        index
    };
    let service = ServeDir::new(state.dist_dir.as_ref()).fallback(ServeFile::new(fallback));
    match service.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(infallible) => match infallible {},
    }
}
