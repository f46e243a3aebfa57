//! The AI system inventory.

use aims_app::systems::ListQuery;
use aims_core::inventory::SystemInput;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::ToSchema;

use super::json::{ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/systems", get(list).post(add))
        .route("/systems/export.csv", get(export))
        .route("/systems/{key}", get(show).patch(update))
        .route("/systems/{key}/retire", post(retire))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Retire {
    pub reason: Option<String>,
}

/// A page of the inventory, filtered and sorted.
#[utoipa::path(get, path = "/systems", tag = "inventory", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Object), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.system_list(&a, &q).await?))
}

/// The inventory matching the filter, every page, as CSV.
#[utoipa::path(get, path = "/systems/export.csv", tag = "inventory", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem)))]
async fn export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let csv = s.app.system_export_csv(&a, &q).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"ai-systems.csv\"",
            ),
        ],
        csv,
    ))
}

/// Adds an AI system.
#[utoipa::path(post, path = "/systems", tag = "inventory", security(("bearer" = [])), request_body = SystemInput,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<SystemInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.system_add(&a, &body).await?),
    ))
}

/// One AI system.
#[utoipa::path(get, path = "/systems/{key}", tag = "inventory", security(("bearer" = [])), params(("key" = String, Path, example = "SYS-1")),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.system_get(&a, &key).await?))
}

/// Changes the fields given; absent fields keep their value.
#[utoipa::path(patch, path = "/systems/{key}", tag = "inventory", security(("bearer" = [])), params(("key" = String, Path)), request_body = SystemInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<SystemInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.system_update(&a, &key, &body).await?))
}

/// Retires a system with a reason.
#[utoipa::path(post, path = "/systems/{key}/retire", tag = "inventory", security(("bearer" = [])), params(("key" = String, Path)), request_body = Retire,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn retire(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<Retire>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(
        s.app
            .system_retire(&a, &key, body.reason.as_deref())
            .await?,
    ))
}
