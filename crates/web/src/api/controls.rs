//! The organisation's controls and their links.

use aims_app::controls::ControlQuery;
use aims_core::control::{ControlInput, LinksInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, put};
use axum::{Json, Router};

use super::json::{total_count, ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/controls", get(list).post(add))
        .route("/controls/{key}", get(show).patch(update))
        .route("/controls/{key}/links", put(link))
}

/// The controls, filtered (text, status, applicability, effectiveness, owner, requirement
/// `ISO42001:A.6.2.4`, AI system), sorted and, with `page` or `per_page`, paged; the number of
/// all matches is in `x-total-count`.
#[utoipa::path(get, path = "/controls", tag = "controls", security(("bearer" = [])), params(ControlQuery),
    responses((status = 200, body = [Object], headers(("x-total-count" = i64, description = "How many controls match the filters, on every page"))),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ControlQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let l = s.app.control_list(&a, &q).await?;
    Ok((total_count(l.total), Json(l.items)))
}

/// Adds a control.
#[utoipa::path(post, path = "/controls", tag = "controls", security(("bearer" = [])), request_body = ControlInput,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<ControlInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.control_add(&a, &body).await?),
    ))
}

/// One control with its requirements and AI systems.
#[utoipa::path(get, path = "/controls/{key}", tag = "controls", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.control_get(&a, &key).await?))
}

/// Changes the fields given.
#[utoipa::path(patch, path = "/controls/{key}", tag = "controls", security(("bearer" = [])), params(("key" = String, Path)), request_body = ControlInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<ControlInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.control_update(&a, &key, &body).await?))
}

/// Sets the requirements and AI systems of a control; a list that is absent stays as it is.
#[utoipa::path(put, path = "/controls/{key}/links", tag = "controls", security(("bearer" = [])), params(("key" = String, Path)), request_body = LinksInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn link(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<LinksInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.control_link(&a, &key, &body).await?))
}
