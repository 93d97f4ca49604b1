//! The state every handler shares: the store and the server's settings.

use std::path::PathBuf;
use std::sync::Arc;

use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// Signs pull cursors; read once from the database at start.
    pub cursor_key: Arc<[u8]>,
    /// Where the built app (Trunk's `dist/`) lives.
    pub dist_dir: Arc<PathBuf>,
    /// How long an unused device session stays valid.
    pub session_idle: time::Duration,
    /// The app page's Content-Security-Policy, derived from `index.html`.
    pub app_csp: Arc<crate::http::security::AppCsp>,
    /// Failed-login counters (429 past the limit).
    pub login_throttle: Arc<crate::auth::throttle::LoginThrottle>,
    /// Origins allowed to call the API from a browser page they serve
    /// (CORS). Empty by default: only the app this server serves may.
    pub cors_origins: Arc<[axum::http::HeaderValue]>,
    /// Peers whose `X-Forwarded-For` is believed (reverse proxies).
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// A real argon2 hash to verify against when the user is unknown, so a
    /// wrong username costs as much time as a wrong password.
    pub dummy_hash: Arc<str>,
}

impl AppState {
    pub async fn new(
        store: Arc<dyn Store>,
        dist_dir: PathBuf,
        session_idle: time::Duration,
    ) -> Result<AppState, crate::error::ApiError> {
        let cursor_key: Arc<[u8]> = store.cursor_key().await?.into();
        let dummy_hash = crate::auth::password::hash("not a real password".into())
            .await
            .map_err(|e| crate::error::ApiError::Internal(e.to_string()))?;
        Ok(AppState {
            store,
            cursor_key,
            dist_dir: Arc::new(dist_dir),
            session_idle,
            app_csp: Arc::default(),
            login_throttle: Arc::default(),
            trusted_proxies: Arc::from(Vec::new()),
            cors_origins: Arc::from(Vec::new()),
            dummy_hash: dummy_hash.into(),
        })
    }
}
