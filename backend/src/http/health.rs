//! `GET /api/v1/health`: liveness, no auth.

use axum::Json;
use shared::wire::Health;

#[utoipa::path(get, path = "/api/v1/health", tag = "health", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok".into() })
}
