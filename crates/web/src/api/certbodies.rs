//! Certification bodies under consideration.

use aims_core::certbody::{CertBody, CertBodyInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use super::json::{ApiJson, ApiPath};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/certification-bodies", get(list).post(add))
        .route("/certification-bodies/{key}", get(show).patch(update))
}

/// Every certification body, in key order.
#[utoipa::path(get, path = "/certification-bodies", tag = "certification", security(("bearer" = [])),
    responses((status = 200, body = Vec<CertBody>), (status = 401, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.certbody_list(&a).await?))
}

/// Adds a certification body (a candidate unless a status is given).
#[utoipa::path(post, path = "/certification-bodies", tag = "certification", security(("bearer" = [])), request_body = CertBodyInput,
    responses((status = 201, body = CertBody), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<CertBodyInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.certbody_add(&a, &body).await?),
    ))
}

/// One certification body.
#[utoipa::path(get, path = "/certification-bodies/{key}", tag = "certification", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = CertBody), (status = 404, body = Problem)))]
async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.certbody_get(&a, &key).await?))
}

/// Changes the fields given; selecting a second body is a conflict.
#[utoipa::path(patch, path = "/certification-bodies/{key}", tag = "certification", security(("bearer" = [])), params(("key" = String, Path)), request_body = CertBodyInput,
    responses((status = 200, body = CertBody), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<CertBodyInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.certbody_update(&a, &key, &body).await?))
}
