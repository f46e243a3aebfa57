//! The JSON API under `/api/v1`. Each resource module owns its routes; the OpenAPI 3.1
//! document is generated from the handlers' annotations.

mod actions;
mod catalogs;
mod certbodies;
mod context;
mod controls;
mod coverage;
mod gap;
mod impacts;
mod incidents;
mod journey;
mod json;
mod ledger;
mod maturity;
mod monitoring;
mod notifications;
mod openapi;
mod risks;
mod scope;
mod search;
mod security;
mod session;
mod soa;
mod systems;
mod users;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

pub use openapi::openapi_document;

use crate::error::problem;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .merge(session::router())
        .merge(users::router())
        .merge(security::router())
        .merge(systems::router())
        .merge(context::router())
        .merge(controls::router())
        .merge(catalogs::router())
        .merge(scope::router())
        .merge(soa::router())
        .merge(maturity::router())
        .merge(gap::router())
        .merge(coverage::router())
        .merge(ledger::router())
        .merge(actions::router())
        .merge(certbodies::router())
        .merge(journey::router())
        .merge(risks::router())
        .merge(impacts::router())
        .merge(monitoring::router())
        .merge(incidents::router())
        .merge(notifications::router())
        .merge(search::router())
        .fallback(not_found)
}

/// Liveness and database reachability; needs no credentials.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Object), (status = 503, body = crate::error::Problem)))]
async fn health(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> axum::response::Response {
    match s.app.db.ping().await {
        Ok(()) => Json(serde_json::json!({"status": "ok"})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database is not reachable".into(),
                Vec::new(),
            )
        }
    }
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
}

async fn not_found() -> axum::response::Response {
    problem(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such API operation".into(),
        Vec::new(),
    )
}
