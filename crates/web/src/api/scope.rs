//! Scope versions, approval and differences.

use aims_core::scope::ScopeInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::{ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/scope", get(status))
        .route("/scope/versions", get(history).post(propose))
        .route("/scope/versions/{version}", get(show))
        .route("/scope/versions/{version}/approve", post(approve))
        .route("/scope/diff", get(diff))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    pub from: i64,
    pub to: i64,
}

/// The approved scope, the latest version and the systems in and out.
#[utoipa::path(get, path = "/scope", tag = "scope", security(("bearer" = [])), responses((status = 200, body = Object)))]
async fn status(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.scope_status(&a).await?))
}

/// Every version, newest first.
#[utoipa::path(get, path = "/scope/versions", tag = "scope", security(("bearer" = [])), responses((status = 200, body = [Object])))]
async fn history(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.scope_history(&a).await?))
}

/// Proposes a new version (a draft until approved).
#[utoipa::path(post, path = "/scope/versions", tag = "scope", security(("bearer" = [])), request_body = ScopeInput,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn propose(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<ScopeInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(s.app.scope_set(&a, &body).await?)))
}

/// One version.
#[utoipa::path(get, path = "/scope/versions/{version}", tag = "scope", security(("bearer" = [])), params(("version" = i64, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(version): ApiPath<i64>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.scope_get(&a, version).await?))
}

/// Approves a version (governance lead or admin); a version is approved once.
#[utoipa::path(post, path = "/scope/versions/{version}/approve", tag = "scope", security(("bearer" = [])), params(("version" = i64, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn approve(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(version): ApiPath<i64>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.scope_approve(&a, version).await?))
}

/// The line-by-line difference between two versions.
#[utoipa::path(get, path = "/scope/diff", tag = "scope", security(("bearer" = [])), params(DiffQuery),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
async fn diff(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.scope_diff(&a, q.from, q.to).await?))
}
