//! The Stegvis server as a library: the binary `stegvis` is a thin `main`
//! over [`cli::run`]; tests start it with [`serve`] on `127.0.0.1:0`.

pub mod auth;
pub mod cli;
pub mod error;
pub mod http;
pub mod seed;
pub mod state;
pub mod store;
pub mod sync;

use std::future::Future;

pub use http::app;
pub use state::AppState;

/// Serves `app(state)` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await
}
